"""Celery tasks (periodic ones scheduled in settings.CELERY_BEAT_SCHEDULE; scan_alerts
runs the same) and enqueue(), which hands work to the worker."""

import logging

from celery import shared_task

from notifications import followup, scans
from rules.memo import request_memo

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def alerts_scan():
    return str(scans.alerts_scan(full=False))


@shared_task(ignore_result=True)
def risk_rescan():
    return str(scans.alerts_scan(full=True))


@shared_task(ignore_result=True)
def followups_sweep():
    with request_memo():
        return f"redid {followup.followups_sweep()} pending follow-ups"


@shared_task(ignore_result=True)
def complaint_followup(case_id: int):
    with request_memo():  # rule tables read once for the task, as for a request
        followup.complaint_followup(case_id=case_id)


@shared_task(ignore_result=True)
def merged_notice(submission_id: int):
    followup.merged_notice_send(submission_id=submission_id)


@shared_task(ignore_result=True)
def query_code_send(case_id: int, person_id: int):
    followup.query_code_send(case_id=case_id, person_id=person_id)


# Queue priorities (kombu's Redis transport serves the lower number first; a task
# without one is 0): a red-at-once complaint's follow-up before the routine ones.
URGENT = 0
ROUTINE = 3


def enqueue(task, *args, priority: int | None = None) -> None:
    """Run the task in the worker; in this process when tasks run eagerly (no broker
    configured: development, tests) or the broker cannot take it (Redis down), so the
    work is late at worst, never lost."""
    if task.app.conf.task_always_eager:
        task(*args)
        return
    try:
        task.apply_async(args, priority=priority)
    except Exception as error:  # kombu's OperationalError, a Redis timeout, ...
        logger.warning("broker unavailable, running %s here: %r", task.name, error)
        task(*args)
