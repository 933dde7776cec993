"""Automotive exposure (design §4): share of SvB (place of work, quarter-end reference date)
in the automotive definition by Kreis, under the core or the extended definition.

The definition is configuration (``settings.automotive``): core = WZ divisions of vehicle
manufacturing, extended = core + supplier divisions. A WZ division without a row for a Kreis
counts as 0 employees; a withheld value ("*") makes the sum, share and change withheld.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from analytics.auth import require_agency
from analytics.db import query
from analytics.disclosure import flag_column
from analytics.regional import (
    Area,
    change_columns,
    comparison_values,
    ensure_flags,
    protect_shown_kreise,
    ratio_column,
)
from analytics.regions import regions
from analytics.settings import AutomotiveDefinition

SCOPES = ("core", "extended")
SCOPE_LABELS = {
    "core": ("Kern (Herstellung von Kraftwagen und -teilen)", "Core (motor vehicles and parts)"),
    "extended": ("Erweitert (Kern + Zulieferbranchen)", "Extended (core + supplier industries)"),
}
BASE = ("svb_sector", "svb_total", "svb_sector_prev", "svb_total_prev")

_EMPLOYMENT_SQL = """
SELECT ags, region_level::VARCHAR AS region_level, reference_date,
       coalesce(sum(value) FILTER (WHERE list_contains($codes, wz)), 0) AS svb_sector,
       coalesce(bool_or(value IS NULL) FILTER (WHERE list_contains($codes, wz)), false)
           AS svb_sector__suppressed,
       max(value) FILTER (WHERE wz = 'TOTAL') AS svb_total,
       coalesce(bool_or(value IS NULL) FILTER (WHERE wz = 'TOTAL'), false)
           AS svb_total__suppressed
FROM fact_employment
WHERE measure = 'svb' AND reference_date BETWEEN $first AND $last
  AND list_contains($levels, region_level::VARCHAR) AND breakdown = 'TOTAL'
  AND classification = 'WZ2008'
GROUP BY ags, region_level, reference_date
ORDER BY ags, reference_date
"""


def codes(definition: AutomotiveDefinition, scope: str) -> list[str]:
    if scope == "core":
        return sorted(definition.core)
    if scope == "extended":
        return definition.extended
    raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")


def definition_table(
    con: duckdb.DuckDBPyConnection, definition: AutomotiveDefinition, scope: str
) -> pl.DataFrame:
    """The WZ codes of the definition with tier and titles from the sector table."""
    core = set(definition.core)
    chosen = codes(definition, scope)
    frame = pl.DataFrame({"wz": chosen, "tier": ["core" if c in core else "supplier" for c in chosen]})
    titles = query(
        con,
        "SELECT code AS wz, title_de, coalesce(title_en, title_de) AS title_en FROM sector "
        "WHERE list_contains($codes, code)",
        {"codes": chosen},
    )
    return frame.join(titles, on="wz", how="left").sort(["tier", "wz"])


def reference_dates(con: duckdb.DuckDBPyConnection) -> list[date]:
    frame = query(
        con,
        "SELECT DISTINCT reference_date FROM fact_employment "
        "WHERE region_level = 'kreis' AND breakdown = 'TOTAL' ORDER BY 1",
    )
    return frame["reference_date"].to_list()


def previous_year(day: date) -> date:
    """The same quarter-end a year earlier (29 Feb is no quarter end)."""
    return date(day.year - 1, day.month, day.day)


def kreis_employment(
    con: duckdb.DuckDBPyConnection,
    sector_codes: list[str],
    first: date,
    last: date,
    *,
    published: bool = False,
) -> pl.DataFrame:
    """Per Kreis and reference date: SvB in the given WZ divisions and all SvB, flagged.
    ``published``: the same for the published Land and Agentur rows (``ags`` = their code)."""
    levels = ["land", "agentur"] if published else ["kreis"]
    frame = query(
        con,
        _EMPLOYMENT_SQL,
        {"codes": list(sector_codes), "first": first, "last": last, "levels": levels},
    )
    return frame.with_columns(
        pl.when(pl.col(flag_column(c))).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("svb_sector", "svb_total")
    )


def derive(frame: pl.DataFrame) -> pl.DataFrame:
    """Share, previous share and changes (counts absolute and %, share in points)."""
    frame = ensure_flags(frame, BASE)
    frame = ratio_column(frame, "share", "svb_sector", "svb_total")
    frame = ratio_column(frame, "share_prev", "svb_sector_prev", "svb_total_prev")
    frame = change_columns(frame, "svb_sector", "svb_sector_prev")
    frame = change_columns(frame, "svb_total", "svb_total_prev")
    frame = change_columns(frame, "share", "share_prev")
    return frame.drop("share_change_pct", flag_column("share_change_pct"))


def _with_previous(employment: pl.DataFrame, reference_date: date) -> pl.DataFrame:
    """Per region: the values at ``reference_date`` and a year earlier (``*_prev``)."""
    before = previous_year(reference_date)
    current = employment.filter(pl.col("reference_date") == reference_date).drop("reference_date")
    previous = employment.filter(pl.col("reference_date") == before).drop("reference_date")
    previous = previous.rename(
        {c: f"{c}_prev" for c in previous.columns if c not in ("ags", "region_level")}
        | {flag_column(c): flag_column(f"{c}_prev") for c in ("svb_sector", "svb_total")}
    )
    return current.join(previous, on=["ags", "region_level"], how="full", coalesce=True)


def automotive_share(
    con: duckdb.DuckDBPyConnection, sector_codes: list[str], reference_date: date
) -> pl.DataFrame:
    """One row per Kreis: SvB in the definition, all SvB, share, a year earlier and changes."""
    employment = kreis_employment(con, sector_codes, previous_year(reference_date), reference_date)
    values = _with_previous(employment, reference_date).drop("region_level")
    return derive(regions(con).join(values, on="ags", how="left"))


def published_share(
    con: duckdb.DuckDBPyConnection, sector_codes: list[str], reference_date: date
) -> pl.DataFrame:
    """The base values of the published Land and Agentur rows (``ags`` = their code)."""
    employment = kreis_employment(
        con, sector_codes, previous_year(reference_date), reference_date, published=True
    )
    return ensure_flags(_with_previous(employment, reference_date), BASE)


def protect_kreise(kreise: pl.DataFrame, areas: list[Area], published: pl.DataFrame | None) -> pl.DataFrame:
    """The Kreise of a view that shows each of them beside published area values
    (``regional.protect_shown_kreise`` on the base values, then shares and changes anew)."""
    return derive(protect_shown_kreise(kreise, areas, kreise, BASE, published=published))


def area_shares(
    kreise: pl.DataFrame,
    areas: list[Area],
    published: pl.DataFrame | None = None,
    shown: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The same figures for areas (selection, Agentur, Land): from the published Land or
    Agentur rows where there are some, else sums of the Kreise (column ``source``)."""
    return derive(comparison_values(kreise, published, areas, kreise, BASE, shown=shown))


