"""The event-loop side of pushing: how a message reaches the channel layer from any
thread (gunicorn, Celery, management commands, the ASGI loop), and how a socket server
learns that its channel-layer subscription is lost.

notifications.push decides what to send to whom; this module only delivers. A failed
send is logged and reported as False, never raised (the alerts are in the database:
clients resume from it on reconnect).

With production's RedisPubSubChannelLayer a push is published from the caller's own
thread (_Publisher); RedisChannelLayer's group_send, several round trips and Lua, runs on
one event loop per process (_Sender).
"""

import asyncio
import concurrent.futures
import logging
import os
import threading
import weakref
from collections.abc import Mapping, Sequence
from typing import Any

import redis
from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import _consistent_hash, decode_hosts
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

LAYER_CHECK_SECONDS = 1.0
# LayerWatch._check: it waits in steps; a step that ends this much late found the loop busy.
CHECK_STEP_SECONDS = 0.1
LATE_SECONDS = 0.02
# However busy the loop, a check's message not back within this long means the layer is lost.
BUSY_LIMIT_SECONDS = 20.0


def push_timeout() -> float:
    return getattr(settings, "LABORCASE_PUSH_TIMEOUT_SECONDS", 3)


def send(sends: Sequence[tuple[str, Mapping[str, Any]]], *, what: str) -> bool:
    """Send (group, message) pairs through the process's channel layer, each group's in
    order, within LABORCASE_PUSH_TIMEOUT_SECONDS. False if it failed (logged)."""
    layer = get_channel_layer()
    if layer is None or not sends:
        return True
    timeout = push_timeout()
    try:
        if isinstance(layer, InMemoryChannelLayer):
            # Its queues belong to the event loop the consumers run on (tests, runserver
            # without Redis); async_to_sync goes back to that loop when there is one.
            async_to_sync(_within)(timeout, _group_send_all, layer, sends)
        elif (direct := publisher(layer, timeout)) is not None:
            direct.send(sends)
        else:
            sender().send(layer, sends, timeout)
    except Exception as error:
        logger.warning("push of %s failed (stored; clients resume on reconnect): %r", what, error)
        return False
    return True


async def _within(timeout, step, *args):
    async with asyncio.timeout(timeout):
        return await step(*args)


async def _group_send_all(layer, sends):
    """Each group gets its messages in order; the groups are sent to at the same time
    (a group_send is several Redis round trips with RedisChannelLayer)."""
    by_group: dict[str, list[dict]] = {}
    for group, message in sends:
        by_group.setdefault(group, []).append(message)

    async def in_order(group, messages):
        for message in messages:
            await layer.group_send(group, message)

    await asyncio.gather(*(in_order(g, messages) for g, messages in by_group.items()))


class _Publisher:
    """What RedisPubSubChannelLayer.group_send does, one PUBLISH of the serialized message
    to the group's Redis channel, done from the caller's thread with redis-py's blocking
    client: every push of one call in one round trip (a pipeline, in order), per Redis
    host. The socket servers receive it as from the layer (they subscribe through it).

    Through _Sender's event loop, the committing thread handed the push to the loop's
    thread and waited while the layer's async client published it: about 0.2 ms at p50
    of the 1.1 ms from an alert's commit to its screen (docs/performance.md, "Seventh
    pass"). The connection pool is the process's, shared by its threads; redis-py makes
    a new one in a forked child (gunicorn, Celery prefork).
    """

    def __init__(self, layer, config: Mapping[str, Any], timeout: float):
        self.layer, self.timeout = layer, timeout
        self.prefix = config.get("prefix", "asgi")
        self.clients = [self._client(host, timeout) for host in decode_hosts(config.get("hosts"))]

    @staticmethod
    def handles(config: Mapping[str, Any]) -> bool:
        """Hosts given by address or host and port; Sentinel is left to the layer."""
        return not any("sentinels" in host for host in decode_hosts(config.get("hosts")))

    @staticmethod
    def _client(host: Mapping[str, Any], timeout: float) -> redis.Redis:
        options = {k: v for k, v in host.items() if k not in ("address", "socket_timeout")}
        # One retry at once, for a pooled connection that Redis closed (a restart); a
        # quarter of the push's timeout for each connect and each read, so that both
        # tries end within it. The host's long socket_timeout is for the socket
        # servers' idle subscriptions, not for a publish.
        options.update(
            socket_timeout=timeout / 4,
            socket_connect_timeout=min(timeout / 4, host.get("socket_connect_timeout", timeout)),
            retry=Retry(NoBackoff(), 1),
        )
        if "address" in host:
            return redis.Redis.from_url(host["address"], **options)
        return redis.Redis(**options)

    def group_channel(self, group: str) -> str:
        # channels_redis.pubsub.RedisPubSubLoopLayer._get_group_channel_name
        return f"{self.prefix}__group__{group}"

    def send(self, sends) -> None:
        pipelines: dict[int, redis.client.Pipeline] = {}
        for group, message in sends:
            channel = self.group_channel(group)
            shard = _consistent_hash(channel, len(self.clients))  # the layer's own choice
            if shard not in pipelines:
                pipelines[shard] = self.clients[shard].pipeline(transaction=False)
            pipelines[shard].publish(channel, self.layer.serialize(message))
        for pipeline in pipelines.values():
            pipeline.execute()

    def close(self) -> None:
        for client in self.clients:
            client.close()


