"""A complaint from the worker portal: file it, attach its evidence, text the workers.

The filing and the evidence succeed or fail together: a photo the service refuses
(wrong type, empty) leaves no half-filed case behind, and the worker fixes it on the
same page. The confirmation SMS is sent by the notifications app after the filing
commits (cases.signals.complaint_filed; the Celery worker), for every channel alike.
"""

import logging
from dataclasses import dataclass

from django.db import transaction

from cases import errors, filing, services
from cases.models import Claim
from rules import parameters as rules

logger = logging.getLogger(__name__)


@dataclass
class PortalFiling:
    case_number: str  # "" when merged: the filer learns nothing about the open case
    query_code: str | None  # None when the complaint joined an open case
    created: bool
    sms_sent_to: int  # how many phones the confirmation goes to


def portal_complaint_file(*, data: dict, uploads: list) -> PortalFiling:
    """File a validated ComplaintInput payload with its evidence."""
    saved = []
    try:
        with transaction.atomic():
            result = filing.complaint_file_validated(data=data, channel="online")
            for upload in uploads:
                # A merged complaint's evidence waits with its submission for review.
                evidence = services.evidence_add(
                    case=result.case, upload=upload, submission=result.submission
                )
                saved.append(evidence)
    except errors.DomainError:
        for evidence in saved:  # the rows are rolled back; the files must go too
            evidence.file.storage.delete(evidence.file.name)
        raise
    sent = 0
    if result.created:
        sent = len(sms_recipients(list(result.case.claims.select_related("person"))))
    return PortalFiling(
        case_number=result.case.number if result.created else "",
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
