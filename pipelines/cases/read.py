"""Read a case-data export as received: an Excel workbook or CSV files named like the sheets.

Reading keeps every cell as it came (Excel: native dates and numbers; CSV: text) with its
row number; parsing and validation happen in ``rules`` and ``importer``. CSV files may use
``;`` or ``,`` as delimiter and be encoded in UTF-8 or Windows-1252.

Before a cell is read the upload limits are checked (``pipelines.workbook_guard``: file size,
archive, each sheet's extent), and a sheet's header row is checked for the required columns
before its body is read. Cells right of the header (or under an empty header) are kept as
``RawSheet.outside`` so that the importer can report them; formulas that Excel never computed
(no stored result) are kept as ``UNCOMPUTED`` so that they are refused, not read as empty.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from pipelines.cases.rules import UNCOMPUTED
from pipelines.cases.schema import CODES_TITLE, DICTIONARY_TITLE, SHEETS, Column, Sheet
from pipelines.warehouse import PipelineError
from pipelines.workbook_guard import check_file, check_size, column_letters, limits

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
    # row number -> column letters of the cells with a value right of the header or under an
    # empty header (never imported; the importer quarantines the row)
    outside: dict[int, list[str]] = field(default_factory=dict)

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


def match_column(spec: Sheet, header: str) -> Column | None:
    """The column a header names: its German label or technical name."""
    key = normalise(header)
    return next((c for c in spec.columns if key in (normalise(c.label), normalise(c.name))), None)


def check_headers(spec: Sheet, headers: list[str], where: str) -> None:
    """Required columns present (checked on the header row, before the body is read)."""
    named = {c.name for h in headers if h and (c := match_column(spec, h)) is not None}
    missing = [c.label for c in spec.columns if c.required and c.name not in named]
    if missing:
        raise PipelineError(
            f"{where}: Pflichtspalte(n) fehlen / required column(s) missing: "
            f"{', '.join(missing)}. Vorhanden / found: {', '.join(h for h in headers if h)}"
        )


def _header(row: list[object] | tuple) -> list[str]:
    headers = ["" if h is None else str(h).strip() for h in row]
    while headers and not headers[-1]:
        headers.pop()
    return headers


def _body(
    headers: list[str], rows: Iterable[tuple[int, list[object] | tuple]]
) -> tuple[list[tuple[int, list[object]]], dict[int, list[str]]]:
    """The non-empty rows cut to the header's width, and where values lie outside it."""
    width = len(headers)
    unnamed = [i for i, h in enumerate(headers) if not h]
    body, outside = [], {}
    for number, row in rows:
        values = list(row[:width]) + [None] * max(0, width - len(row))
        values = [None if isinstance(v, str) and not v.strip() else v for v in values]
        stray = [
            column_letters(i + 1)
            for i in [*unnamed, *range(width, len(row))]
            if i < len(row) and row[i] is not None and not (isinstance(row[i], str) and not row[i].strip())
        ]
        if stray:
            outside[number] = stray
        if stray or any(v is not None for v in values):
            body.append((number, values))
    return body, outside


def _uncomputed_formulas(archive_data: bytes, member: str) -> set[tuple[int, int]]:
    """(row, 1-based column) of formula cells without a stored result."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive_data)) as archive:
            xml = archive.read(member)
    except (KeyError, zipfile.BadZipFile, OSError):
        return set()
    if b"<f" not in xml:
        return set()
    found = set()
    for match in _FORMULA_CELL.finditer(xml):
        inner = match.group(3)
        if b"<f" in inner and not _VALUE.search(inner):
            found.add((int(match.group(2)), column_index(match.group(1))))
    return found


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(.*?)</c>', re.S)
_VALUE = re.compile(rb"<v>[^<]+</v>|<is>")


def column_index(letters: bytes) -> int:
    index = 0
    for char in letters.decode():
        index = index * 26 + ord(char) - 64
    return index


def read_xlsx(data: bytes, file_name: str) -> RawExport:
    """All known sheets of a workbook; unknown sheets are reported and ignored."""
    members = {e.sheet: e.member for e in check_file(file_name, data)}  # limits, before any cell
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
            if spec.key in export.sheets:
                raise PipelineError(
                    f"{file_name}: die Blätter '{export.sheets[spec.key].sheet_name}' und '{ws.title}' "
                    f"stehen beide für '{spec.title}'; bitte die Daten in ein Blatt zusammenführen und "
                    f"das andere löschen oder umbenennen / both sheets stand for the same table; merge "
                    f"them into one and delete or rename the other"
                )
            export.sheets[spec.key] = _read_sheet(ws, spec, file_name, data, members.get(ws.title))
    finally:
        workbook.close()
    return export


def _read_sheet(ws, spec: Sheet, file_name: str, data: bytes, member: str | None) -> RawSheet:
    ws.reset_dimensions()  # the declared dimension may lie: walk the cells that are there
    rows = ws.iter_rows(values_only=True)
    headers = _header(next(rows, ()))
    where = f"{file_name}, Blatt '{ws.title}'"
    check_headers(spec, headers, where)
    formulas = _uncomputed_formulas(data, member) if member else set()
    numbered = enumerate(rows, start=2)
    if formulas:
        numbered = (
            (n, [UNCOMPUTED if v is None and (n, j) in formulas else v for j, v in enumerate(row, 1)])
            for n, row in numbered
        )
    body, outside = _body(headers, numbered)
    return RawSheet(spec, file_name, ws.title, headers, body, outside=outside)


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
    check_size(file_name, len(data))
    text = decode(data, file_name)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    if first.count(delimiter) == 0 and len(spec.columns) > 1:
        delimiter = ";"
    records = _csv_records(text, delimiter, file_name)
    headers = _header(next(records, (1, []))[1])
    check_headers(spec, headers, file_name)
    body, outside = _body(headers, records)
    return RawSheet(spec, file_name, None, headers, body, delimiter, outside)


def _csv_records(text: str, delimiter: str, file_name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) of each record; a record over several lines (an unterminated
    quote swallows the lines after it) or any other CSV error refuses the file, naming the line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    cap = limits().max_rows
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise PipelineError(
                f"{file_name}, Zeile {line}: CSV nicht lesbar ({exc}); meist fehlt ein schließendes "
                f'Anführungszeichen (") / line {line}: CSV not readable, usually a closing quote '
                f"is missing"
            ) from exc
        if reader.line_num > line and any("\n" in f or "\r" in f for f in fields):
            raise PipelineError(
                f"{file_name}, Zeile {line}: ein Feld reicht über {reader.line_num - line + 1} Zeilen "
                f'(bis Zeile {reader.line_num}); meist fehlt ein schließendes Anführungszeichen ("). '
                f"Bitte korrigieren und neu exportieren / line {line}: a field spans several lines, "
                f"usually a closing quote is missing"
            )
        if line > cap + 1:
            raise PipelineError(
                f"{file_name}: mehr als {cap:,} Zeilen; erlaubt sind höchstens {cap:,} (Einstellung "
                f"upload.max_rows). Bitte die Datei aufteilen / more than {cap:,} rows (setting "
                f"upload.max_rows); split the file".replace(",", ".")
            )
        yield line, fields
        line = reader.line_num + 1


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
        for p in files:
            check_size(str(p), p.stat().st_size)
        return read_csv_files([(p.name, p.read_bytes()) for p in files], source=str(path))
    if not path.exists():
        raise PipelineError(f"{path}: Datei nicht gefunden / file not found")
    check_size(str(path), path.stat().st_size)  # before the file is read into memory
    export = read_files([(path.name, path.read_bytes())])
    export.source = str(path)
    return export
