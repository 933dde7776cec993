"""The view of Automobilwirtschaft (design §4, §5): the share of SvB (place of work) in the
configured automotive definition by Kreis, the selection against its Agentur district and
Land, a map with the network's releasing and receiving firms, the ranking and the definition."""

from __future__ import annotations

import duckdb
import polars as pl

from analytics import automotive as auto
from analytics import db, maps
from analytics import labour_market as lm
from analytics.disclosure import flag_column
from analytics.formatting import fmt_change, fmt_date, fmt_number, fmt_percent, fmt_value
from analytics.periods import Quarter, until_quarter
from analytics.regional import comparison_areas, source_labels, source_note
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

INDICATORS = ("share", "svb_sector", "svb_sector_change", "svb_sector_change_pct", "share_change")
# share_change is shown and exported in percentage points (the frame holds it × 100)
UNITS = {
    "share": "share",
    "svb_sector": "count",
    "svb_total": "count",
    "svb_sector_change": "count",
    "svb_sector_change_pct": "share",
    "share_change": "pp",
    "share_prev": "share",
    "svb_sector_prev": "count",
    "svb_total_prev": "count",
}
EXPORT = (
    "svb_sector",
    "svb_total",
    "share",
    "svb_sector_prev",
    "svb_total_prev",
    "share_prev",
    "svb_sector_change",
    "svb_sector_change_pct",
    "share_change",
)
ROLES = ("releasing", "receiving", "both")
# on screen the wide tables are split: levels (now and a year before), changes on the year
LEVELS = EXPORT[:6]
CHANGES = EXPORT[6:]
SHORT = {
    "svb_sector": M("auto.short_svb_sector"),
    "svb_total": M("auto.short_svb_total"),
    "share": M("auto.short_share"),
    "svb_sector_change": M("auto.short_svb_sector"),
    "svb_sector_change_pct": M("regions.short_pct", measure=M("auto.short_svb_sector")),
    "share_change": M("auto.short_share_change"),
}


def _short(column: str):
    """The header on screen under the part's title ("Stand und Vorjahr", "Veränderung")."""
    if column.endswith("_prev"):
        return M("regions.short_prev", measure=SHORT[column.removesuffix("_prev")])
    return SHORT[column]


def _export_column(column: str) -> Column:
    return Column(column, _label(column), UNITS[column], _short(column))


def _label(column: str):
    if column.endswith("_prev"):
        return M("auto.previous_of", measure=M(f"auto.{column.removesuffix('_prev')}"))
    return M(f"auto.{column}")


def _points(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("share_change") * 100)


