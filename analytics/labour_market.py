"""Supply and demand by Kreis (design §4): Arbeitslose, gemeldete Arbeitsstellen and
Arbeitslose je gemeldete Arbeitsstelle, for a month or a quarter (average of its months),
with the change vs. the same period a year earlier and comparison areas.

Only rows without further breakdown are read (``breakdown = 'TOTAL'``). Agentur and Land
figures come from the published Land and Agentur rows where the files have them, else they are
sums of their Kreise (``regional.comparison_values``; the page says which).

Occupation selection: ``TOTAL`` (all occupations, the BA's own total row), a 3-digit KldB
Berufsgruppe, or a 2-digit Berufshauptgruppe (sum of its 3-digit groups). A withheld BA
value ("*") makes every sum, average, ratio and change that rests on it withheld as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from analytics.db import query
from analytics.disclosure import flag_column
from analytics.periods import Quarter
from analytics.regional import (
    Area,
    change_columns,
    comparison_values,
    ensure_flags,
    protect_shown_kreise,
    published_units,
    ratio_column,
)
from analytics.regions import regions

MEASURES = ("unemployed", "vacancies")
BASE = ("unemployed", "vacancies", "unemployed_prev", "vacancies_prev")
TOTAL = "TOTAL"
INDICATORS = ("ratio", "unemployed", "vacancies")
VIEWS = ("level", "change", "change_pct")
INDICATOR_UNITS = {"ratio": "ratio", "unemployed": "count", "vacancies": "count"}
INDICATOR_LABELS = {
    "ratio": ("Arbeitslose je gemeldete Arbeitsstelle", "Unemployed per registered vacancy"),
    "unemployed": ("Arbeitslose", "Unemployed"),
    "vacancies": ("Gemeldete Arbeitsstellen", "Registered vacancies"),
}
VIEW_LABELS = {
    "level": ("Wert", "Value"),
    "change": ("Veränderung zum Vorjahr (absolut)", "Change vs. previous year (absolute)"),
    "change_pct": ("Veränderung zum Vorjahr (%)", "Change vs. previous year (%)"),
}
_KLDB = re.compile(r"^\d{2,3}$")

# unemployed and vacancies side by side, a sum marked suppressed when one of its cells is "*"
_MEASURE_COLUMNS = """
       sum(value) FILTER (WHERE measure = 'unemployed') AS unemployed,
       coalesce(bool_or(value IS NULL) FILTER (WHERE measure = 'unemployed'), false)
           AS unemployed__suppressed,
       sum(value) FILTER (WHERE measure = 'vacancies') AS vacancies,
       coalesce(bool_or(value IS NULL) FILTER (WHERE measure = 'vacancies'), false)
           AS vacancies__suppressed
"""

_MONTHLY_SQL = f"""
SELECT ags, region_level::VARCHAR AS region_level, period,
{_MEASURE_COLUMNS}FROM fact_labour_market
WHERE period BETWEEN $first AND $last
  AND list_contains($levels, region_level::VARCHAR) AND breakdown = 'TOTAL' AND classification = 'KldB2010'
  AND measure IN ('unemployed', 'vacancies')
  AND CASE WHEN $kldb = 'TOTAL' THEN kldb = 'TOTAL'
           WHEN length($kldb) = 3 THEN kldb = $kldb
           ELSE kldb <> 'TOTAL' AND length(kldb) = 3 AND starts_with(kldb, $kldb) END
