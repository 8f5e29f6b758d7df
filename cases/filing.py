"""Filing a complaint: a new case with its claimants, or a link to the open case it
duplicates (docs/domain.md). Every channel files through here: the API, the worker portal,
staff entry, imports, the demo data.

The filing runs in one transaction and tells the other apps after commit
(cases.signals.complaint_filed, complaint_merged and case_changed).

Who files matters. Staff with a case role are trusted: their filing may update a
worker's stored phone, and a duplicate they enter in a case they can see joins it at
once. Anyone else (the portal, the API without an account) proves nothing: a duplicate
becomes a PendingSubmission that staff review (cases.submissions), and a phone that
differs from a known worker's waits on the claim as pending_phone.

The claimants' people and claims are made in cases.claimants, duplicate detection and
joining live in cases.duplicates; this module keeps the filing itself, case numbering
and the own-initiative inspection.
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cases import errors, lifecycle, services, staff_entry
from cases.claimants import ClaimantInput, _claims_add, _people_for
from cases.duplicates import _link_duplicate, find_duplicate, submission_hold
from cases.models import (
    OWN_INITIATIVE_CHANNELS,
    Case,
    CaseKind,
    CaseNumberSequence,
    Origin,
    PendingFollowup,
    PendingSubmission,
)
from cases.services import (
    case_deadline_refresh,
    event_append,
)
from cases.signals import complaint_filed
from core import query_codes, roles
from core.models import Employer, Township, normalize_name
from rules import parameters as rules

logger = logging.getLogger(__name__)

INSPECTION_FORBIDDEN = "只有劳动保障监察员和主管领导可以主动立案检查。"
NOT_AN_OWN_INITIATIVE_CHANNEL = "主动立案的来源应为：巡查发现、书面审查或专项检查。"


@dataclass
class FilingResult:
    case: Case
    created: bool
    query_code: str | None  # only for a new case: never hand out another filer's code
    # Set when an untrusted filer's duplicate was held for review: the caller must then
    # tell the filer nothing about `case` (its number, state, dates, deadline).
    submission: PendingSubmission | None = None


def filer_trusted(actor) -> bool:
    """Staff with a case role; everyone else files as an anonymous worker."""
    return roles.has_any_role(actor, roles.CASE_ROLES)


def _case_number_take(case: Case, year: int) -> str:
    """Give the new case the next number of the year, without gaps; returns it.

    The counter row stays locked until the filing commits (that is what keeps the
    numbers gapless), so every concurrent filing queues here: this is the filing's last
    step, two short statements and then the commit. Until then the case carries a
    provisional number (_provisional_number) that no one outside the transaction sees.
    """
    table = CaseNumberSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 WHERE year = %s RETURNING last", [year])
        row = cursor.fetchone()
        if row is None:  # the first case of the year
            CaseNumberSequence.objects.get_or_create(year=year)
            return _case_number_take(case, year)
        number = f"XF-{year}-{row[0]:06d}"
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET number = %s WHERE id = %s", [number, case.pk]
        )
    case.number = number
    return number


def _provisional_number() -> str:
    return "~" + secrets.token_hex(8)  # unique, 17 characters; never committed


def _find_or_create_employer(*, name, uscc, address, township, sector) -> Employer:
    """The employer by USCC, else by normalised name; a USCC given later completes it.

    The employer row is locked as it is found: filings against one employer queue up
    here, so two identical complaints sent at the same moment cannot both miss each
    other in the duplicate check. A new employer has no row to lock yet: the
    normalised name is locked first (_employer_name_lock), so the second of two
    filings naming an unknown employer waits, then finds the first one's employer and
    case.
    """
    normalized = normalize_name(name)
    _employer_name_lock(normalized)
    employer = _employer_locked("uscc = %s", [uscc]) if uscc else None
    if employer is None:
        if uscc:
            employer = _employer_locked("normalized_name = %s AND uscc = ''", [normalized])
        else:
            employer = _employer_locked("normalized_name = %s", [normalized])
        if employer is not None and uscc:
            employer.uscc = uscc
            employer.save(update_fields=["uscc"])
        elif employer is None and uscc:
            # A concurrent filing may have given this USCC to the employer whose lock we
            # waited for: the row then no longer matched uscc="" and was skipped.
            employer = _employer_locked("uscc = %s", [uscc])
    if employer is None:
        fields = dict(name=name, address=address, township=township, sector=sector or "other")
        if not uscc:
            return Employer.objects.create(uscc="", **fields)
        try:
            with transaction.atomic():
                return Employer.objects.create(uscc=uscc, **fields)
        except IntegrityError:  # a concurrent filing created it a moment ago
            return Employer.objects.select_for_update().get(uscc=uscc)
    return employer


def _employer_locked(condition: str, params: list) -> Employer | None:
    """The first employer meeting `condition` (those with a USCC first), locked.

    Written out rather than built by the ORM: every filing runs it, and the ORM took
    about a millisecond of CPU to build this one-table select (docs/performance.md).
    """
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT * FROM {Employer._meta.db_table} WHERE {condition}"
        f" ORDER BY uscc DESC, id LIMIT 1{lock}"
    )
    return next(iter(Employer.objects.raw(sql, params)), None)


def _employer_name_lock(normalized: str) -> None:
    """Serialise filings naming one employer until the filing transaction ends.

    A PostgreSQL advisory lock keyed on the normalised name (a hash: two names sharing
    one only queue behind each other). SQLite, used by the tests and development,
    allows one writer at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"employer:{normalized}"]
        )


