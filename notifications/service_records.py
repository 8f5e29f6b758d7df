"""Service of documents with proof (送达, 办案规则 art.23; DOMAIN: Service).

Every document a party must receive gets a ServiceRecord: how (an SMS link, in person,
by post with a tracking number, public announcement), when it was sent and when it was
received (the date of service). The SMS link (/s/<token>/) opens the document on the
phone once the party has typed the last 4 characters of their ID number (the
employer's contact: of their ID number if given, else of the credit code); opening
and confirming are recorded with the time, and the confirmation is the receipt. A
link locks after LABORCASE_SERVICE_LINK_MAX_FAILURES wrong tries. Staff record
in-person or postal service with the scanned proof of receipt (checked like evidence).
Public announcement counts as served 30 days after it is published.

The case app asks here (through cases.service_guard) whether the hearing notice was
served before it deems an application withdrawn or makes a default award.
"""

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from cases import errors, service_guard
from cases.models import Case, CaseEvent
from notifications.models import CaseContact, Recipient, ServiceRecord

logger = logging.getLogger(__name__)

Method = ServiceRecord.Method
Document = ServiceRecord.Document
PUBLIC_NOTICE_DAYS = 30  # deemed served 30 days after the announcement

# Messages (constants the tests import).
LINK_UNKNOWN = "链接无效或已过期。"
LINK_LOCKED = "核对错误次数过多，该链接已锁定。请联系承办人员。"
LINK_WRONG_DIGITS = "身份证号后4位不正确。"
RECORD_METHOD_NOT_FOR_STAFF = "短信链接送达由系统自动记录，不能手工登记。"
RECORD_NEEDS_RECEIPT = "直接送达和邮寄送达须上传送达回证或邮件回执的扫描件。"
RECORD_NEEDS_TRACKING = "邮寄送达须填写邮件单号。"
RECORD_UNKNOWN_PARTY = "本案没有这个受送达人。"
RECORD_RECEIVED_IN_FUTURE = "签收日期不能晚于今天。"


def _token_hash(token: str) -> str:
    key = f"laborcase-service-link:{settings.LABORCASE_QUERY_CODE_KEY}".encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def link_path(token: str) -> str:
    return f"/s/{token}/"


def sms_service_open(
    *, case, event, document, party, recipient
) -> tuple[ServiceRecord | None, str]:
    """A service record for a document sent by SMS link; returns it and the link.
    Nobody to text (no phone, or no consent to electronic service): no record; staff
    serve it another way."""
    contact = recipient.get("contact")
    if not recipient.get("phone") or (contact is not None and not contact.consents_electronic):
        return None, ""
    token = secrets.token_urlsafe(18)
    record = ServiceRecord.objects.create(
        case=case,
        event=event,
        document=document,
        party=party,
        party_key=recipient["key"],
        party_name=recipient["name"],
        person=recipient.get("person"),
        contact=contact,
        method=Method.SMS_LINK,
        token_hash=_token_hash(token),
    )
    return record, f"{settings.LABORCASE_PUBLIC_URL}{link_path(token)}"


# --- the phone link -------------------------------------------------------------------


PORTAL_LINK_SALT = "notifications.service-link"
PORTAL_LINK_MAX_AGE = 2 * 3600


def portal_link(record: ServiceRecord) -> str:
    """A link to a served document for the worker's status page (opened with the
    case's number and code): signed, valid for two hours, and still asking for the
    last 4 digits of the party's ID number."""
    from django.core import signing

    return link_path(signing.dumps(record.pk, salt=PORTAL_LINK_SALT, compress=True))


def link_record(token: str) -> ServiceRecord | None:
    from django.core import signing

    if not token or len(token) > 200:
        return None
    records = ServiceRecord.objects.select_related("case", "case__employer", "person", "contact")
    record = records.filter(token_hash=_token_hash(token), method=Method.SMS_LINK).first()
    if record is None and ":" in token:
        try:
            pk = signing.loads(token, salt=PORTAL_LINK_SALT, max_age=PORTAL_LINK_MAX_AGE)
        except signing.BadSignature:
            return None
        record = records.filter(pk=pk).first()
    return record


