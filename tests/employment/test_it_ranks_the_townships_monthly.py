import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from employment import figures, services
from employment.models import Category, Status
from tests.employment import support

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1  # a past year: every month is complete


def employ(actor, entry, on):
    services.ledger_status_change(
        actor=actor, entry_id=entry.pk, status=Status.EMPLOYED, mode="flexible", employed_on=on
    )


def test_it_ranks_by_the_mean_of_the_completion_ratios_and_marks_laggards():
    county = support.county()
    x, z = support.village("东村"), support.village("北村", township="zhaokang")
    plant = support.plant(county)
    support.target(YEAR, [("xincheng", 4, 2), ("zhaokang", 2, 4)])
    jan = dt.date(YEAR, 1, 10)
    # xincheng: 2 urban hires of a share of 4 (50%), 1 rural of 2 (50%), and 1 of its
    # 2 laid-off workers employed (50% against 90%: 55.6%) -> (50 + 50 + 55.6) / 3 = 51.9.
    a = support.entry(county, 0, x, category=Category.URBAN_UNEMPLOYED, entered_on=jan)
    b = support.entry(county, 1, x, category=Category.GRADUATE, entered_on=jan)
    c = support.entry(county, 2, x, category=Category.RURAL_TRANSFER, entered_on=jan)
    d = support.entry(county, 3, x, plant=plant, entered_on=jan)
    support.entry(county, 4, x, plant=plant, entered_on=jan)
    for entry in (a, b, c):
        employ(county, entry, dt.date(YEAR, 2, 1))
    employ(county, d, dt.date(YEAR, 2, 1))  # laid off, and urban new employment too
    # zhaokang: 2 rural of 4 (50%), no urban (0%), no laid-off workers -> 25.0.
    for i in (5, 6):
        e = support.entry(county, i, z, category=Category.RURAL_TRANSFER, entered_on=jan)
        employ(county, e, dt.date(YEAR, 6, 1))
    march = figures.monthly_dispatch(year=YEAR, month=3)
    rows = {r.township.code: r for r in march.rows}
    assert rows["xincheng"].urban_new == 3  # a, b and the laid-off d
    assert rows["xincheng"].urban_completion == Decimal("75.0")
    assert rows["xincheng"].rural_completion == Decimal("50.0")
    assert rows["xincheng"].rate == Decimal("50.0")
    assert rows["xincheng"].rate_completion == Decimal("55.6")
    assert rows["xincheng"].score == Decimal("60.2")  # (75 + 50 + 55.6) / 3
    # In March zhaokang's hires (June) have not happened: 0 of both shares.
    assert rows["zhaokang"].score == Decimal("0.0")
    assert [r.township.code for r in march.rows[:2]] == ["xincheng", "zhaokang"]
    assert march.time_progress == Decimal("25.0")
    assert not rows["xincheng"].laggard and rows["zhaokang"].laggard
    # Townships with no share and no laid-off workers have no score and are not ranked laggards.
    assert all(r.score is None and not r.laggard for r in march.rows[2:])
    june = {r.township.code: r for r in figures.monthly_dispatch(year=YEAR, month=6).rows}
    assert june["zhaokang"].rural_completion == Decimal("50.0")
    assert june["zhaokang"].score == Decimal("25.0")  # (0 + 50) / 2
    assert june["zhaokang"].laggard  # 25.0 < 50.0 (6/12)


def test_it_keeps_a_past_month_as_it_stood():
    county = support.county()
    x = support.village("东村")
    plant = support.plant(county)
    support.target(YEAR, [("xincheng", 1, 1)])
    entry = support.entry(county, 0, x, plant=plant, entered_on=dt.date(YEAR, 1, 5))
    employ(county, entry, dt.date(YEAR, 2, 1))
    services.ledger_status_change(
        actor=county, entry_id=entry.pk, status=Status.UNEMPLOYED, on=dt.date(YEAR, 5, 1)
    )

    def rate(month):
        rows = figures.monthly_dispatch(year=YEAR, month=month).rows
        return {r.township.code: r for r in rows}["xincheng"].rate

    assert rate(1) == Decimal("0.0")
    assert rate(3) == Decimal("100.0")
    assert rate(6) == Decimal("0.0")


def test_it_serves_the_dispatch_as_page_excel_and_api():
    import io

    from openpyxl import load_workbook

    county = support.county()
    support.target(YEAR, [("xincheng", 10, 10)])
    c = Client()
    c.force_login(county)
    page = c.get(f"/employment/dispatch/?year={YEAR}&month=3")
    assert "按月调度" in page.content.decode()
    book = load_workbook(
        io.BytesIO(c.get(f"/employment/dispatch.xlsx?year={YEAR}&month=3").content)
    )
    rows = list(book.active.values)
    assert rows[2][0] == "名次"
    api = c.get(f"/api/v1/employment/dispatch/?year={YEAR}&month=3").json()
    assert api["time_progress"] == "25.0"
    assert len(api["rows"]) == len(rows) - 4  # title, note, header, county total
