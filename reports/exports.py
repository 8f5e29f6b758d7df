"""A statistics report as an Excel workbook: labels, not codes; every text cell through
core.spreadsheets, so nothing exported can become a formula."""

import io
from decimal import Decimal

from openpyxl import Workbook

from cases import statistics
from core.spreadsheets import header_append, row_append

AMOUNT_LABELS = {
    "claimed": "请求金额(元)",
    "ordered": "责令支付金额(元)",
    "agreed": "调解协议金额(元)",
    "awarded": "裁决金额(元)",
    "recovered": "追回金额(元)",
}
GROUP_COLUMNS = [statistics.FIGURES[name].label for name in statistics.TABLE_FIGURES]
SUBSIDY_COLUMNS = [
    "受理申请数",
    "批准件数",
    "批准金额(元)",
    "拨付件数",
    "拨付金额(元)",
    "拨付人数",
]


def _percent(rate) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def _sheet(workbook, title, header):
    sheet = workbook.create_sheet(title)
    header_append(sheet, header)
    return sheet


def _case_sheet(workbook, report) -> None:
    cases = report["cases"]
    sheet = _sheet(workbook, "案件统计", ["指标", "数值"])
    row_append(sheet, ["统计期间", f"{report['period_start']} 至 {report['period_end']}"])
    for name, figure in statistics.FIGURES.items():
        row_append(sheet, [figure.label, cases["counts"][name]])
    row_append(sheet, ["办结率", _percent(cases["closure_rate"])])
    row_append(sheet, ["时限办结率", _percent(cases["on_time_rate"])])
    row_append(sheet, ["受理平均用时中位数(天)", cases["median_days_to_acceptance"]])
    row_append(sheet, ["办结用时中位数(天)", cases["median_days_to_closure"]])
    row_append(sheet, ["帮助劳动者人数", cases["workers_helped"]])
    for key, label in AMOUNT_LABELS.items():
        row_append(sheet, [label, float(Decimal(cases["amounts"][key]))])


def _group_sheet(workbook, title, first, rows) -> None:
    sheet = _sheet(workbook, title, [first, *GROUP_COLUMNS, "办结率", "时限办结率"])
    for row in rows:
        counts = [row["counts"][name] for name in statistics.TABLE_FIGURES]
        rates = [_percent(row["closure_rate"]), _percent(row["on_time_rate"])]
        row_append(sheet, [row["label"], *counts, *rates])


def _subsidy_sheet(workbook, title, first, rows) -> None:
    sheet = _sheet(workbook, title, [first, *SUBSIDY_COLUMNS])
    for row in rows:
        row_append(
            sheet,
            [
                row["label"],
                row["received"],
                row["approved"],
                float(Decimal(row["approved_amount"])),
                row["paid"],
                float(Decimal(row["paid_amount"])),
                row["paid_people"],
            ],
        )


def _corrections_sheet(workbook, corrections) -> None:
    sheet = _sheet(workbook, "对以前月份的更正", ["月份", "指标", "原报数", "现数", "差额"])
    for line in corrections:
        row_append(
            sheet,
            [line["month"], line["label"], line["reported"], line["now"], line["difference"]],
        )


def report_workbook(report, corrections=None) -> bytes:
    workbook = Workbook(write_only=True)
    _case_sheet(workbook, report)
    _group_sheet(workbook, "分乡镇", "乡镇", report["by_township"])
    _group_sheet(workbook, "分程序", "程序", report["by_kind"])
    _group_sheet(workbook, "分来源渠道", "来源渠道", report["by_channel"])
    _subsidy_sheet(workbook, "补贴(按政策)", "政策", report["subsidies_by_policy"])
    _subsidy_sheet(workbook, "补贴(按乡镇)", "乡镇", report["subsidies_by_township"])
    # Reports kept before the funding source was counted have no such table.
    if "subsidies_by_funding_source" in report:
        _subsidy_sheet(
            workbook, "补贴(按资金来源)", "资金来源", report["subsidies_by_funding_source"]
        )
    if corrections is not None:
        _corrections_sheet(workbook, corrections)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CLUE_COLUMNS = [
    "线索编号",
    "案件编号",
    "是否受理",
    "不予受理原因",
    "当前状态",
    "追回金额(元)",
    "办结日期",
    "是否在法定时限内处理",
    "平台办理期限",
    "是否在平台期限内办结",
]


def _yes_no(value) -> str:
    return "" if value is None else ("是" if value else "否")


def clue_outcomes_workbook(rows) -> bytes:
    """The outcome of every imported clue, keyed by the platform's clue number, as the
    county uploads it back to the national wage-arrears clue platform."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, "线索办理结果", CLUE_COLUMNS)
    for row in rows:
        row_append(
            sheet,
            [
                row["ref"],
                row["case_number"],
                _yes_no(row["accepted"]),
                row["rejection_reason"],
                row["state"],
                float(row["recovered"]),
                row["closed_on"],
                _yes_no(row["in_time"]),
                row["platform_due"],
                _yes_no(row["within_platform_due"]),
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
