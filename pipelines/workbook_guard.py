"""Upload limits checked before any cell of a file is read (README "Upload-Grenzen").

Both Excel readers allocate by the extent of a sheet, not by its file size: calamine (the
statistics reader) holds the bounding box of all used cells, so one cell at XFD1048576 asks
for 17 billion cells (512 GiB) and the process dies; openpyxl (the case reader) walks every
row up to the declared dimension. A zip archive may also unpack to far more than it weighs.
So before a reader sees a file, this module checks

1. the file's size (``upload.max_file_mb``, also Streamlit's ``server.maxUploadSize``);
2. for .xlsx: every archive member's uncompressed size, their sum and the compression ratio
   (zip bomb), as the archive declares them;
3. per sheet: the declared ``<dimension>`` and the real extent of the cell references, found
   by a stream scan of the sheet's XML in chunks (never the whole XML in memory, never more
   bytes than the archive declares), against the row, column and cell caps;
4. for .xls: the sheets' row and column counts (xlrd, which reads the file whole; .xls files
   are at most 65,536 x 256 cells).

A refusal is an ``UploadRefused`` (a ``PipelineError``) naming the file, the sheet, what was
found, the limit and what to do, in German and English.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from analytics.settings import UploadLimits, get_settings
from pipelines.warehouse import PipelineError

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 22  # bytes of a sheet's XML scanned at a time
RATIO_FLOOR = 1 << 20  # members smaller than this are not checked for their ratio
MAX_MEMBERS = 10_000

_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_REVERSED = re.compile(rb'<sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb"<Relationship\b[^>]*>")
_REL_ID = re.compile(rb'\bId="([^"]*)"')
_REL_TARGET = re.compile(rb'\bTarget="([^"]*)"')
_DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s+ref=["']\$?([A-Z]*)\$?(\d*)(?::\$?([A-Z]+)\$?(\d+))?""")
_LAST_ROW = re.compile(rb'<row r="(\d+)"')
# a cell or row without a leading r="...", or with a namespace prefix (<x:c>): walked exactly
_UNUSUAL = re.compile(rb'<(?:c|row)(?:>|\s(?!r="))')
_PREFIXED = re.compile(rb":(?:c|row)[\s>]")  # <x:c ...>: a namespace prefix
_CELL_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_ANY_TAG = re.compile(rb"<(?:\w+:)?(row|c)(\s[^>]*)?>")
# what the statistics reader looks for in a sheet's XML beside calamine's read (reader.sheet_xml):
# each lies within one tag, and the scan's pieces never cut a tag
VETTED_MARKERS = (b't="inlineStr"', b't="str"', b't="e"', b"<f")
_REF_ATTR = re.compile(rb"""(?<![\w:])r\s*=\s*(["'])([A-Z]*)(\d*)\1""")


class UploadRefused(PipelineError):
    """A file refused before reading: too large, a zip bomb, or a sheet beyond the caps."""

    def __init__(self, source: str, problem_de: str, problem_en: str, *, sheet: str | None = None):
        where = source if sheet is None else f"{source}, Blatt/sheet '{sheet}'"
        super().__init__(f"{where}: {problem_de} / {problem_en}")
        self.source, self.sheet = source, sheet
        self.problem_de, self.problem_en = problem_de, problem_en


@dataclass(frozen=True)
class SheetExtent:
    """How far a sheet's cells reach (1-based; 0 rows/columns for an empty sheet)."""

    sheet: str
    member: str  # the sheet's XML in the archive ('' for .xls)
    rows: int
    columns: int
    # nothing in the sheet's XML for the statistics reader to vet: no inline or formula texts,
    # no error cells, no formulas (seen by the same scan; False when unsure)
    plain: bool = False

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def limits() -> UploadLimits:
    return get_settings().upload


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _megabytes(size: int, decimals: int = 1) -> tuple[str, str]:
    """A size in MB, German and English."""
    en = f"{size / (1 << 20):,.{decimals}f}"
    return en.replace(",", " ").replace(".", ",").replace(" ", "."), en


