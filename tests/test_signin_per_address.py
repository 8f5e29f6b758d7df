"""Sign-in is limited per client address: a lockout holds one account for one address
(a stranger cannot lock a colleague out), and every address has a bounded number of
attempts a minute on the login page, the admin login and the token endpoint together."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from config.signin import LOCKED_OUT
from core.throttling import PublicRateThrottle
from tests.factories import staff

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # tests/factories.staff
STRANGER, OFFICE = "198.51.100.66", "203.0.113.10"


@pytest.fixture
def inspector():
    return staff("insp_addr", "inspector")


@pytest.fixture
def three_sign_ins_a_minute(monkeypatch):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "signin": "3/min"}
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", rates)


def _page_login(address, password, username="insp_addr", **headers):
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/",
        {"username": username, "password": password, "next": "/workbench/"},
        **headers,
    )


def _token(address, password, username="insp_addr", **headers):
    return APIClient(REMOTE_ADDR=address).post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        **headers,
    )


def test_it_locks_the_account_for_the_guessing_address_only(inspector):
    for _ in range(5):
        _page_login(STRANGER, "wrong")
    assert _page_login(STRANGER, PASSWORD).status_code == 429
    assert _token(STRANGER, PASSWORD).status_code == 429

    assert _page_login(OFFICE, PASSWORD).status_code == 302
    assert _token(OFFICE, PASSWORD).status_code == 200
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == ("insp_addr", STRANGER)


def test_it_locks_by_the_address_the_trusted_proxy_saw(inspector, settings):
    settings.LABORCASE_TRUSTED_PROXIES = 1
    proxy = "172.18.0.5"
    for _ in range(5):
        _page_login(proxy, "wrong", HTTP_X_FORWARDED_FOR=STRANGER)
    locked = _page_login(proxy, PASSWORD, HTTP_X_FORWARDED_FOR=STRANGER)
    assert locked.status_code == 429 and LOCKED_OUT in locked.content.decode()
    assert _page_login(proxy, PASSWORD, HTTP_X_FORWARDED_FOR=OFFICE).status_code == 302


def test_it_limits_attempts_per_address_across_accounts_and_paths(
    inspector, three_sign_ins_a_minute
):
    assert _page_login(STRANGER, "wrong", username="a").status_code == 200
    assert _token(STRANGER, "wrong", username="b").status_code == 400
    Client(REMOTE_ADDR=STRANGER).post("/admin/login/", {"username": "c", "password": "x"})

    page = _page_login(STRANGER, PASSWORD)
    api = _token(STRANGER, PASSWORD)

    assert page.status_code == 429 and "登录尝试过于频繁" in page.content.decode()
    assert api.status_code == 429 and "登录尝试过于频繁" in api.json()["detail"]
    assert int(api["Retry-After"]) > 0
    assert not AccessAttempt.objects.filter(username="insp_addr").exists()  # never tried
    assert _page_login(OFFICE, PASSWORD).status_code == 302  # other addresses unaffected


def test_it_does_not_count_other_requests_against_the_sign_in_limit(
    inspector, three_sign_ins_a_minute
):
    client = Client(REMOTE_ADDR=OFFICE)
    for _ in range(5):
        assert client.get("/accounts/login/").status_code == 200
    assert _page_login(OFFICE, PASSWORD).status_code == 302
