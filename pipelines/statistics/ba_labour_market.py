"""BA Excel tables: Arbeitslose and gemeldete Arbeitsstellen by Kreis/Agentur and KldB, monthly.

Rows: region ('03254 Hildesheim', filled down, or code and name in two columns) and
occupation (KldB at any depth, '<code> <label>' or Berufsbereich/-gruppe columns, maybe an
Anforderungsniveau column); columns: measure (merged group header), breakdown ('Insgesamt',
'darunter Helfer' ...) and maybe the month (Excel dates). The month otherwise comes from
the title block ('Berichtsmonat: Januar 2026'), the count day from 'Zähltag: 13.01.2026'.
"""

from __future__ import annotations

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.ba_tables import Shape, parse_sheets
from pipelines.statistics.cells import parse_date
from pipelines.statistics.excel_table import Table, find_in_texts
from pipelines.statistics.model import ParsedFile
from pipelines.statistics.reader import Workbook

SHAPE = Shape(
    "occupation",
    "kldb",
    "period",
    True,
    "'Region'/'Kreis'/'Agentur für Arbeit' und 'Beruf'/'KldB 2010'",
)
COLUMNS = [
    "ags",
    "region_level",
    "period",
    "kldb",
    "measure",
    "breakdown",
    "value",
    "flag",
    "reference_date",
    "classification",
]


def parse(source: str, workbook: Workbook, sheets: list[str]) -> ParsedFile:
    def prepare(sheet: str, table: Table) -> tuple[str | None, dict[str, pl.Expr]]:
        count_day = find_in_texts(table.texts(), C.COUNT_DAY)
        reference = parse_date(count_day) if count_day else None
        added = {
            "reference_date": pl.lit(reference, pl.Date).fill_null(pl.col("period")),
            "classification": pl.lit("KldB2010"),
        }
        return _title_measure(table.title), added

    return parse_sheets(
        source, workbook, sheets, SHAPE, C.BA_LABOUR_MARKET, "fact_labour_market", COLUMNS, prepare
    )


def _title_measure(title: list[str]) -> str | None:
    """A table of one measure names it only in its title ('Arbeitslose nach Berufen')."""
    text = " ".join(title).lower()
    has_vacancies = "arbeitsstellen" in text
    has_unemployed = "arbeitslose" in text
    if has_vacancies != has_unemployed:
        return "vacancies" if has_vacancies else "unemployed"
    return None
