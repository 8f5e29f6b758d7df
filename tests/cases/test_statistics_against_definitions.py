"""The report's figures, read in a few grouped queries (and on PostgreSQL with the
amounts summed in SQL), against each figure computed plainly from its definition
(docs/statistics.md): one query per figure and group, the medians and the amounts in
Python, on varied cases.

The cases: a handful moved through the real transitions (an extension, a suspension, an
order to pay with payments on both sides of the month, a withdrawal, a rejection, a late
correction of an acceptance date), and many more whose dates, outcome and events are
drawn at random around the month (receipts and events just before and after local
midnight, amounts of every scale, several events of one kind on one case, payment
events without lines), in two townships, on both tracks and through every channel.
"""

import datetime as dt
import random
import statistics as pystats
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from cases import services, statistics
from cases.models import Case, CaseEvent, CaseState, Channel, Claim
from tests.factories import claimant, file_case

S = CaseState
NOVEMBER = statistics.Period.month(2026, 11)
SEED = 16


def at(day: dt.date, hour=10, minute=0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def step(case, people, name, actor, on, **data):
    return services.case_transition(
        case_number=case.number, name=name, actor=people[actor], data=data, today=on
    )


def moved_cases(people) -> None:
    """Cases taken through the transitions, as staff would."""
    d = lambda month, day: dt.date(2026, month, day)  # noqa: E731

    # A dispute extended and awarded (two items), closed in November.
    extended = file_case(kind="labor_dispute", received_on=d(9, 25), claimants=[claimant(1)])
    extended = step(extended, people, "accept", "arbitrator", d(9, 28))
    extended = step(extended, people, "refer_to_hearing", "arbitrator", d(9, 28), note="不调解")
    extended = step(extended, people, "extend_award", "supervisor", d(11, 5), note="案情复杂")
    claim = extended.claims.first().id
    items = [
        {"claim": claim, "item": "wages", "amount": "8000.00"},
        {"claim": claim, "item": "compensation", "amount": "1234.56"},
    ]
    extended = step(extended, people, "award", "arbitrator", d(11, 20), items=items)
    step(extended, people, "close", "arbitrator", d(11, 25))

    # A dispute suspended in October and never resumed: no handling period runs.
    suspended = file_case(kind="labor_dispute", received_on=d(10, 9), claimants=[claimant(6)])
    suspended = step(suspended, people, "accept", "arbitrator", d(10, 10))
    suspended = step(suspended, people, "refer_to_hearing", "arbitrator", d(10, 10), note="不调解")
    step(suspended, people, "suspend", "arbitrator", d(10, 20), note="申请人因病无法参加仲裁")

    # An order to pay in October, payments recorded in October and in November.
    ordered = file_case(received_on=d(10, 1), claimants=[claimant(2), claimant(3, "5000.50")])
    inspector = people["inspector"].username
    ordered = step(
        ordered, people, "accept", "inspector", d(10, 8), inspectors=[inspector, "insp_b"]
    )
    ordered = step(ordered, people, "hear_employer", "inspector", d(10, 12), note="约谈")
    ordered = step(ordered, people, "order_payment", "inspector", d(10, 13), pay_by="2026-10-30")
    first, second = ordered.claims.order_by("id")
    ordered = step(
        ordered,
        people,
        "record_payment",
        "inspector",
        d(10, 29),
        payments=[{"claim": first.pk, "amount": "1000"}],
    )
    step(
        ordered,
        people,
        "record_payment",
        "inspector",
        d(11, 3),
        payments=[
            {"claim": first.pk, "amount": "2500.25"},
            {"claim": second.pk, "amount": "5000.50"},
        ],
    )

    # Withdrawn in November; rejected in November.
    withdrawn = file_case(kind="labor_dispute", received_on=d(11, 3), claimants=[claimant(5)])
    withdrawn = step(withdrawn, people, "accept", "arbitrator", d(11, 4))
    step(withdrawn, people, "withdraw", "arbitrator", d(11, 10), note="劳动者申请撤回")
    rejected = file_case(kind="labor_dispute", received_on=d(11, 2), claimants=[claimant(4)])
    step(rejected, people, "reject", "arbitrator", d(11, 4), reason_code="out_of_time")

    # A paper complaint entered late with its real date, its acceptance date corrected.
    late = file_case(received_on=d(11, 28), township="zhaokang", claimants=[claimant(7)])
    Case.objects.filter(pk=late.pk).update(accepted_on=d(11, 30))


OUTCOMES = [
    {},
    {"ordered_amount": "1200.50"},
    {"ordered_amount": "300"},
    {"ordered_amount": ""},
    {"agreed_amount": "0.25"},
    {"agreed_amount": "7000.00", "instalments": []},
    {"award_items": [{"amount": "100.1"}, {"amount": "2000.00"}]},
    {"award_items": []},
    {"ordered_amount": "88.80", "agreed_amount": "12", "award_items": [{"amount": "3.333"}]},
]
PAYMENTS = [
    {"payments": [{"claim": 1, "amount": "100.10"}, {"claim": 2, "amount": "5"}]},
    {"payments": [{"claim": 1, "amount": "0.01"}]},
    {"payments": []},
    {},
]
EVENT_KINDS = [
    "order_payment",
    "settle",
    "award",
    "record_payment",
    "penalize",
    "transfer_to_police",
    "hear_employer",
]


def random_day(rnd, start=dt.date(2026, 9, 1), days=122) -> dt.date:
    return start + dt.timedelta(days=rnd.randrange(days))


def random_moment(rnd) -> dt.datetime:
    # A third of them within minutes of local midnight, where the UTC day differs.
    day = random_day(rnd, dt.date(2026, 10, 25), 42)
    if rnd.random() < 0.33:
        return at(day, rnd.choice([0, 23]), rnd.choice([0, 5, 55, 59]))
    return at(day, rnd.randrange(24), rnd.randrange(60))


def drawn_cases(count: int) -> None:
    """Cases with dates, outcome and events drawn at random, written directly."""
    rnd = random.Random(SEED)
    states = [S.CLOSED, S.WITHDRAWN, S.REJECTED, S.HEARING, S.INVESTIGATING, S.ORDERED]
    for n in range(count):
        case = file_case(
            kind=rnd.choice(["wage_arrears", "labor_dispute"]),
            township=rnd.choice(["xincheng", "zhaokang"]),
            # An employer of its own: the same workers against one employer would be
            # held as a duplicate.
            employer=f"襄汾县随机{n}号建筑有限公司",
            claimants=[
                claimant(i, f"{rnd.randint(1, 900)}.{rnd.randint(0, 99):02d}")
                for i in rnd.sample(range(14), rnd.choice([1, 1, 2, 10]))
            ],
        )
        received = random_day(rnd)
        accepted = received + dt.timedelta(days=rnd.randint(0, 9)) if rnd.random() < 0.8 else None
        state = rnd.choice(states)
        maybe = lambda day: day if rnd.random() < 0.7 else None  # noqa: E731
        Case.objects.filter(pk=case.pk).update(
            received_at=at(received, rnd.choice([0, 9, 23]), rnd.choice([1, 30, 58])),
            accepted_on=accepted,
            state=state,
            channel=rnd.choice(Channel.values),
            is_collective=rnd.random() < 0.2,
            conclusion_due=maybe(random_day(rnd, dt.date(2026, 10, 15), 60)),
            handled_on=maybe(random_day(rnd, dt.date(2026, 10, 15), 60)),
            closed_on=maybe(random_day(rnd, dt.date(2026, 10, 15), 60)),
            outcome=rnd.choice(OUTCOMES),
        )
        for _ in range(rnd.choice([0, 1, 2, 3, 5])):
            kind = rnd.choice(EVENT_KINDS)
            CaseEvent.objects.create(
                case=case,
                transition=kind,
                to_state=state,
                data=rnd.choice(PAYMENTS) if kind == "record_payment" else {},
                created_at=random_moment(rnd),
            )


# --- each figure plainly, from its definition ----------------------------------------


def plain_case_figures(cases, period, scope):
    cases = cases.filter(scope.condition())

    def figure(name):
        return statistics.figure_cases(cases, name, period)

    def days(name, field):
        return [
            (getattr(c, field) - timezone.localtime(c.received_at).date()).days
            for c in figure(name)
        ]

    def median(values):
        return float(pystats.median(values)) if values else None

    def outcome_sum(name, amount):
        return sum((amount(c.outcome) for c in figure(name)), Decimal("0"))

    payments = CaseEvent.objects.filter(
        case__in=cases,
        transition="record_payment",
        created_at__gte=at(period.start, 0),
        created_at__lt=at(period.end + dt.timedelta(days=1), 0),
    )
    counts = {name: figure(name).count() for name in statistics.FIGURES}
    return {
        "counts": counts,
        "closure_rate": statistics._rate(counts["closed"], counts["due"]),
        "on_time_rate": statistics._rate(counts["closed_in_time"], counts["closed"]),
        "median_days_to_acceptance": median(days("accepted", "accepted_on")),
        "median_days_to_closure": median(days("closed", "closed_on")),
        "workers_helped": Claim.objects.filter(case__in=figure("closed"))
        .values("person")
        .distinct()
        .count(),
        "amounts": {
            # As the database sums them (SQLite: in floating point).
            "claimed": str(
                Claim.objects.filter(case__in=figure("received")).aggregate(
                    total=Sum("amount_claimed")
                )["total"]
                or Decimal("0")
            ),
            "ordered": str(
                outcome_sum("ordered", lambda o: Decimal(str(o.get("ordered_amount") or "0")))
            ),
            "agreed": str(
                outcome_sum("settled", lambda o: Decimal(str(o.get("agreed_amount") or "0")))
            ),
            "awarded": str(
                outcome_sum(
                    "awarded",
                    lambda o: sum(
                        (Decimal(i["amount"]) for i in o.get("award_items", [])), Decimal("0")
                    ),
                )
            ),
            "recovered": str(
                sum(
                    (
                        Decimal(str(line["amount"]))
                        for event in payments
                        for line in event.data.get("payments", [])
                    ),
                    Decimal("0"),
                )
            ),
        },
    }


def plain_figures_by(cases, period, scope, by):
    """One grouped query per figure, as the tables were counted before."""
    key, label_field = statistics.GROUPS[by]
    cases = cases.filter(scope.condition())
    counts = {}
    for name in statistics.TABLE_FIGURES:
        grouped = statistics.figure_cases(cases, name, period).values(key).annotate(n=Count("id"))
        for row in grouped:
            counts.setdefault(row[key], dict.fromkeys(statistics.TABLE_FIGURES, 0))[name] = row["n"]
    return {code: counts[code] for code in sorted(counts)}


@pytest.fixture
def varied(people):
    moved_cases(people)
    drawn_cases(60)


PERIODS = [
    NOVEMBER,
    statistics.Period.month(2026, 10),
    statistics.Period(dt.date(2026, 10, 20), dt.date(2026, 11, 12)),
    statistics.Period.month(2027, 1),  # nothing in it
]
SCOPES = [
    statistics.Scope(),
    statistics.Scope(township="zhaokang"),
    statistics.Scope(kind="labor_dispute"),
    statistics.Scope(channel="online", township="xincheng"),
]


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_every_figure_is_its_definition(varied, period):
    for cases in (Case.objects.all(), Case.objects.filter(township__code="xincheng")):
        for scope in SCOPES:
            counted = statistics.period_counts(cases, period, scope)
            found = statistics.case_figures(cases, period, scope, counted)
            expected = plain_case_figures(cases, period, scope)
            assert {k: found[k] for k in expected} == expected, (period, scope)
            assert found == statistics.case_figures(cases, period, scope)
            for by in statistics.GROUPS:
                rows = statistics.figures_by(cases, period, scope, by, counted)
                assert {row["key"]: row["counts"] for row in rows} == plain_figures_by(
                    cases, period, scope, by
                ), (period, scope, by)


def test_the_varied_month_counts_something_of_every_kind(varied):
    # Else the comparison above would prove little.
    figures = statistics.case_figures(Case.objects.all(), NOVEMBER)
    assert all(figures["counts"][name] for name in statistics.FIGURES), figures["counts"]
    assert all(Decimal(amount) for amount in figures["amounts"].values()), figures["amounts"]
    assert figures["median_days_to_acceptance"] is not None


@pytest.mark.parametrize(
    "histogram",
    [{}, {5: 1}, {3: 2}, {1: 1, 4: 1}, {0: 3, 7: 1, 9: 2}, {2: 5, 10: 5}, {1: 1, 2: 1, 30: 1}],
)
def test_the_median_of_a_histogram_is_the_median_of_its_values(histogram):
    values = [value for value, times in histogram.items() for _ in range(times)]
    expected = float(pystats.median(values)) if values else None
    assert statistics._median(histogram) == expected
