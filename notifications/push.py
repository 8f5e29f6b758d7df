"""Pushing stored alerts and summaries through the channel layer.

Alerts are database rows before they are pushed (the outbox): a failed push (Redis
down, a slow network) is logged and never raised, because a client that reconnects asks
for everything after its last alert id and gets it from the database.
"""

import asyncio
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

COUNTY_GROUP = "alerts.county"
SUMMARY_PUSH_KEY = "notifications:summary-push"


def township_group(township_id: int) -> str:
    return f"alerts.township.{township_id}"


def user_group(user_id: int) -> str:
    return f"alerts.user.{user_id}"


def alert_payload(alert) -> dict:
    """The WebSocket message for an alert (API.md); the API lists the same fields."""
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
        "acknowledged_by": alert.acknowledged_by.get_username() if alert.acknowledged_by else None,
        "acknowledged_at": alert.acknowledged_at.isoformat() if alert.acknowledged_at else None,
    }


def alert_groups(alert) -> list[str]:
    groups = [COUNTY_GROUP, township_group(alert.township_id)]
    groups += [user_group(user_id) for user_id in alert.notify_users.values_list("id", flat=True)]
    return groups


def alerts_push(alert_ids, *, kind: str = "alert.message") -> bool:
    """Send stored alerts to every audience that may see them. False if it failed."""
    from notifications.models import Alert

    if not alert_ids:
        return True
    alerts = Alert.objects.filter(pk__in=alert_ids).select_related(
        "case", "township", "acknowledged_by"
    )
    sends = [
        (group, {"type": kind, "alert": alert_payload(alert)})
        for alert in alerts.order_by("id")
        for group in alert_groups(alert)
    ]
    return _send(sends, what=f"alerts {list(alert_ids)}")


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
        async_to_sync(_group_send_all)(layer, sends, timeout)
    except Exception as error:
        logger.warning("push of %s failed (stored; clients resume on reconnect): %r", what, error)
        return False
    return True


async def _group_send_all(layer, sends, timeout):
    async with asyncio.timeout(timeout):
        for group, message in sends:
            await layer.group_send(group, message)
