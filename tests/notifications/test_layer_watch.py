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


@pytest.mark.asyncio
async def test_sockets_are_closed_to_resume_when_the_layer_loses_redis(
    pubsub_layer_on_throwaway_redis, people
):
    token = (await database_sync_to_async(AuthToken.objects.create)(user=people["screen"]))[1]
    communicator = WebsocketCommunicator(
        application,
        f"/ws/alerts/?token={token}",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    assert await communicator.receive_nothing(timeout=2.5)  # the watch's checks pass

    await database_sync_to_async(pubsub_layer_on_throwaway_redis.stop)()

    closed = await communicator.receive_output(timeout=6)
    assert closed == {"type": "websocket.close", "code": CLOSE_LAYER_LOST}
    await communicator.wait()
