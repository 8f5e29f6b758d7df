"""The monthly dispatch (按月调度): each township's progress against its share, ranked.

Read-only figures for the county's monthly meeting (page, API, workbook). Split from
employment.selectors, whose progress report and overdue 1+3+1 items it builds on;
employment.selectors must not import this module.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone

from core.models import Township
from employment.models import Target, TownshipShare
from employment.selectors import Progress, overdue_items, percent, progress


@dataclass
class DispatchRow:
    township: Township
    share_urban: int
    share_rural: int
    urban_new: int
    rural_transfer: int
    laid_off: int
    reemployed: int
    rate: Decimal | None
    urban_completion: Decimal | None
    rural_completion: Decimal | None
    rate_completion: Decimal | None
    score: Decimal | None
    overdue_people: int = 0
    rank: int = 0
    laggard: bool = False


@dataclass
class Dispatch:
    year: int
    month: int
    end: dt.date
    target: Target | None
    time_progress: Decimal
    county: Progress
    rows: list[DispatchRow]
    # A reported month (employment.reported): when it was reported; None while live.
    reported_at: dt.datetime | None = None
    # Changes, since they were reported, to earlier reported months' figures.
    corrections: list[dict] = field(default_factory=list)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def monthly_dispatch(*, year: int, month: int, today: dt.date | None = None) -> Dispatch:
    """Each township's completion against its share, ranked; laggards marked.

    A township's score is the mean of its completion ratios (urban new employment and
    rural labour transferred against its shares, its re-employment rate against the
    county's target rate), each counted only where it applies (a share above zero, laid-
    off workers living there). A township is a laggard when its score is below the time
    elapsed in the year (month/12, the 序时进度).
    """
    today = today or timezone.localdate()
    end = min(month_end(year, month), max(today, dt.date(year, month, 1)))
    report = progress(year=year, end=end)
    target = report.target
    shares = {}
    if target is not None:
        shares = {s.township_id: s for s in TownshipShare.objects.filter(target=target)}
    overdue = dict(
        overdue_items(min(end, today))
        .values("entry__township_id")
        .annotate(n=Count("entry", distinct=True))
        .values_list("entry__township_id", "n")
        .order_by()
    )
    rows = []
    for township in Township.objects.order_by("sort_order", "code"):
        figures = report.townships.get(township.pk, Progress(township.pk))
        share = shares.get(township.pk)
        share_urban = share.urban_new if share else 0
        share_rural = share.rural_transfer if share else 0
        urban = percent(figures.urban_new, share_urban)
        rural = percent(figures.rural_transfer, share_rural)
        rate = figures.rate
        rate_completion = (
            percent(rate, target.reemployment_rate)
            if target is not None and rate is not None and target.reemployment_rate
            else None
        )
        parts = [p for p in (urban, rural, rate_completion) if p is not None]
        score = (
            (sum(parts, Decimal(0)) / len(parts)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if parts
            else None
        )
        rows.append(
            DispatchRow(
                township=township,
                share_urban=share_urban,
                share_rural=share_rural,
                urban_new=figures.urban_new,
                rural_transfer=figures.rural_transfer,
                laid_off=figures.laid_off,
                reemployed=figures.reemployed,
                rate=rate,
                urban_completion=urban,
                rural_completion=rural,
                rate_completion=rate_completion,
                score=score,
                overdue_people=overdue.get(township.pk, 0),
            )
        )
    time_progress = percent(month, 12)
    assert time_progress is not None  # never: twelve is not zero
    ranked = sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.township.sort_order))
    for rank, row in enumerate(ranked, start=1):
        row.rank = rank
        row.laggard = row.score is not None and row.score < time_progress
    return Dispatch(
        year=year,
        month=month,
        end=end,
        target=target,
        time_progress=time_progress,
        county=report.county,
        rows=ranked,
    )
