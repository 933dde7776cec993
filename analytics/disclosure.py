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

from collections.abc import Callable, Iterable, Sequence

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


Cell = tuple[int, int]  # (row, column) of a grid of counts


def suppression_mask(
    values: dict[Cell, float | None],
    relations: Sequence[Sequence[Cell]],
    min_count: int = 3,
    *,
    prehidden: Iterable[Cell] = (),
    fixed: Iterable[Cell] = (),
) -> set[Cell]:
    """The cells to withhold: primary (1..min_count-1) plus secondary suppression.

    Each relation is a set of cells tied by one shown sum (e.g. parts and their total). No
    relation may be left with exactly one withheld cell, or it could be recomputed.
    ``prehidden`` cells are withheld for reasons outside the grid. ``fixed`` cells are never
    chosen to hide more: cells published elsewhere (e.g. Sankey node totals) and derived cells
    that are not shown but follow from their relation (e.g. network minus region); the latter
    are withheld when small, so that their relation keeps a second unknown.
    """
    hidden = {cell for cell, value in values.items() if is_small(value, min_count)}
    hidden |= set(prehidden)
    fixed = set(fixed)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [cell for cell in relation if cell in hidden]
            if len(unknown) != 1:
                continue
            candidates = [cell for cell in relation if cell not in hidden and cell not in fixed]
            if not candidates:
                continue
            # prefer the smallest positive cell; zeros hide nothing
            positive = [cell for cell in candidates if (values.get(cell) or 0) > 0]
            pool = positive or candidates
            hidden.add(min(pool, key=lambda cell: (values.get(cell) or 0, cell)))
            changed = True
    return hidden


def apply_mask(frame: pl.DataFrame, columns: Sequence[str], hidden: set[Cell]) -> pl.DataFrame:
    """NULL the hidden cells of ``columns`` (grid column index = position in ``columns``) and
    add the ``<name>__suppressed`` flags."""
    out = frame
    for c, name in enumerate(columns):
        flags = pl.Series(
            flag_column(name), [(r, c) in hidden for r in range(frame.height)], dtype=pl.Boolean
        )
        out = out.with_columns(flags, pl.when(flags).then(None).otherwise(pl.col(name)).alias(name))
    return out


def grid_values(frame: pl.DataFrame, columns: Sequence[str]) -> dict[Cell, float | None]:
    return {
        (r, c): value
        for c, name in enumerate(columns)
        for r, value in enumerate(frame[name].cast(pl.Float64).to_list())
    }


def protect_table(
    frame: pl.DataFrame,
    value_columns: Sequence[str],
    *,
    total_column: str | None = None,
    total_row: pl.Expr | None = None,
    row_sums: Sequence[tuple[int, Sequence[int]]] = (),
    min_count: int = 3,
) -> pl.DataFrame:
    """Primary and secondary suppression of a table of person counts.

    ``value_columns`` are the count cells; ``total_column`` (if shown) is their row sum;
    ``total_row`` (a boolean expression) marks the row holding the column sums, if shown;
    ``row_sums`` lists further (sum row, part rows) pairs, e.g. years over their quarters.
    Without a shown total a row or column is not a relation: hiding small cells suffices.
    """
    columns = list(value_columns) + ([total_column] if total_column else [])
    if frame.is_empty():
        return frame.with_columns(pl.lit(False).alias(flag_column(c)) for c in columns)
    n_rows, n_values = frame.height, len(value_columns)
    relations: list[list[Cell]] = []
    if total_column:
        relations += [[(r, c) for c in range(n_values + 1)] for r in range(n_rows)]
    if total_row is not None:
        total_mask = frame.select(total_row.alias("_t"))["_t"].to_list()
        if sum(bool(t) for t in total_mask) == 1:
            for c in range(len(columns)):
                relations.append([(r, c) for r in range(n_rows)])
    for total, parts in row_sums:
        for c in range(len(columns)):
            relations.append([(total, c), *[(p, c) for p in parts]])
    hidden = suppression_mask(grid_values(frame, columns), relations, min_count)
    return apply_mask(frame, columns, hidden)


