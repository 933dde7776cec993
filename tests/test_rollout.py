"""Rollout planner (#15): indicators, normalisation, weighting, ranking and projection, each
against values computed by hand (arithmetic in the comments); the view and the page."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest
from openpyxl import load_workbook
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from analytics import rollout
from analytics.db import connect
from analytics.exchange import announcements
from analytics.exchange_pattern import pattern_of
from analytics.messages import missing_or_untranslated
from analytics.rollout import Indicator, RegionRate
from analytics.views.model import ViewFilters
from analytics.views.rollout import build_rollout_view, rollout_view
from analytics.views.workbook import view_workbook
from tests.test_views import same, sheet_rows

APP = str(Path(__file__).resolve().parent.parent / "app.py")

# two indicators: A (higher = priority), B (lower = priority)
TWO = (
    Indicator("a", "dependency", "count", True, 1.0, "rollout.source_ba_svb"),
    Indicator("b", "pressure", "count", False, 1.0, "rollout.source_ba_svb"),
)
FIXTURE = pl.DataFrame(
    {"ags": ["K1", "K2", "K3", "K4"], "a": [10.0, 20.0, 20.0, None], "b": [1.0, 3.0, 2.0, 4.0]}
)


def approx(values, expected, tol=1e-4):
    return all(
        (v is None and e is None) or (v is not None and e is not None and abs(v - e) < tol)
        for v, e in zip(values, expected, strict=True)
    )


def test_rank_normalisation():
    out = rollout.normalise(FIXTURE, "rank", TWO)
    # a: values 10, 20, 20 (n = 3), average ranks 1, 2.5, 2.5 -> (r-1)/(n-1) = 0, 0.75, 0.75;
    #    K4 missing -> neutral 0.5
    assert approx(out["n_a"].to_list(), [0.0, 0.75, 0.75, 0.5])
    # b: values 1, 3, 2, 4 (n = 4), ranks 1, 3, 2, 4 -> 0, 2/3, 1/3, 1; lower = priority -> 1 - p
    assert approx(out["n_b"].to_list(), [1.0, 1 / 3, 2 / 3, 0.0])


def test_zscore_normalisation():
    out = rollout.normalise(FIXTURE, "zscore", TWO)
    # a: mean (10+20+20)/3 = 16.667; var ((-6.667)² + 2·3.333²)/3 = 22.222; sd = 4.7140
    #    z = -6.667/4.714 = -1.41421, 3.333/4.714 = 0.70711 (twice); K4 missing -> 0
    assert approx(out["n_a"].to_list(), [-1.41421, 0.70711, 0.70711, 0.0])
    # b: mean 2.5; var (2.25+0.25+0.25+2.25)/4 = 1.25; sd 1.11803; z = -1.34164, 0.44721,
    #    -0.44721, 1.34164; lower = priority -> sign flipped
    assert approx(out["n_b"].to_list(), [1.34164, -0.44721, 0.44721, -1.34164])


def test_weighting_and_ranking_change_with_one_weight():
    equal = rollout.score_kreise(FIXTURE, "rank", {"a": 1, "b": 1}, TWO)
    # scores (n_a + n_b) / 2: K1 (0+1)/2 = 0.5, K2 (0.75+1/3)/2 = 0.54167,
    # K3 (0.75+2/3)/2 = 0.70833, K4 (0.5+0)/2 = 0.25 -> K3, K2, K1, K4
    assert equal["ags"].to_list() == ["K3", "K2", "K1", "K4"]
    assert approx(equal["score"].to_list(), [0.70833, 0.54167, 0.5, 0.25])
    assert equal["rank"].to_list() == [1, 2, 3, 4]
    heavy_b = rollout.score_kreise(FIXTURE, "rank", {"a": 1, "b": 3}, TWO)
    # (n_a + 3 n_b) / 4: K1 (0+3)/4 = 0.75, K2 (0.75+1)/4 = 0.4375, K3 (0.75+2)/4 = 0.6875,
    # K4 (0.5+0)/4 = 0.125 -> K1 moves from 3rd to 1st
    assert heavy_b["ags"].to_list() == ["K1", "K3", "K2", "K4"]
    assert approx(heavy_b["score"].to_list(), [0.75, 0.6875, 0.4375, 0.125])
    z = rollout.score_kreise(FIXTURE, "zscore", {"a": 1, "b": 1}, TWO)
    # (z_a + z_b)/2: K1 (-1.41421+1.34164)/2 = -0.03628, K2 (0.70711-0.44721)/2 = 0.12995,
    # K3 (0.70711+0.44721)/2 = 0.57716, K4 (0-1.34164)/2 = -0.67082
    assert z["ags"].to_list() == ["K3", "K2", "K1", "K4"]
    assert approx(z["score"].to_list(), [0.57716, 0.12995, -0.03628, -0.67082])


def test_weights_zero_or_negative():
    assert rollout.score_kreise(FIXTURE, "rank", {"a": 0, "b": 0}, TWO)["score"].null_count() == 4
    with pytest.raises(ValueError):
        rollout.weighted_score(rollout.normalise(FIXTURE, "rank", TWO), {"a": -1, "b": 1}, TWO)
    with pytest.raises(ValueError):
        rollout.normalise(FIXTURE, "minmax", TWO)


def test_haversine_and_reachable_vacancies():
    # one degree of latitude on the 6371 km sphere: 6371 · π / 180 = 111.195 km
    assert rollout.haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=1e-3)
    centroids = pl.DataFrame(
        {"ags": ["P1", "P2", "P3"], "centroid_lon": [0.0, 0.0, 0.0], "centroid_lat": [0.0, 0.2, 0.5]}
    )
    vacancies = pl.DataFrame({"ags": ["P1", "P2", "P3"], "vacancies": [100.0, 50.0, 10.0]})
    # distances P1-P2 22.24 km, P2-P3 33.36 km, P1-P3 55.60 km
    at30 = rollout.reachable(vacancies, centroids, 30)
    assert at30["reach_vacancies"].to_list() == [150.0, 150.0, 10.0]  # P1+P2, P1+P2, P3
    at40 = rollout.reachable(vacancies, centroids, 40)
    assert at40["reach_vacancies"].to_list() == [150.0, 160.0, 60.0]  # P1+P2, all, P2+P3
    gap = vacancies.with_columns(
        pl.when(pl.col("ags") == "P2").then(None).otherwise(pl.col("vacancies")).alias("vacancies")
    )
    assert rollout.reachable(gap, centroids, 30)["reach_vacancies"].to_list() == [None, None, 10.0]


RATES = [RegionRate("R1", 0.5, 20, 8, 10.0), RegionRate("R2", 1.0, 30, 6, 20.0)]


def test_projection_pooled_rate_range_and_budget():
    out = rollout.projection(RATES, 15.0, 1000.0, protected=False)
    # entries: pooled 50 / (0.5·10 + 1·20) = 2.0; single 20/5 = 4.0, 30/20 = 1.5
    assert (out["rate_entries"], out["rate_entries_low"], out["rate_entries_high"]) == (2.0, 1.5, 4.0)
    # candidate with 15 (thousand SvB): 30, 22.5, 60 entries per year
    assert (out["entries"], out["entries_low"], out["entries_high"]) == (30.0, 22.5, 60.0)
    # transitions: pooled 14/25 = 0.56; single 8/5 = 1.6, 6/20 = 0.3 -> 8.4, 4.5, 24 per year
    assert out["transitions"] == pytest.approx(8.4)
    assert (out["transitions_low"], out["transitions_high"]) == pytest.approx((4.5, 24.0))
    # budget = transitions × 1,000 EUR
    assert (out["budget"], out["budget_low"], out["budget_high"]) == pytest.approx((8400, 4500, 24000))
    assert rollout.projection(RATES, None, 1000.0, protected=False)["entries"] is None


def test_projection_protects_small_region_counts():
    rates = [*RATES, RegionRate("R3", 1.0, 2, 0, 10.0)]
    open_ = rollout.projection(rates, 15.0, None, protected=False)
    assert open_["rate_entries_low"] == pytest.approx(0.2)  # 2 / (1·10): reveals R3's 2 entries
    assert open_["budget"] is None  # no cost known
    closed = rollout.projection(rates, 15.0, None, protected=True)
    # R3's 2 entries give no single rate; pooled 52 / 35 still uses them (a sum over regions)
    assert (closed["rate_entries_low"], closed["rate_entries_high"]) == (1.5, 4.0)
    assert closed["rate_entries"] == pytest.approx(52 / 35)
    assert closed["rate_transitions_low"] == 0.0  # 0 transitions is not a small count
    lone = rollout.projection([RegionRate("R3", 1.0, 2, 0, 10.0)], 15.0, None, protected=True)
    assert lone["rate_entries"] is None and lone["entries"] is None  # pooled count 2 < 3


def test_cuts_withheld_for_few_persons_or_firms():
    con = duckdb.connect()
    con.execute("CREATE TABLE firm (firm_id VARCHAR, name VARCHAR, ags VARCHAR)")
    con.execute(
        "CREATE TABLE firm_need (firm_id VARCHAR, need_date DATE, kind VARCHAR, kldb VARCHAR, count INT, "
        "effective_date DATE, status VARCHAR, training BOOLEAN, wage DOUBLE, filled INT)"
    )
    con.execute(
        "INSERT INTO firm VALUES ('F1','a','K1'),('F2','b','K1'),('F3','c','K1'),('F4','d','K2'),"
        "('F5','e','K3'),('F6','f','K3'),('F7','g','K3')"
    )
    con.execute(
        "INSERT INTO firm_need (firm_id, need_date, kind, kldb, count, status, filled) VALUES "
        "('F1','2026-01-01','cut',NULL,10,NULL,NULL),('F2','2026-01-01','cut',NULL,5,'open',NULL),"
        "('F3','2026-02-01','cut',NULL,1,NULL,NULL),('F4','2026-01-01','cut',NULL,40,'partly',15),"
        "('F5','2026-01-01','cut',NULL,1,NULL,NULL),('F6','2026-01-01','cut',NULL,1,NULL,NULL),"
        "('F7','2026-01-01','cut','242',30,'withdrawn',NULL),('F1','2026-03-01','cut','242',20,'filled',NULL),"
        "('F2','2026-03-01','cut','242',8,'open',8),"
        "('F1','2026-01-01','need','252',99,NULL,NULL)"
    )
    cuts = rollout.announced_cuts(con)
    # the exchange's announcements: K1 10 + 5 + 1 = 16 persons from 3 firms (F1's filled cut
    # and F2's cut with all 8 settled are gone); K2 40 − 15 settled = 25 persons from 1 firm;
    # K3 2 persons from 2 firms (F7's 30 withdrawn); needs (kind 'need') are no cuts
    assert cuts.rows() == [("K1", 16.0, 3), ("K2", 25.0, 1), ("K3", 2.0, 2)]
    # protected: the Drehscheibe's pattern (its cell of every open cut per Kreis, issue #12):
    # K2 one firm, K3 2 persons are primary; K1's cuts are all without an occupation (its
    # ``rest``), 16 persons of 3 firms, in no other sum
    pattern = pattern_of(announcements(con, with_kldb=False), date(2026, 3, 31), 3)  # no nodes
    closed = rollout.protect_cuts(cuts, pattern)
    assert closed["cuts"].to_list() == [16.0, None, None]
    assert closed["cuts__suppressed"].to_list() == [False, True, True]
    assert rollout.protect_cuts(cuts, None)["cuts"].to_list() == [16.0, 25.0, 2.0]


def test_role_is_checked():
    assert rollout.check_role("agency") is False
    assert rollout.check_role("ministry") and rollout.check_role("social_partner")
    with pytest.raises(ValueError):
        rollout.check_role("guest")


@pytest.fixture
def tiny_con(tiny_settings):
    con = connect(tiny_settings.warehouse_path)
    yield con
    con.close()


def test_indicators_on_the_tiny_warehouse(tiny_settings, tiny_con):
    frame, stand = rollout.indicator_frame(tiny_con, tiny_settings, "extended", 30, "ministry")
    rows = {r["ags"]: r for r in frame.iter_rows(named=True)}
    assert stand["employment"] == date(2026, 6, 30) and stand["labour_market"] == date(2026, 7, 1)
    h, p, hannover, bremen = rows["03254"], rows["03157"], rows["03241"], rows["04011"]
    # Hildesheim, extended (22, 24-29): 2026 5000+1000+2000+2000 = 10000 of 100000 = 0.10;
    # 2025 5390+1000+2000+2000 = 10390 of 98000 = 0.106020; change -0.006020;
    # SvB change (10000-10390)/10390 = -3.7536 %
    assert h["auto_share"] == pytest.approx(0.10)
    assert h["auto_share_change"] == pytest.approx(0.10 - 10390 / 98000)
    assert h["auto_svb_change_pct"] == pytest.approx(-390 / 10390)
    assert p["auto_share"] is None  # WZ 24 withheld in 2026
    assert hannover["auto_share"] == pytest.approx(25000 / 500000)  # 20000 + 5000
    assert bremen["auto_share"] is None  # no employment rows
    # participants' occupations: all 252; Q3 2026: Hildesheim 10 vacancies, 90 unemployed
    assert stand["occupations"] == ["252"]
    assert (h["occ_vacancies"], h["occ_ratio"]) == (10.0, 9.0)
    assert p["occ_vacancies"] == 5.0 and p["occ_ratio"] is None  # unemployed withheld all months
    # reachable (all occupations, Q3 mean): Hildesheim (200+200+260)/3 = 220, Peine 180,
    # Hannover 500; Hildesheim-Peine 26.8 km, Hildesheim-Hannover 36.6 km, Peine-Hannover 36.9 km
    assert h["reach_vacancies"] == pytest.approx(400.0) and p["reach_vacancies"] == pytest.approx(400.0)
    assert hannover["reach_vacancies"] == 500.0
    assert bremen["reach_vacancies"] is None  # August withheld
    wide, _ = rollout.indicator_frame(tiny_con, tiny_settings, "extended", 40, "ministry")
    assert wide.filter(pl.col("ags") == "03241")["reach_vacancies"][0] == pytest.approx(900.0)
    # network presence: Hildesheim (R1) A B C D F G = 6 entries, A B C G = 4 transitions;
    # Peine (R2) E H I J K = 5 entries, 5 transitions; start dates from the rollout plan.
    # The ministry sees Peine's transitions withheld: its one transition in Q1 (E) would
    # follow from them and the quarters shown elsewhere (the one suppression pattern, #12).
    # Hildesheim's 6 entries of all data are withheld: minus its 5 since start (Übersicht)
    # they give G's 1 entry in Q4 2025; its 4 transitions (none before the start) are shown
    assert (h["entries"], h["transitions"], h["network_since"]) == (None, 4, date(2026, 1, 1))
    assert (p["entries"], p["transitions"], p["network_since"]) == (5, None, date(2026, 5, 1))
    full, _ = rollout.indicator_frame(tiny_con, tiny_settings, "core", 30, "agency")
    presence = {r["ags"]: (r["entries"], r["transitions"]) for r in full.iter_rows(named=True)}
    assert (presence["03254"], presence["03157"]) == ((6, 4), (5, 5))
    core, _ = rollout.indicator_frame(tiny_con, tiny_settings, "core", 30, "agency")
    assert core.filter(pl.col("ags") == "03254")["auto_share"][0] == pytest.approx(0.05)  # 5000/100000


def test_rates_and_cost_on_the_tiny_warehouse(tiny_settings, tiny_con):
    frame, _ = rollout.indicator_frame(tiny_con, tiny_settings, "extended", 30, "ministry")
    rates = {r.ags: r for r in rollout.region_rates(frame, tiny_con, "svb")}
    # Hildesheim: first entry 01.12.2025, last event 15.09.2026 = 288 days = 0.78850 years,
    # 10 (thousand) automotive SvB; Peine has no SvB figure (withheld) -> no base
    assert rates["03254"].years == pytest.approx(288 / 365.25)
    assert (rates["03254"].entries, rates["03254"].base) == (6, 10.0)
    assert rates["03157"].base is None
    # funding spent 24000 + 36000 over 9 transitions = 6666.67 EUR
    assert rollout.cost_per_transition(tiny_con) == pytest.approx(60000 / 9)
    out = rollout.projection(list(rates.values()), 25.0, 60000 / 9, protected=True)
    # rate 6 / (0.78850·10) = 0.76094 entries per year and 1,000 SvB -> Hannover 25 -> 19.02
    assert out["entries"] == pytest.approx(6 / (288 / 365.25 * 10) * 25)


def _filters(lang="de", protected=True, role=None, **options):
    return ViewFilters(
        "hildesheim",
        "Hildesheim",
        ("03254",),
        "Q3 2026",
        lang,
        protected,
        date(2026, 9, 15),
        tuple(sorted(options.items())),
        role=role or ("ministry" if protected else "agency"),  # the signed-in role (#13)
    )


def test_view_screen_equals_excel_and_is_translated(tiny_settings, tiny_con):
    """With comparison and projection (the shared matrix in test_views covers the defaults):
    every cell of every table is the same value in its Excel sheet, "*" where withheld."""
    for lang in ("de", "en"):
        for basis in ("svb", "cuts"):
            options = {"compare": ("03254", "03241", "04011"), "candidate": "03241", "profile": "03157"}
            view = rollout_view(tiny_con, tiny_settings, _filters(lang, basis=basis, **options))
            assert missing_or_untranslated(view.message_ids()) == []
            assert {t.key for t in view.tables()} == {
                "ranking",
                "compare",
                "projection",
                "plan",
                "indicators",
            }
            book = load_workbook(io.BytesIO(view_workbook(view)))
            for table in view.tables():
                headers, rows = sheet_rows(book[view.text(table.sheet)], table, lang)
                assert headers == [view.text(c.label) for c in table.columns]
                for i, row in enumerate(rows):
                    for j, column in enumerate(table.columns):
                        if table.suppressed(column.key)[i]:
                            assert row[j] == "*"
                        else:
                            assert same(row[j], table.frame[column.key][i]), (table.key, i, column.key)
            ranking = view.table("ranking").frame
            assert ranking["rank"].to_list() == list(range(1, ranking.height + 1))
            compare = view.table("compare")
            assert [c.key for c in compare.columns] == [
                "indicator",
                "k_03254",
                "k_03241",
                "k_04011",
                "land_03",
                "land_04",
            ]
            # Land Niedersachsen, extended: (10000 + 25000 + …) / all SvB is withheld (Peine "*")
            assert compare.frame["land_03"][0] is None
            projection = view.table("projection").frame
            if basis == "svb":
                # Hildesheim's 6 entries of all data are withheld (6 − 5 since start = G's
                # 1 in Q4 2025, test_indicators_on_the_tiny_warehouse), so is the entries'
                # projection; Hannover: 25 (thousand) SvB × 4 transitions / (0.78850 · 10)
                # = 12.68 transitions per year
                assert projection["expected"][1] is None
                assert projection["expected"][3] == pytest.approx(4 / (288 / 365.25 * 10) * 25)
            else:
                assert projection["expected"].null_count() == 5  # no cuts in the tiny data


def test_view_role_keeps_protection(tiny_settings, tiny_con):
    view = build_rollout_view(tiny_con, tiny_settings, _filters(protected=False), role="social_partner")
    assert view.protected is True
    agency = build_rollout_view(tiny_con, tiny_settings, _filters(protected=False), role="agency")
    assert agency.protected is False
    with pytest.raises(ValueError):
        build_rollout_view(tiny_con, tiny_settings, _filters(), role="guest")


def test_view_weights_change_the_ranking(tiny_settings, tiny_con):
    only_share = {k: 0.0 for k in rollout.INDICATOR_KEYS} | {"auto_share": 1.0}
    view = rollout_view(tiny_con, tiny_settings, _filters(weights=tuple(only_share.items())))
    # rank normalisation on the share alone, n = 2 Kreise with a value: Hildesheim 0.10 -> 1,
    # Hannover 0.05 -> 0; every Kreis without a value is neutral (0.5) and lies between them
    ags = view.table("ranking").frame["ags"].to_list()
    assert ags[0] == "03254" and ags[-1] == "03241"
    only_reach = {k: 0.0 for k in rollout.INDICATOR_KEYS} | {"reach_vacancies": 1.0}
    view = rollout_view(tiny_con, tiny_settings, _filters(weights=tuple(only_reach.items()), distance=30.0))
    # reachable vacancies at 30 km: Hildesheim 400, Peine 400, Hannover 500 (n = 3): average
    # ranks 1.5, 1.5, 3 -> 0.25, 0.25, 1.0; the others (no geometry, Bremen withheld) 0.5
    frame = view.table("ranking").frame
    assert frame["ags"].to_list()[0] == "03241" and frame["score"][0] == pytest.approx(1.0)
    assert frame["ags"].to_list()[-2:] == ["03157", "03254"]
    assert frame["score"].to_list()[-2:] == pytest.approx([0.25, 0.25])


def test_page_renders_and_reacts_to_a_weight(tiny_settings):
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/rollout.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("Rollout-Planer")
    first = at.dataframe[0].value
    for key in rollout.INDICATOR_KEYS:
        if key != "auto_share":
            at.text_input(key=f"rollout_w_{key}__de").set_value("0")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    ranked = at.dataframe[0].value
    # the share alone (see test_view_weights_change_the_ranking): Hildesheim first, Hannover last
    assert ranked["AGS"].to_list()[0] == "03254" and ranked["AGS"].to_list()[-1] == "03241"
    assert first.shape[0] == ranked.shape[0]
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("Rollout planner")


def test_the_plan_is_the_one_source(tiny_settings, tiny_con):
    from analytics.settings import PlanWave, RolloutPlan, Settings

    plan = RolloutPlan(
        waves=[
            PlanWave(wave=2, start=date(2026, 7, 1), kreise=["03241", "03157"]),
            PlanWave(wave=1, start=date(2026, 1, 1), kreise=["03254"]),
        ]
    )
    # waves in order of their start; the demo generator reads the same starts
    assert plan.starts() == {"03254": date(2026, 1, 1), "03241": date(2026, 7, 1), "03157": date(2026, 7, 1)}
    settings = Settings(data_dir=tiny_settings.data_dir, rollout=plan)
    assert settings.demo.network_regions == plan.starts()
    assert Settings().demo.network_regions == {  # the default plan: today's three regions
        "03254": date(2026, 1, 1),
        "03157": date(2026, 5, 1),
        "03153": date(2026, 9, 1),
    }
    view = rollout_view(tiny_con, settings, _filters())
    frame = view.table("ranking").frame
    since = dict(frame.select("ags", "network_since").rows())
    assert since["03241"] == date(2026, 7, 1) and since["03153"] is None
    assert view.table("plan").frame["quarter"].to_list() == ["Q1 2026", "Q3 2026"]


def test_targets_per_wave_are_the_networks_targets(tiny_settings, tiny_con):
    """The plan as data: which Kreis joins when, with its targets; the network's yearly
    targets, a selection's targets, the network region list and the preset read it."""
    from pydantic import ValidationError

    from analytics.kpi import network_regions, region_target
    from analytics.regions import region_presets
    from analytics.settings import PlanWave, RolloutPlan, Settings, YearTarget

    def wave(n, start, kreise, targets):
        return PlanWave(
            wave=n,
            start=start,
            kreise=kreise,
            targets={y: YearTarget(entries=e, transitions=t) for y, (e, t) in targets.items()},
        )

    plan = RolloutPlan(
        waves=[
            wave(1, date(2026, 1, 1), ["03254"], {2026: (20, 8), 2027: (30, 12)}),
            wave(2, date(2026, 7, 1), ["03241", "03157"], {2026: (10, 2), 2027: (40, 20)}),
        ]
    )
    settings = Settings(data_dir=tiny_settings.data_dir, rollout=plan)
    # network targets = the sum of the waves: 2026 20 + 10 = 30 entries, 8 + 2 = 10 transitions
    assert {y: (t.entries, t.transitions) for y, t in settings.targets.by_year.items()} == {
        2026: (30, 10),
        2027: (70, 32),
    }
    # a selection: the waves it covers whole; a part of a wave or no wave gives no target
    assert region_target(settings, ["03254"], 2027) == YearTarget(entries=30, transitions=12)
    assert region_target(settings, ["03254", "03241", "03157", "04011"], 2026).entries == 30
    assert region_target(settings, ["03254", "03241"], 2026) is None  # Peine missing from wave 2
    assert region_target(settings, ["04011"], 2026) is None
    assert region_target(settings, ["03254"], 2029) is None
    # network regions: the plan's started waves (before 01.07. only Hildesheim) and Kreise with
    # participants (Peine, whose firm's participants entered before its wave)
    assert network_regions(tiny_con, settings, date(2026, 3, 31)) == ["03157", "03254"]
    assert network_regions(tiny_con, settings, date(2026, 9, 30)) == ["03157", "03241", "03254"]
    presets = {p.key: p.ags for p in region_presets(tiny_con, network_regions(tiny_con, settings))}
    assert set(presets["network"]) == set(network_regions(tiny_con, settings))
    # the planner's plan table: targets per wave and year beside what the wave achieved
    # (tiny warehouse up to 30.09.2026: Hildesheim 5 entries, 4 transitions; Peine and
    # Region Hannover 5 / 5, from Peine's firm)
    table = rollout_view(tiny_con, settings, _filters()).table("plan").frame
    assert table.select(
        "wave", "year", "target_entries", "entries", "target_transitions", "transitions"
    ).rows() == [
        (1.0, "2026", 20.0, 5.0, 8.0, 4.0),
        (1.0, "2027", 30.0, None, 12.0, None),
        (2.0, "2026", 10.0, 5.0, 2.0, 5.0),
        (2.0, "2027", 40.0, None, 20.0, None),
    ]
    assert table["kreise"][2] == "Region Hannover, Peine"
    # the targets live in the plan only: both given and different is refused; a Kreis once
    with pytest.raises(ValidationError, match="sum of the rollout waves"):
        Settings(
            data_dir=tiny_settings.data_dir,
            rollout=plan,
            targets={"by_year": {2026: {"entries": 1, "transitions": 1}}},
        )
    with pytest.raises(ValidationError, match="is in wave 1 and wave 2"):
        RolloutPlan(
            waves=[wave(1, date(2026, 1, 1), ["03254"], {}), wave(2, date(2026, 2, 1), ["03254"], {})]
        )
    # an older configuration with yearly targets only keeps them; its waves carry none
    older = Settings(
        data_dir=tiny_settings.data_dir, targets={"by_year": {2026: {"entries": 9, "transitions": 3}}}
    )
    assert older.targets.by_year[2026].transitions == 3 and not older.rollout.has_targets()
    assert region_target(older, ["03254"], 2026).transitions == 3  # the network's, as before


