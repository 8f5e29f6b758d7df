import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("laborcase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _warm_alert_sender(**kwargs):
    """Each worker process connects its alert sender as it starts (notifications.wire):
    its first alerts do not wait for the connection."""
    from notifications import wire

    wire.warm()
