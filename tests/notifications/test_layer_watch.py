"""With RedisPubSubChannelLayer a socket stays open while Redis is away and silently
misses what is published meanwhile; the server closes it (4503) so that the browser
reconnects and resumes from its last alert id (notifications/consumers.py, _LayerWatch).

The layer points at a throwaway redis-server on its own port, stopped by this test; the
machine's Redis on 6379 is never touched.
"""

import asyncio
import shutil
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from knox.models import AuthToken

from config.asgi import application
from notifications import wire
from notifications.consumers import CLOSE_LAYER_LOST
from tests.faults.throwaway import ThrowawayRedis

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pubsub_layer_on_throwaway_redis(settings):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for this test")
    server = ThrowawayRedis()
    server.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": server.url, "socket_connect_timeout": 2}]},
        }
    }
    yield server
    if server.is_up():
        server.stop()


async def screen_socket(user) -> WebsocketCommunicator:
    token = (await database_sync_to_async(AuthToken.objects.create)(user=user))[1]
    communicator = WebsocketCommunicator(
        application,
        f"/ws/alerts/?token={token}",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@pytest.mark.asyncio
async def test_sockets_are_closed_to_resume_when_the_layer_loses_redis(
    pubsub_layer_on_throwaway_redis, people
):
    communicator = await screen_socket(people["screen"])
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    assert await communicator.receive_nothing(timeout=2.5)  # the watch's checks pass

    await database_sync_to_async(pubsub_layer_on_throwaway_redis.stop)()

    closed = await communicator.receive_output(timeout=6)
    assert closed == {"type": "websocket.close", "code": CLOSE_LAYER_LOST}
    await communicator.wait()


@pytest.mark.asyncio
async def test_the_first_hello_waits_until_the_layer_reads(pubsub_layer_on_throwaway_redis, people):
    """channels_redis's reader naps 0.1 s after a process's first subscription; the first
    socket's hello waits until a message has come back through the layer, so what is
    published right after it is read at once, not held in Redis's socket meanwhile (the
    first alerts of a fresh server came 50-80 ms late; docs/performance.md)."""
    from channels.layers import get_channel_layer

    from notifications import audience
    from notifications.wire import LayerWatch

    communicator = await screen_socket(people["screen"])
    hello = await communicator.receive_json_from(timeout=5)
    assert hello["type"] == "hello"
    layer = get_channel_layer()
    assert LayerWatch.of(layer).receiving.is_set()
    group = hello["groups"][0]
    assert group in (await database_sync_to_async(audience.alert_audience)(people["screen"])).groups
    await layer.group_send(group, {"type": "summary.message", "summary": {"probe": 1}})
    message = await communicator.receive_json_from(timeout=5)
    assert message == {"type": "summary", "probe": 1}
    await communicator.disconnect()


class _HeldLayer:
    """A layer whose messages come back only when the test says so."""

    def __init__(self):
        self.back = asyncio.Event()

    async def send(self, channel, message):
        pass

    async def receive(self, channel):
        await self.back.wait()
        return {"type": "layer.check"}


@pytest.fixture
def short_checks(monkeypatch):
    monkeypatch.setattr(wire, "LAYER_CHECK_SECONDS", 0.1)  # 0.2 s of free time
    monkeypatch.setattr(wire, "CHECK_STEP_SECONDS", 0.02)
    monkeypatch.setattr(wire, "BUSY_LIMIT_SECONDS", 3.0)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=False)
async def test_a_check_is_not_lost_while_the_loop_is_busy(short_checks):
    """A crowd connecting keeps the loop busy for seconds (benchmark 5d): the check's
    message is late, not lost."""
    layer = _HeldLayer()
    watch = wire.LayerWatch(layer)

    async def busy_then_back():
        for _ in range(20):  # 1 s of a busy loop, five times the free time allowed
            time.sleep(0.05)
            await asyncio.sleep(0)
        layer.back.set()

    crowd = asyncio.ensure_future(busy_then_back())
    await watch._check("watch-channel")  # no TimeoutError
    await crowd


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=False)
async def test_a_check_on_a_free_loop_is_lost_after_its_free_time(short_checks):
    watch = wire.LayerWatch(_HeldLayer())
    started = time.monotonic()

    with pytest.raises(TimeoutError):
        await watch._check("watch-channel")
    assert time.monotonic() - started < 1.0


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=False)
async def test_a_check_is_lost_after_the_busy_limit_however_busy(short_checks):
    watch = wire.LayerWatch(_HeldLayer())
    busy = True

    async def always_busy():
        while busy:
            time.sleep(0.05)
            await asyncio.sleep(0)

    crowd = asyncio.ensure_future(always_busy())
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        await watch._check("watch-channel")
    busy = False
    await crowd
    assert 2.9 < time.monotonic() - started < 4.0
