"""The rule tables: every figure the law or the county sets, as data.

Clock periods, legal figures, the official calendar, the risk rule sets with their
keywords and Spring Festival dates, and the subsidy policies with their parameters.
The county edits them in the admin; each effective-dated row carries its citation, its
period and whether its figure is confirmed (EffectiveDated), and `in_force` is the one
place that says which rows apply on a day.

The tables keep the names they had in the apps that first created them (`db_table`), so
moving them here moved no data. Every table here sets a new rule generation on any
change (RuleTable, rules.triggers), which tells rules.memo to read it again.
"""

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models

# --- the two bases ------------------------------------------------------------------------


class RuleTable(models.Model):
    """A table rules.memo may cache: each change to it sets a new rule generation.

    rules.triggers finds every model with `rule_cache_watched = True` in the app
    registry (a table of another app, e.g. the townships, sets the attribute itself).
    """

    rule_cache_watched = True

    class Meta:
        abstract = True


class EffectiveDated(RuleTable):
    """A row that applies from one day (to another): see in_force()."""

    citation = models.CharField("依据", max_length=200)
    confirmed = models.BooleanField(
        "已确认", default=True, help_text="未确认的为默认值 [CONFIG]，需由管理员核实。"
    )
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "终止日期不能早于生效日期。"})

    def covers(self, day: dt.date) -> bool:
        return bool(in_force([self], day))


Row = TypeVar("Row")


def in_force(rows: Iterable[Row], on: dt.date) -> list[Row]:
    """The rows in force on `on`, newest first.

    A row is in force from its effective_from to its effective_to, both included (no
    effective_to: until further notice). Of several rows for the same thing, the first
    one returned (the newest that has started) is the one that applies: a later row
    supersedes an earlier one without the earlier needing an end date.
    Rows are anything with `effective_from` and `effective_to` (models or plain records).
    """
    found = [
        row
        for row in rows
        if row.effective_from <= on and (row.effective_to is None or on <= row.effective_to)
    ]
    return sorted(found, key=lambda row: row.effective_from, reverse=True)


# --- clock periods and legal figures ---------------------------------------------------------


class ClockRule(EffectiveDated):
    """A statutory period: how long a stage may take and how its days are counted."""

    class DayKind(models.TextChoices):
        WORKING = "working", "工作日"
        CALENDAR = "calendar", "自然日"

    stage = models.CharField("环节", max_length=40)
    label = models.CharField("名称", max_length=100)
    days = models.PositiveSmallIntegerField("期限(日)")
    day_kind = models.CharField("计日方式", max_length=10, choices=DayKind)
    approver_role = models.CharField(
        "延长审批角色", max_length=30, blank=True, help_text="仅延长类规则：谁可以批准延长。"
    )
    citation = models.CharField("法律依据", max_length=200)

    class Meta:
        db_table = "cases_clockrule"
        verbose_name = verbose_name_plural = "法定时限规则"
        ordering = ["stage", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "effective_from"], name="clock_rule_unique")
        ]

    def __str__(self):
        return f"{self.label}: {self.days}{self.get_day_kind_display()} ({self.citation})"

    @property
    def period(self) -> str:
        """The period as the law states it: "30个工作日", "15日"."""
        return f"{self.days}{'个工作日' if self.day_kind == self.DayKind.WORKING else '日'}"


class LegalParameter(EffectiveDated):
    """A threshold or figure used by the rules, e.g. the 276-1 amounts [CONFIG]."""

    code = models.CharField("代码", max_length=60)
    label = models.CharField("名称", max_length=120)
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)
    unit = models.CharField("单位", max_length=20, blank=True)

    class Meta:
        db_table = "cases_legalparameter"
        verbose_name = verbose_name_plural = "法定参数"
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="parameter_unique")
        ]

    def __str__(self):
        flag = "" if self.confirmed else " [CONFIG]"
        return f"{self.label} = {self.value}{self.unit}{flag}"


# --- the official calendar -------------------------------------------------------------------


class CalendarYear(RuleTable):
    """A year of the State Council's holiday notice, entered by an administrator.

    Its CalendarDay entries override the calendar package; the other days of the year
    follow the package, or the ordinary week (Monday to Friday working) for a year the
    package does not know (rules.calendar.WorkingCalendar.is_working_day).
    """

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据(国务院办公厅通知)", max_length=200)

    class Meta:
        db_table = "cases_calendaryear"
        verbose_name = verbose_name_plural = "官方节假日年度"
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(RuleTable):
    calendar_year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选：调休上班日；不勾选：放假。")
    name = models.CharField("说明", max_length=50, blank=True)

    class Meta:
        db_table = "cases_calendarday"
        verbose_name = verbose_name_plural = "节假日/调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '放假'} {self.name}"

    def clean(self):
        if self.date and self.calendar_year_id and self.date.year != self.calendar_year.year:
            raise ValidationError({"date": "日期不在该年度内。"})


# --- the escalation-risk rules ----------------------------------------------------------------


class RiskLevel(models.TextChoices):
    GREEN = "green", "绿色"
    YELLOW = "yellow", "黄色"
    ORANGE = "orange", "橙色"
    RED = "red", "红色"


