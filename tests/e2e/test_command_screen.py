"""The command screen open in Chromium shows a new alert without reloading, after a
complaint is filed through the API (a real daphne server, Debian's Chromium)."""

import shutil
import time
from pathlib import Path

import pytest

from tests.notifications import servers

pytestmark = [pytest.mark.e2e]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    return servers.prepare_database(tmp_path_factory.mktemp("screen-template"))


@pytest.fixture
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def test_the_command_screen_shows_a_new_alert_without_reload(prepared, tmp_path, browser):
    from playwright.sync_api import expect

    template, _ = prepared
    # One process with the in-memory channel layer: the browser and the API share it.
    env = servers.server_env(servers.copy_database(template, tmp_path), None)
    ARTIFACTS.mkdir(exist_ok=True)

    with servers.daphne(env, tmp_path, "screen", runserver=True) as base:
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(base + "/screen/")
        assert "/accounts/login/" in page.url
        page.fill("input[name=username]", "screen")
        page.fill("input[name=password]", servers.PASSWORD)
        page.locator('form[action="/accounts/login/"] [type=submit]').click()
        page.wait_for_url(base + "/screen/")
        # Locator waits, not wait_for_function: the page's CSP forbids eval.
        expect(page.locator("#ws-status")).to_have_text("实时", timeout=15000)
        expect(page.locator("#kpi-open-cases")).not_to_have_text("–", timeout=15000)
        page.evaluate("window.__notReloaded = true")
        assert page.locator("#alert-feed li").count() == 0

        started = time.monotonic()
        status, body = servers.post_json(base + "/api/v1/complaints/", servers.red_complaint(1))
        assert status == 201, body
        red = page.locator(
            f'#alert-feed li[data-level="red"][data-reason="risk_red"]:has-text("{body["case_number"]}")'
        )
        red.first.wait_for(timeout=10000)
        seen_after = time.monotonic() - started

        assert page.evaluate("window.__notReloaded") is True
        text = red.first.inner_text()
        assert "风险升至红色" in text and "新城镇" in text and "信访局" in text
        expect(page.locator("#kpi-open-cases")).to_have_text("1", timeout=10000)
        page.wait_for_timeout(600)  # let the charts finish their animation for the picture
        page.screenshot(path=str(ARTIFACTS / "command-screen.png"))
        print(f"\nalert visible on the screen {seen_after * 1000:.0f} ms after the POST")
        assert seen_after < 5
        assert errors == []


def test_a_new_red_alert_is_on_the_screen_above_older_red_collective_ones(
    prepared, tmp_path, browser
):
    """The wall screen cannot scroll: a one-worker threat of self-harm filed after ten red
    collective cases must still be inside the feed's panel, not below its edge."""
    template, _ = prepared
    env = servers.server_env(servers.copy_database(template, tmp_path), None)

    with servers.daphne(env, tmp_path, "screen", runserver=True) as base:
        for n in range(10):
            status, body = servers.post_json(
                base + "/api/v1/complaints/",
                servers.red_complaint(n + 2, employer=f"襄汾县集体{n}有限公司"),
            )
            assert status == 201, body
        page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        page.goto(base + "/screen/")
        page.fill("input[name=username]", "screen")
        page.fill("input[name=password]", servers.PASSWORD)
        page.locator('form[action="/accounts/login/"] [type=submit]').click()
        page.wait_for_url(base + "/screen/")
        page.locator("#alert-feed li.red").nth(9).wait_for(timeout=15000)

        one = servers.red_complaint(1, employer="襄汾县单人有限公司")
        one["claimants"] = [{**one["claimants"][0], "is_representative": False}]
        one["description"] = "老板拖欠三个月工资，再不给钱我就去县信访局。"
        status, body = servers.post_json(base + "/api/v1/complaints/", one)
        assert status == 201, body

        alert = page.locator(f'#alert-feed li.red:has-text("{body["case_number"]}")').first
        alert.wait_for(timeout=10000)
        panel = page.locator("#alert-feed").bounding_box()
        box = alert.bounding_box()
        assert "集体" not in alert.inner_text()
        assert box["y"] + box["height"] <= panel["y"] + panel["height"], (box, panel)
