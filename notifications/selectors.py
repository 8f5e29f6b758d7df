"""Reads of the notifications app: who sees which alert, and the command screen figures.

On PostgreSQL the summary reads the counters notifications.tally keeps current in the
same transaction as every case change (a few hundred rows, however many cases); on
SQLite it aggregates the rows. Either way it is kept in the cache for a few seconds, so any number of screens and any rate of case
changes cost at most one computation per interval (see dashboard_summary).
"""

import datetime as dt
import logging
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.db import connection
from django.db.models import Case as DbCase
from django.db.models import Count, DecimalField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cases import clocks, roles
from cases.models import OPEN_STATES, Case, CaseEvent, CaseKind, CaseState, Claim, Township
from notifications import push, tally
from notifications.models import (
    AcceptanceTally,
    Alert,
    AlertTally,
    CaseTally,
    DayTally,
    RiskLevel,
)

logger = logging.getLogger(__name__)

SUMMARY_CACHE_KEY = "notifications:summary"
SUMMARY_CACHE_SECONDS = 10
TREND_DAYS = 30
MEDIAN_WINDOW_DAYS = 365


def is_staff(user: User | AnonymousUser) -> bool:
    return bool(roles.user_roles(user))


def sees_whole_county(user: User) -> bool:
    return roles.is_county_level(user) or roles.SCREEN in roles.user_roles(user)


def alerts_visible_to(user: User, queryset: QuerySet | None = None) -> QuerySet:
    """County-level staff and the screen see every alert; others their townships' and
    the alerts addressed to them (escalations to a supervisor)."""
    queryset = Alert.objects.all() if queryset is None else queryset
    if not is_staff(user):
        return queryset.none()
    if sees_whole_county(user):
        return queryset
    mine = Alert.objects.filter(
        Q(township_id__in=roles.township_ids(user)) | Q(notify_users=user)
    ).values("pk")
    return queryset.filter(pk__in=mine)


@dataclass
class Audience:
    allowed: bool
    groups: list[str]


def alert_audience(user: User) -> Audience:
    """The channel-layer groups a user's socket joins; they mirror alerts_visible_to."""
    if not is_staff(user):
        return Audience(False, [])
    groups = [push.user_group(user.pk)]
    if sees_whole_county(user):
        groups.append(push.COUNTY_GROUP)
    else:
        groups += [push.township_group(t) for t in sorted(roles.township_ids(user))]
    return Audience(True, groups)


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
        .order_by(still_open, red_first, "-case__is_collective", "-id")
    )


def alert_last_id(user: User) -> int:
    """The newest alert the user may see: a live page resumes after it."""
    return alerts_visible_to(user).order_by("-pk").values_list("pk", flat=True).first() or 0


def alert_townships(user: User) -> list[Township]:
    if sees_whole_county(user):
        return list(Township.objects.order_by("id"))
    return list(Township.objects.filter(id__in=roles.township_ids(user)).order_by("id"))


# --- the command screen -----------------------------------------------------------------


def dashboard_summary(*, fresh: bool = False, today: dt.date | None = None) -> dict:
    if not fresh and today is None:
        try:
            cached = cache.get(SUMMARY_CACHE_KEY)
        except Exception:  # cache (Redis) down: compute
            cached = None
        if cached is not None:
            return cached
    figures = _compute_summary(today or timezone.localdate())
    try:
        cache.set(SUMMARY_CACHE_KEY, figures, SUMMARY_CACHE_SECONDS)
    except Exception:
        logger.warning("summary cache unavailable", exc_info=True)
    return figures


def _compute_summary(today: dt.date) -> dict:
    if tally.enabled():
        return _compute_summary_from_tallies(today)
    return _compute_summary_from_rows(today)


