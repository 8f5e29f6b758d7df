"""What each transition asks for: its inputs, validated by DRF serializers.

The API describes these as each transition's `fields`, and the workbench builds its forms
from them (a row of cases/lifecycle/transitions.py names them); the row's effect
(cases/lifecycle/effects.py) decides what the validated inputs change on the case.
"""

from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from rest_framework import serializers

from cases.amounts import AmountField
from core import roles
from rules import parameters as rules
from rules import wording


class RejectionReason:
    CHOICES = [
        (
            "out_of_time",
            wording.text(
                "超过法定时效（监察{wa}/仲裁{ld}）",
                wa=lambda: wording.parameter_months("limitation_months_wage_arrears"),
                ld=lambda: wording.parameter_months("limitation_months_labor_dispute"),
            ),
        ),
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


class TransferTownshipInput(serializers.Serializer):
    township = serializers.ChoiceField(choices=[], label="移交至乡镇")
    note = serializers.CharField(max_length=2000, label="理由")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model the case's township field points to: no import of cases.models, which
        # takes its transitions from this package.
        township = apps.get_model("cases", "Case")._meta.get_field("township").related_model
        self.fields["township"].choices = list(township.objects.values_list("code", "name"))


def staff_users(usernames, role, case, field):
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
    amount = AmountField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
        label="责令支付金额",
    )


class PaymentLine(serializers.Serializer):
    claim = serializers.IntegerField(label="请求人编号")
    amount = AmountField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="金额")


class RecordPaymentInput(NoteInput):
    payments = serializers.ListField(child=PaymentLine(), min_length=1, label="支付明细")


class PenalizeInput(NoteInput):
    compensation_percent = serializers.IntegerField(label="加付赔偿金比例(%)")
    penalty_amount = AmountField(
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
    amount = AmountField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="金额")


class SettleInput(NoteInput):
    instalments = serializers.ListField(child=Instalment(), min_length=1, label="履行分期")


class OptionalTimeField(serializers.TimeField):
    """A time a form may leave empty (the workbench sends "")."""

    def to_internal_value(self, value):
        if isinstance(value, str) and not value.strip():
            return None
        return super().to_internal_value(value)


class HearingDateInput(NoteInput):
    hearing_date = serializers.DateField(label="开庭日期")
    # cases/hearings.py: without a time or a room, the notice names the defaults.
    hearing_time = OptionalTimeField(required=False, allow_null=True, label="开庭时间（如 09:30）")
    hearing_venue = serializers.CharField(
        required=False, allow_blank=True, max_length=200, label="开庭地点（仲裁庭或地址）"
    )
    hearing_link = serializers.URLField(
        required=False, allow_blank=True, max_length=500, label="网上开庭链接（可选）"
    )


class PostponeInput(HearingDateInput):
    note = serializers.CharField(max_length=2000, label="延期理由")


class RestartInput(NoteInput):
    reason_code = serializers.ChoiceField(choices=RESTART_REASONS, label="重新计算期限的事由")


class AwardLine(serializers.Serializer):
    claim = serializers.IntegerField(label="请求人编号")
    item = serializers.ChoiceField(choices=AWARD_ITEMS, label="裁决事项")
    amount = AmountField(max_digits=12, decimal_places=2, min_value=Decimal("0"), label="裁决金额")


class AwardInput(NoteInput):
    items = serializers.ListField(child=AwardLine(), min_length=1, label="裁决事项")
    default_award = serializers.BooleanField(
        required=False, default=False, label="缺席裁决（被申请人无正当理由不到庭）"
    )
