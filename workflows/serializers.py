"""API input and output shapes for subsidy policies, applications and tasks."""

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from core import validators
from core.serializers import IdNumberField, TownshipField, UsccField
from rules.models import ApplicantKind, PolicyCode, SubsidyPolicy
from workflows import eligibility, errors, selectors, services
from workflows.models import SizeClass, SubsidyApplication
from workflows.steps import STEP, STEP_LABELS

PERIOD_ORDER = "补贴期间的结束日期不能早于开始日期。"
PERIOD_TOO_LONG = "补贴期间一次最多申报{years}年。"
DUPLICATE_PERSON = "同一身份证号在本申请中出现了多次：{id}。"
USCC_REQUIRED = "企业和人力资源服务机构须填写统一社会信用代码。"
SIZE_REQUIRED = "企业须填写规模（micro/small/medium/large）。"
ID_REQUIRED = "个人申请须填写申请人身份证号。"
AMOUNT_REQUIRED = "创业担保贷款和场地租赁补贴须填写申请金额（贷款金额或实际支付的租金）。"
ONE_ENTREPRENEUR = "一次性创业补贴和场地租赁补贴按创业者本人申报，只能填写一名创业者。"
BENEFICIARIES_REQUIRED = "请至少填写一名补贴对象。"
MAX_PERIOD_YEARS = 3


class ApplicantInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicantKind.choices, label="申请主体类型")
    name = serializers.CharField(max_length=200, label="申请人/单位名称")
    uscc = UsccField(label="统一社会信用代码")
    size_class = serializers.ChoiceField(
        choices=SizeClass.choices, required=False, allow_blank=True, label="企业规模"
    )
    township = TownshipField(label="所在乡镇")
    id_number = IdNumberField(required=False, allow_blank=True, label="申请人身份证号")
    phone = serializers.RegexField(
        r"^1\d{10}$",
        required=False,
        allow_blank=True,
        label="申请人手机号（接收办理进度短信）",
        error_messages={"invalid": "请填写11位手机号。"},
    )

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("请填写申请人或单位名称。")
        return value

    def validate(self, attrs):
        kind = attrs["kind"]
        if kind in (ApplicantKind.ENTERPRISE, ApplicantKind.AGENCY) and not attrs.get("uscc"):
            raise serializers.ValidationError({"uscc": [USCC_REQUIRED]})
        if kind == ApplicantKind.ENTERPRISE and not attrs.get("size_class"):
            raise serializers.ValidationError({"size_class": [SIZE_REQUIRED]})
        if kind == ApplicantKind.INDIVIDUAL and not attrs.get("id_number"):
            raise serializers.ValidationError({"id_number": [ID_REQUIRED]})
        return attrs


class BeneficiaryInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, label="姓名")
    id_number = IdNumberField(label="身份证号")
    hire_date = serializers.DateField(required=False, allow_null=True, label="入职/创业日期")
    contract_months = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=1200, label="劳动合同期限(月)"
    )
    hard_to_employ = serializers.BooleanField(required=False, default=False, label="就业困难人员")
    graduation_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1950, max_value=2100, label="毕业年份"
    )
    insurance_months = serializers.IntegerField(
        required=False, default=0, min_value=0, max_value=600, label="缴纳社保月数"
    )
    insurance_paid = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        default=Decimal("0"),
        min_value=Decimal("0"),
        label="单位实缴社保费(元)",
    )
    destination = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", label="就业去向"
    )

    def validate_name(self, value):
        value = value.strip()
        if not value:
            raise serializers.ValidationError("请填写姓名。")
        return value


