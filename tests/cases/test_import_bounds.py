"""Reading an import sheet is bounded: rows including blank ones, columns, time; a run
of blank rows ends the table. A file full of blank rows is answered at once."""

import io
import time

import pytest
from openpyxl import Workbook

from cases import imports
from core import sheet_import
from tests.cases.test_ledger import row

HEADER = [header for _k, header, _r, _n in imports.COLUMNS]
WIDTH = len(HEADER)


def workbook_bytes(rows, *, write_only=True) -> io.BytesIO:
    workbook = Workbook(write_only=write_only)
    ws = workbook.create_sheet(imports.SHEET)
    ws.append(HEADER)
    for values in rows:
        ws.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def blank_row_file(count) -> io.BytesIO:
    """A workbook whose sheet is the header and `count` rows of empty cells, written as
    XML directly (openpyxl takes minutes to write that many rows) and with no
    <dimension>, as in the file that held a thread for 146 s."""
    import zipfile

    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i + 1) for i in range(WIDTH)]
    cells = lambda r, values: "".join(  # noqa: E731
        f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>'
        for col, v in zip(letters, values, strict=True)
    )
    body = [f'<row r="1">{cells(1, HEADER)}</row>']
    body += [f'<row r="{r}">{cells(r, [""] * WIDTH)}</row>' for r in range(2, count + 2)]
    sheet_xml = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(body)
        + "</sheetData></worksheet>"
    )
    template = workbook_bytes([])
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = sheet_xml.encode()
            dst.writestr(item.filename, content)
    out.seek(0)
    return out


def data(n):
    values = row(f"REF-{n}", n)
    return [values.get(key, "") for key, _h, _r, _n in imports.COLUMNS]


def blank_rows(count):
    # Cells that hold empty strings: what a sheet "full of blank rows" carries.
    return (["" for _ in range(WIDTH)] for _ in range(count))


def test_a_file_full_of_blank_rows_is_answered_at_once():
    upload = blank_row_file(60_000)

    started = time.monotonic()
    rows, problems = imports.read_rows(upload)
    elapsed = time.monotonic() - started

    assert rows == []
    limit = sheet_import.MAX_UNPACKED_BYTES // (1024 * 1024)
    assert [p.message for p in problems] == [sheet_import.TOO_LARGE_UNPACKED.format(limit=limit)]
    assert elapsed < 2, elapsed


def test_blank_rows_after_the_data_are_not_read_one_by_one(monkeypatch):
    """Within the size bound: the table ends at the first long run of blank rows."""
    read = []
    real = sheet_import.cell_str
    monkeypatch.setattr(sheet_import, "cell_str", lambda value: read.append(1) or real(value))
    upload = workbook_bytes([data(1), *blank_rows(3_000)])

    rows, problems = imports.read_rows(upload)

    assert problems == [] and len(rows) == 1
    assert len(read) < (sheet_import.BLANK_ROWS_END + 10) * WIDTH


def test_a_run_of_blank_rows_ends_the_table():
    upload = workbook_bytes(
        [data(1), *blank_rows(3), data(2), *blank_rows(sheet_import.BLANK_ROWS_END)]
    )

    rows, problems = imports.read_rows(upload)

    assert problems == []
    assert [number for number, _r in rows] == [2, 6]


def test_it_bounds_the_rows_read_including_blank_ones(monkeypatch):
    monkeypatch.setattr(sheet_import, "MAX_SHEET_ROWS", 50)
    # Never a long enough blank run to end the table: one data row in every ten.
    sheet_rows = []
    for n in range(10):
        sheet_rows += [data(n), *blank_rows(9)]

    rows, problems = imports.read_rows(workbook_bytes(sheet_rows))

    assert rows == []
    assert [p.message for p in problems] == [sheet_import.TOO_MANY_SHEET_ROWS.format(limit=50)]


def test_it_bounds_the_time_spent_reading(monkeypatch):
    monkeypatch.setattr(sheet_import, "MAX_READ_SECONDS", -1)

    rows, problems = imports.read_rows(workbook_bytes([data(1)]))

    assert rows == []
    assert problems[0].message == sheet_import.TOO_SLOW.format(seconds=-1)


@pytest.mark.django_db
def test_the_import_page_says_so(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["inspector"])
    upload = SimpleUploadedFile("blank.xlsx", blank_row_file(60_000).getvalue())

    response = client.post("/workbench/import/", {"file": upload})

    assert response.status_code == 400
    assert "解压后超过" in response.content.decode()
