"""Celery tasks of the cases app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from cases import idempotency


@shared_task(ignore_result=True)
def idempotency_purge():
    """Lapsed Idempotency-Key records (a request also deletes its own lapsed key)."""
    return idempotency.lapsed_delete()
