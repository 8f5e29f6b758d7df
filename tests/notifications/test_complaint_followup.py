"""A new complaint's follow-up (score, alerts, confirmation SMS) is queued for the Celery
worker; the request does it itself when the broker cannot take it, and running it twice
texts the workers once."""

import pytest
from kombu.exceptions import OperationalError

from config.celery import app
from core import query_codes
from notifications import followup, tasks
from notifications.models import RiskScore, SmsMessage
from tests.notifications.support import file


@pytest.fixture
def queued(monkeypatch):
    """Tasks go to a broker (as in production) instead of running in the test's process."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    sent = []
    monkeypatch.setattr(
        tasks.complaint_followup, "apply_async", lambda args, **kwargs: sent.append(args)
    )
    return sent


def test_it_queues_the_follow_up_for_the_worker(rules, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=2)

    assert queued == [(case.pk,)]
    assert not RiskScore.objects.filter(case=case).exists()  # the worker's job, not ours
    assert not SmsMessage.objects.exists()


def test_it_follows_up_itself_when_the_broker_is_down(
    rules, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def refused(args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.complaint_followup, "apply_async", refused)
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=2)

    assert RiskScore.objects.filter(case=case, trigger="file").count() == 1
    assert SmsMessage.objects.filter(case_number=case.number).count() == 2
    assert "broker unavailable, running notifications.tasks.complaint_followup here" in caplog.text


def test_it_texts_the_workers_once_however_often_it_runs(rules, queued):
    case = file(count=2)

    tasks.complaint_followup(case.pk)
    tasks.complaint_followup(case.pk)  # a redelivered task

    texts = SmsMessage.objects.filter(case_number=case.number, purpose=followup.CONFIRMATION)
    assert texts.count() == 2  # one per worker
    assert {t.phone for t in texts} == {c.person.phone for c in case.claims.all()}
    assert all(case.query_code in t.text for t in texts)
    # Once texted, the clear code is wiped: only its hash stays.
    case.refresh_from_db()
    assert case.query_code_pending == "" and query_codes.query_code_matches(
        case.query_code_hash, case.query_code
    )


def test_a_threat_goes_before_the_routine_follow_ups(
    rules, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    priorities = []
    monkeypatch.setattr(
        tasks.complaint_followup,
        "apply_async",
        lambda args, priority=None, **kwargs: priorities.append(priority),
    )
    with django_capture_on_commit_callbacks(execute=True):
        file(description="拖欠工资两个月。")
        file(description="老板跑路了，有人说要跳楼。", start=1)
        file(description="我们已经在信访局门口了。", start=2)

    # kombu's Redis transport serves the lower number first
    assert priorities == [tasks.ROUTINE, tasks.URGENT, tasks.URGENT]
    assert tasks.URGENT < tasks.ROUTINE
