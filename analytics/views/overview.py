"""The view of the Übersicht: the network's KPIs for the chosen region and quarter (design §4),
entries and transitions per quarter against targets, definitions."""

from __future__ import annotations

import duckdb
import polars as pl

from analytics import db, kpi
from analytics.charts import quarterly_targets_chart
from analytics.disclosure import has_suppression
from analytics.formatting import fmt_date, fmt_value
from analytics.kpi import KPIS
from analytics.periods import Quarter
from analytics.settings import Settings
from analytics.views.model import (
    Chart,
    Column,
    M,
    Metric,
    MetricGrid,
    Note,
    Table,
    View,
    ViewFilters,
)

SERIES_COLUMNS = ("entries", "transitions", "target_entries", "target_transitions")
DELTA_COLOURS = {True: "normal", False: "inverse", None: "off"}


def overview_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    ags = list(filters.ags)
    until = min(quarter.end, filters.data_until or quarter.end)
    blocks: list = [Note(M("overview.subtitle", region=filters.region_label, quarter=quarter.label()))]
    active = kpi.network_regions(con, settings)
    if not set(active) & set(ags):
        blocks.append(Note(M("overview.no_network", regions=", ".join(active) or "–"), "info"))
    if kpi.selection_withheld(con, settings, ags, filters.protected):
        blocks.append(Note(M("case.custom_selection"), "info"))
    if filters.data_until is not None and filters.data_until < quarter.end:
        blocks.append(Note(M("running_quarter", until=fmt_date(filters.data_until, lang))))

    overview = kpi.kpi_overview(con, quarter, ags, settings, protected=filters.protected)
    comparison = kpi.network_comparison(con, quarter, ags, settings, protected=filters.protected)
    network = {} if comparison is None else {r["key"]: r for r in comparison.iter_rows(named=True)}
    start = fmt_date(settings.project_start, lang)
    rows = {r["key"]: r for r in overview.iter_rows(named=True)}
    metrics = []
    for definition in KPIS:
        row = rows[definition.key]
        cumulative = fmt_value(row["cumulative"], definition.unit, lang, row["cumulative__suppressed"])
        parts = [M("overview.cumulative_value", start=start, value=cumulative)]
        if definition.network_wide:
            parts.append(M("overview.network_wide"))
        compared = network.get(definition.key)
        if compared is not None and not compared["network_wide"]:
            value = fmt_value(
                compared["network_value"], definition.unit, lang, compared["network_value__suppressed"]
            )
            parts.append(M("overview.network_value", value=value))
        metrics.append(
            Metric(
                definition.key,
                definition.label(lang),
                row["value"],
                definition.unit,
                row["value__suppressed"],
                row["change"],
                row["change__suppressed"],
                DELTA_COLOURS[definition.higher_is_better],
                help=definition.definition(lang),
                caption=" · ".join(p.text(lang) for p in parts),
            )
        )
    blocks.append(MetricGrid(tuple(metrics)))
    if filters.protected and has_suppression(overview):
        blocks.append(Note(M("suppression_legend"), "legend"))
    blocks.append(Note(M("overview.definitions"), "definitions"))

    series = kpi.label_quarters(
        kpi.quarterly_series(con, ags, settings, until, protected=filters.protected), until, lang
    )
    if series.filter(~pl.col("is_total"))["target_entries"].is_null().all():
        blocks.append(Note(M("overview.no_target"), "caption"))
    labels = {name: M(name).text(lang) for name in SERIES_COLUMNS} | {"axis": M("persons").text(lang)}
    figure = quarterly_targets_chart(
        series.filter(~pl.col("is_total")),
        labels,
        lang,
        M("overview.chart_title").text(lang),
        M("source_label", source=M("source_cases_targets")).text(lang),
    )
    blocks.append(Chart("quarters_chart", figure, "quarters"))
    blocks.append(
        Table(
            "quarters",
            M("overview.chart_title"),
            M("overview.quarters"),
            (Column("quarter", M("quarter")), *(Column(c, M(c), "count") for c in SERIES_COLUMNS)),
            series.drop("quarter_start", "complete", "is_total"),
            expander=M("chart_table"),
        )
    )
    kpi_frame = overview.join(
        pl.DataFrame(
            {"key": [d.key for d in KPIS], "kpi": [d.label(lang) for d in KPIS]},
        ),
        on="key",
        how="left",
        maintain_order="left",
    )
    kpi_columns = [
        Column("kpi", M("overview.kpi")),
        Column("value", quarter.label(), "row"),
        Column("previous", M("overview.previous"), "row"),
        Column("change", M("overview.change"), "row"),
        Column("cumulative", M("overview.cumulative", start=start), "row"),
    ]
    if comparison is not None:
        kpi_frame = kpi_frame.join(
            comparison.select("key", "network_value", "network_value__suppressed"),
            on="key",
            how="left",
            maintain_order="left",
        )
        kpi_columns.append(Column("network_value", M("overview.network_column"), "row"))
    blocks.append(
        Table(
            "kpis",
            M("overview.title"),
            M("overview.kpis"),
            tuple(kpi_columns),
            kpi_frame,
            row_units=tuple(d.unit for d in KPIS),
            expander=M("overview.kpi_table"),
        )
    )
    status = db.data_status(con)
    return View(
        page="overview",
        lang=lang,
        title=M("overview.title"),
        blocks=tuple(blocks),
        source=M("source_cases_targets"),
        as_of=fmt_date(filters.data_until, lang),
        filters=region_and_period(filters),
        file_name=f"uebersicht_{quarter.label().replace(' ', '_')}.xlsx",
        demo=status.is_demo,
        protected=filters.protected,
        definitions=tuple((d.label(lang), d.definition(lang)) for d in KPIS),
    )


def region_and_period(filters: ViewFilters) -> tuple:
    shown = ", ".join(filters.ags[:8]) + (" …" if len(filters.ags) > 8 else "")
    return (
        (M("filter_region"), f"{filters.region_label} ({shown})"),
        (M("filter_period"), filters.quarter),
    )
