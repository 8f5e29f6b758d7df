"""The SMS link opens the document on the phone after the last 4 ID digits."""

import pytest

from notifications.models import ServiceRecord
from tests.notifications.notice_support import act, arbitration_staff, dispute_case, hearing_data


@pytest.fixture
def link(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "refer_to_hearing")
    act(
        django_capture_on_commit_callbacks,
        case,
        people,
        "schedule_hearing",
        hearing_data(hearing_venue="第三仲裁庭", hearing_time="10:00"),
    )
    notice = case.notices.get(event="hearing_notice", recipient="worker")
    path = "/s/" + notice.text.split("/s/")[1].split("/")[0] + "/"
    return case, path


def test_it_asks_for_the_digits_before_showing_anything(client, link):
    case, path = link

    page = client.get(path)

    assert page.status_code == 200
    assert "身份证号后4位" in page.content.decode()
    assert "第三仲裁庭" not in page.content.decode()
    record = ServiceRecord.objects.get(case=case, party="worker", document="hearing_notice")
    assert record.opened_at and not record.received_at


def test_it_shows_the_hearing_notice_and_records_receipt(client, link):
    case, path = link
    digits = case.claims.first().person.id_number[-4:]

    confirmed = client.post(path, {"digits": digits}, follow=True)

    text = confirmed.content.decode()
    assert "第三仲裁庭" in text and "10:00" in text
    record = ServiceRecord.objects.get(case=case, party="worker", document="hearing_notice")
    assert record.confirmed_at and record.received_at


def test_it_refuses_wrong_digits(client, link):
    case, path = link

    page = client.post(path, {"digits": "9999"})

    assert page.status_code == 400
    assert "身份证号后4位不正确" in page.content.decode()


def test_it_answers_an_unknown_link_with_404(client, db):
    assert client.get("/s/not-a-real-token/").status_code == 404


def test_it_confirms_through_the_api(client, link):
    case, path = link
    token = path.split("/")[2]
    digits = case.claims.first().person.id_number[-4:]

    response = client.post(
        f"/api/v1/service/{token}/", {"digits": digits}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["document"] == "hearing_notice"


def test_it_lists_served_documents_on_the_worker_status_page(client, link):
    from cases.models import Case
    from core import query_codes

    case, _ = link
    code = query_codes.query_code_new()
    Case.objects.filter(pk=case.pk).update(query_code_hash=query_codes.query_code_hash(code))
    client.post("/status/", {"case_number": case.number, "query_code": code})

    page = client.get(f"/status/{case.number}/").content.decode()

    assert "开庭通知书" in page and "data-service-record" in page and "data-notice" in page
