"""GET /healthz: is the database answering, and can the channel layer deliver?"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


async def _channel_layer_ok() -> bool:
    layer = get_channel_layer()
    if layer is None:
        return False
    await asyncio.wait_for(layer.group_send("healthz", {"type": "healthz.ping"}), timeout=2)
    return True


def healthz(request):
    status = {"database": "ok", "channel_layer": "ok"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any failure here means the same thing: not serving
        logger.exception("healthz: database check failed")
        status["database"], code = "down", 503
    try:
        async_to_sync(_channel_layer_ok)()
    except Exception:
        # Alerts are stored first and pushed later, so the site still works: degraded.
        logger.warning("healthz: channel layer unreachable", exc_info=True)
        status["channel_layer"] = "degraded"
    return JsonResponse(status, status=code)