def _failures_key(record: ServiceRecord) -> str:
    return f"service-link-failures:{record.pk}"


def link_locked(record: ServiceRecord) -> bool:
    try:
        return (
            int(cache.get(_failures_key(record)) or 0)
            >= settings.LABORCASE_SERVICE_LINK_MAX_FAILURES
        )
    except Exception:  # cache down: locked rather than unlimited guessing
        return True


def link_opened(record: ServiceRecord) -> None:
    if record.opened_at is None:
        ServiceRecord.objects.filter(pk=record.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )
        record.opened_at = timezone.now()


def expected_digits(record: ServiceRecord) -> str:
    if record.person_id:
        return record.person.id_number[-4:].upper()
    if record.contact_id and record.contact.id_number:
        return record.contact.id_number[-4:].upper()
    return (record.case.employer.uscc or "")[-4:].upper()


def link_confirm(*, token: str, digits: str) -> ServiceRecord:
    """The party proved who they are: the document counts as received now (the first
    time). Raises NotFound / Forbidden / InvalidInput with a message for the page."""
    record = link_record(token)
    if record is None:
        raise errors.NotFound(LINK_UNKNOWN)
    if link_locked(record):
        raise errors.Forbidden(LINK_LOCKED)
    expected = expected_digits(record)
    given = (digits or "").strip().upper()
    if len(expected) != 4 or not hmac.compare_digest(given.encode(), expected.encode()):
        key = _failures_key(record)
        try:
            cache.add(key, 0, 24 * 3600)
            cache.incr(key)
        except Exception:
            logger.warning("service link failure count not kept", exc_info=True)
        raise errors.InvalidInput(LINK_WRONG_DIGITS, {"digits": [LINK_WRONG_DIGITS]})
    now = timezone.now()
    with transaction.atomic():
        record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
        first = record.received_at is None
        record.opened_at = record.opened_at or now
        record.confirmed_at = record.confirmed_at or now
        record.received_at = record.received_at or now
        record.save(update_fields=["opened_at", "confirmed_at", "received_at"])
        if first:
            _served_event(record, actor=None)
    return ServiceRecord.objects.select_related("case", "case__employer", "person", "contact").get(
        pk=record.pk
    )


def _served_event(record: ServiceRecord, *, actor) -> None:
    from cases.services import event_append

    case = Case.objects.get(pk=record.case_id)
    event_append(
        case=case,
        actor=actor,
        transition="document_served",
        from_state=case.state,
        note=f"{record.get_document_display()}已送达{record.party_name}（{record.get_method_display()}）",
        data={
            "service_record": record.pk,
            "document": record.document,
            "method": record.method,
            "received_at": record.received_at.isoformat() if record.received_at else None,
        },
    )


# --- staff record service another way ---------------------------------------------------


def parties(case: Case) -> list[dict]:
    """Everyone a document may be served on: {key, name, party, person, contact}."""
    out = []
    for claim in case.claims.select_related("person"):
        out.append(
            {
                "key": f"person:{claim.person_id}",
                "name": claim.person.name,
                "party": Recipient.WORKER,
                "person": claim.person,
                "contact": None,
            }
        )
    for contact in CaseContact.objects.filter(case=case):
        out.append(
            {
                "key": f"contact:{contact.pk}",
                "name": contact.name,
                "party": Recipient.EMPLOYER,
                "person": None,
                "contact": contact,
            }
        )
    out.append(
        {
            "key": f"employer:{case.employer_id}",
            "name": case.employer.name,
            "party": Recipient.EMPLOYER,
            "person": None,
            "contact": None,
        }
    )
    return out


