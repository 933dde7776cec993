"""The view of Trends (design §1, §4): quarterly BA figures of the selection against its
Agentur district and Land (those that differ from it), an index, the network's entries and
transitions, and the change against the same quarter a year earlier."""

from __future__ import annotations

import duckdb
import polars as pl

from analytics import automotive as auto
from analytics import db, kpi
from analytics import labour_market as lm
from analytics.charts import line_chart, quarterly_targets_chart
from analytics.disclosure import flag_column
from analytics.formatting import fmt_date, fmt_month, fmt_number, fmt_value
from analytics.periods import Quarter, until_quarter
from analytics.regional import Area, comparison_areas, latest_rows, pivot_areas, source_note
from analytics.regions import regions
from analytics.settings import Settings
from analytics.views.model import Chart, Column, Heading, M, Msg, Note, Table, View, ViewFilters
from analytics.views.overview import region_and_period

MEASURES = ("unemployed", "vacancies", "svb")
NETWORK_COLUMNS = ("entries", "transitions", "target_entries", "target_transitions")


def trends_choices(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> dict:
    """The page's select boxes: occupations (KldB 2-digit) and sectors (WZ divisions and the
    configured automotive scopes), code -> label in the view's language."""
    lang = filters.lang
    title = "title_de" if lang == "de" else "title_en"
    occupations = lm.occupation_choices(con).filter(pl.col("level") == 2)
    sectors = auto.wz_divisions(con)
    occupation_labels = {"TOTAL": M("trends.all_occupations").text(lang)} | {
        code: f"{code} – {label}" for code, label in zip(occupations["code"], occupations[title], strict=True)
    }
    sector_labels = {
        "core": M("trends.auto_core").text(lang),
        "extended": M("trends.auto_extended").text(lang),
        "all": M("trends.all_sectors").text(lang),
    } | {
        f"{code}": f"WZ {code} – {label}" for code, label in zip(sectors["code"], sectors[title], strict=True)
    }
    return {
        "occupations": occupation_labels,
        "sectors": sector_labels,
        "measures": {m: M(f"trends.{m}").text(lang) for m in MEASURES},
    }


def _sector_codes(settings: Settings, sector: str) -> tuple[str, ...] | None:
    if sector in auto.SCOPES:
        return tuple(auto.codes(settings.automotive, sector))
    return None if sector == "all" else (sector,)


def _demo(is_demo: bool) -> Msg | str:
    return M("demo_suffix") if is_demo else ""


def _intro(filters: ViewFilters, areas: list) -> Msg:
    keys = {a.key for a in areas}
    if {"agentur", "land"} <= keys:
        compared = M("trends.with_agentur_land")
    elif "agentur" in keys:
        compared = M("trends.with_agentur")
    elif "land" in keys:
        compared = M("trends.with_land")
    else:
        compared = M("trends.with_nothing")
    return M("trends.intro", region=filters.region_label, compared=compared)


def comparison_sources(areas: list[Area], frames: list[pl.DataFrame], lang: str) -> str:
    """Which comparison areas are published Land/Agentur values and which sums of Kreise."""
    frame = pl.concat([f.select("area", "source") for f in frames if "source" in f.columns])
    items = [
        M("regional.source_item", area=area.label(lang), source=note).text(lang)
        for area in areas
        if (note := source_note(frame, area)) is not None
    ]
    return M("regional.source_line", sources="; ".join(items)).text(lang) if items else ""


def trends_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    choices = trends_choices(con, settings, filters)
    kldb = filters.option("kldb", "TOTAL")
    kldb = kldb if kldb in choices["occupations"] else "TOTAL"
    sector = filters.option("sector", "core")
    sector = sector if sector in choices["sectors"] else "core"
    occupation_title = choices["occupations"][kldb]
    sector_title = choices["sectors"][sector]
    sector_codes = _sector_codes(settings, sector)
    label_column = "area_label_de" if lang == "de" else "area_label_en"
    status = db.data_status(con)

    areas = comparison_areas(regions(con), filters.ags, filters.region_label)
    area_labels = {a.key: a.label(lang) for a in areas}
    blocks: list = [Note(_intro(filters, areas))]
    if sector_codes is not None and sector in auto.SCOPES:
        blocks.append(Note(M("trends.scope_codes", scope=sector_title, codes=", ".join(sector_codes))))
    for area in areas:
        if area.note(lang):
            blocks.append(Note(f"{area.label(lang)}: {area.note(lang)}"))

    source_ba = M(
        "trends.source_ba",
        lm=fmt_month(status.labour_market_until, lang),
        svb=fmt_date(status.employment_until, lang),
    ).text(lang)
    source_network = M("source_label", source=M("source_cases_targets")).text(lang)
    chart_source = source_ba.replace("; SvB", ";<br>SvB")  # plotly annotations do not wrap

    # never a figure after the sidebar quarter
    months = until_quarter(lm.months_available(con), quarter)
    dates = until_quarter(auto.reference_dates(con), quarter)
    labour = lm.quarterly_by_area(con, kldb, areas, months[0], months[-1]) if months else pl.DataFrame()
    employment = (
        auto.quarterly_by_area(
            con, None if sector_codes is None else list(sector_codes), areas, dates[0], dates[-1]
        )
        if dates
        else pl.DataFrame()
    )
    if not labour.is_empty():
        labour = lm.year_on_year(labour, ["unemployed", "vacancies"])
    if not employment.is_empty():
        employment = lm.year_on_year(lm.add_quarter_label(employment), ["svb"])
    if labour.is_empty() and employment.is_empty():
        blocks.append(Note(M("trends.no_ba_data", quarter=quarter.label()), "info"))
    else:
        sources = comparison_sources(areas, [labour, employment], lang)
        if sources:
            blocks.append(Note(sources))

    # --- unemployed and vacancies of the selection (table: every area) -------------------
    if not labour.is_empty():
        selection = labour.filter(pl.col("area") == "selection")
        title = M("trends.chart_lm", region=filters.region_label, occupation=occupation_title)
        figure = line_chart(
            selection,
            "quarter",
            {"unemployed": M("trends.unemployed").text(lang), "vacancies": M("trends.vacancies").text(lang)},
            lang,
            title.text(lang),
            chart_source,
            M("persons").text(lang),
        )
        blocks.append(Chart("lm_chart", figure, "labour_market"))
        if selection.height:  # a selection without BA rows of its own has no summary
            last = selection.row(-1, named=True)
            blocks.append(
                Note(
                    M(
                        "trends.summary_lm",
                        quarter=last["quarter"],
                        region=filters.region_label,
                        unemployed=fmt_value(
                            last["unemployed"], "count", lang, last["unemployed__suppressed"]
                        ),
                        vacancies=fmt_value(last["vacancies"], "count", lang, last["vacancies__suppressed"]),
                    )
                )
            )
        blocks.append(
            Table(
                "labour_market",
                title,
                M("trends.sheet_lm"),
                (
                    Column(label_column, M("trends.area")),
                    Column("quarter", M("quarter")),
                    Column("unemployed", M("trends.unemployed"), "count"),
                    Column("vacancies", M("trends.vacancies"), "count"),
                ),
                labour.select(
                    label_column,
                    "quarter",
                    "unemployed",
                    "unemployed__suppressed",
                    "vacancies",
                    "vacancies__suppressed",
                ),
                expander=M("chart_table"),
            )
        )

    # --- SvB in the chosen sector: the selection's level, every area in the table -------
    if not employment.is_empty():
        wide_svb = lm.add_quarter_label(pivot_areas(employment, "svb"))
        title = M("trends.chart_svb", sector=sector_title, region=filters.region_label)
        figure = line_chart(
            wide_svb,
            "quarter",
            {"selection": area_labels["selection"]},
            lang,
            title.text(lang),
            chart_source,
            M("persons").text(lang),
        )
        blocks.append(Chart("svb_chart", figure, "svb"))
        # only the areas with SvB rows (a selection without BA rows of its own has none)
        svb_labels = {k: label for k, label in area_labels.items() if k in wide_svb.columns}
        last = wide_svb.row(-1, named=True)
        values = "; ".join(
            f"{label} {fmt_value(last.get(k), 'count', lang, bool(last.get(flag_column(k))))}"
            for k, label in svb_labels.items()
        )
        blocks.append(Note(M("trends.summary_svb", quarter=last["quarter"], values=values)))
        blocks.append(
            Table(
                "svb",
                title,
                M("trends.sheet_svb"),
                (
                    Column("quarter", M("quarter")),
                    *(Column(k, label, "count") for k, label in svb_labels.items()),
                ),
                wide_svb.select(
                    "quarter",
                    *svb_labels,
                    *[flag_column(k) for k in svb_labels if flag_column(k) in wide_svb.columns],
                ),
                expander=M("chart_table"),
            )
        )

    # --- index: every area relative to its first quarter ---------------------------------
    available = [
        m
        for m, frame in (("unemployed", labour), ("vacancies", labour), ("svb", employment))
        if not frame.is_empty()
    ]
    if available:
        measure = filters.option("measure", available[0])
        if measure not in available:
            blocks.append(
                Note(
                    M(
                        "trends.index_fallback",
                        measure=M(f"trends.{measure}"),
                        used=M(f"trends.{available[0]}"),
                    )
                )
            )
            measure = available[0]
        with_index = lm.indexed(employment if measure == "svb" else labour, measure)
        wide_index = lm.add_quarter_label(pivot_areas(with_index, f"{measure}_index"))
        first = wide_index["quarter"][0]
        title = M("trends.chart_index", measure=M(f"trends.{measure}"), first=first)
        figure = line_chart(
            wide_index,
            "quarter",
            area_labels,
            lang,
            title.text(lang),
            chart_source,
            M("trends.index").text(lang),
            tickformat=",.0f",
            hoverformat=",.1f",
            from_zero=False,
        )
        blocks.append(Chart("index_chart", figure, "index"))
        index_labels = {k: label for k, label in area_labels.items() if k in wide_index.columns}
        last = wide_index.row(-1, named=True)
        values = "; ".join(f"{label} {fmt_number(last.get(k), lang, 1)}" for k, label in index_labels.items())
        blocks.append(Note(M("trends.summary_index", quarter=last["quarter"], values=values)))
        blocks.append(
            Table(
                "index",
                title,
                M("trends.index"),
                (
                    Column("quarter", M("quarter")),
                    *(Column(k, label, "index") for k, label in index_labels.items()),
                ),
                wide_index.select("quarter", *[pl.col(k).round(1) for k in index_labels]),
                expander=M("chart_table"),
            )
        )

    # --- the network ------------------------------------------------------------------------
    until = min(quarter.end, filters.data_until or quarter.end)
    network = kpi.label_quarters(
        kpi.quarterly_series(con, list(filters.ags), settings, until, protected=filters.protected),
        until,
        lang,
    )
    labels = {name: M(name).text(lang) for name in NETWORK_COLUMNS} | {"axis": M("persons").text(lang)}
    title = M("trends.chart_network", region=filters.region_label)
    figure = quarterly_targets_chart(
        network.filter(~pl.col("is_total")), labels, lang, title.text(lang), source_network
    )
    blocks.append(Chart("network_chart", figure, "network"))
    if kpi.selection_withheld(con, settings, list(filters.ags), filters.protected):
        blocks.append(Note(M("case.custom_selection"), "info"))
    blocks.append(
        Table(
            "network",
            title,
            M("trends.sheet_network"),
            (Column("quarter", M("quarter")), *(Column(c, M(c), "count") for c in NETWORK_COLUMNS)),
            network.drop("quarter_start", "complete", "is_total"),
            expander=M("chart_table"),
        )
    )
    network_yoy = lm.year_on_year(
        network.filter(~pl.col("is_total")).with_columns(
            pl.lit("selection").alias("area"),
            pl.lit(filters.region_label).alias("area_label_de"),
            pl.lit(filters.region_label).alias("area_label_en"),
        ),
        ["entries", "transitions"],
    )

    # --- year on year ------------------------------------------------------------------------
    blocks.append(Heading(M("trends.yoy_title")))
    parts = []
    if not labour.is_empty():
        parts.append(
            latest_rows(
                labour,
                ["unemployed", "vacancies"],
                {
                    "unemployed": M("trends.unemployed").text(lang),
                    "vacancies": M("trends.vacancies").text(lang),
                },
            )
        )
    if not employment.is_empty():
        parts.append(
            latest_rows(employment, ["svb"], {"svb": f"{M('trends.svb').text(lang)} {sector_title}"})
        )
    parts.append(
        latest_rows(
            network_yoy,
            ["entries", "transitions"],
            {"entries": M("entries").text(lang), "transitions": M("transitions").text(lang)},
        )
    )
    yoy = pl.concat([p for p in parts if not p.is_empty()], how="diagonal_relaxed")
    flags = [c for c in yoy.columns if c.endswith("__suppressed")]
    blocks.append(
        Table(
            "yoy",
            M("trends.yoy_title"),
            M("trends.sheet_yoy"),
            (
                Column("measure", M("trends.measure")),
                Column(label_column, M("trends.area")),
                Column("quarter", M("quarter")),
                Column("value", M("trends.value"), "count"),
                Column("change", M("trends.change"), "count"),
                Column("change_pct", M("trends.change_pct"), "share"),
            ),
            yoy.select("measure", label_column, "quarter", "value", "change", "change_pct", *flags),
            static=True,  # measures and areas with long names wrap
        )
    )
    blocks.append(Note(M("trends.complete_only")))
    blocks.append(Note(M("trends.source", ba=source_ba, network=source_network, demo=_demo(status.is_demo))))
    blocks.append(Note(M("trends.withheld_note", disclosure=M("suppression_legend")), "legend"))
    return View(
        page="trends",
        lang=lang,
        title=M("trends.title"),
        blocks=tuple(blocks),
        source=M("trends.source", ba=source_ba, network=source_network, demo=_demo(status.is_demo)),
        as_of=fmt_month(status.labour_market_until, lang),
        filters=(
            *region_and_period(filters),
            (M("trends.occupation"), occupation_title),
            (M("trends.sector"), sector_title),
        ),
        file_name=f"trends_{kldb}_{sector}.xlsx",
        demo=status.is_demo,
        protected=filters.protected,
        definitions=(
            (M("quarter"), _intro(filters, areas)),
            (M("trends.index"), M("trends.chart_index", measure="…", first="…")),
            ("*", M("trends.withheld_note", disclosure=M("suppression_legend"))),
        ),
    )
