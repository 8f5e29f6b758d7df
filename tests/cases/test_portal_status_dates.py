"""The worker's status page (and GET /api/v1/complaints/{number}/) keeps every date once
known, shows the amounts claimed, ordered, agreed, awarded and recovered per worker, and
the current stage's statutory deadline after each change."""

import datetime as dt

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.cases.test_transitions import (
    ACCEPT_LD,
    ACCEPT_WA,
    AWARD,
    DAY0,
    HEAR,
    ORDER,
    PAY,
    SCHEDULE,
    TO_HEARING,
    run,
)
from tests.factories import file_case

pytestmark = pytest.mark.django_db


def walk(kind, steps, people):
    """The case after the steps, and its query code (only the filing knows it)."""
    case = file_case(kind=kind, received_on=DAY0)
    code = case.query_code
    for step in steps:
        case = run(step, case, people)
    return case, code


def worker_page(case, code) -> str:
    browser = Client()
    assert (
        browser.post("/status/", {"case_number": case.number, "query_code": code}).status_code
        == 302
    )
    return browser.get(f"/status/{case.number}/").content.decode()


def worker_json(case, code) -> dict:
    response = APIClient().get(f"/api/v1/complaints/{case.number}/", {"query_code": code})
    assert response.status_code == 200
    return response.json()


def test_it_keeps_the_hearing_date_and_shows_the_award_once_awarded(people):
    case, code = walk("labor_dispute", [ACCEPT_LD, TO_HEARING, SCHEDULE, AWARD], people)
    hearing = (DAY0 + dt.timedelta(days=15)).isoformat()

    page, body = worker_page(case, code), worker_json(case, code)

    assert body["state"] == "awarded"
    dates = {d["key"]: d["date"] for d in body["dates"]}
    assert dates["hearing"] == hearing and dates["received"] == DAY0.isoformat()
    assert dates["accepted"] == (DAY0 + dt.timedelta(days=1)).isoformat()
    assert dates["awarded"] == (DAY0 + dt.timedelta(days=20)).isoformat()
    assert body["amounts"]["awarded"] == "8000.00" and body["amounts"]["claimed"] == "8000.00"
    assert body["claims"] == [
        {
            "name": "工**",
            "claimed": "8000.00",
            "awarded": "8000.00",
            "recovered": "0.00",
            "outstanding": "8000.00",
        }
    ]
    assert "开庭日期" in page and hearing in page
    assert 'data-amount="awarded">8000.00' in page and "工**" in page


def test_it_keeps_the_pay_by_date_and_the_ordered_amount_after_payment(people):
    case, code = walk("wage_arrears", [ACCEPT_WA, HEAR, ORDER, PAY], people)
    pay_by = (DAY0 + dt.timedelta(days=20)).isoformat()

    page, body = worker_page(case, code), worker_json(case, code)

    assert body["state"] == "paid"
    assert {d["key"]: d["date"] for d in body["dates"]}["pay_by"] == pay_by
    assert body["amounts"]["ordered"] == "8000.00"
    assert body["amounts"]["recovered"] == "8000.00"
    assert body["claims"][0]["outstanding"] == "0.00"
    assert "用人单位限期支付日" in page and pay_by in page
    assert 'data-amount="ordered">8000.00' in page and 'data-amount="recovered">8000.00' in page


def test_it_names_the_current_stage_and_its_deadline_after_each_change(people):
    case, code = walk("wage_arrears", [ACCEPT_WA], people)

    page, body = worker_page(case, code), worker_json(case, code)

    assert body["clock_stage"] == "investigation"
    assert body["clock_stage_label"] == "监察调查办结"
    assert "当前环节：监察调查办结" in page and case.deadline.isoformat() in page


def test_a_closed_case_shows_the_day_it_ended(people):
    case, code = walk("wage_arrears", [ACCEPT_WA, HEAR, ORDER, PAY], people)
    case = run(("close", "inspector", lambda c: {}, 12), case, people)

    body = worker_json(case, code)

    dates = {d["key"]: d for d in body["dates"]}
    assert dates["ended"]["label"] == "办结" and dates["pay_by"]
    assert body["deadline"] is None or body["days_left"] is None
