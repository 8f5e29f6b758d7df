"""Celery tasks (scheduled in settings.CELERY_BEAT_SCHEDULE); subsidy_notices runs the same."""

from celery import shared_task

from workflows import services


@shared_task(ignore_result=True)
def subsidy_notices_close():
    return services.notices_close_due()
