"""The periodic deadline scan: which open cases to score again, and the job that does it.

The alerts themselves are raised by the services (notifications.services); this module
only chooses the cases, runs the escalations and the ledger's overdue check, and pushes
the summary once at the end.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import Case as DbCase
from django.db.models import Exists, OuterRef, QuerySet, Value, When
from django.utils import timezone

from cases.models import OPEN_STATES, Case
from notifications import clue_alerts, ledger_alerts, push
from notifications.models import Alert
from notifications.risk import current_rules
from notifications.services import alerts_escalate, case_risk_refresh
from rules.models import RiskRuleSet

logger = logging.getLogger(__name__)

# How far back the frequent scan looks for deadlines it may have missed (machine off).
SCAN_CATCH_UP_DAYS = 7
# How far back it looks for cases never scored (_never_scored). The nightly full scan
# gives every open case a score, so only cases filed since then can lack one; two days
# leave room for a missed night.
UNSCORED_CATCH_UP_DAYS = 2
# The warnings of a case's deadline (the partial index alert_deadline_warning_idx).
DEADLINE_REASONS = [Alert.Reason.DEADLINE_SOON, Alert.Reason.DEADLINE_FINAL, Alert.Reason.OVERDUE]


def _deadline_alerts_due(
    open_cases: QuerySet[Case], today: dt.date, rules_set: RiskRuleSet
) -> QuerySet[Case]:
    """Open cases near (or just past) their deadline that still lack the warning their
    days left call for. A warning is raised once per deadline, so in the steady state
    this finds only the cases that crossed a threshold since the last run: the scan
    every minute reads an index range and scores a handful of cases, not every case
    near its deadline."""
    due_reason = DbCase(
        When(deadline__lt=today, then=Value(Alert.Reason.OVERDUE)),
        When(
            deadline__lte=today + dt.timedelta(days=rules_set.deadline_final_warn_days),
            then=Value(Alert.Reason.DEADLINE_FINAL),
        ),
        default=Value(Alert.Reason.DEADLINE_SOON),
    )
    window = {
        "deadline__gte": today - dt.timedelta(days=SCAN_CATCH_UP_DAYS),
        "deadline__lte": today + dt.timedelta(days=rules_set.deadline_warn_days),
    }
    # The window and the three reasons restated on the alerts' side change nothing
    # (the case's deadline is in the window, its due reason one of the three), but let
    # PostgreSQL read only the window's warnings (the partial index
    # alert_deadline_warning_idx), not every alert ever raised.
    warned = Alert.objects.filter(
        case_id=OuterRef("pk"),
        reason=OuterRef("due_reason"),
        deadline=OuterRef("deadline"),
        reason__in=DEADLINE_REASONS,
        **window,
    )
    return open_cases.filter(**window).annotate(due_reason=due_reason).filter(~Exists(warned))


def _never_scored(open_cases: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
    """Open cases filed lately that were never scored: the database went away between
    the filing's commit and its scoring after commit (notifications.handlers), so the
    alert a red complaint calls for was not raised. The frequent scan scores them, rather
    than leaving them to the nightly full scan (tests/faults/test_postgres_restart.py).

    Read from the cases marked awaiting_score (a partial index): comparing every case
    filed in the last two days with the scores grew with the intake (8 ms a minute at
    the bench's 3,000 complaints a day, docs/performance.md)."""
    since = now - dt.timedelta(days=UNSCORED_CATCH_UP_DAYS)
    return open_cases.filter(awaiting_score=True, received_at__gte=since)


@dataclass
class ScanReport:
    cases_scored: int = 0
    alerts: list[int] = field(default_factory=list)
    escalations: list[int] = field(default_factory=list)
    # Scored by the frequent scan besides cases_scored: never scored before (_never_scored).
    caught_up: int = 0

    def __str__(self) -> str:
        return (
            f"scored {self.cases_scored} cases, raised {len(self.alerts)} alerts, "
            f"escalated {len(self.escalations)}, caught up {self.caught_up} unscored"
        )


def alerts_scan(*, now: dt.datetime | None = None, full: bool = False) -> ScanReport:
    """The periodic job: deadline warnings, time-dependent risk, escalations, summary.

    The frequent run (full=False) scores only open cases whose deadline is near or just
    passed; the daily run (full=True) scores every open case, for the factors that move
    with the calendar (season, days used, the repeat window, blacklist expiry).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    rules_set = current_rules()
    report = ScanReport()
    open_cases = Case.objects.filter(state__in=OPEN_STATES)
    unscored = set()
    if full:
        case_ids = open_cases.order_by("pk").values_list("pk", flat=True).iterator(2000)
    else:
        # No ORDER BY (the cases' default is received_at): the deadline query then reads
        # only the (state, deadline) index with its id, not the rows.
        due_cases = _deadline_alerts_due(open_cases, today, rules_set).order_by()
        due = set(due_cases.values_list("pk", flat=True))
        unscored = set(_never_scored(open_cases, now).order_by().values_list("pk", flat=True))
        unscored -= due
        case_ids = sorted(due | unscored)
    for case_id in case_ids:
        try:
            raised = case_risk_refresh(
                case_id=case_id, trigger="scan", today=today, now=now, rules_set=rules_set
            )
        except Exception:  # one bad case must not stop the scan of the others
            logger.exception("risk scan failed for case %s", case_id)
            continue
        if case_id in unscored:
            report.caught_up += 1
        else:
            report.cases_scored += 1
        report.alerts += [a.pk for a in raised]
    report.escalations = [a.pk for a in alerts_escalate(now=now)]
    try:
        report.alerts += ledger_alerts.service_overdue_scan(now=now, full=full)
    except Exception:  # the case alerts above stand; the next minute compares again
        logger.exception("1+3+1 overdue scan failed")
    try:
        report.alerts += clue_alerts.clue_deadline_scan(now=now)
    except Exception:  # e.g. its parameter deleted in the admin: the rest of the scan stands
        logger.exception("platform clue deadline scan failed")
    push.summary_push(force=True)
    logger.info("alerts scan (full=%s): %s", full, report)
    return report
