"""Listens to the case app: every committed case change is scored again
(notifications.followup).

cases.signals are sent after commit. A transition is followed up here, in the request;
a new complaint is handed to the Celery worker, or done here when no broker takes it.
"""

from django.dispatch import receiver

from cases.signals import case_changed, complaint_filed
from notifications import followup, tasks


@receiver(case_changed, dispatch_uid="notifications.case_changed")
def on_case_changed(sender, case_id, transition="", event_id=None, **kwargs):
    if transition == "file":
        return  # a new case: on_complaint_filed hands its follow-up to the worker
    if transition == "transfer_township":
        followup.township_transfer_alert(case_id=case_id, event_id=event_id)
    followup.case_rescore(case_id=case_id, transition=transition)


@receiver(complaint_filed, dispatch_uid="notifications.complaint_filed")
def on_complaint_filed(sender, case_id, **kwargs):
    tasks.enqueue(tasks.complaint_followup, case_id)
