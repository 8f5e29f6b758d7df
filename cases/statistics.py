"""The case statistics upper levels ask for, with one definition each (docs/statistics.md).

Each figure is a condition on the case table over a period; the report counts it and the
case list filtered by the same figure shows exactly the cases counted (`?figure=closed&
period_from=...&period_to=...`). Every condition reads indexed dates (received_at,
accepted_on, conclusion_due, handled_on, closed_on, and events by transition and time),
so a month's figures cost what that month holds, not what the years before it hold.
"""

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from typing import Any, TypedDict

from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate

from cases.models import Case, CaseEvent, CaseKind, CaseState, Channel, Claim
from core.dates import day_start

S = CaseState


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        start = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return cls(start, following - dt.timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} - {self.end.isoformat()}"


@dataclass(frozen=True)
class Scope:
    """Which cases: all the user may read, narrowed by township, track, channel, sector."""

    township: str = ""  # township code
    kind: str = ""
    channel: str = ""
    sector: str = ""

    def condition(self) -> Q:
        condition = Q()
        if self.township:
            condition &= Q(township__code=self.township)
        if self.kind:
            condition &= Q(kind=self.kind)
        if self.channel:
            condition &= Q(channel=self.channel)
        if self.sector:
            condition &= Q(sector=self.sector)
        return condition


def _events(name: str, period: Period) -> QuerySet:
    """The ids of cases with a `name` event in the period (events are timestamps)."""
    return CaseEvent.objects.filter(
        transition=name,
        created_at__gte=day_start(period.start),
        created_at__lt=day_start(period.end + dt.timedelta(days=1)),
    ).values("case_id")


# The figures that are events of one kind in the period, and that kind.
EVENT_FIGURES = {
    "transferred": "transfer_to_police",
    "penalized": "penalize",
    "ordered": "order_payment",
    "settled": "settle",
    "awarded": "award",
    "paid": "record_payment",
}


def _restricted(cases: QuerySet) -> bool:
    # Narrowed to a township, a track... (or to what the user may read). The county's
    # report is every case: the events need no "case in every case" test, which
    # PostgreSQL answers by reading every case id (a second at a million cases).
    return bool(cases.query.has_filters())


CONCLUDED = (S.CLOSED, S.WITHDRAWN)


def _received(p: Period) -> Q:
    return Q(
        received_at__gte=day_start(p.start), received_at__lt=day_start(p.end + dt.timedelta(1))
    )


def _closed(p: Period) -> Q:
    # 办结: an accepted case that ended (closed, or withdrawn) in the period.
    return Q(state__in=CONCLUDED, accepted_on__isnull=False, closed_on__range=(p.start, p.end))


def _due(p: Period) -> Q:
    # Cases that were to be concluded in the period (their handling period ended in it
    # and they had not ended before it) or that ended in it: the 办结率's denominator.
    due_in_period = (
        Q(accepted_on__isnull=False, conclusion_due__range=(p.start, p.end))
        & (Q(closed_on__isnull=True) | Q(closed_on__gte=p.start))
        & ~Q(state=S.REJECTED)
    )
    return _closed(p) | due_in_period


def _closed_in_time(p: Period) -> Q:
    # Decided on or before the last day of the handling period, extensions granted and
    # suspensions left out as the law counts them (cases/milestones.py).
    return _closed(p) & (Q(conclusion_due__isnull=True) | Q(handled_on__lte=F("conclusion_due")))


@dataclass(frozen=True)
class Figure:
    label: str
    condition: object  # Callable[[Period], Q]


