"""What the report pages show: every figure of a period for what the user may read."""

import datetime as dt
from decimal import Decimal
from typing import Any, TypedDict

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases import milestones, statistics
from cases.lifecycle.inputs import RejectionReason
from cases.models import Case, CaseState, Channel, SourceReference
from config.db_router import report_reads
from core import roles
from reports import kept
from reports.models import MonthlyReport
from workflows import selectors as subsidy_selectors
from workflows import statistics as subsidy_statistics
from workflows.models import SubsidyApplication

S = CaseState


class StatisticsReport(TypedDict):
    period_start: str
    period_end: str
    cases: statistics.CaseFigures
    by_township: list[statistics.GroupRow]
    by_kind: list[statistics.GroupRow]
    by_channel: list[statistics.GroupRow]
    subsidies_by_policy: list[subsidy_statistics.SubsidyRow]
    subsidies_by_township: list[subsidy_statistics.SubsidyRow]
    subsidies_by_funding_source: list[subsidy_statistics.SubsidyRow]


# The statistics are for those who answer for a whole township or the county: the
# supervisor, the administrator, county-level staff and the township employment
# stations (their own township's figures). Inspectors, mediators and arbitrators have
# their queues.
REPORT_ROLES = frozenset({roles.SUPERVISOR, roles.ADMINISTRATOR, roles.TOWNSHIP_REVIEWER})


def may_read_reports(user: Any) -> bool:
    if not user or not user.is_authenticated:
        return False
    staff = roles.may_use_workbench(user) or subsidy_selectors.may_work_on_subsidies(user)
    return roles.has_any_role(user, REPORT_ROLES) or (staff and roles.is_county_level(user))


def may_keep_monthly_reports(user: Any) -> bool:
    """The county's monthly report: county-level staff (the supervisor, the bureau)."""
    return may_read_reports(user) and roles.is_county_level(user)


def _case_figures(
    cases: QuerySet, period: statistics.Period, scope: statistics.Scope
) -> dict[str, Any]:
    # The case-row figures once, per township, track and channel: the totals and the
    # three tables are sums of the same rows.
    counted = statistics.period_counts(cases, period, scope)
    return {
        "cases": statistics.case_figures(cases, period, scope, counted),
        **{
            f"by_{by}": statistics.figures_by(cases, period, scope, by, counted)
            for by in ("township", "kind", "channel")
        },
    }


def statistics_report(
    cases: QuerySet,
    applications: QuerySet,
    period: statistics.Period,
    scope: statistics.Scope | None = None,
) -> StatisticsReport:
    """Every figure of the period (the case figures kept while their months do not
    change: reports/kept.py; read from the replica when there is one)."""
    scope = scope or statistics.Scope()
    with report_reads():
        if scope.township:
            applications = applications.filter(township__code=scope.township)
        start, end = period.start, period.end
        case_figures = kept.kept_or_computed(
            cases, period, scope, lambda: _case_figures(cases, period, scope)
        )
        return StatisticsReport(
            period_start=start.isoformat(),
            period_end=end.isoformat(),
            cases=case_figures["cases"],
            by_township=case_figures["by_township"],
            by_kind=case_figures["by_kind"],
            by_channel=case_figures["by_channel"],
            subsidies_by_policy=subsidy_statistics.subsidy_figures(
                applications, start, end, by="policy"
            ),
            subsidies_by_township=subsidy_statistics.subsidy_figures(
                applications, start, end, by="township"
            ),
            subsidies_by_funding_source=subsidy_statistics.subsidy_figures(
                applications, start, end, by="funding_source"
            ),
        )


def statistics_report_for(
    user: Any, period: statistics.Period, scope: statistics.Scope
) -> StatisticsReport:
    """The figures of the user's jurisdiction: counts, never a person's data, so a
    township's employment station sees its cases counted though it cannot open them."""
    cases, applications = Case.objects.all(), SubsidyApplication.objects.all()
    if not roles.is_county_level(user):
        townships = roles.township_ids(user)
        cases = cases.filter(township_id__in=townships)
        applications = applications.filter(township_id__in=townships)
    return statistics_report(cases, applications, period, scope)


def county_report(period: statistics.Period) -> StatisticsReport:
    return statistics_report(Case.objects.all(), SubsidyApplication.objects.all(), period)


def previous_month(today: dt.date | None = None) -> statistics.Period:
    first = (today or timezone.localdate()).replace(day=1)
    last_month = first - dt.timedelta(days=1)
    return statistics.Period.month(last_month.year, last_month.month)


def monthly_reports() -> QuerySet:
    return MonthlyReport.objects.select_related("generated_by").defer("workbook")


class ClueOutcome(TypedDict):
    ref: str
    case_number: str
    accepted: bool | None  # None: not decided yet
    rejection_reason: str
    state: str
    recovered: Decimal
    closed_on: dt.date | None
    in_time: bool | None
    platform_due: dt.date | None
    within_platform_due: bool | None


def clue_outcomes(imported_from: dt.date | None = None) -> list[ClueOutcome]:
    """Every clue imported from the national platform (since a day), with its case's
    outcome as the platform asks for it."""
    references = (
        SourceReference.objects.filter(channel=Channel.PLATFORM)
        .select_related("case")
        .annotate(recovered=Coalesce(Sum("case__claims__amount_recovered"), Decimal("0")))
        .order_by("imported_at", "ref")
    )
    if imported_from:
        references = references.filter(imported_at__date__gte=imported_from)
    reasons = dict(RejectionReason.CHOICES)
    outcomes = []
    with report_reads():
        for reference in references:
            case = reference.case
            accepted = True if case.accepted_on else (False if case.state == S.REJECTED else None)
            closed = case.closed_on if case.state in (S.CLOSED, S.WITHDRAWN) else None
            due = reference.platform_due
            outcomes.append(
                ClueOutcome(
                    ref=reference.ref,
                    case_number=case.number,
                    accepted=accepted,
                    rejection_reason=str(reasons.get(case.rejection_reason, case.rejection_reason)),
                    state=CaseState(case.state).label,
                    recovered=reference.recovered,
                    closed_on=closed,
                    in_time=milestones.handled_in_time(case),
                    platform_due=due,
                    within_platform_due=None if not (due and closed) else closed <= due,
                )
            )
    return outcomes
