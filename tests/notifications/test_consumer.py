"""/ws/alerts/ through the project's ASGI application: sign-in, groups, resume."""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken

from config.asgi import application
from notifications import audience, push, services
from notifications.models import Alert
from tests.notifications.support import file

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://testserver")
HOST = (b"host", b"testserver")


@pytest_asyncio.fixture(autouse=True)
async def empty_layer():
    await get_channel_layer().flush()
    yield
    await get_channel_layer().flush()


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def connect_as(user=None, path="/ws/alerts/"):
    headers = [ORIGIN, HOST]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def hello(communicator):
    message = await communicator.receive_json_from()
    assert message["type"] == "hello"
    return message


def make_alert(case, reason="risk_red", notify=()):
    alert = Alert.objects.create(
        case=case,
        township=case.township,
        reason=reason,
        level="red",
        score=75,
        message=f"{case.number} 风险升至红色",
        created_at=timezone.now(),
    )
    alert.notify_users.set(notify)
    push.alerts_push([alert.pk])
    return alert


@database_sync_to_async
def two_cases():
    return file(employer="甲公司"), file(employer="乙公司", township="zhaokang", start=10)


async def test_it_closes_an_anonymous_socket_with_4401(db):
    communicator = await connect_as(None)

    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_it_closes_a_bad_token_with_4401(db):
    communicator = await connect_as(None, "/ws/alerts/?token=not-a-token")

    assert (await communicator.receive_output())["code"] == 4401


async def test_it_closes_a_user_without_a_staff_role_with_4403(db):
    from django.contrib.auth.models import User

    user = await database_sync_to_async(User.objects.create_user)("citizen", password="x-pass-123")
    communicator = await connect_as(user)

    assert (await communicator.receive_output())["code"] == 4403


async def test_it_signs_in_with_the_session_cookie(people):
    communicator = await connect_as(people["inspector"])

    message = await hello(communicator)

    assert message["user"] == "insp_x"
    await communicator.disconnect()


async def test_it_signs_in_with_a_token(people):
    _instance, token = await database_sync_to_async(AuthToken.objects.create)(user=people["screen"])
    communicator = await connect_as(None, f"/ws/alerts/?token={token}")

    message = await hello(communicator)

    assert message["user"] == "screen" and audience.COUNTY_GROUP in message["groups"]
    await communicator.disconnect()


async def test_it_sends_a_township_its_own_alerts_only(people, rules):
    here, there = await two_cases()
    inspector = await connect_as(people["inspector"])
    await hello(inspector)

    await database_sync_to_async(make_alert)(there)
    mine = await database_sync_to_async(make_alert)(here)

    message = await inspector.receive_json_from(timeout=2)
    assert (message["type"], message["id"], message["case_number"]) == (
        "alert",
        mine.pk,
        here.number,
    )
    assert await inspector.receive_nothing(timeout=0.3)
    await inspector.disconnect()


async def test_the_county_screen_receives_every_township(people, rules):
    here, there = await two_cases()
    screen = await connect_as(people["screen"])
    await hello(screen)

    first = await database_sync_to_async(make_alert)(here)
    second = await database_sync_to_async(make_alert)(there)

    received = [(await screen.receive_json_from(timeout=2))["id"] for _ in range(2)]
    assert received == [first.pk, second.pk]
    await screen.disconnect()


async def test_a_user_receives_alerts_addressed_to_them_once(people, rules):
    here, there = await two_cases()
    supervisor = await connect_as(people["supervisor"])
    other = await connect_as(people["other_inspector"])
    await hello(supervisor)
    await hello(other)

    # county group and user group both carry it: still delivered once
    escalation = await database_sync_to_async(make_alert)(
        here, "escalated", notify=[people["supervisor"], people["other_inspector"]]
    )

    assert (await supervisor.receive_json_from(timeout=2))["id"] == escalation.pk
    assert (await other.receive_json_from(timeout=2))["id"] == escalation.pk
    assert await supervisor.receive_nothing(timeout=0.3)
    assert await other.receive_nothing(timeout=0.3)
    await supervisor.disconnect()
    await other.disconnect()


