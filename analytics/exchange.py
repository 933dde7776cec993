"""The Arbeitsmarktdrehscheibe (#14): announced cuts against announced needs, matched by
occupation, region and level (README "Arbeitsmarktdrehscheibe").

Matching rules (``MatchRules``, all configurable on the page):
- same group: the need's KldB 3-digit Berufsgruppe equals the cut's (weight 1);
- network switch: the network's own transitions moved people from the cut's group to the
  need's group at least ``min_switches`` times (weight ``switch_weight``);
- related group: same 2-digit Berufshauptgruppe (weight ``related_weight``);
  a pair takes the highest weight that applies;
- in reach: the centroid distance of the two Kreise (BKG geometry) is at most ``max_km``
  (the same Kreis is 0 km), or with ``reach="adjacent"`` the same or a neighbouring Kreis;
- level: where both codes are 5-digit, the need's Anforderungsniveau (5th digit) is at most
  ``max_level_drop`` below the cut's; a 3-digit code has no level and passes.
Coverage of a cut = min(cut persons, Σ weight × need persons over its matches); each cut is
covered independently (a need may count for several cuts: coverage says what the regional
demand could absorb, not an allocation).

Functions take explicit filters and the role; firm-level detail only for ``agency``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb
import polars as pl

from analytics.auth import AccessDenied
from analytics.db import query

ACTIVE_STATUS = ("open", "partly")  # filled and withdrawn announcements no longer count
DETAIL_ROLE = "agency"
EARTH_KM = 6371.0
HORIZONS = ("3", "6", "12", "past")


class DetailRefused(AccessDenied):
    """Firm names and single announcements are for the agency role only (design §6)."""


def require_detail(role: str | None) -> None:
    if role != DETAIL_ROLE:
        raise DetailRefused("firm-level exchange data", role)


REACH_MODES = ("distance", "adjacent")
KM_RANGE = (10, 150, 5)  # the page's distance slider (km): low, high, step
TOUCH_DEGREES = 0.002  # boundaries closer than this (about 150 m) count as shared (simplified lines)


@dataclass(frozen=True)
class MatchRules:
    max_km: float = 50.0
    reach: str = "distance"  # distance: centroids within max_km | adjacent: same or neighbouring Kreis
    related_weight: float = 0.5
    switch_weight: float = 0.5
    min_switches: int = 2
    max_level_drop: int = 1


def level(kldb: str | None) -> int | None:
    """The Anforderungsniveau of a 5-digit KldB code (1 Helfer .. 4 Experte), else None."""
    return int(kldb[4]) if kldb is not None and len(kldb) == 5 else None


def level_expr(column: str) -> pl.Expr:
    """``level`` as a Polars expression (no Python callback), Float64 for the tables."""
    code = pl.col(column)
    return pl.when(code.str.len_chars() == 5).then(code.str.slice(4, 1).cast(pl.Float64))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    return date(year, month, min(day.day, last[month - 1]))


def horizon_window(reference: date, horizon: str) -> tuple[date | None, date]:
    """(after, until] of the effective dates a horizon selects: the next 3/6/12 months after
    ``reference``, or ``past`` = everything in effect up to ``reference`` (after = None)."""
    if horizon == "past":
        return None, reference
    if horizon not in HORIZONS:
        raise ValueError(f"unknown horizon {horizon!r}")
    return reference, _add_months(reference, int(horizon))


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def centroid_distances(centroids: pl.DataFrame) -> pl.DataFrame:
    """Every ordered pair of Kreise (``ags``, ``lon``, ``lat``) with its distance in km."""
    rows = [
        (
            a["ags"],
            b["ags"],
            0.0 if a["ags"] == b["ags"] else haversine_km(a["lon"], a["lat"], b["lon"], b["lat"]),
        )
        for a in centroids.iter_rows(named=True)
        for b in centroids.iter_rows(named=True)
    ]
    return pl.DataFrame(
        rows, schema={"cut_ags": pl.String, "need_ags": pl.String, "km": pl.Float64}, orient="row"
    )


def adjacent_pairs(geometries: pl.DataFrame, targets: Iterable[str] | None = None) -> set[tuple[str, str]]:
    """Ordered pairs of Kreise (``ags``, ``geojson``) whose boundaries touch (within
    ``TOUCH_DEGREES``, since the stored boundaries are simplified), each Kreis with itself.
    With ``targets`` only the pairs that hold one of them (|targets| × Kreise tests instead
    of all pairs: enough for the reach of needs in ``targets``)."""
    import json

    from shapely.geometry import shape

    shapes = {r["ags"]: shape(json.loads(r["geojson"])) for r in geometries.iter_rows(named=True)}
    keys = sorted(shapes)
    if targets is None:
        pairs = {(a, a) for a in shapes}
        for i, a in enumerate(keys):
            near = shapes[a].buffer(TOUCH_DEGREES)
            for b in keys[i + 1 :]:
                if near.intersects(shapes[b]):
                    pairs |= {(a, b), (b, a)}
        return pairs
    pairs = set()
    for b in sorted(set(targets) & set(shapes)):
        near = shapes[b].buffer(TOUCH_DEGREES)
        for a in keys:
            if a == b or near.intersects(shapes[a]):
                pairs |= {(a, b), (b, a)}
    return pairs


def reach_of(reachable: pl.DataFrame, ags: list[str]) -> list[str]:
    """The Kreise in reach (``in_reach``) of any Kreis of ``ags``, those included."""
    near = reachable.filter(pl.col("cut_ags").is_in(ags))["need_ags"]
    return sorted(set(near.to_list()) | set(ags))


def in_reach(
    distances: pl.DataFrame, rules: MatchRules, adjacent: set[tuple[str, str]] | None = None
) -> pl.DataFrame:
    """The distance pairs that count as in reach: within ``max_km``, or (reach "adjacent")
    the same or a neighbouring Kreis whatever the distance."""
    if rules.reach == "adjacent":
        if adjacent is None:
            raise ValueError("adjacent reach needs the Kreis adjacency")
        keep = [(a, b) in adjacent for a, b in zip(distances["cut_ags"], distances["need_ags"], strict=True)]
        return distances.filter(pl.Series(keep, dtype=pl.Boolean))
    return distances.filter(pl.col("km") <= rules.max_km)


MATCH_SCHEMA = {
    "cut_id": pl.Int64,
    "need_id": pl.Int64,
    "match": pl.String,  # same | switch | related
    "weight": pl.Float64,
    "km": pl.Float64,
    "switches": pl.Int64,
    "need_count": pl.Int64,
    "weighted": pl.Float64,
}


def match_pairs(
    cuts: pl.DataFrame,
    needs: pl.DataFrame,
    distances: pl.DataFrame,
    switches: pl.DataFrame,
    rules: MatchRules,
) -> pl.DataFrame:
    """Every (cut, need) pair that matches under ``rules``: cuts and needs with ``id``, ``ags``,
    ``kldb``, ``count``; distances ``cut_ags, need_ags, km``; switches ``from_group,
    to_group, persons`` (3-digit groups, the network's transitions)."""
    if cuts.is_empty() or needs.is_empty():
        return pl.DataFrame(schema=MATCH_SCHEMA)
    c = cuts.select(
        pl.col("id").alias("cut_id"), pl.col("ags").alias("cut_ags"), pl.col("kldb").alias("cut_kldb")
    )
    n = needs.select(
        pl.col("id").alias("need_id"),
        pl.col("ags").alias("need_ags"),
        pl.col("kldb").alias("need_kldb"),
        pl.col("count").cast(pl.Int64).alias("need_count"),
    )
    observed = switches.filter(pl.col("persons") >= rules.min_switches).select(
        pl.col("from_group"), pl.col("to_group"), pl.col("persons").cast(pl.Int64).alias("switches")
    )
    pairs = (
        c.join(n, how="cross")
        .join(distances, on=["cut_ags", "need_ags"], how="left")
        .with_columns(
            pl.when(pl.col("cut_ags") == pl.col("need_ags")).then(0.0).otherwise(pl.col("km")).alias("km"),
            pl.col("cut_kldb").str.slice(0, 3).alias("from_group"),
            pl.col("need_kldb").str.slice(0, 3).alias("to_group"),
        )
        .join(observed, on=["from_group", "to_group"], how="left")
    )
    cut_level = pl.when(pl.col("cut_kldb").str.len_chars() == 5).then(
        pl.col("cut_kldb").str.slice(4, 1).cast(pl.Int64)
    )
    need_level = pl.when(pl.col("need_kldb").str.len_chars() == 5).then(
        pl.col("need_kldb").str.slice(4, 1).cast(pl.Int64)
    )
    same = pl.col("from_group") == pl.col("to_group")
    switch = ~same & pl.col("switches").is_not_null()
    related = ~same & (pl.col("from_group").str.slice(0, 2) == pl.col("to_group").str.slice(0, 2))
    weight = (
        pl.when(same)
        .then(1.0)
        .otherwise(
            pl.max_horizontal(
                pl.when(switch).then(rules.switch_weight).otherwise(0.0),
                pl.when(related).then(rules.related_weight).otherwise(0.0),
            )
        )
    )
    kind = (
        pl.when(same)
        .then(pl.lit("same"))
        .when(switch & (~related | (rules.switch_weight >= rules.related_weight)))
        .then(pl.lit("switch"))
        .when(related)
        .then(pl.lit("related"))
    )
    level_ok = cut_level.is_null() | need_level.is_null() | (need_level >= cut_level - rules.max_level_drop)
    return (
        pairs.with_columns(weight.alias("weight"), kind.alias("match"))
        .filter(
            (pl.col("weight") > 0)
            & pl.col("km").is_not_null()
            & ((pl.col("km") <= rules.max_km) | (rules.reach == "adjacent"))
            & level_ok
        )
        .with_columns(
            pl.when(pl.col("match") == "switch").then(pl.col("switches")).alias("switches"),
            (pl.col("weight") * pl.col("need_count")).alias("weighted"),
        )
        .select(list(MATCH_SCHEMA))
        .sort("cut_id", "weight", "km", "need_id", descending=[False, True, False, False])
    )


def coverage(cuts: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """Per cut: ``covered`` = min(count, Σ weighted matches), ``coverage`` = covered / count."""
    sums = matches.group_by("cut_id").agg(pl.col("weighted").sum().alias("matched"))
    return (
        cuts.join(sums, left_on="id", right_on="cut_id", how="left")
        .with_columns(pl.col("matched").fill_null(0.0))
        .with_columns(pl.min_horizontal(pl.col("count").cast(pl.Float64), pl.col("matched")).alias("covered"))
        .with_columns((pl.col("covered") / pl.col("count")).alias("coverage"))
    )


# ------------------------------------------------------------------ early warning


def cuts_without_participants(cuts: pl.DataFrame, entered: pl.DataFrame, few_share: float) -> pl.DataFrame:
    """Cuts (taking effect within the horizon) whose firm has entered fewer than
    ``few_share`` × the firm's cut persons into the network (``entered``: firm_id, persons).
    The firm's participants are compared with all its cuts in the list together."""
    firm_cuts = cuts.group_by("firm_id").agg(pl.col("count").sum().alias("firm_cut"))
    return (
        cuts.join(firm_cuts, on="firm_id")
        .join(entered.rename({"persons": "participants"}), on="firm_id", how="left")
        .with_columns(pl.col("participants").fill_null(0))
        .filter(pl.col("participants") < few_share * pl.col("firm_cut"))
        .sort("effective_date", "firm_id", "kldb")
    )


def cuts_beyond_transitions(announced: pl.DataFrame, transitions: pl.DataFrame) -> pl.DataFrame:
    """Firms whose announced cut persons (``firm_id, cut``) exceed the transitions their
    participants achieved (``firm_id, transitions``); ``gap`` = cut − transitions."""
    return (
        announced.join(transitions, on="firm_id", how="left")
        .with_columns(pl.col("transitions").fill_null(0))
        .with_columns((pl.col("cut") - pl.col("transitions")).alias("gap"))
        .filter(pl.col("gap") > 0)
        .sort("gap", "firm_id", descending=[True, False])
    )


def shortfall(groups: pl.DataFrame) -> pl.DataFrame:
    """Occupation groups where cut persons exceed needs in reach plus BA vacancies
    (``group, cut, need, vacancies``; missing vacancies count 0): ``shortfall`` = cut − need
    − vacancies > 0."""
    return (
        groups.with_columns(
            (pl.col("cut") - pl.col("need") - pl.col("vacancies").fill_null(0.0)).alias("shortfall")
        )
        .filter(pl.col("shortfall") > 0)
        .sort("shortfall", "group", descending=[True, False])
    )


# ------------------------------------------------------------------ warehouse reads

_ANNOUNCEMENTS_SQL = """
SELECT row_number() OVER (ORDER BY n.firm_id, n.need_date, n.kind, n.kldb) AS id,
       n.firm_id, f.name AS firm_name, f.ags, n.kind::VARCHAR AS kind, n.kldb,
       n.count - coalesce(n.filled, 0) AS count, n.count AS announced,
       coalesce(n.filled, 0) AS filled,
       n.need_date, coalesce(n.effective_date, n.need_date) AS effective_date,
       coalesce(n.status::VARCHAR, 'open') AS status, n.training, n.wage
FROM firm_need n JOIN firm f USING (firm_id)
WHERE coalesce(n.status::VARCHAR, 'open') IN ('open', 'partly')
  AND n.count - coalesce(n.filled, 0) > 0
  AND ($with_kldb = false OR n.kldb IS NOT NULL)
ORDER BY id
"""


def announcements(con: duckdb.DuckDBPyConnection, *, with_kldb: bool = True) -> pl.DataFrame:
    """Active cuts and needs (open or partly filled) with firm, Kreis and effective date
    (empty effective date: the reporting date; empty status: open). ``count`` is the open
    remainder: the announced persons (``announced``) minus those already settled
    (``filled``, empty = 0); an announcement with nothing left open no longer counts.
    ``with_kldb=False`` keeps announcements without an occupation (the rollout planner's
    cut totals; the matching needs one)."""
    return query(con, _ANNOUNCEMENTS_SQL, {"with_kldb": with_kldb})


def observed_switches(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Occupation switches of the network's transitions: origin group → target group (3-digit)."""
    return query(
        con,
        """
        SELECT left(p.origin_kldb, 3) AS from_group, left(e.target_kldb, 3) AS to_group,
               count(DISTINCT p.case_id) AS persons
        FROM participant p JOIN case_event e ON e.case_id = p.case_id AND e.event = 'job_start'
        WHERE p.origin_kldb IS NOT NULL AND e.target_kldb IS NOT NULL
          AND left(p.origin_kldb, 3) <> left(e.target_kldb, 3)
        GROUP BY ALL ORDER BY persons DESC, from_group, to_group
        """,
    )


def kreis_adjacency(
    con: duckdb.DuckDBPyConnection, targets: Iterable[str] | None = None
) -> set[tuple[str, str]]:
    return adjacent_pairs(query(con, "SELECT ags, geojson FROM region_geometry ORDER BY ags"), targets)


def kreis_distances(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    centroids = query(
        con, "SELECT ags, centroid_lon AS lon, centroid_lat AS lat FROM region_geometry ORDER BY ags"
    )
    return centroid_distances(centroids)


def participants_by_firm(con: duckdb.DuckDBPyConnection, until: date) -> pl.DataFrame:
    return query(
        con,
        "SELECT releasing_firm AS firm_id, count(*) AS persons FROM participant "
        "WHERE entry_date <= $until GROUP BY ALL",
        {"until": until},
    )


def transitions_by_firm(con: duckdb.DuckDBPyConnection, until: date) -> pl.DataFrame:
    return query(
        con,
        "SELECT p.releasing_firm AS firm_id, count(DISTINCT p.case_id) AS transitions "
        "FROM participant p JOIN case_event e ON e.case_id = p.case_id AND e.event = 'job_start' "
        "WHERE e.event_date <= $until GROUP BY ALL",
        {"until": until},
    )


def regional_context(con: duckdb.DuckDBPyConnection, ags: list[str], until: date) -> pl.DataFrame:
    """Per 3-digit group over the Kreise ``ags``: BA Arbeitslose and gemeldete Arbeitsstellen
    in the latest month up to ``until``, unemployed per vacancy, and its change against the
    same month a year earlier (NULL where a value is missing or suppressed)."""
    return query(
        con,
        """
        WITH latest AS (
            SELECT max(period) AS m FROM fact_labour_market
            WHERE period <= $until AND length(kldb) = 3 AND breakdown = 'TOTAL'
        ), cells AS (
            SELECT f.kldb AS "group", f.period = l.m AS now, f.measure, f.value
            FROM fact_labour_market f, latest l
            WHERE f.ags IN (SELECT unnest($ags)) AND length(f.kldb) = 3 AND f.breakdown = 'TOTAL'
              AND f.region_level = 'kreis' AND f.period IN (l.m, l.m - INTERVAL 12 MONTH)
        ), sums AS (
            SELECT "group", now,
                   CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE measure = 'unemployed')
                        THEN sum(value) FILTER (WHERE measure = 'unemployed') END AS unemployed,
                   CASE WHEN bool_and(value IS NOT NULL) FILTER (WHERE measure = 'vacancies')
                        THEN sum(value) FILTER (WHERE measure = 'vacancies') END AS vacancies
            FROM cells GROUP BY ALL
        )
        SELECT n."group", n.unemployed, n.vacancies,
               n.unemployed / nullif(n.vacancies, 0) AS per_vacancy,
               n.unemployed / nullif(n.vacancies, 0) - p.unemployed / nullif(p.vacancies, 0)
                   AS per_vacancy_change
        FROM sums n LEFT JOIN sums p ON p."group" = n."group" AND NOT p.now
        WHERE n.now ORDER BY n."group"
        """,
        {"ags": list(ags), "until": until},
    )
