"""The re-employment ledger (实名制工作台账): closed plants and their laid-off workers,
everyone else seeking work, the 1+3+1 services each of them is owed, job postings,
referrals and the county's targets.

A ledger entry's status is never overwritten in place without its LedgerEvent: the
history is the record the monthly dispatch reads (a month once reported is not
rewritten). Writes go through employment/services.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core import validators
from core.models import Employer, Person, Township, Village


class ClosedPlant(models.Model):
    """A plant closed under the industrial policy (关停企业), with its roster in the ledger."""

    name = models.CharField("企业名称", max_length=200)
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validators.validate_uscc]
    )
    township = models.ForeignKey(Township, on_delete=models.PROTECT, verbose_name="乡镇")
    closed_on = models.DateField("关停日期")
    sector = models.CharField(
        "行业", max_length=20, choices=Employer.Sector, default=Employer.Sector.STEEL_COKE
    )
    laid_off = models.PositiveIntegerField("下岗职工人数（登记）", default=0)
    severance_owed = models.DecimalField(
        "尚欠经济补偿（元）", max_digits=14, decimal_places=2, default=0
    )
    wages_owed = models.DecimalField("尚欠工资（元）", max_digits=14, decimal_places=2, default=0)
    # The employer record of the same USCC; its closed flag feeds the risk score.
    employer = models.OneToOneField(
        Employer,
        on_delete=models.PROTECT,
        related_name="closed_plant",
        verbose_name="用人单位",
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["closed_on", "name"]
        verbose_name = verbose_name_plural = "关停企业"

    def __str__(self):
        return self.name


class Category(models.TextChoices):
    LAID_OFF = "laid_off", "关停企业下岗职工"
    URBAN_UNEMPLOYED = "urban_unemployed", "城镇失业人员"
    RURAL_TRANSFER = "rural_transfer", "农村转移劳动力"
    GRADUATE = "graduate", "高校毕业生"
    HARD_TO_EMPLOY = "hard_to_employ", "就业困难人员"


class Status(models.TextChoices):
    UNEMPLOYED = "unemployed", "未就业"
    EMPLOYED = "employed", "已就业"
    LEFT = "left", "退出台账"


class Mode(models.TextChoices):
    ENTERPRISE = "enterprise", "企业就业"
    FLEXIBLE = "flexible", "灵活就业"
    SELF_EMPLOYED = "self_employed", "自主创业"
    PUBLIC_WELFARE = "public_welfare", "公益性岗位"
    OUTSIDE = "outside", "县外就业"


class LedgerEntry(models.Model):
    """One person in the real-name ledger; the same Person as on cases."""

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, related_name="ledger_entry", verbose_name="劳动者"
    )
    category = models.CharField("人员类别", max_length=20, choices=Category)
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="entries", verbose_name="村（社区）"
    )
    # The village's township, kept beside it so that the township's figures are one
    # grouped query (services keep the two in step).
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="+", verbose_name="乡镇"
    )
    plant = models.ForeignKey(
        ClosedPlant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="原关停企业",
    )
    status = models.CharField("就业状态", max_length=12, choices=Status, default=Status.UNEMPLOYED)
    mode = models.CharField("就业方式", max_length=20, choices=Mode, blank=True)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="就业单位",
    )
    employer_name = models.CharField("就业单位（名称）", max_length=200, blank=True)
    employed_on = models.DateField("就业日期", null=True, blank=True)
    wants_work = models.BooleanField("有就业意愿", default=True)
    training_needs = models.CharField("培训需求", max_length=200, blank=True)
    entered_on = models.DateField("进入台账日期")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="录入人",
    )
    updated_at = models.DateTimeField(auto_now=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["township__sort_order", "village__sort_order", "id"]
        verbose_name = verbose_name_plural = "台账人员"
        indexes = [
            models.Index(fields=["township", "status", "category"], name="ledger_township_status"),
            models.Index(fields=["plant", "status"], name="ledger_plant_status"),
            models.Index(fields=["village", "status"], name="ledger_village_status"),
        ]

    def __str__(self):
        return f"{self.person.name} ({self.get_category_display()})"

    @property
    def owed_services(self) -> bool:
        """1+3+1 is owed to everyone who wants work or training."""
        return self.wants_work or bool(self.training_needs.strip())


class LedgerEvent(models.Model):
    """One dated change of a ledger entry. Appended, never edited."""

    class Kind(models.TextChoices):
        ENTERED = "entered", "进入台账"
        STATUS = "status", "就业状态变更"
        SERVICE = "service", "完成服务"
        REFERRAL = "referral", "岗位推荐"
        OUTCOME = "outcome", "推荐结果"
        EDITED = "edited", "信息修改"

    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="events", verbose_name="台账人员"
    )
    kind = models.CharField("类型", max_length=12, choices=Kind)
    # The status after this event (every event carries it, so the status on any day is
    # the one of the last event up to that day).
    status = models.CharField("就业状态", max_length=12, choices=Status)
    mode = models.CharField("就业方式", max_length=20, choices=Mode, blank=True)
    occurred_on = models.DateField("发生日期")
    note = models.CharField("说明", max_length=500, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = verbose_name_plural = "台账记录"
        indexes = [
            models.Index(fields=["entry", "occurred_on", "id"], name="ledger_event_entry_day"),
            models.Index(fields=["status", "occurred_on"], name="ledger_event_status_day"),
            # Who became employed in a period (selectors.progress): only those events,
            # with the entry, so the year's count reads this index and not the history.
            models.Index(
                fields=["occurred_on", "entry"],
                name="ledger_event_employed_day",
                condition=models.Q(kind="status", status="employed"),
            ),
        ]

    def __str__(self):
        return f"{self.entry_id} {self.occurred_on} {self.get_kind_display()}"


class ServiceItem(models.Model):
    """One of the 1+3+1 services owed to a person: 1 guidance session, 3 job
    referrals, 1 training referral, each due a configured number of days after the
    person entered the ledger."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", "就业指导"
        JOB_REFERRAL = "job_referral", "岗位推荐"
        TRAINING = "training", "培训推荐"

    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="services", verbose_name="台账人员"
    )
    kind = models.CharField("服务", max_length=16, choices=Kind)
    seq = models.PositiveSmallIntegerField("序号", default=1)
    due_on = models.DateField("应完成日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="完成人",
    )
    referral = models.OneToOneField(
        "Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="service_item",
        verbose_name="岗位推荐",
    )
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["entry", "due_on", "kind", "seq"]
        verbose_name = verbose_name_plural = "1+3+1服务"
        constraints = [
            models.UniqueConstraint(fields=["entry", "kind", "seq"], name="service_item_unique")
        ]
        indexes = [
            # The overdue scan and the screen read only the open items by due date.
            models.Index(
                fields=["due_on", "entry"],
                name="service_open_due",
                condition=models.Q(done_on__isnull=True),
            ),
            # The screen's per-person tally of every item (service_counts) reads only
            # this index, in entry order, never the rows.
            models.Index(fields=["entry", "done_on", "due_on"], name="service_entry_progress"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}{self.seq} {self.entry_id}"


class JobPosting(models.Model):
    """An employer's opening that stewards match to people in the ledger."""

    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="postings", verbose_name="用人单位"
    )
    title = models.CharField("岗位", max_length=100)
    pay = models.CharField("薪酬", max_length=60, help_text="如 3500-4500元/月")
    place = models.CharField("工作地点", max_length=100)
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, null=True, blank=True, verbose_name="所在乡镇"
    )
    openings = models.PositiveIntegerField("招聘人数", default=1)
    prefers_closed_plant = models.BooleanField("优先招用关停企业职工", default=False)
    is_open = models.BooleanField("招聘中", default=True)
    posted_on = models.DateField("发布日期")
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        ordering = ["-posted_on", "id"]
        verbose_name = verbose_name_plural = "招聘岗位"

    def __str__(self):
        return f"{self.employer.name} {self.title}"


