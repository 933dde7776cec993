"""Write statistics in the BA's published layouts (for the demo data and the benchmark).

The files look like the real ones: a title block, a header row naming region, occupation or
sector and the measures, '<code> <label>' cells, the region only on the first row of its
block, '*' for suppressed values, '-' for zero, a footer with the copyright and the creation
date. ``write_xlsx`` builds the sheet XML with Polars string expressions (no Python loop per
cell), so large files are written in seconds; the bytes depend only on the input. Texts go to
a shared-strings table, as Excel stores them.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.statistics.cells import column_letter, number_text

MONTHS_DE = dict(
    enumerate(
        [
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ],
        start=1,
    )
)
FOOTER = "© Statistik der Bundesagentur für Arbeit"
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)
_NUMBER = r"^-?\d+(\.\d+)?$"


def month_label(month: date) -> str:
    return f"{MONTHS_DE[month.month]} {month.year}"


def _escape_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SharedStrings:
    """The workbook's shared-strings table: each distinct text once, cells refer by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_escape_text(text)}</t></si>' for text in self.index)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'uniqueCount="{len(self.index)}">{items}</sst>'
        )


def _static_row(r: int, row: list, strings: SharedStrings) -> str:
    cells = []
    for c, value in enumerate(row):
        ref = f"{column_letter(c)}{r}"
        if value is None:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="s"><v>{strings.add(str(value))}</v></c>')
    return f'<row r="{r}">{"".join(cells)}</row>'


def _body_xml(body: pl.DataFrame, first_row: int, strings: SharedStrings) -> str:
    """All body cells as XML: numeric-looking text as numbers, the rest as shared strings."""
    texts = body.select(pl.col(c).cast(pl.String) for c in body.columns)
    is_text = [pl.col(c).is_not_null() & ~pl.col(c).str.contains(_NUMBER) for c in texts.columns]
    distinct = pl.concat(
        [texts.select(pl.col(c).filter(t).alias("s")) for c, t in zip(texts.columns, is_text, strict=True)]
    )["s"].unique(maintain_order=True)
    for text in distinct.to_list():
        strings.add(text)
    keys, values = list(strings.index), [str(i) for i in strings.index.values()]
    row = (pl.int_range(pl.len(), dtype=pl.Int64) + first_row).cast(pl.String)
    cells = []
    for c, (name, text_cell) in enumerate(zip(texts.columns, is_text, strict=True)):
        text = pl.col(name)
        ref = pl.lit(f'<c r="{column_letter(c)}') + row
        cells.append(
            pl.when(text.is_null())
            .then(pl.lit(""))
            .when(~text_cell)
            .then(ref + pl.lit('"><v>') + text + pl.lit("</v></c>"))
            .otherwise(
                ref
                + pl.lit('" t="s"><v>')
                + text.replace_strict(keys, values, default=None)
                + pl.lit("</v></c>")
            )
        )
    rows = texts.select(
        (pl.lit('<row r="') + row + pl.lit('">') + pl.concat_str(cells) + pl.lit("</row>")).alias("x")
    )
    return rows["x"].str.join("").item() if rows.height else ""


def write_xlsx(
    path: Path, sheet: str, head: list[list], body: pl.DataFrame, foot: list[list], created: date
) -> Path:
    """One sheet: ``head`` rows, the ``body`` frame (no header), a blank row, ``foot`` rows."""
    first_body = len(head) + 1
    after = first_body + body.height + 1
    strings = SharedStrings()
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(_static_row(r, row, strings) for r, row in enumerate(head, start=1))
        + _body_xml(body, first_body, strings)
        + "".join(_static_row(r, row, strings) for r, row in enumerate(foot, start=after + 1))
        + "</sheetData></worksheet>"
    )
    ns = "http://schemas.openxmlformats.org"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rel = f"{ns}/officeDocument/2006/relationships"
    package = "application/vnd.openxmlformats-package"
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<Types xmlns="{ns}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{package}.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.sharedStrings+xml"/>'
            f'<Override PartName="/docProps/core.xml" '
            f'ContentType="{package}.core-properties+xml"/>'
            f"</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{ns}/package/2006/relationships/metadata/core-properties" '
            f'Target="docProps/core.xml"/>'
            f"</Relationships>"
        ),
        "docProps/core.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>'
            f'<cp:coreProperties xmlns:cp="{ns}/package/2006/metadata/core-properties" '
            f'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{created.isoformat()}T00:00:00Z</dcterms:created>'
            f"</cp:coreProperties>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{rel}"><sheets>'
            f'<sheet name="{_escape_text(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            f"</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": xml,
        "xl/sharedStrings.xml": strings.xml(),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content.encode("utf-8"), compresslevel=1)
    return path


