"""Areas for regional comparisons and sums of BA values over Kreise that keep suppression.

A BA value withheld by the source ("*") is NULL with ``<column>__suppressed`` set. A sum over
Kreise (Agentur, Land, a 2-digit KldB group, …) with one withheld component is itself unknown:
it is withheld too, never computed as if the component were 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from analytics.disclosure import flag_column


@dataclass(frozen=True)
class Area:
    """A set of Kreise shown as one comparison figure (selection, Agentur, Land)."""

    key: str  # selection | agentur | land
    label_de: str
    label_en: str
    ags: tuple[str, ...]
    note_de: str = ""
    note_en: str = ""

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en

    def note(self, lang: str) -> str:
        return self.note_de if lang == "de" else self.note_en


def _members(regions: pl.DataFrame, column: str, values: Sequence[str]) -> tuple[str, ...]:
    return tuple(regions.filter(pl.col(column).is_in(list(values)))["ags"].sort())


def comparison_areas(
    regions: pl.DataFrame, ags: Sequence[str], label_de: str, label_en: str | None = None
) -> list[Area]:
    """The selection, the Agentur district(s) of its Kreise and their Land (Länder).

    When the selection spans several Agenturen (or Länder) they are shown summed, and the
    area's note says so.
    """
    chosen = regions.filter(pl.col("ags").is_in(list(ags)))
    agenturen = sorted(chosen["agentur"].unique())
    lands = chosen.select("land_code", "land_name").unique().sort("land_code")
    areas = [Area("selection", label_de, label_en or label_de, tuple(sorted(chosen["ags"])))]
    if agenturen:
        names = " + ".join(agenturen)
        several = len(agenturen) > 1
        areas.append(
            Area(
                "agentur",
                ("Agenturen für Arbeit " if several else "Agentur für Arbeit ") + names,
                ("Employment agencies " if several else "Employment agency ") + names,
                _members(regions, "agentur", agenturen),
                f"Die Auswahl liegt in {len(agenturen)} Agenturbezirken; sie sind zusammengezählt."
                if several
                else "",
                f"The selection spans {len(agenturen)} agency districts; they are summed." if several else "",
            )
        )
    if lands.height:
        areas.append(lands_area(regions, lands["land_code"].to_list()))
    return _distinct_areas(areas)


def lands_area(regions: pl.DataFrame, land_codes: Sequence[str] | None = None) -> Area:
    """The Land (or the Länder summed, which its note says) as one area keyed "land"; all
    Länder of ``regions`` when no codes are given."""
    lands = regions.select("land_code", "land_name").unique().sort("land_code")
    if land_codes is not None:
        lands = lands.filter(pl.col("land_code").is_in(list(land_codes)))
    names = " + ".join(lands["land_name"])
    several = lands.height > 1
    return Area(
        "land",
        ("Länder " if several else "Land ") + names,
        ("States " if several else "State of ") + names,
        _members(regions, "land_code", lands["land_code"].to_list()),
        "Die Auswahl liegt in mehreren Ländern; sie sind zusammengezählt." if several else "",
        "The selection spans several states; they are summed." if several else "",
    )


def _distinct_areas(areas: list[Area]) -> list[Area]:
    """Drop comparison areas that repeat the selection or another area (e.g. the Agentur
    preset beside its own Agentur, Land Niedersachsen beside its Land), and an Agentur sum
    that reaches as far as the Land comparison or beyond it (a Land selection's agencies, some
    of which also serve Kreise of the other Land): it compares nothing."""
    land = next((a for a in areas if a.key == "land"), None)
    kept: list[Area] = []
    for area in areas:
        if any(set(area.ags) == set(other.ags) for other in kept):
            continue
        if area.key == "agentur" and land is not None and set(area.ags) >= set(land.ags):
            continue
        kept.append(area)
    return kept


def land_areas(regions: pl.DataFrame) -> list[Area]:
    """One area per Land, keyed by the Land code."""
    lands = regions.select("land_code", "land_name").unique().sort("land_code")
    return [
        Area(code, f"Land {name}", f"State of {name}", _members(regions, "land_code", [code]))
        for code, name in lands.rows()
    ]


def ensure_flags(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Add missing ``__suppressed`` columns (False) and make existing ones non-null."""
    return frame.with_columns(
        (pl.col(flag_column(c)).fill_null(False) if flag_column(c) in frame.columns else pl.lit(False)).alias(
            flag_column(c)
        )
        for c in columns
    )


