"""An open-loop HTTP load generator: requests leave on a fixed schedule (`rate` per
second) whatever the server does, as complaints arrive at a real peak.

A closed loop (wrk's N clients, each waiting for its answer before the next request)
slows down with the server and so hides the queueing a real peak causes (coordinated
omission). Here request i is due at start + i / rate; it goes out on an idle keep-alive
connection or a new one, never waiting for an earlier answer, and its latency is counted
from the moment it was due, so a late send (this process busy) is counted against the
server too. wrk2 would do this, but it is not packaged in Debian.

Plain asyncio streams and HTTP/1.1, no client library: the generator must cost little
CPU, as it shares the cores with the servers.
"""

import asyncio
import json
import time
from collections.abc import Callable
from urllib.parse import urlsplit

# gunicorn closes a keep-alive connection idle for 2 s (its --keep-alive): one idle for
# longer than this is not reused, or a request could go out on a connection being closed.
IDLE_REUSE_SECONDS = 1.0


class _Connections:
    """Idle keep-alive connections to one host; a new one whenever none is idle."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.idle: list[tuple[float, tuple]] = []
        self.opened = 0

    async def take(self):
        while self.idle:
            since, connection = self.idle.pop()
            if time.monotonic() - since < IDLE_REUSE_SECONDS:
                return connection
            connection[1].close()
        self.opened += 1
        return await asyncio.open_connection(self.host, self.port)

    def give_back(self, connection):
        self.idle.append((time.monotonic(), connection))

    def close(self):
        for _since, (_reader, writer) in self.idle:
            writer.close()


async def _exchange(connection, request: bytes, timeout: float) -> tuple[int, bytes, bool]:
    """Send one request and read its answer: (status, body, connection reusable)."""
    reader, writer = connection
    writer.write(request)
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    length = int(headers.get("content-length", "0"))
    body = await asyncio.wait_for(reader.readexactly(length), timeout) if length else b""
    return status, body, headers.get("connection", "").lower() != "close"


async def _run(url: str, rate: float, seconds: float, body_for: Callable[[int], dict], timeout):
    parts = urlsplit(url)
    connections = _Connections(parts.hostname, parts.port or 80)
    path = parts.path or "/"
    total = int(rate * seconds)
    results: list[dict] = []

    async def one(i: int, due: float):
        body = json.dumps(body_for(i), ensure_ascii=False).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        row = {"i": i, "due": due, "status": 0, "body": b""}
        try:
            connection = await connections.take()
            status, answer, reusable = await _exchange(connection, request, timeout)
            row.update(status=status, body=answer)
            if reusable:
                connections.give_back(connection)
            else:
                connection[1].close()
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
            row["error"] = repr(e)
        row["done"] = time.perf_counter()
        results.append(row)

    loop = asyncio.get_running_loop()
    tasks = []
    start = time.perf_counter() + 0.05
    for i in range(total):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(loop.create_task(one(i, due)))
    await asyncio.gather(*tasks)
    connections.close()
    return results, connections.opened


def open_loop(
    url: str,
    *,
    rate: float,
    seconds: float,
    body_for: Callable[[int], dict],
    timeout: float = 30.0,
) -> dict:
    """POST body_for(i) to `url` at `rate` per second for `seconds`; latencies in ms
    from each request's due time. Returns the summary and every request's row (its due
    time, perf_counter, and the answer's body)."""
    results, opened = asyncio.run(_run(url, rate, seconds, body_for, timeout))
    latencies = sorted((r["done"] - r["due"]) * 1000 for r in results)
    errors = [r for r in results if r.get("error") or not 200 <= r["status"] < 300]
    from bench.results import pct

    return {
        "sent": len(results),
        "errors": len(errors),
        "first_error": (errors[0].get("error") or errors[0]["body"][:200]) if errors else None,
        "p50_ms": pct(latencies, 50),
        "p99_ms": pct(latencies, 99),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "connections": opened,
        "rows": results,
    }


def peak(http_base: str, ws_base: str, rate: str, seconds: str, danger_every: str = "20") -> dict:
    """Benchmark 1 (inside Django, bench.inproc peak): the bare view, then complaints,
    each at `rate` per second for `seconds` through the server at `http_base`, with a
    command-screen socket on the daphne at `ws_base`. Every `danger_every`-th complaint
    threatens self-harm (red at once): its alert's arrival on the socket is timed from
    the complaint's due time. Then every complaint filed must be followed up (scored,
    texted: its PendingFollowup row gone) within two minutes."""
    from django.db import connection

    from bench.clients import Listeners, bench_user
    from bench.cpu import complaint, id_base
    from notifications.models import Alert

    rate_, seconds_, every = float(rate), float(seconds), int(danger_every)
    _, token = bench_user()
    listeners = Listeners(ws_base, token, 1)
    base = id_base()
    try:
        bare = open_loop(
            http_base + "/bench/bare/",
            rate=rate_,
            seconds=seconds_,
            body_for=lambda i: complaint(base + i),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT now()")
            (since,) = cursor.fetchone()
        filing = open_loop(
            http_base + "/api/v1/complaints/",
            rate=rate_,
            seconds=seconds_,
            body_for=lambda i: complaint(base + 1_000_000 + i, dangerous=i % every == every - 1),
        )
        followed = _followed_up(since, filing["sent"] - filing["errors"])
        time.sleep(1)
    finally:
        received = listeners.stop()
    due_by_number = {}
    for row in filing["rows"]:
        if row["i"] % every == every - 1 and row["status"] == 201:
            due_by_number[json.loads(row["body"])["case_number"]] = row["due"]
    arrivals: dict[str, float] = {}
    alerts = Alert.objects.filter(case__number__in=list(due_by_number), level="red")
    for alert_id, number in alerts.values_list("id", "case__number"):
        for at in received.get(alert_id, []):
            arrivals[number] = min(arrivals.get(number, at), at)
    alert_ms = sorted(
        (arrivals[n] - due) * 1000 for n, due in due_by_number.items() if n in arrivals
    )
    from bench.results import pct

    for result in (bare, filing):
        result.pop("rows")
    return {
        "bare": bare,
        "filing": filing,
        "followed_up": followed,
        "dangerous": len(due_by_number),
        "alerts_received": len(alert_ms),
        "alert_p50_ms": pct(alert_ms, 50),
        "alert_p99_ms": pct(alert_ms, 99),
        "alert_max_ms": alert_ms[-1] if alert_ms else float("nan"),
    }


def _followed_up(since, expected: int) -> dict:
    """Wait (two minutes at most) until every case received since `since` is scored and
    has no pending follow-up; how many were filed, scored and followed up, and when."""
    from django.db import connection

    started = time.monotonic()
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*),"
                " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM notifications_riskscore r"
                "  WHERE r.case_id = c.id)),"
                " count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM cases_pendingfollowup p"
                "  WHERE p.case_id = c.id))"
                " FROM cases_case c WHERE c.received_at >= %s",
                [since],
            )
            filed, scored, done = cursor.fetchone()
        if (filed >= expected and scored == filed and done == filed) or (
            time.monotonic() - started > 120
        ):
            return {
                "filed": filed,
                "scored": scored,
                "followed_up": done,
                "seconds_after_load": round(time.monotonic() - started, 1),
            }
        time.sleep(0.5)
