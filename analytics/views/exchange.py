"""The view of the Arbeitsmarktdrehscheibe (#14): for the selected region and horizon the
announced cuts against the needs in reach by occupation group, the timeline of cut dates,
coverage, the BA context, early warning; firm-level detail for the agency role only.

Disclosure (design §6): below ``agency`` every count of persons or firms of 1–2 — and the
persons of a cell announced by fewer than 3 firms — is "*", with secondary suppression over
every shown sum (the totals, the occupation groups over their Kreise, the months); covered
persons, coverage and shortfall follow the cut cell they are derived from.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import plotly.graph_objects as go
import polars as pl

from analytics import db
from analytics import exchange as ex
from analytics.charts import OKABE_ITO, base_layout
from analytics.disclosure import flag_column, has_suppression, is_small, suppression_mask
from analytics.exchange_pattern import ExchangePattern, exchange_pattern
from analytics.formatting import fmt_date, fmt_number
from analytics.settings import Settings
from analytics.views.model import (
    Chart,
    Column,
    Heading,
    M,
    Metric,
    MetricGrid,
    Note,
    Table,
    TablePart,
    View,
    ViewFilters,
)

SIDES = ("cut", "need")
TOP_MATCHES = 5
DEFAULT_FEW_SHARE = 0.1


# ------------------------------------------------------------------ the page's link (URL state)

# the page's choices, their defaults and the names they have in a link
# (/drehscheibe?horizont=12&km=30&erreichbar=adjacent&niveau=0&verwandt=0.25&wechsel=0.75
# &wechsel_ab=3&warnung=20); values outside the page's widgets are ignored
_D = ex.MatchRules()
PAGE_DEFAULTS: dict[str, object] = {
    "horizon": "6",
    "reach": _D.reach,
    "max_km": int(_D.max_km),
    "max_level_drop": _D.max_level_drop,
    "related_weight": _D.related_weight,
    "switch_weight": _D.switch_weight,
    "min_switches": _D.min_switches,
    "few_percent": round(DEFAULT_FEW_SHARE * 100),
}
URL_NAMES = {
    "horizon": "horizont",
    "reach": "erreichbar",
    "max_km": "km",
    "max_level_drop": "niveau",
    "related_weight": "verwandt",
    "switch_weight": "wechsel",
    "min_switches": "wechsel_ab",
    "few_percent": "warnung",
}
KM_RANGE, reach_of = ex.KM_RANGE, ex.reach_of  # shared with analytics.exchange_pattern
LEVEL_DROPS, MIN_SWITCH_RANGE = (0, 1, 2, 3), (1, 50)
FEW_RANGE, WEIGHT_STEP = (0, 100, 5), 0.05


def _on_grid(text: str, low: float, high: float, step: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if not (low <= value <= high) or abs(value / step - round(value / step)) > 1e-9:
        return None
    return round(value, 2)


def page_state_from_url(params: dict[str, str | None]) -> dict[str, object]:
    """The page's choices a link carries (``URL_NAMES``), each checked against what the
    page's widgets offer; an unknown or malformed value is left out (the default stays)."""
    out: dict[str, object] = {}
    get = {key: params.get(name) for key, name in URL_NAMES.items()}
    if get["horizon"] in ex.HORIZONS:
        out["horizon"] = get["horizon"]
    if get["reach"] in ex.REACH_MODES:
        out["reach"] = get["reach"]
    if (km := _on_grid(get["max_km"], *KM_RANGE)) is not None:
        out["max_km"] = int(km)
    if get["max_level_drop"] in {str(d) for d in LEVEL_DROPS}:
        out["max_level_drop"] = int(get["max_level_drop"])
    for key in ("related_weight", "switch_weight"):
        if (weight := _on_grid(get[key], 0.0, 1.0, WEIGHT_STEP)) is not None:
            out[key] = weight
    if (n := _on_grid(get["min_switches"], *MIN_SWITCH_RANGE, 1)) is not None:
        out["min_switches"] = int(n)
    if (few := _on_grid(get["few_percent"], *FEW_RANGE)) is not None:
        out["few_percent"] = int(few)
    return out