def protect_shares(
    frame: pl.DataFrame,
    measures: Sequence[str],
    base: str,
    *,
    total_row: pl.Expr | None = None,
    comparison_row: pl.Expr | None = None,
    prehidden: dict[str, Sequence[bool]] | None = None,
    fixed: dict[str, Sequence[bool]] | None = None,
    min_count: int = 3,
) -> pl.DataFrame:
    """Counts of persons with a property (``measures``) out of ``base`` persons per row,
    shown with their shares: the complement ``base - measure`` counts as published too.

    ``total_row`` marks the row with the column sums (shown). ``comparison_row`` marks a
    further shown row (e.g. the whole network) of which the table rows are a part: the rest
    (comparison minus total) is derivable and is protected as well. ``prehidden`` withholds
    cells for reasons outside this table (e.g. another view on the same page); ``fixed``
    cells are shown elsewhere on the page, so never withheld to protect others. Adds
    ``<measure>_share`` columns, withheld whenever the measure or the base is.
    """
    n_rows = frame.height
    columns: list[str] = []
    work = frame
    for m in measures:
        columns += [m, f"_not_{m}"]
        work = work.with_columns((pl.col(base) - pl.col(m)).alias(f"_not_{m}"))
    columns.append(base)
    values = grid_values(work, columns)
    rows_total = (
        work.select(total_row.alias("_t"))["_t"].to_list() if total_row is not None else [False] * n_rows
    )
    rows_cmp = (
        work.select(comparison_row.alias("_c"))["_c"].to_list()
        if comparison_row is not None
        else [False] * n_rows
    )
    base_c = len(columns) - 1
    relations: list[list[Cell]] = []
    for r in range(n_rows):
        for i in range(len(measures)):
            relations.append([(r, 2 * i), (r, 2 * i + 1), (r, base_c)])
    parts = [r for r in range(n_rows) if not rows_total[r] and not rows_cmp[r]]
    derived: list[Cell] = []
    if sum(rows_total) == 1:
        t = rows_total.index(True)
        for c in range(len(columns)):
            relations.append([(t, c), *[(r, c) for r in parts]])
        if sum(rows_cmp) == 1:
            k = rows_cmp.index(True)
            rest_row = n_rows  # a virtual row: comparison minus total
            for c in range(len(columns)):
                a, b = values[(k, c)], values[(t, c)]
                values[(rest_row, c)] = None if a is None or b is None else a - b
                derived.append((rest_row, c))
                relations.append([(k, c), (t, c), (rest_row, c)])
            for i in range(len(measures)):
                relations.append([(rest_row, 2 * i), (rest_row, 2 * i + 1), (rest_row, base_c)])

    def cells(flags_by_column: dict[str, Sequence[bool]] | None) -> set[Cell]:
        return {
            (r, columns.index(name))
            for name, flags in (flags_by_column or {}).items()
            for r, flag in enumerate(flags)
            if flag
        }

    hidden = suppression_mask(
        values, relations, min_count, prehidden=cells(prehidden), fixed=cells(fixed) | set(derived)
    )
    out = apply_mask(work, columns, {cell for cell in hidden if cell[0] < n_rows})
    for m in measures:
        out = out.with_columns(
            pl.when(pl.col(flag_column(m)) | pl.col(flag_column(base)) | (pl.col(base) == 0))
            .then(None)
            .otherwise(pl.col(m) / pl.col(base))
            .alias(f"{m}_share"),
            (pl.col(flag_column(m)) | pl.col(flag_column(base))).alias(flag_column(f"{m}_share")),
        )
    return out.drop([c for c in out.columns if c.startswith("_not_")])


LINK_SCHEMA = {"source": pl.String, "target": pl.String, "persons": pl.Int64, "merged": pl.Int64}