def _cell_expr(value: str, flag: str) -> pl.Expr:
    """'*' suppressed, 'x' not available, '-' zero, else the number as text."""
    number = pl.col(value)
    return (
        pl.when(pl.col(flag) == "suppressed")
        .then(pl.lit("*"))
        .when(number.is_null())
        .then(pl.lit("x"))
        .when(number == 0)
        .then(pl.lit("-"))
        .otherwise(number_text(number))
    )


def block_body(
    frame: pl.DataFrame,
    dim: str,
    dim_labels: dict[str, str],
    region_labels: dict[str, str],
    values: list[str],
) -> pl.DataFrame:
    """Region blocks: the 'Insgesamt' row first, carrying the region label; detail rows without."""
    frame = frame.with_columns(_detail=pl.col(dim) != "TOTAL").sort("ags", "_detail", dim)
    region = pl.col("ags") + pl.lit(" ") + pl.col("ags").replace_strict(region_labels, default="")
    label = pl.col(dim) + pl.lit(" ") + pl.col(dim).replace_strict(dim_labels, default="")
    return frame.select(
        region=pl.when(pl.col("ags") != pl.col("ags").shift(1).fill_null("")).then(region.str.strip_chars()),
        label=pl.when(pl.col(dim) == "TOTAL").then(pl.lit("Insgesamt")).otherwise(label.str.strip_chars()),
        **{v: _cell_expr(v, f"{v}_flag") for v in values},
    )


def write_labour_market_month(
    path: Path,
    month: date,
    count_day: date,
    frame: pl.DataFrame,
    occupation_labels: dict[str, str],
    region_labels: dict[str, str],
    created: date,
    region_header: str = "Region",
) -> Path:
    """One month: rows Kreis × KldB, columns Arbeitslose and Gemeldete Arbeitsstellen. The
    Land rows ('03 Niedersachsen') stand before their Kreise, as in the BA's Kreis tables; a
    table by Agentur has the ``region_header`` 'Agentur für Arbeit' and '<code> <name>' rows.

    ``frame``: ags, kldb, unemployed, unemployed_flag, vacancies, vacancies_flag.
    """
    head = [
        [
            "Arbeitslose und gemeldete Arbeitsstellen nach Kreisen und Berufen (KldB 2010) – "
            "DEMO-DATEN, fiktiv"
        ],
        [f"Berichtsmonat: {month_label(month)}"],
        [f"Zähltag: {count_day:%d.%m.%Y}"],
        ["Region: Niedersachsen-Bremen"],
        [],
        [region_header, "Beruf (KldB 2010)", "Arbeitslose", "Gemeldete Arbeits-\nstellen"],
        [None, None, "Insgesamt", "Insgesamt 1)"],
    ]
    body = block_body(frame, "kldb", occupation_labels, region_labels, ["unemployed", "vacancies"])
    foot = [
        [FOOTER],
        ["1) Bestand an gemeldeten Arbeitsstellen am Zähltag"],
        [f"Erstellungsdatum: {created:%d.%m.%Y}"],
    ]
    return write_xlsx(path, "Tabelle 1", head, body, foot, created)


def write_employment_quarter(
    path: Path,
    reference_date: date,
    frame: pl.DataFrame,
    sector_labels: dict[str, str],
    region_labels: dict[str, str],
    created: date,
    sheet_name: str = "SVB - Tabelle II",
    region_header: str = "Region",
) -> Path:
    """One quarter-end date: rows Kreis × WZ, column Insgesamt (sheet 'SVB - Tabelle II');
    Land rows before their Kreise, or rows by Agentur under ``region_header``.

    ``frame``: ags, wz, value, value_flag.
    """
    head = [
        [
            "Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Wirtschaftszweigen "
            "(WZ 2008) – DEMO-DATEN, fiktiv"
        ],
        [f"Stichtag: {reference_date:%d.%m.%Y}"],
        [],
        [region_header, "Wirtschaftszweig (WZ 2008)", "Insgesamt"],
    ]
    body = block_body(frame, "wz", sector_labels, region_labels, ["value"])
    foot = [[FOOTER], [f"Erstellungsdatum: {created:%d.%m.%Y}"]]
    return write_xlsx(path, sheet_name, head, body, foot, created)
