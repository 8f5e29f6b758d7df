"""A worker files a collective complaint on a 360x740 phone screen and checks its status."""

import re

import pytest

from cases.models import Case
from core import query_codes
from notifications.models import SmsMessage
from tests.cases.complaint_support import id_number

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_files_a_collective_complaint_on_a_phone_and_checks_its_status(
    live_server, new_page, reference_data, screenshot
):
    page = new_page(360, 740)
    page.goto(live_server.url + "/")
    page.click("a.big-link:text('我要投诉')")
    page.check("input[name=kind][value=wage_arrears]")
    page.check("input[name=construction][value=yes]")
    page.fill("#project_name", "汾河湾小区二期")
    page.fill("#employer_name", "山西汾河浏览器测试建筑有限公司")
    page.select_option("#township", "xincheng")
    page.fill("#employer_address", "新城镇建设路9号")
    page.click("[data-add-rows]")  # 1 + 5 rows
    page.click("[data-add-rows]")  # 11 rows; the last stays blank
    rows = page.locator("[data-row]")
    assert rows.count() == 11
    for i in range(10):
        row = rows.nth(i)
        row.locator("input[name$='-name']").fill(f"工人{i + 1}")
        row.locator("input[name$='-id_number']").fill(id_number(200 + i))
        row.locator("input[name$='-phone']").fill(f"1361234{i:04d}")
        row.locator("input[name$='-amount_claimed']").fill("6500")
        row.locator("input[name$='-months_owed']").fill("3")
        if i in (0, 1, 2):
            row.locator("input[type=checkbox]").check()
    assert "已选代表人3名 ✓" in page.inner_text("[data-collective-status]")
    page.fill("#description", "工地拖欠10名工人三个月工资，多次讨要未果。")
    # Nothing is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button[name=submit]")

    page.wait_for_url(re.compile(r".*/complaint/filed/$"))
    number = page.inner_text("[data-case-number]").strip()
    code = page.inner_text("[data-query-code]").strip()
    case = Case.objects.get(number=number)
    assert (
        query_codes.query_code_matches(case.query_code_hash, code)
        and case.is_collective
        and case.claims.count() == 10
    )
    assert SmsMessage.objects.filter(case_number=number).count() == 3

    page.goto(live_server.url + "/status/")
    page.fill("#case_number", number)
    page.fill("#query_code", code.lower())
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf".*/status/{number}/$"))
    assert page.inner_text("[data-state]") == "已提交"
    assert "投诉已提交" in page.inner_text("ol.timeline")
    assert re.search(r"还剩\s*\d+\s*天", page.inner_text(".deadline-box"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "worker-status-360x740")
