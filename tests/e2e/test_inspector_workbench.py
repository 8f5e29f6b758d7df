"""An inspector signs in and takes a wage-arrears case from submitted to closed."""

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, PersonalDataAccess
from tests.e2e.conftest import sign_in, submit
from tests.factories import claimant, file_case, staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def run(page, name, fill=None):
    """Open a transition's form on the case page, fill it, submit, wait for the result."""
    if page.get_attribute(f"#transition-{name}", "open") is None:
        page.click(f"#transition-{name} > summary")
    form = page.locator(f"#transition-{name} form")
    if fill:
        fill(form)
    submit(page, form.locator("button[type=submit]"))
    assert page.locator(".messages li.success").count() == 1, page.inner_text("main")


def test_it_takes_a_wage_arrears_case_from_submitted_to_closed(
    live_server, new_page, reference_data, screenshot
):
    staff("inspector1", "inspector")
    staff("inspector1b", "inspector")
    case = file_case(
        employer="山西浏览器测试劳务有限公司",
        claimants=[claimant(0, amount="4200.00"), claimant(1, amount="3800.00")],
    )
    page = new_page(1280, 900)
    sign_in(page, live_server, "inspector1", "pw-for-tests-1")

    submit(page, page.locator(f"a.case:text('{case.number}')"))
    page.wait_for_url(f"**/workbench/cases/{case.number}/")

    def two_inspectors(form):
        form.locator("input[name=inspectors][value=inspector1]").check()
        form.locator("input[name=inspectors][value=inspector1b]").check()

    run(page, "accept", two_inspectors)
    assert page.inner_text("[data-state]") == "调查中"

    # The order to pay names the worker: the inspector shows the full ID number once,
    # and the showing is recorded.
    full_id = claimant(0).id_number
    assert full_id not in page.inner_text("main")
    submit(page, page.locator("form[action$='/reveal/'] button").first)
    assert full_id in page.inner_text("main")
    assert "已记录" in page.inner_text(".messages")
    assert PersonalDataAccess.objects.filter(user__username="inspector1").count() == 1
    run(page, "hear_employer", lambda f: f.locator("textarea[name=note]").fill("单位承认欠薪"))
    pay_by = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    run(page, "order_payment", lambda f: f.locator("input[name=pay_by]").fill(pay_by))
    assert page.inner_text("[data-state]") == "已责令限期支付"
    assert page.locator("a:text('责令改正指令书')").count() == 1

    def full_payment(form):
        form.locator("input[name='payments-0-amount']").fill("4200")
        form.locator("input[name='payments-1-amount']").fill("3800")

    run(page, "record_payment", full_payment)
    assert page.inner_text("[data-state]") == "已清偿"
    run(page, "close")
    assert page.inner_text("[data-state]") == "已结案"
    assert Case.objects.get(pk=case.pk).state == "closed"
    screenshot(page, "inspector-case-closed")
