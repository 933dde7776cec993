"""Rollout planner (#15): every Kreis of the loaded Länder scored on named indicators, the
score's normalisation and weights, and a projection of entries, transitions and budget for a
candidate Kreis from the rates observed in the network's regions.

The maths (``normalise``, ``weighted_score``, ``ranking``, ``projection``) works on plain
frames and is tested by hand; the loaders read the warehouse with parameterised SQL.

Disclosure: announced cuts (persons, from the network's firms) and the network's entries and
transitions per Kreis are counts of persons; for every role below ``agency`` they follow the
one suppression pattern of their kind (the cuts the Drehscheibe's, ``exchange_pattern``, the
case counts ``case_pattern``), and a withheld value enters the score as missing (neutral), so
the score cannot reveal it either.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from analytics import automotive
from analytics.case_pattern import case_pattern
from analytics.db import now, query, scalar
from analytics.disclosure import flag_column, suppression_mask
from analytics.exchange import announcements
from analytics.exchange_pattern import OPEN, ExchangePattern, exchange_pattern
from analytics.kpi import case_summary, kpi_counts, network_regions
from analytics.labour_market import _add_months, complete_quarters, months_available
from analytics.regions import regions
from analytics.settings import Settings

ROLES = ("agency", "ministry", "social_partner")
METHODS = ("rank", "zscore")
BASES = ("svb", "cuts")
MAX_COMPARE = 4


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str  # dependency | pressure | absorption | reach
    unit: str
    higher_is_priority: bool
    weight: float  # default weight on the page
    source: str  # message id of the source


INDICATORS: tuple[Indicator, ...] = (
    Indicator("auto_share", "dependency", "share", True, 4.0, "rollout.source_ba_svb"),
    Indicator("auto_share_change", "dependency", "points", False, 1.0, "rollout.source_ba_svb"),
    Indicator("cuts", "pressure", "count", True, 2.0, "rollout.source_network"),
    Indicator("auto_svb_change_pct", "pressure", "share", False, 2.0, "rollout.source_ba_svb"),
    Indicator("occ_vacancies", "absorption", "count", True, 1.0, "rollout.source_ba_lm"),
    Indicator("occ_ratio", "absorption", "ratio", False, 1.0, "rollout.source_ba_lm"),
    Indicator("reach_vacancies", "reach", "count", True, 1.0, "rollout.source_ba_lm_geo"),
)
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)
DEFAULT_WEIGHTS = {i.key: i.weight for i in INDICATORS}


def check_role(role: str) -> bool:
    """Whether disclosure control applies (every role below agency); unknown roles refused."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    return role != "agency"


# --- the maths -------------------------------------------------------------------------


