"""Filing a complaint over HTTP and the worker's status page (docs/api.md, Workers)."""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from cases import clocks, complaint_inputs, filing, services
from cases.api import UNKNOWN_CASE_OR_CODE
from cases.models import Case, CaseEvent, Claim
from cases.serializers import WORKER_TIMELINE_TEXT
from core import query_codes, roles
from tests.cases.complaint_support import (
    COMPLAINTS_URL,
    claimant,
    complaint,
    id_number,
)
from tests.factories import staff

pytestmark = pytest.mark.django_db

CASE_NUMBER = re.compile(r"^XF-(\d{4})-(\d{6})$")
QUERY_CODE_ALPHABET = set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def inspector_client():
    user = staff("filing_inspector", roles.INSPECTOR, townships=(), county_level=True)
    client = APIClient()
    client.force_authenticate(user)
    return client


def status_url(number):
    return f"{COMPLAINTS_URL}{number}/"


def collective(size, representatives):
    return [claimant(n, representative=n <= representatives) for n in range(1, size + 1)]


def errors_of(response):
    body = response.json()
    assert set(body) >= {"detail", "errors"}, body
    return body["errors"]


# --- filing ------------------------------------------------------------------------------


def test_it_files_a_complaint_and_answers_201_with_number_code_state_and_deadline(client):
    response = client.post(COMPLAINTS_URL, complaint(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    match = CASE_NUMBER.match(body["case_number"])
    assert match, body["case_number"]
    today = timezone.localdate()
    assert int(match.group(1)) == today.year
    assert len(body["query_code"]) == 8
    assert set(body["query_code"]) <= QUERY_CODE_ALPHABET
    assert body["state"] == "submitted"
    assert "duplicate_of" not in body
    expected = clocks.stage_deadline("acceptance_inspection", today).due
    assert body["deadline"] == expected.isoformat()

    case = Case.objects.get(number=body["case_number"])
    assert query_codes.query_code_matches(case.query_code_hash, body["query_code"])
    assert case.kind == "wage_arrears"
    assert case.township.code == "xincheng"
    assert case.channel == "online"
    assert not case.is_collective
    assert case.claims.get().person.id_number == id_number(1)
    assert list(case.events.values_list("transition", flat=True)) == ["file"]


def test_it_numbers_cases_one_after_another(client):
    first = client.post(COMPLAINTS_URL, complaint(claimants=[claimant(1)]), format="json")
    second = client.post(
        COMPLAINTS_URL,
        complaint(claimants=[claimant(2)], employer_name="襄汾县另一家公司"),
        format="json",
    )
    assert first.status_code == second.status_code == 201
    a = int(CASE_NUMBER.match(first.json()["case_number"]).group(2))
    b = int(CASE_NUMBER.match(second.json()["case_number"]).group(2))
    assert b == a + 1
    assert first.json()["query_code"] != second.json()["query_code"]


def test_it_files_a_labor_dispute_on_the_calendar_day_clock(client):
    response = client.post(COMPLAINTS_URL, complaint(kind="labor_dispute"), format="json")
    assert response.status_code == 201, response.json()
    expected = clocks.stage_deadline("acceptance_dispute", timezone.localdate()).due
    assert response.json()["deadline"] == expected.isoformat()
    assert Case.objects.get(number=response.json()["case_number"]).kind == "labor_dispute"


# --- the worker's status page -------------------------------------------------------------


def test_it_shows_the_worker_state_and_timeline_with_the_right_code(client):
    filed = client.post(COMPLAINTS_URL, complaint(), format="json").json()
    response = client.get(status_url(filed["case_number"]), {"query_code": filed["query_code"]})
    assert response.status_code == 200
    body = response.json()
    assert body["case_number"] == filed["case_number"]
    assert body["state"] == "submitted"
    assert body["state_label"]
    assert body["deadline"] == filed["deadline"]
    assert body["days_left"] is not None
    assert [item["text"] for item in body["timeline"]] == [WORKER_TIMELINE_TEXT["file"]]
    assert body["timeline"][0]["state"] == "submitted"


def test_it_shows_the_worker_later_events_in_plain_words(client):
    filed = client.post(COMPLAINTS_URL, complaint(), format="json").json()
    client.post(COMPLAINTS_URL, complaint(), format="json")  # the same complaint again
    inspector = staff("timeline_inspector", roles.INSPECTOR, townships=(), county_level=True)
    services.case_transition(
        case_number=filed["case_number"],
        name="reject",
        actor=inspector,
        data={"reason_code": "outside_jurisdiction", "note": "内部备注"},
    )
    response = client.get(status_url(filed["case_number"]), {"query_code": filed["query_code"]})
    body = response.json()
    assert [item["text"] for item in body["timeline"]] == [
        WORKER_TIMELINE_TEXT["file"],
        WORKER_TIMELINE_TEXT["duplicate_submitted"],
        WORKER_TIMELINE_TEXT["reject"],
    ]
    assert body["state"] == "rejected"
    assert body["days_left"] is None
    assert "内部备注" not in response.content.decode()
    assert "timeline_inspector" not in response.content.decode()


def test_it_accepts_the_code_in_lower_case(client):
    filed = client.post(COMPLAINTS_URL, complaint(), format="json").json()
    response = client.get(
        status_url(filed["case_number"]), {"query_code": filed["query_code"].lower()}
    )
    assert response.status_code == 200


def test_it_shows_the_worker_no_identity_numbers_or_phones(client):
    body = complaint()
    filed = client.post(COMPLAINTS_URL, body, format="json").json()
    response = client.get(status_url(filed["case_number"]), {"query_code": filed["query_code"]})
    text = response.content.decode()
    assert body["claimants"][0]["id_number"] not in text
    assert body["claimants"][0]["phone"] not in text
    assert "query_code" not in response.json()


def test_it_answers_a_wrong_code_and_an_unknown_number_alike_with_404(client):
    filed = client.post(COMPLAINTS_URL, complaint(), format="json").json()
    wrong_code = client.get(status_url(filed["case_number"]), {"query_code": "ABCDEFGH"})
    no_code = client.get(status_url(filed["case_number"]))
    unknown = client.get(status_url("XF-2026-999999"), {"query_code": filed["query_code"]})
    assert wrong_code.status_code == no_code.status_code == unknown.status_code == 404
    assert wrong_code.json() == unknown.json() == no_code.json()
    assert wrong_code.json()["detail"] == UNKNOWN_CASE_OR_CODE


def test_it_does_not_open_one_case_with_another_cases_code(client):
    first = client.post(COMPLAINTS_URL, complaint(claimants=[claimant(1)]), format="json").json()
    second = client.post(
        COMPLAINTS_URL,
        complaint(claimants=[claimant(2)], employer_name="襄汾县另一家公司"),
        format="json",
    ).json()
    response = client.get(status_url(first["case_number"]), {"query_code": second["query_code"]})
    assert response.status_code == 404


# --- collective complaints -------------------------------------------------------------------


def test_it_marks_ten_claimants_with_three_representatives_collective(client):
    response = client.post(COMPLAINTS_URL, complaint(claimants=collective(10, 3)), format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.is_collective
    assert case.claims.count() == 10
    assert case.claims.filter(is_representative=True).count() == 3


def test_it_accepts_five_representatives(client):
    response = client.post(COMPLAINTS_URL, complaint(claimants=collective(12, 5)), format="json")
    assert response.status_code == 201, response.json()
    assert Case.objects.get(number=response.json()["case_number"]).is_collective


def test_it_keeps_nine_claimants_individual(client):
    response = client.post(COMPLAINTS_URL, complaint(claimants=collective(9, 0)), format="json")
    assert response.status_code == 201, response.json()
    assert not Case.objects.get(number=response.json()["case_number"]).is_collective


REPRESENTATIVES_NEEDED = complaint_inputs.REPRESENTATIVES_NEEDED.format(minimum=10, low=3, high=5)


@pytest.mark.parametrize("representatives", [0, 2, 6])
def test_it_refuses_a_collective_complaint_without_three_to_five_representatives(
    client, representatives
):
    response = client.post(
        COMPLAINTS_URL, complaint(claimants=collective(10, representatives)), format="json"
    )
    assert response.status_code == 400
    assert errors_of(response)["claimants"] == [REPRESENTATIVES_NEEDED]
    assert not Case.objects.exists()


def test_it_refuses_representatives_on_a_small_complaint(client):
    response = client.post(COMPLAINTS_URL, complaint(claimants=collective(3, 1)), format="json")
    assert response.status_code == 400
    assert errors_of(response)["claimants"] == [
        complaint_inputs.REPRESENTATIVES_ONLY_COLLECTIVE.format(minimum=10)
    ]
    assert not Case.objects.exists()


# --- received_at: staff only, never in the future ---------------------------------------------


def test_it_refuses_received_at_from_an_anonymous_worker(client):
    body = complaint(received_at="2026-04-30T10:00:00+08:00")
    response = client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 400
    assert errors_of(response)["received_at"] == [complaint_inputs.RECEIVED_AT_STAFF_ONLY]
    assert not Case.objects.exists()


def test_it_refuses_received_at_from_a_signed_in_user_without_a_case_role():
    user = staff("finance_clerk", roles.FINANCE, townships=(), county_level=True)
    client = APIClient()
    client.force_authenticate(user)
    body = complaint(received_at="2026-04-30T10:00:00+08:00")
    response = client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 400
    assert errors_of(response)["received_at"] == [complaint_inputs.RECEIVED_AT_STAFF_ONLY]


def test_it_refuses_a_future_received_at_even_from_staff(inspector_client):
    future = timezone.now() + dt.timedelta(hours=2)
    response = inspector_client.post(
        COMPLAINTS_URL, complaint(received_at=future.isoformat()), format="json"
    )
    assert response.status_code == 400
    assert errors_of(response)["received_at"] == [complaint_inputs.RECEIVED_AT_FUTURE]
    assert not Case.objects.exists()


def test_it_lets_staff_enter_an_earlier_received_at(inspector_client):
    received = timezone.now() - dt.timedelta(days=3)
    body = complaint(received_at=received.isoformat(), channel="hotline_12345")
    response = inspector_client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.json()
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.received_at == received
    assert case.channel == "hotline_12345"
    assert case.clock_started_on == timezone.localtime(received).date()
    event = CaseEvent.objects.get(case=case, transition="file")
    assert event.created_at == received
    assert event.actor.username == "filing_inspector"


def test_it_files_through_the_service_without_http():
    from core.models import Township

    result = filing.complaint_file(
        kind="wage_arrears",
        employer_name="襄汾县服务层测试公司",
        township=Township.objects.get(code="zhaokang"),
        claimants=[
            filing.ClaimantInput(
                name="工人", id_number=id_number(7), phone="13800000007", amount_claimed=100
            )
        ],
        description="测试",
    )
    assert result.created
    assert result.query_code == result.case.query_code
    assert Claim.objects.filter(case=result.case).count() == 1


def test_it_texts_the_worker_when_a_complaint_arrives_through_the_api(
    db, django_capture_on_commit_callbacks
):
    from notifications.models import SmsMessage

    with django_capture_on_commit_callbacks(execute=True):
        body = APIClient().post(COMPLAINTS_URL, complaint(), format="json").json()

    message = SmsMessage.objects.get()
    assert body["case_number"] in message.text and body["query_code"] in message.text
