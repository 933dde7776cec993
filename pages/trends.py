"""Trends: quarterly view for the social partners (design §1, §4)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import automotive as auto
from analytics import labour_market as lm
from analytics.charts import line_chart, quarterly_targets_chart
from analytics.disclosure import display_frame, flag_column
from analytics.disclosure import note as disclosure_note
from analytics.excel import ExcelSheet, excel_bytes
from analytics.formatting import fmt_date, fmt_month, fmt_number, fmt_value
from analytics.kpi import label_quarters
from analytics.periods import until_quarter
from analytics.regional import comparison_areas, latest_rows, pivot_areas
from pages.common import (
    Filters,
    data_status,
    dataframe,
    download_excel,
    employment_dates,
    employment_quarterly,
    filter_summary,
    labour_market_months,
    labour_market_quarterly,
    lang,
    occupation_choices,
    plain_caption,
    quarterly_series,
    region_table,
    settings,
    translator,
    warehouse_key,
    wz_divisions,
)

TEXT = {
    "configuration": ("Konfiguration", "configuration"),
    "title": ("Trends: Quartalsentwicklung", "Trends: quarterly development"),
    "intro": (
        "Quartalswerte für {region} im Vergleich mit Agenturbezirk und Land: Arbeitslose "
        "und gemeldete Stellen (Durchschnitt der drei Monatswerte), SvB (Stichtag "
        "Quartalsende) und die Eintritte und Übergänge des Netzwerks.",
        "Quarterly values for {region} compared with the agency district and the state: "
        "unemployed and vacancies (average of the three monthly values), SvB (quarter-end "
        "reference date) and the network's entries and transitions.",
    ),
    "occupation": ("Berufe (KldB 2010, Berufshauptgruppe)", "Occupations (KldB 2010, 2-digit)"),
    "all_occupations": ("Alle Berufe", "All occupations"),
    "sector": ("Branche (WZ 2008)", "Sector (WZ 2008)"),
    "auto_core": ("Automobilwirtschaft – Kern", "Automotive – core"),
    "auto_extended": ("Automobilwirtschaft – erweitert", "Automotive – extended"),
    "all_sectors": ("Alle Branchen", "All sectors"),
    "unemployed": ("Arbeitslose", "Unemployed"),
    "vacancies": ("Gemeldete Stellen", "Vacancies"),
    "svb": ("SvB", "SvB"),
    "persons": ("Personen", "Persons"),
    "quarter": ("Quartal", "Quarter"),
    "chart_lm": (
        "Arbeitslose und gemeldete Stellen – {region}, {occupation} (Quartalsdurchschnitt der Monatswerte)",
        "Unemployed and vacancies – {region}, {occupation} (quarter average of monthly values)",
    ),
    "chart_svb": (
        "SvB {sector} – {region} (Stichtag Quartalsende)",
        "SvB {sector} – {region} (quarter-end reference date)",
    ),
    "chart_index": (
        "{measure}: Index (erstes Quartal {first} = 100)",
        "{measure}: index (first quarter {first} = 100)",
    ),
    "index_measure": ("Kennzahl für den Index", "Indicator for the index"),
    "index": ("Index", "Index"),
    "chart_network": (
        "Netzwerk: Eintritte und Übergänge je Quartal – {region}",
        "Network: entries and transitions per quarter – {region}",
    ),
    "entries": ("Eintritte", "Entries"),
    "transitions": ("Übergänge in Arbeit", "Transitions into work"),
    "target_entries": ("Ziel Eintritte (Jahresziel / 4)", "Target entries (yearly / 4)"),
    "target_transitions": ("Ziel Übergänge (Jahresziel / 4)", "Target transitions (yearly / 4)"),
    "yoy_title": (
        "Veränderung zum Vorjahresquartal (jeweils letztes verfügbares Quartal)",
        "Change vs. the same quarter a year earlier (latest available quarter each)",
    ),
    "measure": ("Kennzahl", "Indicator"),
    "area": ("Gebiet", "Area"),
    "value": ("Wert", "Value"),
    "change": ("Veränderung", "Change"),
    "change_pct": ("Veränderung %", "Change %"),
    "table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "summary_lm": (
        "Im {quarter} im Durchschnitt {unemployed} Arbeitslose und {vacancies} gemeldete Stellen ({region}).",
        "In {quarter} on average {unemployed} unemployed and {vacancies} vacancies ({region}).",
    ),
    "summary_index": ("Index im {quarter}: {values}.", "Index in {quarter}: {values}."),
    "summary_svb": ("Am Stichtag {quarter}: {values}.", "At the reference date {quarter}: {values}."),
    "source_ba": (
        "Quelle: Statistik der Bundesagentur für Arbeit (Arbeitslose und gemeldete "
        "Arbeitsstellen nach KldB 2010, Datenstand {lm}; SvB am Arbeitsort nach WZ 2008, "
        "Stichtag {svb}).",
        "Source: Federal Employment Agency statistics (unemployed and vacancies by KldB "
        "2010, data as of {lm}; SvB at the place of work by WZ 2008, reference date {svb}).",
    ),
    "source_network": (
        "Quelle: Falldaten des Netzwerks Arbeit bewegen!; Ziele laut Förderbescheid (Konfiguration).",
        "Source: case data of the network Arbeit bewegen!; targets from the funding "
        "decision (configuration).",
    ),
    "demo": (" Demo-Daten (fiktiv).", " Demo data (fictional)."),
    "complete_only": (
        "Nur vollständige Quartale (alle drei Monatswerte vorhanden).",
        "Complete quarters only (all three monthly values present).",
    ),
    "withheld_note": (
        "* = von der BA gesperrt oder aus Datenschutzgründen nicht ausgewiesen; "
        "Summen und Durchschnitte mit gesperrtem Bestandteil sind ebenfalls gesperrt.",
        "* = withheld by the BA or for confidentiality; sums and averages with a "
        "withheld component are withheld as well.",
    ),
    "xl_lm": ("Arbeitsmarkt", "Labour market"),
    "xl_svb": ("SvB", "SvB"),
    "xl_index": ("Index", "Index"),
    "xl_network": ("Netzwerk", "Network"),
    "xl_yoy": ("Vorjahresvergleich", "Year on year"),
}


tr = translator(TEXT)


filters: Filters = st.session_state["filters"]
lg = lang()
key = warehouse_key()
status = data_status()
cfg = settings()
label_column = "area_label_de" if lg == "de" else "area_label_en"
title_column = "title_de" if lg == "de" else "title_en"

st.title(tr("title"))
st.caption(tr("intro", region=filters.region_label))

occupations = occupation_choices(*key).filter(pl.col("level") == 2)
occupation_labels = occupations.select("code", pl.format("{} – {}", "code", title_column).alias("label"))
occupation_titles = {"TOTAL": tr("all_occupations")} | dict(
    zip(occupation_labels["code"], occupation_labels["label"], strict=True)
)
sectors = wz_divisions(*key)
sector_labels = sectors.select("code", pl.format("WZ {} – {}", "code", title_column).alias("label"))
sector_titles = {"core": tr("auto_core"), "extended": tr("auto_extended"), "all": tr("all_sectors")} | dict(
    zip(sector_labels["code"], sector_labels["label"], strict=True)
)
c1, c2 = st.columns(2)
kldb = c1.selectbox(
    tr("occupation"), list(occupation_titles), key="tr_kldb", format_func=occupation_titles.__getitem__
)
sector = c2.selectbox(
    tr("sector"), list(sector_titles), key="tr_sector", format_func=sector_titles.__getitem__
)
if sector in auto.SCOPES:
    sector_codes: tuple[str, ...] | None = tuple(auto.codes(cfg.automotive, sector))
    st.caption(f"{sector_titles[sector]}: WZ " + ", ".join(sector_codes) + f" ({tr('configuration')})")
elif sector == "all":
    sector_codes = None
else:
    sector_codes = (sector,)

areas = tuple(comparison_areas(region_table(*key), filters.ags, filters.region_label))
area_labels = {a.key: a.label(lg) for a in areas}
for area in areas:
    if area.note(lg):
        st.caption(f"{area.label(lg)}: {area.note(lg)}")

# never a figure after the sidebar quarter
months = until_quarter(labour_market_months(*key), filters.quarter)
dates = until_quarter(employment_dates(*key), filters.quarter)
source_ba = tr(
    "source_ba", lm=fmt_month(status.labour_market_until, lg), svb=fmt_date(status.employment_until, lg)
) + (tr("demo") if status.is_demo else "")
source_network = tr("source_network") + (tr("demo") if status.is_demo else "")
chart_source = source_ba.replace("; SvB", ";<br>SvB")  # plotly annotations do not wrap

labour = labour_market_quarterly(*key, kldb, areas, months[0], months[-1]) if months else pl.DataFrame()
employment = employment_quarterly(*key, sector_codes, areas, dates[0], dates[-1]) if dates else pl.DataFrame()
if not labour.is_empty():
    labour = lm.year_on_year(labour, ["unemployed", "vacancies"])
if not employment.is_empty():
    employment = lm.year_on_year(lm.add_quarter_label(employment), ["svb"])

# --- chart 1: unemployed and vacancies of the selection --------------------------
lm_units = {"unemployed": "count", "vacancies": "count"}
if not labour.is_empty():
    selection = labour.filter(pl.col("area") == "selection")
    title = tr("chart_lm", region=filters.region_label, occupation=occupation_titles[kldb])
    st.plotly_chart(
        line_chart(
            selection,
            "quarter",
            {"unemployed": tr("unemployed"), "vacancies": tr("vacancies")},
            lg,
            title,
            chart_source,
            tr("persons"),
        ),
        width="stretch",
        key="tr_lm",
    )
    last = selection.row(-1, named=True)
    st.caption(
        tr(
            "summary_lm",
            quarter=last["quarter"],
            region=filters.region_label,
            unemployed=fmt_value(last["unemployed"], "count", lg, last["unemployed__suppressed"]),
            vacancies=fmt_value(last["vacancies"], "count", lg, last["vacancies__suppressed"]),
        )
        + " "
        + tr("complete_only")
    )
    with st.expander(tr("table")):
        dataframe(
            display_frame(
                labour.select(
                    label_column,
                    "quarter",
                    "unemployed",
                    "unemployed__suppressed",
                    "vacancies",
                    "vacancies__suppressed",
                ),
                lg,
                lm_units,
            ).rename(
                {
                    label_column: tr("area"),
                    "quarter": tr("quarter"),
                    "unemployed": tr("unemployed"),
                    "vacancies": tr("vacancies"),
                }
            ),
            hide_index=True,
        )

# --- chart 2: SvB in the chosen sector ----------------------------------------------
if not employment.is_empty():
    wide_svb = lm.add_quarter_label(pivot_areas(employment, "svb"))
    title = tr("chart_svb", sector=sector_titles[sector], region=filters.region_label)
    # absolute levels of the selection only (the areas differ in size); compared in the index
    st.plotly_chart(
        line_chart(
            wide_svb,
            "quarter",
            {"selection": area_labels["selection"]},
            lg,
            title,
            chart_source,
            tr("persons"),
        ),
        width="stretch",
        key="tr_svb",
    )
    last = wide_svb.row(-1, named=True)
    st.caption(
        tr(
            "summary_svb",
            quarter=last["quarter"],
            values="; ".join(
                f"{label} {fmt_value(last.get(k), 'count', lg, bool(last.get(flag_column(k))))}"
                for k, label in area_labels.items()
            ),
        )
    )
    with st.expander(tr("table")):
        dataframe(
            display_frame(wide_svb.drop("quarter_start"), lg, dict.fromkeys(area_labels, "count"))
            .select("quarter", *area_labels)
            .rename({"quarter": tr("quarter"), **area_labels}),
            hide_index=True,
        )

# --- chart 3: indexed comparison --------------------------------------------------
index_options = [
    m
    for m, frame in (("unemployed", labour), ("vacancies", labour), ("svb", employment))
    if not frame.is_empty()
]
wide_index = pl.DataFrame()
if index_options:
    measure = st.radio(tr("index_measure"), index_options, key="tr_index", horizontal=True, format_func=tr)
    source_frame = employment if measure == "svb" else labour
    with_index = lm.indexed(source_frame, measure)
    wide_index = lm.add_quarter_label(pivot_areas(with_index, f"{measure}_index"))
    first = wide_index["quarter"][0]
    title = tr("chart_index", measure=tr(measure), first=first)
    st.plotly_chart(
        line_chart(
            wide_index,
            "quarter",
            area_labels,
            lg,
            title,
            chart_source,
            tr("index"),
            tickformat=",.0f",
            hoverformat=",.1f",
            from_zero=False,
        ),
        width="stretch",
        key="tr_index_chart",
    )
    last = wide_index.row(-1, named=True)
    st.caption(
        tr(
            "summary_index",
            quarter=last["quarter"],
            values="; ".join(f"{label} {fmt_number(last.get(k), lg, 1)}" for k, label in area_labels.items()),
        )
    )
    with st.expander(tr("table")):
        index_view = wide_index.select("quarter", *[pl.col(k).round(1) for k in area_labels])
        dataframe(index_view.rename({"quarter": tr("quarter"), **area_labels}), hide_index=True)

# --- chart 4: the network ---------------------------------------------------------
until = min(filters.quarter.end, filters.data_until or filters.quarter.end)
network = quarterly_series(*key, filters.ags, until, filters.protected)
network_labels = {
    name: tr(name) for name in ("entries", "transitions", "target_entries", "target_transitions")
} | {"axis": tr("persons")}
network = label_quarters(network, until, lg)
st.plotly_chart(
    quarterly_targets_chart(
        network.filter(~pl.col("is_total")),
        network_labels,
        lg,
        tr("chart_network", region=filters.region_label),
        source_network,
    ),
    width="stretch",
    key="tr_network",
)
network_units = {
    "entries": "count",
    "transitions": "count",
    "target_entries": "count",
    "target_transitions": "count",
}
with st.expander(tr("table")):
    dataframe(
        display_frame(network.drop("quarter_start", "complete", "is_total"), lg, network_units).rename(
            {"quarter": tr("quarter"), **network_labels}, strict=False
        ),
        hide_index=True,
    )
network_yoy = lm.year_on_year(
    network.filter(~pl.col("is_total")).with_columns(
        pl.lit("selection").alias("area"),
        pl.lit(filters.region_label).alias("area_label_de"),
        pl.lit(filters.region_label).alias("area_label_en"),
    ),
    ["entries", "transitions"],
)

# --- year-on-year table -------------------------------------------------------------
st.subheader(tr("yoy_title"))
parts = []
if not labour.is_empty():
    parts.append(
        latest_rows(
            labour,
            ["unemployed", "vacancies"],
            {"unemployed": tr("unemployed"), "vacancies": tr("vacancies")},
        )
    )
if not employment.is_empty():
    parts.append(latest_rows(employment, ["svb"], {"svb": f"{tr('svb')} {sector_titles[sector]}"}))
parts.append(
    latest_rows(
        network_yoy, ["entries", "transitions"], {"entries": tr("entries"), "transitions": tr("transitions")}
    )
)
yoy = pl.concat([p for p in parts if not p.is_empty()], how="diagonal_relaxed")
yoy_units = {"value": "count", "change": "count", "change_pct": "share"}
yoy_headers = {
    "measure": tr("measure"),
    label_column: tr("area"),
    "quarter": tr("quarter"),
    "value": tr("value"),
    "change": tr("change"),
    "change_pct": tr("change_pct"),
}
dataframe(
    display_frame(
        yoy.select(
            "measure",
            label_column,
            "quarter",
            "value",
            "change",
            "change_pct",
            *[c for c in yoy.columns if c.endswith("__suppressed")],
        ),
        lg,
        yoy_units,
    ).rename(yoy_headers),
    hide_index=True,
    key="tr_yoy",
)
st.caption(source_ba + " " + source_network)
plain_caption(tr("withheld_note") + " " + disclosure_note(lg))


def trends_workbook() -> bytes:
    headers = {
        label_column: tr("area"),
        "quarter": tr("quarter"),
        "unemployed": tr("unemployed"),
        "vacancies": tr("vacancies"),
        "svb": tr("svb"),
        **area_labels,
        **yoy_headers,
    }
    sheets = []
    if not labour.is_empty():
        sheets.append(
            ExcelSheet(
                tr("xl_lm"),
                labour.select(
                    label_column,
                    "quarter",
                    "unemployed",
                    "unemployed__suppressed",
                    "vacancies",
                    "vacancies__suppressed",
                ),
                tr("chart_lm", region=filters.region_label, occupation=occupation_titles[kldb]),
                units={"unemployed": "float", "vacancies": "float"},
                headers=headers,
            )
        )
    if not employment.is_empty():
        sheets.append(
            ExcelSheet(
                tr("xl_svb"),
                wide_svb.drop("quarter_start").select(
                    "quarter", *[c for c in wide_svb.columns if c not in ("quarter", "quarter_start")]
                ),
                tr("chart_svb", sector=sector_titles[sector], region=filters.region_label),
                units=dict.fromkeys(area_labels, "count"),
                headers=headers,
            )
        )
    if not wide_index.is_empty():
        sheets.append(
            ExcelSheet(
                tr("xl_index"),
                wide_index.drop("quarter_start").select(
                    "quarter", *[c for c in wide_index.columns if c not in ("quarter", "quarter_start")]
                ),
                tr("chart_index", measure=tr(measure), first=wide_index["quarter"][0]),
                units=dict.fromkeys(area_labels, "float"),
                headers=headers,
            )
        )
    sheets.append(
        ExcelSheet(
            tr("xl_network"),
            network.drop("quarter_start", "complete", "is_total"),
            tr("chart_network", region=filters.region_label),
            units=network_units,
            headers={"quarter": tr("quarter"), **network_labels},
        )
    )
    flags = [c for c in yoy.columns if c.endswith("__suppressed")]
    sheets.append(
        ExcelSheet(
            tr("xl_yoy"),
            yoy.select("measure", label_column, "quarter", "value", "change", "change_pct", *flags),
            tr("yoy_title"),
            units={"value": "float", "change": "float", "change_pct": "share"},
            headers=yoy_headers,
        )
    )
    return excel_bytes(
        sheets,
        demo=data_status().is_demo,
        source=f"{source_ba} {source_network}",
        as_of=fmt_month(status.labour_market_until, lg),
        lang=lg,
        filters=filter_summary(filters)
        | {tr("occupation"): occupation_titles[kldb], tr("sector"): sector_titles[sector]},
        definitions=[
            (tr("quarter"), tr("intro", region=filters.region_label)),
            (tr("index"), tr("chart_index", measure="…", first="…")),
            ("*", tr("withheld_note")),
        ],
    )


download_excel(trends_workbook, f"trends_{kldb}_{sector}.xlsx", key="tr_xlsx")
