"""A worker who lost the query code gets a new one texted to the phone on the case, by
case number and phone or ID number; the page answers the same whether or not they match,
and the texts are limited per case and per address."""

import re

import pytest
from django.test import Client, TestCase
from rest_framework.settings import api_settings

from cases.models import CaseEvent
from cases.views.portal import CODE_RESEND_CONTACT_REQUIRED, CODE_RESEND_NUMBER_REQUIRED
from core import query_codes
from core.throttling import PublicRateThrottle
from notifications.followup import CODE_RESENT
from notifications.models import SmsMessage
from tests.factories import VALID_IDS, claimant, file_case

pytestmark = pytest.mark.django_db

URL = "/code/resend/"


@pytest.fixture
def case():
    return file_case(claimants=[claimant(0), claimant(1)])


def ask(number, contact, client=None):
    # What the request leaves for after its commit (the SMS) runs before the answer.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return (client or Client()).post(URL, {"case_number": number, "contact": contact})


def texts():
    return list(SmsMessage.objects.filter(purpose=CODE_RESENT))


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _code(message) -> str:
    return re.search(r"新查询码([2-9A-HJ-NP-Z]{8})", message.text).group(1)


def test_it_texts_a_new_code_to_the_phone_of_the_worker_named(case):
    response = ask(case.number.lower(), "138 0013 0001")

    assert response.status_code == 200 and "新的查询码会在几分钟内用短信发到" in _page(response)
    [message] = texts()
    assert message.phone == "13800130001" and message.case_number == case.number
    new = _code(message)
    assert (
        Client().post("/status/", {"case_number": case.number, "query_code": new}).status_code
        == 302
    )
    old = Client().post("/status/", {"case_number": case.number, "query_code": case.query_code})
    assert old.status_code == 404  # only one code is valid: the old one is void
    case.refresh_from_db()
    assert case.query_code_pending == ""  # texted, then wiped
    assert case.events.filter(transition="query_code_reissued").count() == 1


def test_it_finds_the_worker_by_id_number_too(case):
    ask(case.number, VALID_IDS[0].lower())

    [message] = texts()
    assert message.phone == "13800130000"


def test_it_answers_the_same_whether_or_not_number_and_phone_match(case):
    asked = [
        (case.number, "13800130000"),  # the worker on the case
        (case.number, "13900000000"),  # a phone not on the case
        ("XF-2026-999999", "13800130000"),  # no such case
        (case.number, VALID_IDS[5]),  # an ID number not on the case
    ]
    answers = [ask(number, contact) for number, contact in asked]

    assert {r.status_code for r in answers} == {200}
    pages = {_page(r).replace(number, "N") for r, (number, _) in zip(answers, asked, strict=True)}
    assert len(pages) == 1
    assert len(texts()) == 1
    assert ask("XF\x00", "1").status_code == 200


def test_it_sends_at_most_the_allowed_texts_per_case(case, settings):
    settings.LABORCASE_CODE_RESEND_PER_CASE = 2
    answers = [
        ask(case.number, "13800130000", Client(REMOTE_ADDR=f"10.1.0.{n}")) for n in (1, 2, 3)
    ]

    assert len(texts()) == 2
    assert _page(answers[2]) == _page(answers[0])  # the limit is not announced either


def test_it_limits_requests_per_address(case, monkeypatch):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "code_resend": "2/hour"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)
    browser = Client()
    for _ in range(2):
        assert ask("XF-2026-999999", "13800130000", browser).status_code == 200

    assert ask(case.number, "13800130000", browser).status_code == 429
    assert ask(case.number, "13800130000", Client(REMOTE_ADDR="10.2.0.1")).status_code == 200


def test_it_says_which_field_is_missing(case):
    response = ask("", "")

    body = response.content.decode()
    assert response.status_code == 400
    assert str(CODE_RESEND_NUMBER_REQUIRED) in body and str(CODE_RESEND_CONTACT_REQUIRED) in body
    assert not CaseEvent.objects.filter(transition="query_code_reissued").exists()


def test_a_new_code_lifts_the_lock_on_the_number(case, settings):
    settings.LABORCASE_LOOKUP_LOCK_FAILURES = 2
    for _ in range(2):
        Client().post("/status/", {"case_number": case.number, "query_code": "WRONG234"})

    ask(case.number, "13800130000")

    new = _code(texts()[0])
    assert (
        Client().post("/status/", {"case_number": case.number, "query_code": new}).status_code
        == 302
    )


def test_the_lookup_page_and_the_re_filing_worker_are_pointed_to_it(client):
    assert URL in client.get("/status/").content.decode()
    from tests.cases.test_portal import URL as COMPLAINT_URL
    from tests.cases.test_portal import form

    client.post(COMPLAINT_URL, form())
    client.post(COMPLAINT_URL, form())  # the same complaint again: merged

    page = client.get("/complaint/filed/").content.decode()
    assert "已并入在办案件" in page and URL in page


def test_the_code_hash_changes_with_each_new_code(case):
    before = type(case).objects.get(pk=case.pk).query_code_hash
    ask(case.number, "13800130000")

    after = type(case).objects.get(pk=case.pk).query_code_hash
    assert after != before and query_codes.query_code_matches(after, _code(texts()[0]))
