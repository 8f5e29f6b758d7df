"""Redis stopped while 100 complaints are filed: every one is stored, none gets a 5xx, and
the alerts they raise reach a command-screen WebSocket once Redis is back.

The real serving path, configured as in production (DEBUG off): gunicorn serves HTTP
(config.wsgi) and daphne the WebSocket (config.asgi), two processes sharing a database
on a throwaway PostgreSQL cluster and a throwaway redis-server on a free port
(tests/faults/throwaway.py) that is their channel layer, cache (rate limits, summary)
and Celery broker. The machine's own PostgreSQL and Redis are not used.

What a client sees: its socket loses the channel layer with Redis, so it reconnects
and asks to resume after the last alert id it saw; the server replays the stored alerts
(the outbox), each once, and live delivery works again.
"""

import asyncio
import concurrent.futures
import json
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.faults.throwaway import ThrowawayRedis, production_env
from tests.notifications import servers
from tests.notifications.support import id_number

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

COMPLAINTS = 100
FILERS = 4


@pytest.fixture
def redis():
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        if server.is_up():
            server.stop()


@pytest.fixture
def served(redis, postgres_cluster, fresh_database, tmp_path):
    env = production_env(fresh_database, redis.url)
    out = servers.manage(env, "shell", stdin=servers.SETUP_USERS)
    tokens = json.loads(out.split("TOKENS=", 1)[1].strip().splitlines()[0])
    with (
        servers.gunicorn(env, tmp_path) as (http, http_log),
        servers.daphne(env, tmp_path, "ws") as ws,
    ):
        yield http, ws, tokens["screen"], http_log


def red_complaint(n: int) -> dict:
    """At the petition office (red at once) and a threat (distress): two alerts."""
    return {
        "kind": "wage_arrears",
        "employer": {"name": f"襄汾县故障测试{n}号工程队", "township": "xincheng"},
        "claimants": [
            {
                "name": f"工人{n}",
                "id_number": id_number(n),
                "phone": f"1390000{n:04d}",
                "amount_claimed": "6000.00",
                "months_owed": 2,
            }
        ],
        "description": "工地拖欠两个月工资，工人已到县信访局，扬言要爬塔吊。",
    }


def file(http: str, n: int) -> tuple[int, dict]:
    return servers.post_json(http + "/api/v1/complaints/", red_complaint(n))


async def next_message(socket, kind: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        remaining = max(deadline - time.monotonic(), 0.01)
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=remaining))
        if message["type"] == kind:
            return message


async def alerts_of(socket, case_numbers: set[str], timeout: float = 15) -> list[dict]:
    """Alerts until each of these cases has its red and its distress alert."""
    received = []
    while {(m["case_number"], m["reason"]) for m in received} < {
        (number, reason) for number in case_numbers for reason in ("risk_red", "distress")
    }:
        received.append(await next_message(socket, "alert", timeout))
    return received


async def socket_state_after(socket, seconds: float) -> str:
    """What the old socket did while Redis was away: closed by the server, or still open."""
    try:
        while True:
            await asyncio.wait_for(socket.recv(), timeout=seconds)
    except ConnectionClosed:
        return "closed"
    except TimeoutError:
        return "open"


def test_complaints_filed_while_redis_is_down_are_stored_and_their_alerts_resumed(
    redis, postgres_cluster, fresh_database, served, capsys
):
    http, ws, token, http_log = served
    database = fresh_database.rsplit("/", 1)[1]
    socket_url = ws.replace("http://", "ws://") + f"/ws/alerts/?token={token}"
    outcome = asyncio.run(scenario(http, socket_url, ws, redis))
    statuses, numbers, replayed, live, old_socket, filing_seconds, live_number = outcome

    with capsys.disabled():
        print(
            f"\nredis outage: {COMPLAINTS} complaints filed in {filing_seconds:.1f} s "
            f"({filing_seconds / COMPLAINTS * 1000:.0f} ms each, {FILERS} at a time), "
            f"statuses {dict(sorted(statuses.items()))}; the old socket was {old_socket}; "
            f"{len(replayed)} alerts replayed on resume"
        )

    assert statuses == {201: COMPLAINTS}  # no 5xx, no duplicate, none refused
    assert len(numbers) == COMPLAINTS
    stored = set(postgres_cluster.psql(database, "SELECT number FROM cases_case").split())
    alerts = [
        (int(alert_id), number, reason)
        for alert_id, number, reason in (
            line.split("|")
            for line in postgres_cluster.psql(
                database,
                "SELECT a.id, c.number, a.reason FROM notifications_alert a "
                "JOIN cases_case c ON c.id = a.case_id ORDER BY a.id",
            ).splitlines()
        )
    ]
    assert numbers <= stored
    outage_alerts = [row for row in alerts if row[1] in numbers]
    assert {(number, reason) for _, number, reason in outage_alerts} == {
        (number, reason) for number in numbers for reason in ("risk_red", "distress")
    }

    # Every alert stored during the outage replayed, in order, each once; nothing older.
    assert [m["id"] for m in replayed] == [alert_id for alert_id, _, _ in outage_alerts]
    # And live delivery works again once the client is back.
    assert {(m["case_number"], m["reason"]) for m in live} == {
        (live_number, "risk_red"),
        (live_number, "distress"),
    }
    assert "Internal Server Error" not in http_log.read_text()


async def scenario(http, socket_url, origin, redis):
    statuses: dict[int, int] = {}
    async with connect(socket_url, origin=origin) as socket:
        await next_message(socket, "hello")
        await socket.send(json.dumps({"type": "resume", "after_id": 0}))
        await next_message(socket, "resumed")
        status, body = await asyncio.to_thread(file, http, 0)  # Redis up: pushed live
        assert status == 201, body
        seen = await alerts_of(socket, {body["case_number"]})
        last_id = max(m["id"] for m in seen)

        await asyncio.to_thread(redis.stop)
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(FILERS) as pool:
            answers = await asyncio.gather(
                *(asyncio.wrap_future(pool.submit(file, http, n)) for n in range(1, COMPLAINTS + 1))
            )
        filing_seconds = time.monotonic() - started
        for status, _ in answers:
            statuses[status] = statuses.get(status, 0) + 1
        numbers = {body.get("case_number") for _, body in answers}
        old_socket = await socket_state_after(socket, 1)

    await asyncio.to_thread(redis.start)
    async with connect(socket_url, origin=origin) as socket:
        await next_message(socket, "hello")
        await socket.send(json.dumps({"type": "resume", "after_id": last_id}))
        replayed = []
        while True:
            message = json.loads(await asyncio.wait_for(socket.recv(), timeout=15))
            if message["type"] == "resumed":
                break
            if message["type"] == "alert":
                replayed.append(message)

        status, body = await asyncio.to_thread(file, http, COMPLAINTS + 1)
        assert status == 201, body
        live = await alerts_of(socket, {body["case_number"]})
    return statuses, numbers, replayed, live, old_socket, filing_seconds, body["case_number"]
