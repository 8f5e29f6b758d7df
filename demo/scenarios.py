"""The courses of events of the demo cases, one per scenario, and how often each occurs."""

from dataclasses import dataclass

from cases.models import CaseKind, CaseState
from demo.base import FIRST
from demo.steps import (
    awarded_pay,
    ld_accept,
    ld_award,
    ld_compose,
    ld_mediate,
    ld_schedule,
    ld_settle,
    ld_to_hearing,
    pay_all,
    pay_some,
    wa_accept,
    wa_hear,
    wa_order,
    wa_penalize,
    wa_transfer,
)

S = CaseState
WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE

# --- the courses of events ---------------------------------------------------------------


def sc_nothing(p):
    pass


def sc_supplement(p):
    p.act((1, 3), "inspector", "request_supplement", {"note": "请补充劳动关系证明及欠薪明细。"})


def sc_ld_supplement(p):
    p.act((1, 3), "arbitrator", "request_supplement", {"note": "请提交仲裁申请书副本及身份证明。"})


def sc_resubmitted(p):
    p.act((1, 3), "inspector", "request_supplement", {"note": "请补充工资条或考勤记录。"})
    p.act((3, 10), "inspector", "receive_supplement", {"note": "劳动者已补正材料。"})


def sc_wa_reject(p):
    if p.rng.random() < 0.3:
        p.act((1, 3), "inspector", "request_supplement", {"note": "请提供用人单位准确名称和地址。"})
        p.act((10, 20), "inspector", "reject", {"reason_code": "employer_unidentified"})
        return
    reason = p.rng.choice(
        ["out_of_time", "outside_jurisdiction", "dispute_track", "already_handled"]
    )
    p.act((1, 4), "inspector", "reject", {"reason_code": reason, "note": "书面告知不予受理理由。"})


def sc_ld_reject(p):
    reason = p.rng.choice(["out_of_time", "not_labor_matter", "already_handled"])
    p.act((1, 4), "arbitrator", "reject", {"reason_code": reason, "note": "出具不予受理通知书。"})


def sc_investigating(p):
    wa_accept(p)
    if p.rng.random() < 0.6:
        wa_hear(p)


def sc_investigating_extended(p):
    wa_accept(p)
    wa_hear(p)
    p.act(
        (70, 80),
        "supervisor",
        "extend_investigation",
        {"note": "涉及人数多、账目复杂，延长调查期限。"},
    )


def sc_ordered(p):
    wa_accept(p)
    wa_hear(p)
    wa_order(p)
    if p.rng.random() < 0.3:
        p.act((2, 5), "inspector", "record_payment", pay_some)


def sc_paid(p):
    wa_accept(p)
    wa_hear(p)
    wa_order(p)
    p.act((3, 9), "inspector", "record_payment", pay_all)


def sc_penalized(p):
    wa_accept(p)
    wa_hear(p)
    wa_penalize(p, wa_order(p))


def sc_transferred(p):
    wa_accept(p)
    wa_hear(p)
    pay_by = wa_order(p)
    if p.rng.random() < 0.5:
        wa_penalize(p, pay_by)
        wa_transfer(p)
    else:
        p.t = pay_by
        wa_transfer(p)


def sc_transferred_override(p):
    wa_accept(p)
    wa_hear(p)
    p.t = wa_order(p)
    wa_transfer(p, role="supervisor", override=True)


def sc_closed_paid(p):
    sc_paid(p)
    p.act((2, 7), "inspector", "close", {"note": "欠薪已全部清偿，结案。"})


def sc_closed_early_pay(p):
    wa_accept(p)
    p.act((2, 10), "inspector", "record_payment", pay_all)
    p.act((1, 5), "inspector", "close", {"note": "立案后单位主动支付，结案。"})


def sc_closed_penalized(p):
    sc_penalized(p)
    p.act((5, 20), "inspector", "record_payment", pay_all)
    p.act((1, 5), "inspector", "close", {"note": "处罚决定已履行，结案。"})


def sc_closed_transferred(p):
    sc_transferred(p)
    p.act((10, 30), "inspector", "close", {"note": "已移送公安机关立案侦查，本案结案。"})


