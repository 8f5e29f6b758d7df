"""An applicant follows an application with its number and query code; nobody else can.

The flow is driven over HTTP by the staff (as in test_flow_http.py); after every step
the applicant's page (/subsidies/status/) and API (/api/v1/subsidies/status/{number}/)
are read as an anonymous client.
"""

import datetime as dt
import importlib
import re
import types
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from config.middleware import NUL_REFUSED
from core import query_codes
from core.throttling import PublicRateThrottle
from tests.workflows.support import client_for, id_number, payload, person, submit
from tests.workflows.test_flow_http import after_notice, decide, task_of
from workflows import errors
from workflows.models import SubsidyApplication

pytestmark = pytest.mark.django_db

STAFF_NAMES = ("李乡审", "王县审", "赵主管", "钱财务")


@pytest.fixture
def named_people(people):
    """The staff get real names, so a leak of any of them would show."""
    for key, name in zip(("township", "county", "supervisor", "finance"), STAFF_NAMES, strict=True):
        user = people[key]
        user.first_name = name
        user.save(update_fields=["first_name"])
    return people


def lookup(client, number, code):
    return client.post("/subsidies/status/", {"number": number, "query_code": code})


def page_of(number, code) -> str:
    """What an applicant's browser shows, from a fresh session."""
    browser = Client()
    response = lookup(browser, number, code)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"/subsidies/status/{number}/"
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    return page.content.decode()


def api_of(number, code, status=200) -> dict:
    response = APIClient().get(f"/api/v1/subsidies/status/{number}/", {"query_code": code})
    assert response.status_code == status, response.content.decode()
    if status == 200:
        assert "no-store" in response["Cache-Control"]
    return response.json()


def seen(app) -> tuple[str, dict]:
    """The page and the API answer, after checking that no staff name or username and
    no full ID number appears in either."""
    page, body = page_of(app["number"], app["query_code"]), api_of(app["number"], app["query_code"])
    raw = str(body)
    for name in (*STAFF_NAMES, "township1", "finance"):
        assert name not in page and name not in raw, name
    stored = SubsidyApplication.objects.get(number=app["number"])
    for beneficiary in stored.beneficiaries.all():
        assert beneficiary.id_number not in page and beneficiary.id_number not in raw
    return page, body


def progress(body) -> list[str]:
    return [p["status"] for p in body["progress"]]


def test_the_applicant_sees_every_step_of_the_flow(named_people, township_api, entry_api):
    people = named_people
    app = submit(entry_api, payload(beneficiaries=[person(1), person(2)]))
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", app["query_code"])
    number = app["number"]

    page, body = seen(app)
    assert body["state"] == "township_review" and "乡镇审核中" in page
    assert "新城镇正在审核您的申请" in page
    assert progress(body) == ["done", "current", "pending", "pending", "pending", "pending"]
    assert body["computed_amount"] == "7200.00" and "7200.00 元" in page
    assert [b["eligible"] for b in body["beneficiaries"]] == [True, True]

    decide(township_api, task_of(township_api, number)["id"], note="内部备注：材料已核")
    page, body = seen(app)
    assert body["state"] == "county_review" and "县人社局正在审核" in page
    assert "内部备注" not in page and "内部备注" not in str(body)  # reviewers' notes stay inside
    assert body["history"][-1]["text"] == "乡镇审核：同意"

    county = client_for(people["county"])
    decide(county, task_of(county, number)["id"])
    ends = SubsidyApplication.objects.get(number=number).notice_ends_on
    page, body = seen(app)
    assert body["state"] == "public_notice"
    assert f"正在公示，公示至{ends.isoformat()}止" in page
    assert body["notice_ends_on"] == ends.isoformat()
    assert progress(body) == ["done", "done", "done", "current", "pending", "pending"]

    supervisor = client_for(people["supervisor"])
    with mock.patch("django.utils.timezone.now", return_value=after_notice(number)):
        task = task_of(supervisor, number)  # the inbox ends the notice
    page, body = seen(app)
    assert body["state"] == "supervisor_approval" and "等待主管领导审批" in page
    assert "公示期满" in page

    decide(supervisor, task["id"])
    page, body = seen(app)
    assert body["state"] == "awaiting_payment" and "等待财务拨付，核定金额7,200元" in page

    finance = client_for(people["finance"])
    paid_on = timezone.localdate()
    decide(
        finance,
        task_of(finance, number)["id"],
        payment_reference="襄财拨〔2026〕9号",
        paid_on=paid_on.isoformat(),
    )
    page, body = seen(app)
    assert body["state"] == "paid"
    assert f"补贴已于{paid_on.isoformat()}拨付，金额7,200元" in page
    assert (body["paid_amount"], body["paid_on"]) == ("7200.00", paid_on.isoformat())
    assert progress(body) == ["done"] * 6
    assert [h["text"] for h in body["history"]] == [
        "提交申请",
        "乡镇审核：同意",
        "县人社局审核：同意",
        "公示：公示开始",
        "公示：公示期满",
        "主管领导审批：同意",
        "财务拨付：登记拨付",
    ]
    assert all(dt.datetime.fromisoformat(h["time"]) for h in body["history"])
    assert body["history"][-1]["note"] == "拨付7,200元。"  # not the voucher, not a name


