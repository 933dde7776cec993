"""Formatted Excel exports (openpyxl) for every table and chart's underlying data.

Each sheet: title, filters used, source and reference date, the suppression note when a
cell is withheld, then the table with a frozen bold header, auto-filter, number formats
and sensible column widths. A second sheet holds the definitions. Text that starts with
``=``, ``+``, ``-`` or ``@`` is written as text, never as a formula.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from analytics.disclosure import SUFFIX, SUPPRESSED, flag_column
from analytics.disclosure import note as suppression_note

NUMBER_FORMATS = {
    "count": "#,##0",
    "days": "#,##0",
    "eur": '#,##0 "€"',
    "share": "0.0%",
    "ratio": "0.00",
    "float": "#,##0.0",
    "date": "DD.MM.YYYY",
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
MAX_WIDTH = 60
LABELS = {
    "de": {
        "filters": "Filter",
        "source": "Quelle",
        "as_of": "Datenstand",
        "created": "Erstellt am",
        "definitions": "Definitionen",
        "term": "Begriff",
        "definition": "Definition",
        "demo": "DEMO-DATEN – alle Zahlen und Firmen sind fiktiv",
    },
    "en": {
        "filters": "Filters",
        "source": "Source",
        "as_of": "Data as of",
        "created": "Created on",
        "definitions": "Definitions",
        "term": "Term",
        "definition": "Definition",
        "demo": "DEMO DATA – all figures and firms are fictional",
    },
}
DEMO_FONT = Font(bold=True, color="9C0006")


@dataclass
class ExcelSheet:
    """One table: ``units`` maps columns to a number format key (see NUMBER_FORMATS)."""

    name: str
    frame: pl.DataFrame
    title: str
    units: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    # for tables of mixed measures: columns whose unit is "row" take the row's unit here
    row_units: Sequence[str] | None = None

    def unit(self, column: str, row: int) -> str | None:
        unit = self.units.get(column)
        if unit == "row" and self.row_units is not None:
            return self.row_units[row]
        return unit


def _write_value(cell, value, unit: str | None) -> None:
    if isinstance(value, float) and math.isnan(value):  # e.g. a 0/0 share: an empty cell
        value = None
    if isinstance(value, str):
        # control characters cannot stand in an xlsx cell (openpyxl refuses the whole file):
        # one stray character in a firm name must not break the download for everyone
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        cell.data_type = "s"  # never a formula, whatever the first character
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        return
    cell.value = value
    if unit in NUMBER_FORMATS:
        cell.number_format = NUMBER_FORMATS[unit]
    elif isinstance(value, datetime | date):
        cell.number_format = NUMBER_FORMATS["date"]


def _fill_sheet(ws, sheet: ExcelSheet, meta: list[tuple[str, str]], lang: str, demo_mark: str | None) -> None:
    frame = sheet.frame
    columns = [c for c in frame.columns if not c.endswith(SUFFIX)]
    ws.cell(1, 1, sheet.title).font = Font(bold=True, size=14)
    row = 2
    if demo_mark:
        ws.cell(row, 1, demo_mark).font = DEMO_FONT
        row += 1
    for label, text in meta:
        cell = ws.cell(row, 1)
        _write_value(cell, f"{label}: {text}", None)
        cell.font = Font(italic=True, color="444444")
        row += 1
    if any(frame[c].any() for c in frame.columns if c.endswith(SUFFIX)):
        _write_value(ws.cell(row, 1), suppression_note(lang), None)
        row += 1
    header_row = row + 1
    widths = []
    for j, name in enumerate(columns, start=1):
        header = sheet.headers.get(name, name)
        cell = ws.cell(header_row, j)
        _write_value(cell, header, None)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths.append(len(header))
    flags = {
        name: frame[flag_column(name)].to_list() for name in columns if flag_column(name) in frame.columns
    }
    for i, values in enumerate(frame.select(columns).iter_rows(), start=0):
        for j, (name, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(header_row + 1 + i, j)
            if name in flags and flags[name][i]:
                cell.value = SUPPRESSED
                cell.alignment = Alignment(horizontal="right")
            else:
                _write_value(cell, value, sheet.unit(name, i))
                if isinstance(value, str) and len(value) > MAX_WIDTH - 2:
                    # longer than the widest column: wrapped onto lines, never cut
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[j - 1] = max(widths[j - 1], len(str(value)) if value is not None else 1)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(8, width + 2))
    ws.freeze_panes = ws.cell(header_row + 1, 1)
    last = get_column_letter(max(1, len(columns)))
    ws.auto_filter.ref = f"A{header_row}:{last}{header_row + max(frame.height, 1)}"
    print_setup(ws, header_row)


def print_setup(ws, header_row: int) -> None:
    """A4 landscape, all columns on the width of one page, the header row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def source_text(source: str) -> str:
    """The source without a leading "Quelle:"/"Source:" (the sheet labels it already)."""
    for label in ("Quelle:", "Source:", "Quellen:", "Sources:"):
        if source.startswith(label):
            return source[len(label) :].lstrip()
    return source


def excel_bytes(
    sheets: ExcelSheet | Sequence[ExcelSheet],
    *,
    filters: dict[str, str],
    source: str,
    as_of: str,
    definitions: Sequence[tuple[str, str]] = (),
    lang: str = "de",
    demo: bool = False,
) -> bytes:
    """The workbook as bytes (for st.download_button). ``demo`` puts the demo mark on every
    sheet, the definitions included."""
    labels = LABELS.get(lang, LABELS["de"])
    sheets = [sheets] if isinstance(sheets, ExcelSheet) else list(sheets)
    workbook = Workbook()
    workbook.remove(workbook.active)
    filter_text = "; ".join(f"{k}: {v}" for k, v in filters.items()) or "–"
    meta = [
        (labels["filters"], filter_text),
        (labels["source"], source_text(source)),
        (labels["as_of"], as_of),
    ]
    demo_mark = labels["demo"] if demo else None
    for sheet in sheets:
        ws = workbook.create_sheet(_sheet_name(sheet.name))
        _fill_sheet(ws, sheet, meta, lang, demo_mark)
    if definitions:
        ws = workbook.create_sheet(labels["definitions"])
        ws.cell(1, 1, labels["definitions"]).font = Font(bold=True, size=14)
        if demo_mark:
            ws.cell(2, 1, demo_mark).font = DEMO_FONT
        for j, text in enumerate((labels["term"], labels["definition"]), start=1):
            cell = ws.cell(3, j, text)
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
        print_setup(ws, 3)
        for i, (term, text) in enumerate(definitions, start=4):
            _write_value(ws.cell(i, 1), term, None)
            _write_value(ws.cell(i, 2), text, None)
            ws.cell(i, 2).alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions["A"].width = 32
        ws.column_dimensions["B"].width = 100
        ws.freeze_panes = "A4"
    workbook.properties.creator = "Arbeit bewegen! Cockpit"
    return stable_workbook_bytes(workbook)


FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def stable_workbook_bytes(workbook: Workbook) -> bytes:
    """Save ``workbook``; the same content always gives the same bytes.

    openpyxl stamps the save time into docProps/core.xml and the zip entries; both are
    replaced by a fixed time, so downloads are byte-stable across reruns.
    """
    workbook.properties.created = workbook.properties.modified = datetime(*FIXED_TIME)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            target.writestr(entry, content)
    return stable.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31] or "Tabelle"
