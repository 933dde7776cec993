"""Förderung: is the money working? Budget, cost per transition, avoided unemployment,
targets vs. actuals and the network's regions side by side (for the ministry)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.charts import budget_chart
from analytics.disclosure import display_frame, has_suppression
from analytics.disclosure import note as disclosure_note
from analytics.excel import ExcelSheet, excel_bytes
from analytics.formatting import fmt_date, fmt_eur, fmt_number, fmt_value
from analytics.funding import as_of_quarter, budget_status
from analytics.funding import targets_shown as funding_targets_shown
from pages.common import (
    Filters,
    budget_table,
    data_status,
    dataframe,
    download_excel,
    filter_summary,
    funding_impact,
    lang,
    number_field,
    plain_caption,
    region_comparison,
    settings,
    targets_vs_actuals,
    translator,
    warehouse_key,
)

TEXT = {
    "title": ("Förderung: Wirkung der Mittel", "Funding: what the money achieves"),
    "subtitle": (
        "Ganzes Netzwerk, Förderzeitraum {start}–{end}, Stand {until}.",
        "Whole network, funding period {start}–{end}, as of {until}.",
    ),
    "budget_head": ("Budget: geplant und ausgegeben je Quartal", "Budget: planned and spent per quarter"),
    "planned": ("geplant", "planned"),
    "spent": ("ausgegeben", "spent"),
    "spent_cum": ("ausgegeben kumuliert", "spent cumulative"),
    "planned_cum": ("geplant kumuliert", "planned cumulative"),
    "total": ("Gesamtbudget", "Total budget"),
    "axis": ("EUR je Quartal", "EUR per quarter"),
    "axis_cum": ("EUR kumuliert", "EUR cumulative"),
    "budget_summary": (
        "Bis {quarter} ausgegeben: {spent} von {total} ({share}); geplant bis dahin: {planned}.",
        "Spent up to {quarter}: {spent} of {total} ({share}); planned by then: {planned}.",
    ),
    "quarter": ("Quartal", "Quarter"),
    "budget_used": ("Anteil am Gesamtbudget", "Share of total budget"),
    "impact_head": (
        "Kosten je Übergang und vermiedene Arbeitslosigkeit",
        "Cost per transition and avoided unemployment",
    ),
    "assumptions": (
        "Annahmen der Schätzung (änderbar; Vorgabe aus der Konfiguration)",
        "Assumptions of the estimate (editable; default from the configuration)",
    ),
    "months": (
        "Durchschnittliche Dauer der vermiedenen Arbeitslosigkeit (Monate)",
        "Average duration of avoided unemployment (months)",
    ),
    "monthly_cost": ("Kosten je Monat Arbeitslosigkeit (EUR)", "Cost per month of unemployment (EUR)"),
    "avoided_text": (
        "Vermiedene Kosten der Arbeitslosigkeit bis {until}: {value} = nahtlose "
        "Übergänge × {months} Monate × {cost} je Monat (Schätzung).",
        "Avoided cost of unemployment up to {until}: {value} = seamless transitions "
        "× {months} months × {cost} per month (estimate).",
    ),
    "period": ("Zeitraum", "Period"),
    "spent_eur": ("ausgegeben (EUR)", "spent (EUR)"),
    "transitions": ("Übergänge", "Transitions"),
    "seamless": ("davon nahtlos", "of which seamless"),
    "not_seamless": ("nicht nahtlos", "not seamless"),
    "cost_per_transition": ("Kosten je Übergang", "Cost per transition"),
    "avoided_eur": ("vermiedene Kosten (Schätzung)", "avoided cost (estimate)"),
    "targets_head": ("Ziele und Ist-Werte je Jahr", "Targets and actuals per year"),
    "year": ("Jahr", "Year"),
    "indicator": ("Kennzahl", "Indicator"),
    "actual": ("Ist", "Actual"),
    "target": ("Ziel", "Target"),
    "reached": ("erreicht", "reached"),
    "ind_entries": ("Neue Teilnehmende", "New participants"),
    "ind_transitions": ("Übergänge in Arbeit", "Transitions into work"),
    "ind_seamless_rate": ("Nahtlos-Quote", "Seamless rate"),
    "ind_retention_rate": ("Verbleib nach 6 Monaten", "Retention after 6 months"),
    "running": ("laufend, bis {until}", "running, to {until}"),
    "regions_head": (
        "Vergleich der Netzwerkregionen (seit Projektstart)",
        "Network regions compared (since project start)",
    ),
    "name": ("Kreis", "District"),
    "entries": ("Eintritte", "Entries"),
    "seamless_share": ("nahtlos (Anteil an Übergängen)", "seamless (share of transitions)"),
    "into_tarif_share": ("in tarifgebundene Betriebe", "into firms with collective agreement"),
    "wage_ratio": ("Lohnverhältnis (Median)", "Wage ratio (median)"),
    "network_total": ("Netzwerk gesamt", "Network total"),
    "total_row": ("Summe", "Total"),
    "table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "source": (
        "Quelle: Mittelabruf und Falldaten des Netzwerks Arbeit bewegen!; Ziele und "
        "Annahmen laut Konfiguration.",
        "Source: funds drawn and case data of the network Arbeit bewegen!; targets and "
        "assumptions from the configuration.",
    ),
    "definitions": ("Definitionen", "Definitions"),
    "def_text": (
        "Kosten je Übergang = ausgegebene Mittel / Übergänge des ganzen Netzwerks im "
        "Zeitraum. Vermiedene Kosten = nahtlose Übergänge × angenommene Dauer × "
        "angenommene Monatskosten. Nahtlos-Quote = nahtlose Übergänge / abgeschlossene "
        "Fälle; Verbleib = Anteil der 6-Monats-Prüfungen mit 'noch beschäftigt'.",
        "Cost per transition = funds spent / the whole network's transitions in the "
        "period. Avoided cost = seamless transitions × assumed duration × assumed "
        "monthly cost. Seamless rate = seamless transitions / closed cases; retention = "
        "share of 6-month checks finding the person employed.",
    ),
    "xl_budget": ("Budget", "Budget"),
    "xl_impact": ("Kosten und Wirkung", "Cost and impact"),
    "xl_targets": ("Ziele", "Targets"),
    "xl_regions": ("Regionen", "Regions"),
}


tr = translator(TEXT)


filters: Filters = st.session_state["filters"]
cfg = settings()
lg = lang()
key = warehouse_key()
until = min(filters.quarter.end, filters.data_until or filters.quarter.end)

st.title(tr("title"))
st.caption(tr("subtitle", start=cfg.project_start.year, end=cfg.project_end.year, until=fmt_date(until, lg)))

# 1. budget
st.subheader(tr("budget_head"))
budget = as_of_quarter(budget_table(*key), filters.quarter.start)
labels = {k: tr(k) for k in ("planned", "spent", "spent_cum", "planned_cum", "total", "axis", "axis_cum")}
st.plotly_chart(
    budget_chart(budget, labels, lg, tr("budget_head"), tr("source")), width="stretch", key="budget_chart"
)
status = budget_status(budget, filters.quarter.start, cfg.budget_total_eur)
st.caption(
    tr(
        "budget_summary",
        quarter=filters.quarter.label(),
        spent=fmt_eur(status["spent_eur"], lg),
        total=fmt_eur(cfg.budget_total_eur, lg),
        share=fmt_value(status["used"], "share", lg),
        planned=fmt_eur(status["planned_eur"], lg),
    )
)
budget_units = {
    "planned_eur": "eur",
    "spent_eur": "eur",
    "planned_cumulative_eur": "eur",
    "spent_cumulative_eur": "eur",
    "budget_total_eur": "eur",
    "budget_used": "share",
}
budget_headers = {
    "quarter": tr("quarter"),
    "planned_eur": tr("planned"),
    "spent_eur": tr("spent"),
    "planned_cumulative_eur": tr("planned_cum"),
    "spent_cumulative_eur": tr("spent_cum"),
    "budget_total_eur": tr("total"),
    "budget_used": tr("budget_used"),
}
budget_shown = budget.drop("quarter_start")
with st.expander(tr("table")):
    dataframe(display_frame(budget_shown, lg, budget_units).rename(budget_headers), hide_index=True)

# 2. cost per transition and avoided unemployment (assumptions editable here)
st.subheader(tr("impact_head"))
with st.container(border=True):
    st.markdown(f"**{tr('assumptions')}**")
    left, right = st.columns(2)
    months = number_field(
        left, tr("months"), "avoided_months", cfg.avoided_unemployment.avg_months_unemployed, 0.0, 36.0, 1
    )
    monthly_cost = number_field(
        right, tr("monthly_cost"), "avoided_cost", cfg.avoided_unemployment.monthly_cost_eur, 0.0, 20_000.0, 0
    )
impact = funding_impact(*key, until, months, monthly_cost, filters.protected)
total = impact.filter(pl.col("kind") == "total")
if total.height:
    row = total.row(0, named=True)
    st.metric(tr("avoided_eur"), fmt_value(row["avoided_eur"], "eur", lg, row["avoided_eur__suppressed"]))
    st.caption(
        tr(
            "avoided_text",
            until=fmt_date(until, lg),
            value=fmt_value(row["avoided_eur"], "eur", lg, row["avoided_eur__suppressed"]),
            months=fmt_number(months, lg, 1),
            cost=fmt_eur(monthly_cost, lg),
        )
    )
impact_units = {
    "spent_eur": "eur",
    "transitions": "count",
    "seamless": "count",
    "not_seamless": "count",
    "cost_per_transition": "eur",
    "avoided_eur": "eur",
}
impact_headers = {"period": tr("period"), **{k: tr(k) for k in impact_units}}
impact_shown = impact.with_columns(
    pl.when(pl.col("kind") == "total")
    .then(pl.lit(tr("total_row")))
    .otherwise(pl.col("period"))
    .alias("period")
).select("period", *impact_units, *[c for c in impact.columns if c.endswith("__suppressed")])
dataframe(display_frame(impact_shown, lg, impact_units).rename(impact_headers), hide_index=True)

# 3. targets vs actuals
st.subheader(tr("targets_head"))
targets = targets_vs_actuals(*key, until, months, monthly_cost, filters.protected)
indicators = {k: tr(f"ind_{k}") for k in targets["indicator"].unique().to_list()}
targets_shown = funding_targets_shown(targets, lg, indicators, tr("running", until=fmt_date(until, lg)))
dataframe(targets_shown.rename({c: tr(c) for c in targets_shown.columns}), hide_index=True)

# 4. the network's regions side by side
st.subheader(tr("regions_head"))
comparison = region_comparison(*key, until, months, monthly_cost, filters.protected)
region_units = {
    "entries": "count",
    "transitions": "count",
    "seamless_share": "share",
    "into_tarif_share": "share",
    "wage_ratio": "ratio",
    "avoided_eur": "eur",
}
region_headers = {"name": tr("name"), **{k: tr(k) for k in region_units}}
region_shown = comparison.with_columns(
    pl.when(pl.col("is_total")).then(pl.lit(tr("network_total"))).otherwise(pl.col("name")).alias("name")
).select(
    "name",
    *region_units,
    *[c for c in comparison.columns if c.endswith("__suppressed") and c.split("__")[0] in region_units],
)
dataframe(display_frame(region_shown, lg, region_units).rename(region_headers), hide_index=True)

if filters.protected and any(has_suppression(f) for f in (impact, targets, comparison)):
    plain_caption(disclosure_note(lg))
with st.expander(tr("definitions")):
    st.markdown(tr("def_text"))


def funding_workbook() -> bytes:
    target_frame = targets.with_columns(
        pl.col("indicator").replace_strict(indicators, return_dtype=pl.String)
    ).drop("complete")
    sheets = [
        ExcelSheet(
            tr("xl_budget"), budget_shown, tr("budget_head"), units=budget_units, headers=budget_headers
        ),
        ExcelSheet(
            tr("xl_impact"), impact_shown, tr("impact_head"), units=impact_units, headers=impact_headers
        ),
        ExcelSheet(
            tr("xl_targets"),
            target_frame.drop("unit"),
            tr("targets_head"),
            units={"actual": "row", "target": "row", "reached": "share"},
            row_units=["count" if u == "count" else "share" for u in targets["unit"]],
            headers={
                "year": tr("year"),
                "indicator": tr("indicator"),
                "actual": tr("actual"),
                "target": tr("target"),
                "reached": tr("reached"),
            },
        ),
        ExcelSheet(
            tr("xl_regions"), region_shown, tr("regions_head"), units=region_units, headers=region_headers
        ),
    ]
    assumptions = (
        f"{fmt_number(months, lg, 1)} {'Monate' if lg == 'de' else 'months'} × {fmt_eur(monthly_cost, lg)}"
    )
    return excel_bytes(
        sheets,
        demo=data_status().is_demo,
        filters={**filter_summary(filters), tr("assumptions"): assumptions},
        source=tr("source"),
        as_of=fmt_date(until, lg),
        lang=lg,
        definitions=[(tr("definitions"), tr("def_text")), ("*", disclosure_note(lg))],
    )


download_excel(
    funding_workbook, f"foerderung_{filters.quarter.label().replace(' ', '_')}.xlsx", key="funding_xlsx"
)