def service_record_add(
    *,
    case: Case,
    actor,
    document: str,
    party_key: str,
    method: str,
    received_on: dt.date | None = None,
    tracking_number: str = "",
    receipt=None,
    note: str = "",
    today: dt.date | None = None,
) -> ServiceRecord:
    """Staff record a document served in person, by post or by public announcement."""
    from cases.services import evidence_check

    today = today or timezone.localdate()
    if method not in Method.values or method == Method.SMS_LINK:
        raise errors.InvalidInput(
            RECORD_METHOD_NOT_FOR_STAFF, {"method": [RECORD_METHOD_NOT_FOR_STAFF]}
        )
    if document not in Document.values:
        raise errors.InvalidInput("没有这种文书。", {"document": ["没有这种文书。"]})
    party = next((p for p in parties(case) if p["key"] == party_key), None)
    if party is None:
        raise errors.InvalidInput(RECORD_UNKNOWN_PARTY, {"party": [RECORD_UNKNOWN_PARTY]})
    if method in (Method.IN_PERSON, Method.POST) and receipt is None:
        raise errors.InvalidInput(RECORD_NEEDS_RECEIPT, {"receipt": [RECORD_NEEDS_RECEIPT]})
    if method == Method.POST and not tracking_number.strip():
        raise errors.InvalidInput(
            RECORD_NEEDS_TRACKING, {"tracking_number": [RECORD_NEEDS_TRACKING]}
        )
    received_on = received_on or today
    if received_on > today:
        raise errors.InvalidInput(
            RECORD_RECEIVED_IN_FUTURE, {"received_on": [RECORD_RECEIVED_IN_FUTURE]}
        )
    sha = ""
    if receipt is not None:
        evidence_check(receipt)
        digest = hashlib.sha256()
        for chunk in receipt.chunks():
            digest.update(chunk)
        receipt.seek(0)
        sha = digest.hexdigest()
    now = timezone.now()
    at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(12, 0)))
    if method == Method.PUBLIC:
        sent_at, received_at = at, at + dt.timedelta(days=PUBLIC_NOTICE_DAYS)
    else:
        sent_at, received_at = at, min(at, now)
    with transaction.atomic():
        record = ServiceRecord(
            case=case,
            document=document,
            party=party["party"],
            party_key=party["key"],
            party_name=party["name"],
            person=party["person"],
            contact=party["contact"],
            method=method,
            tracking_number=tracking_number.strip()[:40],
            receipt_sha256=sha,
            note=note[:500],
            sent_at=sent_at,
            received_at=received_at,
            recorded_by=actor,
        )
        if receipt is not None:
            extension = "." + (receipt.name or "x.bin").rsplit(".", 1)[-1][:6].lower()
            record.receipt.save(f"{case.number}/{sha}{extension}", receipt, save=False)
        record.save()
        _served_event(record, actor=actor)
    return record


# --- the guard of deemed withdrawal and default awards ---------------------------------


def _current_hearing_event(case) -> CaseEvent | None:
    return (
        CaseEvent.objects.filter(
            case_id=case.pk, transition__in=("schedule_hearing", "postpone_hearing")
        )
        .order_by("-created_at", "-id")
        .first()
    )


def hearing_notice_served(case, party: str, *, now=None) -> bool:
    """Was the notice of the current hearing date served on every such party? The
    workers: each worker the notice goes to; the employer: any of its contacts or the
    employer itself."""
    from notifications.notice_outbox import recipients

    now = now or timezone.now()
    latest = _current_hearing_event(case)
    if latest is None:
        return False
    done = ServiceRecord.objects.filter(
        case_id=case.pk, document=Document.HEARING, party=party, received_at__lte=now
    ).filter(models_q_current(latest))
    keys = set(done.values_list("party_key", flat=True))
    if party == Recipient.WORKER:
        wanted = {r["key"] for r in recipients(case, Recipient.WORKER)}
        return bool(wanted) and wanted <= keys
    return bool(keys)


def models_q_current(latest: CaseEvent):
    """A record for the current hearing: made for its notice, or recorded after it."""
    from django.db.models import Q

    return Q(event_id=latest.pk) | Q(event__isnull=True, created_at__gte=latest.created_at)


def _served_check(case, party: str) -> bool:
    return hearing_notice_served(case, party)


def guard_register() -> None:
    service_guard.served_check_register(_served_check)


def case_service_records(case: Case):
    return ServiceRecord.objects.filter(case=case).order_by("created_at", "id")