GROUP BY ags, region_level, period
ORDER BY ags, period
"""


@dataclass(frozen=True)
class Period:
    """A reporting month or quarter of the BA statistics."""

    kind: str  # month | quarter
    start: date

    @property
    def months(self) -> list[date]:
        count = 3 if self.kind == "quarter" else 1
        return [_add_months(self.start, i) for i in range(count)]

    def previous_year(self) -> Period:
        return Period(self.kind, date(self.start.year - 1, self.start.month, 1))

    def label(self, lang: str = "de") -> str:
        if self.kind == "quarter":
            return Quarter.of(self.start).label()
        from analytics.formatting import fmt_month

        return fmt_month(self.start, lang)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def check_kldb(kldb: str) -> str:
    if kldb != TOTAL and not _KLDB.match(kldb):
        raise ValueError(f"KldB selection must be 'TOTAL' or a 2- or 3-digit code, got {kldb!r}")
    return kldb


def months_available(con: duckdb.DuckDBPyConnection) -> list[date]:
    frame = query(
        con,
        "SELECT DISTINCT period FROM fact_labour_market "
        "WHERE region_level = 'kreis' AND breakdown = 'TOTAL' ORDER BY period",
    )
    return frame["period"].to_list()


def complete_quarters(months: list[date]) -> list[date]:
    """Start months of the quarters for which all three months are present."""
    present = set(months)
    starts = sorted({date(m.year, 3 * ((m.month - 1) // 3) + 1, 1) for m in months})
    return [s for s in starts if all(m in present for m in Period("quarter", s).months)]


def occupation_choices(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """KldB 2- and 3-digit groups that occur in the facts (2-digit via their 3-digit groups)."""
    return query(
        con,
        """
        WITH used AS (SELECT DISTINCT kldb FROM fact_labour_market
                      WHERE region_level = 'kreis' AND breakdown = 'TOTAL'
                        AND classification = 'KldB2010' AND kldb <> 'TOTAL' AND length(kldb) = 3)
        SELECT o.code, o.level, o.title_de, coalesce(o.title_en, o.title_de) AS title_en
        FROM occupation o
        WHERE (o.level = 3 AND o.code IN (SELECT kldb FROM used))
           OR (o.level = 2 AND o.code IN (SELECT left(kldb, 2) FROM used))
        ORDER BY o.code
        """,
    )


def kreis_monthly(
    con: duckdb.DuckDBPyConnection, kldb: str, first: date, last: date, *, published: bool = False
) -> pl.DataFrame:
    """Per Kreis and month: Arbeitslose and gemeldete Arbeitsstellen of the occupation
    selection, each with its withheld flag (a 2-digit sum with a withheld part is withheld).
    ``published``: the same for the published Land and Agentur rows (``ags`` = their code)."""
    levels = ["land", "agentur"] if published else ["kreis"]
    frame = query(
        con, _MONTHLY_SQL, {"kldb": check_kldb(kldb), "first": first, "last": last, "levels": levels}
    )
    return frame.with_columns(
        pl.when(pl.col(flag_column(m))).then(None).otherwise(pl.col(m)).alias(m) for m in MEASURES
    )


def period_means(monthly: pl.DataFrame, months: list[date]) -> pl.DataFrame:
    """Per Kreis the average over ``months`` (a quarter: the average of its monthly values).
    Withheld if any month is withheld; NULL (not withheld) if a month is missing."""
    needed = len(months)
    frame = monthly.filter(pl.col("period").is_in(months))
    aggregations = []
    for m in MEASURES:
        flag = flag_column(m)
        aggregations += [pl.col(m).mean().alias(m), pl.col(flag).any().alias(flag)]
    keys = ["ags", "region_level"] if "region_level" in frame.columns else ["ags"]
    out = frame.group_by(keys).agg(*aggregations, pl.len().alias("months"))
    return out.with_columns(
        pl.when(pl.col(flag_column(m)) | (pl.col("months") < needed)).then(None).otherwise(pl.col(m)).alias(m)
        for m in MEASURES
    ).drop("months")


def derive(frame: pl.DataFrame) -> pl.DataFrame:
    """Ratio and year-on-year changes from the four base columns (``BASE``) and their flags."""
    frame = ensure_flags(frame, BASE)
    frame = ratio_column(frame, "ratio", "unemployed", "vacancies")
    frame = ratio_column(frame, "ratio_prev", "unemployed_prev", "vacancies_prev")
    for m in INDICATORS:
        frame = change_columns(frame, m, f"{m}_prev")
    return frame


def _period_values(monthly: pl.DataFrame, period: Period) -> pl.DataFrame:
    """Per region (``ags``, ``region_level``): the four base values of ``period`` and a year
    earlier."""
    previous = period.previous_year()
    current = period_means(monthly, period.months)
    before = period_means(monthly, previous.months).rename(
        {m: f"{m}_prev" for m in MEASURES} | {flag_column(m): flag_column(f"{m}_prev") for m in MEASURES}
    )
    return current.join(before, on=["ags", "region_level"], how="full", coalesce=True)


def supply_demand(con: duckdb.DuckDBPyConnection, kldb: str, period: Period) -> pl.DataFrame:
    """One row per Kreis: region columns, the four base values, ratio and changes."""
    previous = period.previous_year()
    monthly = kreis_monthly(con, kldb, previous.months[0], period.months[-1])
    values = _period_values(monthly, period).drop("region_level")
    return derive(regions(con).join(values, on="ags", how="left"))


def published_supply_demand(con: duckdb.DuckDBPyConnection, kldb: str, period: Period) -> pl.DataFrame:
    """The four base values of the published Land and Agentur rows (``ags`` = their code,
    ``region_level``); no row where the files have none."""
    previous = period.previous_year()
    monthly = kreis_monthly(con, kldb, previous.months[0], period.months[-1], published=True)
    return ensure_flags(_period_values(monthly, period), BASE)


def area_values(
    kreise: pl.DataFrame,
    areas: list[Area],
    published: pl.DataFrame | None = None,
    shown: tuple[str, ...] = (),
) -> pl.DataFrame:
    """The same figures for areas (selection, Agentur, Land): from the published Land or
    Agentur rows where there are some, else sums of the Kreis values (column ``source``).
    ``kreise`` carries the region columns (``supply_demand``); ``shown``: the Kreise the view
    shows one by one."""
    return derive(comparison_values(kreise, published, areas, kreise, BASE, shown=shown))


def protect_kreise(kreise: pl.DataFrame, areas: list[Area], published: pl.DataFrame | None) -> pl.DataFrame:
    """The Kreise of a view that shows each of them beside published area values
    (``regional.protect_shown_kreise`` on the base values, then ratio and changes anew)."""
    return derive(protect_shown_kreise(kreise, areas, kreise, BASE, published=published))


def indicator_column(indicator: str, view: str) -> str:
    if indicator not in INDICATORS or view not in VIEWS:
        raise ValueError(f"unknown indicator/view {indicator!r}/{view!r}")
    return indicator if view == "level" else f"{indicator}_{view}"


def indicator_unit(indicator: str, view: str) -> str:
    if view == "change_pct":
        return "share"
    return INDICATOR_UNITS[indicator]


def with_land_values(
    kreise: pl.DataFrame, lands: list[Area], column: str, published: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Add ``land_value`` (+ flag): the Land's figure of ``column`` for each Kreis (every
    Kreis is shown beside it)."""
    land = area_values(kreise, lands, published, shown=tuple(kreise["ags"])).select(
        pl.col("area").alias("land_code"),
        pl.col(column).alias("land_value"),
        pl.col(flag_column(column)).alias(flag_column("land_value")),
    )
    return kreise.join(land, on="land_code", how="left")


