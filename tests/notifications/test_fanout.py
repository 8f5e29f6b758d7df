"""A process's sockets receive a group's broadcast through one channel of the process,
encoded once (notifications.fanout); every socket still gets every frame it should."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from notifications import audience, fanout
from notifications.consumers import AlertConsumer
from notifications.fanout import Frame, GroupFanout
from tests.notifications.support import file
from tests.notifications.test_consumer import connect_as, empty_layer, hello, make_alert

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

__all__ = ["empty_layer"]  # the autouse fixture, shared


def county_channels() -> set:
    """The channels the layer delivers the county group's messages to in this process."""
    layer = get_channel_layer()
    if hasattr(layer, "_get_group_channel_name"):  # Redis pub/sub: by the group's channel
        return set(layer.groups.get(layer._get_group_channel_name(audience.COUNTY_GROUP), ()))
    return set(layer.groups.get(audience.COUNTY_GROUP, {}))  # in memory


async def settled():
    """Let the fan-out's releases (scheduled when a socket leaves) run."""
    for _ in range(5):
        await asyncio.sleep(0.01)


async def test_three_sockets_are_one_channel_in_the_group_and_all_receive(people, rules):
    case = await database_sync_to_async(file)()
    sockets = [await connect_as(people[name]) for name in ("screen", "supervisor", "screen")]
    for socket in sockets:
        await hello(socket)

    assert len(county_channels()) == 1
    alert = await database_sync_to_async(make_alert)(case)

    for socket in sockets:
        assert (await socket.receive_json_from(timeout=2))["id"] == alert.pk
        assert await socket.receive_nothing(timeout=0.1)
    for socket in sockets:
        await socket.disconnect()
    await settled()
    assert county_channels() == set()
    assert audience.COUNTY_GROUP not in GroupFanout.of(get_channel_layer()).groups


async def test_an_alert_is_encoded_once_for_all_sockets(people, rules, monkeypatch):
    case = await database_sync_to_async(file)()
    sockets = [await connect_as(people["screen"]) for _ in range(4)]
    for socket in sockets:
        await hello(socket)
    encoded = []
    real = AlertConsumer.encode_json.__func__

    async def counted(cls, content):
        encoded.append(content.get("type"))
        return await real(cls, content)

    monkeypatch.setattr(AlertConsumer, "encode_json", classmethod(counted))

    await database_sync_to_async(make_alert)(case)

    for socket in sockets:
        assert (await socket.receive_json_from(timeout=2))["type"] == "alert"
    assert encoded == ["alert"]
    for socket in sockets:
        await socket.disconnect()


async def test_a_socket_joining_as_the_last_one_leaves_still_receives(people, rules):
    case = await database_sync_to_async(file)()
    first = await connect_as(people["screen"])
    await hello(first)

    await first.disconnect()  # its group is released on the layer...
    second = await connect_as(people["screen"])  # ...while this one joins
    await hello(second)
    await settled()

    assert len(county_channels()) == 1
    alert = await database_sync_to_async(make_alert)(case)
    assert (await second.receive_json_from(timeout=2))["id"] == alert.pk
    await second.disconnect()


async def test_a_socket_whose_send_fails_does_not_stop_the_others(caplog):
    received = []

    class Broken:
        @classmethod
        async def frame_for(cls, message):
            return Frame("{}")

        async def send_frame(self, frame):
            raise ConnectionError("gone")

    class Working(Broken):
        async def send_frame(self, frame):
            received.append(frame.text)

    members = [Working(), Broken(), Working()] * 300  # more than one turn of the loop

    await fanout.deliver({"type": "summary.message"}, members)

    assert len(received) == 600
    assert "delivery of summary.message failed" in caplog.text


async def test_a_message_each_socket_decides_goes_through_its_own_handler(people, rules):
    sockets = [await connect_as(people["supervisor"]) for _ in range(2)]
    session_socket = await connect_as(people["screen"])
    for socket in (*sockets, session_socket):
        await hello(socket)

    # The supervisor deactivated, say: each of their sockets decides by its own handler;
    # the screen user's socket, in another user's group, hears nothing.
    await get_channel_layer().group_send(
        audience.user_group(people["supervisor"].pk),
        {"type": "session.close", "everywhere": True, "session_key": None},
    )

    for socket in sockets:
        assert await socket.receive_output(timeout=2) == {"type": "websocket.close", "code": 4401}
    assert await session_socket.receive_nothing(timeout=0.2)
    await session_socket.disconnect()
