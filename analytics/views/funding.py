"""The view of Förderung (design §4): is the money working? Budget planned and spent, cost per
transition, avoided unemployment under editable assumptions, targets against actuals and the
network's regions side by side — for the whole network, up to one date.

One period logic: everything runs up to ``until`` = the end of the sidebar quarter or the
last day of network data, whichever is earlier; spending booked for a later quarter is not
shown (no Q4 spending under "Stand 30.09."), and a running quarter is said so."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from analytics import db, funding
from analytics.charts import budget_chart
from analytics.disclosure import flag_column, has_suppression
from analytics.formatting import fmt_date, fmt_eur, fmt_number, fmt_value
from analytics.periods import Quarter
from analytics.settings import Settings
from analytics.views.model import (
    Chart,
    Column,
    Heading,
    M,
    Metric,
    MetricGrid,
    Note,
    Table,
    View,
    ViewFilters,
)
from analytics.views.overview import region_and_period

BUDGET_UNITS = {
    "planned_eur": "eur",
    "spent_eur": "eur",
    "planned_cumulative_eur": "eur",
    "spent_cumulative_eur": "eur",
    "budget_total_eur": "eur",
    "budget_used": "share",
}
BUDGET_LABELS = {
    "planned_eur": "planned",
    "spent_eur": "spent",
    "planned_cumulative_eur": "planned_cum",
    "spent_cumulative_eur": "spent_cum",
    "budget_total_eur": "total",
    "budget_used": "budget_used",
}
IMPACT_UNITS = {
    "spent_eur": "eur",
    "transitions": "count",
    "seamless": "count",
    "not_seamless": "count",
    "cost_per_transition": "eur",
    "avoided_eur": "eur",
}
REGION_UNITS = {
    "entries": "count",
    "transitions": "count",
    "seamless_share": "share",
    "into_tarif_share": "share",
    "wage_ratio": "ratio",
    "avoided_eur": "eur",
}
# columns under a short header on screen (1280 px), the full one in Excel and the tooltip
SHORT_REGION = ("seamless_share", "into_tarif_share", "wage_ratio", "avoided_eur")
# the assumptions' allowed ranges (the page refuses other values with a message)
MONTHS_RANGE = (0.0, 36.0)
COST_RANGE = (0.0, 20_000.0)


def funding_until(filters: ViewFilters) -> date:
    """The one date the page runs to: the sidebar quarter's end or the data's, if earlier."""
    quarter = Quarter.parse(filters.quarter)
    return min(quarter.end, filters.data_until or quarter.end)


def assumptions(settings: Settings, filters: ViewFilters) -> tuple[float, float]:
    """Months and monthly cost of the estimate: the page's values within range, else the
    configuration's."""
    defaults = settings.avoided_unemployment
    months = filters.option("months")
    cost = filters.option("monthly_cost")
    if not isinstance(months, int | float) or not MONTHS_RANGE[0] <= months <= MONTHS_RANGE[1]:
        months = defaults.avg_months_unemployed
    if not isinstance(cost, int | float) or not COST_RANGE[0] <= cost <= COST_RANGE[1]:
        cost = defaults.monthly_cost_eur
    return float(months), float(cost)


def _flags(frame: pl.DataFrame, columns) -> list[str]:
    return [flag_column(c) for c in columns if flag_column(c) in frame.columns]


