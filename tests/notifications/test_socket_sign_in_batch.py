"""A server process checks its sockets' sign-ins together (notifications.sign_in_watch,
notifications.auth.sign_ins): one round of a few queries for all of its open sockets,
however many, closing exactly those whose sign-in ended; sockets that connect together
share a check. Before, every socket asked on its own, several queries each, on the
process's one database thread (docs/performance.md)."""

import asyncio
import threading
import time

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from notifications import auth, sign_in_watch
from notifications.audience import COUNTY_GROUP, township_group, user_group
from tests.factories import staff
from tests.notifications.test_socket_sign_in import closes, open_socket, stays_open


@pytest_asyncio.fixture
async def empty_layer():
    await get_channel_layer().flush()
    yield
    await get_channel_layer().flush()


@pytest.fixture
def checks(monkeypatch):
    """The sockets each call of auth.sign_ins checked, in order."""
    calls: list[int] = []
    real = auth.sign_ins

    def counted(credentials):
        calls.append(len(credentials))
        return real(credentials)

    monkeypatch.setattr(sign_in_watch.auth, "sign_ins", counted)
    return calls


def _signed_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _token(user) -> str:
    return AuthToken.objects.create(user=user)[1]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_one_round_closes_exactly_the_sockets_whose_sign_in_ended(
    reference_data, settings, checks, empty_layer
):
    settings.LABORCASE_WS_RECHECK_SECONDS = 0.5
    users = await database_sync_to_async(
        lambda: [staff(f"crowd{i}", "inspector") for i in range(6)]
    )()
    clients = [await database_sync_to_async(_signed_in_client)(u) for u in users[:3]]
    tokens = [await database_sync_to_async(_token)(u) for u in users[3:]]
    by_session = [await open_socket(c) for c in clients]
    by_token = [await open_socket(token=t) for t in tokens]
    checks.clear()

    def end_three_sign_ins():
        # Behind the signals' back (no sockets_close is sent): only the re-check sees these.
        Session.objects.filter(session_key=clients[0].session.session_key).delete()
        User.objects.filter(pk=users[1].pk).update(is_active=False)
        AuthToken.objects.filter(user=users[3]).delete()

    await database_sync_to_async(end_three_sign_ins)()

    assert await closes(by_session[0])  # session deleted
    assert await closes(by_session[1])  # user deactivated
    assert await closes(by_token[0])  # token deleted
    for kept in (by_session[2], *by_token[1:]):
        assert await stays_open(kept)
    assert checks[0] == 6  # the first round: every open socket in one call
    assert all(count <= 6 for count in checks)
    for kept in (by_session[2], *by_token[1:]):
        await kept.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_sockets_connecting_together_share_a_check(
    reference_data, checks, empty_layer, monkeypatch
):
    user = await database_sync_to_async(staff)("crowd", "inspector")
    token = await database_sync_to_async(_token)(user)
    counted = sign_in_watch.auth.sign_ins
    began = threading.Event()

    def first_one_slow(credentials):
        """The first check holds the database thread (a busy database) until every
        other socket has asked for its own."""
        if not checks:
            began.set()
            deadline = time.monotonic() + 10
            while _waiting() < 9 and time.monotonic() < deadline:
                time.sleep(0.01)
        return counted(credentials)

    monkeypatch.setattr(sign_in_watch.auth, "sign_ins", first_one_slow)

    first = asyncio.ensure_future(open_socket(token=token))
    while not began.is_set():  # its check runs on the database thread...
        await asyncio.sleep(0.01)
    others = await asyncio.gather(*(open_socket(token=token) for _ in range(9)))  # ...these ask
    sockets = [await first, *others]

    assert checks == [1, 9]  # those that asked while the first check ran, together
    for socket in sockets:
        await socket.disconnect()


@pytest.mark.django_db
def test_a_check_costs_the_same_queries_for_4_and_40_sockets(reference_data):
    def crowd(start, count):
        credentials = []
        for i in range(start, start + count):
            user = staff(f"crowd{i}", "inspector" if i % 2 else "supervisor")
            if i % 2:
                credentials.append(auth.Credentials(session_key=_session_key(user)))
            else:
                credentials.append(auth.Credentials(token_key=_token(user)))
        return credentials

    few, many = crowd(0, 4), crowd(4, 40)
    for credentials in (few, many):
        auth.sign_ins(credentials)  # once before: the same state for both counts

    with CaptureQueriesContext(connection) as for_few:
        found_few = auth.sign_ins(few)
    with CaptureQueriesContext(connection) as for_many:
        found_many = auth.sign_ins(many)

    assert len(for_many) == len(for_few) <= 5
    assert all(found is not None for found in found_few + found_many)
    names = [found.user.username for found in found_many]
    assert names == [f"crowd{i}" for i in range(4, 44)]
    inspector = found_many[1]  # crowd5: a session, an inspector of xincheng
    assert inspector.credentials == many[1]
    assert inspector.expires_at is not None
    assert inspector.audience.groups == [
        user_group(inspector.user.pk),
        township_group(inspector.user.staff_profile.townships.get().pk),
    ]
    supervisor = found_many[0]  # crowd4: a token, a supervisor of xincheng
    assert supervisor.credentials == many[0] and supervisor.expires_at is None
    assert COUNTY_GROUP not in supervisor.audience.groups


def _waiting() -> int:
    return sum(len(watch.waiting) for watch in list(sign_in_watch.SignInWatch._by_loop.values()))


def _session_key(user) -> str:
    return _signed_in_client(user).session.session_key
