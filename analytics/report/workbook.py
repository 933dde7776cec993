"""The report pack as one Excel workbook: cover, one sheet per section, definitions, sources.

A section sheet holds its view in page order: headings, notes, the metric cards as a small
table, then every table of the view (title row, header row, values written as the view's
Excel download writes them: numbers with their format, "*" where withheld). Charts and maps
are represented by the tables they are drawn from. Every sheet is set up for print: A4
landscape, fit to the page width, the sheet's title band repeated on each page, a footer with
the page number and the Stand of the sources.
"""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.disclosure import SUPPRESSED
from analytics.excel import DEMO_FONT, HEADER_FILL, _sheet_name, source_text, stable_workbook_bytes
from analytics.excel import _write_value as write_value
from analytics.formatting import fmt_date
from analytics.messages import msg
from analytics.report.pack import ReportPack, Section, source_stand, stand_line
from analytics.views.model import EXCEL_UNITS, Heading, MetricGrid, Note, Table, View, resolve

TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
META_FONT = Font(italic=True, color="444444")
BAND_ROWS = 4  # title, demo mark, region and quarter, Stand: repeated on every printed page
MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
WIDTH = 18


def excel_unit(unit: str) -> str | None:
    return EXCEL_UNITS.get(unit, unit)


def plain(text: str) -> str:
    """A note's text without Markdown emphasis (a lone "*" of the legend stays)."""
    return MARKDOWN_BOLD.sub(r"\1", text)


def demo_mark(lang: str) -> str:
    from analytics.excel import LABELS

    return LABELS.get(lang, LABELS["de"])["demo"]


