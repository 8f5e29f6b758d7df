"""The subsidy pages in the staff shell: inbox, entry form, task page, correction,
payment, detail with history."""

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from tests.workflows.support import id_number, payload, submit, uscc_for
from workflows.models import SubsidyApplication

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(**overrides):
    data = {
        "policy": "post",
        "applicant_kind": "enterprise",
        "applicant_name": "襄汾县鑫源商贸有限公司",
        "uscc": uscc_for(11),
        "size_class": "small",
        "id_number": "",
        "township": "xincheng",
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
        "requested_amount": "",
        "b-TOTAL_FORMS": "2",
        "b-INITIAL_FORMS": "0",
        "b-MIN_NUM_FORMS": "0",
        "b-MAX_NUM_FORMS": "1000",
        "b-0-name": "王建军",
        "b-0-id_number": id_number(31),
        "b-0-hire_date": "2024-12-01",
        "b-0-contract_months": "24",
        "b-0-hard_to_employ": "on",
        "b-0-insurance_months": "6",
        "b-0-insurance_paid": "4800",
        "b-1-name": "",
        "b-1-id_number": "",
    }
    data.update(overrides)
    return data


def test_it_shows_the_inbox_in_the_staff_shell(people, township_api, entry_api):
    submit(entry_api, payload())
    page = browser(people["township"]).get("/subsidies/")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'class="topbar"' in text and "补贴审批" in text
    assert "乡镇审核" in text and "办理" in text


def test_it_keeps_the_inbox_to_a_fixed_number_of_queries(
    people, township_api, django_assert_max_num_queries, entry_api
):
    for index in range(6):
        submit(entry_api, payload(uscc_index=40 + index, beneficiaries=[{**_row(index)}]))
    client = browser(people["township"])
    client.get("/subsidies/")
    with django_assert_max_num_queries(14):
        page = client.get("/subsidies/")
    assert page.content.decode().count("乡镇审核</span>") == 6


def _row(index):
    from tests.workflows.support import person

    return person(50 + index)


def test_it_turns_away_staff_without_a_subsidy_role(people):
    assert browser(people["inspector"]).get("/subsidies/").status_code == 403
    assert Client().get("/subsidies/").status_code == 302


def test_it_enters_an_application_with_beneficiary_rows(people):
    client = browser(people["township"])
    assert "增加一行" in client.get("/subsidies/new/").content.decode()
    response = client.post("/subsidies/new/", form_data())
    assert response.status_code == 302
    application = SubsidyApplication.objects.get()
    assert application.computed_amount == 1800  # January to June, 300 a month
    detail = client.get(response.url).content.decode()
    assert "逐条审查" in detail and "300元/月 × 6个月 = 1,800元" in detail


def test_it_shows_why_an_entered_application_is_refused(people):
    client = browser(people["township"])
    response = client.post("/subsidies/new/", form_data(size_class="large"), follow=True)
    text = response.content.decode()
    assert "不予补贴" in text and "须为微型、小型企业" in text


def test_it_shows_input_errors_in_place(people):
    client = browser(people["township"])
    response = client.post("/subsidies/new/", form_data(**{"b-0-id_number": "123"}))
    assert response.status_code == 200
    assert "身份证号码无效" in response.content.decode()
    assert SubsidyApplication.objects.count() == 0