FIGURES: dict[str, Figure] = {
    "received": Figure("收案数", _received),
    "accepted": Figure("受理数", lambda p: Q(accepted_on__range=(p.start, p.end))),
    "rejected": Figure(
        "不予受理数", lambda p: Q(state=S.REJECTED, closed_on__range=(p.start, p.end))
    ),
    "closed": Figure("办结数", _closed),
    "due": Figure("应办结数", _due),
    "closed_in_time": Figure("按时限办结数", _closed_in_time),
    "collective": Figure("集体案件数", lambda p: _received(p) & Q(is_collective=True)),
    "transferred": Figure("移送公安数", lambda p: Q(id__in=_events("transfer_to_police", p))),
    "penalized": Figure("加付赔偿金/处罚数", lambda p: Q(id__in=_events("penalize", p))),
    "ordered": Figure("责令限期支付数", lambda p: Q(id__in=_events("order_payment", p))),
    "settled": Figure("调解成功数", lambda p: Q(id__in=_events("settle", p))),
    "awarded": Figure("裁决数", lambda p: Q(id__in=_events("award", p))),
    "paid": Figure("追回工资案件数", lambda p: Q(id__in=_events("record_payment", p))),
}


def figure_cases(queryset: QuerySet, figure: str, period: Period) -> QuerySet:
    """The cases one figure counts (a KeyError for an unknown figure)."""
    return queryset.filter(FIGURES[figure].condition(period))


class CaseFigures(TypedDict):
    period_start: str
    period_end: str
    counts: dict[str, int]
    closure_rate: float | None  # 办结率
    on_time_rate: float | None  # 时限办结率
    median_days_to_acceptance: float | None
    median_days_to_closure: float | None
    workers_helped: int
    amounts: dict[str, str]  # yuan, as decimal strings


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# The figures that are conditions on the case row itself (the others are events).
ROW_FIGURES = tuple(name for name in FIGURES if name not in EVENT_FIGURES)
# What the tables group by: one row of `period_counts` per township, track and channel.
GROUP_FIELDS = ("township__code", "township__name", "kind", "channel")


# One row of period_counts: GROUP_FIELDS and a count per name of ROW_FIGURES.
GroupCounts = dict[str, Any]


def period_counts(cases: QuerySet, period: Period, scope: Scope = Scope()) -> list[GroupCounts]:
    """Every row figure of the period per township, track and channel, in one query:
    each figure counted with its own condition (FIGURES) over the cases any of them
    counts. Each case is in exactly one group, so the groups add up to the totals, per
    township, per track and per channel alike."""
    cases = cases.filter(scope.condition())
    conditions = {name: FIGURES[name].condition(period) for name in ROW_FIGURES}
    counted = cases.filter(reduce(operator.or_, conditions.values()))
    return list(
        counted.order_by()
        .values(*GROUP_FIELDS)
        .annotate(**{name: Count("id", filter=condition) for name, condition in conditions.items()})
    )


def _event_counts(cases: QuerySet, period: Period) -> dict[str, int]:
    """Each event figure: the different cases with an event of its kind in the period,
    all six from one read of the events' index."""
    events = _month_events(cases, EVENT_FIGURES.values(), period)
    found = dict(events.values_list("transition").annotate(n=Count("case", distinct=True)))
    return {name: found.get(transition, 0) for name, transition in EVENT_FIGURES.items()}


def _days_from_receipt(cases: QuerySet, figure: str, period: Period, day: str) -> dict[int, int]:
    """How many cases of the figure took how many days from the day of receipt (a local
    day, as the case page shows it) to `day`: a few dozen rows however many cases."""
    days = ExpressionWrapper(F(day) - TruncDate("received_at"), output_field=DurationField())
    rows = (
        figure_cases(cases, figure, period)
        .order_by()
        .annotate(days=days)
        .values_list("days")
        .annotate(n=Count("id"))
    )
    return {delta.days: n for delta, n in rows}


