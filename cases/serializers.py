"""API input and output shapes for complaints and cases."""

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import serializers

from cases import clocks, memo, roles, rules, staff_entry, validators
from cases.models import Case, CaseEvent, CaseKind, CaseState, Channel, Employer, Township

UNKNOWN_TOWNSHIP = "未知的乡镇代码“{code}”。可选：{choices}。"
NO_CLAIMANTS = "至少需要一名请求人。"
DUPLICATE_CLAIMANT = "同一身份证号在本次投诉中出现了多次：{id}。"
AMOUNT_TOO_LARGE = "金额超出合理范围（单人不超过{limit}元），请核对。"
REPRESENTATIVES_NEEDED = "集体投诉（{minimum}人以上）须推选{low}至{high}名代表人。"
REPRESENTATIVES_ONLY_COLLECTIVE = "只有{minimum}人以上的集体投诉才推选代表人。"
RECEIVED_AT_STAFF_ONLY = "只有工作人员录入其他渠道的投诉时才能填写收到时间。"
RECEIVED_AT_FUTURE = staff_entry.RECEIVED_AT_FUTURE
RECEIVED_AT_BEFORE_RULES = "收到时间{day}早于法定时限和参数规则的生效日期，无法计算期限，请核对。"
# What filing reads from the rule tables on the day of receipt (cases.filing.complaint_file).
FILING_PARAMETERS = ("duplicate_window_days", "collective_min_claimants")
# The clock a new case starts (as cases.lifecycle.clock_plan picks it for SUBMITTED).
ACCEPTANCE_STAGE = {
    CaseKind.WAGE_ARREARS: "acceptance_inspection",
    CaseKind.LABOR_DISPUTE: "acceptance_dispute",
}


def _django_to_drf(check, value):
    try:
        return check(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["code", "name"]


class TownshipField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Township.objects.all(), **kwargs)

    def to_internal_value(self, data):
        townships = memo.remember("townships", lambda: {t.code: t for t in Township.objects.all()})
        township = townships.get(str(data).strip())
        if township is None:
            choices = "、".join(townships)
            raise serializers.ValidationError(UNKNOWN_TOWNSHIP.format(code=data, choices=choices))
        return township


class EmployerInput(serializers.Serializer):
    name = serializers.CharField(max_length=200, label="用人单位名称")
    uscc = serializers.CharField(
        max_length=30, required=False, allow_blank=True, label="统一社会信用代码"
    )
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, label="地址")
    township = TownshipField(label="所在乡镇")

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("请填写用人单位名称。")
        return value

    def validate_uscc(self, value):
        value = (value or "").strip()
        return _django_to_drf(validators.clean_uscc, value) if value else ""


class ClaimantInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, label="姓名")
    id_number = serializers.CharField(max_length=30, label="身份证号")
    phone = serializers.CharField(max_length=20, label="手机号")
    amount_claimed = serializers.DecimalField(
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

    def validate_id_number(self, value):
        return _django_to_drf(validators.clean_id_number, value.strip())

    def validate_phone(self, value):
        return _django_to_drf(validators.clean_phone, value)

    def validate_amount_claimed(self, value):
        limit = rules.parameter("claim_amount_max")
        if value > limit:
            raise serializers.ValidationError(AMOUNT_TOO_LARGE.format(limit=limit))
        return value


class ComplaintInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseKind.choices, label="投诉类型")
    employer = EmployerInput()
    claimants = ClaimantInput(many=True, label="请求人")
    description = serializers.CharField(max_length=5000, label="诉求描述")
    sector = serializers.ChoiceField(
        choices=Employer.Sector.choices, required=False, allow_blank=True, label="行业"
    )
    project_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="online")
    received_at = serializers.DateTimeField(required=False, label="收到时间")
    backdate_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500, label="补录原因"
    )

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
        request = self.context.get("request")
        if not (request and roles.has_any_role(request.user, roles.CASE_ROLES)):
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


class FiledComplaintOutput(serializers.Serializer):
    case_number = serializers.CharField()
    query_code = serializers.CharField(required=False)
    state = serializers.CharField()
    received_at = serializers.DateTimeField()
    deadline = serializers.DateField(allow_null=True)
    duplicate_of = serializers.CharField(required=False)
    detail = serializers.CharField(required=False)


# Words a worker understands, for each thing that can happen to a case.
WORKER_TIMELINE_TEXT = {
    "file": "投诉已提交",
    "duplicate_linked": "同一投诉再次提交，已并入本案",
    "evidence_added": "收到证据材料",
    "accept": "已受理（立案）",
    "request_supplement": "需要补充材料，请按通知补正",
    "receive_supplement": "已收到补充材料",
    "reject": "不予受理",
    "convert_track": "已转到更合适的程序办理",
    "withdraw": "已撤回",
    "transfer_township": "已移交案件所在乡镇办理",
    "open_inspection": "劳动保障监察机构主动立案检查",
    "admin_edit": "案件信息已更正",
    "hear_employer": "已听取用人单位陈述",
    "extend_investigation": "调查期限依法延长",
    "order_payment": "已责令用人单位限期支付",
    "record_payment": "已登记支付款项",
    "penalize": "已对用人单位作出处罚",
    "transfer_to_police": "已移送公安机关",
    "revoke": "已撤销立案",
    "compose_tribunal": "已组成仲裁庭",
    "start_mediation": "开始调解",
    "settle": "已达成调解协议",
    "fail_mediation": "调解未成，进入仲裁审理",
    "refer_to_hearing": "进入仲裁审理",
    "schedule_hearing": "已确定开庭日期",
    "postpone_hearing": "开庭已延期",
    "suspend": "审理中止",
    "resume": "恢复审理",
    "restart_clock": "审理期限重新计算",
    "extend_award": "审理期限依法延长",
    "award": "已作出裁决",
    "deem_withdrawn": "申请人未到庭，按撤回处理",
    "close": "已结案",
}


