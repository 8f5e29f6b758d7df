"""Alerts about the national wage-arrears clue platform's deadlines.

Every clue imported from the platform (cases.SourceReference, channel platform) carries
the day the platform expects it handled (`platform_due`). While its case is open, the
scan warns once when that day is within the legal parameter
`platform_clue_warn_working_days` working days (the official calendar, cases.clocks),
and once more when it has passed. Each clue gets each warning at most once
(the constraint alert_once_per_clue_and_reason), whatever became of the first:
acknowledged, resolved or still open. Closing the case resolves them with the case's
other alerts (services.case_risk_refresh).

The alerts go to the case's township (its group: its inspectors see them) and name the
township's inspectors and the supervisors (notify_users), as the command screen shows
every alert.
"""

import datetime as dt
import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import OPEN_STATES, Channel, SourceReference
from core import roles
from notifications import push
from notifications.audience import township_staff
from notifications.models import Alert
from rules.calendar import add_period, working_calendar
from rules.models import ClockRule, RiskLevel
from rules.parameters import int_parameter
from rules.reference import PLATFORM_CLUE_WARN

logger = logging.getLogger(__name__)

DUE_SOON, OVERDUE = Alert.Reason.CLUE_DUE_SOON, Alert.Reason.CLUE_OVERDUE
MESSAGE_SOON = "{case} 国家平台线索{ref}的办理期限为{due}，还剩{days}个工作日"
MESSAGE_OVERDUE = "{case} 国家平台线索{ref}已超过办理期限{due}（逾期{days}天）"


def warn_until(today: dt.date) -> dt.date:
    """The last platform deadline that is 'near' today: the N-th working day after it."""
    days = int_parameter(PLATFORM_CLUE_WARN, today)
    last = add_period(today, days, ClockRule.DayKind.WORKING, working_calendar())
    assert last is not None  # no pauses given: always a day
    return last


def clues_to_warn(today: dt.date):
    """Open cases' platform clues due by warn_until(today) that lack the warning their
    deadline calls for (nearing, or overdue once it has passed)."""
    warned = Alert.objects.filter(source_reference_id=OuterRef("pk"))
    return (
        SourceReference.objects.filter(
            channel=Channel.PLATFORM,
            platform_due__isnull=False,
            platform_due__lte=warn_until(today),
            case__state__in=OPEN_STATES,
        )
        .filter(
            (Q(platform_due__lt=today) & ~Exists(warned.filter(reason=OVERDUE)))
            | (Q(platform_due__gte=today) & ~Exists(warned.filter(reason=DUE_SOON)))
        )
        .select_related("case__township")
        .order_by("platform_due", "pk")
    )


def _working_days_left(today: dt.date, due: dt.date) -> int:
    calendar = working_calendar()
    return sum(
        1
        for n in range(1, (due - today).days + 1)
        if calendar.is_working_day(today + dt.timedelta(days=n))
    )


def clue_deadline_scan(*, now: dt.datetime | None = None) -> list[int]:
    """Raise the warnings that are due; the ids of the alerts raised."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    raised: list[Alert] = []
    audiences: dict[int, list] = {}
    for reference in clues_to_warn(today):
        case = reference.case
        due = reference.platform_due
        assert due is not None  # filtered
        if due < today:
            reason, level = OVERDUE, RiskLevel.ORANGE
            text = MESSAGE_OVERDUE.format(
                case=case.number, ref=reference.ref, due=due.isoformat(), days=(today - due).days
            )
        else:
            reason, level = DUE_SOON, RiskLevel.YELLOW
            text = MESSAGE_SOON.format(
                case=case.number,
                ref=reference.ref,
                due=due.isoformat(),
                days=_working_days_left(today, due),
            )
        if case.township_id not in audiences:
            audiences[case.township_id] = township_staff(
                case.township_id, [roles.INSPECTOR, roles.SUPERVISOR]
            )
        alert = _create(reference, reason, level, text, now, audiences[case.township_id])
        if alert is not None:
            raised.append(alert)
    if raised:
        transaction.on_commit(partial(push.alerts_send, raised))
        logger.info("platform clue deadlines: %s alerts raised", len(raised))
    return [alert.pk for alert in raised]


def _create(reference, reason, level, text, now, notify) -> Alert | None:
    case = reference.case
    try:
        with transaction.atomic():
            if reason == OVERDUE:  # the overdue warning replaces the nearing one
                Alert.objects.filter(
                    source_reference=reference, reason=DUE_SOON, status=Alert.Status.OPEN
                ).update(status=Alert.Status.RESOLVED, resolved_at=now)
            alert = Alert.objects.create(
                case=case,
                source_reference=reference,
                township=case.township,
                reason=reason,
                level=level,
                score=case.risk_score,
                factors=case.risk_factors,
                message=text[:500],
                deadline=reference.platform_due,
                created_at=now,
            )
            alert.notify_users.set(notify)
    except IntegrityError:  # raised meanwhile by another scan
        return None
    alert.notify_ids = [user.pk for user in notify]  # type: ignore[attr-defined]
    return alert
