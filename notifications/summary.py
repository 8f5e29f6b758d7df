"""The command screen's figures (GET /api/v1/dashboard/summary/ and the "summary"
socket message): one shape, Summary, built in one place (_figures) from counts that come
from one of two sources.

On PostgreSQL the counts are the counters notifications.tally keeps current in the same
transaction as every case change (a few hundred rows, however many cases); on SQLite the
rows are aggregated (fast at development sizes, and the reference the counters are tested
against). Either way the figures are kept in the cache for a few seconds, so any number
of screens and any rate of case changes cost at most one computation per interval.
"""

import datetime as dt
import logging
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict, cast

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DecimalField, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cases.models import OPEN_STATES, Case, CaseEvent, CaseKind, CaseState, Claim
from core.dates import day_start
from core.models import Township
from employment import selectors as ledger_selectors
from notifications import tally
from notifications.models import (
    AcceptanceTally,
    Alert,
    AlertTally,
    CaseStateTally,
    DayTally,
    DeadlineTally,
    OpenCaseTally,
)
from rules.clock_rules import RuleMissing, rule_for
from rules.models import RiskLevel

logger = logging.getLogger(__name__)

SUMMARY_CACHE_KEY = "notifications:summary"
SUMMARY_CACHE_SECONDS = 10
TREND_DAYS = 30
MEDIAN_WINDOW_DAYS = 365


# --- the shape (docs/api.md; static/js/screen.js reads it) ------------------------------


class StateCount(TypedDict):
    state: str
    label: str
    count: int


# Open cases of a township, in all and per risk level (one key per RiskLevel value).
class TownshipFigures(TypedDict):
    code: str
    name: str
    open: int
    green: int
    yellow: int
    orange: int
    red: int


class AcceptanceMedian(TypedDict):
    kind: str
    label: str
    median_days: float | None
    cases: int
    limit_days: int | None
    limit_day_kind: str


class TrendDay(TypedDict):
    date: str
    received: int
    closed: int
    alerts: int


class Summary(TypedDict):
    as_of: str
    open_cases: int
    collective_cases: int
    workers_involved: int
    amount_claimed: str  # yuan, two decimals, as text
    amount_recovered: str
    amount_outstanding_open: str
    overdue_cases: int
    acceptance: list[AcceptanceMedian]
    by_state: list[StateCount]
    by_township: list[TownshipFigures]
    risk: dict[str, int]  # open cases per risk level
    open_alerts: dict[str, int]  # open alerts per level
    trend: list[TrendDay]
    employment: dict[str, Any]  # employment.selectors.screen_summary (the ledger's panel)


def dashboard_summary(*, fresh: bool = False, today: dt.date | None = None) -> Summary:
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


def _compute_summary(today: dt.date) -> Summary:
    if tally.enabled():
        return _compute_summary_from_tallies(today)
    return _compute_summary_from_rows(today)


def _compute_summary_from_tallies(today: dt.date) -> Summary:
    return _figures(_counts_from_tallies(today), today)


def _compute_summary_from_rows(today: dt.date) -> Summary:
    return _figures(_counts_from_rows(today), today)


@dataclass
class _Counts:
    """What the two sources count; _figures makes the summary of it."""

    by_state: dict[str, int]  # cases per state, every state
    collective: int  # open collective cases
    workers: int  # claims of open cases
    claimed_all: Decimal
    recovered_all: Decimal
    claimed_open: Decimal
    recovered_open: Decimal
    open_by_place: list[tuple[int, str, int]]  # (township id, risk level, open cases)
    risk: dict[str, int]  # open cases per risk level
    open_alerts: dict[str, int]  # open alerts per level
    overdue: int  # open cases past their deadline


def _figures(counts: _Counts, today: dt.date) -> Summary:
    per_township: dict[int, dict[str, Any]] = {  # TownshipFigures, keyed by level names
        t.pk: {"code": t.code, "name": t.name, "open": 0, **{lvl: 0 for lvl in RiskLevel.values}}
        for t in Township.objects.all()
    }
    for township_id, level, n in counts.open_by_place:
        entry = per_township.get(township_id)
        if entry is None:
            continue
        entry["open"] += n
        entry[level] = entry.get(level, 0) + n
    return {
        "as_of": timezone.now().isoformat(),
        "open_cases": sum(counts.by_state.get(s, 0) for s in OPEN_STATES),
        "collective_cases": counts.collective,
        "workers_involved": counts.workers,
        "amount_claimed": _money(counts.claimed_all),
        "amount_recovered": _money(counts.recovered_all),
        "amount_outstanding_open": _money(counts.claimed_open - counts.recovered_open),
        "overdue_cases": counts.overdue,
        "acceptance": _acceptance_medians(today),
        "by_state": [
            {"state": s.value, "label": s.label, "count": counts.by_state.get(s.value, 0)}
            for s in CaseState
        ],
        "by_township": cast(list[TownshipFigures], list(per_township.values())),
        "risk": {lvl: counts.risk.get(lvl, 0) for lvl in RiskLevel.values},
        "open_alerts": {lvl: counts.open_alerts.get(lvl, 0) for lvl in RiskLevel.values},
        "trend": _trend(today),
        "employment": ledger_selectors.screen_summary(today),
    }