class WorkerCaseView(serializers.ModelSerializer):
    case_number = serializers.CharField(source="number")
    state_label = serializers.CharField(source="get_state_display")
    kind_label = serializers.CharField(source="get_kind_display")
    township = serializers.CharField(source="township.name")
    employer = serializers.CharField(source="employer.name")
    days_left = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "case_number",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "township",
            "employer",
            "received_at",
            "deadline",
            "days_left",
            "calendar_fallback",
            "hearing_date",
            "pay_by",
            "timeline",
        ]

    def get_days_left(self, case) -> int | None:
        return case.days_left() if case.is_open else None

    def get_timeline(self, case) -> list[dict]:
        return [
            {
                "time": event.created_at,
                "text": WORKER_TIMELINE_TEXT.get(event.transition, event.transition),
                "state": event.to_state,
            }
            for event in case.events.all()
        ]


class CaseListItem(serializers.ModelSerializer):
    case_number = serializers.CharField(source="number")
    state_label = serializers.CharField(source="get_state_display")
    township = serializers.CharField(source="township.code")
    township_name = serializers.CharField(source="township.name")
    employer = serializers.CharField(source="employer.name")
    claimants = serializers.IntegerField(source="claimant_count")
    amount_claimed = serializers.DecimalField(
        source="claimed_total", max_digits=14, decimal_places=2
    )
    days_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "case_number",
            "kind",
            "state",
            "state_label",
            "township",
            "township_name",
            "employer",
            "claimants",
            "amount_claimed",
            "is_collective",
            "channel",
            "received_at",
            "clock_stage",
            "deadline",
            "days_left",
            "overdue",
            "calendar_fallback",
            "risk_score",
            "risk_level",
            "version",
        ]

    def get_days_left(self, case) -> int | None:
        return case.days_left() if case.is_open else None

    def get_overdue(self, case) -> bool:
        days = self.get_days_left(case)
        return days is not None and days < 0


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")
    id_number = serializers.CharField(source="person.id_number_masked")
    phone = serializers.CharField(source="person.phone_masked")
    amount_claimed = serializers.DecimalField(max_digits=12, decimal_places=2)
    months_owed = serializers.IntegerField(allow_null=True)
    amount_recovered = serializers.DecimalField(max_digits=12, decimal_places=2)
    is_representative = serializers.BooleanField()


class EmployerOutput(serializers.ModelSerializer):
    township = serializers.CharField(source="township.code", allow_null=True, default=None)

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "uscc",
            "address",
            "township",
            "sector",
            "size_class",
            "state_owned_or_government_project",
            "closed_under_policy",
            "blacklisted_until",
        ]


class EventOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "transition",
            "from_state",
            "to_state",
            "note",
            "data",
        ]


class EvidenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class CaseDetail(CaseListItem):
    employer = EmployerOutput()
    claims = ClaimOutput(many=True)
    events = EventOutput(many=True)
    evidence = EvidenceOutput(many=True)
    amount_recovered = serializers.DecimalField(
        source="recovered_total", max_digits=14, decimal_places=2
    )
    inspectors = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    arbitrators = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    mediator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    query_code = serializers.SerializerMethodField()

    class Meta(CaseListItem.Meta):
        fields = [
            *CaseListItem.Meta.fields,
            "description",
            "project_name",
            "sector",
            "amount_recovered",
            "accepted_on",
            "pay_by",
            "hearing_date",
            "employer_heard_on",
            "tribunal_composed_on",
            "rejection_reason",
            "extended_stages",
            "clock_pauses",
            "outcome",
            "inspectors",
            "mediator",
            "arbitrators",
            "claims",
            "evidence",
            "events",
            "query_code",
            "risk_factors",
        ]

    def get_query_code(self, case) -> str:
        # Staff read the code to a worker on the phone; it is shown only to case roles.
        return case.query_code


def describe_fields(serializer_class) -> list[dict]:
    """The inputs a transition needs, for a client to build its form."""
    described = []
    for name, field in serializer_class().fields.items():
        item = {
            "name": name,
            "type": _field_type(field),
            "required": field.required,
            "label": str(field.label or name),
        }
        if field.help_text:
            item["help_text"] = str(field.help_text)
        if isinstance(field, serializers.ChoiceField):
            item["choices"] = [{"value": k, "label": str(v)} for k, v in field.choices.items()]
        if isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.Serializer
        ):
            item["items"] = describe_fields(type(field.child))
        described.append(item)
    return described


def _field_type(field) -> str:
    for kind, names in {
        "date": (serializers.DateField,),
        "decimal": (serializers.DecimalField,),
        "integer": (serializers.IntegerField,),
        "boolean": (serializers.BooleanField,),
        "choice": (serializers.ChoiceField,),
        "list": (serializers.ListField,),
    }.items():
        if isinstance(field, names):
            return kind
    return "text"


STATE_LABELS = dict(CaseState.choices)