def _compute_summary_from_tallies(today: dt.date) -> dict:
    """PostgreSQL: the counters notifications.tally keeps; no query grows with the cases."""
    by_state: dict[str, int] = {}
    claimed_all = recovered_all = Decimal(0)
    per_township: dict[Any, dict[Any, Any]] = {
        t.pk: {"code": t.code, "name": t.name, "open": 0, **{lvl: 0 for lvl in RiskLevel.values}}
        for t in Township.objects.all()
    }
    # Keys may be None in the typed rows; the per-township rows always have them.
    risk: dict[Any, int] = {}
    collective = workers = 0
    claimed_open = recovered_open = Decimal(0)
    for row in _tally_groups():
        if row.state is not None:
            by_state[row.state] = row.cases
            claimed_all += row.claimed
            recovered_all += row.recovered
            continue
        workers += row.claims
        claimed_open += row.claimed
        recovered_open += row.recovered
        collective += row.collective
        risk[row.risk_level] = risk.get(row.risk_level, 0) + row.cases
        entry = per_township.get(row.township_id)
        if entry is not None:
            entry["open"] += row.cases
            entry[row.risk_level] = entry.get(row.risk_level, 0) + row.cases
    open_alerts = dict(AlertTally.objects.order_by().values_list("level").annotate(n=Sum("open")))
    overdue = Case.objects.filter(state__in=OPEN_STATES, deadline__lt=today).count()
    return {
        "as_of": timezone.now().isoformat(),
        "open_cases": sum(by_state.get(s, 0) for s in OPEN_STATES),
        "collective_cases": collective,
        "workers_involved": workers,
        "amount_claimed": _money(claimed_all),
        "amount_recovered": _money(recovered_all),
        "amount_outstanding_open": _money(claimed_open - recovered_open),
        "overdue_cases": overdue,
        "acceptance": _acceptance_medians(today),
        "by_state": [
            {"state": s.value, "label": s.label, "count": by_state.get(s.value, 0)}
            for s in CaseState
        ],
        "by_township": list(per_township.values()),
        "risk": {lvl: risk.get(lvl, 0) for lvl in RiskLevel.values},
        "open_alerts": {lvl: open_alerts.get(lvl, 0) for lvl in RiskLevel.values},
        "trend": _trend(today),
    }


@dataclass
class _TallyGroup:
    state: str | None  # set on the per-state rows, None on the open-case rows
    township_id: int | None
    risk_level: str | None
    cases: int
    collective: int
    claims: int
    claimed: Decimal
    recovered: Decimal


def _tally_groups() -> list[_TallyGroup]:
    """The counters added up per state, and per township and risk level over the open
    states, in one statement: one snapshot, so the open cases by state, by level and by
    township always agree. The counters have a row per township, state, level,
    collective flag and shard (about 1,800 at a million cases), too many to add up here.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH tally AS (
                SELECT *, state = ANY(%s) AS is_open FROM {CaseTally._meta.db_table}
            )
            SELECT CASE WHEN GROUPING(state) = 0 THEN state END, township_id, risk_level,
                   SUM(cases)::bigint,
                   COALESCE(SUM(cases) FILTER (WHERE is_collective), 0)::bigint,
                   SUM(claims)::bigint, SUM(claimed), SUM(recovered)
              FROM tally
             GROUP BY GROUPING SETS ((state), (is_open, township_id, risk_level))
            HAVING GROUPING(state) = 0 OR is_open
            """,
            [sorted(OPEN_STATES)],
        )
        return [_TallyGroup(*row) for row in cursor.fetchall()]


def _compute_summary_from_rows(today: dt.date) -> dict:
    """SQLite (development), and the reference the counters are tested against."""
    amount = DecimalField(max_digits=16, decimal_places=2)
    open_cases = Case.objects.filter(state__in=OPEN_STATES)

    by_state = dict(Case.objects.order_by().values_list("state").annotate(n=Count("pk")))
    collective = open_cases.filter(is_collective=True).count()
    overdue = open_cases.filter(deadline__lt=today).count()
    open_claims = Claim.objects.filter(case__state__in=OPEN_STATES).aggregate(
        workers=Count("pk"),
        claimed=Coalesce(Sum("amount_claimed"), Value(0), output_field=amount),
        recovered=Coalesce(Sum("amount_recovered"), Value(0), output_field=amount),
    )
    all_claims = Claim.objects.aggregate(
        claimed=Coalesce(Sum("amount_claimed"), Value(0), output_field=amount),
        recovered=Coalesce(Sum("amount_recovered"), Value(0), output_field=amount),
    )

    townships = {t.pk: t for t in Township.objects.all()}
    per_township = {
        pk: {"code": t.code, "name": t.name, "open": 0, **{lvl: 0 for lvl in RiskLevel.values}}
        for pk, t in townships.items()
    }
    rows = open_cases.order_by().values_list("township_id", "risk_level").annotate(n=Count("pk"))
    for township_id, level, n in rows:
        entry = per_township.get(township_id)
        if entry is None:
            continue
        entry["open"] += n
        entry[level] = entry.get(level, 0) + n

    risk = dict(open_cases.order_by().values_list("risk_level").annotate(n=Count("pk")))
    open_alerts = dict(
        Alert.objects.filter(status=Alert.Status.OPEN)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )

    return {
        "as_of": timezone.now().isoformat(),
        "open_cases": sum(by_state.get(s, 0) for s in OPEN_STATES),
        "collective_cases": collective,
        "workers_involved": open_claims["workers"],
        "amount_claimed": _money(all_claims["claimed"]),
        "amount_recovered": _money(all_claims["recovered"]),
        "amount_outstanding_open": _money(open_claims["claimed"] - open_claims["recovered"]),
        "overdue_cases": overdue,
        "acceptance": _acceptance_medians(today),
        "by_state": [
            {"state": s.value, "label": s.label, "count": by_state.get(s.value, 0)}
            for s in CaseState
        ],
        "by_township": list(per_township.values()),
        "risk": {lvl: risk.get(lvl, 0) for lvl in RiskLevel.values},
        "open_alerts": {lvl: open_alerts.get(lvl, 0) for lvl in RiskLevel.values},
        "trend": _trend(today),
    }