def quarterly_by_area(
    con: duckdb.DuckDBPyConnection,
    sector_codes: list[str] | None,
    areas: list[Area],
    first: date,
    last: date,
) -> pl.DataFrame:
    """SvB at each quarter-end per area: in the WZ divisions ``sector_codes`` (``None``: all
    sectors) as column ``svb``."""
    column = "svb_total" if sector_codes is None else "svb_sector"
    frames = [
        kreis_employment(con, sector_codes or [], first, last, published=published).select(
            "ags",
            "region_level",
            "reference_date",
            pl.col(column).alias("svb"),
            pl.col(flag_column(column)).alias(flag_column("svb")),
        )
        for published in (False, True)
    ]
    sums = comparison_values(frames[0], frames[1], areas, regions(con), ["svb"], by=["reference_date"])
    return sums.with_columns(pl.col("reference_date").dt.truncate("1q").alias("quarter_start"))


def wz_divisions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """WZ divisions that occur in the employment facts, with titles."""
    return query(
        con,
        "SELECT code, title_de, coalesce(title_en, title_de) AS title_en FROM sector "
        "WHERE level = 'division' AND code IN (SELECT DISTINCT wz FROM fact_employment "
        "WHERE region_level = 'kreis' AND breakdown = 'TOTAL') "
        "ORDER BY code",
    )


FIRMS_SQL = """
SELECT f.firm_id, f.name, f.role, f.wz, s.title_de AS wz_title_de,
       coalesce(s.title_en, s.title_de) AS wz_title_en, f.ags, r.name AS kreis, f.lon, f.lat
FROM firm f
LEFT JOIN sector s ON s.code = f.wz
LEFT JOIN region r ON r.ags = f.ags
WHERE f.lon IS NOT NULL AND f.lat IS NOT NULL
"""


def network_firms(con: duckdb.DuckDBPyConnection, *, role: str | None) -> pl.DataFrame:
    """The network's firms with coordinates: name, role, WZ with title, Kreis. Firm-level
    data is for the agency role only (design §6)."""
    require_agency(role, "firm names")
    return query(con, FIRMS_SQL + " ORDER BY f.role, f.name")


def visible_firms(con: duckdb.DuckDBPyConnection, role: str | None) -> pl.DataFrame:
    """The firms the role may see: all for the agency, none (same columns) for other roles."""
    if role == "agency":
        return network_firms(con, role=role)
    return query(con, FIRMS_SQL + " AND false")
