"""/ws/alerts/: live alerts and command-screen figures for signed-in staff.

Thin on purpose: the groups a socket joins come from selectors.alert_audience, the
alerts it replays from selectors.alerts_after (the same rules as the HTTP API). A socket
may sit in several groups that receive the same alert (county and user, say), so it
remembers the ids it sent and sends each alert once.
"""

import asyncio
import logging
import weakref
from collections import OrderedDict

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels_redis.pubsub import RedisPubSubChannelLayer
from rest_framework.exceptions import ParseError

from config.parsers import json_loads
from notifications import push, selectors

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_FRAME = 4400  # a binary frame, or text that is not JSON
CLOSE_LAYER_LOST = 4503  # reconnect and resume: alerts may have been missed
LAYER_CHECK_SECONDS = 1.0
REMEMBERED_IDS = 5000
RESUME_BATCH = 500
# What notifications.push sends through the channel layer (handlers at the end).
PUSHED_TYPES = frozenset({"alert.message", "alert.update", "summary.message"})
BINARY_FRAME = "只接受JSON文本消息，不接受二进制消息。"


class AlertConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        self.joined: list[str] = []
        self.sent: OrderedDict[int, None] = OrderedDict()
        user = self.scope.get("user")
        # Accept, then close with an application code: a refused handshake carries none.
        await self.accept()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        audience = await database_sync_to_async(selectors.alert_audience)(user)
        if not audience.allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        for group in audience.groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        await self.send_json({"type": "hello", "user": user.get_username(), "groups": self.joined})
        if isinstance(self.channel_layer, RedisPubSubChannelLayer):
            _LayerWatch.of(self.channel_layer).add(self)

    async def disconnect(self, code):
        if isinstance(self.channel_layer, RedisPubSubChannelLayer):
            _LayerWatch.of(self.channel_layer).consumers.discard(self)
        for group in self.joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # Redis gone: the group entry expires by itself
                logger.warning("group_discard %s failed", group, exc_info=True)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # channels' JSON consumer raises on a binary frame or text that is not JSON, and
        # the server then drops the socket with 1011 (internal error). Say what was
        # wrong and close with an application code instead.
        if text_data is None:
            await self._refuse_frame(BINARY_FRAME)
            return
        try:
            content = json_loads(text_data)
        except ParseError as error:
            await self._refuse_frame(str(error.detail))
            return
        await self.receive_json(content, **kwargs)

    async def _refuse_frame(self, detail: str):
        await self.send_json({"type": "error", "detail": detail})
        # A close reason may carry at most 123 bytes; the message above has the detail.
        await self.close(code=CLOSE_BAD_FRAME, reason="bad frame: JSON text expected")

    async def receive_json(self, content, **kwargs):
        if not self.joined or not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "resume":
            await self._resume(content.get("after_id"))
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    async def _resume(self, raw_after_id):
        try:
            after_id = max(int(raw_after_id or 0), 0)
        except (TypeError, ValueError):
            await self.send_json({"type": "error", "detail": "after_id 必须是整数。"})
            return
        user = self.scope["user"]
        while True:
            alerts = await database_sync_to_async(self._payloads_after)(user, after_id)
            for payload in alerts:
                await self._send_alert(payload)
            if len(alerts) < RESUME_BATCH:
                break
            after_id = alerts[-1]["id"]
        last_id = alerts[-1]["id"] if alerts else after_id
        await self.send_json({"type": "resumed", "last_id": max(last_id, after_id)})

    @staticmethod
    def _payloads_after(user, after_id):
        return [push.alert_payload(a) for a in selectors.alerts_after(user, after_id, RESUME_BATCH)]

    async def _send_alert(self, payload):
        if payload["id"] in self.sent:
            return
        self.sent[payload["id"]] = None
        while len(self.sent) > REMEMBERED_IDS:
            self.sent.popitem(last=False)
        await self.send_json(payload)

    async def dispatch(self, message):
        # channels' dispatch first runs close_old_connections through sync_to_async, on
        # the one thread every consumer of the process shares, before every message: a
        # broadcast to 1,000 sockets queued 1,000 thread hops one behind another
        # (docs/performance.md, benchmark 5). The pushed messages below touch no
        # database, and every database call here goes through database_sync_to_async,
        # which closes old connections around itself; the socket's own events
        # (connect, receive, disconnect) keep channels' path.
        if message["type"] in PUSHED_TYPES:
            await getattr(self, get_handler_name(message))(message)
        else:
            await super().dispatch(message)

    # Channel-layer handlers (message "type" alert.message -> alert_message).
    async def alert_message(self, event):
        await self._send_alert(event["alert"])

    async def alert_update(self, event):
        await self.send_json({**event["alert"], "type": "alert_update"})

    async def summary_message(self, event):
        await self.send_json({"type": "summary", **event["summary"]})


class _LayerWatch:
    """RedisPubSubChannelLayer drops what is published while a process's subscription is
    down (Redis restarting) and keeps the sockets open, so a browser would never ask for
    the alerts it missed. One watch per event loop (server process) sends itself a
    message through the layer every second; when that fails, it closes every socket it
    watches with CLOSE_LAYER_LOST, and the browsers reconnect and resume from their last
    alert id, which the outbox answers. It stops with its last socket or after closing."""

    _by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LayerWatch]" = (
        weakref.WeakKeyDictionary()
    )

    def __init__(self, layer):
        self.layer = layer
        self.consumers: weakref.WeakSet = weakref.WeakSet()
        self.task: asyncio.Task | None = None

    @classmethod
    def of(cls, layer) -> "_LayerWatch":
        loop = asyncio.get_running_loop()
        watch = cls._by_loop.get(loop)
        if watch is None or watch.layer is not layer:
            watch = cls._by_loop[loop] = cls(layer)
        return watch

    def add(self, consumer):
        self.consumers.add(consumer)
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._watch())

    async def _watch(self):
        try:
            channel = await self.layer.new_channel()
            while self.consumers:
                await asyncio.sleep(LAYER_CHECK_SECONDS)
                async with asyncio.timeout(2 * LAYER_CHECK_SECONDS):
                    await self.layer.send(channel, {"type": "layer.check"})
                    await self.layer.receive(channel)
        except Exception as error:  # TimeoutError, a Redis connection error
            consumers, self.consumers = list(self.consumers), weakref.WeakSet()
            logger.warning(
                "channel layer subscription lost (%r): closing %d sockets so that they "
                "reconnect and resume",
                error,
                len(consumers),
            )
            for consumer in consumers:
                try:
                    await consumer.close(code=CLOSE_LAYER_LOST)
                except Exception:  # already gone
                    logger.debug("closing a socket failed", exc_info=True)
