"""Übersicht: the network's KPIs for the ministry (design §4)."""

from __future__ import annotations

import streamlit as st

from analytics.charts import quarterly_targets_chart
from analytics.formatting import fmt_change, fmt_date, fmt_value
from analytics.kpi import KPIS
from pages.common import (
    Filters,
    kpi_overview,
    lang,
    network_regions,
    quarterly_series,
    settings,
    warehouse_key,
)

TEXT = {
    "title": ("Übersicht: Wirkung des Netzwerks", "Overview: impact of the network"),
    "subtitle": ("Kennzahlen für {region}, {quarter}; Veränderung zum Vorquartal.",
                 "Indicators for {region}, {quarter}; change vs. the previous quarter."),
    "cumulative": ("kumuliert seit {start}", "cumulative since {start}"),
    "network_wide": ("Netzwerk gesamt", "whole network"),
    "no_network": ("In der gewählten Region ist das Netzwerk (noch) nicht aktiv. "
                   "Netzwerkregionen: {regions}.",
                   "The network is not (yet) active in the selected region. "
                   "Network regions: {regions}."),
    "partial": ("Das Quartal läuft noch; Netzwerkdaten bis {until}.",
                "The quarter is still running; network data up to {until}."),
    "chart_title": ("Eintritte und Übergänge je Quartal im Vergleich zu den Zielen",
                    "Entries and transitions per quarter against targets"),
    "entries": ("Eintritte", "Entries"),
    "transitions": ("Übergänge in Arbeit", "Transitions into work"),
    "target_entries": ("Ziel Eintritte (Jahresziel / 4)", "Target entries (yearly / 4)"),
    "target_transitions": ("Ziel Übergänge (Jahresziel / 4)", "Target transitions (yearly / 4)"),
    "axis": ("Personen", "Persons"),
    "source": ("Quelle: Falldaten des Netzwerks Arbeit bewegen!; Ziele laut Förderbescheid "
               "(Konfiguration).", "Source: case data of the network Arbeit bewegen!; targets "
               "from the funding decision (configuration)."),
    "table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "definitions": ("Definitionen der Kennzahlen", "Definitions of the indicators"),
    "avoided": ("Vermiedene Kosten der Arbeitslosigkeit (Schätzung): {value} – nahtlose "
                "Übergänge × {months} Monate × {cost} je Monat (Annahmen, konfigurierbar).",
                "Avoided cost of unemployment (estimate): {value} – seamless transitions × "
                "{months} months × {cost} per month (assumptions, configurable)."),
    "wage_good": ("Anteil mit Lohnverhältnis ≥ 0,95: {value}", "Share with wage ratio ≥ 0.95: {value}"),
    "budget": ("{spent} von {total} ausgegeben", "{spent} of {total} spent"),
}


def tr(key: str, **kwargs: object) -> str:
    de, en = TEXT[key]
    return (de if lang() == "de" else en).format(**kwargs)


filters: Filters = st.session_state["filters"]
cfg = settings()
lg = lang()
key = warehouse_key()

st.title(tr("title"))
st.caption(tr("subtitle", region=filters.region_label, quarter=filters.quarter.label()))

active = set(network_regions(*key))
if not active & set(filters.ags):
    st.info(tr("no_network", regions=", ".join(sorted(active)) or "–"))
if filters.quarter_is_partial:
    st.caption(tr("partial", until=fmt_date(filters.data_until, lg)))

overview = kpi_overview(*key, filters.quarter.label(), filters.ags)
rows = {row["key"]: row for row in overview.iter_rows(named=True)}
start_label = fmt_date(cfg.project_start, lg)

columns_per_row = 5
for offset in range(0, len(KPIS), columns_per_row):
    for column, definition in zip(st.columns(columns_per_row), KPIS[offset:offset + columns_per_row],
                                  strict=False):
        row = rows[definition.key]
        with column.container(border=True):
            label = definition.label(lg)
            if definition.network_wide:
                label += f" ({tr('network_wide')})"
            st.metric(
                label,
                fmt_value(row["value"], definition.unit, lg),
                delta=fmt_change(row["change"], definition.unit, lg),
                delta_color="normal" if definition.higher_is_better else "inverse",
                help=definition.definition(lg),
            )
            st.caption(
                f"{tr('cumulative', start=start_label)}: "
                f"{fmt_value(row['cumulative'], definition.unit, lg)}"
            )

with st.expander(tr("definitions")):
    st.markdown("\n".join(f"- **{d.label(lg)}** – {d.definition(lg)}" for d in KPIS))

series = quarterly_series(*key, filters.ags, filters.data_until or filters.quarter.end)
labels = {name: tr(name) for name in
          ("entries", "transitions", "target_entries", "target_transitions", "axis")}
figure = quarterly_targets_chart(series, labels, lg, tr("chart_title"), tr("source"))
st.plotly_chart(figure, width="stretch")
with st.expander(tr("table")):
    st.dataframe(
        series.drop("quarter_start").rename(
            {"quarter": "Quartal" if lg == "de" else "Quarter", **labels}, strict=False
        ),
        hide_index=True,
    )