_publisher_instance: _Publisher | None = None
_publisher_lock = threading.Lock()


def _config() -> Mapping[str, Any]:
    return channel_layers.configs[DEFAULT_CHANNEL_LAYER].get("CONFIG", {})


def publisher(layer, timeout: float) -> _Publisher | None:
    """The process's publisher for this layer instance and timeout (a new one when the
    settings change: tests); None but for RedisPubSubChannelLayer on hosts it handles."""
    global _publisher_instance
    found = _publisher_instance
    if found is not None and found.layer is layer and found.timeout == timeout:
        return found
    if not isinstance(layer, RedisPubSubChannelLayer) or not _Publisher.handles(_config()):
        return None
    with _publisher_lock:
        found = _publisher_instance
        if found is None or found.layer is not layer or found.timeout != timeout:
            if found is not None:
                found.close()
            found = _publisher_instance = _Publisher(layer, _config(), timeout)
    return found


class _Sender:
    """One event loop per process, in a daemon thread, that keeps its channel-layer
    connection open between pushes.

    async_to_sync from a plain thread (gunicorn, Celery, management commands) starts a
    new event loop for every call, and channels-redis keeps its connections per event
    loop, so every push paid for a new Redis connection (p99 75 ms against 6 ms for a
    raw publish, docs/performance.md). Here the caller's thread waits for its push on
    this loop, at most `timeout` seconds, so a request never waits long for Redis.

    The loop owns a layer instance of its own (the same settings): channels-redis layers
    keep connections per loop, and another loop's flush() or close_pools() on the
    shared instance would otherwise close this loop's connections from the wrong loop.
    """

    def __init__(self):
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="laborcase-push", daemon=True
        )
        self.thread.start()
        self._shared = None  # the process's layer that self._own was made for
        self._own = None

    def send(self, layer, sends, timeout: float) -> None:
        future = asyncio.run_coroutine_threadsafe(
            _within(timeout, self._send, layer, sends), self.loop
        )
        try:
            # The coroutine stops itself at `timeout`; the margin covers a busy loop.
            future.result(timeout + 1)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise TimeoutError(f"push not done in {timeout + 1} s") from None

    async def _send(self, shared, sends):
        await _group_send_all(await self._layer_for(shared), sends)

    async def _layer_for(self, shared):
        if shared is self._shared:
            return self._own
        # First push, or the settings changed (tests): a fresh instance for this loop.
        old, self._shared = self._own, shared
        if isinstance(shared, (RedisChannelLayer, RedisPubSubChannelLayer)):
            self._own = channel_layers.make_backend(DEFAULT_CHANNEL_LAYER)
        else:
            self._own = shared  # no per-loop state to keep apart (a test double)
        try:
            if isinstance(old, RedisChannelLayer):
                await old.close_pools()
            elif isinstance(old, RedisPubSubChannelLayer):
                await old.flush()  # its own instance: subscribed to nothing, only closes
        except Exception:  # a connection to a server that went away
            logger.debug("closing the previous push connection failed", exc_info=True)
        return self._own


_sender_instance: _Sender | None = None
_sender_lock = threading.Lock()


def _forget_sender_after_fork():
    # The child has none of the parent's threads: neither its sender's loop thread nor
    # whichever thread may have held the lock at the fork.
    global _sender_instance, _sender_lock
    _sender_instance, _sender_lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_sender_after_fork)


def sender() -> _Sender:
    """This process's sender, started on first use: after a fork (gunicorn, Celery
    prefork) the child has no thread, so it starts its own."""
    global _sender_instance
    sender = _sender_instance
    if sender is None or sender.pid != os.getpid():
        with _sender_lock:
            sender = _sender_instance
            if sender is None or sender.pid != os.getpid():
                sender = _sender_instance = _Sender()
    return sender


WARM_GROUP = "laborcase.warm"


def warm() -> concurrent.futures.Future | None:
    """Connect this process's publisher (or start its sender) now, not with the first
    alert: connecting cost the first alerts of a fresh server or worker 50-90 ms
    (docs/performance.md). Called where a serving process starts (config/wsgi.py,
    config/asgi.py, a Celery worker process); returns at once, the connecting happens on
    a thread of its own (the future returned says when it is done). Nothing to warm for
    the in-memory layer; a Redis that is down only leaves the first push to connect."""
    layer = get_channel_layer()
    if layer is None or isinstance(layer, InMemoryChannelLayer):
        return None
    direct = publisher(layer, push_timeout())
    if direct is not None:
        executor = concurrent.futures.ThreadPoolExecutor(1, "laborcase-push-warm")
        try:
            return executor.submit(_warm_publisher, direct)
        finally:
            executor.shutdown(wait=False)  # its thread ends with the connecting
    return asyncio.run_coroutine_threadsafe(_warm(sender(), layer), sender().loop)


