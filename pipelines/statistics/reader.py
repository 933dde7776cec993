"""Reading raw sources: Excel sheets as grids (calamine via fastexcel), CSV text.

calamine trims empty leading rows and columns; the grid remembers that offset so that every
message names the row and column as Excel shows them.

Columns whose first cells are numbers (seen in the sheet's XML) are read as numbers: turning
every number into text and back would cost more than the whole rest of a large file's parse.
Their other cells (header texts, '*', '-', dates, Excel errors) come back from calamine as
cell errors and are kept as text beside the numbers, so nothing is lost; a cell of a kind
this reader does not know makes it read the sheet again, all as text. The grid's text view
gives every cell as text, as an all-text read would.

calamine turns a text cell that reads as a number ('1.500', 'inf') into that number without a
word, which would make German thousands '1.500' 1.5. So the texts are vetted first: the
shared strings before the read; texts stored in the sheet itself (inline strings, formula
results) while calamine reads it, on the other core. A workbook with such a text is read all
as text. A boolean cell in a numeric column reads as 1 or 0 (columns with booleans among
their first cells are read as text).
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import fastexcel
import polars as pl

from pipelines.statistics.cells import column_letter, number_text
from pipelines.statistics.model import ParseError
from pipelines.workbook_guard import UploadRefused, check_file, check_size

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL = re.compile(rb'<c r="([A-Z]+)(\d+)"([^>]*?)(?<!/)>\s*<(?:v|is|f)\b')
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')
_SHARED = re.compile(rb"<si>(.*?)</si>", re.S)
_SHARED_TEXT = re.compile(r"<t(?:\s[^>]*)?>([^<]*)</t>")
_SHARED_PLAIN = (r"<si><t(?:\s[^>]*)?>[^<]*</t></si>", r"<si><t\s*/></si>|<si/>")
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)
_SHARED_OTHER = r"(?s)<si>(?:<r>|<t[^>]*>[^<]*</t><[a-zA-Z]).*?</si>"
# A text calamine would read as a number that says something else than the text: Rust's f64
# syntax ('1.500', '1e3', 'inf', '+4', '0012'), except integers that print back the same ('12').
NUMBER_TEXT = (
    r"(?:[+-]?(?:\d+\.\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?\d+[eE][+-]?\d+|[+-]?(?i:inf|infinity|nan)"
    r"|\+\d+|-?0\d+|-0|-?[1-9]\d{15,})"
)
_NUMBER_TEXT = re.compile(NUMBER_TEXT)
# such a text stored in the sheet itself: an inline string, or a formula's text result
_SHEET_NUMBER_TEXT = (
    rf"<t(?:\s[^>]*)?>{NUMBER_TEXT}</t>"
    rf'|t="str"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>{NUMBER_TEXT}</v>'
)
TEXT_SUFFIX = "_text"  # the companion column of a numeric column: its cells that are no number
SCAN_BYTES = 1 << 18  # the first 256 KB of a sheet's XML decide which columns are numeric
MIN_NUMBERS = 3  # a column is read as numbers with at least this many numbers in the scan
# ... and at most one other cell per NUMBERS_PER_OTHER numbers: a cell error costs about four
# times what turning a number into text does (heavily suppressed columns read faster as text)
NUMBERS_PER_OTHER = 4
SPARE_COLUMNS = 256  # columns right of the scanned ones that are still read as text for sure


def file_kind(data: bytes) -> str:
    """'xlsx', 'xls' or 'text' by content (never by file name)."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        return "xls"
    return "text"


