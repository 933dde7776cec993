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
from pipelines.statistics.ba_tables import Shape, table_facts
from pipelines.statistics.cells import parse_date
from pipelines.statistics.excel_table import find_in_texts, locate_table
from pipelines.statistics.model import ParsedFile, Reconciliation, quarantine_frame
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
    frames, quarantine, warnings, dates = [], [], [], set()
    pending, vintage = [], None
    for sheet in sheets:
        table = locate_table(workbook.grid(sheet), source, SHAPE.roles_expected)
        measure = sheet_measure(sheet, table.title)
        # the sheet decides SvB or GB; column headers only give breakdowns
        for column in table.value_columns:
            column.measure = measure
        result = table_facts(table, SHAPE, measure)
        classification = "WZ2025" if any("wz 2025" in t.lower() for t in table.title) else "WZ2008"
        frames.append(
            result.facts.with_columns(classification=pl.lit(classification)).select(
                [*COLUMNS, "_sheet", "_row", "_column"]
            )
        )
        quarantine += result.quarantine
        warnings += result.warnings
        dates.update(result.periods)
        pending.append(result.reconciliation)
        stated = find_in_texts(table.texts(), C.VINTAGE)
        vintage = vintage or (parse_date(stated) if stated else None)
    return ParsedFile(
        source,
        C.BA_EMPLOYMENT,
        {"fact_employment": pl.concat(frames)},
        sorted(dates),
        vintage,
        Reconciliation(),
        warnings,
        quarantine_frame(quarantine),
        pending,
    )