LEVEL_ORDER: dict[str, int] = {
    RiskLevel.GREEN: 0,
    RiskLevel.YELLOW: 1,
    RiskLevel.ORANGE: 2,
    RiskLevel.RED: 3,
}


class RiskRuleSet(RuleTable):
    """One version of the weights and thresholds of the escalation-risk score.

    Starting values are docs/domain.md's table (to be tuned by the county). A saved version is
    never changed: the admin saves a tuned table as the next version, and each score
    records the version it was computed with.
    """

    version = models.PositiveIntegerField("版本号", unique=True)
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by = models.CharField("创建人", max_length=150, blank=True)

    workers_tier1_min = models.PositiveIntegerField("涉及人数档1起点", default=10)
    workers_tier1_points = models.PositiveSmallIntegerField("涉及人数档1分值", default=15)
    workers_tier2_min = models.PositiveIntegerField("涉及人数档2起点", default=30)
    workers_tier2_points = models.PositiveSmallIntegerField("涉及人数档2分值", default=25)
    workers_tier3_min = models.PositiveIntegerField("涉及人数档3起点", default=100)
    workers_tier3_points = models.PositiveSmallIntegerField("涉及人数档3分值", default=35)
    amount_threshold_points = models.PositiveSmallIntegerField(
        "金额达到拒不支付罪(276-1)标准", default=10
    )
    project_points = models.PositiveSmallIntegerField(
        "建筑施工、政府投资/国企项目或关停钢焦企业", default=10
    )
    pressure_investigation_days = models.PositiveSmallIntegerField(
        "期限压力：监察调查已用工作日超过", default=40
    )
    pressure_award_days = models.PositiveSmallIntegerField(
        "期限压力：仲裁审理已用日数超过", default=35
    )
    pressure_points = models.PositiveSmallIntegerField("期限压力分值", default=5)
    overdue_points = models.PositiveSmallIntegerField("已超期分值", default=10)
    season_start_month = models.PositiveSmallIntegerField("节前高峰期起始月", default=11)
    season_start_day = models.PositiveSmallIntegerField("节前高峰期起始日", default=15)
    season_points = models.PositiveSmallIntegerField("节前高峰期（起始日至元宵节）分值", default=10)
    repeat_min_complaints = models.PositiveSmallIntegerField(
        "重复投诉：同一单位投诉数达到", default=2
    )
    repeat_window_days = models.PositiveSmallIntegerField("重复投诉：统计天数", default=90)
    repeat_points = models.PositiveSmallIntegerField("重复投诉分值", default=10)
    history_points = models.PositiveSmallIntegerField(
        "单位不良记录（黑名单或拒不履行限期支付）分值", default=10
    )
    distress_points = models.PositiveSmallIntegerField("极端言辞分值（并提交人工研判）", default=15)
    yellow_from = models.PositiveSmallIntegerField("黄色起点", default=30)
    orange_from = models.PositiveSmallIntegerField("橙色起点", default=50)
    red_from = models.PositiveSmallIntegerField("红色起点", default=70)
    deadline_warn_days = models.PositiveSmallIntegerField("期限预警：提前天数(第一次)", default=3)
    deadline_final_warn_days = models.PositiveSmallIntegerField(
        "期限预警：提前天数(第二次)", default=1
    )
    escalate_after_minutes = models.PositiveSmallIntegerField(
        "红色预警未确认上报主管领导(分钟)", default=60
    )

    class Meta:
        db_table = "notifications_riskruleset"
        verbose_name = verbose_name_plural = "风险评分规则"
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(yellow_from__lt=models.F("orange_from"))
                & models.Q(orange_from__lt=models.F("red_from")),
                name="risk_rules_levels_ascending",
            )
        ]

    def __str__(self):
        return f"风险规则 v{self.version}"

    def level_for(self, score: int) -> str:
        if score >= self.red_from:
            return RiskLevel.RED
        if score >= self.orange_from:
            return RiskLevel.ORANGE
        if score >= self.yellow_from:
            return RiskLevel.YELLOW
        return RiskLevel.GREEN


class RiskKeyword(RuleTable):
    """Words in a complaint or a case note that change its risk."""

    class Kind(models.TextChoices):
        DISTRESS = "distress", "极端言辞（加分并人工研判）"
        THREAT = "threat", "以自伤或极端行为相威胁（直接红色并人工研判）"
        PETITION = "petition", "已到信访部门（直接红色）"

    word = models.CharField("词语", max_length=30, unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kind)
    active = models.BooleanField("启用", default=True)

    class Meta:
        db_table = "notifications_riskkeyword"
        verbose_name = verbose_name_plural = "风险关键词"
        ordering = ["kind", "word"]

    def __str__(self):
        return self.word


class SpringFestival(RuleTable):
    """The first day of the lunar year; the Lantern Festival is 14 days later.

    chinese-calendar has no lunar conversion, so the dates are data (seeded 2024-2030;
    an administrator adds later years).
    """

    year = models.PositiveSmallIntegerField("公历年份", unique=True)
    date = models.DateField("春节（正月初一）")

    class Meta:
        db_table = "notifications_springfestival"
        verbose_name = verbose_name_plural = "春节日期"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} 春节 {self.date}"

    @property
    def lantern_festival(self) -> dt.date:
        return self.date + dt.timedelta(days=14)


