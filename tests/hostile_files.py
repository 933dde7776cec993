"""Hostile uploads of issue #9, built tiny in the tests (a few KB each).

Each takes a valid workbook's bytes and changes its archive the way a real file goes wrong:
one stray cell far out (``XFD1048576``), a declared dimension that lies, a sheet that unpacks
to far more than it weighs. The cells are written into the sheet's XML directly, as Excel
would store them, so no reader is involved in making them.
"""

from __future__ import annotations

import io
import re
import zipfile


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def _pack(members: list[tuple[zipfile.ZipInfo, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, content in members:
            archive.writestr(info.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def sheet_member(data: bytes, sheet: str) -> str:
    """The archive path of a sheet's XML (from the workbook's sheet list and relationships)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook).group(1)
    tag = next(t for t in re.findall(r"<Relationship [^>]*>", rels) if f'Id="{rid}"' in t)
    target = re.search(r'Target="([^"]+)"', tag).group(1).lstrip("/")
    return target if target.startswith("xl/") else f"xl/{target}"


def edit_sheet(data: bytes, sheet: str, edit) -> bytes:
    """The workbook with ``edit(xml) -> xml`` applied to one sheet's XML."""
    member = sheet_member(data, sheet)
    return _pack([(i, edit(c) if i.filename == member else c) for i, c in _members(data)])


def with_cell(data: bytes, sheet: str, ref: str = "XFD1048576", value: str = "1") -> bytes:
    """One numeric cell added at ``ref`` (in its own row at the end of the sheet data)."""
    row = re.match(r"[A-Z]+(\d+)", ref).group(1)
    cell = f'<row r="{row}"><c r="{ref}"><v>{value}</v></c></row>'.encode()
    return edit_sheet(data, sheet, lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>"))


def with_dimension(data: bytes, sheet: str, ref: str = "A1:XFD1048576") -> bytes:
    """The sheet's declared <dimension> replaced (or added) by ``ref``; its cells unchanged."""

    def edit(xml: bytes) -> bytes:
        tag = f'<dimension ref="{ref}"/>'.encode()
        if b"<dimension" in xml:
            return re.sub(rb"<dimension [^>]*/>", tag, xml)
        return re.sub(rb"(<sheetData)", tag + rb"\1", xml, count=1)

    return edit_sheet(data, sheet, edit)


def with_padding(data: bytes, sheet: str, megabytes: int) -> bytes:
    """The sheet's XML padded with empty rows far below the data: unpacks to ``megabytes``
    MB more while the archive barely grows (a zip bomb in the shape of a worksheet)."""
    # empty <row> elements hold no cell, so only the uncompressed size and ratio are hostile
    filler = b"<row/>" * (megabytes * (1 << 20) // 6)
    return edit_sheet(data, sheet, lambda xml: xml.replace(b"</sheetData>", filler + b"</sheetData>"))


def with_formula(data: bytes, sheet: str, ref: str, formula: str, result: str | None = None) -> bytes:
    """The cell ``ref`` replaced by a formula: without a stored result (never calculated), or
    with the text ``result`` that Excel stored when it calculated the formula."""

    def edit(xml: bytes) -> bytes:
        if result is None:
            cell = f'<c r="{ref}"><f>{formula}</f></c>'.encode()
        else:
            cell = f'<c r="{ref}" t="str"><f>{formula}</f><v>{result}</v></c>'.encode()
        pattern = rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)'.encode()
        assert re.search(pattern, xml, re.S), ref
        return re.sub(pattern, cell, xml, count=1, flags=re.S)

    return edit_sheet(data, sheet, edit)