def _print_setup(ws: Worksheet, pack: ReportPack, title: str, repeat_rows: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = repeat_rows
    ws.oddFooter.left.text = f"{msg('report.stand_short', pack.lang)}: {stand_line(pack)}"
    ws.oddFooter.left.size = 8
    ws.oddFooter.center.text = msg("report.page", pack.lang)
    ws.oddFooter.center.size = 8
    ws.oddFooter.right.text = title.replace("&", "&&")
    ws.oddFooter.right.size = 8


def _band(ws: Worksheet, pack: ReportPack, title: str) -> int:
    """Title, demo mark (when demo data), region · quarter, Stand; returns the next free row."""
    lang = pack.lang
    ws.cell(1, 1, title).font = TITLE_FONT
    if pack.demo:
        ws.cell(2, 1, demo_mark(lang)).font = DEMO_FONT
    write_value(ws.cell(3, 1), f"{pack.filters.region_label} · {pack.quarter.label()}", None)
    write_value(ws.cell(4, 1), f"{msg('report.stand_short', lang)}: {stand_line(pack)}", None)
    ws.cell(3, 1).font = ws.cell(4, 1).font = META_FONT
    return BAND_ROWS + 2


def _header(ws: Worksheet, row: int, headers: list[str]) -> None:
    for j, header in enumerate(headers, start=1):
        cell = ws.cell(row, j)
        write_value(cell, header, None)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_table(ws: Worksheet, row: int, table: Table, lang: str) -> int:
    """Title row, header row, the values; returns the next free row."""
    write_value(ws.cell(row, 1), resolve(table.title, lang), None)
    ws.cell(row, 1).font = BOLD
    _header(ws, row + 1, [resolve(c.label, lang) for c in table.columns])
    values = {c.key: table.frame[c.key].to_list() for c in table.columns}
    flags = {c.key: table.suppressed(c.key) for c in table.columns}
    for i in range(table.frame.height):
        for j, column in enumerate(table.columns, start=1):
            cell = ws.cell(row + 2 + i, j)
            if flags[column.key][i]:
                cell.value = SUPPRESSED
                cell.alignment = Alignment(horizontal="right")
            else:
                write_value(cell, values[column.key][i], excel_unit(table.unit(column, i)))
    return row + 2 + table.frame.height + 1


def write_metrics(ws: Worksheet, row: int, grid: MetricGrid, lang: str) -> int:
    _header(ws, row, [msg("report.metric", lang), msg("report.value", lang), msg("report.change", lang)])
    for i, metric in enumerate(grid.metrics, start=1):
        write_value(ws.cell(row + i, 1), resolve(metric.label, lang), None)
        unit = excel_unit(metric.unit)
        for j, (value, withheld) in enumerate(
            ((metric.value, metric.suppressed), (metric.delta, metric.delta_suppressed)), start=2
        ):
            cell = ws.cell(row + i, j)
            if withheld:
                cell.value = SUPPRESSED
                cell.alignment = Alignment(horizontal="right")
            else:
                write_value(cell, value, unit)
    return row + len(grid.metrics) + 2


def section_sheet(workbook: Workbook, pack: ReportPack, section: Section) -> Worksheet:
    view = section.view
    lang = pack.lang
    title = view.text(view.title)
    ws = workbook.create_sheet(sheet_name(section, lang))
    row = _band(ws, pack, title)
    for block in view.blocks:
        if isinstance(block, Heading):
            ws.cell(row, 1, view.text(block.text)).font = Font(bold=True, size=12)
            row += 1
        elif isinstance(block, Note) and block.kind != "definitions":
            write_value(ws.cell(row, 1), plain(view.text(block.text)), None)
            row += 1
        elif isinstance(block, MetricGrid):
            row = write_metrics(ws, row + 1, block, lang)
        elif isinstance(block, Table):
            row = write_table(ws, row + 1, block, lang)
    write_value(
        ws.cell(row + 1, 1), f"{msg('report.source', lang)}: {source_text(view.text(view.source))}", None
    )
    ws.cell(row + 1, 1).font = META_FONT
    width = max((len(t.columns) for t in view.tables()), default=3)
    for j in range(1, max(width, 3) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 34 if j == 1 else WIDTH
    _print_setup(ws, pack, title, f"1:{BAND_ROWS}")
    return ws


def cover_sheet(workbook: Workbook, pack: ReportPack) -> None:
    lang = pack.lang
    title = msg("report.title", lang)
    ws = workbook.create_sheet(_sheet_name(msg("report.cover", lang)))
    ws.cell(1, 1, title).font = Font(bold=True, size=18)
    row = 2
    if pack.demo:
        ws.cell(row, 1, demo_mark(lang)).font = DEMO_FONT
        row += 1
    if not pack.protected:
        ws.cell(row, 1, msg("report.unprotected", lang)).font = DEMO_FONT
        row += 1
    row += 1
    role = pack.filters.role or "ministry"
    facts = [
        (msg("report.quarter", lang), pack.quarter.label()),
        (msg("report.region", lang), pack.filters.region_label),
        (msg("report.kreise", lang), ", ".join(pack.filters.ags)),
        (msg("report.role", lang), msg(f"report.role_{role}", lang)),
    ]
    for label, value in facts:
        ws.cell(row, 1, label).font = BOLD
        write_value(ws.cell(row, 2), value, None)
        ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    row += 1
    ws.cell(row, 1, msg("report.stand", lang)).font = Font(bold=True, size=12)
    row += 1
    for label, value in source_stand(pack):
        write_value(ws.cell(row, 1), label, None)
        write_value(ws.cell(row, 2), value, None)
        row += 1
    for section in pack.sections:
        view = section.view
        write_value(ws.cell(row, 1), view.text(view.title), None)
        write_value(ws.cell(row, 2), view.as_of, None)
        row += 1
    row += 1
    ws.cell(row, 1, msg("report.legend", lang)).font = Font(bold=True, size=12)
    write_value(ws.cell(row + 1, 1), msg("suppression_legend", lang), None)
    row += 3
    ws.cell(row, 1, msg("report.contents", lang)).font = Font(bold=True, size=12)
    row += 1
    _header(ws, row, [msg("report.section", lang), msg("report.sheet", lang)])
    for i, (name, sheet) in enumerate(contents(pack), start=1):
        write_value(ws.cell(row + i, 1), name, None)
        write_value(ws.cell(row + i, 2), sheet, None)
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 70
    _print_setup(ws, pack, title, "1:1")


def sheet_name(section: Section, lang: str) -> str:
    return _sheet_name(msg(f"report.sheet_{section.key}", lang))


def contents(pack: ReportPack) -> list[tuple[str, str]]:
    """(section title, sheet name) in workbook order after the cover."""
    lang = pack.lang
    rows = [(s.view.text(s.view.title), sheet_name(s, lang)) for s in pack.sections]
    for key in ("report.definitions", "report.sources"):
        rows.append((msg(key, lang), _sheet_name(msg(key, lang))))
    return rows


def definitions(pack: ReportPack) -> list[tuple[str, str]]:
    """Every definition of every section, each once (first occurrence)."""
    seen: dict[str, str] = {}
    for view in pack.views():
        for term, text in view.definitions:
            seen.setdefault(view.text(term), view.text(text))
    return list(seen.items())


def definitions_sheet(workbook: Workbook, pack: ReportPack) -> None:
    lang = pack.lang
    title = msg("report.definitions", lang)
    ws = workbook.create_sheet(_sheet_name(title))
    row = _band(ws, pack, title)
    _header(ws, row, [msg("report.term", lang), msg("report.definition", lang)])
    for i, (term, text) in enumerate(definitions(pack), start=1):
        write_value(ws.cell(row + i, 1), term, None)
        write_value(ws.cell(row + i, 2), text, None)
        ws.cell(row + i, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 110
    _print_setup(ws, pack, title, f"{row}:{row}")


def sources_sheet(workbook: Workbook, pack: ReportPack) -> None:
    lang = pack.lang
    title = msg("report.sources", lang)
    ws = workbook.create_sheet(_sheet_name(title))
    row = _band(ws, pack, title)
    _header(
        ws, row, [msg("report.section", lang), msg("report.source", lang), msg("report.stand_short", lang)]
    )
    views: list[View] = pack.views()
    for i, view in enumerate(views, start=1):
        write_value(ws.cell(row + i, 1), view.text(view.title), None)
        write_value(ws.cell(row + i, 2), source_text(view.text(view.source)), None)
        ws.cell(row + i, 2).alignment = Alignment(wrap_text=True, vertical="top")
        write_value(ws.cell(row + i, 3), view.as_of, None)
    row += len(views) + 2
    ws.cell(row, 1, msg("report.loads", lang)).font = BOLD
    for step, source, loaded_at in pack.status.loads.iter_rows():
        row += 1
        write_value(ws.cell(row, 1), str(step), None)
        write_value(ws.cell(row, 2), str(source), None)
        write_value(ws.cell(row, 3), fmt_date(loaded_at.date() if loaded_at else None, lang), None)
    attribution = pack.status.bkg_attribution()
    if attribution:
        write_value(ws.cell(row + 2, 1), msg("report.map_source", lang, attribution=attribution), None)
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 100
    ws.column_dimensions["C"].width = 16
    _print_setup(ws, pack, title, f"{BAND_ROWS + 2}:{BAND_ROWS + 2}")


def pack_workbook(pack: ReportPack) -> bytes:
    """The workbook as bytes (the same pack always gives the same bytes)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    cover_sheet(workbook, pack)
    for section in pack.sections:
        section_sheet(workbook, pack, section)
    definitions_sheet(workbook, pack)
    sources_sheet(workbook, pack)
    workbook.properties.creator = "Arbeit bewegen! Cockpit"
    workbook.properties.title = msg("report.title", pack.lang)
    return stable_workbook_bytes(workbook)
