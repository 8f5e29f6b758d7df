"""/ws/alerts/: live alerts and command-screen figures for signed-in staff.

Thin on purpose: it joins the groups of its audience (notifications.audience) through
its process's notifications.fanout, which receives what notifications.push sends to a
group once per process and hands it to the group's sockets there; the alerts it replays
come from selectors.alerts_after (the same rules as the HTTP API), the sign-in checks
from notifications.auth, the channel-layer watch from notifications.wire. A socket may
sit in several groups that receive the same alert (county and user, say), so it
remembers the ids it sent and sends each alert once.

A socket signs in with its session cookie or an API token (notifications.auth), checked
when it connects, and lives only as long as that sign-in: signing out, deactivation and
a change of role, township or password close it with 4401 at once
(notifications.handlers sends "session.close" to the user's group after commit), and
its server process re-checks every socket's sign-in when its session would expire and
every LABORCASE_WS_RECHECK_SECONDS (a change the signals cannot see: a bulk update, raw
SQL, a deleted token), all of its sockets at once (notifications.sign_in_watch).
"""

from collections import OrderedDict

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from rest_framework.exceptions import ParseError

from config.parsers import json_loads
from notifications import audience, auth, push, selectors
from notifications.fanout import Frame, GroupFanout
from notifications.sign_in_watch import SignInWatch
from notifications.wire import LayerWatch

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_BAD_FRAME = 4400  # a binary frame, or text that is not JSON
CLOSE_LAYER_LOST = 4503  # reconnect and resume: alerts may have been missed
REMEMBERED_IDS = 5000
RESUME_BATCH = 500
BINARY_FRAME = "只接受JSON文本消息，不接受二进制消息。"


class AlertConsumer(AsyncJsonWebsocketConsumer):
    # A socket receives only through its process's fan-out (notifications.fanout): no
    # channel of its own on the layer (channels makes one per consumer of a configured
    # alias), which cost a Redis subscription and a reader task per socket.
    channel_layer_alias = "laborcase.no-channel-of-its-own"
    signed_in: auth.SignIn | None = None
    session_key: str | None = None
    token_key: str | None = None
    layer_was_lost = False

    async def __call__(self, scope, receive, send):
        try:
            return await super().__call__(scope, receive, send)
        finally:  # the connection is over however it ended (a server stopping cancels it)
            self._unwatch()

    @property
    def layer(self):
        """The process's channel layer, which the fan-out and the layer watch use."""
        return get_channel_layer()

    async def connect(self):
        self.joined: list[str] = []
        self.sent: OrderedDict[int, None] = OrderedDict()
        # Accept, then close with an application code: a refused handshake carries none.
        # Accepted first, the handshake is done whatever the sign-in check waits for; the
        # socket joins no group and answers nothing until the check has passed.
        await self.accept()
        watch = SignInWatch.of_this_loop()
        sign_in = await watch.check(auth.Credentials.of(self.scope))
        if sign_in is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not sign_in.audience.allowed:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.scope["user"] = sign_in.user
        self.session_key = sign_in.credentials.session_key
        self.token_key = sign_in.credentials.token_key
        fanout = GroupFanout.of(self.layer)
        groups = list(sign_in.audience.groups)
        if self._wants_figures():
            groups.append(audience.FIGURES_GROUP)
        for group in groups:
            self.joined.append(group)
            await fanout.join(self, group)
        if LayerWatch.needed(self.layer):
            await LayerWatch.of(self.layer).add(self)
            if self.layer_was_lost:  # closed meanwhile (4503): the browser reconnects
                return
        await self.send_json(
            {"type": "hello", "user": sign_in.user.get_username(), "groups": self.joined}
        )
        self.signed_in = sign_in
        watch.add(self)

    async def disconnect(self, code):
        self._unwatch()
        if LayerWatch.needed(self.layer):
            LayerWatch.of(self.layer).consumers.discard(self)

    def _wants_figures(self) -> bool:
        """The command screen's figures, unless the client said `?figures=0`."""
        return auth.query_params(self.scope).get("figures", ["1"])[-1] != "0"

    def _unwatch(self):
        if self.signed_in is not None:
            SignInWatch.of_this_loop().discard(self)
        if getattr(self, "joined", None):
            GroupFanout.of(self.layer).leave(self, self.joined)

    async def sign_in_lost(self):
        """notifications.sign_in_watch: the session or token no longer signs the user in,
        or the user's groups changed."""
        await self.close(code=CLOSE_UNAUTHENTICATED)

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

    async def _send_alert(self, payload: push.AlertMessage):
        if self._first_time(payload["id"]):
            await self.send_json(payload)

    def _first_time(self, alert_id: int) -> bool:
        """Whether this socket has not sent the alert yet (and now remembers it)."""
        if alert_id in self.sent:
            return False
        self.sent[alert_id] = None
        while len(self.sent) > REMEMBERED_IDS:
            self.sent.popitem(last=False)
        return True

    async def dispatch(self, message):
        # channels' dispatch first runs close_old_connections through sync_to_async, on
        # the one thread every consumer of the process shares, before every message: a
        # broadcast to 1,000 sockets queued 1,000 thread hops one behind another
        # (docs/performance.md, benchmark 5), and each connecting socket waited for a
        # hop of its own before it could even ask for its sign-in check. Nothing here
        # touches the database but through database_sync_to_async, which closes old
        # connections around itself.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            await super().dispatch(message)  # channels' error for a type nobody handles
        else:
            await handler(message)

    # What notifications.fanout delivers: the messages every socket of a group sends
    # alike, encoded once for all of them; the others go through dispatch() below.
    @classmethod
    async def frame_for(cls, message) -> Frame | None:
        kind = message.get("type")
        if kind == "alert.message":
            alert = message["alert"]
            return Frame(await cls.encode_json(alert), alert_id=alert["id"])
        if kind == "alert.update":
            return Frame(await cls.encode_json({**message["alert"], "type": "alert_update"}))
        if kind == "summary.message":
            return Frame(await cls.encode_json({"type": "summary", **message["summary"]}))
        return None

    async def send_frame(self, frame: Frame):
        if frame.alert_id is None or self._first_time(frame.alert_id):
            await self.send(text_data=frame.text)

    # Handlers by message "type" (alert.message -> alert_message): notifications.fanout
    # calls dispatch() for the messages each socket decides for itself (session.close).
    async def session_close(self, event: push.SessionCloseEvent):
        """notifications.push.sockets_close: the user signed out or changed."""
        if event.get("everywhere"):
            mine = True
        elif event.get("session_key"):
            mine = event["session_key"] == self.session_key
        else:
            mine = bool(self.token_key)
        if mine:
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def alert_message(self, event: push.AlertEvent):
        await self._send_alert(event["alert"])

    async def alert_update(self, event: push.AlertEvent):
        await self.send_json({**event["alert"], "type": "alert_update"})

    async def summary_message(self, event: push.SummaryEvent):
        await self.send_json({"type": "summary", **event["summary"]})

    async def layer_lost(self):
        """notifications.wire.LayerWatch: the channel layer dropped what it was sent."""
        self.layer_was_lost = True
        await self.close(code=CLOSE_LAYER_LOST)
