"""Subsidy applicants are told of their application's steps (returned for correction,
in public notice, approved, paid) at the phone they gave, once per step. Planned after
the step's commit (a workflows.ApplicationEvent saved), and by notices_sweep for any
step a crash left untold."""

import datetime as dt

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from notifications.models import Notice, Recipient

# (step, action) of an ApplicationEvent -> the notice's event; None: any step.
SUBSIDY_EVENTS = {
    (None, "return"): "subsidy_returned",
    ("public_notice", "notice_start"): "subsidy_in_notice",
    ("supervisor_approval", "approve"): "subsidy_approved",
    (None, "pay"): "subsidy_paid",
}


def notice_event_of(step: str, action: str) -> str | None:
    return SUBSIDY_EVENTS.get((step, action)) or SUBSIDY_EVENTS.get((None, action))


def application_notice_plan(*, event_id: int) -> Notice | None:
    from notifications.notice_outbox import _notice_create, _template
    from workflows.models import ApplicationEvent

    event = ApplicationEvent.objects.select_related("application").filter(pk=event_id).first()
    if event is None or event.application.is_demo:
        return None  # demo applications text nobody
    notice_event = notice_event_of(event.step, event.action)
    application = event.application
    template = _template(notice_event, Recipient.APPLICANT) if notice_event else None
    if template is None or not application.applicant_phone:
        return None
    values = {
        "application": application.number,
        "name": application.applicant_name,
        "note": event.note,
        "amount": str(application.paid_amount or application.computed_amount),
        "notice_ends_on": application.notice_ends_on.isoformat()
        if application.notice_ends_on
        else "",
    }
    notice = _notice_create(
        case=None,
        step=f"subsidy:{event.pk}",
        event=notice_event,
        kind=Recipient.APPLICANT,
        recipient={
            "key": f"applicant:{application.pk}",
            "name": application.applicant_name,
            "phone": application.applicant_phone,
        },
        template=template,
        values=values,
    )
    if notice is not None:
        Notice.objects.filter(pk=notice.pk).update(application_id=application.pk)
    return notice


def application_notice_run(event_id: int) -> None:
    from notifications.notice_outbox import logger, notices_send

    try:
        notice = application_notice_plan(event_id=event_id)
        if notice is not None:
            notices_send(notice_ids=[notice.pk])
    except Exception:
        logger.exception("subsidy notice of event %s not sent; the sweep will", event_id)


def applications_sweep(*, now: dt.datetime | None = None) -> int:
    from workflows.models import ApplicationEvent

    now = now or timezone.now()
    recent = ApplicationEvent.objects.filter(
        action__in={action for _, action in SUBSIDY_EVENTS},
        created_at__gte=now - dt.timedelta(days=3),
        created_at__lte=now - dt.timedelta(seconds=30),
    )
    done = set(
        Notice.objects.filter(
            step__startswith="subsidy:", created_at__gte=now - dt.timedelta(days=4)
        ).values_list("step", flat=True)
    )
    planned = 0
    for event_id in recent.values_list("pk", flat=True)[:500]:
        if f"subsidy:{event_id}" not in done and application_notice_plan(event_id=event_id):
            planned += 1
    return planned


@receiver(post_save, sender="workflows.ApplicationEvent", dispatch_uid="notifications.subsidy_step")
def on_application_event(sender, instance, created, **kwargs):
    if created and notice_event_of(instance.step, instance.action):
        transaction.on_commit(lambda: application_notice_run(instance.pk))
