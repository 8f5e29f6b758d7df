"""Notices to the parties, the contacts they go to, and proof of service (电子送达).

Imported by notifications/models.py so Django finds the models; the logic lives in
notifications/notices.py (what is sent, when) and notifications/service_records.py
(documents served, the phone link, the guard of deemed withdrawal and default awards).
"""

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core import pii
from core.validators import mask_phone


class Recipient(models.TextChoices):
    WORKER = "worker", "劳动者（申请人）"
    EMPLOYER = "employer", "用人单位联系人（被申请人）"
    APPLICANT = "applicant", "补贴申请人"


class NoticeTemplate(models.Model):
    """The text of one notice, per event and kind of recipient; editable in the admin.
    `{name}`-style variables, only those the event offers (notices.VARIABLES), are
    checked when saved."""

    event = models.CharField("环节", max_length=40)
    recipient = models.CharField("接收人", max_length=20, choices=Recipient)
    text = models.TextField(
        "短信内容", help_text="用 {变量名} 插入变量，例如 {case_number}。可用变量见下方说明。"
    )
    # The gateway's own template id (Alibaba Cloud 模板CODE), when its texts are
    # registered there; blank: the gateway's default template, with the text as its
    # `content` variable.
    provider_template_code = models.CharField("短信平台模板编号", max_length=40, blank=True)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知模板"
        ordering = ["event", "recipient"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notice_template_once")
        ]

    def __str__(self):
        return f"{self.event_label} → {self.get_recipient_display()}"

    @property
    def event_label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)

    def clean(self):
        problems = template_problems(self.event, self.recipient, self.text)
        if problems:
            raise ValidationError({"text": problems})