def _money(value: Decimal | int | None) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def _acceptance_medians(today: dt.date) -> list[dict]:
    """Median calendar days from complaint to acceptance, per track, against the limit."""
    since = today - dt.timedelta(days=MEDIAN_WINDOW_DAYS)
    stages = {
        CaseKind.WAGE_ARREARS: "acceptance_inspection",
        CaseKind.LABOR_DISPUTE: "acceptance_dispute",
    }
    result = []
    for kind, stage in stages.items():
        try:
            rule = clocks.rule_for(stage, today)
            limit, day_kind = rule.days, rule.get_day_kind_display()
        except clocks.RuleMissing:
            limit, day_kind = None, ""
        median, count = _median_days(kind, since)
        result.append(
            {
                "kind": kind.value,
                "label": kind.label,
                "median_days": median,
                "cases": count,
                "limit_days": limit,
                "limit_day_kind": day_kind,
            }
        )
    return result


def _median_days(kind: str, since: dt.date) -> tuple[float | None, int]:
    if tally.enabled():
        counts = list(
            AcceptanceTally.objects.filter(kind=kind, accepted_on__gte=since)
            .order_by("days")
            .values_list("days")
            .annotate(n=Sum("cases"))
        )
        return _median_of_counts([(d, n) for d, n in counts if n]), sum(n for _, n in counts)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP (
                         ORDER BY accepted_on - (received_at AT TIME ZONE %s)::date),
                       count(*)
                  FROM cases_case
                 WHERE kind = %s AND accepted_on IS NOT NULL AND accepted_on >= %s
                """,
                [timezone.get_current_timezone_name(), kind, since],
            )
            median, count = cursor.fetchone()
        return (float(median) if median is not None else None), count
    # SQLite (development): few rows, compute in Python.
    rows = Case.objects.filter(
        kind=kind, accepted_on__isnull=False, accepted_on__gte=since
    ).values_list("accepted_on", "received_at")
    days = [(accepted - timezone.localtime(received).date()).days for accepted, received in rows]
    return (float(statistics.median(days)) if days else None), len(days)


def _median_of_counts(counts: list[tuple[int, int]]) -> float | None:
    """The median (as percentile_cont(0.5)) of values given as (value, how many), sorted."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle position(s), 0-based
    found, seen = [], 0
    for value, n in counts:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return (found[0] + found[1]) / 2


def _trend(today: dt.date) -> list[dict]:
    start = today - dt.timedelta(days=TREND_DAYS - 1)
    if tally.enabled():
        days = dict(
            (day, (received, closed, alerts))
            for day, received, closed, alerts in DayTally.objects.filter(day__gte=start)
            .order_by()
            .values_list("day")
            .annotate(Sum("received"), Sum("closed"), Sum("alerts"))
        )
        return [
            {
                "date": day.isoformat(),
                "received": days.get(day, (0, 0, 0))[0],
                "closed": days.get(day, (0, 0, 0))[1],
                "alerts": days.get(day, (0, 0, 0))[2],
            }
            for day in (start + dt.timedelta(days=i) for i in range(TREND_DAYS))
        ]
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    tz = timezone.get_current_timezone()
    received = dict(
        Case.objects.filter(received_at__gte=since)
        .order_by()
        .annotate(day=TruncDate("received_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    closed = dict(
        CaseEvent.objects.filter(created_at__gte=since, to_state=CaseState.CLOSED)
        .exclude(from_state=CaseState.CLOSED)
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    alerts = dict(
        Alert.objects.filter(created_at__gte=since)
        .order_by()
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    trend_days = [start + dt.timedelta(days=i) for i in range(TREND_DAYS)]
    return [
        {
            "date": day.isoformat(),
            "received": received.get(day, 0),
            "closed": closed.get(day, 0),
            "alerts": alerts.get(day, 0),
        }
        for day in trend_days
    ]
