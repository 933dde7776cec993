"""The view of Regionen (design §4, §5): unemployed and vacancies by Kreis for one month or
quarter: the selection against its Agentur district and Land, a map, the ranking of the
Kreise, the comparison, and the occupation groups of one Kreis with the largest surplus."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from analytics import db, maps
from analytics import labour_market as lm
from analytics.disclosure import flag_column
from analytics.formatting import fmt_month, fmt_number, fmt_percent, fmt_value
from analytics.periods import Quarter, until_quarter, within_quarter
from analytics.regional import Area, comparison_areas, land_areas, lands_area, source_labels, source_note
from analytics.regions import regions
from analytics.settings import Settings
from analytics.static_geometry import kreis_geometry
from analytics.views.model import (
    Column,
    Heading,
    M,
    Map,
    Metric,
    MetricGrid,
    Note,
    Table,
    TablePart,
    View,
    ViewFilters,
    fitting_per_row,
    ranking_summary,
)
from analytics.views.overview import region_and_period

EXPORT = (
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
)
# on screen the wide tables are split: levels (now and a year before), changes on the year
LEVELS = EXPORT[:6]
CHANGES = EXPORT[6:]


def _pair(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "de" else pair[1]


def _export_unit(column: str) -> str:
    if column.endswith("_pct"):
        return "share"
    return "ratio" if column.startswith("ratio") else "count"


def _export_label(column: str) -> object:
    measure, _, rest = column.partition("_")
    base = M(f"regions.{measure}")
    suffix = {"prev": "regions.previous", "change": "regions.change", "change_pct": "regions.change_pct"}
    return base if not rest else M("regions.measure_with", measure=base, what=M(suffix[rest]))


def _export_short(column: str) -> object:
    """The header on screen under the part's title ("Stand und Vorjahr", "Veränderung")."""
    measure, _, rest = column.partition("_")
    base = M(f"regions.short_{measure}")
    if rest == "prev":
        return M("regions.short_prev", measure=base)
    return M("regions.short_pct", measure=base) if rest == "change_pct" else base


def _export_column(column: str) -> Column:
    return Column(column, _export_label(column), _export_unit(column), _export_short(column))


def period_choices(months: list[date], quarter: Quarter, kind: str) -> tuple[str, list[date]]:
    """The periods the sidebar quarter allows: its months (latest first), or the quarter
    itself when complete; else the latest month before it (never a later figure)."""
    if kind == "month":
        starts = within_quarter(months, quarter)[::-1] or until_quarter(months, quarter)[-1:]
    else:
        starts = until_quarter(lm.complete_quarters(months), quarter)[-1:]
    if not starts:
        return "month", until_quarter(months, quarter)[-1:] or months[:1]
    return kind, starts