def column_letters(index: int) -> str:
    """1 -> 'A', 28 -> 'AB'."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: bytes | str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    index = 0
    for char in letters.decode() if isinstance(letters, bytes) else letters:
        index = index * 26 + ord(char) - 64
    return index


def check_size(source: str, size: int, caps: UploadLimits | None = None) -> None:
    """The file's size against ``upload.max_file_mb`` (before it is read)."""
    caps = caps or limits()
    if size > caps.max_file_bytes:
        de, en = _megabytes(size)
        raise UploadRefused(
            source,
            f"Datei ist {de} MB groß; erlaubt sind höchstens {caps.max_file_mb} MB "
            f"(Einstellung upload.max_file_mb). Bitte die Datei aufteilen (z. B. je Jahr oder Blatt)",
            f"file is {en} MB; the limit is {caps.max_file_mb} MB (setting "
            f"upload.max_file_mb). Split the file (e.g. by year or sheet)",
        )


def check_file(source: str, data: bytes, caps: UploadLimits | None = None) -> list[SheetExtent]:
    """Every check for a file by content: size, then archive and sheets (.xlsx) or sheets (.xls).
    Text files are checked for size only. Returns the sheets' extents."""
    caps = caps or limits()
    check_size(source, len(data), caps)
    if data.startswith(XLSX_MAGIC):
        return check_xlsx(source, data, caps)
    if data.startswith(XLS_MAGIC):
        return check_xls(source, data, caps)
    return []


# ------------------------------------------------------------------------------ .xlsx


def check_xlsx(source: str, data: bytes, caps: UploadLimits) -> list[SheetExtent]:
    """Archive sizes and every sheet's extent; an unreadable archive is left to the reader
    (which says so in its own words)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    with archive:
        _check_archive(source, archive, caps)
        return [_check_sheet(source, archive, name, member, caps) for name, member in _sheets(archive)]


def _check_archive(source: str, archive: zipfile.ZipFile, caps: UploadLimits) -> None:
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise UploadRefused(
            source,
            f"Archiv mit {_number(len(members))} Teilen ist keine gewöhnliche Excel-Datei",
            f"an archive of {len(members)} parts is no ordinary Excel file",
        )
    total = sum(m.file_size for m in members)
    if total > caps.max_unpacked_bytes:
        de, en = _megabytes(total, 0)
        raise UploadRefused(
            source,
            f"entpackt {de} MB; erlaubt sind höchstens {caps.max_unpacked_mb} MB "
            f"(Einstellung upload.max_unpacked_mb). Bitte die Datei aufteilen oder leere Zeilen "
            f"und Spalten löschen",
            f"unpacks to {en} MB; the limit is {caps.max_unpacked_mb} MB "
            f"(setting upload.max_unpacked_mb). Split the file or delete empty rows and columns",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > caps.max_compression_ratio:
            raise UploadRefused(
                source,
                f"Teil '{member.filename}' ist {_number(round(ratio))}-fach komprimiert (höchstens "
                f"{caps.max_compression_ratio}-fach, Einstellung upload.max_compression_ratio); so "
                f"packt keine Tabellenkalkulation. Bitte die Datei in Excel öffnen und neu speichern",
                f"part '{member.filename}' is compressed {ratio:,.0f}-fold (limit "
                f"{caps.max_compression_ratio}, setting upload.max_compression_ratio); no spreadsheet "
                f"program packs like that. Open the file in Excel and save it again",
            )


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, archive member) of every worksheet the workbook lists."""
    try:
        workbook = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {}
    for tag in _REL.findall(rels):
        rid, target = _REL_ID.search(tag), _REL_TARGET.search(tag)
        if rid and target:
            targets[rid.group(1)] = target.group(1).decode("utf-8", "replace")
    pairs = [(n, r) for n, r in _SHEET.findall(workbook)] or [
        (n, r) for r, n in _SHEET_REVERSED.findall(workbook)
    ]
    out = []
    for name, rid in pairs:
        target = targets.get(rid, "").lstrip("/")
        member = target if target.startswith("xl/") else f"xl/{target}"
        label = name.decode("utf-8", "replace").replace("&amp;", "&").replace("&apos;", "'")
        out.append((label, member))
    return out


