"""With RedisPubSubChannelLayer a socket stays open while Redis is away and silently
misses what is published meanwhile; the server closes it (4503) so that the browser
reconnects and resumes from its last alert id (notifications/consumers.py, _LayerWatch).

The layer points at a throwaway redis-server on its own port, stopped by this test; the
machine's Redis on 6379 is never touched.
"""

import shutil

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from knox.models import AuthToken

from config.asgi import application
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
