"""Every write that matters to a case: filing, transitions, evidence.

Each service runs in one transaction and tells the other apps what happened only after
commit, through cases.signals.case_changed.
"""

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed
from rest_framework import serializers

from cases import audit, clocks, errors, lifecycle, permissions, pii, roles, rules
from cases.models import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseNumberSequence,
    CaseState,
    Claim,
    Employer,
    Evidence,
    IdempotencyRecord,
    Person,
    PersonalDataAccess,
    Township,
    normalize_name,
)
from cases.signals import case_changed, complaint_filed

logger = logging.getLogger(__name__)

# Query codes avoid letters and digits that are easy to confuse on a phone (0/O, 1/I/L).
_QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_QUERY_CODE_LENGTH = 8


def _today() -> dt.date:
    return timezone.localdate()


# --- deadlines -------------------------------------------------------------------------


def case_deadline_refresh(*, case: Case, calendar: clocks.WorkingCalendar | None = None) -> None:
    """Recompute the current statutory deadline from the case's state and clock fields."""
    plan = lifecycle.clock_plan(case)
    case.calendar_fallback = False
    if plan is None:
        case.clock_stage, case.deadline = "", None
        return
    case.clock_stage = plan.stage
    if plan.fixed_due or plan.started_on is None:
        case.deadline = plan.fixed_due
        return
    try:
        result = clocks.stage_deadline(
            plan.stage,
            plan.started_on,
            pauses=clocks.parse_pauses(case.clock_pauses),
            extension_stage=plan.extension_stage,
            calendar=calendar,
        )
    except clocks.RuleMissing as error:
        raise errors.Conflict(errors.CLOCK_RULE_MISSING) from error
    case.deadline = result.due
    case.calendar_fallback = result.calendar_fallback


# --- filing ----------------------------------------------------------------------------


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
        update_fields=["phone"],
    )
    found = {person.id_number_index: person for person in people}
    for index, claimant in ordered:
        if index not in found:  # no phone given
            found[index], _ = Person.objects.get_or_create(
                id_number_index=index,
                defaults={"name": claimant.name, "id_number": claimant.id_number},
            )
    return [found[index] for index in indexes]


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

        query_code = "".join(
            secrets.choice(_QUERY_CODE_ALPHABET) for _ in range(_QUERY_CODE_LENGTH)
        )
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
        _event_append(
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
    _case_lock(case)
    known = set(case.claims.values_list("person__id_number_index", flat=True))
    new = [c for c in claimants if pii.blind_index(c.id_number) not in known]
    for claimant, person in zip(new, _people_for(new), strict=True):
        Claim.objects.create(
            case=case,
            person=person,
            amount_claimed=claimant.amount_claimed,
            months_owed=claimant.months_owed,
            is_representative=claimant.is_representative,
        )
    minimum = rules.int_parameter("collective_min_claimants")
    if new and not case.is_collective and len(known) + len(new) >= minimum:
        case.is_collective = True
        Case.objects.filter(pk=case.pk).update(is_collective=True)
    _event_append(
        case=case,
        actor=actor,
        transition="duplicate_linked",
        from_state=case.state,
        note="",
        data={"claimants_added": len(new)},
    )


# --- transitions ---------------------------------------------------------------------


def _case_lock(case: Case) -> None:
    """Hold the case row until the transaction ends: appends to its history queue up."""
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))


def _event_append(*, case, actor, transition, from_state, note, data, created_at=None, first=False):
    """The only place case events are written: each one is linked into the case's hash
    chain (cases/audit.py), under the case row lock so two appends never share a parent.

    The first event (first=True) is written in the transaction that inserts the case,
    which no other transaction can see yet: its chain is empty, with nothing to lock.
    """
    event = CaseEvent(
        case=case,
        actor=actor if actor and actor.is_authenticated else None,
        actor_label=actor.get_username() if actor and actor.is_authenticated else "劳动者",
        transition=transition,
        from_state=from_state,
        to_state=case.state,
        note=note,
        # As the database will give it back (JSON), so the hash can be recomputed.
        data=_json_safe(data),
        created_at=created_at or timezone.now(),
    )
    if first:
        event.prev_hash = ""
        event.hash = audit.event_hash(event, event.prev_hash)
        event.save()
    else:
        with transaction.atomic():
            _case_lock(case)
            event.prev_hash = audit.chain_head(case.pk)
            event.hash = audit.event_hash(event, event.prev_hash)
            event.save()
    payload = {
        "case_id": case.pk,
        "transition": transition,
        "from_state": from_state,
        "to_state": case.state,
        "event_id": event.pk,
    }
    # The number as committed: a new case gets its number after its first event.
    transaction.on_commit(
        lambda: case_changed.send(sender=Case, case_number=case.number, **payload)
    )
    return event


