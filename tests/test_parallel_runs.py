"""The test run in parallel processes (pytest-xdist): fast hashing, and a Redis key space
per worker so that one worker's cache.clear() or channel-layer traffic never reaches
another's (tests/settings.py)."""

import os

import pytest
from django.conf import settings
from django.contrib.auth.hashers import get_hasher


def test_it_hashes_passwords_fast():
    assert get_hasher().algorithm == "md5"


@pytest.mark.redis
def test_it_clears_only_this_workers_cache_keys():
    from django.core.cache import cache

    client = cache._cache.get_client(None, write=True)
    other = "test-gw-elsewhere:1:throttle"  # another worker's key, as Django makes them
    client.set(other, "5")
    cache.set("throttle", 3)
    try:
        cache.clear()
        assert cache.get("throttle") is None
        assert client.get(other) == b"5"
    finally:
        client.delete(other)


@pytest.mark.redis
def test_each_worker_has_its_own_keys_and_channel_groups():
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    assert settings.CACHES["default"]["KEY_PREFIX"] == f"test-{worker}"
    prefix = settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
    assert prefix == f"test-{worker}-asgi"
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] == f"test-{worker}:"