def _pool_safe(pool: list[tuple[str, int]], min_count: int) -> bool:
    """A pooled link is safe when it merges at least two links and is not small."""
    return not pool or (len(pool) >= 2 and sum(p for _, p in pool) >= min_count)


def _pool_sources(
    by_source: dict[str, list[tuple[str, int]]], min_count: int, other: str
) -> dict[str, list[tuple[str, int]]] | None:
    """Sources with a small total are merged into a source ``other`` (with the smallest
    further sources until it is safe); None when even all sources together are small."""
    totals = {s: sum(p for _, p in rows) for s, rows in by_source.items()}
    order = sorted(totals, key=lambda s: (totals[s], s))
    pooled = [s for s in order if totals[s] < min_count]
    if not pooled:
        return by_source
    rest = [s for s in order if s not in pooled]
    while rest and (sum(totals[s] for s in pooled) < min_count or len(pooled) == 1):
        pooled.append(rest.pop(0))
    if sum(totals[s] for s in pooled) < min_count:
        return None
    merged: dict[str, int] = {}
    for s in pooled:
        for target, persons in by_source[s]:
            merged[target] = merged.get(target, 0) + persons
    out = {s: rows for s, rows in by_source.items() if s not in pooled}
    out[other] = sorted(merged.items())
    return out


def protect_links(links: pl.DataFrame, min_count: int = 3, *, other: str = "_other") -> pl.DataFrame:
    """Flows ``source -> target`` with ``persons``, made safe for a Sankey or an arc map.

    Per source, links of 1..min_count-1 persons are merged into one link to ``other``. A
    merged link must join at least two links and hold at least min_count persons: until it
    does, the smallest shown link of that source joins it. Sources with a small total are
    first merged into a source ``other``. Result: source, target, persons (always >=
    min_count), merged (number of original links); node totals are sums of safe links only.
    """
    by_source: dict[str, list[tuple[str, int]]] = {}
    for source, target, persons in links.select("source", "target", "persons").iter_rows():
        if persons:
            by_source.setdefault(source, []).append((target, int(persons)))
    if min_count <= 0:
        rows = [(s, t, p, 1) for s, ts in by_source.items() for t, p in ts]
        return pl.DataFrame(rows, schema=LINK_SCHEMA, orient="row").sort("source", "target")
    pooled_sources = _pool_sources(by_source, min_count, other)
    if pooled_sources is None:
        return pl.DataFrame(schema=LINK_SCHEMA)
    out: list[tuple[str, str, int, int]] = []
    for source, rows in pooled_sources.items():
        members = sorted(rows, key=lambda tp: (tp[1], tp[0]))
        pool = [tp for tp in members if tp[1] < min_count]
        shown = [tp for tp in members if tp[1] >= min_count]
        while pool and not _pool_safe(pool, min_count) and shown:
            pool.append(shown.pop(0))
        # the source total is >= min_count, so the pool is safe once it takes every link
        out += [(source, t, p, 1) for t, p in shown]
        if pool:
            out.append((source, other, sum(p for _, p in pool), len(pool)))
    frame = pl.DataFrame(out, schema=LINK_SCHEMA, orient="row")
    return frame.group_by("source", "target").agg(pl.col("persons", "merged").sum()).sort("source", "target")


Coarsen = Callable[[str, str], tuple[str, str]]


def _shown_key(coarse: pl.DataFrame, other: str) -> Callable[[tuple[str, str]], tuple[str, str]]:
    """Where a raw coarse link (S, T) stands in the protected coarse links: itself, its
    source's 'übrige', or (S pooled) the pooled source's link to T or its 'übrige'."""
    shown = {(s, t) for s, t in coarse.select("source", "target").iter_rows()}
    sources = {s for s, _ in shown}

    def key(pair: tuple[str, str]) -> tuple[str, str]:
        source, target = pair
        if pair in shown:
            return pair
        if source in sources:
            return (source, other)
        return (other, target) if (other, target) in shown else (other, other)

    return key


