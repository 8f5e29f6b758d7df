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
import logging
import string

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, Claim
from core.validators import mask_phone
from notifications.models import CaseContact, Notice, NoticePlanned, NoticeTemplate, Recipient

logger = logging.getLogger(__name__)

W, E, A = Recipient.WORKER, Recipient.EMPLOYER, Recipient.APPLICANT

# The notice steps: the case transition that triggers each (None: sent by a job).
EVENT_LABELS = {
    "accepted": "受理",
    "rejected": "不予受理",
    "documents_requested": "通知补正材料",
    "order_to_pay": "责令限期支付",
    "hearing_notice": "开庭通知",
    "hearing_postponed": "延期开庭通知",
    "hearing_reminder": "开庭前一日提醒",
    "mediation_session": "调解",
    "mediation_agreement": "调解协议（签署）",
    "award": "裁决",
    "payment_recorded": "登记支付",
    "case_closed": "结案",
    "subsidy_returned": "补贴申请退回补正",
    "subsidy_approved": "补贴申请审批通过",
    "subsidy_in_notice": "补贴申请公示",
    "subsidy_paid": "补贴已拨付",
}

TRANSITION_EVENTS = {
    "accept": "accepted",
    "reject": "rejected",
    "request_supplement": "documents_requested",
    "order_payment": "order_to_pay",
    "schedule_hearing": "hearing_notice",
    "postpone_hearing": "hearing_postponed",
    "start_mediation": "mediation_session",
    "settle": "mediation_agreement",
    "award": "award",
    "record_payment": "payment_recorded",
    "close": "case_closed",
}

# Who each step goes to.
RECIPIENTS = {
    "accepted": (W,),
    "rejected": (W,),
    "documents_requested": (W,),
    "order_to_pay": (W, E),
    "hearing_notice": (W, E),
    "hearing_postponed": (W, E),
    "hearing_reminder": (W, E),
    "mediation_session": (W,),
    "mediation_agreement": (W, E),
    "award": (W, E),
    "payment_recorded": (W,),
    "case_closed": (W,),
    "subsidy_returned": (A,),
    "subsidy_approved": (A,),
    "subsidy_in_notice": (A,),
    "subsidy_paid": (A,),
}

# The document a step serves on each recipient kind (ServiceRecord.Document values).
SERVES = {
    ("accepted", W): "acceptance_notice",
    ("rejected", W): "rejection_notice",
    ("documents_requested", W): "supplement_request",
    ("order_to_pay", E): "order_to_correct",
    ("hearing_notice", W): "hearing_notice",
    ("hearing_notice", E): "hearing_notice",
    ("hearing_postponed", W): "hearing_notice",
    ("hearing_postponed", E): "hearing_notice",
    ("mediation_agreement", W): "mediation_agreement",
    ("mediation_agreement", E): "mediation_agreement",
    ("award", W): "award",
    ("award", E): "award",
}

_COMMON = {
    "case_number": "案件编号",
    "name": "接收人姓名或单位名称",
    "employer_name": "用人单位名称",
}
_HEARING = {
    "hearing_date": "开庭日期",
    "hearing_time": "开庭时间",
    "hearing_venue": "开庭地点",
    "hearing_link": "“网上开庭：链接。”（没有网上开庭则为空）",
}
_LINK = {"link": "查看文书的链接（需核对身份证号后4位）"}

VARIABLES: dict[str, dict[str, str]] = {
    "accepted": {**_COMMON, **_LINK, "accepted_on": "受理日期"},
    "rejected": {**_COMMON, **_LINK, "reason": "不予受理理由"},
    "documents_requested": {**_COMMON, **_LINK, "note": "需补正的材料"},
    "order_to_pay": {**_COMMON, **_LINK, "pay_by": "限期支付日", "amount": "责令支付金额"},
    "hearing_notice": {**_COMMON, **_LINK, **_HEARING},
    "hearing_postponed": {**_COMMON, **_LINK, **_HEARING, "postponed_from": "原开庭日期"},
    "hearing_reminder": {**_COMMON, **_HEARING},
    "mediation_session": {**_COMMON, "mediator": "调解员"},
    "mediation_agreement": {**_COMMON, **_LINK, "agreed_amount": "协议金额"},
    "award": {**_COMMON, **_LINK, "awarded_on": "裁决日期"},
    "payment_recorded": {**_COMMON, "amount": "本次登记金额", "outstanding": "尚欠金额"},
    "case_closed": {**_COMMON},
    "subsidy_returned": {"application": "申请编号", "name": "申请人", "note": "退回理由"},
    "subsidy_approved": {"application": "申请编号", "name": "申请人", "amount": "核定金额"},
    "subsidy_in_notice": {
        "application": "申请编号",
        "name": "申请人",
        "notice_ends_on": "公示截止日",
    },
    "subsidy_paid": {"application": "申请编号", "name": "申请人", "amount": "拨付金额"},
}

