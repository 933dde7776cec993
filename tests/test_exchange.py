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


def matches(rules: MatchRules | None = None) -> pl.DataFrame:
    return ex.match_pairs(CUTS, NEEDS, DISTANCES, SWITCHES, rules or MatchRules())


def pairs_of(frame: pl.DataFrame, cut_id: int) -> dict[int, tuple[str, float]]:
    return {
        r["need_id"]: (r["match"], r["weight"]) for r in frame.filter(pl.col("cut_id") == cut_id).to_dicts()
    }


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
    pairs = ex.centroid_distances(
        pl.DataFrame({"ags": ["a", "b"], "lon": [9.95, 10.23], "lat": [52.15, 52.32]})
    )
    assert pairs.height == 4 and pairs.filter(pl.col("cut_ags") == pl.col("need_ags"))["km"].to_list() == [
        0,
        0,
    ]


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
        {
            "group": ["242", "261", "252"],
            "cut": [50, 10, 10],
            "need": [10.0, 4.0, 0.0],
            "vacancies": [15.0, 20.0, None],
        }
    )
    assert ex.shortfall(groups).select("group", "shortfall").rows() == [("242", 25.0), ("252", 10.0)]


def test_detail_is_refused_below_agency():
    ex.require_detail("agency")
    for role in ("ministry", "social_partner"):
        with pytest.raises(ex.DetailRefused):
            ex.require_detail(role)


# ------------------------------------------------------------------ disclosure of the aggregates


def agg(rows: list[tuple], by: str) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=[by, "cut", "cut_firms", "need", "need_firms"], orient="row"
    ).with_columns(pl.exclude(by).cast(pl.Float64))


def test_protection_hides_small_cells_and_their_complements():
    from analytics.views.exchange import protect_aggregates

    # cuts: 242 10 persons (3 firms), 261 8 (3 firms), 273 2 (1 firm) → total 20 (4 firms);
    # needs: 242 9 (3 firms), 261 6 (1 firm), 273 0 → total 15 (4 firms)
    groups = agg([("242", 10, 3, 9, 3), ("261", 8, 3, 6, 1), ("273", 2, 1, 0, 0)], "group").with_columns(
        pl.Series("covered", [10.0, 4.0, 0.0])
    )
    kreis = agg([("242", 10, 3, 9, 3), ("261", 8, 3, 6, 1), ("273", 2, 1, 0, 0)], "group").with_columns(
        pl.lit("03254").alias("ags")
    )
    months = agg([("2026-11", 12, 3, 7, 3), ("2027-02", 8, 3, 8, 3)], "month")
    total = pl.DataFrame(
        {"cut": [20.0], "cut_firms": [4.0], "need": [15.0], "need_firms": [4.0], "covered": [14.0]}
    )
    out = protect_aggregates({"total": total, "group": groups, "kreis": kreis, "month": months})
    g = out["group"]
    # 273: 2 persons → "*" (primary); the total 20 is shown, so one more of the groups must go:
    # the smallest, 261 (8) → 242 stays. Covered follows its cut cell: 261 and 273 hidden.
    assert g["cut"].to_list() == [10.0, None, None]
    assert g["covered"].to_list() == [10.0, None, None]
    # needs: 261 from 1 firm → primary; then the smallest positive other (0 hides nothing):
    # 242 (9) → the total 15 can no longer be split
    assert g["need"].to_list() == [None, None, 0.0]
    # Kreis rows carry the same cells (each group is one Kreis row: relation group = Kreis)
    assert out["kreis"]["cut"].to_list() == [10.0, None, None]
    # months: all from 3 firms and ≥ 3 persons, total shown → nothing hidden
    assert out["month"]["cut"].to_list() == [12.0, 8.0]
    assert out["total"]["cut"].to_list() == [20.0]


# ------------------------------------------------------------------ the view on a tiny warehouse

