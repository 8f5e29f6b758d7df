"""What each transition asks for and what it changes on the case.

The states and their order are declared on the model (cases/models.py); roles in
cases/permissions.py. Here each transition has a label, an input serializer (the
`fields` the API describes) and an `apply` function that sets the case's fields and
returns the target state when the transition decides it. The inputs themselves live in
cases/transition_inputs.py. cases/services.py runs them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cases import errors, rules
from cases.models import Case, CaseKind, CaseState, ClockRule
from cases.transition_inputs import (
    AWARD_ITEMS,  # noqa: F401  (documents and the workbench read the choices here)
    FINAL_ELIGIBLE_ITEMS,
    RESTART_REASONS,  # noqa: F401
    AcceptDisputeInput,
    AcceptInspectionInput,
    AwardInput,
    ComposeTribunalInput,
    HearEmployerInput,
    HearingDateInput,
    NoteInput,
    OrderPaymentInput,
    PenalizeInput,
    PostponeInput,
    ReasonInput,
    RecordPaymentInput,
    RejectInput,
    RejectionReason,  # noqa: F401
    RestartInput,
    SettleInput,
    StartMediationInput,
    SupplementReceivedInput,
    TransferInput,
    TransferTownshipInput,
    staff_users,
)
from core import roles
from core.models import Township

S = CaseState
WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE


# --- what each transition does ---------------------------------------------------------


@dataclass
class Context:
    case: Case
    data: dict
    actor: Any
    today: dt.date


def _claims_by_id(case, lines, field):
    claims = {c.id: c for c in case.claims.all()}
    unknown = [line["claim"] for line in lines if line["claim"] not in claims]
    if unknown:
        raise errors.InvalidInput(
            "请求人编号不属于本案。", {field: [f"本案没有编号为{n}的请求人。" for n in unknown]}
        )
    return claims


def _accept(ctx: Context):
    case = ctx.case
    case.accepted_on = ctx.today
    case.clock_pauses = []
    if case.kind == WA:
        users = staff_users(ctx.data["inspectors"], roles.INSPECTOR, case, "inspectors")
        case.inspectors.set(users)
        return S.INVESTIGATING
    case.award_clock_started_on = ctx.today
    if ctx.data.get("arbitrators"):
        case.arbitrators.set(
            staff_users(ctx.data["arbitrators"], roles.ARBITRATOR, case, "arbitrators")
        )
    return S.ACCEPTED


def _receive_supplement(ctx: Context):
    received_on = ctx.data.get("received_on") or ctx.today
    if received_on > ctx.today:
        raise errors.InvalidInput("日期不能晚于今天。", {"received_on": ["日期不能晚于今天。"]})
    # 补正: the acceptance clock restarts when the material arrives.
    ctx.case.clock_started_on = received_on


def _reject(ctx: Context):
    ctx.case.rejection_reason = ctx.data["reason_code"]


def _convert_track(ctx: Context):
    case = ctx.case
    case.kind = LD if case.kind == WA else WA
    case.accepted_on = None
    case.award_clock_started_on = None
    case.clock_started_on = ctx.today
    case.clock_pauses = []
    case.extended_stages = []
    case.inspectors.clear()
    case.arbitrators.clear()
    case.mediator = None


def _transfer_township(ctx: Context):
    """The case moves to the township it belongs to; its state and clocks are unchanged
    (a transfer inside the county is not a transfer of jurisdiction under 办案规则
    art.46). The event records both townships; the new township's staff are alerted
    by the notifications app, which listens for this transition."""
    case = ctx.case
    township = Township.objects.get(code=ctx.data["township"])
    if township.pk == case.township_id:
        raise errors.InvalidInput(errors.SAME_TOWNSHIP, {"township": [errors.SAME_TOWNSHIP]})
    ctx.data["from_township"] = case.township.code
    case.township = township


def _hear_employer(ctx: Context):
    heard_on = ctx.data.get("heard_on") or ctx.today
    if heard_on > ctx.today:
        raise errors.InvalidInput("日期不能晚于今天。", {"heard_on": ["日期不能晚于今天。"]})
    ctx.case.employer_heard_on = heard_on


def _extend(stage):
    def apply(ctx: Context):
        if stage in ctx.case.extended_stages:
            raise errors.Conflict(errors.ALREADY_EXTENDED)
        ctx.case.extended_stages = [*ctx.case.extended_stages, stage]

    return apply


def _order_payment(ctx: Context):
    case = ctx.case
    if not case.employer_heard_on:
        raise errors.Conflict(errors.EMPLOYER_NOT_HEARD)
    if ctx.data["pay_by"] <= ctx.today:
        raise errors.InvalidInput("限期支付日须晚于今天。", {"pay_by": ["限期支付日须晚于今天。"]})
    case.pay_by = ctx.data["pay_by"]
    outstanding = sum((c.outstanding for c in case.claims.all()), Decimal("0"))
    case.outcome = {**case.outcome, "ordered_amount": str(ctx.data.get("amount") or outstanding)}


def _record_payment(ctx: Context):
    case = ctx.case
    claims = _claims_by_id(case, ctx.data["payments"], "payments")
    too_much = []
    for line in ctx.data["payments"]:
        claim = claims[line["claim"]]
        if line["amount"] > claim.outstanding:
            too_much.append(f"{claim.person.name}：超过尚欠金额{claim.outstanding}元。")
        claim.amount_recovered += line["amount"]
    if too_much:
        raise errors.InvalidInput("支付金额超过尚欠金额。", {"payments": too_much})
    for claim in claims.values():
        claim.save(update_fields=["amount_recovered"])
    if case.state == S.SETTLED:
        _mark_instalments_paid(case)
    fully_paid = all(c.outstanding == 0 for c in claims.values())
    if case.kind == WA and fully_paid:
        return S.PAID
    return case.state


def _mark_instalments_paid(case):
    """Instalments count as paid, oldest first, as far as the money recovered reaches."""
    recovered = sum((c.amount_recovered for c in case.claims.all()), Decimal("0"))
    paid_so_far = Decimal(case.outcome.get("recovered_before_settlement", "0"))
    instalments = case.outcome.get("instalments", [])
    for instalment in instalments:
        paid_so_far += Decimal(instalment["amount"])
        instalment["paid"] = paid_so_far <= recovered
    case.outcome = {**case.outcome, "instalments": instalments}


def _penalize(ctx: Context):
    case = ctx.case
    if case.pay_by and case.pay_by >= ctx.today:
        raise errors.Conflict(errors.PAY_BY_NOT_PASSED)
    outstanding = sum((c.outstanding for c in case.claims.all()), Decimal("0"))
    percent = ctx.data["compensation_percent"]
    case.outcome = {
        **case.outcome,
        "compensation_percent": percent,
        "additional_compensation": str((outstanding * percent / 100).quantize(Decimal("0.01"))),
        "penalty_amount": str(ctx.data.get("penalty_amount") or "0"),
        "decision_number": ctx.data.get("decision_number", ""),
    }


def police_threshold_met(case, on: dt.date) -> bool:
    """Criminal Law 276-1 as interpreted by 法释〔2013〕3号 art.3 (amounts [CONFIG])."""
    claims = list(case.claims.all())
    single_months = rules.int_parameter("crime_single_months", on)
    single_amount = rules.parameter("crime_single_amount", on)
    for claim in claims:
        if (claim.months_owed or 0) >= single_months and claim.outstanding >= single_amount:
            return True
    workers = [c for c in claims if c.outstanding > 0]
    total = sum((c.outstanding for c in workers), Decimal("0"))
    return len(workers) >= rules.int_parameter(
        "crime_collective_workers", on
    ) and total >= rules.parameter("crime_collective_amount", on)


def _transfer_to_police(ctx: Context):
    case = ctx.case
    if police_threshold_met(case, ctx.today):
        case.outcome = {**case.outcome, "police_threshold_met": True}
        return
    if roles.SUPERVISOR not in roles.user_roles(ctx.actor):
        raise errors.Forbidden(errors.THRESHOLD_NOT_MET)
    reason = (ctx.data.get("override_reason") or "").strip()
    if not reason:
        raise errors.InvalidInput(
            errors.OVERRIDE_REASON_REQUIRED, {"override_reason": [errors.OVERRIDE_REASON_REQUIRED]}
        )
    case.outcome = {**case.outcome, "police_threshold_met": False, "override_reason": reason}


def _close(ctx: Context):
    case = ctx.case
    if case.state == S.SETTLED and not all(
        i.get("paid") for i in case.outcome.get("instalments", [])
    ):
        raise errors.Conflict(errors.INSTALMENTS_UNPAID)


def _compose_tribunal(ctx: Context):
    case = ctx.case
    case.arbitrators.set(
        staff_users(ctx.data["arbitrators"], roles.ARBITRATOR, case, "arbitrators")
    )
    case.tribunal_composed_on = ctx.today


def _start_mediation(ctx: Context):
    case = ctx.case
    if ctx.data.get("mediator"):
        case.mediator = staff_users([ctx.data["mediator"]], roles.MEDIATOR, case, "mediator")[0]
    elif roles.MEDIATOR in roles.user_roles(ctx.actor):
        case.mediator = ctx.actor
    case.clock_started_on = ctx.today


def _settle(ctx: Context):
    case = ctx.case
    instalments = sorted(ctx.data["instalments"], key=lambda i: i["due_date"])
    if instalments[0]["due_date"] < ctx.today:
        raise errors.InvalidInput(
            "履行期限不能早于今天。", {"instalments": ["履行期限不能早于今天。"]}
        )
    recovered = sum((c.amount_recovered for c in case.claims.all()), Decimal("0"))
    case.outcome = {
        **case.outcome,
        "agreement_signed_on": ctx.today.isoformat(),
        "agreed_amount": str(sum((i["amount"] for i in instalments), Decimal("0"))),
        "recovered_before_settlement": str(recovered),
        "instalments": [
            {"due_date": i["due_date"].isoformat(), "amount": str(i["amount"]), "paid": False}
            for i in instalments
        ],
    }


def _enter_hearing(ctx: Context):
    if ctx.case.award_clock_started_on is None:
        ctx.case.award_clock_started_on = ctx.case.accepted_on or ctx.today


def _check_hearing_date(ctx: Context):
    minimum = rules.int_parameter("hearing_notice_min_days")
    earliest = ctx.today + dt.timedelta(days=minimum)
    if ctx.data["hearing_date"] < earliest:
        message = f"开庭通知须在开庭{minimum}日前送达，开庭日期最早为{earliest}。"
        raise errors.InvalidInput(message, {"hearing_date": [message]})


def _schedule_hearing(ctx: Context):
    _check_hearing_date(ctx)
    ctx.case.hearing_date = ctx.data["hearing_date"]


def _postpone_hearing(ctx: Context):
    case = ctx.case
    if not case.hearing_date:
        raise errors.Conflict(errors.NO_HEARING_DATE)
    minimum = rules.int_parameter("postponement_request_min_days")
    if (case.hearing_date - ctx.today).days < minimum:
        raise errors.Conflict(errors.POSTPONE_TOO_LATE)
    _check_hearing_date(ctx)
    case.outcome = {**case.outcome, "postponed_from": case.hearing_date.isoformat()}
    case.hearing_date = ctx.data["hearing_date"]


def _suspend(ctx: Context):
    case = ctx.case
    case.suspended_from = case.state
    case.clock_pauses = [*case.clock_pauses, [ctx.today.isoformat(), None]]


def _resume(ctx: Context):
    case = ctx.case
    pauses = [list(p) for p in case.clock_pauses]
    pauses[-1][1] = ctx.today.isoformat()
    case.clock_pauses = pauses
    target, case.suspended_from = case.suspended_from or S.HEARING, ""
    return target


def _restart_clock(ctx: Context):
    # 办案规则 art.46: these events start the award period again.
    case = ctx.case
    case.award_clock_started_on = ctx.today
    case.clock_pauses = []
    case.extended_stages = [s for s in case.extended_stages if s != "award_extension"]


def _award(ctx: Context):
    case = ctx.case
    # An award concludes the hearing: it can neither precede it nor describe it as held.
    if case.hearing_date and case.hearing_date > ctx.today:
        raise errors.Conflict(errors.AWARD_BEFORE_HEARING.format(date=case.hearing_date))
    if ctx.data.get("default_award") and not case.hearing_date:
        raise errors.Conflict(errors.DEFAULT_AWARD_WITHOUT_HEARING)
    claims = _claims_by_id(case, ctx.data["items"], "items")
    limit = rules.parameter("minimum_monthly_wage", ctx.today) * rules.parameter(
        "final_award_wage_multiple", ctx.today
    )
    items = []
    for line in ctx.data["items"]:
        final = line["item"] in FINAL_ELIGIBLE_ITEMS and line["amount"] <= limit
        items.append(
            {
                "claim": line["claim"],
                "claimant": claims[line["claim"]].person.name,
                "item": line["item"],
                "amount": str(line["amount"]),
                "final": final,
            }
        )
    case.outcome = {
        **case.outcome,
        "award_items": items,
        "final_award_limit": str(limit),
        "default_award": ctx.data.get("default_award", False),
        "awarded_on": ctx.today.isoformat(),
    }


def _nothing(ctx: Context):
    return None


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: str
    apply: Callable[[Context], Any]
    inputs: dict  # kind -> serializer class
    event_label: str = ""


def _spec(name, label, apply=_nothing, inputs=NoteInput, per_kind=None):
    return TransitionSpec(
        name=name,
        label=label,
        apply=apply,
        inputs=per_kind or {WA: inputs, LD: inputs},
    )


SPECS: dict[str, TransitionSpec] = {
    spec.name: spec
    for spec in [
        _spec(
            "accept",
            "受理/立案",
            _accept,
            per_kind={WA: AcceptInspectionInput, LD: AcceptDisputeInput},
        ),
        _spec("request_supplement", "通知补正材料", inputs=ReasonInput),
        _spec("receive_supplement", "收到补正材料", _receive_supplement, SupplementReceivedInput),
        _spec("reject", "不予受理", _reject, RejectInput),
        _spec("convert_track", "转为另一程序（监察/仲裁）", _convert_track, ReasonInput),
        _spec("withdraw", "劳动者撤回", inputs=NoteInput),
        _spec("transfer_township", "移交其他乡镇办理", _transfer_township, TransferTownshipInput),
        _spec("hear_employer", "听取单位陈述申辩", _hear_employer, HearEmployerInput),
        _spec(
            "extend_investigation",
            "延长调查期限（30个工作日）",
            _extend("investigation_extension"),
            ReasonInput,
        ),
        _spec("order_payment", "责令限期支付", _order_payment, OrderPaymentInput),
        _spec("record_payment", "登记支付/追回工资", _record_payment, RecordPaymentInput),
        _spec("penalize", "加付赔偿金/行政处罚", _penalize, PenalizeInput),
        _spec("transfer_to_police", "移送公安机关", _transfer_to_police, TransferInput),
        _spec("revoke", "撤销立案", inputs=ReasonInput),
        _spec("compose_tribunal", "组成仲裁庭并通知", _compose_tribunal, ComposeTribunalInput),
        _spec("start_mediation", "开始调解", _start_mediation, StartMediationInput),
        _spec("settle", "达成调解协议", _settle, SettleInput),
        _spec("fail_mediation", "调解不成，转入仲裁审理", _enter_hearing),
        _spec("refer_to_hearing", "不调解，直接审理", _enter_hearing),
        _spec("schedule_hearing", "确定开庭日期", _schedule_hearing, HearingDateInput),
        _spec("postpone_hearing", "延期开庭", _postpone_hearing, PostponeInput),
        _spec("suspend", "中止审理", _suspend, ReasonInput),
        _spec("resume", "恢复审理", _resume),
        _spec("restart_clock", "重新计算审理期限", _restart_clock, RestartInput),
        _spec("extend_award", "延长审理期限（15日）", _extend("award_extension"), ReasonInput),
        _spec("award", "作出裁决", _award, AwardInput),
        _spec("deem_withdrawn", "申请人无故不到庭，按撤回处理", inputs=NoteInput),
        _spec("close", "结案", _close),
    ]
}


# --- the current statutory deadline --------------------------------------------------


@dataclass
class ClockPlan:
    stage: str
    started_on: dt.date | None = None
    extension_stage: str | None = None
    fixed_due: dt.date | None = None


def clock_plan(case: Case) -> ClockPlan | None:
    """Which clock runs for the case in its current state."""
    state = case.state
    if state == S.SUBMITTED:
        stage = "acceptance_inspection" if case.kind == WA else "acceptance_dispute"
        return ClockPlan(stage, case.clock_started_on)
    if state == S.INVESTIGATING:
        extension = (
            "investigation_extension" if "investigation_extension" in case.extended_stages else None
        )
        return ClockPlan("investigation", case.accepted_on, extension)
    if state == S.ORDERED:
        return ClockPlan("pay_by", fixed_due=case.pay_by)
    if state == S.ACCEPTED and not case.tribunal_composed_on:
        return ClockPlan("tribunal_notice", case.accepted_on)
    if state == S.MEDIATING:
        return ClockPlan("mediation", case.clock_started_on)
    if state in (S.ACCEPTED, S.HEARING, S.SUSPENDED):
        extension = "award_extension" if "award_extension" in case.extended_stages else None
        return ClockPlan("award", case.award_clock_started_on, extension)
    if state == S.SETTLED:
        unpaid = [i for i in case.outcome.get("instalments", []) if not i.get("paid")]
        if unpaid:
            return ClockPlan("instalment", fixed_due=dt.date.fromisoformat(unpaid[0]["due_date"]))
    return None


DAY_KIND_LABELS = dict(ClockRule.DayKind.choices)


def likely_target(case: Case, name: str) -> str:
    """The state a transition leads to from here (for transitions that decide it, the
    usual outcome; a transition that keeps the state names the current one)."""
    if name == "accept":
        return S.INVESTIGATING if case.kind == WA else S.ACCEPTED
    if name == "resume":
        return case.suspended_from or S.HEARING
    if name == "record_payment":
        return S.PAID if case.kind == WA else case.state
    if name == "convert_track":
        return S.SUBMITTED
    for transition in case.get_available_state_transitions():
        if transition.name == name:
            return transition.target if isinstance(transition.target, str) else case.state
    return case.state
