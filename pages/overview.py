"""Übersicht: the network's KPIs for the ministry (design §4)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.charts import quarterly_targets_chart
from analytics.disclosure import display_frame, has_suppression
from analytics.disclosure import note as disclosure_note
from analytics.excel import ExcelSheet, excel_bytes
from analytics.formatting import fmt_change, fmt_date, fmt_value
from analytics.kpi import KPIS, label_quarters
from pages.common import (
    Filters,
    dataframe,
    download_excel,
    filter_summary,
    kpi_overview,
    lang,
    network_comparison,
    network_regions,
    quarterly_series,
    settings,
    translator,
    warehouse_key,
)

TEXT = {
    "title": ("Übersicht: Wirkung des Netzwerks", "Overview: impact of the network"),
    "subtitle": (
        "Kennzahlen für {region}, {quarter}; Veränderung zum Vorquartal.",
        "Indicators for {region}, {quarter}; change vs. the previous quarter.",
    ),
    "cumulative": ("seit {start}", "since {start}"),
    "network_wide": ("Netzwerk gesamt", "whole network"),
    "network_value": ("Netzwerk gesamt im Quartal: {value}", "whole network in the quarter: {value}"),
    "no_network": (
        "In der gewählten Region ist das Netzwerk (noch) nicht aktiv. Netzwerkregionen: {regions}.",
        "The network is not (yet) active in the selected region. Network regions: {regions}.",
    ),
    "partial": (
        "Das Quartal läuft noch; Netzwerkdaten bis {until}.",
        "The quarter is still running; network data up to {until}.",
    ),
    "chart_title": (
        "Eintritte und Übergänge je Quartal im Vergleich zu den Zielen",
        "Entries and transitions per quarter against targets",
    ),
    "entries": ("Eintritte", "Entries"),
    "transitions": ("Übergänge in Arbeit", "Transitions into work"),
    "target_entries": ("Ziel Eintritte (Jahresziel / 4)", "Target entries (yearly / 4)"),
    "target_transitions": ("Ziel Übergänge (Jahresziel / 4)", "Target transitions (yearly / 4)"),
    "axis": ("Personen", "Persons"),
    "source": (
        "Quelle: Falldaten des Netzwerks Arbeit bewegen!; Ziele laut Förderbescheid (Konfiguration).",
        "Source: case data of the network Arbeit bewegen!; targets "
        "from the funding decision (configuration).",
    ),
    "xl_kpi": ("Kennzahlen", "Indicators"),
    "xl_previous": ("Vorquartal", "Previous quarter"),
    "xl_change": ("Veränderung", "Change"),
    "xl_quarters": ("Quartale", "Quarters"),
    "xl_quarter": ("Quartal", "Quarter"),
    "table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "definitions": ("Definitionen der Kennzahlen", "Definitions of the indicators"),
    "avoided": (
        "Vermiedene Kosten der Arbeitslosigkeit (Schätzung): {value} – nahtlose "
        "Übergänge × {months} Monate × {cost} je Monat (Annahmen, konfigurierbar).",
        "Avoided cost of unemployment (estimate): {value} – seamless transitions × "
        "{months} months × {cost} per month (assumptions, configurable).",
    ),
    "wage_good": ("Anteil mit Lohnverhältnis ≥ 0,95: {value}", "Share with wage ratio ≥ 0.95: {value}"),
    "budget": ("{spent} von {total} ausgegeben", "{spent} of {total} spent"),
}


tr = translator(TEXT)


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

overview = kpi_overview(*key, filters.quarter.label(), filters.ags, filters.protected)
rows = {row["key"]: row for row in overview.iter_rows(named=True)}
comparison = network_comparison(*key, filters.quarter.label(), filters.ags, filters.protected)
network_values = (
    {}
    if comparison is None
    else {row["key"]: row for row in comparison.iter_rows(named=True) if not row["network_wide"]}
)
start_label = fmt_date(cfg.project_start, lg)

columns_per_row = 5
for offset in range(0, len(KPIS), columns_per_row):
    for column, definition in zip(
        st.columns(columns_per_row), KPIS[offset : offset + columns_per_row], strict=False
    ):
        row = rows[definition.key]
        with column.container(border=True):
            st.metric(
                definition.label(lg),
                fmt_value(row["value"], definition.unit, lg, row["value__suppressed"]),
                delta=fmt_change(row["change"], definition.unit, lg, row["change__suppressed"]),
                delta_color={True: "normal", False: "inverse", None: "off"}[definition.higher_is_better],
                help=definition.definition(lg),
            )
            cumulative = fmt_value(row["cumulative"], definition.unit, lg, row["cumulative__suppressed"])
            scope = f" · {tr('network_wide')}" if definition.network_wide else ""
            compared = network_values.get(definition.key)
            if compared is not None:
                scope += " · " + tr(
                    "network_value",
                    value=fmt_value(
                        compared["network_value"], definition.unit, lg, compared["network_value__suppressed"]
                    ),
                )
            st.caption(f"{tr('cumulative', start=start_label)}: {cumulative}{scope}")


def overview_workbook() -> bytes:
    kpi_rows = overview.with_columns(
        pl.col("key").replace_strict({d.key: d.label(lg) for d in KPIS}).alias("kpi")
    ).select(
        "kpi",
        "value",
        "previous",
        "change",
        "cumulative",
        *[c for c in overview.columns if c.endswith("__suppressed")],
    )
    units = [d.unit if d.unit != "days" else "float" for d in KPIS]
    headers = {
        "kpi": tr("xl_kpi"),
        "value": filters.quarter.label(),
        "previous": tr("xl_previous"),
        "change": tr("xl_change"),
        "cumulative": tr("cumulative", start=start_label),
    }
    sheets = [
        ExcelSheet(
            tr("xl_kpi"),
            kpi_rows,
            tr("title"),
            headers=headers,
            row_units=units,
            units={c: "row" for c in ("value", "previous", "change", "cumulative")},
        ),
        ExcelSheet(
            tr("xl_quarters"),
            series.drop("quarter_start", "complete", "is_total"),
            tr("chart_title"),
            units={c: "count" for c in labels if c != "axis"},
            headers={"quarter": tr("xl_quarter"), **labels},
        ),
    ]
    return excel_bytes(
        sheets,
        filters=filter_summary(filters),
        source=tr("source"),
        as_of=fmt_date(filters.data_until, lg),
        lang=lg,
        definitions=[(d.label(lg), d.definition(lg)) for d in KPIS],
    )


if filters.protected and has_suppression(overview):
    st.caption(disclosure_note(lg))
with st.expander(tr("definitions")):
    st.markdown("\n".join(f"- **{d.label(lg)}** – {d.definition(lg)}" for d in KPIS))

until = min(filters.quarter.end, filters.data_until or filters.quarter.end)
series = quarterly_series(*key, filters.ags, until, filters.protected)
series = label_quarters(series, until, lg)
labels = {
    name: tr(name) for name in ("entries", "transitions", "target_entries", "target_transitions", "axis")
}
figure = quarterly_targets_chart(
    series.filter(~pl.col("is_total")), labels, lg, tr("chart_title"), tr("source")
)
st.plotly_chart(figure, width="stretch")
with st.expander(tr("table")):
    table = display_frame(
        series.drop("quarter_start", "complete", "is_total"),
        lg,
        {
            "entries": "count",
            "transitions": "count",
            "target_entries": "count",
            "target_transitions": "count",
        },
    )
    dataframe(
        table.rename({"quarter": "Quartal" if lg == "de" else "Quarter", **labels}, strict=False),
        hide_index=True,
    )

download_excel(
    overview_workbook, f"uebersicht_{filters.quarter.label().replace(' ', '_')}.xlsx", key="overview_xlsx"
)
