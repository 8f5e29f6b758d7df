"""Celery tasks (scheduled in settings.CELERY_BEAT_SCHEDULE); scan_alerts runs the same."""

from celery import shared_task

from notifications import services


@shared_task(ignore_result=True)
def alerts_scan():
    return str(services.alerts_scan(full=False))


@shared_task(ignore_result=True)
def risk_rescan():
    return str(services.alerts_scan(full=True))
