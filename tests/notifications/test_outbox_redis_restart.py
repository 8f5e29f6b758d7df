"""The outbox with Redis stopped and restarted: complaints are still filed, alerts still
stored, and a client that reconnects and resumes gets every alert it missed, once.

The channel layer points at a throwaway redis-server on a free port that this test stops
and starts (tests/faults/throwaway.py); the machine's Redis on 6379 is never touched.
"""

import shutil

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from knox.models import AuthToken
from rest_framework.test import APIClient

from config.asgi import application
from notifications.models import Alert
from tests.faults.throwaway import ThrowawayRedis
from tests.notifications.servers import red_complaint

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def throwaway_redis(settings):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for this test")
    server = ThrowawayRedis()
    server.start()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {"address": server.url, "socket_timeout": 30, "socket_connect_timeout": 2}
                ]
            },
        }
    }
    yield server
    if server.is_up():
        server.stop()


async def resume(token, after_id):
    communicator = WebsocketCommunicator(
        application,
        f"/ws/alerts/?token={token}",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
    await communicator.send_json_to({"type": "resume", "after_id": after_id})
    received = []
    while True:
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == "resumed":
            return communicator, received
        received.append(message)


def file_red(n):
    response = APIClient().post("/api/v1/complaints/", red_complaint(n, f"单位{n}"), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["case_number"]


@pytest.mark.asyncio
async def test_alerts_survive_a_redis_outage_and_are_resumed_once(
    throwaway_redis, people, rules, caplog
):
    token = (await database_sync_to_async(AuthToken.objects.create)(user=people["screen"]))[1]
    before = await database_sync_to_async(file_red)(1)  # Redis up: pushed live
    seen = await database_sync_to_async(lambda: max(Alert.objects.values_list("pk", flat=True)))()

    await database_sync_to_async(throwaway_redis.stop)()
    missed_cases = [await database_sync_to_async(file_red)(n) for n in (2, 3)]
    stored = await database_sync_to_async(
        lambda: list(
            Alert.objects.filter(pk__gt=seen).order_by("pk").values_list("pk", "case__number")
        )
    )()
    assert {number for _, number in stored} == set(missed_cases)  # stored while Redis was down
    assert "push of alerts" in caplog.text

    await database_sync_to_async(throwaway_redis.start)()
    communicator, replayed = await resume(token, seen)

    assert [m["id"] for m in replayed] == [pk for pk, _ in stored]  # every one, once
    assert before not in {m["case_number"] for m in replayed}

    # and live delivery works again after the restart
    live_case = await database_sync_to_async(file_red)(4)
    live = []
    while len(live) < 2:
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == "alert":
            live.append(message)
    assert {m["case_number"] for m in live} == {live_case}
    assert {m["reason"] for m in live} == {"risk_red", "distress"}
    await communicator.disconnect()