def ranked(kreise: pl.DataFrame, column: str, descending: bool = True) -> pl.DataFrame:
    """Kreise ranked by ``column``; then, without a rank, withheld and missing values."""
    known = kreise.filter(pl.col(column).is_not_null()).sort([column, "ags"], descending=[descending, False])
    known = known.with_columns(pl.int_range(1, known.height + 1, dtype=pl.Int64).alias("rank"))
    flag = flag_column(column)
    unknown = kreise.filter(pl.col(column).is_null()).sort([flag, "ags"], descending=[True, False])
    unknown = unknown.with_columns(pl.lit(None, dtype=pl.Int64).alias("rank"))
    return pl.concat([known, unknown], how="diagonal_relaxed")


_BALANCE_SQL = """
WITH monthly AS (
    SELECT kldb, period, measure, sum(value) AS value, bool_or(value IS NULL) AS withheld
    FROM fact_labour_market
    WHERE period BETWEEN $first AND $last AND ags IN (SELECT unnest($ags))
      AND region_level = 'kreis' AND breakdown = 'TOTAL' AND classification = 'KldB2010'
      AND measure IN ('unemployed', 'vacancies') AND kldb <> 'TOTAL' AND length(kldb) = 3
    GROUP BY kldb, period, measure
)
SELECT m.kldb, o.title_de, coalesce(o.title_en, o.title_de) AS title_en,
       avg(value) FILTER (WHERE measure = 'unemployed') AS unemployed,
       coalesce(bool_or(withheld) FILTER (WHERE measure = 'unemployed'), false)
           AS unemployed__suppressed,
       avg(value) FILTER (WHERE measure = 'vacancies') AS vacancies,
       coalesce(bool_or(withheld) FILTER (WHERE measure = 'vacancies'), false)
           AS vacancies__suppressed,
       count(DISTINCT period) AS months
FROM monthly m LEFT JOIN occupation o ON o.code = m.kldb
GROUP BY m.kldb, o.title_de, o.title_en
ORDER BY m.kldb
"""


