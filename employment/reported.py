"""The dispatch of a reported month: kept as it was reported, never recomputed.

The county's monthly report (reports.services, `manage.py monthly_report`, Celery beat)
calls dispatch_keep for its month: the dispatch is stored with it (ReportedDispatch).
From then on the dispatch page, its Excel and the API show the kept figures with
"已报送" and when (dispatch_for_month). A later change that alters a reported month (a
status change entered with an earlier date) is listed in the dispatch of the months
after it as a correction: the month, the township, the figure, what was reported, what
it is now and the difference, as the case statistics list theirs. employment imports
nothing from reports: reports calls this module.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from core.models import Township
from employment.figures import Dispatch, DispatchRow, month_end, monthly_dispatch
from employment.models import ReportedDispatch, Target
from employment.selectors import Progress, progress

# The figures a correction compares: counted from the ledger as at the month's end. The
# 1+3+1 overdue count is a state of the day, not a month's figure, and is not compared.
CORRECTED = {
    "urban_new": "城镇新增就业",
    "rural_transfer": "农村劳动力转移就业",
    "laid_off": "关停企业下岗职工",
    "reemployed": "下岗职工已再就业",
}
# How many reported months before it a dispatch checks for corrections.
CORRECTION_MONTHS = 12
COUNTY = "全县"


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undecimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _progress_data(figures: Progress) -> dict[str, int]:
    return {name: getattr(figures, name) for name in CORRECTED}


def dispatch_data(dispatch: Dispatch) -> dict[str, Any]:
    """The dispatch as JSON: every figure the page, the workbook and the API show."""
    target = dispatch.target
    return {
        "year": dispatch.year,
        "month": dispatch.month,
        "end": dispatch.end.isoformat(),
        "time_progress": str(dispatch.time_progress),
        "target": None
        if target is None
        else {
            "urban_new": target.urban_new,
            "rural_transfer": target.rural_transfer,
            "reemployment_rate": str(target.reemployment_rate),
        },
        "county": _progress_data(dispatch.county),
        "rows": [
            {
                "township": row.township.code,
                "share_urban": row.share_urban,
                "share_rural": row.share_rural,
                "urban_new": row.urban_new,
                "rural_transfer": row.rural_transfer,
                "laid_off": row.laid_off,
                "reemployed": row.reemployed,
                "rate": _decimal(row.rate),
                "urban_completion": _decimal(row.urban_completion),
                "rural_completion": _decimal(row.rural_completion),
                "rate_completion": _decimal(row.rate_completion),
                "score": _decimal(row.score),
                "overdue_people": row.overdue_people,
                "rank": row.rank,
                "laggard": row.laggard,
            }
            for row in dispatch.rows
        ],
    }


def dispatch_from_data(kept: ReportedDispatch) -> Dispatch:
    data = kept.figures
    townships = {t.code: t for t in Township.objects.all()}
    target = None
    if data["target"] is not None:
        target = Target(
            year=data["year"],
            urban_new=data["target"]["urban_new"],
            rural_transfer=data["target"]["rural_transfer"],
            reemployment_rate=Decimal(data["target"]["reemployment_rate"]),
        )
    rows = []
    for row in data["rows"]:
        decimals = ("rate", "urban_completion", "rural_completion", "rate_completion", "score")
        values = {k: (_undecimal(v) if k in decimals else v) for k, v in row.items()}
        values["township"] = townships.get(row["township"]) or Township(
            code=row["township"], name=row["township"]
        )
        rows.append(DispatchRow(**values))
    return Dispatch(
        year=data["year"],
        month=data["month"],
        end=dt.date.fromisoformat(data["end"]),
        target=target,
        time_progress=Decimal(data["time_progress"]),
        county=Progress(None, **data["county"]),
        rows=rows,
        reported_at=kept.reported_at,
        corrections=kept.corrections,
    )


def _earlier(year: int, month: int):
    return ReportedDispatch.objects.filter(Q(year__lt=year) | Q(year=year, month__lt=month))


def dispatch_corrections(*, year: int, month: int) -> list[dict]:
    """The reported months before this one whose figures differ now, figure by figure."""
    names = dict(Township.objects.values_list("code", "name"))
    codes = dict(Township.objects.values_list("pk", "code"))
    lines = []
    for kept in _earlier(year, month).order_by("-year", "-month")[:CORRECTION_MONTHS]:
        now = progress(year=kept.year, end=month_end(kept.year, kept.month))
        current = {codes[pk]: _progress_data(p) for pk, p in now.townships.items()}
        reported = {row["township"]: row for row in kept.figures["rows"]}
        pairs = [(code, reported.get(code, {}), current.get(code, {})) for code in names]
        pairs.append(("", kept.figures["county"], _progress_data(now.county)))
        for code, old_row, new_row in pairs:
            for name, label in CORRECTED.items():
                old, new = old_row.get(name, 0), new_row.get(name, 0)
                if old != new:
                    lines.append(
                        {
                            "month": f"{kept.year}-{kept.month:02d}",
                            "township": code,
                            "township_name": names.get(code, COUNTY),
                            "figure": name,
                            "label": label,
                            "reported": old,
                            "now": new,
                            "difference": new - old,
                        }
                    )
    return lines


def dispatch_keep(
    *, year: int, month: int, actor: Any = None, today: dt.date | None = None
) -> ReportedDispatch:
    """Keep a finished month's dispatch as reported, with its corrections to earlier
    reported months; a month kept already stays as it was."""
    kept = ReportedDispatch.objects.filter(year=year, month=month).first()
    if kept is not None:
        return kept
    dispatch = monthly_dispatch(year=year, month=month, today=today)
    try:
        with transaction.atomic():
            return ReportedDispatch.objects.create(
                year=year,
                month=month,
                figures=dispatch_data(dispatch),
                corrections=dispatch_corrections(year=year, month=month),
                reported_by=actor,
            )
    except IntegrityError:  # kept by another process meanwhile
        return ReportedDispatch.objects.get(year=year, month=month)


def dispatch_for_month(*, year: int, month: int, today: dt.date | None = None) -> Dispatch:
    """The month's dispatch: as reported when it was, else counted now; with the
    corrections to the reported months before it."""
    kept = ReportedDispatch.objects.filter(year=year, month=month).first()
    if kept is not None:
        return dispatch_from_data(kept)
    dispatch = monthly_dispatch(year=year, month=month, today=today)
    dispatch.corrections = dispatch_corrections(year=year, month=month)
    return dispatch