@dataclass
class Grid:
    """One sheet: cells in columns c0..cN, plus the offset of cell (0, 0).

    A column is text (String), or numbers (Float64) with a companion ``c<j>_text`` holding
    the cells that are no number. ``text(j)`` and ``rows()`` give every cell as text.
    """

    sheet: str
    frame: pl.DataFrame
    row0: int  # Excel row number of grid row 0
    col0: int  # 0-based Excel column index of grid column 0

    @property
    def width(self) -> int:
        return sum(1 for name in self.frame.columns if not name.endswith(TEXT_SUFFIX))

    def is_numeric(self, j: int) -> bool:
        return f"c{j}{TEXT_SUFFIX}" in self.frame.columns

    def text(self, j: int) -> pl.Expr:
        """Column j as text, named c<j>."""
        name = f"c{j}"
        if not self.is_numeric(j):
            return pl.col(name)
        return pl.coalesce(pl.col(name + TEXT_SUFFIX), number_text(pl.col(name))).alias(name)

    def present(self, j: int) -> pl.Expr:
        """Cell j holds something (a number or a text)."""
        name = f"c{j}"
        if not self.is_numeric(j):
            return pl.col(name).is_not_null()
        return pl.col(name).is_not_null() | pl.col(name + TEXT_SUFFIX).is_not_null()

    def excel_row(self, index: int) -> int:
        return self.row0 + index

    def column_name(self, index: int) -> str:
        return column_letter(self.col0 + index)

    def rows(self, start: int = 0, stop: int | None = None) -> list[tuple]:
        part = self.frame.slice(start, None if stop is None else stop - start)
        return part.select(self.text(j) for j in range(self.width)).rows()


@dataclass(frozen=True)
class SheetScan:
    """What the first part of a sheet's XML tells: first used row and column, and which
    (0-based, absolute) columns hold mostly numbers there."""

    row0: int
    col0: int
    numeric: frozenset[int]
    last_col: int
    member: str = ""  # the sheet's XML in the archive
    special: tuple[tuple[int, int, str], ...] = ()  # .xls: its error cells (Excel row, column, text)


class Workbook:
    """An Excel workbook (.xlsx or .xls) opened from bytes."""

    def __init__(self, source: str, data: bytes) -> None:
        self.source, self.data, self.kind = source, data, file_kind(data)
        # upload limits, before any cell is read; the same scan tells which sheets hold nothing
        # for sheet_xml to find (their XML is then not inflated a second time beside the read)
        extents = guarded(source, lambda: check_file(source, data)) or []
        self._plain = {e.member for e in extents if e.plain}
        try:
            self.reader = fastexcel.read_excel(data)
            self.sheet_names = list(self.reader.sheet_names)
        except Exception as exc:  # calamine raises several error types
            raise ParseError(
                source,
                "Excel-Datei nicht lesbar (beschädigt, verschlüsselt oder kein Excel-Format); "
                "in Excel öffnen und neu speichern hilft oft",
                "Excel file cannot be read (damaged, encrypted or no Excel format); opening and "
                "saving it again in Excel often helps",
                expected=".xlsx oder .xls der Statistik der BA",
            ) from exc
        self._scans: dict[str, SheetScan] | None = None
        self._grids: dict[str, Grid] = {}

    def grid(self, sheet: str, n_rows: int | None = None) -> Grid:
        """The sheet as a grid, read once per workbook: calamine parses the whole sheet even
        for ``n_rows``, so detection and parsing share one read (``n_rows`` slices it)."""
        if sheet not in self._grids:
            scan = self._scan(sheet)
            # error cells and formulas without a cached value read as empty: found in the XML
            # beside the read and put back as their text (they go to quarantine, never vanish)
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vet") as pool:
                xml: Future[SheetXml] | None = None
                if scan.member in self._plain:
                    xml = Future()
                    xml.set_result(PLAIN_SHEET)
                elif scan.member:
                    xml = pool.submit(sheet_xml, self.data, scan.member)
                try:
                    read = self._typed(sheet, scan, xml) if scan.numeric and xml is not None else None
                    if read is None:
                        loaded = self.reader.load_sheet(sheet, header_row=None, dtypes="string")
                        read = _named(loaded.to_polars()), loaded.available_columns()
                except Exception as exc:
                    raise ParseError(
                        self.source,
                        "Blatt nicht lesbar; in Excel öffnen und neu speichern",
                        "sheet cannot be read; open it in Excel and save it again",
                        sheet=sheet,
                    ) from exc
                frame, columns = read
                col0 = columns[0].absolute_index if columns else scan.col0
                grid = Grid(sheet, frame, scan.row0, col0)
                cells = xml.result().special if xml is not None else list(scan.special)
            self._grids[sheet] = with_special_cells(grid, cells) if cells else grid
        grid = self._grids[sheet]
        if n_rows is None:
            return grid
        return Grid(sheet, grid.frame.head(n_rows), grid.row0, grid.col0)

    def _typed(self, sheet: str, scan: SheetScan, xml: Future[SheetXml]) -> tuple[pl.DataFrame, list] | None:
        """The sheet with the scan's numeric columns read as numbers and their other cells as
        text beside them; None when that cannot be done without loss (read all as text).
        ``xml``: the sheet's own texts (inline strings, formula results), vetted while calamine
        reads."""
        dtypes: dict[int, str] = dict.fromkeys(range(scan.last_col + SPARE_COLUMNS), "string")
        dtypes.update(dict.fromkeys(scan.numeric, "float"))
        loaded = self.reader.load_sheet(sheet, header_row=None, dtypes=dtypes)
        if xml.result().number_texts:
            return None
        columns = loaded.available_columns()
        if any(c.dtype_from != "provided_by_index" for c in columns):
            return None  # a column right of all scanned ones: its type would be guessed
        batch, errors = loaded.to_arrow_with_errors()
        frame = _named(pl.DataFrame(batch))
        texts = error_texts(errors.errors if errors is not None else [])
        if texts is None:
            return None
        numeric = [i for i, c in enumerate(columns) if c.dtype == "float"]
        companions = []
        for i in numeric:
            rows, values = texts.get(i, ([], []))
            column = pl.repeat(None, frame.height, dtype=pl.String, eager=True)
            column = column.alias(f"c{i}{TEXT_SUFFIX}")
            companions.append(column.scatter(rows, values) if rows else column)
        return frame.with_columns(companions), columns

    def _scan(self, sheet: str) -> SheetScan:
        if self._scans is None:
            self._scans = _xlsx_scans(self.data) if self.kind == "xlsx" else _xls_scans(self.data)
        return self._scans.get(sheet, SheetScan(1, 0, frozenset(), 0))


