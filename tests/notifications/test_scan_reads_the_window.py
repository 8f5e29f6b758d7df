"""The deadline scan's alert queries read only what they ask for (the partial indexes of
notifications/0018): the warnings of the window's deadlines, and the red alerts still
to escalate. The deadline query finds exactly what it found before its window was
restated on the alerts' side; the migration applies and reverts on either database."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Case as DbCase
from django.db.models import Exists, OuterRef, Value, When
from django.utils import timezone

from cases.models import OPEN_STATES, Case
from notifications import scans, services
from notifications.models import Alert
from tests.migration_support import indexes, migrate, plan
from tests.notifications.support import file

BEFORE = ("notifications", "0017_clue_deadline_alerts")
AFTER = ("notifications", "0018_scan_window_indexes")


def deadline_alerts_due_unrestricted(open_cases, today, rules_set):
    """The query as it was before notifications/0018: the alerts' side unrestricted."""
    due_reason = DbCase(
        When(deadline__lt=today, then=Value("overdue")),
        When(
            deadline__lte=today + dt.timedelta(days=rules_set.deadline_final_warn_days),
            then=Value("deadline_final"),
        ),
        default=Value("deadline_soon"),
    )
    warned = Alert.objects.filter(
        case_id=OuterRef("pk"), reason=OuterRef("due_reason"), deadline=OuterRef("deadline")
    )
    return (
        open_cases.filter(
            deadline__gte=today - dt.timedelta(days=scans.SCAN_CATCH_UP_DAYS),
            deadline__lte=today + dt.timedelta(days=rules_set.deadline_warn_days),
        )
        .annotate(due_reason=due_reason)
        .filter(~Exists(warned))
    )


def warning(case, reason, deadline, status="open"):
    return Alert.objects.create(
        case=case,
        township_id=case.township_id,
        reason=reason,
        level="yellow",
        message=f"{case.number} {reason}",
        deadline=deadline,
        status=status,
        created_at=timezone.now(),
    )


def test_the_restated_window_finds_what_the_unrestricted_query_found(rules):
    today = timezone.localdate()
    final_day = today + dt.timedelta(days=rules.deadline_final_warn_days)
    for offset in range(-10, rules.deadline_warn_days + 3):
        deadline = today + dt.timedelta(days=offset)
        case = file(employer=f"襄汾县期限{offset}号有限公司", start=offset + 20)
        Case.objects.filter(pk=case.pk).update(deadline=deadline)
        due = (
            "overdue"
            if offset < 0
            else "deadline_final"
            if deadline <= final_day
            else "deadline_soon"
        )
        other = "deadline_soon" if due != "deadline_soon" else "deadline_final"
        variant = offset % 6
        if variant == 1:  # warned: not due
            warning(case, due, deadline)
        elif variant == 2:  # warned and acknowledged: not due either
            warning(case, due, deadline, status="acknowledged")
        elif variant == 3:  # warned about an earlier deadline: due
            warning(case, due, deadline - dt.timedelta(days=30), status="resolved")
        elif variant == 4:  # warned for another threshold: due
            warning(case, other, deadline)
        elif variant == 5:  # another kind of alert of the same deadline: due
            warning(case, "risk_red", deadline)
    open_cases = Case.objects.filter(state__in=OPEN_STATES)

    found = set(scans._deadline_alerts_due(open_cases, today, rules).values_list("pk", flat=True))
    before = deadline_alerts_due_unrestricted(open_cases, today, rules)

    assert found == set(before.values_list("pk", flat=True))
    assert 0 < len(found) < open_cases.count()


def test_the_deadline_query_reads_the_windows_warnings_from_their_index(rules):
    if connection.vendor != "postgresql":
        pytest.skip("the plan is PostgreSQL's")
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    query = scans._deadline_alerts_due(open_cases, timezone.localdate(), rules).order_by()

    read = plan(*query.values("pk").query.sql_with_params())

    assert "alert_deadline_warning_idx on notifications_alert" in read, read


def test_the_escalation_reads_only_the_alerts_still_due(rules):
    case = file()
    long_ago = timezone.now() - dt.timedelta(hours=3)
    due = Alert.objects.create(
        case=case,
        township_id=case.township_id,
        reason="risk_red",
        level="red",
        message="m",
        created_at=long_ago,
    )
    Alert.objects.create(  # escalated already
        case=case,
        township_id=case.township_id,
        reason="distress",
        level="red",
        message="m",
        created_at=long_ago,
        escalated_at=long_ago,
    )
    Alert.objects.create(  # an escalation itself
        case=case,
        township_id=case.township_id,
        reason="escalated",
        level="red",
        message="m",
        created_at=long_ago,
    )
    query = services._alerts_to_escalate(timezone.now() - dt.timedelta(hours=1))

    assert list(query) == [due]
    if connection.vendor == "postgresql":
        read = plan(*query.query.sql_with_params())
        assert "alert_escalation_due_idx on notifications_alert" in read, read


@pytest.mark.django_db(transaction=True)
def test_the_scan_indexes_migration_applies_both_ways(migrated_back_to_the_latest):
    names = {"alert_escalation_due_idx", "alert_deadline_warning_idx"}

    migrate(BEFORE)
    assert not names & set(indexes("notifications_alert"))

    migrate(AFTER)
    after = indexes("notifications_alert")
    assert after["alert_deadline_warning_idx"] == ["deadline", "case_id", "reason"]
    assert after["alert_escalation_due_idx"] == ["created_at"]

    migrate(BEFORE)
    assert not names & set(indexes("notifications_alert"))
    migrate(AFTER)
    assert names <= set(indexes("notifications_alert"))
