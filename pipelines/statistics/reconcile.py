"""Reconciliation: does the parsed detail add up to the totals the file carries itself?

Suppressed cells ('*', NULL) are unknown, not zero: with suppressed cells a check passes
("ok_unknown") when the known detail does not exceed the total. Counts only, never rates.
"""

from __future__ import annotations

import polars as pl

from pipelines.statistics.model import Check, Reconciliation

TOLERANCE = 0.5
PERIODS = ("period", "reference_date")  # the period column of a fact table


def reconcile(
    frame: pl.DataFrame,
    dim: str,
    keys: list[str],
    *,
    group: pl.Expr,
    label: str,
    total: str = "TOTAL",
    unknown: str | None = "UNKNOWN",
    exact: set[str] | None = None,
) -> Reconciliation:
    """Compare, per ``keys`` and per detail group (e.g. code depth), detail sums with totals.

    ``frame`` has columns ``keys``, ``dim``, ``value``; ``group`` assigns each detail row its
    group (rows with a null group are ignored); rows with ``dim == unknown`` are added to
    every group (they are part of the total but of no level). Groups in ``exact`` (default:
    all) must add up to the total; other groups (deeper levels, often listed only in part,
    'darunter') are a difference only when they exceed it.
    """
    if frame.is_empty():
        return Reconciliation()
    # only the columns the checks read: every filter below then copies 3-7 columns, not 20
    frame = frame.select(list(dict.fromkeys([*keys, dim, *group.meta.root_names(), "value"])))
    if not group.meta.root_names():  # one group for all rows (column groups, regions)
        checked = _one_group(frame, dim, keys, pl.select(group).item(), total, unknown)
        if checked is None:
            return Reconciliation()
    else:
        totals = (
            frame.filter(pl.col(dim) == total)
            .group_by(keys)
            .agg(total=pl.col("value").first(), total_null=pl.col("value").first().is_null())
        )
        if totals.is_empty():
            return Reconciliation()
        detail = frame.filter(pl.col(dim) != total).with_columns(_group=group)
        unknown_rows = detail.filter(pl.col(dim) == unknown) if unknown is not None else detail.clear()
        detail = detail.filter(pl.col("_group").is_not_null() & (pl.col(dim) != (unknown or "")))
        agg = [
            pl.col("value").sum().alias("known"),
            pl.col("value").is_null().sum().alias("suppressed"),
        ]
        sums = detail.group_by([*keys, "_group"]).agg(agg)
        if sums.is_empty():
            return Reconciliation()
        if unknown_rows.height:
            extra = unknown_rows.group_by(keys).agg(
                pl.col("value").sum().alias("u_known"),
                pl.col("value").is_null().sum().alias("u_supp"),
            )
            sums = (
                sums.join(extra, on=keys, how="left")
                .with_columns(
                    known=pl.col("known") + pl.col("u_known").fill_null(0),
                    suppressed=pl.col("suppressed") + pl.col("u_supp").fill_null(0),
                )
                .drop("u_known", "u_supp")
            )
        checked = sums.join(totals, on=keys, how="inner")
    return _judge(checked, keys, label=label, exact=exact)


def _judge(
    checked: pl.DataFrame, keys: list[str], *, label: str, exact: set[str] | None = None
) -> Reconciliation:
    """Status of each check (columns ``keys``, _group, known, suppressed, total, total_null)."""
    must_add_up = pl.lit(True) if exact is None else pl.col("_group").is_in(sorted(exact))
    checked = checked.with_columns(
        status=pl.when(pl.col("total_null"))
        .then(pl.lit("total_unknown"))
        .when(~must_add_up & (pl.col("known") <= pl.col("total") + TOLERANCE))
        .then(pl.when(pl.col("suppressed") == 0).then(pl.lit("ok")).otherwise(pl.lit("ok_unknown")))
        .when((pl.col("suppressed") == 0) & ((pl.col("total") - pl.col("known")).abs() <= TOLERANCE))
        .then(pl.lit("ok"))
        .when((pl.col("suppressed") > 0) & (pl.col("known") <= pl.col("total") + TOLERANCE))
        .then(pl.lit("ok_unknown"))
        .otherwise(pl.lit("difference"))
    )
    counts = dict(checked.group_by("status").len().iter_rows())
    differences = [
        Check(
            f"{label} [{', '.join(f'{k}={row[k]}' for k in keys)}, Ebene/level {row['_group']}]",
            row["total"],
            row["known"],
            row["suppressed"],
            "difference",
        )
        for row in checked.filter(pl.col("status") == "difference").head(50).iter_rows(named=True)
    ]
    return Reconciliation(
        checks=checked.height,
        ok=counts.get("ok", 0),
        ok_unknown=counts.get("ok_unknown", 0),
        total_unknown=counts.get("total_unknown", 0),
        differences=differences,
    )


