"""The outbox with Redis stopped and restarted: complaints are still filed, alerts still
stored, and a client that reconnects and resumes gets every alert it missed, once.

The channel layer points at a throwaway redis-server on port 6390 that this test stops
and starts; the machine's Redis on 6379 (used by other tests) is never touched.
"""

import shutil
import subprocess
import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.asgi import application
from notifications.models import Alert
from tests.notifications.servers import red_complaint

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

PORT = 6390
URL = f"redis://127.0.0.1:{PORT}/0"


def redis_cli(*args):
    return subprocess.run(
        ["redis-cli", "-p", str(PORT), *args], capture_output=True, text=True, timeout=10
    )


def start_redis():
    subprocess.run(
        [
            "redis-server",
            "--port",
            str(PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "yes",
        ],
        check=True,
        timeout=10,
    )
    for _ in range(50):
        if redis_cli("ping").stdout.strip() == "PONG":
            return
        time.sleep(0.1)
    raise RuntimeError("throwaway redis did not start")


def stop_redis():
    redis_cli("shutdown", "nosave")
    for _ in range(50):
        if redis_cli("ping").returncode != 0:
            return
        time.sleep(0.1)
    raise RuntimeError("throwaway redis did not stop")


@pytest.fixture
def throwaway_redis(settings):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for this test")
    start_redis()
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": URL, "socket_timeout": 30, "socket_connect_timeout": 2}]
            },
        }
    }
    yield
    stop_redis()


async def resume(token, after_id):
    communicator = WebsocketCommunicator(
        application, f"/ws/alerts/?token={token}", headers=[(b"origin", b"http://testserver")]
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
    token = (await database_sync_to_async(Token.objects.create)(user=people["screen"])).key
    before = await database_sync_to_async(file_red)(1)  # Redis up: pushed live
    seen = await database_sync_to_async(lambda: max(Alert.objects.values_list("pk", flat=True)))()

    await database_sync_to_async(stop_redis)()
    missed_cases = [await database_sync_to_async(file_red)(n) for n in (2, 3)]
    stored = await database_sync_to_async(
        lambda: list(
            Alert.objects.filter(pk__gt=seen).order_by("pk").values_list("pk", "case__number")
        )
    )()
    assert {number for _, number in stored} == set(missed_cases)  # stored while Redis was down
    assert "push of alerts" in caplog.text

    await database_sync_to_async(start_redis)()
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
