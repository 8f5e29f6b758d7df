"""Filing a complaint: a new case with its claimants, or a link to the open case it
duplicates (DOMAIN.md). Every channel files through here: the API, the worker portal,
staff entry, imports, the demo data.

The filing runs in one transaction and tells the other apps after commit
(cases.signals.complaint_filed and case_changed).
"""

import datetime as dt
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from cases import pii, rules
from cases.models import (
    OPEN_STATES,
    Case,
    CaseNumberSequence,
    Claim,
    Employer,
    Person,
    Township,
    normalize_name,
)
from cases.services import (
    QUERY_CODE_ALPHABET,
    QUERY_CODE_LENGTH,
    case_deadline_refresh,
    case_lock,
    event_append,
)
from cases.signals import complaint_filed

logger = logging.getLogger(__name__)


@dataclass
class ClaimantInput:
    name: str
    id_number: str
    phone: str
    amount_claimed: Decimal
    months_owed: int | None = None
    is_representative: bool = False


@dataclass
class FilingResult:
    case: Case
    created: bool
    query_code: str | None  # only for a new case: never hand out another filer's code


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
    other in the duplicate check.
    """
    employers = Employer.objects.select_for_update()
    employer = employers.filter(uscc=uscc).first() if uscc else None
    if employer is None:
        by_name = employers.filter(normalized_name=normalize_name(name))
        if uscc:
            by_name = by_name.filter(uscc="")
        employer = by_name.order_by("-uscc", "id").first()
        if employer is not None and uscc:
            employer.uscc = uscc
            employer.save(update_fields=["uscc"])
        elif employer is None and uscc:
            # A concurrent filing may have given this USCC to the employer whose lock we
            # waited for: the row then no longer matched uscc="" and was skipped.
            employer = employers.filter(uscc=uscc).first()
    if employer is None:
        fields = dict(name=name, address=address, township=township, sector=sector or "other")
        if not uscc:
            return Employer.objects.create(uscc="", **fields)
        try:
            with transaction.atomic():
                return Employer.objects.create(uscc=uscc, **fields)
        except IntegrityError:  # a concurrent filing created it a moment ago
            return employers.get(uscc=uscc)
    return employer


def _people_for(claimants: list[ClaimantInput]) -> list[Person]:
    """The claimants' Person rows, in the claimants' order: found or created in one
    statement (an upsert on the blind index), which also stores each worker's latest
    phone, the number they can be reached at now.

    The rows are written in one fixed order (by blind index), so two filings that name
    the same workers in different orders lock them in the same order and cannot
    deadlock. A claimant without a phone (only staff tools leave it out; every form and
    the API require one) keeps the stored phone; those few are found or created after
    the upsert, outside that order.
    """
    indexes = [pii.blind_index(c.id_number) for c in claimants]
    by_index = {}
    for index, claimant in zip(indexes, claimants, strict=True):
        by_index.setdefault(index, claimant)  # a worker named twice is one person
    ordered = sorted(by_index.items())
    people = Person.objects.bulk_create(
        [Person(name=c.name, id_number=c.id_number, phone=c.phone) for _, c in ordered if c.phone],
        update_conflicts=True,
        unique_fields=["id_number_index"],
        update_fields=["phone", "phone_index"],
    )
    found = {person.id_number_index: person for person in people}
    for index, claimant in ordered:
        if index not in found:  # no phone given
            found[index], _ = Person.objects.get_or_create(
                id_number_index=index,
                defaults={"name": claimant.name, "id_number": claimant.id_number},
            )
    return [found[index] for index in indexes]


def _claims_add(case: Case, claimants: list[ClaimantInput], people: list[Person]) -> None:
    Claim.objects.bulk_create(
        [
            Claim(
                case=case,
                person=person,
                amount_claimed=c.amount_claimed,
                months_owed=c.months_owed,
                is_representative=c.is_representative,
            )
            for c, person in zip(claimants, people, strict=True)
        ]
    )


def find_duplicate(*, employer: Employer, id_numbers: list[str], received_on: dt.date):
    """An open case of one of these workers against the same employer (same USCC or
    same normalised name) received within the window before or after this one."""
    window = dt.timedelta(days=rules.int_parameter("duplicate_window_days", received_on))
    # Two different USCCs are two legal entities, even under one name.
    same_name = Q(employer__normalized_name=employer.normalized_name)
    if employer.uscc:
        same_employer = Q(employer__uscc=employer.uscc) | (same_name & Q(employer__uscc=""))
    else:
        same_employer = same_name
    return (
        Case.objects.filter(
            same_employer,
            state__in=OPEN_STATES,
            received_at__gte=_start_of_day(received_on - window),
            received_at__lt=_start_of_day(received_on + window + dt.timedelta(days=1)),
            claims__person__id_number_index__in=[pii.blind_index(n) for n in id_numbers],
        )
        .order_by("received_at")
        .first()
    )


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
) -> FilingResult:
    """File a complaint: a new case, or a link to the open case it duplicates."""
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
        existing = find_duplicate(
            employer=employer,
            id_numbers=[c.id_number for c in claimants],
            received_on=received_on,
        )
        if existing is not None:
            _link_duplicate(existing, claimants, actor=actor)
            return FilingResult(case=existing, created=False, query_code=None)

        query_code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
        collective = len(claimants) >= rules.int_parameter("collective_min_claimants", received_on)
        people = _people_for(claimants)
        case = Case(
            query_code=query_code,
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
        case_deadline_refresh(case=case)
        case.number = _provisional_number()  # the real one last: see _case_number_take
        case.save()
        _claims_add(case, claimants, people)
        event_append(
            case=case,
            actor=actor,
            transition="file",
            from_state="",
            note="",
            data={"channel": channel, "claimants": len(claimants)},
            created_at=received_at if received_at < timezone.now() else None,
            first=True,
        )
        _case_number_take(case, received_on.year)
        filed = {"case_id": case.pk, "case_number": case.number, "query_code": query_code}
        transaction.on_commit(lambda: complaint_filed.send(sender=Case, **filed))
    logger.info("complaint filed case=%s kind=%s claimants=%d", case.number, kind, len(claimants))
    return FilingResult(case=case, created=True, query_code=query_code)


def complaint_file_validated(*, data: dict, actor=None, channel: str = "") -> FilingResult:
    """File what cases.serializers.ComplaintInput validated (API, portal, imports)."""
    employer = data["employer"]
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
    )


def _link_duplicate(case: Case, claimants: list[ClaimantInput], *, actor) -> None:
    """Add the workers the open case does not have yet, so that no one is lost."""
    case_lock(case)
    known = set(case.claims.values_list("person__id_number_index", flat=True))
    new = [c for c in claimants if pii.blind_index(c.id_number) not in known]
    _claims_add(case, new, _people_for(new))
    minimum = rules.int_parameter("collective_min_claimants")
    if new and not case.is_collective and len(known) + len(new) >= minimum:
        case.is_collective = True
        Case.objects.filter(pk=case.pk).update(is_collective=True)
    event_append(
        case=case,
        actor=actor,
        transition="duplicate_linked",
        from_state=case.state,
        note="",
        data={"claimants_added": len(new)},
    )
