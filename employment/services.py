"""Every write to the re-employment ledger.

Each service checks the actor's jurisdiction (employment.access), locks what it
changes, appends the LedgerEvent and, after commit, tells the listeners
(employment.signals): the command screen's figures, the referral SMS.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import roles, validators
from core.models import Employer, Person, Township, Village
from employment import access, errors, screen_tally, selectors, signals
from employment.errors import Conflict, Forbidden, InvalidInput, NotFound
from employment.models import (
    ClosedPlant,
    LedgerEntry,
    LedgerEvent,
    Mode,
    ServiceItem,
    Status,
    Target,
    TownshipShare,
)
from rules.parameters import int_parameter

# rules.LegalParameter row (employment/migrations/0002): days from entering the ledger.
DUE_DAYS_PARAMETER = "employment_services_due_days"
JOB_REFERRALS = 3
# Ways of being employed that name an employer.
MODES_WITH_EMPLOYER = frozenset({Mode.ENTERPRISE, Mode.OUTSIDE})


# The helpers below, up to status_apply, are shared with the referral services
# (employment.referrals), which write the same entries and events.


def day_or_today(on: dt.date | None) -> dt.date:
    """The day an act is recorded on: the one given, or today."""
    return on or timezone.localdate()


# Set while a bulk job (the demo data) writes: it tells the listeners once at the end.
_quiet: ContextVar[bool] = ContextVar("employment_signals_quiet", default=False)


@contextmanager
def signals_quiet() -> Iterator[None]:
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def entries_changed(entry_ids: Iterable[int]) -> None:
    """Bring the screen's tallies up to date with these entries (now, in the caller's
    transaction, so they cannot drift from the rows); after commit, tell the listeners
    (alerts, the screen) which entries changed."""
    ids = sorted(set(entry_ids))
    screen_tally.refresh(ids)
    if _quiet.get():
        return

    def tell() -> None:
        selectors.screen_summary_forget()
        signals.ledger_changed.send(sender=LedgerEntry, entry_ids=ids)

    transaction.on_commit(tell)


def entry_for_update(actor: User, entry_id: int) -> LedgerEntry:
    """The entry, locked, if the actor may see it; NotFound otherwise."""
    entry = (
        access.entries_visible_to(actor, LedgerEntry.objects.select_for_update())
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound(errors.ENTRY_NOT_FOUND)
    return entry


def event_record(
    entry: LedgerEntry,
    kind: str,
    *,
    actor: User | None,
    on: dt.date,
    note: str = "",
    data: dict | None = None,
) -> LedgerEvent:
    """One line of the entry's history, with the status it has now."""
    return LedgerEvent.objects.create(
        entry=entry,
        kind=kind,
        status=entry.status,
        mode=entry.mode,
        occurred_on=on,
        note=note,
        data=data or {},
        actor=actor if actor and actor.is_authenticated else None,
    )


def services_due_on(entered_on: dt.date) -> dt.date:
    return entered_on + dt.timedelta(days=int_parameter(DUE_DAYS_PARAMETER, entered_on))


def services_create(entries: Iterable[LedgerEntry]) -> None:
    """The 1+3+1 items of entries that are owed them (and have none yet)."""
    items = []
    for entry in entries:
        if not entry.owed_services:
            continue
        due = services_due_on(entry.entered_on)
        items.append(ServiceItem(entry=entry, kind=ServiceItem.Kind.GUIDANCE, seq=1, due_on=due))
        items += [
            ServiceItem(entry=entry, kind=ServiceItem.Kind.JOB_REFERRAL, seq=n, due_on=due)
            for n in range(1, JOB_REFERRALS + 1)
        ]
        items.append(ServiceItem(entry=entry, kind=ServiceItem.Kind.TRAINING, seq=1, due_on=due))
    ServiceItem.objects.bulk_create(items, ignore_conflicts=True)


