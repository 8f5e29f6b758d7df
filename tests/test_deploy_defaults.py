"""docker-compose.yml's defaults are production-safe: HTTPS on, the app connects as its
own role (not the superuser), the Celery queue survives a Redis restart."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def app_env() -> dict:
    return compose()["x-app"]["environment"]


def test_https_is_on_unless_switched_off():
    assert app_env()["HTTPS"] == "${HTTPS:-1}"
    nginx = (ROOT / "deploy/nginx.conf").read_text()
    assert re.search(r"listen 443 ssl", nginx)
    assert "./deploy/tls:/etc/nginx/tls:ro" in compose()["services"]["nginx"]["volumes"]


def test_the_app_connects_as_its_own_role_not_the_superuser():
    url = app_env()["DATABASE_URL"]
    assert url.startswith("postgres://laborcase:${LABORCASE_DB_PASSWORD:?")
    assert "postgres:postgres@" not in (ROOT / "docker-compose.yml").read_text()
    postgres = compose()["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert any("docker-entrypoint-initdb.d" in volume for volume in postgres["volumes"])
    init = (ROOT / "deploy/postgres-init.sh").read_text()
    assert "NOSUPERUSER NOCREATEDB NOCREATEROLE" in init
    assert "CREATE SCHEMA laborcase AUTHORIZATION laborcase" in init
    assert "REVOKE ALL ON SCHEMA public FROM PUBLIC" in init


def test_the_migrate_step_runs_before_the_app_as_the_same_role():
    services = compose()["services"]
    assert "migrate" in services["migrate"]["command"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_redis_keeps_an_append_only_file():
    redis = compose()["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in redis["volumes"])


def test_every_required_secret_is_demanded():
    env = app_env()
    for name in (
        "SECRET_KEY",
        "LABORCASE_PII_KEYS",
        "LABORCASE_PII_INDEX_KEY",
        "LABORCASE_AUDIT_KEYS",
    ):
        assert env[name].startswith("${" + name + ":?")
