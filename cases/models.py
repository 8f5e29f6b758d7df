"""Complaints, cases, parties and the statutory rules they run under.

Every duration, threshold and amount lives in a rule table (ClockRule, LegalParameter,
in the rules app) with a citation and an effective date, so the county can change
it without a release.
The state machines themselves are in cases/lifecycle/; writes go through
cases/filing.py (new complaints) and cases/services.py (everything after).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField

from cases.lifecycle.fsm import TransitionMethods
from cases.lifecycle.states import FINAL_STATES, OPEN_STATES, CaseKind, CaseState  # noqa: F401
from cases.outcome import Outcome, OutcomeField  # noqa: F401  (Outcome: what Case.outcome holds)
from core import pii, validators
from core.models import Employer, Person, Township


class Channel(models.TextChoices):
    ONLINE = "online", "网上投诉"
    HOTLINE_12345 = "hotline_12345", "12345热线"
    HOTLINE_12333 = "hotline_12333", "12333热线"
    WALK_IN = "walk_in", "现场来访"
    LETTER = "letter", "来信"
    PATROL = "patrol", "巡查发现"
    WRITTEN_REVIEW = "written_review", "书面审查"
    CAMPAIGN = "campaign", "专项检查"
    PLATFORM = "platform", "全国欠薪线索平台"


# Channels through which staff enter a complaint someone made (the workbench form).
STAFF_COMPLAINT_CHANNELS = (
    Channel.WALK_IN,
    Channel.LETTER,
    Channel.HOTLINE_12345,
    Channel.HOTLINE_12333,
    Channel.PLATFORM,
)
# How an inspector finds a violation without a complaint (劳动保障监察条例 art.14:
# daily patrol, written review of employers' filings, special campaigns).
OWN_INITIATIVE_CHANNELS = (Channel.PATROL, Channel.WRITTEN_REVIEW, Channel.CAMPAIGN)


class Origin(models.TextChoices):
    COMPLAINT = "complaint", "投诉举报"
    OWN_INITIATIVE = "own_initiative", "主动监察"


class Case(ConcurrentTransitionMixin, TransitionMethods, models.Model):
    """A complaint or an own-initiative inspection on one of the two tracks.

    Its transition methods (accept, order_payment, award, ...) come from TransitionMethods,
    one per row of the lifecycle table (cases/lifecycle/transitions.py): they check
    source, target and permission and change nothing but the state, which the services
    then save with everything else.
    """

    number = models.CharField("案件编号", max_length=20, unique=True)
    # Only a keyed hash of the query code is kept (core/query_codes.py). The clear code
    # waits, encrypted like personal data, only until its SMS has been sent.
    query_code_hash = models.CharField("查询码（哈希）", max_length=64, editable=False)
    query_code_pending = pii.EncryptedTextField("待发送的查询码", blank=True, editable=False)
    kind = models.CharField("类型", max_length=20, choices=CaseKind)
    # protected=True: the state changes only through a transition (cases.services).
    state = FSMField(
        "状态", max_length=24, choices=CaseState, default=CaseState.SUBMITTED, protected=True
    )
    township = models.ForeignKey(Township, on_delete=models.PROTECT, verbose_name="乡镇")
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="cases", verbose_name="用人单位"
    )
    channel = models.CharField("来源渠道", max_length=20, choices=Channel, default=Channel.ONLINE)
    # An inspection opened on the inspector's own initiative has an employer and no
    # claimant: it starts on the inspection track, accepted at once (cases.filing).
    origin = models.CharField(
        "案件来源", max_length=20, choices=Origin, default=Origin.COMPLAINT, db_index=True
    )
    sector = models.CharField("行业", max_length=20, choices=Employer.Sector, blank=True)
    project_name = models.CharField("项目名称", max_length=200, blank=True)
    description = models.TextField("诉求描述")
    is_collective = models.BooleanField("集体案件", default=False)
    is_demo = models.BooleanField("演示数据", default=False)

    received_at = models.DateTimeField("收到时间", default=timezone.now)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    # What the statistics count (cases/milestones.py): the last day of the handling
    # period, the day the case was decided and the day it ended.
    conclusion_due = models.DateField("办理期限", null=True, blank=True, db_index=True)
    handled_on = models.DateField("处理决定日期", null=True, blank=True, db_index=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    # The statutory clock of the current stage (see cases/clocks.py).
    clock_stage = models.CharField("时限环节", max_length=40, blank=True)
    clock_started_on = models.DateField("时限起算日", null=True, blank=True)
    # Award clock of the dispute track: runs from acceptance across mediation and hearing.
    award_clock_started_on = models.DateField("裁决时限起算日", null=True, blank=True)
    clock_pauses = models.JSONField("时限中止区间", default=list, blank=True)
    extended_stages = models.JSONField("已延长的环节", default=list, blank=True)
    deadline = models.DateField("当前法定期限", null=True, blank=True, db_index=True)
    calendar_fallback = models.BooleanField(
        "期限按周末推算(缺官方日历)",
        default=False,
        help_text="期限跨越了日历包和管理员都未录入的年份，暂按仅周末休息推算。",
    )

    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="inspected_cases", verbose_name="监察员"
    )
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediated_cases",
        verbose_name="调解员",
    )
    arbitrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="arbitrated_cases", verbose_name="仲裁员"
    )
    employer_heard_on = models.DateField("单位陈述申辩日期", null=True, blank=True)
    tribunal_composed_on = models.DateField("组庭通知日期", null=True, blank=True)
    pay_by = models.DateField("限期支付日", null=True, blank=True)
    hearing_date = models.DateField("开庭日期", null=True, blank=True)
    # The rest of the hearing notice (cases/hearings.py): time, room or address, link.
    hearing_time = models.TimeField("开庭时间", null=True, blank=True)
    hearing_venue = models.CharField("开庭地点", max_length=200, blank=True)
    hearing_link = models.URLField("网上开庭链接", max_length=500, blank=True)
    suspended_from = models.CharField(max_length=24, blank=True)
    rejection_reason = models.CharField("不予受理理由", max_length=40, blank=True)
    outcome = OutcomeField("处理结果", default=dict, blank=True)

    risk_score = models.PositiveSmallIntegerField("风险分", default=0)
    risk_level = models.CharField("风险等级", max_length=10, default="green", db_index=True)
    risk_factors = models.JSONField("风险因素", default=list, blank=True)
    # Until the case is first scored (notifications.services.case_risk_refresh). A scoring
    # lost after the commit (a worker killed, the database gone) is found by the minute's
    # scan from the few cases marked so (the partial index below), not by comparing every
    # case filed lately with the scores. In the database's default too: rows copied in
    # without it (bulk loads) count as not scored, which they are.
    awaiting_score = models.BooleanField("待评分", default=True, db_default=True, editable=False)
    version = models.PositiveIntegerField("版本", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["township", "state"]),
            # The deadline scan (notifications.scans._deadline_alerts_due) and the
            # overdue count read only this index on PostgreSQL, not the case rows.
            models.Index(
                fields=["state", "deadline"], include=["id"], name="case_deadline_scan_idx"
            ),
            models.Index(fields=["kind", "state"]),
            # The command screen's figures: trends, time to acceptance, risk by township.
            models.Index(fields=["received_at"]),
            models.Index(fields=["accepted_on"]),
            models.Index(fields=["state", "township", "risk_level"]),
            # The minute's scan (notifications.scans._never_scored).
            models.Index(
                fields=["received_at"],
                condition=models.Q(awaiting_score=True),
                name="case_awaiting_score_idx",
            ),
        ]

    # The clear code, on the instance that issued it only (filing, a resend); never stored.
    query_code: str | None = None

    def __str__(self):
        return self.number

    @property
    def state_fields(self) -> tuple[FSMField, ...]:
        """The FSM fields ConcurrentTransitionMixin watches: the one state field. Its own
        version filters every field of the model for them, each time a case is loaded
        (a queue page loads 25)."""
        return (self._meta.get_field("state"),)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def amount_claimed(self) -> Decimal:
        return sum((c.amount_claimed for c in self.claims.all()), Decimal("0"))

    @property
    def amount_recovered(self) -> Decimal:
        return sum((c.amount_recovered for c in self.claims.all()), Decimal("0"))

    def days_left(self, today=None) -> int | None:
        if not self.deadline:
            return None
        return (self.deadline - (today or timezone.localdate())).days


class Claim(models.Model):
    """One claimant of a case and what they claim."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="claims")
    # Indexed with the case (claim_person_case_idx below), not on its own.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="claims", db_index=False
    )
    amount_claimed = models.DecimalField("请求金额", max_digits=12, decimal_places=2)
    months_owed = models.PositiveSmallIntegerField("欠薪月数", null=True, blank=True)
    amount_recovered = models.DecimalField(
        "已追回金额", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    is_representative = models.BooleanField("代表人", default=False)
    # A phone an anonymous filing gave for a worker already on record: kept here until
    # staff have checked it (cases.submissions.phone_change_decide). Until then texts
    # and calls go to the stored Person.phone, so a stranger cannot redirect them.
    pending_phone = pii.EncryptedTextField("待核实的新手机号", blank=True, default="")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "请求人"
        ordering = ["id"]
        indexes = [
            # The staff search by a worker's name: the cases of the workers found, from
            # the index alone (an index-only scan on PostgreSQL; cases/0026).
            models.Index(fields=["person"], include=["case"], name="claim_person_case_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="claim_one_per_person"),
            models.CheckConstraint(
                condition=models.Q(amount_claimed__gte=0), name="claim_amount_non_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(amount_recovered__gte=0), name="claim_recovered_non_negative"
            ),
        ]

    def __str__(self):
        return f"{self.case} / {self.person}"

    @property
    def pending_phone_masked(self) -> str:
        return validators.mask_phone(self.pending_phone)

    @property
    def outstanding(self) -> Decimal:
        return max(self.amount_claimed - self.amount_recovered, Decimal("0"))


class SourceReference(models.Model):
    """The number another system gave a complaint: the national wage-arrears clue
    platform's clue number or a hotline ticket (cases/imports.py). The outcome goes back
    keyed by it (the clue outcomes export); several numbers may lead to one case when
    the import linked a clue to the open case it duplicates."""

    channel = models.CharField("来源渠道", max_length=20, choices=Channel)
    ref = models.CharField("来源编号", max_length=64)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="source_references", verbose_name="案件"
    )
    platform_due = models.DateField("平台办理期限", null=True, blank=True, db_index=True)
    imported_at = models.DateTimeField("导入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "来源编号（平台线索、热线工单）"
        constraints = [
            models.UniqueConstraint(fields=["channel", "ref"], name="source_reference_unique")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.ref}"


class CaseEvent(models.Model):
    """Append-only history: every state change and every act on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField("操作人", max_length=100, blank=True)
    transition = models.CharField("操作", max_length=40)
    from_state = models.CharField("原状态", max_length=24, blank=True)
    to_state = models.CharField("新状态", max_length=24)
    note = models.TextField("说明", blank=True)
    data = models.JSONField("数据", default=dict, blank=True)
    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    # Tamper evidence (cases/audit.py): HMAC-SHA256, under the audit key named by key_id,
    # of this row's content and the previous row's hash of the same case, written once by
    # cases.services.event_append.
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    key_id = models.CharField(max_length=16, blank=True, default="", editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "案件事件"
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["transition", "case"]),
            # The statistics count events of one kind in a period (cases/statistics.py):
            # with the case in the index, a month's events are read from it alone (at
            # 10 million events the rows themselves cost seconds; docs/performance.md).
            models.Index(
                fields=["transition", "created_at"],
                include=["case"],
                name="caseevent_transition_day",
            ),
            # The money recovered in a period is read from the payment events' JSON
            # (cases/statistics.py): their own index, which PostgreSQL prefers to
            # reading every event of the month by created_at and dropping the others.
            models.Index(
                fields=["created_at"],
                condition=models.Q(transition="record_payment"),
                name="caseevent_payment_day",
            ),
        ]

    def __str__(self):
        return f"{self.case} {self.transition} {self.from_state}->{self.to_state}"

    def save(self, *args, **kwargs):
        # History is evidence: a stored event is never rewritten.
        if self.pk is not None:
            raise ValidationError("案件事件只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("案件事件只能追加，不能删除。")


class PendingFollowup(models.Model):
    """A new case whose follow-up (risk score, alerts, the workers' confirmation SMS) is
    not done yet: written in the filing's transaction, deleted when the follow-up has
    run (notifications.followup). The queued task is only a fast path; a task lost with
    the broker's queue (Redis restarted) is redone by the periodic sweep from this row."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, primary_key=True, related_name="pending_followup"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "待完成的新案件后续处理"

    def __str__(self):
        return f"{self.case_id} ({self.attempts})"


def evidence_path(instance, filename):
    return f"evidence/{instance.case.number}/{instance.sha256}{instance.extension}"


class PersonalDataAccess(models.Model):
    """One showing of a full ID number or phone: who, when, which case, which person.

    Written before the value is shown; append-only (PostgreSQL refuses UPDATE and DELETE,
    migration 0006), so the record cannot be tidied away afterwards.
    """

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", "身份证号"
        PHONE = "phone", "手机号"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name="查看人"
    )
    case = models.ForeignKey("Case", on_delete=models.PROTECT, verbose_name="案件")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, verbose_name="劳动者")
    field = models.CharField("查看内容", max_length=20, choices=Field)
    purpose = models.CharField("用途", max_length=200, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    created_at = models.DateTimeField("查看时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "个人信息查看记录"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return (
            f"{self.user} {self.get_field_display()} {self.person} {self.created_at:%Y-%m-%d %H:%M}"
        )


class PendingSubmission(models.Model):
    """What an anonymous duplicate complaint would add to an open case, held for review.

    The filer proved nothing about the case (anyone who knows a worker's ID number and
    the employer's name can file one), so its claimants and evidence change the case
    only when staff of the case's township accept it (cases.submissions).
    """

    class State(models.TextChoices):
        PENDING = "pending", "待审核"
        ACCEPTED = "accepted", "已采纳"
        DECLINED = "declined", "未采纳"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="submissions")
    # The claimants as filed (name, ID number, phone, amount, months, representative):
    # JSON, encrypted like every ID number and phone.
    claimants = pii.EncryptedTextField("请求人")
    description = models.TextField("诉求描述", blank=True)
    state = models.CharField("状态", max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decline_reason = models.TextField("未采纳理由", blank=True)
    workers_notified_at = models.DateTimeField("已短信告知时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "待审核的并案投诉"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.case} {self.get_state_display()}"


class EvidenceQuerySet(models.QuerySet):
    def of_case(self):
        """The case's evidence: not what an unreviewed or declined submission brought."""
        return self.filter(
            models.Q(submission__isnull=True)
            | models.Q(submission__state=PendingSubmission.State.ACCEPTED)
        )


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    # Set for evidence an anonymous duplicate brought: part of the case's evidence only
    # once staff accept that submission.
    submission = models.ForeignKey(
        PendingSubmission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=50)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "证据材料"
        constraints = [
            models.UniqueConstraint(fields=["case", "sha256"], name="evidence_once_per_case")
        ]

    def __str__(self):
        return self.original_name


class CaseNumberSequence(models.Model):
    """Per-year counter behind readable case numbers (XF-2026-000123)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class IdempotencyRecord(models.Model):
    """The first answer to a request carrying an Idempotency-Key, replayed on retry.

    A key belongs to its caller (`scope`: the signed-in user, else the client address),
    so nobody can claim another's key first or read another's answer with it, and it
    lapses after LABORCASE_IDEMPOTENCY_HOURS (cases/idempotency.py)."""

    scope = models.CharField(max_length=64, default="")
    key = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_scope_key_uniq")
        ]

    def __str__(self):
        return f"{self.scope} {self.key}"
