"""Reads of the notifications app: the alerts a user lists (the API, the alerts page, a
socket's resume). Who may see which alert is notifications.audience; the command screen's
figures are notifications.summary.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Case as DbCase
from django.db.models import F, IntegerField, QuerySet, Value, When

from core import roles
from core.models import Township
from notifications.audience import alerts_visible_to, sees_whole_county
from notifications.models import Alert
from rules.models import RiskLevel


def alerts_after(user: User, after_id: int, limit: int = 500) -> list[Alert]:
    return list(
        alerts_visible_to(user, Alert.objects.filter(pk__gt=after_id))
        .select_related("case", "township", "acknowledged_by")
        .order_by("pk")[:limit]
    )


def alerts_latest(user: User, limit: int = 50, open_only: bool = False) -> list[Alert]:
    queryset = Alert.objects.all()
    if open_only:
        queryset = queryset.filter(status=Alert.Status.OPEN)
    latest = list(
        alerts_visible_to(user, queryset)
        .select_related("case", "township", "acknowledged_by")
        .order_by("-pk")[:limit]
    )
    return latest[::-1]


# --- the alerts page ---------------------------------------------------------------------


@dataclass
class AlertFilters:
    level: str = ""
    reason: str = ""
    township: str = ""
    status: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> "AlertFilters":
        def choice(name: str, values: Iterable[str]) -> str:
            value = params.get(name, "")
            return value if value in values else ""

        return cls(
            level=choice("level", RiskLevel.values),
            reason=choice("reason", Alert.Reason.values),
            township=params.get("township", "").strip()[:32],
            status=choice("status", Alert.Status.values),
        )

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if v}


def alert_list(user: User, filters: AlertFilters) -> QuerySet:
    """The alerts page: open alerts first; among them red ones (a threat of self-harm from
    one worker must not sink under a page of orange ones), then those of collective cases
    (priority by law), then the newest. Only the user's townships (alerts_visible_to)."""
    queryset = Alert.objects.all()
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.reason:
        queryset = queryset.filter(reason=filters.reason)
    if filters.township:
        queryset = queryset.filter(township__code=filters.township)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    still_open = DbCase(
        When(status=Alert.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    red_first = DbCase(
        When(level=RiskLevel.RED, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        alerts_visible_to(user, queryset)
        .select_related("case", "township", "acknowledged_by")
        # Alerts without a case (the ledger's 1+3+1) sort as not collective.
        .order_by(still_open, red_first, F("case__is_collective").desc(nulls_last=True), "-id")
    )


def alert_last_id(user: User) -> int:
    """The newest alert the user may see: a live page resumes after it."""
    return alerts_visible_to(user).order_by("-pk").values_list("pk", flat=True).first() or 0


def alert_townships(user: User) -> list[Township]:
    if sees_whole_county(user):
        return list(Township.objects.order_by("id"))
    return list(Township.objects.filter(id__in=roles.township_ids(user)).order_by("id"))
