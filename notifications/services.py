"""Writes of the notifications app: risk scores, alerts, acknowledgement, escalation.

Every alert is committed before it is pushed (transaction.on_commit -> push.alerts_send).
"""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cases import errors
from cases.models import FINAL_STATES, OPEN_STATES, Case
from core import roles
from core.dates import day_start
from notifications import push
from notifications.audience import alerts_visible_to
from notifications.models import Alert, RiskScore
from notifications.risk import RiskResult, current_rules, score_case
from rules.models import LEVEL_ORDER, ClockRule, RiskLevel, RiskRuleSet

logger = logging.getLogger(__name__)

ALERT_NOT_FOUND = "预警不存在，或不在您的辖区。"
ACK_FORBIDDEN = "您的角色只能查看预警，不能确认。"
ACK_NOTE_MAX = 500  # Alert.acknowledgement_note
ACK_NOTE_TOO_LONG = f"确认备注不能超过{ACK_NOTE_MAX}个字。"
ACK_ROLES = frozenset(
    {
        roles.INSPECTOR,
        roles.MEDIATOR,
        roles.ARBITRATOR,
        roles.SUPERVISOR,
        roles.ADMINISTRATOR,
        roles.EMPLOYMENT_STEWARD,
        roles.EMPLOYMENT_STATION,
    }
)

RISK_REASONS = (Alert.Reason.RISK_ORANGE, Alert.Reason.RISK_RED)
DEADLINE_REASONS = (
    Alert.Reason.DEADLINE_SOON,
    Alert.Reason.DEADLINE_FINAL,
    Alert.Reason.OVERDUE,
)


# Stages whose clock is not a ClockRule row.
STAGE_LABELS = {"pay_by": "限期支付", "instalment": "调解协议分期履行"}


def _stage_label(stage: str) -> str:
    if not stage:
        return "当前环节"
    label = ClockRule.objects.filter(stage=stage).values_list("label", flat=True).first()
    return label or STAGE_LABELS.get(stage, stage)


def _alert_create(
    *,
    case: Case,
    reason: str,
    level: str,
    result: RiskResult | None,
    message: str,
    now: dt.datetime,
    deadline: dt.date | None = None,
    escalation_of: Alert | None = None,
    notify: Iterable[User] = (),
) -> Alert | None:
    """Store one alert; None when an open alert for the case and reason exists already."""
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                case=case,
                township=case.township,
                reason=reason,
                level=level,
                score=result.score if result else case.risk_score,
                factors=result.factors if result else case.risk_factors,
                rules_version=result.rules_version if result else None,
                message=message[:500],
                deadline=deadline,
                created_at=now,
                escalation_of=escalation_of,
            )
            if notify:
                alert.notify_users.set(notify)
            # for push.alerts_send
            alert.notify_ids = [user.pk for user in notify]  # type: ignore[attr-defined]
    except IntegrityError:  # the constraint: at most one open alert per case and reason
        return None
    logger.info("alert %s raised: case=%s reason=%s level=%s", alert.pk, case.number, reason, level)
    return alert


def _resolve(
    case: Case,
    reasons: Iterable[str],
    now: dt.datetime,
    exclude_deadline: dt.date | None = None,
) -> None:
    queryset = Alert.objects.filter(case=case, reason__in=reasons, status=Alert.Status.OPEN)
    if exclude_deadline is not None:
        queryset = queryset.exclude(deadline=exclude_deadline)
    queryset.update(status=Alert.Status.RESOLVED, resolved_at=now)


