"""Funding impact for the ministry (design §4): budget use, cost per transition, avoided
unemployment, targets vs. actuals, and the network's regions side by side.

Person counts are protected (design §6) with the year and total rows they add up to;
money is not personal data and is shown as booked.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from analytics.db import query
from analytics.disclosure import (
    display_frame,
    flag_column,
    is_small,
    protect_shares,
    protect_table,
    rate_is_disclosive,
)
from analytics.formatting import quarter_text
from analytics.kpi import avoided_eur, hidden_over, kpis_by_period, network_regions
from analytics.periods import Quarter, quarters_between
from analytics.regions import regions
from analytics.settings import Settings


def budget_table(con: duckdb.DuckDBPyConnection, settings: Settings) -> pl.DataFrame:
    """Planned and spent EUR per quarter of the funding period, cumulative, and the share of
    the total budget used (spent NULL for quarters not yet booked)."""
    frame = query(
        con,
        "SELECT quarter_start, planned_eur, spent_eur FROM funding "
        "WHERE quarter_start BETWEEN ? AND ? ORDER BY quarter_start",
        [settings.project_start, settings.project_end],
    )
    total = settings.budget_total_eur
    return (
        frame.with_columns(
            quarter_text(pl.col("quarter_start")).alias("quarter"),
            pl.col("planned_eur").cum_sum().alias("planned_cumulative_eur"),
            pl.when(pl.col("spent_eur").is_not_null())
            .then(pl.col("spent_eur").fill_null(0).cum_sum())
            .alias("spent_cumulative_eur"),
            pl.lit(total).alias("budget_total_eur"),
        )
        .with_columns(
            (pl.col("spent_cumulative_eur") / total).alias("budget_used"),
        )
        .select(
            "quarter",
            "quarter_start",
            "planned_eur",
            "spent_eur",
            "planned_cumulative_eur",
            "spent_cumulative_eur",
            "budget_total_eur",
            "budget_used",
        )
    )


def as_of_quarter(budget: pl.DataFrame, quarter_start: date) -> pl.DataFrame:
    """The budget table as known at the end of the quarter starting ``quarter_start``: spending
    booked for later quarters is left out (the plan stays: it is a plan)."""
    later = pl.col("quarter_start") > quarter_start
    return budget.with_columns(
        pl.when(later).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("spent_eur", "spent_cumulative_eur", "budget_used")
    )


def budget_status(budget: pl.DataFrame, until_quarter_start: date, total: float) -> dict[str, float]:
    """Spent and planned EUR summed over the quarters up to the one starting on
    ``until_quarter_start``, and the share of the total budget spent."""
    upto = budget.filter(pl.col("quarter_start") <= until_quarter_start)
    spent = float(upto["spent_eur"].sum() or 0.0)
    planned = float(upto["planned_eur"].sum() or 0.0)
    return {"spent_eur": spent, "planned_eur": planned, "used": spent / total if total else None}


def assumptions(settings: Settings, months: float | None, monthly_cost: float | None) -> tuple[float, float]:
    """The avoided-unemployment assumptions: the page's values, else the settings'."""
    defaults = settings.avoided_unemployment
    return (
        defaults.avg_months_unemployed if months is None else months,
        defaults.monthly_cost_eur if monthly_cost is None else monthly_cost,
    )


def quarterly_impact(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    until: date,
    *,
    months: float | None = None,
    monthly_cost: float | None = None,
    protected: bool = True,
) -> pl.DataFrame:
    """Per quarter up to ``until``, per year and in total (whole network): funding spent,
    transitions, seamless transitions, cost per transition and avoided unemployment.

    ``months`` and ``monthly_cost`` default to settings.avoided_unemployment. Transitions
    and seamless counts are protected together with their year and total rows (the
    complement 'not seamless' is derivable, so it is protected too); cost per transition and
    avoided EUR are withheld with the count they rest on.
    """
    months, monthly_cost = assumptions(settings, months, monthly_cost)
    network = network_regions(con, settings)
    rows = []
    quarters = quarters_between(settings.project_start, min(until, settings.project_end))
    by_quarter = kpis_by_period(  # one query over the quarter calendar (issue #14)
        con, {q.label(): (q.start, q.end) for q in quarters}, {"network": network}, settings.wage_ratio_good
    )
    for quarter in quarters:
        counts = by_quarter[("network", quarter.label())]
        spent = counts["spent_eur"]
        rows.append(
            {
                "kind": "quarter",
                "year": quarter.year,
                "period": quarter.label(),
                "spent_eur": spent,
                "transitions": counts["transitions"],
                "seamless": counts["seamless"],
            }
        )
    schema = {
        "kind": pl.String,
        "year": pl.Int64,
        "period": pl.String,
        "spent_eur": pl.Float64,
        "transitions": pl.Int64,
        "seamless": pl.Int64,
    }
    quarters = pl.DataFrame(rows, schema=schema)
    out_rows, sums = [], []
    year_rows = []
    for year in sorted(set(quarters["year"].to_list())):
        part = quarters.filter(pl.col("year") == year)
        first = len(out_rows)
        out_rows += part.to_dicts()
        year_rows.append(len(out_rows))
        sums.append((len(out_rows), list(range(first, len(out_rows)))))
        out_rows.append(
            {
                "kind": "year",
                "year": year,
                "period": str(year),
                "spent_eur": part["spent_eur"].sum() if part["spent_eur"].count() else None,
                "transitions": part["transitions"].sum(),
                "seamless": part["seamless"].sum(),
            }
        )
    if year_rows:
        sums.append((len(out_rows), year_rows))
        out_rows.append(
            {
                "kind": "total",
                "year": None,
                "period": "Summe",
                "spent_eur": quarters["spent_eur"].sum() if quarters["spent_eur"].count() else None,
                "transitions": quarters["transitions"].sum(),
                "seamless": quarters["seamless"].sum(),
            }
        )
    frame = pl.DataFrame(out_rows, schema=schema).with_columns(
        (pl.col("transitions") - pl.col("seamless")).alias("not_seamless")
    )
    if protected:  # the warehouse's one suppression pattern (issue #12)
        frame = _pattern_flags(
            frame,
            [_impact_span(settings, until, r) for r in frame.iter_rows(named=True)],
            con,
            settings,
            network,
        )
    else:
        frame = protect_table(frame, ["seamless", "not_seamless"], total_column="transitions", min_count=0)
    return frame.with_columns(
        pl.when(pl.col("transitions") > 0)
        .then(pl.col("spent_eur") / pl.col("transitions"))
        .alias("cost_per_transition"),
        pl.col(flag_column("transitions")).alias(flag_column("cost_per_transition")),
        avoided_eur(pl.col("seamless"), months, monthly_cost).alias("avoided_eur"),
        pl.col(flag_column("seamless")).alias(flag_column("avoided_eur")),
        pl.lit(months).alias("months"),
        pl.lit(monthly_cost).alias("monthly_cost_eur"),
    )


def _impact_span(settings: Settings, until: date, row: dict) -> tuple[Quarter, Quarter]:
    start, last = Quarter.of(settings.project_start), Quarter.of(min(until, settings.project_end))
    if row["kind"] == "quarter":
        quarter = Quarter.parse(row["period"])
        return quarter, quarter
    if row["kind"] == "year":
        return max(Quarter(row["year"], 1), start), min(Quarter(row["year"], 4), last)
    return start, last


def _pattern_flags(
    frame: pl.DataFrame,
    spans: list[tuple[Quarter, Quarter]],
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    ags: list[str] | list[list[str]],
    columns: tuple[str, ...] = ("transitions", "seamless", "not_seamless"),
) -> pl.DataFrame:
    """NULL and flag the cells of ``columns`` the suppression pattern withholds, per row for
    its span of quarters and its Kreise (one list for all rows, or one per row)."""
    per_row = ags if ags and isinstance(ags[0], list) else [ags] * frame.height
    hidden = [
        hidden_over(con, settings, list(a), first, last, columns)
        for (first, last), a in zip(spans, per_row, strict=True)
    ]
    out = frame
    for name in columns:
        flags = pl.Series(flag_column(name), [name in h for h in hidden], dtype=pl.Boolean)
        out = out.with_columns(flags, pl.when(flags).then(None).otherwise(pl.col(name)).alias(name))
    return out


def targets_vs_actuals(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    until: date,
    impact: pl.DataFrame,
    *,
    protected: bool = True,
) -> pl.DataFrame:
    """One row per indicator and year of the targets: actual (up to ``until``), target and
    share reached. Transitions come from ``impact`` (the protected quarterly_impact) so that
    the page shows one protected value per cell."""
    min_count = settings.disclosure_min_count if protected else 0
    network = network_regions(con, settings)
    targets = settings.targets
    year_values = {r["year"]: r for r in impact.filter(pl.col("kind") == "year").iter_rows(named=True)}
    rows = []
    spans = {
        year: (max(date(year, 1, 1), settings.project_start), min(date(year, 12, 31), until))
        for year in targets.by_year
    }
    by_year = kpis_by_period(  # one query over the years that started (issue #14)
        con,
        {str(year): span for year, span in spans.items() if span[0] <= until},
        {"network": network},
        settings.wage_ratio_good,
    )
    for year, target in sorted(targets.by_year.items()):
        end = spans[year][1]
        started = spans[year][0] <= until
        counts = by_year.get(("network", str(year)))
        impact_row = year_values.get(year)
        entries = counts["entries"] if counts else None
        hidden_year = (
            hidden_over(
                con,
                settings,
                network,
                max(Quarter(year, 1), Quarter.of(settings.project_start)),
                Quarter.of(end),
                ("entries", "seamless_rate", "retention_rate"),
            )
            if protected and started
            else set()
        )
        items = [
            (
                "entries",
                "count",
                entries,
                is_small(entries, min_count) or "entries" in hidden_year,
                float(target.entries),
            ),
            (
                "transitions",
                "count",
                impact_row["transitions"] if impact_row else None,
                bool(impact_row and impact_row[flag_column("transitions")]),
                float(target.transitions),
            ),
        ]
        if counts:
            seamless_hidden = bool(impact_row and impact_row[flag_column("seamless")])
            items += [
                (
                    "seamless_rate",
                    "share",
                    _rate(counts["seamless"], counts["closed"]),
                    seamless_hidden
                    or "seamless_rate" in hidden_year
                    or rate_is_disclosive(counts["seamless"], counts["closed"], min_count),
                    targets.seamless_rate,
                ),
                (
                    "retention_rate",
                    "share",
                    _rate(counts["retained"], counts["retention_checks"]),
                    "retention_rate" in hidden_year
                    or rate_is_disclosive(counts["retained"], counts["retention_checks"], min_count),
                    targets.retention_rate,
                ),
            ]
        else:
            items += [
                ("seamless_rate", "share", None, False, targets.seamless_rate),
                ("retention_rate", "share", None, False, targets.retention_rate),
            ]
        for key, unit, actual, hidden, goal in items:
            rows.append(
                {
                    "year": year,
                    "indicator": key,
                    "unit": unit,
                    "actual": None if hidden or actual is None else float(actual),
                    "target": goal,
                    "reached": None if hidden or actual is None or not goal else actual / goal,
                    "actual__suppressed": hidden,
                    "reached__suppressed": hidden,
                    "complete": end == date(year, 12, 31),
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "year": pl.Int64,
            "indicator": pl.String,
            "unit": pl.String,
            "actual": pl.Float64,
            "target": pl.Float64,
            "reached": pl.Float64,
            "actual__suppressed": pl.Boolean,
            "reached__suppressed": pl.Boolean,
            "complete": pl.Boolean,
        },
    )


def _rate(numerator: float | None, denominator: float | None) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator


def targets_shown(
    targets: pl.DataFrame, lang: str, indicator_labels: dict[str, str], running_label: str
) -> pl.DataFrame:
    """The targets table (``targets_vs_actuals``) as screen texts: year (with
    ``running_label`` while the year runs), indicator label, actual and target in the
    indicator's unit, share reached; '*' where withheld."""
    started = pl.col("actual").is_not_null() | pl.col("actual__suppressed").fill_null(False)
    running = started & ~pl.col("complete").fill_null(False)
    frame = targets.with_row_index("_order").with_columns(
        pl.when(running)
        .then(pl.format("{} ({})", pl.col("year"), pl.lit(running_label)))
        .otherwise(pl.col("year").cast(pl.String))
        .alias("year"),
        pl.col("indicator").replace_strict(indicator_labels, return_dtype=pl.String),
    )
    parts = [  # one part per unit (count, share), each formatted by its unit
        display_frame(part, lang, {"actual": unit, "target": unit, "reached": "share"})
        for (unit,), part in frame.group_by("unit", maintain_order=True)
    ]
    shown = pl.concat(parts) if parts else frame
    return shown.sort("_order").select("year", "indicator", "actual", "target", "reached")


