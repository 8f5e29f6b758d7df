"""The steps of a demo case: a Plan collects them, each runs later as the real transition
with the data its Act needs; the builders add the steps of one course of events."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from cases.models import Case
from demo.people import money
from demo.staff import LOCAL_STAFF

EMPLOYER_STATEMENTS = [
    "单位承认拖欠，称工程款未到位，请求宽限一个月。",
    "单位称已与包工头结算，工资应由包工头发放。",
    "单位对欠薪数额有异议，提交了考勤记录。",
    "单位法定代表人未到场，委托财务人员陈述：企业关停后资金困难。",
]


# --- planning a case ---------------------------------------------------------------------


@dataclass
class Step:
    offset: int  # days after the filing day
    role: str
    name: str
    data: object  # dict, or callable(Act) -> dict


@dataclass
class Plan:
    rng: random.Random
    township: str
    t: int = 0
    steps: list = field(default_factory=list)

    @property
    def local(self):
        """Demo staff work in the case's township (elsewhere the supervisor acts)."""
        return self.township in LOCAL_STAFF

    def r(self, low, high):
        return self.rng.randint(low, high)

    def act(self, gap, role, name, data=None):
        self.t += self.r(*gap) if isinstance(gap, tuple) else gap
        self.steps.append(Step(self.t, role, name, data if data is not None else {}))
        return self.t


@dataclass
class Act:
    """What a step's data needs when it runs: the act's date, the case's claims, staff."""

    case: Case
    today: dt.date
    township: str

    @property
    def claims(self):
        return list(self.case.claims.select_related("person").order_by("id"))

    def staff(self, role):
        return LOCAL_STAFF.get(self.township, {}).get(role)

    def after(self, days):
        return (self.today + dt.timedelta(days=days)).isoformat()


def pay_all(x: Act):
    return {
        "payments": [
            {"claim": c.id, "amount": str(c.outstanding)} for c in x.claims if c.outstanding
        ],
        "note": "用人单位已足额支付，劳动者确认收到。",
    }


def pay_some(x: Act):
    claims = [c for c in x.claims if c.outstanding]
    lines = [{"claim": c.id, "amount": str(money(c.outstanding / 2))} for c in claims]
    return {"payments": lines, "note": "用人单位先行支付一半，余款承诺限期内付清。"}


def split_settlement(claims, ratio, parts):
    """Agreed amount per claim, split into instalments: [{claim_id: amount}, ...]."""
    schedule = [{} for _ in range(parts)]
    for claim in claims:
        agreed = money(claim.amount_claimed * Decimal(ratio))
        first = money(agreed / parts) if parts > 1 else agreed
        amounts = [first] * (parts - 1) + [agreed - first * (parts - 1)]
        for index, amount in enumerate(amounts):
            if amount > 0:
                schedule[index][claim.id] = amount
    return [part for part in schedule if part]


# Each builder adds the steps of one course of events to a Plan.


def wa_accept(p):
    p.act(
        (1, 4),
        "inspector",
        "accept",
        lambda x: {
            "inspectors": [x.staff("inspector"), x.staff("inspector_b")],
            "note": "经审查符合立案条件，予以立案调查。",
        },
    )


def wa_hear(p):
    p.act((3, 10), "inspector_b", "hear_employer", {"note": p.rng.choice(EMPLOYER_STATEMENTS)})


def wa_order(p):
    """Order to pay; returns the offset of the pay-by day."""
    days = p.r(10, 20)
    p.act(
        (1, 4),
        "inspector",
        "order_payment",
        lambda x: {"pay_by": x.after(days), "note": "下达劳动保障监察责令改正指令书。"},
    )
    return p.t + days


def wa_penalize(p, pay_by):
    percent = p.rng.choice([50, 60, 80, 100])
    penalty = p.rng.choice(["2000.00", "5000.00", "10000.00"])
    p.act(
        pay_by - p.t + p.r(2, 10),
        "inspector",
        "penalize",
        lambda x: {
            "compensation_percent": percent,
            "penalty_amount": penalty,
            "decision_number": f"襄人社监罚〔{x.today.year}〕{x.case.pk % 97 + 1}号",
            "note": "逾期未支付，责令加付赔偿金并处罚款。",
        },
    )


