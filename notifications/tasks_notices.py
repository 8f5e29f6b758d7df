"""Celery tasks of the notices (scheduled in settings.CELERY_BEAT_SCHEDULE);
`manage.py notices_run` runs the same jobs without a broker."""

from celery import shared_task

from notifications import notices
from rules.memo import request_memo


@shared_task(ignore_result=True)
def event_notices(event_id: int):
    with request_memo():
        return notices.event_notices_run(event_id=event_id)


@shared_task(ignore_result=True)
def notices_sweep():
    with request_memo():
        return str(notices.notices_sweep())


@shared_task(ignore_result=True)
def hearing_reminders():
    with request_memo():
        return f"reminded {notices.hearing_reminders_send()} parties"
