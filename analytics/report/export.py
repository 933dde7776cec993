"""The machine-readable export (#13): every table of every page view as a Parquet or CSV file
with a Frictionless ``datapackage.json`` describing each column (type, unit, definition,
source, Stand).

Written from the views' own tables (only the columns a table declares, never its helper
columns), so disclosure control is inherited: a withheld cell is empty (null) and the column
``<name>__suppressed`` says where; no case rows leave the warehouse.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl

from analytics.excel import source_text
from analytics.messages import MESSAGES, msg
from analytics.report.pack import ReportPack
from analytics.report.workbook import definitions as definitions_of
from analytics.views.model import Table, View, resolve

FORMATS = ("parquet", "csv")
MEDIATYPES = {"parquet": "application/vnd.apache.parquet", "csv": "text/csv"}
ROW_UNIT = "row_unit"


def frictionless_type(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "number"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype == pl.Date:
        return "date"
    if isinstance(dtype, pl.Datetime):
        return "datetime"
    return "string"


def resource_name(view: View, table: Table) -> str:
    return re.sub(r"[^a-z0-9_-]", "_", f"{view.page}_{table.key}".lower())


def published_frame(table: Table) -> pl.DataFrame:
    """The table's declared columns (withheld cells null), their flags, and the row unit of
    tables of mixed measures."""
    columns: list[pl.Expr] = []
    for column in table.columns:
        flag = f"{column.key}__suppressed"
        if flag in table.frame.columns:
            withheld = pl.col(flag).fill_null(False)
            columns.append(pl.when(withheld).then(None).otherwise(pl.col(column.key)).alias(column.key))
            columns.append(withheld.alias(flag))
        else:
            columns.append(pl.col(column.key))
    frame = table.frame.select(columns)
    if table.row_units is not None:
        frame = frame.with_columns(pl.Series(ROW_UNIT, list(table.row_units), dtype=pl.String))
    # nested values (lists, structs) are no table cells: written as their text
    nested = [name for name, dtype in frame.schema.items() if dtype.is_nested() or dtype == pl.Object]
    return frame.with_columns(pl.col(n).cast(pl.String) for n in nested) if nested else frame


def _field(view: View, table: Table, name: str, dtype: pl.DataType, definitions: dict[str, str]) -> dict:
    lang = view.lang
    by_key = {c.key: c for c in table.columns}
    field: dict = {"name": name, "type": frictionless_type(dtype)}
    if name == ROW_UNIT:
        field |= {"title": ROW_UNIT, "description": msg("export.row_unit", lang)}
    elif name.endswith("__suppressed"):
        label = resolve(by_key[name.removesuffix("__suppressed")].label, lang)
        field |= {"title": f"{label} (*)", "description": msg("export.flag", lang, column=label)}
    else:
        column = by_key[name]
        label = resolve(column.label, lang)
        unit = msg(f"unit.{column.unit}", lang) if f"unit.{column.unit}" in MESSAGES else column.unit
        description = msg("export.column", lang, column=label, unit=unit)
        if label in definitions:
            description += f". {definitions[label]}"
        field |= {"title": label, "description": description, "unit": column.unit}
    field |= {"source": source_text(view.text(view.source)), "stand": view.as_of}
    return field


def write_export(pack: ReportPack, out: Path, fmt: str = "parquet") -> Path:
    """Write every table of the pack's views into ``out``; returns the descriptor's path."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    out.mkdir(parents=True, exist_ok=True)
    lang = pack.lang
    resources = []
    for view in pack.views():
        definitions = {view.text(term): view.text(text) for term, text in view.definitions}
        page = view.text(view.title)
        for table in view.tables():
            name = resource_name(view, table)
            frame = published_frame(table)
            path = f"{name}.{fmt}"
            if fmt == "csv":
                frame.write_csv(out / path)
            else:
                frame.write_parquet(out / path)
            resource = {
                "name": name,
                "path": path,
                "format": fmt,
                "mediatype": MEDIATYPES[fmt],
                "title": view.text(table.title),
                "description": msg("export.table", lang, table=view.text(table.title), page=page),
                "sources": [{"title": source_text(view.text(view.source))}],
                "stand": view.as_of,
                "schema": {
                    "fields": [
                        _field(view, table, column, dtype, definitions)
                        for column, dtype in frame.schema.items()
                    ]
                },
            }
            if fmt == "csv":
                resource["encoding"] = "utf-8"
            resources.append(resource)
    descriptor = {
        "name": "arbeit-bewegen-aggregates",
        "title": msg("export.title", lang),
        "description": msg(
            "export.description", lang, region=pack.filters.region_label, quarter=pack.quarter.label()
        ),
        "region": {"key": pack.filters.region_key, "ags": list(pack.filters.ags)},
        "quarter": pack.quarter.label(),
        "demo": pack.demo,
        "definitions": [{"term": term, "definition": text} for term, text in definitions_of(pack)],
        "resources": resources,
    }
    if pack.status.bkg_attribution():
        descriptor["sources"] = [{"title": pack.status.bkg_attribution()}]
    path = out / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path
