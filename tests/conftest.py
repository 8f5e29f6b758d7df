import os

import pytest
from django.db import connection

from tests.factories import reference_rows


def pytest_configure(config):
    """The tests run on tests.settings (pyproject.toml): a DJANGO_SETTINGS_MODULE left in
    the environment would take precedence and lose the per-worker Redis keys."""
    from django.conf import settings

    if settings.SETTINGS_MODULE != "tests.settings":
        raise pytest.UsageError(
            f"tests need DJANGO_SETTINGS_MODULE=tests.settings, not {settings.SETTINGS_MODULE}"
        )


def pytest_runtest_setup(item):
    """Tests that need PostgreSQL or Redis skip locally without them, never in CI."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("PostgreSQL (set DATABASE_URL=postgres://...)")
    if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _missing("Redis (set REDIS_URL=redis://...)")


def _missing(what):
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test against {what}")
    pytest.skip(f"needs {what}")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Throttle counters live in the cache (Redis in CI): start every test from zero.
    With Redis, only this worker's keys go (tests/settings.py, tests/redis_cache.py)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def rule_tables_not_cached():
    """Every test starts with the process's rule-table cache empty (rules.memo): a query
    count must not depend on which tests ran before."""
    from rules import memo

    memo.process_cache_clear()


@pytest.fixture(autouse=True, scope="session")
def tasks_run_in_process():
    """Celery tasks run in the test's own process (REDIS_URL in CI would otherwise queue
    them for a worker no test starts). The tests that run the real servers start a worker
    (tests/notifications/servers.py celery_worker)."""
    from config.celery import app

    app.conf.task_always_eager = True


@pytest.fixture
def reference_data(db):
    """The one reference-data fixture: what the data migrations loaded (tests/factories.py
    reference_rows). Transactional tests flush those rows when they end, so a test that
    may follow one and needs them asks for this (idempotent, cheap otherwise)."""
    reference_rows()


@pytest.fixture
def migrated_back_to_the_latest():
    """For a test that migrates the database back: whatever it left, the database ends
    fully migrated for the tests after it (tests/migration_support.py)."""
    yield
    from tests.migration_support import migrate_to_the_latest

    migrate_to_the_latest()