def test_a_returned_application_shows_the_reviewer_s_note_then_goes_on(
    named_people, township_api, entry_api
):
    app = submit(entry_api, payload(beneficiaries=[person(1, contract_months=6), person(2)]))
    county = client_for(named_people["county"])
    decide(township_api, task_of(township_api, app["number"])["id"])
    decide(county, task_of(county, app["number"])["id"], "return", note="请补充第1人的劳动合同")

    page, body = seen(app)
    assert body["state"] == "returned"
    assert (body["returned_from"], body["return_note"]) == ("县人社局审核", "请补充第1人的劳动合同")
    assert "退回意见：</strong>请补充第1人的劳动合同" in page
    assert "在“县人社局审核”环节被退回补正" in page and "交新城镇工作人员" in page
    assert progress(body) == ["done", "done", "returned", "pending", "pending", "pending"]
    assert body["beneficiaries"][0]["eligible"] is False
    assert any("合同" in r for r in body["beneficiaries"][0]["reasons"])

    # the township staff correct it on the applicant's behalf
    fixed = payload(beneficiaries=[person(1, contract_months=12), person(2)])
    response = township_api.post(
        f"/api/v1/subsidies/applications/{app['id']}/correction/",
        {**fixed, "note": "已补充合同"},
        format="json",
    )
    assert response.status_code == 200, response.content.decode()
    page, body = seen(app)
    assert body["state"] == "county_review" and body["return_note"] == ""
    assert body["beneficiaries"][0]["eligible"] is True
    texts = [(h["text"], h["note"]) for h in body["history"]]
    assert ("县人社局审核：退回补正", "请补充第1人的劳动合同") in texts
    assert ("退回补正：补正后重新提交", "已补充合同") in texts


def test_a_rejection_shows_the_reason_and_the_rule(named_people, township_api, entry_api):
    app = submit(entry_api, payload())
    decide(township_api, task_of(township_api, app["number"])["id"], "reject", note="虚报用工人数")

    page, body = seen(app)
    assert body["state"] == "rejected"
    assert body["rejection_reason"] == "乡镇审核：虚报用工人数"
    assert "不予补贴理由：</strong>乡镇审核：虚报用工人数" in page
    assert "襄政发〔2024〕2号" in page and body["citation"] in page
    assert progress(body) == ["done", "rejected", "pending", "pending", "pending", "pending"]


def test_an_application_no_rule_allows_shows_which_rule_failed(people, township_api, entry_api):
    app = submit(entry_api, payload(size="large"))

    page, body = seen(app)
    assert body["state"] == "rejected"
    assert "须为微型、小型企业" in body["rejection_reason"]
    failed = [r for r in body["eligibility"] if not r["passed"]]
    assert failed and all(r["reason"].rstrip("。") in page for r in failed)
    assert "不予补贴理由：" in page and body["citation"] in page
    assert progress(body) == ["rejected"] + ["pending"] * 5  # refused by the automatic check
    assert [h["text"] for h in body["history"]] == [
        "提交申请",
        "自动审查：不符合补贴条件，不予补贴",
    ]


def test_id_numbers_are_masked_and_the_applicant_s_own_is_not_shown(
    people, township_api, entry_api
):
    founder = id_number(77, "19950505")
    app = submit(
        entry_api,
        payload(
            "startup", kind="individual", name="张创业", applicant_id=founder, beneficiaries=[]
        ),
    )
    page, body = seen(app)

    masked = body["beneficiaries"][0]["id_number"]
    assert masked == founder[:3] + "*" * 11 + founder[-4:]
    assert masked in page
    assert founder not in page and founder not in str(body)
    assert founder[6:14] not in page  # not even the birth date


def test_other_applications_numbers_are_not_shown(people, township_api, entry_api):
    first = submit(entry_api, payload(uscc_index=1, beneficiaries=[person(5)]))
    second = submit(entry_api, payload(uscc_index=2, beneficiaries=[person(5)]))
    staff_view = township_api.get(f"/api/v1/subsidies/applications/{second['id']}/").json()
    assert first["number"] in str(staff_view["beneficiaries"][0]["reasons"])

    page, body = seen(second)

    assert first["number"] not in page and first["number"] not in str(body)
    assert "已在其他申请中申报" in str(body["beneficiaries"][0]["reasons"])


# --- who can see it ------------------------------------------------------------------------


