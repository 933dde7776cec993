"""Regionaldatenbank Deutschland (GENESIS 'regio') CSV: ffcsv long format and the older flat one.

ffcsv: ';', decimal comma, UTF-8 (maybe BOM), one value per row, columns statistics_code,
time, <n>_variable_code / _attribute_code …, value, value_unit, value_variable_code, value_q.
Flat: Latin-1, German headers (Statistik_Code; Zeit; 1_Merkmal_Code; 1_Auspraegung_Code; …)
and one wide column per value ('CODE__Label__Einheit'), optional quality columns ('…__q').
The Kreis is the variable 'KREISE' (Länder: 'DLAND'); its attribute code is the AGS. Other
variables form the breakdown ('GES=GESM'). Symbols: '-' zero; '.', '...', '/', 'x' NULL +
flag; quality letters p/r/s kept in column quality.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.cells import parse_date, with_cell_values
from pipelines.statistics.model import ParsedFile, ParseError, Reconciliation, quarantine_frame
from pipelines.statistics.reader import CsvText

REGION_VARIABLES = {"KREISE": "kreis", "DLAND": "land", "DINSG": "bund", "REGBEZ": "regbez"}
COLUMNS = [
    "statistic_code",
    "statistic_label",
    "value_code",
    "value_label",
    "ags",
    "region_level",
    "period_label",
    "reference_date",
    "breakdown",
    "value",
    "unit",
    "flag",
    "quality",
]


def _read(text: str | CsvText) -> pl.DataFrame:
    frame = pl.read_csv(
        (CsvText.of(text) if isinstance(text, str) else text).utf8,
        separator=";",
        infer_schema=False,
        quote_char='"',
        truncate_ragged_lines=True,
    )
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return frame.with_row_index("_row", offset=2)


def _reference_date(label: str | None) -> date | None:
    if label is None:
        return None
    full = parse_date(label)
    if full:
        return full
    match = re.search(r"\b(19|20)\d{2}\b", label)
    return date(int(match.group(0)), 12, 31) if match else None


def _region_and_breakdown(frame: pl.DataFrame, prefix: str, code: str, attr: str) -> pl.DataFrame:
    """Region from the variable named KREISE/DLAND, the other variables as breakdown text."""
    indices = sorted({int(m.group(1)) for c in frame.columns if (m := re.match(rf"^(\d+)_{prefix}", c))})
    # the variable columns stripped once (each is used several times below)
    frame = frame.with_columns(pl.col([f"{n}_{c}" for n in indices for c in (code, attr)]).str.strip_chars())
    region_code, region_level, parts = pl.lit(None, pl.String), pl.lit(None, pl.String), []
    for n in indices:
        var, val = pl.col(f"{n}_{code}"), pl.col(f"{n}_{attr}")
        for name, level in REGION_VARIABLES.items():
            hit = var == name
            region_code = pl.when(hit).then(val).otherwise(region_code)
            region_level = pl.when(hit).then(pl.lit(level)).otherwise(region_level)
        is_region = var.is_in(list(REGION_VARIABLES))
        parts.append(pl.when(~is_region & var.is_not_null()).then(var + "=" + val))
    breakdown = pl.concat_str(parts, separator="|", ignore_nulls=True) if parts else pl.lit("")
    # a Kreis or Land code that lost its leading zero ('3254' -> '03254', '3' -> '03')
    region_code = (
        pl.when(region_code.str.contains(r"^(\d|\d{4})$")).then("0" + region_code).otherwise(region_code)
    )
    return frame.with_columns(
        ags=region_code,
        region_level=region_level.fill_null(pl.lit("none")),
        breakdown=pl.when(breakdown == "").then(pl.lit("TOTAL")).otherwise(breakdown),
    )


def _finish(source: str, family: str, long: pl.DataFrame) -> ParsedFile:
    quality = pl.col("quality_raw").str.strip_chars().str.to_lowercase()
    long = with_cell_values(long, symbols=C.REGIO_SYMBOLS).with_columns(
        quality=quality.replace_strict(C.REGIO_QUALITY_FLAGS, default=None, return_dtype=pl.String),
    )
    dates = {lbl: _reference_date(lbl) for lbl in long["period_label"].unique().to_list()}
    long = long.with_columns(
        reference_date=pl.col("period_label").replace_strict(dates, return_dtype=pl.Date, default=None)
    )
    rejects = long.filter(pl.col("bad") | pl.col("ags").is_null() | pl.col("reference_date").is_null())
    quarantine = [
        {
            "sheet": None,
            "row_number": r["_row"],
            "column_name": r["_column"],
            "reason": (
                f"keine Zahl / not a number: '{r['raw']}'"
                if r["bad"]
                else "keine Region (Variable KREISE/DLAND fehlt) / no region variable"
                if r["ags"] is None
                else f"Zeit nicht lesbar / time unreadable: '{r['period_label']}'"
            ),
            "raw_values": {k: r[k] for k in ("statistic_code", "ags", "period_label", "raw")},
        }
        for r in rejects.iter_rows(named=True)
    ]
    good = long.filter(~pl.col("bad") & pl.col("ags").is_not_null() & pl.col("reference_date").is_not_null())
    facts = good.with_columns(_sheet=pl.lit(None, pl.String)).select([*COLUMNS, "_sheet", "_row", "_column"])
    if facts.is_empty() and not quarantine:
        raise ParseError(
            source,
            "keine Werte in der Datei",
            "no values in the file",
            row=2,
            expected="Zeilen mit Statistik, Zeit, Kreis (KREISE) und Wert",
        )
    ref_dates = sorted(d for d in facts["reference_date"].unique().to_list() if d)
    return ParsedFile(
        source,
        family,
        {"fact_regio": facts},
        ref_dates,
        None,
        Reconciliation(),
        [],
        quarantine_frame(quarantine),
    )


def parse_ffcsv(source: str, text: str | CsvText) -> ParsedFile:
    frame = _read(text)
    missing = [c for c in C.FFCSV_REQUIRED if c not in frame.columns]
    if missing:
        raise ParseError(
            source,
            f"Spalten fehlen: {missing}",
            "columns missing",
            row=1,
            expected="ffcsv-Kopf mit statistics_code; time; …; value",
        )
    frame = _region_and_breakdown(frame, "variable_code", "variable_code", "variable_attribute_code")
    opt = lambda name: pl.col(name) if name in frame.columns else pl.lit(None, pl.String)  # noqa: E731
    long = frame.select(
        "_row",
        "ags",
        "region_level",
        "breakdown",
        statistic_code=pl.col("statistics_code"),
        statistic_label=opt("statistics_label"),
        value_code=opt("value_variable_code"),
        value_label=opt("value_variable_label"),
        period_label=pl.col("time"),
        unit=opt("value_unit"),
        raw=pl.col("value"),
        quality_raw=opt("value_q"),
        _column=pl.lit("value"),
    )
    return _finish(source, C.REGIO_FFCSV, long)


def parse_flat(source: str, text: str | CsvText) -> ParsedFile:
    frame = _read(text)
    lower = {c.lower(): c for c in frame.columns}
    missing = [c for c in C.FLAT_REQUIRED if c not in lower]
    if missing:
        raise ParseError(
            source,
            f"Spalten fehlen: {missing}",
            "columns missing",
            row=1,
            expected="Kopf mit Statistik_Code; Zeit; 1_Merkmal_Code; …",
        )
    frame = frame.rename({lower["statistik_code"]: "Statistik_Code", lower["zeit"]: "Zeit"})
    frame = _region_and_breakdown(frame, "Merkmal_Code", "Merkmal_Code", "Auspraegung_Code")
    values = [c for c in frame.columns if (m := C.FLAT_VALUE_COLUMN.match(c)) and m.group(3).lower() != "q"]
    if not values:
        raise ParseError(
            source,
            "keine Wertespalten",
            "no value columns",
            row=1,
            expected="Spalten wie 'AI0801__Arbeitslosenquote__Prozent'",
        )
    label = lower.get("statistik_label")
    parts = []
    for column in values:
        code, name, unit = C.FLAT_VALUE_COLUMN.match(column).groups()
        quality = next(
            (c for c in frame.columns if c.startswith(f"{code}__") and c.lower().endswith("__q")),
            None,
        )
        parts.append(
            frame.select(
                "_row",
                "ags",
                "region_level",
                "breakdown",
                statistic_code=pl.col("Statistik_Code"),
                statistic_label=pl.col(label) if label else pl.lit(None, pl.String),
                value_code=pl.lit(code),
                value_label=pl.lit(name),
                period_label=pl.col("Zeit"),
                unit=pl.lit(unit),
                raw=pl.col(column),
                quality_raw=pl.col(quality) if quality else pl.lit(None, pl.String),
                _column=pl.lit(column),
            )
        )
    return _finish(source, C.REGIO_FLAT, pl.concat(parts))
