"""Which publication family is a file? Decided by content: sheet names and header labels
(Excel), header lines (CSV); the file name is never used for this."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.statistics import constants as C
from pipelines.statistics.cells import norm
from pipelines.statistics.model import ParseError
from pipelines.statistics.reader import CsvText, Workbook, csv_lines, decode_csv, file_kind

EXPECTED = (
    "eine Veröffentlichung der Statistik der BA (Blatt 'Eckwerte'; Blatt 'SVB - Tabelle II' / "
    "'GB - Tabelle II'; Tabelle mit 'Arbeitslose'/'Gemeldete Arbeitsstellen' und 'Beruf'/'KldB'), "
    "ein BA-Datenbanken-CSV ('KreisID;Kreis;…') oder ein Regionaldatenbank-CSV (ffcsv oder flach)"
)


@dataclass
class Detected:
    family: str
    kind: str  # xlsx | xls | text
    workbook: Workbook | None = None
    text: CsvText | None = None
    sheets: list[str] = field(default_factory=list)


def _head_text(workbook: Workbook, sheet: str) -> str:
    grid = workbook.grid(sheet, n_rows=60)
    return " | ".join(norm(v) for row in grid.rows() for v in row if v is not None)


def detect(source: str, data: bytes) -> Detected:
    kind = file_kind(data)
    if not data.strip():
        raise ParseError(source, "leere Datei", "empty file", expected=EXPECTED)
    if kind in ("xlsx", "xls"):
        workbook = Workbook(source, data)
        eckwerte = [s for s in workbook.sheet_names if C.SHEET_ECKWERTE.match(s)]
        if eckwerte:
            return Detected(C.BA_ECKWERTE, kind, workbook, sheets=eckwerte[:1])
        employment = [s for s in workbook.sheet_names if C.SHEET_EMPLOYMENT.match(s)]
        if employment:
            return Detected(C.BA_EMPLOYMENT, kind, workbook, sheets=employment)
        labour, by_wz = [], []
        for sheet in workbook.sheet_names:
            head = _head_text(workbook, sheet)
            has_measure = "arbeitslose" in head or "arbeitsstellen" in head
            if has_measure and ("beruf" in head or "kldb" in head):
                labour.append(sheet)
            elif "wirtschaftszweig" in head and "beschäftigte" in head:
                by_wz.append(sheet)
        if labour:
            return Detected(C.BA_LABOUR_MARKET, kind, workbook, sheets=labour)
        if by_wz:
            return Detected(C.BA_EMPLOYMENT, kind, workbook, sheets=by_wz)
        raise ParseError(
            source,
            f"unbekannte Veröffentlichung (Blätter: {', '.join(workbook.sheet_names)})",
            "unknown publication family",
            sheet=workbook.sheet_names[0] if workbook.sheet_names else None,
            row=1,
            expected=EXPECTED,
        )
    text = decode_csv(source, data)
    lines = csv_lines("\n".join(text.head.splitlines()[:60]))  # never split the whole text
    for fields in lines:
        names = {f.strip().lower() for f in fields}
        if set(C.FFCSV_REQUIRED) <= names:
            return Detected(C.REGIO_FFCSV, kind, text=text)
        if set(C.FLAT_REQUIRED) <= names:
            return Detected(C.REGIO_FLAT, kind, text=text)
        if sum(1 for f in fields if f.strip()) >= 3 and any(
            C.DATENBANK_CODE_COLUMN.match(f.strip()) for f in fields
        ):
            return Detected(C.BA_DATENBANK, kind, text=text)
    raise ParseError(
        source,
        "unbekanntes Format: keine bekannte Kopfzeile",
        "unknown format: no known header line",
        row=1,
        expected=EXPECTED,
    )


def parse_bytes(source: str, data: bytes):
    """Detect the family and parse: a ParsedFile, or ParseError naming what was expected."""
    from pipelines.statistics import (
        ba_datenbank,
        ba_eckwerte,
        ba_employment,
        ba_labour_market,
        regio,
    )

    found = detect(source, data)
    if found.family == C.BA_ECKWERTE:
        return ba_eckwerte.parse(source, found.workbook, found.sheets[0])
    if found.family == C.BA_EMPLOYMENT:
        return ba_employment.parse(source, found.workbook, found.sheets)
    if found.family == C.BA_LABOUR_MARKET:
        return ba_labour_market.parse(source, found.workbook, found.sheets)
    if found.family == C.BA_DATENBANK:
        return ba_datenbank.parse(source, found.text)
    if found.family == C.REGIO_FFCSV:
        return regio.parse_ffcsv(source, found.text)
    return regio.parse_flat(source, found.text)
