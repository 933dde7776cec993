"""BA Excel tables of employees by WZ per region: sheets 'SVB - Tabelle II', 'GB - Tabelle II'.

Rows: WZ 2008 ('29 Herstellung von Kraftwagen ...', sections, divisions, groups '29.1',
classes '29.10'; 'Insgesamt'), optionally a region column; columns 'Insgesamt' and the
breakdowns (Vollzeit/Teilzeit, Anforderungsniveau, Berufsabschluss). The quarter-end
reference date is stated in the title ('Stichtag: 30.06.2025') or heads date columns; the
region in the title ('Region: 03254 Hildesheim') when there is no region column. SVB sheets
give measure 'svb', GB sheets 'gb'.
"""

from __future__ import annotations

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.ba_tables import Shape, parse_sheets
from pipelines.statistics.excel_table import Table
from pipelines.statistics.model import ParsedFile
from pipelines.statistics.reader import Workbook

SHAPE = Shape("sector", "wz", "reference_date", False, "'Wirtschaftszweig (WZ 2008)' und 'Insgesamt'")
COLUMNS = [
    "ags",
    "region_level",
    "reference_date",
    "wz",
    "measure",
    "breakdown",
    "value",
    "flag",
    "classification",
]


def sheet_measure(sheet: str, title: list[str]) -> str:
    match = C.SHEET_EMPLOYMENT.match(sheet)
    if match:
        return C.SHEET_EMPLOYMENT_MEASURE[match.group(1).lower()]
    text = " ".join(title).lower()
    return "gb" if "geringfügig" in text else "svb"


def parse(source: str, workbook: Workbook, sheets: list[str]) -> ParsedFile:
    def prepare(sheet: str, table: Table) -> tuple[str | None, dict[str, pl.Expr]]:
        measure = sheet_measure(sheet, table.title)
        # the sheet decides SvB or GB; column headers only give breakdowns
        for column in table.value_columns:
            column.measure = measure
        classification = "WZ2025" if any("wz 2025" in t.lower() for t in table.title) else "WZ2008"
        return measure, {"classification": pl.lit(classification)}

    return parse_sheets(source, workbook, sheets, SHAPE, C.BA_EMPLOYMENT, "fact_employment", COLUMNS, prepare)
