"""On PostgreSQL the command screen reads counters kept by triggers: they must always
agree with the rows, whichever way the rows change, and cost the same at any size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case, CaseEvent, Claim
from notifications import summary, tally
from notifications.models import Alert, CaseStateTally, DeadlineTally, OpenCaseTally
from tests.notifications.support import file

pytestmark = [pytest.mark.postgres]


def both_ways():
    today = timezone.localdate()
    from_tallies = summary._compute_summary_from_tallies(today)
    from_rows = summary._compute_summary_from_rows(today)
    for figures in (from_tallies, from_rows):
        figures.pop("as_of")
    return from_tallies, from_rows


def test_it_keeps_the_counters_in_step_with_every_kind_of_change(rules, people):
    today = timezone.localdate()
    big = file(count=12, amount="1000.00", employer="甲公司")
    small = file(count=1, amount="500.00", employer="乙公司", start=50, township="zhaokang")
    old = file(count=2, employer="丙公司", start=60, received_on=today - dt.timedelta(days=3))
    Case.objects.filter(pk=small.pk).update(
        state="investigating", accepted_on=today, risk_level="red"
    )
    # queryset updates, as the risk scoring and tests do: the triggers see them too
    Case.objects.filter(pk=old.pk).update(state="closed", risk_level="red")
    Case.objects.filter(pk=big.pk).update(township_id=small.township_id, is_collective=False)
    Claim.objects.filter(case=big).update(amount_recovered="300.00")
    Claim.objects.filter(case=big).first().delete()
    CaseEvent.objects.create(case=old, transition="close", from_state="paid", to_state="closed")
    alert = Alert.objects.filter(case=small).first() or Alert.objects.create(
        case=small,
        township_id=small.township_id,
        reason="risk_red",
        level="red",
        message="m",
        created_at=timezone.now(),
    )
    Alert.objects.filter(pk=alert.pk).update(status="acknowledged")

    from_tallies, from_rows = both_ways()

    assert from_tallies == from_rows
    assert from_tallies["open_cases"] == 2 and from_tallies["workers_involved"] == 12


def test_it_counts_the_open_cases_past_their_deadline(rules, people):
    today = timezone.localdate()
    past, moved, closed, none, reopened = (
        file(employer=f"期限{i}公司", start=i * 5) for i in range(5)
    )
    Case.objects.filter(pk=past.pk).update(deadline=today - dt.timedelta(days=2))
    Case.objects.filter(pk=moved.pk).update(deadline=today - dt.timedelta(days=1))
    Case.objects.filter(pk=moved.pk).update(deadline=today + dt.timedelta(days=5))  # extended
    Case.objects.filter(pk=closed.pk).update(deadline=today - dt.timedelta(days=9))
    Case.objects.filter(pk=closed.pk).update(state="closed")
    Case.objects.filter(pk=none.pk).update(deadline=None)
    Case.objects.filter(pk=reopened.pk).update(
        state="rejected", deadline=today - dt.timedelta(days=1)
    )
    Case.objects.filter(pk=reopened.pk).update(state="investigating")
    Case.objects.filter(pk=none.pk).update(deadline=today)  # due today: not past yet

    from_tallies, from_rows = both_ways()

    assert from_tallies == from_rows
    assert from_tallies["overdue_cases"] == 2  # past and reopened


def test_the_triggers_know_the_final_states_of_the_lifecycle(rules):
    """A case counts as open in the counters unless in a final state: the list the
    installed trigger functions hold must be the lifecycle's."""
    from cases.lifecycle.states import FINAL_STATES

    listed = ", ".join(f"'{state}'" for state in sorted(FINAL_STATES))
    with connection.cursor() as cursor:
        for function in ("tally_case", "tally_claim"):
            cursor.execute("SELECT pg_get_functiondef(%s::regproc)", [function])
            (definition,) = cursor.fetchone()
            assert f"NOT IN ({listed})" in definition, function


def test_it_rebuilds_the_counters_from_the_rows(rules):
    file(count=3, employer="甲公司")
    for counters in (CaseStateTally, OpenCaseTally, DeadlineTally):
        counters.objects.all().delete()

    tally.rebuild()

    from_tallies, from_rows = both_ways()
    assert from_tallies == from_rows and from_tallies["workers_involved"] == 3


def test_it_reads_the_same_few_queries_however_many_cases(rules):
    file(employer="公司0")
    summary.dashboard_summary(fresh=True)  # the rule tables' first read in this process

    with CaptureQueriesContext(connection) as few:
        summary.dashboard_summary(fresh=True)
    for i in range(1, 8):
        file(employer=f"公司{i}", start=i * 5, count=2)
    with CaptureQueriesContext(connection) as more:
        summary.dashboard_summary(fresh=True)

    assert len(more) == len(few) <= 10
    assert not any("cases_claim" in q["sql"] for q in more.captured_queries)
    # Not even the overdue count: the open cases per deadline day are counted too.
    assert not any('FROM "cases_case"' in q["sql"] for q in more.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_split_counters_migrate_both_ways(reference_data, migrated_back_to_the_latest):
    """notifications/0019 fills the new counters from the rows, and backwards puts back
    the one table of notifications/0004 with its trigger functions: the figures agree
    with the rows every way, and the triggers count what changes in between."""
    from tests.migration_support import migrate

    today = timezone.localdate()
    case = file(count=3, employer="甲公司")
    Case.objects.filter(pk=case.pk).update(deadline=today - dt.timedelta(days=1))
    file(count=2, employer="乙公司", start=10, township="zhaokang")

    migrate(("notifications", "0018_scan_window_indexes"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT sum(cases), sum(claims) FROM notifications_casetally")
        assert cursor.fetchone() == (2, 5)
    Case.objects.filter(pk=case.pk).update(risk_level="red")  # the old triggers count it

    migrate(("notifications", "0019_case_tallies_by_state_place_deadline"))
    Claim.objects.filter(case=case).first().delete()  # the new ones count this
    from_tallies, from_rows = both_ways()

    assert from_tallies == from_rows
    assert (from_tallies["overdue_cases"], from_tallies["workers_involved"]) == (1, 4)
    assert from_tallies["risk"]["red"] == 1


def test_it_takes_the_median_from_counts():
    assert summary._median_of_counts([(1, 1), (3, 1)]) == 2
    assert summary._median_of_counts([(0, 2), (5, 1)]) == 0
    assert summary._median_of_counts([]) is None
