"""A dispute through failed mediation, a hearing and an award, by mediator and arbitrator."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case
from tests.e2e.conftest import sign_in, submit
from tests.e2e.test_inspector_workbench import run
from tests.factories import claimant, file_case, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_out(page):
    submit(page, page.locator("header form button:text('退出')"))


def test_it_takes_a_dispute_through_failed_mediation_hearing_and_award(
    live_server, new_page, reference_data, screenshot
):
    staff("mediator1", "mediator")
    staff("arbitrator1", "arbitrator")
    case = file_case(
        kind="labor_dispute",
        employer="襄汾县浏览器测试商贸有限公司",
        claimants=[claimant(0, amount="9000.00")],
    )
    url = f"{live_server.url}/workbench/cases/{case.number}/"
    page = new_page(1280, 900)

    sign_in(page, live_server, "arbitrator1", "pw-for-tests-1")
    page.goto(url)
    run(page, "accept", lambda f: f.locator("input[name=arbitrators][value=arbitrator1]").check())
    assert page.inner_text("[data-state]") == "已受理"
    sign_out(page)

    sign_in(page, live_server, "mediator1", "pw-for-tests-1")
    page.goto(url)
    run(
        page,
        "start_mediation",
        lambda f: f.locator("select[name=mediator]").select_option("mediator1"),
    )
    assert page.inner_text("[data-state]") == "调解中"
    run(page, "fail_mediation", lambda f: f.locator("textarea[name=note]").fill("单位不同意支付"))
    assert page.inner_text("[data-state]") == "仲裁审理中"
    sign_out(page)

    sign_in(page, live_server, "arbitrator1", "pw-for-tests-1")
    page.goto(url)
    too_soon = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    page.click("#transition-schedule_hearing > summary")
    form = page.locator("#transition-schedule_hearing form")
    form.locator("input[name=hearing_date]").evaluate("el => el.removeAttribute('min')")
    form.locator("input[name=hearing_date]").fill(too_soon)
    submit(page, form.locator("button[type=submit]"))
    assert "开庭通知须在开庭5日前送达" in page.inner_text("#transition-schedule_hearing")

    hearing = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    run(page, "schedule_hearing", lambda f: f.locator("input[name=hearing_date]").fill(hearing))

    def award_wages(form):
        form.locator("select[name='items-0-item']").select_option("wages")
        form.locator("input[name='items-0-amount']").fill("9000")

    # No award before the hearing: the page says why and nothing changes.
    page.click("#transition-award > summary")
    form = page.locator("#transition-award form")
    award_wages(form)
    submit(page, form.locator("button[type=submit]"))
    assert "裁决须在开庭当日或之后作出" in page.inner_text("main")
    assert page.inner_text("[data-state]") != "已裁决"

    # The hearing day comes (the clock cannot wait a week in a test).
    Case.objects.filter(pk=case.pk).update(hearing_date=timezone.localdate())
    page.reload()
    run(page, "award", award_wages)
    assert page.inner_text("[data-state]") == "已裁决"
    assert page.locator("a:text('裁决书')").count() == 1
    outcome = Case.objects.get(pk=case.pk).outcome
    assert outcome["award_items"][0]["amount"] == "9000.00"
    screenshot(page, "arbitrator-award")