# Reference day 30.09.2026 (the tiny warehouse's last case day), horizon 6 months →
# cuts taking effect in (30.09.2026, 30.03.2027]. Participants' origin is 252 throughout:
# switches 252 → 251 three times (G, H, J), 252 → 262 twice (A, K), 252 → 342 twice (B, C).
NEED_ROWS = [
    # firm, reported, kind, KldB, count, effective, status, settled (filled), training, wage
    ("R1", "2026-09-01", "cut", "25222", 30, "2026-12-01", "open", None, None, None),
    ("R1", "2026-09-01", "cut", "26122", 10, "2027-06-01", "open", None, None, None),  # beyond 6 months
    ("R1", "2026-09-02", "cut", "242", 5, "2026-11-01", "withdrawn", None, None, None),  # no longer counts
    ("E3", "2026-09-05", "need", "25212", 8, "2026-11-01", "open", None, True, 3500.0),  # Peine, same
    # switch, Helfer; partly filled: 2 of 6 placed, 4 still open
    ("E3", "2026-09-05", "need", "25111", 6, "2026-11-01", "partly", 2, False, None),
    ("E2", "2026-09-06", "need", "26212", 10, "2027-01-01", "open", None, None, None),  # Hannover, switch
    ("E1", "2026-09-07", "need", "25222", 4, "2026-10-01", "filled", None, None, None),  # filled: out
    ("E1", "2026-09-08", "need", "25232", 5, "2026-10-01", "open", 5, None, None),  # all 5 settled: out
]


@pytest.fixture(scope="module")
def exchange_dir(tmp_path_factory):
    from tests.builders import announcing_warehouse

    data_dir = tmp_path_factory.mktemp("exchange") / "data"
    announcing_warehouse(data_dir, [], NEED_ROWS, "tests/test_exchange.py")
    return data_dir


def build(exchange_dir, role: str, lang: str = "de", **options):
    from analytics.db import connect
    from analytics.views.exchange import exchange_view
    from analytics.views.model import ViewFilters
    from tests.conftest import make_settings

    settings = make_settings(exchange_dir)
    filters = ViewFilters(
        "hildesheim",
        "Landkreis Hildesheim",
        ("03254",),
        "Q3 2026",
        lang,
        role != "agency",
        date(2026, 9, 30),
        tuple(sorted({"horizon": "6", **options}.items())),
        role=role,
    )
    con = connect(settings.warehouse_path)
    try:
        return exchange_view(con, settings, filters)
    finally:
        con.close()


def test_agency_view_matches_and_covers_by_hand(exchange_dir):
    view = build(exchange_dir, "agency")
    cuts = view.table("cuts").frame
    # only the open 25222 cut falls in the horizon (26122 in June 2027, 242 withdrawn)
    assert cuts.select("kldb", "count", "participants").rows() == [("25222", 30.0, 6.0)]
    # matches: E3 25212 same (8 × 1), E3 25111 switch 252 → 251 (3×) and related, partly
    # filled: only its open 6 − 2 = 4 count (4 × 0.5 = 2), E2 26212 in Hannover (≈ 36.6 km ≤ 50)
    # switch 252 → 262 (2×) (10 × 0.5 = 5); E1 filled and E1 with all 5 settled: out
    best = view.table("matches").frame
    assert best.select("need_kldb", "match", "weight", "need_count").rows() == [
        ("25212", "same", 1.0, 8),
        ("25111", "switch", 0.5, 4),
        ("26212", "switch", 0.5, 10),
    ]
    assert best["wage"].to_list()[0] == 3500.0
    # covered = 8 + 2 + 5 = 15 of 30 → 50 %
    assert cuts["covered"].to_list() == [15.0]
    assert cuts["coverage"][0] == pytest.approx(15 / 30)
    assert cuts.select("announced", "filled").rows() == [(30.0, 0.0)]
    metrics = {m.key: m.value for m in view.metrics()}
    # needs in reach: 8 + 4 (open of the partly filled 6) + 10 = 22
    assert (metrics["cut"], metrics["need"], metrics["covered"]) == (30.0, 22.0, 15.0)
    # early warning: R1 cut 30 persons, 4 transitions (A, B, C, G) → gap 26; 6 participants
    # are 20 % of 30: not "few" at 10 %, "few" at 25 %
    assert view.table("warn_transitions").frame.select("firm_name", "gap").rows() == [
        ("Testzulieferer Hildesheim GmbH", 26.0)
    ]
    assert view.table("warn_participants").frame.is_empty()
    assert build(exchange_dir, "agency", few_share=0.25).table("warn_participants").frame.height == 1
    # BA context for 252 in Hildesheim (tests/builders.py): September 2026 90 unemployed,
    # 10 vacancies → 9.0 per vacancy; September 2025 70 / 20 = 3.5 → change +5.5
    context = view.table("groups").frame.filter(pl.col("group") == "252")
    assert context.select("unemployed", "vacancies", "per_vacancy", "per_vacancy_change").row(0) == (
        90.0,
        10.0,
        9.0,
        5.5,
    )
    # shortfall: 252 cuts 30 − needs in 252 8 − BA vacancies 10 = 12
    assert view.table("shortfall").frame.select("group", "shortfall").rows() == [("252", 12.0)]


