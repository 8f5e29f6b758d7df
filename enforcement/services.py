"""Every write to the wage-arrears blacklist (人社部令45号): propose, decide, notify the
employer, early removal, expiry. Each runs in one transaction, appends its event to the
entry's history and keeps `Employer.blacklisted_until` (the read model the subsidies and
the risk score use) in step with the entries.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from cases import selectors as case_selectors
from cases.models import Case
from core import roles, validators
from core.models import Employer
from enforcement import criteria, errors
from enforcement.models import (
    BlacklistEntry,
    BlacklistEvent,
    EntryState,
    NoticeHow,
    RemovalDecision,
    ResponsiblePerson,
)
from rules import listing
from rules.parameters import int_parameter

logger = logging.getLogger(__name__)
S = EntryState
A = BlacklistEvent.Action


def _today() -> dt.date:
    return timezone.localdate()


def _label(user: User | None) -> str:
    if user is None:
        return "系统"
    return user.get_full_name() or user.username


def _event(
    entry: BlacklistEntry,
    *,
    action: str,
    actor: User | None,
    from_state: str,
    note: str = "",
    data: dict | None = None,
    day: dt.date | None = None,
) -> BlacklistEvent:
    return BlacklistEvent.objects.create(
        created_at=_moment(day),
        entry=entry,
        action=action,
        actor=actor,
        actor_label=_label(actor),
        from_state=from_state,
        to_state=entry.state,
        note=note,
        data=data or {},
    )


def _moment(day: dt.date | None) -> dt.datetime:
    """An act recorded for an earlier day (entered later) is dated that day."""
    if day is None or day >= _today():
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def years_later(day: dt.date, years: int) -> dt.date:
    """The same day `years` on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def employer_blacklist_refresh(*, employer_id: int) -> None:
    """Employer.blacklisted_until = the last day of its latest listed entry, or nothing."""
    until = BlacklistEntry.objects.filter(employer_id=employer_id, state=S.LISTED).aggregate(
        until=Max("listed_until")
    )["until"]
    Employer.objects.filter(pk=employer_id).update(blacklisted_until=until)


def _entry_locked(entry_id: int) -> BlacklistEntry:
    entry = BlacklistEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise errors.NotFound(errors.ENTRY_NOT_FOUND)
    return entry


def _works_on_case(user: User, case: Case, role_message: str) -> None:
    """An inspector of the case's township, or a supervisor."""
    if roles.has_any_role(user, {roles.SUPERVISOR}):
        return
    if roles.has_any_role(user, {roles.INSPECTOR}) and roles.in_jurisdiction(
        user, case.township_id
    ):
        return
    raise errors.Forbidden(role_message)


def _assessment(case: Case, on: dt.date) -> criteria.Assessment:
    try:
        return criteria.blacklist_assessment(case, on)
    except listing.CriteriaMissing as error:
        raise errors.Conflict(errors.CRITERIA_NOT_SET) from error


# --- propose and decide -----------------------------------------------------------------


def blacklist_propose(
    *, case_number: str, actor: User, reasons: str, today: dt.date | None = None
) -> BlacklistEntry:
    """An inspector of the case's township proposes the case's employer for the list."""
    today = today or _today()
    with transaction.atomic():
        case = case_selectors.visible_case(user=actor, case_number=case_number, for_update=True)
        if not roles.has_any_role(actor, {roles.INSPECTOR}) or not roles.in_jurisdiction(
            actor, case.township_id
        ):
            raise errors.Forbidden(errors.PROPOSE_ROLE)
        reasons = (reasons or "").strip()
        if not reasons:
            raise errors.InvalidInput(
                errors.REASONS_REQUIRED, {"reasons": [errors.REASONS_REQUIRED]}
            )
        if BlacklistEntry.objects.filter(case=case, state__in=[S.PROPOSED, S.LISTED]).exists():
            raise errors.Conflict(errors.ALREADY_ACTIVE)
        assessment = _assessment(case, today)
        if not assessment.met:
            missing = assessment.missing
            raise errors.Conflict(
                errors.CRITERIA_NOT_MET + "；".join(missing), {"criteria": missing}
            )
        try:
            with transaction.atomic():
                entry = BlacklistEntry.objects.create(
                    employer_id=case.employer_id,
                    case=case,
                    reasons=reasons,
                    criteria_met=[f.as_record() for f in assessment.findings_met],
                    proposed_by=actor,
                    proposed_at=_moment(today),
                    is_demo=case.is_demo,
                )
        except IntegrityError as error:  # a concurrent proposal of the same case
            raise errors.Conflict(errors.ALREADY_ACTIVE) from error
        _event(entry, action=A.PROPOSE, actor=actor, from_state="", note=reasons, day=today)
    logger.info("blacklist entry %s proposed from case %s by %s", entry.pk, case.number, actor)
    return entry


