"""Branchen & Übergänge: where the network's participants went (sector, occupation, region)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.arcs import arc_deck, drawable_arcs
from analytics.charts import sankey_chart
from analytics.disclosure import display_frame, has_suppression
from analytics.disclosure import note as disclosure_note
from analytics.excel import ExcelSheet, excel_bytes
from analytics.flows import MEASURES, automotive_definition, share_units
from analytics.formatting import fmt_date, fmt_number
from pages.common import (
    Filters,
    data_status,
    dataframe,
    download_excel,
    filter_summary,
    flow_view,
    kreis_outlines,
    lang,
    plain_caption,
    settings,
    t,
    translator,
    warehouse_key,
)

TEXT = {
    "title": (
        "Branchen & Übergänge: wohin die Beschäftigten wechseln",
        "Sectors & transitions: where people move",
    ),
    "subtitle": (
        "Übergänge in Arbeit von Teilnehmenden aus {region}, {period}.",
        "Transitions into work of participants from {region}, {period}.",
    ),
    "scope": ("Zeitraum", "Period"),
    "scope_cum": ("seit Projektstart", "since project start"),
    "scope_quarter": ("nur das Quartal", "the quarter only"),
    "period_cum": ("{start} bis {end}", "{start} to {end}"),
    "n": ("Übergänge im Zeitraum: {n}", "Transitions in the period: {n}"),
    "none": (
        "Im gewählten Zeitraum und in der Region gibt es keine (zeigbaren) Übergänge.",
        "There are no (publishable) transitions in the selected period and region.",
    ),
    "sector_head": (
        "Von der Branche des abgebenden Betriebs zur Branche des aufnehmenden",
        "From the releasing firm's sector to the receiving firm's sector",
    ),
    "grouped": (
        "Herkunft nach Gruppe (Kern / Zulieferer / sonstige)",
        "Origin by group (core / suppliers / other)",
    ),
    "occupation_head": (
        "Vom Ausgangsberuf zum Zielberuf (KldB 2010)",
        "From origin occupation to target occupation (KldB 2010)",
    ),
    "digits": ("Gliederung", "Level"),
    "digits_3": ("3-stellig (Berufsgruppe)", "3-digit (occupational group)"),
    "digits_2": ("2-stellig (Berufshauptgruppe)", "2-digit (main group)"),
    "map_head": (
        "Vom Wohnort-Kreis zum Kreis des aufnehmenden Betriebs",
        "From the home district to the receiving firm's district",
    ),
    "map_note": (
        "Bögen: Wechsel in einen anderen Kreis; Punkte: Übergänge im Wohnort-Kreis. "
        "Zusammengefasste Ströme ('übrige') haben keinen Ort und stehen nur in der "
        "Tabelle. Keine Hintergrundkarte.",
        "Arcs: moves to another district; dots: transitions within the home district. "
        "Merged flows ('other') have no place and appear only in the table. No base map.",
    ),
    "no_geo": (
        "Ohne Kreisgrenzen keine Karte; die Tabelle zeigt die Ströme.",
        "Without district boundaries there is no map; the table shows the flows.",
    ),
    "shares_head": (
        "Verbleib, Lohn und Tarif je Herkunftsbranche",
        "Staying, wage and collective agreement per origin sector",
    ),
    "row": ("Herkunft", "Origin"),
    "transitions": ("Übergänge", "Transitions"),
    "in_c_share": ("in Verarbeitendem Gewerbe (WZ C)", "into manufacturing (WZ C)"),
    "same_kreis_share": ("im Wohnort-Kreis", "within the home district"),
    "same_land_share": ("im Wohnort-Land", "within the home Land"),
    "into_tarif_share": ("in tarifgebundene Betriebe", "into firms with collective agreement"),
    "wage_ratio": ("Lohnverhältnis (Median neu/alt)", "Wage ratio (median new/old)"),
    "source_col": ("Von", "From"),
    "target_col": ("Nach", "To"),
    "persons": ("Personen", "Persons"),
    "merged": ("zusammengefasste Ströme", "merged flows"),
    "table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "summary": ("Größte Ströme: {items}.", "Largest flows: {items}."),
    "merge_note": (
        "Ströme von 1–2 Personen sind je Herkunft unter 'übrige' zusammengefasst "
        "(mit mindestens einem weiteren Strom), damit keine Einzelfälle erkennbar sind.",
        "Flows of 1–2 persons are merged per origin into 'other' (with at least one "
        "further flow) so that no individual case can be recognised.",
    ),
    "source": (
        "Quelle: Falldaten des Netzwerks Arbeit bewegen!; WZ 2008, KldB 2010.",
        "Source: case data of the network Arbeit bewegen!; WZ 2008, KldB 2010.",
    ),
    "geo_source": ("Kreisgrenzen: {attribution}.", "District boundaries: {attribution}."),
    "definitions": ("Definitionen", "Definitions"),
    "def_text": (
        "Übergang = Arbeitsaufnahme bei einem aufnehmenden Betrieb im Zeitraum. "
        "Anteile je Übergänge der Zeile; 'im Wohnort-Kreis/-Land': aufnehmender Betrieb "
        "im Kreis bzw. Land des Wohnorts; Lohnverhältnis: Median von neuem zu altem "
        "Bruttomonatslohn (Fälle mit beiden Angaben).",
        "Transition = job start at a receiving firm in the period. Shares of the row's "
        "transitions; 'within the home district/Land': receiving firm in the person's "
        "home district or Land; wage ratio: median of new over old monthly gross wage "
        "(cases with both wages).",
    ),
    "xl_sector": ("Branchen", "Sectors"),
    "xl_occupation": ("Berufe", "Occupations"),
    "xl_region": ("Kreise", "Districts"),
    "xl_shares": ("Verbleib", "Staying"),
}


tr = translator(TEXT)


def link_table(links: pl.DataFrame) -> pl.DataFrame:
    return links.select(
        pl.col("source_label").alias(tr("source_col")),
        pl.col("target_label").alias(tr("target_col")),
        pl.col("persons").alias(tr("persons")),
        pl.col("merged").alias(tr("merged")),
    )


def summary(links: pl.DataFrame) -> str:
    top = links.sort("persons", descending=True).head(3)
    items = "; ".join(
        f"{r['source_label']} → {r['target_label']}: {fmt_number(r['persons'], lg)}"
        for r in top.iter_rows(named=True)
    )
    return tr("summary", items=items or "–")


filters: Filters = st.session_state["filters"]
cfg = settings()
lg = lang()
key = warehouse_key()

st.title(tr("title"))
scope = st.radio(
    tr("scope"),
    ["cumulative", "quarter"],
    horizontal=True,
    key="flows_scope",
    format_func=lambda s: tr("scope_cum") if s == "cumulative" else tr("scope_quarter"),
)
end = min(filters.quarter.end, filters.data_until or filters.quarter.end)
start = cfg.project_start if scope == "cumulative" else filters.quarter.start
period = (
    tr("period_cum", start=fmt_date(start, lg), end=fmt_date(end, lg))
    if scope == "cumulative"
    else filters.quarter.label()
)
st.caption(tr("subtitle", region=filters.region_label, period=period))

grouped = st.toggle(tr("grouped"), value=True, key="flows_grouped")
digits = st.radio(
    tr("digits"), [3, 2], horizontal=True, key="flows_digits", format_func=lambda d: tr(f"digits_{d}")
)
view = flow_view(*key, start, end, filters.ags, filters.protected, lg, grouped, digits)
st.caption(
    f"{tr('n', n=fmt_number(view.transitions, lg) if view.transitions is not None else '*')}"
    f" · {automotive_definition(cfg.automotive, lg)}"
)

if view.sector_links.is_empty():
    st.info(tr("none"))
else:
    st.subheader(tr("sector_head"))
    st.plotly_chart(
        sankey_chart(view.sector_links, lg, tr("sector_head"), tr("source")),
        width="stretch",
        key="sankey_sector",
    )
    st.caption(summary(view.sector_links) + " " + tr("merge_note"))
    with st.expander(tr("table")):
        dataframe(link_table(view.sector_links), hide_index=True)

    st.subheader(tr("occupation_head"))
    st.plotly_chart(
        sankey_chart(view.occupation_links, lg, tr("occupation_head"), tr("source")),
        width="stretch",
        key="sankey_occupation",
    )
    st.caption(summary(view.occupation_links))
    with st.expander(tr("table")):
        dataframe(link_table(view.occupation_links), hide_index=True)

    st.subheader(tr("map_head"))
    if view.has_geometry:
        st.pydeck_chart(arc_deck(view.region_links, kreis_outlines(*key), lg), key="arc_map")
        attribution = data_status().bkg_attribution() or "© GeoBasis-DE / BKG (Daten verändert)"
        st.caption(tr("map_note") + " " + tr("geo_source", attribution=attribution))
    else:
        st.info(f"{tr('no_geo')} {t('geo_missing')}")
    st.caption(summary(drawable_arcs(view.region_links)))
    with st.expander(tr("table"), expanded=not view.has_geometry):
        dataframe(link_table(view.region_links), hide_index=True)

st.subheader(tr("shares_head"))
share_columns = ["transitions", *[f"{m}_share" for m in MEASURES], "wage_ratio"]
shares = view.shares.select(
    "label",
    *share_columns,
    *[c for c in view.shares.columns if c.endswith("__suppressed") and c.split("__")[0] in share_columns],
)
headers = {"label": tr("row"), **{c: tr(c) for c in share_columns}}
dataframe(display_frame(shares, lg, share_units()).rename(headers), hide_index=True)
if filters.protected and has_suppression(shares):
    plain_caption(disclosure_note(lg))
with st.expander(tr("definitions")):
    st.markdown(tr("def_text") + "\n\n" + automotive_definition(cfg.automotive, lg))


def flows_workbook() -> bytes:
    def sheet(name: str, links: pl.DataFrame, title: str) -> ExcelSheet:
        frame = links.select("source_label", "target_label", "persons", "merged")
        return ExcelSheet(
            tr(name),
            frame,
            title,
            units={"persons": "count", "merged": "count"},
            headers={
                "source_label": tr("source_col"),
                "target_label": tr("target_col"),
                "persons": tr("persons"),
                "merged": tr("merged"),
            },
        )

    sheets = [
        sheet("xl_sector", view.sector_links, tr("sector_head")),
        sheet("xl_occupation", view.occupation_links, tr("occupation_head")),
        sheet("xl_region", view.region_links, tr("map_head")),
        ExcelSheet(tr("xl_shares"), shares, tr("shares_head"), units=share_units(), headers=headers),
    ]
    return excel_bytes(
        sheets,
        demo=data_status().is_demo,
        filters={**filter_summary(filters), tr("scope"): period},
        source=tr("source"),
        as_of=fmt_date(filters.data_until, lg),
        lang=lg,
        definitions=[
            (tr("definitions"), tr("def_text")),
            ("WZ", automotive_definition(cfg.automotive, lg)),
            ("*", disclosure_note(lg)),
            (tr("merged"), tr("merge_note")),
        ],
    )


download_excel(
    flows_workbook, f"uebergaenge_{filters.quarter.label().replace(' ', '_')}.xlsx", key="flows_xlsx"
)