def guarded(source: str, check):
    """Run an upload-limit check (its result); its refusal as the reader's ParseError."""
    try:
        return check()
    except UploadRefused as exc:
        raise ParseError(source, exc.problem_de, exc.problem_en, sheet=exc.sheet) from exc


def _named(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})


# --- cell errors of a numeric read: the cells that were no number, as text --------------------

_ERROR_DETAIL = re.compile(r"^Expected float but got '(.*)'$", re.S)
_STRING_CELL = re.compile(r'^String\("(.*)"\)$', re.S)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|.)", re.S)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
_DATETIME_CELL = re.compile(
    r"^DateTime\(ExcelDateTime \{ value: ([0-9.eE+-]+), datetime_type: DateTime, "
    r"is_1904: (true|false) \}\)$"
)
_ISO_CELL = re.compile(r'^(?:DateTimeIso|DurationIso)\("(.*)"\)$', re.S)
EXCEL_ERRORS = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#DATA!",
}


def _unescape(text: str) -> str:
    """Undo Rust's Debug escaping of a string ('\\"', '\\n', '\\u{a0}', ...)."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        if code not in _ESCAPES:
            raise ValueError(code)
        return _ESCAPES[code]

    return _ESCAPE.sub(one, text)


def _excel_datetime(serial: float, is_1904: bool) -> str | None:
    """An Excel date serial as calamine writes it as text ('2025-06-30 00:00:00')."""
    if not is_1904 and serial < 61:  # 1900 leap-year bug zone: leave it to the text read
        return None
    base = datetime(1904, 1, 1) if is_1904 else datetime(1899, 12, 30)
    millis = round(serial * 86_400_000)
    if millis % 1000:
        return None
    return (base + timedelta(milliseconds=millis)).strftime("%Y-%m-%d %H:%M:%S")


def cell_text(detail: str) -> str | None:
    """The text of a cell that a numeric read reported as an error; None if unknown."""
    match = _ERROR_DETAIL.match(detail)
    if not match:
        return None
    cell = match.group(1)
    if found := _STRING_CELL.match(cell):
        try:
            return _unescape(found.group(1))
        except ValueError:
            return None
    if cell.startswith("Error(") and cell.endswith(")"):
        return EXCEL_ERRORS.get(cell[6:-1])
    if found := _DATETIME_CELL.match(cell):
        return _excel_datetime(float(found.group(1)), found.group(2) == "true")
    if found := _ISO_CELL.match(cell):
        return _unescape(found.group(1))
    return None


def error_texts(errors) -> dict[int, tuple[list[int], list[str]]] | None:
    """Per grid column: (rows, texts) of the cells that were no number; None if one of them
    cannot be turned back into its text."""
    out: dict[int, tuple[list[int], list[str]]] = {}
    for error in errors:
        text = cell_text(error.detail)
        if text is None:
            return None
        row, column = error.position
        rows, texts = out.setdefault(column, ([], []))
        rows.append(row)
        texts.append(text)
    return out


# --- where a sheet starts and which columns hold numbers ---------------------------------------


def _xlsx_scans(data: bytes) -> dict[str, SheetScan]:
    """Per sheet, from the first cells of its XML: offsets and numeric columns."""
    out: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = dict(re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
            targets.update({k: v for v, k in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
            numbers_as_text = _numbers_as_text(archive, targets)
            for name, rid in re.findall(rb'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
                member = _member(targets.get(rid, b""))
                with archive.open(member) as stream:
                    head = stream.read(SCAN_BYTES)
                cells = _CELL.findall(head)
                if cells:
                    label = name.decode("utf-8").replace("&amp;", "&")
                    scan = replace(_scan_cells(cells), member=member)
                    if numbers_as_text:
                        scan = replace(scan, numeric=frozenset())
                    out[label] = scan
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    return out


def _member(target: bytes) -> str:
    """The archive path of a relationship target of the workbook ('worksheets/sheet1.xml')."""
    path = target.decode().lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


# --- error cells and formulas without a cached value -------------------------------------------

FORMULA_PREFIX = "="  # a formula without a cached value comes back as '=<formula>'
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*?\bt="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]*)</v>'
)
_BARE_FORMULA = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>(?:<f[^>]*/>|<f[^>]*>([^<]*)</f>)(?:<v\s*/>|<v></v>)?</c>'
)


def special_cells(xml: bytes) -> list[tuple[int, int, str]]:
    """(Excel row, 0-based column, text) of the sheet's error cells ('#DIV/0!') and of its
    formulas without a cached value ('=A2*2'): calamine reads both as empty cells."""
    out = []
    if b't="e"' in xml:
        for col, row, text in _ERROR_CELL.findall(xml):
            out.append((int(row), _col_index(col.decode()), text.decode("utf-8", "replace")))
    if b"<f" in xml:
        for col, row, formula in _BARE_FORMULA.findall(xml):
            text = FORMULA_PREFIX + (
                formula.decode("utf-8", "replace") or "(geteilte Formel / shared formula)"
            )
            out.append((int(row), _col_index(col.decode()), text))
    return out


def with_special_cells(grid: Grid, cells: list[tuple[int, int, str]]) -> Grid:
    """The grid with the given cells' texts set (in the text companion of a numeric column);
    rows and columns are added when calamine left them out as empty."""
    frame = grid.frame
    rows = max(r for r, _, _ in cells) - grid.row0 + 1
    if rows > frame.height:
        frame = pl.concat([frame, pl.DataFrame(schema=frame.schema).clear(rows - frame.height)])
    width = sum(1 for name in frame.columns if not name.endswith(TEXT_SUFFIX))
    extra = [f"c{j}" for j in range(width, max(c for _, c, _ in cells) - grid.col0 + 1)]
    if extra:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(name) for name in extra)
    by_column: dict[str, tuple[list[int], list[str]]] = {}
    for row, col, text in cells:
        i, j = row - grid.row0, col - grid.col0
        if i < 0 or j < 0:
            continue
        name = f"c{j}{TEXT_SUFFIX}" if f"c{j}{TEXT_SUFFIX}" in frame.columns else f"c{j}"
        rows_, texts = by_column.setdefault(name, ([], []))
        rows_.append(i)
        texts.append(text)
    return replace(
        grid,
        frame=frame.with_columns(
            frame[name].scatter(positions, values) for name, (positions, values) in by_column.items()
        ),
    )


@dataclass(frozen=True)
class SheetXml:
    """What the sheet's XML itself tells, read once beside calamine's read."""

    number_texts: bool  # an inline or formula text that calamine would read as a number
    special: list[tuple[int, int, str]]  # special_cells()


PLAIN_SHEET = SheetXml(False, [])  # a sheet whose XML has no texts or cells to vet (see the guard)


def sheet_xml(data: bytes, member: str) -> SheetXml:
    """The sheet's XML, decompressed once: number texts (True, the safe answer, when the
    sheet cannot be read here) and its special cells. Polars' regex engine scans the XML
    without holding the GIL, so this runs beside calamine's read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(member)
    except (KeyError, zipfile.BadZipFile, OSError):
        return SheetXml(True, [])
    return SheetXml(_has_number_texts(xml), special_cells(xml))