def _persons_clean(persons: list[dict]) -> list[dict]:
    if not persons:
        raise errors.InvalidInput(
            errors.PERSONS_REQUIRED, {"responsible_persons": [errors.PERSONS_REQUIRED]}
        )
    clean, problems = [], {}
    for index, person in enumerate(persons):
        name = str(person.get("name") or "").strip()
        role = str(person.get("role") or "")
        found = []
        if not name:
            found.append(errors.PERSON_NAME_REQUIRED)
        if role not in ResponsiblePerson.Role.values:
            found.append(errors.PERSON_ROLE_INVALID)
        try:
            number = validators.clean_id_number(str(person.get("id_number") or ""))
        except ValidationError as error:
            found.extend(error.messages)
            number = ""
        if found:
            problems[str(index)] = found
        clean.append({"name": name[:50], "role": role, "id_number": number})
    if problems:
        raise errors.InvalidInput(errors.PERSONS_REQUIRED, {"responsible_persons": problems})
    return clean


def blacklist_decide(
    *,
    entry_id: int,
    actor: User,
    approve: bool,
    note: str = "",
    responsible_persons: list[dict] | None = None,
    today: dt.date | None = None,
) -> BlacklistEntry:
    """The supervisor (not the proposer) lists the employer, naming the responsible
    persons, or rejects the proposal with a reason."""
    today = today or _today()
    note = (note or "").strip()
    if not roles.has_any_role(actor, {roles.SUPERVISOR}):
        raise errors.Forbidden(errors.DECIDE_ROLE)
    with transaction.atomic():
        entry = _entry_locked(entry_id)
        if entry.state != S.PROPOSED:
            raise errors.Conflict(errors.NOT_PROPOSED.format(state=entry.get_state_display()))
        if entry.proposed_by_id == actor.pk:
            raise errors.Forbidden(errors.FOUR_EYES)
        if approve:
            persons = _persons_clean(responsible_persons or [])
            assessment = _assessment(entry.case, today)
            if not assessment.met:
                raise errors.Conflict(errors.CRITERIA_GONE + "；".join(assessment.missing))
            years = int_parameter("blacklist_listing_years", today)
            entry.state = S.LISTED
            entry.listed_from = today
            entry.listed_until = years_later(today, years) - dt.timedelta(days=1)
            for person in persons:
                ResponsiblePerson.objects.create(entry=entry, **person)
            data = {
                "listed_from": entry.listed_from.isoformat(),
                "listed_until": entry.listed_until.isoformat(),
                "responsible_persons": [f"{p['name']}" for p in persons],
            }
            action = A.LIST
        else:
            if not note:
                raise errors.InvalidInput(
                    errors.REJECT_REASON_REQUIRED, {"note": [errors.REJECT_REASON_REQUIRED]}
                )
            entry.state = S.REJECTED
            data, action = {}, A.REJECT
        entry.decided_by, entry.decided_at, entry.decision_note = actor, _moment(today), note
        entry.save()
        _event(
            entry,
            action=action,
            actor=actor,
            from_state=S.PROPOSED,
            note=note,
            data=data,
            day=today,
        )
        employer_blacklist_refresh(employer_id=entry.employer_id)
    return entry


# --- telling the employer --------------------------------------------------------------