# Errors shown in the admin (constants the tests import).
TEMPLATE_UNKNOWN_EVENT = "没有这个环节。"
TEMPLATE_WRONG_RECIPIENT = "该环节不向“{recipient}”发送通知。"
TEMPLATE_UNKNOWN_VARIABLE = "变量{{{name}}}不能用于“{event}”，可用的变量：{allowed}。"
TEMPLATE_BAD_SYNTAX = "模板格式有误（花括号不成对）：{error}"
TEMPLATE_COMPLEX_FIELD = "变量只能写成{{变量名}}，不能带格式或下标：{field}"


def template_problems(event: str, recipient: str, text: str) -> list[str]:
    """Why a template may not be saved (empty when it may)."""
    if event not in VARIABLES:
        return [TEMPLATE_UNKNOWN_EVENT]
    problems = []
    if recipient not in RECIPIENTS[event]:
        label = Recipient(recipient).label if recipient in Recipient.values else recipient
        problems.append(TEMPLATE_WRONG_RECIPIENT.format(recipient=label))
    allowed = VARIABLES[event]
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(text or "")
            if name is not None
        ]
    except ValueError as error:
        return [*problems, TEMPLATE_BAD_SYNTAX.format(error=error)]
    for name, spec, conversion in fields:
        if spec or conversion or not name.isidentifier():
            problems.append(TEMPLATE_COMPLEX_FIELD.format(field=name or "{}"))
        elif name not in allowed:
            problems.append(
                TEMPLATE_UNKNOWN_VARIABLE.format(
                    name=name, event=EVENT_LABELS[event], allowed="、".join(sorted(allowed))
                )
            )
    return problems


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


def _template(event: str, kind: str) -> NoticeTemplate | None:
    return NoticeTemplate.objects.filter(event=event, recipient=kind, active=True).first()


# --- planning -----------------------------------------------------------------------


def event_notices_plan(*, event_id: int) -> list[Notice]:
    """The notices of one committed case event (once: NoticePlanned marks it)."""
    from notifications import service_records

    event = CaseEvent.objects.select_related("case", "case__employer").filter(pk=event_id).first()
    notice_event = TRANSITION_EVENTS.get(event.transition) if event else None
    if notice_event is None or event.case.is_demo:
        return []  # demo cases text nobody
    with transaction.atomic():
        try:
            with transaction.atomic():
                NoticePlanned.objects.create(event=event)
        except IntegrityError:
            return []  # planned already (the request and the sweep both tried)
        case = event.case
        values = _event_values(case, notice_event, event.data or {}, event.note)
        planned = []
        for kind in RECIPIENTS[notice_event]:
            template = _template(notice_event, kind)
            document = SERVES.get((notice_event, kind))
            for recipient in recipients(case, kind):
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
    recent = (
        CaseEvent.objects.filter(
            transition__in=list(TRANSITION_EVENTS),
            created_at__gte=now - dt.timedelta(days=3),
            created_at__lte=now - dt.timedelta(seconds=30),
        )
        .exclude(pk__in=NoticePlanned.objects.values("event_id"))
        .exclude(case__is_demo=True)
    )
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

    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    planned = []
    cases = Case.objects.filter(
        state=CaseState.HEARING, hearing_date=tomorrow, is_demo=False
    ).select_related("employer")
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
    return CaseContact.objects.create(
        case=case,
        name=name,
        phone=digits,
        id_number=(id_number or "").strip().upper()[:18],
        consents_electronic=consents_electronic,
    )
