"""The person who entered a subsidy application decides none of its steps."""

import pytest
from viewflow.workflow.models import Task

from tests.factories import staff
from tests.workflows.support import client_for, payload, submit
from tests.workflows.test_flow_http import decide, task_of
from workflows import errors
from workflows.flows import SubsidyFlow
from workflows.models import SubsidyApplication


@pytest.mark.parametrize("decision", ["approve", "return", "reject"])
def test_it_refuses_any_decision_at_the_township_review_to_whoever_entered_it(
    people, township_api, decision
):
    app = submit(township_api, payload())
    task = task_of(township_api, app["number"], "township_review")

    refused = decide(township_api, task["id"], decision, note="自己录入", status=403)

    assert refused["detail"] == errors.ENTERED_BY_YOU
    assert SubsidyApplication.objects.get(pk=app["id"]).state == "township_review"
    # a colleague of the same township decides it
    colleague = client_for(people["township_b"])
    assert decide(colleague, task["id"])["state"] == "county_review"


def test_it_refuses_a_later_step_to_a_county_reviewer_who_entered_it(people):
    entering = staff("county_clerk", "county_reviewer", townships=(), county_level=True)
    county = client_for(entering)
    app = submit(county, payload())
    township = client_for(people["township"])
    decide(township, task_of(township, app["number"])["id"])
    task = task_of(county, app["number"], "county_review")

    refused = decide(county, task["id"], status=403)

    assert refused["detail"] == errors.ENTERED_BY_YOU
    assert decide(client_for(people["county"]), task["id"])["state"] == "public_notice"


def test_it_refuses_whoever_corrected_and_resubmitted_it(people, entry_api):
    app = submit(entry_api, payload())
    township = client_for(people["township"])
    decide(township, task_of(township, app["number"])["id"], "return", note="请补充合同")
    response = township.post(
        f"/api/v1/subsidies/applications/{app['id']}/correction/",
        {**payload(), "note": "已补充"},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()

    refused = decide(township, task_of(township, app["number"])["id"], status=403)

    assert refused["detail"] == errors.ENTERED_BY_YOU


def test_it_tells_the_person_who_entered_it_on_the_task_page_and_offers_no_decision(
    people, township_api, client
):
    app = submit(township_api, payload())
    task = task_of(township_api, app["number"])
    client.force_login(people["township"])

    page = client.get(f"/subsidies/tasks/{task['id']}/").content.decode()
    posted = client.post(f"/subsidies/tasks/{task['id']}/", {"decision": "approve", "note": ""})

    assert errors.ENTERED_BY_YOU in page and 'value="approve"' not in page
    assert posted.status_code == 302
    assert SubsidyApplication.objects.get(pk=app["id"]).state == "township_review"
    assert task["entered_by_you"] and not task["may_approve"]


def test_the_flow_s_own_permissions_refuse_the_person_who_entered_it(people, township_api):
    app = submit(township_api, payload())
    task = Task.objects.get(
        process__subsidyprocess__application_id=app["id"], flow_task=SubsidyFlow.township_review
    )
    node = task.flow_task

    assert not node.can_assign(people["township"], task)
    assert not node.can_execute(people["township"], task)
    assert node.can_assign(people["township_b"], task)
