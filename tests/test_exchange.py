"""The Arbeitsmarktdrehscheibe (#14): matching, coverage and early warning on small
hand-made frames; expected values computed by hand in the comments."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics import exchange as ex
from analytics.exchange import MatchRules

# Distances given by hand (km): Hildesheim 03254 → Peine 03157 27, → Hannover 03241 37,
# → Bremen 04011 130.
DISTANCES = pl.DataFrame(
    {
        "cut_ags": ["03254", "03254", "03254"],
        "need_ags": ["03157", "03241", "04011"],
        "km": [27.0, 37.0, 130.0],
    }
)
# the network's transitions: 261 → 252 three times, 261 → 513 once
SWITCHES = pl.DataFrame({"from_group": ["261", "261"], "to_group": ["252", "513"], "persons": [3, 1]})


def frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["id", "ags", "kldb", "count"], orient="row")


CUTS = frame([(1, "03254", "26122", 20), (2, "03254", "26133", 5)])
NEEDS = frame(
    [
        (10, "03157", "26122", 4),  # same group 261, Peine 27 km
        (11, "03157", "26212", 6),  # related: 262 shares the 2-digit group 26
        (12, "04011", "26122", 5),  # same group, but Bremen is 130 km away
        (13, "03157", "26111", 2),  # same group, Helfer (1): one level below cut 1 (2) → ok
        (14, "03241", "25212", 8),  # 252: only the network's switches 261 → 252 (3×), 37 km
        (15, "03254", "51312", 9),  # 513: switch seen once only (< min_switches 2), unrelated
    ]
)


def matches(rules: MatchRules = MatchRules()) -> pl.DataFrame:
    return ex.match_pairs(CUTS, NEEDS, DISTANCES, SWITCHES, rules)


def pairs_of(frame: pl.DataFrame, cut_id: int) -> dict[int, tuple[str, float]]:
    return {r["need_id"]: (r["match"], r["weight"]) for r in frame.filter(pl.col("cut_id") == cut_id).to_dicts()}


def test_same_related_switch_and_distance_for_the_first_cut():
    # cut 1 (26122, level 2), 50 km: 10 same (1.0), 11 related (0.5), 13 same, 14 switch (0.5);
    # 12 too far (130 > 50); 15 neither related nor switched often enough
    assert pairs_of(matches(), 1) == {
        10: ("same", 1.0),
        13: ("same", 1.0),
        11: ("related", 0.5),
        14: ("switch", 0.5),
    }
    switch = matches().filter((pl.col("cut_id") == 1) & (pl.col("need_id") == 14)).row(0, named=True)
    assert (switch["switches"], switch["km"], switch["weighted"]) == (3, 37.0, 4.0)  # 0.5 × 8


def test_level_rule_drops_needs_more_than_one_level_below():
    # cut 2 is 26133 (Spezialist, 3): need 13 (Helfer, 1) falls two levels → out; need 10
    # (Fachkraft, 2) one level → in; need 11 (26212, level 2) related → in
    assert set(pairs_of(matches(), 2)) == {10, 11, 14}
    # allowing a drop of two levels brings need 13 in
    assert 13 in pairs_of(matches(MatchRules(max_level_drop=2)), 2)


def test_distance_cut_off_and_weights_are_configurable():
    # 30 km: Hannover (37 km) falls out; 150 km: Bremen (130 km) comes in
    assert set(pairs_of(matches(MatchRules(max_km=30)), 1)) == {10, 11, 13}
    assert set(pairs_of(matches(MatchRules(max_km=150)), 1)) == {10, 11, 12, 13, 14}
    # min_switches 1 makes 261 → 513 a switch too (need 15, same Kreis 0 km)
    assert pairs_of(matches(MatchRules(min_switches=1)), 1)[15] == ("switch", 0.5)
    # related weight 0 removes need 11; switch weight 0.25 lowers need 14
    lowered = pairs_of(matches(MatchRules(related_weight=0.0, switch_weight=0.25)), 1)
    assert 11 not in lowered and lowered[14] == ("switch", 0.25)


def test_coverage_is_capped_at_the_cut():
    # cut 1: 4 × 1 + 6 × 0.5 + 2 × 1 + 8 × 0.5 = 4 + 3 + 2 + 4 = 13 of 20 → 0.65
    # cut 2: 4 + 3 + 4 = 11, capped at its 5 persons → 1.0
    covered = ex.coverage(CUTS, matches()).sort("id")
    assert covered["matched"].to_list() == [13.0, 11.0]
    assert covered["covered"].to_list() == [13.0, 5.0]
    assert covered["coverage"].to_list() == [0.65, 1.0]
    # with 30 km: cut 1 loses the Hannover switch → 9 / 20 = 0.45
    assert ex.coverage(CUTS, matches(MatchRules(max_km=30))).sort("id")["coverage"][0] == 0.45


def test_a_cut_without_matches_is_covered_zero():
    lone = frame([(7, "04011", "94112", 10)])
    covered = ex.coverage(lone, ex.match_pairs(lone, NEEDS, DISTANCES, SWITCHES, MatchRules()))
    assert covered.select("matched", "covered", "coverage").row(0) == (0.0, 0.0, 0.0)


def test_centroid_distance_is_the_great_circle():
    # Hildesheim (9.95, 52.15) → Peine (10.23, 52.32): Δlat 0.17° = 18.90 km, Δlon 0.28° ×
    # cos 52.235° × 111.19 km = 19.07 km → √(18.90² + 19.07²) ≈ 26.85 km
    km = ex.haversine_km(9.95, 52.15, 10.23, 52.32)
    assert km == pytest.approx(26.85, abs=0.1)
    pairs = ex.centroid_distances(pl.DataFrame({"ags": ["a", "b"], "lon": [9.95, 10.23], "lat": [52.15, 52.32]}))
    assert pairs.height == 4 and pairs.filter(pl.col("cut_ags") == pl.col("need_ags"))["km"].to_list() == [0, 0]


def test_level_and_horizon():
    assert [ex.level(k) for k in ("26122", "261", None)] == [2, None, None]
    ref = date(2026, 9, 30)
    assert ex.horizon_window(ref, "3") == (ref, date(2026, 12, 30))
    assert ex.horizon_window(ref, "6") == (ref, date(2027, 3, 30))
    assert ex.horizon_window(date(2026, 8, 31), "6") == (date(2026, 8, 31), date(2027, 2, 28))
    assert ex.horizon_window(ref, "past") == (None, ref)
    with pytest.raises(ValueError):
        ex.horizon_window(ref, "24")


def test_early_warning_lists():
    cuts = pl.DataFrame(
        {
            "firm_id": ["R1", "R1", "R2", "R3"],
            "kldb": ["242", "261", "242", "252"],
            "count": [30, 10, 20, 10],
            "effective_date": [date(2026, 11, 1), date(2026, 12, 1), date(2026, 10, 1), date(2026, 10, 15)],
        }
    )
    entered = pl.DataFrame({"firm_id": ["R1", "R2"], "persons": [3, 5]})
    # few = under 10 %: R1 3 of 40 (7.5 %) → both its cuts; R2 5 of 20 (25 %) → no;
    # R3 0 of 10 → yes
    warned = ex.cuts_without_participants(cuts, entered, 0.1)
    assert warned.select("firm_id", "kldb", "participants").rows() == [
        ("R3", "252", 0),
        ("R1", "242", 3),
        ("R1", "261", 3),
    ]
    # firms: R1 cut 40, 12 transitions → gap 28; R2 20 vs 25 → none; R3 10 vs 0 → 10
    announced = pl.DataFrame({"firm_id": ["R1", "R2", "R3"], "cut": [40, 20, 10]})
    transitions = pl.DataFrame({"firm_id": ["R1", "R2"], "transitions": [12, 25]})
    assert ex.cuts_beyond_transitions(announced, transitions).select("firm_id", "gap").rows() == [
        ("R1", 28),
        ("R3", 10),
    ]
    # shortfall: 242 50 − 10 − 15 = 25; 261 10 − 4 − 20 < 0 → none; 252 10 − 0 − (none → 0) = 10
    groups = pl.DataFrame(
        {"group": ["242", "261", "252"], "cut": [50, 10, 10], "need": [10.0, 4.0, 0.0], "vacancies": [15.0, 20.0, None]}
    )
    assert ex.shortfall(groups).select("group", "shortfall").rows() == [("242", 25.0), ("252", 10.0)]


def test_detail_is_refused_below_agency():
    ex.require_detail("agency")
    for role in ("ministry", "social_partner"):
        with pytest.raises(ex.DetailRefused):
            ex.require_detail(role)
