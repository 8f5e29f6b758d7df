"""Whether a case meets the conditions of a listing, read from its history and claims.

The conditions are rule rows (rules.models.ListingCriterion, read by rules.listing);
this module says how each condition is found in a case:

- order_ignored: the case's last order to pay (`order_payment` event) set a day to pay
  by, that day has passed, and the workers were still owed something when it passed
  (payments recorded after the day do not undo the refusal).
- wage_refusal_amount: rules.thresholds' one 276-1 test, on what was still owed when the
  order's day passed (without an order: on what is owed now).
- incident: a threat of self-harm or extreme action, or a visit to a petition office, in
  the complaint or a staff note on the case (the risk score's own keywords, RiskKeyword
  kinds threat and petition), or the risk score's threat factor on the case.
- blacklisted: the case put its employer on the blacklist (a listing decision, even if
  the entry has ended since).
- transferred_police: the case was transferred to the police.
- amount_over: the workers' claims on the case add up to at least the row's amount.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from cases.models import Case, CaseEvent
from rules import listing
from rules.models import ListingCriterion, RiskKeyword
from rules.parameters import ParameterMissing
from rules.thresholds import WorkerClaim, wage_refusal_threshold_met

C = ListingCriterion.Condition
ZERO = Decimal("0")


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _cn(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass
class Finding:
    code: str
    label: str
    met: bool
    detail: str

    def as_record(self) -> dict:
        return {"code": self.code, "label": self.label, "detail": self.detail}


@dataclass
class Assessment:
    """The conditions of one listing, checked on one case on one day."""

    groups: list[list[Finding]] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return bool(self.groups) and all(any(f.met for f in group) for group in self.groups)

    @property
    def findings_met(self) -> list[Finding]:
        return [f for group in self.groups for f in group if f.met]

    @property
    def missing(self) -> list[str]:
        """One line per group not met: its conditions (alternatives) and why each fails."""
        lines = []
        for group in self.groups:
            if any(f.met for f in group):
                continue
            lines.append(" 或 ".join(f"{f.label}（{f.detail}）" for f in group))
        return lines


class CaseRecord:
    """What the conditions read about a case, each fact read once."""

    def __init__(self, case: Case, on: dt.date):
        self.case = case
        self.on = on

    @cached_property
    def events(self) -> list[CaseEvent]:
        return list(
            CaseEvent.objects.filter(case=self.case)
            .only("transition", "data", "note", "created_at")
            .order_by("created_at", "id")
        )

    @cached_property
    def claims(self) -> list:
        return list(self.case.claims.all())

    @cached_property
    def order(self) -> CaseEvent | None:
        orders = [e for e in self.events if e.transition == "order_payment"]
        return orders[-1] if orders else None

    @cached_property
    def pay_by(self) -> dt.date | None:
        if self.order is None:
            return None
        value = self.order.data.get("pay_by")
        return dt.date.fromisoformat(value[:10]) if value else self.case.pay_by

    def recovered_by(self, day: dt.date) -> dict[int, Decimal]:
        """Per claim, the payments recorded on or before `day`."""
        paid: dict[int, Decimal] = {}
        for event in self.events:
            if event.transition != "record_payment" or event.created_at.date() > day:
                continue
            for line in event.data.get("payments", []):
                claim = int(line["claim"])
                paid[claim] = paid.get(claim, ZERO) + Decimal(str(line["amount"]))
        return paid

    @cached_property
    def owed_claims(self) -> list[WorkerClaim]:
        """What each worker was owed when the order's day passed (else: now)."""
        if self.pay_by is None:
            return [
                WorkerClaim(c.months_owed, c.amount_claimed, c.amount_recovered)
                for c in self.claims
            ]
        paid = self.recovered_by(self.pay_by)
        return [
            WorkerClaim(c.months_owed, c.amount_claimed, paid.get(c.pk, ZERO)) for c in self.claims
        ]

    @cached_property
    def text(self) -> str:
        notes = [e.note for e in self.events if e.note]
        return "\n".join([self.case.description, self.case.project_name, *notes])

    def has(self, transition: str) -> bool:
        return any(e.transition == transition for e in self.events)


# --- one function per condition: (met, why) ---------------------------------------------


