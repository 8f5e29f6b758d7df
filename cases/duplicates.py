"""Duplicate complaints: finding the open case a new complaint duplicates, and joining
its claimants to that case (at once for a trusted filer, after staff review of a held
PendingSubmission for anyone else; see cases.submissions).

Split out of cases.filing, which calls find_duplicate, _link_duplicate and
submission_hold while filing; cases.submissions calls claimants_join and
submission_claimants when staff accept a held submission.
"""

import datetime as dt
import json
import logging
from decimal import Decimal

from django.db import connection, transaction

from cases.claimants import ClaimantInput, _claims_add, _people_for
from cases.models import OPEN_STATES, Case, Claim, PendingSubmission
from cases.services import case_lock, event_append
from cases.signals import complaint_merged
from core import pii
from core.dates import day_start
from core.models import Employer, Person
from rules import parameters as rules

logger = logging.getLogger(__name__)


def find_duplicate(*, employer: Employer, id_numbers: list[str], received_on: dt.date):
    """An open case of one of these workers against the same employer (same USCC or
    same normalised name) received within the window before or after this one."""
    window = dt.timedelta(days=rules.int_parameter("duplicate_window_days", received_on))
    # Two different USCCs are two legal entities, even under one name.
    if employer.uscc:
        same_employer = "(e.uscc = %s OR (e.normalized_name = %s AND e.uscc = ''))"
        params: list = [employer.uscc, employer.normalized_name]
    else:
        same_employer = "e.normalized_name = %s"
        params = [employer.normalized_name]
    adapt = connection.ops.adapt_datetimefield_value
    indexes = [pii.blind_index(n) for n in id_numbers]
    params += [
        *OPEN_STATES,
        adapt(day_start(received_on - window)),
        adapt(day_start(received_on + window + dt.timedelta(days=1))),
        *indexes,
    ]
    # Written out, not built by the ORM: every filing runs it, and building the
    # four-table join took the ORM 2-3 ms of CPU, against a few hundred microseconds
    # for the database (docs/performance.md).
    sql = (
        f"SELECT c.id FROM {Case._meta.db_table} c"
        f" JOIN {Employer._meta.db_table} e ON e.id = c.employer_id"
        f" JOIN {Claim._meta.db_table} cl ON cl.case_id = c.id"
        f" JOIN {Person._meta.db_table} p ON p.id = cl.person_id"
        f" WHERE {same_employer}"
        f" AND c.state IN ({', '.join(['%s'] * len(OPEN_STATES))})"
        " AND c.received_at >= %s AND c.received_at < %s"
        f" AND p.id_number_index IN ({', '.join(['%s'] * len(indexes))})"
        " ORDER BY c.received_at, c.id LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return Case.objects.get(pk=row[0]) if row else None


def _link_duplicate(case: Case, claimants: list[ClaimantInput], *, actor) -> None:
    """Add the workers the open case does not have yet, so that no one is lost."""
    added, _ = claimants_join(case=case, claimants=claimants, trusted=True)
    event_append(
        case=case,
        actor=actor,
        transition="duplicate_linked",
        from_state=case.state,
        note="",
        data={"claimants_added": added},
    )


def claimants_join(*, case: Case, claimants: list[ClaimantInput], trusted: bool) -> tuple[int, int]:
    """Add the claimants the open case does not have yet; returns (claims added, phone
    changes left pending). Untrusted claimants (an accepted anonymous submission) change
    no stored phone: a different one waits on the claim, a new or an existing one."""
    case_lock(case)
    claims = {c.person.id_number_index: c for c in case.claims.select_related("person")}
    new = [c for c in claimants if pii.blind_index(c.id_number) not in claims]
    people, pending = _people_for(new, trusted=trusted)
    _claims_add(case, new, people, pending)
    pending_count = len(pending)
    if not trusted:
        for claimant in claimants:
            claim = claims.get(pii.blind_index(claimant.id_number))
            if claim is None or not claimant.phone:
                continue
            if claimant.phone not in (claim.person.phone, claim.pending_phone):
                claim.pending_phone = claimant.phone
                claim.save(update_fields=["pending_phone"])
                pending_count += 1
    minimum = rules.int_parameter("collective_min_claimants")
    if new and not case.is_collective and len(claims) + len(new) >= minimum:
        case.is_collective = True
        Case.objects.filter(pk=case.pk).update(is_collective=True)
    return len(new), pending_count


def submission_hold(
    *, case: Case, claimants: list[ClaimantInput], description: str, actor=None
) -> PendingSubmission:
    """Keep what an untrusted duplicate would add to the open case for staff review; the
    workers on the case are texted after commit (cases.signals.complaint_merged)."""
    case_lock(case)
    submission = PendingSubmission.objects.create(
        case=case,
        claimants=json.dumps([_claimant_json(c) for c in claimants], ensure_ascii=False),
        description=description,
    )
    event_append(
        case=case,
        actor=actor,
        transition="duplicate_submitted",
        from_state=case.state,
        note="",
        data={"submission_id": submission.pk, "claimants": len(claimants)},
    )
    merged = {"case_id": case.pk, "submission_id": submission.pk}
    transaction.on_commit(lambda: complaint_merged.send(sender=Case, **merged))
    logger.info("duplicate held for review case=%s submission=%s", case.number, submission.pk)
    return submission


def _claimant_json(claimant: ClaimantInput) -> dict:
    return {
        "name": claimant.name,
        "id_number": claimant.id_number,
        "phone": claimant.phone,
        "amount_claimed": str(claimant.amount_claimed),
        "months_owed": claimant.months_owed,
        "is_representative": claimant.is_representative,
    }


def submission_claimants(submission: PendingSubmission) -> list[ClaimantInput]:
    return [
        ClaimantInput(**{**item, "amount_claimed": Decimal(item["amount_claimed"])})
        for item in json.loads(submission.claimants)
    ]
