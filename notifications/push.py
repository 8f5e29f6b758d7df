"""Sending stored alerts and the command screen's figures to the sockets that may see
them: what each message holds (the TypedDicts below; static/js/alerts.js and screen.js
read them) and which groups it goes to (notifications.audience). notifications.wire
delivers them through the channel layer.

Alerts are database rows before they are pushed (the outbox): a failed push (Redis
down, a slow network) is logged and never raised, because a client that reconnects asks
for everything after its last alert id and gets it from the database.
"""

import logging
from typing import Literal, TypedDict

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef

from notifications import audience, summary, wire
from notifications.models import Alert
from notifications.risk import RiskFactor

logger = logging.getLogger(__name__)

SUMMARY_PUSH_KEY = "notifications:summary-push"


class AlertMessage(TypedDict):
    """An alert as the socket sends it and the API lists it (docs/api.md). Sent as
    "alert"; an acknowledgement sends it again as "alert_update"."""

    type: Literal["alert"]
    id: int
    level: str
    reason: str
    reason_label: str
    case_number: str | None  # None for an alert about a person of the ledger (1+3+1)
    ledger_entry: int | None
    township: str  # the township's code
    township_name: str
    score: int
    factors: list[RiskFactor]
    rules_version: int | None
    message: str
    status: str
    deadline: str | None  # ISO date
    created_at: str  # ISO date-time
    acknowledged_by: str | None
    acknowledged_at: str | None
    acknowledged_by_name: str | None
    acknowledgement_note: str
    collective: bool  # collective cases (10+ workers) have priority: marked in every list


# What goes through the channel layer to notifications.consumers (its handlers, by type).


AlertEventType = Literal["alert.message", "alert.update"]


class AlertEvent(TypedDict):
    type: AlertEventType
    alert: AlertMessage


class SummaryEvent(TypedDict):
    type: Literal["summary.message"]
    summary: summary.Summary


class SessionCloseEvent(TypedDict):
    type: Literal["session.close"]
    everywhere: bool
    session_key: str | None


def alert_payload(alert: Alert) -> AlertMessage:
    """The WebSocket message for an alert (docs/api.md); the API lists the same fields."""
    return {
        "type": "alert",
        "id": alert.pk,
        "level": alert.level,
        "reason": alert.reason,
        "reason_label": alert.get_reason_display(),
        "case_number": alert.case.number if alert.case_id else None,
        # Alerts about a person in the re-employment ledger (1+3+1 overdue) have no case.
        "ledger_entry": alert.ledger_entry_id,
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
        "collective": bool(alert.case_id and alert.case.is_collective),
    }


def alerts_push(alert_ids, *, kind: AlertEventType = "alert.message") -> bool:
    """Send stored alerts to every audience that may see them. False if it failed."""
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


def alerts_send(alerts, *, kind: AlertEventType = "alert.message") -> bool:
    """Send alerts in hand: the ones a transaction just stored (services._alert_create
    loads their case, township and users to notify), so the push after the commit asks
    the database for nothing (docs/performance.md, benchmark 2). False if it failed."""
    sends: list[tuple[str, AlertEvent]] = [
        (group, {"type": kind, "alert": alert_payload(alert)})
        for alert in alerts
        for group in audience.alert_groups(alert, getattr(alert, "notify_ids", None))
    ]
    return wire.send(sends, what=f"alerts {[alert.pk for alert in alerts]}")


def sockets_close(*, user_id: int, session_key: str | None = None, everywhere: bool = True) -> bool:
    """Close a user's open /ws/alerts/ sockets (notifications.consumers, code 4401).

    everywhere: all of them (deactivated, role, township or password changed); else the
    sockets of one session (its sign-out), or with no session_key the ones signed in by
    token (a sign-out through the API). Sent through the user's own group, which every
    socket of the user joins; a client whose sign-in still holds reconnects with fresh
    groups. False if the push failed (the socket's periodic re-check still closes it).
    """
    message: SessionCloseEvent = {
        "type": "session.close",
        "everywhere": everywhere,
        "session_key": session_key,
    }
    return wire.send(
        [(audience.user_group(user_id), message)], what=f"socket close for user {user_id}"
    )


def summary_push(*, force: bool = False) -> bool:
    """Push the command screen's figures; at most once per interval unless forced."""
    interval = getattr(settings, "LABORCASE_SUMMARY_PUSH_SECONDS", 2)
    if not force:
        try:
            if not cache.add(SUMMARY_PUSH_KEY, 1, interval):
                return False  # pushed a moment ago; the next change or the scan catches up
        except Exception:  # the cache is Redis too: without it, push every time
            logger.warning("summary throttle unavailable", exc_info=True)
    figures = summary.dashboard_summary(fresh=True)
    message: SummaryEvent = {"type": "summary.message", "summary": figures}
    return wire.send([(audience.FIGURES_GROUP, message)], what="summary")
