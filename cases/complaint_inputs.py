"""The complaint as filed: the input serializers every channel validates a new complaint
with (the API, the worker portal, the staff intake form, imports) before cases.filing
files it, and their refusal messages.

Split out of cases.serializers, which keeps the case output shapes (what the API and
the portal show); inputs and outputs change for different reasons.
"""

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from cases import clocks, staff_entry
from cases.amounts import AmountField
from cases.models import CaseKind, Channel
from core import roles, validators
from core.models import Employer
from core.serializers import (
    IdNumberField,
    InputSerializer,
    PhoneField,
    TownshipField,
    UsccField,
)
from rules import parameters as rules

NO_CLAIMANTS = "至少需要一名请求人。"
DUPLICATE_CLAIMANT = "同一身份证号在本次投诉中出现了多次：{id}。"
AMOUNT_TOO_LARGE = "金额超出合理范围（单人不超过{limit}元），请核对。"
REPRESENTATIVES_NEEDED = "集体投诉（{minimum}人以上）须推选{low}至{high}名代表人。"
REPRESENTATIVES_ONLY_COLLECTIVE = "只有{minimum}人以上的集体投诉才推选代表人。"
RECEIVED_AT_STAFF_ONLY = "只有工作人员录入其他渠道的投诉时才能填写收到时间。"
CHANNEL_STAFF_ONLY = "网上投诉的渠道固定为online；只有工作人员录入其他渠道（热线、来访等）的投诉。"
TOO_MANY_CLAIMANTS = (
    "网上投诉每次最多{limit}名请求人。人数更多的集体投诉，"
    "请推选代表到劳动保障监察机构或乡镇劳动保障所，由工作人员登记。"
)
RECEIVED_AT_FUTURE = staff_entry.RECEIVED_AT_FUTURE
RECEIVED_AT_BEFORE_RULES = "收到时间{day}早于法定时限和参数规则的生效日期，无法计算期限，请核对。"
# What filing reads from the rule tables on the day of receipt (cases.filing.complaint_file).
FILING_PARAMETERS = ("duplicate_window_days", "collective_min_claimants")
# The clock a new case starts (as cases.lifecycle.clock_plan picks it for SUBMITTED).
ACCEPTANCE_STAGE = {
    CaseKind.WAGE_ARREARS: "acceptance_inspection",
    CaseKind.LABOR_DISPUTE: "acceptance_dispute",
}


class EmployerInput(InputSerializer):
    name = serializers.CharField(max_length=200, label="用人单位名称")
    uscc = UsccField(label="统一社会信用代码")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, label="地址")
    township = TownshipField(label="所在乡镇")

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("请填写用人单位名称。")
        return value


class ClaimantInput(InputSerializer):
    name = serializers.CharField(max_length=50, label="姓名")
    id_number = IdNumberField(label="身份证号")
    phone = PhoneField(label="手机号")
    amount_claimed = AmountField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), label="请求金额（元）"
    )
    months_owed = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=240, label="欠薪月数"
    )
    is_representative = serializers.BooleanField(required=False, default=False, label="代表人")

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("请填写姓名。")
        return value

    def validate_amount_claimed(self, value):
        limit = rules.parameter("claim_amount_max")
        if value > limit:
            raise serializers.ValidationError(AMOUNT_TOO_LARGE.format(limit=limit))
        return value


class ComplaintInput(InputSerializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices, label="投诉类型")
    employer = EmployerInput()
    claimants = ClaimantInput(many=True, label="请求人")
    description = serializers.CharField(max_length=5000, label="诉求描述")
    sector = serializers.ChoiceField(
        choices=Employer.Sector.choices, required=False, allow_blank=True, label="行业"
    )
    project_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        required=False,
        default="online",
        help_text="Staff only; an anonymous filing is always online (another value: 400).",
    )
    received_at = serializers.DateTimeField(required=False, label="收到时间")
    backdate_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, label="补录原因"
    )

    def _from_staff(self) -> bool:
        request = self.context.get("request")
        return bool(request and roles.has_any_role(request.user, roles.CASE_ROLES))

    def to_internal_value(self, data):
        # Before 2,000 claimants are each validated: an anonymous filing names at most
        # anonymous_claimants_max (a rule-table row); larger groups are entered by staff.
        claimants = data.get("claimants") if hasattr(data, "get") else None
        if isinstance(claimants, list) and not self._from_staff():
            limit = rules.int_parameter("anonymous_claimants_max")
            if len(claimants) > limit:
                message = TOO_MANY_CLAIMANTS.format(limit=limit)
                raise serializers.ValidationError({"claimants": [message]})
        return super().to_internal_value(data)

    def validate_channel(self, value):
        if value != Channel.ONLINE and not self._from_staff():
            raise serializers.ValidationError(CHANNEL_STAFF_ONLY)
        return value

    def validate_claimants(self, value):
        if not value:
            raise serializers.ValidationError(NO_CLAIMANTS)
        seen = set()
        for claimant in value:
            if claimant["id_number"] in seen:
                raise serializers.ValidationError(
                    DUPLICATE_CLAIMANT.format(id=validators.mask_id_number(claimant["id_number"]))
                )
            seen.add(claimant["id_number"])
        minimum = rules.int_parameter("collective_min_claimants")
        low = rules.int_parameter("representatives_min")
        high = rules.int_parameter("representatives_max")
        representatives = sum(1 for c in value if c.get("is_representative"))
        if len(value) >= minimum and not low <= representatives <= high:
            raise serializers.ValidationError(
                REPRESENTATIVES_NEEDED.format(minimum=minimum, low=low, high=high)
            )
        if len(value) < minimum and representatives:
            raise serializers.ValidationError(
                REPRESENTATIVES_ONLY_COLLECTIVE.format(minimum=minimum)
            )
        return value

    def validate_received_at(self, value):
        if not self._from_staff():
            raise serializers.ValidationError(RECEIVED_AT_STAFF_ONLY)
        return value

    def validate_description(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("请简要说明诉求。")
        return value

    def validate(self, attrs):
        # Filing reads the rules in force on the day of receipt; a date before every rule
        # (a typo such as 1926 for 2026) must be a 400 here, not a crash in the service.
        received_at = attrs.get("received_at")
        if received_at is not None:
            day = timezone.localtime(received_at).date()
            stage = ACCEPTANCE_STAGE[attrs["kind"]]
            try:
                for code in FILING_PARAMETERS:
                    rules.parameter(code, day)
                clocks.rule_for(stage, day)
            except (rules.ParameterMissing, clocks.RuleMissing):
                message = RECEIVED_AT_BEFORE_RULES.format(day=day.isoformat())
                raise serializers.ValidationError({"received_at": [message]}) from None
        if self._staff_entry():
            problems = staff_entry.staff_entry_problems(
                user=self.context["request"].user,
                township=attrs["employer"]["township"],
                kind=attrs["kind"],
                received_at=received_at,
                backdate_reason=attrs.get("backdate_reason", ""),
            )
            if "township" in problems:  # where the township is in this input
                problems["employer"] = {"township": problems.pop("township")}
            if problems:
                raise serializers.ValidationError(problems)
        return attrs

    def _staff_entry(self) -> bool:
        """Filed by a signed-in user (the API's staff path, the workbench, an import);
        the worker portal files for the worker even in a staff member's browser."""
        request = self.context.get("request")
        if self.context.get("worker_portal") or request is None:
            return False
        return bool(request.user and request.user.is_authenticated)