def _refuse_extent(source: str, sheet: str, rows: int, columns: int, caps: UploadLimits, what: str):
    found_de = (
        f"{what[0]} bis Zeile {_number(rows)} und Spalte {column_letters(columns)} ({_number(columns)})"
    )
    found_en = f"{what[1]} up to row {rows:,} and column {column_letters(columns)} ({columns:,})"
    raise UploadRefused(
        source,
        f"{found_de}; erlaubt sind höchstens {_number(caps.max_rows)} Zeilen, "
        f"{_number(caps.max_columns)} Spalten und {_number(caps.max_cells)} Zellen (Zeilen × Spalten; "
        f"Einstellungen upload.max_rows, upload.max_columns, upload.max_cells). Bitte überzählige "
        f"Zellen unterhalb und rechts der Daten löschen (auch leer aussehende) oder die Datei aufteilen",
        f"{found_en}; the limit is {caps.max_rows:,} rows, {caps.max_columns:,} columns and "
        f"{caps.max_cells:,} cells (rows x columns; settings upload.max_rows, upload.max_columns, "
        f"upload.max_cells). Delete stray cells below and right of the data (even blank-looking "
        f"ones) or split the file",
        sheet=sheet,
    )


def _within(rows: int, columns: int, caps: UploadLimits) -> bool:
    return rows <= caps.max_rows and columns <= caps.max_columns and rows * columns <= caps.max_cells


def _check_sheet(
    source: str, archive: zipfile.ZipFile, sheet: str, member: str, caps: UploadLimits
) -> SheetExtent:
    try:
        info = archive.getinfo(member)
    except KeyError:
        return SheetExtent(sheet, member, 0, 0)  # the reader reports a missing sheet
    scan = _ExtentScan()
    seen = 0
    plain = True
    try:
        with archive.open(info) as stream:
            tail = b""
            while chunk := stream.read(CHUNK):
                seen += len(chunk)
                if seen > info.file_size:  # more than the archive declares
                    raise zipfile.BadZipFile("member longer than declared")
                if scan.first:
                    declared = scan.dimension(tail + chunk)
                    if declared and not _within(*declared, caps):
                        _refuse_extent(source, sheet, *declared, caps, ("Blatt ist deklariert", "declared"))
                text = tail + chunk
                cut = text.rfind(b"<")  # an element cut by the chunk waits for the next one
                if cut <= 0:
                    cut = len(text)
                    plain = False  # a piece that may end inside a tag: unsure
                tail = text[cut:]
                piece = text[:cut]
                plain = plain and not any(marker in piece for marker in VETTED_MARKERS)
                scan.feed(piece)
                if not _within(scan.rows, scan.columns, caps):
                    break
            plain = plain and not any(marker in tail for marker in VETTED_MARKERS)
            scan.feed(tail)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise UploadRefused(
            source,
            f"Blatt-XML ist beschädigt ({exc}); bitte in Excel öffnen und neu speichern",
            "the sheet's XML is damaged; open the file in Excel and save it again",
            sheet=sheet,
        ) from exc
    if not _within(scan.rows, scan.columns, caps):
        _refuse_extent(source, sheet, scan.rows, scan.columns, caps, ("Zellen belegt", "cells used"))
    return SheetExtent(sheet, member, scan.rows, scan.columns, plain)