def test_distance_and_horizon_change_the_view(exchange_dir):
    # 30 km: Hannover (≈ 36.6 km) out → covered 8 + 2 = 10
    assert build(exchange_dir, "agency", max_km=30.0).table("cuts").frame["covered"].to_list() == [10.0]
    # 12 months: the 26122 cut (10) comes in; its matches: 26212 related (10 × 0.5 = 5)
    cuts = build(exchange_dir, "agency", horizon="12").table("cuts").frame
    assert cuts.select("kldb", "covered").rows() == [("25222", 15.0), ("26122", 5.0)]
    # past: nothing open took effect by 30.09.2026
    assert build(exchange_dir, "agency", horizon="past").table("groups").frame["cut"].sum() == 0


@pytest.mark.parametrize("role", ["ministry", "social_partner"])
def test_other_roles_see_no_firm_and_no_small_count(exchange_dir, role):
    from analytics.views.workbook import view_workbook

    for lang in ("de", "en"):
        view = build(exchange_dir, role, lang)
        assert {t.key for t in view.tables()} == {"groups", "timeline", "kreise", "shortfall"}
        texts = " ".join(" ".join(" ".join(r) for r in t.cell_texts(lang)) for t in view.tables())
        for name in ("Testzulieferer", "Testmaschinen", "Testbau"):
            assert name not in texts
        # one firm cuts: its 30 persons are "*" everywhere, also in the metrics and the shortfall
        assert {m.key: m.value_text(lang) for m in view.metrics()}["cut"] == "*"
        assert view.table("shortfall").frame.is_empty()
        groups = view.table("groups")
        row = groups.frame["group"].to_list().index("252")
        assert groups.cell_texts(lang)[row][2] == "*"
        workbook = view_workbook(view)
        assert b"Testzulieferer" not in workbook  # the sheet strings are zipped: check the cells
        from io import BytesIO

        from openpyxl import load_workbook

        sheets = load_workbook(BytesIO(workbook)).worksheets
        cells = [str(c.value) for ws in sheets for r in ws.iter_rows() for c in r if c.value]
        assert not any("Testzulieferer" in c for c in cells)
        # the Excel row of group 252 holds "*" for the cut persons, as the screen does
        row_252 = next(r for r in sheets[0].iter_rows(values_only=True) if r[0] == "252")
        assert row_252[2] == "*"


def test_detail_functions_refuse_other_roles(exchange_dir):
    from analytics.views.exchange import best_matches, cut_detail

    empty = pl.DataFrame()
    for role in ("ministry", "social_partner"):
        with pytest.raises(ex.DetailRefused):
            cut_detail(empty, empty, role)
        with pytest.raises(ex.DetailRefused):
            best_matches(empty, empty, empty, role)