def sc_revoked(p):
    wa_accept(p)
    p.act((3, 15), "inspector", "revoke", {"note": "违法行为轻微并已及时纠正，撤销立案。"})


def sc_wa_withdrawn(p):
    if p.township == FIRST and p.rng.random() < 0.5:  # two inspectors there
        wa_accept(p)
    p.act((1, 10), "inspector", "withdraw", {"note": "劳动者撤回投诉：已与单位协商解决。"})


def sc_converted(p):
    p.act(
        (1, 3), "inspector", "convert_track", {"note": "属解除劳动合同经济补偿争议，转仲裁程序。"}
    )
    ld_accept(p)
    ld_mediate(p)
    ld_settle(p, pay=2, parts=1)
    p.act((1, 5), "mediator", "close", {"note": "调解协议已履行完毕，结案。"})


def sc_accepted(p):
    ld_accept(p)
    if p.rng.random() < 0.5:
        ld_compose(p)


def sc_mediating(p):
    ld_accept(p)
    ld_compose(p)
    ld_mediate(p)


def sc_settled(p):
    ld_accept(p)
    ld_mediate(p)
    ld_settle(p, parts=2, pay=p.rng.choice([0, 1]))


def sc_hearing(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p)
    ld_schedule(p, postpone=p.rng.random() < 0.3)
    roll = p.rng.random()
    if roll < 0.15:
        p.act(
            1,
            "arbitrator",
            "restart_clock",
            {"reason_code": "claims_changed", "note": "申请人增加仲裁请求。"},
        )
    elif roll < 0.3:
        p.act(1, "supervisor", "extend_award", {"note": "案情复杂，经仲裁委员会主任批准延长。"})


def sc_suspended(p):
    ld_accept(p)
    ld_compose(p)
    if p.rng.random() < 0.5:
        ld_to_hearing(p, mediate=False)
    p.act(
        (2, 10), "arbitrator", "suspend", {"note": "申请人申请工伤认定，待认定结论作出后恢复审理。"}
    )


def sc_awarded(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p)
    ld_award(p, ld_schedule(p))


def sc_closed_settled(p):
    ld_accept(p)
    ld_compose(p)
    ld_mediate(p)
    parts = ld_settle(p, pay=2)
    p.act((1, 5), "mediator", "close", {"note": f"调解协议{parts}期款项均已履行，结案。"})


def sc_closed_awarded(p):
    sc_awarded(p)
    if p.rng.random() < 0.5:
        p.act((10, 30), "arbitrator", "record_payment", awarded_pay)
    p.act((1, 10), "arbitrator", "close", {"note": "裁决书已送达，结案。"})


def sc_closed_settled_in_hearing(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p, mediate=False)
    hearing = ld_schedule(p)
    ld_settle(p, parts=1, pay=1, gap=hearing - p.t, role="arbitrator")
    p.act((1, 5), "arbitrator", "close", {"note": "庭审中达成调解并已履行，结案。"})


def sc_resumed_awarded(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p, mediate=False)
    p.act((2, 5), "arbitrator", "suspend", {"note": "需等待工伤认定结论。"})
    p.act((20, 40), "arbitrator", "resume", {"note": "工伤认定结论已作出，恢复审理。"})
    ld_award(p, ld_schedule(p))


def sc_ld_withdrawn(p):
    ld_accept(p)
    if p.rng.random() < 0.6:
        ld_mediate(p)
    p.act((2, 10), "mediator", "withdraw", {"note": "申请人撤回仲裁申请：双方已和解。"})


def sc_deemed_withdrawn(p):
    ld_accept(p)
    ld_compose(p)
    ld_to_hearing(p, mediate=False)
    hearing = ld_schedule(p)
    p.act(
        hearing - p.t,
        "arbitrator",
        "deem_withdrawn",
        {"note": "申请人经书面通知无正当理由拒不到庭。"},
    )


@dataclass(frozen=True)
class Scenario:
    key: str
    target: str
    kind: str
    where: str  # "any": every township; "local": the two with demo staff; or a code
    window: int | None  # open cases: filed at most this many days before the last act
    weight: float
    build: object
    profile: str = ""  # "police": 276-1 threshold met; "below": not met


