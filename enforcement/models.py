"""The wage-arrears blacklist (人社部令45号) and the publication of major violations
(人社部令29号): their records and their append-only history.

`core.models.Employer.blacklisted_until` stays the read model the subsidies and the risk
score use; the services here keep it in step with every entry's state.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core import pii, validators


class EntryState(models.TextChoices):
    PROPOSED = "proposed", "已提请，待审批"
    LISTED = "listed", "已列入"
    REJECTED = "rejected", "不予列入"
    REMOVED_EARLY = "removed_early", "已提前移出"
    EXPIRED = "expired", "期满移出"


# Entries that hold a case: a second proposal from it waits until they end.
ACTIVE_STATES = (EntryState.PROPOSED, EntryState.LISTED)
# Entries whose employer was put on the list (by a decision), whatever happened after.
WAS_LISTED_STATES = (EntryState.LISTED, EntryState.REMOVED_EARLY, EntryState.EXPIRED)


class NoticeHow(models.TextChoices):
    WRITTEN = "written", "书面送达"
    IN_PERSON = "in_person", "当面告知"
    SMS = "sms", "短信告知"


class RemovalDecision(models.TextChoices):
    APPROVED = "approved", "同意提前移出"
    REFUSED = "refused", "不同意提前移出"


class BlacklistEntry(models.Model):
    employer = models.ForeignKey(
        "core.Employer",
        on_delete=models.PROTECT,
        related_name="blacklist_entries",
        verbose_name="用人单位",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="来源案件"
    )
    state = models.CharField(
        "状态", max_length=20, choices=EntryState, default=EntryState.PROPOSED, db_index=True
    )
    reasons = models.TextField("提请理由")
    # [{"code", "label", "detail"}] of the conditions met when proposed (criteria.py).
    criteria_met = models.JSONField("符合的列入条件", default=list)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提请人"
    )
    proposed_at = models.DateTimeField("提请时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)
    listed_from = models.DateField("列入日期", null=True, blank=True)
    listed_until = models.DateField("列入截止日", null=True, blank=True, db_index=True)
    notified_at = models.DateTimeField("告知单位时间", null=True, blank=True)
    notified_how = models.CharField("告知方式", max_length=10, choices=NoticeHow, blank=True)
    notice_note = models.CharField("告知说明", max_length=200, blank=True)
    removal_applied_on = models.DateField("提前移出申请日", null=True, blank=True)
    removal_application = models.TextField("提前移出申请内容", blank=True)
    removal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="申请登记人",
    )
    removal_decision = models.CharField(
        "提前移出决定", max_length=10, choices=RemovalDecision, blank=True
    )
    removal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提前移出审批人",
    )
    removal_decided_at = models.DateTimeField("提前移出审批时间", null=True, blank=True)
    removal_note = models.TextField("提前移出审批意见", blank=True)
    ended_on = models.DateField("移出日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "失信联合惩戒名单"
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state__in=["proposed", "listed"]),
                name="blacklist_one_active_entry_per_case",
            )
        ]

    def __str__(self):
        return f"{self.employer}（{self.get_state_display()}）"

    @property
    def removal_pending(self) -> bool:
        return bool(self.removal_applied_on) and not self.removal_decision


class ResponsiblePerson(models.Model):
    """A person the listing decision names (法定代表人, 实际控制人, ...)."""

    class Role(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_representative", "法定代表人"
        ACTUAL_CONTROLLER = "actual_controller", "实际控制人"
        PRINCIPAL = "principal", "主要负责人"
        OTHER = "other", "其他直接责任人员"

    entry = models.ForeignKey(
        BlacklistEntry, on_delete=models.CASCADE, related_name="responsible_persons"
    )
    name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=30, choices=Role)
    id_number = pii.EncryptedTextField("身份证号", validators=[validators.validate_ric])

    class Meta:
        verbose_name = verbose_name_plural = "责任人"
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"

    @property
    def id_number_masked(self) -> str:
        return validators.mask_id_number(self.id_number)


class AppendOnly(models.Model):
    """A history row: written once, never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are append-only")


class BlacklistEvent(AppendOnly):
    class Action(models.TextChoices):
        PROPOSE = "propose", "提请列入"
        LIST = "list", "批准列入"
        REJECT = "reject", "不予列入"
        NOTIFY = "notify", "告知用人单位"
        REMOVAL_APPLY = "removal_apply", "登记提前移出申请"
        REMOVE = "remove", "批准提前移出"
        REMOVAL_REFUSE = "removal_refuse", "不同意提前移出"
        EXPIRE = "expire", "期满移出"

    entry = models.ForeignKey(BlacklistEntry, on_delete=models.PROTECT, related_name="events")
    action = models.CharField("操作", max_length=20, choices=Action)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=100)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "失信名单操作记录"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d}"


class Publication(models.Model):
    """One quarter's list of major violations for the county website. Its items are
    copies made when it was drafted: once approved, later corrections of the cases
    never change it."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿，待审批"
        APPROVED = "approved", "已批准公布"

    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    state = models.CharField("状态", max_length=10, choices=State, default=State.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="起草人"
    )
    drafted_at = models.DateTimeField("起草时间", default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审批人",
    )
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "重大劳动保障违法行为社会公布"
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="publication_one_per_quarter")
        ]

    def __str__(self):
        return f"{self.year}年第{self.quarter}季度"


class PublicationItem(models.Model):
    """One published violation, as published: text only, no worker's personal data."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("序号")
    # For staff only (never exported): which case the row came from.
    case_number = models.CharField("案件编号", max_length=20)
    employer_name = models.CharField("违法主体", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    employer_address = models.CharField("地址", max_length=300, blank=True)
    responsible_person = models.CharField("法定代表人或负责人", max_length=200, blank=True)
    violation = models.TextField("主要违法事实")
    outcome = models.TextField("处理情况")
    criteria = models.CharField("公布依据", max_length=300)

    class Meta:
        verbose_name = verbose_name_plural = "社会公布条目"
        ordering = ["publication", "position"]

    def __str__(self):
        return f"{self.position}. {self.employer_name}"
