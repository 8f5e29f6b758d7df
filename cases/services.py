"""Every write that matters to a case after it is filed (cases.filing): transitions,
personal-data showings, evidence; and the pieces filing shares with them (the deadline,
the case lock, the event chain).

Each service runs in one transaction and tells the other apps what happened only after
commit, through cases.signals.case_changed.
"""

import datetime as dt
import hashlib
import json
import logging
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, can_proceed
from rest_framework import serializers

from cases import audit, clocks, errors, lifecycle, milestones, selectors
from cases.models import (
    Case,
    CaseEvent,
    CaseState,
    Claim,
    Evidence,
    PendingSubmission,
    PersonalDataAccess,
)
from cases.signals import case_changed, query_code_reissued
from core import pii, query_codes, roles
from rules.calendar import WorkingCalendar

logger = logging.getLogger(__name__)


def _today() -> dt.date:
    return timezone.localdate()


# --- deadlines -------------------------------------------------------------------------


def case_deadline_refresh(
    *, case: Case, calendar: WorkingCalendar | None = None, today: dt.date | None = None
) -> None:
    """Recompute the current statutory deadline from the case's state and clock fields,
    and the dates the statistics count (cases/milestones.py)."""
    try:
        milestones.case_milestones_refresh(case=case, today=today or _today(), calendar=calendar)
    except clocks.RuleMissing as error:
        raise errors.Conflict(errors.CLOCK_RULE_MISSING) from error
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


# --- transitions ---------------------------------------------------------------------


def case_lock(case: Case) -> None:
    """Hold the case row until the transaction ends: appends to its history queue up."""
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))


def event_append(
    *,
    case: Case,
    actor: User | None,
    transition: str,
    from_state: str,
    note: str,
    data: dict,
    created_at: dt.datetime | None = None,
    first: bool = False,
) -> CaseEvent:
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
    event.key_id = audit.current_key_id()
    if first:
        event.prev_hash = ""
        event.hash = audit.event_hash(event, event.prev_hash)
        event.save()
    else:
        with transaction.atomic():
            case_lock(case)
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


def case_admin_edit_record(
    *, case: Case, actor: User, fields: dict, claims: list
) -> CaseEvent | None:
    """An edit made in the admin, appended to the case's history like every other change
    (`fields`: {name: [before, after]}; `claims`: what happened to which claimant).
    Nothing is recorded when nothing changed."""
    if not fields and not claims:
        return None
    names = [Case._meta.get_field(name).verbose_name for name in fields]
    note = "后台修改：" + "、".join([str(n) for n in names] + (["请求人"] if claims else []))
    return event_append(
        case=case,
        actor=actor,
        transition="admin_edit",
        from_state=case.state,
        note=note,
        data={"fields": fields, "claims": claims},
    )


def _act_time(today: dt.date) -> dt.datetime | None:
    """An act recorded for an earlier day (a paper file entered later) is dated that day."""
    if today >= _today():
        return None
    return timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))


def _json_safe(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str))


_ID_NUMBER_SHAPE = re.compile(r"^\d{17}[\dX]$|^\d{15}$")