def complaint_file(
    *,
    kind: str,
    employer_name: str,
    employer_uscc: str = "",
    employer_address: str = "",
    township: Township,
    claimants: list[ClaimantInput],
    description: str,
    sector: str = "",
    project_name: str = "",
    channel: str = "online",
    received_at: dt.datetime | None = None,
    actor=None,
    is_demo: bool = False,
    backdate_reason: str = "",
) -> FilingResult:
    """File a complaint: a new case, or a link to the open case it duplicates (for an
    untrusted filer, a submission held on it for staff review).

    A received time earlier than today is recorded on the first event, with the reason
    staff gave for entering it late (cases.staff_entry).
    """
    received_at = received_at or timezone.now()
    received_on = timezone.localtime(received_at).date()
    trusted = filer_trusted(actor)
    with transaction.atomic():
        employer = _find_or_create_employer(
            name=employer_name,
            uscc=employer_uscc,
            address=employer_address,
            township=township,
            sector=sector,
        )
        existing = find_duplicate(
            employer=employer,
            id_numbers=[c.id_number for c in claimants],
            received_on=received_on,
        )
        if existing is not None:
            visible = roles.cases_visible_to(actor, Case.objects.filter(pk=existing.pk))
            if trusted and visible.exists():
                _link_duplicate(existing, claimants, actor=actor)
                return FilingResult(case=existing, created=False, query_code=None)
            submission = submission_hold(
                case=existing, claimants=claimants, description=description, actor=actor
            )
            return FilingResult(
                case=existing, created=False, query_code=None, submission=submission
            )

        query_code = query_codes.query_code_new()
        collective = len(claimants) >= rules.int_parameter("collective_min_claimants", received_on)
        people, pending_phones = _people_for(claimants, trusted=trusted)
        case = Case(
            query_code_hash=query_codes.query_code_hash(query_code),
            # Until the confirmation SMS is sent (notifications.followup.confirmation_send).
            query_code_pending=query_code,
            kind=kind,
            township=township,
            employer=employer,
            channel=channel,
            sector=sector or employer.sector,
            project_name=project_name,
            description=description,
            is_collective=collective,
            received_at=received_at,
            clock_started_on=received_on,
            is_demo=is_demo,
        )
        case.query_code = query_code
        case_deadline_refresh(case=case)
        case.number = _provisional_number()  # the real one last: see _case_number_take
        case.save()
        _claims_add(case, claimants, people, pending_phones)
        event_append(
            case=case,
            actor=actor,
            transition="file",
            from_state="",
            note=backdate_reason.strip(),
            data=_filing_data(
                {
                    "channel": channel,
                    "claimants": len(claimants),
                    **({"phone_changes_pending": len(pending_phones)} if pending_phones else {}),
                },
                received_at,
                backdate_reason,
            ),
            created_at=received_at if received_at < timezone.now() else None,
            first=True,
        )
        _case_number_take(case, received_on.year)
        # Durable before anything is queued: a follow-up task lost with the broker's
        # queue is redone from this row (notifications.followup.followups_sweep).
        _pending_followup_add(case)
        # The description goes along so that a threat's follow-up can jump the queue.
        filed = {"case_id": case.pk, "case_number": case.number, "description": description}
        transaction.on_commit(lambda: complaint_filed.send(sender=Case, **filed))
    logger.info("complaint filed case=%s kind=%s claimants=%d", case.number, kind, len(claimants))
    return FilingResult(case=case, created=True, query_code=query_code)


def _pending_followup_add(case: Case) -> None:
    """The PendingFollowup row of a new case, written out: the ORM took a third of a
    millisecond of CPU to build this two-column insert on every filing."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingFollowup._meta.db_table} (case_id, created_at, attempts)"
            " VALUES (%s, %s, 0)",
            [case.pk, connection.ops.adapt_datetimefield_value(timezone.now())],
        )


def _filing_data(data: dict, received_at: dt.datetime, backdate_reason: str) -> dict:
    """The first event's data: a late entry says how many days late, and why."""
    days = staff_entry.backdated_days(received_at)
    if days:
        data["backdated_days"] = days
    if backdate_reason.strip():
        data["backdate_reason"] = backdate_reason.strip()
    return data


