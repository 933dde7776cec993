"""Flows (Branchen & Übergänge) against the hand-written cases of tests/builders.py.

Transitions 01.01.–30.09.2026, whole network (03157 Peine, 03254 Hildesheim); R1 is WZ 29
(automotive core), R2 WZ 22 (supplier); E1 WZ 35 in 03254 (tarif), E2 WZ 43 in 03241 (no
tarif), E3 WZ 28 (section C) in 03157 (tarif):

  case  from      home   -> firm  Kreis   KldB 252 ->  wage ratio
  A     core      03254  -> E1    03254   262          4000/4000 = 1.0
  B     core      03254  -> E2    03241   342          2700/3000 = 0.9
  C     core      03254  -> E2    03241   342          (no origin wage)
  G     core      03254  -> E1    03254   251          3040/3200 = 0.95
  E     supplier  03157  -> E1    03254   263          3500/3600 = 0.9722
  H     supplier  03157  -> E3    03157   251          3300/3000 = 1.1
  I     supplier  03157  -> E3    03157   242          3200/3200 = 1.0
  J     supplier  04011  -> E3    03157   251          3230/3400 = 0.95
  K     supplier  03157  -> E1    03254   262          3150/3500 = 0.9

Sector links: core→35 2, core→43 2, supplier→28 3, supplier→35 2. Protected: core's two
links of 2 merge into core→übrige 4; supplier's single 35-link of 2 cannot be merged alone,
so the smallest shown link (28: 3) joins: supplier→übrige 5.
Shares (unprotected): core 4: C 0, same Kreis 2 (A, G), Land 4, tarif 2 (A, G), wage median
of 1.0, 0.9, 0.95 = 0.95; supplier 5: C 3, Kreis 2 (H, I), Land 4 (J from Bremen), tarif 5,
median 0.9722; total 9: C 3, Kreis 4, Land 8, tarif 7, median of 8 = (0.95 + 0.9722) / 2.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics.db import connect
from analytics.disclosure import flag_column
from analytics.flows import flow_view, sector_group, transitions

START, END = date(2026, 1, 1), date(2026, 9, 30)
NETWORK = ["03157", "03254"]


@pytest.fixture
def con(tiny_settings):
    connection = connect(tiny_settings.warehouse_path)
    yield connection
    connection.close()


def links(frame: pl.DataFrame) -> dict[tuple[str, str], int]:
    return {(s, t): p for s, t, p in frame.select("source", "target", "persons").iter_rows()}


def test_transitions_by_hand(con):
    trans = transitions(con, START, END, NETWORK)
    assert trans["case_id"].to_list() == ["A", "B", "C", "E", "G", "H", "I", "J", "K"]
    assert trans.filter(pl.col("case_id") == "J")["home_land"][0] == "04"
    assert trans.filter(pl.col("case_id") == "H")["receiving_section"][0] == "C"


def test_sector_group_follows_the_settings(tiny_settings):
    assert sector_group("29", tiny_settings.automotive) == "core"
    assert sector_group("22", tiny_settings.automotive) == "supplier"
    assert sector_group("35", tiny_settings.automotive) == "rest"


def test_sankey_links_unprotected(con, tiny_settings):
    view = flow_view(con, START, END, NETWORK, tiny_settings, protected=False, cube=False)
    assert links(view.sector_links) == {
        ("core", "35"): 2,
        ("core", "43"): 2,
        ("supplier", "28"): 3,
        ("supplier", "35"): 2,
    }
    assert view.transitions == 9
    detail = flow_view(con, START, END, NETWORK, tiny_settings, grouped=False, protected=False, cube=False)
    assert links(detail.sector_links)[("core/29", "35")] == 2
    occupations = flow_view(con, START, END, NETWORK, tiny_settings, protected=False, cube=False)
    assert links(occupations.occupation_links) == {
        ("252", "251"): 3,
        ("252", "262"): 2,
        ("252", "342"): 2,
        ("252", "263"): 1,
        ("252", "242"): 1,
    }
    two = flow_view(con, START, END, NETWORK, tiny_settings, kldb_digits=2, protected=False, cube=False)
    assert links(two.occupation_links) == {("25", "25"): 3, ("25", "26"): 3, ("25", "34"): 2, ("25", "24"): 1}


def test_sankey_links_protected_by_hand(con, tiny_settings):
    view = flow_view(con, START, END, NETWORK, tiny_settings, cube=False)
    assert links(view.sector_links) == {("core", "_other"): 4, ("supplier", "_other"): 5}
    assert view.sector_links["merged"].to_list() == [2, 2]
    # 3-digit: 251 (3) stays, 262, 342, 263, 242 (2+2+1+1) merge into 'übrige' 6 ...
    exact = flow_view(con, START, END, NETWORK, tiny_settings, readable=False, cube=False)
    assert links(exact.occupation_links) == {("252", "251"): 3, ("252", "_other"): 6}
    assert exact.kldb_digits == 3 and exact.sector_level == "division"
    # ... 6 of 9 persons on 'übrige': the readable Sankey groups by 2 digits (3 of 9 there);
    # the sector Sankey is all 'übrige' by division and by section: the section is shown
    assert view.kldb_digits == 2 and view.sector_level == "section"
    assert links(view.occupation_links) == {("25", "25"): 3, ("25", "26"): 3, ("25", "_other"): 3}
    # 2-digit: 25→25 3 and 25→26 3 stay; 34 (2) and 24 (1) merge: 3
    two = flow_view(con, START, END, NETWORK, tiny_settings, kldb_digits=2, cube=False)
    assert links(two.occupation_links) == {("25", "25"): 3, ("25", "26"): 3, ("25", "_other"): 3}
    # arcs, home -> firm: 03254→03254 2, 03254→03241 2, 03157→03254 2, 03157→03157 2,
    # 04011→03157 1. 04011 (1 person) is pooled with the smaller of the others (03157, 4):
    # 'übrige' → 03157 3 and → 03254 2; then every source pools its small links.
    assert links(view.region_links) == {("03254", "_other"): 4, ("_other", "_other"): 5}


def test_shares_unprotected_by_hand(con, tiny_settings):
    view = flow_view(con, START, END, NETWORK, tiny_settings, protected=False, cube=False)
    rows = {r["row"]: r for r in view.shares.iter_rows(named=True)}
    assert set(rows) == {"core", "supplier", "_total"}  # selection = network: no comparison row
    assert rows["core"]["in_c_share"] == 0
    assert rows["supplier"]["in_c_share"] == pytest.approx(3 / 5)
    assert rows["_total"]["in_c_share"] == pytest.approx(3 / 9)
    assert rows["core"]["same_kreis_share"] == pytest.approx(2 / 4)
    assert rows["supplier"]["same_kreis_share"] == pytest.approx(2 / 5)
    assert rows["_total"]["same_kreis_share"] == pytest.approx(4 / 9)
    assert rows["supplier"]["same_land_share"] == pytest.approx(4 / 5)
    assert rows["_total"]["same_land_share"] == pytest.approx(8 / 9)
    assert rows["core"]["into_tarif_share"] == pytest.approx(2 / 4)
    assert rows["_total"]["into_tarif_share"] == pytest.approx(7 / 9)
    assert rows["core"]["wage_ratio"] == pytest.approx(0.95)
    assert rows["supplier"]["wage_ratio"] == pytest.approx(3500 / 3600)
    assert rows["_total"]["wage_ratio"] == pytest.approx((0.95 + 3500 / 3600) / 2)


def test_shares_protected_by_hand(con, tiny_settings):
    """Primary: the 1–2 cells (core Kreis 2/not 2, tarif 2/not 2; supplier not-C 2, Kreis 2,
    not-Land 1; total not-Land 1, not-tarif 2). Cross-view: supplier's C share (3 of 5)
    minus the drawn links (none to WZ C) would leave 2 outside C in 'übrige' → withheld; the
    total's Land share (8 of 9) would leave 1 person outside the Land in the arc map's
    'übrige' → withheld. Secondary (Sankey node totals stay shown): supplier not-Kreis, Land;
    total tarif, C, not-C; core not-C, C. What remains shown is computed below."""
    view = flow_view(con, START, END, NETWORK, tiny_settings, cube=False)
    rows = {r["row"]: r for r in view.shares.iter_rows(named=True)}
    shown = {
        row: {
            m: r[f"{m}_share"]
            for m in ("in_c", "same_kreis", "same_land", "into_tarif")
            if not r[flag_column(f"{m}_share")]
        }
        for row, r in rows.items()
    }
    assert shown == {
        "core": {"same_land": 1.0},
        "supplier": {"into_tarif": 1.0},
        "_total": {"same_kreis": pytest.approx(4 / 9)},
    }
    assert [rows[k]["transitions"] for k in ("core", "supplier", "_total")] == [4, 5, 9]
    assert rows["core"]["wage_ratio"] == pytest.approx(0.95)  # 3 wage pairs: shown


def test_comparison_row_for_a_part_of_the_network(con, tiny_settings):
    view = flow_view(con, START, END, ["03254"], tiny_settings, protected=False, cube=False)
    rows = {r["row"]: r for r in view.shares.iter_rows(named=True)}
    assert rows["_total"]["transitions"] == 4 and rows["_network"]["transitions"] == 9
    protected = flow_view(con, START, END, ["03254"], tiny_settings, cube=False)
    # Hildesheim alone: 4 transitions (A, B, C, G) - all links are 2s: one 'übrige' link of 4
    assert links(protected.sector_links) == {("core", "_other"): 4}
    network = protected.shares.filter(pl.col("kind") == "network").row(0, named=True)
    assert network["transitions"] == 9  # the rest (Peine, 5) is not small


def test_small_selection_shows_nothing(con, tiny_settings):
    # Q2 2026, Hildesheim: B and C only (2 persons) - no link, no count
    view = flow_view(con, date(2026, 4, 1), date(2026, 6, 30), ["03254"], tiny_settings)
    assert view.sector_links.is_empty() and view.region_links.is_empty()
    assert view.transitions is None
    total = view.shares.filter(pl.col("kind") == "total").row(0, named=True)
    assert total["transitions"] is None and total[flag_column("transitions")]


def test_sankey_labels_are_whole_on_screen_and_in_the_data(demo_settings):
    """Issue #11: labels were cut ("…") on screen and in Excel. The view keeps whole titles;
    the chart wraps them onto lines without dropping a character."""
    from analytics.charts import sankey_chart, wrap_label
    from analytics.db import connect

    assert wrap_label("WZ 29 Herstellung von Kraftwagen und Kraftwagenteilen", 20) == (
        "WZ 29 Herstellung<br>von Kraftwagen und<br>Kraftwagenteilen"
    )
    con = connect(demo_settings.warehouse_path)
    try:
        view = flow_view(
            con, date(2026, 1, 1), date(2026, 9, 30), ["03254"], demo_settings, grouped=False, cube=False
        )
    finally:
        con.close()
    labels = view.sector_links["source_label"].to_list() + view.sector_links["target_label"].to_list()
    assert not any("…" in label for label in labels)
    assert max(len(label) for label in labels) > 42  # would have been cut before
    figure = sankey_chart(view.sector_links, "de", "t", "s")
    shown = [label.replace("<br>", " ") for label in figure.data[0].node.label]
    assert set(shown) == set(labels)


def test_long_chart_titles_are_wrapped_not_cut():
    """The Trends title "Arbeitslose und gemeldete Stellen – …" ran off the chart at 1280 px."""
    import plotly.graph_objects as go

    from analytics.charts import base_layout

    title = (
        "Arbeitslose und gemeldete Stellen – Agentur für Arbeit Hildesheim, Alle Berufe "
        "(Quartalsdurchschnitt der Monatswerte)"
    )
    fig = base_layout(go.Figure(), "de", title, "Quelle")
    shown = fig.layout.title.text
    assert "<br>" in shown and shown.replace("<br>", " ") == title
    assert fig.layout.margin.t >= 80
