"""Sign-in: lockout after five failures (login page, admin and API token alike), strong
passwords, a 30-minute idle timeout, and every sign-in and failure recorded."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from config.signin import LOCKED_OUT
from tests.factories import staff

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # tests/factories.staff


@pytest.fixture
def inspector():
    return staff("insp_login", "inspector")


def _page_login(client, password):
    return client.post(
        "/accounts/login/",
        {"username": "insp_login", "password": password, "next": "/workbench/"},
    )


def _token(client, password):
    return client.post(
        "/api/v1/auth/token/", {"username": "insp_login", "password": password}, format="json"
    )


def test_it_signs_in_on_the_page_and_records_it(inspector):
    client = Client()
    response = _page_login(client, PASSWORD)
    assert response.status_code == 302
    assert client.get("/workbench/").status_code == 200
    assert AccessLog.objects.filter(username="insp_login", path_info="/accounts/login/").exists()


def test_it_records_a_token_sign_in(inspector):
    response = _token(APIClient(), PASSWORD)
    assert response.status_code == 200
    assert response.json()["token"]
    assert AccessLog.objects.filter(username="insp_login", path_info="/api/v1/auth/token/").exists()


def test_it_records_failures(inspector):
    _page_login(Client(), "wrong-1")
    _token(APIClient(), "wrong-2")
    attempt = AccessAttempt.objects.get(username="insp_login")
    assert attempt.failures_since_start == 2
    assert AccessFailureLog.objects.filter(username="insp_login").count() == 2


def test_it_locks_the_login_page_after_five_failures(inspector):
    client = Client()
    for _ in range(4):
        assert _page_login(client, "wrong").status_code == 200
    locked = _page_login(client, "wrong")
    assert locked.status_code == 429
    response = _page_login(client, PASSWORD)  # the right password no longer helps
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert client.get("/workbench/").status_code == 302  # still signed out


def test_it_locks_the_token_endpoint_after_five_failures(inspector):
    client = APIClient()
    for _ in range(4):
        assert _token(client, "wrong").status_code == 400
    assert _token(client, "wrong").status_code == 429
    response = _token(client, PASSWORD)
    assert response.status_code == 429
    assert response.json() == {"detail": LOCKED_OUT}
    assert "token" not in response.json()


def test_it_counts_failures_across_the_page_and_the_api(inspector):
    for _ in range(3):
        _page_login(Client(), "wrong")
    for _ in range(2):
        _token(APIClient(), "wrong")
    assert _token(APIClient(), PASSWORD).status_code == 429
    assert _page_login(Client(), PASSWORD).status_code == 429


def test_it_locks_the_admin_login_too(inspector):
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": "insp_login", "password": "wrong"})
    assert _page_login(client, PASSWORD).status_code == 429


def test_it_forgets_failures_after_a_successful_sign_in(inspector):
    for _ in range(4):
        _page_login(Client(), "wrong")
    assert _page_login(Client(), PASSWORD).status_code == 302
    for _ in range(4):
        _page_login(Client(), "wrong")
    assert _page_login(Client(), PASSWORD).status_code == 302


def test_it_leaves_other_accounts_alone(inspector):
    staff("insp_other", "inspector")
    for _ in range(5):
        _page_login(Client(), "wrong")
    response = Client().post(
        "/accounts/login/", {"username": "insp_other", "password": PASSWORD, "next": "/workbench/"}
    )
    assert response.status_code == 302


def test_it_ends_an_idle_session_after_thirty_minutes(inspector):
    client = Client()
    _page_login(client, PASSWORD)
    session = Session.objects.get()
    left = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    # Every request pushes the end forward ...
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/workbench/").status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + dt.timedelta(minutes=29)
    # ... and a session idle for longer is gone.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "weak",
    ["short-Aa1", "alllowercaseletters", "123456789012345", "password1234", "insp_login_2026"],
)
def test_it_refuses_weak_passwords(inspector, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=inspector)


def test_it_accepts_a_strong_password(inspector):
    validate_password("Xiangfen-county-7", user=inspector)