def region_comparison(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    until: date,
    *,
    months: float | None = None,
    monthly_cost: float | None = None,
    protected: bool = True,
) -> pl.DataFrame:
    """One row per network Kreis and one for the whole network, project start to ``until``:
    entries, transitions, seamless transitions and transitions into firms with a collective
    agreement (with their shares of the transitions), median wage ratio, avoided EUR. The
    network's Kreise as of ``until`` (a wave of the rollout plan that starts later is not
    listed yet)."""
    months, monthly_cost = assumptions(settings, months, monthly_cost)
    network = network_regions(con, settings, until)
    table = regions(con)
    names = dict(zip(table["ags"], table["name"], strict=True))
    rows = []
    scopes = {**{a: [a] for a in network}, "_network": network}
    by_scope = kpis_by_period(  # every Kreis and the network in one query (issue #14)
        con, {"span": (settings.project_start, until)}, scopes, settings.wage_ratio_good
    )
    for key in scopes:
        counts = by_scope[(key, "span")]
        rows.append(
            {
                "ags": key,
                "name": names.get(key, key),
                "is_total": key == "_network",
                "entries": counts["entries"],
                "transitions": counts["transitions"],
                "seamless": counts["seamless"],
                "into_tarif": counts["into_tarif"],
                "wage_ratio": counts["wage_ratio"],
                "wage_pairs": counts["wage_pairs"],
            }
        )
    frame = pl.DataFrame(
        rows,
        schema={
            "ags": pl.String,
            "name": pl.String,
            "is_total": pl.Boolean,
            "entries": pl.Int64,
            "transitions": pl.Int64,
            "seamless": pl.Int64,
            "into_tarif": pl.Int64,
            "wage_ratio": pl.Float64,
            "wage_pairs": pl.Int64,
        },
    )
    if protected:  # the warehouse's one suppression pattern, since project start (issue #12)
        span = (Quarter.of(settings.project_start), Quarter.of(until))
        kreise = [network if key == "_network" else [key] for key in frame["ags"]]
        columns = ("entries", "transitions", "seamless", "into_tarif")
        frame = _pattern_flags(frame, [span] * frame.height, con, settings, kreise, columns)
        wages = ["wage_ratio" in hidden_over(con, settings, a, *span, ("wage_ratio",)) for a in kreise]
        frame = frame.with_columns(pl.Series("_wages_hidden", wages, dtype=pl.Boolean))
        for m in ("seamless", "into_tarif"):
            hidden = pl.col(flag_column(m)) | pl.col(flag_column("transitions"))
            frame = frame.with_columns(
                pl.when(hidden | (pl.col("transitions") == 0))
                .then(None)
                .otherwise(pl.col(m) / pl.col("transitions"))
                .alias(f"{m}_share"),
                hidden.alias(flag_column(f"{m}_share")),
            )
        small_wages = pl.col("_wages_hidden")
    else:
        frame = protect_table(frame, ["entries"], total_row=pl.col("is_total"), min_count=0)
        frame = protect_shares(frame, ["seamless", "into_tarif"], "transitions", min_count=0)
        small_wages = pl.lit(False)
    return frame.with_columns(
        pl.when(small_wages).then(None).otherwise(pl.col("wage_ratio")).alias("wage_ratio"),
        small_wages.alias(flag_column("wage_ratio")),
        avoided_eur(pl.col("seamless"), months, monthly_cost).alias("avoided_eur"),
        pl.col(flag_column("seamless")).alias(flag_column("avoided_eur")),
    ).drop("wage_pairs", *(["_wages_hidden"] if "_wages_hidden" in frame.columns else []))