class ApplicationInput(serializers.Serializer):
    policy = serializers.ChoiceField(choices=PolicyCode.choices, label="补贴政策")
    applicant = ApplicantInput()
    period_start = serializers.DateField(label="补贴期间起")
    period_end = serializers.DateField(label="补贴期间止")
    requested_amount = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        required=False,
        allow_null=True,
        min_value=Decimal("0.01"),
        label="申请金额",
    )
    beneficiaries = BeneficiaryInput(many=True, required=False, default=list, label="补贴对象")

    def validate(self, attrs):
        start, end = attrs["period_start"], attrs["period_end"]
        if end < start:
            raise serializers.ValidationError({"period_end": [PERIOD_ORDER]})
        if end > eligibility.add_months(start, 12 * MAX_PERIOD_YEARS):
            message = PERIOD_TOO_LONG.format(years=MAX_PERIOD_YEARS)
            raise serializers.ValidationError({"period_end": [message]})
        seen = set()
        for person in attrs["beneficiaries"]:
            if person["id_number"] in seen:
                message = DUPLICATE_PERSON.format(id=validators.mask_id_number(person["id_number"]))
                raise serializers.ValidationError({"beneficiaries": [message]})
            seen.add(person["id_number"])
        code, kind = attrs["policy"], attrs["applicant"]["kind"]
        needs_amount = code == PolicyCode.STARTUP_LOAN or code == PolicyCode.RENT
        if needs_amount and attrs.get("requested_amount") is None:
            raise serializers.ValidationError({"requested_amount": [AMOUNT_REQUIRED]})
        one_person = code in (PolicyCode.STARTUP, PolicyCode.RENT) or (
            code == PolicyCode.STARTUP_LOAN and kind == ApplicantKind.INDIVIDUAL
        )
        if one_person and len(attrs["beneficiaries"]) > 1:
            raise serializers.ValidationError({"beneficiaries": [ONE_ENTREPRENEUR]})
        if not attrs["beneficiaries"] and kind != ApplicantKind.INDIVIDUAL:
            raise serializers.ValidationError({"beneficiaries": [BENEFICIARIES_REQUIRED]})
        return attrs

    def to_data(self) -> services.ApplicationData:
        data = self.validated_data
        applicant = data["applicant"]
        return services.ApplicationData(
            policy_code=data["policy"],
            applicant=services.Applicant(
                kind=applicant["kind"],
                name=applicant["name"],
                township=applicant["township"],
                uscc=applicant.get("uscc", ""),
                size_class=applicant.get("size_class", ""),
                id_number=applicant.get("id_number", ""),
                phone=applicant.get("phone", ""),
            ),
            period_start=data["period_start"],
            period_end=data["period_end"],
            requested_amount=data.get("requested_amount"),
            beneficiaries=[
                eligibility.Person(
                    name=p["name"],
                    id_number=p["id_number"],
                    hire_date=p.get("hire_date"),
                    contract_months=p.get("contract_months") or 0,
                    hard_to_employ=p.get("hard_to_employ", False),
                    graduation_year=p.get("graduation_year"),
                    insurance_months=p.get("insurance_months") or 0,
                    insurance_paid=p.get("insurance_paid") or Decimal("0"),
                    destination=(p.get("destination") or "").strip(),
                )
                for p in data["beneficiaries"]
            ],
        )


class CorrectionInput(ApplicationInput):
    note = serializers.CharField(required=False, allow_blank=True, default="", label="补正说明")


class DecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[("approve", "同意"), ("return", "退回补正"), ("reject", "不予补贴")]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    paid_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=Decimal("0.01")
    )
    paid_on = serializers.DateField(required=False, allow_null=True)
    payment_reference = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60
    )

    def validate_paid_on(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError("拨付日期不能晚于今天。")
        return value


# --- outputs -----------------------------------------------------------------------------


class PolicyOutput(serializers.ModelSerializer):
    parameters = serializers.SerializerMethodField()
    unconfirmed = serializers.SerializerMethodField()

    class Meta:
        model = SubsidyPolicy
        fields = [
            "code",
            "name",
            "applicant_kinds",
            "applicant_sizes",
            "rule_text",
            "citation",
            "effective_from",
            "effective_to",
            "unconfirmed",
            "parameters",
        ]

    def get_parameters(self, policy) -> list[dict]:
        return [
            {
                "key": p.key,
                "label": p.label,
                "value": str(p.value),
                "unit": p.unit,
                "confirmed": p.confirmed,
                "note": p.note,
            }
            for p in policy.parameters.all()
        ]

    def get_unconfirmed(self, policy) -> list[str]:
        return [p.key for p in policy.parameters.all() if not p.confirmed]


class BeneficiaryOutput(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField(source="id_number_masked")
    hire_date = serializers.DateField()
    contract_months = serializers.IntegerField()
    hard_to_employ = serializers.BooleanField()
    graduation_year = serializers.IntegerField(allow_null=True)
    insurance_months = serializers.IntegerField()
    insurance_paid = serializers.DecimalField(max_digits=12, decimal_places=2)
    destination = serializers.CharField()
    eligible = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    months = serializers.ListField(child=serializers.CharField())
    reasons = serializers.ListField(child=serializers.CharField())
    rules = serializers.ListField(child=serializers.DictField())


class ApplicationOutput(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code")
    policy_name = serializers.CharField(source="policy.name")
    state_label = serializers.CharField(source="get_state_display")
    township = serializers.CharField(source="township.code")
    applicant = serializers.SerializerMethodField()
    beneficiaries = BeneficiaryOutput(many=True)
    current_step = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()
    query_code = serializers.SerializerMethodField()

    class Meta:
        model = SubsidyApplication
        fields = [
            "id",
            "number",
            "policy",
            "policy_name",
            "state",
            "state_label",
            "current_step",
            "township",
            "applicant",
            "period_start",
            "period_end",
            "requested_amount",
            "computed_amount",
            "eligibility",
            "beneficiaries",
            "returned_from",
            "return_note",
            "rejection_reason",
            "notice_started_on",
            "notice_ends_on",
            "paid_amount",
            "paid_on",
            "payment_reference",
            "created_at",
            # Staff hand the code to the applicant: in the answer that created it only (only
            # its hash is stored); null afterwards.
            "query_code",
            "events",
        ]

    def get_query_code(self, application) -> str | None:
        return application.query_code

    def get_applicant(self, application) -> dict:
        return {
            "kind": application.applicant_kind,
            "name": application.applicant_name,
            "uscc": application.applicant_uscc,
            "size_class": application.size_class,
            "id_number": validators.mask_id_number(application.applicant_id_number),
            "registered_employer": bool(application.employer_id),
        }

    def get_current_step(self, application) -> dict | None:
        task = self.context.get("open_tasks", {}).get(application.pk)
        if task is None:
            return None
        return {
            "task": task.pk,
            "step": task.flow_task.name,
            "label": STEP_LABELS[task.flow_task.name],
        }

    def get_events(self, application) -> list[dict]:
        return [
            {
                "step": e.step,
                "step_label": STEP_LABELS.get(e.step, e.step),
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor.get_username() if e.actor else None,
                "note": e.note,
                "created_at": timezone.localtime(e.created_at).isoformat(),
            }
            for e in application.events.all()
        ]


class ApplicationListItem(serializers.ModelSerializer):
    policy = serializers.CharField(source="policy.code")
    state_label = serializers.CharField(source="get_state_display")
    township = serializers.CharField(source="township.code")

    class Meta:
        model = SubsidyApplication
        fields = [
            "id",
            "number",
            "policy",
            "state",
            "state_label",
            "township",
            "applicant_name",
            "period_start",
            "period_end",
            "computed_amount",
            "created_at",
        ]


def tasks_output(tasks, actor) -> list[dict]:
    """The inbox: every task with whether this user may still approve it (one query)."""
    ids = [t.process.subsidyprocess.application_id for t in tasks]
    approvals = selectors.approvals_by(actor, ids)
    entered = selectors.entered_by(actor, ids)
    return [task_output(task, actor, approvals=approvals, entered=entered) for task in tasks]


def task_output(task, actor, approvals=None, entered=None) -> dict:
    application = task.process.subsidyprocess.application
    step = task.flow_task.name
    if approvals is None:
        approvals = selectors.approvals_by(actor, [application.pk])
    if entered is None:
        entered = selectors.entered_by(actor, [application.pk])
    earlier = [s for s in approvals.get(application.pk, []) if s != step]
    entered_by_you = STEP[step].four_eyes and application.pk in entered
    if entered_by_you:
        notice = errors.ENTERED_BY_YOU
    elif earlier:
        notice = f"您已批准过本申请的“{STEP_LABELS[earlier[0]]}”环节，不能再次批准。"
    else:
        notice = ""
    return {
        "id": task.pk,
        "step": step,
        "label": STEP_LABELS[step],
        "status": task.status,
        "created": task.created.isoformat(),
        "created_local": timezone.localtime(task.created).strftime("%Y-%m-%d %H:%M"),
        "application": {
            "id": application.pk,
            "number": application.number,
            "policy": application.policy.code,
            "policy_name": application.policy.name,
            "applicant_name": application.applicant_name,
            "township": application.township.code,
            "township_name": application.township.name,
            "state": application.state,
            "computed_amount": str(application.computed_amount),
        },
        "decisions": list(STEP[step].decisions),
        "may_approve": not earlier and not entered_by_you,
        "entered_by_you": entered_by_you,
        "notice": notice,
    }