def test_plan_progress_is_protected_with_the_network_and_wave_totals(tiny_settings, tiny_con):
    """Up to 31.03.2026: Hildesheim 5 entries, 2 transitions; Peine 1 entry, 1 transition
    (before its wave's start: counted all the same); Goslar 0. Below agency: Peine's 1 and 1
    are "*"; the network's 2026 figures (6 entries, 3 transitions, shown on Förderung) would
    give them back from Hildesheim's, so Hildesheim's 5 entries go too; its 2 transitions are
    small; Goslar's zeros hide nothing and stay."""
    until = date(2026, 3, 31)
    open_ = rollout.plan_progress(tiny_con, tiny_settings, until, protected=False).filter(
        pl.col("year") == 2026
    )
    assert open_.select("wave", "entries", "transitions").rows() == [
        (1, 5.0, 2.0),
        (2, 1.0, 1.0),
        (3, 0.0, 0.0),
    ]
    closed = rollout.plan_progress(tiny_con, tiny_settings, until).filter(pl.col("year") == 2026)
    assert closed.select("entries", "transitions").rows() == [(None, None), (None, None), (0.0, 0.0)]
    assert closed["entries__suppressed"].to_list() == [True, True, False]


def test_scenarios_are_saved_and_loaded_by_name(settings):
    from analytics.scenarios import Scenario, load_scenarios, path, save_scenario

    assert load_scenarios(settings) == ({}, False)
    first = Scenario(
        name="Welle 4 (Süd)", weights={"auto_share": 2.0}, compare=["03103", "03102"], candidate="03103"
    )
    save_scenario(settings, first, "ministry", now=datetime(2026, 12, 1, 10, 0))
    save_scenario(settings, Scenario(name="z-Werte", method="zscore"), "agency")
    saved, damaged = load_scenarios(settings)
    assert not damaged and list(saved) == ["Welle 4 (Süd)", "z-Werte"]
    assert saved["Welle 4 (Süd)"].compare == ["03103", "03102"]
    assert saved["Welle 4 (Süd)"].saved_by_role == "ministry"
    # the same name replaces
    save_scenario(settings, Scenario(name="z-Werte", method="rank", distance=30), "agency")
    saved, _ = load_scenarios(settings)
    assert (len(saved), saved["z-Werte"].method, saved["z-Werte"].distance) == (2, "rank", 30.0)
    for bad in (
        {"name": ""},
        {"name": "<script>"},
        {"name": "x", "weights": {"auto_share": 11}},
        {"name": "x", "weights": {"unknown": 1}},
        {"name": "x", "compare": ["03103"] * 5},
        {"name": "x", "candidate": "../etc"},
        {"name": "x", "method": "minmax"},
    ):
        with pytest.raises(ValidationError):
            Scenario(**bad)
    with pytest.raises(ValueError):
        save_scenario(settings, first, "guest")
    path(settings).write_text("{not json", encoding="utf-8")
    assert load_scenarios(settings) == ({}, True)
    with pytest.raises(ValueError):
        save_scenario(settings, first, "agency")  # a damaged file is not overwritten


