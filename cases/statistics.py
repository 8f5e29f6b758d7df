"""The case statistics upper levels ask for, with one definition each (docs/statistics.md).

Each figure is a condition on the case table over a period; the report counts it and the
case list filtered by the same figure shows exactly the cases counted (`?figure=closed&
period_from=...&period_to=...`). Every condition reads indexed dates (received_at,
accepted_on, conclusion_due, handled_on, closed_on, and events by transition and time),
so a month's figures cost what that month holds, not what the years before it hold.
"""

import datetime as dt
import statistics as pystats
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

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


def _event_case_ids(cases: QuerySet, name: str, period: Period) -> QuerySet:
    """The ids of `cases` with a `name` event in the period, from the events' index."""
    events = CaseEvent.objects.filter(
        transition=name,
        created_at__gte=day_start(period.start),
        created_at__lt=day_start(period.end + dt.timedelta(days=1)),
    )
    if _restricted(cases):
        events = events.filter(case__in=cases)
    return events.values_list("case_id", flat=True).order_by().distinct()


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


def _median(values) -> float | None:
    values = list(values)
    return float(pystats.median(values)) if values else None


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


OUTCOME_CHUNK = 5000


def _outcomes(cases: QuerySet, name: str, period: Period):
    """The outcome of each case of an event figure: the ids from the events' index,
    then the cases by primary key a chunk at a time (not a join PostgreSQL would plan
    as a scan of every case)."""
    ids = list(_event_case_ids(cases, name, period))
    for start in range(0, len(ids), OUTCOME_CHUNK):
        chunk = Case.objects.filter(pk__in=ids[start : start + OUTCOME_CHUNK])
        yield from chunk.order_by().values_list("outcome", flat=True)


def _outcome_sum(outcomes, key: str) -> Decimal:
    total = Decimal("0")
    for outcome in outcomes:
        total += Decimal(str(outcome.get(key) or "0"))
    return total


def _awarded_sum(outcomes) -> Decimal:
    total = Decimal("0")
    for outcome in outcomes:
        total += sum((Decimal(i["amount"]) for i in outcome.get("award_items", [])), Decimal("0"))
    return total


def _recovered_sum(cases: QuerySet, period: Period) -> Decimal:
    # Money counts in the month it was recorded, from the payment events themselves.
    events = CaseEvent.objects.filter(
        transition="record_payment",
        created_at__gte=day_start(period.start),
        created_at__lt=day_start(period.end + dt.timedelta(days=1)),
    )
    if _restricted(cases):
        events = events.filter(case__in=cases)
    total = Decimal("0")
    for data in events.order_by().values_list("data", flat=True):
        total += sum((Decimal(str(p["amount"])) for p in data.get("payments", [])), Decimal("0"))
    return total


def case_figures(cases: QuerySet, period: Period, scope: Scope = Scope()) -> CaseFigures:
    """Every case figure of the period for the cases given (already narrowed to what the
    user may read), within the scope."""
    cases = cases.filter(scope.condition())
    counts = {
        name: (
            _event_case_ids(cases, EVENT_FIGURES[name], period).count()
            if name in EVENT_FIGURES
            else figure_cases(cases, name, period).count()
        )
        for name in FIGURES
    }
    accepted = figure_cases(cases, "accepted", period)
    closed = figure_cases(cases, "closed", period)
    to_acceptance = (
        (day - _local_day(received)).days
        for received, day in accepted.values_list("received_at", "accepted_on")
    )
    to_closure = (
        (day - _local_day(received)).days
        for received, day in closed.values_list("received_at", "closed_on")
    )
    received = figure_cases(cases, "received", period)
    claimed = Claim.objects.filter(case__in=received).aggregate(total=Sum("amount_claimed"))
    return CaseFigures(
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
        counts=counts,
        closure_rate=_rate(counts["closed"], counts["due"]),
        on_time_rate=_rate(counts["closed_in_time"], counts["closed"]),
        median_days_to_acceptance=_median(to_acceptance),
        median_days_to_closure=_median(to_closure),
        workers_helped=Claim.objects.filter(case__in=closed).aggregate(
            n=Count("person", distinct=True)
        )["n"],
        amounts={
            "claimed": str(claimed["total"] or Decimal("0")),
            "ordered": str(
                _outcome_sum(_outcomes(cases, "order_payment", period), "ordered_amount")
            ),
            "agreed": str(_outcome_sum(_outcomes(cases, "settle", period), "agreed_amount")),
            "awarded": str(_awarded_sum(_outcomes(cases, "award", period))),
            "recovered": str(_recovered_sum(cases, period)),
        },
    )


KIND_LABELS = dict(CaseKind.choices)


# The figures a per-township (or per-track...) table shows, one grouped query each.
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


def figures_by(cases: QuerySet, period: Period, scope: Scope, by: str) -> list[GroupRow]:
    """The table figures per township, track or channel (one grouped query per figure)."""
    key, label_field = GROUPS[by]
    cases = cases.filter(scope.condition())
    counts: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    choices = {"kind": dict(CaseKind.choices), "channel": dict(Channel.choices)}.get(by, {})
    for name in TABLE_FIGURES:
        fields = [key] + ([label_field] if label_field else [])
        for row in figure_cases(cases, name, period).values(*fields).annotate(n=Count("id")):
            counts.setdefault(row[key], {})[name] = row["n"]
            labels[row[key]] = row[label_field] if label_field else choices.get(row[key], row[key])
    rows = []
    for code in sorted(counts):
        found = {name: counts[code].get(name, 0) for name in TABLE_FIGURES}
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
