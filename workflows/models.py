"""Subsidy policies, applications and their approval process.

The policy table is data: every amount, limit and date lives in SubsidyPolicy /
PolicyParameter rows with a citation and an effective period, editable in the admin.
Eligibility and amounts are computed in workflows/eligibility/, writes go through
workflows/services.py, and the approval steps are the viewflow Flow in workflows/flows.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from viewflow.workflow.models import Process

from core import pii, query_codes, validators
from core.models import Employer, Township
from rules.models import ApplicantKind, SubsidyPolicy
from workflows.steps import STEP_LABELS, SubsidyState

SizeClass = Employer.SizeClass


class Destination(models.TextChoices):
    """Where a placed worker went (job-placement subsidy); rates are policy parameters."""

    IN_COUNTY = "in_county", "县内就业"
    IN_PROVINCE = "in_province", "省内县外就业"
    OUT_OF_PROVINCE = "out_of_province", "省外就业"


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


# The applicant's query code looks like a complaint's (core/query_codes.py): no 0/O,
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
    # Where the applicant is told of each step (notifications/notices.py), if given.
    applicant_phone = pii.EncryptedTextField("申请人手机号", blank=True, default="")
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


class NoticeObjection(models.Model):
    class Outcome(models.TextChoices):
        PENDING = "pending", "待县人社局审核"
        DISMISSED = "dismissed", "异议不成立，继续公示"
        UPHELD = "upheld", "异议成立，不予补贴"

    application = models.ForeignKey(
        SubsidyApplication, on_delete=models.PROTECT, related_name="objections"
    )
    name = models.CharField("异议人", max_length=50, blank=True)
    contact = models.CharField("联系方式", max_length=100)
    text = models.TextField("异议内容")
    created_at = models.DateTimeField("提出时间", default=timezone.now)
    outcome = models.CharField(
        "处理结果", max_length=10, choices=Outcome, default=Outcome.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decision_note = models.TextField("处理意见", blank=True)

    class Meta:
        app_label = "workflows"
        verbose_name = verbose_name_plural = "公示异议"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.application} {self.get_outcome_display()}"
