"""Transitions over HTTP: status codes, the list of what a user may do, token sign-in."""

import pytest
from rest_framework.test import APIClient

from cases import errors
from cases.models import CaseEvent
from tests.factories import file_case, staff


@pytest.fixture
def inspector(db):
    staff("insp_b", "inspector")
    return staff("insp_a", "inspector")


@pytest.fixture
def case(db):
    return file_case()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(case, name=""):
    base = f"/api/v1/cases/{case.number}/transitions/"
    return f"{base}{name}/" if name else base


def test_it_lists_the_transitions_the_user_may_run_now(inspector, case):
    response = client_for(inspector).get(url(case))

    assert response.status_code == 200
    names = {option["name"] for option in response.json()}
    assert names == {"accept", "request_supplement", "reject", "convert_track", "withdraw"}
    accept = next(o for o in response.json() if o["name"] == "accept")
    assert accept["target"] == "investigating"
    assert {f["name"] for f in accept["fields"]} == {"note", "inspectors"}


def test_it_runs_a_transition_and_returns_the_case(inspector, case):
    response = client_for(inspector).post(
        url(case, "accept"),
        {"inspectors": ["insp_a", "insp_b"], "note": "符合立案条件"},
        format="json",
    )

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "investigating"
    assert body["clock_stage"] == "investigation"
    assert body["events"][-1]["transition"] == "accept"
    assert body["claims"][0]["id_number"].count("*") == 11


def test_it_answers_409_from_the_wrong_state(inspector, case):
    response = client_for(inspector).post(
        url(case, "order_payment"), {"pay_by": "2030-01-01"}, format="json"
    )

    assert response.status_code == 409
    assert "调查中" not in response.json()["detail"]
    assert "已提交" in response.json()["detail"]


def test_it_answers_403_for_the_wrong_role(db, case):
    mediator = staff("med", "mediator")

    response = client_for(mediator).post(
        url(case, "accept"), {"inspectors": ["a", "b"]}, format="json"
    )

    assert response.status_code == 403


def test_it_answers_404_for_another_township(db, case):
    outsider = staff("insp_z", "inspector", townships=("zhaokang",))

    assert (
        client_for(outsider)
        .post(url(case, "reject"), {"reason_code": "other"}, format="json")
        .status_code
        == 404
    )
    assert client_for(outsider).get(f"/api/v1/cases/{case.number}/").status_code == 404


def test_it_answers_404_for_an_unknown_transition(inspector, case):
    response = client_for(inspector).post(url(case, "teleport"), {}, format="json")

    assert response.status_code == 404
    assert response.json()["detail"] == errors.UNKNOWN_TRANSITION


def test_it_answers_400_with_field_errors_and_changes_nothing(inspector, case):
    response = client_for(inspector).post(
        url(case, "reject"), {"reason_code": "because"}, format="json"
    )

    assert response.status_code == 400
    assert "reason_code" in response.json()["errors"]
    case.refresh_from_db()
    assert case.state == "submitted"
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_it_answers_409_when_the_case_changed_since_the_client_read_it(inspector, case):
    client = client_for(inspector)
    client.post(url(case, "request_supplement"), {"note": "缺欠条", "version": 0}, format="json")

    response = client.post(url(case, "receive_supplement"), {"version": 0}, format="json")

    assert response.status_code == 409
    assert response.json()["detail"] == errors.CHANGED_MEANWHILE


def test_it_needs_sign_in(case):
    response = APIClient().get("/api/v1/cases/")

    assert response.status_code == 401


def test_it_keeps_case_files_from_the_command_screen_role(db, case):
    screen = staff("screen", "screen", townships=(), county_level=True)

    assert client_for(screen).get("/api/v1/cases/").status_code == 403


def test_it_signs_in_with_a_token(inspector, case):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "insp_a", "password": "pw-for-tests-1"}, format="json"
    )
    token = response.json()["token"]

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get("/api/v1/cases/")

    assert listing.status_code == 200
    assert listing.json()["results"][0]["case_number"] == case.number


def test_it_filters_the_case_list(inspector, case):
    file_case(kind="labor_dispute", employer="另一家公司")
    file_case(township="zhaokang", employer="赵康的公司")
    client = client_for(inspector)

    def numbers(query):
        return [c["case_number"] for c in client.get(f"/api/v1/cases/?{query}").json()["results"]]

    assert len(numbers("")) == 2  # the zhaokang case is outside the inspector's township
    assert numbers("kind=wage_arrears") == [case.number]
    assert numbers("q=测试建筑") == [case.number]
    assert numbers("state=investigating") == []
    assert numbers("overdue=true") == []
    assert numbers("township=zhaokang") == []


def test_it_lets_county_level_staff_see_every_township(db, case):
    file_case(township="zhaokang", employer="赵康的公司")
    supervisor = staff("sup", "supervisor", townships=(), county_level=True)

    assert client_for(supervisor).get("/api/v1/cases/").json()["count"] == 2