def normalise(
    frame: pl.DataFrame, method: str, indicators: tuple[Indicator, ...] = INDICATORS
) -> pl.DataFrame:
    """``n_<key>`` per indicator, oriented so that higher = higher rollout priority.

    rank: (r − 1) / (n − 1) with r the average rank (ascending) among the n Kreise with a
    value; 1 − that where a lower value is the priority; one value alone: 0.5.
    zscore: (x − mean) / standard deviation (population, ddof 0), sign flipped where lower is
    the priority; no spread: 0. A missing or withheld value is neutral: 0.5 (rank), 0 (z).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    out = []
    for ind in indicators:
        x = pl.col(ind.key)
        if method == "rank":
            n = x.count()
            r = x.rank("average")
            value = pl.when(n > 1).then((r - 1) / (n - 1)).otherwise(0.5)
            if not ind.higher_is_priority:
                value = 1 - value
            out.append(value.fill_null(0.5).alias(f"n_{ind.key}"))
        else:
            sd = x.std(ddof=0)
            z = pl.when(sd > 0).then((x - x.mean()) / sd).otherwise(0.0)
            if not ind.higher_is_priority:
                z = -z
            out.append(z.fill_null(0.0).fill_nan(0.0).alias(f"n_{ind.key}"))
    return frame.with_columns(out)


def weighted_score(
    frame: pl.DataFrame, weights: dict[str, float], indicators: tuple[Indicator, ...] = INDICATORS
) -> pl.DataFrame:
    """``score`` = Σ wᵢ·nᵢ / Σ wᵢ over the normalised indicators (weights ≥ 0; all 0: none)."""
    used = {i.key: float(weights.get(i.key, 0.0)) for i in indicators}
    if any(w < 0 or math.isnan(w) for w in used.values()):
        raise ValueError("weights must be zero or positive")
    total = sum(used.values())
    if total == 0:
        return frame.with_columns(pl.lit(None, pl.Float64).alias("score"))
    expr = sum((pl.col(f"n_{k}") * w for k, w in used.items() if w), pl.lit(0.0))
    return frame.with_columns((expr / total).alias("score"))


GROUPS = ("dependency", "pressure", "absorption", "reach")


def group_scores(
    frame: pl.DataFrame, weights: dict[str, float], indicators: tuple[Indicator, ...] = INDICATORS
) -> pl.DataFrame:
    """``score_<group>``: the weighted mean of the group's normalised indicators alone (the
    why behind the score); a group whose weights are all 0 has none."""
    for group in dict.fromkeys(i.group for i in indicators):
        members = tuple(i for i in indicators if i.group == group)
        part = weighted_score(frame.select([f"n_{i.key}" for i in members]), weights, members)
        frame = frame.with_columns(part["score"].alias(f"score_{group}"))
    return frame


def ranking(frame: pl.DataFrame) -> pl.DataFrame:
    """Sorted by score (highest first, ties by AGS) with ``rank`` 1, 2, …"""
    out = frame.sort(["score", "ags"], descending=[True, False], nulls_last=True)
    return out.with_columns(pl.int_range(1, out.height + 1).alias("rank"))


def score_kreise(
    frame: pl.DataFrame,
    method: str,
    weights: dict[str, float],
    indicators: tuple[Indicator, ...] = INDICATORS,
) -> pl.DataFrame:
    scored = weighted_score(normalise(frame, method, indicators), weights, indicators)
    return ranking(group_scores(scored, weights, indicators))


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance on a sphere of radius 6371 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def reachable(values: pl.DataFrame, centroids: pl.DataFrame, km: float) -> pl.DataFrame:
    """Per Kreis: the sum of ``vacancies`` of all Kreise whose centroid lies within ``km`` of
    its own (itself included). A withheld or missing value among them makes the sum missing;
    a Kreis without geometry gets none."""
    points = centroids.select("ags", "centroid_lon", "centroid_lat").rows()
    vacancies = dict(values.select("ags", "vacancies").rows())
    out = []
    for ags, lon, lat in points:
        near = [a for a, lo, la in points if haversine_km(lon, lat, lo, la) <= km]
        parts = [vacancies.get(a) for a in near]
        total = None if any(p is None for p in parts) else float(sum(parts))
        out.append((ags, total, len(near)))
    return pl.DataFrame(
        out, schema={"ags": pl.String, "reach_vacancies": pl.Float64, "reach_kreise": pl.Int64}, orient="row"
    )


@dataclass(frozen=True)
class RegionRate:
    ags: str
    years: float
    entries: int
    transitions: int
    base: float | None  # automotive SvB / 1,000, or announced cuts
    hidden: frozenset[str] = frozenset()  # counts the suppression pattern withholds (issue #12)


def projection(
    rates: list[RegionRate],
    candidate_base: float | None,
    cost_per_transition: float | None,
    protected: bool,
    min_count: int = 3,
    *,
    network_hidden: frozenset[str] = frozenset(),
) -> dict[str, float | None]:
    """Expected entries and transitions per year for a candidate with ``candidate_base``
    (automotive SvB / 1,000 or announced cuts), from the network regions' rates:

    pooled rate = Σ count / Σ (years × base); low / high = the smallest / largest rate of a
    single region. Protected: a region whose count is 1 or 2, or withheld by the suppression
    pattern (``RegionRate.hidden``), gives no single-region rate (the count = rate × years ×
    base, all public); the pooled rate is the count of the regions with a base over their
    exposure, so it is given only where the pattern shows that count (``network_hidden``:
    withheld, also when those regions are no node of the hierarchy). Budget = expected
    transitions × cost per transition.
    """

    out: dict[str, float | None] = {}
    usable = [r for r in rates if r.base and r.years > 0]
    for name in ("entries", "transitions"):
        total = sum(getattr(r, name) for r in usable)
        exposure = sum(r.years * r.base for r in usable)
        pooled_hidden = protected and (total < min_count or name in network_hidden)
        pooled = total / exposure if exposure and not pooled_hidden else None
        singles = [
            getattr(r, name) / (r.years * r.base)
            for r in usable
            if not (protected and (0 < getattr(r, name) < min_count or name in r.hidden))
        ]
        out[f"rate_{name}"] = pooled
        out[f"rate_{name}_low"] = min(singles) if singles else None
        out[f"rate_{name}_high"] = max(singles) if singles else None
        for suffix in ("", "_low", "_high"):
            rate = out[f"rate_{name}{suffix}"]
            out[f"{name}{suffix}"] = None if rate is None or candidate_base is None else rate * candidate_base
    for suffix in ("", "_low", "_high"):
        t = out[f"transitions{suffix}"]
        out[f"budget{suffix}"] = None if t is None or cost_per_transition is None else t * cost_per_transition
    out["cost_per_transition"] = cost_per_transition
    return out


def projection_to_end(result: dict[str, float | None], start: date, end: date) -> dict[str, float | None]:
    """The projection's yearly figures (``projection``) over a candidate's planned time in the
    network: from ``start`` (a scenario's planned start) to ``end`` (the project end), in
    years of 365.25 days, both days included; none before the start."""
    years = max(0.0, ((end - start).days + 1) / 365.25)
    out: dict[str, float | None] = {"years": years}
    for name in ("entries", "transitions", "budget"):
        for suffix in ("", "_low", "_high"):
            value = result.get(f"{name}{suffix}")
            out[f"{name}{suffix}"] = None if value is None else value * years
    return out


# --- loaders ---------------------------------------------------------------------------


def latest_employment_date(con: duckdb.DuckDBPyConnection) -> date | None:
    dates = automotive.reference_dates(con)
    return dates[-1] if dates else None


def latest_quarter(con: duckdb.DuckDBPyConnection) -> date | None:
    quarters = complete_quarters(months_available(con))
    return quarters[-1] if quarters else None


def participant_occupations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """KldB Berufsgruppen (3-digit) the network's participants came from."""
    frame = query(
        con,
        "SELECT DISTINCT left(origin_kldb, 3) AS kldb FROM participant "
        "WHERE origin_kldb IS NOT NULL AND length(origin_kldb) >= 3 ORDER BY 1",
    )
    return frame["kldb"].to_list()


_OCCUPATION_SQL = """
WITH monthly AS (
    SELECT ags, period,
           sum(value) FILTER (WHERE measure = 'unemployed') AS unemployed,
           sum(value) FILTER (WHERE measure = 'vacancies') AS vacancies
    FROM fact_labour_market
    WHERE period BETWEEN $first AND $last
      AND region_level = 'kreis' AND breakdown = 'TOTAL' AND classification = 'KldB2010'
      AND list_contains($kldb, kldb)
    GROUP BY ags, period
)
SELECT ags,
       CASE WHEN count(unemployed) < $months THEN NULL ELSE avg(unemployed) END AS unemployed,
       CASE WHEN count(vacancies) < $months THEN NULL ELSE avg(vacancies) END AS vacancies
FROM monthly GROUP BY ags ORDER BY ags
"""


def occupation_market(con: duckdb.DuckDBPyConnection, kldb: list[str], quarter_start: date) -> pl.DataFrame:
    """Per Kreis, the quarter's average of monthly unemployed and vacancies summed over the
    KldB codes ``kldb``. A value the BA withheld ("*", fewer than 3) counts as 0, so the sum
    is a lower bound; a month without any value makes the average missing."""
    last = _add_months(quarter_start, 2)
    return query(
        con, _OCCUPATION_SQL, {"first": quarter_start, "last": last, "kldb": list(kldb), "months": 3}
    )


def announced_cuts(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per Kreis with network firms: persons in the announced cuts still open (the
    exchange's ``announcements``: withdrawn and filled cuts left out, a partly filled one
    with its open remainder; with or without an occupation) and the number of firms that
    announced them."""
    cuts = announcements(con, with_kldb=False).filter(pl.col("kind") == "cut")
    return (
        cuts.group_by("ags")
        .agg(
            pl.col("count").sum().cast(pl.Float64).alias("cuts"),
            pl.col("firm_id").n_unique().cast(pl.Int64).alias("cut_firms"),
        )
        .sort("ags")
    )


def protect_cuts(frame: pl.DataFrame, pattern: ExchangePattern | None) -> pl.DataFrame:
    """Withhold ``cuts`` where the Drehscheibe's one pattern withholds the Kreis's cell of
    every open cut (``period="open"``: primary for 1–2 persons or 1–2 firms, or a cover cell,
    so that the figure cannot be combined with the Drehscheibe's horizons); ``pattern`` None
    (the agency with disclosure control off): every figure as it is."""
    hidden = [
        pattern is not None and cuts is not None and pattern.get("cut", ags, period=OPEN)[2]
        for ags, cuts in frame.select("ags", "cuts").iter_rows()
    ]
    small = pl.Series(flag_column("cuts"), hidden, dtype=pl.Boolean)
    return (
        frame.with_columns(small)
        .with_columns(pl.when(small).then(None).otherwise(pl.col("cuts")).alias("cuts"))
        .drop("cut_firms")
    )


def network_results(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Per network Kreis (Kreis of the releasing firm): first entry, entries, transitions."""
    cases = case_summary(con)
    return (
        cases.group_by("network_ags")
        .agg(
            pl.col("entry_date").min().alias("first_entry"),
            pl.len().alias("entries"),
            pl.col("job_start").is_not_null().sum().alias("transitions"),
        )
        .rename({"network_ags": "ags"})
        .sort("ags")
    )


def results_hidden(con: duckdb.DuckDBPyConnection, settings: Settings, ags: list[str]) -> frozenset[str]:
    """Which of entries and transitions of ``network_results`` (all data) the warehouse's one
    suppression pattern withholds for these Kreise (issue #12)."""
    pattern = case_pattern(con, settings)
    node = pattern.node(ags)
    period = ("a", pattern.quarters[-1]) if pattern.quarters else ("a", "")
    return frozenset(m for m in ("entries", "transitions") if pattern.is_hidden(node, period, m))


def protect_results(
    con: duckdb.DuckDBPyConnection, settings: Settings, results: pl.DataFrame
) -> pl.DataFrame:
    hidden = {ags: results_hidden(con, settings, [ags]) for ags in results["ags"]}
    out = results
    for name in ("entries", "transitions"):
        flags = pl.Series(flag_column(name), [name in hidden[a] for a in results["ags"]], dtype=pl.Boolean)
        out = out.with_columns(flags, pl.when(flags).then(None).otherwise(pl.col(name)).alias(name))
    return out


def case_end(con: duckdb.DuckDBPyConnection) -> date | None:
    return scalar(con, "SELECT max(event_date) FROM case_event")


def cost_per_transition(con: duckdb.DuckDBPyConnection) -> float | None:
    """Funding spent (all booked quarters) / transitions into work of the whole network."""
    spent = scalar(con, "SELECT sum(spent_eur) FROM funding")
    transitions = scalar(
        con, "SELECT count(DISTINCT case_id) FROM case_event WHERE event = $event", {"event": "job_start"}
    )
    if spent is None or not transitions:
        return None
    return float(spent) / transitions


def indicator_frame(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    scope: str,
    distance_km: float,
    role: str,
    reference: date | None = None,
) -> tuple[pl.DataFrame, dict[str, object]]:
    """One row per Kreis with every indicator's raw value (withheld where disclosure control
    applies), network presence and the Stand of each source. ``reference``: the day the
    Drehscheibe's pattern of the announced cuts is computed for (as on its page: the data's
    last day, else today)."""
    protected = check_role(role)
    codes = automotive.codes(settings.automotive, scope)
    emp_date = latest_employment_date(con)
    base = regions(con).select("ags", "name", "land_code", "land_name")
    if emp_date is not None:
        shares = automotive.automotive_share(con, codes, emp_date).select(
            "ags",
            "svb_sector",
            "svb_total",
            "svb_sector_prev",
            "svb_total_prev",
            pl.col("share").alias("auto_share"),
            pl.col("share_change").alias("auto_share_change"),
            pl.col("svb_sector_change_pct").alias("auto_svb_change_pct"),
        )
        frame = base.join(shares, on="ags", how="left")
    else:
        frame = base.with_columns(
            pl.lit(None, pl.Float64).alias(c)
            for c in (
                "svb_sector",
                "svb_total",
                "svb_sector_prev",
                "svb_total_prev",
                "auto_share",
                "auto_share_change",
                "auto_svb_change_pct",
            )
        )

    pattern = exchange_pattern(con, settings, reference or now().date()) if protected else None
    frame = protect_cuts(frame.join(announced_cuts(con), on="ags", how="left"), pattern)

    quarter = latest_quarter(con)
    kldb = participant_occupations(con)
    if quarter is not None and kldb:
        occ = occupation_market(con, kldb, quarter).rename(
            {"unemployed": "occ_unemployed", "vacancies": "occ_vacancies"}
        )
    else:
        occ = pl.DataFrame(
            schema={"ags": pl.String, "occ_unemployed": pl.Float64, "occ_vacancies": pl.Float64}
        )
    frame = frame.join(occ, on="ags", how="left").with_columns(
        pl.when(pl.col("occ_vacancies") > 0)
        .then(pl.col("occ_unemployed") / pl.col("occ_vacancies"))
        .alias("occ_ratio")
    )
    if quarter is not None:
        total = occupation_market(con, ["TOTAL"], quarter)
    else:
        total = pl.DataFrame(schema={"ags": pl.String, "unemployed": pl.Float64, "vacancies": pl.Float64})
    centroids = query(con, "SELECT ags, centroid_lon, centroid_lat FROM region_geometry ORDER BY ags")
    reach = reachable(total, centroids, distance_km)
    frame = frame.join(reach, on="ags", how="left")

    plan = settings.rollout.starts()
    results = network_results(con)
    if protected:
        results = protect_results(con, settings, results)
    frame = frame.join(results, on="ags", how="left").with_columns(
        pl.col("ags").replace_strict(plan, default=None, return_dtype=pl.Date).alias("network_since")
    )
    for c in ("entries", "transitions"):
        flag = flag_column(c)
        if flag in frame.columns:
            frame = frame.with_columns(pl.col(flag).fill_null(False))
        else:
            frame = frame.with_columns(pl.lit(False).alias(flag))
    stand = {
        "employment": emp_date,
        "labour_market": quarter,
        "cases": case_end(con),
        "occupations": kldb,
        "codes": codes,
        "protected": protected,
    }
    return frame.sort("ags"), stand


def region_rates(frame: pl.DataFrame, con: duckdb.DuckDBPyConnection, basis: str) -> list[RegionRate]:
    """Rates of the network regions: entries and transitions unprotected (``projection``
    protects them), the base as in ``frame`` (a withheld cut count gives no rate)."""
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}, got {basis!r}")
    end = case_end(con)
    if end is None:
        return []
    results = network_results(con)
    cuts = dict(frame.select("ags", "cuts").rows())
    svb = dict(frame.select("ags", "svb_sector").rows())
    out = []
    for ags, first, entries, transitions in results.select(
        "ags", "first_entry", "entries", "transitions"
    ).rows():
        years = (end - first).days / 365.25
        if basis == "svb":
            base = svb.get(ags) / 1000 if svb.get(ags) else None
        else:
            base = cuts.get(ags)
        out.append(RegionRate(ags, years, int(entries), int(transitions), base))
    return out


PLAN_COUNTS = ("entries", "transitions")


def presence_mask(results: pl.DataFrame, min_count: int = 3) -> set:
    """Cells (row, measure) of the network presence (``network_results``: entries and
    transitions per network Kreis since the start) to withhold: 1–2, and further cells so that
    none follows from the whole network's figures (published on Übersicht and Förderung; the
    Kreise of the releasing firms hold every participant, so they add up to it)."""
    values, relations = {}, []
    for c, col in enumerate(PLAN_COUNTS):
        column = results[col].to_list()
        total = (-1, c)
        values[total] = float(sum(v or 0 for v in column))
        for r, v in enumerate(column):
            values[(r, c)] = None if v is None else float(v)
        relations.append([total, *((r, c) for r in range(results.height))])
    fixed = {(-1, c) for c in range(len(PLAN_COUNTS))}
    return {cell for cell in suppression_mask(values, relations, min_count, fixed=fixed) if cell[0] >= 0}


def protect_presence(results: pl.DataFrame, min_count: int = 3) -> pl.DataFrame:
    """``network_results`` with ``presence_mask`` applied (NULL and ``<col>__suppressed``)."""
    hidden = presence_mask(results, min_count)
    for c, col in enumerate(PLAN_COUNTS):
        flags = pl.Series(
            flag_column(col), [(r, c) in hidden for r in range(results.height)], dtype=pl.Boolean
        )
        results = results.with_columns(flags).with_columns(
            pl.when(pl.col(flag_column(col))).then(None).otherwise(pl.col(col)).alias(col)
        )
    return results


def plan_progress(
    con: duckdb.DuckDBPyConnection, settings: Settings, until: date, *, protected: bool = True
) -> pl.DataFrame:
    """The rollout plan as data (``settings.rollout``): one row per wave and year of its
    targets (a wave without targets: one row without a year) with the wave's start, Kreise,
    the targets and what its Kreise achieved that year up to ``until`` (entries,
    transitions; None for a year not begun). Protected: counts of 1–2 are withheld, and
    further cells so that none can be recovered from the network's yearly figures (Förderung)
    or the wave's cumulative figures (the planner's network presence)."""
    rows = []
    for wave in settings.rollout.ordered():
        for year in sorted(wave.targets) or [None]:
            target = wave.targets.get(year) if year is not None else None
            counts = None
            if year is not None and date(year, 1, 1) <= until:
                start = max(date(year, 1, 1), settings.project_start)
                counts = kpi_counts(
                    con, start, min(date(year, 12, 31), until), wave.kreise, settings.wage_ratio_good
                )
            rows.append(
                {
                    "wave": wave.wave,
                    "start": wave.start,
                    "kreise": list(wave.kreise),
                    "year": year,
                    "target_entries": None if target is None else float(target.entries),
                    "target_transitions": None if target is None else float(target.transitions),
                    "entries": None if counts is None else float(counts["entries"] or 0),
                    "transitions": None if counts is None else float(counts["transitions"] or 0),
                }
            )
    schema = {
        "wave": pl.Int64,
        "start": pl.Date,
        "kreise": pl.List(pl.String),
        "year": pl.Int64,
        "target_entries": pl.Float64,
        "target_transitions": pl.Float64,
        "entries": pl.Float64,
        "transitions": pl.Float64,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    hidden: set = set()
    if protected and frame.height:
        hidden = _plan_mask(con, settings, frame, until)
    for c, col in enumerate(PLAN_COUNTS):
        flags = pl.Series(flag_column(col), [(r, c) in hidden for r in range(frame.height)], dtype=pl.Boolean)
        frame = frame.with_columns(flags).with_columns(
            pl.when(pl.col(flag_column(col))).then(None).otherwise(pl.col(col)).alias(col)
        )
    return frame


def _plan_mask(con: duckdb.DuckDBPyConnection, settings: Settings, frame: pl.DataFrame, until: date) -> set:
    """Cells (row, measure) to withhold in ``plan_progress``: the waves of a year add up to
    at most the network's figure of that year, a wave's years to its cumulative figure; both
    are published elsewhere (fixed cells, rows -1 - i)."""
    values: dict = {}
    relations: list = []
    fixed: set = set()
    network = network_regions(con, settings)
    extra = 0

    def outside() -> int:
        nonlocal extra
        extra += 1
        return -extra

    rows = list(frame.iter_rows(named=True))
    for r, row in enumerate(rows):
        for c, col in enumerate(PLAN_COUNTS):
            values[(r, c)] = row[col]
    # the network presence per Kreis (this page's ranking and profile) as published, with its
    # own protection: its cells are given (fixed), withheld ones count as unknown
    end = case_end(con)
    presence = network_results(con)
    if end is None or until < end:  # the presence covers all the case data: only then a sum
        presence = presence.clear()
    shown_presence = presence_mask(presence, settings.disclosure_min_count)
    presence_cell: dict[tuple[str, int], tuple[int, int]] = {}
    prehidden: set = set()
    for i, row in enumerate(presence.iter_rows(named=True)):
        for c, col in enumerate(PLAN_COUNTS):
            cell = (-1000 - i, c)
            values[cell] = float(row[col] or 0)
            presence_cell[(row["ags"], c)] = cell
            fixed.add(cell)
            if (i, c) in shown_presence:
                prehidden.add(cell)
    for year in sorted(
        {row["year"] for row in rows if row["year"] is not None and row["entries"] is not None}
    ):
        start = max(date(year, 1, 1), settings.project_start)
        total = kpi_counts(con, start, min(date(year, 12, 31), until), network, settings.wage_ratio_good)
        members = [r for r, row in enumerate(rows) if row["year"] == year]
        for c, col in enumerate(PLAN_COUNTS):
            cell = (outside(), c)
            values[cell], fixed = float(total[col] or 0), fixed | {cell}
            relations.append([cell, *((r, c) for r in members)])
    for wave in {row["wave"] for row in rows}:
        members = [r for r, row in enumerate(rows) if row["wave"] == wave and row["entries"] is not None]
        if not members:
            continue
        kreise = rows[members[0]]["kreise"]
        total = kpi_counts(con, settings.project_start, until, kreise, settings.wage_ratio_good)
        for c, col in enumerate(PLAN_COUNTS):
            cell = (outside(), c)
            values[cell], fixed = float(total[col] or 0), fixed | {cell}
            relations.append([cell, *((r, c) for r in members)])
            # the wave's years add up to its Kreise' presence: a year cell that equals
            # published presence cells (nothing else unknown in that sum) counts as published
            parts = [presence_cell[(a, c)] for a in kreise if (a, c) in presence_cell]
            relations.append([*((r, c) for r in members), *parts])
            if len(members) == 1 and parts and not any(p in prehidden for p in parts):
                fixed.add((members[0], c))
    hidden = suppression_mask(
        values, relations, settings.disclosure_min_count, prehidden=prehidden, fixed=fixed
    )
    return {cell for cell in hidden if cell[0] >= 0}