def _has_number_texts(xml: bytes) -> bool:
    """Does the sheet hold an inline or formula text that calamine would read as a number?"""
    if b't="inlineStr"' not in xml and b't="str"' not in xml:
        return False  # all texts are shared strings (the usual case: vetted before the read)
    text = xml.decode("utf-8", "replace")
    return bool(pl.Series([text]).str.contains(_SHEET_NUMBER_TEXT).item())


def _numbers_as_text(archive: zipfile.ZipFile, targets: dict[bytes, bytes]) -> bool:
    """Does a shared string read as a number that is not a plain integer?"""
    target = next((t for t in targets.values() if t.lower().endswith(b"sharedstrings.xml")), None)
    if target is None:
        return False
    member = _member(target)
    try:
        shared = archive.read(member)
    except KeyError:
        return False
    # Polars' regex engine over the whole table: the plain items (one text each) at once
    text = shared.decode("utf-8", "replace")
    table = pl.Series([text])
    if table.str.contains(rf"<si><t(?:\s[^>]*)?>{NUMBER_TEXT}</t></si>").item():
        return True
    if "<r>" not in text and "<rPh" not in text:
        return False  # every item is plain
    # items of several runs (rich text) or with phonetic parts: their texts joined, one by one
    others = table.str.extract_all(_SHARED_OTHER).explode().drop_nulls().to_list()
    plain = sum(table.str.count_matches(p).item() for p in _SHARED_PLAIN)
    if plain + len(others) != table.str.count_matches(r"<si>|<si/>").item():
        others = [m.group(0).decode("utf-8", "replace") for m in _SHARED.finditer(shared)]
    return any(  # the text of an item: its runs, without the phonetic guides
        _NUMBER_TEXT.fullmatch("".join(_SHARED_TEXT.findall(_PHONETIC.sub("", item)))) for item in others
    )


