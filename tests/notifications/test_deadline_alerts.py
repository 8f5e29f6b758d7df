"""Deadline warnings 3 days and 1 day ahead and when passed, each once per deadline;
the scan job (Celery task and management command) raises them."""

import datetime as dt
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from cases.models import Case
from notifications import tasks
from notifications.models import Alert
from notifications.scans import alerts_scan
from notifications.services import case_risk_refresh
from tests.notifications.support import file


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def reasons(case):
    return list(Alert.objects.filter(case=case).order_by("pk").values_list("reason", "status"))


def test_it_warns_three_days_and_one_day_ahead_and_when_passed(rules):
    case = file()
    deadline = Case.objects.get(pk=case.pk).deadline

    for days_left in (5, 3, 2, 1, 0, -1, -2):
        case_risk_refresh(case_id=case.pk, now=at(deadline - dt.timedelta(days=days_left)))

    assert reasons(case) == [
        ("deadline_soon", "resolved"),
        ("deadline_final", "resolved"),
        ("overdue", "open"),
    ]
    overdue = Alert.objects.get(case=case, reason="overdue")
    assert (overdue.level, overdue.deadline) == ("red", deadline)
    assert overdue.message.startswith(f"{case.number} 监察立案审查：已超过法定期限")


def test_it_warns_once_per_deadline_even_after_acknowledgement(rules):
    case = file()
    deadline = Case.objects.get(pk=case.pk).deadline
    case_risk_refresh(case_id=case.pk, now=at(deadline - dt.timedelta(days=3)))
    Alert.objects.filter(case=case).update(status="acknowledged")

    case_risk_refresh(case_id=case.pk, now=at(deadline - dt.timedelta(days=2)))

    assert reasons(case) == [("deadline_soon", "acknowledged")]


def test_a_new_deadline_resolves_warnings_about_the_old_one(rules):
    case = file()
    deadline = Case.objects.get(pk=case.pk).deadline
    case_risk_refresh(case_id=case.pk, now=at(deadline - dt.timedelta(days=1)))
    Case.objects.filter(pk=case.pk).update(deadline=deadline + dt.timedelta(days=60))

    case_risk_refresh(case_id=case.pk, now=at(deadline - dt.timedelta(days=1)))

    assert reasons(case) == [("deadline_final", "resolved")]


def test_the_scan_warns_cases_near_their_deadline_only(rules):
    near = file(start=0, employer="甲公司")
    far = file(start=1, employer="乙公司")
    deadline = Case.objects.get(pk=near.pk).deadline
    Case.objects.filter(pk=far.pk).update(deadline=deadline + dt.timedelta(days=30))

    report = alerts_scan(now=at(deadline - dt.timedelta(days=1)))

    assert report.cases_scored == 1
    assert reasons(near) == [("deadline_final", "open")] and reasons(far) == []


def test_the_full_scan_scores_every_open_case(rules):
    case = file(count=10)
    Case.objects.filter(pk=case.pk).update(deadline=None)

    report = alerts_scan(full=True)

    assert report.cases_scored == 1
    assert Case.objects.get(pk=case.pk).risk_score == 15


def test_the_management_command_runs_the_scan(rules):
    case = file()
    deadline = Case.objects.get(pk=case.pk).deadline
    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    out = StringIO()

    call_command("scan_alerts", stdout=out)

    assert "scored 1 cases, raised 1 alerts" in out.getvalue()
    assert reasons(case) == [("overdue", "open")]
    assert deadline


def test_the_celery_task_runs_the_scan(rules):
    case = file()
    Case.objects.filter(pk=case.pk).update(deadline=timezone.localdate())

    tasks.alerts_scan.apply()

    assert reasons(case) == [("deadline_final", "open")]


def test_beat_schedules_the_scan(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE

    assert schedule["alerts-scan"]["task"] == "notifications.tasks.alerts_scan"
    assert schedule["risk-rescan-nightly"]["task"] == "notifications.tasks.risk_rescan"


def test_it_scans_only_the_cases_that_still_lack_their_warning(rules):
    case = file()
    file(employer="另一家公司", start=40)
    deadline = Case.objects.get(pk=case.pk).deadline
    Case.objects.exclude(pk=case.pk).update(deadline=deadline + dt.timedelta(days=30))

    first = alerts_scan(now=at(deadline - dt.timedelta(days=3)))
    again = alerts_scan(now=at(deadline - dt.timedelta(days=3)))
    next_day = alerts_scan(now=at(deadline - dt.timedelta(days=2)))
    final = alerts_scan(now=at(deadline - dt.timedelta(days=1)))

    assert (first.cases_scored, again.cases_scored, next_day.cases_scored) == (1, 0, 0)
    assert final.cases_scored == 1
    assert reasons(case) == [("deadline_soon", "resolved"), ("deadline_final", "open")]
