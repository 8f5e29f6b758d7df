"""Case.awaiting_score: a case counts as not scored until its first scoring, and the
minute's scan finds a lost scoring from the marked cases alone (cases/0027)."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case
from notifications import scans
from notifications.models import RiskScore
from notifications.services import case_risk_refresh
from tests.faults.test_worker_down import scoring_after_commit_off
from tests.migration_support import indexes, migrate, plan
from tests.notifications.support import file

BEFORE = ("cases", "0026_search_covering_indexes")
AFTER = ("cases", "0027_scoring_marker")


def awaiting(case) -> bool:
    return Case.objects.values_list("awaiting_score", flat=True).get(pk=case.pk)


def test_a_complaint_awaits_its_score_until_its_follow_up_scores_it(rules):
    with scoring_after_commit_off():
        case = file()
    assert awaiting(case)

    case_risk_refresh(case_id=case.pk)

    assert not awaiting(case)


def test_a_first_score_equal_to_the_defaults_still_counts(rules):
    with scoring_after_commit_off():
        case = file()
    Case.objects.filter(pk=case.pk).update(risk_score=0, risk_level="green", risk_factors=[])
    scored = Case.objects.get(pk=case.pk)

    case_risk_refresh(case_id=case.pk)
    case_risk_refresh(case_id=case.pk)

    assert not awaiting(case)
    assert RiskScore.objects.filter(case=case).count() == 1
    assert Case.objects.get(pk=case.pk).version == scored.version  # derived data only


def test_the_scan_catches_up_the_marked_cases_only(rules):
    with scoring_after_commit_off():
        lost, scored, old = file(start=10), file(start=20), file(start=30)
    case_risk_refresh(case_id=scored.pk)
    long_ago = timezone.now() - dt.timedelta(days=scans.UNSCORED_CATCH_UP_DAYS + 1)
    Case.objects.filter(pk=old.pk).update(received_at=long_ago)  # the nightly scan's
    Case.objects.filter(pk__in=[lost.pk, scored.pk, old.pk]).update(deadline=None)

    report = scans.alerts_scan()

    assert report.caught_up == 1
    assert (awaiting(lost), awaiting(scored), awaiting(old)) == (False, False, True)
    assert scans.alerts_scan().caught_up == 0


def test_the_scan_reads_the_marked_cases_from_their_index(rules):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    with scoring_after_commit_off():
        cases = [file(start=10 * n) for n in range(12)]
    Case.objects.filter(pk__in=[c.pk for c in cases[1:]]).update(awaiting_score=False)
    with connection.cursor() as cursor:  # the planner sees the few marked among many
        cursor.execute("ANALYZE cases_case")
    open_cases = Case.objects.filter(state__in=scans.OPEN_STATES)
    query = scans._never_scored(open_cases, timezone.now()).order_by().values("pk")  # as the scan

    assert list(query) == [{"pk": cases[0].pk}]
    assert "case_awaiting_score_idx" in plan(*query.query.sql_with_params())


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_the_recent_unscored_cases_and_applies_both_ways(
    rules, migrated_back_to_the_latest
):
    with scoring_after_commit_off():
        unscored, scored = file(start=10), file(start=20)
    case_risk_refresh(case_id=scored.pk)

    migrate(BEFORE)
    assert "case_awaiting_score_idx" not in indexes("cases_case")
    migrate(AFTER)

    assert (awaiting(unscored), awaiting(scored)) == (True, False)
    assert indexes("cases_case")["case_awaiting_score_idx"] == ["received_at"]
    with scoring_after_commit_off():
        filed_now = file(start=30)
    assert awaiting(filed_now)  # the column's default from now on
