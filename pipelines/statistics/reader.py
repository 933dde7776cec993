"""Reading raw sources: Excel sheets as grids of text (calamine via fastexcel), CSV text.

calamine trims empty leading rows and columns; the grid remembers that offset so that every
message names the row and column as Excel shows them.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import fastexcel
import polars as pl

from pipelines.statistics.cells import column_letter
from pipelines.statistics.model import ParseError

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CELL_REF = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?<!/)>\s*<(?:v|is|f)\b')


def file_kind(data: bytes) -> str:
    """'xlsx', 'xls' or 'text' by content (never by file name)."""
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if data.startswith(XLS_MAGIC):
        return "xls"
    return "text"


@dataclass
class Grid:
    """One sheet: all cells as text in columns c0..cN, plus the offset of cell (0, 0)."""

    sheet: str
    frame: pl.DataFrame
    row0: int  # Excel row number of grid row 0
    col0: int  # 0-based Excel column index of grid column 0

    def excel_row(self, index: int) -> int:
        return self.row0 + index

    def column_name(self, index: int) -> str:
        return column_letter(self.col0 + index)

    def rows(self, start: int = 0, stop: int | None = None) -> list[tuple]:
        return self.frame.slice(start, None if stop is None else stop - start).rows()


class Workbook:
    """An Excel workbook (.xlsx or .xls) opened from bytes."""

    def __init__(self, source: str, data: bytes) -> None:
        self.source, self.data, self.kind = source, data, file_kind(data)
        try:
            self.reader = fastexcel.read_excel(data)
            self.sheet_names = list(self.reader.sheet_names)
        except Exception as exc:  # calamine raises several error types
            raise ParseError(
                source,
                f"Excel-Datei nicht lesbar ({exc})",
                "Excel file cannot be read; re-saving it in Excel often helps",
                expected=".xlsx oder .xls der Statistik der BA",
            ) from exc
        self._offsets: dict[str, tuple[int, int]] | None = None
        self._grids: dict[str, Grid] = {}

    def grid(self, sheet: str, n_rows: int | None = None) -> Grid:
        """The sheet as a grid, read once per workbook: calamine parses the whole sheet even
        for ``n_rows``, so detection and parsing share one read (``n_rows`` slices it)."""
        if sheet not in self._grids:
            try:
                loaded = self.reader.load_sheet(sheet, header_row=None, dtypes="string")
                frame = loaded.to_polars()
            except Exception as exc:
                raise ParseError(
                    self.source, f"Blatt nicht lesbar ({exc})", "sheet cannot be read", sheet=sheet
                ) from exc
            frame = frame.rename({c: f"c{i}" for i, c in enumerate(frame.columns)})
            row0, col0 = self._offset(sheet)
            self._grids[sheet] = Grid(sheet, frame, row0, col0)
        grid = self._grids[sheet]
        if n_rows is None:
            return grid
        return Grid(sheet, grid.frame.head(n_rows), grid.row0, grid.col0)

    def _offset(self, sheet: str) -> tuple[int, int]:
        if self._offsets is None:
            self._offsets = (
                _xlsx_offsets(self.data) if self.kind == "xlsx" else _xls_offsets(self.data)
            )
        return self._offsets.get(sheet, (1, 0))


def _xlsx_offsets(data: bytes) -> dict[str, tuple[int, int]]:
    """First used row and column per sheet, from the first cells of each sheet's XML."""
    out: dict[str, tuple[int, int]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = dict(re.findall(rb'Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
            targets.update(
                {k: v for v, k in re.findall(rb'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)}
            )
            for name, rid in re.findall(
                rb'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook
            ):
                target = targets.get(rid, b"").decode().lstrip("/")
                member = target if target.startswith("xl/") else f"xl/{target}"
                with archive.open(member) as stream:
                    head = stream.read(1 << 18)
                refs = _CELL_REF.findall(head)
                if refs:  # a few distinct rows and column letters among many cells
                    first_row = min(map(int, {r for _, r in refs}))
                    first_col = min(_col_index(c.decode()) for c in {c for c, _ in refs})
                    label = name.decode("utf-8").replace("&amp;", "&")
                    out[label] = (first_row, first_col)
    except (KeyError, zipfile.BadZipFile, OSError):
        return {}
    return out


def _xls_offsets(data: bytes) -> dict[str, tuple[int, int]]:
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
        out[sheet.name] = (first[0] + 1, min(cols) if cols else 0)
    return out


def _col_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def decode_text(source: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else Latin-1 (the older Regionaldatenbank exports)."""
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
        return data.decode("latin-1")


def csv_lines(text: str) -> list[list[str]]:
    """Split ;-separated text into fields (quotes honoured) without type inference."""
    import csv

    return list(csv.reader(io.StringIO(text), delimiter=";"))
