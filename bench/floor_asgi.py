"""The floor of an alert's path, for benchmark 2: the same servers with nothing of
LaborCase's in them. A daphne process serving this (bench.settings) answers HTTP as
production does (so that bench.processes.Server sees it start) and on /ws/alerts/ runs
a bare consumer: it joins one group through the production channel layer and writes
what the group receives as it is. bench.inproc.latency commits a one-row insert and
publishes a ready-made frame to that group with redis-py, between LaborCase's alerts.
"""

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

from bench.floor import FLOOR_GROUP
from config.asgi import application as production


class BareConsumer(AsyncWebsocketConsumer):
    groups = [FLOOR_GROUP]

    async def connect(self):
        await self.accept()
        await self.send(text_data='{"type": "hello"}')  # what bench/listen.py waits for

    async def dispatch(self, message):
        # No close_old_connections hop on the database thread per message: LaborCase's
        # consumer skips it too (notifications.consumers.AlertConsumer.dispatch).
        await getattr(self, get_handler_name(message))(message)

    async def floor_frame(self, event):
        await self.send(text_data=event["text"])


application = ProtocolTypeRouter(
    {
        "http": production,
        "websocket": URLRouter([path("ws/alerts/", BareConsumer.as_asgi())]),
    }
)