# --- the subsidy policies ------------------------------------------------------------------------


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


class FundingSource(models.TextChoices):
    """The fund a policy's subsidies are paid from (资金来源), for the statistics."""

    EMPLOYMENT_FUND = "employment_fund", "就业补助资金"
    UNEMPLOYMENT_INSURANCE = "unemployment_insurance", "失业保险基金"
    LOCAL_BUDGET = "local_budget", "地方财政"
    LOAN_GUARANTEE = "loan_guarantee", "创业担保贷款担保基金及贴息资金"


class SubsidyPolicy(EffectiveDated):
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
    funding_source = models.CharField(
        "资金来源",
        max_length=30,
        choices=FundingSource,
        default=FundingSource.EMPLOYMENT_FUND,
        help_text="补贴从哪项资金列支；统计按资金来源汇总。",
    )
    citation = models.CharField("依据", max_length=300)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField(
        "终止日期", null=True, blank=True, help_text="含当日；之后的补贴期间不予补贴。"
    )

    class Meta:
        db_table = "workflows_subsidypolicy"
        verbose_name = verbose_name_plural = "补贴政策"
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="policy_version_unique")
        ]

    def __str__(self):
        end = self.effective_to.isoformat() if self.effective_to else "长期"
        return f"{self.name}（{self.effective_from.isoformat()} 至 {end}）"

    @property
    def unconfirmed(self) -> bool:
        return any(not p.confirmed for p in self.parameters.all())


class PolicyParameter(RuleTable):
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
        db_table = "workflows_policyparameter"
        verbose_name = verbose_name_plural = "补贴政策参数"
        ordering = ["policy", "key"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "key"], name="policy_parameter_unique")
        ]

    def __str__(self):
        flag = "" if self.confirmed else " [CONFIG]"
        return f"{self.label} = {self.value}{self.unit}{flag}"


# --- enforcement listings ------------------------------------------------------------------------


class ListingCriterion(EffectiveDated):
    """One condition for putting an employer on an enforcement list: the wage-arrears
    blacklist (人社部令45号) or the publication of major violations (人社部令29号).

    Conditions of the same group are alternatives (one is enough); every group of a
    listing must be met. Of several rows for one listing and condition, the newest in
    force applies; a row with an end date drops its condition from that day on.
    """

    class Listing(models.TextChoices):
        BLACKLIST = "blacklist", "拖欠农民工工资失信联合惩戒对象名单"
        PUBLICATION = "publication", "重大劳动保障违法行为社会公布"

    class Condition(models.TextChoices):
        ORDER_IGNORED = "order_ignored", "经责令限期支付工资，逾期未支付"
        WAGE_REFUSAL_AMOUNT = "wage_refusal_amount", "拖欠数额达到拒不支付劳动报酬罪数额标准"
        INCIDENT = "incident", "因拖欠工资引发群体性事件、极端事件"
        BLACKLISTED = "blacklisted", "已列入拖欠农民工工资失信联合惩戒对象名单"
        TRANSFERRED_POLICE = "transferred_police", "涉嫌拒不支付劳动报酬罪移送公安机关"
        AMOUNT_OVER = "amount_over", "拖欠劳动报酬数额较大"

    listing = models.CharField("名单", max_length=20, choices=Listing)
    condition = models.CharField("条件", max_length=30, choices=Condition)
    group = models.PositiveSmallIntegerField(
        "条件组", default=1, help_text="同一组内的条件满足其一即可；各组都须满足。"
    )
    amount = models.DecimalField(
        "数额(元)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="仅“数额较大”条件：拖欠（请求）金额达到该数额。",
    )

    class Meta:
        verbose_name = verbose_name_plural = "失信名单与社会公布条件"
        ordering = ["listing", "group", "condition", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "condition", "effective_from"], name="listing_criterion_unique"
            )
        ]

    def __str__(self):
        flag = "" if self.confirmed else " [CONFIG]"
        return f"{self.get_listing_display()}：{self.get_condition_display()}{flag}"

    def clean(self):
        super().clean()
        if self.condition == self.Condition.AMOUNT_OVER and self.amount is None:
            raise ValidationError({"amount": "“数额较大”条件须填写数额。"})


# --- the rule generation -----------------------------------------------------------------------


def new_generation() -> int:
    return secrets.randbits(62)


class RuleTablesVersion(models.Model):
    """One row whose `generation` changes with every change to a rule table.

    Database triggers set it (rules.triggers), whatever wrote the rule rows: the admin,
    a migration, a bulk load or plain SQL. rules.memo keeps the rule tables in each
    process for as long as the generation it read them under is the current one.
    """

    generation = models.BigIntegerField(default=new_generation)

    class Meta:
        db_table = "cases_ruletablesversion"
        verbose_name = verbose_name_plural = "规则表版本"

    def __str__(self):
        return str(self.generation)