def test_page_saves_and_loads_a_scenario(tiny_settings, tmp_path):
    from tests.conftest import make_settings

    # scenarios go to a fresh data dir: point the settings at a copy of the tiny warehouse
    data = tmp_path / "data"
    data.mkdir()
    (data / "warehouse.duckdb").write_bytes(tiny_settings.warehouse_path.read_bytes())
    make_settings(data)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/rollout.py")
    at.run()
    at.text_input(key="rollout_w_auto_share__de").set_value("7").run()
    at.multiselect(key="rollout_compare").set_value(["03254", "03241"]).run()
    at.selectbox(key="rollout_candidate").set_value("03241").run()
    at.date_input(key="rollout_start").set_value(date(2027, 4, 1)).run()
    at.text_input(key="rollout_scenario_name").set_value("Probe").run()
    at.button(key="rollout_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Probe" in s.value for s in at.success)
    # change the settings, then load the scenario back
    at.text_input(key="rollout_w_auto_share__de").set_value("1").run()
    at.multiselect(key="rollout_compare").set_value([]).run()
    at.date_input(key="rollout_start").set_value(None).run()
    at.selectbox(key="rollout_scenario_pick").set_value("Probe").run()
    at.button(key="rollout_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_input(key="rollout_w_auto_share__de").value == "7,0"
    assert at.multiselect(key="rollout_compare").value == ["03254", "03241"]
    assert at.date_input(key="rollout_start").value == date(2027, 4, 1)  # the dates come back
    projection = " ".join(str(v) for df in at.dataframe for v in df.value.iloc[:, 0].tolist())
    assert "vom geplanten Start 01.04.2027 bis Projektende 31.12.2028" in projection
    headings = [h.value for h in at.subheader]
    assert any(h.startswith("Vergleich") for h in headings)


def test_group_scores_explain_the_score():
    out = rollout.score_kreise(FIXTURE, "rank", {"a": 1, "b": 3}, TWO)
    # each group alone: dependency = n_a, pressure = n_b (see test_rank_normalisation)
    by_ags = {r["ags"]: r for r in out.iter_rows(named=True)}
    assert by_ags["K2"]["score_dependency"] == pytest.approx(0.75)
    assert by_ags["K2"]["score_pressure"] == pytest.approx(1 / 3)
    none = rollout.score_kreise(FIXTURE, "rank", {"a": 1, "b": 0}, TWO)
    assert none["score_pressure"].null_count() == 4  # the group's weight is 0


def test_demo_ranks_the_automotive_kreise_on_top(demo_settings):
    con = connect(demo_settings.warehouse_path)
    try:
        frame, _ = rollout.indicator_frame(con, demo_settings, "extended", 50, "ministry")
    finally:
        con.close()
    scored = rollout.score_kreise(frame, "rank", rollout.DEFAULT_WEIGHTS)
    dependency = scored.sort("score_dependency", descending=True)["name"].to_list()[:6]
    assert {"Wolfsburg", "Salzgitter", "Emden"} <= set(dependency), dependency
    assert "Wolfsburg" in scored["name"].to_list()[:3]


def test_page_state_in_the_url(tiny_settings):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["vergleich"] = "03254,03241,99999"  # an unknown AGS is dropped
    at.query_params["kandidat"] = "03241"
    at.query_params["normierung"] = "zscore"
    at.query_params["start"] = "2027-07-01"
    at.run()
    at.switch_page("app_pages/rollout.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="rollout_compare").value == ["03254", "03241"]
    assert at.selectbox(key="rollout_candidate").value == "03241"
    assert at.radio(key="rollout_method").value == "zscore"
    assert at.date_input(key="rollout_start").value == date(2027, 7, 1)
    assert any(h.value.startswith("Projektion für Region Hannover") for h in at.subheader)
    at.multiselect(key="rollout_compare").set_value(["03157"]).run()
    assert at.query_params["vergleich"] == "03157"  # the link follows the widgets


def test_the_plan_with_targets_from_cockpit_toml(tmp_path):
    """The README's configuration example: two waves with targets; the network's yearly
    targets are their sums (2026: 240 + 80 entries, 100 + 30 transitions)."""
    from tests.conftest import make_settings

    config = tmp_path / "cockpit.toml"
    config.write_text(
        '[[rollout.waves]]\nwave = 1\nstart = 2026-01-01\nkreise = ["03254"]\n'
        "targets.2026 = { entries = 240, transitions = 100 }\n"
        "targets.2027 = { entries = 240, transitions = 150 }\n\n"
        '[[rollout.waves]]\nwave = 2\nstart = 2026-05-01\nkreise = ["03157"]\n'
        "targets.2026 = { entries = 80, transitions = 30 }\n",
        encoding="utf-8",
    )
    settings = make_settings(tmp_path / "data", COCKPIT_CONFIG=str(config))
    assert {y: (t.entries, t.transitions) for y, t in settings.targets.by_year.items()} == {
        2026: (320, 130),
        2027: (240, 150),
    }
    assert settings.rollout.kreise_until(date(2026, 4, 30)) == ["03254"]
    assert settings.demo.network_regions == {"03254": date(2026, 1, 1), "03157": date(2026, 5, 1)}


def test_a_scenarios_planned_start_gives_the_totals_to_the_project_end(tiny_settings, tiny_con, settings):
    """Scenarios hold weights, shortlist and dates: the candidate's planned start. From
    01.01.2027 to the project end 31.12.2028 are 731 days = 731 / 365.25 = 2.0014 years."""
    from analytics.scenarios import Scenario, load_scenarios, save_scenario

    yearly = {"entries": 10.0, "entries_low": 5.0, "entries_high": None, "transitions": 4.0}
    yearly |= {"transitions_low": 2.0, "transitions_high": 6.0, "budget": 8000.0}
    yearly |= {"budget_low": None, "budget_high": 12000.0}
    whole = rollout.projection_to_end(yearly, date(2027, 1, 1), date(2028, 12, 31))
    years = 731 / 365.25
    assert whole["years"] == pytest.approx(years)
    assert whole["entries"] == pytest.approx(10 * years) and whole["entries_high"] is None
    assert whole["transitions_high"] == pytest.approx(6 * years)
    assert whole["budget"] == pytest.approx(8000 * years) and whole["budget_low"] is None
    assert rollout.projection_to_end(yearly, date(2029, 6, 1), date(2028, 12, 31))["entries"] == 0.0
    # in the view: three more rows, the yearly figures × the years (Hannover, SvB basis)
    options = {"candidate": "03241", "start": "2027-01-01"}
    view = rollout_view(tiny_con, tiny_settings, _filters(**options))
    table = view.table("projection").frame
    assert table.height == 8
    assert table["measure"][5] == "Eintritte vom geplanten Start 01.01.2027 bis Projektende 31.12.2028"
    # the entries' rate rests on Hildesheim's withheld all-data entries; the transitions' not
    assert table["expected"][5] is None
    assert table["expected"][6] == pytest.approx(table["expected"][3] * years)
    assert missing_or_untranslated(view.message_ids()) == []
    assert (
        rollout_view(tiny_con, tiny_settings, _filters(candidate="03241", start="kein Datum"))
        .table("projection")
        .frame.height
        == 5
    )  # an unreadable date: no totals
    # saved and loaded by name with the date
    save_scenario(
        settings,
        Scenario(name="Welle 4", compare=["03241"], candidate="03241", start=date(2027, 1, 1)),
        "agency",
    )
    assert load_scenarios(settings)[0]["Welle 4"].start == date(2027, 1, 1)


def test_network_presence_cannot_be_recovered_from_the_network_total():
    """Entries since the start per network Kreis: A 10, B 2, C 7, network 19 (shown on
    Übersicht and Förderung). B's 2 is "*"; 19 − 10 − 7 would give it back, so the smallest
    other, C's 7, goes too. Transitions 4, 0, 5: nothing small (0 hides nothing)."""
    results = pl.DataFrame({"ags": ["A", "B", "C"], "entries": [10, 2, 7], "transitions": [4, 0, 5]})
    closed = rollout.protect_presence(results)
    assert closed["entries"].to_list() == [10, None, None]
    assert closed["entries__suppressed"].to_list() == [False, True, True]
    assert closed["transitions"].to_list() == [4, 0, 5]


def test_the_score_map_names_the_static_shapes_and_colours_each_kreis_by_class(tiny_settings, tiny_con):
    """Drawn like the Regionen map (#17): a deck.gl layer that loads the Kreis shapes from the
    app's static file (no coordinates in the deck, no basemap), a colour per Kreis by its
    score class, and a legend of those classes."""
    import json

    from analytics import maps
    from analytics.static_geometry import kreis_geometry
    from analytics.views.model import Map

    view = rollout_view(tiny_con, tiny_settings, _filters())
    (block,) = [b for b in view.blocks if isinstance(b, Map)]
    assert block.key == "score_map"
    spec = json.loads(block.deck.to_json())
    (layer,) = spec["layers"]
    assert layer["data"] == kreis_geometry(tiny_con).url
    assert "coordinates" not in block.deck.to_json()
    assert spec.get("mapStyle") in (None, "__MAP_STYLE__") and "mapProvider" not in spec  # no basemap
    rows = maps.decoded_rows(layer["dataTransform"])
    ranking = view.table("ranking").frame
    scale = maps.colour_scale(ranking["score"].to_list(), "sequential")
    expected = {a: maps.rgba(scale.colour(s)) for a, s in ranking.select("ags", "score").iter_rows()}
    owners = kreis_geometry(tiny_con).owners
    assert len(rows) == len(owners)
    for part, tip, colour in rows:
        assert colour == expected[owners[part]], (owners[part], tip)
    # the best and the worst Kreis of the map in the palette's two ends (several classes)
    drawn = ranking.filter(pl.col("ags").is_in(owners))
    assert expected[drawn["ags"][0]] == maps.rgba(maps.VIRIDIS[-1])
    assert expected[drawn["ags"][-1]] == maps.rgba(maps.VIRIDIS[0])
    top = ranking.row(0, named=True)
    assert any(tip.startswith(f"{top['name']} ({top['ags']})\nScore") for _, tip, _ in rows)
    ((title, legend),) = block.legends
    assert view.text(title) == "Score je Kreis"
    assert {c for _, c in legend} == {scale.colour(s) for s in ranking["score"].to_list()} | {
        maps.MISSING_COLOUR
    }
