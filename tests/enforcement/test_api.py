"""The API's status codes: 201 on a proposal, 409 when the criteria are missing, 403 for
the wrong role and for the proposer deciding, 400 for bad input, 404 for nothing there,
401/403 without a case role."""

import datetime as dt

import pytest

from enforcement import errors
from tests.enforcement.support import AFTER, RESPONSIBLE, api, ordered_case, proposed
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def after_the_order(monkeypatch):
    from enforcement import services

    monkeypatch.setattr(services, "_today", lambda: AFTER)


def test_propose_decide_notify_through_the_api(people, after_the_order):
    case = ordered_case(people)
    inspector = api(people["inspector"])
    created = inspector.post(
        "/api/v1/blacklist/", {"case_number": case.number, "reasons": "逾期拒不支付"}, format="json"
    )
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["state"] == "proposed" and entry["events"][0]["action"] == "propose"
    url = f"/api/v1/blacklist/{entry['id']}/"

    own = inspector.post(url + "decide/", {"approve": True}, format="json")
    assert own.status_code == 403  # an inspector does not decide

    supervisor = api(people["supervisor"])
    missing = supervisor.post(url + "decide/", {"approve": True}, format="json")
    assert missing.status_code == 400
    assert missing.json()["detail"] == errors.PERSONS_REQUIRED
    body = {"approve": True, "note": "同意", "responsible_persons": [RESPONSIBLE]}
    decided = supervisor.post(url + "decide/", body, format="json")
    assert decided.status_code == 200
    listed = decided.json()
    assert listed["state"] == "listed" and listed["listed_until"] == "2029-03-31"
    assert listed["responsible_persons"][0]["id_number_masked"] != RESPONSIBLE["id_number"]
    assert RESPONSIBLE["id_number"] not in decided.content.decode()

    again = supervisor.post(url + "decide/", body, format="json")
    assert again.status_code == 409
    notified = inspector.post(url + "notify/", {"how": "written"}, format="json")
    assert notified.status_code == 200 and notified.json()["notified_how"] == "written"
    bad_way = inspector.post(url + "notify/", {"how": "fax"}, format="json")
    assert bad_way.status_code == 400


def test_criteria_missing_is_a_409_that_says_what_is_missing(people):
    case = ordered_case(people)  # its order runs to 2026-03-22
    client = api(people["inspector"])
    from enforcement import services

    original = services._today
    services._today = lambda: dt.date(2026, 3, 10)
    try:
        response = client.post(
            "/api/v1/blacklist/", {"case_number": case.number, "reasons": "x"}, format="json"
        )
    finally:
        services._today = original
    assert response.status_code == 409
    assert response.json()["detail"].startswith(errors.CRITERIA_NOT_MET)
    assert response.json()["errors"]["criteria"]


def test_the_proposer_deciding_is_a_403_and_unknown_ids_a_404(people):
    from tests.enforcement.support import also_in

    entry = proposed(people)
    also_in(people["inspector"], "supervisor")
    response = api(people["inspector"]).post(
        f"/api/v1/blacklist/{entry.pk}/decide/",
        {"approve": True, "responsible_persons": [RESPONSIBLE]},
        format="json",
    )
    assert response.status_code == 403 and response.json()["detail"] == errors.FOUR_EYES
    assert api(people["supervisor"]).get("/api/v1/blacklist/99999/").status_code == 404
    assert api(people["supervisor"]).get("/api/v1/publications/99999/").status_code == 404


def test_the_list_filters_and_needs_a_case_role(people):
    proposed(people)
    client = api(people["supervisor"])
    assert client.get("/api/v1/blacklist/?state=proposed").json()["count"] == 1
    assert client.get("/api/v1/blacklist/?state=listed").json()["count"] == 0
    assert client.get("/api/v1/blacklist/?q=失信测试").json()["count"] == 1
    finance = api(staff("fin", "finance", townships=(), county_level=True))
    assert finance.get("/api/v1/blacklist/").status_code == 403
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/blacklist/").status_code in (401, 403)


def test_publications_draft_and_approve(people):
    inspector, supervisor = api(people["inspector"]), api(people["supervisor"])
    drafted = inspector.post("/api/v1/publications/", {"year": 2026, "quarter": 1}, format="json")
    assert drafted.status_code == 201
    publication = drafted.json()
    assert publication["state"] == "draft"
    bad = inspector.post("/api/v1/publications/", {"year": 2026, "quarter": 9}, format="json")
    assert bad.status_code == 400
    url = f"/api/v1/publications/{publication['id']}/approve/"
    assert inspector.post(url).status_code == 403
    approved = supervisor.post(url)
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert supervisor.post(url).status_code == 409


def test_the_schema_documents_the_endpoints(people):
    schema = api(people["supervisor"]).get("/api/schema/").content.decode()
    for path in (
        "/api/v1/blacklist/",
        "/api/v1/blacklist/{entry_id}/decide/",
        "/api/v1/publications/",
    ):
        assert path in schema