def regions_choices(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> dict:
    """The page's widgets: indicators, displays, occupations, the periods per kind, the Kreise."""
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    months = lm.months_available(con)
    title = "title_de" if lang == "de" else "title_en"
    occupations = lm.occupation_choices(con)
    occupation_labels = {"TOTAL": M("regions.all_occupations").text(lang)} | {
        code: ("" if level == 2 else "\u2003") + f"{code} – {label}"
        for code, level, label in zip(
            occupations["code"], occupations["level"], occupations[title], strict=True
        )
    }
    frame = regions(con)
    names = dict(zip(frame["ags"], frame["name"], strict=True))
    kreise = list(filters.ags) + [a for a in frame["ags"] if a not in filters.ags]
    return {
        "indicators": {i: _pair(lm.INDICATOR_LABELS[i], lang) for i in lm.INDICATORS},
        "views": {v: _pair(lm.VIEW_LABELS[v], lang) for v in lm.VIEWS},
        "occupations": occupation_labels,
        "kinds": {k: M(f"regions.{k}").text(lang) for k in ("month", "quarter")},
        "periods": {k: period_choices(months, quarter, k) for k in ("month", "quarter")} if months else {},
        "period_labels": {k: {d: lm.Period(k, d).label(lang) for d in months} for k in ("month", "quarter")},
        "kreise": {a: f"{names[a]} ({a})" for a in kreise if a in names},
    }


def regions_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    status = db.data_status(con)
    choices = regions_choices(con, settings, filters)
    view_base = dict(
        page="regions",
        lang=lang,
        title=M("regions.title"),
        as_of=fmt_month(status.labour_market_until, lang),
        demo=status.is_demo,
        protected=filters.protected,
    )
    if not choices["periods"]:
        return View(
            **view_base,
            blocks=(Note(M("regions.intro")), Note(M("regions.no_data"), "info")),
            source=M("regions.source_none"),
            filters=region_and_period(filters),
            file_name="regionen.xlsx",
        )
    indicator = filters.option("indicator", "ratio")
    indicator = indicator if indicator in lm.INDICATORS else "ratio"
    display = filters.option("view", "level")
    display = display if display in lm.VIEWS else "level"
    kldb = filters.option("kldb", "TOTAL")
    kldb = kldb if kldb in choices["occupations"] else "TOTAL"
    asked = filters.option("kind", "month")
    kind, starts = choices["periods"][asked if asked in ("month", "quarter") else "month"]
    start = filters.option("start")
    start = start if start in starts else starts[0]
    period = lm.Period(kind, start)

    blocks: list = [Note(M("regions.intro"))]
    if start < quarter.start:
        blocks.append(
            Note(M("regions.period_earlier", quarter=quarter.label(), period=period.label(lang)), "info")
        )
    blocks.append(Note(M("regions.quarter_note" if kind == "quarter" else "regions.month_note")))

    column = lm.indicator_column(indicator, display)
    unit = lm.indicator_unit(indicator, display)
    indicator_label = _pair(lm.INDICATOR_LABELS[indicator], lang)
    if display != "level":
        indicator_label = f"{indicator_label}: {_pair(lm.VIEW_LABELS[display], lang)}"
    attribution = status.bkg_attribution()
    source = M(
        "regions.source",
        period=period.label(lang),
        as_of=fmt_month(status.labour_market_until, lang),
        demo=M("demo_suffix") if status.is_demo else "",
    )

    kreise = lm.supply_demand(con, kldb, period)
    published = lm.published_supply_demand(con, kldb, period)
    region_frame = regions(con)
    lands = land_areas(region_frame)
    areas = comparison_areas(region_frame, filters.ags, filters.region_label)
    # every Kreis is shown beside the published Land (and Agentur) values
    kreise = lm.protect_kreise(kreise, [*lands, *areas, lands_area(region_frame)], published)
    shown = tuple(kreise["ags"])
    kreise = lm.with_land_values(kreise, lands, column, published)

    # --- comparison: selection, Agentur, Land ----------------------------------------------
    compare = lm.area_values(kreise, areas, published, shown=shown)
    notes = {a.key: source_note(compare, a) for a in areas}
    metrics = []
    for area, row in zip(areas, compare.iter_rows(named=True), strict=True):
        level = display == "level"
        parts = [
            f"{M(f'regions.{m}').text(lang)}: {fmt_value(row[m], 'count', lang, row[flag_column(m)])}"
            for m in ("unemployed", "vacancies")
        ]
        metrics.append(
            Metric(
                area.key,
                area.label(lang),
                row[column],
                unit,
                bool(row[flag_column(column)]),
                row[f"{indicator}_change"] if level else None,
                bool(row[flag_column(f"{indicator}_change")]) if level else False,
                help=indicator_label,
                caption=" · ".join(
                    [*parts, *([notes[area.key].text(lang)] if notes[area.key] else []), area.note(lang)]
                ).rstrip(" ·"),
                delta_suffix=M("regions.yoy") if level else None,
            )
        )
    per_row = fitting_per_row([m.label for m in metrics], most=len(metrics))
    blocks += [Heading(M("regions.compare")), MetricGrid(tuple(metrics), per_row=per_row)]

    # --- map ----------------------------------------------------------------------------------
    fmt_class = {
        "ratio": lambda v: fmt_number(v, lang, 2),
        "count": lambda v: fmt_number(v, lang),
        "share": lambda v: fmt_percent(v, lang, 2),
    }[unit]
    values = kreise[column].to_list()
    withheld = kreise[flag_column(column)].to_list()
    whole = lm.area_values(kreise, [lands_area(region_frame)], published, shown=shown)
    centre_label = whole["area_label_de" if lang == "de" else "area_label_en"][0]
    centre = whole[column][0] if display == "level" and indicator == "ratio" else None
    if display != "level":
        scale = maps.colour_scale(values, "diverging", 0.0)
        legend_note = M("regions.legend_diverging_zero")
    elif centre is not None:
        scale = maps.colour_scale(values, "diverging", centre)
        legend_note = M(
            "regions.legend_diverging_land", centre_label=centre_label, centre=fmt_value(centre, unit, lang)
        )
    else:
        scale = maps.colour_scale(values, "sequential")
        legend_note = M("regions.legend_sequential")
    colours = [scale.colour(v, w) for v, w in zip(values, withheld, strict=True)]
    blocks.append(Heading(M("regions.map")))
    geometry = kreis_geometry(con)
    if geometry is not None:
        tips = maps.tooltip_texts(
            kreise,
            "name",
            [
                maps.TipLine(indicator_label, column, unit),
                maps.TipLine(M("regions.unemployed").text(lang), "unemployed", "count"),
                maps.TipLine(M("regions.vacancies").text(lang), "vacancies", "count"),
                maps.TipLine(M("regions.land_value").text(lang), "land_value", unit),
            ],
            lang,
        )
        deck = maps.deck([maps.choropleth_layer(geometry, kreise, colours, tips)])
        blocks.append(
            Map(
                "map",
                deck,
                ((M("regions.legend", indicator=indicator_label), tuple(scale.legend(fmt_class, lang))),),
            )
        )
    else:
        blocks.append(Note(M("regions.no_geometry", command=M("geo_missing")), "info"))
    blocks.append(Note(legend_note))

    # --- ranking --------------------------------------------------------------------------
    ranked = lm.ranked(kreise, column, descending=True)
    blocks.append(Heading(M("regions.ranking")))
    blocks.append(
        Table(
            "ranking",
            M("regions.ranking_title", period=period.label(lang)),
            M("regions.ranking"),
            (
                Column("rank", M("regions.rank"), "count"),
                Column("name", M("regions.kreis")),
                Column(column, indicator_label, unit),
                Column("unemployed", M("regions.unemployed"), "count"),
                Column("vacancies", M("regions.vacancies"), "count"),
                Column("land_value", M("regions.land_value"), unit),
            ),
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
        )
    )
    missing = int((ranked[column].is_null() & ~ranked[flag_column(column)]).sum())
    summary = ranking_summary("regions.summary", ranked, column, unit, lang, missing=missing)
    if summary is not None:
        blocks.append(summary)
    blocks.append(
        Note(
            M(
                "regions.source_line",
                source=source,
                geo=M("regions.geo", attribution=attribution) if attribution else "",
            )
        )
    )
    blocks.append(Note(M("regions.withheld_note"), "legend"))
    flags = [flag_column(c) for c in EXPORT if flag_column(c) in kreise.columns]
    blocks.append(
        Table(
            "kreise",
            M("regions.kreise_title", period=period.label(lang)),
            M("regions.sheet_kreise"),
            (
                Column("ags", "AGS"),
                Column("name", M("regions.kreis")),
                Column("agentur", M("regions.agentur")),
                Column("land_name", M("regions.land")),
                *(_export_column(c) for c in EXPORT),
            ),
            kreise.select("ags", "name", "agentur", "land_name", *EXPORT, *flags),
            expander=M("regions.map_table"),
            parts=(
                TablePart(M("regions.part_master"), ("name", "ags", "agentur", "land_name")),
                TablePart(M("regions.part_levels"), ("name", *LEVELS)),
                TablePart(M("regions.part_changes"), ("name", *CHANGES)),
            ),
        )
    )

    # --- detail: occupations of one Kreis --------------------------------------------------
    kreis = filters.option("kreis")
    kreis = kreis if kreis in choices["kreise"] else next(iter(choices["kreise"]))
    kreis_row = region_frame.filter(pl.col("ags") == kreis).row(0, named=True)
    land = next(a for a in lands if a.key == kreis_row["land_code"])
    balance = lm.occupation_balance(con, period, [kreis])
    land_balance = lm.area_balance(
        con, period, land, Area("kreis", kreis_row["name"], kreis_row["name"], (kreis,)), region_frame
    )
    title_column = "title_de" if lang == "de" else "title_en"
    blocks.append(Heading(M("regions.detail")))
    for side in ("unemployed", "vacancies"):
        top = lm.with_comparison(lm.top_surplus(balance, side), land_balance, "land")
        top = top.with_columns(pl.col(title_column).alias("title")).drop("title_de", "title_en")
        heading = M(f"regions.surplus_{side}_of", kreis=kreis_row["name"], period=period.label(lang))
        blocks.append(Note(M("bold", text=heading), "markdown"))
        if not top.height:
            blocks.append(Note(M("regions.none")))
            continue
        measures = [c for c in ("unemployed", "vacancies", "surplus") if c in top.columns]
        columns = [Column("kldb", "KldB"), Column("title", M("regions.group"))]
        columns += [Column(c, M(f"regions.{c}"), "count") for c in measures]
        columns += [
            Column(
                f"{c}_land", M("regions.of_area", measure=M(f"regions.{c}"), area=land.label(lang)), "count"
            )
            for c in measures
            if f"{c}_land" in top.columns
        ]
        keys = [c.key for c in columns]
        blocks.append(
            Table(
                f"top_{side}",
                heading,
                M(f"regions.sheet_{side}"),
                tuple(columns),
                top.select(*keys, *[flag_column(k) for k in keys if flag_column(k) in top.columns]),
                static=True,  # group titles of up to 90 characters wrap
            )
        )
    unranked = int(balance["surplus__suppressed"].sum())
    if unranked:
        blocks.append(Note(M("regions.withheld_groups", n=unranked)))
    blocks.append(
        Table(
            "compare",
            M("regions.compare"),
            M("regions.sheet_compare"),
            (
                Column("area_label", M("regions.area")),
                # full labels: the HTML table wraps them
                *(Column(c, _export_label(c), _export_unit(c)) for c in EXPORT),
                Column("source", M("regional.source_column")),
            ),
            compare.select(
                pl.col("area_label_de" if lang == "de" else "area_label_en").alias("area_label"),
                *EXPORT,
                pl.col("source").replace_strict(source_labels(lang), default=None),
                *[f for f in flags if f in compare.columns],
            ),
            expander=M("regions.compare_table"),
            static=True,  # a few areas with long names
            parts=(
                TablePart(M("regions.part_levels"), ("area_label", *LEVELS)),
                TablePart(M("regions.part_changes"), ("area_label", *CHANGES, "source")),
            ),
        )
    )
    return View(
        **view_base,
        blocks=tuple(blocks),
        source=source,
        filters=(
            *region_and_period(filters),
            (M("regions.occupation"), choices["occupations"][kldb].strip()),
            (M("regions.period"), period.label(lang)),
            (M("regions.kreis"), kreis_row["name"]),
        ),
        file_name=f"regionen_{kldb}_{period.label('de').replace(' ', '_')}.xlsx",
        definitions=(
            (M("regions.ratio"), M("regions.quarter_note")),
            (M("regions.surplus"), M("regions.surplus_definition")),
            ("*", M("regions.withheld_note")),
        ),
    )
