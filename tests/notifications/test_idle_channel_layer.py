"""An idle channel-layer connection still delivers after more than 10 seconds.

channels-redis reads with a 5 s blocking BZPOPMIN; redis-py 8 sets a 5 s socket timeout
by default, which cuts such a read ("Timeout reading from socket") and breaks sockets
that sat idle. settings.CHANNEL_LAYERS sets socket_timeout explicitly above the blocking
read; the second test shows that a short timeout does break, so the first can fail.
The production layer, RedisPubSubChannelLayer, reads its subscriptions in short polls;
the first test checks it with the same settings too.
"""

import asyncio
import copy
import os

import pytest
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings

pytestmark = [pytest.mark.redis, pytest.mark.asyncio]

IDLE_SECONDS = 11


def layer_config(**overrides) -> dict:
    config = copy.deepcopy(settings.CHANNEL_LAYERS["default"]["CONFIG"])
    host = config["hosts"][0]
    host["address"] = os.environ["REDIS_URL"]
    host.update(overrides)
    return config


async def idle_then_deliver(config, layer_class=RedisChannelLayer) -> dict:
    listener, sender = layer_class(**config), layer_class(**config)
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
        if isinstance(sender, RedisPubSubChannelLayer):
            await sender.flush()  # closes its connection (it keeps nothing in Redis)
        else:
            await listener.close_pools()
            await sender.close_pools()


# The production layer (RedisPubSubChannelLayer) and the other one, with the same CONFIG.
@pytest.mark.parametrize("layer_class", [RedisPubSubChannelLayer, RedisChannelLayer])
async def test_it_delivers_after_an_idle_period_with_the_project_settings(layer_class):
    message = await idle_then_deliver(layer_config(), layer_class)

    assert message == {"type": "alert.message", "n": 1}


async def test_a_socket_timeout_below_the_blocking_read_breaks_it():
    with pytest.raises(Exception, match="(?i)timeout"):
        await idle_then_deliver(layer_config(socket_timeout=2))