def _risk_alerts(
    case: Case, result: RiskResult, previous_level: str, now: dt.datetime
) -> list[Alert]:
    raised = []
    level = LEVEL_ORDER[result.level]
    if level < LEVEL_ORDER[RiskLevel.RED]:
        _resolve(case, [Alert.Reason.RISK_RED], now)
    if level < LEVEL_ORDER[RiskLevel.ORANGE]:
        _resolve(case, [Alert.Reason.RISK_ORANGE], now)
    if level > LEVEL_ORDER.get(previous_level, 0) and result.level in (
        RiskLevel.ORANGE,
        RiskLevel.RED,
    ):
        red = result.level == RiskLevel.RED
        reason = Alert.Reason.RISK_RED if red else Alert.Reason.RISK_ORANGE
        colour = "红色" if red else "橙色"
        alert = _alert_create(
            case=case,
            reason=reason,
            level=result.level,
            result=result,
            message=f"{case.number} 风险升至{colour}（{result.score}分）",
            now=now,
        )
        if alert:
            raised.append(alert)
        if red:  # the red alert supersedes the orange one
            _resolve(case, [Alert.Reason.RISK_ORANGE], now)
    if (
        result.needs_review
        and not Alert.objects.filter(case=case, reason=Alert.Reason.DISTRESS).exists()
    ):
        level_name = max(result.level, RiskLevel.YELLOW, key=lambda name: LEVEL_ORDER[name])
        alert = _alert_create(
            case=case,
            reason=Alert.Reason.DISTRESS,
            level=level_name,
            result=result,
            message=_review_message(case, result),
            now=now,
        )
        if alert:
            raised.append(alert)
    return raised


def _review_message(case: Case, result: RiskResult) -> str:
    if result.threat_words:
        return (
            f"{case.number} 劳动者以自伤或极端行为相威胁（{'、'.join(result.threat_words)}），"
            "请立即人工研判、联系劳动者并到场处置"
        )
    return (
        f"{case.number} 投诉内容含极端言辞（{'、'.join(result.distress_words)}），"
        "请立即人工研判并联系劳动者"
    )


def _deadline_alerts(
    case: Case, result: RiskResult, today: dt.date, rules_set: RiskRuleSet, now: dt.datetime
) -> list[Alert]:
    # A new stage brings a new deadline: warnings about the old one no longer apply.
    _resolve(case, DEADLINE_REASONS, now, exclude_deadline=case.deadline)
    if case.deadline is None:
        return []
    days_left = (case.deadline - today).days
    if days_left < 0:
        reason, level = Alert.Reason.OVERDUE, RiskLevel.RED
        text = f"已超过法定期限{case.deadline:%Y-%m-%d}（逾期{-days_left}天）"
    elif days_left <= rules_set.deadline_final_warn_days:
        reason, level = Alert.Reason.DEADLINE_FINAL, RiskLevel.ORANGE
        text = f"法定期限{case.deadline:%Y-%m-%d}仅剩{days_left}天"
    elif days_left <= rules_set.deadline_warn_days:
        reason, level = Alert.Reason.DEADLINE_SOON, RiskLevel.YELLOW
        text = f"法定期限{case.deadline:%Y-%m-%d}还剩{days_left}天"
    else:
        return []
    if Alert.objects.filter(case=case, reason=reason, deadline=case.deadline).exists():
        return []  # each warning once per deadline, even after it was acknowledged
    others = [r for r in DEADLINE_REASONS if r != reason]
    _resolve(case, others, now)
    alert = _alert_create(
        case=case,
        reason=reason,
        level=level,
        result=result,
        message=f"{case.number} {_stage_label(case.clock_stage)}：{text}",
        now=now,
        deadline=case.deadline,
    )
    return [alert] if alert else []


def _comparable(factors: Iterable[Mapping]) -> list[tuple]:
    return [(f.get("code"), f.get("points")) for f in factors or []]


def township_transfer_alert(*, case_id: int, event_id: int | None = None) -> Alert | None:
    """The case's new township is told, through the alert outbox: one open alert for
    the transfer (a later transfer replaces it), and the case's other open alerts move
    with the case, so the township that now handles it sees them."""
    from cases.models import CaseEvent
    from core.models import Township

    now = timezone.now()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("township")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            return None
        event = CaseEvent.objects.filter(pk=event_id, case=case).first() if event_id else None
        data = event.data if event else {}
        old = Township.objects.filter(code=data.get("from_township")).first()
        Alert.objects.filter(case=case, status=Alert.Status.OPEN).exclude(
            reason=Alert.Reason.TRANSFERRED_IN
        ).update(township=case.township)
        _resolve(case, [Alert.Reason.TRANSFERRED_IN], now)
        reason = f"：{event.note}" if event and event.note else ""
        origin = f"由{old.name}" if old else ""
        level = max(case.risk_level, RiskLevel.YELLOW, key=lambda name: LEVEL_ORDER[name])
        alert = _alert_create(
            case=case,
            reason=Alert.Reason.TRANSFERRED_IN,
            level=level,
            result=None,
            message=f"{case.number} {origin}移交{case.township.name}办理{reason}",
            now=now,
            deadline=case.deadline,
        )
        if alert is not None:
            transaction.on_commit(partial(push.alerts_send, [alert]))
    return alert