def order_ignored(record: CaseRecord, row: ListingCriterion | None) -> tuple[bool, str]:
    if record.order is None:
        return False, "案件未作出责令限期支付"
    pay_by = record.pay_by
    if pay_by is None or pay_by >= record.on:
        return False, f"限期支付日{_cn(pay_by) if pay_by else ''}尚未届满"
    owed = sum((c.outstanding for c in record.owed_claims), ZERO)
    if owed <= 0:
        return False, f"已在限期支付日{_cn(pay_by)}前付清"
    return True, f"限期支付日{_cn(pay_by)}届满时仍欠{money(owed)}元"


def wage_refusal_amount(record: CaseRecord, row: ListingCriterion) -> tuple[bool, str]:
    owed = sum((c.outstanding for c in record.owed_claims), ZERO)
    workers = sum(1 for c in record.owed_claims if c.outstanding > 0)
    try:
        met = wage_refusal_threshold_met(record.owed_claims, record.on)
    except ParameterMissing:
        return False, "拒不支付劳动报酬罪数额标准未设置"
    state = "达到" if met else "未达到"
    return met, f"{workers}人被拖欠{money(owed)}元，{state}数额标准"


def incident(record: CaseRecord, row: ListingCriterion) -> tuple[bool, str]:
    words = list(
        RiskKeyword.objects.filter(
            kind__in=[RiskKeyword.Kind.THREAT, RiskKeyword.Kind.PETITION], active=True
        ).values_list("word", flat=True)
    )
    found = [w for w in words if w in record.text]
    scored = any(f.get("code") == "threat" for f in record.case.risk_factors or [])
    if found:
        return True, "案件记录中有：" + "、".join(found)
    if scored:
        return True, "风险评分认定以自伤或极端行为相威胁"
    return False, "案件记录中没有群体性事件或极端事件的记载"


def blacklisted(record: CaseRecord, row: ListingCriterion) -> tuple[bool, str]:
    from enforcement.models import WAS_LISTED_STATES, BlacklistEntry

    entry = (
        BlacklistEntry.objects.filter(case=record.case, state__in=WAS_LISTED_STATES)
        .order_by("-listed_from")
        .first()
    )
    if entry is None or entry.listed_from is None or entry.listed_from > record.on:
        return False, "本案未列入失信联合惩戒名单"
    return True, f"{_cn(entry.listed_from)}列入失信联合惩戒名单"


def transferred_police(record: CaseRecord, row: ListingCriterion) -> tuple[bool, str]:
    if record.has("transfer_to_police"):
        return True, "已移送公安机关"
    return False, "未移送公安机关"


def amount_over(record: CaseRecord, row: ListingCriterion) -> tuple[bool, str]:
    total = sum((c.amount_claimed for c in record.claims), ZERO)
    limit = row.amount if row.amount is not None else ZERO
    state = "达到" if total >= limit else "未达到"
    return total >= limit, f"涉及金额{money(total)}元，{state}{money(limit)}元"


CONDITIONS: dict[str, Callable[[CaseRecord, ListingCriterion], tuple[bool, str]]] = {
    C.ORDER_IGNORED: order_ignored,
    C.WAGE_REFUSAL_AMOUNT: wage_refusal_amount,
    C.INCIDENT: incident,
    C.BLACKLISTED: blacklisted,
    C.TRANSFERRED_POLICE: transferred_police,
    C.AMOUNT_OVER: amount_over,
}


def assess(case: Case, listing_code: str, on: dt.date) -> Assessment:
    """The listing's conditions in force on `on`, each checked on the case.

    Raises rules.listing.CriteriaMissing when none is in force.
    """
    record = CaseRecord(case, on)
    groups = []
    for rows in listing.listing_groups(listing_code, on):
        group = []
        for row in rows:
            met, detail = CONDITIONS[row.condition](record, row)
            group.append(Finding(row.condition, row.get_condition_display(), met, detail))
        groups.append(group)
    return Assessment(groups)


def order_was_ignored(case: Case, on: dt.date) -> bool:
    """Whether the case's order to pay was ignored (as the condition order_ignored)."""
    return order_ignored(CaseRecord(case, on), None)[0]


def blacklist_assessment(case: Case, on: dt.date) -> Assessment:
    return assess(case, ListingCriterion.Listing.BLACKLIST, on)


def publication_assessment(case: Case, on: dt.date) -> Assessment:
    return assess(case, ListingCriterion.Listing.PUBLICATION, on)
