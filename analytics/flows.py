"""Where people went (design §4): flows of the network's transitions by sector, occupation
and region, and the shares staying in manufacturing, in the Kreis and in the Land.

All views of one page come from :func:`flow_view`, which applies disclosure control across
them: links of 1–2 persons are merged into "übrige" links (analytics.disclosure.protect_links),
and a share is withheld when, together with the links drawn, it would reveal 1–2 persons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from analytics.db import query
from analytics.disclosure import flag_column, protect_links, protect_links_nested, protect_shares
from analytics.kpi import _sql, covers_network, network_regions, with_case_summary
from analytics.messages import msg
from analytics.settings import AutomotiveDefinition, Settings

OTHER = "_other"
MANUFACTURING = "C"
MEASURES = ("in_c", "same_kreis", "same_land", "into_tarif")


def _t(key: str, lang: str) -> str:
    return msg(f"flows.{key}", lang)


def transitions(con: duckdb.DuckDBPyConnection, start: date, end: date, ags: list[str]) -> pl.DataFrame:
    """One row per transition in the period (internal: never shown without protection)."""
    return query(con, with_case_summary(_sql("transitions")), {"start": start, "end": end, "ags": list(ags)})


def sector_group(wz: str | None, automotive: AutomotiveDefinition) -> str:
    """core | supplier | rest, per the configured automotive definition."""
    if wz in automotive.core:
        return "core"
    if wz in automotive.supplier:
        return "supplier"
    return "rest"


def automotive_definition(automotive: AutomotiveDefinition, lang: str) -> str:
    return msg(
        "flows.automotive", lang, core=", ".join(automotive.core), supplier=", ".join(automotive.supplier)
    )


def _titles(con: duckdb.DuckDBPyConnection, table: str, lang: str) -> dict[str, str]:
    column = "title_de" if lang == "de" else "coalesce(title_en, title_de)"
    sql = {
        "sector": f"SELECT code, {column} AS title FROM sector",  # noqa: S608 (constant)
        "occupation": f"SELECT code, {column} AS title FROM occupation",  # noqa: S608 (constant)
    }[table]  # noqa: S608
    frame = query(con, sql)
    return dict(zip(frame["code"], frame["title"], strict=True))


def source_key(automotive: AutomotiveDefinition, grouped: bool) -> pl.Expr:
    """The Sankey source of each transition: its sector group, or group/division."""
    wz = pl.col("releasing_wz")
    group = (
        pl.when(wz.is_in(list(automotive.core)))
        .then(pl.lit("core"))
        .when(wz.is_in(list(automotive.supplier)))
        .then(pl.lit("supplier"))
        .otherwise(pl.lit("rest"))
    )
    return group if grouped else pl.format("{}/{}", group, wz.fill_null("?"))


def links_frame(trans: pl.DataFrame, source: pl.Expr, target: pl.Expr) -> pl.DataFrame:
    """Raw (unprotected) link counts."""
    return (
        trans.select(source.cast(pl.String).alias("source"), target.cast(pl.String).alias("target"))
        .group_by("source", "target")
        .agg(pl.len().cast(pl.Int64).alias("persons"))
        .sort("source", "target")
    )


def label_lookup(frame: pl.DataFrame, column: str, label: Callable[[str], str]) -> pl.Expr:
    """``column`` replaced by its label, looked up from the labels of its distinct values
    (``label`` runs once per distinct key, outside any Polars query)."""
    labels = {key: label(key) for key in frame[column].unique().to_list() if key is not None}
    return pl.col(column).replace_strict(labels, default=None, return_dtype=pl.String)


@dataclass(frozen=True)
class FlowView:
    """Everything the Branchen & Übergänge page shows, protected together."""

    transitions: int | None  # persons in the selection (None when withheld)
    sector_links: pl.DataFrame  # source, target, persons, merged, source_label, target_label
    occupation_links: pl.DataFrame
    region_links: pl.DataFrame  # ... plus source/target lon, lat (None without geometry)
    shares: pl.DataFrame  # one row per sector source + selection total (+ network total)
    has_geometry: bool
    sector_level: str = "division"  # targets by WZ division, or "section" (coarser, readable)
    kldb_digits: int = 3  # KldB digits shown (fewer than asked when grouped coarser)


def _labelled(
    links: pl.DataFrame, source_label: Callable[[str], str], target_label: Callable[[str], str]
) -> pl.DataFrame:
    return links.with_columns(
        label_lookup(links, "source", source_label).alias("source_label"),
        label_lookup(links, "target", target_label).alias("target_label"),
    )


def _known(links: pl.DataFrame, keep: pl.Expr, by: str | None = None) -> pl.DataFrame:
    """Persons on drawn links between real nodes with (``yes``) / without (``no``) the
    property ``keep``, per ``by`` (one row without it)."""
    drawn = links.filter((pl.col("source") != OTHER) & (pl.col("target") != OTHER)).with_columns(
        keep.fill_null(False).alias("_keep")
    )
    sums = [
        pl.col("persons").filter(pl.col("_keep")).sum().cast(pl.Int64).alias("yes"),
        pl.col("persons").filter(~pl.col("_keep")).sum().cast(pl.Int64).alias("no"),
    ]
    return drawn.group_by(by).agg(*sums) if by else drawn.select(*sums)


def _differencing(count: str, base: str, min_count: int) -> pl.Expr:
    """Would shown count/base, minus the links drawn (columns yes, no), reveal
    1..min_count-1 persons? Rows without drawn links count as none known."""
    hidden_yes = pl.col(count) - pl.col("yes").fill_null(0)
    hidden_no = (pl.col(base) - pl.col(count)) - pl.col("no").fill_null(0)
    return ((hidden_yes > 0) & (hidden_yes < min_count)) | ((hidden_no > 0) & (hidden_no < min_count))


def _share_rows(trans: pl.DataFrame, row: pl.Expr) -> pl.DataFrame:
    frame = trans.with_columns(
        row.cast(pl.String).alias("row"),
        (pl.col("receiving_section") == MANUFACTURING).fill_null(False).alias("in_c"),
        (pl.col("home_ags") == pl.col("receiving_ags")).fill_null(False).alias("same_kreis"),
        (pl.col("home_land") == pl.col("receiving_land")).fill_null(False).alias("same_land"),
        pl.col("receiving_tarif").alias("into_tarif"),
    )
    return frame.group_by("row").agg(
        pl.len().cast(pl.Int64).alias("transitions"),
        *[pl.col(m).sum().cast(pl.Int64) for m in MEASURES],
        pl.col("wage_ratio").median().alias("wage_ratio"),
        pl.col("wage_ratio").count().cast(pl.Int64).alias("wage_pairs"),
    )


def _raw_shares(
    source_column: str,
    sector_variants: list[pl.DataFrame],
    trans: pl.DataFrame,
    region: pl.DataFrame,
    net: pl.DataFrame | None,
    manufacturing: list[str],
    land_of: dict[str, str],
    min_count: int,
) -> tuple[pl.DataFrame, list[frozenset[int] | str], dict[str, list[bool]], dict[str, list[bool]]]:
    """The unprotected shares table of one Sankey setting (sources in ``source_column``), each
    row's persons (row numbers of ``trans``; "network" for the network row), the cells
    withheld because a shown share minus the links drawn (in any of ``sector_variants``, the
    Sankeys of these sources by WZ division and by section, and the arc map) would reveal
    1..min_count-1 persons, and the cells the links give away exactly (fixed: never chosen to
    protect another cell, as the page shows them anyway)."""
    source = pl.col(source_column)
    shown_sources = sector_variants[0]["source"].unique().to_list()
    row_key = (
        source
        if min_count <= 0
        else pl.when(source.is_in(shown_sources)).then(source).otherwise(pl.lit(OTHER))
    )
    rows = _share_rows(trans, row_key).sort("row")
    members = trans.with_row_index("_i").group_by(row_key.cast(pl.String).alias("row")).agg(pl.col("_i"))
    by_row = {row: frozenset(indices) for row, indices in members.iter_rows()}
    persons: list[frozenset[int] | str] = [by_row[row] for row in rows["row"].to_list()]
    frames = [rows.with_columns(pl.lit("part").alias("kind"))]
    if trans.height:
        frames.append(_share_rows(trans, pl.lit("_total")).with_columns(pl.lit("total").alias("kind")))
        persons.append(frozenset(range(trans.height)))
    if net is not None and net.height:
        frames.append(_share_rows(net, pl.lit("_network")).with_columns(pl.lit("network").alias("kind")))
        persons.append("network")
    shares = pl.concat(frames)
    prehidden: dict[str, list[bool]] = {m: [False] * shares.height for m in MEASURES}
    fixed: dict[str, list[bool]] = {m: [False] * shares.height for m in MEASURES}
    if min_count <= 0:
        return shares, persons, prehidden, fixed

    def mark(measure: str, known: pl.DataFrame, rows: pl.Expr) -> None:
        """known: shares rows with the persons drawn with (yes) / without (no) the property."""
        flags = known.select(
            (rows & _differencing(measure, "transitions", min_count)).alias("hidden"),
            (rows & (pl.col("yes").fill_null(0) + pl.col("no").fill_null(0) == pl.col("transitions")))
            .fill_null(False)
            .alias("fixed"),
        )
        prehidden[measure] = [a or b for a, b in zip(prehidden[measure], flags["hidden"], strict=True)]
        fixed[measure] = [a or b for a, b in zip(fixed[measure], flags["fixed"], strict=True)]

    into_c = pl.col("target").is_in([*manufacturing, MANUFACTURING])  # divisions of C, or C itself
    for links in sector_variants:
        known_c = pl.concat(
            [
                _known(links, into_c, by="source")
                .rename({"source": "row"})
                .with_columns(kind=pl.lit("part")),
                _known(links, into_c).with_columns(row=pl.lit("_total"), kind=pl.lit("total")),
            ],
            how="diagonal",
        )
        mark(
            "in_c",
            shares.join(known_c, on=["row", "kind"], how="left", maintain_order="left"),
            pl.col("kind") != "network",
        )

    def land(side: str) -> pl.Expr:
        return pl.col(side).replace_strict(land_of, default=None)

    same = {
        "same_kreis": pl.col("source").eq_missing(pl.col("target")),
        "same_land": land("source").eq_missing(land("target")),
    }
    for measure, keep in same.items():
        yes, no = _known(region, keep).row(0)
        mark(measure, shares.with_columns(yes=pl.lit(yes), no=pl.lit(no)), pl.col("kind") == "total")
    if same_kreis_exact(region):
        # the arc map gives the selection's stays in the home Kreis exactly: public anyway
        total = (shares["kind"] == "total").to_list()
        fixed["same_kreis"] = [a or b for a, b in zip(fixed["same_kreis"], total, strict=True)]
    return shares, persons, prehidden, fixed


def same_kreis_exact(region: pl.DataFrame) -> bool:
    """Do the arc map's links give the persons staying in their home Kreis exactly? A source's
    links are never split, so its stays are its link to itself when that is drawn, and none
    when the source merged nothing into 'übrige'; a pooled source ('übrige' origin) or a
    source whose own Kreis may be inside its 'übrige' leaves them open."""
    targets: dict[str, set[str]] = {}
    for source, target in region.select("source", "target").iter_rows():
        targets.setdefault(source, set()).add(target)
    if OTHER in targets:
        return False
    return all(source in shown or OTHER not in shown for source, shown in targets.items())


def _protect_together(tables: list, min_count: int, rounds: int = 10) -> pl.DataFrame:
    """Protect the first shares table so that a row of the same persons in another table (the
    other toggle setting) is withheld alike: cells withheld in either are withheld in both,
    repeated until no table withholds more (secondary suppression may add cells)."""
    extra = [{m: [False] * t[0].height for m in MEASURES} for t in tables]
    protected: list[pl.DataFrame] = []
    for _ in range(rounds):
        protected = []
        for (shares, _, prehidden, fixed), more in zip(tables, extra, strict=True):
            kept = {"transitions": (shares["kind"] != "network").to_list(), **fixed}
            merged = {m: [a or b for a, b in zip(prehidden[m], more[m], strict=True)] for m in MEASURES}
            protected.append(
                protect_shares(
                    shares,
                    MEASURES,
                    "transitions",
                    total_row=pl.col("kind") == "total",
                    comparison_row=pl.col("kind") == "network",
                    prehidden=merged,
                    fixed=kept,
                    min_count=min_count,
                )
            )
        changed = False
        for i, (_, persons, _, _) in enumerate(tables):
            for j, (_, other_persons, _, _) in enumerate(tables):
                if i == j:
                    continue
                position = {p: r for r, p in enumerate(other_persons)}
                for r, p in enumerate(persons):
                    o = position.get(p)
                    if o is None:
                        continue
                    for m in MEASURES:
                        if protected[j][flag_column(m)][o] and not extra[i][m][r]:
                            extra[i][m][r] = True
                            changed = True
        if not changed:
            break
    return protected[0]


def other_share(links: pl.DataFrame) -> float | None:
    """Share of the persons on a diagram that stand on merged ('übrige') links."""
    total = links["persons"].sum() if links.height else 0
    if not total:
        return None
    merged = links.filter((pl.col("source") == OTHER) | (pl.col("target") == OTHER))["persons"].sum()
    return merged / total


def _coarse_key(key: str, digits: int) -> str:
    return key if key in ("?", OTHER) else key[:digits]


def _sector_levels(
    trans: pl.DataFrame, automotive: AutomotiveDefinition, section_of: dict[str, str], min_count: int
):
    """The four sector Sankeys the page can show (sources by group or by group/WZ division,
    targets by WZ division or section), each protected against the coarser ones."""
    raw = {
        (detail, level): links_frame(
            trans,
            source_key(automotive, not detail),
            pl.col("receiving_wz" if level == "division" else "receiving_section").fill_null("?"),
        )
        for detail in (False, True)
        for level in ("section", "division")
    }

    def group(key: str) -> str:
        return key.partition("/")[0]

    def section(key: str) -> str:
        return section_of.get(key, "?") if key != "?" else key

    out = {(False, "section"): protect_links(raw[(False, "section")], min_count, other=OTHER)}
    out[(False, "division")] = protect_links_nested(
        raw[(False, "division")],
        [(out[(False, "section")], lambda s, t: (s, section(t)))],
        min_count,
        other=OTHER,
    )
    out[(True, "section")] = protect_links_nested(
        raw[(True, "section")],
        [(out[(False, "section")], lambda s, t: (group(s), t))],
        min_count,
        other=OTHER,
    )
    out[(True, "division")] = protect_links_nested(
        raw[(True, "division")],
        [
            (out[(False, "section")], lambda s, t: (group(s), section(t))),
            (out[(False, "division")], lambda s, t: (group(s), t)),
            (out[(True, "section")], lambda s, t: (s, section(t))),
        ],
        min_count,
        other=OTHER,
    )
    return out


def _occupation_levels(trans: pl.DataFrame, min_count: int) -> dict[int, pl.DataFrame]:
    """KldB Sankeys at 1, 2 and 3 digits, each protected against the coarser ones."""
    out: dict[int, pl.DataFrame] = {}
    for digits in (1, 2, 3):

        def kldb(column: str, d: int = digits) -> pl.Expr:
            return pl.col(column).str.slice(0, d).fill_null("?")

        raw = links_frame(trans, kldb("origin_kldb"), kldb("target_kldb"))
        coarser = [(out[d], lambda s, t, d=d: (_coarse_key(s, d), _coarse_key(t, d))) for d in sorted(out)]
        out[digits] = protect_links_nested(raw, coarser, min_count, other=OTHER)
    return out


def readable_level(variants: list[tuple[object, pl.DataFrame]], limit: float = 0.5):
    """The first (finest wanted) variant whose 'übrige' holds less than ``limit`` of the
    persons (a minority), else the coarsest: (level, links)."""
    for level, links in variants:
        share = other_share(links)
        if share is None or share < limit:
            return level, links
    return variants[-1]


def flow_view(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    ags: list[str],
    settings: Settings,
    *,
    lang: str = "de",
    grouped: bool = True,
    kldb_digits: int = 3,
    protected: bool = True,
    readable: bool = True,
    cube: bool = True,
) -> FlowView:
    """Sector and occupation Sankeys, the arc map's links and the shares table.

    Every Sankey the page can show (group toggle on/off, KldB 3/2/1 digits, WZ division or
    section) is protected against the coarser ones of the same persons, so that no toggle
    reveals what another withholds. ``readable``: when most persons of a Sankey would stand on
    'übrige' links, it groups coarser (targets by WZ section, KldB down to 1 digit).
    ``cube``: withhold what the one suppression pattern withholds (``_cube_status``: the
    selection's and the network's transitions and collective-agreement counts); off only to
    test the page's own rules on their own."""
    min_count = settings.disclosure_min_count if protected else 0
    trans = transitions(con, start, end, ags)
    network = network_regions(con, settings)
    cube_hidden = _cube_status(con, settings, ags, network, start, end) if min_count > 0 and cube else {}
    automotive = settings.automotive
    sectors, occupations = _titles(con, "sector", lang), _titles(con, "occupation", lang)
    region_table = query(con, "SELECT ags, name FROM region")
    names = dict(zip(region_table["ags"], region_table["name"], strict=True))
    other, unknown = _t("other", lang), _t("unknown", lang)
    sections = query(con, "SELECT code, parent FROM sector WHERE level = 'division'")
    section_of = dict(zip(sections["code"], sections["parent"], strict=True))
    manufacturing = sections.filter(pl.col("parent") == MANUFACTURING)["code"].to_list()
    lands = query(con, "SELECT ags, land_code FROM region")
    land_of = dict(zip(lands["ags"], lands["land_code"], strict=True))

    # sector Sankeys
    trans = trans.with_columns(
        source_key(automotive, grouped).alias("_source"),
        source_key(automotive, not grouped).alias("_source_other"),
    )
    sector_levels = _sector_levels(trans, automotive, section_of, min_count)
    detail = not grouped
    wanted = [
        ("division", sector_levels[(detail, "division")]),
        ("section", sector_levels[(detail, "section")]),
    ]
    sector_level, sector = readable_level(wanted) if readable else wanted[0]

    def source_label(key: str) -> str:
        if key == OTHER:
            return f"{other} ({_t('origin_side', lang)})"
        group, _, wz = key.partition("/")
        codes = automotive.core if group == "core" else automotive.supplier
        name = _t(group, lang)
        if not wz:
            return f"{name} (WZ {', '.join(codes)})" if group != "rest" else name
        return f"WZ {wz} {sectors.get(wz, unknown)} – {name}"

    def sector_label(key: str) -> str:
        if key == OTHER:
            return f"{other} ({_t('target_side', lang)})"
        return f"WZ {key} {sectors.get(key, unknown)}"

    sector = _labelled(sector, source_label, sector_label)

    # occupation Sankeys
    occupation_levels = _occupation_levels(trans, min_count)
    wanted_kldb = [(d, occupation_levels[d]) for d in (3, 2, 1) if d <= kldb_digits]
    digits_shown, occupation = readable_level(wanted_kldb) if readable else wanted_kldb[0]

    def kldb_label(side: str) -> Callable[[str], str]:
        def label(key: str) -> str:
            if key == OTHER:
                return f"{other} ({side})"
            return f"{key} {occupations.get(key, unknown)}"

        return label

    occupation = _labelled(
        occupation, kldb_label(_t("origin_side", lang)), kldb_label(_t("target_side", lang))
    )

    # arc map: home Kreis -> Kreis of the receiving firm
    region_raw = links_frame(trans, pl.col("home_ags"), pl.col("receiving_ags"))
    region = protect_links(region_raw, min_count, other=OTHER)
    region = _labelled(
        region,
        lambda a: other if a == OTHER else names.get(a, a),
        lambda a: other if a == OTHER else names.get(a, a),
    )
    geometry = query(con, "SELECT ags, centroid_lon AS lon, centroid_lat AS lat FROM region_geometry")
    for side in ("source", "target"):
        region = region.join(
            geometry.rename({"ags": side, "lon": f"{side}_lon", "lat": f"{side}_lat"}), on=side, how="left"
        )
    region = region.sort("persons", "source", "target", descending=[True, False, False])

    # shares per sector source (as pooled in the Sankey) + selection total (+ network total),
    # protected together with the table of the other setting of the group toggle: a row of
    # the same persons in both (the selection total; "Automobilkern" = "WZ 29") has the same
    # cells withheld in both, so that no toggle shows what the other withholds; the links of
    # every Sankey setting and the arc map count as known
    net = transitions(con, start, end, network) if not covers_network(con, ags) else None
    if cube_hidden.get("network_transitions") or cube_hidden.get("selection_transitions"):
        net = None  # withheld by the one pattern, or nothing of the selection is shown
    context = (trans, region, net, manufacturing, land_of, min_count)
    tables = [
        _raw_shares(column, [sector_levels[(d, "division")], sector_levels[(d, "section")]], *context)
        for column, d in (("_source", detail), ("_source_other", not detail))
    ]
    for shares, _, prehidden, fixed in tables:
        # the collective-agreement counts of the selection and the network are cells of the
        # one pattern (Übersicht shows them as the tarif share): withheld here where it
        # withholds them, shown (never chosen to protect another cell) where it shows them
        for r, kind in enumerate(shares["kind"].to_list()):
            status = cube_hidden.get(f"{'network' if kind == 'network' else 'selection'}_tarif")
            if kind == "part" or status is None:
                continue
            prehidden["into_tarif"][r] = prehidden["into_tarif"][r] or status
            fixed["into_tarif"][r] = fixed["into_tarif"][r] or not status
    protected_shares = _protect_together(tables, min_count)
    small_wages = pl.col("wage_pairs") < max(min_count, 1)
    protected_shares = protected_shares.with_columns(
        pl.when(small_wages).then(None).otherwise(pl.col("wage_ratio")).alias("wage_ratio"),
        (small_wages & (pl.col("wage_pairs") > 0) if min_count > 0 else pl.lit(False)).alias(
            flag_column("wage_ratio")
        ),
    ).drop("wage_pairs")
    labels = {"_total": _t("selection", lang), "_network": _t("network", lang)}
    protected_shares = protected_shares.with_columns(
        label_lookup(protected_shares, "row", lambda k: labels.get(k) or source_label(k)).alias("label")
    )
    n = trans.height
    shown_n = None if 0 < n < min_count else n
    if cube_hidden.get("selection_transitions"):
        # the one suppression pattern withholds the selection's transitions in the period:
        # every diagram and every row of the shares table add up to them, so none is shown
        # (the selection's row stays, withheld)
        shown_n = None
        sector, occupation, region = sector.head(0), occupation.head(0), region.head(0)
        protected_shares = _withhold_all(protected_shares.filter(pl.col("kind") == "total"))
    return FlowView(
        shown_n,
        sector,
        occupation,
        region,
        protected_shares,
        has_geometry=geometry.height > 0,
        sector_level=sector_level,
        kldb_digits=digits_shown,
    )