def test_it_decides_on_the_task_page_and_corrects_a_returned_application(
    people, township_api, entry_api
):
    app = submit(entry_api, payload())
    client = browser(people["township"])
    task_id = township_api.get("/api/v1/tasks/").json()[0]["id"]
    page = client.get(f"/subsidies/tasks/{task_id}/").content.decode()
    assert "逐条审查" in page and "退回补正" in page and "不予补贴" in page
    client.post(f"/subsidies/tasks/{task_id}/", {"decision": "return", "note": "补充合同"})
    assert SubsidyApplication.objects.get(pk=app["id"]).state == "returned"
    correction = township_api.get("/api/v1/tasks/").json()[0]
    # the colleague who entered it corrects it (whoever corrects it decides no step)
    clerk = browser(people["clerk"])
    form = clerk.get(f"/subsidies/tasks/{correction['id']}/").content.decode()
    assert "补充合同" in form and "补正后重新提交" in form
    # the stored dates come back in the form (type=date needs YYYY-MM-DD)
    assert 'value="2025-01-01"' in form and 'value="2025-12-31"' in form
    data = form_data(
        applicant_name="襄汾县测试商贸有限公司",
        uscc=uscc_for(1),
        period_end="2025-12-31",
        note="已补充",
        **{"b-0-id_number": id_number(1)},
    )
    response = clerk.post(f"/subsidies/tasks/{correction['id']}/", data)
    assert response.status_code == 302
    application = SubsidyApplication.objects.get(pk=app["id"])
    assert application.state == "township_review"
    new_task = township_api.get("/api/v1/tasks/").json()[0]["id"]
    client.post(f"/subsidies/tasks/{new_task}/", {"decision": "approve", "note": ""})
    assert SubsidyApplication.objects.get(pk=app["id"]).state == "county_review"
    history = client.get(f"/subsidies/applications/{app['id']}/").content.decode()
    for label in ["提交申请", "退回补正", "补正后重新提交", "同意"]:
        assert label in history


def test_it_records_the_payment_on_finance_s_page(people, township_api, entry_api):
    from tests.workflows.support import client_for

    app = submit(entry_api, payload())
    for name in ("township", "county"):
        api = client_for(people[name])
        task = api.get("/api/v1/tasks/").json()[0]
        api.post(f"/api/v1/tasks/{task['id']}/decision/", {"decision": "approve"}, format="json")
    ends = SubsidyApplication.objects.get(pk=app["id"]).notice_ends_on
    later = timezone.make_aware(dt.datetime.combine(ends + dt.timedelta(days=1), dt.time(9)))
    with mock.patch("django.utils.timezone.now", return_value=later):
        supervisor = browser(people["supervisor"])
        inbox = supervisor.get("/subsidies/").content.decode()
    assert "主管领导审批" in inbox
    task = client_for(people["supervisor"]).get("/api/v1/tasks/").json()[0]
    supervisor.post(f"/subsidies/tasks/{task['id']}/", {"decision": "approve"})
    finance = browser(people["finance"])
    pay_task = client_for(people["finance"]).get("/api/v1/tasks/").json()[0]
    page = finance.get(f"/subsidies/tasks/{pay_task['id']}/").content.decode()
    assert "登记拨付" in page
    finance.post(
        f"/subsidies/tasks/{pay_task['id']}/",
        {
            "paid_amount": "3600.00",
            "paid_on": timezone.localdate().isoformat(),
            "payment_reference": "襄财拨〔2026〕7号",
        },
    )
    application = SubsidyApplication.objects.get(pk=app["id"])
    assert (application.state, application.payment_reference) == ("paid", "襄财拨〔2026〕7号")


def test_it_shows_the_policy_table(people):
    page = browser(people["county"]).get("/subsidies/policies/").content.decode()
    assert "岗位补贴" in page and "[CONFIG]" in page and "2028-01-10" in page


def test_only_the_township_s_reviewers_get_the_correction_form_with_full_id_numbers(
    people, township_api, entry_api
):
    app = submit(entry_api, payload())
    task_id = township_api.get("/api/v1/tasks/").json()[0]["id"]
    township_api.post(
        f"/api/v1/tasks/{task_id}/decision/", {"decision": "return", "note": "补充"}, format="json"
    )
    correction = township_api.get("/api/v1/tasks/").json()[0]["id"]
    full = id_number(1)

    form = browser(people["township_b"]).get(f"/subsidies/tasks/{correction}/")
    assert form.status_code == 200 and full in form.content.decode()
    for name in ("county", "supervisor", "finance"):
        viewer = browser(people[name])
        response = viewer.get(f"/subsidies/tasks/{correction}/")
        assert response.status_code == 302, name
        assert response["Location"] == f"/subsidies/applications/{app['id']}/"
        page = viewer.get(response["Location"]).content.decode()
        assert full not in page and full[:3] + "*" * 11 + full[-4:] in page
        assert "只能查看" in page
        posted = viewer.post(f"/subsidies/tasks/{correction}/", {"policy": "post"})
        assert posted.status_code == 302 and full not in posted.content.decode()
    assert SubsidyApplication.objects.get(pk=app["id"]).state == "returned"