def sum_flagged(frame: pl.DataFrame, by: Sequence[str], columns: Sequence[str]) -> pl.DataFrame:
    """Sum ``columns`` per group; a sum with a withheld component is withheld (NULL + flag)."""
    frame = ensure_flags(frame, columns)
    aggregations = []
    for column in columns:
        flag = flag_column(column)
        aggregations += [pl.col(column).sum().alias(column), pl.col(flag).any().alias(flag)]
    out = frame.group_by(list(by), maintain_order=True).agg(aggregations)
    return out.with_columns(
        pl.when(pl.col(flag_column(c))).then(None).otherwise(pl.col(c)).alias(c) for c in columns
    )


def area_sums(
    frame: pl.DataFrame, areas: Sequence[Area], columns: Sequence[str], by: Sequence[str] = ()
) -> pl.DataFrame:
    """Per area (and ``by`` columns, e.g. the quarter) the flagged sums of ``columns`` over
    its Kreise; ``frame`` has one row per Kreis (and ``by``) with an ``ags`` column."""
    membership = pl.DataFrame(
        [(a.key, ags) for a in areas for ags in a.ags],
        schema={"area": pl.String, "ags": pl.String},
        orient="row",
    )
    joined = membership.join(frame, on="ags", how="inner")
    order = {a.key: i for i, a in enumerate(areas)}
    sums = sum_flagged(joined, ["area", *by], columns)
    labels = pl.DataFrame(
        {
            "area": [a.key for a in areas],
            "area_label_de": [a.label_de for a in areas],
            "area_label_en": [a.label_en for a in areas],
        }
    )
    return (
        sums.join(labels, on="area", how="left")
        .with_columns(pl.col("area").replace_strict(order, return_dtype=pl.Int32).alias("_order"))
        .sort(["_order", *by])
        .drop("_order")
    )


def change_columns(frame: pl.DataFrame, column: str, previous: str) -> pl.DataFrame:
    """``<column>_change`` (absolute) and ``<column>_change_pct`` (share of the previous
    value) with flags: a change involving a withheld value is withheld."""
    flag = pl.col(flag_column(column)) | pl.col(flag_column(previous))
    change = pl.col(column) - pl.col(previous)
    pct = pl.when(pl.col(previous) > 0).then(change / pl.col(previous)).otherwise(None)
    return frame.with_columns(
        pl.when(flag).then(None).otherwise(change).alias(f"{column}_change"),
        flag.alias(flag_column(f"{column}_change")),
        pl.when(flag).then(None).otherwise(pct).alias(f"{column}_change_pct"),
        flag.alias(flag_column(f"{column}_change_pct")),
    )


def ratio_column(frame: pl.DataFrame, name: str, numerator: str, denominator: str) -> pl.DataFrame:
    """``name`` = numerator / denominator; withheld when either part is; NULL when the
    denominator is 0 (no ratio defined)."""
    flag = pl.col(flag_column(numerator)) | pl.col(flag_column(denominator))
    value = pl.when(pl.col(denominator) > 0).then(pl.col(numerator) / pl.col(denominator))
    return frame.with_columns(
        pl.when(flag).then(None).otherwise(value).alias(name),
        flag.alias(flag_column(name)),
    )


def pivot_areas(frame: pl.DataFrame, column: str, index: str = "quarter_start") -> pl.DataFrame:
    """One column per area (named by its key) of ``column``, with flags, sorted by ``index``."""
    frame = ensure_flags(frame, [column])
    values = frame.pivot(on="area", index=index, values=column, aggregate_function="first")
    flags = frame.pivot(on="area", index=index, values=flag_column(column), aggregate_function="first")
    areas = [c for c in values.columns if c != index]
    flags = flags.rename({a: flag_column(a) for a in areas})
    return (
        values.join(flags, on=index, how="left")
        .sort(index)
        .with_columns(pl.col(flag_column(a)).fill_null(False) for a in areas)
    )


def latest_rows(frame: pl.DataFrame, columns: Sequence[str], labels: dict[str, str]) -> pl.DataFrame:
    """For the latest ``quarter_start`` of each column's series: one row per column and area
    with the value, its change vs. the previous year (absolute, %) and flags. ``frame`` is the
    output of ``labour_market.year_on_year``; ``labels`` names the columns."""
    parts = []
    for column in columns:
        known = frame.filter(pl.col(column).is_not_null() | pl.col(flag_column(column)))
        if known.is_empty():
            continue
        latest = known["quarter_start"].max()
        rows = known.filter(pl.col("quarter_start") == latest)
        parts.append(
            rows.select(
                pl.lit(labels[column]).alias("measure"),
                "area",
                "area_label_de",
                "area_label_en",
                "quarter",
                pl.col(column).cast(pl.Float64).alias("value"),
                pl.col(flag_column(column)).alias(flag_column("value")),
                pl.col(f"{column}_change").cast(pl.Float64).alias("change"),
                pl.col(flag_column(f"{column}_change")).alias(flag_column("change")),
                pl.col(f"{column}_change_pct").cast(pl.Float64).alias("change_pct"),
                pl.col(flag_column(f"{column}_change_pct")).alias(flag_column("change_pct")),
            )
        )
    return pl.concat(parts) if parts else pl.DataFrame()