class Referral(models.Model):
    """A person referred to a posting, and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "待反馈"
        HIRED = "hired", "已录用"
        NOT_HIRED = "not_hired", "未录用"
        DECLINED = "declined", "本人放弃"

    posting = models.ForeignKey(
        JobPosting, on_delete=models.PROTECT, related_name="referrals", verbose_name="岗位"
    )
    entry = models.ForeignKey(
        LedgerEntry, on_delete=models.CASCADE, related_name="referrals", verbose_name="台账人员"
    )
    referred_on = models.DateField("推荐日期")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="推荐人",
    )
    outcome = models.CharField("结果", max_length=10, choices=Outcome, default=Outcome.PENDING)
    outcome_on = models.DateField("结果日期", null=True, blank=True)
    sms_sent = models.BooleanField("已短信通知", default=False)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = verbose_name_plural = "岗位推荐"
        constraints = [
            models.UniqueConstraint(fields=["posting", "entry"], name="referral_once_per_posting")
        ]

    def __str__(self):
        return f"{self.entry_id} -> {self.posting_id} {self.get_outcome_display()}"


class Target(models.Model):
    """The year's targets, entered by the county (seed section 二)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    reemployment_rate = models.DecimalField(
        "关停企业下岗职工再就业率目标（%）", max_digits=5, decimal_places=2
    )
    urban_new = models.PositiveIntegerField("城镇新增就业目标（人）")
    rural_transfer = models.PositiveIntegerField("农村劳动力转移就业目标（人）")
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = verbose_name_plural = "年度目标"

    def __str__(self):
        return f"{self.year}年目标"


