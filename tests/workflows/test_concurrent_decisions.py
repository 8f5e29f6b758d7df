"""Two approvers acting on one task at once (PostgreSQL row lock): one wins, the other is
told clearly that someone else decided first (409)."""

import threading

import pytest
from django.db import connection

from tests.factories import staff
from tests.workflows.support import client_for, payload, submit
from workflows.models import ApplicationEvent, SubsidyApplication

ATTEMPTS = 6


@pytest.fixture(autouse=True)
def committed_reference_data(transactional_db, reference_data):
    """Transactional tests start from empty tables: load the migrations' data again."""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_several_simultaneous_approvals_win():
    approvers = [staff(f"township{i}", "township_reviewer") for i in range(ATTEMPTS)]
    # Entered by a colleague outside the race: the one who enters an application decides
    # none of it, so an approver who had entered it would get a 403, not a 409.
    app = submit(client_for(staff("township_clerk", "township_reviewer")), payload())
    task_id = client_for(approvers[0]).get("/api/v1/tasks/").json()[0]["id"]
    start = threading.Barrier(ATTEMPTS)
    outcomes = []

    def attempt(user):
        try:
            client = client_for(user)
            start.wait()
            response = client.post(
                f"/api/v1/tasks/{task_id}/decision/", {"decision": "approve"}, format="json"
            )
            outcomes.append((response.status_code, response.json().get("detail", "")))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in approvers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(code for code, _ in outcomes)
    assert codes == [200] + [409] * (ATTEMPTS - 1), outcomes
    for code, detail in outcomes:
        if code == 409:
            assert "已由" in detail or "正在由他人办理" in detail, detail
    application = SubsidyApplication.objects.get(number=app["number"])
    assert application.state == "county_review"
    assert ApplicationEvent.objects.filter(application=application, action="approve").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_lets_approve_and_reject_race_without_doing_both():
    first, second = (
        staff("township_a", "township_reviewer"),
        staff("township_b", "township_reviewer"),
    )
    # Entered by a third colleague: whoever enters an application decides none of it.
    app = submit(client_for(staff("township_clerk", "township_reviewer")), payload())
    task_id = client_for(first).get("/api/v1/tasks/").json()[0]["id"]
    start = threading.Barrier(2)
    outcomes = {}

    def attempt(user, decision):
        try:
            client = client_for(user)
            start.wait()
            response = client.post(
                f"/api/v1/tasks/{task_id}/decision/",
                {"decision": decision, "note": "材料不实"},
                format="json",
            )
            outcomes[decision] = response.status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=attempt, args=(first, "approve")),
        threading.Thread(target=attempt, args=(second, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes.values()) == [200, 409]
    state = SubsidyApplication.objects.get(number=app["number"]).state
    winner = "approve" if outcomes["approve"] == 200 else "reject"
    assert state == {"approve": "county_review", "reject": "rejected"}[winner]
