"""The subsidy application list as an Excel workbook, with the list's filters.

Labels, never codes (policy, state, township, applicant kind), staff by name, and a
totals row. The workbook is written in openpyxl's write-only mode (rows streamed to the
file, not held as cell objects), and every row goes through core.spreadsheets so no
applicant name becomes a formula.
"""

import io

from django.utils import timezone
from openpyxl import Workbook

from core.spreadsheets import header_append, row_append

COLUMNS = [
    ("申请编号", 16),
    ("补贴政策", 18),
    ("申请人", 30),
    ("申请主体类型", 14),
    ("乡镇", 10),
    ("补贴期间起", 12),
    ("补贴期间止", 12),
    ("申请金额(元)", 14),
    ("核定金额(元)", 14),
    ("实际拨付金额(元)", 16),
    ("拨付日期", 12),
    ("拨付凭证号", 18),
    ("状态", 14),
    ("提交时间", 18),
    ("录入人", 10),
]
MAX_ROWS = 50_000


def person_name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _amount(value):
    return float(value) if value is not None else None


def application_list_workbook(applications, totals) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("补贴申请")
    for index, (_label, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    header_append(sheet, [label for label, _width in COLUMNS])
    for application in applications:
        row_append(
            sheet,
            [
                application.number,
                application.policy.name,
                application.applicant_name,
                application.get_applicant_kind_display(),
                application.township.name,
                application.period_start,
                application.period_end,
                _amount(application.requested_amount),
                _amount(application.computed_amount),
                _amount(application.paid_amount),
                application.paid_on,
                application.payment_reference,
                application.get_state_display(),
                timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
                person_name(application.submitted_by),
            ],
        )
    row_append(
        sheet,
        ["合计", f"{totals['count']}件", "", "", "", "", "", None]
        + [_amount(totals["computed"]), _amount(totals["paid"])],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
