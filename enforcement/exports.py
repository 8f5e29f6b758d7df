"""The approved publication as an Excel file for the county website (labels, not codes;
every text cell neutralised against formulas by core.spreadsheets)."""

import io

from openpyxl import Workbook

from core.spreadsheets import header_append, row_append
from enforcement.models import Publication

# What the website shows, in this order; the case number stays in the office.
COLUMNS = [
    ("position", "序号"),
    ("employer_name", "违法主体名称"),
    ("uscc", "统一社会信用代码"),
    ("employer_address", "地址"),
    ("responsible_person", "法定代表人或负责人"),
    ("violation", "主要违法事实"),
    ("outcome", "相关处理情况"),
    ("criteria", "公布依据"),
]


def publication_workbook(publication: Publication) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{publication.year}Q{publication.quarter}")
    row_append(sheet, [f"襄汾县重大劳动保障违法行为社会公布（{publication}）"])
    header_append(sheet, [label for _, label in COLUMNS])
    for item in publication.items.all():
        row_append(sheet, [getattr(item, name) for name, _ in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