class TownshipShare(models.Model):
    """A township's share of the year's counted targets (the rate applies to all)."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="shares", verbose_name="年度目标"
    )
    township = models.ForeignKey(Township, on_delete=models.PROTECT, verbose_name="乡镇")
    urban_new = models.PositiveIntegerField("城镇新增就业任务（人）", default=0)
    rural_transfer = models.PositiveIntegerField("农村劳动力转移任务（人）", default=0)

    class Meta:
        ordering = ["target", "township__sort_order"]
        verbose_name = verbose_name_plural = "乡镇任务分解"
        constraints = [
            models.UniqueConstraint(fields=["target", "township"], name="share_once_per_township")
        ]

    def __str__(self):
        return f"{self.target.year} {self.township.name}"


class ReportedDispatch(models.Model):
    """A month's dispatch as it was reported with the county's monthly report: kept,
    never recomputed (employment.reported). A later change to that month's figures shows
    as a correction in the next month's dispatch."""

    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    figures = models.JSONField("调度数字")
    corrections = models.JSONField("对以前月份的更正", default=list, blank=True)
    reported_at = models.DateTimeField("报送时间", default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="生成人",
        help_text="空白表示随月报自动生成。",
    )

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = verbose_name_plural = "已报送的按月调度"
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="reported_dispatch_once")
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月调度"


class ScreenTally(models.Model):
    """The command screen's employment figures kept per township (employment.screen_tally):
    each row adds `n` to a figure (`ref`: the plant, or the year for those employed) for
    every day on or after `day` (screen_tally.ALWAYS: every day)."""

    township = models.ForeignKey(Township, on_delete=models.CASCADE, related_name="+")
    figure = models.CharField(max_length=16)
    ref = models.IntegerField(default=0)
    day = models.DateField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["township", "figure", "ref", "day"], name="screen_tally_unique"
            )
        ]

    def __str__(self):
        return f"{self.township_id} {self.figure} {self.ref} {self.day}: {self.n}"


class ScreenEntryTally(models.Model):
    """What one entry adds to the ScreenTally rows, to take it back when the entry changes."""

    entry = models.OneToOneField(
        LedgerEntry, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    parts = models.JSONField(default=list)

    def __str__(self):
        return f"{self.entry_id}: {len(self.parts)}"
