"""The Celery worker (or the cron job) down for an hour: the first scan afterwards
raises every alert that came due in the gap, once; scanning again, or two scans at the
same time, raises nothing more.

Time is simulated: the scan takes `now` (scans.alerts_scan) and the Celery task is run
with django.utils.timezone.now patched, so the hour passes without waiting. The gap
spans midnight, when deadline warnings change from one day's count to the next.
"""

import datetime as dt
import threading
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from cases.models import Case
from cases.signals import case_changed, complaint_filed
from notifications import handlers, scans, services, tasks
from notifications.models import Alert
from tests.factories import staff
from tests.notifications.support import file

DAY = dt.date(2026, 3, 10)  # a Tuesday; deadlines here are calendar dates
BEFORE = timezone.make_aware(dt.datetime.combine(DAY, dt.time(23, 30)))  # last scan
AFTER = BEFORE + dt.timedelta(hours=1)  # the worker is back: 00:30 the next day


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@contextmanager
def scoring_after_commit_off():
    """The fixture scores each case itself, at the simulated time: a transactional test
    would otherwise score it on commit at the real time."""
    case_changed.disconnect(dispatch_uid="notifications.case_changed")
    complaint_filed.disconnect(dispatch_uid="notifications.complaint_filed")
    try:
        yield
    finally:
        case_changed.connect(handlers.on_case_changed, dispatch_uid="notifications.case_changed")
        complaint_filed.connect(
            handlers.on_complaint_filed, dispatch_uid="notifications.complaint_filed"
        )


def open_case(name: str, deadline: dt.date, *, start: int, description="拖欠工资两个月。"):
    with scoring_after_commit_off():
        case = file(
            employer=f"襄汾县{name}有限公司",
            start=start,
            description=description,
            received_on=days(-5),
        )
    Case.objects.filter(pk=case.pk).update(deadline=deadline)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def gap(rules):
    """Cases whose alerts come due in the hour the worker is down, and some that don't.

    soon:    deadline in 4 days at 23:30, 3 days at 00:30 -> deadline_soon in the gap
    final:   2 days, then 1 day          -> deadline_soon before, deadline_final in the gap
    overdue: due today, then yesterday   -> deadline_final before, overdue in the gap
    far:     10 days                     -> nothing
    red:     a red complaint scored at 22:50: unacknowledged 60 minutes at 23:50 -> escalated
    late_red: a red complaint scored at 00:10 (the web keeps working) -> not yet escalated
    """
    staff("sup_county", "supervisor", townships=(), county_level=True)
    red_text = "拖欠三个月工资，工人已到县信访局。"
    cases = {
        "soon": open_case("甲", days(4), start=0),
        "final": open_case("乙", days(2), start=10),
        "overdue": open_case("丙", days(0), start=20),
        "far": open_case("丁", days(10), start=30),
        "red": open_case("戊", days(20), start=40, description=red_text),
    }
    # Scored as the web does it after each filing commits.
    for case in cases.values():
        services.case_risk_refresh(case_id=case.pk, now=BEFORE - dt.timedelta(minutes=40))
    scans.alerts_scan(now=BEFORE)  # the last scan before the worker went down
    cases["late_red"] = open_case("己", days(20), start=50, description=red_text)
    late = services.case_risk_refresh(
        case_id=cases["late_red"].pk, now=AFTER - dt.timedelta(minutes=20)
    )
    assert [a.reason for a in late] == ["risk_red"]
    return cases


def alert_keys(since_id: int = 0) -> list[tuple]:
    return sorted(
        Alert.objects.filter(pk__gt=since_id).values_list("case__number", "reason", "deadline")
    )


def expected_catch_up(cases) -> list[tuple]:
    return sorted(
        [
            (cases["soon"].number, "deadline_soon", days(4)),
            (cases["final"].number, "deadline_final", days(2)),
            (cases["overdue"].number, "overdue", days(0)),
            (cases["red"].number, "escalated", None),
        ]
    )


