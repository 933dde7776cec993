"""Shared core of the BA Excel tables by region × occupation (KldB) or × sector (WZ).

Both families have the same shape: row labels (region, then occupation or sector, maybe an
Anforderungsniveau column), value columns with a measure, a breakdown and maybe a period in
their header, the period otherwise in the title block. This module turns such a table into
fact rows, quarantine rows and reconciliation checks.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.cells import bad_cell_reason, parse_date, parse_month
from pipelines.statistics.excel_table import (
    Table,
    column_label,
    find_in_texts,
    locate_table,
    long_frame,
    region_level_expr,
    stated_period,
    title_region,
)
from pipelines.statistics.model import ParsedFile, ParseError, Reconciliation, quarantine_frame
from pipelines.statistics.reader import Workbook
from pipelines.statistics.reconcile import (
    code_depth,
    reconcile,
    reconcile_columns,
    shallowest_level,
)


@dataclass(frozen=True)
class Shape:
    dim_role: str  # occupation | sector
    dim_column: str  # kldb | wz
    period_column: str  # period (month start) | reference_date (quarter end)
    monthly: bool
    roles_expected: str


# Reconciliation only reads the facts: it runs beside the rest of the ingest (the load into
# the warehouse), one table at a time. Polars and DuckDB both release the GIL.
_CHECKS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reconcile")


@dataclass
class TableFacts:
    facts: pl.DataFrame
    quarantine: list[dict]
    reconciliation: Future[Reconciliation]
    periods: list[date]
    warnings: list[str]
    skipped: int = 0  # cells of total rows without a region code (checks only)
    column_labels: dict[tuple[str, str], str] = field(default_factory=dict)


def _breakdown_of(text_col: str) -> pl.Expr:
    lowered = pl.col(text_col).str.to_lowercase().str.replace(C.LEADING_NOISE.pattern, "")
    expr = pl.lit(None, pl.String)
    for pattern, key in reversed(C.BREAKDOWNS):
        expr = pl.when(lowered.str.contains(pattern.pattern)).then(pl.lit(key)).otherwise(expr)
    return expr


def title_period(table: Table, monthly: bool) -> date | None:
    """The reporting period the title block states: 'Berichtsmonat …' / 'Stichtag …' first,
    else a month or date standing in a title line. Lines of hints, notes and the creation date
    ('Hinweis: ab Januar 2025 …', 'Erstellungsdatum …') are never taken."""
    texts = table.title
    stated_pattern, parse = (C.REPORT_MONTH, parse_month) if monthly else (C.COUNT_DAY, parse_date)
    if found := stated_period(texts, stated_pattern, parse):
        return found
    for text in texts:
        if not C.NOT_PERIOD.search(text) and (found := parse(text)):
            return found
    return None


def table_facts(table: Table, shape: Shape, measure_default: str | None) -> TableFacts:
    source, sheet = table.source, table.grid.sheet
    long, labels = long_frame(table)
    # a column as messages name it: its letter and the header the user sees
    headers = {table.grid.column_name(c.index): column_label(table.grid, c) for c in table.value_columns}
    roles = set(table.label_roles.values())
    warnings = list(table.warnings)
    if shape.dim_role not in roles:
        raise ParseError(
            source,
            f"keine Spalte für {shape.dim_role}",
            f"no {shape.dim_role} column",
            sheet=sheet,
            row=table.grid.excel_row(table.header_start),
            expected=shape.roles_expected,
        )
    agentur = "agentur" in roles
    if "region" not in roles and not agentur:
        stated = title_region(table.title)
        if stated is None:
            raise ParseError(
                source,
                "keine Region: weder Regionsspalte noch '<Schlüssel> <Name>' im Titel",
                "no region: neither a region column nor '<code> <name>' in the title",
                sheet=sheet,
                row=table.grid.excel_row(table.header_start),
                expected="Spalte 'Region'/'Kreis' oder Titelzeile wie 'Region: 03254 Hildesheim'",
            )
        long = long.with_columns(region_code=pl.lit(stated[0]), region_kind=pl.lit("code"))
        labels = labels.with_columns(region_text=pl.lit(" ".join(stated)))
    period = title_period(table, shape.monthly)
    if measure_default is None and long["measure"].has_nulls():
        column = long.filter(pl.col("measure").is_null()).row(0, named=True)
        raise ParseError(
            source,
            "Spalte ohne Merkmal (Arbeitslose oder gemeldete Arbeitsstellen)",
            "column without a measure",
            sheet=sheet,
            row=table.grid.excel_row(table.header_start),
            column=headers[column["_column"]],
            expected="'Arbeitslose' oder 'Gemeldete Arbeitsstellen' im Spaltenkopf oder Titel",
        )
    if period is None and long["col_period"].has_nulls():
        grid = table.grid
        first, header = grid.excel_row(0), grid.excel_row(table.header_start)
        last = grid.excel_row(table.data_start - 1)
        raise ParseError(
            source,
            f"kein Berichtszeitraum gefunden (gesucht im Titelblock, Zeilen {first}–{header - 1}, und in "
            f"den Spaltenköpfen, Zeilen {header}–{last}; Hinweis-, Fußnoten- und Erstellungsdatumszeilen "
            "zählen nicht); den Berichtsmonat oder Stichtag im Titel angeben",
            f"no reporting period found (looked in the title block, rows {first}–{header - 1}, and the "
            f"column headers, rows {header}–{last}; hint, note and creation-date lines do not count); "
            "state the reporting month or reference date in the title",
            sheet=sheet,
            row=first,
            expected=(
                "'Berichtsmonat: Januar 2026' im Titel oder Monatsdaten als Spaltenköpfe"
                if shape.monthly
                else "'Stichtag: 30.06.2025' im Titel oder Stichtage als Spaltenköpfe"
            ),
        )
    requirement = _breakdown_of("requirement_text") if "requirement" in roles else pl.lit(None, pl.String)
    col_period = pl.col("col_period")
    if shape.monthly:
        col_period = col_period.dt.month_start()
    long = long.with_columns(
        measure=pl.col("measure").fill_null(pl.lit(measure_default, pl.String)),
        breakdown=pl.coalesce(requirement, pl.col("breakdown"), pl.lit("TOTAL")),
        **{shape.period_column: pl.coalesce(col_period, pl.lit(period, pl.Date))},
        region_level=region_level_expr(agentur),
        **{
            shape.dim_column: pl.when(pl.col(f"{shape.dim_role}_kind") == "total")
            .then(pl.lit("TOTAL"))
            .when(pl.col(f"{shape.dim_role}_kind") == "unknown")
            .then(pl.lit("UNKNOWN"))
            .otherwise(pl.col(f"{shape.dim_role}_code"))
        },
        _sheet=pl.lit(sheet),
    )
    failing = (
        pl.col("bad")
        | pl.col("region_kind").is_in(["invalid", "unknown"])
        | (pl.col(f"{shape.dim_role}_kind") == "invalid")
    ).fill_null(False)
    failed = long.filter(failing)
    quarantine = _quarantine(failed.join(labels, on="_row", how="left"), shape, sheet, headers)
    good = long.filter(~failing) if failed.height else long
    keys = ["ags", shape.period_column, "measure"]
    good = good.rename({"region_code": "ags"}).with_columns(
        pl.when(pl.col("region_level") == "total").then(pl.lit("TOTAL")).otherwise(pl.col("ags")).alias("ags")
    )
    partial = {c.breakdown for c in table.value_columns if c.partial and c.breakdown}
    rec = _CHECKS.submit(_reconcile_table, good, shape, keys, "requirement" not in roles, partial)
    totals_only = good.filter(pl.col("region_level") == "total").height
    if totals_only:
        warnings.append(
            f"{sheet}: {totals_only} Werte aus Summenzeilen ohne Regionsschlüssel nur zur "
            "Prüfung verwendet / values of total rows without a region code used for "
            "checks only"
        )
    facts = good.filter(pl.col("region_level") != "total")
    periods = sorted(p for p in facts[shape.period_column].unique().to_list() if p is not None)
    return TableFacts(
        facts, quarantine, rec, periods, warnings, totals_only, {(sheet, k): v for k, v in headers.items()}
    )


def parse_sheets(
    source: str,
    workbook: Workbook,
    sheets: list[str],
    shape: Shape,
    family: str,
    table_name: str,
    columns: list[str],
    prepare: Callable[[str, Table], tuple[str | None, dict[str, pl.Expr]]],
) -> ParsedFile:
    """The facts of all ``sheets`` of a workbook as one ParsedFile. ``prepare(sheet, table)``
    gives the sheet's default measure and the columns the family adds to its facts."""
    frames, quarantine, warnings, periods, pending = [], [], [], set(), []
    vintage, skipped, column_labels = None, 0, {}
    for sheet in sheets:
        table = locate_table(workbook.grid(sheet), source, shape.roles_expected)
        measure, added = prepare(sheet, table)
        result = table_facts(table, shape, measure)
        frames.append(result.facts.with_columns(**added).select([*columns, "_sheet", "_row", "_column"]))
        quarantine += result.quarantine
        warnings += result.warnings
        periods.update(result.periods)
        pending.append(result.reconciliation)
        skipped += result.skipped
        column_labels.update(result.column_labels)
        stated = find_in_texts(table.texts(), C.VINTAGE)
        vintage = vintage or (parse_date(stated) if stated else None)
    return ParsedFile(
        source,
        family,
        {table_name: pl.concat(frames)},
        sorted(periods),
        vintage,
        Reconciliation(),
        warnings,
        quarantine_frame(quarantine),
        pending,
        skipped,
        column_labels=column_labels,
    )