def _scan_cells(cells: list[tuple[bytes, bytes, bytes]]) -> SheetScan:
    numbers: dict[int, int] = {}
    others: dict[int, int] = {}
    booleans: set[int] = set()
    letters: dict[bytes, int] = {}
    first_row = None
    for col, row, attrs in cells:
        j = letters.get(col)
        if j is None:
            j = letters[col] = _col_index(col.decode())
        r = int(row)
        first_row = r if first_row is None else min(first_row, r)
        kind = _CELL_TYPE.search(attrs)
        kind = kind.group(1) if kind else b"n"
        if kind == b"n":
            numbers[j] = numbers.get(j, 0) + 1
        else:
            others[j] = others.get(j, 0) + 1
            if kind == b"b":
                booleans.add(j)  # a boolean read as a number would become 1.0 unnoticed
    numeric = frozenset(
        j
        for j, n in numbers.items()
        if n >= MIN_NUMBERS and n >= NUMBERS_PER_OTHER * others.get(j, 0) and j not in booleans
    )
    return SheetScan(first_row or 1, min(letters.values()), numeric, max(letters.values()))


def _xls_scans(data: bytes) -> dict[str, SheetScan]:
    """Offsets and error cells: .xls sheets are small (at most 65,536 rows) and read as text."""
    try:
        import xlrd
    except ImportError:  # offsets are for messages only
        return {}
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except Exception:
        return {}
    out = {}
    for sheet in book.sheets():
        first = next(
            (
                (r, c)
                for r in range(sheet.nrows)
                for c in range(sheet.ncols)
                if sheet.cell_type(r, c) not in (0, 6)
            ),
            (0, 0),
        )
        cols = [
            c
            for r in range(min(sheet.nrows, 200))
            for c in range(sheet.ncols)
            if sheet.cell_type(r, c) not in (0, 6)
        ]
        errors = tuple(  # error cells read as empty: kept as their text (they go to quarantine)
            (r + 1, c, xlrd.error_text_from_code.get(sheet.cell_value(r, c), "#ERROR"))
            for r in range(sheet.nrows)
            for c in range(sheet.ncols)
            if sheet.cell_type(r, c) == xlrd.XL_CELL_ERROR
        )
        out[sheet.name] = SheetScan(first[0] + 1, min(cols) if cols else 0, frozenset(), 0, special=errors)
    return out


