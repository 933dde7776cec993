"""Automobilwirtschaft: automotive exposure of the Kreise and the network's firms (design §4, §5)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import automotive as auto
from analytics import labour_market as lm
from analytics import maps
from analytics.disclosure import display_frame, flag_column
from analytics.excel import ExcelSheet, excel_bytes
from analytics.formatting import fmt_change, fmt_date, fmt_number, fmt_percent, fmt_value
from analytics.periods import until_quarter
from analytics.regional import comparison_areas
from pages.common import (
    Filters,
    automotive_definition,
    automotive_share,
    bkg_attribution,
    data_status,
    dataframe,
    download_excel,
    employment_dates,
    filter_summary,
    kreis_features,
    lang,
    network_firms,
    plain_caption,
    ranking_captions,
    region_table,
    role,
    t,
    translator,
    warehouse_key,
)

TEXT = {
    "date_earlier": (
        "Zum Ende von {quarter} liegt noch kein SvB-Stichtag vor; der letzte vorliegende ist der {date}.",
        "No SvB reference date at the end of {quarter} yet; the latest available is {date}.",
    ),
    "title": ("Automobilwirtschaft: Abhängigkeit der Kreise", "Automotive: exposure of the Kreise"),
    "intro": (
        "Anteil der sozialversicherungspflichtig Beschäftigten (SvB, Arbeitsort) in der "
        "Automobilwirtschaft je Kreis, mit den abgebenden und aufnehmenden Betrieben des "
        "Netzwerks.",
        "Share of employees subject to social insurance (SvB, place of work) in the "
        "automotive industry by Kreis, with the network's releasing and receiving firms.",
    ),
    "scope": ("Abgrenzung", "Definition"),
    "date": ("Stichtag (Quartalsende)", "Reference date (quarter end)"),
    "indicator": ("Kennzahl", "Indicator"),
    "share": ("Anteil an allen SvB", "Share of all SvB"),
    "svb_sector": ("SvB in der Abgrenzung", "SvB in the definition"),
    "svb_total": ("SvB insgesamt", "All SvB"),
    "svb_sector_change": ("Veränderung SvB zum Vorjahr (absolut)", "Change in SvB vs. previous year"),
    "svb_sector_change_pct": ("Veränderung SvB zum Vorjahr (%)", "Change in SvB vs. previous year (%)"),
    "share_change": (
        "Veränderung Anteil zum Vorjahr (Prozentpunkte)",
        "Change in share vs. previous year (percentage points)",
    ),
    "definition": ("Abgrenzung nach WZ 2008 (Konfiguration)", "Definition by WZ 2008 (configuration)"),
    "tier": ("Stufe", "Tier"),
    "core": ("Kern", "Core"),
    "supplier": ("Zulieferer", "Supplier"),
    "wz": ("WZ-Abteilung", "WZ division"),
    "wz_title": ("Bezeichnung", "Title"),
    "compare": ("Vergleich: Auswahl, Agenturbezirk, Land", "Comparison: selection, agency district, state"),
    "yoy": ("zum Vorjahr", "vs. previous year"),
    "map": ("Karte", "Map"),
    "ranking": ("Rangfolge der Kreise", "Ranking of the Kreise"),
    "rank": ("Rang", "Rank"),
    "kreis": ("Kreis", "Kreis"),
    "legend": ("Legende", "Legend"),
    "legend_sequential": (
        "Flächen: dunkler = höherer Wert (Quintile der Kreise).",
        "Areas: darker = higher value (quintiles of the Kreise).",
    ),
    "legend_diverging": (
        "Flächen: orange = Rückgang, lila = Anstieg zum Vorjahr (Klassen nach Abstand von 0, Terzile).",
        "Areas: orange = decrease, purple = increase vs. the previous year "
        "(classes by distance from 0, terciles).",
    ),
    "firms_legend": ("Betriebe des Netzwerks", "The network's firms"),
    "releasing": ("abgebender Betrieb", "releasing firm"),
    "receiving": ("aufnehmender Betrieb", "receiving firm"),
    "both": ("abgebend und aufnehmend", "releasing and receiving"),
    "show_firms": ("Betriebe anzeigen", "Show firms"),
    "firms": ("Betriebe des Netzwerks (Tabelle)", "The network's firms (table)"),
    "firm": ("Betrieb", "Firm"),
    "role": ("Rolle", "Role"),
    "no_geometry": (
        "Ohne Kreisgrenzen keine Karte; die Tabelle zeigt alle Werte.",
        "Without district boundaries there is no map; the table shows all values.",
    ),
    "no_data": ("Keine Beschäftigtenstatistik geladen.", "No employment statistics loaded."),
    "map_table": ("Daten der Karte als Tabelle", "Map data as a table"),
    "summary": (
        "Höchster Wert: {high} ({high_value}); niedrigster Wert: {low} ({low_value}); "
        "{withheld} Kreise gesperrt (*).",
        "Highest value: {high} ({high_value}); lowest value: {low} ({low_value}); "
        "{withheld} Kreise withheld (*).",
    ),
    "source": (
        "Quelle: Statistik der Bundesagentur für Arbeit, sozialversicherungspflichtig "
        "Beschäftigte am Arbeitsort nach WZ 2008 und Kreisen, Stichtag {date}; Betriebe: "
        "Falldaten des Netzwerks Arbeit bewegen!.",
        "Source: Federal Employment Agency statistics, employees subject to social "
        "insurance at the place of work by WZ 2008 and Kreis, reference date {date}; "
        "firms: case data of the network Arbeit bewegen!.",
    ),
    "demo": (" Demo-Daten (fiktiv).", " Demo data (fictional)."),
    "withheld_note": (
        "* = von der BA gesperrt (Geheimhaltung); eine Summe mit gesperrtem "
        "Bestandteil ist ebenfalls gesperrt. Eine WZ-Abteilung ohne Zeile zählt als 0.",
        "* = withheld by the BA (confidentiality); a sum with a withheld component is "
        "withheld as well. A WZ division without a row counts as 0.",
    ),
    "area": ("Gebiet", "Area"),
    "previous": ("Vorjahr", "previous year"),
    "xl_kreise": ("Kreise", "Kreise"),
    "xl_compare": ("Vergleich", "Comparison"),
    "xl_definition": ("Abgrenzung", "Definition"),
    "xl_firms": ("Betriebe", "Firms"),
}
INDICATORS = ("share", "svb_sector", "svb_sector_change", "svb_sector_change_pct", "share_change")
UNITS = {
    "share": "share",
    "svb_sector": "count",
    "svb_total": "count",
    "svb_sector_change": "count",
    "svb_sector_change_pct": "share",
    "share_change": "points",
    "share_prev": "share",
    "svb_sector_prev": "count",
    "svb_total_prev": "count",
    "svb_total_change": "count",
    "svb_total_change_pct": "share",
}


tr = translator(TEXT)


filters: Filters = st.session_state["filters"]
lg = lang()
key = warehouse_key()
status = data_status()

st.title(tr("title"))
st.caption(tr("intro"))

dates = employment_dates(*key)
if not dates:
    st.info(tr("no_data"))
    st.stop()

c1, c2, c3 = st.columns([2, 2, 3])
scope = c1.radio(
    tr("scope"),
    auto.SCOPES,
    key="au_scope",
    format_func=lambda s: auto.SCOPE_LABELS[s][0 if lg == "de" else 1],
)
# reference dates up to the end of the sidebar quarter (never a later figure)
shown_dates = until_quarter(dates, filters.quarter)[::-1] or dates[:1]
reference_date = c2.selectbox(tr("date"), shown_dates, key="au_date", format_func=lambda d: fmt_date(d, lg))
if reference_date < filters.quarter.end and reference_date == shown_dates[0]:
    st.caption(tr("date_earlier", quarter=filters.quarter.label(), date=fmt_date(reference_date, lg)))
indicator = c3.selectbox(tr("indicator"), INDICATORS, key="au_indicator", format_func=tr)
unit = UNITS[indicator]

definition = automotive_definition(*key, scope)
title_column = "title_de" if lg == "de" else "title_en"
st.caption(
    f"**{tr('definition')}:** "
    + "; ".join(
        f"{tr(tier)} WZ {wz} {title}"
        for wz, tier, title in definition.select("wz", "tier", title_column).rows()
    )
)
source = tr("source", date=fmt_date(reference_date, lg)) + (tr("demo") if status.is_demo else "")

kreise = automotive_share(*key, scope, reference_date)
region_frame = region_table(*key)
areas = comparison_areas(region_frame, filters.ags, filters.region_label)
compare = auto.area_shares(kreise, areas)

st.subheader(tr("compare"))
for box, area, row in zip(st.columns(len(areas)), areas, compare.iter_rows(named=True), strict=True):
    with box.container(border=True):
        delta = fmt_change(row["share_change"], "share", lg, row["share_change__suppressed"])
        st.metric(
            area.label(lg),
            fmt_value(row["share"], "share", lg, row["share__suppressed"]),
            delta=None if delta is None else f"{delta} {tr('yoy')}",
            delta_color="off",
            help=tr("share"),
        )
        change = (
            fmt_change(row["svb_sector_change"], "count", lg, row["svb_sector_change__suppressed"]) or "–"
        )
        counts = (
            f"{tr('svb_sector')}: "
            f"{fmt_value(row['svb_sector'], 'count', lg, row['svb_sector__suppressed'])} "
            f"({change} {tr('yoy')}) · {tr('svb_total')}: "
            f"{fmt_value(row['svb_total'], 'count', lg, row['svb_total__suppressed'])}"
        )
        st.caption(counts + (f" · {area.note(lg)}" if area.note(lg) else ""))

values = kreise[indicator].to_list()
withheld = kreise[flag_column(indicator)].to_list()
if indicator in ("share", "svb_sector"):
    scale = maps.colour_scale(values, "sequential", palette=maps.BLUES)
    legend_note = tr("legend_sequential")
else:
    scale = maps.colour_scale(values, "diverging", 0.0)
    legend_note = tr("legend_diverging")
fmt_class = {
    "share": lambda v: fmt_percent(v, lg, 2),
    "count": lambda v: fmt_number(v, lg),
    "points": lambda v: f"{fmt_number(v * 100, lg, 2)} {'Pp.' if lg == 'de' else 'pp'}",
}[unit]
colours = [scale.colour(v, w) for v, w in zip(values, withheld, strict=True)]
role_labels = {r: tr(r) for r in ("releasing", "receiving", "both")}

firms = network_firms(*key, role())
left, right = st.columns([3, 2])
with left:
    st.subheader(tr("map"))
    features = kreis_features(*key)
    attribution = bkg_attribution()
    show_firms = st.toggle(tr("show_firms"), value=True, key="au_firms")
    if features["features"]:
        tips = maps.tooltip_texts(
            kreise,
            "name",
            [
                maps.TipLine(tr(indicator), indicator, unit),
                maps.TipLine(tr("svb_sector"), "svb_sector", "count"),
                maps.TipLine(tr("svb_total"), "svb_total", "count"),
                maps.TipLine(tr("share"), "share", "share"),
            ],
            lg,
        )
        layers = [maps.choropleth_layer(features, kreise, colours, tips)]
        if show_firms and firms.height:
            layers.append(maps.firm_layer(firms, role_labels, "WZ", lg))
        st.pydeck_chart(maps.deck(layers), key="au_map", height=560)
    else:
        st.info(f"{tr('no_geometry')} {t('geo_missing')}")
    legend, firm_legend = st.columns(2)
    legend.markdown(
        maps.legend_html(f"{tr('legend')}: {tr(indicator)}", scale.legend(fmt_class, lg)),
        unsafe_allow_html=True,
    )
    legend.caption(legend_note)
    roles = sorted(set(firms["role"]) if firms.height else set())
    firm_legend.markdown(
        maps.legend_html(
            tr("firms_legend"), [(role_labels.get(r, r), maps.FIRM_COLOURS.get(r, "#000000")) for r in roles]
        ),
        unsafe_allow_html=True,
    )

ranked = lm.ranked(kreise, indicator, descending=True)
table_columns = ["rank", "name", indicator, "svb_sector", "svb_total", "share"]
table_columns = list(dict.fromkeys(table_columns))
headers = {"rank": tr("rank"), "name": tr("kreis"), **{c: tr(c) for c in table_columns[2:]}}
ranking_view = display_frame(
    ranked.select(*table_columns, *[flag_column(c) for c in table_columns[2:]]),
    lg,
    {c: UNITS[c] for c in table_columns[2:]},
)
with right:
    st.subheader(tr("ranking"))
    dataframe(ranking_view.rename(headers), hide_index=True, height=560, key="au_ranking")

ranking_captions(tr, ranked, indicator, unit, lg, source)
plain_caption(tr("withheld_note"))
with st.expander(tr("map_table")):
    dataframe(ranking_view.rename(headers), hide_index=True)
with st.expander(tr("firms")):
    firm_view = firms.select(
        pl.col("name").alias(tr("firm")),
        pl.col("role").replace_strict(role_labels, default=pl.col("role")).alias(tr("role")),
        pl.col("wz").alias(tr("wz")),
        pl.col(f"wz_{title_column}").alias(tr("wz_title")),
        pl.col("kreis").alias(tr("kreis")),
    )
    dataframe(firm_view, hide_index=True)

export_columns = [
    "ags",
    "name",
    "agentur",
    "land_name",
    "svb_sector",
    "svb_total",
    "share",
    "svb_sector_prev",
    "svb_total_prev",
    "share_prev",
    "svb_sector_change",
    "svb_sector_change_pct",
    "share_change",
]
export_headers = {
    "ags": "AGS",
    "name": tr("kreis"),
    "agentur": "Agentur für Arbeit",
    "land_name": "Land",
    "area_label": tr("area"),
    **{
        c: tr(c)
        for c in (
            "svb_sector",
            "svb_total",
            "share",
            "svb_sector_change",
            "svb_sector_change_pct",
            "share_change",
        )
    },
    "svb_sector_prev": f"{tr('svb_sector')} ({tr('previous')})",
    "svb_total_prev": f"{tr('svb_total')} ({tr('previous')})",
    "share_prev": f"{tr('share')} ({tr('previous')})",
}
export_units = {c: ("float" if UNITS[c] == "points" else UNITS[c]) for c in export_columns[4:]}


def _points(frame: pl.DataFrame) -> pl.DataFrame:
    """Share changes in percentage points for the export (a number, not a percent format)."""
    return frame.with_columns(pl.col("share_change") * 100)


def automotive_workbook() -> bytes:
    label = "area_label_de" if lg == "de" else "area_label_en"
    flags = [flag_column(c) for c in export_columns if flag_column(c) in kreise.columns]
    comparison = compare.select(pl.col(label).alias("area_label"), *export_columns[4:], *flags)
    definition_sheet = definition.select(
        pl.col("wz").alias(tr("wz")),
        pl.col("tier").replace_strict({"core": tr("core"), "supplier": tr("supplier")}).alias(tr("tier")),
        pl.col(title_column).alias(tr("wz_title")),
    )
    sheets = [
        ExcelSheet(
            tr("xl_kreise"),
            _points(kreise.select(*export_columns, *flags)),
            f"{tr('title')} – {fmt_date(reference_date, lg)}",
            units=export_units,
            headers=export_headers,
        ),
        ExcelSheet(
            tr("xl_compare"), _points(comparison), tr("compare"), units=export_units, headers=export_headers
        ),
        ExcelSheet(tr("xl_definition"), definition_sheet, tr("definition")),
        ExcelSheet(tr("xl_firms"), firm_view, tr("firms_legend")),
    ]
    return excel_bytes(
        sheets,
        demo=data_status().is_demo,
        source=source,
        as_of=fmt_date(reference_date, lg),
        lang=lg,
        filters=filter_summary(filters)
        | {
            tr("scope"): auto.SCOPE_LABELS[scope][0 if lg == "de" else 1],
            tr("date"): fmt_date(reference_date, lg),
        },
        definitions=[
            (tr("share"), tr("intro")),
            (tr("share_change"), tr("share_change")),
            ("*", tr("withheld_note")),
        ],
    )


download_excel(automotive_workbook, f"automobil_{scope}_{reference_date.isoformat()}.xlsx", key="au_xlsx")