def last_alert_id() -> int:
    return Alert.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_the_scan_after_an_hour_down_catches_up_every_alert_that_came_due(gap):
    before_gap = last_alert_id()
    assert (
        Alert.objects.filter(case=gap["final"], reason="deadline_soon").exists()
        and Alert.objects.filter(case=gap["overdue"], reason="deadline_final").exists()
    )

    with mock.patch("django.utils.timezone.now", return_value=AFTER):
        tasks.alerts_scan.apply()  # the beat task, at 00:30 the next day

    assert alert_keys(before_gap) == expected_catch_up(gap)
    escalation = Alert.objects.get(reason="escalated")
    assert escalation.escalation_of.case == gap["red"]
    assert escalation.notify_users.filter(username="sup_county").exists()
    assert set(Alert.objects.filter(pk__gt=before_gap).values_list("created_at", flat=True)) == {
        AFTER
    }
    # The warnings the new ones supersede are resolved, not left open beside them.
    assert not Alert.objects.filter(case=gap["final"], reason="deadline_soon", status="open")
    assert not Alert.objects.filter(case=gap["overdue"], reason="deadline_final", status="open")

    # Again at once, and a minute later: nothing new.
    after_catch_up = last_alert_id()
    again = scans.alerts_scan(now=AFTER)
    next_minute = scans.alerts_scan(now=AFTER + dt.timedelta(minutes=1))
    assert (again.alerts, again.escalations) == ([], [])
    assert (next_minute.alerts, next_minute.escalations) == ([], [])
    assert last_alert_id() == after_catch_up

    # The red alert raised in the gap escalates when its own hour is up, not before.
    later = scans.alerts_scan(now=AFTER + dt.timedelta(minutes=41))
    assert [Alert.objects.get(pk=pk).escalation_of.case for pk in later.escalations] == [
        gap["late_red"]
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_catch_up_scans_at_once_raise_each_alert_once(gap):
    """Two scans (a worker's retry beside beat's next run, two workers) overlap: both
    have read the same due cases and red alerts before either writes. Each refresh locks
    its case row and each escalation its alert row, and re-reads under the lock."""
    before_gap = last_alert_id()
    both_listed = threading.Barrier(2, timeout=10)
    refresh = scans.case_risk_refresh
    waited = threading.local()

    def refresh_after_both_listed(**kwargs):
        if not getattr(waited, "done", False):
            waited.done = True
            both_listed.wait()  # neither scan raises anything until both chose their cases
        return refresh(**kwargs)

    reports, errors = [], []

    def scan():
        try:
            reports.append(scans.alerts_scan(now=AFTER))
        except Exception as error:  # reported below; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(scans, "case_risk_refresh", refresh_after_both_listed):
        threads = [threading.Thread(target=scan) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert alert_keys(before_gap) == expected_catch_up(gap)
    raised = sorted(pk for report in reports for pk in report.alerts + report.escalations)
    assert len(raised) == len(set(raised)) == 4  # each alert reported by one scan only


def test_the_scan_scores_a_case_whose_scoring_after_commit_was_lost(rules):
    """The database went away between a filing's commit and its scoring (the web answered
    201; tests/faults/test_postgres_restart.py): the next frequent scan scores the case
    and raises its alerts, instead of leaving it to the nightly full scan."""
    with scoring_after_commit_off():
        red = file(employer="襄汾县庚有限公司", description="工人已到县信访局。", start=60)
        quiet = file(employer="襄汾县辛有限公司", start=70)
    Case.objects.filter(pk__in=[red.pk, quiet.pk]).update(deadline=None)  # no deadline due
    now = timezone.now()

    report = scans.alerts_scan(now=now)
    again = scans.alerts_scan(now=now + dt.timedelta(minutes=1))

    assert (report.cases_scored, report.caught_up) == (0, 2)
    assert [Alert.objects.get(pk=pk).reason for pk in report.alerts] == ["risk_red"]
    assert Case.objects.get(pk=red.pk).risk_level == "red"
    assert (again.caught_up, again.alerts) == (0, [])
