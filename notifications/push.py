"""Pushing stored alerts and summaries through the channel layer.

Alerts are database rows before they are pushed (the outbox): a failed push (Redis
down, a slow network) is logged and never raised, because a client that reconnects asks
for everything after its last alert id and gets it from the database.
"""

import asyncio
import concurrent.futures
import logging
import os
import threading

from asgiref.sync import async_to_sync
from channels import DEFAULT_CHANNEL_LAYER
from channels.layers import InMemoryChannelLayer, channel_layers, get_channel_layer
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef

logger = logging.getLogger(__name__)

COUNTY_GROUP = "alerts.county"
SUMMARY_PUSH_KEY = "notifications:summary-push"


def township_group(township_id: int) -> str:
    return f"alerts.township.{township_id}"


def user_group(user_id: int) -> str:
    return f"alerts.user.{user_id}"


def alert_payload(alert) -> dict:
    """The WebSocket message for an alert (docs/api.md); the API lists the same fields."""
    return {
        "type": "alert",
        "id": alert.pk,
        "level": alert.level,
        "reason": alert.reason,
        "reason_label": alert.get_reason_display(),
        "case_number": alert.case.number,
        "township": alert.township.code,
        "township_name": alert.township.name,
        "score": alert.score,
        "factors": alert.factors,
        "rules_version": alert.rules_version,
        "message": alert.message,
        "status": alert.status,
        "deadline": alert.deadline.isoformat() if alert.deadline else None,
        "created_at": alert.created_at.isoformat(),
        "acknowledged_by": (
            alert.acknowledged_by.get_full_name() or alert.acknowledged_by.get_username()
        )
        if alert.acknowledged_by
        else None,
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
        "acknowledged_by_name": (
            alert.acknowledged_by.get_full_name() or alert.acknowledged_by.get_username()
            if alert.acknowledged_by
            else None
        ),
        "acknowledgement_note": alert.acknowledgement_note,
        # Collective cases (10+ workers) have priority: marked in every list.
        "collective": alert.case.is_collective,
    }


def alert_groups(alert, notify_ids=None) -> list[str]:
    if notify_ids is None:
        notify_ids = alert.notify_users.values_list("id", flat=True)
    return [COUNTY_GROUP, township_group(alert.township_id)] + [user_group(i) for i in notify_ids]


def alerts_push(alert_ids, *, kind: str = "alert.message") -> bool:
    """Send stored alerts to every audience that may see them. False if it failed."""
    from notifications.models import Alert

    if not alert_ids:
        return True
    alerts = (
        Alert.objects.filter(pk__in=alert_ids)
        .select_related("case", "township", "acknowledged_by")
        .order_by("id")
    )
    if connection.vendor == "postgresql":
        # The users to notify in the same round trip: every query here is waited for
        # between the commit and the screen (docs/performance.md, benchmark 2).
        notify = Alert.notify_users.through.objects.filter(alert_id=OuterRef("pk"))
        alerts = alerts.annotate(notify_ids=ArraySubquery(notify.values("user_id")))
    return alerts_send(list(alerts), kind=kind)


def alerts_send(alerts, *, kind: str = "alert.message") -> bool:
    """Send alerts in hand: the ones a transaction just stored (services._alert_create
    loads their case, township and users to notify), so the push after the commit asks
    the database for nothing (docs/performance.md, benchmark 2). False if it failed."""
    sends = [
        (group, {"type": kind, "alert": alert_payload(alert)})
        for alert in alerts
        for group in alert_groups(alert, getattr(alert, "notify_ids", None))
    ]
    return _send(sends, what=f"alerts {[alert.pk for alert in alerts]}")


def sockets_close(*, user_id: int, session_key: str | None = None, everywhere: bool = True) -> bool:
    """Close a user's open /ws/alerts/ sockets (notifications.consumers, code 4401).

    everywhere: all of them (deactivated, role, township or password changed); else the
    sockets of one session (its sign-out), or with no session_key the ones signed in by
    token (a sign-out through the API). Sent through the user's own group, which every
    socket of the user joins; a client whose sign-in still holds reconnects with fresh
    groups. False if the push failed (the socket's periodic re-check still closes it).
    """
    message = {"type": "session.close", "everywhere": everywhere, "session_key": session_key}
    return _send([(user_group(user_id), message)], what=f"socket close for user {user_id}")


def summary_push(*, force: bool = False) -> bool:
    """Push the command screen's figures; at most once per interval unless forced."""
    from notifications import selectors

    interval = getattr(settings, "LABORCASE_SUMMARY_PUSH_SECONDS", 2)
    if not force:
        try:
            if not cache.add(SUMMARY_PUSH_KEY, 1, interval):
                return False  # pushed a moment ago; the next change or the scan catches up
        except Exception:  # the cache is Redis too: without it, push every time
            logger.warning("summary throttle unavailable", exc_info=True)
    figures = selectors.dashboard_summary(fresh=True)
    return _send([(COUNTY_GROUP, {"type": "summary.message", "summary": figures})], what="summary")


def _send(sends, *, what: str) -> bool:
    layer = get_channel_layer()
    if layer is None or not sends:
        return True
    timeout = getattr(settings, "LABORCASE_PUSH_TIMEOUT_SECONDS", 3)
    try:
        if isinstance(layer, InMemoryChannelLayer):
            # Its queues belong to the event loop the consumers run on (tests, runserver
            # without Redis); async_to_sync goes back to that loop when there is one.
            async_to_sync(_within)(timeout, _group_send_all, layer, sends)
        else:
            _sender().send(layer, sends, timeout)
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


def _sender() -> _Sender:
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
