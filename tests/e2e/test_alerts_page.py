"""The alerts page open in Chromium adds a new alert as a row without reloading, written
as the server writes its rows (a real daphne server, Debian's Chromium)."""

import re

import pytest

from tests.e2e.test_command_screen import browser, prepared
from tests.notifications import servers

pytestmark = [pytest.mark.e2e]

__all__ = ["browser", "prepared"]  # fixtures, shared


def test_a_new_alert_appears_as_a_row_written_like_the_others(prepared, tmp_path, browser):
    template, _ = prepared
    env = servers.server_env(servers.copy_database(template, tmp_path), None)

    with servers.daphne(env, tmp_path, "alerts", runserver=True) as base:
        status, body = servers.post_json(base + "/api/v1/complaints/", servers.red_complaint(1))
        assert status == 201, body
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        sockets = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(base + "/alerts/")
        page.fill("input[name=username]", "sup")
        page.fill("input[name=password]", servers.PASSWORD)
        page.locator('form[action="/accounts/login/"] [type=submit]').click()
        page.wait_for_url(base + "/alerts/")
        rendered = page.locator(f'tr:has-text("{body["case_number"]}") td').first.inner_text()

        status, body = servers.post_json(
            base + "/api/v1/complaints/", servers.red_complaint(2, employer="襄汾县第二有限公司")
        )
        assert status == 201, body
        live = page.locator(f'tr[data-alert-id]:has-text("{body["case_number"]}")').first
        live.wait_for(timeout=10000)

        stamp = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
        assert stamp.match(rendered), rendered
        assert stamp.match(live.locator("td").first.inner_text())
        assert [url.endswith("/ws/alerts/?figures=0") for url in sockets] == [True]
