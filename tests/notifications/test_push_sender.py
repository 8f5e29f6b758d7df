"""notifications.wire's pushes from plain threads, with either layer: production's
RedisPubSubChannelLayer published from the caller's thread (wire._Publisher), and
RedisChannelLayer through one event loop per process (wire._Sender). Either keeps its
Redis connections between pushes (a new connection per push cost most of the alert
latency, docs/performance.md), a push to a Redis that does not answer gives up within
its timeout, and a forked process (gunicorn, Celery prefork) connects on its own.

Redis here is a throwaway redis-server on its own port, so its connection counter
counts this test's connections only (the machine's Redis on 6379 is never touched).
"""

import asyncio
import multiprocessing
import shutil
import socket
import threading
import time

import pytest
from channels.layers import channel_layers, get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer

from notifications import audience, wire
from tests.faults.throwaway import ThrowawayRedis


def layer_settings(backend, address, **host):
    return {"default": {"BACKEND": backend, "CONFIG": {"hosts": [{"address": address, **host}]}}}


LAYERS = ["channels_redis.core.RedisChannelLayer", "channels_redis.pubsub.RedisPubSubChannelLayer"]


@pytest.fixture(scope="module")
def throwaway_redis():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for this test")
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()


def connections_received(server) -> int:
    stats = server.cli("info", "stats").stdout
    return int(stats.split("total_connections_received:")[1].split()[0])


class Listener:
    """A channel in the county group, read by a layer instance of its own."""

    def __init__(self):
        self.layer = channel_layers.make_backend("default")
        self.loop = asyncio.new_event_loop()
        self.channel = self.loop.run_until_complete(self.layer.new_channel())
        self.loop.run_until_complete(self.layer.group_add(audience.COUNTY_GROUP, self.channel))

    def receive(self, timeout=5):
        return self.loop.run_until_complete(
            asyncio.wait_for(self.layer.receive(self.channel), timeout)
        )

    def close(self):
        self.loop.run_until_complete(self.layer.flush())
        self.loop.close()


def sends(n):
    return [(audience.COUNTY_GROUP, {"type": "summary.message", "summary": {"n": n}})]


@pytest.mark.redis
@pytest.mark.parametrize("backend", LAYERS)
def test_pushes_from_plain_threads_reuse_one_connection(throwaway_redis, settings, backend):
    settings.CHANNEL_LAYERS = layer_settings(backend, throwaway_redis.url)
    listener = Listener()
    try:
        assert wire.send(sends(0), what="first")  # connects
        assert listener.receive() == {"type": "summary.message", "summary": {"n": 0}}
        before = connections_received(throwaway_redis)

        def pushes(start):  # as gunicorn's threads or a Celery worker would
            for n in range(start, start + 10):
                assert wire.send(sends(n), what="test")

        threads = [threading.Thread(target=pushes, args=(start,)) for start in (1, 11, 21)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        received = sorted(listener.receive()["summary"]["n"] for _ in range(30))
        assert received == list(range(1, 31))
        # Three threads pushing at once may open a second or third connection once;
        # async_to_sync per push opened one per push (30 here).
        assert connections_received(throwaway_redis) - before <= 3
    finally:
        listener.close()


def pushing_pid() -> int:
    """The process whose connection the layer's pushes use."""
    layer = get_channel_layer()
    if isinstance(layer, RedisPubSubChannelLayer):
        return wire.publisher(layer, wire.push_timeout()).clients[0].connection_pool.pid
    return wire.sender().pid


def _push_in_child(result):
    result.put((wire.send(sends(99), what="child"), pushing_pid()))


@pytest.mark.redis
@pytest.mark.parametrize("backend", LAYERS)
def test_a_forked_process_connects_on_its_own(throwaway_redis, settings, backend):
    settings.CHANNEL_LAYERS = layer_settings(backend, throwaway_redis.url)
    listener = Listener()
    try:
        assert wire.send(sends(1), what="parent")  # the parent's sender and connection
        assert listener.receive()["summary"] == {"n": 1}
        context = multiprocessing.get_context("fork")
        result = context.Queue()
        child = context.Process(target=_push_in_child, args=(result,))
        child.start()
        ok, child_pushing_pid = result.get(timeout=20)
        child.join(20)

        assert ok and child_pushing_pid == child.pid
        assert listener.receive()["summary"] == {"n": 99}
        assert pushing_pid() != child.pid
        assert wire.send(sends(2), what="parent again")  # the parent's still works
        assert listener.receive()["summary"] == {"n": 2}
    finally:
        listener.close()


@pytest.fixture
def silent_server():
    """Accepts TCP connections and never answers: a Redis that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


@pytest.mark.parametrize("backend", LAYERS)
def test_a_push_to_a_redis_that_hangs_gives_up_within_its_timeout(
    silent_server, settings, caplog, backend
):
    settings.CHANNEL_LAYERS = layer_settings(backend, silent_server, socket_timeout=30)
    settings.LABORCASE_PUSH_TIMEOUT_SECONDS = 0.5
    assert get_channel_layer() is not None

    started = time.monotonic()
    ok = wire.send(sends(1), what="summary")
    elapsed = time.monotonic() - started

    assert ok is False
    assert elapsed < 1.5
    assert "push of summary failed" in caplog.text


@pytest.mark.redis
@pytest.mark.parametrize("backend", LAYERS)
def test_warm_connects_before_the_first_push(throwaway_redis, settings, backend):
    settings.CHANNEL_LAYERS = layer_settings(backend, throwaway_redis.url)
    wire.sender()  # this process's sender, whatever an earlier test left connected
    before = connections_received(throwaway_redis)

    warming = wire.warm()  # returns at once; a thread of its own connects
    warming.result(timeout=5)

    # Each reading is a connection of redis-cli's own: one more than the push's.
    assert connections_received(throwaway_redis) > before + 1
    connected = connections_received(throwaway_redis)

    assert wire.send(sends(7), what="after warm")
    assert connections_received(throwaway_redis) == connected + 1  # the push found it open


@pytest.mark.redis
def test_pushes_reach_the_groups_of_a_layer_sharded_over_two_redis(throwaway_redis, settings):
    """The publisher picks each group's Redis as the layer's own subscription does."""
    second = ThrowawayRedis()
    second.start()
    try:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": LAYERS[1],
                "CONFIG": {"hosts": [throwaway_redis.url, second.url]},
            }
        }
        layer = channel_layers.make_backend("default")
        loop = asyncio.new_event_loop()
        groups = [audience.COUNTY_GROUP, *(audience.township_group(i) for i in range(1, 9))]
        channels = {}
        for group in groups:
            channels[group] = loop.run_until_complete(layer.new_channel())
            loop.run_until_complete(layer.group_add(group, channels[group]))
        try:
            # The groups are spread over both servers (their subscriptions are there).
            assert throwaway_redis.cli("pubsub", "channels").stdout.strip()
            assert second.cli("pubsub", "channels").stdout.strip()
            pushes = [
                (group, {"type": "summary.message", "summary": {"g": group}}) for group in groups
            ]
            assert wire.send(pushes, what="sharded")
            for group in groups:
                received = loop.run_until_complete(
                    asyncio.wait_for(layer.receive(channels[group]), 5)
                )
                assert received["summary"] == {"g": group}
        finally:
            loop.run_until_complete(layer.flush())
            loop.close()
    finally:
        second.stop()


def test_warm_without_a_redis_layer_starts_nothing(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    threads = threading.active_count()

    assert wire.warm() is None
    assert threading.active_count() == threads