def automotive_choices(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> dict:
    """The page's widgets: definitions, the reference dates up to the sidebar quarter (latest
    first; never a later figure), indicators."""
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    dates = auto.reference_dates(con)
    return {
        "scopes": {s: auto.SCOPE_LABELS[s][0 if lang == "de" else 1] for s in auto.SCOPES},
        "dates": until_quarter(dates, quarter)[::-1] or dates[:1],
        "date_labels": {d: fmt_date(d, lang) for d in dates},
        "indicators": {i: M(f"auto.{i}").text(lang) for i in INDICATORS},
    }


def automotive_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    lang = filters.lang
    quarter = Quarter.parse(filters.quarter)
    status = db.data_status(con)
    choices = automotive_choices(con, settings, filters)
    base = dict(
        page="automotive",
        lang=lang,
        title=M("auto.title"),
        demo=status.is_demo,
        protected=filters.protected,
    )
    if not choices["dates"]:
        return View(
            **base,
            blocks=(Note(M("auto.intro")), Note(M("auto.no_data"), "info")),
            source=M("regions.source_none"),
            as_of="",
            filters=region_and_period(filters),
            file_name="automobil.xlsx",
        )
    scope = filters.option("scope", "core")
    scope = scope if scope in auto.SCOPES else "core"
    reference_date = filters.option("date")
    reference_date = reference_date if reference_date in choices["dates"] else choices["dates"][0]
    indicator = filters.option("indicator", "share")
    indicator = indicator if indicator in INDICATORS else "share"
    show_firms = bool(filters.option("firms", True))
    unit = UNITS[indicator]
    date_text = fmt_date(reference_date, lang)

    blocks: list = [Note(M("auto.intro"))]
    if reference_date < quarter.end and reference_date == choices["dates"][0]:
        blocks.append(Note(M("auto.date_earlier", quarter=quarter.label(), date=date_text)))
    definition = auto.definition_table(con, settings.automotive, scope)
    title_column = "title_de" if lang == "de" else "title_en"
    items = "; ".join(
        f"{M(f'auto.{tier}').text(lang)} WZ {wz} {title}"
        for wz, tier, title in definition.select("wz", "tier", title_column).rows()
    )
    blocks.append(Note(M("auto.definition_line", items=items)))
    source = M("auto.source", date=date_text, demo=M("demo_suffix") if status.is_demo else "")

    sector_codes = auto.codes(settings.automotive, scope)
    region_frame = regions(con)
    areas = comparison_areas(region_frame, filters.ags, filters.region_label)
    published = auto.published_share(con, sector_codes, reference_date)
    # every Kreis is shown (map, ranking) beside the published area values
    kreise = auto.protect_kreise(auto.automotive_share(con, sector_codes, reference_date), areas, published)
    kreise = _points(kreise)
    compare = _points(
        auto.area_shares(
            kreise.with_columns(pl.col("share_change") / 100), areas, published, shown=tuple(kreise["ags"])
        )
    )
    notes = {a.key: source_note(compare, a) for a in areas}

    metrics = []
    yoy = M("regions.yoy").text(lang)
    for area, row in zip(areas, compare.iter_rows(named=True), strict=True):
        change = (
            fmt_change(row["svb_sector_change"], "count", lang, row["svb_sector_change__suppressed"]) or "–"
        )
        caption = M(
            "auto.metric_caption",
            sector=fmt_value(row["svb_sector"], "count", lang, row["svb_sector__suppressed"]),
            change=f"{change} {yoy}",
            total=fmt_value(row["svb_total"], "count", lang, row["svb_total__suppressed"]),
        ).text(lang)
        metrics.append(
            Metric(
                area.key,
                area.label(lang),
                row["share"],
                "share",
                bool(row["share__suppressed"]),
                None if row["share_change"] is None else row["share_change"] / 100,
                bool(row["share_change__suppressed"]),
                help=M("auto.share"),
                caption=" · ".join(
                    [caption, *([notes[area.key].text(lang)] if notes[area.key] else []), area.note(lang)]
                ).rstrip(" ·"),
                delta_suffix=M("regions.yoy"),
            )
        )
    per_row = fitting_per_row([m.label for m in metrics], most=len(metrics))
    blocks += [Heading(M("auto.compare")), MetricGrid(tuple(metrics), per_row=per_row)]

    # --- map with the network's firms ---------------------------------------------------
    values = kreise[indicator].to_list()
    withheld = kreise[flag_column(indicator)].to_list()
    if indicator in ("share", "svb_sector"):
        scale = maps.colour_scale(values, "sequential", palette=maps.BLUES)
        legend_note = M("auto.legend_sequential")
    else:
        scale = maps.colour_scale(values, "diverging", 0.0)
        legend_note = M("auto.legend_diverging")
    fmt_class = {
        "share": lambda v: fmt_percent(v, lang, 2),
        "count": lambda v: fmt_number(v, lang),
        "pp": lambda v: f"{fmt_number(v, lang, 2)} {'Pp.' if lang == 'de' else 'pp'}",
    }[unit]
    colours = [scale.colour(v, w) for v, w in zip(values, withheld, strict=True)]
    role_labels = {r: M(f"auto.{r}").text(lang) for r in ROLES}
    firms = auto.visible_firms(con, filters.role)  # firm names: agency only (#13)
    blocks.append(Heading(M("auto.map")))
    geometry = kreis_geometry(con)
    if geometry is not None:
        tips = maps.tooltip_texts(
            kreise.with_columns(pl.col("share_change") / 100),
            "name",
            [
                maps.TipLine(
                    M(f"auto.{indicator}").text(lang), indicator, "points" if unit == "pp" else unit
                ),
                maps.TipLine(M("auto.svb_sector").text(lang), "svb_sector", "count"),
                maps.TipLine(M("auto.svb_total").text(lang), "svb_total", "count"),
                maps.TipLine(M("auto.share").text(lang), "share", "share"),
            ],
            lang,
        )
        layers = [maps.choropleth_layer(geometry, kreise, colours, tips)]
        if show_firms and firms.height:
            layers.append(maps.firm_layer(firms, role_labels, "WZ", lang))
        roles = sorted(set(firms["role"]) if firms.height else set())
        firm_entries = tuple((role_labels.get(r, r), maps.FIRM_COLOURS.get(r, "#000000")) for r in roles)
        legends = [(M("auto.legend", indicator=M(f"auto.{indicator}")), tuple(scale.legend(fmt_class, lang)))]
        if show_firms and firm_entries:
            legends.append((M("auto.firms_legend"), firm_entries))
        blocks.append(Map("map", maps.deck(layers), tuple(legends)))
    else:
        blocks.append(Note(M("regions.no_geometry", command=M("geo_missing")), "info"))
    blocks.append(Note(legend_note))

    # --- ranking ------------------------------------------------------------------------------
    ranked = lm.ranked(kreise, indicator, descending=True)
    shown = list(dict.fromkeys([indicator, "svb_sector", "svb_total", "share"]))
    blocks.append(Heading(M("auto.ranking")))
    blocks.append(
        Table(
            "ranking",
            M("auto.ranking_title", date=date_text),
            M("auto.ranking"),
            (
                Column("rank", M("regions.rank"), "count"),
                Column("name", M("regions.kreis")),
                *(Column(c, M(f"auto.{c}"), UNITS[c]) for c in shown),
            ),
            ranked.select("rank", "name", *shown, *[flag_column(c) for c in shown]),
        )
    )
    summary = ranking_summary("auto.summary", ranked, indicator, unit, lang)
    if summary is not None:
        blocks.append(summary)
    attribution = status.bkg_attribution()
    geo = M("regions.geo", attribution=attribution) if attribution else ""
    blocks.append(Note(M("regions.source_line", source=source, geo=geo)))
    blocks.append(Note(M("auto.withheld_note"), "legend"))
    flags = [flag_column(c) for c in EXPORT if flag_column(c) in kreise.columns]
    blocks.append(
        Table(
            "kreise",
            M("auto.kreise_title", date=date_text),
            M("regions.sheet_kreise"),
            (
                Column("ags", "AGS"),
                Column("name", M("regions.kreis")),
                Column("agentur", M("regions.agentur")),
                Column("land_name", M("regions.land")),
                *(_export_column(c) for c in EXPORT),
            ),
            kreise.select("ags", "name", "agentur", "land_name", *EXPORT, *flags),
            expander=M("auto.map_table"),
            parts=(
                TablePart(M("regions.part_master"), ("name", "ags", "agentur", "land_name")),
                TablePart(M("regions.part_levels"), ("name", *LEVELS)),
                TablePart(M("regions.part_changes"), ("name", *CHANGES)),
            ),
        )
    )
    firm_frame = firms.select(
        "name",
        pl.col("role").replace_strict(role_labels, default=pl.col("role")).alias("role"),
        "wz",
        pl.col(f"wz_{title_column}").alias("wz_title"),
        "kreis",
    )
    blocks.append(
        Table(
            "firms",
            M("auto.firms_legend"),
            M("auto.sheet_firms"),
            (
                Column("name", M("auto.firm")),
                Column("role", M("auto.role")),
                Column("wz", M("auto.wz")),
                Column("wz_title", M("auto.wz_title")),
                Column("kreis", M("regions.kreis")),
            ),
            firm_frame,
            expander=M("auto.firms"),
            static=True,  # WZ titles wrap
        )
    )
    blocks.append(
        Table(
            "compare",
            M("auto.compare"),
            M("regions.sheet_compare"),
            (
                Column("area_label", M("regions.area")),
                # full labels: the HTML table wraps them
                *(Column(c, _label(c), UNITS[c]) for c in EXPORT),
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
    blocks.append(
        Table(
            "definition",
            M("auto.definition"),
            M("auto.sheet_definition"),
            (Column("wz", M("auto.wz")), Column("tier", M("auto.tier")), Column("title", M("auto.wz_title"))),
            definition.select(
                "wz",
                pl.col("tier").replace_strict({t: M(f"auto.{t}").text(lang) for t in ("core", "supplier")}),
                pl.col(title_column).alias("title"),
            ),
            expander=M("auto.definition"),
        )
    )
    return View(
        **base,
        blocks=tuple(blocks),
        source=source,
        as_of=date_text,
        filters=(
            *region_and_period(filters),
            (M("auto.scope"), choices["scopes"][scope]),
            (M("auto.date"), date_text),
        ),
        file_name=f"automobil_{scope}_{reference_date.isoformat()}.xlsx",
        definitions=(
            (M("auto.share"), M("auto.intro")),
            (M("auto.share_change"), M("auto.share_change_definition")),
            ("*", M("auto.withheld_note")),
        ),
    )
