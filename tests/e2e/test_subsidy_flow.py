"""A subsidy application taken through every approval step in the browser, and the
applicant following it on a phone with the number and query code."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone

from core import query_codes
from tests.e2e.conftest import sign_in, submit
from tests.factories import staff
from tests.workflows.support import id_number, uscc_for
from workflows.models import SubsidyApplication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_out_and_in(page, live_server, username):
    page.context.clear_cookies()
    sign_in(page, live_server, username, "pw-for-tests-1")


def _decide(page, live_server, application, decision="approve"):
    """Open the application's task from the inbox and take the decision."""
    page.goto(f"{live_server.url}/subsidies/")
    submit(page, page.locator(f"tr:has-text('{application.number}') a:text('办理')"))
    submit(page, page.locator(f"#decision button[value={decision}]"))


def test_an_application_goes_through_every_step_and_the_applicant_sees_each(
    live_server, new_page, reference_data, screenshot
):
    staff("township1", "township_reviewer")
    staff("township1b", "township_reviewer")
    staff("county", "county_reviewer", townships=(), county_level=True)
    staff("supervisor", "supervisor", townships=(), county_level=True)
    staff("finance", "finance", townships=(), county_level=True)
    page = new_page(1280, 900)
    applicant = new_page(360, 740)

    def applicant_sees(number, code) -> str:
        applicant.goto(f"{live_server.url}/subsidies/status/")
        applicant.fill("#number", number)
        applicant.fill("#query_code", code)
        submit(applicant, applicant.locator("main button[type=submit]"))
        return applicant.inner_text("main")

    # Township staff enter the application for a small firm with one hire; a colleague
    # reviews it (whoever enters an application decides none of its steps).
    sign_in(page, live_server, "township1b", "pw-for-tests-1")
    page.goto(f"{live_server.url}/subsidies/new/")
    page.select_option("#id_policy", "post")
    page.select_option("#id_applicant_kind", "enterprise")
    page.fill("#id_applicant_name", "襄汾县浏览器测试商贸有限公司")
    page.fill("#id_uscc", uscc_for(61))
    page.select_option("#id_size_class", "small")
    page.select_option("#id_township", "xincheng")
    page.fill("#id_period_start", "2025-01-01")
    page.fill("#id_period_end", "2025-06-30")
    page.fill("#id_b-0-name", "王建军")
    page.fill("#id_b-0-id_number", id_number(61))
    page.fill("#id_b-0-hire_date", "2024-12-01")
    page.fill("#id_b-0-contract_months", "24")
    page.check("#id_b-0-hard_to_employ")
    page.fill("#id_b-0-insurance_months", "6")
    page.fill("#id_b-0-insurance_paid", "4800")
    submit(page, page.locator("main form button[type=submit]").last)
    application = SubsidyApplication.objects.get()
    # Shown once, in the message to the staff who entered it (only its hash is stored).
    code = re.search(r"查询码([2-9A-HJ-NP-Z]{8})交给申请人", page.inner_text("main")).group(1)
    assert query_codes.query_code_matches(application.query_code_hash, code)
    assert "1,800" in page.inner_text("main")  # 300 a month, January to June
    assert "乡镇审核中" in applicant_sees(application.number, code)
    assert id_number(61) not in applicant.inner_text("main")  # masked for the applicant

    _sign_out_and_in(page, live_server, "township1")
    _decide(page, live_server, application)
    assert SubsidyApplication.objects.get().state == "county_review"
    assert "县人社局审核中" in applicant_sees(application.number, code)

    _sign_out_and_in(page, live_server, "county")
    _decide(page, live_server, application)
    application.refresh_from_db()
    assert application.state == "public_notice"
    assert "公示中" in applicant_sees(application.number, code)

    # The five working days of public notice pass (the live server shares this clock).
    ends = application.notice_ends_on
    later = timezone.make_aware(dt.datetime.combine(ends + dt.timedelta(days=1), dt.time(9)))
    with mock.patch("django.utils.timezone.now", return_value=later):
        _sign_out_and_in(page, live_server, "supervisor")
        _decide(page, live_server, application)
        assert SubsidyApplication.objects.get().state == "awaiting_payment"
        assert "已批准，待拨付" in applicant_sees(application.number, code)

        _sign_out_and_in(page, live_server, "finance")
        page.goto(f"{live_server.url}/subsidies/")
        submit(page, page.locator(f"tr:has-text('{application.number}') a:text('办理')"))
        page.fill("#id_paid_amount", "1800.00")
        page.fill("#id_paid_on", later.date().isoformat())
        page.fill("#id_payment_reference", "襄财拨〔2026〕9号")
        submit(page, page.locator("#decision button[type=submit]"))
    application.refresh_from_db()
    assert application.state == "paid"
    seen = applicant_sees(application.number, code)
    assert "已拨付" in seen and "1,800" in seen
    screenshot(applicant, "applicant-subsidy-paid")
