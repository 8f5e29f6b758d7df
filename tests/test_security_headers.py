"""Security headers on every kind of page, and `check --deploy` clean in production."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.test import Client

from tests.factories import staff

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def signed_in():
    client = Client()
    user = staff("sec_insp", "inspector")
    user.groups.add(*staff("sec_rev", "township_reviewer").groups.all())
    client.force_login(user)
    return client


PAGES = [
    "/",
    "/complaint/",
    "/status/",
    "/accounts/login/",
    "/workbench/",
    "/screen/",
    "/alerts/",
    "/subsidies/",
    "/subsidies/policies/",
]


@pytest.mark.parametrize("path", PAGES)
def test_it_sends_a_strict_policy_and_no_inline_script(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200, path
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert INLINE_SCRIPT.findall(response.content.decode()) == []


def test_it_lets_the_screen_open_its_socket_to_this_host_only(signed_in):
    policy = _policy(signed_in.get("/screen/"))
    assert policy["connect-src"] == ["'self'", "ws://testserver", "wss://testserver"]


def test_it_allows_inline_styles_on_the_api_docs_only(signed_in):
    docs = signed_in.get("/api/docs/")
    assert docs.status_code == 200
    assert _policy(docs)["style-src"] == ["'self'", "'unsafe-inline'"]
    assert _policy(docs)["script-src"] == ["'self'"]
    assert INLINE_SCRIPT.findall(docs.content.decode()) == []
    script = signed_in.get("/api/docs/?script=")
    assert script.status_code == 200


def _production_check(**overrides):
    # As a deployment would be: no test-only variables (the e2e conftest sets
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses).
    dropped = ("DATABASE_URL", "REDIS_URL", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    dropped += ("LABORCASE_PII_KEYS", "LABORCASE_PII_INDEX_KEY", "LABORCASE_AUDIT_KEYS")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        LABORCASE_PII_KEYS=Fernet.generate_key().decode(),
        LABORCASE_PII_INDEX_KEY=secrets.token_hex(32),
        LABORCASE_AUDIT_KEYS=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="laborcase.example.gov.cn",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_passes_check_deploy_under_production_settings():
    result = _production_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_the_personal_data_keys():
    # Without them the development keys (derived from code) would protect nothing.
    result = _production_check(LABORCASE_PII_KEYS=None)
    assert result.returncode != 0
    assert "LABORCASE_PII_KEYS and LABORCASE_PII_INDEX_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_the_audit_key():
    # Without it the case history would be signed with a key derived from code.
    result = _production_check(LABORCASE_AUDIT_KEYS=None)
    assert result.returncode != 0
    assert "LABORCASE_AUDIT_KEYS must be set" in result.stderr


def test_it_keeps_plain_http_while_debugging(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response
