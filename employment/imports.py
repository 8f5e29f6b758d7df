"""Spreadsheets into the ledger: a closed plant's roster of laid-off workers, and the
villages the administrator loads.

The same machinery and the same rule as the case import (cases.imports): the file is
read by core.sheet_import with its guards (size, DTD, blank rows, time), every row is
checked, and if any row is wrong nothing is imported and the report lists every
problem by row and column.
"""

import datetime as dt
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from openpyxl import Workbook

from core import pii, validators
from core.models import Township, Village
from core.sheet_import import ImportReport, RowError, cell_str, read_rows
from core.spreadsheets import header_append, row_append
from employment import access, errors, services
from employment.errors import Forbidden
from employment.models import Category, ClosedPlant, LedgerEntry

ROSTER_SHEET = "花名册"
ROSTER_COLUMNS = [
    ("name", "姓名", True, ""),
    ("id_number", "身份证号", True, "18位，校验位须正确"),
    ("phone", "手机号", False, "11位手机号，用于推送岗位短信"),
    ("township", "现居乡镇", True, "乡镇名称（如 新城镇）或代码"),
    ("village", "现居村（社区）", True, "须是该乡镇已登记的村（社区）名称"),
    ("wants_work", "就业意愿", False, "是 / 否，不填为是"),
    ("training_needs", "培训需求", False, "如 电工、焊工、家政；没有可不填"),
    ("entered_on", "登记日期", False, "如 2024-03-01；不填为今天"),
]
VILLAGE_SHEET = "村社区"
VILLAGE_COLUMNS = [
    ("township", "乡镇", True, "乡镇名称或代码"),
    ("name", "村（社区）名称", True, ""),
    ("kind", "类别", False, "行政村 / 社区，不填为行政村"),
    ("code", "代码", False, "字母数字，不填则自动生成"),
]

REQUIRED = "必填。"
BAD_TOWNSHIP = "未知的乡镇“{value}”。"
BAD_VILLAGE = "{township}没有名为“{value}”的村（社区），请先由管理员导入。"
BAD_YES_NO = "请填“是”或“否”。"
BAD_DATE = "无法识别的日期，请写成 2024-03-01 的格式。"
DUPLICATE_IN_SHEET = "与第{row}行的身份证号相同。"
ALREADY_IN_LEDGER = "此人已在台账中（{village}）。"
BAD_KIND = "类别应为“行政村”或“社区”。"
VILLAGE_EXISTS = "该乡镇已有此村（社区）。"

_YES = {"是", "y", "yes", "true", "1", "√", ""}
_NO = {"否", "n", "no", "false", "0"}


def _townships() -> dict[str, Township]:
    found = {}
    for township in Township.objects.all():
        found[township.name] = found[township.code] = township
    return found