def staff_entry_check(*, actor, township, kind, received_at, backdate_reason="") -> None:
    """cases.staff_entry's rules as a domain error (for callers that did not validate
    through ComplaintInput, and as the service's own guard)."""
    problems = staff_entry.staff_entry_problems(
        user=actor,
        township=township,
        kind=kind,
        received_at=received_at,
        backdate_reason=backdate_reason,
    )
    if problems:
        first = next(iter(problems.values()))[0]
        raise errors.InvalidInput(first, problems)


def complaint_file_validated(*, data: dict, actor=None, channel: str = "") -> FilingResult:
    """File what cases.complaint_inputs.ComplaintInput validated (API, portal, imports).

    Only staff choose the channel: an anonymous filing is `online` whatever it says
    (ComplaintInput already refuses another value from it).
    """
    employer = data["employer"]
    if not filer_trusted(actor):
        channel = "online"
    if actor is not None and actor.is_authenticated:
        staff_entry_check(
            actor=actor,
            township=employer["township"],
            kind=data["kind"],
            received_at=data.get("received_at"),
            backdate_reason=data.get("backdate_reason", ""),
        )
    return complaint_file(
        kind=data["kind"],
        employer_name=employer["name"],
        employer_uscc=employer.get("uscc", ""),
        employer_address=employer.get("address", ""),
        township=employer["township"],
        claimants=[ClaimantInput(**c) for c in data["claimants"]],
        description=data["description"],
        sector=data.get("sector", ""),
        project_name=data.get("project_name", ""),
        channel=channel or data.get("channel") or "online",
        received_at=data.get("received_at"),
        actor=actor,
        backdate_reason=data.get("backdate_reason", ""),
    )


def inspection_open(
    *,
    actor,
    township: Township,
    employer_name: str,
    employer_uscc: str = "",
    employer_address: str = "",
    sector: str = "",
    project_name: str = "",
    channel: str,
    description: str,
    inspectors: list[str],
    received_at: dt.datetime | None = None,
    backdate_reason: str = "",
    note: str = "",
) -> Case:
    """An inspection opened on the inspector's own initiative (patrol, written review,
    special campaign): an employer and no complainant, on the inspection track.

    There is no complaint to accept, so the case is opened and accepted (立案) in one
    step: the first event records when and how the violation was found (`received_at`,
    under the same staff-entry rules as a complaint), and the accept transition assigns
    the inspectors and starts the 60-working-day investigation clock on the day it is
    opened. No SMS: there is no worker on the case.
    """
    if not roles.has_any_role(actor, lifecycle.SPECS["accept"].roles[CaseKind.WAGE_ARREARS]):
        raise errors.Forbidden(INSPECTION_FORBIDDEN)
    if channel not in OWN_INITIATIVE_CHANNELS:
        raise errors.InvalidInput(
            NOT_AN_OWN_INITIATIVE_CHANNEL, {"channel": [NOT_AN_OWN_INITIATIVE_CHANNEL]}
        )
    staff_entry_check(
        actor=actor,
        township=township,
        kind=CaseKind.WAGE_ARREARS,
        received_at=received_at,
        backdate_reason=backdate_reason,
    )
    received_at = received_at or timezone.now()
    received_on = timezone.localtime(received_at).date()
    with transaction.atomic():
        employer = _find_or_create_employer(
            name=employer_name,
            uscc=employer_uscc,
            address=employer_address,
            township=township,
            sector=sector,
        )
        case = Case(
            # Nobody is texted a code: no worker is on the case (only its hash is kept).
            query_code_hash=query_codes.query_code_hash(query_codes.query_code_new()),
            kind=CaseKind.WAGE_ARREARS,
            origin=Origin.OWN_INITIATIVE,
            township=township,
            employer=employer,
            channel=channel,
            sector=sector or employer.sector,
            project_name=project_name,
            description=description,
            received_at=received_at,
            clock_started_on=received_on,
        )
        case_deadline_refresh(case=case)
        case.number = _provisional_number()
        case.save()
        event_append(
            case=case,
            actor=actor,
            transition="open_inspection",
            from_state="",
            note=backdate_reason.strip(),
            data=_filing_data(
                {"channel": channel, "origin": Origin.OWN_INITIATIVE}, received_at, backdate_reason
            ),
            created_at=received_at if received_at < timezone.now() else None,
            first=True,
        )
        _case_number_take(case, received_on.year)
        case = services.case_transition(
            case_number=case.number,
            name="accept",
            actor=actor,
            data={"inspectors": inspectors, "note": note},
        )
    logger.info("inspection opened case=%s channel=%s by %s", case.number, channel, actor)
    return case
