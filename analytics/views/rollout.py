"""The view of the rollout planner (#15): ranking of every Kreis, map of the score, profile
card, comparison of up to four candidates and the projection for one candidate."""

from __future__ import annotations

import dataclasses
from datetime import date

import duckdb
import polars as pl

from analytics import db, maps, rollout
from analytics.disclosure import flag_column
from analytics.formatting import fmt_date, fmt_number, fmt_value
from analytics.periods import Quarter
from analytics.rollout import INDICATORS
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
)

# the width of a Kreis name in the canvas grid (measured at 1280 px: 6.8-7.3 px a character)
NAME_PX_PER_CHAR, CELL_PADDING_PX = 7.5, 24


def options(filters: ViewFilters, settings: Settings) -> dict:
    """The page's choices, checked: unknown values fall back to the defaults."""
    method = filters.option("method", "rank")
    scope = filters.option("scope", "extended")
    basis = filters.option("basis", "svb")
    weights = dict(rollout.DEFAULT_WEIGHTS) | dict(filters.option("weights", ()))
    return {
        "method": method if method in rollout.METHODS else "rank",
        "scope": scope if scope in ("core", "extended") else "extended",
        "basis": basis if basis in rollout.BASES else "svb",
        "distance": float(filters.option("distance", 50.0)),
        "weights": {k: max(0.0, float(weights[k])) for k in rollout.INDICATOR_KEYS},
        "compare": tuple(filters.option("compare", ()))[: rollout.MAX_COMPARE],
        "profile": filters.option("profile"),
        "candidate": filters.option("candidate"),
        "start": _date_or_none(filters.option("start")),
        "role": filters.role,  # of who signed in (#13), never a page option
    }