def _without_tokens(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_a_wrong_code_answers_exactly_like_an_unknown_number(people, township_api, entry_api):
    app = submit(entry_api, payload())
    wrong = lookup(Client(), app["number"], "WRONG234")
    unknown = lookup(Client(), "BT-2026-999999", "WRONG234")

    assert wrong.status_code == unknown.status_code == 404
    assert "申请编号或查询码不正确" in wrong.content.decode()
    assert _without_tokens(wrong.content.decode()).replace(app["number"], "N") == _without_tokens(
        unknown.content.decode()
    ).replace("BT-2026-999999", "N")
    assert api_of(app["number"], "WRONG234", 404) == api_of("BT-2026-999999", "WRONG234", 404)
    assert api_of(app["number"], "", 404)["detail"] == errors.UNKNOWN_APPLICATION_OR_CODE
    other = submit(entry_api, payload(uscc_index=3, beneficiaries=[person(3)]))
    api_of(app["number"], other["query_code"], 404)  # another application's code


@pytest.mark.parametrize(
    "number", ["x" * 500, "BT-2026-000001;--", "BT-2026-1", "bt 2026 000001 or 1=1"]
)
def test_it_answers_404_to_anything_not_shaped_like_a_number(people, number):
    assert api_of(number, "ABCD2345", 404)["detail"] == errors.UNKNOWN_APPLICATION_OR_CODE
    assert lookup(Client(), number, "x").status_code == 404


def test_a_nul_byte_anywhere_is_refused_before_any_query(people):
    # config.middleware.reject_nul_bytes_middleware: 400 with a message, never a 500.
    assert api_of("BT-2026-000001", "ABCD2345\x00", 400)["detail"] == NUL_REFUSED
    assert lookup(Client(), "BT\x00-2026-000001", "x").status_code in (400, 404)


def test_it_accepts_the_code_in_lower_case_and_the_number_with_spaces(
    people, township_api, entry_api
):
    app = submit(entry_api, payload())
    response = lookup(Client(), f" {app['number'].lower()} ", app["query_code"].lower())
    assert response.status_code == 302
    assert api_of(app["number"], f" {app['query_code'].lower()} ")["number"] == app["number"]


def test_the_page_needs_the_code_in_this_session(people, township_api, entry_api):
    app = submit(entry_api, payload())
    stranger = Client()

    response = stranger.get(f"/subsidies/status/{app['number']}/")

    assert response.status_code == 302
    assert response["Location"] == f"/subsidies/status/?number={app['number']}"
    form = stranger.get(response["Location"]).content.decode()
    assert app["query_code"] not in form and "乡镇审核中" not in form
    unknown = stranger.get("/subsidies/status/BT-2026-999999/")
    assert unknown["Location"] == "/subsidies/status/?number=BT-2026-999999"


def test_it_checks_the_csrf_token_on_lookups(people, township_api, entry_api):
    app = submit(entry_api, payload())
    assert (
        lookup(Client(enforce_csrf_checks=True), app["number"], app["query_code"]).status_code
        == 403
    )


def test_it_rate_limits_lookups_per_ip(people, township_api, monkeypatch, entry_api):
    app = submit(entry_api, payload())
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "lookup": "3/min"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)
    browser = Client()
    for _ in range(2):
        assert lookup(browser, app["number"], "WRONG234").status_code == 404
    assert api_of(app["number"], "WRONG234", 404)  # the API counts in the same budget

    assert lookup(browser, app["number"], app["query_code"]).status_code == 429
    assert "操作太频繁" in lookup(browser, app["number"], app["query_code"]).content.decode()
    api_of(app["number"], app["query_code"], 429)
    other_ip = Client(REMOTE_ADDR="10.9.8.7")
    assert lookup(other_ip, app["number"], app["query_code"]).status_code == 302


# --- the staff hand the code over --------------------------------------------------------


def test_staff_get_the_code_once_when_they_enter_the_application(people):
    from tests.workflows.test_pages import browser, form_data

    client = browser(people["township"])
    response = client.post("/subsidies/new/", form_data(), follow=True)
    application = SubsidyApplication.objects.get()
    text = response.content.decode()
    code = re.search(r"查询码([2-9A-HJ-NP-Z]{8})交给申请人", text).group(1)
    assert query_codes.query_code_matches(application.query_code_hash, code)
    assert "/subsidies/status/" in text
    # Only its hash is stored: nobody can read it again later.
    assert code not in client.get(f"/subsidies/applications/{application.pk}/").content.decode()
    detail = browser(people["county"]).get(f"/subsidies/applications/{application.pk}/")
    assert code not in detail.content.decode()
    other = browser(people["other_township"]).get(f"/subsidies/applications/{application.pk}/")
    assert other.status_code == 404 and code not in other.content.decode()


def test_existing_applications_get_their_own_codes():
    # Migration 0003 as it ran before codes were hashed (0005), on stand-in rows: the
    # model it ran on no longer has the column.
    migration = importlib.import_module("workflows.migrations.0003_application_query_code")
    model = mock.Mock(side_effect=lambda **fields: types.SimpleNamespace(**fields))
    model.objects.filter.return_value.values_list.return_value = [1, 2, 3]

    migration.backfill(mock.Mock(get_model=mock.Mock(return_value=model)), None)

    stored = [row for call in model.objects.bulk_update.call_args_list for row in call.args[0]]
    codes = [row.query_code for row in stored]
    assert len(codes) == 3 and len(set(codes)) == 3
    assert all(re.fullmatch(r"[2-9A-HJ-NP-Z]{8}", c) for c in codes)
