"""Find and read the table in a BA Excel sheet: title block, header rows, data rows, footer.

The header is found by its labels (constants.LABEL_ROLES), never by a fixed row. Header
rows may be merged (the text stands in the first cell of the merge: filled to the right);
the deepest header row wins for breakdown and period. Row labels are filled down
hierarchically (a new value in an outer column starts a new block for the inner ones).
Everything below the header runs as Polars expressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.cells import (
    CODE_LABEL,
    cell_values,
    clean_expr,
    clean_label,
    norm,
    parse_cell,
    parse_date,
    parse_month,
    with_cell_values,
)
from pipelines.statistics.model import ParseError
from pipelines.statistics.reader import TEXT_SUFFIX, Grid

HEAD_ROWS = 80
CODE_HEADER = re.compile(r"^(regionalschlüssel|ags|kreisschlüssel|schlüssel)\b|(id|code|nr\.?)$")


@dataclass
class ValueColumn:
    index: int
    header: str
    measure: str | None = None
    breakdown: str | None = None
    period: date | None = None  # month start or full date, as the header gives it
    full_date: bool = False
    partial: bool = False  # under a 'darunter' header: a part, never all of the total


@dataclass
class Table:
    source: str
    grid: Grid
    header_start: int
    data_start: int
    data_end: int
    label_roles: dict[int, str]
    value_columns: list[ValueColumn]
    title: list[str]
    notes: list[str]
    warnings: list[str] = field(default_factory=list)
    code_columns: set[int] = field(default_factory=set)  # region columns of codes only ('Kreisschlüssel')

    @property
    def label_columns(self) -> list[int]:
        return sorted(self.label_roles)

    def texts(self) -> list[str]:
        return self.title + self.notes


def role_of(text: str) -> str | None:
    for pattern, role in C.LABEL_ROLES:
        if pattern.search(text):
            return role
    return None


def _match(patterns, text: str) -> str | None:
    for pattern, key in patterns:
        if pattern.search(text):
            return key
    return None


def find_header(grid: Grid, source: str, roles_expected: str) -> int:
    """Index of the first row with at least two cells and a row-label column header."""
    for i, row in enumerate(grid.rows(0, HEAD_ROWS)):
        cells = [norm(v) for v in row if v is not None and norm(v)]
        if len(cells) >= 2 and any(role_of(c) for c in cells):
            return i
    raise ParseError(
        source,
        "keine Kopfzeile der Tabelle gefunden",
        "no table header found",
        sheet=grid.sheet,
        row=grid.excel_row(0),
        expected=f"eine Zeile mit Spaltenköpfen wie {roles_expected} in den ersten {HEAD_ROWS} Zeilen",
    )


def locate_table(grid: Grid, source: str, roles_expected: str) -> Table:
    header_start = find_header(grid, source, roles_expected)
    head = grid.rows(0, header_start + HEAD_ROWS)
    width = grid.width
    # label columns: keyword headers in the header rows, plus unlabelled text columns right of them
    label_roles: dict[int, str] = {}
    code_columns: set[int] = set()
    header_candidates = []
    for row in head[header_start : header_start + 4]:
        if any(v is not None and parse_cell(v)[2] for v in row):
            break  # numbers: the header is over
        header_candidates.append(row)
    first_value = min(
        (
            j
            for row in header_candidates
            for j, v in enumerate(row)
            if v is not None and _is_value_header(clean_label(v))
        ),
        default=width,
    )
    for row in header_candidates:
        for j, value in enumerate(row[:first_value]):
            role = role_of(norm(value)) if value is not None else None
            if role and j not in label_roles:
                label_roles[j] = role
                if role == "region" and CODE_HEADER.search(norm(value)):
                    code_columns.add(j)
    if not label_roles:
        raise ParseError(
            source,
            "keine Spalte für Region, Beruf oder Wirtschaftszweig links der Werte",
            "no row-label column left of the values",
            sheet=grid.sheet,
            row=grid.excel_row(header_start),
            expected=roles_expected,
        )
    # a value column never sits left of a label column; value-like headers end the label area
    label_end = max(label_roles) + 1
    data_start = None
    for i in range(header_start + 1, len(head)):
        row = head[i]
        labels = [row[j] for j in range(label_end) if row[j] is not None and str(row[j]).strip()]
        values = [row[j] for j in range(label_end, width) if row[j] is not None and str(row[j]).strip()]
        if labels and any(parse_cell(v)[2] for v in values):
            data_start = i
            break
        if not labels and values and all(parse_cell(v)[2] for v in values):
            continue  # a row numbering the columns (1, 2, 3, ...)
    if data_start is None:
        raise ParseError(
            source,
            "keine Datenzeilen unter der Kopfzeile",
            "no data rows below the header",
            sheet=grid.sheet,
            row=grid.excel_row(header_start),
            expected="Zeilen mit Schlüssel und Bezeichnung links und Zahlen oder Zeichen (*, -) rechts",
        )
    # unlabelled text columns between the label keywords and the first value header (e.g. names)
    header_rows = head[header_start:data_start]
    columns = _value_columns(header_rows, label_end, width)
    for j in range(label_end, width):
        if all(c.index != j for c in columns):
            first = head[data_start][j]
            if first is not None and not parse_cell(first)[2] and j == label_end:
                label_roles[j] = "name"
                label_end = j + 1
    columns = [c for c in columns if c.index >= label_end]
    warnings = []
    for j in range(label_end, width):
        if all(c.index != j for c in columns):
            texts = [clean_label(r[j]) for r in header_rows if r[j] is not None and clean_label(r[j])]
            if texts:
                warnings.append(
                    f"{grid.sheet}!{grid.column_name(j)}: Spalte '{' / '.join(texts)}' nicht erkannt,"
                    f" übersprungen / column not recognised, skipped"
                )
    if not columns:
        raise ParseError(
            source,
            "keine Wertespalten erkannt",
            "no value columns recognised",
            sheet=grid.sheet,
            row=grid.excel_row(header_start),
            expected="Spaltenköpfe wie 'Arbeitslose', 'Gemeldete Arbeitsstellen', 'Insgesamt', "
            "'Helfer', 'Vollzeit' oder Datumsangaben",
        )
    data_end = _data_end(grid, data_start, label_end, [c.index for c in columns])
    title = [clean_label(v) for row in head[:header_start] for v in row if v is not None and clean_label(v)]
    notes = [clean_label(v) for row in grid.rows(data_end) for v in row if v is not None and clean_label(v)]
    return Table(
        source,
        grid,
        header_start,
        data_start,
        data_end,
        dict(sorted(label_roles.items())),
        columns,
        title,
        notes,
        warnings,
        code_columns,
    )


def _is_value_header(text: str) -> bool:
    lowered = C.LEADING_NOISE.sub("", text.lower())
    return bool(
        _match(C.MEASURES, lowered) or _match(C.BREAKDOWNS, lowered) or parse_date(text) or parse_month(text)
    )


def _value_columns(header_rows: list[tuple], label_end: int, width: int) -> list[ValueColumn]:
    filled: list[list[str]] = []
    for k, row in enumerate(header_rows):
        texts, carry = [], ""
        for j in range(width):
            text = clean_label(row[j]) if row[j] is not None else ""
            if j < label_end:
                texts.append(text)
                continue
            if text:
                carry = text
            elif k < len(header_rows) - 1:
                text = carry  # merged cell: the text stands in its first column
            texts.append(text)
        filled.append(texts)
    columns = []
    for j in range(label_end, width):
        column = ValueColumn(j, "")
        parts = []
        for texts in filled:
            text = texts[j]
            if not text:
                continue
            parts.append(text)
            if C.PARTIAL_HEADER.search(text.lower()):
                column.partial = True
            lowered = C.LEADING_NOISE.sub("", text.lower())
            full = parse_date(text)
            month = parse_month(text)
            if full or month:
                column.period, column.full_date = (full, True) if full else (month, False)
                continue
            measure = _match(C.MEASURES, lowered)
            breakdown = _match(C.BREAKDOWNS, lowered)
            if measure and column.measure and measure != column.measure:
                # a sub-count of the measure above ('Gemeldete Arbeitsstellen' › 'darunter
                # sozialversicherungspflichtig'): a breakdown of that measure, never another one
                column.breakdown = C.SUB_MEASURE_BREAKDOWN[measure]
                continue
            if measure:
                column.measure = measure
            if breakdown:
                column.breakdown = breakdown
        column.header = " / ".join(dict.fromkeys(parts))
        if column.measure or column.breakdown or column.period:
            columns.append(column)
    return columns


def _data_end(grid: Grid, data_start: int, label_end: int, value_cols: list[int]) -> int:
    frame = grid.frame.slice(data_start).with_row_index("_i")
    first_text = pl.coalesce([grid.text(j) for j in range(label_end)])
    values_empty = pl.all_horizontal([~grid.present(j) for j in value_cols])
    candidates = frame.filter(values_empty & first_text.is_not_null())
    footer = candidates.filter(clean_expr(first_text).str.contains(r"(?i)" + C.FOOTER.pattern))
    return data_start + (int(footer["_i"][0]) if footer.height else frame.height)


def fill_down(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Hierarchical fill-down of all but the innermost label column."""
    exprs = []
    for k, name in enumerate(columns[:-1]):
        if k == 0:
            exprs.append(pl.col(name).forward_fill())
        else:
            outer_new = pl.any_horizontal([pl.col(c).is_not_null() for c in columns[:k]])
            exprs.append(pl.col(name).forward_fill().over(outer_new.cast(pl.Int32).cum_sum()))
    return frame.with_columns(exprs) if exprs else frame