def _median(histogram: dict[int, int]) -> float | None:
    """The median of the values a histogram counts (value: how many times), exactly as
    statistics.median of the values themselves: the middle one, or the mean of the two."""
    n = sum(histogram.values())
    if not n:
        return None
    middle = ((n - 1) // 2, n // 2)  # positions in the sorted values, counted from 0
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (found[0] + found[1]) / 2


def _on_postgresql(cases: QuerySet) -> bool:
    return connections[cases.db].vendor == "postgresql"


class _AnyOf(Func):
    """`expression = ANY(ARRAY(subquery))` (PostgreSQL)."""

    arg_joiner = " = ANY(ARRAY"  # between the expression and the subquery's "(SELECT ...)"
    template = "%(expressions)s)"
    output_field = BooleanField()


def _among(field: str, ids: QuerySet, cases: QuerySet) -> Q | _AnyOf:
    """`field` is one of the ids `ids` selects. On PostgreSQL as `= ANY(ARRAY(...))`:
    the ids are read first, then each row by its index (tens of thousands of probes),
    where `IN (...)` is planned as a hash join over every row of the table (1.57 million
    claims, a million cases, a township's 70,000 cases). Elsewhere a plain `IN`."""
    if not _on_postgresql(cases):
        return Q(**{f"{field}__in": ids})
    return _AnyOf(F(field), Subquery(ids))


def _month_events(cases: QuerySet, names: Iterable[str], period: Period) -> QuerySet:
    """The events of kinds `names` in the period (of `cases`, when narrowed)."""
    # No ordering (the model's would be kept in a subquery, and read by created_at).
    events = CaseEvent.objects.order_by().filter(
        transition__in=list(names),
        created_at__gte=day_start(period.start),
        created_at__lt=day_start(period.end + dt.timedelta(days=1)),
    )
    if _restricted(cases):
        # The month's cases that are among `cases`, found by their ids (a few thousand
        # probes), not by reading every case of the jurisdiction to find them.
        month_cases = cases.filter(_among("id", events.values("case_id"), cases))
        events = events.filter(case__in=month_cases.values("id"))
    return events


# What each decision states, summed over the cases decided (docs/statistics.md): a key
# of the case's outcome (cases/outcome.py), or the amounts of its award items. Amounts
# are decimal text; PostgreSQL sums them as numeric, which keeps their scale as Decimal
# does ("8000.00" + "1.5" = "8001.50"). SQLite has no exact decimal type: there they are
# summed here, as Decimals.
DECIDED_AMOUNTS = {
    "ordered": ("order_payment", "ordered_amount"),
    "agreed": ("settle", "agreed_amount"),
    "awarded": ("award", "award_items"),
}
ITEMS_AMOUNT_SQL = (
    "(SELECT SUM((item->>'amount')::numeric) FROM jsonb_array_elements(CASE jsonb_typeof("
    "cases_case.outcome->'{key}') WHEN 'array' THEN cases_case.outcome->'{key}' END) item)"
)
# The lines of one payment event (record_payment: data.payments[].amount).
PAYMENT_AMOUNT_SQL = (
    "(SELECT SUM((line->>'amount')::numeric) FROM jsonb_array_elements(CASE jsonb_typeof("
    "cases_caseevent.data->'payments') WHEN 'array' THEN cases_caseevent.data->'payments' END)"
    " line)"
)


def _outcome_amount(outcome, key: str) -> Decimal:
    if key == "award_items":
        return sum((Decimal(i["amount"]) for i in outcome.get(key, [])), Decimal("0"))
    return Decimal(str(outcome.get(key) or "0"))


def _decided_amount(cases: QuerySet, name: str, period: Period) -> Decimal:
    """The amount the `name` decisions of the period state: each case with such an
    event in the period counted once, with what its outcome says."""
    transition, key = DECIDED_AMOUNTS[name]
    ids = _month_events(cases, [transition], period).values("case_id")
    decided = Case.objects.filter(_among("id", ids, cases)).order_by()
    if _on_postgresql(cases):
        if key == "award_items":
            amount = ITEMS_AMOUNT_SQL.format(key=key)
        else:
            amount = f"NULLIF(cases_case.outcome->>'{key}', '')::numeric"
        total = decided.aggregate(total=Sum(RawSQL(amount, [], output_field=DecimalField())))
        return total["total"] or Decimal("0")
    outcomes = decided.values_list("outcome", flat=True)
    return sum((_outcome_amount(outcome, key) for outcome in outcomes), Decimal("0"))


def _recovered_sum(cases: QuerySet, period: Period) -> Decimal:
    # Money counts in the month it was recorded, from the payment events themselves
    # (on PostgreSQL through their own index, caseevent_payment_day).
    events = _month_events(cases, ["record_payment"], period)
    if _on_postgresql(cases):
        amount = RawSQL(PAYMENT_AMOUNT_SQL, [], output_field=DecimalField())
        return events.aggregate(total=Sum(amount))["total"] or Decimal("0")
    total = Decimal("0")
    for data in events.values_list("data", flat=True):
        total += sum((Decimal(str(p["amount"])) for p in data.get("payments", [])), Decimal("0"))
    return total


def case_figures(
    cases: QuerySet,
    period: Period,
    scope: Scope = Scope(),
    counted: list[GroupCounts] | None = None,
) -> CaseFigures:
    """Every case figure of the period for the cases given (already narrowed to what the
    user may read), within the scope; `counted`: period_counts of the same, if read
    already (the report reads them once for these totals and every table)."""
    if counted is None:
        counted = period_counts(cases, period, scope)
    cases = cases.filter(scope.condition())
    totals = {name: sum(row[name] for row in counted) for name in ROW_FIGURES}
    totals.update(_event_counts(cases, period))
    counts = {name: totals[name] for name in FIGURES}
    received = figure_cases(cases, "received", period).order_by().values("id")
    closed = figure_cases(cases, "closed", period).order_by().values("id")
    claimed = Claim.objects.filter(_among("case", received, cases))
    helped = Claim.objects.filter(_among("case", closed, cases))
    return CaseFigures(
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
        counts=counts,
        closure_rate=_rate(counts["closed"], counts["due"]),
        on_time_rate=_rate(counts["closed_in_time"], counts["closed"]),
        median_days_to_acceptance=_median(
            _days_from_receipt(cases, "accepted", period, "accepted_on")
        ),
        median_days_to_closure=_median(_days_from_receipt(cases, "closed", period, "closed_on")),
        workers_helped=helped.aggregate(n=Count("person", distinct=True))["n"],
        amounts={
            "claimed": str(claimed.aggregate(total=Sum("amount_claimed"))["total"] or Decimal("0")),
            **{name: str(_decided_amount(cases, name, period)) for name in DECIDED_AMOUNTS},
            "recovered": str(_recovered_sum(cases, period)),
        },
    )


KIND_LABELS = dict(CaseKind.choices)


# The figures a per-township (or per-track...) table shows.
TABLE_FIGURES = ("received", "accepted", "closed", "due", "closed_in_time", "collective")


class GroupRow(TypedDict):
    key: str
    label: str
    counts: dict[str, int]
    closure_rate: float | None
    on_time_rate: float | None


GROUPS = {
    "township": ("township__code", "township__name"),
    "kind": ("kind", None),
    "channel": ("channel", None),
}


def figures_by(
    cases: QuerySet,
    period: Period,
    scope: Scope,
    by: str,
    counted: list[GroupCounts] | None = None,
) -> list[GroupRow]:
    """The table figures per township, track or channel: period_counts (given, or read
    here) added up per group."""
    key, label_field = GROUPS[by]
    if counted is None:
        counted = period_counts(cases, period, scope)
    counts: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    choices = {"kind": dict(CaseKind.choices), "channel": dict(Channel.choices)}.get(by, {})
    for row in counted:
        code = row[key]
        # A group none of the table's figures counts (only rejections) gets no row.
        if not any(row[name] for name in TABLE_FIGURES):
            continue
        found = counts.setdefault(code, dict.fromkeys(TABLE_FIGURES, 0))
        for name in TABLE_FIGURES:
            found[name] += row[name]
        labels[code] = row[label_field] if label_field else choices.get(code, code)
    rows = []
    for code in sorted(counts):
        found = counts[code]
        rows.append(
            GroupRow(
                key=code,
                label=labels[code],
                counts=found,
                closure_rate=_rate(found["closed"], found["due"]),
                on_time_rate=_rate(found["closed_in_time"], found["closed"]),
            )
        )
    return rows
