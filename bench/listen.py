"""A WebSocket client process for the alert benchmarks:
`python -m bench.listen TOKEN N BASE [BASE ...]`.

It opens N sockets to /ws/alerts/ (spread over the servers given, as a load balancer
would), prints "ready" once every socket said hello, and notes when each text frame
arrives on each socket until a line "stop" (or the end of its input); then it prints
one JSON line: {alert id: [arrival times]}.

Its own process, so that the code committing the alerts (and its GIL) never delays a
receipt. A frame's time is taken when its bytes come off the socket (data_received),
before the frame is queued for a reader: no reader task runs per socket at all, so the
client's own work on 1,000 sockets is not counted as server latency. Times are
time.perf_counter(), CLOCK_MONOTONIC on Linux: the same clock in every process.
"""

import asyncio
import json
import sys
import time

from websockets.asyncio.client import ClientConnection, connect
from websockets.frames import Frame, Opcode


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


async def _open(url, origin, limit):
    async with limit:
        ws = await connect(url, origin=origin, max_queue=None, create_connection=TimedConnection)
        while json.loads(await ws.recv())["type"] != "hello":
            pass
        return ws


async def _stop_line():
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip() == "stop":
            return


async def main(token: str, sockets: int, bases: list[str]) -> dict:
    limit = asyncio.Semaphore(50)
    wss = await asyncio.gather(
        *(
            _open(
                bases[i % len(bases)].replace("http://", "ws://") + f"/ws/alerts/?token={token}",
                bases[i % len(bases)],
                limit,
            )
            for i in range(sockets)
        )
    )
    print("ready", flush=True)
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
    token, sockets, *bases = sys.argv[1:]
    print(json.dumps(asyncio.run(main(token, int(sockets), bases))), flush=True)
