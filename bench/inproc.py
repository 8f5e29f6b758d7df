"""The benchmarks that run inside Django (bench.settings, one bench data set); each prints
one JSON line for bench.run. `python -m bench.inproc summary|scan|queries|latency|broadcast|sockets`.
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.clients import Listeners, bench_user  # noqa: E402
from bench.results import pct  # noqa: E402


def timed(fn, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def summary():
    from notifications import summary

    timed(lambda: summary.dashboard_summary(fresh=True), 3)
    times = timed(lambda: summary.dashboard_summary(fresh=True), 50)
    rows = timed(lambda: summary._compute_summary_from_rows(timezone.localdate()), 1)
    return {"p95_ms": pct(times, 95), "median_ms": pct(times, 50), "rows_ms": rows[0]}


def scan():
    from notifications import scans

    t = time.perf_counter()
    first = scans.alerts_scan()
    first_ms = (time.perf_counter() - t) * 1000
    times = timed(scans.alerts_scan, 20)
    return {
        "first_ms": first_ms,
        "first_scored": first.cases_scored,
        "median_ms": pct(times, 50),
        "p95_ms": pct(times, 95),
    }


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


def _alert_commit(case_ids, sent: dict, committed: dict | None = None):
    """Commit one alert per case through the production path (_alert_create, then
    push.alerts_send on commit), noting the time each transaction began to commit (and,
    in `committed`, when the commit itself was done, before the push)."""
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
            if committed is not None:  # on-commit callbacks run in order: before the push
                transaction.on_commit(partial(_note_time, committed, alert.pk))
            transaction.on_commit(partial(push.alerts_send, [alert]))
            sent[alert.pk] = time.perf_counter()
        Alert.objects.filter(pk=alert.pk).update(status="resolved")  # room for the next run
        time.sleep(0.01)


def _note_time(times: dict, key):
    times[key] = time.perf_counter()


def _cases(n):
    from cases.models import Case

    return list(
        Case.objects.filter(state="closed").order_by("-id").values_list("pk", flat=True)[:n]
    )


class RawPubSub:
    """The baseline: a message published on one Redis connection and read back on
    another that subscribed to it (redis-py, no channel layer, no other process)."""

    def __init__(self):
        import redis

        url = os.environ["REDIS_URL"]
        self.publisher = redis.Redis.from_url(url)
        self.pubsub = redis.Redis.from_url(url).pubsub()
        self.pubsub.subscribe("bench.raw")
        self.pubsub.get_message(timeout=1)  # the subscribe confirmation

    def round_trip(self) -> float:
        started = time.perf_counter()
        self.publisher.publish("bench.raw", "x")
        while self.pubsub.get_message(timeout=1) is None:
            pass
        return (time.perf_counter() - started) * 1000

    def close(self):
        self.pubsub.close()
        self.publisher.close()


WARM_UP_ALERTS = 5


def latency(base, n, floor_base=None):
    """Benchmark 2 (and 4): n alerts to one socket on the server at `base`, the raw
    round trip between them, and with `floor_base` (a daphne serving bench.floor_asgi)
    the floor's frame between them too (bench/floor.py)."""
    n = int(n)
    from bench.floor import FloorPath
    from notifications import wire

    # As a fresh server or Celery worker process does at its start (config/wsgi.py,
    # config/celery.py); a worker's first task comes later than this after its start.
    wire.warm()
    time.sleep(0.2)
    _, token = bench_user()
    listeners = Listeners(base, token, 1)
    floor = FloorPath(floor_base, token) if floor_base else None
    raw_pubsub = RawPubSub()
    sent, committed, raw = {}, {}, []
    cold_sent, cold_committed = {}, {}
    floor_times, floor_after = [], []
    try:
        cases = _cases(n + WARM_UP_ALERTS)
        # The first alerts of a fresh process: warmed at the start (wire.warm) they
        # must meet the same bound as the rest (benchmark 4), reported apart.
        _alert_commit(cases[:WARM_UP_ALERTS], cold_sent, cold_committed)
        for case_id in cases[WARM_UP_ALERTS:]:
            _alert_commit([case_id], sent, committed)
            # The baselines between the alerts, so that all see the same load (on a
            # shared machine it changes from one second to the next).
            if floor is not None:
                floor.commit_and_push()
                time.sleep(0.01)
            for _ in range(3):
                raw.append(raw_pubsub.round_trip())
                time.sleep(0.005)
        time.sleep(1)
    finally:
        received = listeners.stop()
        if floor is not None:
            floor_times, floor_after = floor.stop()
        raw_pubsub.close()
    cold = [(received[a][0] - t) * 1000 for a, t in cold_sent.items() if a in received]
    times = [(received[a][0] - t) * 1000 for a, t in sent.items() if a in received]
    commits = [(committed[a] - t) * 1000 for a, t in sent.items()]
    after = [(received[a][0] - committed[a]) * 1000 for a in sent if a in received]
    return {
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "commit_p50_ms": pct(commits, 50),
        "commit_p99_ms": pct(commits, 99),
        "after_commit_p50_ms": pct(after, 50),
        "after_commit_p99_ms": pct(after, 99),
        "received": len(times),
        "sent": len(sent),
        "first_alerts_ms": [round(x, 1) for x in cold],
        "raw_p50_ms": pct(raw, 50),
        "raw_p99_ms": pct(raw, 99),
        "floor_received": len(floor_times),
        "floor_p50_ms": pct(floor_times, 50),
        "floor_p99_ms": pct(floor_times, 99),
        "floor_after_commit_p50_ms": pct(floor_after, 50),
        "floor_after_commit_p99_ms": pct(floor_after, 99),
    }


def broadcast(bases, sockets, alerts, processes="1"):
    sockets, alerts = int(sockets), int(alerts)
    _, token = bench_user()
    listeners = Listeners(bases, token, sockets, int(processes))
    sent = {}
    try:
        for case_id in _cases(alerts):
            _alert_commit([case_id], sent)
            time.sleep(1.5)
        time.sleep(2)
    finally:
        received = listeners.stop()
    times, missing = [], 0
    for alert_id, t in sent.items():
        arrivals = received.get(alert_id, [])
        missing += sockets - len(arrivals)
        times += [(at - t) * 1000 for at in arrivals]
    one = latency(bases.split(",")[0], 30)
    return {
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "missing": missing,
        "one_p99_ms": one["p99_ms"],
    }


def cpu(*args):
    from bench.cpu import cpu as run

    return run(*args)


def search(*args):
    from bench.search import search as run

    return run(*args)


def sockets(*args):
    from bench.sockets import sockets as run

    return run(*args)


def peak(*args):
    from bench.openloop import peak as run

    return run(*args)


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    result = {
        "peak": peak,
        "cpu": cpu,
        "search": search,
        "summary": summary,
        "scan": scan,
        "queries": queries,
        "latency": latency,
        "broadcast": broadcast,
        "sockets": sockets,
    }[what](*args)
    print(json.dumps(result))
