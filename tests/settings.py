"""Settings for the test run: the project's own (config.settings) with a fast password
hasher and, when REDIS_URL is set, a Redis key space per pytest-xdist worker.

Server processes that tests start (tests/notifications/servers.py) run config.settings
as production does; only the test processes use this module.
"""

import copy
import os

from config.settings import *  # noqa: F403
from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS, CHANNEL_LAYERS, REDIS_URL

# A PBKDF2 hash takes ~0.3 s by design; the tests create users by the hundred.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# `make test` runs the tests in several processes (pytest-xdist: gw0, gw1, ...) that share
# one Redis. Each keeps to keys of its own: its cache.clear() (tests/conftest.py
# fresh_cache) removes only its keys, and its channel-layer groups are its own (Redis
# publish/subscribe ignores database numbers, so a database per worker would not do).
# TEST_RUN_NAME keeps two checkouts that test at once on one machine apart as well.
TEST_REDIS_PREFIX = "-".join(
    (os.environ.get("TEST_RUN_NAME", "test"), os.environ.get("PYTEST_XDIST_WORKER", "main"))
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "tests.redis_cache.WorkerRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": TEST_REDIS_PREFIX,
        }
    }
    CHANNEL_LAYERS = copy.deepcopy(CHANNEL_LAYERS)
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"{TEST_REDIS_PREFIX}-asgi"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "global_keyprefix": f"{TEST_REDIS_PREFIX}:",
    }