def url_from_page_state(state: dict[str, object]) -> dict[str, str | None]:
    """The link values of the page's choices: a default gives None (left out of the link)."""
    out: dict[str, str | None] = {}
    for key, name in URL_NAMES.items():
        value = state.get(key, PAGE_DEFAULTS[key])
        if value == PAGE_DEFAULTS[key]:
            out[name] = None
        elif isinstance(value, float):
            out[name] = f"{value:g}"
        else:
            out[name] = str(value)
    return out


def rules_from(filters: ViewFilters) -> ex.MatchRules:
    d = ex.MatchRules()
    return ex.MatchRules(
        max_km=float(filters.option("max_km", d.max_km)),
        related_weight=float(filters.option("related_weight", d.related_weight)),
        switch_weight=float(filters.option("switch_weight", d.switch_weight)),
        min_switches=int(filters.option("min_switches", d.min_switches)),
        max_level_drop=int(filters.option("max_level_drop", d.max_level_drop)),
        reach=str(filters.option("reach", d.reach)),
    )


def in_window(frame: pl.DataFrame, after: date | None, until: date) -> pl.DataFrame:
    keep = pl.col("effective_date") <= until
    if after is not None:
        keep &= pl.col("effective_date") > after
    return frame.filter(keep)


# ------------------------------------------------------------------ aggregates


def _side_counts(frame: pl.DataFrame, by: list[str], side: str) -> pl.DataFrame:
    return frame.group_by(by).agg(
        pl.col("count").sum().cast(pl.Float64).alias(side),
        pl.col("firm_id").n_unique().cast(pl.Float64).alias(f"{side}_firms"),
    )


