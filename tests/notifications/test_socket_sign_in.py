"""An open /ws/alerts/ socket lives only as long as its sign-in: sign-out, session
expiry, deactivation and a change of role, township or password close it with 4401."""

import asyncio

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from config.asgi import application
from core.models import Township
from notifications.consumers import CLOSE_UNAUTHENTICATED

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
CLOSED = {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}


@pytest_asyncio.fixture(autouse=True)
async def empty_layer():
    await get_channel_layer().flush()
    yield
    await get_channel_layer().flush()


def signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


async def open_socket(client: Client | None = None, token: str | None = None):
    headers = list(HEADERS)
    path = "/ws/alerts/"
    if client is not None:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    if token is not None:
        path += f"?token={token}"
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "hello"
    return communicator


async def closes(communicator, within: float = 3.0) -> bool:
    try:
        output = await communicator.receive_output(timeout=within)
    except TimeoutError:
        return False
    assert output == CLOSED
    return True


async def stays_open(communicator) -> bool:
    return await communicator.receive_nothing(timeout=0.5)


async def test_it_closes_the_socket_of_a_session_that_signs_out(people):
    user = people["inspector"]
    client = await database_sync_to_async(signed_in_client)(user)
    other_browser = await database_sync_to_async(signed_in_client)(user)
    socket = await open_socket(client)
    elsewhere = await open_socket(other_browser)

    await database_sync_to_async(client.logout)()

    assert await closes(socket)
    assert await stays_open(elsewhere)  # the same user's other session is still signed in
    await elsewhere.disconnect()


async def test_it_closes_every_socket_of_a_deactivated_user(people):
    user = people["inspector"]
    client = await database_sync_to_async(signed_in_client)(user)
    token = await _token(user)
    by_session, by_token = await open_socket(client), await open_socket(token=token)
    bystander = await open_socket(token=(await _token(people["supervisor"])))

    user.is_active = False
    await database_sync_to_async(user.save)()

    assert await closes(by_session)
    assert await closes(by_token)
    assert await stays_open(bystander)
    await bystander.disconnect()


async def test_it_closes_the_socket_when_the_role_changes(people):
    user = people["inspector"]
    socket = await open_socket(token=await _token(user))

    await database_sync_to_async(user.groups.add)(
        await database_sync_to_async(Group.objects.get)(name="mediator")
    )

    assert await closes(socket)


async def test_it_closes_the_socket_when_a_group_loses_the_user(people):
    user = people["inspector"]
    socket = await open_socket(token=await _token(user))
    group = await database_sync_to_async(Group.objects.get)(name="inspector")

    await database_sync_to_async(group.user_set.remove)(user)

    assert await closes(socket)


async def test_it_closes_the_socket_when_the_township_changes(people):
    user = people["inspector"]
    socket = await open_socket(token=await _token(user))

    def move():
        user.staff_profile.townships.set(Township.objects.filter(code="zhaokang"))

    await database_sync_to_async(move)()

    assert await closes(socket)


async def test_it_closes_the_socket_when_the_user_becomes_county_level(people):
    user = people["inspector"]
    socket = await open_socket(token=await _token(user))

    def promote():
        profile = user.staff_profile
        profile.county_level = True
        profile.save()

    await database_sync_to_async(promote)()

    assert await closes(socket)


async def test_it_closes_the_socket_when_the_password_changes(people):
    user = people["inspector"]
    client = await database_sync_to_async(signed_in_client)(user)
    socket = await open_socket(client)

    def change_password():
        user.set_password("another-Password-2")
        user.save()

    await database_sync_to_async(change_password)()

    assert await closes(socket)


async def test_it_closes_the_socket_when_the_session_expires(people):
    user = people["inspector"]
    client = await database_sync_to_async(signed_in_client)(user)
    socket = await open_socket(client)
    assert await stays_open(socket)

    def expire_in_one_second():
        Session.objects.update(expire_date=timezone.now() + timezone.timedelta(seconds=1))

    # The socket learns the session's end at its next check (LABORCASE_WS_RECHECK_SECONDS,
    # 60 s by default): reconnect so it reads the new end at once.
    await socket.disconnect()
    await database_sync_to_async(expire_in_one_second)()
    socket = await open_socket(client)

    assert await closes(socket, within=4)


async def test_it_notices_a_change_the_signals_missed(people, settings):
    settings.LABORCASE_WS_RECHECK_SECONDS = 0.3
    user = people["inspector"]
    client = await database_sync_to_async(signed_in_client)(user)
    socket = await open_socket(client)

    # A bulk update sends no signal; the periodic re-check sees it.
    await database_sync_to_async(
        lambda: type(user).objects.filter(pk=user.pk).update(is_active=False)
    )()

    assert await closes(socket)


async def test_it_notices_a_deleted_session_and_a_deleted_token(people, settings):
    settings.LABORCASE_WS_RECHECK_SECONDS = 0.3
    user = people["inspector"]
    client = await database_sync_to_async(signed_in_client)(user)
    by_session = await open_socket(client)
    by_token = await open_socket(token=await _token(user))

    await database_sync_to_async(lambda: Session.objects.all().delete())()
    await database_sync_to_async(lambda: AuthToken.objects.filter(user=user).delete())()

    assert await closes(by_session)
    assert await closes(by_token)


async def test_it_keeps_a_socket_whose_sign_in_holds(people, settings):
    settings.LABORCASE_WS_RECHECK_SECONDS = 0.2
    client = await database_sync_to_async(signed_in_client)(people["supervisor"])
    by_session = await open_socket(client)
    by_token = await open_socket(token=await _token(people["screen"]))

    await asyncio.sleep(0.7)  # several re-checks

    assert await stays_open(by_session)
    assert await stays_open(by_token)
    await by_session.disconnect()
    await by_token.disconnect()


async def _token(user) -> str:
    _instance, key = await database_sync_to_async(AuthToken.objects.create)(user=user)
    return key
