"""Reading an uploaded Excel sheet for an all-or-nothing import, within bounds.

Every import (the complaints of cases.imports, employment's plant rosters and villages)
reads its file here, so each gets the same guards whatever the file holds: no XML
document type definition (Excel never writes one; only a crafted file has it), a cap on
the unpacked size, on the rows read including blank ones, on the columns and on the
time, and a long run of blank rows ends the table. What cannot be read comes back as a
RowError with a plain Chinese reason, never an exception.
"""

import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

# (key, header, required, note): one column of an importer's layout.
Columns = Sequence[tuple[str, str, bool, Any]]

# Rows of data one import may hold.
MAX_ROWS = 5000
# Bounds on reading a sheet, whatever it holds: rows read including blank ones, the
# columns of a row, the time spent; a run of this many blank rows ends the data (Excel
# keeps formatted empty rows after a table; a file of nothing but blank rows once held a
# thread for minutes).
MAX_SHEET_ROWS = 2 * MAX_ROWS
MAX_COLUMNS = 64
BLANK_ROWS_END = 200
MAX_READ_SECONDS = 30
# The workbook's parts, unpacked: openpyxl scans a whole sheet before the first row when
# it lacks a <dimension> (no row bound helps there). 5,000 full rows take about 7 MB.
MAX_UNPACKED_BYTES = 16 * 1024 * 1024

NOT_A_WORKBOOK = "无法读取该文件：请上传 .xlsx 格式的 Excel 文件（可先下载模板）。"
XML_DTD_REFUSED = (
    "文件中含有Excel不会生成的XML文档类型定义（DTD），不予读取。请用Excel另存为 .xlsx 后重新上传。"
)
# Excel never writes a DTD; one can only come from a crafted file. A DTD must precede
# the root element, so the start of each XML part is enough to find it.
_PROLOG_BYTES = 64 * 1024
MISSING_COLUMNS = "缺少以下列：{columns}。请使用模板的表头。"
NO_ROWS = "表格中没有数据行。"
TOO_MANY_ROWS = "一次最多导入{limit}行，请分批导入。"
TOO_MANY_SHEET_ROWS = "表格行数（含空行）超过{limit}行，请删除多余的空行或分批导入。"
TOO_SLOW = "表格读取超过{seconds}秒仍未完成，请删除多余的空行和格式后分批导入。"
TOO_LARGE_UNPACKED = "表格内容过大（解压后超过{limit}MB），请删除多余的空行和格式后分批导入。"


@dataclass
class RowError:
    """One problem, by sheet row (0: the file as a whole) and column header."""

    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    """The answer to an all-or-nothing import: every problem, or what went in."""

    errors: list[RowError] = field(default_factory=list)
    # What went in, as the caller records it (complaints, ledger entries, villages).
    imported: list[Any] = field(default_factory=list)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def cell_str(value) -> str:
    """A cell as the text a person typed: 12.0 is "12", None is "", no outer spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(
    upload, *, columns: Columns, sheet_name: str
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """(row number, {key: value}) for every non-blank row, or the reason it can't be read.

    `columns` is the importer's layout, (key, header, required, note) per column; the
    sheet named `sheet_name` is read, or the first one when there is none by that name.
    """
    if _declares_dtd(upload):
        return [], [RowError(0, "", XML_DTD_REFUSED)]
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return [], [RowError(0, "", NOT_A_WORKBOOK)]
    if unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // (1024 * 1024)
        return [], [RowError(0, "", TOO_LARGE_UNPACKED.format(limit=limit))]
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many unrelated classes for a bad file
        return [], [RowError(0, "", NOT_A_WORKBOOK)]
    try:
        return _sheet_rows(workbook, columns, sheet_name)
    except Exception:  # read-only mode parses each sheet's XML only while iterating
        return [], [RowError(0, "", NOT_A_WORKBOOK)]
    finally:
        workbook.close()


def _declares_dtd(upload) -> bool:
    """Whether any XML part of the package declares a DTD (entities, external ones)."""
    try:
        with zipfile.ZipFile(upload) as package:
            for member in package.infolist():
                with package.open(member) as part:
                    prolog = part.read(_PROLOG_BYTES)
                if prolog.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 XML
                    prolog = prolog.decode("utf-16", errors="ignore").encode()
                if b"<!DOCTYPE" in prolog.upper():
                    return True
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
        return False  # not a readable package: load_workbook says so
    finally:
        upload.seek(0)
    return False


def _sheet_rows(workbook, columns, sheet_name) -> tuple[list[tuple[int, dict]], list[RowError]]:
    started = time.monotonic()
    headers = {header: key for key, header, _r, _n in columns}
    if sheet_name in workbook.sheetnames:
        sheet = workbook[sheet_name]
    else:
        sheet = workbook.worksheets[0]
    # One row past the bound, to tell "exactly at it" from "beyond it".
    rows = sheet.iter_rows(max_row=MAX_SHEET_ROWS + 2, max_col=MAX_COLUMNS, values_only=True)
    header = [cell_str(h) for h in next(rows, [])]
    keys = [headers.get(h) for h in header]
    missing = [h for k, h, required, _n in columns if required and k not in keys]
    if missing:
        return [], [RowError(1, "", MISSING_COLUMNS.format(columns="、".join(missing)))]
    found, blank_run = [], 0
    for number, values in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS + 1:
            return [], [RowError(0, "", TOO_MANY_SHEET_ROWS.format(limit=MAX_SHEET_ROWS))]
        if time.monotonic() - started > MAX_READ_SECONDS:
            return [], [RowError(number, "", TOO_SLOW.format(seconds=MAX_READ_SECONDS))]
        record = {key: values[i] for i, key in enumerate(keys) if key and i < len(values)}
        if all(cell_str(v) == "" for v in record.values()):
            blank_run += 1
            if blank_run >= BLANK_ROWS_END:
                break  # the end of the table; what follows is formatting
            continue
        blank_run = 0
        found.append((number, record))
        if len(found) > MAX_ROWS:
            return [], [RowError(0, "", TOO_MANY_ROWS.format(limit=MAX_ROWS))]
    if not found:
        return [], [RowError(0, "", NO_ROWS)]
    return found, []