def funding_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    lang = filters.lang
    until = funding_until(filters)
    upto = Quarter.of(until)
    months, monthly_cost = assumptions(settings, filters)
    protected = filters.protected
    status = db.data_status(con)
    source = M("source_label", source=M("funding.source")).text(lang)
    blocks: list = [
        Note(
            M(
                "funding.subtitle",
                start=settings.project_start.year,
                end=settings.project_end.year,
                until=fmt_date(until, lang),
            )
        )
    ]
    if until < upto.end:
        blocks.append(Note(M("running_quarter", until=fmt_date(until, lang))))

    # 1. budget, as known at ``until``
    budget = funding.as_of_quarter(funding.budget_table(con, settings), upto.start)
    labels = {k: M(f"funding.{k}").text(lang) for k in (*BUDGET_LABELS.values(), "axis", "axis_cum")}
    head = M("funding.budget_head").text(lang)
    spent = funding.budget_status(budget, upto.start, settings.budget_total_eur)
    blocks += [
        Heading(M("funding.budget_head")),
        Chart("budget_chart", budget_chart(budget, labels, lang, head, source), "budget"),
        Note(
            M(
                "funding.budget_summary",
                quarter=upto.label(),
                spent=fmt_eur(spent["spent_eur"], lang),
                total=fmt_eur(settings.budget_total_eur, lang),
                share=fmt_value(spent["used"], "share", lang),
                planned=fmt_eur(spent["planned_eur"], lang),
            ),
            "legend",
        ),
        Table(
            "budget",
            M("funding.budget_head"),
            M("funding.xl_budget"),
            (
                Column("quarter", M("funding.quarter")),
                *(Column(c, M(f"funding.{BUDGET_LABELS[c]}"), u) for c, u in BUDGET_UNITS.items()),
            ),
            budget.select("quarter", *BUDGET_UNITS),
            expander=M("chart_table"),
        ),
    ]

    # 2. cost per transition and avoided unemployment
    impact = funding.quarterly_impact(
        con, settings, until, months=months, monthly_cost=monthly_cost, protected=protected
    )
    total_row = M("funding.total_row").text(lang)
    impact_shown = impact.with_columns(
        pl.when(pl.col("kind") == "total").then(pl.lit(total_row)).otherwise(pl.col("period")).alias("period")
    ).select("period", *IMPACT_UNITS, *_flags(impact, IMPACT_UNITS))
    blocks.append(Heading(M("funding.impact_head")))
    total = impact.filter(pl.col("kind") == "total")
    if total.height:
        row = total.row(0, named=True)
        avoided = fmt_value(row["avoided_eur"], "eur", lang, row[flag_column("avoided_eur")])
        blocks.append(
            MetricGrid(
                (
                    Metric(
                        "avoided_eur",
                        M("funding.avoided_eur"),
                        row["avoided_eur"],
                        "eur",
                        bool(row[flag_column("avoided_eur")]),
                        caption=M(
                            "funding.avoided_text",
                            until=fmt_date(until, lang),
                            value=avoided,
                            months=fmt_number(months, lang, 1),
                            cost=fmt_eur(monthly_cost, lang),
                        ),
                    ),
                    Metric(
                        "cost_per_transition",
                        M("funding.cost_per_transition"),
                        row["cost_per_transition"],
                        "eur",
                        bool(row[flag_column("cost_per_transition")]),
                    ),
                    Metric(
                        "transitions",
                        M("funding.transitions"),
                        row["transitions"],
                        "count",
                        bool(row[flag_column("transitions")]),
                    ),
                ),
                per_row=3,
            )
        )
    blocks.append(
        Table(
            "impact",
            M("funding.impact_head"),
            M("funding.xl_impact"),
            (
                Column("period", M("funding.period")),
                *(Column(c, M(f"funding.{c}"), u) for c, u in IMPACT_UNITS.items()),
            ),
            impact_shown,
        )
    )

    # 3. targets against actuals per year
    targets = funding.targets_vs_actuals(con, settings, until, impact, protected=protected)
    running = M("funding.running", until=fmt_date(until, lang)).text(lang)
    started = pl.col("actual").is_not_null() | pl.col("actual__suppressed").fill_null(False)
    indicators = {k: M(f"funding.ind_{k}").text(lang) for k in targets["indicator"].unique().to_list()}
    targets_frame = targets.with_columns(
        pl.when(started & ~pl.col("complete").fill_null(False))
        .then(pl.format("{} ({})", pl.col("year"), pl.lit(running)))
        .otherwise(pl.col("year").cast(pl.String))
        .alias("year"),
        pl.col("indicator").replace_strict(indicators, return_dtype=pl.String),
    )
    blocks += [
        Heading(M("funding.targets_head")),
        Table(
            "targets",
            M("funding.targets_head"),
            M("funding.xl_targets"),
            (
                Column("year", M("funding.year")),
                Column("indicator", M("funding.indicator")),
                Column("actual", M("funding.actual"), "row"),
                Column("target", M("funding.target"), "row"),
                Column("reached", M("funding.reached"), "share"),
            ),
            targets_frame.select(
                "year", "indicator", "actual", "target", "reached", *_flags(targets, ("actual", "reached"))
            ),
            row_units=tuple("count" if u == "count" else "share" for u in targets["unit"]),
        ),
    ]

    # 4. the network's regions side by side, since project start
    comparison = funding.region_comparison(
        con, settings, until, months=months, monthly_cost=monthly_cost, protected=protected
    )
    network_total = M("funding.network_total").text(lang)
    region_shown = comparison.with_columns(
        pl.when(pl.col("is_total")).then(pl.lit(network_total)).otherwise(pl.col("name")).alias("name")
    ).select("name", *REGION_UNITS, *_flags(comparison, REGION_UNITS))
    blocks += [
        Heading(M("funding.regions_head")),
        Table(
            "regions",
            M("funding.regions_head"),
            M("funding.xl_regions"),
            (
                Column("name", M("funding.name")),
                *(
                    Column(c, M(f"funding.{c}"), u, M(f"funding.{c}_short") if c in SHORT_REGION else None)
                    for c, u in REGION_UNITS.items()
                ),
            ),
            region_shown,
        ),
    ]
    if protected and any(has_suppression(f) for f in (impact_shown, targets, region_shown)):
        blocks.append(Note(M("suppression_legend"), "legend"))
    blocks.append(Note(M("funding.definitions"), "definitions"))
    definitions: list = [(M("funding.definitions"), M("funding.def_text"))]
    if protected:
        definitions.append(("*", M("suppression_legend")))
    return View(
        page="funding",
        lang=lang,
        title=M("funding.title"),
        blocks=tuple(blocks),
        source=M("funding.source"),
        as_of=fmt_date(until, lang),
        filters=(
            *region_and_period(filters)[1:],
            (
                M("funding.assumptions"),
                M(
                    "funding.assumption_line",
                    months=fmt_number(months, lang, 1),
                    cost=fmt_eur(monthly_cost, lang),
                ).text(lang),
            ),
        ),
        file_name=f"foerderung_{Quarter.parse(filters.quarter).label().replace(' ', '_')}.xlsx",
        demo=status.is_demo,
        protected=protected,
        definitions=tuple(definitions),
    )
