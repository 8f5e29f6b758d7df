from django.conf import settings
from django.db import models
from django.utils import timezone


class MonthlyReport(models.Model):
    """A month's statistics as reported: kept, never recomputed. A correction that
    arrives later shows in the next month's report (its `corrections`)."""

    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    figures = models.JSONField("统计数字")
    corrections = models.JSONField("对以前月份的更正", default=list, blank=True)
    workbook = models.BinaryField("Excel文件")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="生成人",
        help_text="空白表示每月1日自动生成。",
    )
    generated_at = models.DateTimeField("生成时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "月度统计报告"
        ordering = ["-year", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "month"], name="monthly_report_one_per_month")
        ]

    def __str__(self):
        return f"{self.year}年{self.month}月"

    @property
    def generated_by_label(self) -> str:
        if self.generated_by is None:
            return "系统自动生成"
        return self.generated_by.get_full_name() or self.generated_by.username


class StatisticsMonth(models.Model):
    """How many times the rows a month's statistics read have changed, counted by
    PostgreSQL triggers (reports/kept.py) in a few rows per month (`shard`: the writing
    connection's, so that concurrent filings do not queue on one row)."""

    month = models.DateField("月份")  # its first day
    shard = models.SmallIntegerField(default=0)
    changes = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "shard"], name="statistics_month_key")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.changes}"


class KeptStatistics(models.Model):
    """A period's case figures as computed, with the change counts of its months then:
    served again while no case, claim or event of those months has changed since."""

    key = models.CharField(max_length=64, unique=True)  # the period, scope and cases read
    period_start = models.DateField()
    period_end = models.DateField()
    changes = models.JSONField()  # {"2026-11-01": 1234, ...}: StatisticsMonth sums
    figures = models.JSONField()
    computed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "已算统计数字"

    def __str__(self):
        return f"{self.period_start} - {self.period_end}"
