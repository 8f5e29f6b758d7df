"""The statistics pages, their Excel exports and the kept monthly reports."""

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases import errors, statistics
from cases.models import CaseKind, Channel
from core import roles
from core.downloads import XLSX, attachment
from core.models import Employer, Township
from reports import exports, selectors, services
from reports.models import MonthlyReport
from workflows import selectors as subsidy_selectors
from workflows import statistics as subsidy_statistics

PERIOD_INVALID = "统计期间不正确：请选择月份，或起止日期（起始不晚于截止）。"


def reader_required(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.may_read_reports(request.user):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@dataclass
class ReportQuery:
    """The page's choices: a month or a date range, and the scope."""

    period: statistics.Period
    scope: statistics.Scope
    month: str = ""
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> "ReportQuery":
        problems = []
        period, month = _period(params, problems)
        scope = statistics.Scope(
            township=params.get("township", "")[:32],
            kind=params.get("kind", "") if params.get("kind") in CaseKind.values else "",
            channel=params.get("channel", "") if params.get("channel") in Channel.values else "",
            sector=params.get("sector", "")
            if params.get("sector") in Employer.Sector.values
            else "",
        )
        return cls(period=period, scope=scope, month=month, problems=problems)

    def figure_link(self, figure: str, **group) -> str:
        """The case list of one figure (cases/selectors.py QueueFilters), of one row of
        a table when `group` names it (township=..., kind=..., channel=...)."""
        params = {
            "figure": figure,
            "period_from": self.period.start.isoformat(),
            "period_to": self.period.end.isoformat(),
            "township": self.scope.township,
            "kind": self.scope.kind,
            "channel": self.scope.channel,
            **group,
        }
        return reverse("workbench-queue") + "?" + urlencode({k: v for k, v in params.items() if v})

    def subsidy_link(self, figure: str, **group) -> str:
        """The staff list of the applications one subsidy figure counts
        (workflows.statistics.figure_applications), of one table row when `group`
        names it (policy=..., township=..., funding_source=...)."""
        params = {
            "figure": figure,
            "period_from": self.period.start.isoformat(),
            "period_to": self.period.end.isoformat(),
            "township": self.scope.township,
            **group,
        }
        return reverse("subsidies:list") + "?" + urlencode({k: v for k, v in params.items() if v})

    def querystring(self) -> str:
        params = {
            "period_from": self.period.start.isoformat(),
            "period_to": self.period.end.isoformat(),
            "township": self.scope.township,
            "kind": self.scope.kind,
            "channel": self.scope.channel,
            "sector": self.scope.sector,
        }
        return urlencode({k: v for k, v in params.items() if v})


def _period(params, problems) -> tuple[statistics.Period, str]:
    try:
        if params.get("month"):
            year, month = (int(part) for part in params["month"].split("-"))
            return statistics.Period.month(year, month), params["month"]
        if params.get("period_from") or params.get("period_to"):
            start = dt.date.fromisoformat(params.get("period_from", ""))
            end = dt.date.fromisoformat(params.get("period_to", ""))
            if end < start:
                raise ValueError
            return statistics.Period(start, end), ""
    except ValueError:
        problems.append(PERIOD_INVALID)
    period = selectors.previous_month()
    return period, period.start.strftime("%Y-%m")


def _linked(query, rows, by: str) -> list[dict]:
    """Table rows with the case lists of their received and closed figures."""
    return [
        {
            **row,
            "received_url": query.figure_link("received", **{by: row["key"]}),
            "closed_url": query.figure_link("closed", **{by: row["key"]}),
        }
        for row in rows
    ]


def _subsidy_linked(query, rows, by: str) -> list[dict]:
    """Subsidy table rows with the application lists of their three figures."""
    return [
        {
            **row,
            **{
                f"{figure}_url": query.subsidy_link(figure, **{by: row["key"]})
                for figure in subsidy_statistics.FIGURES
            },
        }
        for row in rows
    ]


def _chart(report) -> dict:
    rows = report["by_township"]
    return {
        "townships": [row["label"] for row in rows],
        "received": [row["counts"]["received"] for row in rows],
        "closed": [row["counts"]["closed"] for row in rows],
    }


def _page(request, query, report, **extra):
    context = {
        "query": query,
        "report": report,
        "cards": _figure_cards(query, report),
        "by_township": _linked(query, report["by_township"], "township"),
        "by_kind": _linked(query, report["by_kind"], "kind"),
        "by_channel": _linked(query, report["by_channel"], "channel"),
        "chart": _chart(report),
        "subsidies_by_policy": _subsidy_linked(query, report["subsidies_by_policy"], "policy"),
        "subsidies_by_township": _subsidy_linked(
            query, report["subsidies_by_township"], "township"
        ),
        # Reports kept before the funding source was counted have no such table.
        "subsidies_by_funding_source": _subsidy_linked(
            query, report.get("subsidies_by_funding_source", []), "funding_source"
        ),
        # The lists behind the figures are case files: for the roles that handle cases.
        "may_open_cases": roles.may_use_workbench(request.user),
        "may_open_applications": subsidy_selectors.may_work_on_subsidies(request.user),
        **extra,
    }
    return render(
        request, "reports/statistics.html", context, status=400 if query.problems else 200
    )


def _figure_cards(query, report) -> list[dict]:
    counts = report["cases"]["counts"]
    return [
        {"label": figure.label, "value": counts[name], "url": query.figure_link(name)}
        for name, figure in statistics.FIGURES.items()
    ]


@reader_required
def statistics_page(request):
    query = ReportQuery.from_query(request.GET)
    report = selectors.statistics_report_for(request.user, query.period, query.scope)
    return _page(
        request,
        query,
        report,
        townships=Township.objects.order_by("code"),
        kinds=CaseKind.choices,
        channels=Channel.choices,
        sectors=Employer.Sector.choices,
    )


@reader_required
def statistics_export(request):
    query = ReportQuery.from_query(request.GET)
    report = selectors.statistics_report_for(request.user, query.period, query.scope)
    name = f"统计报表-{query.period.start:%Y%m%d}-{query.period.end:%Y%m%d}.xlsx"
    return attachment(exports.report_workbook(report), XLSX, name)


@reader_required
@require_http_methods(["GET"])
def monthly_list(request):
    context = {
        "reports": selectors.monthly_reports(),
        "may_keep_monthly": selectors.may_keep_monthly_reports(request.user),
        "last_month": selectors.previous_month().start.strftime("%Y-%m"),
    }
    return render(request, "reports/monthly.html", context)


@reader_required
@require_POST
def monthly_generate(request):
    if not selectors.may_keep_monthly_reports(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    try:
        year, month = (int(part) for part in request.POST.get("month", "").split("-"))
        report = services.monthly_report_generate(year=year, month=month, actor=request.user)
    except ValueError:
        messages.error(request, PERIOD_INVALID)
    except errors.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{report}月报已生成。")
    return redirect("reports:monthly")


@reader_required
def monthly_download(request, report_id):
    report = MonthlyReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("没有这份月报。")
    stamp = timezone.localtime(report.generated_at).strftime("%Y%m%d%H%M")
    return attachment(
        bytes(report.workbook), XLSX, f"月度统计-{report.year}{report.month:02d}-{stamp}.xlsx"
    )


@reader_required
def monthly_page(request, report_id):
    kept = MonthlyReport.objects.filter(pk=report_id).first()
    if kept is None:
        raise Http404("没有这份月报。")
    month = f"{kept.year}-{kept.month:02d}"
    period = statistics.Period.month(kept.year, kept.month)
    query = ReportQuery(period=period, scope=statistics.Scope(), month=month)
    return _page(request, query, kept.figures, kept=kept)


@reader_required
def clue_outcomes_export(request):
    if not selectors.may_keep_monthly_reports(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    since = None
    if request.GET.get("imported_from"):
        try:
            since = dt.date.fromisoformat(request.GET["imported_from"])
        except ValueError:
            since = None
    rows = selectors.clue_outcomes(since)
    name = f"欠薪线索办理结果-{timezone.localdate():%Y%m%d}.xlsx"
    return attachment(exports.clue_outcomes_workbook(rows), XLSX, name)
