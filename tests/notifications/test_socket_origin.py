"""/ws/alerts/ opens only from this site's own origin: scheme, host and port alike."""

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from knox.models import AuthToken

from config.asgi import application

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def handshake(origin: bytes, host: bytes = b"testserver", extra=()):
    token = await database_sync_to_async(_screen_token)()
    headers = [(b"origin", origin), (b"host", host), *extra]
    communicator = WebsocketCommunicator(application, f"/ws/alerts/?token={token}", headers=headers)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


def _screen_token():
    from django.contrib.auth.models import User

    from tests.factories import staff

    user = User.objects.filter(username="screen_o").first() or staff(
        "screen_o", "screen", townships=()
    )
    return AuthToken.objects.create(user=user)[1]


async def test_it_opens_from_the_same_origin(reference_data):
    assert await handshake(b"http://testserver")
    assert await handshake(b"http://testserver:80")
    assert await handshake(b"http://localhost:8000", host=b"localhost:8000")


async def test_it_refuses_another_port_of_the_same_host(reference_data):
    assert not await handshake(b"http://testserver:8080")
    assert not await handshake(b"http://localhost:9999", host=b"localhost:8000")


async def test_it_refuses_another_scheme_of_the_same_host(reference_data):
    assert not await handshake(b"https://testserver")


async def test_it_refuses_other_hosts_and_malformed_origins(reference_data):
    assert not await handshake(b"http://evil.example")
    assert not await handshake(b"http://testserver.evil.example")
    assert not await handshake(b"null")
    assert not await handshake(b"http://testserver/path")
    assert not await handshake(b"http://testserver", host=b"evil.example")


async def test_it_refuses_a_socket_without_origin(reference_data):
    token = await database_sync_to_async(_screen_token)()
    communicator = WebsocketCommunicator(
        application, f"/ws/alerts/?token={token}", headers=[(b"host", b"testserver")]
    )
    connected, _ = await communicator.connect()
    assert not connected


async def test_it_takes_https_from_the_proxy_header_when_behind_tls(reference_data, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    forwarded = [(b"x-forwarded-proto", b"https")]

    assert await handshake(b"https://testserver", extra=forwarded)
    assert not await handshake(b"http://testserver", extra=forwarded)
    assert not await handshake(b"https://testserver:8443", extra=forwarded)


async def test_it_accepts_a_trusted_origin_exactly(reference_data, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://screen.example.gov.cn"]

    assert await handshake(b"https://screen.example.gov.cn")
    assert not await handshake(b"http://screen.example.gov.cn")
    assert not await handshake(b"https://screen.example.gov.cn:444")
