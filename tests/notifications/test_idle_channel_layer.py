"""An idle channel-layer connection still delivers after more than 10 seconds.

channels-redis reads with a 5 s blocking BZPOPMIN; redis-py 8 sets a 5 s socket timeout
by default, which cuts such a read ("Timeout reading from socket") and breaks sockets
that sat idle. settings.CHANNEL_LAYERS sets socket_timeout explicitly above the blocking
read; the second test shows that a short timeout does break, so the first can fail.
"""

import asyncio
import copy
import os

import pytest
from channels_redis.core import RedisChannelLayer
from django.conf import settings

pytestmark = [pytest.mark.redis, pytest.mark.asyncio]

IDLE_SECONDS = 11


def layer_config(**overrides) -> dict:
    config = copy.deepcopy(settings.CHANNEL_LAYERS["default"]["CONFIG"])
    host = config["hosts"][0]
    host["address"] = os.environ["REDIS_URL"]
    host.update(overrides)
    return config


async def idle_then_deliver(config) -> dict:
    listener, sender = RedisChannelLayer(**config), RedisChannelLayer(**config)
    try:
        channel = await listener.new_channel()
        await listener.group_add("idle-test", channel)
        waiting = asyncio.ensure_future(listener.receive(channel))
        await asyncio.sleep(IDLE_SECONDS)
        assert not waiting.done() or waiting.exception() is None, waiting.exception()
        await sender.group_send("idle-test", {"type": "alert.message", "n": 1})
        return await asyncio.wait_for(waiting, timeout=5)
    finally:
        await listener.flush()
        await listener.close_pools()
        await sender.close_pools()


async def test_it_delivers_after_an_idle_period_with_the_project_settings():
    message = await idle_then_deliver(layer_config())

    assert message == {"type": "alert.message", "n": 1}


async def test_a_socket_timeout_below_the_blocking_read_breaks_it():
    with pytest.raises(Exception, match="(?i)timeout"):
        await idle_then_deliver(layer_config(socket_timeout=2))
