"""Read a case-data export as received: an Excel workbook or CSV files named like the sheets.

Reading keeps every cell as it came (Excel: native dates and numbers; CSV: text) with its
row number; parsing and validation happen in ``rules`` and ``importer``. CSV files may use
``;`` or ``,`` as delimiter and be encoded in UTF-8 or Windows-1252.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from pipelines.cases.schema import CODES_TITLE, DICTIONARY_TITLE, SHEETS, Sheet
from pipelines.warehouse import PipelineError

UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def normalise(text: object) -> str:
    """Lower case, umlauts transliterated, letters and digits only: for matching names."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower().translate(UMLAUTS))


@dataclass
class RawSheet:
    """One sheet (or CSV file) as read: headers and the non-empty rows with their numbers."""

    spec: Sheet
    source_file: str
    sheet_name: str | None  # Excel sheet name; None for a CSV file
    headers: list[str]
    rows: list[tuple[int, list[object]]]
    delimiter: str | None = None  # CSV only

    @property
    def where(self) -> str:
        if self.sheet_name is None:
            return self.source_file
        return f"{self.source_file}, Blatt '{self.sheet_name}'"


@dataclass
class RawExport:
    source: str
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def sheet_for(name: str) -> Sheet | None:
    """The sheet a workbook sheet or CSV file name stands for (title, file stem or table)."""
    key = normalise(Path(name).stem if name.lower().endswith(".csv") else name)
    for spec in SHEETS:
        if key in {normalise(spec.title), spec.file_stem, normalise(spec.table), spec.key}:
            return spec
    return None


def _trim(rows: list[list[object]]) -> tuple[list[str], list[tuple[int, list[object]]]]:
    if not rows:
        return [], []
    headers = ["" if h is None else str(h).strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    body = []
    for number, row in enumerate(rows[1:], start=2):
        values = list(row[: len(headers)]) + [None] * max(0, len(headers) - len(row))
        values = [None if isinstance(v, str) and not v.strip() else v for v in values]
        if any(v is not None for v in values):
            body.append((number, values))
    return headers, body


def read_xlsx(data: bytes, file_name: str) -> RawExport:
    """All known sheets of a workbook; unknown sheets are reported and ignored."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise PipelineError(
            f"{file_name}: keine lesbare Excel-Datei (.xlsx) / not a readable Excel file ({exc})"
        ) from exc
    export = RawExport(file_name)
    try:
        for ws in workbook.worksheets:
            spec = sheet_for(ws.title)
            if spec is None:
                if ws.title not in (DICTIONARY_TITLE, CODES_TITLE):
                    export.warnings.append(
                        f"{file_name}: Blatt '{ws.title}' ist nicht Teil der Vorlage und wird "
                        f"ignoriert / sheet is not part of the template, ignored"
                    )
                continue
            headers, rows = _trim([list(r) for r in ws.iter_rows(values_only=True)])
            export.sheets[spec.key] = RawSheet(spec, file_name, ws.title, headers, rows)
    finally:
        workbook.close()
    return export


def decode(data: bytes, file_name: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise PipelineError(
                f"{file_name}: Zeichenkodierung weder UTF-8 noch Windows-1252 / "
                f"encoding is neither UTF-8 nor Windows-1252"
            ) from exc


def read_csv(data: bytes, file_name: str, spec: Sheet) -> RawSheet:
    text = decode(data, file_name)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0 and len(spec.columns) > 1:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [list(r) for r in reader]
    except csv.Error as exc:
        raise PipelineError(f"{file_name}: CSV nicht lesbar / CSV not readable ({exc})") from exc
    headers, body = _trim(rows)
    return RawSheet(spec, file_name, None, headers, body, delimiter)


def read_csv_files(files: list[tuple[str, bytes]], source: str | None = None) -> RawExport:
    export = RawExport(source or ", ".join(name for name, _ in files))
    for name, data in sorted(files):
        spec = sheet_for(name)
        if spec is None:
            export.warnings.append(
                f"{name}: Dateiname passt zu keinem Blatt der Vorlage "
                f"({', '.join(s.file_stem + '.csv' for s in SHEETS)}), ignoriert / "
                f"file name matches no sheet, ignored"
            )
            continue
        if spec.key in export.sheets:
            raise PipelineError(
                f"{name}: zweite Datei für Blatt '{spec.title}' "
                f"(schon {export.sheets[spec.key].source_file}) / second file for the same sheet"
            )
        export.sheets[spec.key] = read_csv(data, name, spec)
    return export


def read_files(files: list[tuple[str, bytes]]) -> RawExport:
    """An upload: one .xlsx workbook, or one or more CSV files named like the sheets."""
    if not files:
        raise PipelineError("Keine Datei / no file given")
    workbooks = [f for f in files if f[0].lower().endswith(".xlsx")]
    if workbooks:
        if len(files) > 1:
            raise PipelineError(
                "Bitte entweder eine Excel-Vorlage oder CSV-Dateien hochladen, nicht beides / "
                "upload either one workbook or CSV files"
            )
        return read_xlsx(workbooks[0][1], workbooks[0][0])
    bad = [name for name, _ in files if not name.lower().endswith(".csv")]
    if bad:
        raise PipelineError(f"{', '.join(bad)}: nur .xlsx oder .csv / only .xlsx or .csv files")
    return read_csv_files(files)


def read_path(path: Path) -> RawExport:
    """A workbook, a single CSV file, or a folder of CSV files named like the sheets."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        if not files:
            raise PipelineError(f"{path}: keine CSV-Dateien im Ordner / no CSV files in folder")
        return read_csv_files([(p.name, p.read_bytes()) for p in files], source=str(path))
    if not path.exists():
        raise PipelineError(f"{path}: Datei nicht gefunden / file not found")
    export = read_files([(path.name, path.read_bytes())])
    export.source = str(path)
    return export
