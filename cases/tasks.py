"""Celery tasks of the cases app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from cases import services


@shared_task(ignore_result=True)
def idempotency_purge():
    """Lapsed Idempotency-Key records (a request also deletes its own lapsed key)."""
    return services.idempotency_lapsed_delete()