def _phone_digits(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def _claimant_named(case: Case, contact: str) -> Claim | None:
    """The claimant of the case whose ID number or phone this is, or None."""
    contact = pii.normalize(contact)
    claims = case.claims.select_related("person")
    if _ID_NUMBER_SHAPE.match(contact):
        return claims.filter(person__id_number_index=pii.blind_index(contact)).first()
    phone = _phone_digits(contact)
    if len(phone) < 7:
        return None
    # Phones are encrypted (no index to search): a case has few claimants to compare.
    return next((c for c in claims if _phone_digits(c.person.phone) == phone), None)


def _resend_allowed(case_number: str) -> bool:
    """At most LABORCASE_CODE_RESEND_PER_CASE texts per case in the window: nobody can
    flood a worker's phone, whatever addresses they ask from."""
    key = f"code-resend:{hashlib.sha256(case_number.encode()).hexdigest()[:32]}"
    window = settings.LABORCASE_CODE_RESEND_WINDOW_SECONDS
    try:
        cache.add(key, 0, window)
        return cache.incr(key) <= settings.LABORCASE_CODE_RESEND_PER_CASE
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return True
    except Exception:  # the cache is down: no text rather than an unlimited number
        logger.warning("code resend limit cache unreachable; not sent", exc_info=True)
        return False


def query_code_resend(*, case_number: str, contact: str) -> bool:
    """A worker lost the query code: issue a new one (the old one stops working; only its
    hash was kept) and text it to the phone of the claimant named by `contact` (their
    phone or ID number). Returns whether a text goes out; the caller answers the same
    either way, so the answer never tells whether the number or the person exists.
    """
    case_number = (case_number or "").strip().upper()
    if "\x00" in f"{case_number}{contact}" or not contact.strip():
        return False
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(number=case_number).first()
        claim = _claimant_named(case, contact) if case else None
        if claim is None or not claim.person.phone or not _resend_allowed(case_number):
            logger.info("query code resend for %s: no text", case_number[:20])
            return False
        code = query_codes.query_code_new()
        case.query_code_hash = query_codes.query_code_hash(code)
        case.query_code_pending = code  # until notifications has texted it
        case.save(update_fields=["query_code_hash", "query_code_pending", "updated_at"])
        event_append(
            case=case,
            actor=None,
            transition="query_code_reissued",
            from_state=case.state,
            note="",
            data={"claim": claim.pk},
        )
        payload = {"case_id": case.pk, "case_number": case.number, "person_id": claim.person_id}
        transaction.on_commit(lambda: query_code_reissued.send(sender=Case, **payload))
    query_codes.lookup_unlock(scope=selectors.LOOKUP_SCOPE, number=case_number)
    return True


# Who may see a claimant's full ID number or phone: the staff who write the orders,
# agreements and awards that must name the worker. Supervisors, reviewers and the
# command screen work with masked values.
REVEAL_ROLES = frozenset({roles.INSPECTOR, roles.MEDIATOR, roles.ARBITRATOR})


def person_reveal(
    *,
    user: User,
    case_number: str,
    claim_id: int,
    field: str,
    purpose: str = "",
    ip_address: str | None = None,
) -> str:
    """A claimant's full ID number or phone, recorded before it is shown."""
    if field not in PersonalDataAccess.Field.values:
        raise errors.InvalidInput(
            errors.REVEAL_FIELD_UNKNOWN, {"field": [errors.REVEAL_FIELD_UNKNOWN]}
        )
    case = selectors.visible_case(user=user, case_number=case_number)
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


def case_transition(
    *,
    case_number: str,
    name: str,
    actor: User,
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
            case = selectors.visible_case(user=actor, case_number=case_number, for_update=True)
            _check_may_run(case, spec, actor, expected_version)
            inputs = _validated_inputs(case, spec, data)
            from_state = case.state
            try:
                outcome = spec.apply(lifecycle.Context(case, inputs, actor, today, spec))
            except serializers.ValidationError as error:
                raise errors.InvalidInput("输入有误。", error.detail) from error
            getattr(case, name)(outcome_state=outcome)
            case_deadline_refresh(case=case, today=today)
            case.version += 1
            case.save()
            event_append(
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


def _check_may_run(case: Case, spec: Any, actor: User, expected_version: int | None) -> None:
    label = spec.label
    if case.kind not in spec.inputs or case.kind not in spec.roles:
        raise errors.Conflict(errors.NOT_FOR_THIS_TRACK)
    if not lifecycle.role_allows(spec.name, case, actor):
        raise errors.Forbidden(errors.ROLE_FORBIDDEN.format(label=label))
    if expected_version is not None and expected_version != case.version:
        raise errors.Conflict(errors.CHANGED_MEANWHILE)
    if not can_proceed(getattr(case, spec.name)):
        state = CaseState(case.state).label
        raise errors.Conflict(errors.WRONG_STATE.format(state=state, label=label))


def _validated_inputs(case: Case, spec: Any, data: dict) -> dict:
    serializer = spec.inputs[case.kind](data=data, context={"case": case})
    if not serializer.is_valid():
        raise errors.InvalidInput("输入有误。", serializer.errors)
    return dict(serializer.validated_data)


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


def evidence_check(upload: UploadedFile) -> str:
    """The upload's type if it may be evidence (size, content); else a 400 saying why."""
    import filetype

    limit = settings.EVIDENCE_MAX_BYTES
    if (upload.size or 0) > limit:
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
    return mime


def evidence_add(
    *,
    case: Case,
    upload: UploadedFile,
    actor: User | None = None,
    submission: PendingSubmission | None = None,
) -> Evidence:
    """Store an upload on the case; with `submission` (an anonymous duplicate's), it
    joins the case's evidence only when staff accept that submission."""
    mime = evidence_check(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    with transaction.atomic():
        case_lock(case)
        existing = Evidence.objects.filter(case=case, sha256=sha256).first()
        if existing and existing.submission_id and submission is None:
            # Held with an unreviewed or declined submission, now sent by the case's own
            # worker (who has the code) or staff: it is the case's evidence after all.
            existing.submission = None
            existing.save(update_fields=["submission"])
            event_append(
                case=case,
                actor=actor,
                transition="evidence_added",
                from_state=case.state,
                note="",
                data={"evidence_id": existing.pk, "type": existing.content_type},
            )
            return existing
        if existing:
            return existing
        evidence = Evidence(
            case=case,
            original_name=(upload.name or "upload")[-200:],
            content_type=mime,
            extension=EVIDENCE_TYPES[mime],
            size=upload.size or 0,
            sha256=sha256,
            uploaded_by=actor if actor and actor.is_authenticated else None,
            submission=submission,
        )
        evidence.file.save("ignored", upload, save=False)
        evidence.save()
        data = {"evidence_id": evidence.pk, "type": mime, "size": upload.size}
        if submission is not None:
            data["submission_id"] = submission.pk
        event_append(
            case=case,
            actor=actor,
            transition="submission_evidence_added" if submission else "evidence_added",
            from_state=case.state,
            note="",
            data=data,
        )
    return evidence
