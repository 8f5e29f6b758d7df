"""What each transition asks for and what it changes on the case.

The states and their order are declared on the model (cases/models.py); roles in
cases/permissions.py. Here each transition has a label, an input serializer (the
`fields` the API describes) and an `apply` function that sets the case's fields and
returns the target state when the transition decides it. cases/services.py runs them.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from cases import errors, roles, rules
from cases.models import Case, CaseKind, CaseState, ClockRule

S = CaseState
WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE


class RejectionReason:
    CHOICES = [
        ("out_of_time", "超过法定时效（监察2年/仲裁1年）"),
        ("employer_unidentified", "被投诉单位不明确"),
        ("outside_jurisdiction", "不属于本县管辖"),
        ("not_labor_matter", "不属于劳动保障事项"),
        ("dispute_track", "属于劳动争议，应申请调解仲裁"),
        ("already_handled", "已由其他机关处理或已有生效裁判"),
        ("other", "其他"),
    ]


RESTART_REASONS = [
    ("supplement", "补充证据材料"),
    ("claims_changed", "增加或变更仲裁请求"),
    ("counterclaim", "被申请人提出反申请"),
    ("jurisdiction_transfer", "移送管辖"),
    ("party_added", "追加当事人"),
]

AWARD_ITEMS = [
    ("wages", "劳动报酬"),
    ("overtime", "加班费"),
    ("compensation", "经济补偿"),
    ("damages", "赔偿金"),
    ("work_injury", "工伤医疗费"),
    ("other", "其他"),
]
# Items that can make an award final for the employer (LDMAL art.47(1)).
FINAL_ELIGIBLE_ITEMS = {"wages", "overtime", "compensation", "damages", "work_injury"}


# --- input serializers -------------------------------------------------------------


class NoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, label="说明")


class ReasonInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, label="理由")


def _staff_users(usernames, role, case, field):
    User = get_user_model()
    found = {u.username: u for u in User.objects.filter(username__in=usernames, is_active=True)}
    problems = []
    for name in usernames:
        user = found.get(name)
        if user is None or role not in roles.user_roles(user):
            problems.append(f"{name}：不是{roles.ROLE_LABELS[role]}。")
        elif not roles.in_jurisdiction(user, case.township_id):
            problems.append(f"{name}：不负责该乡镇。")
    if problems:
        raise serializers.ValidationError({field: problems})
    return [found[name] for name in usernames]


class AcceptInspectionInput(NoteInput):
    inspectors = serializers.ListField(
        child=serializers.CharField(max_length=150),
        label="承办监察员（至少2名，用户名）",
        help_text="劳动保障监察条例第十六条：调查时监察员不得少于2人。",
    )

    def validate_inspectors(self, value):
        value = list(dict.fromkeys(value))
        minimum = rules.int_parameter("inspectors_min")
        if len(value) < minimum:
            raise serializers.ValidationError(f"至少需要{minimum}名监察员。")
        return value


class AcceptDisputeInput(NoteInput):
    arbitrators = serializers.ListField(
        child=serializers.CharField(max_length=150), required=False, label="仲裁员（用户名）"
    )


class SupplementReceivedInput(NoteInput):
    received_on = serializers.DateField(required=False, label="补正材料收到日期")


class RejectInput(NoteInput):
    reason_code = serializers.ChoiceField(choices=RejectionReason.CHOICES, label="不予受理理由")


class HearEmployerInput(serializers.Serializer):
    note = serializers.CharField(max_length=4000, label="用人单位陈述申辩要点")
    heard_on = serializers.DateField(required=False, label="陈述申辩日期")


class OrderPaymentInput(NoteInput):
    pay_by = serializers.DateField(label="限期支付日")
    amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        label="责令支付金额",
    )


class PaymentLine(serializers.Serializer):
    claim = serializers.IntegerField(label="请求人编号")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="金额"
    )


class RecordPaymentInput(NoteInput):
    payments = serializers.ListField(child=PaymentLine(), min_length=1, label="支付明细")


class PenalizeInput(NoteInput):
    compensation_percent = serializers.IntegerField(label="加付赔偿金比例(%)")
    penalty_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False, label="罚款金额"
    )
    decision_number = serializers.CharField(max_length=60, required=False, label="处罚决定书文号")

    def validate_compensation_percent(self, value):
        low = rules.int_parameter("additional_compensation_min_percent")
        high = rules.int_parameter("additional_compensation_max_percent")
        if not low <= value <= high:
            raise serializers.ValidationError(f"加付赔偿金比例应在{low}%至{high}%之间。")
        return value


class TransferInput(NoteInput):
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, label="未达标准仍移送的理由（主管领导）"
    )


class ComposeTribunalInput(NoteInput):
    arbitrators = serializers.ListField(
        child=serializers.CharField(max_length=150), label="仲裁庭组成人员（1或3名，用户名）"
    )

    def validate_arbitrators(self, value):
        value = list(dict.fromkeys(value))
        if len(value) not in (1, 3):
            raise serializers.ValidationError("仲裁庭由1名独任仲裁员或3名仲裁员组成。")
        return value


class StartMediationInput(NoteInput):
    mediator = serializers.CharField(required=False, max_length=150, label="调解员（用户名）")


class Instalment(serializers.Serializer):
    due_date = serializers.DateField(label="履行期限")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="金额"
    )


class SettleInput(NoteInput):
    instalments = serializers.ListField(child=Instalment(), min_length=1, label="履行分期")


class HearingDateInput(NoteInput):
    hearing_date = serializers.DateField(label="开庭日期")


class PostponeInput(HearingDateInput):
    note = serializers.CharField(max_length=2000, label="延期理由")


class RestartInput(NoteInput):
    reason_code = serializers.ChoiceField(choices=RESTART_REASONS, label="重新计算期限的事由")


class AwardLine(serializers.Serializer):
    claim = serializers.IntegerField(label="请求人编号")
    item = serializers.ChoiceField(choices=AWARD_ITEMS, label="裁决事项")
    amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0"), label="裁决金额"
    )


class AwardInput(NoteInput):
    items = serializers.ListField(child=AwardLine(), min_length=1, label="裁决事项")
    default_award = serializers.BooleanField(
        required=False, default=False, label="缺席裁决（被申请人无正当理由不到庭）"
    )


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
        users = _staff_users(ctx.data["inspectors"], roles.INSPECTOR, case, "inspectors")
        case.inspectors.set(users)
        return S.INVESTIGATING
    case.award_clock_started_on = ctx.today
    if ctx.data.get("arbitrators"):
        case.arbitrators.set(
            _staff_users(ctx.data["arbitrators"], roles.ARBITRATOR, case, "arbitrators")
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
        _staff_users(ctx.data["arbitrators"], roles.ARBITRATOR, case, "arbitrators")
    )
    case.tribunal_composed_on = ctx.today


def _start_mediation(ctx: Context):
    case = ctx.case
    if ctx.data.get("mediator"):
        case.mediator = _staff_users([ctx.data["mediator"]], roles.MEDIATOR, case, "mediator")[0]
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
