"""Regionen: supply and demand map of the Kreise (design §4, §5)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import labour_market as lm
from analytics import maps
from analytics.disclosure import display_frame, flag_column
from analytics.excel import ExcelSheet, excel_bytes
from analytics.formatting import fmt_change, fmt_month, fmt_number, fmt_percent, fmt_value
from analytics.periods import until_quarter, within_quarter
from analytics.regional import comparison_areas, land_areas, lands_area
from pages.common import (
    Filters,
    bkg_attribution,
    data_status,
    dataframe,
    download_excel,
    filter_summary,
    kreis_features,
    labour_market_months,
    lang,
    occupation_balance,
    occupation_choices,
    plain_caption,
    ranking_captions,
    region_table,
    supply_demand,
    t,
    translator,
    warehouse_key,
)

TEXT = {
    "period_earlier": (
        "Für {quarter} liegen noch keine (vollständigen) BA-Daten vor; gezeigt wird {period}.",
        "No (complete) BA data for {quarter} yet; showing {period}.",
    ),
    "title": ("Regionen: Arbeitslose und gemeldete Stellen", "Regions: unemployed and vacancies"),
    "intro": (
        "Angebot und Nachfrage am Arbeitsmarkt nach Kreisen: Karte, Rangfolge und Berufe "
        "eines Kreises, jeweils mit Agenturbezirk und Land zum Vergleich.",
        "Labour supply and demand by Kreis: map, ranking and the occupations of one Kreis, "
        "each compared with the agency district and the state.",
    ),
    "indicator": ("Kennzahl", "Indicator"),
    "view": ("Darstellung", "Display"),
    "occupation": ("Berufe (KldB 2010)", "Occupations (KldB 2010)"),
    "all_occupations": ("Alle Berufe", "All occupations"),
    "kind": ("Zeitraum", "Period"),
    "month": ("Monat", "Month"),
    "quarter": ("Quartal", "Quarter"),
    "period": ("Berichtszeitraum", "Reporting period"),
    "quarter_note": (
        "Quartalswerte sind der Durchschnitt der drei Monatswerte; Veränderung "
        "zum selben Zeitraum des Vorjahres.",
        "Quarterly values are the average of the three monthly values; change vs. "
        "the same period a year earlier.",
    ),
    "month_note": (
        "Monatswerte (Zählung zur Monatsmitte); Veränderung zum Vorjahresmonat.",
        "Monthly values (count in mid-month); change vs. the same month a year earlier.",
    ),
    "compare": ("Vergleich: Auswahl, Agenturbezirk, Land", "Comparison: selection, agency district, state"),
    "yoy": ("zum Vorjahr", "vs. previous year"),
    "map": ("Karte", "Map"),
    "ranking": ("Rangfolge der Kreise", "Ranking of the Kreise"),
    "rank": ("Rang", "Rank"),
    "kreis": ("Kreis", "Kreis"),
    "land_value": ("Landeswert", "State value"),
    "legend": ("Legende", "Legend"),
    "legend_diverging_land": (
        "Farben: orange = weniger, lila = mehr Arbeitslose je Stelle als "
        "in {centre_label} ({centre}); Klassen nach Abstand (Terzile).",
        "Colours: orange = fewer, purple = more unemployed per vacancy than "
        "in {centre_label} ({centre}); classes by distance (terciles).",
    ),
    "legend_diverging_zero": (
        "Farben: orange = Rückgang, lila = Anstieg gegenüber dem Vorjahr; "
        "Klassen nach Abstand von 0 (Terzile).",
        "Colours: orange = decrease, purple = increase vs. the previous "
        "year; classes by distance from 0 (terciles).",
    ),
    "legend_sequential": (
        "Farben: hell = hoch, dunkel = niedrig (Quintile der Kreise).",
        "Colours: light = high, dark = low (quintiles of the Kreise).",
    ),
    "no_data": (
        "Keine BA-Statistik geladen (Arbeitslose, gemeldete Stellen).",
        "No BA statistics loaded (unemployed, vacancies).",
    ),
    "no_geometry": (
        "Ohne Kreisgrenzen keine Karte; die Tabelle zeigt alle Werte.",
        "Without district boundaries there is no map; the table shows all values.",
    ),
    "map_table": ("Daten der Karte als Tabelle", "Map data as a table"),
    "summary": (
        "Höchster Wert: {high} ({high_value}); niedrigster Wert: {low} ({low_value}); "
        "{withheld} Kreise gesperrt (*), {missing} ohne Daten.",
        "Highest value: {high} ({high_value}); lowest value: {low} ({low_value}); "
        "{withheld} Kreise withheld (*), {missing} without data.",
    ),
    "source": (
        "Quelle: Statistik der Bundesagentur für Arbeit, Arbeitslose und gemeldete "
        "Arbeitsstellen nach Berufen (KldB 2010) und Kreisen; Berichtszeitraum {period}; "
        "Datenstand {as_of}.",
        "Source: Federal Employment Agency statistics, unemployed and registered vacancies "
        "by occupation (KldB 2010) and Kreis; reporting period {period}; data as of {as_of}.",
    ),
    "demo": (" Demo-Daten (fiktiv).", " Demo data (fictional)."),
    "withheld_note": (
        "* = von der BA gesperrt (Geheimhaltung); Summen, Durchschnitte, Quoten "
        "und Veränderungen mit einem gesperrten Bestandteil sind ebenfalls gesperrt.",
        "* = withheld by the BA (confidentiality); sums, averages, ratios and "
        "changes with a withheld component are withheld as well.",
    ),
    "detail": ("Berufe eines Kreises", "Occupations of one Kreis"),
    "detail_kreis": ("Kreis für die Detailansicht", "Kreis for the detail view"),
    "surplus_unemployed": ("Größter Überhang an Arbeitslosen", "Largest surplus of unemployed"),
    "surplus_vacancies": ("Größter Überhang an gemeldeten Stellen", "Largest surplus of vacancies"),
    "surplus": ("Überhang (Arbeitslose − Stellen)", "Surplus (unemployed − vacancies)"),
    "group": ("Berufsgruppe", "Occupation group"),
    "none": (
        "Keine Berufsgruppe mit bekanntem Überhang dieser Art.",
        "No occupation group with a known surplus of this kind.",
    ),
    "withheld_groups": (
        "{n} Berufsgruppen des Kreises sind nicht einzuordnen, weil ein Wert gesperrt ist (*).",
        "{n} occupation groups of the Kreis cannot be ranked because a value is withheld (*).",
    ),
    "unemployed": ("Arbeitslose", "Unemployed"),
    "vacancies": ("Gemeldete Stellen", "Vacancies"),
    "ratio": ("Arbeitslose je Stelle", "Unemployed per vacancy"),
    "xl_kreise": ("Kreise", "Kreise"),
    "xl_compare": ("Vergleich", "Comparison"),
    "area": ("Gebiet", "Area"),
    "previous": ("Vorjahr", "Previous year"),
    "change": ("Veränderung", "Change"),
    "change_pct": ("Veränderung %", "Change %"),
}


tr = translator(TEXT)


def label_of(pair: tuple[str, str], current: str = lang()) -> str:
    return pair[0] if current == "de" else pair[1]


filters: Filters = st.session_state["filters"]
lg = lang()
key = warehouse_key()
status = data_status()

st.title(tr("title"))
st.caption(tr("intro"))

months = labour_market_months(*key)
if not months:
    st.info(tr("no_data"))
    st.stop()

# --- controls ---------------------------------------------------------------
occupations = occupation_choices(*key)
title_column = "title_de" if lg == "de" else "title_en"
indent = pl.when(pl.col("level") == 2).then(pl.lit("")).otherwise(pl.lit("\u2003"))
choices = occupations.select("code", pl.format("{}{} – {}", indent, "code", title_column).alias("label"))
occupation_titles = {"TOTAL": tr("all_occupations")} | dict(
    zip(choices["code"], choices["label"], strict=True)
)

c1, c2, c3 = st.columns([2, 2, 3])
indicator = c1.selectbox(
    tr("indicator"), lm.INDICATORS, key="rg_indicator", format_func=lambda i: label_of(lm.INDICATOR_LABELS[i])
)
view = c2.radio(tr("view"), lm.VIEWS, key="rg_view", format_func=lambda v: label_of(lm.VIEW_LABELS[v]))
kldb = c3.selectbox(
    tr("occupation"), list(occupation_titles), key="rg_kldb", format_func=occupation_titles.__getitem__
)
c4, c5, _ = st.columns([2, 2, 3])
kind = c4.radio(tr("kind"), ["month", "quarter"], key="rg_kind", horizontal=True, format_func=tr)
# the sidebar quarter decides: its months, or the quarter itself (never a later figure)
quarter = filters.quarter
if kind == "month":
    starts = within_quarter(months, quarter)[::-1] or until_quarter(months, quarter)[-1:]
else:
    starts = until_quarter(lm.complete_quarters(months), quarter)[-1:]
if not starts:
    starts = until_quarter(months, quarter)[-1:] or months[:1]
    kind = "month"
if starts[0] < quarter.start:
    st.info(tr("period_earlier", quarter=quarter.label(), period=lm.Period(kind, starts[0]).label(lg)))
start = c5.selectbox(
    tr("period"), starts, key=f"rg_period_{kind}", format_func=lambda d: lm.Period(kind, d).label(lg)
)
period = lm.Period(kind, start)
st.caption(tr("quarter_note") if kind == "quarter" else tr("month_note"))

column = lm.indicator_column(indicator, view)
unit = lm.indicator_unit(indicator, view)
indicator_label = label_of(lm.INDICATOR_LABELS[indicator])
if view != "level":
    indicator_label = f"{indicator_label}: {label_of(lm.VIEW_LABELS[view])}"
source = tr("source", period=period.label(lg), as_of=fmt_month(status.labour_market_until, lg)) + (
    tr("demo") if status.is_demo else ""
)

kreise = supply_demand(*key, kldb, kind, start)
region_frame = region_table(*key)
lands = land_areas(region_frame)
kreise = lm.with_land_values(kreise, lands, column)

# --- comparison: selection, Agentur, Land -------------------------------------
areas = comparison_areas(region_frame, filters.ags, filters.region_label)
compare = lm.area_values(kreise, areas)
st.subheader(tr("compare"))
for box, area, row in zip(st.columns(len(areas)), areas, compare.iter_rows(named=True), strict=True):
    with box.container(border=True):
        delta = None
        if view == "level":
            delta = fmt_change(row[f"{indicator}_change"], unit, lg, row[flag_column(f"{indicator}_change")])
            delta = None if delta is None else f"{delta} {tr('yoy')}"
        st.metric(
            area.label(lg),
            fmt_value(row[column], unit, lg, row[flag_column(column)]),
            delta=delta,
            delta_color="off",
            help=indicator_label,
        )
        parts = [
            f"{tr(m)}: {fmt_value(row[m], 'count', lg, row[flag_column(m)])}"
            for m in ("unemployed", "vacancies")
        ]
        st.caption(" · ".join(parts) + (f" · {area.note(lg)}" if area.note(lg) else ""))

# --- map and ranking -----------------------------------------------------------
fmt_class = {
    "ratio": lambda v: fmt_number(v, lg, 2),
    "count": lambda v: fmt_number(v, lg),
    "share": lambda v: fmt_percent(v, lg, 2),
}[unit]
values = kreise[column].to_list()
withheld = kreise[flag_column(column)].to_list()
whole = lm.area_values(kreise, [lands_area(region_frame)])
centre_label = whole["area_label_de" if lg == "de" else "area_label_en"][0]
centre = whole[column][0] if view == "level" and indicator == "ratio" else None
if view != "level":
    scale = maps.colour_scale(values, "diverging", 0.0)
    legend_note = tr("legend_diverging_zero")
elif centre is not None:
    scale = maps.colour_scale(values, "diverging", centre)
    legend_note = tr("legend_diverging_land", centre_label=centre_label, centre=fmt_value(centre, unit, lg))
else:
    scale = maps.colour_scale(values, "sequential")
    legend_note = tr("legend_sequential")
colours = [scale.colour(v, w) for v, w in zip(values, withheld, strict=True)]

left, right = st.columns([3, 2])
with left:
    st.subheader(tr("map"))
    features = kreis_features(*key)
    attribution = bkg_attribution()
    if features["features"]:
        tips = maps.tooltip_texts(
            kreise,
            "name",
            [
                maps.TipLine(indicator_label, column, unit),
                maps.TipLine(tr("unemployed"), "unemployed", "count"),
                maps.TipLine(tr("vacancies"), "vacancies", "count"),
                maps.TipLine(tr("land_value"), "land_value", unit),
            ],
            lg,
        )
        layer = maps.choropleth_layer(features, kreise, colours, tips)
        st.pydeck_chart(maps.deck([layer]), key="rg_map", height=560)
    else:
        st.info(f"{tr('no_geometry')} {t('geo_missing')}")
    st.markdown(
        maps.legend_html(f"{tr('legend')}: {indicator_label}", scale.legend(fmt_class, lg)),
        unsafe_allow_html=True,
    )
    st.caption(legend_note)

ranked = lm.ranked(kreise, column, descending=True)
table_units = {column: unit, "unemployed": "count", "vacancies": "count", "land_value": unit}
headers = {
    "rank": tr("rank"),
    "name": tr("kreis"),
    column: indicator_label,
    "unemployed": tr("unemployed"),
    "vacancies": tr("vacancies"),
    "land_value": tr("land_value"),
}
ranking_view = display_frame(
    ranked.select(
        "rank",
        "name",
        column,
        flag_column(column),
        "unemployed",
        "unemployed__suppressed",
        "vacancies",
        "vacancies__suppressed",
        "land_value",
        "land_value__suppressed",
    ),
    lg,
    table_units,
)
with right:
    st.subheader(tr("ranking"))
    dataframe(ranking_view.rename(headers), hide_index=True, height=560, key="rg_ranking")

missing = int((ranked[column].is_null() & ~ranked[flag_column(column)]).sum())
ranking_captions(tr, ranked, column, unit, lg, source, missing=missing)
plain_caption(tr("withheld_note"))
with st.expander(tr("map_table")):
    dataframe(ranking_view.rename(headers), hide_index=True)

period_slug = period.label("de").replace(" ", "_")
export_columns = [
    "ags",
    "name",
    "agentur",
    "land_name",
    "unemployed",
    "vacancies",
    "ratio",
    "unemployed_prev",
    "vacancies_prev",
    "ratio_prev",
    "unemployed_change",
    "unemployed_change_pct",
    "vacancies_change",
    "vacancies_change_pct",
    "ratio_change",
    "ratio_change_pct",
]
export_headers = {
    "ags": "AGS",
    "name": tr("kreis"),
    "agentur": "Agentur für Arbeit",
    "land_name": "Land",
    "area_label": tr("area"),
    "unemployed": tr("unemployed"),
    "vacancies": tr("vacancies"),
    "ratio": tr("ratio"),
    "unemployed_prev": f"{tr('unemployed')} {tr('previous')}",
    "vacancies_prev": f"{tr('vacancies')} {tr('previous')}",
    "ratio_prev": f"{tr('ratio')} {tr('previous')}",
    "unemployed_change": f"{tr('unemployed')} {tr('change')}",
    "unemployed_change_pct": f"{tr('unemployed')} {tr('change_pct')}",
    "vacancies_change": f"{tr('vacancies')} {tr('change')}",
    "vacancies_change_pct": f"{tr('vacancies')} {tr('change_pct')}",
    "ratio_change": f"{tr('ratio')} {tr('change')}",
    "ratio_change_pct": f"{tr('ratio')} {tr('change_pct')}",
}
export_units = {c: "count" for c in export_columns if c.startswith(("unemployed", "vacancies"))}
export_units |= {c: "ratio" for c in ("ratio", "ratio_prev", "ratio_change")}
export_units |= {c: "share" for c in export_columns if c.endswith("_pct")}
flags = [flag_column(c) for c in export_columns if flag_column(c) in kreise.columns]
export_filters = filter_summary(filters) | {
    tr("occupation"): occupation_titles[kldb].strip(),
    tr("period"): period.label(lg),
}


def regions_workbook() -> bytes:
    label = "area_label_de" if lg == "de" else "area_label_en"
    comparison = compare.select(
        pl.col(label).alias("area_label"), *export_columns[4:], *[f for f in flags if f in compare.columns]
    )
    sheets = [
        ExcelSheet(
            tr("xl_kreise"),
            kreise.select(*export_columns, *flags),
            f"{tr('title')} – {period.label(lg)}",
            units=export_units,
            headers=export_headers,
        ),
        ExcelSheet(tr("xl_compare"), comparison, tr("compare"), units=export_units, headers=export_headers),
    ]
    return excel_bytes(
        sheets,
        demo=data_status().is_demo,
        filters=export_filters,
        source=source,
        as_of=fmt_month(status.labour_market_until, lg),
        lang=lg,
        definitions=[(tr("ratio"), tr("quarter_note")), ("*", tr("withheld_note"))],
    )


download_excel(regions_workbook, f"regionen_{kldb}_{period_slug}.xlsx", key="rg_xlsx")

# --- detail: occupations of one Kreis ------------------------------------------
st.subheader(tr("detail"))
names = dict(zip(region_frame["ags"], region_frame["name"], strict=True))
options = list(filters.ags) + [a for a in region_frame["ags"] if a not in filters.ags]
kreis = st.selectbox(tr("detail_kreis"), options, key="rg_kreis", format_func=lambda a: f"{names[a]} ({a})")
kreis_row = region_frame.filter(pl.col("ags") == kreis).row(0, named=True)
land = next(a for a in lands if a.key == kreis_row["land_code"])
balance = occupation_balance(*key, kind, start, (kreis,))
land_balance = occupation_balance(*key, kind, start, land.ags)
detail_units = {
    c: "count"
    for c in ("unemployed", "vacancies", "surplus", "unemployed_land", "vacancies_land", "surplus_land")
}
detail_headers = {
    "kldb": "KldB",
    "title": tr("group"),
    "unemployed": tr("unemployed"),
    "vacancies": tr("vacancies"),
    "surplus": tr("surplus"),
    "unemployed_land": f"{tr('unemployed')} – {land.label(lg)}",
    "vacancies_land": f"{tr('vacancies')} – {land.label(lg)}",
    "surplus_land": f"{tr('surplus')} – {land.label(lg)}",
}
detail_tables = {}
for side, col in zip(("unemployed", "vacancies"), st.columns(2), strict=True):
    top = lm.with_comparison(lm.top_surplus(balance, side), land_balance, "land")
    top = top.with_columns(pl.col(title_column).alias("title")).drop("title_de", "title_en")
    top = top.select("kldb", "title", *[c for c in top.columns if c not in ("kldb", "title")])
    detail_tables[side] = top
    with col:
        st.markdown(f"**{tr('surplus_' + side)}** – {names[kreis]}, {period.label(lg)}")
        if top.height:
            dataframe(
                display_frame(top, lg, detail_units).rename(detail_headers, strict=False),
                hide_index=True,
                key=f"rg_top_{side}",
            )
        else:
            st.caption(tr("none"))
unranked = int(balance["surplus__suppressed"].sum())
if unranked:
    st.caption(tr("withheld_groups", n=unranked))


def detail_workbook() -> bytes:
    sheets = [
        ExcelSheet(
            tr(f"surplus_{side}")[:31],
            frame,
            f"{tr('surplus_' + side)} – {names[kreis]}",
            units=detail_units,
            headers=detail_headers,
        )
        for side, frame in detail_tables.items()
    ]
    return excel_bytes(
        sheets,
        demo=data_status().is_demo,
        filters=export_filters | {tr("kreis"): names[kreis]},
        source=source,
        as_of=fmt_month(status.labour_market_until, lg),
        lang=lg,
        definitions=[(tr("surplus"), tr("surplus")), ("*", tr("withheld_note"))],
    )


download_excel(detail_workbook, f"regionen_berufe_{kreis}_{period_slug}.xlsx", key="rg_detail_xlsx")