def test_old_files_import_and_new_columns_are_read(settings, tmp_path):
    from pipelines.cases.importer import import_path
    from pipelines.reference import load_reference
    from pipelines.warehouse import staging
    from tests.case_files import add_row, base, write_csv

    load_reference(settings)
    files = base()  # the old format: no Wirksam ab, Stand, Qualifizierung, Lohn
    import_path(settings, write_csv(tmp_path / "old", files))
    with staging(settings) as con:
        old = ex.announcements(con)
    # defaults: effective = reporting date, status open
    assert old.select("kind", "need_date", "effective_date", "status").rows() == [
        ("need", date(2026, 1, 20), date(2026, 1, 20), "open"),  # E1 before R1
        ("cut", date(2026, 1, 15), date(2026, 1, 15), "open"),
    ]
    files["bedarfe.csv"][0] += [
        "Wirksam ab",
        "Stand",
        "Davon erledigt",
        "Einarbeitung/Qualifizierung",
        "Monatslohn (brutto)",
    ]
    for row in files["bedarfe.csv"][1:]:
        row += ["", "", "", "", ""]
    add_row(
        files,
        "bedarfe.csv",
        {
            "Betriebs-ID": "E1",
            "Datum": "01.02.2026",
            "Art": "Bedarf",
            "Beruf (KldB)": "26122",
            "Anzahl": "3",
            "Wirksam ab": "01.05.2026",
            "Stand": "teilweise besetzt",
            "Davon erledigt": "1",
            "Einarbeitung/Qualifizierung": "ja",
            "Monatslohn (brutto)": "3.400",
        },
    )
    add_row(
        files,
        "bedarfe.csv",
        {"Betriebs-ID": "R1", "Datum": "01.02.2026", "Art": "Abbau", "Beruf (KldB)": "26125", "Anzahl": "3"},
    )  # 5th digit 5: no Anforderungsniveau
    add_row(
        files,
        "bedarfe.csv",
        {
            "Betriebs-ID": "R1",
            "Datum": "02.02.2026",
            "Art": "Abbau",
            "Beruf (KldB)": "242",
            "Anzahl": "9",
            "Stand": "zurückgezogen",
        },
    )
    add_row(
        files,
        "bedarfe.csv",
        {
            "Betriebs-ID": "E1",
            "Datum": "03.02.2026",
            "Art": "Bedarf",
            "Beruf (KldB)": "252",
            "Anzahl": "4",
            "Davon erledigt": "5",
        },
    )  # more settled than announced: refused
    report = import_path(settings, write_csv(tmp_path / "new", files))
    sheet = next(s for s in report.sheets if s.table == "firm_need")
    assert (sheet.loaded, sheet.quarantined) == (4, 2)
    with staging(settings) as con:
        stored = con.execute(
            "SELECT kldb, effective_date, status::VARCHAR, filled, training, wage FROM firm_need "
            "WHERE firm_id = 'E1' "
            "AND kldb = '26122'"
        ).fetchall()
        active = ex.announcements(con)
        reasons = [r[0] for r in con.execute("SELECT reason FROM quarantine").fetchall()]
    assert stored == [("26122", date(2026, 5, 1), "partly", 1, True, 3400.0)]
    assert "242" not in active["kldb"].to_list()  # withdrawn: not in the exchange
    # the partly filled need counts with its open remainder 3 − 1 = 2; the old rows: 0 settled
    partly = active.filter(pl.col("kldb") == "26122")
    assert partly.select("announced", "filled", "count").rows() == [(3, 1, 2)]
    assert old["filled"].to_list() == [0, 0]
    assert any("mehr erledigt als angekündigt" in r for r in reasons)


def test_agency_with_protection_on_sees_what_the_others_see(exchange_dir):
    from analytics.db import connect
    from analytics.views.exchange import exchange_view
    from analytics.views.model import ViewFilters
    from tests.conftest import make_settings

    settings = make_settings(exchange_dir)
    filters = ViewFilters(
        "hildesheim",
        "Hildesheim",
        ("03254",),
        "Q3 2026",
        "de",
        True,
        date(2026, 9, 30),
        role="agency",
    )
    con = connect(settings.warehouse_path)
    try:
        view = exchange_view(con, settings, filters)
    finally:
        con.close()
    assert {t.key for t in view.tables()} == {"groups", "timeline", "kreise", "shortfall"}
    assert {m.key: m.value_text("de") for m in view.metrics()}["cut"] == "*"


# ------------------------------------------------------------------ the page (AppTest)


def open_exchange(role: str, lang: str = "de"):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if role == "agency":
        at.sidebar.toggle(key="unprotected").set_value(True).run()
    at.switch_page("app_pages/exchange.py").run()
    if lang == "en":  # last: the region selectbox keeps its German label in the widget state
        at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["de", "en"])
