"""Messages that leave the system. Alerts and risk scores join them with the alerts work."""

from django.db import models


class SmsMessage(models.Model):
    """Every SMS the system sends, whatever the backend: nothing is silently dropped."""

    class Status(models.TextChoices):
        RECORDED = "recorded", "已记录（未接短信网关）"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    phone = models.CharField("手机号", max_length=20)
    text = models.TextField("内容")
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
        return f"{self.phone} {self.purpose}"