LISTED_SMS = (
    "【襄汾县人社局】{employer}：你单位拖欠农民工工资，经责令限期支付逾期未支付，"
    "已列入拖欠农民工工资失信联合惩戒对象名单，列入期限{start}至{end}（案件{case}）。"
    "改正违法行为、支付所欠工资后可申请提前移出。"
)


def blacklist_employer_notify(
    *, entry_id: int, actor: User, how: str, note: str = ""
) -> BlacklistEntry:
    """Record how the employer was told of its listing; text the employer's contacts on
    the source case when it has any (notifications' notice outbox, sent after commit)."""
    if how not in NoticeHow.values:
        raise errors.InvalidInput(errors.NOTICE_HOW_INVALID, {"how": [errors.NOTICE_HOW_INVALID]})
    with transaction.atomic():
        entry = _entry_locked(entry_id)
        case = entry.case
        _works_on_case(actor, case, errors.NOTIFY_ROLE)
        if entry.state != S.LISTED:
            raise errors.Conflict(errors.NOT_LISTED.format(state=entry.get_state_display()))
        if entry.notified_at:
            when = timezone.localtime(entry.notified_at).strftime("%Y-%m-%d %H:%M")
            raise errors.Conflict(errors.ALREADY_NOTIFIED.format(when=when))
        notice_ids = _listed_notices(entry, case)
        if how == NoticeHow.SMS and not notice_ids:
            raise errors.InvalidInput(errors.NO_PHONE_FOR_SMS, {"how": [errors.NO_PHONE_FOR_SMS]})
        entry.notified_at, entry.notified_how = timezone.now(), how
        entry.notice_note = (note or "").strip()[:200]
        entry.save(update_fields=["notified_at", "notified_how", "notice_note"])
        _event(
            entry,
            action=A.NOTIFY,
            actor=actor,
            from_state=entry.state,
            note=entry.notice_note,
            data={"how": how, "sms": len(notice_ids)},
        )
        if notice_ids:
            transaction.on_commit(lambda: _notices_send(notice_ids))
    return entry


def _listed_notices(entry: BlacklistEntry, case: Case) -> list[int]:
    """One notice per employer contact with a phone on the source case."""
    from notifications.models import CaseContact, Notice, Recipient

    text = LISTED_SMS.format(
        employer=entry.employer.name,
        start=entry.listed_from,
        end=entry.listed_until,
        case=case.number,
    )
    ids = []
    for contact in CaseContact.objects.filter(case=case):
        if not contact.phone:
            continue
        notice, _ = Notice.objects.get_or_create(
            step=f"blacklist:{entry.pk}",
            recipient_key=f"contact:{contact.pk}",
            defaults={
                "case": case,
                "event": "blacklist_listed",
                "recipient": Recipient.EMPLOYER,
                "recipient_name": contact.name,
                "phone": contact.phone,
                "text": text,
            },
        )
        ids.append(notice.pk)
    return ids


def _notices_send(notice_ids: list[int]) -> None:
    from notifications.notice_outbox import notices_send

    # A gateway failure leaves the notice pending: the every-minute sweep retries it.
    try:
        notices_send(notice_ids=notice_ids)
    except Exception:  # noqa: BLE001 - the listing stands whatever the gateway does
        logger.exception("blacklist notices %s not sent now; the sweep retries", notice_ids)


# --- early removal ---------------------------------------------------------------------