def _counts_from_tallies(today: dt.date) -> _Counts:
    """PostgreSQL: the counters notifications.tally keeps; no query grows with the cases."""
    zero = Decimal(0)
    counts = _Counts(
        {}, 0, 0, zero, zero, zero, zero, open_by_place=[], risk={}, open_alerts={}, overdue=0
    )
    for row in _tally_groups(today):
        if row.kind == "state":
            counts.by_state[row.state] = row.cases
            counts.claimed_all += row.claimed
            counts.recovered_all += row.recovered
        elif row.kind == "open":
            counts.workers += row.claims
            counts.claimed_open += row.claimed
            counts.recovered_open += row.recovered
            counts.collective += row.collective
            counts.risk[row.risk_level] = counts.risk.get(row.risk_level, 0) + row.cases
            counts.open_by_place.append((row.township_id, row.risk_level, row.cases))
        else:
            counts.overdue = row.cases
    counts.open_alerts = dict(
        AlertTally.objects.order_by().values_list("level").annotate(n=Sum("open"))
    )
    return counts


@dataclass
class _TallyGroup:
    kind: str  # "state", "open" (a township and risk level) or "overdue"
    state: str | None
    township_id: int | None
    risk_level: str | None
    cases: int
    collective: int
    claims: int
    claimed: Decimal
    recovered: Decimal


def _tally_groups(today: dt.date) -> list[_TallyGroup]:
    """The counters added up per state, per township and risk level of the open cases,
    and the open cases past their deadline, in one statement: one snapshot, so the open
    cases by state, by level and by township always agree. A few hundred rows at most,
    whatever the number of cases: a row per state, per township and risk level, and per
    deadline day of the open cases, each times the shards that wrote to it."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'state', state, NULL::bigint, NULL, SUM(cases)::bigint, 0, 0,
                   SUM(claimed), SUM(recovered)
              FROM {CaseStateTally._meta.db_table} GROUP BY state
            UNION ALL
            SELECT 'open', NULL, township_id, risk_level, SUM(cases)::bigint,
                   SUM(collective)::bigint, SUM(claims)::bigint, SUM(claimed), SUM(recovered)
              FROM {OpenCaseTally._meta.db_table} GROUP BY township_id, risk_level
            UNION ALL
            SELECT 'overdue', NULL, NULL, NULL, COALESCE(SUM(cases), 0)::bigint, 0, 0, 0, 0
              FROM {DeadlineTally._meta.db_table} WHERE deadline < %s
            """,
            [today],
        )
        return [_TallyGroup(*row) for row in cursor.fetchall()]


def _counts_from_rows(today: dt.date) -> _Counts:
    """SQLite (development), and the reference the counters are tested against."""
    amount: DecimalField = DecimalField(max_digits=16, decimal_places=2)
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    open_claims = Claim.objects.filter(case__state__in=OPEN_STATES).aggregate(
        workers=Count("pk"),
        claimed=Coalesce(Sum("amount_claimed"), Value(0), output_field=amount),
        recovered=Coalesce(Sum("amount_recovered"), Value(0), output_field=amount),
    )
    all_claims = Claim.objects.aggregate(
        claimed=Coalesce(Sum("amount_claimed"), Value(0), output_field=amount),
        recovered=Coalesce(Sum("amount_recovered"), Value(0), output_field=amount),
    )
    by_place = (
        open_cases.order_by().values_list("township_id", "risk_level").annotate(n=Count("pk"))
    )
    return _Counts(
        by_state=dict(Case.objects.order_by().values_list("state").annotate(n=Count("pk"))),
        collective=open_cases.filter(is_collective=True).count(),
        workers=open_claims["workers"],
        claimed_all=all_claims["claimed"],
        recovered_all=all_claims["recovered"],
        claimed_open=open_claims["claimed"],
        recovered_open=open_claims["recovered"],
        open_by_place=list(by_place),
        risk=dict(open_cases.order_by().values_list("risk_level").annotate(n=Count("pk"))),
        open_alerts=dict(
            Alert.objects.filter(status=Alert.Status.OPEN)
            .order_by()
            .values_list("level")
            .annotate(n=Count("pk"))
        ),
        overdue=open_cases.filter(deadline__lt=today).count(),
    )


def _money(value) -> str:
    return str(Decimal(value or 0).quantize(Decimal("0.01")))


def _acceptance_medians(today: dt.date) -> list[AcceptanceMedian]:
    """Median calendar days from complaint to acceptance, per track, against the limit."""
    since = today - dt.timedelta(days=MEDIAN_WINDOW_DAYS)
    stages = {
        CaseKind.WAGE_ARREARS: "acceptance_inspection",
        CaseKind.LABOR_DISPUTE: "acceptance_dispute",
    }
    result: list[AcceptanceMedian] = []
    for kind, stage in stages.items():
        try:
            rule = rule_for(stage, today)
            limit, day_kind = rule.days, rule.get_day_kind_display()
        except RuleMissing:
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


def _trend(today: dt.date) -> list[TrendDay]:
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
    since = day_start(start)
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
    days = [start + dt.timedelta(days=i) for i in range(TREND_DAYS)]
    return [
        {
            "date": day.isoformat(),
            "received": received.get(day, 0),
            "closed": closed.get(day, 0),
            "alerts": alerts.get(day, 0),
        }
        for day in days
    ]