def template_workbook(columns, sheet_name, example) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_name
    header_append(sheet, [header for _k, header, _r, _n in columns])
    row_append(sheet, example)
    notes = workbook.create_sheet("说明")
    header_append(notes, ["列名", "必填", "说明"])
    for _k, header, required, note in columns:
        row_append(notes, [header, "是" if required else "", note])
    row_append(notes, [])
    row_append(notes, ["任何一行有误则整表不导入；改正后重新上传整张表。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_template() -> bytes:
    example = ["张三", "11010519491231002X", "13800138000", "新城镇", "示例村", "是", "电工", ""]
    return template_workbook(ROSTER_COLUMNS, ROSTER_SHEET, example)


def village_template() -> bytes:
    return template_workbook(VILLAGE_COLUMNS, VILLAGE_SHEET, ["新城镇", "城东社区", "社区", ""])


def plant_roster_import(*, actor, plant: ClosedPlant, upload) -> ImportReport:
    """The plant's laid-off workers into the ledger, all or nothing."""
    if not access.may_keep_township(actor, plant.township_id):
        raise Forbidden(errors.PLANT_NOT_FOUND)
    report = ImportReport()
    rows, problems = read_rows(upload, columns=ROSTER_COLUMNS, sheet_name=ROSTER_SHEET)
    report.rows_read = len(rows)
    if problems:
        report.errors = problems
        return report
    townships = _townships()
    villages = {(v.township_id, v.name): v for v in Village.objects.all()}
    valid = []
    seen: dict[str, int] = {}
    for number, record in rows:
        row = _roster_row(number, record, townships, villages, seen, report.errors)
        if row is not None:
            valid.append(row)
    if report.errors:
        return report
    indexes = {pii.blind_index(row["id_number"]): row for row in valid}
    already = LedgerEntry.objects.filter(person__id_number_index__in=indexes).select_related(
        "person", "village__township"
    )
    for entry in already:
        row = indexes[entry.person.id_number_index]
        report.errors.append(
            RowError(row["row"], "身份证号", ALREADY_IN_LEDGER.format(village=entry.village))
        )
    if report.errors:
        report.errors.sort(key=lambda e: e.row)
        return report
    with transaction.atomic():
        entries = [
            services.entry_add(
                actor=actor,
                name=row["name"],
                id_number=row["id_number"],
                phone=row["phone"],
                category=Category.LAID_OFF,
                village=row["village"],
                plant=plant,
                wants_work=row["wants_work"],
                training_needs=row["training_needs"],
                entered_on=row["entered_on"],
                note=f"{plant.name}花名册导入",
            )
            for row in valid
        ]
        services.services_create(entries)
        services.entries_changed([e.pk for e in entries])
    report.imported = entries
    return report


def _roster_row(number, record, townships, villages, seen, problems) -> dict | None:
    labels = {key: header for key, header, _r, _n in ROSTER_COLUMNS}
    before = len(problems)

    def problem(key, message):
        problems.append(RowError(number, labels[key], message))

    values = {key: cell_str(record.get(key)) for key, *_ in ROSTER_COLUMNS}
    for key, _h, required, _n in ROSTER_COLUMNS:
        if required and not values[key]:
            problem(key, REQUIRED)
    id_number = phone = ""
    if values["id_number"]:
        try:
            id_number = validators.clean_id_number(values["id_number"])
        except ValidationError as error:
            problem("id_number", error.messages[0])
        else:
            if id_number in seen:
                problem("id_number", DUPLICATE_IN_SHEET.format(row=seen[id_number]))
            seen.setdefault(id_number, number)
    if values["phone"]:
        try:
            phone = validators.clean_phone(values["phone"])
        except ValidationError as error:
            problem("phone", error.messages[0])
    township = townships.get(values["township"])
    if values["township"] and township is None:
        problem("township", BAD_TOWNSHIP.format(value=values["township"]))
    village = None
    if township is not None and values["village"]:
        village = villages.get((township.pk, values["village"]))
        if village is None:
            problem("village", BAD_VILLAGE.format(township=township.name, value=values["village"]))
    wish = values["wants_work"].lower()
    if wish not in _YES | _NO:
        problem("wants_work", BAD_YES_NO)
    entered_on = None
    raw_date = record.get("entered_on")
    if values["entered_on"]:
        entered_on = _date(raw_date)
        if entered_on is None:
            problem("entered_on", BAD_DATE)
    if len(problems) > before:
        return None
    return {
        "row": number,
        "name": values["name"],
        "id_number": id_number,
        "phone": phone,
        "village": village,
        "wants_work": wish in _YES,
        "training_needs": values["training_needs"],
        "entered_on": entered_on,
    }


def _date(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_str(value).replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def villages_import(*, upload) -> ImportReport:
    """The administrator's list of villages and communities, all or nothing."""
    report = ImportReport()
    rows, problems = read_rows(upload, columns=VILLAGE_COLUMNS, sheet_name=VILLAGE_SHEET)
    report.rows_read = len(rows)
    if problems:
        report.errors = problems
        return report
    labels = {key: header for key, header, _r, _n in VILLAGE_COLUMNS}
    townships = _townships()
    existing = set(Village.objects.values_list("township_id", "name"))
    codes = set(Village.objects.values_list("code", flat=True))
    kinds = {label: value for value, label in Village.Kind.choices}
    valid, seen = [], set()
    for number, record in rows:
        values = {key: cell_str(record.get(key)) for key, *_ in VILLAGE_COLUMNS}
        row_errors = []
        for key, _h, required, _n in VILLAGE_COLUMNS:
            if required and not values[key]:
                row_errors.append(RowError(number, labels[key], REQUIRED))
        township = townships.get(values["township"])
        if values["township"] and township is None:
            message = BAD_TOWNSHIP.format(value=values["township"])
            row_errors.append(RowError(number, labels["township"], message))
        kind = kinds.get(values["kind"] or "行政村") or (
            values["kind"] if values["kind"] in Village.Kind.values else None
        )
        if kind is None:
            row_errors.append(RowError(number, labels["kind"], BAD_KIND))
        if township is not None and values["name"]:
            key = (township.pk, values["name"])
            if key in existing or key in seen:
                row_errors.append(RowError(number, labels["name"], VILLAGE_EXISTS))
            seen.add(key)
        if values["code"] and values["code"] in codes:
            row_errors.append(RowError(number, labels["code"], "代码已被使用。"))
        codes.add(values["code"])
        report.errors += row_errors
        if not row_errors:
            valid.append((township, values["name"], kind, values["code"]))
    if report.errors:
        return report
    with transaction.atomic():
        order = Village.objects.aggregate(m=Max("sort_order"))["m"] or 0
        created = []
        for index, (township, name, kind, code) in enumerate(valid, start=1):
            created.append(
                Village.objects.create(
                    township=township,
                    name=name,
                    kind=kind,
                    code=code or f"{township.code}-{order + index}",
                    sort_order=order + index,
                )
            )
    report.imported = created
    return report
