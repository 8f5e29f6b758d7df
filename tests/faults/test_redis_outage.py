"""Redis stopped while 100 complaints are filed: every one is stored, none gets a 5xx, and
the alerts they raise reach a command-screen WebSocket once Redis is back.

The real serving path, configured as in production (DEBUG off): gunicorn serves HTTP
(config.wsgi), daphne the WebSocket (config.asgi) and a Celery worker scores new
complaints, sharing a database on a throwaway PostgreSQL cluster and a throwaway
redis-server on a free port (tests/faults/throwaway.py) that is their channel layer,
cache (rate limits, summary) and Celery broker. The machine's own PostgreSQL and Redis
are not used. While Redis is down the web server cannot queue a complaint's follow-up
and does it itself.

What a client sees: its socket loses the channel layer with Redis, so it reconnects
and asks to resume after the last alert id it saw; the server replays the stored alerts
(the outbox), each once, and live delivery works again.
"""

import asyncio
import concurrent.futures
import json
import time
from collections import Counter

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
        servers.celery_worker(env, tmp_path),
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


async def drain(socket, until_case: str, timeout: float = 10) -> tuple[list[dict], bool]:
    """Everything a socket that stayed connected got, up to the alerts of until_case;
    and whether the server closed it (a closed socket makes the browser reconnect)."""
    received = []
    try:
        while (until_case, "alert") not in {(m.get("case_number"), m["type"]) for m in received}:
            received.append(json.loads(await asyncio.wait_for(socket.recv(), timeout=timeout)))
    except ConnectionClosed:
        return received, True
    except TimeoutError:
        pass
    return received, False


def test_complaints_filed_while_redis_is_down_are_stored_and_their_alerts_resumed(
    redis, postgres_cluster, fresh_database, served, capsys
):
    http, ws, token, http_log = served
    database = fresh_database.rsplit("/", 1)[1]
    socket_url = ws.replace("http://", "ws://") + f"/ws/alerts/?token={token}"
    run = asyncio.run(scenario(http, socket_url, ws, redis))

    statuses = Counter(status for status, _ in run["answers"])
    numbers = {body.get("case_number") for _, body in run["answers"]}
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
    outage_ids = [alert_id for alert_id, number, _ in alerts if number in numbers]
    stayed, stayed_closed = run["stayed"]
    stayed_ids = [m["id"] for m in stayed if m["type"] == "alert"]
    with capsys.disabled():
        print(
            f"\nredis outage: {COMPLAINTS} complaints filed in {run['seconds']:.1f} s "
            f"({run['seconds'] / COMPLAINTS * 1000:.0f} ms each, {FILERS} at a time), "
            f"statuses {dict(statuses)}; {len(run['replayed'])} alerts replayed on resume; "
            f"the socket that stayed connected was {'closed' if stayed_closed else 'open'} "
            f"and got {len(set(stayed_ids) & set(outage_ids))} of the {len(outage_ids)} "
            "outage alerts"
        )

    assert statuses == {201: COMPLAINTS}  # no 5xx, no duplicate, none refused
    assert len(numbers) == COMPLAINTS and numbers <= stored
    assert {(number, reason) for _, number, reason in alerts if number in numbers} == {
        (number, reason) for number in numbers for reason in ("risk_red", "distress")
    }
    assert "Internal Server Error" not in http_log.read_text()

    # The client that reconnects and resumes gets every alert stored during the outage,
    # in order, each once, nothing older; then live alerts again.
    assert [m["id"] for m in run["replayed"]] == outage_ids
    assert {(m["case_number"], m["reason"]) for m in run["live"]} == {
        (run["live_case"], "risk_red"),
        (run["live_case"], "distress"),
    }

    # A socket that stayed connected: either the server closed it (the browser then
    # reconnects and resumes, as above), or it must get what it missed by itself.
    live_on_stayed = (run["live_case"], "alert") in {
        (m.get("case_number"), m["type"]) for m in stayed
    }
    missed = set(outage_ids) - set(stayed_ids)
    # With the pub/sub channel layer the socket would survive the outage and miss what
    # was published meanwhile; each daphne process checks its subscription every second
    # and closes its sockets (4503) when it fails, so the browser resumes.
    assert stayed_closed or not (missed or not live_on_stayed), (
        f"a socket that stayed open through the Redis outage missed {len(missed)} alerts"
    )


async def scenario(http, socket_url, origin, redis) -> dict:
    run = {}
    async with connect(socket_url, origin=origin) as stays:
        await next_message(stays, "hello")
        await stays.send(json.dumps({"type": "resume", "after_id": 0}))
        await next_message(stays, "resumed")
        status, body = await asyncio.to_thread(file, http, 0)  # Redis up: pushed live
        assert status == 201, body
        last_id = max(m["id"] for m in await alerts_of(stays, {body["case_number"]}))

        await asyncio.to_thread(redis.stop)
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(FILERS) as pool:
            run["answers"] = await asyncio.gather(
                *(asyncio.wrap_future(pool.submit(file, http, n)) for n in range(1, COMPLAINTS + 1))
            )
        run["seconds"] = time.monotonic() - started
        await asyncio.to_thread(redis.start)

        # A client whose socket dropped reconnects and resumes after its last alert id.
        async with connect(socket_url, origin=origin) as back:
            await next_message(back, "hello")
            await back.send(json.dumps({"type": "resume", "after_id": last_id}))
            run["replayed"] = []
            while True:
                message = json.loads(await asyncio.wait_for(back.recv(), timeout=15))
                if message["type"] == "resumed":
                    break
                if message["type"] == "alert":
                    run["replayed"].append(message)

            status, body = await asyncio.to_thread(file, http, COMPLAINTS + 1)
            assert status == 201, body
            run["live_case"] = body["case_number"]
            run["live"] = await alerts_of(back, {run["live_case"]})
        run["stayed"] = await drain(stays, run["live_case"])
    return run