# The first sixteen cover every state, so even a small --cases shows all of them.
# fmt: off
SCENARIOS = [
    Scenario("wa_submitted", S.SUBMITTED, WA, "any", 4, 8, sc_nothing),
    Scenario("wa_awaiting", S.AWAITING_SUPPLEMENT, WA, "any", 20, 3, sc_supplement),
    Scenario("wa_rejected", S.REJECTED, WA, "any", None, 4, sc_wa_reject),
    Scenario("wa_investigating", S.INVESTIGATING, WA, FIRST, 80, 10, sc_investigating),
    Scenario("wa_ordered", S.ORDERED, WA, FIRST, 25, 6, sc_ordered),
    Scenario("wa_paid", S.PAID, WA, FIRST, 10, 3, sc_paid),
    Scenario("wa_penalized", S.PENALIZED, WA, FIRST, 30, 3, sc_penalized),
    Scenario("wa_transferred", S.TRANSFERRED, WA, FIRST, 30, 2, sc_transferred, "police"),
    Scenario("ld_accepted", S.ACCEPTED, LD, "any", 12, 4, sc_accepted),
    Scenario("ld_mediating", S.MEDIATING, LD, "any", 12, 5, sc_mediating),
    Scenario("ld_settled", S.SETTLED, LD, "any", 20, 4, sc_settled),
    Scenario("ld_hearing", S.HEARING, LD, "any", 15, 5, sc_hearing),
    Scenario("ld_suspended", S.SUSPENDED, LD, "any", 30, 2, sc_suspended),
    Scenario("ld_awarded", S.AWARDED, LD, "any", 20, 3, sc_awarded),
    Scenario("wa_closed_paid", S.CLOSED, WA, FIRST, None, 14, sc_closed_paid),
    Scenario("ld_withdrawn", S.WITHDRAWN, LD, "any", None, 3, sc_ld_withdrawn),
    # further courses of events
    Scenario("ld_submitted", S.SUBMITTED, LD, "any", 3, 5, sc_nothing),
    Scenario("ld_awaiting", S.AWAITING_SUPPLEMENT, LD, "any", 15, 2, sc_ld_supplement),
    Scenario("wa_resubmitted", S.SUBMITTED, WA, "any", 8, 1, sc_resubmitted),
    Scenario("ld_rejected", S.REJECTED, LD, "any", None, 3, sc_ld_reject),
    Scenario("wa_extended", S.INVESTIGATING, WA, FIRST, 20, 1, sc_investigating_extended),
    Scenario("wa_transferred_override", S.TRANSFERRED, WA, FIRST, None, 0, sc_transferred_override, "below"),
    Scenario("wa_closed_early_pay", S.CLOSED, WA, FIRST, None, 6, sc_closed_early_pay),
    Scenario("wa_closed_penalized", S.CLOSED, WA, FIRST, None, 3, sc_closed_penalized),
    Scenario("wa_closed_transferred", S.CLOSED, WA, FIRST, None, 1, sc_closed_transferred, "police"),
    Scenario("wa_converted", S.CLOSED, WA, "local", None, 2, sc_converted),
    Scenario("ld_closed_settled", S.CLOSED, LD, "any", None, 12, sc_closed_settled),
    Scenario("ld_closed_awarded", S.CLOSED, LD, "any", None, 8, sc_closed_awarded),
    Scenario("ld_closed_in_hearing", S.CLOSED, LD, "any", None, 2, sc_closed_settled_in_hearing),
    Scenario("ld_resumed_awarded", S.AWARDED, LD, "any", None, 1, sc_resumed_awarded),
    Scenario("wa_revoked", S.WITHDRAWN, WA, FIRST, None, 2, sc_revoked),
    Scenario("wa_withdrawn", S.WITHDRAWN, WA, "any", None, 2, sc_wa_withdrawn),
    Scenario("ld_deemed_withdrawn", S.WITHDRAWN, LD, "any", None, 1, sc_deemed_withdrawn),
]
# fmt: on
