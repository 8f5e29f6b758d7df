"""Messages that leave the system (SMS), escalation risk and the alerts it raises.

The risk rules are data: a RiskRuleSet row per version (never edited once saved, so
every stored score can be explained by the exact rules that produced it), keyword lists
and the Spring Festival dates that bound the pre-festival season.
"""

from django.conf import settings
from django.db import models

from core import pii
from core.validators import mask_phone
from rules.models import RiskLevel


class SmsMessage(models.Model):
    """Every SMS the system sends, whatever the backend: nothing is silently dropped."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "已记录（未接短信网关）"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        CAPPED = "capped", "超出每日上限，未发送"

    phone = pii.EncryptedTextField("手机号")  # encrypted at rest, like the claimant's
    # Encrypted too: a confirmation carries the case's query code, a credential the
    # database otherwise keeps only as a hash (core/query_codes.py).
    text = pii.EncryptedTextField("内容")
    purpose = models.CharField("用途", max_length=40, blank=True)
    case_number = models.CharField("案件编号", max_length=20, blank=True, db_index=True)
    backend = models.CharField("通道", max_length=100)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.RECORDED)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    # The gateway (notifications/sms.py, gateway_aliyun.py): the per-phone daily cap
    # counts by this index; a failed message is retried with back-off; the provider's
    # id and delivery receipt are kept.
    phone_index = pii.BlindIndexField("手机号索引", source="phone", blank=True, db_index=True)
    params = pii.EncryptedTextField("模板变量", blank=True, default="")
    template_code = models.CharField("平台模板编号", max_length=40, blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    next_attempt_at = models.DateTimeField("下次重试", null=True, blank=True, db_index=True)
    provider_id = models.CharField("平台回执编号", max_length=64, blank=True, db_index=True)
    delivered_at = models.DateTimeField("送达手机时间", null=True, blank=True)
    delivery_status = models.CharField("回执状态", max_length=20, blank=True)
    delivery_error = models.CharField("回执错误码", max_length=100, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "短信记录"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{mask_phone(self.phone)} {self.purpose}"


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
        SERVICE_OVERDUE = "service_overdue", "1+3+1服务超期"
        CLUE_DUE_SOON = "clue_due_soon", "平台线索办理期限临近"
        CLUE_OVERDUE = "clue_overdue", "平台线索已超办理期限"

    class Status(models.TextChoices):
        OPEN = "open", "待确认"
        ACKNOWLEDGED = "acknowledged", "已确认"
        RESOLVED = "resolved", "已解除"

    # A case's alert, or (no case) a person's in the re-employment ledger: 1+3+1 overdue.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name="案件",
        null=True,
        blank=True,
    )
    ledger_entry = models.ForeignKey(
        "employment.LedgerEntry",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name="台账人员",
        null=True,
        blank=True,
    )
    # A clue of the national platform whose handling deadline nears or passed (with its
    # case): a case may carry several clues, each warned once per level.
    source_reference = models.ForeignKey(
        "cases.SourceReference",
        on_delete=models.CASCADE,
        related_name="alerts",
        verbose_name="平台线索",
        null=True,
        blank=True,
    )
    township = models.ForeignKey("core.Township", on_delete=models.PROTECT, verbose_name="乡镇")
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
                condition=models.Q(status="open", source_reference__isnull=True),
                name="alert_one_open_per_case_and_reason",
            ),
            # Never repeated, even once acknowledged or resolved.
            models.UniqueConstraint(
                fields=["source_reference", "reason"],
                condition=models.Q(source_reference__isnull=False),
                name="alert_once_per_clue_and_reason",
            ),
            models.UniqueConstraint(
                fields=["ledger_entry", "reason"],
                condition=models.Q(status="open"),
                name="alert_one_open_per_ledger_entry_and_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["township", "id"]),
            models.Index(fields=["status", "level", "created_at"]),
            # The scan's escalation (services.alerts_escalate): only the red alerts still
            # waiting to be escalated, not every open red alert escalated already.
            models.Index(
                fields=["created_at"],
                condition=models.Q(status="open", level="red", escalated_at__isnull=True)
                & ~models.Q(reason="escalated"),
                name="alert_escalation_due_idx",
            ),
            # The scan's deadline warnings (scans._deadline_alerts_due): those of the
            # window's deadlines, not every alert ever raised.
            models.Index(
                fields=["deadline", "case", "reason"],
                condition=models.Q(reason__in=["deadline_soon", "deadline_final", "overdue"]),
                name="alert_deadline_warning_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_reason_display()} {self.case_id or self.ledger_entry_id}"


# --- the command screen's counters ------------------------------------------------------
# Kept current by PostgreSQL triggers (notifications/tally.py) in the transaction that
# changes a case, claim, event or alert, so the summary reads a few hundred rows however
# many cases there are. `shard` spreads concurrent writers over several rows (one per
# backend modulo tally.SHARDS), so filings do not queue on one counter row.


# Every row of these is a key of a bounded set (a state, a township and risk level, a
# day) times a shard: the summary adds up at most a few hundred rows at any size. One
# table keyed by township, state, level and collective flag had a row per combination
# (up to 1,680 per shard), more of them the more varied the cases.


class CaseStateTally(models.Model):
    """Cases per state, and their claims' amounts (every case)."""

    state = models.CharField(max_length=24)
    shard = models.SmallIntegerField(default=0)
    cases = models.BigIntegerField(default=0)
    claimed = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    recovered = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["state", "shard"], name="case_state_tally_key")
        ]

    def __str__(self):
        return f"{self.state}: {self.cases}"


class OpenCaseTally(models.Model):
    """Open cases per township and risk level: how many, how many collective, their
    claims and the claims' amounts."""

    township_id = models.BigIntegerField()
    risk_level = models.CharField(max_length=10)
    shard = models.SmallIntegerField(default=0)
    cases = models.BigIntegerField(default=0)
    collective = models.BigIntegerField(default=0)
    claims = models.BigIntegerField(default=0)
    claimed = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    recovered = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["township_id", "risk_level", "shard"], name="open_case_tally_key"
            )
        ]

    def __str__(self):
        return f"{self.township_id} {self.risk_level}: {self.cases}"


class DeadlineTally(models.Model):
    """Open cases per statutory deadline: the overdue ones are those of the days past."""

    deadline = models.DateField()
    shard = models.SmallIntegerField(default=0)
    cases = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["deadline", "shard"], name="deadline_tally_key")
        ]

    def __str__(self):
        return f"{self.deadline}: {self.cases}"


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


from notifications.notice_models import (  # noqa: E402, F401  (Django finds them here)
    CaseContact,
    Notice,
    NoticePlanned,
    NoticeTemplate,
    Recipient,
    ServiceRecord,
)
