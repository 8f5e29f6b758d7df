"""What each transition changes on the case: one effect function per row of the table
(cases/lifecycle/transitions.py).

An effect gets the case, the validated inputs, the actor and the day; it sets the case's
fields and returns the target state when the transition decides it (the row's target is
then `Decides(...)`). cases/services.py locks, runs the effect, moves the state and saves.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cases import errors, hearings, service_guard
from cases.lifecycle.inputs import FINAL_ELIGIBLE_ITEMS, staff_users
from cases.lifecycle.states import CaseKind, CaseState
from core import roles
from rules import parameters as rules
from rules.thresholds import WorkerClaim, wage_refusal_threshold_met

S = CaseState
WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE


# --- what each transition does ---------------------------------------------------------


@dataclass
class Context:
    case: Any  # a cases.models.Case
    data: dict
    actor: Any
    today: dt.date
    transition: Any = None  # the row being run (cases.lifecycle.transitions.Transition)


def _claims_by_id(case, lines, field):
    claims = {c.id: c for c in case.claims.all()}
    unknown = [line["claim"] for line in lines if line["claim"] not in claims]
    if unknown:
        raise errors.InvalidInput(
            "请求人编号不属于本案。", {field: [f"本案没有编号为{n}的请求人。" for n in unknown]}
        )
    return claims


def accept(ctx: Context):
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


def receive_supplement(ctx: Context):
    received_on = ctx.data.get("received_on") or ctx.today
    if received_on > ctx.today:
        raise errors.InvalidInput("日期不能晚于今天。", {"received_on": ["日期不能晚于今天。"]})
    # 补正: the acceptance clock restarts when the material arrives.
    ctx.case.clock_started_on = received_on


def reject(ctx: Context):
    ctx.case.rejection_reason = ctx.data["reason_code"]


def convert_track(ctx: Context):
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


def transfer_township(ctx: Context):
    """The case moves to the township it belongs to; its state and clocks are unchanged
    (a transfer inside the county is not a transfer of jurisdiction under 办案规则
    art.46). The event records both townships; the new township's staff are alerted
    by the notifications app, which listens for this transition."""
    case = ctx.case
    township_model = case._meta.get_field("township").related_model
    township = township_model.objects.get(code=ctx.data["township"])
    if township.pk == case.township_id:
        raise errors.InvalidInput(errors.SAME_TOWNSHIP, {"township": [errors.SAME_TOWNSHIP]})
    ctx.data["from_township"] = case.township.code
    case.township = township


def hear_employer(ctx: Context):
    heard_on = ctx.data.get("heard_on") or ctx.today
    if heard_on > ctx.today:
        raise errors.InvalidInput("日期不能晚于今天。", {"heard_on": ["日期不能晚于今天。"]})
    ctx.case.employer_heard_on = heard_on


def extend(ctx: Context):
    """The one extension of a stage's period (the row's `extends` names the stage)."""
    stage = ctx.transition.extends
    if stage in ctx.case.extended_stages:
        raise errors.Conflict(errors.ALREADY_EXTENDED)
    ctx.case.extended_stages = [*ctx.case.extended_stages, stage]


def order_payment(ctx: Context):
    case = ctx.case
    if not case.employer_heard_on:
        raise errors.Conflict(errors.EMPLOYER_NOT_HEARD)
    if ctx.data["pay_by"] <= ctx.today:
        raise errors.InvalidInput("限期支付日须晚于今天。", {"pay_by": ["限期支付日须晚于今天。"]})
    case.pay_by = ctx.data["pay_by"]
    outstanding = sum((c.outstanding for c in case.claims.all()), Decimal("0"))
    case.outcome = {**case.outcome, "ordered_amount": str(ctx.data.get("amount") or outstanding)}


def record_payment(ctx: Context):
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


def penalize(ctx: Context):
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
    """Criminal Law 276-1 on what the workers are still owed (rules.thresholds)."""
    return wage_refusal_threshold_met(
        [
            WorkerClaim(c.months_owed, c.amount_claimed, c.amount_recovered)
            for c in case.claims.all()
        ],
        on,
    )


def transfer_to_police(ctx: Context):
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


def close(ctx: Context):
    case = ctx.case
    if case.state == S.SETTLED and not all(
        i.get("paid") for i in case.outcome.get("instalments", [])
    ):
        raise errors.Conflict(errors.INSTALMENTS_UNPAID)


def compose_tribunal(ctx: Context):
    case = ctx.case
    case.arbitrators.set(
        staff_users(ctx.data["arbitrators"], roles.ARBITRATOR, case, "arbitrators")
    )
    case.tribunal_composed_on = ctx.today


def start_mediation(ctx: Context):
    case = ctx.case
    if ctx.data.get("mediator"):
        case.mediator = staff_users([ctx.data["mediator"]], roles.MEDIATOR, case, "mediator")[0]
    elif roles.MEDIATOR in roles.user_roles(ctx.actor):
        case.mediator = ctx.actor
    case.clock_started_on = ctx.today


def settle(ctx: Context):
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


def enter_hearing(ctx: Context):
    if ctx.case.award_clock_started_on is None:
        ctx.case.award_clock_started_on = ctx.case.accepted_on or ctx.today


def _check_hearing_date(ctx: Context):
    minimum = rules.int_parameter("hearing_notice_min_days")
    earliest = ctx.today + dt.timedelta(days=minimum)
    if ctx.data["hearing_date"] < earliest:
        message = f"开庭通知须在开庭{minimum}日前送达，开庭日期最早为{earliest}。"
        raise errors.InvalidInput(message, {"hearing_date": [message]})


def schedule_hearing(ctx: Context):
    _check_hearing_date(ctx)
    ctx.case.hearing_date = ctx.data["hearing_date"]
    hearings.hearing_details_apply(ctx)


def postpone_hearing(ctx: Context):
    case = ctx.case
    if not case.hearing_date:
        raise errors.Conflict(errors.NO_HEARING_DATE)
    minimum = rules.int_parameter("postponement_request_min_days")
    if (case.hearing_date - ctx.today).days < minimum:
        raise errors.Conflict(errors.postpone_too_late(minimum))
    _check_hearing_date(ctx)
    case.outcome = {**case.outcome, "postponed_from": case.hearing_date.isoformat()}
    case.hearing_date = ctx.data["hearing_date"]
    hearings.hearing_details_apply(ctx)


def suspend(ctx: Context):
    case = ctx.case
    case.suspended_from = case.state
    case.clock_pauses = [*case.clock_pauses, [ctx.today.isoformat(), None]]


def resume(ctx: Context):
    case = ctx.case
    pauses = [list(p) for p in case.clock_pauses]
    pauses[-1][1] = ctx.today.isoformat()
    case.clock_pauses = pauses
    target, case.suspended_from = case.suspended_from or S.HEARING, ""
    return target


def restart_clock(ctx: Context):
    # 办案规则 art.46: these events start the award period again.
    case = ctx.case
    case.award_clock_started_on = ctx.today
    case.clock_pauses = []
    case.extended_stages = [s for s in case.extended_stages if s != "award_extension"]


def award(ctx: Context):
    case = ctx.case
    # An award concludes the hearing: it can neither precede it nor describe it as held.
    if case.hearing_date and case.hearing_date > ctx.today:
        raise errors.Conflict(errors.AWARD_BEFORE_HEARING.format(date=case.hearing_date))
    if ctx.data.get("default_award") and not case.hearing_date:
        raise errors.Conflict(errors.DEFAULT_AWARD_WITHOUT_HEARING)
    service_guard.default_award_check(ctx)
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


def deem_withdrawn(ctx: Context):
    # The applicant absent: only once the hearing notice was served on them.
    service_guard.deem_withdrawn_check(ctx)


def nothing(ctx: Context):
    return None
