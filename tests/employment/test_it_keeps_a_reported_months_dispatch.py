"""A reported month's dispatch does not change: the monthly report keeps it, and a
later, back-dated ledger change shows as a correction in the next month's dispatch."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from employment import figures, reported, services
from employment.models import Category, ReportedDispatch, Status
from reports import services as report_services
from tests.employment import support

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1  # a past year: November and December are over
TODAY = dt.date(YEAR + 1, 1, 3)


def employ(actor, entry, on):
    services.ledger_status_change(
        actor=actor, entry_id=entry.pk, status=Status.EMPLOYED, mode="flexible", employed_on=on
    )


def xincheng(dispatch):
    return {row.township.code: row for row in dispatch.rows}["xincheng"]


@pytest.fixture
def november(reference_data):
    county = support.county()
    x = support.village("东村")
    support.target(YEAR, [("xincheng", 4, 2)])
    jan = dt.date(YEAR, 1, 10)
    early = support.entry(county, 0, x, category=Category.URBAN_UNEMPLOYED, entered_on=jan)
    late = support.entry(county, 1, x, category=Category.URBAN_UNEMPLOYED, entered_on=jan)
    employ(county, early, dt.date(YEAR, 3, 1))
    report_services.monthly_report_generate(year=YEAR, month=11, today=TODAY)
    return county, late


def test_it_keeps_the_dispatch_with_the_monthly_report(november):
    kept = ReportedDispatch.objects.get(year=YEAR, month=11)
    assert kept.reported_by is None
    november_dispatch = reported.dispatch_for_month(year=YEAR, month=11)
    assert november_dispatch.reported_at == kept.reported_at
    assert xincheng(november_dispatch).urban_new == 1


def test_a_back_dated_change_leaves_november_and_corrects_in_december(november):
    county, late = november
    employ(county, late, dt.date(YEAR, 11, 20))  # entered now, dated into November

    # Counted now, November has two; as reported it keeps one.
    assert xincheng(figures.monthly_dispatch(year=YEAR, month=11)).urban_new == 2
    kept = reported.dispatch_for_month(year=YEAR, month=11)
    assert xincheng(kept).urban_new == 1
    assert str(xincheng(kept).urban_completion) == "25.0"

    december = reported.dispatch_for_month(year=YEAR, month=12, today=TODAY)
    assert december.reported_at is None
    assert xincheng(december).urban_new == 2
    lines = {(c["month"], c["township"], c["figure"]): c for c in december.corrections}
    line = lines[(f"{YEAR}-11", "xincheng", "urban_new")]
    assert (line["reported"], line["now"], line["difference"]) == (1, 2, 1)
    assert lines[(f"{YEAR}-11", "", "urban_new")]["township_name"] == "全县"
    assert not [c for c in december.corrections if c["figure"] != "urban_new"]

    # December's own report keeps the correction with it.
    report_services.monthly_report_generate(year=YEAR, month=12, today=TODAY)
    assert ReportedDispatch.objects.get(year=YEAR, month=12).corrections == december.corrections


def test_the_page_excel_and_api_show_the_kept_figures(november):
    county, late = november
    employ(county, late, dt.date(YEAR, 11, 20))
    client = Client()
    client.force_login(county)

    page = client.get(f"/employment/dispatch/?year={YEAR}&month=11").content.decode()
    assert "已报送" in page
    assert "4 / 1" in page  # share / done as reported
    api = client.get(f"/api/v1/employment/dispatch/?year={YEAR}&month=11").json()
    assert api["reported_at"] is not None
    assert {r["township"]: r for r in api["rows"]}["xincheng"]["urban_new"] == 1
    book = load_workbook(
        io.BytesIO(client.get(f"/employment/dispatch.xlsx?year={YEAR}&month=11").content)
    )
    assert "已报送" in list(book.active.values)[1][0]

    december = client.get(f"/employment/dispatch/?year={YEAR}&month=12").content.decode()
    assert "对以前月份的更正" in december
    assert f'data-correction="{YEAR}-11 xincheng urban_new"' in december
    rows = list(
        load_workbook(
            io.BytesIO(client.get(f"/employment/dispatch.xlsx?year={YEAR}&month=12").content)
        ).active.values
    )
    assert (f"{YEAR}-11", "新城镇", "城镇新增就业", 1, 2, 1) in [row[:6] for row in rows]
    api = client.get(f"/api/v1/employment/dispatch/?year={YEAR}&month=12").json()
    assert api["reported_at"] is None
    assert any(c["month"] == f"{YEAR}-11" and c["difference"] == 1 for c in api["corrections"])


def test_the_command_keeps_the_dispatch_too(reference_data):
    support.target(YEAR, [("xincheng", 4, 2)])
    call_command("monthly_report", month=f"{YEAR}-10", stdout=io.StringIO())
    assert ReportedDispatch.objects.filter(year=YEAR, month=10).exists()
