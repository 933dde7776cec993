"""Write small Excel/CSV files in the real layouts for the parser tests.

Only the writing is here; every test spells out its rows (with the quirks) itself.
A cell is a str, int, float, date/datetime (written as an Excel date) or None; ``merges``
lists (first_row, first_col, last_row, last_col) ranges, 0-based, whose text stands in the
first cell (as Excel stores merged cells).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import xlsxwriter

Cell = str | int | float | date | None


def write_xlsx(
    path: Path,
    sheets: dict[str, list[list[Cell]]],
    merges: dict[str, list[tuple[int, int, int, int]]] | None = None,
    start: tuple[int, int] = (0, 0),
    inline_strings: bool = False,
) -> Path:
    """``inline_strings``: texts in the sheet itself, as streaming writers store them
    (xlsxwriter's constant-memory mode; no merges then), else in a shared-strings table."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": inline_strings})
    date_format = workbook.add_format({"num_format": "mmmm yyyy"})
    for name, rows in sheets.items():
        sheet = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                at = (r + start[0], c + start[1])
                if isinstance(value, date):
                    when = (
                        value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
                    )
                    sheet.write_datetime(*at, when, date_format)
                elif value is not None:
                    sheet.write(*at, value)
        for first_row, first_col, last_row, last_col in (merges or {}).get(name, []):
            text = rows[first_row][first_col]
            sheet.merge_range(
                first_row + start[0],
                first_col + start[1],
                last_row + start[0],
                last_col + start[1],
                text,
            )
    workbook.close()
    return path


def write_xls(path: Path, sheets: dict[str, list[list[Cell]]]) -> Path:
    import xlwt

    workbook = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="DD.MM.YYYY")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, date):
                    sheet.write(r, c, datetime(value.year, value.month, value.day), date_style)
                elif value is not None:
                    sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path