def _warm_publisher(publisher: _Publisher) -> None:
    try:
        # A message to a group no socket joins: the pool connects, and the first push
        # finds the serializer and the pipeline's code paths run once already.
        publisher.send([(WARM_GROUP, {"type": "warm"})])
    except Exception as error:
        logger.info("channel layer not reachable at start (the first push connects): %r", error)


async def _warm(sender: "_Sender", layer) -> None:
    try:
        # A message to a group no socket joins: the layer opens its connection to send it.
        await _within(5, sender._send, layer, [(WARM_GROUP, {"type": "warm"})])
    except Exception as error:
        logger.info("channel layer not reachable at start (the first push connects): %r", error)


class LayerWatch:
    """RedisPubSubChannelLayer drops what is published while a process's subscription is
    down (Redis restarting) and keeps the sockets open, so a browser would never ask for
    the alerts it missed. One watch per event loop (server process) sends itself a
    message through the layer every second; when that fails, it tells every socket it
    watches (`await consumer.layer_lost()`), which closes so that the browser reconnects
    and resumes from its last alert id, which the outbox answers. It stops with its last
    socket or after telling them."""

    _by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LayerWatch]" = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, layer):
        self.layer = layer
        self.consumers: weakref.WeakSet = weakref.WeakSet()
        self.task: asyncio.Task | None = None
        # Set once a message has come back through the layer in this process.
        self.receiving = asyncio.Event()

    @staticmethod
    def needed(layer) -> bool:
        return isinstance(layer, RedisPubSubChannelLayer)

    @classmethod
    def of(cls, layer) -> "LayerWatch":
        loop = asyncio.get_running_loop()
        watch = cls._by_loop.get(loop)
        if watch is None or watch.layer is not layer:
            watch = cls._by_loop[loop] = cls(layer)
        return watch

    async def add(self, consumer):
        """Watch this socket; the first socket of a process waits (at most two check
        intervals, 2 s) for the first message to come back through the layer. channels_redis's
        reader starts only 0.1 s after a process's first subscription (it naps while not
        yet subscribed), and alerts published meanwhile waited in Redis's socket: the
        first alerts after a server started arrived 50-80 ms late."""
        self.consumers.add(consumer)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._watch())
        if not self.receiving.is_set():
            try:
                async with asyncio.timeout(2 * LAYER_CHECK_SECONDS):
                    await self.receiving.wait()
            except TimeoutError:  # the watch itself tells the sockets if the layer is lost
                pass

    async def _check(self, channel) -> None:
        """A message sent to the watch's own channel comes back within two check
        intervals of the time the event loop was free to read it (TimeoutError if not),
        and within BUSY_LIMIT_SECONDS in any case.

        Only free time counts: an alert to 5,000 sockets keeps the loop busy for a second
        or more, and a crowd connecting (hundreds of sockets a second, each subscribing
        on the layer's one reader) for many seconds; both delay the check's message as
        much as any other, and a plain timeout then closed the sockets of a working
        server with 4503 (docs/performance.md). A wait that wakes up late was not free."""
        loop = asyncio.get_running_loop()
        reply = asyncio.ensure_future(self._round_trip(channel))
        free = busy = 0.0
        try:
            while free < 2 * LAYER_CHECK_SECONDS and free + busy < BUSY_LIMIT_SECONDS:
                started = loop.time()
                done, _pending = await asyncio.wait({reply}, timeout=CHECK_STEP_SECONDS)
                if done:
                    return reply.result()  # raises what the send or the receive raised
                elapsed = loop.time() - started
                if elapsed <= CHECK_STEP_SECONDS + LATE_SECONDS:
                    free += elapsed
                else:
                    busy += elapsed
        finally:
            reply.cancel()
        raise TimeoutError

    async def _round_trip(self, channel) -> None:
        await self.layer.send(channel, {"type": "layer.check"})
        await self.layer.receive(channel)

    async def _watch(self):
        try:
            channel = await self.layer.new_channel()
            while self.consumers:
                await self._check(channel)
                self.receiving.set()
                await asyncio.sleep(LAYER_CHECK_SECONDS)
        except Exception as error:  # TimeoutError, a Redis connection error
            self.receiving.clear()  # the next first socket waits again for the reader
            consumers, self.consumers = list(self.consumers), weakref.WeakSet()
            logger.warning(
                "channel layer subscription lost (%r): closing %d sockets so that they "
                "reconnect and resume",
                error,
                len(consumers),
            )
            for consumer in consumers:
                try:
                    await consumer.layer_lost()
                except Exception:  # already gone
                    logger.debug("closing a socket failed", exc_info=True)
