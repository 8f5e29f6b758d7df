"""Notices to the parties at every step of a case, from templates kept as data.

A committed case event (cases.signals.case_changed) is planned here: for each template
of its step and each recipient (the workers, or in a collective case their
representatives; the employer's contacts) one Notice row, unique per step and
recipient, so a step sends once however often it is planned. A step that serves a
document also opens its service record (notifications/service_records.py) and puts its
phone link in the text. The rows are then sent (notifications/sms.py; a failed SMS is
retried with back-off there). Planning happens after commit in the request (or the
worker); notices_sweep, every minute, plans any recent event that was missed (a process
killed between the commit and the planning) and sends what is still pending.

Templates (NoticeTemplate, editable in the admin) name their variables as {name}; each
step offers the variables in VARIABLES, and a template naming any other is refused when
saved (template_problems).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent
from notifications.models import CaseContact, Notice, NoticePlanned, Recipient
from notifications.notice_models import (  # noqa: E402, F401  (the steps, read here too)
    EVENT_LABELS,
    RECIPIENTS,
    SERVES,
    TEMPLATE_BAD_SYNTAX,
    TEMPLATE_COMPLEX_FIELD,
    TEMPLATE_UNKNOWN_EVENT,
    TEMPLATE_UNKNOWN_VARIABLE,
    TEMPLATE_WRONG_RECIPIENT,
    TRANSITION_EVENTS,
    VARIABLES,
    template_problems,
)
from notifications.notice_outbox import (  # noqa: E402, F401  (read here too)
    _notice_create,
    _template,
    logger,
    notices_send,
    recipients,
    render,
    worker_claims,
)

W, E, A = Recipient.WORKER, Recipient.EMPLOYER, Recipient.APPLICANT


def _cn_date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


def _online(url: str) -> str:
    return f"网上开庭：{url} 。" if url else ""


def _event_values(case: Case, event: str, data: dict, note: str) -> dict:
    from cases.lifecycle.inputs import RejectionReason

    values = {
        "case_number": case.number,
        "employer_name": case.employer.name,
        "note": note,
    }
    if event == "accepted":
        values["accepted_on"] = _cn_date(case.accepted_on)
    elif event == "rejected":
        values["reason"] = dict(RejectionReason.CHOICES).get(data.get("reason_code"), "") or note
    elif event == "order_to_pay":
        values["pay_by"] = _cn_date(data.get("pay_by") or case.pay_by)
        values["amount"] = case.outcome.get("ordered_amount", "")
    elif event in ("hearing_notice", "hearing_postponed", "hearing_reminder"):
        values.update(
            hearing_date=_cn_date(data.get("hearing_date") or case.hearing_date),
            hearing_time=data.get("hearing_time")
            or (case.hearing_time.strftime("%H:%M") if case.hearing_time else ""),
            hearing_venue=data.get("hearing_venue") or case.hearing_venue,
            hearing_link=_online(data.get("hearing_link") or case.hearing_link),
            postponed_from=_cn_date(case.outcome.get("postponed_from")),
        )
    elif event == "mediation_session":
        values["mediator"] = (
            case.mediator.get_full_name() or case.mediator.username if case.mediator else ""
        )
    elif event == "mediation_agreement":
        values["agreed_amount"] = case.outcome.get("agreed_amount", "")
    elif event == "award":
        values["awarded_on"] = _cn_date(case.outcome.get("awarded_on"))
    elif event == "payment_recorded":
        paid = sum(float(line.get("amount", 0)) for line in data.get("payments", []))
        values["amount"] = f"{paid:.2f}"
        values["outstanding"] = str(sum((c.outstanding for c in case.claims.all()), 0))
    return values


def texts_nobody(case: Case) -> bool:
    """Demo cases carry invented phone numbers, which a real gateway must never text.
    With the recording backend nothing reaches a phone, so a newcomer trying the demo
    sees each step's notices, service records and signing links on demo cases too."""
    from notifications import sms

    return case.is_demo and sms.texts_reach_phones()


def event_notices_plan(*, event_id: int) -> list[Notice]:
    """The notices of one committed case event (once: NoticePlanned marks it)."""
    event = CaseEvent.objects.select_related("case", "case__employer").filter(pk=event_id).first()
    notice_event = TRANSITION_EVENTS.get(event.transition) if event else None
    if notice_event is None or texts_nobody(event.case):
        return []
    with transaction.atomic():
        try:
            with transaction.atomic():
                NoticePlanned.objects.create(event=event)
        except IntegrityError:
            return []  # planned already (the request and the sweep both tried)
        planned = []
        for kind in RECIPIENTS[notice_event]:
            planned += _notices_to(event, notice_event, kind, recipients(event.case, kind))
    return planned


