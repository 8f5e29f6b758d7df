"""Demo data of the notices (seed_demo calls demo_notices_prepare once, before it files
the demo cases): a demo hearing's notice is served in person on every party the day it
is scheduled, so the demo's deemed withdrawals and default awards pass the service
guard as real ones would. Demo cases get no SMS (notifications/notices.py skips them)."""

from django.db.models.signals import post_save

from cases.models import CaseEvent
from notifications.models import Recipient, ServiceRecord

HEARING_STEPS = ("schedule_hearing", "postpone_hearing")


def _on_event(sender, instance, created, **kwargs):
    if not created or instance.transition not in HEARING_STEPS:
        return
    case = instance.case
    if not case.is_demo:
        return
    from notifications.notices import recipients

    parties = [(Recipient.WORKER, r) for r in recipients(case, Recipient.WORKER)]
    parties.append(
        (
            Recipient.EMPLOYER,
            {"key": f"employer:{case.employer_id}", "name": case.employer.name, "person": None},
        )
    )
    ServiceRecord.objects.bulk_create(
        ServiceRecord(
            case=case,
            event=instance,
            document=ServiceRecord.Document.HEARING,
            party=party,
            party_key=recipient["key"],
            party_name=recipient["name"],
            person=recipient.get("person"),
            method=ServiceRecord.Method.IN_PERSON,
            note="演示数据：当面送达",
            sent_at=instance.created_at,
            received_at=instance.created_at,
        )
        for party, recipient in parties
    )


def demo_notices_prepare() -> None:
    post_save.connect(_on_event, sender=CaseEvent, dispatch_uid="notifications.demo.hearing")
