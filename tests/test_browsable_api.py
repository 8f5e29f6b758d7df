"""The browsable HTML API is for development only: in production (DEBUG off) every API
answer is JSON, whatever the client asks for."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent

# A request from a browser (Accept: text/html) to an API endpoint; no database needed:
# the answer is the 401 for an anonymous caller, rendered by the negotiated renderer.
PROBE = """
import django
django.setup()
from django.test import Client
response = Client().get("/api/v1/cases/", HTTP_ACCEPT="text/html,*/*;q=0.8", secure=True)
print(response.status_code, response["Content-Type"])
"""


def _probe(debug: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DEBUG=debug,
        SECRET_KEY=secrets.token_urlsafe(50),
        LABORCASE_PII_KEYS=Fernet.generate_key().decode(),
        LABORCASE_PII_INDEX_KEY=secrets.token_hex(32),
        LABORCASE_AUDIT_KEYS=secrets.token_urlsafe(48),
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_it_answers_a_browser_with_json_in_production():
    assert _probe("0") == "401 application/json"


def test_it_keeps_the_browsable_api_while_debugging():
    assert _probe("1") == "401 text/html; charset=utf-8"
