"""The alert feed's pub/sub channels are named per deployment.

Redis publish/subscribe ignores the database number, so without a prefix of its own a
client connected to another DB number of the same Redis (another deployment, a test
instance) heard every alert of this one.
"""

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

from config.settings_parts.redis_backed import channel_prefix
from notifications import audience

ROOT = Path(__file__).resolve().parents[2]


def layer_config_for(redis_url: str, **env) -> dict:
    """The channel layer's CONFIG as settings compute it for another environment."""
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps(settings.CHANNEL_LAYERS['default']['CONFIG']))"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": redis_url,
        **env,
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_it_derives_a_prefix_from_the_database_and_the_redis_db_number():
    one = channel_prefix("laborcase", "redis://redis:6379/0")
    assert one == "laborcase.laborcase.0"
    assert channel_prefix("laborcase", "redis://redis:6379/1") != one
    assert channel_prefix("other", "redis://redis:6379/0") != one
    assert channel_prefix("/srv/db.sqlite3", "redis://h:6379") == "laborcase.db_sqlite3.0"


def test_it_takes_the_prefix_from_the_environment():
    config = layer_config_for("redis://127.0.0.1:6379/3", LABORCASE_CHANNEL_PREFIX="county-a")
    assert config["prefix"] == "county-a"


def with_db_number(url: str, number: int) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{number}" if base.count("/") >= 2 else f"{url}/{number}"


@pytest.mark.redis
@pytest.mark.asyncio
async def test_a_subscriber_on_another_db_number_hears_nothing():
    ours = dict(settings.CHANNEL_LAYERS["default"]["CONFIG"])
    other_url = with_db_number(os.environ["REDIS_URL"], 15)
    other = layer_config_for(other_url)

    publisher = RedisPubSubChannelLayer(**ours)
    eavesdropper = RedisPubSubChannelLayer(**other)
    colleague = RedisPubSubChannelLayer(**ours)
    try:
        overheard = await eavesdropper.new_channel()
        await eavesdropper.group_add(audience.COUNTY_GROUP, overheard)
        delivered = await colleague.new_channel()
        await colleague.group_add(audience.COUNTY_GROUP, delivered)
        await asyncio.sleep(0.2)  # the subscriptions reach Redis

        await publisher.group_send(audience.COUNTY_GROUP, {"type": "alert.message", "id": 1})

        message = await asyncio.wait_for(colleague.receive(delivered), 5)
        assert message["id"] == 1
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(eavesdropper.receive(overheard), 1)
    finally:
        for layer in (publisher, eavesdropper, colleague):
            await layer.flush()
