"""Listens to the case app: every committed case change is scored again
(notifications.followup).

cases.signals are sent after commit. A transition is followed up here, in the request;
a new complaint is handed to the Celery worker, or done here when no broker takes it.

Also: a user's open alert sockets are closed when the user signs out or changes
(deactivated, role, township, password), after the change commits.
"""

import logging

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from cases.models import OPEN_STATES, Case
from cases.signals import case_changed, complaint_filed, complaint_merged, query_code_reissued
from core.models import StaffProfile
from employment import signals as employment_signals
from notifications import (  # noqa: F401
    followup,
    notices,
    notices_subsidy,
    push,
    risk,
    services,
    tasks,
    tasks_notices,
)

logger = logging.getLogger(__name__)


@receiver(case_changed, dispatch_uid="notifications.case_changed")
def on_case_changed(sender, case_id, transition="", event_id=None, **kwargs):
    if transition == "file":
        return  # a new case: on_complaint_filed hands its follow-up to the worker
    if transition == "transfer_township":
        followup.township_transfer_alert(case_id=case_id, event_id=event_id)
    if event_id is not None and transition in notices.TRANSITION_EVENTS:
        tasks.enqueue(tasks_notices.event_notices, event_id)  # notifications/notices.py
    followup.case_rescore(case_id=case_id, transition=transition)


@receiver(complaint_filed, dispatch_uid="notifications.complaint_filed")
def on_complaint_filed(sender, case_id, description="", **kwargs):
    # A complaint that threatens self-harm or says the workers are at a petition office
    # is red at once: its follow-up (the red alert) goes before the routine ones queued
    # at a peak, so the command screen hears of it within a second (docs/performance.md).
    urgent = risk.red_at_once(description)
    priority = tasks.URGENT if urgent else tasks.ROUTINE
    tasks.enqueue(tasks.complaint_followup, case_id, priority=priority)


@receiver(complaint_merged, dispatch_uid="notifications.complaint_merged")
def on_complaint_merged(sender, case_id, submission_id, **kwargs):
    tasks.enqueue(tasks.merged_notice, submission_id)


@receiver(query_code_reissued, dispatch_uid="notifications.query_code_reissued")
def on_query_code_reissued(sender, case_id, person_id, **kwargs):
    tasks.enqueue(tasks.query_code_send, case_id, person_id)


# --- open sockets follow the sign-in (notifications.consumers, 4401) ---------------------

# User fields whose change ends the user's sockets: deactivation, superuser (a role),
# the password (Django ends the other sessions; tokens are revoked with it).
_USER_FIELDS = ("is_active", "is_superuser", "password")


def _close_after_commit(user_ids, **kwargs) -> None:
    for user_id in set(user_ids):
        transaction.on_commit(lambda user_id=user_id: push.sockets_close(user_id=user_id, **kwargs))


@receiver(user_logged_out, dispatch_uid="notifications.sockets_on_logout")
def on_user_logged_out(sender, request, user, **kwargs):
    if user is None:
        return
    session = getattr(request, "session", None)
    _close_after_commit(
        [user.pk], session_key=getattr(session, "session_key", None), everywhere=False
    )


@receiver(pre_save, sender=User, dispatch_uid="notifications.sockets_user_before")
def on_user_before_save(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (
        update_fields is not None and not set(update_fields) & set(_USER_FIELDS)
    ):
        return
    instance._sockets_before = User.objects.filter(pk=instance.pk).values(*_USER_FIELDS).first()


@receiver(post_save, sender=User, dispatch_uid="notifications.sockets_user_after")
def on_user_saved(sender, instance, created, **kwargs):
    before = instance.__dict__.pop("_sockets_before", None)
    if created or before is None:
        return
    if any(before[name] != getattr(instance, name) for name in _USER_FIELDS):
        _close_after_commit([instance.pk])


@receiver(post_delete, sender=User, dispatch_uid="notifications.sockets_user_deleted")
def on_user_deleted(sender, instance, **kwargs):
    _close_after_commit([instance.pk])


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="notifications.sockets_groups")
def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            _close_after_commit([instance.pk])
    elif action == "pre_clear":  # a group emptied: its members, before they are gone
        _close_after_commit(instance.user_set.values_list("pk", flat=True))
    elif pk_set:
        _close_after_commit(pk_set)


@receiver(
    m2m_changed, sender=StaffProfile.townships.through, dispatch_uid="notifications.sockets_towns"
)
def on_townships_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            _close_after_commit([instance.user_id])
    elif action == "pre_clear":
        _close_after_commit(instance.staffprofile_set.values_list("user_id", flat=True))
    elif pk_set:
        profiles = StaffProfile.objects.filter(pk__in=pk_set)
        _close_after_commit(profiles.values_list("user_id", flat=True))


@receiver(pre_save, sender=StaffProfile, dispatch_uid="notifications.sockets_profile_before")
def on_profile_before_save(sender, instance, **kwargs):
    if instance.pk is not None:
        before = StaffProfile.objects.filter(pk=instance.pk).values("county_level", "user_id")
        instance._sockets_before = before.first()


@receiver(post_save, sender=StaffProfile, dispatch_uid="notifications.sockets_profile_after")
def on_profile_saved(sender, instance, created, **kwargs):
    before = instance.__dict__.pop("_sockets_before", None)
    if created:  # a profile for a signed-in user: its township groups change
        _close_after_commit([instance.user_id])
    elif before and (
        before["county_level"] != instance.county_level or before["user_id"] != instance.user_id
    ):
        _close_after_commit([before["user_id"], instance.user_id])


@receiver(post_delete, sender=StaffProfile, dispatch_uid="notifications.sockets_profile_gone")
def on_profile_deleted(sender, instance, **kwargs):
    _close_after_commit([instance.user_id])


# --- the ledger marks a plant closed (employment.signals) -----------------------------


@receiver(employment_signals.employer_closed, dispatch_uid="notifications.employer_closed")
def on_employer_closed(sender, employer_id, **kwargs):
    """The closed flag is a risk factor: score the employer's open cases again."""
    open_cases = Case.objects.filter(employer_id=employer_id, state__in=OPEN_STATES)
    for case_id in open_cases.order_by("-received_at").values_list("pk", flat=True)[:200]:
        try:
            services.case_risk_refresh(case_id=case_id, trigger="employer_closed")
        except Exception:
            logger.exception("rescoring case %s after its employer closed failed", case_id)
