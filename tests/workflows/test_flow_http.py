"""The approval flow driven over HTTP: every step, return and reject, who may act."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from rules.calendar import WorkingCalendar, add_period
from tests.workflows.support import client_for, payload, person, submit
from workflows import errors
from workflows.models import ApplicationEvent, SubsidyApplication

pytestmark = pytest.mark.django_db


def task_of(client, number, step=None):
    response = client.get("/api/v1/tasks/")
    if response.status_code != 200:
        return None
    for task in response.json():
        if task["application"]["number"] == number and (step is None or task["step"] == step):
            return task
    return None


def decide(client, task_id, decision="approve", note="", status=200, **extra):
    response = client.post(
        f"/api/v1/tasks/{task_id}/decision/",
        {"decision": decision, "note": note, **extra},
        format="json",
    )
    assert response.status_code == status, response.content.decode()
    return response.json()


def after_notice(application_number):
    """A moment just after the public notice of this application ends."""
    ends = SubsidyApplication.objects.get(number=application_number).notice_ends_on
    return timezone.make_aware(dt.datetime.combine(ends + dt.timedelta(days=1), dt.time(0, 5)))


def through_county(people, number):
    township, county = client_for(people["township"]), client_for(people["county"])
    decide(township, task_of(township, number)["id"])
    return decide(county, task_of(county, number)["id"])


def test_it_takes_an_application_through_every_step(people, township_api, entry_api):
    app = submit(entry_api, payload())
    number = app["number"]
    county, supervisor, finance = (
        client_for(people[k]) for k in ("county", "supervisor", "finance")
    )

    assert task_of(county, number) is None  # not yet the county's turn
    township_task = task_of(township_api, number, "township_review")
    after_township = decide(township_api, township_task["id"], note="材料齐全")
    assert after_township["state"] == "county_review"

    after_county = decide(county, task_of(county, number, "county_review")["id"])
    assert after_county["state"] == "public_notice"
    started = dt.date.fromisoformat(after_county["notice_started_on"])
    expected_end = add_period(started, 5, "working", WorkingCalendar())
    assert after_county["notice_ends_on"] == expected_end.isoformat()

    # during the notice nothing waits for the supervisor
    assert task_of(supervisor, number) is None
    with mock.patch("django.utils.timezone.now", return_value=after_notice(number)):
        waiting = task_of(supervisor, number, "supervisor_approval")
    assert waiting is not None
    assert SubsidyApplication.objects.get(number=number).state == "supervisor_approval"

    approved = decide(supervisor, waiting["id"])
    assert approved["state"] == "awaiting_payment"
    paid = decide(
        finance,
        task_of(finance, number, "payment")["id"],
        payment_reference="襄财拨〔2026〕15号",
        paid_on=timezone.localdate().isoformat(),
    )
    assert paid["state"] == "paid"
    assert (paid["paid_amount"], paid["payment_reference"]) == ("3600.00", "襄财拨〔2026〕15号")
    actions = [(e["step"], e["action"]) for e in paid["events"]]
    assert [e["to_state"] for e in paid["events"]][-2:] == ["awaiting_payment", "paid"]
    assert actions == [
        ("submit", "submit"),
        ("township_review", "approve"),
        ("county_review", "approve"),
        ("public_notice", "notice_start"),
        ("public_notice", "notice_end"),
        ("supervisor_approval", "approve"),
        ("payment", "pay"),
    ]
    assert (
        client_for(people["township"])
        .get(f"/api/v1/subsidies/applications/{app['id']}/")
        .json()["state"]
        == "paid"
    )


def test_it_does_not_end_the_notice_before_its_last_working_day(people, township_api, entry_api):
    app = submit(entry_api, payload())
    through_county(people, app["number"])
    ends = SubsidyApplication.objects.get(number=app["number"]).notice_ends_on
    last_day = timezone.make_aware(dt.datetime.combine(ends, dt.time(23, 0)))
    supervisor = client_for(people["supervisor"])
    with mock.patch("django.utils.timezone.now", return_value=last_day):
        assert task_of(supervisor, app["number"]) is None
    assert SubsidyApplication.objects.get(number=app["number"]).state == "public_notice"


@pytest.mark.parametrize("step", ["township_review", "county_review", "supervisor_approval"])
def test_it_returns_for_correction_and_comes_back_to_the_same_step(
    people, township_api, step, entry_api
):
    app = submit(entry_api, payload(beneficiaries=[person(1, contract_months=6)] + [person(2)]))
    number = app["number"]
    actor = _reach(people, number, step)
    returned = decide(actor, task_of(actor, number, step)["id"], "return", note="请补充劳动合同")
    assert (returned["state"], returned["return_note"]) == ("returned", "请补充劳动合同")
    # the township staff correct it; it is evaluated again and goes back to the same step
    correction = task_of(township_api, number, "correction")
    assert correction is not None
    fixed = payload(beneficiaries=[person(1, contract_months=12), person(2)])
    response = township_api.post(
        f"/api/v1/subsidies/applications/{app['id']}/correction/",
        {**fixed, "note": "已补充合同"},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["computed_amount"] == "7200.00"
    assert body["current_step"]["step"] == step
    assert task_of(actor, number, step) is not None


def test_it_rejects_with_a_reason_at_every_review_step(people, township_api, entry_api):
    for step in ["township_review", "county_review", "supervisor_approval"]:
        app = submit(
            entry_api, payload(uscc_index=hash(step) % 1000, beneficiaries=[person(len(step))])
        )
        actor = _reach(people, app["number"], step)
        task = task_of(actor, app["number"], step)
        decide(actor, task["id"], "reject", note="", status=400)
        rejected = decide(actor, task["id"], "reject", note="虚报用工人数")
        assert rejected["state"] == "rejected"
        assert "虚报用工人数" in rejected["rejection_reason"]
        assert rejected["current_step"] is None


def _reach(people, number, step):
    """Approve the steps before `step`; return the client who acts at `step`."""
    township = client_for(people["township"])
    if step == "township_review":
        return township
    decide(township, task_of(township, number)["id"])
    county = client_for(people["county"])
    if step == "county_review":
        return county
    decide(county, task_of(county, number)["id"])
    supervisor = client_for(people["supervisor"])
    with mock.patch("django.utils.timezone.now", return_value=after_notice(number)):
        task_of(supervisor, number)
    return supervisor


# --- who may act ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "intruders"),
    [
        ("township_review", ["other_township", "county", "supervisor", "finance", "inspector"]),
        ("county_review", ["township", "supervisor", "finance", "other_township"]),
        ("supervisor_approval", ["township", "county", "finance"]),
    ],
)
def test_it_lets_only_the_role_and_township_of_a_step_act(
    people, township_api, step, intruders, entry_api
):
    app = submit(entry_api, payload())
    actor = _reach(people, app["number"], step)
    task_id = task_of(actor, app["number"], step)["id"]
    for name in intruders:
        response = client_for(people[name]).post(
            f"/api/v1/tasks/{task_id}/decision/", {"decision": "approve"}, format="json"
        )
        assert response.status_code in (403, 404), (name, response.status_code)
        assert task_of(client_for(people[name]), app["number"], step) is None or name == "township"
    assert SubsidyApplication.objects.get(number=app["number"]).state == step


def test_it_lets_only_finance_record_the_payment(people, township_api, entry_api):
    app = submit(entry_api, payload())
    supervisor = _reach(people, app["number"], "supervisor_approval")
    decide(supervisor, task_of(supervisor, app["number"])["id"])
    finance_task = task_of(client_for(people["finance"]), app["number"], "payment")
    decide(supervisor, finance_task["id"], status=403)
    decide(client_for(people["finance"]), finance_task["id"], "reject", note="x", status=400)


def test_it_hides_applications_of_other_townships(people, township_api, entry_api):
    app = submit(entry_api, payload())
    other = client_for(people["other_township"])
    assert other.get(f"/api/v1/subsidies/applications/{app['id']}/").status_code == 404
    assert other.get("/api/v1/subsidies/applications/").json()["count"] == 0
    assert client_for(people["inspector"]).get("/api/v1/tasks/").status_code == 403


def test_it_lets_township_staff_enter_applications_only_for_their_township(people):
    other = client_for(people["other_township"])
    response = other.post("/api/v1/subsidies/applications/", payload(), format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == errors.SUBMIT_FORBIDDEN
    supervisor = client_for(people["supervisor"])
    assert (
        supervisor.post("/api/v1/subsidies/applications/", payload(), format="json").status_code
        == 403
    )


def test_it_never_lets_one_person_approve_two_steps(people, township_api, entry_api):
    # one user who is both township reviewer and county reviewer
    from django.contrib.auth.models import Group

    both = people["township"]
    both.groups.add(Group.objects.get(name="county_reviewer"))
    app = submit(entry_api, payload())
    decide(township_api, task_of(township_api, app["number"], "township_review")["id"])
    county_task = task_of(township_api, app["number"], "county_review")
    assert county_task["may_approve"] is False
    refused = decide(township_api, county_task["id"], status=403)
    assert refused["detail"] == errors.SAME_PERSON.format(step="乡镇审核")
    # another county reviewer may approve it
    decide(client_for(people["county"]), county_task["id"])
    assert (
        ApplicationEvent.objects.filter(application__number=app["number"], action="approve").count()
        == 2
    )


def test_it_answers_409_when_the_task_was_already_decided(people, township_api, entry_api):
    app = submit(entry_api, payload())
    task = task_of(township_api, app["number"])
    decide(township_api, task["id"])
    again = decide(client_for(people["township_b"]), task["id"], status=409)
    assert "township1" in again["detail"]  # no full name: the username


def test_it_refuses_approval_once_the_employer_is_blacklisted(people, township_api, entry_api):
    from tests.workflows.support import employer

    registered = employer(5)
    app = submit(entry_api, payload(uscc_index=5))
    registered.blacklisted_until = dt.date(2099, 1, 1)
    registered.save()
    refused = decide(township_api, task_of(township_api, app["number"])["id"], status=409)
    assert "黑名单" in refused["detail"]


def test_it_stores_an_application_no_rule_allows_as_rejected_without_a_task(
    people, township_api, entry_api
):
    app = submit(entry_api, payload(size="large"))
    assert app["state"] == "rejected"
    assert "须为微型、小型企业" in app["rejection_reason"]
    assert app["current_step"] is None
    assert [e["action"] for e in app["events"]] == ["submit", "auto_reject"]


def test_it_answers_bad_input_with_400_and_field_errors(township_api):
    body = payload(start="2025-06-01", end="2025-01-01")
    response = township_api.post("/api/v1/subsidies/applications/", body, format="json")
    assert response.status_code == 400
    assert "period_end" in response.json()["errors"]
    body = payload(beneficiaries=[person(1, id_number="123")])
    assert (
        township_api.post("/api/v1/subsidies/applications/", body, format="json").status_code == 400
    )
    assert (
        township_api.post(
            "/api/v1/tasks/999999/decision/", {"decision": "approve"}, format="json"
        ).status_code
        == 404
    )
    assert (
        township_api.post(
            "/api/v1/tasks/1/decision/", {"decision": "maybe"}, format="json"
        ).status_code
        == 400
    )


def test_it_answers_unknown_list_filters_with_400_not_a_query(people, township_api, entry_api):
    submit(entry_api, payload())
    for params in ({"state": "township_review,nonsense"}, {"policy": "x"}):
        response = township_api.get("/api/v1/subsidies/applications/", params)
        assert response.status_code == 400, params
        assert list(response.json()["errors"]) == list(params)
    # A NUL byte never reaches the view (config.middleware): 400 with its own message.
    nul = township_api.get("/api/v1/subsidies/applications/", {"state": "a\x00b"})
    assert nul.status_code == 400 and "NUL" in nul.json()["detail"]
    both = township_api.get(
        "/api/v1/subsidies/applications/", {"state": "township_review,paid", "policy": "post"}
    )
    assert both.json()["count"] == 1
    from django.test import Client

    page = Client()
    page.force_login(people["township"])
    assert page.get("/subsidies/applications/", {"state": "nonsense"}).status_code == 200
