"""What every Excel file the project writes goes through (the case ledger, the import
template, the subsidy list).

Text in those files comes from people outside the office: an employer or project name
typed into the anonymous complaint form ends up in a cell. A text starting with `=`
would be stored by openpyxl as a formula (and `=HYPERLINK(...)` or `=cmd|...` run when
the sheet is opened); `+ - @`, a tab or a carriage return start formulas when the cell
is edited or the sheet is saved as CSV. Every such text gets a leading single quote, the
mark spreadsheet programs themselves use for "this is text", and is written as a string
cell. Numbers and dates are not touched: they are never formulas.
"""

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def cell_text(value):
    """The value as it may go into a cell: risky text neutralised, anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return TEXT_MARK + value
    return value


def row_append(sheet, values) -> None:
    """Append one row of values to a (write-only or normal) sheet, text neutralised.

    Every Excel writer appends through here, so no exported cell can become a formula.
    Text goes in as a cell whose type is fixed to string.
    """
    sheet.append([_cell(sheet, value) for value in values])


def _cell(sheet, value, bold=False):
    safe = cell_text(value)
    if not isinstance(safe, str) and not bold:
        return safe
    cell = WriteOnlyCell(sheet, value=safe)
    if isinstance(safe, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def header_append(sheet, labels) -> None:
    """A bold header row (labels are the project's own text, neutralised all the same)."""
    sheet.append([_cell(sheet, label, bold=True) for label in labels])
