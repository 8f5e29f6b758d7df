"""A complaint from the worker portal: file it, attach its evidence, text the workers.

The filing and the evidence succeed or fail together: a photo the service refuses
(wrong type, empty) leaves no half-filed case behind, and the worker fixes it on the
same page. The SMS leaves only after the case is stored.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from cases import errors, rules, services
from cases.models import Claim

logger = logging.getLogger(__name__)


@dataclass
class PortalFiling:
    case_number: str
    query_code: str | None  # None when the complaint joined an open case
    created: bool
    sms_sent_to: int


def portal_complaint_file(*, data: dict, uploads: list) -> PortalFiling:
    """File a validated ComplaintInput payload with its evidence; then send the SMS."""
    employer = data["employer"]
    saved = []
    try:
        with transaction.atomic():
            result = services.complaint_file(
                kind=data["kind"],
                employer_name=employer["name"],
                employer_uscc=employer.get("uscc", ""),
                employer_address=employer.get("address", ""),
                township=employer["township"],
                claimants=[services.ClaimantInput(**c) for c in data["claimants"]],
                description=data["description"],
                sector=data.get("sector", ""),
                project_name=data.get("project_name", ""),
                channel="online",
            )
            for upload in uploads:
                saved.append(services.evidence_add(case=result.case, upload=upload))
    except errors.DomainError:
        for evidence in saved:  # the rows are rolled back; the files must go too
            evidence.file.storage.delete(evidence.file.name)
        raise
    sent = 0
    if result.created:
        sent = _confirmation_sms(result.case, result.query_code)
    return PortalFiling(
        case_number=result.case.number,
        query_code=result.query_code,
        created=result.created,
        sms_sent_to=sent,
    )


def sms_recipients(claims: list[Claim]) -> list[str]:
    """Each claimant; in a collective case only the elected representatives."""
    minimum = rules.int_parameter("collective_min_claimants")
    chosen = claims
    if len(claims) >= minimum:
        chosen = [c for c in claims if c.is_representative] or claims[:1]
    return list(dict.fromkeys(c.person.phone for c in chosen if c.person.phone))


def _confirmation_sms(case, query_code: str) -> int:
    # Imported here: the case app reaches notifications only for this one message.
    from notifications.sms import sms_send

    claims = list(case.claims.select_related("person"))
    text = _(
        "【襄汾县劳动维权】您的投诉已提交，案件编号%(number)s，查询码%(code)s。"
        "请妥善保存，凭编号和查询码可在网上查询办理进度。"
    ) % {"number": case.number, "code": query_code}
    phones = sms_recipients(claims)
    for phone in phones:
        sms_send(phone=phone, text=text, purpose="complaint_filed", case_number=case.number)
    return len(phones)
