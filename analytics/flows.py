"""Where people went (design §4): flows of the network's transitions by sector, occupation
and region, and the shares staying in manufacturing, in the Kreis and in the Land.

All views of one page come from :func:`flow_view`, which applies disclosure control across
them: links of 1–2 persons are merged into "übrige" links (analytics.disclosure.protect_links),
and a share is withheld when, together with the links drawn, it would reveal 1–2 persons.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from analytics.db import query
from analytics.disclosure import flag_column, protect_links, protect_shares
from analytics.kpi import _sql, network_regions, with_case_summary
from analytics.settings import AutomotiveDefinition, Settings

OTHER = "_other"
MANUFACTURING = "C"
MEASURES = ("in_c", "same_kreis", "same_land", "into_tarif")
TEXT = {
    "other": ("übrige", "other"),
    "unknown": ("unbekannt", "unknown"),
    "core": ("Automobilkern", "Automotive core"),
    "supplier": ("Zulieferbranchen", "Supplier industries"),
    "rest": ("Sonstige Branchen", "Other industries"),
    "selection": ("Auswahl gesamt", "Selection total"),
    "network": ("Netzwerk gesamt", "Network total"),
}


def _t(key: str, lang: str) -> str:
    de, en = TEXT[key]
    return de if lang == "de" else en


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
    core, supplier = ", ".join(automotive.core), ", ".join(automotive.supplier)
    if lang == "de":
        return (
            f"Automobilkern = WZ {core}; Zulieferbranchen = WZ {supplier} (Konfiguration "
            f"`automotive`); Branche = WZ-Abteilung des abgebenden bzw. aufnehmenden Betriebs."
        )
    return (
        f"Automotive core = WZ {core}; supplier industries = WZ {supplier} (configuration "
        f"`automotive`); sector = WZ division of the releasing or receiving firm."
    )


def _titles(con: duckdb.DuckDBPyConnection, table: str, lang: str) -> dict[str, str]:
    column = "title_de" if lang == "de" else "coalesce(title_en, title_de)"
    sql = {
        "sector": f"SELECT code, {column} AS title FROM sector",  # noqa: S608 (constant)
        "occupation": f"SELECT code, {column} AS title FROM occupation",  # noqa: S608 (constant)
    }[table]  # noqa: S608
    frame = query(con, sql)
    return dict(zip(frame["code"], frame["title"], strict=True))


def source_keys(trans: pl.DataFrame, automotive: AutomotiveDefinition, grouped: bool) -> list[str]:
    """The Sankey source of each transition: its sector group, or group/division."""
    out = []
    for wz in trans["releasing_wz"].to_list():
        group = sector_group(wz, automotive)
        out.append(group if grouped else f"{group}/{wz or '?'}")
    return out


def links_frame(sources: list[str], targets: list[str]) -> pl.DataFrame:
    """Raw (unprotected) link counts."""
    frame = pl.DataFrame(
        {"source": sources, "target": targets}, schema={"source": pl.String, "target": pl.String}
    )
    return (
        frame.group_by("source", "target")
        .agg(pl.len().cast(pl.Int64).alias("persons"))
        .sort("source", "target")
    )


@dataclass(frozen=True)
class FlowView:
    """Everything the Branchen & Übergänge page shows, protected together."""

    transitions: int | None  # persons in the selection (None when withheld)
    sector_links: pl.DataFrame  # source, target, persons, merged, source_label, target_label
    occupation_links: pl.DataFrame
    region_links: pl.DataFrame  # ... plus source/target lon, lat (None without geometry)
    shares: pl.DataFrame  # one row per sector source + selection total (+ network total)
    has_geometry: bool


def _labelled(links: pl.DataFrame, source_label, target_label) -> pl.DataFrame:
    return links.with_columns(
        pl.col("source").map_elements(source_label, return_dtype=pl.String).alias("source_label"),
        pl.col("target").map_elements(target_label, return_dtype=pl.String).alias("target_label"),
    )


def _known(links: pl.DataFrame, keep) -> tuple[int, int]:
    """Persons on drawn links between real nodes with / without a property."""
    yes = no = 0
    for source, target, persons in links.select("source", "target", "persons").iter_rows():
        if source == OTHER or target == OTHER:
            continue
        if keep(source, target):
            yes += persons
        else:
            no += persons
    return yes, no


def _differencing(count: int, base: int, known: tuple[int, int], min_count: int) -> bool:
    """Would shown count/base, minus the links drawn, reveal 1..min_count-1 persons?"""
    hidden_yes, hidden_no = count - known[0], (base - count) - known[1]
    return any(0 < v < min_count for v in (hidden_yes, hidden_no))


def _share_rows(trans: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    frame = trans.with_columns(
        pl.Series("row", keys, dtype=pl.String),
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
    trans: pl.DataFrame,
    keys: list[str],
    sector: pl.DataFrame,
    region: pl.DataFrame,
    net: pl.DataFrame | None,
    section_of: dict[str, str],
    land_of: dict[str, str],
    min_count: int,
) -> tuple[pl.DataFrame, list[frozenset[int] | str], dict[str, list[bool]]]:
    """The unprotected shares table of one Sankey setting, each row's persons (indices into
    ``trans``; "network" for the network row) and the cells withheld because a shown share
    minus the drawn links would reveal 1..min_count-1 persons."""
    shown_sources = set(sector["source"].to_list())
    row_keys = [k if k in shown_sources or min_count <= 0 else OTHER for k in keys]
    rows = _share_rows(trans, row_keys).sort("row")
    members: dict[str, set[int]] = {}
    for i, key in enumerate(row_keys):
        members.setdefault(key, set()).add(i)
    frames = [rows.with_columns(pl.lit("part").alias("kind"))]
    persons: list[frozenset[int] | str] = [frozenset(members[k]) for k in rows["row"].to_list()]
    if trans.height:
        frames.append(
            _share_rows(trans, ["_total"] * trans.height).with_columns(pl.lit("total").alias("kind"))
        )
        persons.append(frozenset(range(trans.height)))
    if net is not None and net.height:
        frames.append(
            _share_rows(net, ["_network"] * net.height).with_columns(pl.lit("network").alias("kind"))
        )
        persons.append("network")
    shares = pl.concat(frames)
    prehidden: dict[str, list[bool]] = {m: [False] * shares.height for m in MEASURES}
    if min_count > 0:
        in_c = lambda _s, t: section_of.get(t) == MANUFACTURING  # noqa: E731
        for i, row in enumerate(shares.iter_rows(named=True)):
            if row["kind"] == "network":
                continue
            part = sector if row["kind"] == "total" else sector.filter(pl.col("source") == row["row"])
            prehidden["in_c"][i] = _differencing(
                row["in_c"], row["transitions"], _known(part, in_c), min_count
            )
            if row["kind"] == "total":
                known_k = _known(region, lambda s, t: s == t)
                known_l = _known(region, lambda s, t: land_of.get(s) == land_of.get(t))
                prehidden["same_kreis"][i] = _differencing(
                    row["same_kreis"], row["transitions"], known_k, min_count
                )
                prehidden["same_land"][i] = _differencing(
                    row["same_land"], row["transitions"], known_l, min_count
                )
    return shares, persons, prehidden


def _protect_together(tables: list, min_count: int, rounds: int = 10) -> pl.DataFrame:
    """Protect the first shares table so that a row of the same persons in another table (the
    other toggle setting) is withheld alike: cells withheld in either are withheld in both,
    repeated until no table withholds more (secondary suppression may add cells)."""
    extra = [{m: [False] * t[0].height for m in MEASURES} for t in tables]
    protected: list[pl.DataFrame] = []
    for _ in range(rounds):
        protected = []
        for (shares, _, prehidden), more in zip(tables, extra, strict=True):
            fixed = {"transitions": [k != "network" for k in shares["kind"].to_list()]}
            merged = {m: [a or b for a, b in zip(prehidden[m], more[m], strict=True)] for m in MEASURES}
            protected.append(
                protect_shares(
                    shares,
                    MEASURES,
                    "transitions",
                    total_row=pl.col("kind") == "total",
                    comparison_row=pl.col("kind") == "network",
                    prehidden=merged,
                    fixed=fixed,
                    min_count=min_count,
                )
            )
        changed = False
        for i, (_, persons, _) in enumerate(tables):
            for j, (_, other_persons, _) in enumerate(tables):
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
) -> FlowView:
    """Sector and occupation Sankeys, the arc map's links and the shares table."""
    min_count = settings.disclosure_min_count if protected else 0
    trans = transitions(con, start, end, ags)
    automotive = settings.automotive
    sectors, occupations = _titles(con, "sector", lang), _titles(con, "occupation", lang)
    region_table = query(con, "SELECT ags, name FROM region")
    names = dict(zip(region_table["ags"], region_table["name"], strict=True))
    other, unknown = _t("other", lang), _t("unknown", lang)
    sections = query(con, "SELECT code, parent FROM sector WHERE level = 'division'")
    section_of = dict(zip(sections["code"], sections["parent"], strict=True))
    lands = query(con, "SELECT ags, land_code FROM region")
    land_of = dict(zip(lands["ags"], lands["land_code"], strict=True))

    # sector Sankey
    keys = source_keys(trans, automotive, grouped)
    sector_raw = links_frame(keys, [w or "?" for w in trans["receiving_wz"].to_list()])
    sector = protect_links(sector_raw, min_count, other=OTHER)

    def source_label(key: str) -> str:
        if key == OTHER:
            return f"{other} ({'Herkunft' if lang == 'de' else 'origin'})"
        group, _, wz = key.partition("/")
        codes = automotive.core if group == "core" else automotive.supplier
        name = _t(group, lang)
        if not wz:
            return f"{name} (WZ {', '.join(codes)})" if group != "rest" else name
        return f"WZ {wz} {sectors.get(wz, unknown)} – {name}"

    def sector_label(key: str) -> str:
        if key == OTHER:
            return f"{other} ({'Ziel' if lang == 'de' else 'destination'})"
        return f"WZ {key} {sectors.get(key, unknown)}"

    sector = _labelled(sector, source_label, sector_label)

    # occupation Sankey
    def kldb(code: str | None) -> str:
        return code[:kldb_digits] if code else "?"

    occupation_raw = links_frame(
        [kldb(c) for c in trans["origin_kldb"].to_list()], [kldb(c) for c in trans["target_kldb"].to_list()]
    )
    occupation = protect_links(occupation_raw, min_count, other=OTHER)

    def kldb_label(side: str):
        def label(key: str) -> str:
            if key == OTHER:
                return f"{other} ({side})"
            return f"{key} {occupations.get(key, unknown)}"

        return label

    de = lang == "de"
    occupation = occupation.with_columns(
        pl.col("source")
        .map_elements(kldb_label("Herkunft" if de else "origin"), return_dtype=pl.String)
        .alias("source_label"),
        pl.col("target")
        .map_elements(kldb_label("Ziel" if de else "destination"), return_dtype=pl.String)
        .alias("target_label"),
    )

    # arc map: home Kreis -> Kreis of the receiving firm
    region_raw = links_frame(trans["home_ags"].to_list(), trans["receiving_ags"].to_list())
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
    # cells withheld in both, so that no toggle shows what the other withholds
    network = network_regions(con)
    net = transitions(con, start, end, network) if not set(network) <= set(ags) else None
    other_sector = protect_links(
        links_frame(
            source_keys(trans, automotive, not grouped), [w or "?" for w in trans["receiving_wz"].to_list()]
        ),
        min_count,
        other=OTHER,
    )
    tables = [
        _raw_shares(trans, keys, sector, region, net, section_of, land_of, min_count),
        _raw_shares(
            trans,
            source_keys(trans, automotive, not grouped),
            other_sector,
            region,
            net,
            section_of,
            land_of,
            min_count,
        ),
    ]
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
        pl.col("row")
        .map_elements(lambda k: labels.get(k) or source_label(k), return_dtype=pl.String)
        .alias("label")
    )
    n = trans.height
    shown_n = None if 0 < n < min_count else n
    return FlowView(shown_n, sector, occupation, region, protected_shares, has_geometry=geometry.height > 0)


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