def test_page_shows_the_view_for_the_agency(exchange_dir, monkeypatch, lang):
    from analytics.settings import get_settings
    from tests.conftest import make_settings

    make_settings(exchange_dir, COCKPIT_TEST_ROLE="agency")
    get_settings.cache_clear()
    at = open_exchange("agency", lang)
    assert at.title[0].value == (
        "Arbeitsmarktdrehscheibe" if lang == "de" else "Labour-market exchange (Drehscheibe)"
    )
    metrics = {m.label: m.value for m in at.metric}
    label = "Abbau (Personen)" if lang == "de" else "Cuts (persons)"
    assert metrics[label] == "30"
    # the firm tables are HTML tables (st.table), whose firm names wrap
    firms = " ".join(" ".join(map(str, df.value.iloc[:, 0].tolist())) for df in [*at.dataframe, *at.table])
    assert "Testzulieferer Hildesheim GmbH" in firms
    if lang == "en":
        return
    # 30 km instead of 50: Hannover out, covered 15 → 10 (see the view test)
    at.slider(key="exchange_km").set_value(30).run()
    covered = "Abgedeckt" if lang == "de" else "Covered"
    assert {m.label: m.value for m in at.metric}[covered] == "10"


def test_page_for_the_ministry_has_no_firms(exchange_dir):
    from tests.conftest import make_settings

    make_settings(exchange_dir)
    at = open_exchange("ministry")
    assert {m.label: m.value for m in at.metric}["Abbau (Personen)"] == "*"
    shown = " ".join(
        " ".join(map(str, df.value.to_numpy().ravel().tolist())) for df in [*at.dataframe, *at.table]
    )
    assert "Testzulieferer" not in shown and "Testmaschinen" not in shown
    assert any("nur die Transformationsagentur" in i.value for i in at.info)


def test_agency_excel_has_every_table_as_on_screen(exchange_dir):
    from io import BytesIO

    from openpyxl import load_workbook

    from analytics.views.workbook import view_workbook

    view = build(exchange_dir, "agency", "en")
    book = load_workbook(BytesIO(view_workbook(view)))
    titles = [ws.title for ws in book.worksheets]
    for table in view.tables():
        assert table.sheet.text("en")[:31] in titles, table.key
    cuts = book[view.table("cuts").sheet.text("en")]
    values = [c for row in cuts.iter_rows(values_only=True) for c in row]
    assert "Testzulieferer Hildesheim GmbH" in values and 30 in values


def test_demo_tells_the_hildesheim_story(demo_settings):
    from analytics.db import connect
    from analytics.views.exchange import exchange_view
    from analytics.views.model import ViewFilters

    con = connect(demo_settings.warehouse_path)
    try:
        until = con.execute("SELECT max(entry_date) FROM participant").fetchall()[0][0]
        filters = ViewFilters(
            "hildesheim", "Hildesheim", ("03254",), "Q3 2026", "de", False, until, role="agency"
        )
        view = exchange_view(con, demo_settings, filters)
    finally:
        con.close()
    cuts = view.table("cuts").frame.filter(pl.col("firm_name") == "Innerste Antriebskomponenten GmbH")
    # 70 in metalworking (242) and 50 in mechatronics (261) within six months
    assert sorted(zip(cuts["kldb"], cuts["count"], strict=True)) == [("24222", 70.0), ("26122", 50.0)]
    matched = set(
        view.table("matches").frame.filter(pl.col("cut_firm") == "Innerste Antriebskomponenten GmbH")[
            "need_ags"
        ]
    )
    assert {"03157", "03102", "03241"} <= matched  # Peine, Salzgitter, Hannover
    assert view.demo


def test_level_expression_equals_the_function():
    codes = pl.DataFrame({"kldb": ["26122", "261", "24214"]})
    assert codes.select(ex.level_expr("kldb"))["kldb"].to_list() == [2.0, None, 4.0]


