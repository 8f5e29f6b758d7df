"""A frame the alert socket cannot read (not JSON, nested too deep, binary) is answered
with an error message and a close with code 4400, never the server's 1011."""

import pytest

from notifications.consumers import BINARY_FRAME, CLOSE_BAD_FRAME
from tests.notifications.test_consumer import connect_as, empty_layer, hello  # noqa: F401

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def _refused(communicator):
    error = await communicator.receive_json_from(timeout=2)
    closed = await communicator.receive_output(timeout=2)
    assert error["type"] == "error" and error["detail"]
    assert closed["type"] == "websocket.close" and closed["code"] == CLOSE_BAD_FRAME
    return error["detail"]


@pytest.mark.parametrize("frame", ["not json", "{", "[" * 100_000 + "]" * 100_000, "1e400"])
async def test_it_closes_with_4400_on_a_text_frame_that_is_not_usable_json(people, frame):
    communicator = await connect_as(people["inspector"])
    await hello(communicator)

    await communicator.send_to(text_data=frame)

    await _refused(communicator)


async def test_it_closes_with_4400_on_a_binary_frame(people):
    communicator = await connect_as(people["inspector"])
    await hello(communicator)

    await communicator.send_to(bytes_data=b"\x00\x01")

    assert await _refused(communicator) == BINARY_FRAME


async def test_it_still_answers_a_ping(people):
    communicator = await connect_as(people["inspector"])
    await hello(communicator)

    await communicator.send_json_to({"type": "ping"})

    assert await communicator.receive_json_from(timeout=2) == {"type": "pong"}
    await communicator.disconnect()
