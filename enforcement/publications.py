"""The quarterly publication of major violations (重大劳动保障违法行为社会公布,
人社部令29号): drafted from the cases decided in the quarter that meet the publication's
conditions (rule rows), approved by a supervisor who did not draft it, then exported.

What is published is text built here from the case's structured facts (the employer's
registered data, amounts, the acts recorded in its history), never from what a worker
typed: no worker's name, ID number or phone can reach a published row. The responsible
person's name is published only while the legal parameter
`publication_names_responsible_person` says so, and never their ID number.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseEvent, CaseKind
from core import roles
from enforcement import criteria, errors
from enforcement.models import (
    WAS_LISTED_STATES,
    BlacklistEntry,
    Publication,
    PublicationItem,
)
from rules import listing
from rules.parameters import ParameterMissing, int_parameter

ZERO = Decimal("0")


def quarter_period(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end_month = start.month + 2
    following = dt.date(year + (end_month == 12), end_month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{quarter}季度"


def _quarter_checked(year, quarter, today: dt.date) -> tuple[int, int]:
    try:
        year, quarter = int(year), int(quarter)
        if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
            raise ValueError
    except (TypeError, ValueError) as error:
        raise errors.InvalidInput(
            errors.PUBLICATION_QUARTER_INVALID, {"quarter": [errors.PUBLICATION_QUARTER_INVALID]}
        ) from error
    if quarter_period(year, quarter)[0] > today:
        raise errors.InvalidInput(
            errors.PUBLICATION_QUARTER_INVALID, {"quarter": [errors.PUBLICATION_QUARTER_INVALID]}
        )
    return year, quarter


def _outcome_text(case: Case, events: list[CaseEvent], entry: BlacklistEntry | None) -> str:
    acts = []
    names = {e.transition for e in events}
    if "order_payment" in names:
        acts.append("责令限期支付")
    penalty = next((e for e in reversed(events) if e.transition == "penalize"), None)
    if penalty is not None:
        percent = case.outcome.get("compensation_percent")
        acts.append(f"责令加付赔偿金（{percent}%）" if percent else "责令加付赔偿金")
        amount = Decimal(str(case.outcome.get("penalty_amount") or "0"))
        if amount > 0:
            acts.append(f"罚款{criteria.money(amount)}元")
    if "transfer_to_police" in names:
        acts.append("涉嫌拒不支付劳动报酬罪移送公安机关")
    if entry is not None and entry.listed_until:
        acts.append(f"列入拖欠农民工工资失信联合惩戒对象名单（至{entry.listed_until}）")
    recovered = sum((c.amount_recovered for c in case.claims.all()), ZERO)
    if recovered > 0:
        acts.append(f"已追回工资{criteria.money(recovered)}元")
    return "；".join(acts) or "依法处理"


def _violation_text(case: Case, on: dt.date) -> str:
    claims = list(case.claims.all())
    total = sum((c.amount_claimed for c in claims), ZERO)
    text = f"拖欠{len(claims)}名劳动者工资共计{criteria.money(total)}元"
    if criteria.order_was_ignored(case, on):
        text += "，经责令限期支付逾期未支付"
    return text


def _names_published(on: dt.date) -> bool:
    try:
        return bool(int_parameter("publication_names_responsible_person", on))
    except ParameterMissing:
        return False  # in doubt, a person's name stays out


def _item(case: Case, assessment: criteria.Assessment, on: dt.date) -> dict:
    events = list(CaseEvent.objects.filter(case=case).order_by("created_at", "id"))
    entry = (
        BlacklistEntry.objects.filter(case=case, state__in=WAS_LISTED_STATES)
        .prefetch_related("responsible_persons")
        .order_by("-listed_from")
        .first()
    )
    person = ""
    if entry is not None and _names_published(on):
        person = "、".join(
            f"{p.get_role_display()}{p.name}" for p in entry.responsible_persons.all()
        )
    employer = case.employer
    return {
        "case_number": case.number,
        "employer_name": employer.name,
        "uscc": employer.uscc,
        "employer_address": employer.address,
        "responsible_person": person,
        "violation": _violation_text(case, on),
        "outcome": _outcome_text(case, events, entry),
        "criteria": "；".join(f.label for f in assessment.findings_met)[:300],
    }


def publication_rows(year: int, quarter: int, on: dt.date) -> list[dict]:
    """The published rows of the quarter: inspection cases decided in it that meet the
    publication's conditions on `on`."""
    start, end = quarter_period(year, quarter)
    decided = (
        Case.objects.filter(kind=CaseKind.WAGE_ARREARS, handled_on__range=(start, end))
        .select_related("employer")
        .prefetch_related("claims")
        .order_by("handled_on", "number")
    )
    rows = []
    for case in decided:
        try:
            assessment = criteria.publication_assessment(case, on)
        except listing.CriteriaMissing as error:
            raise errors.Conflict(errors.CRITERIA_NOT_SET) from error
        if assessment.met:
            rows.append(_item(case, assessment, on))
    return rows


def publication_draft(*, year, quarter, actor: User, today: dt.date | None = None) -> Publication:
    """Build (or build again, while still a draft) the quarter's list."""
    today = today or timezone.localdate()
    if not roles.has_any_role(actor, {roles.INSPECTOR, roles.SUPERVISOR}):
        raise errors.Forbidden(errors.PUBLICATION_ROLE)
    year, quarter = _quarter_checked(year, quarter, today)
    with transaction.atomic():
        publication = (
            Publication.objects.select_for_update().filter(year=year, quarter=quarter).first()
        )
        if publication is not None and publication.state == Publication.State.APPROVED:
            raise errors.Conflict(
                errors.PUBLICATION_APPROVED.format(quarter=quarter_label(year, quarter))
            )
        rows = publication_rows(year, quarter, today)
        if publication is None:
            try:
                with transaction.atomic():
                    publication = Publication.objects.create(
                        year=year, quarter=quarter, drafted_by=actor
                    )
            except IntegrityError as error:
                raise errors.Conflict(
                    errors.PUBLICATION_APPROVED.format(quarter=quarter_label(year, quarter))
                ) from error
        else:
            publication.items.all().delete()
            publication.drafted_by, publication.drafted_at = actor, timezone.now()
            publication.save(update_fields=["drafted_by", "drafted_at"])
        PublicationItem.objects.bulk_create(
            PublicationItem(publication=publication, position=n, **row)
            for n, row in enumerate(rows, start=1)
        )
    return publication


def publication_approve(*, publication_id: int, actor: User) -> Publication:
    """A supervisor who did not draft the list approves it; from then on it is frozen."""
    if not roles.has_any_role(actor, {roles.SUPERVISOR}):
        raise errors.Forbidden(errors.PUBLICATION_APPROVE_ROLE)
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(pk=publication_id).first()
        if publication is None:
            raise errors.NotFound(errors.PUBLICATION_NOT_FOUND)
        if publication.state != Publication.State.DRAFT:
            raise errors.Conflict(errors.PUBLICATION_NOT_DRAFT)
        if publication.drafted_by_id == actor.pk:
            raise errors.Forbidden(errors.PUBLICATION_FOUR_EYES)
        publication.state = Publication.State.APPROVED
        publication.approved_by, publication.approved_at = actor, timezone.now()
        publication.save(update_fields=["state", "approved_by", "approved_at"])
    return publication
