"""The view of Branchen & Übergänge (design §4): where the network's participants went — sector
and occupation Sankeys, the arc map home Kreis → Kreis of the receiving firm, and the shares
staying in manufacturing, in the Kreis and in the Land.

Disclosure runs once over the whole page (analytics.flows.flow_view): every Sankey setting
the widgets can show is protected against the coarser ones, and the shares table of both
group settings together with all links, so that no widget reveals what another withholds."""

from __future__ import annotations

import duckdb
import polars as pl

from analytics import db, kpi
from analytics.arcs import arc_deck, drawable_arcs
from analytics.charts import OKABE_ITO, sankey_chart
from analytics.disclosure import has_suppression
from analytics.flows import MEASURES, OTHER, automotive_definition, flow_view, other_share
from analytics.formatting import fmt_date, fmt_number, fmt_value
from analytics.periods import Quarter
from analytics.settings import Settings
from analytics.static_geometry import kreis_geometry
from analytics.views.model import Chart, Column, Heading, M, Map, Note, Table, Text, View, ViewFilters
from analytics.views.overview import region_and_period

SCOPES = ("cumulative", "quarter")
# with disclosure control the quarter only (issue #12): "since start" up to one quarter minus
# "since start" up to the one before, or minus the quarter itself, is a quarter again, so
# every link and share of a cumulative table would be a second cell of the same persons and
# the difference of two of them could pin an attribute of 1 or 2 persons; quarters never
# overlap, so no difference of two quarter tables is a table of fewer persons
PROTECTED_SCOPES = ("quarter",)
DIGITS = (3, 2)
SHARE_COLUMNS = ("transitions", *(f"{m}_share" for m in MEASURES), "wage_ratio")
SHARE_UNITS = {"transitions": "count", **{f"{m}_share": "share" for m in MEASURES}, "wage_ratio": "ratio"}


def flow_scopes(protected: bool) -> tuple[str, ...]:
    """The periods the page offers: both without disclosure control, else the quarter only."""
    return PROTECTED_SCOPES if protected else SCOPES


def flows_options(filters: ViewFilters) -> tuple[str, bool, int]:
    """The page's widgets (scope, group toggle, KldB digits), unknown values at defaults; a
    scope the role is not offered (since start under disclosure control) is the quarter."""
    scopes = flow_scopes(filters.protected)
    scope = filters.option("scope", scopes[0])
    digits = filters.option("digits", 3)
    return (
        scope if scope in scopes else scopes[0],
        bool(filters.option("grouped", True)),
        digits if digits in DIGITS else 3,
    )


def summary(links: pl.DataFrame, lang: str) -> str:
    """The three largest flows as text (the chart's summary for readers without the chart)."""
    top = links.sort("persons", "source_label", "target_label", descending=[True, False, False]).head(3)
    items = "; ".join(
        f"{r['source_label']} → {r['target_label']}: {fmt_number(r['persons'], lang)}"
        for r in top.iter_rows(named=True)
    )
    return M("flows.summary", items=items or "–").text(lang)


def other_text(links: pl.DataFrame, lang: str) -> str:
    """How many persons 'übrige' holds, of all on the diagram ("" when none)."""
    share = other_share(links)
    if not share:
        return ""
    total = int(links["persons"].sum())
    merged = int(links.filter((pl.col("source") == OTHER) | (pl.col("target") == OTHER))["persons"].sum())
    return M(
        "flows.other_share",
        persons=fmt_number(merged, lang),
        total=fmt_number(total, lang),
        share=fmt_value(share, "share", lang),
    ).text(lang)


def link_table(key: str, title: Text, sheet: Text, links: pl.DataFrame, expander: Text | None) -> Table:
    return Table(
        key,
        title,
        sheet,
        (
            Column("source_label", M("flows.source_col")),
            Column("target_label", M("flows.target_col")),
            Column("persons", M("persons"), "count"),
            Column("merged", M("flows.merged"), "count"),
        ),
        links.select("source_label", "target_label", "persons", "merged"),
        expander=expander,
        static=True,  # WZ/KldB names of up to 90 characters wrap instead of widening the grid
    )


def _caption(*parts: str) -> Note:
    """A caption of data texts (names, labels), shown literally."""
    return Note(" ".join(p for p in parts if p), "legend")