def _act_time(today: dt.date) -> dt.datetime | None:
    """An act recorded for an earlier day (a paper file entered later) is dated that day."""
    if today >= _today():
        return None
    return timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))


def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str))


def worker_case(case_number: str, query_code: str) -> Case:
    """The case for a number and its code; a wrong code looks like an unknown number."""
    if "\x00" in f"{case_number}{query_code}":  # PostgreSQL refuses NUL in text
        raise errors.NotFound(errors.UNKNOWN_CASE_OR_CODE)
    case = Case.objects.filter(number=case_number).select_related("township", "employer").first()
    expected = case.query_code if case else "0" * _QUERY_CODE_LENGTH
    given = (query_code or "").strip().upper().encode()
    if case is None or not hmac.compare_digest(expected.encode(), given):
        raise errors.NotFound(errors.UNKNOWN_CASE_OR_CODE)
    return case


def visible_case(*, user, case_number: str, for_update: bool = False) -> Case:
    queryset = roles.cases_visible_to(user, Case.objects.all())
    if for_update:
        queryset = queryset.select_for_update()
    case = queryset.filter(number=case_number).first()
    if case is None:
        raise errors.NotFound(errors.CASE_NOT_FOUND)
    return case


# Who may see a claimant's full ID number or phone: the staff who write the orders,
# agreements and awards that must name the worker. Supervisors, reviewers and the
# command screen work with masked values.
REVEAL_ROLES = frozenset({roles.INSPECTOR, roles.MEDIATOR, roles.ARBITRATOR})


def person_reveal(
    *, user, case_number: str, claim_id: int, field: str, purpose: str = "", ip_address=None
) -> str:
    """A claimant's full ID number or phone, recorded before it is shown."""
    if field not in PersonalDataAccess.Field.values:
        raise errors.InvalidInput(
            errors.REVEAL_FIELD_UNKNOWN, {"field": [errors.REVEAL_FIELD_UNKNOWN]}
        )
    case = visible_case(user=user, case_number=case_number)
    if not roles.has_any_role(user, REVEAL_ROLES):
        raise errors.Forbidden(errors.REVEAL_FORBIDDEN)
    claim = case.claims.select_related("person").filter(pk=claim_id).first()
    if claim is None:
        raise errors.NotFound(errors.CLAIMANT_NOT_FOUND)
    PersonalDataAccess.objects.create(
        user=user,
        case=case,
        person=claim.person,
        field=field,
        purpose=purpose[:200],
        ip_address=ip_address,
    )
    logger.info(
        "personal data shown user=%s case=%s person=%s field=%s",
        user.get_username(),
        case.number,
        claim.person_id,
        field,
    )
    return getattr(claim.person, field)


def transitions_available(*, case: Case, user) -> list[str]:
    """Names of the transitions this user may run on the case now."""
    return [
        t.name for t in case.get_available_user_state_transitions(user) if t.name in lifecycle.SPECS
    ]