# --- published Land and Agentur rows -------------------------------------------------------
#
# BA tables carry rows for the Länder ('03 Niedersachsen') and, in the tables by Agentur, for
# the Agenturen für Arbeit ('<code> <name>'); they are stored with region_level 'land' or
# 'agentur' and ags = the Land or Agentur code. A comparison area that is such a region (or a
# union of them and single Kreise) takes its value from those rows: a Kreis withheld by the
# BA ("*") then no longer makes the Land "*". Where a file has no such row for a measure,
# period and breakdown, the area is the sum of its Kreise, and the source says which.

PUBLISHED_LEVELS = ("land", "agentur")
SOURCES = ("published_land", "published_agentur", "published", "kreis_sum", "mixed", "kreis")


@dataclass(frozen=True)
class Unit:
    """A published region an area is made of: a Land, an Agentur or a single Kreis."""

    level: str  # land | agentur | kreis
    code: str
    ags: tuple[str, ...]


def _groups(regions: pl.DataFrame, column: str) -> dict[str, frozenset[str]]:
    if column not in regions.columns:
        return {}
    frame = regions.filter(pl.col(column).is_not_null()).group_by(column).agg(pl.col("ags"))
    return {code: frozenset(members) for code, members in frame.rows()}


def published_units(regions: pl.DataFrame, ags: Iterable[str]) -> list[Unit]:
    """The published regions that make up the Kreise ``ags``: the Land or Agentur they are
    exactly, else the Länder they cover whole, then the Agenturen they cover whole among the
    rest, then the remaining Kreise one by one."""
    chosen = set(ags)
    lands, agencies = _groups(regions, "land_code"), _groups(regions, "agentur_code")
    for level, groups in (("land", lands), ("agentur", agencies)):
        for code, members in sorted(groups.items()):
            if members == chosen:
                return [Unit(level, code, tuple(sorted(members)))]
    units, rest = [], set(chosen)
    for level, groups in (("land", lands), ("agentur", agencies)):
        for code, members in sorted(groups.items()):
            if len(members) > 1 and members <= rest:
                units.append(Unit(level, code, tuple(sorted(members))))
                rest -= members
    return units + [Unit("kreis", a, (a,)) for a in sorted(rest)]


def _empty_published(kreise: pl.DataFrame, by: Sequence[str], columns: Sequence[str]) -> pl.DataFrame:
    return pl.DataFrame(
        schema={"ags": pl.String, "region_level": pl.String}
        | {b: kreise.schema[b] for b in by}
        | {c: pl.Float64 for c in columns}
        | {flag_column(c): pl.Boolean for c in columns}
    )


