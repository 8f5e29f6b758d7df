"""No new complaint's follow-up is lost with the broker's queue: the filing writes a
PendingFollowup row in its transaction, and the periodic sweep redoes the follow-up
(score, alerts, confirmation SMS) of a filing whose task never ran, once."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cases.models import PendingFollowup
from config.celery import app
from notifications import followup, tasks
from notifications.models import Alert, RiskScore, SmsMessage
from tests.notifications.support import file


@pytest.fixture
def lost(monkeypatch):
    """Tasks go to a broker whose queue is then lost (Redis restarted): none ever runs."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    sent = []
    monkeypatch.setattr(
        tasks.complaint_followup, "apply_async", lambda args, **kwargs: sent.append(args)
    )
    return sent


def later(seconds=None) -> dt.datetime:
    seconds = settings.LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS + 1 if seconds is None else seconds
    return timezone.now() + dt.timedelta(seconds=seconds)


def texts(case):
    return SmsMessage.objects.filter(purpose=followup.CONFIRMATION, case_number=case.number)


def test_it_redoes_the_follow_up_of_a_filing_whose_task_was_lost(
    rules, lost, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=2, description="拖欠工资，不给钱就跳楼")  # red: an alert too
    assert lost == [(case.pk,)]
    assert PendingFollowup.objects.filter(case=case).exists()
    assert not texts(case).exists()

    assert followup.followups_sweep(now=later(1)) == 0  # the task may still be on its way
    assert followups_redone(now=later()) == 1

    assert texts(case).count() == 2  # one per worker, with the number and the code
    assert case.query_code in texts(case).first().text
    assert RiskScore.objects.filter(case=case).exists()
    assert Alert.objects.filter(case=case).exists()
    assert not PendingFollowup.objects.filter(case=case).exists()


def followups_redone(now):
    return followup.followups_sweep(now=now)


def test_redoing_a_follow_up_is_safe(rules, lost, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=1, description="拖欠工资，不给钱就跳楼")
    followup.complaint_followup(case_id=case.pk)  # the task did run after all
    PendingFollowup.objects.create(case=case)  # ...and its row came back: redo it

    followups_redone(now=later())

    assert texts(case).count() == 1
    assert Alert.objects.filter(case=case).count() == len(
        set(Alert.objects.filter(case=case).values_list("reason", flat=True))
    )


def test_a_follow_up_done_in_time_leaves_no_row(rules, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=1)  # tasks run in the process here (no broker)

    assert texts(case).count() == 1
    assert not PendingFollowup.objects.filter(case=case).exists()


def test_a_failed_follow_up_stays_pending(
    rules, lost, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=1)

    real_send = followup.confirmation_send

    def down(**kwargs):
        raise ConnectionError("SMS gateway unreachable")

    monkeypatch.setattr(followup, "confirmation_send", down)
    assert followups_redone(now=later()) == 0
    assert PendingFollowup.objects.get(case=case).attempts == 1
    monkeypatch.setattr(followup, "confirmation_send", real_send)

    assert followups_redone(now=later()) == 1
    assert texts(case).count() == 1


def test_the_cron_scan_sweeps_too(rules, lost, django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=1)
    monkeypatch.setattr(settings, "LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS", 0)

    call_command("scan_alerts", stdout=open("/dev/null", "w"))

    assert texts(case).count() == 1


def test_tasks_are_acknowledged_late_and_the_sweep_is_scheduled():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert settings.CELERY_BEAT_SCHEDULE["followups-sweep"]["task"] == tasks.followups_sweep.name