def _notices_to(event: CaseEvent, notice_event: str, kind: str, people: list[dict]) -> list:
    """One event's notice (and the service of its document) to these recipients."""
    from notifications import service_records

    case = event.case
    values = _event_values(case, notice_event, event.data or {}, event.note)
    template = _template(notice_event, kind)
    document = SERVES.get((notice_event, kind))
    planned = []
    for recipient in people:
        record, link = None, ""
        if document:
            record, link = service_records.sms_service_open(
                case=case, event=event, document=document, party=kind, recipient=recipient
            )
        if template is None:
            continue  # no text for this step: the document is served all the same
        planned.append(
            _notice_create(
                case=case,
                step=f"event:{event.pk}",
                event=notice_event,
                kind=kind,
                recipient=recipient,
                template=template,
                values={**values, "name": recipient["name"], "link": link},
                record=record,
            )
        )
    return [n for n in planned if n is not None]


def agreement_link_send(*, case: Case, contact: CaseContact) -> int:
    """An employer's contact registered after the settlement still gets the agreement's
    signing link, while it waits for signatures."""
    from notifications import signing

    settle = signing.pending_settlement(case)
    if settle is None or texts_nobody(case):
        return 0
    people = [r for r in recipients(case, Recipient.EMPLOYER) if r["contact"] == contact]
    planned = _notices_to(settle, TRANSITION_EVENTS["settle"], Recipient.EMPLOYER, people)
    transaction.on_commit(lambda: notices_send(notice_ids=[n.pk for n in planned]))
    return len(planned)


def event_notices_run(*, event_id: int) -> int:
    """Plan and send one event's notices (after its commit). Never raises: the sweep
    redoes what failed here."""
    try:
        planned = event_notices_plan(event_id=event_id)
        return notices_send(notice_ids=[n.pk for n in planned]) if planned else 0
    except Exception:
        logger.exception("notices of event %s not sent; the sweep will", event_id)
        return 0


def notices_sweep(*, now: dt.datetime | None = None) -> dict:
    """Plan the recent events that were missed, send what is pending, retry failed
    SMS, ask for missing receipts. Run by the beat every minute and `notices_run`."""
    from notifications import notices_subsidy, sms

    now = now or timezone.now()
    recent = CaseEvent.objects.filter(
        transition__in=list(TRANSITION_EVENTS),
        created_at__gte=now - dt.timedelta(days=3),
        created_at__lte=now - dt.timedelta(seconds=30),
    ).exclude(pk__in=NoticePlanned.objects.values("event_id"))
    if sms.texts_reach_phones():
        recent = recent.exclude(case__is_demo=True)
    planned = 0
    for event_id in list(recent.order_by("id").values_list("pk", flat=True)[:500]):
        planned += len(event_notices_plan(event_id=event_id))
    planned += notices_subsidy.applications_sweep(now=now)
    return {
        "planned": planned,
        "sent": notices_send(),
        "retried": sms.sms_retry_due(now=now),
        "receipts": sms.receipts_poll(now=now),
    }


# --- hearing reminders --------------------------------------------------------------


def hearing_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind every party of tomorrow's hearings (once per hearing date and party: a
    postponed hearing is reminded again before its new date)."""
    from cases.models import CaseState
    from notifications import sms

    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    planned = []
    cases = Case.objects.filter(state=CaseState.HEARING, hearing_date=tomorrow)
    if sms.texts_reach_phones():
        cases = cases.exclude(is_demo=True)
    cases = cases.select_related("employer")
    for case in cases:
        values = _event_values(case, "hearing_reminder", {}, "")
        for kind in RECIPIENTS["hearing_reminder"]:
            template = _template("hearing_reminder", kind)
            if template is None:
                continue
            for recipient in recipients(case, kind):
                notice = _notice_create(
                    case=case,
                    step=f"reminder:{case.pk}:{tomorrow.isoformat()}",
                    event="hearing_reminder",
                    kind=kind,
                    recipient=recipient,
                    template=template,
                    values={**values, "name": recipient["name"]},
                )
                if notice is not None:
                    planned.append(notice.pk)
    return notices_send(notice_ids=planned) if planned else 0


# --- reading -------------------------------------------------------------------------


def case_notices(case: Case):
    return Notice.objects.filter(case=case).select_related("sms").order_by("created_at", "id")


def public_link(path: str) -> str:
    return f"{settings.LABORCASE_PUBLIC_URL}{path}"


# --- the employer's contact -------------------------------------------------------------

CONTACT_PHONE_INVALID = "请填写11位手机号。"


def case_contact_add(
    *, case: Case, name: str, phone: str, id_number: str = "", consents_electronic: bool = True
) -> CaseContact:
    """Whom the employer's notices and documents go to on this case."""
    from cases import errors

    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if len(digits) != 11 or not digits.startswith("1"):
        raise errors.InvalidInput(CONTACT_PHONE_INVALID, {"phone": [CONTACT_PHONE_INVALID]})
    name = (name or "").strip()[:50]
    if not name:
        raise errors.InvalidInput("请填写联系人姓名。", {"name": ["请填写联系人姓名。"]})
    with transaction.atomic():
        contact = CaseContact.objects.create(
            case=case,
            name=name,
            phone=digits,
            id_number=(id_number or "").strip().upper()[:18],
            consents_electronic=consents_electronic,
        )
        agreement_link_send(case=case, contact=contact)
    return contact
