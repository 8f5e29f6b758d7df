"""Import complaints from a spreadsheet: the national wage-arrears clue platform's
export and the 12345/12333 hotline tickets, in one column layout (COLUMNS).

One row per worker. Rows with the same source reference (the platform's clue number or
the hotline ticket number) are one complaint; a collective complaint has ten or more
rows. Every complaint is validated by cases.complaint_inputs.ComplaintInput, exactly as the
API and the portal validate theirs.

All or nothing: if any row is wrong, nothing is imported and the report lists every
problem by row and column. A sheet is one batch from one source; importing part of it
would leave the clerk to work out which rows are still missing, and a second upload of
the corrected sheet would then meet its own first half (linked as duplicates, but
noisily). After the fix, the whole sheet goes in at once, in one transaction.

The file is read by core.sheet_import (its size, DTD, blank-row and time guards); this
module holds the complaint layout, its template and the checks of each complaint.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from cases import filing, staff_entry
from cases.complaint_inputs import ComplaintInput
from cases.models import CaseKind, Channel, SourceReference
from config import form_errors
from core import sheet_import
from core.models import Township
from core.sheet_import import ImportReport, RowError, cell_str
from core.spreadsheets import header_append, row_append
from rules import parameters as rules
from rules import wording

# key, header, required, note (shown on the template's 说明 sheet)
COLUMNS = [
    (
        "source_ref",
        "来源编号",
        True,
        "平台线索编号或热线工单号；同一编号的多行为同一投诉（多名劳动者）",
    ),
    ("channel", "来源渠道", True, "全国欠薪线索平台 / 12345热线 / 12333热线"),
    ("received_at", "收到时间", True, "原渠道收到投诉的时间，如 2026-04-30 10:15；不能晚于现在"),
    ("kind", "投诉类型", True, "欠薪投诉 / 劳动争议"),
    ("employer_name", "用人单位名称", True, ""),
    ("employer_uscc", "统一社会信用代码", False, "18位，可不填"),
    ("employer_address", "用人单位地址", False, ""),
    ("township", "所在乡镇", True, "乡镇名称（如 新城镇）或代码（如 xincheng）"),
    ("construction", "是否工程建设领域", False, "是 / 否"),
    ("project_name", "项目名称", False, "工程建设领域必填"),
    ("description", "诉求描述", True, ""),
    ("name", "劳动者姓名", True, ""),
    ("id_number", "身份证号", True, "18位，校验位须正确"),
    ("phone", "手机号", True, "11位手机号"),
    ("amount_claimed", "请求金额（元）", True, ""),
    ("months_owed", "欠薪月数", False, ""),
    (
        "is_representative",
        "是否代表人",
        False,
        wording.text(
            "{n}人以上的集体投诉须推选{low}至{high}名代表人，填“是”",
            n=lambda: str(rules.int_parameter("collective_min_claimants")),
            low=lambda: str(rules.int_parameter("representatives_min")),
            high=lambda: str(rules.int_parameter("representatives_max")),
        ),
    ),
    (
        "backdate_reason",
        "补录原因",
        False,
        "收到时间不是最近几天的，须写明补录原因（如热线工单转办延误）",
    ),
    (
        "platform_due",
        "平台办理期限",
        False,
        "全国欠薪线索平台要求办结的日期，如 2026-05-30；临近时系统预警",
    ),
]
HEADERS = {header: key for key, header, _r, _n in COLUMNS}
LABELS = {key: header for key, header, _r, _n in COLUMNS}
COMPLAINT_KEYS = [
    "channel",
    "received_at",
    "backdate_reason",
    "kind",
    "employer_name",
    "employer_uscc",
    "employer_address",
    "township",
    "construction",
    "project_name",
    "description",
    "platform_due",
]
IMPORT_CHANNELS = [Channel.PLATFORM, Channel.HOTLINE_12345, Channel.HOTLINE_12333]
SHEET = "投诉"

REQUIRED = "必填。"
INCONSISTENT = "与同一来源编号的第{row}行不一致（同一投诉的这一列须相同）。"
BAD_CHANNEL = "来源渠道应为：全国欠薪线索平台、12345热线或12333热线。"
BAD_KIND = "投诉类型应为“欠薪投诉”或“劳动争议”。"
BAD_TOWNSHIP = "未知的乡镇“{value}”。"
# Jurisdiction and the received time are checked by ComplaintInput, through the rules
# every staff entry shares (cases.staff_entry).
OUT_OF_JURISDICTION = staff_entry.OUT_OF_JURISDICTION
BAD_DATE = "无法识别的时间，请写成 2026-04-30 10:15 的格式。"
BAD_YES_NO = "请填“是”或“否”。"
PROJECT_REQUIRED = "工程建设领域须填写项目名称。"

_YES = {"是", "y", "yes", "true", "1", "√"}
_NO = {"否", "n", "no", "false", "0", ""}


@dataclass
class ImportedComplaint:
    source_ref: str
    rows: list[int]
    case_number: str
    created: bool


def template_workbook() -> bytes:
    """The column layout to fill in, with notes and an example on separate sheets."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    header_append(sheet, [header for _k, header, _r, _n in COLUMNS])
    for index in range(len(COLUMNS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 16
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet("说明")
    header_append(notes, ["列名", "必填", "说明"])
    for _k, header, required, note in COLUMNS:
        row_append(notes, [header, "是" if required else "", str(note)])
    row_append(notes, [])
    row_append(
        notes, ["每行一名劳动者；同一来源编号的多行合并为一个投诉。任何一行有误则整表不导入。"]
    )
    example = workbook.create_sheet("示例")
    header_append(example, [header for _k, header, _r, _n in COLUMNS])
    row_append(
        example,
        [
            "XQ20260430001",
            "全国欠薪线索平台",
            "2026-04-30 10:15",
            "欠薪投诉",
            "山西示例建筑工程有限公司",
            "",
            "新城镇建设路1号",
            "新城镇",
            "是",
            "新城镇示例小区二期",
            "工地拖欠三个月工资",
            "张三",
            "11010519491231002X",
            "13800138000",
            "12000",
            "3",
            "",
            "平台线索转办，集中补录",
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_rows(upload) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The complaint sheet's rows (core.sheet_import, with its guards)."""
    return sheet_import.read_rows(upload, columns=COLUMNS, sheet_name=SHEET)


def _received_at(value):
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9, 0))
    text = cell_str(value).replace("/", "-").replace("T", " ")
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _yes_no(value):
    text = cell_str(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None


class _Group:
    def __init__(self, ref):
        self.ref = ref
        self.rows: list[tuple[int, dict]] = []
        self.platform_due: dt.date | None = None


def import_complaints(upload, *, request) -> ImportReport:
    """Validate every row; import all complaints in one transaction, or none."""
    report = ImportReport()
    rows, problems = read_rows(upload)
    report.rows_read = len(rows)
    if problems:
        report.errors = problems
        return report
    townships = {t.code: t for t in Township.objects.all()} | {
        t.name: t for t in Township.objects.all()
    }
    groups: dict[str, _Group] = {}
    for number, record in rows:
        ref = cell_str(record.get("source_ref"))
        if not ref:
            report.errors.append(RowError(number, LABELS["source_ref"], REQUIRED))
            continue
        groups.setdefault(ref, _Group(ref)).rows.append((number, record))
    validated = []
    for group in groups.values():
        data = _validate_group(group, townships, request, report.errors)
        if data is not None:
            validated.append((group, data))
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        return report
    with transaction.atomic():
        for group, data in validated:
            result = filing.complaint_file_validated(data=data, actor=request.user)
            # The clue keeps its number, so its outcome can go back keyed by it.
            SourceReference.objects.update_or_create(
                channel=data["channel"],
                ref=group.ref,
                defaults={"case": result.case, "platform_due": group.platform_due},
            )
            report.imported.append(
                ImportedComplaint(
                    source_ref=group.ref,
                    rows=[n for n, _r in group.rows],
                    case_number=result.case.number,
                    created=result.created,
                )
            )
    return report


def _validate_group(group, townships, request, problems) -> dict | None:
    first_row, first = group.rows[0]
    before = len(problems)

    def problem(row, key, message):
        problems.append(RowError(row, LABELS.get(key, key), message))

    # Complaint-level columns: the same on every row of the complaint.
    for number, record in group.rows[1:]:
        for key in COMPLAINT_KEYS:
            value = cell_str(record.get(key))
            if value and value != cell_str(first.get(key)):
                problem(number, key, INCONSISTENT.format(row=first_row))
    channel = _channel(cell_str(first.get("channel")))
    if channel is None:
        problem(first_row, "channel", BAD_CHANNEL)
    kind = _kind(cell_str(first.get("kind")))
    if kind is None:
        problem(first_row, "kind", BAD_KIND)
    township = townships.get(cell_str(first.get("township")))
    if township is None:
        problem(
            first_row, "township", BAD_TOWNSHIP.format(value=cell_str(first.get("township")) or "")
        )
    received = _received_at(first.get("received_at"))
    if received is None:
        problem(first_row, "received_at", BAD_DATE)
    if cell_str(first.get("platform_due")):
        due = _received_at(first.get("platform_due"))
        if due is None:
            problem(first_row, "platform_due", BAD_DATE)
        else:
            group.platform_due = due.date()
    construction = _yes_no(first.get("construction"))
    if construction is None:
        problem(first_row, "construction", BAD_YES_NO)
    elif construction and not cell_str(first.get("project_name")):
        problem(first_row, "project_name", PROJECT_REQUIRED)
    representatives = []
    for number, record in group.rows:
        flag = _yes_no(record.get("is_representative"))
        if flag is None:
            problem(number, "is_representative", BAD_YES_NO)
        representatives.append(bool(flag))
    if len(problems) > before:
        return None

    payload = {
        "kind": kind,
        "employer": {
            "name": cell_str(first.get("employer_name")),
            "uscc": cell_str(first.get("employer_uscc")),
            "address": cell_str(first.get("employer_address")),
            "township": township.code,
        },
        "claimants": [
            {
                "name": cell_str(record.get("name")),
                "id_number": cell_str(record.get("id_number")),
                "phone": cell_str(record.get("phone")),
                "amount_claimed": cell_str(record.get("amount_claimed")),
                "months_owed": cell_str(record.get("months_owed")) or None,
                "is_representative": representatives[i],
            }
            for i, (_n, record) in enumerate(group.rows)
        ],
        "description": cell_str(first.get("description")),
        "sector": "construction" if construction else "",
        "project_name": cell_str(first.get("project_name")) if construction else "",
        "channel": channel,
        "received_at": timezone.make_aware(received).isoformat(),
        "backdate_reason": cell_str(first.get("backdate_reason")),
    }
    serializer = ComplaintInput(data=payload, context={"request": request})
    if serializer.is_valid():
        return serializer.validated_data
    _map_errors(serializer.errors, group, problem)
    return None


_TOP_COLUMN = {
    "kind": "kind",
    "description": "description",
    "sector": "construction",
    "project_name": "project_name",
    "channel": "channel",
    "received_at": "received_at",
    "backdate_reason": "backdate_reason",
}
_EMPLOYER_COLUMN = {
    "name": "employer_name",
    "uscc": "employer_uscc",
    "address": "employer_address",
    "township": "township",
}


def _map_errors(errors, group, problem):
    first_row = group.rows[0][0]
    for key, detail in errors.items():
        if key == "employer" and isinstance(detail, dict):
            for sub, messages in detail.items():
                for message in form_errors.messages(messages):
                    problem(first_row, _EMPLOYER_COLUMN.get(sub, "employer_name"), message)
        elif key == "claimants" and _per_row(detail):
            # DRF reports a list's items either as a list or as {index: errors}.
            items = detail.items() if isinstance(detail, dict) else enumerate(detail)
            for index, row_errors in items:
                number = group.rows[int(index)][0]
                for sub, messages in (row_errors or {}).items():
                    for message in form_errors.messages(messages):
                        problem(number, sub, message)
        else:
            for message in form_errors.messages(detail):
                problem(
                    first_row, _TOP_COLUMN.get(key, "name" if key == "claimants" else key), message
                )


def _per_row(detail) -> bool:
    if isinstance(detail, dict):
        return bool(detail) and all(str(k).isdigit() for k in detail)
    return bool(detail) and all(isinstance(d, dict) for d in detail)


def _channel(text):
    for code in IMPORT_CHANNELS:
        if text in (code.value, code.label, code.label.replace("热线", "")):
            return code.value
    return None


def _kind(text):
    for value, label in CaseKind.choices:
        if text in (value, label):
            return value
    return None
