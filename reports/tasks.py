from celery import shared_task
from django.utils import timezone

from cases import statistics
from reports import kept, selectors, services


@shared_task
def monthly_report_previous_month() -> str:
    report = services.previous_month_report_generate()
    return str(report) if report else "already generated"


@shared_task
def kept_statistics_forget() -> int:
    """Nightly: drop kept figures computed more than a month ago (reports/kept.py)."""
    return kept.forget_older_than(days=kept.KEEP_DAYS)


@shared_task
def kept_statistics_refresh() -> list[str]:
    """Every few minutes: the county's figures of this month and the last, computed
    again if a change has moved them (kept otherwise), so that the supervisor opening the
    report page finds them kept rather than waiting for them."""
    this_month = timezone.localdate().replace(day=1)
    periods = [
        selectors.previous_month(this_month),
        statistics.Period.month(this_month.year, this_month.month),
    ]
    for period in periods:
        selectors.county_report(period)
    return [str(period) for period in periods]
