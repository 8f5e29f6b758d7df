"""Subsidy policies, applications and their approval process.

The policy table is data: every amount, limit and date lives in SubsidyPolicy /
PolicyParameter rows with a citation and an effective period, editable in the admin.
Eligibility and amounts are computed in workflows/eligibility.py, writes go through
workflows/services.py, and the approval steps are the viewflow Flow in workflows/flows.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from viewflow.workflow.models import Process

from cases import pii, query_codes, validators
from cases.models import Employer, Township


class PolicyCode(models.TextChoices):
    POST = "post", "岗位补贴"
    ABSORPTION = "absorption", "一次性吸纳就业补贴"
    SOCIAL_INSURANCE = "social_insurance", "社会保险补贴"
    JOB_PLACEMENT = "job_placement", "职业介绍补贴"
    STARTUP = "startup", "一次性创业补贴"
    RENT = "rent", "创业场地租赁补贴"
    STARTUP_LOAN = "startup_loan", "创业担保贷款"


class ApplicantKind(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    AGENCY = "agency", "人力资源服务机构"
    INDIVIDUAL = "individual", "个人（创业者）"


class SubsidyPolicy(models.Model):
    """One version of one subsidy policy: who may apply, in force from when to when.

    A change of figures is a new version (a new effective_from); the version in force
    for an application is the one whose period covers the application's period.
    """

    code = models.CharField("政策代码", max_length=30, choices=PolicyCode)
    name = models.CharField("名称", max_length=100)
    applicant_kinds = models.JSONField(
        "可申请主体",
        default=list,
        help_text='例如 ["enterprise"]；取值 enterprise/agency/individual',
    )
    applicant_sizes = models.JSONField(
        "企业规模限制",
        default=list,
        blank=True,
        help_text='企业、机构申请时的规模要求，例如 ["micro", "small"]；留空为不限。',
    )
    rule_text = models.TextField("政策条文摘要")
    citation = models.CharField("依据", max_length=300)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField(
        "终止日期", null=True, blank=True, help_text="含当日；之后的补贴期间不予补贴。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "补贴政策"
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="policy_version_unique")
        ]

    def __str__(self):
        end = self.effective_to.isoformat() if self.effective_to else "长期"
        return f"{self.name}（{self.effective_from.isoformat()} 至 {end}）"

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "终止日期不能早于生效日期。"})

    def covers(self, day) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    @property
    def unconfirmed(self) -> bool:
        return any(not p.confirmed for p in self.parameters.all())


class PolicyParameter(models.Model):
    """An amount, limit or rate of a policy version. Unconfirmed figures are [CONFIG]."""

    policy = models.ForeignKey(SubsidyPolicy, on_delete=models.CASCADE, related_name="parameters")
    key = models.CharField(
        "参数代码",
        max_length=60,
        help_text="程序按代码读取；职业介绍补贴的去向标准以 rate: 开头，如 rate:in_county。",
    )
    label = models.CharField("名称", max_length=120)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    unit = models.CharField("单位", max_length=20, blank=True)
    confirmed = models.BooleanField(
        "已确认", default=True, help_text="未确认的为默认值 [CONFIG]，需由管理员核实。"
    )
    note = models.CharField("依据/说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴政策参数"
        ordering = ["policy", "key"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="policy_parameter_unique")
        ]

    def __str__(self):
        flag = "" if self.confirmed else " [CONFIG]"
        return f"{self.label} = {self.value}{self.unit}{flag}"


class SubsidyState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核中"
    COUNTY_REVIEW = "county_review", "县人社局审核中"
    PUBLIC_NOTICE = "public_notice", "公示中"
    SUPERVISOR_APPROVAL = "supervisor_approval", "待主管领导审批"
    AWAITING_PAYMENT = "awaiting_payment", "已批准，待拨付"
    PAID = "paid", "已拨付"
    RETURNED = "returned", "退回补正"
    REJECTED = "rejected", "不予补贴"


SizeClass = Employer.SizeClass


class Destination(models.TextChoices):
    """Where a placed worker went (job-placement subsidy); rates are policy parameters."""

    IN_COUNTY = "in_county", "县内就业"
    IN_PROVINCE = "in_province", "省内县外就业"
    OUT_OF_PROVINCE = "out_of_province", "省外就业"


STEP_LABELS = {
    "submit": "提交申请",
    "intake": "自动审查",
    "township_review": "乡镇审核",
    "county_review": "县人社局审核",
    "public_notice": "公示",
    "supervisor_approval": "主管领导审批",
    "payment": "财务拨付",
    "correction": "退回补正",
    "refuse": "不予补贴",
}
ACTION_LABELS = {
    "submit": "提交申请",
    "auto_reject": "不符合补贴条件，不予补贴",
    "approve": "同意",
    "return": "退回补正",
    "reject": "不予补贴",
    "resubmit": "补正后重新提交",
    "notice_start": "公示开始",
    "notice_end": "公示期满",
    "pay": "登记拨付",
}


# The applicant's query code looks like a complaint's (cases/query_codes.py): no 0/O,
# 1/I/L to misread over the phone; 31^8 codes; per-IP rate limit and per-number lock.
QUERY_CODE_ALPHABET = query_codes.QUERY_CODE_ALPHABET
QUERY_CODE_LENGTH = query_codes.QUERY_CODE_LENGTH


class SubsidyApplication(models.Model):
    """The business record of one application; its approval runs as a SubsidyProcess."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    # Only a keyed hash of the code is kept; the clear code is on the instance that issued
    # it (`query_code`), shown once to the staff who entered the application.
    query_code_hash = models.CharField(
        "查询码（哈希）",
        max_length=64,
        editable=False,
        help_text="申请人凭申请编号和查询码在 /subsidies/status/ 查询进度。",
    )
    policy = models.ForeignKey(SubsidyPolicy, on_delete=models.PROTECT, verbose_name="政策版本")
    state = models.CharField(
        "状态", max_length=24, choices=SubsidyState, default=SubsidyState.SUBMITTED
    )
    township = models.ForeignKey(Township, on_delete=models.PROTECT, verbose_name="乡镇")

    applicant_kind = models.CharField("申请主体类型", max_length=20, choices=ApplicantKind)
    applicant_name = models.CharField("申请人/单位名称", max_length=200)
    applicant_uscc = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validators.validate_uscc]
    )
    applicant_id_number = pii.EncryptedTextField(
        "申请人身份证号", blank=True, validators=[validators.validate_ric]
    )
    size_class = models.CharField("企业规模", max_length=10, choices=SizeClass, blank=True)
    employer = models.ForeignKey(
        Employer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        verbose_name="登记的用人单位",
    )

    period_start = models.DateField("补贴期间起")
    period_end = models.DateField("补贴期间止")
    requested_amount = models.DecimalField(
        "申请金额", max_digits=12, decimal_places=2, null=True, blank=True
    )
    computed_amount = models.DecimalField(
        "核定金额", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    eligibility = models.JSONField("审查结果（逐条）", default=list, blank=True)
    evaluated_at = models.DateTimeField("审查时间", null=True, blank=True)

    returned_from = models.CharField("退回环节", max_length=30, blank=True)
    return_note = models.TextField("退回意见", blank=True)
    rejection_reason = models.TextField("不予补贴理由", blank=True)
    notice_started_on = models.DateField("公示开始", null=True, blank=True)
    notice_ends_on = models.DateField("公示截止", null=True, blank=True)
    paid_amount = models.DecimalField(
        "实际拨付金额", max_digits=12, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField("拨付日期", null=True, blank=True)
    payment_reference = models.CharField("拨付凭证号", max_length=60, blank=True)

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="录入人",
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴申请"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["township", "state"])]

    query_code: str | None = None

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self.query_code_hash:
            self.query_code = query_codes.query_code_new()
            self.query_code_hash = query_codes.query_code_hash(self.query_code)
        super().save(*args, **kwargs)

    @property
    def policy_code(self) -> str:
        return self.policy.code

    @property
    def is_allowed(self) -> bool:
        """Some rule allows it: every application-level rule passed and the amount is > 0."""
        return self.computed_amount > 0 and all(r["passed"] for r in self.eligibility)

    @property
    def returned_from_label(self) -> str:
        return STEP_LABELS.get(self.returned_from, self.returned_from)

    @property
    def is_final(self) -> bool:
        return self.state in (SubsidyState.PAID, SubsidyState.REJECTED)


class SubsidyBeneficiary(models.Model):
    """A person the application claims for, with what the rules made of them."""

    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.CASCADE, related_name="beneficiaries"
    )
    position = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("姓名", max_length=50)
    # Encrypted at rest; the double-payment check finds a person by the blind index.
    id_number = pii.EncryptedTextField("身份证号", validators=[validators.validate_ric])
    id_number_index = pii.BlindIndexField("身份证号索引", source="id_number", db_index=True)
    hire_date = models.DateField("入职/创业日期", null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField("劳动合同期限(月)", default=0)
    hard_to_employ = models.BooleanField("就业困难人员", default=False)
    graduation_year = models.PositiveSmallIntegerField("毕业年份", null=True, blank=True)
    insurance_months = models.PositiveSmallIntegerField("缴纳社保月数", default=0)
    insurance_paid = models.DecimalField(
        "单位实缴社保费", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    destination = models.CharField("就业去向", max_length=40, blank=True)

    # What the rules made of this person (recomputed on every submission).
    eligible = models.BooleanField("符合条件", default=False)
    amount = models.DecimalField("核定金额", max_digits=12, decimal_places=2, default=Decimal("0"))
    months = models.JSONField(
        "计入补贴的月份", default=list, blank=True, help_text="防重复享受和36个月上限按此计算"
    )
    reasons = models.JSONField("理由", default=list, blank=True)
    rules = models.JSONField("逐条审查", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴对象"
        ordering = ["application", "position", "id"]

    def __str__(self):
        return f"{self.name} ({validators.mask_id_number(self.id_number)})"

    @property
    def id_number_masked(self) -> str:
        return validators.mask_id_number(self.id_number)


class ApplicationEvent(models.Model):
    """Append-only history of an application: submissions, decisions, notice, payment."""

    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    step = models.CharField("环节", max_length=30)
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=24, blank=True)
    to_state = models.CharField("新状态", max_length=24, blank=True)
    note = models.TextField("意见", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "补贴申请记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.application} {self.step}/{self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("审批记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("审批记录只能追加，不能删除。")

    @property
    def step_label(self) -> str:
        return STEP_LABELS.get(self.step, self.step)

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


class SubsidyProcess(Process):
    """The viewflow process of one application (multi-table: the record is a real row)."""

    application = models.OneToOneField(
        SubsidyApplication, on_delete=models.PROTECT, related_name="process", null=True
    )

    class Meta:
        verbose_name = verbose_name_plural = "补贴审批流程"


class ApplicationNumberSequence(models.Model):
    """Per-year counter behind readable application numbers (BT-2026-000123)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
