"""Listens to the case app: every committed case change is scored again
(notifications.followup).

cases.signals are sent after commit. A transition is followed up here, in the request;
a new complaint is handed to the Celery worker, or done here when no broker takes it.
"""

from django.dispatch import receiver

from cases.signals import case_changed, complaint_filed, complaint_merged, query_code_reissued
from notifications import followup, tasks


@receiver(case_changed, dispatch_uid="notifications.case_changed")
def on_case_changed(sender, case_id, transition="", **kwargs):
    if transition == "file":
        return  # a new case: on_complaint_filed hands its follow-up to the worker
    followup.case_rescore(case_id=case_id, transition=transition)


@receiver(complaint_filed, dispatch_uid="notifications.complaint_filed")
def on_complaint_filed(sender, case_id, **kwargs):
    tasks.enqueue(tasks.complaint_followup, case_id)


@receiver(complaint_merged, dispatch_uid="notifications.complaint_merged")
def on_complaint_merged(sender, case_id, submission_id, **kwargs):
    tasks.enqueue(tasks.merged_notice, submission_id)


@receiver(query_code_reissued, dispatch_uid="notifications.query_code_reissued")
def on_query_code_reissued(sender, case_id, person_id, **kwargs):
    tasks.enqueue(tasks.query_code_send, case_id, person_id)
