"""API tokens (django-rest-knox): only a digest is stored; a token ends after 30 idle
minutes like a session, and at the latest LABORCASE_TOKEN_MAX_HOURS after it was issued;
logout (page or API), a password change and deactivation end every token of the user."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import staff

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # tests/factories.staff


@pytest.fixture
def inspector():
    return staff("insp_tok", "inspector")


def _sign_in(username="insp_tok"):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _cases(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/cases/")


def test_it_answers_with_a_token_and_its_expiry_and_stores_only_a_digest(inspector):
    body = _sign_in()

    assert set(body) == {"token", "expiry"}
    stored = AuthToken.objects.get(user=inspector)
    assert body["token"] not in (stored.digest, stored.token_key)
    assert len(stored.token_key) < len(body["token"])  # a lookup prefix, not the token
    assert _cases(body["token"]).status_code == 200


def test_it_ends_a_token_after_thirty_idle_minutes(inspector):
    token = _sign_in()["token"]
    stored = AuthToken.objects.get(user=inspector)
    left = stored.expiry - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)

    # Used with one minute left: pushed on to thirty minutes again ...
    AuthToken.objects.update(expiry=timezone.now() + dt.timedelta(minutes=1))
    assert _cases(token).status_code == 200
    assert AuthToken.objects.get().expiry > timezone.now() + dt.timedelta(minutes=29)

    # ... idle past its expiry: refused, and the row is gone.
    AuthToken.objects.update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert _cases(token).status_code == 401
    assert not AuthToken.objects.exists()


def test_it_never_extends_a_token_past_its_maximum_life(inspector, settings):
    token = _sign_in()["token"]
    issued = timezone.now() - dt.timedelta(hours=11, minutes=50)
    AuthToken.objects.update(created=issued, expiry=timezone.now() + dt.timedelta(minutes=1))

    assert _cases(token).status_code == 200

    assert AuthToken.objects.get().expiry == issued + dt.timedelta(hours=12)


def test_it_revokes_every_token_on_api_logout(inspector):
    first, second = _sign_in()["token"], _sign_in()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")

    assert client.post("/api/v1/auth/logout/").status_code == 204

    assert _cases(first).status_code == 401
    assert _cases(second).status_code == 401
    assert not AuthToken.objects.exists()


def test_it_revokes_the_tokens_when_the_user_signs_out_of_the_web_pages(inspector):
    token = _sign_in()["token"]
    page = Client()
    page.force_login(inspector)

    page.post("/accounts/logout/")

    assert _cases(token).status_code == 401


def test_it_revokes_the_tokens_on_a_password_change(inspector):
    token = _sign_in()["token"]

    inspector.set_password("A-new-password-2026")
    inspector.save()

    assert _cases(token).status_code == 401


def test_it_revokes_the_tokens_on_deactivation(inspector):
    _sign_in()

    inspector.is_active = False
    inspector.save()

    assert not AuthToken.objects.filter(user=inspector).exists()


def test_it_keeps_the_tokens_when_a_sign_in_upgrades_the_password_hash(inspector, settings):
    import config.settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # not the tests' fast hasher
    inspector.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    inspector.save(update_fields=["password"])
    _instance, token = AuthToken.objects.create(user=inspector)

    _sign_in()  # rewrites the PBKDF2 hash as Argon2 and saves the user

    inspector.refresh_from_db()
    assert inspector.password.startswith("argon2$")
    assert _cases(token).status_code == 200


def test_it_keeps_other_users_tokens_on_logout(inspector):
    staff("insp_tok2", "inspector")
    mine, theirs = _sign_in()["token"], _sign_in("insp_tok2")["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {mine}")

    client.post("/api/v1/auth/logout/")

    assert _cases(theirs).status_code == 200
