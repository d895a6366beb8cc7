"""Text written into spreadsheets stays text: a cell that looks like a formula is never run.

Names and notes that people typed reach CSV and XLSX files. A spreadsheet
reads a CSV cell starting with = + - @ (or a tab or carriage return) as a
formula, and openpyxl writes a string starting with "=" as one; either could
run a command or leak data when an office opens the file (CSV injection).
"""

from openpyxl.cell import WriteOnlyCell

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_FORMULA_FIRST = frozenset(FORMULA_START)


def csv_text(value: str) -> str:
    """A CSV cell: text a spreadsheet would take for a formula gets a leading apostrophe."""
    return "'" + value if value[:1] in _FORMULA_FIRST else value


def xlsx_value(sheet, value):
    """A value to append to an openpyxl sheet: text starting with "=" as a string cell."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_row(sheet, values) -> list:
    return [xlsx_value(sheet, value) for value in values]