class CaseContact(models.Model):
    """Whom the employer's notices go to on one case (entered by staff), and whether the
    party consented to electronic service (送达地址确认书)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("联系人", max_length=50)
    phone = pii.EncryptedTextField("手机号")
    # The last 4 characters the phone link asks for: the contact's ID number if given,
    # else the employer's credit code.
    id_number = pii.EncryptedTextField("联系人身份证号", blank=True)
    consents_electronic = models.BooleanField("同意电子送达", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "用人单位联系人"
        ordering = ["id"]

    def __str__(self):
        return f"{self.name} {mask_phone(self.phone)}"

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Notice(models.Model):
    """One notice to one recipient for one step: the outbox row. Unique per step and
    recipient, so a step sends once however often it is planned; its SMS (and that
    SMS's retries) in SmsMessage."""

    class Status(models.TextChoices):
        PENDING = "pending", "待发送"
        SENT = "sent", "已发送"
        RECORDED = "recorded", "已记录（未接短信网关）"
        FAILED = "failed", "发送失败，将重试"
        GAVE_UP = "gave_up", "多次发送失败"
        NO_PHONE = "no_phone", "无手机号，未发送"
        CAPPED = "capped", "超出每日短信上限"

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    # A subsidy application's notice: its id (workflows), no case.
    application_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    step = models.CharField("来源", max_length=80)  # "event:<id>", "reminder:<date>", ...
    event = models.CharField("环节", max_length=40)
    recipient = models.CharField("接收人类型", max_length=20, choices=Recipient)
    recipient_key = models.CharField(max_length=40)  # "person:<id>", "contact:<id>", ...
    recipient_name = models.CharField("接收人", max_length=100, blank=True)
    phone = pii.EncryptedTextField("手机号", blank=True)
    text = pii.EncryptedTextField("内容", blank=True)
    status = models.CharField("状态", max_length=10, choices=Status, default=Status.PENDING)
    sms = models.ForeignKey(
        "notifications.SmsMessage", null=True, blank=True, on_delete=models.SET_NULL
    )
    service_record = models.ForeignKey(
        "notifications.ServiceRecord", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("生成时间", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "recipient_key"], name="notice_once_per_step")
        ]

    def __str__(self):
        return f"{self.step} {self.recipient_key} {self.status}"

    @property
    def event_label(self) -> str:
        return EVENT_LABELS.get(self.event, self.event)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class NoticePlanned(models.Model):
    """A case event whose notices have been planned (the sweep plans the rest)."""

    event = models.OneToOneField(
        "cases.CaseEvent", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    planned_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"event {self.event_id}"


class ServiceRecord(models.Model):
    """One document that one party must receive, and the proof it reached them (送达回证:
    its date is the date of service)."""

    class Document(models.TextChoices):
        ACCEPTANCE = "acceptance_notice", "受理通知书"
        REJECTION = "rejection_notice", "不予受理通知书"
        SUPPLEMENT = "supplement_request", "补正材料通知书"
        ORDER = "order_to_correct", "责令改正指令书"
        HEARING = "hearing_notice", "开庭通知书"
        AGREEMENT = "mediation_agreement", "调解协议书"
        AWARD = "award", "裁决书"

    class Method(models.TextChoices):
        SMS_LINK = "sms_link", "电子送达（短信链接）"
        IN_PERSON = "in_person", "直接送达"
        POST = "post", "邮寄送达"
        PUBLIC = "public_announcement", "公告送达"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="service_records")
    event = models.ForeignKey(
        "cases.CaseEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    document = models.CharField("文书", max_length=30, choices=Document)
    party = models.CharField("受送达人类型", max_length=20, choices=Recipient)
    party_key = models.CharField(max_length=40)
    party_name = models.CharField("受送达人", max_length=100)
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(CaseContact, null=True, blank=True, on_delete=models.PROTECT)
    method = models.CharField("送达方式", max_length=20, choices=Method)
    # A keyed hash of the link's token (the clear token is only in the SMS).
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    tracking_number = models.CharField("邮件单号", max_length=40, blank=True)
    receipt = models.FileField("送达回证扫描件", upload_to="service_receipts/", blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    sent_at = models.DateTimeField("送达时间（发出）", null=True, blank=True)
    opened_at = models.DateTimeField("打开链接时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("身份确认时间", null=True, blank=True)
    received_at = models.DateTimeField("签收时间（送达日期）", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "送达记录"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "document", "party"])]

    def __str__(self):
        return f"{self.case} {self.get_document_display()} → {self.party_name}"

    def completed(self, now=None) -> bool:
        return bool(self.received_at and self.received_at <= (now or timezone.now()))


# --- the notice steps: who is told of what, with which variables ---------------------

W, E, A = Recipient.WORKER, Recipient.EMPLOYER, Recipient.APPLICANT

# The notice steps: the case transition that triggers each (None: sent by a job).
EVENT_LABELS = {
    "accepted": "受理",
    "rejected": "不予受理",
    "documents_requested": "通知补正材料",
    "order_to_pay": "责令限期支付",
    "hearing_notice": "开庭通知",
    "hearing_postponed": "延期开庭通知",
    "hearing_reminder": "开庭前一日提醒",
    "mediation_session": "调解",
    "mediation_agreement": "调解协议（签署）",
    "award": "裁决",
    "payment_recorded": "登记支付",
    "case_closed": "结案",
    "subsidy_returned": "补贴申请退回补正",
    "subsidy_approved": "补贴申请审批通过",
    "subsidy_in_notice": "补贴申请公示",
    "subsidy_paid": "补贴已拨付",
}

TRANSITION_EVENTS = {
    "accept": "accepted",
    "reject": "rejected",
    "request_supplement": "documents_requested",
    "order_payment": "order_to_pay",
    "schedule_hearing": "hearing_notice",
    "postpone_hearing": "hearing_postponed",
    "start_mediation": "mediation_session",
    "settle": "mediation_agreement",
    "award": "award",
    "record_payment": "payment_recorded",
    "close": "case_closed",
}

# Who each step goes to.
RECIPIENTS = {
    "accepted": (W,),
    "rejected": (W,),
    "documents_requested": (W,),
    "order_to_pay": (W, E),
    "hearing_notice": (W, E),
    "hearing_postponed": (W, E),
    "hearing_reminder": (W, E),
    "mediation_session": (W,),
    "mediation_agreement": (W, E),
    "award": (W, E),
    "payment_recorded": (W,),
    "case_closed": (W,),
    "subsidy_returned": (A,),
    "subsidy_approved": (A,),
    "subsidy_in_notice": (A,),
    "subsidy_paid": (A,),
}

# The document a step serves on each recipient kind (ServiceRecord.Document values).
SERVES = {
    ("accepted", W): "acceptance_notice",
    ("rejected", W): "rejection_notice",
    ("documents_requested", W): "supplement_request",
    ("order_to_pay", E): "order_to_correct",
    ("hearing_notice", W): "hearing_notice",
    ("hearing_notice", E): "hearing_notice",
    ("hearing_postponed", W): "hearing_notice",
    ("hearing_postponed", E): "hearing_notice",
    ("mediation_agreement", W): "mediation_agreement",
    ("mediation_agreement", E): "mediation_agreement",
    ("award", W): "award",
    ("award", E): "award",
}

_COMMON = {
    "case_number": "案件编号",
    "name": "接收人姓名或单位名称",
    "employer_name": "用人单位名称",
}
_HEARING = {
    "hearing_date": "开庭日期",
    "hearing_time": "开庭时间",
    "hearing_venue": "开庭地点",
    "hearing_link": "“网上开庭：链接。”（没有网上开庭则为空）",
}
_LINK = {"link": "查看文书的链接（需核对身份证号后4位）"}

VARIABLES: dict[str, dict[str, str]] = {
    "accepted": {**_COMMON, **_LINK, "accepted_on": "受理日期"},
    "rejected": {**_COMMON, **_LINK, "reason": "不予受理理由"},
    "documents_requested": {**_COMMON, **_LINK, "note": "需补正的材料"},
    "order_to_pay": {**_COMMON, **_LINK, "pay_by": "限期支付日", "amount": "责令支付金额"},
    "hearing_notice": {**_COMMON, **_LINK, **_HEARING},
    "hearing_postponed": {**_COMMON, **_LINK, **_HEARING, "postponed_from": "原开庭日期"},
    "hearing_reminder": {**_COMMON, **_HEARING},
    "mediation_session": {**_COMMON, "mediator": "调解员"},
    "mediation_agreement": {**_COMMON, **_LINK, "agreed_amount": "协议金额"},
    "award": {**_COMMON, **_LINK, "awarded_on": "裁决日期"},
    "payment_recorded": {**_COMMON, "amount": "本次登记金额", "outstanding": "尚欠金额"},
    "case_closed": {**_COMMON},
    "subsidy_returned": {"application": "申请编号", "name": "申请人", "note": "退回理由"},
    "subsidy_approved": {"application": "申请编号", "name": "申请人", "amount": "核定金额"},
    "subsidy_in_notice": {
        "application": "申请编号",
        "name": "申请人",
        "notice_ends_on": "公示截止日",
    },
    "subsidy_paid": {"application": "申请编号", "name": "申请人", "amount": "拨付金额"},
}

# Errors shown in the admin (constants the tests import).
TEMPLATE_UNKNOWN_EVENT = "没有这个环节。"
TEMPLATE_WRONG_RECIPIENT = "该环节不向“{recipient}”发送通知。"
TEMPLATE_UNKNOWN_VARIABLE = "变量{{{name}}}不能用于“{event}”，可用的变量：{allowed}。"
TEMPLATE_BAD_SYNTAX = "模板格式有误（花括号不成对）：{error}"
TEMPLATE_COMPLEX_FIELD = "变量只能写成{{变量名}}，不能带格式或下标：{field}"


def template_problems(event: str, recipient: str, text: str) -> list[str]:
    """Why a template may not be saved (empty when it may)."""
    if event not in VARIABLES:
        return [TEMPLATE_UNKNOWN_EVENT]
    problems = []
    if recipient not in RECIPIENTS[event]:
        label = Recipient(recipient).label if recipient in Recipient.values else recipient
        problems.append(TEMPLATE_WRONG_RECIPIENT.format(recipient=label))
    allowed = VARIABLES[event]
    try:
        fields = [
            (name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(text or "")
            if name is not None
        ]
    except ValueError as error:
        return [*problems, TEMPLATE_BAD_SYNTAX.format(error=error)]
    for name, spec, conversion in fields:
        if spec or conversion or not name.isidentifier():
            problems.append(TEMPLATE_COMPLEX_FIELD.format(field=name or "{}"))
        elif name not in allowed:
            problems.append(
                TEMPLATE_UNKNOWN_VARIABLE.format(
                    name=name, event=EVENT_LABELS[event], allowed="、".join(sorted(allowed))
                )
            )
    return problems
