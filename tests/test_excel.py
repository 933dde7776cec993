"""Excel export read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
from openpyxl import load_workbook

from analytics.disclosure import protect_counts
from analytics.excel import ExcelSheet, excel_bytes


def build() -> bytes:
    frame = pl.DataFrame(
        {
            "kreis": ["Hildesheim", '=HYPERLINK("http://x")', "+49 5121", "-1", "@SUM(A1)"],
            "n": [1234, 2, 17, 0, 5],
            "share": [0.25, 0.5, None, 0.1, 1.0],
            "day": [date(2026, 3, 31)] * 5,
        }
    )
    frame = protect_counts(frame, ["n"])
    sheet = ExcelSheet(
        "Kreise: Test/1",
        frame,
        "Arbeitslose je Kreis",
        units={"n": "count", "share": "share"},
        headers={"kreis": "Kreis", "n": "Anzahl", "share": "Anteil"},
    )
    return excel_bytes(
        sheet,
        filters={"Region": "Hildesheim", "Zeitraum": "Q1 2026"},
        source="Demo",
        as_of="31.03.2026",
        definitions=[("Anzahl", "Personen"), ("=evil", "-1+1")],
    )


def test_layout_formats_and_suppression():
    wb = load_workbook(io.BytesIO(build()))
    assert wb.sheetnames == ["Kreise_ Test_1", "Definitionen"]
    ws = wb["Kreise_ Test_1"]
    assert ws["A1"].value == "Arbeitslose je Kreis" and ws["A1"].font.bold
    assert ws["A2"].value == "Filter: Region: Hildesheim; Zeitraum: Q1 2026"
    assert ws["A3"].value == "Quelle: Demo" and ws["A4"].value == "Datenstand: 31.03.2026"
    assert ws["A5"].value.startswith("* = aus Datenschutzgründen gesperrt")
    header = [c.value for c in ws[7]]
    assert header == ["Kreis", "Anzahl", "Anteil", "day"]
    assert ws.freeze_panes == "A8"
    assert ws.auto_filter.ref == "A7:D12"
    assert ws["B8"].value == 1234 and ws["B8"].number_format == "#,##0"
    assert ws["B9"].value == "*"  # 2 persons withheld
    assert ws["C8"].number_format == "0.0%"
    assert ws["D8"].number_format == "DD.MM.YYYY"
    assert ws.column_dimensions["A"].width >= len('=HYPERLINK("http://x")')


def test_no_formula_injection():
    wb = load_workbook(io.BytesIO(build()))
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=8, max_col=1):
        cell = row[0]
        assert cell.data_type == "s", cell.value
    assert ws["A9"].value == '=HYPERLINK("http://x")' and ws["A9"].quotePrefix
    assert ws["A11"].value == "-1" and ws["A11"].data_type == "s"
    definitions = wb["Definitionen"]
    assert definitions["A5"].data_type == "s" and definitions["B5"].data_type == "s"


def test_bytes_are_stable():
    assert build() == build()


def test_print_setup_source_once_and_demo_mark_on_every_sheet():
    frame = pl.DataFrame({"kreis": ["Hildesheim"], "n": [12]})
    workbook = excel_bytes(
        ExcelSheet("Kreise", frame, "Tabelle", headers={"kreis": "Kreis"}),
        filters={},
        source="Source: BA statistics",
        as_of="-",
        definitions=[("n", "persons")],
        lang="en",
        demo=True,
    )
    wb = load_workbook(io.BytesIO(workbook))
    ws = wb["Kreise"]
    assert ws["A2"].value == "DEMO DATA – all figures and firms are fictional"
    assert ws["A4"].value == "Source: BA statistics"  # not "Source: Source: …"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 == "9"
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Kreis")
    assert ws.print_title_rows == f"${header_row}:${header_row}"
    definitions = wb["Definitions"]
    assert definitions["A2"].value.startswith("DEMO DATA")
    assert definitions.page_setup.orientation == "landscape"
    german = load_workbook(io.BytesIO(build()))
    assert all("DEMO" not in str(c.value) for c in german.worksheets[0]["A"])  # only when asked


def test_control_characters_in_a_text_do_not_break_the_workbook():
    frame = pl.DataFrame({"firm": ["Muster\x07 GmbH\x1b", "Beispiel AG"], "n": [12, 30]})
    workbook = excel_bytes(
        ExcelSheet("Betriebe", frame, "Tabelle", headers={"firm": "Betrieb"}),
        filters={},
        source="Demo",
        as_of="-",
        definitions=[],
    )
    ws = load_workbook(io.BytesIO(workbook))["Betriebe"]
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "Muster GmbH" in values and "Beispiel AG" in values
