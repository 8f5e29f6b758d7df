"""The Excel ledger with the queue's filters, and importing complaints from a sheet."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from cases import imports
from cases.complaint_inputs import REPRESENTATIVES_NEEDED
from cases.models import Case
from core import sheet_import
from core.validators import ID_NUMBER_CHECK_DIGIT, PHONE_INVALID
from tests.cases.complaint_support import id_number
from tests.factories import VALID_IDS, claimant, file_case

pytestmark = pytest.mark.django_db


def sheet_values(content: bytes, title: str) -> list[list]:
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook[title].iter_rows(values_only=True)]


# --- export ------------------------------------------------------------------------------------


def test_it_exports_the_ledger_with_the_current_filters(client, people):
    wage = file_case(employer="甲公司", claimants=[claimant(0, amount="5000"), claimant(1)])
    file_case(employer="乙公司", kind="labor_dispute", claimants=[claimant(2)])
    file_case(employer="丙公司", township="zhaokang", claimants=[claimant(3)])
    client.force_login(people["inspector"])

    response = client.get("/workbench/ledger.xlsx?kind=wage_arrears")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    cases = sheet_values(content, "案件台账")
    assert cases[0][:3] == ["案件编号", "类型", "状态"]
    assert [row[0] for row in cases[1:]] == [wage.number]
    assert cases[1][4] == "甲公司" and cases[1][9] == 2 and cases[1][10] == 13000
    claims = sheet_values(content, "请求人")
    assert [row[1] for row in claims[1:]] == ["工人0", "工人1"]


def test_it_masks_id_numbers_and_phones_in_the_ledger(client, people):
    file_case(claimants=[claimant(0)])
    client.force_login(people["inspector"])

    content = b"".join(client.get("/workbench/ledger.xlsx").streaming_content)
    cells = [str(c) for row in sheet_values(content, "请求人") for c in row]

    assert VALID_IDS[0] not in cells and "13800130000" not in cells
    assert "110***********002X" in cells


# --- import ---------------------------------------------------------------------------------------


def row(ref, n, **overrides):
    values = {
        "source_ref": ref,
        "channel": "全国欠薪线索平台",
        "received_at": "2026-01-05 09:30",
        "kind": "欠薪投诉",
        "employer_name": "山西导入测试建筑有限公司",
        "employer_uscc": "",
        "employer_address": "新城镇建设路2号",
        "township": "新城镇",
        "construction": "是",
        "project_name": "导入测试项目",
        "description": "拖欠工资两个月",
        "name": f"导入工人{n}",
        "id_number": id_number(100 + n),
        "phone": f"1370000{n:04d}",
        "amount_claimed": 4000,
        "months_owed": 2,
        "is_representative": "",
        "backdate_reason": "平台线索集中补录",
    }
    values.update(overrides)
    return values


def sheet(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.title = imports.SHEET
    ws.append([header for _k, header, _r, _n in imports.COLUMNS])
    for values in rows:
        ws.append([values.get(key, "") for key, _h, _r, _n in imports.COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("import.xlsx", buffer.getvalue())


def upload(client, rows):
    return client.post("/workbench/import/", {"file": sheet(rows)})


def test_it_ships_a_template_with_the_column_layout(client, people):
    client.force_login(people["inspector"])

    response = client.get("/workbench/import/template.xlsx")

    headers = sheet_values(response.content, imports.SHEET)[0]
    assert headers == [header for _k, header, _r, _n in imports.COLUMNS]
    assert sheet_values(response.content, "示例")[1][0] == "XQ20260430001"


def test_it_imports_a_platform_export_and_a_hotline_ticket(client, people):
    client.force_login(people["inspector"])
    rows = [row("XQ1", 0), row("XQ1", 1)] + [
        row(
            "GD-12345-9",
            2,
            channel="12345热线",
            kind="劳动争议",
            employer_name="襄汾县某商贸公司",
            construction="否",
            project_name="",
            received_at="2026-01-06",
        )
    ]

    response = upload(client, rows)

    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok and [i.source_ref for i in report.imported] == ["XQ1", "GD-12345-9"]
    platform = Case.objects.get(number=report.imported[0].case_number)
    assert (platform.channel, platform.claims.count(), platform.sector) == (
        "platform",
        2,
        "construction",
    )
    assert platform.received_at.date().isoformat() == "2026-01-05"
    assert platform.events.get().actor == people["inspector"]
    hotline = Case.objects.get(number=report.imported[1].case_number)
    assert (hotline.channel, hotline.kind) == ("hotline_12345", "labor_dispute")


def test_it_imports_nothing_when_any_row_is_wrong_and_reports_each_problem(client, people):
    client.force_login(people["inspector"])
    rows = [
        row("XQ1", 0),
        row("XQ2", 1, id_number="110105194912310021"),
        row("XQ3", 2, phone="12345", amount_claimed=""),
        row("XQ4", 3, township="火星乡"),
    ]

    response = upload(client, rows)

    assert response.status_code == 400
    report = response.context["report"]
    problems = {(e.row, e.column, e.message) for e in report.errors}
    assert (3, "身份证号", ID_NUMBER_CHECK_DIGIT) in problems
    assert (4, "手机号", PHONE_INVALID) in problems
    assert any(e.row == 4 and e.column == "请求金额（元）" for e in report.errors)
    assert (5, "所在乡镇", imports.BAD_TOWNSHIP.format(value="火星乡")) in problems
    assert not Case.objects.exists()
    assert "未导入任何投诉" in response.content.decode()


def test_it_requires_representatives_for_a_collective_ticket(client, people):
    client.force_login(people["inspector"])

    response = upload(client, [row("XQ9", n) for n in range(10)])

    messages = [e.message for e in response.context["report"].errors]
    assert REPRESENTATIVES_NEEDED.format(minimum=10, low=3, high=5) in messages
    assert not Case.objects.exists()


def test_it_refuses_rows_outside_the_users_jurisdiction(client, people):
    client.force_login(people["inspector"])

    response = upload(client, [row("XQ1", 0, township="赵康镇")])

    errors = response.context["report"].errors
    assert [(e.row, e.message) for e in errors] == [(2, imports.OUT_OF_JURISDICTION)]


def test_it_refuses_a_complaint_whose_rows_disagree(client, people):
    client.force_login(people["inspector"])

    response = upload(client, [row("XQ1", 0), row("XQ1", 1, employer_name="另一家公司")])

    errors = response.context["report"].errors
    assert [(e.row, e.column) for e in errors] == [(3, "用人单位名称")]


def test_it_refuses_a_file_that_is_not_a_workbook(client, people):
    client.force_login(people["inspector"])

    response = client.post(
        "/workbench/import/", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )

    assert response.status_code == 400
    assert sheet_import.NOT_A_WORKBOOK in response.content.decode()


def test_it_links_a_reimported_complaint_to_its_open_case(client, people):
    client.force_login(people["inspector"])
    upload(client, [row("XQ1", 0)])

    response = upload(client, [row("XQ1", 0)])

    report = response.context["report"]
    assert report.ok and report.imported[0].created is False
    assert Case.objects.count() == 1
