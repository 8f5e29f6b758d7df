import os

import pytest
from django.db import connection


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
    """Throttle counters live in the cache (Redis in CI): start every test from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
