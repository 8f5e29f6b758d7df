"""Writing notices and sending them: the outbox under every notice step.

notifications/notices.py plans a case's notices and notices_subsidy.py a subsidy
applicant's; both write Notice rows here and send them through notices_send, which also
retries. Kept below both, so neither imports the other.
"""

import logging
import string

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, Claim
from core.validators import mask_phone
from notifications.models import CaseContact, Notice, NoticeTemplate, Recipient

logger = logging.getLogger("notifications.notices")

W, E = Recipient.WORKER, Recipient.EMPLOYER


def render(text: str, values: dict) -> str:
    """The template filled in; a variable it should not name (edited outside the
    admin) is left empty rather than failing the notice."""
    out = []
    for literal, name, _, _ in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            out.append(str(values.get(name, "") or ""))
    return "".join(out)


# --- recipients ---------------------------------------------------------------------


def worker_claims(case: Case) -> list[Claim]:
    """The workers a notice goes to: each claimant; in a collective case the elected
    representatives (as the filing confirmation, cases.intake.sms_recipients)."""
    from rules import parameters as rules

    claims = list(Claim.objects.filter(case=case).select_related("person"))
    if len(claims) >= rules.int_parameter("collective_min_claimants"):
        return [c for c in claims if c.is_representative] or claims[:1]
    return claims


def recipients(case: Case, kind: str) -> list[dict]:
    """[{key, name, phone, person, contact}] of one kind on the case."""
    if kind == W:
        return [
            {
                "key": f"person:{c.person_id}",
                "name": c.person.name,
                "phone": c.person.phone,
                "person": c.person,
                "contact": None,
            }
            for c in worker_claims(case)
        ]
    if kind == E:
        return [
            {
                "key": f"contact:{contact.pk}",
                "name": contact.name,
                "phone": contact.phone,
                "person": None,
                "contact": contact,
            }
            for contact in CaseContact.objects.filter(case=case)
        ]
    return []


# --- what each step says ------------------------------------------------------------


def _template(event: str, kind: str) -> NoticeTemplate | None:
    return NoticeTemplate.objects.filter(event=event, recipient=kind, active=True).first()


# --- planning -----------------------------------------------------------------------


def _notice_create(*, case, step, event, kind, recipient, template, values, record=None):
    text = render(template.text, values)
    status = Notice.Status.PENDING if recipient["phone"] else Notice.Status.NO_PHONE
    try:
        with transaction.atomic():
            return Notice.objects.create(
                case=case,
                step=step,
                event=event,
                recipient=kind,
                recipient_key=recipient["key"],
                recipient_name=recipient["name"],
                phone=recipient["phone"] or "",
                text=text,
                status=status,
                service_record=record,
            )
    except IntegrityError:
        return None  # this step reached this recipient already


def notices_send(*, notice_ids=None, limit: int = 200) -> int:
    """Send pending notices (all, or those given). Returns how many were handed over."""
    from notifications.sms import notice_status, sms_send

    pending = Notice.objects.filter(status=Notice.Status.PENDING)
    if notice_ids is not None:
        pending = pending.filter(pk__in=list(notice_ids))
    sent = 0
    for pk in list(pending.order_by("created_at").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("case", "service_record")
                .filter(pk=pk, status=Notice.Status.PENDING)
                .first()
            )
            if notice is None:
                continue
            template = _template(notice.event, notice.recipient)
            message = sms_send(
                phone=notice.phone,
                text=notice.text,
                purpose=f"notice:{notice.event}",
                case_number=notice.case.number if notice.case else notice.step,
                template_code=template.provider_template_code if template else "",
                params={"content": notice.text}
                if template and template.provider_template_code
                else None,
            )
            notice.sms = message
            notice.status = notice_status(message)
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sms", "status", "sent_at"])
            record = notice.service_record
            if (
                record is not None
                and record.sent_at is None
                and notice.status
                in (
                    Notice.Status.SENT,
                    Notice.Status.RECORDED,
                )
            ):
                record.sent_at = notice.sent_at
                record.save(update_fields=["sent_at"])
            logger.info(
                "notice %s (%s) to %s: %s",
                notice.pk,
                notice.event,
                mask_phone(notice.phone),
                notice.status,
            )
            sent += 1
    return sent