def aggregates(cuts: pl.DataFrame, needs: pl.DataFrame, covered: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The shown sums: ``kreis`` (Kreis × group), ``group``, ``month`` and ``total`` with
    persons and firms of cuts (in the region) and needs (in reach), covered persons per group."""
    cuts = cuts.with_columns(
        pl.col("kldb").str.slice(0, 3).alias("group"),
        pl.col("effective_date").dt.truncate("1mo").alias("month"),
    )
    needs = needs.with_columns(
        pl.col("kldb").str.slice(0, 3).alias("group"),
        pl.col("effective_date").dt.truncate("1mo").alias("month"),
    )
    out = {}
    for name, by in (("kreis", ["ags", "group"]), ("group", ["group"]), ("month", ["month"])):
        c, n = _side_counts(cuts, by, "cut"), _side_counts(needs, by, "need")
        out[name] = c.join(n, on=by, how="full", coalesce=True).fill_null(0.0).sort(by)
    group_covered = (
        covered.with_columns(pl.col("kldb").str.slice(0, 3).alias("group"))
        .group_by("group")
        .agg(pl.col("covered").sum(), pl.col("effective_date").min().alias("first_date"))
    )
    out["group"] = (
        out["group"]
        .join(group_covered, on="group", how="left")
        .with_columns(pl.col("covered").fill_null(0.0))
    )
    out["total"] = pl.DataFrame(
        {
            "cut": [float(cuts["count"].sum())],
            "cut_firms": [float(cuts["firm_id"].n_unique())],
            "need": [float(needs["count"].sum())],
            "need_firms": [float(needs["firm_id"].n_unique())],
            "covered": [float(covered["covered"].sum())],
        }
    )
    return out


def protect_aggregates(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Primary (persons or firms 1–2: the side's persons and firms) and secondary suppression
    over every shown sum, in one grid so that no table can be recovered from another."""
    order = ("total", "group", "kreis", "month")
    offset, index = 0, {}
    for name in order:
        index[name] = offset
        offset += tables[name].height
    columns = ["cut", "cut_firms", "need", "need_firms", "covered"]
    values, prehidden = {}, set()
    for name in order:
        frame = tables[name]
        for r, row in enumerate(frame.iter_rows(named=True)):
            g = index[name] + r
            for c, col in enumerate(columns):
                values[(g, c)] = row.get(col)
            for side in SIDES:
                s = columns.index(side)
                if is_small(row[f"{side}_firms"]) or is_small(row[side]):
                    prehidden |= {(g, s), (g, s + 1)}
    relations = []
    total = index["total"]
    for s in (0, 2):  # persons of cuts and of needs
        for name in ("group", "kreis", "month"):
            relations.append([(total, s)] + [(index[name] + r, s) for r in range(tables[name].height)])
        kreis_groups = tables["kreis"]["group"].to_list()
        for r, group in enumerate(tables["group"]["group"].to_list()):
            parts = [(index["kreis"] + k, s) for k, g in enumerate(kreis_groups) if g == group]
            relations.append([(index["group"] + r, s), *parts])
    relations.append([(total, 4)] + [(index["group"] + r, 4) for r in range(tables["group"].height)])
    # covered persons are derived from the cut cell: withheld with it
    derived = [total] + [index["group"] + r for r in range(tables["group"].height)]
    for g in derived:
        if (g, 0) in prehidden:
            prehidden.add((g, 4))
    hidden = suppression_mask(values, relations, prehidden=prehidden)
    changed = True
    while changed:  # a hidden cut cell takes its covered cell along, and back again
        changed = False
        for g in derived:
            if (g, 0) in hidden and (g, 4) not in hidden:
                hidden.add((g, 4))
                hidden = suppression_mask(values, relations, prehidden=hidden)
                changed = True
    out = {}
    for name in order:
        frame = tables[name]
        present = [c for c in columns if c in frame.columns]
        for col in present:
            c = columns.index(col)
            flags = [(index[name] + r, c) in hidden for r in range(frame.height)]
            frame = frame.with_columns(
                pl.Series(flag_column(col), flags, dtype=pl.Boolean),
                pl.when(pl.Series(flags, dtype=pl.Boolean)).then(None).otherwise(pl.col(col)).alias(col),
            )
        out[name] = frame
    return out


def matched_groups(tables: dict[str, pl.DataFrame], switches: pl.DataFrame, rules: ex.MatchRules) -> dict:
    """Per cut group, the need groups its cuts can be matched with under ``rules`` (same,
    related: same 2-digit group, switch: seen at least ``min_switches`` times)."""
    groups = sorted(set(tables["group"]["group"].to_list()) | set(tables["kreis"]["group"].to_list()))
    seen = {
        (a, b)
        for a, b, n in switches.select("from_group", "to_group", "persons").iter_rows()
        if n >= rules.min_switches
    }
    return {
        g: {
            h
            for h in groups
            if h == g
            or (rules.related_weight > 0 and h[:2] == g[:2])
            or (rules.switch_weight > 0 and (g, h) in seen)
        }
        for g in groups
    }


def apply_pattern(
    tables: dict[str, pl.DataFrame],
    pattern: ExchangePattern,
    horizon: str,
    ags: list[str],
    reach: list[str],
    matched: dict[str, set[str]],
) -> dict[str, pl.DataFrame]:
    """The shown sums from the cube's pattern (``exchange_pattern``): the node cell where the
    selection's Kreise (cuts) or the Kreise in reach (needs) are a node's, else a sum of Kreis
    cells only where every cell it adds is shown; covered persons of a group where its cuts
    and every need cell they can be matched with are shown Kreis by Kreis (covered persons are
    made cut by cut from the needs near each cut's Kreis, so a node cell is no basis for
    them), the total where every group's are."""

    columns = ("cut", "cut_firms", "need", "need_firms", "covered")

    def fill(frame: pl.DataFrame, rows: list[dict]) -> pl.DataFrame:
        present = [c for c in columns if c in frame.columns]
        return frame.with_columns(
            *(pl.Series(c, [r[c] for r in rows], dtype=pl.Float64) for c in present),
            *(pl.Series(flag_column(c), [r[f"{c}_hidden"] for r in rows], dtype=pl.Boolean) for c in present),
        )

    def sides(cut_kreise, need_kreise, **where) -> dict:
        cut, cut_firms = pattern.total("cut", cut_kreise, period=horizon, **where)
        need, need_firms = pattern.total("need", need_kreise, **where)
        return {
            "cut": cut,
            "cut_firms": cut_firms,
            "need": need,
            "need_firms": need_firms,
            "cut_hidden": cut is None,
            "cut_firms_hidden": cut is None,
            "need_hidden": need is None,
            "need_firms_hidden": need is None,
        }

    out = {}
    group_rows = []
    for row in tables["group"].iter_rows(named=True):
        values = sides(ags, reach, group=row["group"])
        needs_shown = all(
            pattern.kreis_shown("need", reach, group=h) for h in matched.get(row["group"], {row["group"]})
        )
        cuts_shown = pattern.kreis_shown("cut", ags, group=row["group"], period=horizon)
        show = values["cut"] is not None and cuts_shown and needs_shown
        values |= {"covered": row["covered"] if show else None, "covered_hidden": not show}
        group_rows.append(values)
    out["group"] = fill(tables["group"], group_rows)
    total = sides(ags, reach)
    show = total["cut"] is not None and all(not r["covered_hidden"] for r in group_rows)
    total |= {"covered": tables["total"]["covered"][0] if show else None, "covered_hidden": not show}
    out["total"] = fill(tables["total"], [total])
    kreis_rows = [
        sides([k] if k in ags else [], [k] if k in reach else [], group=g)
        for k, g in tables["kreis"].select("ags", "group").iter_rows()
    ]
    out["kreis"] = fill(tables["kreis"], kreis_rows)
    month_rows = [sides(ags, reach, month=m) for m in tables["month"]["month"]]
    out["month"] = fill(tables["month"], month_rows)
    return out


# ------------------------------------------------------------------ agency detail


def cut_detail(covered: pl.DataFrame, entered: pl.DataFrame, role: str) -> pl.DataFrame:
    """Every cut of the region with its firm: persons, date, participants, coverage."""
    ex.require_detail(role)
    return (
        covered.join(entered.rename({"persons": "participants"}), on="firm_id", how="left")
        .with_columns(pl.col("participants").fill_null(0).cast(pl.Float64))
        .sort("effective_date", "firm_name", "kldb")
    )


def best_matches(cuts: pl.DataFrame, needs: pl.DataFrame, matches: pl.DataFrame, role: str) -> pl.DataFrame:
    """The best ``TOP_MATCHES`` needs per cut (highest weight, then nearest), with firms."""
    ex.require_detail(role)
    ranked = matches.with_columns(pl.int_range(pl.len()).over("cut_id").alias("rank")).filter(
        pl.col("rank") < TOP_MATCHES
    )
    c = cuts.select(
        pl.col("id").alias("cut_id"),
        pl.col("firm_name").alias("cut_firm"),
        pl.col("kldb").alias("cut_kldb"),
        pl.col("effective_date").alias("cut_date"),
    )
    n = needs.select(
        pl.col("id").alias("need_id"),
        pl.col("firm_name").alias("need_firm"),
        pl.col("ags").alias("need_ags"),
        pl.col("kldb").alias("need_kldb"),
        pl.col("effective_date").alias("need_date"),
        "training",
        "wage",
    )
    return ranked.join(c, on="cut_id").join(n, on="need_id").sort("cut_date", "cut_firm", "cut_kldb", "rank")


# ------------------------------------------------------------------ the view


def exchange_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    role = filters.role
    lang = filters.lang
    horizon = str(filters.option("horizon", "6"))
    rules = rules_from(filters)
    few_share = float(filters.option("few_share", DEFAULT_FEW_SHARE))
    reference = filters.data_until or db.now().date()
    after, until = ex.horizon_window(reference, horizon)
    ags = list(filters.ags)
    # firm-level detail only for the agency role, and only with disclosure control switched
    # off (protected, the agency sees what the other roles see: the view for reports)
    agency = role == ex.DETAIL_ROLE
    protected = filters.protected or not agency
    detail = not protected

    names = dict(db.query(con, "SELECT ags, name FROM region").iter_rows())
    title_col = "title_de" if lang == "de" else "title_en"
    titles = dict(db.query(con, f"SELECT code, {title_col} FROM occupation").iter_rows())  # noqa: S608 (constant)
    announced = ex.announcements(con)
    adjacency = ex.kreis_adjacency(con) if rules.reach == "adjacent" else None
    distances = ex.in_reach(ex.kreis_distances(con), rules, adjacency)
    reach = reach_of(distances, ags)
    cuts = in_window(announced.filter((pl.col("kind") == "cut") & pl.col("ags").is_in(ags)), after, until)
    needs = announced.filter((pl.col("kind") == "need") & pl.col("ags").is_in(reach))
    switches = ex.observed_switches(con)
    matches = ex.match_pairs(cuts, needs, distances, switches, rules)
    covered = ex.coverage(cuts, matches)
    tables = aggregates(cuts, needs, covered)
    if protected:
        pattern = exchange_pattern(con, settings, reference)
        tables = apply_pattern(tables, pattern, horizon, ags, reach, matched_groups(tables, switches, rules))
    context = ex.regional_context(con, ags, reference)

    horizon_label = M(f"exchange.horizon_{horizon}")
    reach_text = (
        M("exchange.reach_adjacent")
        if rules.reach == "adjacent"
        else M("exchange.reach_km", km=fmt_number(rules.max_km, lang))
    )
    blocks: list = [
        Note(
            M(
                "exchange.subtitle",
                region=filters.region_label,
                horizon=horizon_label,
                reference=fmt_date(reference, lang),
                reach=reach_text,
            )
        )
    ]
    if cuts.is_empty():
        blocks.append(Note(M("exchange.no_cuts"), "info"))
    blocks.append(MetricGrid(_metrics(tables["total"])))
    blocks.append(
        Note(
            M(
                "exchange.rules",
                reach=reach_text,
                related=fmt_number(rules.related_weight, lang, 2),
                switch=fmt_number(rules.switch_weight, lang, 2),
                min_switches=rules.min_switches,
                drop=rules.max_level_drop,
            ),
            "markdown",
        )
    )

    group = (
        tables["group"]
        .join(context, on="group", how="left")
        .with_columns(
            pl.col("group").replace_strict(titles, default=None).alias("title"),
            pl.when(pl.col("cut") > 0).then(pl.col("covered") / pl.col("cut")).alias("coverage"),
        )
    )
    if protected:
        group = group.with_columns(
            (pl.col(flag_column("cut")) | pl.col(flag_column("covered"))).alias(flag_column("coverage"))
        ).with_columns(
            pl.when(pl.col(flag_column("coverage")))
            .then(None)
            .otherwise(pl.col("coverage"))
            .alias("coverage"),
            pl.when(pl.col(flag_column("cut")))
            .then(None)
            .otherwise(pl.col("first_date"))
            .alias("first_date"),
        )
    blocks.append(Heading(M("exchange.by_group")))
    blocks.append(
        Table(
            "groups",
            M("exchange.by_group"),
            M("exchange.sheet_groups"),
            (
                Column("group", M("exchange.group")),
                Column("title", M("exchange.occupation")),
                Column("cut", M("exchange.cut_persons"), "count"),
                Column("cut_firms", M("exchange.cut_firms"), "count"),
                Column("first_date", M("exchange.first_date"), "date"),
                Column("need", M("exchange.need_persons"), "count"),
                Column("need_firms", M("exchange.need_firms"), "count"),
                Column("covered", M("exchange.covered"), "count"),
                Column("coverage", M("exchange.coverage"), "share"),
                Column("unemployed", M("exchange.ba_unemployed"), "count"),
                Column("vacancies", M("exchange.ba_vacancies"), "count"),
                Column("per_vacancy", M("exchange.per_vacancy"), "ratio"),
                Column("per_vacancy_change", M("exchange.per_vacancy_change"), "ratio"),
            ),
            group,
            # on screen two HTML tables whose occupation titles wrap: the network's cuts and
            # needs, then the BA figures of the same groups
            static=True,
            parts=(
                TablePart(
                    M("exchange.part_network", region=filters.region_label),
                    (
                        "group",
                        "title",
                        "cut",
                        "cut_firms",
                        "first_date",
                        "need",
                        "need_firms",
                        "covered",
                        "coverage",
                    ),
                ),
                TablePart(
                    M("exchange.part_context"),
                    ("group", "title", "unemployed", "vacancies", "per_vacancy", "per_vacancy_change"),
                ),
            ),
        )
    )
    blocks.append(Note(M("exchange.context_note"), "caption"))

    month = tables["month"]
    blocks.append(Chart("timeline_chart", _timeline(month, lang), "timeline"))
    blocks.append(
        Table(
            "timeline",
            M("exchange.timeline"),
            M("exchange.sheet_timeline"),
            (
                Column("month", M("exchange.month"), "date"),
                Column("cut", M("exchange.cut_persons"), "count"),
                Column("cut_firms", M("exchange.cut_firms"), "count"),
                Column("need", M("exchange.need_persons"), "count"),
                Column("need_firms", M("exchange.need_firms"), "count"),
            ),
            month,
            expander=M("chart_table"),
        )
    )
    kreis = tables["kreis"].with_columns(
        pl.col("ags").replace_strict(names, default=None).alias("kreis"),
        pl.col("group").replace_strict(titles, default=None).alias("title"),
    )
    blocks.append(
        Table(
            "kreise",
            M("exchange.by_kreis"),
            M("exchange.sheet_kreise"),
            (
                Column("kreis", M("exchange.kreis")),
                Column("group", M("exchange.group")),
                Column("title", M("exchange.occupation")),
                Column("cut", M("exchange.cut_persons"), "count"),
                Column("cut_firms", M("exchange.cut_firms"), "count"),
                Column("need", M("exchange.need_persons"), "count"),
                Column("need_firms", M("exchange.need_firms"), "count"),
            ),
            kreis,
            expander=M("exchange.by_kreis"),
            static=True,  # occupation titles of up to 60 characters wrap
        )
    )

    # early warning: the shortfall by group (aggregate), the firm lists (agency)
    blocks.append(Heading(M("exchange.warning")))
    blocks.append(Note(M("exchange.shortfall"), "caption"))
    short = ex.shortfall(
        group.select("group", "title", "cut", "need", "vacancies").filter(
            pl.col("cut").is_not_null() & pl.col("need").is_not_null()
        )
    )
    blocks.append(
        Table(
            "shortfall",
            M("exchange.shortfall"),
            M("exchange.sheet_shortfall"),
            (
                Column("group", M("exchange.group")),
                Column("title", M("exchange.occupation")),
                Column("cut", M("exchange.cut_persons"), "count"),
                Column("need", M("exchange.need_persons"), "count"),
                Column("vacancies", M("exchange.ba_vacancies"), "count"),
                Column("shortfall", M("exchange.shortfall_persons"), "count"),
            ),
            short,
            expander=M("exchange.none_listed") if short.is_empty() else None,
            static=True,  # occupation titles wrap
        )
    )
    if protected and any(has_suppression(t) for t in tables.values()):
        blocks.append(Note(M("suppression_legend"), "legend"))
    if not detail:
        blocks.append(Note(M("exchange.detail_switch" if agency else "exchange.detail_agency_only"), "info"))
    else:
        blocks += _agency_blocks(con, cuts, needs, matches, covered, names, reference, few_share, role)

    status = db.data_status(con)
    return View(
        page="exchange",
        lang=lang,
        title=M("exchange.title"),
        blocks=tuple(blocks),
        source=M("exchange.source"),
        as_of=fmt_date(reference, lang),
        filters=(
            (M("filter_region"), filters.region_label),
            (M("exchange.horizon"), horizon_label.text(lang)),
            (M("exchange.distance"), reach_text.text(lang)),
        ),
        file_name=f"drehscheibe_{filters.region_key}_{horizon}.xlsx",
        demo=status.is_demo,
        protected=protected,
    )


def _metrics(total: pl.DataFrame) -> tuple[Metric, ...]:
    row = total.row(0, named=True)

    def metric(key: str, unit: str = "count", value: float | None = None) -> Metric:
        shown = row.get(key) if value is None else value
        return Metric(key, M(f"exchange.metric_{key}"), shown, unit, bool(row.get(flag_column(key), False)))

    share = None
    hidden = bool(row.get(flag_column("cut"))) or bool(row.get(flag_column("covered")))
    if not hidden and row["cut"]:
        share = row["covered"] / row["cut"]
    return (
        metric("cut"),
        metric("cut_firms"),
        metric("need"),
        metric("covered"),
        Metric("coverage", M("exchange.metric_coverage"), share, "share", hidden),
    )


def _timeline(month: pl.DataFrame, lang: str) -> go.Figure:
    fig = go.Figure()
    x = month["month"].to_list()
    fig.add_bar(
        x=x, y=month["cut"].to_list(), name=M("exchange.cut_persons").text(lang), marker_color=OKABE_ITO[3]
    )
    fig.add_bar(
        x=x, y=month["need"].to_list(), name=M("exchange.need_persons").text(lang), marker_color=OKABE_ITO[2]
    )
    fig.update_layout(
        barmode="group",
        xaxis={"tickformat": "%m.%Y" if lang == "de" else "%b %Y"},
        yaxis={"title": M("persons").text(lang), "tickformat": ",d", "rangemode": "tozero"},
    )
    return base_layout(
        fig,
        lang,
        M("exchange.timeline").text(lang),
        M("source_label", source=M("exchange.source")).text(lang),
    )


def _agency_blocks(con, cuts, needs, matches, covered, names, reference, few_share, role) -> list:
    entered = ex.participants_by_firm(con, reference)
    detail = cut_detail(covered, entered, role).with_columns(
        pl.col("ags").replace_strict(names, default=None).alias("kreis"),
        ex.level_expr("kldb").alias("level"),
    )
    best = best_matches(cuts, needs, matches, role).with_columns(
        pl.col("need_ags").replace_strict(names, default=None).alias("need_kreis"),
        ex.level_expr("need_kldb").alias("need_level"),
        pl.col("match")
        .replace_strict({"same": "=", "switch": "↔", "related": "≈"}, default=None)
        .alias("match_sign"),
        pl.col("training")
        .replace_strict({True: "✓", False: "–"}, default="", return_dtype=pl.String)
        .alias("training_text"),
    )
    warned = ex.cuts_without_participants(cuts, entered, few_share).with_columns(
        pl.col("participants").cast(pl.Float64)
    )
    firm_cut = cuts.group_by("firm_id", "firm_name").agg(pl.col("count").sum().alias("cut"))
    beyond = ex.cuts_beyond_transitions(firm_cut, ex.transitions_by_firm(con, reference)).with_columns(
        pl.col("cut", "transitions", "gap").cast(pl.Float64)
    )
    blocks = [
        Heading(M("exchange.detail")),
        Note(M("exchange.cuts"), "caption"),
        Table(
            "cuts",
            M("exchange.cuts"),
            M("exchange.sheet_cuts"),
            (
                Column("firm_name", M("exchange.firm")),
                Column("kreis", M("exchange.kreis")),
                Column("kldb", M("exchange.kldb")),
                Column("level", M("exchange.level"), "count"),
                Column("announced", M("exchange.announced"), "count"),
                Column("filled", M("exchange.filled"), "count"),
                Column("count", M("exchange.open_persons"), "count"),
                Column("effective_date", M("exchange.effective"), "date"),
                Column("participants", M("exchange.participants"), "count"),
                Column("covered", M("exchange.covered"), "count"),
                Column("coverage", M("exchange.coverage"), "share"),
            ),
            detail.with_columns(pl.col("count", "announced", "filled").cast(pl.Float64)),
            # on screen two HTML tables whose firm names wrap: the cut, then who is covered
            static=True,
            parts=(
                TablePart(
                    M("exchange.part_cut"),
                    ("firm_name", "kreis", "kldb", "level", "announced", "filled", "count", "effective_date"),
                ),
                TablePart(
                    M("exchange.part_coverage"),
                    ("firm_name", "kldb", "effective_date", "participants", "covered", "coverage"),
                ),
            ),
        ),
        Note(M("exchange.matches"), "caption"),
        Table(
            "matches",
            M("exchange.matches"),
            M("exchange.sheet_matches"),
            (
                Column("cut_firm", M("exchange.cut_firm")),
                Column("cut_kldb", M("exchange.kldb")),
                Column("match_sign", M("exchange.match")),
                Column("weight", M("exchange.weight"), "ratio"),
                Column("need_firm", M("exchange.need_firm")),
                Column("need_kreis", M("exchange.kreis")),
                Column("km", M("exchange.km"), "float"),
                Column("need_kldb", M("exchange.kldb")),
                Column("need_level", M("exchange.level"), "count"),
                Column("need_count", M("exchange.need_persons"), "count"),
                Column("need_date", M("exchange.effective"), "date"),
                Column("wage", M("exchange.wage"), "eur"),
                Column("training_text", M("exchange.training")),
            ),
            best.with_columns(pl.col("need_count").cast(pl.Float64)),
            # on screen two HTML tables of the same rows: the pairs, then each pair's need
            static=True,
            parts=(
                TablePart(
                    M("exchange.part_pairs"),
                    ("cut_firm", "cut_kldb", "match_sign", "weight", "need_firm", "need_kreis", "km"),
                ),
                TablePart(
                    M("exchange.part_need"),
                    (
                        "cut_firm",
                        "need_firm",
                        "need_kldb",
                        "need_level",
                        "need_count",
                        "need_date",
                        "wage",
                        "training_text",
                    ),
                ),
            ),
        ),
        Note(M("exchange.match_legend"), "caption"),
        Note(M("exchange.warn_participants", share=round(few_share * 100)), "caption"),
        Table(
            "warn_participants",
            M("exchange.warn_participants", share=round(few_share * 100)),
            M("exchange.sheet_warn_participants"),
            (
                Column("firm_name", M("exchange.firm")),
                Column("kldb", M("exchange.kldb")),
                Column("effective_date", M("exchange.effective"), "date"),
                Column("firm_cut", M("exchange.firm_cut"), "count"),
                Column("participants", M("exchange.participants"), "count"),
            ),
            warned.with_columns(pl.col("firm_cut").cast(pl.Float64)),
        ),
        Note(M("exchange.warn_transitions"), "caption"),
        Table(
            "warn_transitions",
            M("exchange.warn_transitions"),
            M("exchange.sheet_warn_transitions"),
            (
                Column("firm_name", M("exchange.firm")),
                Column("cut", M("exchange.cut_persons"), "count"),
                Column("transitions", M("exchange.transitions"), "count"),
                Column("gap", M("exchange.gap"), "count"),
            ),
            beyond,
        ),
    ]
    # an empty list is folded under "no entries" (its sheet stays in the Excel file)
    return [
        replace(b, expander=M("exchange.none_listed")) if isinstance(b, Table) and b.frame.is_empty() else b
        for b in blocks
    ]