def protect_links_nested(
    links: pl.DataFrame,
    coarser: Sequence[tuple[pl.DataFrame, Coarsen]],
    min_count: int = 3,
    *,
    other: str = "_other",
) -> pl.DataFrame:
    """``protect_links`` for a finer level of links whose coarser levels are shown too (a
    toggle or a coarser grouping of the same persons): ``coarser`` holds each coarser level's
    protected links and the map of a fine (source, target) to its coarse pair.

    A coarse link is a sum of fine links, so the fine links shown inside it must leave a rest
    of 0 or at least min_count persons (else the rest, coarse minus fine, would be readable):
    while a block leaves 1..min_count-1, its smallest shown fine link joins its source's
    'übrige' (which again takes a further link until it merges two). Links of a pooled fine
    source ('übrige' origin) count as unknown. Result as ``protect_links``.
    """
    base = protect_links(links, min_count, other=other)
    if min_count <= 0 or base.is_empty() or not coarser:
        return base
    raw: dict[tuple[str, str], int] = {}
    for source, target, persons in links.select("source", "target", "persons").iter_rows():
        if persons:
            raw[(source, target)] = raw.get((source, target), 0) + int(persons)
    shown_pairs = {
        (s, t) for s, t in base.select("source", "target").iter_rows() if s != other and t != other
    }
    pooled_sources = {s for s, _ in raw} - set(base["source"].to_list())
    # per fine source: shown (target, persons) and pooled (target, persons); the pooled
    # source ('übrige' origin) stays as protect_links made it
    shown = {s: [(t, raw[(s, t)]) for (s2, t) in shown_pairs if s2 == s] for s in {s for s, _ in shown_pairs}}
    pool = {
        s: [(t, p) for (s2, t), p in raw.items() if s2 == s and (s, t) not in shown_pairs]
        for s in {s for s, _ in raw} - pooled_sources
    }
    levels = []
    for coarse, coarsen in coarser:
        key = _shown_key(coarse, other)
        totals = dict(
            zip(zip(coarse["source"], coarse["target"], strict=True), coarse["persons"], strict=True)
        )
        levels.append((key, coarsen, totals))

    def blocks_of(source: str, target: str) -> list[tuple[int, tuple[str, str]]]:
        return [(j, key(coarsen(source, target))) for j, (key, coarsen, _) in enumerate(levels)]

    for _ in range(10_000):
        known: dict[tuple[int, tuple[str, str]], int] = {}
        members: dict[tuple[int, tuple[str, str]], list[tuple[int, str, str]]] = {}
        for source, rows in shown.items():
            for target, persons in rows:
                for block in blocks_of(source, target):
                    known[block] = known.get(block, 0) + persons
                    members.setdefault(block, []).append((persons, source, target))
        broken = [
            block for block, k in known.items() if 0 < levels[block[0]][2].get(block[1], 0) - k < min_count
        ]
        if not broken:
            break
        persons, source, target = min(members[min(broken)])
        shown[source].remove((target, persons))
        pool[source].append((target, persons))
        rows = sorted(shown[source], key=lambda tp: (tp[1], tp[0]))
        while pool[source] and not _pool_safe(pool[source], min_count) and rows:
            moved = rows.pop(0)
            shown[source].remove(moved)
            pool[source].append(moved)
    out: list[tuple[str, str, int, int]] = [(s, t, p, m) for s, t, p, m in base.iter_rows() if s == other]
    for source in pool:
        out += [(source, t, p, 1) for t, p in shown.get(source, [])]
        if pool[source]:
            out.append((source, other, sum(p for _, p in pool[source]), len(pool[source])))
    frame = pl.DataFrame(out, schema=LINK_SCHEMA, orient="row")
    return frame.group_by("source", "target").agg(pl.col("persons", "merged").sum()).sort("source", "target")


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
