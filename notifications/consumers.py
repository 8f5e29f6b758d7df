"""/ws/alerts/: live alerts and command-screen figures for signed-in staff.

Thin on purpose: the groups a socket joins come from selectors.alert_audience, the
alerts it replays from selectors.alerts_after (the same rules as the HTTP API). A socket
may sit in several groups that receive the same alert (county and user, say), so it
remembers the ids it sent and sends each alert once.
"""

import logging
from collections import OrderedDict

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from notifications import push, selectors

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
REMEMBERED_IDS = 5000
RESUME_BATCH = 500
# What notifications.push sends through the channel layer (handlers at the end).
PUSHED_TYPES = frozenset({"alert.message", "alert.update", "summary.message"})


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

    async def disconnect(self, code):
        for group in self.joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # Redis gone: the group entry expires by itself
                logger.warning("group_discard %s failed", group, exc_info=True)

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