def square(x: float, y: float, size: float = 1.0) -> str:
    import json

    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def test_adjacency_reach():
    # a [0,1]², b [1,2]×[0,1] shares a's right edge; c [3,4]² stands apart
    geometries = pl.DataFrame({"ags": ["a", "b", "c"], "geojson": [square(0, 0), square(1, 0), square(3, 0)]})
    pairs = ex.adjacent_pairs(geometries)
    assert pairs == {("a", "a"), ("b", "b"), ("c", "c"), ("a", "b"), ("b", "a")}
    # adjacency ignores the distance: a → b at 130 km is in reach, a → c at 10 km is not
    distances = pl.DataFrame(
        {"cut_ags": ["a", "a", "a"], "need_ags": ["a", "b", "c"], "km": [0.0, 130.0, 10.0]}
    )
    rules = MatchRules(reach="adjacent")
    assert ex.in_reach(distances, rules, pairs)["need_ags"].to_list() == ["a", "b"]
    assert ex.in_reach(distances, MatchRules(max_km=50))["need_ags"].to_list() == ["a", "c"]
    cuts = pl.DataFrame({"id": [1], "ags": ["a"], "kldb": ["261"], "count": [10]})
    needs = pl.DataFrame({"id": [2, 3], "ags": ["b", "c"], "kldb": ["261", "261"], "count": [4, 5]})
    empty = pl.DataFrame(schema={"from_group": pl.String, "to_group": pl.String, "persons": pl.Int64})
    reachable = ex.in_reach(distances, rules, pairs)
    assert ex.match_pairs(cuts, needs, reachable, empty, rules)["need_id"].to_list() == [2]
    with pytest.raises(ValueError):
        ex.in_reach(distances, rules)


def test_view_with_adjacent_reach(exchange_dir):
    # tiny geometry: 0.2° squares around the centres, none touching → only Hildesheim's own
    # needs are in reach; there are none open (E1's is filled) → covered 0
    view = build(exchange_dir, "agency", reach="adjacent")
    assert view.table("cuts").frame["covered"].to_list() == [0.0]
    assert "Nachbarkreis" in view.filters[2][1]


# ------------------------------------------------------------------ the page's link (URL state)


def test_link_values_are_checked_and_defaults_left_out():
    from analytics.views.exchange import PAGE_DEFAULTS, page_state_from_url, url_from_page_state

    link = {
        "horizont": "12",
        "erreichbar": "adjacent",
        "km": "30",
        "niveau": "0",
        "verwandt": "0.25",
        "wechsel": "0.75",
        "wechsel_ab": "3",
        "warnung": "20",
    }
    state = page_state_from_url(link)
    assert state == {
        "horizon": "12",
        "reach": "adjacent",
        "max_km": 30,
        "max_level_drop": 0,
        "related_weight": 0.25,
        "switch_weight": 0.75,
        "min_switches": 3,
        "few_percent": 20,
    }
    assert url_from_page_state(state) == link  # a link opens the same view, and back
    # values the widgets do not offer are ignored: off the grid, out of range, unknown
    bad = {
        "horizont": "24",
        "erreichbar": "car",
        "km": "33",
        "niveau": "4",
        "verwandt": "1.5",
        "wechsel": "0.33",
        "wechsel_ab": "0",
        "warnung": "x",
    }
    assert page_state_from_url(bad) == {}
    assert page_state_from_url({"km": "200"}) == {} and page_state_from_url({"km": None}) == {}
    # the defaults make no link parameters
    assert set(url_from_page_state(PAGE_DEFAULTS).values()) == {None}


def test_page_choices_in_the_url(exchange_dir):
    """A link with horizon and rules opens the page with them (30 km: Hannover out, covered
    8 + 2 = 10, as in the view test); changing a widget updates the link."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import make_settings
    from tests.test_app import APP

    make_settings(exchange_dir, COCKPIT_TEST_ROLE="agency")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["km"] = "30"
    at.query_params["horizont"] = "12"
    at.query_params["niveau"] = "2"
    at.query_params["verwandt"] = "0.4"
    at.run()
    at.sidebar.toggle(key="unprotected").set_value(True).run()
    at.switch_page("app_pages/exchange.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="exchange_km").value == 30
    assert at.selectbox(key="exchange_horizon_de").value == "12"
    assert at.selectbox(key="exchange_level").value == 2
    assert at.slider(key="exchange_rel").value == pytest.approx(0.4)
    # 12 months, 30 km: the 25222 cut covered 8 + 2 = 10, the 26122 cut (10) by 26212 in
    # Hannover no longer (36.6 km > 30): 10 in all
    assert {m.label: m.value for m in at.metric}["Abgedeckt"] == "10"
    assert {m.label: m.value for m in at.metric}["Abbau (Personen)"] == "40"  # 30 + 10 (June 2027)
    at.slider(key="exchange_km").set_value(50).run()
    assert "km" not in at.query_params  # the default leaves the link
    assert at.query_params["horizont"] == "12"
    at.selectbox(key="exchange_horizon_de").set_value("3").run()
    assert at.query_params["horizont"] == "3"