def _reconcile_table(
    good: pl.DataFrame, shape: Shape, keys: list[str], by_columns: bool, partial: set[str] = frozenset()
) -> Reconciliation:
    """Detail rows against the total rows, breakdowns against 'Insgesamt', regions against the
    total region: each only where the table carries that total. ``by_columns``: the breakdowns
    are columns (their parts stand in the row of their total), not rows."""
    rec = Reconciliation()
    totals = good.select(
        rows=(pl.col(shape.dim_column) == "TOTAL").any(),
        regions=(pl.col("region_level") == "total").any(),
    ).row(0, named=True)
    if totals["rows"]:  # the table has 'Insgesamt' rows of the occupations or sectors
        rec = reconcile(
            good,
            shape.dim_column,
            [*keys, "breakdown"],
            group=code_depth(shape.dim_column),
            label="Detail -> Insgesamt (Zeilen)",
            exact=shallowest_level(good, shape.dim_column),
        )
    present = set(good["breakdown"].unique().to_list())
    for name, members in C.BREAKDOWN_GROUPS.items():
        if not set(members) <= present:
            continue  # only a complete group adds up to the total
        label = f"{name} -> Insgesamt (Spalten)"
        # a group under 'darunter' is a part of the total (people without an Anforderungsniveau,
        # say, are in no column): it must not exceed the total, it need not add up to it
        complete = not (set(members) & partial)
        if not complete:
            label = f"{name} (darunter) <= Insgesamt (Spalten)"
        if by_columns:
            rec = rec.merge(
                reconcile_columns(
                    good, members, [*keys, shape.dim_column], name=name, label=label, complete=complete
                )
            )
            continue
        part = good.filter(pl.col("breakdown").is_in([*members, "TOTAL"]))
        rec = rec.merge(
            reconcile(
                part,
                "breakdown",
                [*keys, shape.dim_column],
                group=pl.lit(name),
                label=label,
                unknown=None,
            )
        )
    if totals["regions"]:  # a total row over the regions (its ags is 'TOTAL' already)
        rec = rec.merge(
            reconcile(
                good.filter(pl.col("region_level").is_in(["kreis", "agentur", "total"])),
                "ags",
                [shape.period_column, "measure", "breakdown", shape.dim_column],
                group=pl.lit("Region"),
                label="Regionen -> Insgesamt",
                unknown=None,
            )
        )
    return rec


