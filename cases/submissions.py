"""Staff review of what anonymous filers asked to add to an existing case.

An anonymous duplicate complaint (cases.duplicates.submission_hold) and a phone an
anonymous filing gave for a worker already on record (Claim.pending_phone) change
nothing on their own: the inspector, mediator or arbitrator of the case's township
checks them (usually by calling the workers at the phone on record) and accepts or
declines each here. Every decision appends a case event.
"""

import logging

from django.db import transaction
from django.utils import timezone

from cases import duplicates, errors, selectors, services
from cases.models import Case, Claim, PendingSubmission
from core import pii, roles, validators

logger = logging.getLogger(__name__)

# Who decides: the staff who handle the workers' claims on the case.
REVIEW_ROLES = frozenset({roles.INSPECTOR, roles.MEDIATOR, roles.ARBITRATOR})

REVIEW_FORBIDDEN = "只有本乡镇的劳动监察员、调解员和仲裁员可以审核并案投诉和手机号变更。"
SUBMISSION_NOT_FOUND = "本案没有这份待审核的并案投诉。"
SUBMISSION_DECIDED = "这份并案投诉已经审核过（{state}）。"
SUBMISSION_CASE_CLOSED = "案件已办结或撤回，不能再并入请求人；请说明理由后不予采纳。"
DECLINE_REASON_REQUIRED = "不予采纳须填写理由。"
PHONE_CHANGE_NOT_FOUND = "这位劳动者没有待核实的手机号变更。"


def _reviewable_case(*, user, case_number: str) -> Case:
    case = selectors.visible_case(user=user, case_number=case_number, for_update=True)
    if not roles.has_any_role(user, REVIEW_ROLES):
        raise errors.Forbidden(REVIEW_FORBIDDEN)
    return case


def _pending_submission(case: Case, submission_id: int) -> PendingSubmission:
    submission = (
        PendingSubmission.objects.select_for_update().filter(pk=submission_id, case=case).first()
    )
    if submission is None:
        raise errors.NotFound(SUBMISSION_NOT_FOUND)
    if submission.state != PendingSubmission.State.PENDING:
        raise errors.Conflict(SUBMISSION_DECIDED.format(state=submission.get_state_display()))
    return submission


def submission_accept(*, user, case_number: str, submission_id: int) -> PendingSubmission:
    """Add the submission's new claimants to the case and make its evidence the case's.

    Its claimants' phones change no stored phone: a different one waits on the claim.
    """
    with transaction.atomic():
        case = _reviewable_case(user=user, case_number=case_number)
        submission = _pending_submission(case, submission_id)
        if not case.is_open:
            raise errors.Conflict(SUBMISSION_CASE_CLOSED)
        added, phones = duplicates.claimants_join(
            case=case, claimants=duplicates.submission_claimants(submission), trusted=False
        )
        submission.state = PendingSubmission.State.ACCEPTED
        submission.decided_by, submission.decided_at = user, timezone.now()
        submission.save(update_fields=["state", "decided_by", "decided_at"])
        services.event_append(
            case=case,
            actor=user,
            transition="submission_accepted",
            from_state=case.state,
            note="",
            data={
                "submission_id": submission.pk,
                "claimants_added": added,
                "evidence_added": submission.evidence.count(),
                "phone_changes_pending": phones,
            },
        )
    logger.info("submission %s accepted on case %s", submission.pk, case.number)
    return submission


def submission_decline(
    *, user, case_number: str, submission_id: int, reason: str
) -> PendingSubmission:
    """Leave the case as it is; the submission and its evidence stay on record."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.InvalidInput(DECLINE_REASON_REQUIRED, {"reason": [DECLINE_REASON_REQUIRED]})
    with transaction.atomic():
        case = _reviewable_case(user=user, case_number=case_number)
        submission = _pending_submission(case, submission_id)
        submission.state = PendingSubmission.State.DECLINED
        submission.decided_by, submission.decided_at = user, timezone.now()
        submission.decline_reason = reason[:2000]
        submission.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
        services.event_append(
            case=case,
            actor=user,
            transition="submission_declined",
            from_state=case.state,
            note=submission.decline_reason,
            data={"submission_id": submission.pk},
        )
    return submission


def phone_change_decide(*, user, case_number: str, claim_id: int, accept: bool) -> Claim:
    """Apply a claim's pending phone to the worker (every case of theirs), or drop it."""
    with transaction.atomic():
        case = _reviewable_case(user=user, case_number=case_number)
        claim = (
            Claim.objects.select_for_update()
            .select_related("person")
            .filter(pk=claim_id, case=case)
            .first()
        )
        if claim is None or not claim.pending_phone:
            raise errors.NotFound(PHONE_CHANGE_NOT_FOUND)
        if accept:
            claim.person.phone = claim.pending_phone
            claim.person.save(update_fields=["phone", "phone_index"])
        claim.pending_phone = ""
        claim.save(update_fields=["pending_phone"])
        services.event_append(
            case=case,
            actor=user,
            transition="phone_change_applied" if accept else "phone_change_declined",
            from_state=case.state,
            note="",
            # Which claimant, never the number itself: events are read widely.
            data={"claim_id": claim.pk},
        )
    return claim


def pending_review(case: Case, claims: list[Claim]) -> list[dict]:
    """The case's pending submissions as the case page shows them: masked values, and
    which claimants the case already has (accepting adds only the others)."""
    on_case = {pii.blind_index(c.person.id_number) for c in claims}
    rows = []
    pending = case.submissions.filter(state=PendingSubmission.State.PENDING)
    for submission in pending.prefetch_related("evidence").order_by("created_at", "id"):
        claimants = [
            {
                "name": c.name,
                "id_number": validators.mask_id_number(c.id_number),
                "phone": validators.mask_phone(c.phone),
                "amount_claimed": c.amount_claimed,
                "months_owed": c.months_owed,
                "on_case": pii.blind_index(c.id_number) in on_case,
            }
            for c in duplicates.submission_claimants(submission)
        ]
        rows.append(
            {
                "submission": submission,
                "claimants": claimants,
                "evidence": list(submission.evidence.all()),
            }
        )
    return rows
