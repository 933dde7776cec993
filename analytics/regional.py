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