def case_transition(
    *,
    case_number: str,
    name: str,
    actor,
    data: dict,
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Case:
    """Run one transition: check, lock, change, recompute the clock, record the event."""
    today = today or _today()
    spec = lifecycle.SPECS.get(name)
    if spec is None:
        raise errors.NotFound(errors.UNKNOWN_TRANSITION)
    try:
        with transaction.atomic():
            case = visible_case(user=actor, case_number=case_number, for_update=True)
            _check_may_run(case, spec, actor, expected_version)
            inputs = _validated_inputs(case, spec, data)
            from_state = case.state
            try:
                outcome = spec.apply(lifecycle.Context(case, inputs, actor, today))
            except serializers.ValidationError as error:
                raise errors.InvalidInput("输入有误。", error.detail) from error
            getattr(case, name)(outcome_state=outcome)
            case_deadline_refresh(case=case)
            case.version += 1
            case.save()
            _event_append(
                case=case,
                actor=actor,
                transition=name,
                from_state=from_state,
                note=inputs.get("note", ""),
                data=_json_safe(
                    {
                        **{k: v for k, v in inputs.items() if k != "note"},
                        "deadline": case.deadline,
                        "clock_stage": case.clock_stage,
                    }
                ),
                created_at=_act_time(today),
            )
    except (ConcurrentTransition, IntegrityError) as error:
        raise errors.Conflict(errors.CHANGED_MEANWHILE) from error
    logger.info("case %s: %s %s -> %s by %s", case.number, name, from_state, case.state, actor)
    return case


def _check_may_run(case, spec, actor, expected_version):
    label = spec.label
    if case.kind not in spec.inputs or case.kind not in permissions.TRANSITION_ROLES[spec.name]:
        raise errors.Conflict(errors.NOT_FOR_THIS_TRACK)
    if not permissions.role_allows(spec.name, case, actor):
        raise errors.Forbidden(errors.ROLE_FORBIDDEN.format(label=label))
    if expected_version is not None and expected_version != case.version:
        raise errors.Conflict(errors.CHANGED_MEANWHILE)
    if not can_proceed(getattr(case, spec.name)):
        state = CaseState(case.state).label
        raise errors.Conflict(errors.WRONG_STATE.format(state=state, label=label))


def _validated_inputs(case, spec, data) -> dict:
    serializer = spec.inputs[case.kind](data=data, context={"case": case})
    if not serializer.is_valid():
        raise errors.InvalidInput("输入有误。", serializer.errors)
    return dict(serializer.validated_data)


# --- idempotent requests -----------------------------------------------------------------


def idempotent_replay(*, key: str, body: dict):
    """The stored answer to an earlier request with this key."""
    record = IdempotencyRecord.objects.filter(key=key).first()
    if record is None or record.status_code == 0:
        raise errors.Conflict("同一请求正在处理中，请稍后重试。")
    if record.request_hash != request_hash(body):
        raise errors.Conflict("Idempotency-Key 已用于另一份不同的投诉。")
    return record.status_code, record.response


def request_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# --- evidence ------------------------------------------------------------------------------

# Allowed evidence, recognised by content (magic bytes), never by the file name.
EVIDENCE_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
}
EVIDENCE_TYPE_REJECTED = "只能上传照片（JPG、PNG、WEBP、HEIC）或PDF文件。"
EVIDENCE_TOO_LARGE = "文件过大，单个文件不能超过{limit}。"
EVIDENCE_EMPTY = "文件是空的。"


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g}MB"
    return f"{size / 1024:g}KB"


def evidence_add(*, case: Case, upload, actor=None) -> Evidence:
    import filetype
    from django.conf import settings

    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        message = EVIDENCE_TOO_LARGE.format(limit=human_size(limit))
        raise errors.InvalidInput(message, {"file": [message]})
    if upload.size == 0:
        raise errors.InvalidInput(EVIDENCE_EMPTY, {"file": [EVIDENCE_EMPTY]})
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime not in EVIDENCE_TYPES:
        raise errors.InvalidInput(EVIDENCE_TYPE_REJECTED, {"file": [EVIDENCE_TYPE_REJECTED]})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    with transaction.atomic():
        _case_lock(case)
        existing = Evidence.objects.filter(case=case, sha256=sha256).first()
        if existing:
            return existing
        evidence = Evidence(
            case=case,
            original_name=(upload.name or "upload")[-200:],
            content_type=mime,
            extension=EVIDENCE_TYPES[mime],
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor if actor and actor.is_authenticated else None,
        )
        evidence.file.save("ignored", upload, save=False)
        evidence.save()
        _event_append(
            case=case,
            actor=actor,
            transition="evidence_added",
            from_state=case.state,
            note="",
            data={"evidence_id": evidence.pk, "type": mime, "size": upload.size},
        )
    return evidence
