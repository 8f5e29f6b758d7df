"""The case ledger as an Excel workbook: the queue's cases with the current filters.

ID numbers and phones are masked: the ledger is printed and mailed around. The workbook
is written row by row to a file (openpyxl's write-only mode), the cases read a chunk at a
time, so a ledger of a hundred thousand cases costs no more memory than one of a hundred.
"""

import io
import tempfile

from django.utils import timezone
from openpyxl import Workbook

from cases.models import Channel
from cases.selectors import RISK_LEVELS
from core.spreadsheets import header_append, row_append

CASE_COLUMNS = [
    ("案件编号", 16),
    ("类型", 10),
    ("状态", 14),
    ("乡镇", 10),
    ("用人单位", 30),
    ("统一社会信用代码", 20),
    ("项目名称", 24),
    ("来源渠道", 14),
    ("集体案件", 8),
    ("请求人数", 8),
    ("请求金额(元)", 14),
    ("已追回(元)", 14),
    ("收到时间", 18),
    ("受理日期", 12),
    ("当前法定期限", 12),
    ("剩余天数", 8),
    ("风险等级", 8),
    ("风险分", 8),
]
CLAIM_COLUMNS = [
    ("案件编号", 16),
    ("姓名", 10),
    ("身份证号", 20),
    ("手机号", 14),
    ("请求金额(元)", 14),
    ("欠薪月数", 8),
    ("已追回(元)", 14),
    ("代表人", 8),
]
# An Excel sheet holds 1,048,576 rows; the claimants' sheet has at least one per case.
MAX_ROWS = 1_000_000
CHUNK = 1000


def _sheet(workbook, title, columns):
    sheet = workbook.create_sheet(title)
    for index, (_label, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _header(sheet, columns):
    header_append(sheet, [label for label, _width in columns])


def ledger_workbook(cases, today=None) -> bytes:
    buffer = io.BytesIO()
    ledger_write(cases, buffer, today)
    return buffer.getvalue()


def ledger_file(cases, today=None):
    """The workbook in a temporary file, rewound, for a streaming response."""
    target = tempfile.TemporaryFile()
    ledger_write(cases, target, today)
    target.seek(0)
    return target


def ledger_write(cases, target, today=None) -> None:
    today = today or timezone.localdate()
    workbook = Workbook(write_only=True)
    case_sheet = _sheet(workbook, "案件台账", CASE_COLUMNS)
    claim_sheet = _sheet(workbook, "请求人", CLAIM_COLUMNS)
    _header(case_sheet, CASE_COLUMNS)
    _header(claim_sheet, CLAIM_COLUMNS)
    channels = dict(Channel.choices)
    risk_levels = dict(RISK_LEVELS)
    for case in cases[:MAX_ROWS].iterator(chunk_size=CHUNK):
        claims = list(case.claims.all())
        days = case.days_left(today) if case.is_open else None
        row_append(
            case_sheet,
            [
                case.number,
                case.get_kind_display(),
                case.get_state_display(),
                case.township.name,
                case.employer.name,
                case.employer.uscc,
                case.project_name,
                channels.get(case.channel, case.channel),
                "是" if case.is_collective else "",
                len(claims),
                float(case.claimed_total),
                float(case.recovered_total),
                timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
                case.accepted_on,
                case.deadline,
                days,
                risk_levels.get(case.risk_level, case.risk_level),
                case.risk_score,
            ],
        )
        for claim in claims:
            row_append(
                claim_sheet,
                [
                    case.number,
                    claim.person.name,
                    claim.person.id_number_masked,
                    claim.person.phone_masked,
                    float(claim.amount_claimed),
                    claim.months_owed,
                    float(claim.amount_recovered),
                    "是" if claim.is_representative else "",
                ],
            )
    workbook.save(target)