def comparison_values(
    kreise: pl.DataFrame,
    published: pl.DataFrame | None,
    areas: Sequence[Area],
    regions: pl.DataFrame,
    columns: Sequence[str],
    by: Sequence[str] = (),
    shown: Iterable[str] = (),
) -> pl.DataFrame:
    """Per area (and ``by``) the value of each of ``columns``: from the published Land or
    Agentur row where the files have one for that measure, period and breakdown, else the
    flagged sum of the Kreise (``area_sums``). Column ``source`` says which per row:
    ``published_land`` / ``published_agentur`` / ``published`` (published Land or Agentur rows
    only), ``kreis_sum``, ``mixed`` (published rows and Kreise summed) or ``kreis`` (a single
    Kreis, its own row).

    ``kreise``: one row per Kreis (and ``by``) with ``ags``; ``published``: the same columns
    per published region with ``ags`` = its code and ``region_level``. ``shown``: the Kreise
    the same view shows one by one. A published value is withheld where it, less what the
    view shows besides (a smaller area of ``areas``, the shown Kreise), would leave exactly one
    Kreis, and that Kreis is "*" (``protect_residuals``)."""
    by = list(by)
    kreise = ensure_flags(kreise, columns)
    published = (
        ensure_flags(published, columns) if published is not None else _empty_published(kreise, by, columns)
    )
    rows = []
    for area in areas:
        for unit in published_units(regions, area.ags):
            rows += [(area.key, unit.level, unit.code, a) for a in unit.ags]
    membership = pl.DataFrame(
        rows,
        schema={"area": pl.String, "_level": pl.String, "_unit": pl.String, "ags": pl.String},
        orient="row",
    )
    parts = sum_flagged(
        membership.join(kreise, on="ags", how="inner"), ["area", "_level", "_unit", *by], columns
    )
    pub = published.filter(pl.col("region_level").is_in(PUBLISHED_LEVELS)).select(
        pl.col("ags").alias("_unit"),
        pl.col("region_level").cast(pl.String).alias("_level"),
        *by,
        *[pl.col(c).cast(pl.Float64).alias(f"{c}_pub") for c in columns],
        *[pl.col(flag_column(c)).alias(f"{c}_pubflag") for c in columns],
    )
    parts = parts.join(pub, on=["_level", "_unit", *by], how="left")
    has = {c: pl.col(f"{c}_pub").is_not_null() | pl.col(f"{c}_pubflag").fill_null(False) for c in columns}
    parts = parts.with_columns(
        *[pl.when(has[c]).then(pl.col(f"{c}_pub")).otherwise(pl.col(c)).alias(c) for c in columns],
        *[
            pl.when(has[c])
            .then(pl.col(f"{c}_pubflag"))
            .otherwise(pl.col(flag_column(c)))
            .alias(flag_column(c))
            for c in columns
        ],
        pl.any_horizontal(*has.values()).alias("_any_pub"),
        (pl.all_horizontal(*has.values()) & (pl.col("_level") != "kreis")).alias("_all_pub"),
        (pl.col("_level") == "kreis").alias("_kreis"),
    )
    sums = sum_flagged(parts, ["area", *by], columns)
    kinds = parts.group_by(["area", *by]).agg(
        pl.col("_any_pub").any(),
        pl.col("_all_pub").all(),
        pl.col("_kreis").all(),
        pl.len().alias("_units"),
        pl.col("_level").n_unique().alias("_levels"),
        pl.col("_level").first().alias("_level"),
    )
    sums = sums.join(kinds, on=["area", *by], how="left").with_columns(
        pl.when(pl.col("_all_pub") & (pl.col("_levels") == 1))
        .then(pl.lit("published_") + pl.col("_level"))
        .when(pl.col("_all_pub"))
        .then(pl.lit("published"))
        .when(pl.col("_any_pub"))
        .then(pl.lit("mixed"))
        .when(pl.col("_kreis") & (pl.col("_units") == 1))
        .then(pl.lit("kreis"))
        .otherwise(pl.lit("kreis_sum"))
        .alias("source")
    )
    sums = protect_residuals(sums, kreise, areas, columns, by, shown)
    order = {a.key: i for i, a in enumerate(areas)}
    labels = pl.DataFrame(
        {
            "area": [a.key for a in areas],
            "area_label_de": [a.label_de for a in areas],
            "area_label_en": [a.label_en for a in areas],
        }
    )
    return (
        sums.drop("_any_pub", "_all_pub", "_kreis", "_units", "_levels", "_level")
        .join(labels, on="area", how="left")
        .with_columns(pl.col("area").replace_strict(order, return_dtype=pl.Int32).alias("_order"))
        .sort(["_order", *by])
        .drop("_order")
    )