def case_risk_refresh(
    *,
    case_id: int,
    trigger: str = "",
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    rules_set: RiskRuleSet | None = None,
) -> list[Alert]:
    """Score the case again, store the score, raise the alerts it calls for.

    The score goes onto the case with a queryset update: it is derived data, so it must
    not bump Case.version (which guards staff edits against each other).
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    rules_set = rules_set or current_rules()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("employer", "township")
            .filter(pk=case_id)
            .first()
        )
        if case is None:
            return []
        result = score_case(case, rules_set=rules_set, today=today)
        previous_level = case.risk_level
        if case.awaiting_score or (case.risk_score, case.risk_level, case.risk_factors) != (
            result.score,
            result.level,
            result.factors,
        ):
            Case.objects.filter(pk=case.pk).update(
                risk_score=result.score,
                risk_level=result.level,
                risk_factors=result.factors,
                awaiting_score=False,
            )
        last = RiskScore.objects.filter(case=case).order_by("-computed_at", "-id").first()
        if last is None or (last.score, last.level, _comparable(last.factors)) != (
            result.score,
            result.level,
            _comparable(result.factors),
        ):
            RiskScore.objects.create(
                case=case,
                score=result.score,
                level=result.level,
                factors=result.factors,
                rules_version=result.rules_version,
                needs_review=result.needs_review,
                trigger=trigger[:40],
                computed_at=now,
            )
        case.risk_score, case.risk_level, case.risk_factors = (
            result.score,
            result.level,
            result.factors,
        )
        if case.state in FINAL_STATES:
            _resolve(case, [r for r in Alert.Reason.values], now)
            raised = []
        else:
            raised = _risk_alerts(case, result, previous_level, now)
            raised += _deadline_alerts(case, result, today, rules_set, now)
        if raised:
            transaction.on_commit(partial(push.alerts_send, raised))
    return raised


def employer_cases_refresh(*, case_id: int, trigger: str = "") -> None:
    """A new complaint can make the employer's other open cases a repeat: score again
    those whose stored factors say otherwise.

    Only the complaint that brings the employer to the repeat threshold changes the
    others' points; past it only the count in the factor's label moves, which the
    nightly full scan brings up to date. So most filings cost one count and one small
    read, not a rescoring of every open case of the employer (~95 ms each at 1M cases).
    """
    employer_id = Case.objects.filter(pk=case_id).values_list("employer_id", flat=True).first()
    if employer_id is None:
        return
    rules_set = current_rules()
    today = timezone.localdate()
    since = day_start(today - dt.timedelta(days=rules_set.repeat_window_days))
    repeat = Case.objects.filter(employer_id=employer_id, received_at__gte=since).count()
    is_repeat = repeat >= rules_set.repeat_min_complaints
    others = (
        Case.objects.filter(employer_id=employer_id, state__in=OPEN_STATES)
        .exclude(pk=case_id)
        .order_by("-received_at")
        .values_list("pk", "risk_factors")[:50]
    )
    for other, factors in others:
        has_repeat = any(f.get("code") == "repeat" for f in factors or [])
        if has_repeat != is_repeat:
            case_risk_refresh(case_id=other, trigger=trigger, today=today, rules_set=rules_set)


def alert_acknowledge(*, alert_id: int, user: User, note: str = "") -> Alert:
    """Acknowledge an open alert with an optional note of what was done. Acknowledging
    again changes nothing: the first acknowledgement, and its note, stand."""
    note = (note or "").strip()
    if len(note) > ACK_NOTE_MAX:
        raise errors.InvalidInput(ACK_NOTE_TOO_LONG, {"note": [ACK_NOTE_TOO_LONG]})
    if not roles.has_any_role(user, ACK_ROLES):
        if roles.user_roles(user):
            raise errors.Forbidden(ACK_FORBIDDEN)
        raise errors.NotFound(ALERT_NOT_FOUND)
    with transaction.atomic():
        alert = (
            alerts_visible_to(user, Alert.objects.select_for_update()).filter(pk=alert_id).first()
        )
        if alert is None:
            raise errors.NotFound(ALERT_NOT_FOUND)
        if alert.status == Alert.Status.OPEN:
            alert.status = Alert.Status.ACKNOWLEDGED
            alert.acknowledged_by = user
            alert.acknowledged_at = timezone.now()
            alert.acknowledgement_note = note
            alert.save(
                update_fields=[
                    "status",
                    "acknowledged_by",
                    "acknowledged_at",
                    "acknowledgement_note",
                ]
            )
            transaction.on_commit(partial(push.alerts_push, [alert.pk], kind="alert.update"))
            # The screen's count of open alerts moved (forced: an acknowledgement is rare,
            # and a throttled push would leave the count stale until the next change).
            transaction.on_commit(partial(push.summary_push, force=True), robust=True)
            logger.info("alert %s acknowledged by %s", alert.pk, user)
    return alert


def _supervisors_for(township_id: int) -> list[User]:
    User = get_user_model()
    return list(
        User.objects.filter(groups__name=roles.SUPERVISOR, is_active=True)
        .filter(Q(staff_profile__county_level=True) | Q(staff_profile__townships__id=township_id))
        .distinct()
    )


def _alerts_to_escalate(cutoff: dt.datetime) -> QuerySet[Alert]:
    """Open red alerts raised by `cutoff` and not escalated yet (escalations aside): the
    rows of the partial index alert_escalation_due_idx, not every open red alert."""
    return Alert.objects.filter(
        status=Alert.Status.OPEN,
        level=RiskLevel.RED,
        escalated_at__isnull=True,
        created_at__lte=cutoff,
    ).exclude(reason=Alert.Reason.ESCALATED)


def alerts_escalate(*, now: dt.datetime | None = None) -> list[Alert]:
    """Red alerts nobody acknowledged in time go to the supervisors (and their phones)."""
    from notifications.sms import sms_send

    now = now or timezone.now()
    rules_set = current_rules()
    cutoff = now - dt.timedelta(minutes=rules_set.escalate_after_minutes)
    due = _alerts_to_escalate(cutoff).values_list("pk", flat=True)
    raised = []
    for alert_id in list(due):
        with transaction.atomic():
            alert = (
                Alert.objects.select_for_update(of=("self",))
                .select_related("case__township")
                .filter(pk=alert_id, status=Alert.Status.OPEN, escalated_at__isnull=True)
                .first()
            )
            if alert is None:
                continue
            case = alert.case
            assert case is not None  # red alerts are the cases' (the ledger's are yellow)
            supervisors = _supervisors_for(alert.township_id)
            minutes = rules_set.escalate_after_minutes
            escalation = _alert_create(
                case=case,
                reason=Alert.Reason.ESCALATED,
                level=RiskLevel.RED,
                result=None,
                message=(
                    f"{case.number} 红色预警“{alert.get_reason_display()}”{minutes}分钟"
                    f"未确认，已上报主管领导：{alert.message}"
                ),
                now=now,
                escalation_of=alert,
                notify=supervisors,
            )
            alert.escalated_at = now
            alert.save(update_fields=["escalated_at"])
            if escalation is None:
                continue
            raised.append(escalation)
            transaction.on_commit(partial(push.alerts_send, [escalation]))
            for supervisor in supervisors:
                phone = getattr(getattr(supervisor, "staff_profile", None), "phone", "")
                if phone:
                    text = f"【劳动维权预警】{escalation.message[:120]}，请1小时内到场处置。"
                    transaction.on_commit(
                        partial(
                            sms_send,
                            phone=phone,
                            text=text,
                            purpose="alert_escalated",
                            case_number=case.number,
                        )
                    )
    return raised
