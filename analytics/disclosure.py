"""Disclosure control (design §6), implemented once and applied to every output.

Following the BA's practice, a published count of 1 or 2 persons is shown as "*"
(primary suppression), and so is any value from which such a count could be derived
(secondary suppression): a row or column of a table whose total is shown must never
contain exactly one hidden cell, and rates or medians resting on 1–2 persons are hidden.

Representation: a protected frame keeps the value column with NULL where suppressed and a
boolean companion column ``<name>__suppressed``. Formatters, charts and the Excel export
render such cells as "*".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

SUPPRESSED = "*"
SUFFIX = "__suppressed"
NOTE_DE = (
    "* = aus Datenschutzgründen gesperrt: Fallzahlen von 1 oder 2 Personen und Werte, aus "
    "denen sich solche Zahlen errechnen ließen (BA-Praxis, § 16 BStatG)."
)
NOTE_EN = (
    "* = withheld for confidentiality: counts of 1 or 2 persons and values from which such "
    "counts could be derived (BA practice)."
)


def flag_column(name: str) -> str:
    return f"{name}{SUFFIX}"


def is_small(value: float | None, min_count: int = 3) -> bool:
    """A count of persons that must not be published (1 .. min_count-1)."""
    return value is not None and 0 < value < min_count


def note(lang: str) -> str:
    return NOTE_DE if lang == "de" else NOTE_EN


def _secondary(
    cells: list[list[float | None]], hidden: list[list[bool]], relations: list[list[tuple[int, int]]]
) -> None:
    """Hide more cells until no relation (cells adding up to a shown total) has one unknown."""
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [rc for rc in relation if hidden[rc[0]][rc[1]]]
            if len(unknown) != 1:
                continue
            candidates = [rc for rc in relation if not hidden[rc[0]][rc[1]]]
            if not candidates:
                continue
            # prefer the smallest positive cell; zeros hide nothing
            positive = [rc for rc in candidates if (cells[rc[0]][rc[1]] or 0) > 0]
            pool = positive or candidates
            r, c = min(pool, key=lambda rc: (cells[rc[0]][rc[1]] or 0, rc))
            hidden[r][c] = True
            changed = True


def protect_table(
    frame: pl.DataFrame,
    value_columns: Sequence[str],
    *,
    total_column: str | None = None,
    total_row: pl.Expr | None = None,
    min_count: int = 3,
) -> pl.DataFrame:
    """Primary and secondary suppression of a table of person counts.

    ``value_columns`` are the count cells; ``total_column`` (if shown) is their row sum;
    ``total_row`` (a boolean expression) marks the row holding the column sums, if shown.
    Without a shown total a row or column is not a relation: hiding small cells suffices.
    """
    columns = list(value_columns) + ([total_column] if total_column else [])
    if frame.is_empty():
        return frame.with_columns(pl.lit(False).alias(flag_column(c)) for c in columns)
    cells = [list(frame[c].cast(pl.Float64).to_list()) for c in columns]  # column-major
    n_rows = frame.height
    grid = [[cells[c][r] for c in range(len(columns))] for r in range(n_rows)]
    hidden = [[is_small(v, min_count) for v in row] for row in grid]
    relations: list[list[tuple[int, int]]] = []
    n_values = len(value_columns)
    if total_column:
        relations += [[(r, c) for c in range(n_values + 1)] for r in range(n_rows)]
    if total_row is not None:
        total_mask = frame.select(total_row.alias("_t"))["_t"].to_list()
        if sum(bool(t) for t in total_mask) == 1:
            for c in range(len(columns)):
                relations.append([(r, c) for r in range(n_rows)])
    _secondary(grid, hidden, relations)
    out = frame
    for c, name in enumerate(columns):
        flags = pl.Series(flag_column(name), [hidden[r][c] for r in range(n_rows)])
        out = out.with_columns(
            flags,
            pl.when(flags).then(None).otherwise(pl.col(name)).alias(name),
        )
    return out


def protect_counts(frame: pl.DataFrame, columns: Iterable[str], min_count: int = 3) -> pl.DataFrame:
    """Primary suppression only, for outputs that show no totals of these counts."""
    out = frame
    for name in columns:
        small = pl.col(name).is_between(1, min_count - 1, closed="both").fill_null(False)
        out = out.with_columns(
            small.alias(flag_column(name)),
            pl.when(small).then(None).otherwise(pl.col(name)).alias(name),
        )
    return out


def rate_is_disclosive(numerator: float | None, denominator: float | None, min_count: int = 3) -> bool:
    """A share reveals a small count when its numerator, denominator or complement is small."""
    if numerator is None or denominator is None:
        return False
    return any(is_small(v, min_count) for v in (numerator, denominator, denominator - numerator))


def has_suppression(frame: pl.DataFrame) -> bool:
    flags = [c for c in frame.columns if c.endswith(SUFFIX)]
    return any(frame[c].any() for c in flags)


def display_frame(frame: pl.DataFrame, lang: str, units: dict[str, str]) -> pl.DataFrame:
    """Strings for screen tables: numbers in the language's format, '*' where suppressed,
    flag columns removed. ``units`` maps value columns to a unit of fmt_value."""
    from analytics.formatting import fmt_value  # formatting imports this module

    out = frame
    for name, unit in units.items():
        flag = flag_column(name)
        flags = frame[flag].to_list() if flag in frame.columns else [False] * frame.height
        texts = [
            fmt_value(v, unit, lang, suppressed=bool(f))
            for v, f in zip(frame[name].to_list(), flags, strict=True)
        ]
        out = out.with_columns(pl.Series(name, texts, dtype=pl.String))
    return out.drop([c for c in out.columns if c.endswith(SUFFIX)])