def wa_transfer(p, role="inspector", override=False):
    data = {"note": "涉嫌拒不支付劳动报酬罪，移送县公安局。"}
    if override:
        data["override_reason"] = "单位负责人失联并转移财产，虽未达数额标准，仍移送公安机关。"
    p.act((2, 6), role, "transfer_to_police", data)


def ld_accept(p):
    p.act(
        (1, 4),
        "arbitrator",
        "accept",
        lambda x: {"arbitrators": [x.staff("arbitrator")]} if x.staff("arbitrator") else {},
    )


def ld_compose(p):
    if p.local:
        p.act(
            (1, 4),
            "arbitrator",
            "compose_tribunal",
            lambda x: {"arbitrators": [x.staff("arbitrator")]},
        )


def ld_mediate(p):
    p.act((1, 5), "mediator", "start_mediation", {"note": "双方同意调解。"})


def ld_settle(p, parts=None, pay=0, gap=(3, 14), role="mediator"):
    """Sign a mediation agreement; pay the first `pay` instalments; returns parts."""
    ratio = p.rng.choice([0.7, 0.8, 0.9, 1.0])
    parts = parts or p.rng.choice([1, 2])
    spacing = p.r(15, 30)

    def agreement(x):
        schedule = split_settlement(x.claims, ratio, parts)
        return {
            "instalments": [
                {"due_date": x.after(spacing * (i + 1) - 10), "amount": str(sum(part.values()))}
                for i, part in enumerate(schedule)
            ],
            "note": "双方自愿达成调解协议，分期履行。",
        }

    p.act(gap, role, "settle", agreement)
    for i in range(min(pay, parts)):

        def payment(x, i=i):
            part = split_settlement(x.claims, ratio, parts)[i]
            return {
                "payments": [{"claim": k, "amount": str(v)} for k, v in part.items()],
                "note": f"第{i + 1}期款项已履行。",
            }

        p.act(spacing - 10 if i == 0 else spacing, role, "record_payment", payment)
    return parts


def ld_to_hearing(p, mediate=None):
    if mediate is None:
        mediate = p.rng.random() < 0.6
    if mediate:
        ld_mediate(p)
        p.act((8, 15), "mediator", "fail_mediation", {"note": "调解不成，转入仲裁审理。"})
    else:
        p.act((1, 3), "arbitrator", "refer_to_hearing", {"note": "当事人不同意调解。"})


def ld_schedule(p, postpone=False):
    """Fix a hearing date; returns its offset."""
    days = p.r(7, 15)
    p.act((1, 3), "arbitrator", "schedule_hearing", lambda x: {"hearing_date": x.after(days)})
    hearing = p.t + days
    if postpone:
        later = p.r(8, 15)
        p.act(
            1,
            "arbitrator",
            "postpone_hearing",
            lambda x: {"hearing_date": x.after(later), "note": "被申请人申请延期，理由正当。"},
        )
        hearing = p.t + later
    return hearing


def ld_award(p, hearing):
    ratio = p.rng.choice([0.5, 0.8, 1.0])

    def items(x):
        return {
            "items": [
                {
                    "claim": c.id,
                    "item": "wages" if c.months_owed else "compensation",
                    "amount": str(money(c.amount_claimed * Decimal(ratio))),
                }
                for c in x.claims
            ],
            "note": "经开庭审理，依法裁决。",
        }

    p.act(hearing - p.t + p.r(0, 5), "arbitrator", "award", items)


def awarded_pay(x: Act):
    award = {i["claim"]: Decimal(i["amount"]) for i in x.case.outcome.get("award_items", [])}
    lines = [
        {"claim": c.id, "amount": str(min(award.get(c.id, 0), c.outstanding))}
        for c in x.claims
        if min(award.get(c.id, 0), c.outstanding) > 0
    ]
    return {"payments": lines, "note": "被申请人已按裁决履行。"}
