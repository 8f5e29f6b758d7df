"""A subsidy applicant who gave a phone is told of each step, once."""

import pytest

from notifications import notices
from notifications.models import Notice
from tests.workflows.support import client_for, payload, submit
from tests.workflows.test_flow_http import decide, task_of, through_county

pytestmark = pytest.mark.django_db


def test_it_tells_the_applicant_the_application_is_in_notice(
    people, entry_api, django_capture_on_commit_callbacks
):
    body = payload()
    body["applicant"]["phone"] = "13700001111"
    number = submit(entry_api, body)["number"]

    with django_capture_on_commit_callbacks(execute=True):
        through_county(people, number)
    notices.notices_sweep()

    sent = Notice.objects.get(event="subsidy_in_notice")
    assert number in sent.text and sent.status == "recorded" and sent.phone == "13700001111"
    assert Notice.objects.filter(event="subsidy_in_notice").count() == 1


def test_it_tells_the_applicant_why_it_was_returned(
    people, entry_api, township_api, django_capture_on_commit_callbacks
):
    body = payload()
    body["applicant"]["phone"] = "13700001111"
    number = submit(entry_api, body)["number"]

    with django_capture_on_commit_callbacks(execute=True):
        decide(township_api, task_of(township_api, number)["id"], "return", note="缺少劳动合同")

    assert "缺少劳动合同" in Notice.objects.get(event="subsidy_returned").text


def test_it_texts_nobody_without_a_phone(people, entry_api, django_capture_on_commit_callbacks):
    number = submit(entry_api, payload())["number"]

    with django_capture_on_commit_callbacks(execute=True):
        through_county(people, number)

    assert not Notice.objects.exists()
    assert client_for(people["county"])  # the flow went on regardless