def _col_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def decode_text(source: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 when the text has its typographic
    characters (bytes 0x80-0x9F), else Latin-1 (the older Regionaldatenbank exports)."""
    guarded(source, lambda: check_size(source, len(data)))
    if b"\x00" in data[:4096]:
        raise ParseError(
            source,
            "Binärdatei, keine CSV- oder Excel-Datei",
            "binary file, neither CSV nor Excel",
            expected="CSV (;-getrennt) oder .xlsx/.xls",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Windows-1252 and Latin-1 differ only in 0x80-0x9F: typographic dashes and quotes, '€'
    # in Windows-1252, invisible control characters in Latin-1 (never meant in a CSV)
    if re.search(rb"[\x80-\x9f]", data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return data.decode("latin-1")


CSV_HEAD_CHARS = 200_000  # the head of a CSV text: metadata block and header line stand there


@dataclass(frozen=True)
class CsvText:
    """A CSV file as UTF-8 bytes for Polars (the file itself when it is UTF-8: no copy as a
    Python text) and its decoded head for the metadata block and the header line."""

    utf8: bytes
    head: str

    @classmethod
    def of(cls, text: str) -> CsvText:
        return cls(text.encode("utf-8"), text[:CSV_HEAD_CHARS])


def decode_csv(source: str, data: bytes) -> CsvText:
    """decode_text(), but a UTF-8 file stays bytes (a 60 MB export is not held as text)."""
    guarded(source, lambda: check_size(source, len(data)))
    body = memoryview(data)[3:] if data.startswith(b"\xef\xbb\xbf") else memoryview(data)
    check = codecs.getincrementaldecoder("utf-8")()
    try:  # validated in pieces: no text of the whole file is made
        for start in range(0, len(body), 1 << 22):
            check.decode(body[start : start + (1 << 22)])
        check.decode(b"", final=True)
    except UnicodeDecodeError:
        return CsvText.of(decode_text(source, data))
    if b"\x00" in data[:4096]:
        decode_text(source, data[:4096])  # the binary-file message
    # Polars skips a byte-order mark itself: the file's own bytes, no copy
    return CsvText(data, bytes(body[: CSV_HEAD_CHARS * 2]).decode("utf-8", "ignore")[:CSV_HEAD_CHARS])


def csv_lines(text: str) -> list[list[str]]:
    """Split ;-separated text into fields (quotes honoured) without type inference."""
    import csv

    return list(csv.reader(io.StringIO(text), delimiter=";"))