def person_find_or_create(*, name: str, id_number: str, phone: str = "") -> Person:
    """The same Person the cases use, found by the ID number's blind index."""
    try:
        id_number = validators.clean_id_number(id_number)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], {"id_number": error.messages}) from error
    if phone:
        try:
            phone = validators.clean_phone(phone)
        except ValidationError as error:
            raise InvalidInput(error.messages[0], {"phone": error.messages}) from error
    person = Person.objects.with_id_number(id_number).first()
    if person is None:
        return Person.objects.create(name=name, id_number=id_number, phone=phone)
    if phone and person.phone != phone:  # staff entry: the number they answer now
        person.phone = phone
        person.save(update_fields=["phone", "phone_index"])
    return person


@transaction.atomic
def ledger_entry_create(
    *,
    actor: User,
    name: str,
    id_number: str,
    category: str,
    village: Village,
    phone: str = "",
    plant: ClosedPlant | None = None,
    wants_work: bool = True,
    training_needs: str = "",
    entered_on: dt.date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> LedgerEntry:
    if not access.in_ledger_jurisdiction(
        actor, township_id=village.township_id, village_id=village.pk
    ):
        raise Forbidden(errors.VILLAGE_NOT_YOURS)
    entry = entry_add(
        actor=actor,
        name=name,
        id_number=id_number,
        category=category,
        village=village,
        phone=phone,
        plant=plant,
        wants_work=wants_work,
        training_needs=training_needs,
        entered_on=entered_on,
        note=note,
        is_demo=is_demo,
    )
    services_create([entry])
    entries_changed([entry.pk])
    return entry


def entry_add(
    *,
    actor: User | None,
    name: str,
    id_number: str,
    category: str,
    village: Village,
    phone: str = "",
    plant: ClosedPlant | None = None,
    wants_work: bool = True,
    training_needs: str = "",
    entered_on: dt.date | None = None,
    note: str = "",
    is_demo: bool = False,
) -> LedgerEntry:
    """The entry and its first event, without the jurisdiction check (the callers do it:
    a plant's roster goes in wherever its workers live) nor its 1+3+1 items."""
    entered_on = day_or_today(entered_on)
    if entered_on > timezone.localdate():
        raise InvalidInput(errors.DATE_IN_FUTURE, {"entered_on": [errors.DATE_IN_FUTURE]})
    person = person_find_or_create(name=name, id_number=id_number, phone=phone)
    existing = LedgerEntry.objects.filter(person=person).select_related("village").first()
    if existing is not None:
        message = errors.ALREADY_IN_LEDGER.format(village=existing.village)
        raise Conflict(message, {"id_number": [message]})
    entry = LedgerEntry.objects.create(
        person=person,
        category=category,
        village=village,
        township_id=village.township_id,
        plant=plant,
        wants_work=wants_work,
        training_needs=training_needs,
        entered_on=entered_on,
        created_by=actor if actor and actor.is_authenticated else None,
        is_demo=is_demo,
    )
    event_record(entry, LedgerEvent.Kind.ENTERED, actor=actor, on=entered_on, note=note)
    return entry


@transaction.atomic
def ledger_entry_edit(
    *,
    actor: User,
    entry_id: int,
    village: Village | None = None,
    wants_work: bool | None = None,
    training_needs: str | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> LedgerEntry:
    """Village, wish to work, training needs: each change is an event too."""
    entry = entry_for_update(actor, entry_id)
    changes: dict[str, list[str] | list[bool]] = {}
    if village is not None and village.pk != entry.village_id:
        if not access.in_ledger_jurisdiction(
            actor, township_id=village.township_id, village_id=village.pk
        ):
            raise Forbidden(errors.VILLAGE_NOT_YOURS)
        changes["village"] = [str(entry.village), str(village)]
        entry.village, entry.township_id = village, village.township_id
    if wants_work is not None and wants_work != entry.wants_work:
        changes["wants_work"] = [entry.wants_work, wants_work]
        entry.wants_work = wants_work
    if training_needs is not None and training_needs != entry.training_needs:
        changes["training_needs"] = [entry.training_needs, training_needs]
        entry.training_needs = training_needs
    if not changes:
        return entry
    entry.save()
    event_record(
        entry, LedgerEvent.Kind.EDITED, actor=actor, on=day_or_today(on), note=note, data=changes
    )
    services_create([entry])
    entries_changed([entry.pk])
    return entry


def status_apply(
    entry: LedgerEntry,
    *,
    actor: User,
    status: str,
    mode: str = "",
    employer: Employer | None = None,
    employer_name: str = "",
    employed_on: dt.date | None = None,
    note: str = "",
    on: dt.date | None = None,
    data: dict | None = None,
) -> LedgerEvent:
    """Move the entry to `status`, checked, with its history line (the entry is locked)."""
    today = timezone.localdate()
    problems: dict[str, list[str]] = {}
    if status not in Status.values:
        problems["status"] = [f"未知的就业状态“{status}”。"]
    if status == entry.status and status != Status.EMPLOYED:
        raise Conflict(errors.SAME_STATUS)
    if status == Status.EMPLOYED:
        if mode not in Mode.values:
            problems["mode"] = [errors.EMPLOYED_NEEDS_MODE]
        if employed_on is None:
            problems["employed_on"] = [errors.EMPLOYED_NEEDS_DATE]
        if mode in MODES_WITH_EMPLOYER and employer is None and not employer_name.strip():
            problems["employer_name"] = [errors.EMPLOYED_NEEDS_EMPLOYER]
    else:
        mode, employer, employer_name, employed_on = "", None, "", None
    when = employed_on or day_or_today(on)
    if when > today:
        problems.setdefault("employed_on" if employed_on else "on", []).append(
            errors.DATE_IN_FUTURE
        )
    elif when < entry.entered_on:
        message = errors.DATE_BEFORE_ENTRY.format(date=entry.entered_on.isoformat())
        problems.setdefault("employed_on" if employed_on else "on", []).append(message)
    if problems:
        raise InvalidInput(next(iter(problems.values()))[0], problems)
    before = {"status": entry.status, "mode": entry.mode}
    entry.status, entry.mode = status, mode
    entry.employer = employer
    entry.employer_name = employer.name if employer else employer_name.strip()
    entry.employed_on = employed_on
    entry.save()
    return event_record(
        entry,
        LedgerEvent.Kind.STATUS,
        actor=actor,
        on=when,
        note=note,
        data={"from": before, "employer": entry.employer_name, **(data or {})},
    )


@transaction.atomic
def ledger_status_change(
    *,
    actor: User,
    entry_id: int,
    status: str,
    mode: str = "",
    employer: Employer | None = None,
    employer_name: str = "",
    employed_on: dt.date | None = None,
    note: str = "",
    on: dt.date | None = None,
) -> LedgerEntry:
    """A new employment status: an event, never an overwrite of the history."""
    entry = entry_for_update(actor, entry_id)
    status_apply(
        entry,
        actor=actor,
        status=status,
        mode=mode,
        employer=employer,
        employer_name=employer_name,
        employed_on=employed_on,
        note=note,
        on=on,
    )
    entries_changed([entry.pk])
    return entry


@transaction.atomic
def service_item_complete(
    *, actor: User, item_id: int, done_on: dt.date | None = None, note: str = ""
) -> ServiceItem:
    """A guidance session or training referral given (job referrals: employment.referrals)."""
    item = (
        ServiceItem.objects.select_for_update()
        .filter(pk=item_id, entry__in=access.entries_visible_to(actor, LedgerEntry.objects.all()))
        .select_related("entry")
        .first()
    )
    if item is None:
        raise NotFound(errors.ITEM_NOT_FOUND)
    if item.done_on:
        raise Conflict(errors.ITEM_ALREADY_DONE.format(date=item.done_on.isoformat()))
    if item.kind == ServiceItem.Kind.JOB_REFERRAL:
        raise InvalidInput(errors.JOB_REFERRAL_BY_REFERRAL)
    done_on = day_or_today(done_on)
    if done_on > timezone.localdate():
        raise InvalidInput(errors.DATE_IN_FUTURE, {"done_on": [errors.DATE_IN_FUTURE]})
    item.done_on, item.done_by, item.note = done_on, actor, note
    item.save()
    event_record(
        item.entry,
        LedgerEvent.Kind.SERVICE,
        actor=actor,
        on=done_on,
        note=note or item.get_kind_display(),
        data={"service": item.kind, "seq": item.seq},
    )
    entries_changed([item.entry_id])
    return item


# --- closed plants ----------------------------------------------------------------------


@transaction.atomic
def plant_register(
    *,
    actor: User | None,
    name: str,
    uscc: str,
    township: Township,
    closed_on: dt.date,
    sector: str = Employer.Sector.STEEL_COKE,
    laid_off: int = 0,
    severance_owed: Decimal = Decimal(0),
    wages_owed: Decimal = Decimal(0),
    is_demo: bool = False,
) -> ClosedPlant:
    """Register a closed plant; its employer record (same USCC) is flagged closed, which
    the escalation-risk score reads."""
    if actor is not None and not access.may_keep_township(actor, township.pk):
        raise Forbidden(errors.TOWNSHIP_NOT_YOURS)
    try:
        uscc = validators.clean_uscc((uscc or "").strip())
    except ValidationError as error:
        raise InvalidInput(error.messages[0], {"uscc": error.messages}) from error
    if ClosedPlant.objects.filter(uscc=uscc).exists():
        message = errors.PLANT_EXISTS.format(uscc=uscc)
        raise Conflict(message, {"uscc": [message]})
    employer = Employer.objects.select_for_update().filter(uscc=uscc).first()
    if employer is None:
        employer = Employer.objects.create(
            name=name,
            uscc=uscc,
            township=township,
            sector=sector,
            closed_under_policy=True,
            is_demo=is_demo,
        )
    elif not employer.closed_under_policy:
        employer.closed_under_policy = True
        employer.save(update_fields=["closed_under_policy"])
        if not _quiet.get():
            # A new risk factor for the employer's open cases.
            transaction.on_commit(
                lambda: signals.employer_closed.send(sender=ClosedPlant, employer_id=employer.pk)
            )
    plant = ClosedPlant.objects.create(
        name=name,
        uscc=uscc,
        township=township,
        closed_on=closed_on,
        sector=sector,
        laid_off=laid_off,
        severance_owed=severance_owed,
        wages_owed=wages_owed,
        employer=employer,
        is_demo=is_demo,
    )
    entries_changed([])
    return plant


def may_register_plants(user: User) -> bool:
    return access.may_keep_registers(user) and (
        roles.is_county_level(user) or bool(roles.township_ids(user))
    )


# --- targets ----------------------------------------------------------------------------


def may_set_targets(user: User) -> bool:
    return access.may_keep_registers(user) and roles.is_county_level(user)


@transaction.atomic
def target_set(
    *,
    actor: User,
    year: int,
    reemployment_rate: Decimal,
    urban_new: int,
    rural_transfer: int,
    note: str = "",
    shares: dict[int, tuple[int, int]] | None = None,
) -> Target:
    """The year's targets and each township's share ({township id: (urban, rural)})."""
    if not may_set_targets(actor):
        raise Forbidden(errors.NOT_ALLOWED)
    target, _ = Target.objects.update_or_create(
        year=year,
        defaults={
            "reemployment_rate": reemployment_rate,
            "urban_new": urban_new,
            "rural_transfer": rural_transfer,
            "note": note,
        },
    )
    for township_id, (urban, rural) in (shares or {}).items():
        TownshipShare.objects.update_or_create(
            target=target,
            township_id=township_id,
            defaults={"urban_new": urban, "rural_transfer": rural},
        )
    entries_changed([])
    return target