def blacklist_removal_apply(
    *,
    entry_id: int,
    actor: User,
    application: str,
    applied_on: dt.date | None = None,
    today: dt.date | None = None,
) -> BlacklistEntry:
    """Record the employer's written application for early removal (after paying)."""
    today = today or _today()
    applied_on = applied_on or today
    application = (application or "").strip()
    with transaction.atomic():
        entry = _entry_locked(entry_id)
        _works_on_case(actor, entry.case, errors.REMOVAL_ROLE)
        if entry.state != S.LISTED:
            raise errors.Conflict(errors.NOT_LISTED.format(state=entry.get_state_display()))
        if entry.removal_pending:
            raise errors.Conflict(errors.REMOVAL_PENDING)
        if not application:
            raise errors.InvalidInput(
                errors.REMOVAL_APPLICATION_REQUIRED,
                {"application": [errors.REMOVAL_APPLICATION_REQUIRED]},
            )
        if applied_on > today or (entry.listed_from and applied_on < entry.listed_from):
            raise errors.InvalidInput(
                errors.REMOVAL_DATE_INVALID, {"applied_on": [errors.REMOVAL_DATE_INVALID]}
            )
        entry.removal_applied_on, entry.removal_application = applied_on, application
        entry.removal_recorded_by = actor
        entry.removal_decision, entry.removal_decided_by, entry.removal_decided_at = "", None, None
        entry.removal_note = ""
        entry.save()
        _event(
            entry,
            action=A.REMOVAL_APPLY,
            actor=actor,
            from_state=entry.state,
            note=application,
            data={"applied_on": applied_on.isoformat()},
        )
    return entry


def case_owed(case: Case) -> Decimal:
    """What the workers of the case are still owed now (claimed minus recovered)."""
    return sum((c.outstanding for c in case.claims.all()), criteria.ZERO)


def blacklist_removal_decide(
    *, entry_id: int, actor: User, approve: bool, note: str = "", today: dt.date | None = None
) -> BlacklistEntry:
    """The supervisor removes the employer early when the case's recovered amount covers
    what was owed, or refuses the application with a reason."""
    today = today or _today()
    note = (note or "").strip()
    if not roles.has_any_role(actor, {roles.SUPERVISOR}):
        raise errors.Forbidden(errors.REMOVAL_DECIDE_ROLE)
    with transaction.atomic():
        entry = _entry_locked(entry_id)
        if entry.state != S.LISTED:
            raise errors.Conflict(errors.NOT_LISTED.format(state=entry.get_state_display()))
        if not entry.removal_pending:
            raise errors.Conflict(errors.NO_REMOVAL_PENDING)
        if entry.removal_recorded_by_id == actor.pk:
            raise errors.Forbidden(errors.REMOVAL_FOUR_EYES)
        owed = case_owed(entry.case)
        if approve:
            if owed > 0:
                raise errors.Conflict(errors.REMOVAL_NOT_PAID.format(owed=criteria.money(owed)))
            entry.state, entry.ended_on = S.REMOVED_EARLY, today
            entry.removal_decision, action = RemovalDecision.APPROVED, A.REMOVE
        else:
            if not note:
                raise errors.InvalidInput(
                    errors.REMOVAL_REFUSE_REASON, {"note": [errors.REMOVAL_REFUSE_REASON]}
                )
            entry.removal_decision, action = RemovalDecision.REFUSED, A.REMOVAL_REFUSE
        entry.removal_decided_by, entry.removal_decided_at = actor, timezone.now()
        entry.removal_note = note
        entry.save()
        _event(
            entry,
            action=action,
            actor=actor,
            from_state=S.LISTED,
            note=note,
            data={"owed": str(owed)},
        )
        employer_blacklist_refresh(employer_id=entry.employer_id)
    return entry


# --- expiry ------------------------------------------------------------------------------


def blacklist_expire_due(*, today: dt.date | None = None) -> int:
    """Every listed entry whose last day has passed leaves the list. Returns how many."""
    today = today or _today()
    expired = 0
    due = BlacklistEntry.objects.filter(state=S.LISTED, listed_until__lt=today)
    for entry_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            entry = (
                BlacklistEntry.objects.select_for_update(skip_locked=True)
                .filter(pk=entry_id, state=S.LISTED, listed_until__lt=today)
                .first()
            )
            if entry is None:
                continue
            entry.state, entry.ended_on = S.EXPIRED, today
            entry.save(update_fields=["state", "ended_on"])
            _event(
                entry,
                action=A.EXPIRE,
                actor=None,
                from_state=S.LISTED,
                data={"listed_until": str(entry.listed_until)},
                day=today,
            )
            employer_blacklist_refresh(employer_id=entry.employer_id)
            expired += 1
    if expired:
        logger.info("blacklist: %s entries expired on %s", expired, today)
    return expired
