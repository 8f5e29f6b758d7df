"""The monthly report: generated once for a finished month, kept as reported; a late
correction shows in the next month's report, never in the month already reported."""

import datetime as dt

import pytest
from django.core.management import call_command

from cases import errors
from reports import services
from reports.models import MonthlyReport
from reports.tasks import monthly_report_previous_month
from tests.factories import claimant, file_case

DECEMBER_2 = dt.date(2026, 12, 2)


def test_it_keeps_the_month_as_reported(people):
    file_case(received_on=dt.date(2026, 11, 3), claimants=[claimant(0)])

    report = services.monthly_report_generate(
        year=2026, month=11, actor=people["supervisor"], today=DECEMBER_2
    )

    assert report.figures["cases"]["counts"]["received"] == 1
    assert report.generated_by == people["supervisor"]
    assert bytes(report.workbook)[:2] == b"PK"  # an xlsx (zip) file


def test_it_shows_a_late_correction_in_the_next_month(people):
    file_case(received_on=dt.date(2026, 10, 10), claimants=[claimant(0)])
    october = services.monthly_report_generate(year=2026, month=10, today=dt.date(2026, 11, 1))
    # A paper complaint from October entered after October was reported.
    file_case(received_on=dt.date(2026, 10, 20), claimants=[claimant(1)])

    november = services.monthly_report_generate(year=2026, month=11, today=DECEMBER_2)

    october.refresh_from_db()
    assert october.figures["cases"]["counts"]["received"] == 1
    [line] = [c for c in november.corrections if c["figure"] == "received"]
    assert (line["month"], line["reported"], line["now"], line["difference"]) == (
        "2026-10",
        1,
        2,
        1,
    )


def test_it_refuses_a_month_already_reported(people):
    services.monthly_report_generate(year=2026, month=11, today=DECEMBER_2)

    with pytest.raises(errors.Conflict, match="已于"):
        services.monthly_report_generate(year=2026, month=11, today=DECEMBER_2)


def test_it_refuses_a_month_not_over(people):
    with pytest.raises(errors.Conflict, match="尚未结束"):
        services.monthly_report_generate(year=2026, month=12, today=DECEMBER_2)


def test_it_generates_last_month_on_the_first(people, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 1))

    assert monthly_report_previous_month() == "2026年11月"
    assert monthly_report_previous_month() == "already generated"
    assert MonthlyReport.objects.filter(year=2026, month=11, generated_by=None).exists()


def test_it_runs_from_the_command_line(people, capsys):
    call_command("monthly_report", "--month", "2026-10")

    assert "2026年10月 月报已生成" in capsys.readouterr().out


def test_it_lists_the_reports_for_download(people, client):
    report = services.monthly_report_generate(year=2026, month=11, today=DECEMBER_2)
    client.force_login(people["supervisor"])

    page = client.get("/reports/monthly/")
    download = client.get(f"/reports/monthly/{report.id}.xlsx")
    kept = client.get(f"/reports/monthly/{report.id}/")

    assert "2026年11月" in page.content.decode()
    assert download.status_code == 200 and download.content[:2] == b"PK"
    assert "系统自动生成" in kept.content.decode()


def test_it_lets_the_county_generate_and_not_a_township(people, client):
    client.force_login(people["inspector"])
    assert client.post("/reports/monthly/generate/", {"month": "2026-10"}).status_code == 403

    client.force_login(people["supervisor"])
    client.post("/reports/monthly/generate/", {"month": "2026-10"})
    assert MonthlyReport.objects.filter(year=2026, month=10).exists()
