"""The monthly dispatch (按月调度) as an Excel workbook, through core.spreadsheets."""

import io

from django.utils import timezone
from openpyxl import Workbook

from core.spreadsheets import header_append, row_append
from employment.figures import Dispatch

HEADERS = [
    "名次",
    "乡镇",
    "城镇新增就业任务",
    "城镇新增就业完成",
    "完成率%",
    "农村劳动力转移任务",
    "农村劳动力转移完成",
    "完成率%",
    "关停企业下岗职工",
    "已再就业",
    "再就业率%",
    "综合完成率%",
    "1+3+1超期人数",
    "滞后",
]


def _n(value):
    return "" if value is None else float(value)


def _corrections_append(sheet, corrections) -> None:
    """Below the table: the changes to earlier reported months (employment.reported)."""
    if not corrections:
        return
    row_append(sheet, [])
    row_append(sheet, ["对以前月份的更正"])
    header_append(sheet, ["月份", "乡镇", "指标", "原报数", "现数", "差额"])
    for line in corrections:
        row_append(
            sheet,
            [
                line["month"],
                line["township_name"],
                line["label"],
                line["reported"],
                line["now"],
                line["difference"],
            ],
        )


def dispatch_workbook(dispatch: Dispatch) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{dispatch.year}年{dispatch.month}月调度")
    row_append(sheet, [f"襄汾县稳就业工作按月调度（{dispatch.year}年{dispatch.month}月）"])
    note = (
        f"统计截至 {dispatch.end.isoformat()}；序时进度 {dispatch.time_progress}%；"
        "综合完成率低于序时进度的乡镇标为滞后。"
    )
    if dispatch.reported_at is not None:
        at = timezone.localtime(dispatch.reported_at).strftime("%Y-%m-%d %H:%M")
        note += f"已报送（{at}），为报送时的数字。"
    row_append(sheet, [note])
    header_append(sheet, HEADERS)
    for row in dispatch.rows:
        row_append(
            sheet,
            [
                row.rank,
                row.township.name,
                row.share_urban,
                row.urban_new,
                _n(row.urban_completion),
                row.share_rural,
                row.rural_transfer,
                _n(row.rural_completion),
                row.laid_off,
                row.reemployed,
                _n(row.rate),
                _n(row.score),
                row.overdue_people,
                "滞后" if row.laggard else "",
            ],
        )
    county = dispatch.county
    row_append(
        sheet,
        [
            "",
            "全县",
            dispatch.target.urban_new if dispatch.target else "",
            county.urban_new,
            "",
            dispatch.target.rural_transfer if dispatch.target else "",
            county.rural_transfer,
            "",
            county.laid_off,
            county.reemployed,
            _n(county.rate),
            "",
            "",
            "",
        ],
    )
    _corrections_append(sheet, dispatch.corrections)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
