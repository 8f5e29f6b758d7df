"""Notice texts are data: every step has one, and a template naming a variable its
step does not offer is refused when saved."""

import pytest
from django.core.exceptions import ValidationError

from notifications import notices
from notifications.models import NoticeTemplate


def test_it_ships_a_template_for_every_step_and_recipient(db):
    shipped = set(NoticeTemplate.objects.values_list("event", "recipient"))

    wanted = {(e, r) for e, kinds in notices.RECIPIENTS.items() for r in kinds}
    assert wanted <= shipped
    for template in NoticeTemplate.objects.all():
        assert notices.template_problems(template.event, template.recipient, template.text) == []


def test_it_refuses_an_unknown_variable(db):
    template = NoticeTemplate.objects.get(event="accepted", recipient="worker")
    template.text = "{name}您好，您的案件{case_numbr}已受理。"

    with pytest.raises(ValidationError) as refused:
        template.full_clean()

    assert "变量{case_numbr}不能用于“受理”" in str(refused.value)


def test_it_refuses_attribute_access_and_broken_braces(db):
    assert notices.template_problems("accepted", "worker", "{name.__class__}")
    assert notices.template_problems("accepted", "worker", "{name")


def test_it_refuses_a_recipient_the_step_does_not_address(db):
    problems = notices.template_problems("case_closed", "employer", "{case_number}")

    assert problems == [
        notices.TEMPLATE_WRONG_RECIPIENT.format(recipient="用人单位联系人（被申请人）")
    ]


def test_it_saves_an_edit_through_the_admin(admin_client, db):
    template = NoticeTemplate.objects.get(event="award", recipient="worker")
    url = f"/admin/notifications/noticetemplate/{template.pk}/change/"
    data = {
        "event": "award",
        "recipient": "worker",
        "text": "{name}：{case_number}已裁决 {link}",
        "active": "on",
    }

    assert admin_client.post(url, data).status_code == 302
    refused = admin_client.post(url, {**data, "text": "{secret}"})
    assert refused.status_code == 200 and "不能用于" in refused.content.decode()
