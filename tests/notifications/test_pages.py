"""The command screen (/screen/) and the alerts page (/alerts/)."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from notifications.models import Alert
from tests.notifications.support import file


def test_the_screen_serves_echarts_itself(client, people):
    client.force_login(people["screen"])

    response = client.get("/screen/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in html and "指挥大屏" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # no CDN
    echarts = Path(settings.BASE_DIR, "static/vendor/echarts")
    assert (echarts / "echarts.min.js").stat().st_size > 500_000
    assert "Apache License" in (echarts / "LICENSE").read_text()


def test_the_screen_sends_anonymous_users_to_sign_in(client, db):
    response = client.get("/screen/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_screen_is_for_staff(client, db):
    client.force_login(User.objects.create_user("citizen", password="x-pass-123"))

    assert client.get("/screen/").status_code == 403


def test_the_alerts_page_lists_the_inspectors_townships(client, people, rules):
    here = file(employer="甲公司")
    there = file(employer="乙公司", township="zhaokang", start=10)
    for case in (here, there):
        Alert.objects.create(
            case=case,
            township=case.township,
            reason="risk_red",
            level="red",
            message=f"{case.number} 风险升至红色",
            created_at=timezone.now(),
        )
    client.force_login(people["inspector"])

    html = client.get("/alerts/").content.decode()

    assert here.number in html and there.number not in html
    assert "/static/js/alerts.js" in html and "案件工作台" in html  # the staff shell


def test_the_staff_shell_links_every_page_to_the_alerts(client, people):
    client.force_login(people["inspector"])

    html = client.get("/workbench/").content.decode()

    assert 'href="/alerts/"' in html
