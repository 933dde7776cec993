"""The Excel download of a view: one sheet per table, written from the view's own tables, so
that every cell equals what the screen shows (analytics.excel does the formatting)."""

from __future__ import annotations

from analytics.excel import ExcelSheet, excel_bytes
from analytics.views.model import EXCEL_UNITS, Table, View, resolve


def _excel_unit(unit: str) -> str | None:
    return EXCEL_UNITS.get(unit, unit)


def table_sheet(table: Table, lang: str) -> ExcelSheet:
    keys = [c.key for c in table.columns]
    flags = [f"{k}__suppressed" for k in keys if f"{k}__suppressed" in table.frame.columns]
    row_units = None
    if table.row_units is not None:
        row_units = [_excel_unit(u) for u in table.row_units]
    return ExcelSheet(
        resolve(table.sheet, lang),
        table.frame.select(*keys, *flags),
        resolve(table.title, lang),
        units={c.key: ("row" if c.unit == "row" else _excel_unit(c.unit)) for c in table.columns},
        headers={c.key: resolve(c.label, lang) for c in table.columns},
        row_units=row_units,
    )


def view_workbook(view: View) -> bytes:
    lang = view.lang
    return excel_bytes(
        [table_sheet(t, lang) for t in view.tables()],
        filters={resolve(label, lang): value for label, value in view.filters},
        source=resolve(view.source, lang),
        as_of=view.as_of,
        definitions=[(resolve(a, lang), resolve(b, lang)) for a, b in view.definitions],
        lang=lang,
        demo=view.demo,
    )
