"""The public notice is public; an objection stops its clock until the county
reviewer records the outcome."""

from unittest import mock

import pytest
from django.test import Client

from cases import errors
from tests.workflows.support import payload, submit
from tests.workflows.test_flow_http import after_notice, through_county
from workflows import public_notice, services
from workflows.models import SubsidyApplication

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_notice(people, entry_api):
    number = submit(entry_api, payload())["number"]
    through_county(people, number)
    return number


def test_it_lists_applications_in_notice_without_sign_in(in_notice):
    page = Client().get("/gongshi/").content.decode()

    assert in_notice in page
    application = SubsidyApplication.objects.get(number=in_notice)
    beneficiary = application.beneficiaries.first()
    assert beneficiary.id_number not in page  # masked
    assert str(application.computed_amount) in page


def test_an_objection_stops_the_clock(in_notice):
    Client().post(
        f"/gongshi/{in_notice}/objection/",
        {"name": "李四", "contact": "13900000000", "text": "该企业实际未招用此人"},
    )

    with mock.patch("django.utils.timezone.now", return_value=after_notice(in_notice)):
        services.notices_close_due()

    assert SubsidyApplication.objects.get(number=in_notice).state == "public_notice"
    assert "有异议，公示暂停" in Client().get("/gongshi/").content.decode()


def test_it_refuses_an_objection_without_a_contact(in_notice):
    with pytest.raises(errors.InvalidInput) as refused:
        public_notice.objection_lodge(number=in_notice, name="", contact="", text="不实")

    assert refused.value.message == public_notice.OBJECTION_CONTACT_REQUIRED


def test_a_dismissed_objection_lets_the_notice_end_later(people, in_notice):
    objection = public_notice.objection_lodge(
        number=in_notice, name="", contact="13900000000", text="不实"
    )
    with pytest.raises(errors.Forbidden):
        public_notice.objection_decide(
            objection_id=objection.pk, actor=people["township"], outcome="dismissed", note="x"
        )

    public_notice.objection_decide(
        objection_id=objection.pk, actor=people["county"], outcome="dismissed", note="经核实属实"
    )
    with mock.patch("django.utils.timezone.now", return_value=after_notice(in_notice)):
        services.notices_close_due()

    assert SubsidyApplication.objects.get(number=in_notice).state == "supervisor_approval"


def test_an_upheld_objection_refuses_the_application(people, in_notice):
    objection = public_notice.objection_lodge(
        number=in_notice, name="", contact="13900000000", text="冒名"
    )

    public_notice.objection_decide(
        objection_id=objection.pk, actor=people["county"], outcome="upheld", note="冒用他人身份"
    )

    application = SubsidyApplication.objects.get(number=in_notice)
    assert application.state == "rejected" and "冒用他人身份" in application.rejection_reason
    assert in_notice not in Client().get("/gongshi/").content.decode()


def test_the_county_reviewer_sees_pending_objections(people, in_notice):
    public_notice.objection_lodge(number=in_notice, name="", contact="13900000000", text="不实")
    client = Client()
    client.force_login(people["county"])

    page = client.get("/subsidies/objections/").content.decode()

    assert in_notice in page and "异议不成立" in page
