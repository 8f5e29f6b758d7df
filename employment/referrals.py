"""Job referrals: a ledger person referred to a posting, the SMS telling them, and its outcome.

A referral counts as the person's next job referral of the 1+3+1 services; a hire makes
the person employed by the posting's employer. Split from employment.services, whose
private helpers (jurisdiction lock, LedgerEvent, after-commit listeners) it reuses.
"""

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from employment import access, errors, signals
from employment.errors import Conflict, InvalidInput, NotFound
from employment.models import (
    JobPosting,
    LedgerEntry,
    LedgerEvent,
    Mode,
    Referral,
    ServiceItem,
    Status,
)
from employment.services import (
    day_or_today,
    entries_changed,
    entry_for_update,
    event_record,
    status_apply,
)


@transaction.atomic
def referral_record(
    *,
    actor: User,
    entry_id: int,
    posting_id: int,
    referred_on: dt.date | None = None,
    send_sms: bool = False,
    note: str = "",
) -> Referral:
    """A person referred to a posting; it counts as their next job referral of 1+3+1."""
    entry = entry_for_update(actor, entry_id)
    posting = JobPosting.objects.filter(pk=posting_id).select_related("employer").first()
    if posting is None:
        raise NotFound(errors.POSTING_NOT_FOUND)
    if not posting.is_open:
        raise Conflict(errors.POSTING_CLOSED)
    if Referral.objects.filter(posting=posting, entry=entry).exists():
        raise Conflict(errors.ALREADY_REFERRED)
    referred_on = day_or_today(referred_on)
    if referred_on > timezone.localdate():
        raise InvalidInput(errors.DATE_IN_FUTURE, {"referred_on": [errors.DATE_IN_FUTURE]})
    if send_sms and not entry.person.phone:
        raise InvalidInput(errors.NO_PHONE, {"send_sms": [errors.NO_PHONE]})
    referral = Referral.objects.create(
        posting=posting,
        entry=entry,
        referred_on=referred_on,
        referred_by=actor if actor and actor.is_authenticated else None,
        note=note,
    )
    item = (
        ServiceItem.objects.filter(
            entry=entry, kind=ServiceItem.Kind.JOB_REFERRAL, done_on__isnull=True
        )
        .order_by("seq")
        .first()
    )
    if item is not None:
        item.done_on, item.done_by, item.referral = referred_on, actor, referral
        item.save()
    event_record(
        entry,
        LedgerEvent.Kind.REFERRAL,
        actor=actor,
        on=referred_on,
        note=f"{posting.employer.name} {posting.title}",
        data={"referral": referral.pk, "posting": posting.pk},
    )
    if send_sms:
        transaction.on_commit(
            lambda: signals.referral_sms_requested.send(sender=Referral, referral_id=referral.pk)
        )
    entries_changed([entry.pk])
    return referral


def referral_sms_text(referral: Referral) -> str:
    posting = referral.posting
    return (
        f"【襄汾县人社】{referral.entry.person.name}您好，为您推荐岗位：{posting.employer.name}"
        f"“{posting.title}”，薪酬{posting.pay}，地点{posting.place}。"
        "如有意向请联系您的村就业管家。"
    )


def referral_sms_sent(*, referral_id: int) -> None:
    Referral.objects.filter(pk=referral_id).update(sms_sent=True)


@transaction.atomic
def referral_outcome_set(
    *,
    actor: User,
    referral_id: int,
    outcome: str,
    on: dt.date | None = None,
    note: str = "",
) -> Referral:
    """What came of a referral; a hire makes the person employed by the posting's employer."""
    referral = (
        Referral.objects.select_for_update()
        .filter(
            pk=referral_id,
            entry__in=access.entries_visible_to(actor, LedgerEntry.objects.all()),
        )
        .select_related("posting__employer")
        .first()
    )
    if referral is None:
        raise NotFound(errors.REFERRAL_NOT_FOUND)
    if referral.outcome != Referral.Outcome.PENDING:
        raise Conflict(errors.OUTCOME_ALREADY_SET.format(outcome=referral.get_outcome_display()))
    if outcome not in Referral.Outcome.values or outcome == Referral.Outcome.PENDING:
        raise InvalidInput(errors.OUTCOME_UNKNOWN, {"outcome": [errors.OUTCOME_UNKNOWN]})
    on = day_or_today(on)
    if on > timezone.localdate():
        raise InvalidInput(errors.DATE_IN_FUTURE, {"on": [errors.DATE_IN_FUTURE]})
    if on < referral.referred_on:
        message = f"结果日期不能早于推荐日期（{referral.referred_on.isoformat()}）。"
        raise InvalidInput(message, {"on": [message]})
    referral.outcome, referral.outcome_on = outcome, on
    if note:
        referral.note = note
    referral.save()
    entry = entry_for_update(actor, referral.entry_id)
    posting = referral.posting
    event_record(
        entry,
        LedgerEvent.Kind.OUTCOME,
        actor=actor,
        on=on,
        note=f"{posting.employer.name} {posting.title}：{referral.get_outcome_display()}",
        data={"referral": referral.pk, "outcome": outcome},
    )
    if outcome == Referral.Outcome.HIRED and entry.status != Status.EMPLOYED:
        status_apply(
            entry,
            actor=actor,
            status=Status.EMPLOYED,
            mode=Mode.ENTERPRISE,
            employer=posting.employer,
            employed_on=max(on, entry.entered_on),
            note="经岗位推荐录用",
            data={"referral": referral.pk},
        )
    entries_changed([entry.pk])
    return referral