class _ExtentScan:
    """How far the cells of a sheet's XML reach, fed chunk by chunk (each ending before a '<').

    Fast path (what Excel, openpyxl and xlsxwriter write: every row and cell with ``r`` as its
    first attribute): the rows reach to the largest row number of a cell; a cell row beyond the
    last ``<row r>`` is looked for with a pattern that matches only such numbers, so an ordinary
    chunk costs a few scans and no match objects. Columns: cells with three or two letters are
    looked for; the extent with one letter is bounded by Z (26). Cells or rows without a leading
    ``r`` switch to the exact walk that follows the positions as a reader would.
    Self-closing (styled, empty) cells count as used: openpyxl walks to them too.
    """

    def __init__(self) -> None:
        self.rows = 0
        self.columns = 0
        self.first = True
        self.exact = False
        self._row = 0  # exact walk: current row and column
        self._col = 0

    def dimension(self, head: bytes) -> tuple[int, int] | None:
        self.first = False
        found = _DIMENSION.search(head)
        if not found:
            return None
        letters, digits = found.group(3) or found.group(1), found.group(4) or found.group(2)
        if not letters or not digits:
            return None
        return int(digits), column_index(letters)

    def feed(self, text: bytes) -> None:
        if not text:
            return
        if not self.exact and (_PREFIXED.search(text) or _UNUSUAL.search(text)):
            self.exact = True  # from here on every tag is walked
            self._row = self.rows
        if self.exact:
            self._walk(text)
        else:
            self._fast(text)

    def _fast(self, text: bytes) -> None:
        start = text.rfind(b'<row r="')  # the last row element of the chunk
        last = _LAST_ROW.match(text, start) if start >= 0 else None
        if last:
            self.rows = max(self.rows, int(last.group(1)))
        if b'<c r="' not in text:
            return
        rows = str(self.rows)
        # a cell right of Z, or below the last row: more digits, or as many and a greater first one
        odd = rf"[A-Z]{{2}}|[A-Z]\d{{{len(rows) + 1},}}"
        if rows[0] != "9":
            odd += rf"|[A-Z][{int(rows[0]) + 1}-9]\d{{{len(rows) - 1}}}\b"
        if re.search(rb'<c r="(?:' + odd.encode() + rb")", text):
            refs = _CELL_REF.findall(text)
            self.rows = max([self.rows, *(int(r) for _, r in refs)])
            self.columns = max([self.columns, 26, *(column_index(c) for c, _ in refs)])
        else:
            self.columns = max(self.columns, 26)  # one letter: at most Z

    def _walk(self, text: bytes) -> None:
        for match in _ANY_TAG.finditer(text):
            tag, attrs = match.group(1), match.group(2) or b""
            ref = _REF_ATTR.search(attrs)
            if tag == b"row":
                self._row = int(ref.group(3)) if ref and ref.group(3) else self._row + 1
                self._col = 0
                self.rows = max(self.rows, self._row)
                continue
            if ref and ref.group(2):
                self._col = column_index(ref.group(2))
                if ref.group(3):
                    self.rows = max(self.rows, int(ref.group(3)))
            else:
                self._col += 1
            self.columns = max(self.columns, self._col)
            self.rows = max(self.rows, self._row)


# ------------------------------------------------------------------------------- .xls


def check_xls(source: str, data: bytes, caps: UploadLimits) -> list[SheetExtent]:
    try:
        import xlrd
    except ImportError:  # the reader cannot read .xls either and says so
        return []
    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except Exception:  # xlrd raises many types; the reader reports the unreadable file
        return []
    out = []
    try:
        for index, name in enumerate(book.sheet_names()):
            sheet = book.sheet_by_index(index)
            extent = SheetExtent(name, "", sheet.nrows, sheet.ncols)
            if not _within(extent.rows, extent.columns, caps):
                _refuse_extent(
                    source, name, extent.rows, extent.columns, caps, ("Zellen belegt", "cells used")
                )
            out.append(extent)
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return out