async def test_it_replays_missed_alerts_on_resume(people, rules):
    here, there = await two_cases()
    seen = await database_sync_to_async(make_alert)(here, "risk_orange")
    missed = [
        await database_sync_to_async(make_alert)(here, "risk_red"),
        await database_sync_to_async(make_alert)(there, "risk_red"),  # not this inspector's
        await database_sync_to_async(make_alert)(here, "overdue"),
    ]
    inspector = await connect_as(people["inspector"])
    await hello(inspector)

    await inspector.send_json_to({"type": "resume", "after_id": seen.pk})

    replayed = [await inspector.receive_json_from(timeout=2) for _ in range(3)]
    assert [m["id"] for m in replayed[:2]] == [missed[0].pk, missed[2].pk]
    assert replayed[2] == {"type": "resumed", "last_id": missed[2].pk}
    await inspector.disconnect()


async def test_it_sends_each_alert_once_across_resume_and_live(people, rules):
    here, _ = await two_cases()
    first = await database_sync_to_async(make_alert)(here, "risk_orange")
    inspector = await connect_as(people["inspector"])
    await hello(inspector)
    live = await database_sync_to_async(make_alert)(here, "risk_red")  # pushed live...

    await inspector.send_json_to({"type": "resume", "after_id": 0})  # ...and in the replay

    ids = []
    while True:
        message = await inspector.receive_json_from(timeout=2)
        if message["type"] == "resumed":
            break
        ids.append(message["id"])
    assert sorted(ids) == [first.pk, live.pk]
    await inspector.disconnect()


async def test_the_screen_receives_summaries(people, rules):
    screen = await connect_as(people["screen"])
    await hello(screen)

    await database_sync_to_async(file)(count=12)  # the case_changed handler pushes figures

    message = await screen.receive_json_from(timeout=2)
    assert message["type"] == "summary" and message["open_cases"] == 1
    assert message["collective_cases"] == 1
    await screen.disconnect()


async def test_an_acknowledgement_moves_the_screens_count_of_open_alerts(people, rules):
    case = await database_sync_to_async(file)()
    screen = await connect_as(people["screen"])
    await hello(screen)
    alert = await database_sync_to_async(make_alert)(case)
    assert (await screen.receive_json_from(timeout=2))["id"] == alert.pk

    await database_sync_to_async(services.alert_acknowledge)(
        alert_id=alert.pk, user=people["supervisor"]
    )

    update = await screen.receive_json_from(timeout=2)
    assert (update["type"], update["status"]) == ("alert_update", "acknowledged")
    figures = await screen.receive_json_from(timeout=2)
    assert figures["type"] == "summary"
    assert figures["open_alerts"]["red"] == 0
    await screen.disconnect()


async def test_a_township_inspectors_screen_receives_the_figures_too(people, rules):
    inspector = await connect_as(people["inspector"])
    await hello(inspector)

    await database_sync_to_async(file)(count=12)

    message = await inspector.receive_json_from(timeout=2)
    if message["type"] == "alert":  # the collective case's own alert may come first
        message = await inspector.receive_json_from(timeout=2)
    assert message["type"] == "summary" and message["open_cases"] == 1
    await inspector.disconnect()


async def test_a_socket_that_asks_for_no_figures_gets_alerts_only(people, rules):
    alerts_page = await connect_as(people["supervisor"], "/ws/alerts/?figures=0")
    assert audience.FIGURES_GROUP not in (await hello(alerts_page))["groups"]
    screen = await connect_as(people["screen"])
    await hello(screen)

    case = await database_sync_to_async(file)(count=12)  # figures pushed to the screen
    assert (await screen.receive_json_from(timeout=2))["type"] in ("summary", "alert")
    alert = await database_sync_to_async(make_alert)(case)

    received = []
    while True:
        message = await alerts_page.receive_json_from(timeout=2)
        received.append(message["type"])
        if message.get("id") == alert.pk:
            break
    assert "summary" not in received
    assert await alerts_page.receive_nothing(timeout=0.3)
    await alerts_page.disconnect()
    await screen.disconnect()


async def test_no_message_takes_channels_database_thread_hop(people, rules, monkeypatch):
    # channels closes old database connections on the shared sync thread before every
    # message; for pushed alerts that queued a broadcast to 1,000 sockets on one thread,
    # and each connecting socket waited for a hop before it could ask for its sign-in.
    import channels.consumer

    hops = []
    real = channels.consumer.aclose_old_connections

    async def counted():
        hops.append(1)
        await real()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)
    here, _ = await two_cases()
    screen = await connect_as(people["screen"])
    await hello(screen)

    alert = await database_sync_to_async(make_alert)(here)

    assert (await screen.receive_json_from(timeout=2))["id"] == alert.pk
    await screen.send_json_to({"type": "ping"})
    assert await screen.receive_json_from(timeout=2) == {"type": "pong"}
    assert not hops  # connect, the pushed alert, the socket's own message
    await screen.disconnect()