def protect_residuals(
    sums: pl.DataFrame,
    kreise: pl.DataFrame,
    areas: Sequence[Area],
    columns: Sequence[str],
    by: Sequence[str],
    shown: Iterable[str] = (),
) -> pl.DataFrame:
    """Withhold an area's published value where the view gives away a single "*" Kreis by
    difference: the area less a smaller area of the same view whose value is known (or less
    nothing) and less the Kreise it shows one by one with a known value leaves exactly one
    Kreis, and that Kreis is withheld. A sum of Kreise needs no such check (it is "*" as soon
    as one of its Kreise is)."""
    shown = set(shown)
    by = list(by)
    sums = ensure_flags(sums, columns)
    for area in sorted(areas, key=lambda a: len(a.ags)):
        members = set(area.ags)
        if len(members) < 2:
            continue
        is_area = (pl.col("area") == area.key) & (pl.col("source") != "kreis_sum")
        smaller = [b for b in areas if set(b.ags) < members]
        for column in columns:
            flag = flag_column(column)
            leaks = []
            for inner in [None, *smaller]:
                rest = members - set(inner.ags if inner else ())
                cells = kreise.filter(pl.col("ags").is_in(list(rest)))
                known = pl.col("ags").is_in(list(shown)) & pl.col(column).is_not_null() & ~pl.col(flag)
                counts = cells.group_by(by or pl.lit(0).alias("_all")).agg(
                    known.sum().alias("_known"), pl.col(flag).sum().alias("_withheld")
                )
                counts = counts.filter(
                    (pl.lit(len(rest)) - pl.col("_known") == 1) & (pl.col("_withheld") >= 1)
                )
                if inner is not None:
                    inner_known = sums.filter(
                        (pl.col("area") == inner.key) & pl.col(column).is_not_null() & ~pl.col(flag)
                    ).select(by or pl.lit(0).alias("_all"))
                    counts = counts.join(inner_known, on=by or ["_all"], how="semi")
                leaks.append(counts.select(by or ["_all"]))
            leaked = pl.concat(leaks).unique()
            if not leaked.height:
                continue
            hit = is_area & (
                pl.struct(by).is_in(leaked.select(pl.struct(by)).to_series().implode())
                if by
                else pl.lit(True)
            )
            sums = sums.with_columns(
                pl.when(hit).then(None).otherwise(pl.col(column)).alias(column),
                (pl.col(flag) | hit).alias(flag),
            )
    return sums


def protect_shown_kreise(
    kreise: pl.DataFrame,
    areas: Sequence[Area],
    regions: pl.DataFrame,
    columns: Sequence[str],
    by: Sequence[str] = (),
    published: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Secondary suppression for a view that shows every Kreis of an area one by one beside
    the area's published value: where exactly one Kreis of the area is "*", the smallest other
    Kreis of the area with a known value is withheld too, so that the area less the shown
    Kreise is a sum of two or more withheld Kreise. Repeated until no area has exactly one,
    since a Kreis withheld for one area counts for the other areas holding it. Only where the
    area's value comes from a ``published`` row (a sum of Kreise is "*" with any of them)."""
    by = list(by)
    kreise = ensure_flags(kreise, columns)
    if published is None or not published.height:
        return kreise
    sources = comparison_values(kreise, published, areas, regions, columns, by)
    uses = sources.filter(~pl.col("source").is_in(["kreis_sum", "kreis"]))
    published_areas = [a for a in areas if len(a.ags) > 1 and a.key in set(uses["area"])]
    group = by or [pl.lit(0).alias("_all")]
    keys = by or ["_all"]
    for column in columns:
        flag = flag_column(column)
        changed = True
        while changed:
            changed = False
            for area in published_areas:
                cells = kreise.filter(pl.col("ags").is_in(list(area.ags)))
                single = cells.group_by(group).agg(pl.col(flag).sum().alias("_n")).filter(pl.col("_n") == 1)
                if by:
                    single = single.join(
                        uses.filter(pl.col("area") == area.key).select(by), on=by, how="semi"
                    )
                if not single.height:
                    continue
                cells = cells.with_columns(pl.lit(0).alias("_all")) if not by else cells
                second = (
                    cells.join(single.select(keys), on=keys, how="semi")
                    .filter(~pl.col(flag) & pl.col(column).is_not_null())
                    .sort([column, "ags"])
                    .group_by(keys, maintain_order=True)
                    .first()
                    .select("ags", *by)
                )
                if not second.height:
                    continue
                hit = pl.struct("ags", *by).is_in(second.select(pl.struct("ags", *by)).to_series().implode())
                kreise = kreise.with_columns(
                    pl.when(hit).then(None).otherwise(pl.col(column)).alias(column),
                    (pl.col(flag) | hit).alias(flag),
                )
                changed = True
    return kreise


def area_source(frame: pl.DataFrame, key: str) -> str:
    """One source for an area over all its rows (``comparison_values``): the rows' source
    where all agree, else mixed."""
    found = (
        set(frame.filter(pl.col("area") == key)["source"].to_list()) if "source" in frame.columns else set()
    )
    if len(found) == 1:
        return found.pop()
    return "mixed" if found else "kreis_sum"


def source_note(frame: pl.DataFrame, area: Area) -> object:
    """The note on the page for an area's source: "veröffentlichter Landeswert" / "Summe der
    Kreise" …; ``None`` for a single Kreis."""
    from analytics.views.model import M

    source = area_source(frame, area.key)
    return None if source == "kreis" else M(f"regional.{source}")


def source_labels(lang: str) -> dict[str, str]:
    """Each source (``SOURCES``) as the page names it."""
    from analytics.messages import msg

    return {s: msg(f"regional.{s}", lang) for s in SOURCES}