_GROUPS_SQL = f"""
SELECT ags, region_level::VARCHAR AS region_level, kldb, period,
{_MEASURE_COLUMNS}FROM fact_labour_market
WHERE period BETWEEN $first AND $last AND ags IN (SELECT unnest($ags))
  AND list_contains($levels, region_level::VARCHAR) AND breakdown = 'TOTAL'
  AND classification = 'KldB2010' AND measure IN ('unemployed', 'vacancies')
  AND kldb <> 'TOTAL' AND length(kldb) = 3
GROUP BY ALL
"""


def group_values(
    con: duckdb.DuckDBPyConnection, period: Period, ags: list[str], levels: list[str]
) -> pl.DataFrame:
    """Per region and 3-digit Berufsgruppe: Arbeitslose and gemeldete Arbeitsstellen of the
    period (quarter: mean of its months; withheld if a month is, missing if one is missing)."""
    frame = query(
        con,
        _GROUPS_SQL,
        {"first": period.months[0], "last": period.months[-1], "ags": list(ags), "levels": levels},
    )
    needed = len(period.months)
    aggregations = []
    for m in MEASURES:
        flag = flag_column(m)
        aggregations += [pl.col(m).mean().alias(m), pl.col(flag).any().alias(flag)]
    out = frame.group_by("ags", "region_level", "kldb").agg(*aggregations, pl.len().alias("months"))
    return out.with_columns(
        pl.when(pl.col(flag_column(m)) | (pl.col("months") < needed)).then(None).otherwise(pl.col(m)).alias(m)
        for m in MEASURES
    ).drop("months")


def area_balance(
    con: duckdb.DuckDBPyConnection, period: Period, area: Area, shown: Area, region_frame: pl.DataFrame
) -> pl.DataFrame:
    """``occupation_balance`` for a comparison area (e.g. the Land) shown beside the groups
    of the area ``shown`` (e.g. one of its Kreise): from the published rows where there are
    some, else the sum of the Kreise; withheld where the area less ``shown`` would be one "*"
    Kreis (``regional.comparison_values``). Column ``source``."""
    kreise = group_values(con, period, list(area.ags), ["kreis"])
    codes = {u.code for u in published_units(region_frame, area.ags) if u.level != "kreis"}
    published = group_values(con, period, sorted(codes), ["land", "agentur"]) if codes else None
    values = comparison_values(kreise, published, [area, shown], region_frame, MEASURES, by=["kldb"])
    values = values.filter(pl.col("area") == area.key).drop("area", "area_label_de", "area_label_en")
    titles = query(
        con, "SELECT code AS kldb, title_de, coalesce(title_en, title_de) AS title_en FROM occupation"
    )
    withheld = pl.col(flag_column("unemployed")) | pl.col(flag_column("vacancies"))
    return (
        values.join(titles, on="kldb", how="left")
        .with_columns(
            pl.when(withheld)
            .then(None)
            .otherwise(pl.col("unemployed") - pl.col("vacancies"))
            .alias("surplus"),
            withheld.alias(flag_column("surplus")),
        )
        .sort("kldb")
    )


def occupation_balance(con: duckdb.DuckDBPyConnection, period: Period, ags: list[str]) -> pl.DataFrame:
    """Per 3-digit Berufsgruppe for the Kreise ``ags`` summed: Arbeitslose, gemeldete
    Arbeitsstellen and the surplus (Arbeitslose − Stellen; negative: more vacancies)."""
    frame = query(con, _BALANCE_SQL, {"first": period.months[0], "last": period.months[-1], "ags": list(ags)})
    needed = len(period.months)
    frame = frame.with_columns(
        pl.when(pl.col(flag_column(m)) | (pl.col("months") < needed)).then(None).otherwise(pl.col(m)).alias(m)
        for m in MEASURES
    ).drop("months")
    withheld = pl.col(flag_column("unemployed")) | pl.col(flag_column("vacancies"))
    return frame.with_columns(
        pl.when(withheld).then(None).otherwise(pl.col("unemployed") - pl.col("vacancies")).alias("surplus"),
        withheld.alias(flag_column("surplus")),
    )