def _quarantine(long: pl.DataFrame, shape: Shape, sheet: str, headers: dict[str, str]) -> list[dict]:
    role = shape.dim_role
    reasons = long.with_columns(
        reason=pl.when(pl.col("bad"))
        .then(bad_cell_reason(pl.col("raw")))
        .when(pl.col("region_kind") == "invalid")
        .then(
            pl.lit("Region ohne Schlüssel (Namen werden nie zugeordnet) / region without a code: '")
            + pl.col("region_text")
            + pl.lit("'")
        )
        .when(pl.col("region_kind") == "unknown")
        .then(pl.lit("Region 'keine Zuordnung' / region unknown: '") + pl.col("region_text") + pl.lit("'"))
        .when(pl.col(f"{role}_kind") == "invalid")
        .then(
            pl.lit(
                f"{'Beruf' if role == 'occupation' else 'Wirtschaftszweig'} ohne Schlüssel / "
                f"{role} without a code: '"
            )
            + pl.col(f"{role}_text")
            + pl.lit("'")
        )
    ).filter(pl.col("reason").is_not_null())
    return [
        {
            "sheet": sheet,
            "row_number": r["_row"],
            "column_name": headers[r["_column"]],
            "reason": r["reason"],
            "raw_values": {
                "region": r.get("region_text"),
                role: r.get(f"{role}_text"),
                "value": r["raw"],
            },
        }
        for r in reasons.iter_rows(named=True)
    ]
