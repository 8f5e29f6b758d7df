"""Benchmark 2's floor: an alert's path with nothing of LaborCase's in it, measured
between LaborCase's alerts in the same run (bench.inproc.latency).

A one-row insert is committed (the bare view's table), then a ready-made frame is
published with redis-py, from the committing thread, to the group that a bare consumer
(bench/floor_asgi.py) on a daphne process of its own joins through the production
channel layer; it writes the frame as it is, to a client in a process of its own
(bench/listen.py). Timed as LaborCase's alerts are: from the moment the transaction
begins to commit to the frame's arrival. What LaborCase's path adds to it is what its
alert costs (the alert's row, the payload, the audience's groups, the fan-out and the
consumer); the floor is the stack's own: PostgreSQL's commit, Redis, daphne, the
client.
"""

import json
import time

FLOOR_GROUP = "bench.floor"


class FloorPath:
    def __init__(self, base: str, token: str):
        import redis
        from channels.layers import get_channel_layer
        from channels_redis.utils import decode_hosts
        from django.conf import settings

        from bench.clients import Listeners

        config = settings.CHANNEL_LAYERS["default"].get("CONFIG", {})
        # channels_redis.pubsub names a group's Redis channel so (one Redis host here).
        self.channel = f"{config.get('prefix', 'asgi')}__group__{FLOOR_GROUP}"
        self.layer = get_channel_layer()
        self.redis = redis.Redis.from_url(decode_hosts(config.get("hosts"))[0]["address"])
        self.redis.ping()
        self.listeners = Listeners(base, token, 1)
        self.sent: dict[int, float] = {}
        self.committed: dict[int, float] = {}

    def commit_and_push(self) -> None:
        from django.db import connection, transaction

        frame_id = len(self.sent) + 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_baseline (kind, employer, description, body, received_at)"
                " VALUES ('floor', '', '', '{}', now())"
            )
            self.sent[frame_id] = time.perf_counter()
        self.committed[frame_id] = time.perf_counter()
        text = json.dumps({"type": "alert", "id": frame_id})
        self.redis.publish(
            self.channel, self.layer.serialize({"type": "floor.frame", "text": text})
        )

    def stop(self) -> tuple[list[float], list[float]]:
        """The frames' latencies, from the commit's start and from its end (ms)."""
        received = self.listeners.stop()
        self.redis.close()
        ids = [i for i in self.sent if i in received]
        return (
            [(received[i][0] - self.sent[i]) * 1000 for i in ids],
            [(received[i][0] - self.committed[i]) * 1000 for i in ids],
        )