def _one_group(
    frame: pl.DataFrame, dim: str, keys: list[str], group, total: str, unknown: str | None
) -> pl.DataFrame | None:
    """reconcile's sums joined to totals when ``group`` is the same for every row: one
    group_by over ``keys`` instead of two and a join (same checks, same figures)."""
    if group is None:
        return None  # no row has a group
    is_total = (pl.col(dim) == total).fill_null(False)
    is_detail = ((pl.col(dim) != total) & (pl.col(dim) != (unknown or ""))).fill_null(False)
    is_unknown = (
        ((pl.col(dim) != total) & (pl.col(dim) == unknown)).fill_null(False)
        if unknown is not None
        else pl.lit(False)
    )
    if not frame.select(is_total.any()).item():
        return None  # no totals to check against
    counted = is_detail | is_unknown  # unknown rows count in every group with detail rows
    # text keys grouped as categoricals: hashing a few hundred distinct codes once is cheaper
    # than hashing every row's strings (same groups, same figures; labels read the same)
    text_keys = [k for k in keys if frame.schema[k] == pl.String]
    checked = (
        frame.with_columns(
            pl.col(text_keys).cast(pl.Categorical),
            _total=is_total,
            _detail=is_detail,
            _counted=counted,
        )
        .with_columns(
            _known=pl.when("_counted").then(pl.col("value")),
            _suppressed=pl.col("value").is_null() & pl.col("_counted"),
        )
        .group_by(keys)
        .agg(
            known=pl.col("_known").sum(),
            suppressed=pl.col("_suppressed").sum(),
            total=pl.col("value").filter("_total").first(),
            _has_total=pl.col("_total").any(),
            _detail=pl.col("_detail").sum(),
        )
        # as the join of sums and totals: both present, no null key
        .filter(
            pl.col("_has_total")
            & (pl.col("_detail") > 0)
            & pl.all_horizontal([pl.col(k).is_not_null() for k in keys])
        )
        .with_columns(total_null=pl.col("total").is_null(), _group=pl.lit(group))
        .drop("_has_total", "_detail")
    )
    return None if checked.is_empty() else checked


def code_depth(column: str) -> pl.Expr:
    """KldB/WZ level of a code: number of digits, 'S' for a WZ section letter."""
    code = pl.col(column)
    return (
        pl.when(code.str.contains(r"^[A-U]$"))
        .then(pl.lit("S"))
        .when(code.str.contains(r"^\d"))
        .then(code.str.replace_all(".", "", literal=True).str.len_chars().cast(pl.String))
        .otherwise(pl.lit(None, pl.String))
    )


def shallowest_level(frame: pl.DataFrame, column: str) -> set[str]:
    """The top level listed (WZ sections before divisions; fewest KldB digits): it must add up."""
    codes = frame.select(pl.col(column).unique())  # the level of each distinct code, once
    levels = {lvl for lvl in codes.select(code_depth(column)).to_series().unique().to_list() if lvl}
    if not levels:
        return set()
    return {"S"} if "S" in levels else {min(levels, key=int)}


def reconcile_columns(
    frame: pl.DataFrame,
    members: tuple[str, ...],
    keys: list[str],
    *,
    name: str,
    label: str,
    complete: bool = True,
) -> Reconciliation:
    """Breakdown columns (``members``, e.g. Vollzeit and Teilzeit) against the 'Insgesamt'
    column of the same measure and period, row by row.

    The parts of a total stand beside it in the same sheet row, so they are matched by the row
    (``_row``) instead of grouping every cell by its text keys. ``frame`` holds the cells of
    one sheet: ``_row``, ``_column``, ``breakdown``, ``value`` and ``keys`` (which name a check).
    A part that is missing (empty or unreadable cell) does not count; a suppressed part ('*')
    is unknown. Only a complete group is checked ('darunter Helfer' alone adds up to nothing).
    ``complete=False``: the group stands under 'darunter' and must only not exceed the total.
    """
    wanted = frame.filter(pl.col("breakdown").is_in([*members, "TOTAL"]))
    # one block per value column: a breakdown, a measure and a period each
    blocks: dict[tuple, dict[str, pl.DataFrame]] = {}
    for block in wanted.partition_by("_column", maintain_order=True):
        first = block.row(0, named=True)
        sets = blocks.setdefault(tuple(first[k] for k in keys if k in ("measure", *PERIODS)), {})
        sets.setdefault(first["breakdown"], block)  # the first column of a breakdown counts
    checks = []
    for columns in blocks.values():
        if "TOTAL" not in columns or not set(members) <= set(columns):
            continue
        checked = columns["TOTAL"].select("_row", *keys, total="value")
        for k, member in enumerate(members):
            part = columns[member].select("_row", pl.col("value").alias(f"_v{k}"), **{f"_p{k}": True})
            checked = checked.join(part, on="_row", how="left")
        values = [pl.col(f"_v{k}") for k in range(len(members))]
        present = [pl.col(f"_p{k}").fill_null(False) for k in range(len(members))]
        checked = checked.with_columns(
            known=pl.sum_horizontal(values).cast(pl.Float64),
            suppressed=pl.sum_horizontal([p & v.is_null() for p, v in zip(present, values, strict=True)]),
            total_null=pl.col("total").is_null(),
            _detail=pl.sum_horizontal(present),
            _group=pl.lit(name),
        ).filter(pl.col("_detail") > 0)
        checks.append(checked.select(*keys, "_group", "known", "suppressed", "total", "total_null"))
    if not checks or not sum(c.height for c in checks):
        return Reconciliation()
    return _judge(pl.concat(checks), keys, label=label, exact=None if complete else set())
