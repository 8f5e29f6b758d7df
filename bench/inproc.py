"""The benchmarks that run inside Django (bench.settings, one bench data set); each prints
one JSON line for bench.run. `python -m bench.inproc summary|scan|queries|latency|broadcast`.
"""

import asyncio
import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.run import pct  # noqa: E402


def timed(fn, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def summary():
    from notifications import selectors

    timed(lambda: selectors.dashboard_summary(fresh=True), 3)
    times = timed(lambda: selectors.dashboard_summary(fresh=True), 50)
    rows = timed(lambda: selectors._compute_summary_from_rows(timezone.localdate()), 1)
    return {"p95_ms": pct(times, 95), "median_ms": pct(times, 50), "rows_ms": rows[0]}


def scan():
    from notifications import services

    t = time.perf_counter()
    first = services.alerts_scan()
    first_ms = (time.perf_counter() - t) * 1000
    times = timed(services.alerts_scan, 20)
    return {
        "first_ms": first_ms,
        "first_scored": first.cases_scored,
        "median_ms": pct(times, 50),
        "p95_ms": pct(times, 95),
    }


def bench_user(username="bench_screen", role="screen"):
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from cases.models import StaffProfile

    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.get_or_create(user=user, defaults={"county_level": True})
    token, _ = Token.objects.get_or_create(user=user)
    return user, token.key


def queries():
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cases.models import Case

    inspector, _ = bench_user("bench_inspector", "inspector")
    screen, _ = bench_user()
    case = (
        Case.objects.order_by("-is_collective", "-received_at")
        .only("number")
        .filter(state="investigating")
        .first()
        or Case.objects.first()
    )
    pages = {
        "queue /workbench/": (inspector, "/workbench/"),
        "case page": (inspector, f"/workbench/cases/{case.number}/"),
        "command screen /screen/ + summary API": (screen, "/screen/|/api/v1/dashboard/summary/"),
    }
    counts = {}
    for name, (user, urls) in pages.items():
        client = Client()
        client.force_login(user)
        total = 0
        for url in urls.split("|"):
            client.get(url)  # warm (sessions, caches)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            total += len(captured)
        counts[name] = total
    return counts


def _alert_commit(case_ids, sent: dict):
    """Commit one alert per case through the production path (_alert_create, then
    push.alerts_push on commit), noting the time each transaction began to commit."""
    from functools import partial

    from cases.models import Case
    from notifications import push, services
    from notifications.models import Alert

    for case_id in case_ids:
        case = Case.objects.select_related("township").get(pk=case_id)
        with transaction.atomic():
            alert = services._alert_create(
                case=case,
                reason=Alert.Reason.ESCALATED,
                level="red",
                result=None,
                message=f"{case.number} bench",
                now=timezone.now(),
            )
            transaction.on_commit(partial(push.alerts_push, [alert.pk]))
            sent[alert.pk] = time.perf_counter()
        Alert.objects.filter(pk=alert.pk).update(status="resolved")  # room for the next run
        time.sleep(0.01)


def _cases(n):
    from cases.models import Case

    return list(
        Case.objects.filter(state="closed").order_by("-id").values_list("pk", flat=True)[:n]
    )


async def _socket(base, token):
    from websockets.asyncio.client import connect

    url = base.replace("http://", "ws://") + f"/ws/alerts/?token={token}"
    ws = await connect(url, origin=base, max_queue=None)
    while json.loads(await ws.recv())["type"] != "hello":
        pass
    return ws


async def _collect(ws, received: dict, key, stop):
    while not stop.is_set():
        try:
            message = json.loads(await asyncio.wait_for(ws.recv(), 0.5))
        except TimeoutError:
            continue
        if message.get("type") == "alert":
            received.setdefault(message["id"], {})[key] = time.perf_counter()


def _raw_pubsub(n):
    import redis

    url = os.environ["REDIS_URL"]
    sub_client, pub = redis.Redis.from_url(url), redis.Redis.from_url(url)
    pubsub = sub_client.pubsub()
    pubsub.subscribe("bench.raw")
    pubsub.get_message(timeout=1)
    times = []
    for i in range(n):
        t = time.perf_counter()
        pub.publish("bench.raw", str(i))
        while pubsub.get_message(timeout=1) is None:
            pass
        times.append((time.perf_counter() - t) * 1000)
        time.sleep(0.005)
    pubsub.close()
    return times


def latency(base, n):
    n = int(n)
    _, token = bench_user()

    async def run():
        ws = await _socket(base, token)
        received, stop, sent = {}, asyncio.Event(), {}
        task = asyncio.create_task(_collect(ws, received, 0, stop))
        cases = await asyncio.to_thread(_cases, n)
        await asyncio.to_thread(_alert_commit, cases, sent)
        await asyncio.sleep(1)
        stop.set()
        await task
        await ws.close()
        return [(received[a][0] - t) * 1000 for a, t in sent.items() if a in received], len(sent)

    times, count = asyncio.run(run())
    raw = _raw_pubsub(n)
    return {
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "received": len(times),
        "sent": count,
        "raw_p50_ms": pct(raw, 50),
        "raw_p99_ms": pct(raw, 99),
    }


def broadcast(base, sockets, alerts):
    sockets, alerts = int(sockets), int(alerts)
    _, token = bench_user()

    async def run():
        limit = asyncio.Semaphore(50)

        async def open_one():
            async with limit:
                return await _socket(base, token)

        wss = await asyncio.gather(*(open_one() for _ in range(sockets)))
        received, stop, sent = {}, asyncio.Event(), {}
        tasks = [asyncio.create_task(_collect(ws, received, i, stop)) for i, ws in enumerate(wss)]
        for case_id in await asyncio.to_thread(_cases, alerts):
            await asyncio.to_thread(_alert_commit, [case_id], sent)
            await asyncio.sleep(1.5)
        await asyncio.sleep(2)
        stop.set()
        await asyncio.gather(*tasks)
        await asyncio.gather(*(ws.close() for ws in wss))
        times, missing = [], 0
        for alert_id, t in sent.items():
            arrivals = received.get(alert_id, {})
            missing += sockets - len(arrivals)
            times += [(at - t) * 1000 for at in arrivals.values()]
        return times, missing

    times, missing = asyncio.run(run())
    one = latency(base, 30)
    return {
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "missing": missing,
        "one_p99_ms": one["p99_ms"],
    }


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    result = {
        "summary": summary,
        "scan": scan,
        "queries": queries,
        "latency": latency,
        "broadcast": broadcast,
    }[what](*args)
    print(json.dumps(result))
