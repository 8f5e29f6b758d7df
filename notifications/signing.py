"""Signing the mediation agreement on the phone.

The agreement's service link (notifications/service_records.py) is also its signing
link: after the same ID check the party reads the exact text and signs with a finger
(static/js/signature.js). The signature is appended to the case's event chain
(cases/agreement_signatures.py) with the time and the SHA-256 of the text signed; a
text changed meanwhile (a new settlement) is refused, so nobody signs what they did
not read. When every party the agreement was served on has signed, an
`agreement_effective` event follows, once.
"""

import base64
import binascii

from django.db import transaction

from cases import agreement_signatures, errors
from cases.models import Case, CaseEvent, CaseState
from notifications.models import Recipient, ServiceRecord

SIGNATURE_MAX_BYTES = 300 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Messages (constants the tests import).
SIGN_TEXT_CHANGED = "协议内容已变更，请重新阅读后签名。"
SIGN_BAD_IMAGE = "签名无效，请在签名框内手写签名后再提交。"
SIGN_NOT_AGREEMENT = "这份文书不需要签名。"
SIGN_ALREADY = "您已签署过本协议。"


def _current_records(case):
    """The agreement's service records since its last settlement: one per party."""
    settle = agreement_signatures.last_settlement(case)
    if settle is None:
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(
        case_id=case.pk, document=ServiceRecord.Document.AGREEMENT, event_id=settle.pk
    )


def pending_settlement(case) -> CaseEvent | None:
    """The settlement whose agreement still waits for signatures, if any."""
    settle = agreement_signatures.last_settlement(case)
    if settle is None or case.state != CaseState.SETTLED:
        return None
    effective = CaseEvent.objects.filter(
        case_id=case.pk, transition=agreement_signatures.EFFECTIVE, id__gt=settle.pk
    )
    return None if effective.exists() else settle


def signing_context(record: ServiceRecord) -> dict:
    case = record.case
    text = agreement_signatures.agreement_text(case)
    signed = {s["party_key"]: s for s in agreement_signatures.signatures(case)}
    return {
        "text": text,
        "text_sha256": agreement_signatures.text_sha256(text),
        "signed": signed.get(record.party_key),
    }


def case_signing_status(case) -> dict | None:
    """Who has signed the current agreement and who has not (the staff case page).

    The parties are every worker the agreement is served on and the employer, whether
    or not a link could reach them: a worker with no phone, or an employer with no
    contact registered, shows as not reachable and keeps the agreement from taking
    effect until staff register a way to reach them. Any one of the employer's
    contacts signs for the employer."""
    from notifications.notice_outbox import worker_claims

    if agreement_signatures.last_settlement(case) is None:
        return None
    records = list(_current_records(case))
    signed = {s["party_key"]: s for s in agreement_signatures.signatures(case)}
    linked = {r.party_key for r in records}
    parties = [
        {
            "name": claim.person.name,
            "key": f"person:{claim.person_id}",
            "signed": signed.get(f"person:{claim.person_id}"),
            "reachable": f"person:{claim.person_id}" in linked,
        }
        for claim in worker_claims(case)
    ]
    employer_records = [r for r in records if r.party == Recipient.EMPLOYER]
    employer_signed = next(
        (signed[r.party_key] for r in employer_records if r.party_key in signed), None
    )
    parties.append(
        {
            "name": case.employer.name,
            "key": "employer",
            "signed": employer_signed,
            "reachable": bool(employer_records),
            "employer": True,
        }
    )
    return {
        "parties": parties,
        "effective": all(p["signed"] for p in parties),
        "text_sha256": agreement_signatures.text_sha256(agreement_signatures.agreement_text(case)),
    }


def _png(data_url: str) -> str:
    """The base64 of a PNG signature from the canvas, checked."""
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix):
        raise errors.InvalidInput(SIGN_BAD_IMAGE, {"signature": [SIGN_BAD_IMAGE]})
    encoded = data_url[len(prefix) :]
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise errors.InvalidInput(SIGN_BAD_IMAGE, {"signature": [SIGN_BAD_IMAGE]}) from error
    if not raw.startswith(PNG_MAGIC) or len(raw) > SIGNATURE_MAX_BYTES or len(raw) < 100:
        raise errors.InvalidInput(SIGN_BAD_IMAGE, {"signature": [SIGN_BAD_IMAGE]})
    return base64.b64encode(raw).decode()


def agreement_sign(*, record: ServiceRecord, signature: str, text_sha256: str) -> dict:
    """The party of this (confirmed) link signs the agreement they read."""
    from cases.services import event_append

    if record.document != ServiceRecord.Document.AGREEMENT:
        raise errors.Conflict(SIGN_NOT_AGREEMENT)
    png = _png(signature or "")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=record.case_id)
        text = agreement_signatures.agreement_text(case)
        digest = agreement_signatures.text_sha256(text)
        if text_sha256 != digest or not _current_records(case).filter(pk=record.pk).exists():
            raise errors.Conflict(SIGN_TEXT_CHANGED)
        if any(s["party_key"] == record.party_key for s in agreement_signatures.signatures(case)):
            raise errors.Conflict(SIGN_ALREADY)
        event = event_append(
            case=case,
            actor=None,
            transition=agreement_signatures.SIGNED,
            from_state=case.state,
            note=f"{record.party_name}在手机上签署调解协议",
            data={
                "party_key": record.party_key,
                "party_name": record.party_name,
                "service_record": record.pk,
                "text_sha256": digest,
                "signature_png": png,
            },
        )
        status = case_signing_status(case)
        if status and status["effective"]:
            event_append(
                case=case,
                actor=None,
                transition=agreement_signatures.EFFECTIVE,
                from_state=case.state,
                note="调解协议经全部当事人签署，已生效",
                data={"text_sha256": digest},
            )
    return {"event_id": event.pk, "text_sha256": digest, "effective": status["effective"]}
