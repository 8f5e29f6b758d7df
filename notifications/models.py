"""Messages that leave the system (SMS), escalation risk and the alerts it raises.

The risk rules are data: a RiskRuleSet row per version (never edited once saved, so
every stored score can be explained by the exact rules that produced it), keyword lists
and the Spring Festival dates that bound the pre-festival season.
"""

import datetime as dt

from django.conf import settings
from django.db import models

from cases import pii
from cases.validators import mask_phone


class SmsMessage(models.Model):
    """Every SMS the system sends, whatever the backend: nothing is silently dropped."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "已记录（未接短信网关）"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    phone = pii.EncryptedTextField("手机号")  # encrypted at rest, like the claimant's
    # Encrypted too: a confirmation carries the case's query code, a credential the
    # database otherwise keeps only as a hash (cases/query_codes.py).
    text = pii.EncryptedTextField("内容")
    purpose = models.CharField("用途", max_length=40, blank=True)
    case_number = models.CharField("案件编号", max_length=20, blank=True, db_index=True)
    backend = models.CharField("通道", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.RECORDED)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{mask_phone(self.phone)} {self.purpose}"


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


class RiskRuleSet(models.Model):
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


class RiskKeyword(models.Model):
    """Words in a complaint or a case note that change its risk."""

    class Kind(models.TextChoices):
        DISTRESS = "distress", "极端言辞（加分并人工研判）"
        THREAT = "threat", "以自伤或极端行为相威胁（直接红色并人工研判）"
        PETITION = "petition", "已到信访部门（直接红色）"

    word = models.CharField("词语", max_length=30, unique=True)
    kind = models.CharField("类别", max_length=10, choices=Kind)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "风险关键词"
        ordering = ["kind", "word"]

    def __str__(self):
        return self.word


class SpringFestival(models.Model):
    """The first day of the lunar year; the Lantern Festival is 14 days later.

    chinese-calendar has no lunar conversion, so the dates are data (seeded 2024-2030;
    an administrator adds later years).
    """

    year = models.PositiveSmallIntegerField("公历年份", unique=True)
    date = models.DateField("春节（正月初一）")

    class Meta:
        verbose_name = verbose_name_plural = "春节日期"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} 春节 {self.date}"

    @property
    def lantern_festival(self) -> dt.date:
        return self.date + dt.timedelta(days=14)


class RiskScore(models.Model):
    """History of a case's score: a row whenever score, level or factors change."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="risk_scores", verbose_name="案件"
    )
    score = models.PositiveSmallIntegerField("风险分")
    level = models.CharField("风险等级", max_length=10, choices=RiskLevel)
    factors = models.JSONField("风险因素", default=list)
    rules_version = models.PositiveIntegerField("规则版本")
    needs_review = models.BooleanField("需人工研判", default=False)
    trigger = models.CharField("触发", max_length=40, blank=True)
    computed_at = models.DateTimeField("计算时间", db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "风险评分记录"
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["case", "-computed_at"])]

    def __str__(self):
        return f"{self.case_id} {self.score} {self.level} v{self.rules_version}"


class Alert(models.Model):
    """An alert is a database row first (the outbox); it is pushed after commit."""

    class Reason(models.TextChoices):
        RISK_ORANGE = "risk_orange", "风险升至橙色"
        RISK_RED = "risk_red", "风险升至红色"
        DISTRESS = "distress", "极端言辞待研判"
        DEADLINE_SOON = "deadline_soon", "法定期限临近"
        DEADLINE_FINAL = "deadline_final", "法定期限即将届满"
        OVERDUE = "overdue", "已超过法定期限"
        ESCALATED = "escalated", "红色预警超时未确认，已上报"
        TRANSFERRED_IN = "transferred_in", "案件移交本乡镇"

    class Status(models.TextChoices):
        OPEN = "open", "待确认"
        ACKNOWLEDGED = "acknowledged", "已确认"
        RESOLVED = "resolved", "已解除"

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="alerts", verbose_name="案件"
    )
    township = models.ForeignKey("cases.Township", on_delete=models.PROTECT, verbose_name="乡镇")
    reason = models.CharField("原因", max_length=20, choices=Reason)
    level = models.CharField("等级", max_length=10, choices=RiskLevel)
    score = models.PositiveSmallIntegerField("风险分", default=0)
    factors = models.JSONField("风险因素", default=list, blank=True)
    rules_version = models.PositiveIntegerField("规则版本", null=True, blank=True)
    message = models.CharField("内容", max_length=500)
    deadline = models.DateField("相关期限", null=True, blank=True)
    status = models.CharField("状态", max_length=15, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField("时间", db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="确认人",
    )
    acknowledged_at = models.DateTimeField("确认时间", null=True, blank=True)
    # What the person acknowledging did or will do (called the worker, went on site...).
    acknowledgement_note = models.CharField("确认备注", max_length=500, blank=True)
    resolved_at = models.DateTimeField("解除时间", null=True, blank=True)
    escalated_at = models.DateTimeField("上报时间", null=True, blank=True)
    escalation_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, verbose_name="上报自"
    )
    notify_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="另行通知"
    )

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reason"],
                condition=models.Q(status="open"),
                name="alert_one_open_per_case_and_reason",
            )
        ]
        indexes = [
            models.Index(fields=["township", "id"]),
            models.Index(fields=["status", "level", "created_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_reason_display()} {self.case_id}"


# --- the command screen's counters ------------------------------------------------------
# Kept current by PostgreSQL triggers (notifications/tally.py) in the transaction that
# changes a case, claim, event or alert, so the summary reads a few hundred rows however
# many cases there are. `shard` spreads concurrent writers over several rows (one per
# backend modulo tally.SHARDS), so filings do not queue on one counter row.


class CaseTally(models.Model):
    township_id = models.BigIntegerField()
    state = models.CharField(max_length=24)
    risk_level = models.CharField(max_length=10)
    is_collective = models.BooleanField()
    shard = models.SmallIntegerField(default=0)
    cases = models.BigIntegerField(default=0)
    claims = models.BigIntegerField(default=0)
    claimed = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    recovered = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["township_id", "state", "risk_level", "is_collective", "shard"],
                name="case_tally_key",
            )
        ]

    def __str__(self):
        return f"{self.township_id} {self.state} {self.risk_level}: {self.cases}"


class DayTally(models.Model):
    day = models.DateField()
    shard = models.SmallIntegerField(default=0)
    received = models.BigIntegerField(default=0)
    closed = models.BigIntegerField(default=0)
    alerts = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "shard"], name="day_tally_key")]

    def __str__(self):
        return f"{self.day}: {self.received}/{self.closed}/{self.alerts}"


class AcceptanceTally(models.Model):
    """Cases accepted on a day, by kind and days from complaint to acceptance."""

    kind = models.CharField(max_length=20)
    accepted_on = models.DateField()
    days = models.IntegerField()
    cases = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "accepted_on", "days"], name="acceptance_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.accepted_on} +{self.days}: {self.cases}"


class AlertTally(models.Model):
    level = models.CharField(max_length=10)
    shard = models.SmallIntegerField(default=0)
    open = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "shard"], name="alert_tally_key")]

    def __str__(self):
        return f"{self.level}: {self.open}"
