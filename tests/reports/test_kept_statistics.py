"""Kept case figures (reports/kept.py): a period's figures are served as computed while no
row its months count has changed, and computed anew after any change that moves them,
however it is made (a transition, a queryset update, a correction in the admin).

Each change below moves November's figures; after it, the report must equal the figures
computed directly. A change in another month must leave November's kept figures alone.
(Events are append-only: a trigger refuses their updates, so an event counts once, in
the month it was written.)
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CaseEvent, CaseState, Claim
from cases.statistics import Period, Scope
from core.models import Person, Township
from reports import kept, selectors
from reports.models import KeptStatistics
from reports.tasks import kept_statistics_forget, kept_statistics_refresh
from tests.cases.test_statistics_against_definitions import NOVEMBER, at, drawn_cases, moved_cases
from tests.factories import claimant, file_case, staff
from workflows.models import SubsidyApplication

S = CaseState


def report(period=NOVEMBER, cases=None):
    cases = Case.objects.all() if cases is None else cases
    return selectors.statistics_report(cases, SubsidyApplication.objects.all(), period)


def case_part(figures):
    return {key: figures[key] for key in ("cases", "by_township", "by_kind", "by_channel")}


def computed(period=NOVEMBER, cases=None):
    cases = Case.objects.all() if cases is None else cases
    return selectors._case_figures(cases, period, Scope())


def case_table_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if '"cases_case"' in q["sql"]]


@pytest.fixture
def varied(people):
    staff("insp_b", "inspector")  # the second inspector moved_cases assigns
    moved_cases(people)
    drawn_cases(40)


def closed_in_november() -> Case:
    return Case.objects.filter(
        state=S.CLOSED, closed_on__range=(NOVEMBER.start, NOVEMBER.end), accepted_on__isnull=False
    ).first()


def awarded_in_november() -> Case:
    return (
        Case.objects.filter(
            events__transition="award",
            events__created_at__range=(at(NOVEMBER.start, 0), at(NOVEMBER.end, 23, 59)),
            outcome__has_key="award_items",
        )
        .distinct()
        .first()
    )


def close_a_case_in_november():
    case = Case.objects.filter(state=S.HEARING, accepted_on__isnull=False).first()
    Case.objects.filter(pk=case.pk).update(state=S.CLOSED, closed_on=dt.date(2026, 11, 30))


def correct_an_award():
    case = awarded_in_november()
    outcome = dict(case.outcome)
    outcome["award_items"] = [dict(outcome["award_items"][0], amount="9999.99")]
    Case.objects.filter(pk=case.pk).update(outcome=outcome)


def correct_an_amount_claimed():
    received = Case.objects.filter(
        received_at__range=(at(NOVEMBER.start, 0), at(NOVEMBER.end, 23, 59))
    )
    Claim.objects.filter(case__in=received[:1]).update(amount_claimed=Decimal("77777.77"))


def add_a_worker_to_a_closed_case():
    # A worker added to a case closed in November: one more worker helped.
    claims = Claim.objects.filter(case=closed_in_november()).order_by("id")
    first = claims[0]
    Claim.objects.create(
        case=first.case, person=Person.objects.create(name="新增工人"), amount_claimed="1.00"
    )


def move_a_case_to_another_township():
    Case.objects.filter(pk=closed_in_november().pk).update(
        township=Township.objects.get(code="gucheng")
    )


def record_a_payment_in_november():
    case = Case.objects.filter(state=S.ORDERED).first()
    CaseEvent.objects.create(
        case=case,
        transition="record_payment",
        to_state=S.ORDERED,
        data={"payments": [{"claim": case.claims.first().pk, "amount": "123.45"}]},
        created_at=at(dt.date(2026, 11, 15)),
    )


def correct_an_acceptance_date():
    case = Case.objects.filter(accepted_on__month=10, accepted_on__year=2026).first()
    Case.objects.filter(pk=case.pk).update(accepted_on=dt.date(2026, 11, 2))


def rename_a_township():
    Township.objects.filter(code="zhaokang").update(name="赵康镇（新）")


def file_a_complaint_in_november():
    file_case(received_on=dt.date(2026, 11, 20), claimants=[claimant(3)], employer="十一月新公司")


CHANGES = [
    close_a_case_in_november,
    correct_an_award,
    correct_an_amount_claimed,
    add_a_worker_to_a_closed_case,
    move_a_case_to_another_township,
    record_a_payment_in_november,
    correct_an_acceptance_date,
    rename_a_township,
    file_a_complaint_in_november,
]


@pytest.mark.postgres
@pytest.mark.parametrize("change", CHANGES, ids=lambda f: f.__name__)
def test_a_change_the_month_counts_is_never_hidden_by_kept_figures(varied, change):
    before = case_part(report())
    assert KeptStatistics.objects.count() == 1
    change()
    after = case_part(report())
    assert after != before, "the change should move November's figures"
    assert after == computed()


@pytest.mark.postgres
def test_kept_figures_are_served_without_reading_the_cases(varied):
    first = report()
    with CaptureQueriesContext(connection) as queries:
        again = report()
    assert again == first
    assert case_table_queries(queries.captured_queries) == []
    # And a township's staff (other cases) get figures of their own, kept apart.
    township = Case.objects.filter(township__code="xincheng")
    assert case_part(report(cases=township)) == computed(cases=township) != case_part(first)
    assert KeptStatistics.objects.count() == 2


@pytest.mark.postgres
def test_a_change_in_another_month_keeps_novembers_figures(varied, people):
    report()
    # A complaint received in January, an event in December: neither is November's.
    file_case(received_on=dt.date(2027, 1, 5), claimants=[claimant(4)], employer="一月新公司")
    CaseEvent.objects.create(
        case=Case.objects.first(),
        transition="note",
        to_state=S.CLOSED,
        created_at=at(dt.date(2026, 12, 10)),
    )
    with CaptureQueriesContext(connection) as queries:
        report()
    assert case_table_queries(queries.captured_queries) == []
    # A period that spans both months is computed anew.
    spanning = Period(dt.date(2026, 11, 15), dt.date(2027, 1, 10))
    assert case_part(report(spanning)) == computed(spanning)


def test_figures_are_kept_only_where_triggers_count_the_changes(varied):
    report()
    kept_rows = KeptStatistics.objects.count()
    assert kept_rows == (1 if connection.vendor == "postgresql" else 0)


@pytest.mark.postgres
def test_old_kept_figures_are_forgotten(varied):
    report()
    KeptStatistics.objects.update(computed_at=at(dt.date(2026, 1, 1)))
    report(Period.month(2026, 10))
    assert kept_statistics_forget() == 1
    assert KeptStatistics.objects.count() == 1


def test_the_months_of_a_period():
    assert kept.months(Period(dt.date(2026, 11, 15), dt.date(2027, 1, 10))) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]
    assert kept.months(NOVEMBER) == [dt.date(2026, 11, 1)]


@pytest.mark.postgres
def test_the_refresh_keeps_this_month_and_the_last(varied, settings, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 3))
    assert kept_statistics_refresh() == [str(NOVEMBER), str(Period.month(2026, 12))]
    with CaptureQueriesContext(connection) as queries:
        report()
    assert case_table_queries(queries.captured_queries) == []
    assert "kept-statistics-refresh" in settings.CELERY_BEAT_SCHEDULE