def top_surplus(balance: pl.DataFrame, side: str, n: int = 5) -> pl.DataFrame:
    """The ``n`` groups with the largest surplus of unemployed (``side='unemployed'``) or of
    vacancies (``side='vacancies'``); groups whose surplus is withheld cannot be ranked."""
    known = balance.filter(pl.col("surplus").is_not_null())
    if side == "unemployed":
        return known.filter(pl.col("surplus") > 0).sort(["surplus", "kldb"], descending=[True, False]).head(n)
    if side == "vacancies":
        return known.filter(pl.col("surplus") < 0).sort(["surplus", "kldb"]).head(n)
    raise ValueError(f"side must be 'unemployed' or 'vacancies', got {side!r}")


def with_comparison(groups: pl.DataFrame, other: pl.DataFrame, suffix: str) -> pl.DataFrame:
    """Join the figures of ``other`` (e.g. the Land) for the same KldB groups."""
    columns = ["unemployed", "vacancies", "surplus"]
    renamed = other.select(
        "kldb",
        *[pl.col(c).alias(f"{c}_{suffix}") for c in columns],
        *[pl.col(flag_column(c)).alias(flag_column(f"{c}_{suffix}")) for c in columns],
    )
    return groups.join(renamed, on="kldb", how="left")


def quarterly_by_area(
    con: duckdb.DuckDBPyConnection, kldb: str, areas: list[Area], first: date, last: date
) -> pl.DataFrame:
    """Quarter averages of the monthly values per area, for complete quarters only."""
    monthly = kreis_monthly(con, kldb, first, last)
    published = kreis_monthly(con, kldb, first, last, published=True)
    sums = comparison_values(monthly, published, areas, regions(con), MEASURES, by=["period"])
    sums = sums.with_columns(
        pl.col("period").dt.truncate("1q").alias("quarter_start"),
    )
    aggregations = []
    for m in MEASURES:
        flag = flag_column(m)
        aggregations += [pl.col(m).mean().alias(m), pl.col(flag).any().alias(flag)]
    out = sums.group_by(["area", "area_label_de", "area_label_en", "quarter_start"], maintain_order=True).agg(
        *aggregations, pl.len().alias("months"), quarter_source()
    )
    out = out.filter(pl.col("months") == 3).drop("months")
    out = out.with_columns(
        pl.when(pl.col(flag_column(m))).then(None).otherwise(pl.col(m)).alias(m) for m in MEASURES
    )
    return add_quarter_label(out)  # areas in their given order, quarters ascending


def quarter_source() -> pl.Expr:
    """The source of a quarter's figure from its months': theirs if all agree, else mixed."""
    return (
        pl.when(pl.col("source").n_unique() == 1)
        .then(pl.col("source").first())
        .otherwise(pl.lit("mixed"))
        .alias("source")
    )


def add_quarter_label(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        (
            pl.lit("Q")
            + pl.col("quarter_start").dt.quarter().cast(pl.String)
            + pl.lit(" ")
            + pl.col("quarter_start").dt.year().cast(pl.String)
        ).alias("quarter")
    )


def year_on_year(frame: pl.DataFrame, columns: list[str], by: str = "area") -> pl.DataFrame:
    """Change vs. the same quarter a year earlier (absolute and %) per ``by`` group."""
    previous = frame.select(
        by,
        (pl.col("quarter_start").dt.offset_by("1y")).alias("quarter_start"),
        *[pl.col(c).alias(f"{c}_prev") for c in columns],
        *[pl.col(flag_column(c)).alias(flag_column(f"{c}_prev")) for c in columns],
    )
    out = frame.join(previous, on=[by, "quarter_start"], how="left")
    out = ensure_flags(out, [f"{c}_prev" for c in columns])
    for c in columns:
        # no year-earlier quarter in the data: no change (missing, not withheld)
        out = change_columns(out, c, f"{c}_prev")
    return out.drop([f"{c}_prev" for c in columns] + [flag_column(f"{c}_prev") for c in columns])


def indexed(frame: pl.DataFrame, column: str, by: str = "area") -> pl.DataFrame:
    """``<column>_index``: value relative to the group's first quarter (= 100). Withheld
    values and every value of a group whose first quarter is withheld have no index."""
    first = pl.col(column).sort_by("quarter_start").first().over(by)
    return frame.with_columns(
        pl.when(first > 0).then(pl.col(column) / first * 100).otherwise(None).alias(f"{column}_index")
    )