def key_exprs(raw: str, role: str) -> list[pl.Expr]:
    """For a role's deepest label text: its code, kind (code/total/unknown/invalid) and text."""
    text = clean_expr(raw)
    lowered = text.str.to_lowercase()
    code = text.str.extract(CODE_LABEL, 1)
    if role == "region":  # a code that lost its leading zero (read as a number): '3254' -> '03254'
        code = pl.when(code.str.contains(r"^(\d|\d{4})$")).then("0" + code).otherwise(code)
    if role == "sector":
        digits = code.str.replace_all(".", "", literal=True)
        code = (
            pl.when(code.str.contains(r"^\d{3,4}$"))
            .then(digits.str.slice(0, 2) + "." + digits.str.slice(2))
            .otherwise(code)
        )
    kind = (
        pl.when(text.is_null())
        .then(pl.lit("total"))
        .when(lowered.str.contains(C.TOTAL_LABEL.pattern))
        .then(pl.lit("total"))
        .when(lowered.str.contains(C.UNKNOWN_LABEL.pattern))
        .then(pl.lit("unknown"))
        .when(code.is_not_null())
        .then(pl.lit("code"))
        .otherwise(pl.lit("invalid"))
    )
    return [code.alias(f"{role}_code"), kind.alias(f"{role}_kind"), text.alias(f"{role}_text")]