def _withhold_all(shares: pl.DataFrame) -> pl.DataFrame:
    """Every count and share of the rows withheld ("*")."""
    columns = ["transitions", *MEASURES, *(f"{m}_share" for m in MEASURES), "wage_ratio"]
    return shares.with_columns(
        *(pl.lit(None, dtype=shares.schema[c]).alias(c) for c in columns),
        *(pl.lit(True).alias(flag_column(c)) for c in columns),
    )


def _cube_status(con, settings: Settings, ags, network, start: date, end: date) -> dict[str, bool]:
    """Whether the one suppression pattern (analytics.case_pattern) withholds the selection's
    and the network's transitions and collective-agreement counts in the page's period: the
    quarter of ``start`` .. ``end``, or since project start up to ``end``'s quarter."""
    from analytics.case_pattern import case_pattern
    from analytics.periods import Quarter

    pattern = case_pattern(con, settings)
    first, last = Quarter.of(start), Quarter.of(end)
    if start == first.start and first == last:
        period = ("q", f"{last.year}-Q{last.q}")
    else:  # the page's cumulative scope: since project start
        period = ("c", f"{last.year}-Q{last.q}")
    out: dict[str, bool] = {}
    for name, where in (("selection", ags), ("network", network)):
        node = pattern.node(where)
        if node is None or node == ():
            continue  # a free union is withheld by the caller; no cases: nothing to hide
        out[f"{name}_transitions"] = pattern.is_hidden(node, period, "transitions")
        out[f"{name}_tarif"] = pattern.any_hidden(node, period, ("into_tarif", "not_tarif"))
    return out


def kreis_outlines(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """ags, name, geojson of every Kreis with geometry (empty without geometry)."""
    return query(
        con,
        "SELECT g.ags, r.name, g.geojson FROM region_geometry AS g "
        "JOIN region AS r ON r.ags = g.ags ORDER BY g.ags",
    )


def share_units() -> dict[str, str]:
    """Display units of the shares table's columns."""
    return {"transitions": "count", **{f"{m}_share": "share" for m in MEASURES}, "wage_ratio": "ratio"}
