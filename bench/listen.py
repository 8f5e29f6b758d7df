"""A WebSocket client process for the alert benchmarks: `python -m bench.listen FILE BASE
[BASE ...]`, FILE a JSON list with one sign-in per socket ({"token": ...} or
{"cookie": "name=value"}, and the socket's "path" if not /ws/alerts/).

It opens one socket to /ws/alerts/ per sign-in (spread over the servers given, as a
load balancer would), at most OPENING at a time, and prints one line "ready" followed by
JSON once every socket said hello or failed: when each hello came ("hello_at") and what
failed ("failed": {reason: count}). Then it notes when each text frame arrives on each
socket until a line "stop" (or the end of its input), and prints one JSON line: {alert
id: [arrival times]}.

Its own process, so that the code committing the alerts (and its GIL) never delays a
receipt. A frame's time is taken when its bytes come off the socket (data_received),
before the frame is queued for a reader: no reader task runs per socket at all, so the
client's own work on thousands of sockets is not counted as server latency. Times are
time.perf_counter(), CLOCK_MONOTONIC on Linux: the same clock in every process.
"""

import asyncio
import json
import resource
import sys
import time

from websockets.asyncio.client import ClientConnection, connect
from websockets.frames import Frame, Opcode

# Handshakes in flight per client process (two of them: 100 at once). With 200 each,
# the servers' accept queues (twisted listens with a backlog of 50) overflowed and
# connections were reset: a client limit, as nginx in front of the servers is.
OPENING = 50
OPEN_TIMEOUT = 60


class TimedConnection(ClientConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrivals: list[tuple[float, bytes]] = []
        self.read_at = 0.0

    def data_received(self, data: bytes) -> None:
        self.read_at = time.perf_counter()
        super().data_received(data)

    def process_event(self, event) -> None:
        if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
            self.arrivals.append((self.read_at, event.data))
        super().process_event(event)


def open_files_at_least(count: int) -> None:
    """Raise this process's limit on open files (a socket is one) to `count` if the hard
    limit allows; its children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count:
        wanted = count if hard == resource.RLIM_INFINITY else min(count, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


async def _open(base: str, sign_in: dict, limit) -> tuple[ClientConnection, float]:
    url = base.replace("http://", "ws://") + sign_in.get("path", "/ws/alerts/")
    headers = {}
    if "token" in sign_in:
        url += ("&" if "?" in url else "?") + f"token={sign_in['token']}"
    else:
        headers["Cookie"] = sign_in["cookie"]
    async with limit:
        ws = await connect(
            url,
            origin=base,
            additional_headers=headers,
            max_queue=None,
            open_timeout=OPEN_TIMEOUT,
            # Arrival times are what is measured: no keepalive pings of the client's own.
            ping_interval=None,
            create_connection=TimedConnection,
        )
        async with asyncio.timeout(OPEN_TIMEOUT):
            while json.loads(await ws.recv())["type"] != "hello":
                pass
        return ws, time.perf_counter()


async def _stop_line():
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip() == "stop":
            return


async def main(sign_ins: list[dict], bases: list[str]) -> dict:
    open_files_at_least(len(sign_ins) + 100)
    limit = asyncio.Semaphore(OPENING)
    opened = await asyncio.gather(
        *(_open(bases[i % len(bases)], s, limit) for i, s in enumerate(sign_ins)),
        return_exceptions=True,
    )
    wss, hello_at, failed = [], [], {}
    for outcome in opened:
        if isinstance(outcome, BaseException):
            reason = f"{type(outcome).__name__}: {outcome}"[:120]
            failed[reason] = failed.get(reason, 0) + 1
        else:
            wss.append(outcome[0])
            hello_at.append(outcome[1])
    print("ready " + json.dumps({"hello_at": hello_at, "failed": failed}), flush=True)
    await _stop_line()
    await asyncio.gather(*(ws.close() for ws in wss), return_exceptions=True)
    received: dict[int, list[float]] = {}
    for ws in wss:
        for at, raw in ws.arrivals:
            message = json.loads(raw)
            if message.get("type") == "alert":
                received.setdefault(message["id"], []).append(at)
    return received


if __name__ == "__main__":
    path, *bases = sys.argv[1:]
    with open(path) as file:
        sign_ins = json.load(file)
    print(json.dumps(asyncio.run(main(sign_ins, bases))), flush=True)