def long_frame(table: Table, symbols: dict = C.BA_SYMBOLS) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(cells, labels). cells: one row per data cell: _row, _column, <role>_code/_kind,
    requirement_text, descriptors, value, flag, bad, raw (the text of a cell that is no
    number). labels: one row per sheet row: _row and the <role>_text of the other roles.

    The label texts are only needed to explain the rows that fail: they stay with the sheet
    rows (a third of the cells of three value columns). Labels and cell texts repeat a lot
    (47 Kreise, a few thousand codes): they are cleaned and parsed once per distinct value.
    """
    grid = table.grid
    label_names = [f"c{j}" for j in table.label_columns]
    # per value column its number (numeric columns) and its text (cells that are no number)
    numbers, texts = [], []
    for column in table.value_columns:
        name = f"c{column.index}"
        numeric = grid.is_numeric(column.index)
        numbers.append(pl.col(name) if numeric else pl.lit(None, pl.Float64))
        texts.append(pl.col(name + TEXT_SUFFIX) if numeric else pl.col(name))
    number_names = [f"_n{k}" for k in range(len(numbers))]
    text_names = [f"_t{k}" for k in range(len(texts))]
    block = (
        grid.frame.slice(table.data_start, table.data_end - table.data_start)
        .with_row_index("_row", offset=grid.excel_row(table.data_start))
        .select(
            "_row",
            *(grid.text(j) for j in table.label_columns),
            *(e.alias(n) for e, n in zip(numbers, number_names, strict=True)),
            *(e.alias(n) for e, n in zip(texts, text_names, strict=True)),
        )
    )
    blank = [
        pl.when(pl.col(c).str.contains(r"^\s*$")).then(None).otherwise(pl.col(c)).alias(c)
        for c in label_names
    ]
    block = block.with_columns(blank)
    block = block.filter(
        pl.any_horizontal([pl.col(c).is_not_null() for c in label_names + number_names + text_names])
    )
    block = fill_down(block, label_names)
    by_role: dict[str, list[str]] = {}
    for j, role in table.label_roles.items():
        if role != "name" and j not in table.code_columns:
            by_role.setdefault("region" if role == "agentur" else role, []).append(f"c{j}")
    # the deepest filled cell of each role, then code/kind/text once per distinct text; a
    # column of region codes beside the names gives '<code> <name>'
    raws = {role: pl.coalesce([pl.col(c) for c in reversed(cols)]) for role, cols in by_role.items()}
    if table.code_columns:
        code = pl.coalesce([pl.col(f"c{j}").str.strip_chars() for j in sorted(table.code_columns)])
        raws["region"] = pl.concat_str(
            [code, raws.get("region", pl.lit(None, pl.String))], separator=" ", ignore_nulls=True
        )
        by_role.setdefault("region", [])
    block = block.with_columns(raw.alias(f"_{role}_raw") for role, raw in raws.items()).drop(label_names)
    for role in by_role:
        raw = f"_{role}_raw"
        keys = block.select(raw).unique().with_columns(key_exprs(raw, role))
        block = block.join(keys, on=raw, how="left", nulls_equal=True).drop(raw)
    texts_apart = [f"{role}_text" for role in by_role if role != "requirement"]
    labels = block.select("_row", *texts_apart)
    block = block.drop(texts_apart)
    # one block per value column with its descriptors as constants (the unpivot's order)
    index = [c for c in block.columns if c not in number_names + text_names]
    long = pl.concat(
        [
            block.select(
                *index,
                pl.col(text_name).alias("raw"),
                pl.col(number_name).alias("_number"),
                _column=pl.lit(grid.column_name(column.index), pl.String),
                measure=pl.lit(column.measure, pl.String),
                breakdown=pl.lit(column.breakdown, pl.String),
                col_period=pl.lit(column.period, pl.Date),
            )
            for text_name, number_name, column in zip(
                text_names, number_names, table.value_columns, strict=True
            )
        ]
    )
    # texts (symbols, text numbers) are parsed once per distinct text; numbers are numbers
    cells = cell_values(long["raw"], symbols)
    blank = cells.filter(pl.col("raw").str.contains(r"^\s*$"))["raw"]
    # cells with a number, or a text that is not blank (one pass; blank texts are rare)
    kept = pl.col("_number").is_not_null() | pl.col("raw").is_not_null()
    if blank.len():
        kept = pl.col("_number").is_not_null() | ~pl.col("raw").is_in(blank.implode()).fill_null(True)
    long = (
        with_cell_values(long.filter(kept), parsed=cells)
        .with_columns(value=pl.coalesce("_number", "value"))
        .drop("_number")
    )
    columns = [*index, "raw", "value", "flag", "bad"]
    return long.select(*columns, "_column", "measure", "breakdown", "col_period"), labels


def column_label(grid: Grid, column: ValueColumn) -> str:
    """A value column as messages name it: its letter and the header the user sees."""
    return f"{grid.column_name(column.index)} ({column.header})"


def region_level_expr(agentur: bool) -> pl.Expr:
    code = pl.col("region_code")
    if agentur:
        return pl.when(pl.col("region_kind") == "total").then(pl.lit("total")).otherwise(pl.lit("agentur"))
    return (
        pl.when(pl.col("region_kind") == "total")
        .then(pl.lit("total"))
        .when(code.str.len_chars() == 2)
        .then(pl.lit("land"))
        .when(code.str.len_chars() == 5)
        .then(pl.lit("kreis"))
        .otherwise(pl.lit("other"))
    )


def stated_period(texts: list[str], pattern, parse):
    """The period a title line states ('Berichtsmonat: Oktober 2025, Stand 05.11.2025' ->
    October 2025): not in a hint line, and cut before a creation date; None if none."""
    for text in texts:
        match = pattern.search(text)
        if not match or C.NOT_PERIOD.search(text[: match.start()]):
            continue
        stated = match.group(2)
        if cut := C.NOT_PERIOD.search(stated):
            stated = stated[: cut.start()]
        if found := parse(stated):
            return found
    return None


def find_in_texts(texts: list[str], pattern) -> str | None:
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(2)
    return None


def title_region(texts: list[str]) -> tuple[str, str] | None:
    """A '<code> <name>' region stated in the title block (e.g. 'Region: 03254 Hildesheim')."""
    import re

    pattern = re.compile(r"(?:^|:\s*|\s)(0[1-9]\d{3}|0[1-9]|1[0-6]\d{3}|1[0-6])\s+([A-ZÄÖÜ][^\d]*)$")
    for text in texts:
        match = pattern.search(text)
        if match:
            return match.group(1), match.group(2).strip()
    return None
