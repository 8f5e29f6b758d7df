import io

import pytest
from django.test import Client
from openpyxl import Workbook

from employment import imports
from employment.models import Category, LedgerEntry, ServiceItem
from tests.employment import support

pytestmark = pytest.mark.django_db

HEADER = [
    "姓名",
    "身份证号",
    "手机号",
    "现居乡镇",
    "现居村（社区）",
    "就业意愿",
    "培训需求",
    "登记日期",
]


def sheet(rows) -> io.BytesIO:
    workbook = Workbook()
    ws = workbook.active
    ws.title = imports.ROSTER_SHEET
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "roster.xlsx"
    return buffer


@pytest.fixture
def plant():
    support.village("东村")
    support.village("北村", township="zhaokang")
    return support.plant(support.county("importer"))


GOOD = [
    ["工人一", support.IDS[0], "13900000001", "新城镇", "东村", "是", "焊工", "2024-03-01"],
    ["工人二", support.IDS[1], "", "赵康镇", "北村", "否", "", ""],
    ["工人三", support.IDS[2], "13900000003", "xincheng", "东村", "", "", ""],
]


def test_it_imports_nothing_and_names_every_bad_cell(plant):
    bad = [
        GOOD[0],
        ["工人二", "110105194912310039", "123", "新城镇", "西村", "也许", "", "昨天"],
        ["", support.IDS[0], "", "火星镇", "东村", "", "", ""],
    ]
    report = imports.plant_roster_import(
        actor=support.county("checker"), plant=plant, upload=sheet(bad)
    )
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "身份证号"),
        (3, "手机号"),
        (3, "现居村（社区）"),
        (3, "就业意愿"),
        (3, "登记日期"),
        (4, "姓名"),
        (4, "身份证号"),  # the same number as row 2
        (4, "现居乡镇"),
    }
    assert LedgerEntry.objects.count() == 0


def test_it_imports_the_whole_clean_roster_then_refuses_it_twice(plant):
    county = support.county("checker")
    report = imports.plant_roster_import(actor=county, plant=plant, upload=sheet(GOOD))
    assert report.ok, report.errors
    entries = LedgerEntry.objects.filter(plant=plant)
    assert entries.count() == 3
    assert set(entries.values_list("category", flat=True)) == {Category.LAID_OFF}
    assert {e.township.code for e in entries} == {"xincheng", "zhaokang"}
    # Who wants neither work nor training is owed no 1+3+1.
    assert ServiceItem.objects.filter(entry__in=entries).count() == 2 * 5
    again = imports.plant_roster_import(actor=county, plant=plant, upload=sheet(GOOD))
    assert not again.ok
    assert {e.row for e in again.errors} == {2, 3, 4}
    assert entries.count() == 3


def test_it_imports_through_the_page_and_the_api(plant):
    station = support.user("station", "employment_station", townships=["xincheng"])
    c = Client()
    c.force_login(station)
    bad = [GOOD[0], ["工人二", "123", "", "新城镇", "东村", "", "", ""]]
    page = c.post(f"/employment/plants/{plant.pk}/", {"file": sheet(bad)})
    assert page.status_code == 200
    assert "未导入" in page.content.decode()
    api = c.post(f"/api/v1/employment/plants/{plant.pk}/roster/", {"file": sheet(bad)})
    assert api.status_code == 400
    assert api.json()["errors"]["rows"][0]["row"] == 3
    good = c.post(f"/api/v1/employment/plants/{plant.pk}/roster/", {"file": sheet(GOOD)})
    assert good.status_code == 201
    assert good.json() == {"imported": 3}


def test_it_lets_no_steward_import(plant):
    village = support.village("西村")
    steward = support.user("steward", "employment_steward", villages=[village])
    c = Client()
    c.force_login(steward)
    response = c.post(f"/api/v1/employment/plants/{plant.pk}/roster/", {"file": sheet(GOOD)})
    assert response.status_code == 403
    assert LedgerEntry.objects.count() == 0
