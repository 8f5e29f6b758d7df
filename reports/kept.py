"""A period's case figures, kept once computed and served again until a case, claim or
event of the period's months changes.

Why: a month's figures read that month's own rows (at a million cases, ~90,000 cases,
~130,000 claims, ~40,000 decided cases, ~30,000 payment events: half a second), and a
closed month changes rarely. Counts kept per day cannot give the figures exactly (应办结
depends on whether a case ended before the period, workers helped are distinct across the
period, amounts are what the outcome says now), so the figures themselves are kept, with
how many times each month's rows had changed when they were computed.

Every figure of a period is a condition on a date of the case that falls in the period
(received, accepted, closed, decided, handling period's end) or on an event in the period
(docs/statistics.md). PostgreSQL triggers (created by migration reports/0002, the one
place their SQL is written) count, per month, every change to those rows in
the transaction that makes it: a case's date, state, scope or outcome (the months of its
old and new dates; for its scope or outcome also the months of its events), a claim (the
months its case was received and closed in), an event (its month), a township's name or
code (every period, through EVERY_MONTH). Kept figures whose counts still match are the
figures a new computation would give; a count read while a change commits at most makes
the next reader compute them again. On SQLite (development) there are no triggers and the
figures are computed every time.
"""

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connections, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from cases.statistics import Period, Scope
from reports.models import KeptStatistics, StatisticsMonth

# Kept figures computed longer ago than this are dropped every night (a period read again
# computes them anew), so that periods read once, any range of days, do not pile up.
KEEP_DAYS = 30
# The month whose count every period depends on (a township renamed relabels them all);
# the triggers (migration reports/0002) count such a change under this month.
EVERY_MONTH = dt.date(1900, 1, 1)


def months(period: Period) -> list[dt.date]:
    """The first days of the months the period touches."""
    found, month = [], period.start.replace(day=1)
    while month <= period.end:
        found.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return found


def changes(period: Period, using: str) -> dict[str, int]:
    """How many times the rows of the period's months have changed (EVERY_MONTH's too)."""
    rows = (
        StatisticsMonth.objects.using(using)
        .filter(month__in=[EVERY_MONTH, *months(period)])
        .values_list("month")
        .annotate(n=Sum("changes"))
    )
    return {month.isoformat(): int(n) for month, n in rows}


def _key(cases: QuerySet, period: Period, scope: Scope) -> str | None:
    """Names what is counted: the period, the scope and the cases' own query (a
    township's staff read other cases than the county's). None when the query is one
    that cannot match anything."""
    try:
        sql, params = cases.query.sql_with_params()
    except EmptyResultSet:
        return None
    text = f"{period.start}|{period.end}|{scope!r}|{sql}|{params!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def kept_or_computed(
    cases: QuerySet, period: Period, scope: Scope, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """The figures `compute()` gives for the cases, the period and the scope: kept ones
    while the period's months have not changed since, otherwise computed and kept."""
    using = cases.db
    key = _key(cases, period, scope)
    if connections[using].vendor != "postgresql" or key is None:
        return compute()
    # Read before computing: a change committing meanwhile leaves counts that no longer
    # match, and the next reader computes again.
    now = changes(period, using)
    kept = (
        KeptStatistics.objects.using(using)
        .filter(key=key)
        .values_list("changes", "figures")
        .first()
    )
    if kept is not None and kept[0] == now:
        return kept[1]
    figures = compute()
    _keep(key, period, now, figures)
    return figures


def _keep(key: str, period: Period, now: dict[str, int], figures: dict[str, Any]) -> None:
    values = {
        "period_start": period.start,
        "period_end": period.end,
        "changes": now,
        "figures": figures,
        "computed_at": timezone.now(),
    }
    try:
        with transaction.atomic():
            KeptStatistics.objects.update_or_create(key=key, defaults=values)
    except IntegrityError:
        pass  # another request kept the same figures at the same moment


def forget_older_than(days: int) -> int:
    """Drop figures computed more than `days` ago."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = KeptStatistics.objects.filter(computed_at__lt=cutoff).delete()
    return deleted