def flows_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    scope, grouped, digits = flows_options(filters)
    end = min(quarter.end, filters.data_until or quarter.end)
    start = settings.project_start if scope == "cumulative" else quarter.start
    period = (
        M("flows.period_cumulative", start=fmt_date(start, lang), end=fmt_date(end, lang)).text(lang)
        if scope == "cumulative"
        else quarter.label()
    )
    status = db.data_status(con)
    # a free union of Kreise gets no case figures (the one suppression pattern, issue #12)
    withheld = kpi.selection_withheld(con, settings, list(filters.ags), filters.protected)
    flows = flow_view(
        con,
        start,
        end,
        [] if withheld else list(filters.ags),
        settings,
        lang=lang,
        grouped=grouped,
        kldb_digits=digits,
        protected=filters.protected,
    )
    definition = automotive_definition(settings.automotive, lang)
    source = M("source_label", source=M("flows.source")).text(lang)
    count = "*" if flows.transitions is None or withheld else fmt_number(flows.transitions, lang)
    blocks: list = [
        Note(M("flows.subtitle", region=filters.region_label, period=period)),
        Note(M("flows.count", n=count, definition=definition), "legend"),
    ]
    if withheld:
        blocks.append(Note(M("case.custom_selection"), "info"))
    if filters.protected:
        blocks.append(Note(M("flows.quarter_only"), "legend"))
    if filters.data_until is not None and filters.data_until < quarter.end:
        blocks.append(Note(M("running_quarter", until=fmt_date(filters.data_until, lang))))
    merge_note = M("flows.merge_note").text(lang) if filters.protected else ""
    if flows.sector_links.is_empty():
        blocks.append(Note(M("flows.none"), "info"))
    else:
        head = M("flows.sector_head").text(lang)
        coarser = M("flows.coarser_sector").text(lang) if flows.sector_level == "section" else ""
        blocks += [
            Heading(M("flows.sector_head")),
            Chart("sankey_sector", sankey_chart(flows.sector_links, lang, head, source), "sector"),
            _caption(
                summary(flows.sector_links, lang), other_text(flows.sector_links, lang), coarser, merge_note
            ),
            link_table(
                "sector",
                M("flows.sector_head"),
                M("flows.sheet_sector"),
                flows.sector_links,
                M("chart_table"),
            ),
        ]
        head = M("flows.occupation_head").text(lang)
        coarser = (
            M("flows.coarser_kldb", digits=flows.kldb_digits).text(lang) if flows.kldb_digits < digits else ""
        )
        blocks += [
            Heading(M("flows.occupation_head")),
            Chart(
                "sankey_occupation", sankey_chart(flows.occupation_links, lang, head, source), "occupation"
            ),
            _caption(
                summary(flows.occupation_links, lang), other_text(flows.occupation_links, lang), coarser
            ),
            link_table(
                "occupation",
                M("flows.occupation_head"),
                M("flows.sheet_occupation"),
                flows.occupation_links,
                M("chart_table"),
            ),
        ]
        blocks.append(Heading(M("flows.map_head")))
        if flows.has_geometry:
            legend = (
                (M("flows.legend_moves").text(lang), OKABE_ITO[0]),
                (M("flows.legend_stays").text(lang), OKABE_ITO[2]),
            )
            deck = arc_deck(flows.region_links, kreis_geometry(con), lang)
            blocks.append(Map("arc_map", deck, ((M("flows.map_legend"), legend),)))
            attribution = status.bkg_attribution() or "© GeoBasis-DE / BKG (Daten verändert)"
            blocks.append(Note(M("flows.map_note", geo=M("regions.geo", attribution=attribution))))
        else:
            blocks.append(Note(M("flows.no_geo", command=M("geo_missing")), "info"))
        blocks += [
            _caption(summary(drawable_arcs(flows.region_links), lang), other_text(flows.region_links, lang)),
            link_table(
                "region",
                M("flows.map_head"),
                M("flows.sheet_region"),
                flows.region_links,
                M("chart_table") if flows.has_geometry else None,
            ),
        ]

    shares = flows.shares.select(
        "label",
        *SHARE_COLUMNS,
        *[
            c
            for c in flows.shares.columns
            if c.endswith("__suppressed") and c.split("__")[0] in SHARE_COLUMNS
        ],
    )
    blocks += [
        Heading(M("flows.shares_head")),
        Table(
            "shares",
            M("flows.shares_head"),
            M("flows.sheet_shares"),
            (
                Column("label", M("flows.row")),
                *(
                    Column(
                        c,
                        M(f"flows.{c}"),
                        SHARE_UNITS[c],
                        None if c == "transitions" else M(f"flows.{c}_short"),
                    )
                    for c in SHARE_COLUMNS
                ),
            ),
            shares,
        ),
    ]
    if filters.protected and has_suppression(shares):
        blocks.append(Note(M("suppression_legend"), "legend"))
    blocks.append(Note(M("flows.definitions"), "definitions"))
    definitions: list = [(M("flows.transition"), M("flows.def_text")), ("WZ", definition)]
    if filters.protected:
        definitions += [("*", M("suppression_legend")), (M("flows.merged"), M("flows.merge_note"))]
    return View(
        page="flows",
        lang=lang,
        title=M("flows.title"),
        blocks=tuple(blocks),
        source=M("flows.source"),
        as_of=fmt_date(filters.data_until, lang),
        filters=(
            *region_and_period(filters),
            (M("flows.scope"), period),
        ),
        file_name=f"uebergaenge_{quarter.label().replace(' ', '_')}.xlsx",
        demo=status.is_demo,
        protected=filters.protected,
        definitions=tuple(definitions),
    )