def _date_or_none(value: object) -> date | None:
    """A scenario's planned start as given by the page (ISO text or a date); else None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def rollout_view(con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters) -> View:
    return build_rollout_view(con, settings, filters, role=options(filters, settings)["role"])


def build_rollout_view(
    con: duckdb.DuckDBPyConnection, settings: Settings, filters: ViewFilters, *, role: str
) -> View:
    """The view for ``role`` (checked here: disclosure control for every role below agency;
    the agency may switch it off with the global filter)."""
    protected = rollout.check_role(role) or filters.protected
    lang = filters.lang
    opts = options(filters, settings)
    frame, stand = rollout.indicator_frame(
        con,
        settings,
        opts["scope"],
        opts["distance"],
        "ministry" if protected else "agency",
        filters.data_until or db.now().date(),  # the Drehscheibe's reference day
    )
    scored = rollout.score_kreise(frame, opts["method"], opts["weights"])
    names = dict(scored.select("ags", "name").rows())
    n = scored.height

    as_of = {
        "employment": fmt_date(stand["employment"], lang),
        "labour_market": Quarter.of(stand["labour_market"]).label() if stand["labour_market"] else "–",
        "cases": fmt_date(stand["cases"], lang),
    }
    blocks: list = [
        Note(
            M(
                "rollout.subtitle",
                n=n,
                method=M(f"rollout.method_{opts['method']}"),
                scope=M(f"rollout.scope_{opts['scope']}"),
                km=fmt_value(opts["distance"], "count", lang),
            )
        )
    ]
    if not n:
        blocks.append(Note(M("rollout.no_data"), "info"))

    # ranking and map -------------------------------------------------------------------
    blocks.append(Heading(M("rollout.ranking")))
    if n and scored["score"].null_count() == n:
        blocks.append(Note(M("rollout.no_weights"), "warning"))
    score_map_block = score_map(con, scored, lang)
    if score_map_block is not None:
        blocks += [score_map_block, Note(M("source_label", source=M("rollout.source")))]
    # the grid sizes a column by its first rows only: the Kreis column as wide as its longest
    # name, so that no name further down is cut
    longest = scored["name"].str.len_chars().max() or 0
    ranking_columns = [
        Column("rank", M("rollout.rank"), "count"),
        Column("name", M("rollout.kreis"), width=round(longest * NAME_PX_PER_CHAR) + CELL_PADDING_PX),
        Column("ags", M("rollout.ags")),
        Column("score", M("rollout.score"), "ratio"),
        *(
            Column(
                f"score_{g}",
                M("rollout.group_score", group=M(f"rollout.group_{g}")),
                "ratio",
                M(f"rollout.group_{g}"),
            )
            for g in rollout.GROUPS
        ),
        *(Column(i.key, M(f"rollout.ind.{i.key}"), i.unit, M(f"rollout.short.{i.key}")) for i in INDICATORS),
        Column("network_since", M("rollout.network_since"), "date"),
        Column("entries", M("entries"), "count"),
        Column("transitions", M("transitions"), "count"),
    ]
    ranking = scored.with_columns(pl.col("score", *(f"score_{g}" for g in rollout.GROUPS)).round(3))
    # on screen four grids of the same rows (the Kreis in each): the score with its
    # sub-scores, the indicators of dependency and pressure, those of absorption and reach,
    # the network's presence; the Excel sheet keeps the whole ranking
    by_group = {g: tuple(i.key for i in INDICATORS if i.group == g) for g in rollout.GROUPS}
    blocks.append(
        Table(
            "ranking",
            M("rollout.ranking"),
            M("rollout.sheet_ranking"),
            tuple(ranking_columns),
            ranking,
            parts=(
                TablePart(
                    M("rollout.part_score"),
                    ("rank", "name", "ags", "score", *(f"score_{g}" for g in rollout.GROUPS)),
                ),
                TablePart(
                    M("rollout.part_dependency"),
                    ("name", *by_group["dependency"], *by_group["pressure"]),
                ),
                TablePart(
                    M("rollout.part_absorption"),
                    ("name", *by_group["absorption"], *by_group["reach"]),
                ),
                TablePart(M("rollout.part_network"), ("name", "network_since", "entries", "transitions")),
            ),
        )
    )
    suppressed = protected and any(
        scored[flag_column(c)].any()
        for c in ("cuts", "entries", "transitions")
        if flag_column(c) in scored.columns
    )
    if suppressed:
        blocks.append(Note(M("suppression_legend"), "legend"))
    blocks.append(Note(M("rollout.score_note", method=M(f"rollout.method_note_{opts['method']}"))))

    # profile card ----------------------------------------------------------------------
    profile = opts["profile"] if opts["profile"] in names else (scored["ags"][0] if n else None)
    if profile is not None:
        blocks += profile_blocks(scored, profile, lang)

    # comparison ------------------------------------------------------------------------
    compare = [a for a in opts["compare"] if a in names]
    if compare:
        blocks.append(Heading(M("rollout.compare")))
        blocks.append(compare_table(frame, scored, compare, lang))

    # projection ------------------------------------------------------------------------
    candidate = opts["candidate"] if opts["candidate"] in names else None
    if candidate is not None:
        blocks += projection_blocks(
            con, frame, candidate, names[candidate], opts["basis"], protected, settings, lang, opts["start"]
        )

    # the rollout plan (settings.rollout, the one source) ----------------------------------
    blocks.append(Heading(M("rollout.plan")))
    blocks.append(plan_table(con, settings, names, stand["cases"] or db.now().date(), protected))
    blocks.append(Note(M("rollout.plan_note")))

    # definitions -----------------------------------------------------------------------
    blocks.append(Heading(M("rollout.indicators")))
    blocks.append(definitions_table(opts["weights"], as_of, stand, lang))
    status = db.data_status(con)
    definitions = tuple((M(f"rollout.ind.{i.key}"), M(f"rollout.def.{i.key}")) for i in INDICATORS) + (
        (M("rollout.score"), M("rollout.def.score")),
    )
    return View(
        page="rollout",
        lang=lang,
        title=M("rollout.title"),
        blocks=tuple(blocks),
        source=M("rollout.source"),
        as_of=as_of["employment"],
        filters=(
            (M("rollout.filter_method"), M(f"rollout.method_{opts['method']}").text(lang)),
            (M("rollout.filter_scope"), M(f"rollout.scope_{opts['scope']}").text(lang)),
            (M("rollout.filter_distance"), f"{fmt_value(opts['distance'], 'count', lang)} km"),
            (
                M("rollout.filter_weights"),
                ", ".join(
                    f"{M(f'rollout.ind.{k}').text(lang)} {fmt_value(w, 'float', lang)}"
                    for k, w in opts["weights"].items()
                ),
            ),
        ),
        file_name="rollout_planung.xlsx",
        demo=status.is_demo,
        protected=protected,
        definitions=definitions,
    )


def profile_blocks(scored: pl.DataFrame, ags: str, lang: str) -> list:
    row = scored.filter(pl.col("ags") == ags).row(0, named=True)
    n = scored.height
    metrics = [
        Metric(
            "score",
            M("rollout.score"),
            row["score"],
            "ratio",
            caption=M("rollout.rank_of", rank=row["rank"], n=n),
        ),
    ]
    for ind in INDICATORS:
        value = row[ind.key]
        ind_rank = None
        if value is not None:
            order = scored.filter(pl.col(ind.key).is_not_null()).with_columns(
                pl.col(ind.key).rank("min", descending=ind.higher_is_priority).alias("_r")
            )
            ind_rank = order.filter(pl.col("ags") == ags)["_r"][0]
        caption = M("rollout.priority_rank", rank=ind_rank, n=scored[ind.key].count()) if ind_rank else None
        metrics.append(
            Metric(
                ind.key,
                M(f"rollout.ind.{ind.key}"),
                value,
                ind.unit,
                bool(row.get(flag_column(ind.key))),
                help=M(f"rollout.def.{ind.key}"),
                caption=caption,
            )
        )
    since = row["network_since"]
    presence = (
        M(
            "rollout.presence_yes",
            since=fmt_date(since, lang),
            entries=fmt_value(row["entries"], "count", lang, row[flag_column("entries")]),
            transitions=fmt_value(row["transitions"], "count", lang, row[flag_column("transitions")]),
        )
        if since is not None
        else M("rollout.presence_no")
    )
    return [
        Heading(M("rollout.profile", name=row["name"])),
        # as many cards in a row as show the longest indicator name whole
        MetricGrid(
            tuple(metrics),
            per_row=fitting_per_row([M(f"rollout.ind.{i.key}").text(lang) for i in INDICATORS]),
        ),
        Note(presence),
    ]


def _land_values(frame: pl.DataFrame, land_code: str) -> dict[str, float | None]:
    land = frame.filter(pl.col("land_code") == land_code)

    def total(column: str) -> float | None:
        values = land[column]
        return None if values.null_count() else float(values.sum())

    sector, all_svb = total("svb_sector"), total("svb_total")
    sector_prev, all_prev = total("svb_sector_prev"), total("svb_total_prev")
    share = sector / all_svb if sector is not None and all_svb else None
    share_prev = sector_prev / all_prev if sector_prev is not None and all_prev else None
    unemployed, vacancies = total("occ_unemployed"), total("occ_vacancies")
    return {
        "auto_share": share,
        "auto_share_change": None if share is None or share_prev is None else share - share_prev,
        "cuts": None,  # a Land total of cuts would reveal a withheld Kreis value
        "auto_svb_change_pct": (
            None if sector is None or not sector_prev else (sector - sector_prev) / sector_prev
        ),
        "occ_vacancies": vacancies,
        "occ_ratio": None if unemployed is None or not vacancies else unemployed / vacancies,
        "reach_vacancies": None,
    }


def compare_table(frame: pl.DataFrame, scored: pl.DataFrame, compare: list[str], lang: str) -> Table:
    rows = {a: scored.filter(pl.col("ags") == a).row(0, named=True) for a in compare}
    lands = list(dict.fromkeys(rows[a]["land_code"] for a in compare))
    land_names = {r["land_code"]: r["land_name"] for r in rows.values()}
    land_values = {code: _land_values(frame, code) for code in lands}
    keys = [*INDICATORS]
    data: dict[str, list] = {"indicator": [M(f"rollout.ind.{i.key}").text(lang) for i in keys]}
    data["indicator"] += [M("rollout.score").text(lang), M("rollout.rank").text(lang)]
    columns = [Column("indicator", M("rollout.indicator"))]
    for a in compare:
        key = f"k_{a}"
        row = rows[a]
        data[key] = [row[i.key] for i in keys] + [row["score"], float(row["rank"])]
        data[flag_column(key)] = [bool(row.get(flag_column(i.key))) for i in keys] + [False, False]
        columns.append(Column(key, row["name"], "row"))
    for code in lands:
        key = f"land_{code}"
        data[key] = [land_values[code][i.key] for i in keys] + [None, None]
        columns.append(Column(key, M("rollout.land_value", land=land_names[code]), "row"))
    units = tuple(i.unit for i in keys) + ("ratio", "count")
    schema = {c: (pl.Boolean if c.endswith("__suppressed") else pl.Float64) for c in data} | {
        "indicator": pl.String
    }
    return Table(
        "compare",
        M("rollout.compare"),
        M("rollout.sheet_compare"),
        tuple(columns),
        pl.DataFrame(data, schema=schema),
        row_units=units,
        static=True,  # indicator and Kreis names wrap
    )


def projection_blocks(
    con: duckdb.DuckDBPyConnection,
    frame: pl.DataFrame,
    ags: str,
    name: str,
    basis: str,
    protected: bool,
    settings: Settings,
    lang: str,
    start: date | None = None,
) -> list:
    rates = rollout.region_rates(frame, con, basis)
    row = frame.filter(pl.col("ags") == ags).row(0, named=True)
    if basis == "svb":
        base = row["svb_sector"] / 1000 if row["svb_sector"] else None
    else:
        # the candidate's own announced cuts (withheld for small counts: no projection then)
        base = row["cuts"]
    cost = rollout.cost_per_transition(con)
    network_hidden = frozenset()
    if protected:  # counts withheld by the suppression pattern give no rate (issue #12)
        rates = [dataclasses.replace(r, hidden=rollout.results_hidden(con, settings, [r.ags])) for r in rates]
        usable = [r.ags for r in rates if r.base and r.years > 0]
        network_hidden = rollout.results_hidden(con, settings, usable) if usable else frozenset()
        everyone = rollout.results_hidden(con, settings, [r.ags for r in rates])
        cost = None if "transitions" in everyone else cost  # public money / transitions
    result = rollout.projection(
        rates, base, cost, protected, settings.disclosure_min_count, network_hidden=network_hidden
    )
    blocks: list = [Heading(M("rollout.projection", name=name))]
    blocks.append(
        Note(M(f"rollout.projection_basis_{basis}", regions=", ".join(r.ags for r in rates) or "–"))
    )
    if base is None:
        blocks.append(Note(M(f"rollout.projection_no_base_{basis}"), "info"))
    keys = ["rate_entries", "entries", "rate_transitions", "transitions", "budget"]
    units = ("ratio", "count", "ratio", "count", "eur")
    label_ids = [f"rollout.proj.{k}_{basis}" if k.startswith("rate") else f"rollout.proj.{k}" for k in keys]
    measures = [M(i).text(lang) for i in label_ids]
    values = {s: [result[f"{k}{s}"] for k in keys] for s in ("", "_low", "_high")}
    if start is not None:  # a scenario's planned start: the totals up to the project end
        whole = rollout.projection_to_end(result, start, settings.project_end)
        period = {"start": fmt_date(start, lang), "end": fmt_date(settings.project_end, lang)}
        for k, unit in (("entries", "count"), ("transitions", "count"), ("budget", "eur")):
            measures.append(M(f"rollout.proj.{k}_to_end", **period).text(lang))
            units = (*units, unit)
            for s in values:
                values[s].append(whole[f"{k}{s}"])
    table = pl.DataFrame(
        {"measure": measures, "expected": values[""], "low": values["_low"], "high": values["_high"]},
        schema={"measure": pl.String, "expected": pl.Float64, "low": pl.Float64, "high": pl.Float64},
    )
    blocks.append(
        Table(
            "projection",
            M("rollout.projection", name=name),
            M("rollout.sheet_projection"),
            (
                Column("measure", M("rollout.measure")),
                Column("expected", M("rollout.expected"), "row"),
                Column("low", M("rollout.low"), "row"),
                Column("high", M("rollout.high"), "row"),
            ),
            table,
            row_units=units,
        )
    )
    blocks.append(
        Note(
            M(
                "rollout.projection_cost",
                cost=fmt_value(result["cost_per_transition"], "eur", lang),
            )
        )
    )
    return blocks


def plan_table(
    con: duckdb.DuckDBPyConnection, settings: Settings, names: dict[str, str], until, protected: bool
) -> Table:
    """The rollout plan (settings.rollout): each wave with its start, Kreise and, per year of
    its targets, the targets beside what its Kreise achieved (``rollout.plan_progress``)."""
    progress = rollout.plan_progress(con, settings, until, protected=protected)
    frame = progress.with_columns(
        pl.col("wave").cast(pl.Float64),
        pl.col("year").cast(pl.String).fill_null("–"),
        pl.format("Q{} {}", pl.col("start").dt.quarter(), pl.col("start").dt.year()).alias("quarter"),
        pl.col("kreise").list.eval(pl.element().replace_strict(names, default=pl.element())).list.join(", "),
        pl.col("kreise").list.join(", ").alias("ags"),
    )
    return Table(
        "plan",
        M("rollout.plan"),
        M("rollout.sheet_plan"),
        (
            Column("wave", M("rollout.wave"), "count"),
            Column("start", M("rollout.start"), "date"),
            Column("quarter", M("quarter")),
            Column("kreise", M("rollout.kreis")),
            Column("ags", M("rollout.ags")),
            Column("year", M("rollout.year")),
            Column("target_entries", M("rollout.target_entries"), "count"),
            Column("entries", M("rollout.plan_entries"), "count"),
            Column("target_transitions", M("rollout.target_transitions"), "count"),
            Column("transitions", M("rollout.plan_transitions"), "count"),
        ),
        frame,
        static=True,  # the lists of a wave's Kreise wrap
    )


def definitions_table(weights: dict[str, float], as_of: dict[str, str], stand: dict, lang: str) -> Table:
    stands = {
        "rollout.source_ba_svb": as_of["employment"],
        "rollout.source_network": as_of["cases"],
        "rollout.source_ba_lm": as_of["labour_market"],
        "rollout.source_ba_lm_geo": as_of["labour_market"],
    }
    frame = pl.DataFrame(
        {
            "indicator": [M(f"rollout.ind.{i.key}").text(lang) for i in INDICATORS],
            "group": [M(f"rollout.group_{i.group}").text(lang) for i in INDICATORS],
            "definition": [M(f"rollout.def.{i.key}").text(lang) for i in INDICATORS],
            "direction": [
                M("rollout.higher" if i.higher_is_priority else "rollout.lower").text(lang)
                for i in INDICATORS
            ],
            "weight": [weights[i.key] for i in INDICATORS],
            "source": [M(i.source).text(lang) for i in INDICATORS],
            "stand": [stands[i.source] for i in INDICATORS],
        }
    )
    return Table(
        "indicators",
        M("rollout.indicators"),
        M("rollout.sheet_indicators"),
        (
            Column("indicator", M("rollout.indicator")),
            Column("group", M("rollout.group")),
            Column("definition", M("rollout.definition")),
            Column("direction", M("rollout.direction")),
            Column("weight", M("rollout.weight"), "float"),
            Column("source", M("rollout.source_column")),
            Column("stand", M("rollout.stand")),
        ),
        frame,
        # HTML tables whose texts wrap: the definitions get the width of a table of their own
        static=True,
        parts=(
            TablePart(M("rollout.part_definitions"), ("indicator", "group", "definition")),
            TablePart(M("rollout.part_weights"), ("indicator", "direction", "weight", "source", "stand")),
        ),
    )


def score_map(con: duckdb.DuckDBPyConnection, scored: pl.DataFrame, lang: str) -> Map | None:
    """Kreise coloured by score class (viridis quantile classes, colour-blind safe), drawn like
    the Regionen map: a deck.gl layer that loads the simplified shapes from the app's own
    static file and gets per rerun only colours and hover texts (no basemap, nothing from
    another host; analytics/maps.py). None without shapes or without any score."""
    geometry = kreis_geometry(con)
    if geometry is None or scored["score"].null_count() == scored.height:
        return None
    values = scored["score"].to_list()
    scale = maps.colour_scale(values, "sequential")
    colours = [scale.colour(v) for v in values]
    score_label, rank_label = M("rollout.score").text(lang), M("rollout.rank").text(lang)
    tips = [
        f"{name} ({ags})\n{score_label}: {fmt_value(score, 'ratio', lang)}\n{rank_label}: {rank}"
        for name, ags, score, rank in scored.select("name", "ags", "score", "rank").iter_rows()
    ]
    deck = maps.deck([maps.choropleth_layer(geometry, scored, colours, tips)])
    # a score is never withheld: the classes and "no data" (a Kreis without a score)
    legend = tuple(
        entry
        for entry in scale.legend(lambda v: fmt_number(v, lang, 2), lang)
        if entry[1] != maps.WITHHELD_COLOUR
    )
    return Map("score_map", deck, ((M("rollout.map_title"), legend),))
