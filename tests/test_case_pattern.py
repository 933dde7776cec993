"""Issue #12 (over-suppression): the cover cells of the one suppression pattern are chosen by
an integer program of least cost over the whole cube (``analytics.case_pattern``), proved by
the audit, with the greedy choice as the fallback when the program hits its time limit."""

from __future__ import annotations

import itertools
import logging

import pytest

from analytics import case_pattern as cp
from analytics.db import connect
from analytics.kpi import case_period, network_regions
from analytics.views.model import ViewFilters
from analytics.views.overview import overview_view
from tests.attacker import attacker_for

HILDESHEIM = "03254"
CARDS = ("entries", "transitions", "active_end", "seamless_rate", "transition_rate")


def _relation(total: str, *parts: str) -> tuple:
    return ((total, -1), *((p, 1) for p in parts))


def test_the_cheapest_cover_cell_is_chosen_by_hand():
    """T = a + b + c with a = 2 (primary): one more cell of the relation must go. Weights
    1 + value: b costs 6, c 41, T 48, so b is the cover; the attacker then knows a + b = 7
    only (a in 0..7)."""
    values = {"T": 47, "a": 2, "b": 5, "c": 40}
    relations = [_relation("T", "a", "b", "c")]
    hidden = cp.choose_hidden(values, relations, 3)
    assert hidden == {"a", "b"}
    assert cp.pinned_cells(values, relations, hidden, ["a"]) == []


def test_a_part_of_zero_is_no_cover_beside_a_shown_total_of_zero():
    """X = a + b + z and Z = z + w, a = 2 (primary), b = 3, X = 5, z = w = Z = 0; X and b
    dear (weight 100), w cheap (0.5). Hiding z beside a and w beside z (3 + 1 + 0.5) looks
    like a cover, but with Z = 0 shown z + w = 0 pins both to 0 and then a = X − b − z = 2. A
    part of 0 needs the total or a positive part beside it, so Z is withheld instead of w:
    a + z = 2, z = Z, and a is anything from 0 to 2."""
    values = {"X": 5, "a": 2, "b": 3, "z": 0, "Z": 0, "w": 0}
    relations = [_relation("X", "a", "b", "z"), _relation("Z", "z", "w")]
    weights = {"X": 100.0, "a": 3.0, "b": 100.0, "z": 1.0, "Z": 1.0, "w": 0.5}
    hidden = cp.choose_hidden(values, relations, 3, weights)
    assert hidden == {"a", "z", "Z"}
    assert cp.pinned_cells(values, relations, hidden, ["a"]) == []
    # what the zero rule keeps the program from choosing is indeed pinned
    assert cp.pinned_cells(values, relations, {"a", "z", "w"}, ["a"]) == ["a"]


def test_the_audit_adds_a_cut_where_exactly_one_is_not_enough():
    """T1 = x + y, T2 = x + z, T3 = y + z with x = 2 (primary), y = 5, z = 6. The cheapest
    set with no relation of exactly one hidden cell is {x, y, z} (weights 3 + 6 + 7 = 16),
    but then x = (T1 + T2 − T3) / 2 = (7 + 8 − 11) / 2 = 2: the audit pins it. The cut asks
    for one more of the shown cells next to x (T1 or T2); the cheapest set that keeps every
    constraint and the cut is {x, T1, T2} (3 + 8 + 9 = 20; {x, y, z, T1} would cost 24), and
    with both totals withheld x is free."""
    values = {"T1": 7, "T2": 8, "T3": 11, "x": 2, "y": 5, "z": 6}
    relations = [_relation("T1", "x", "y"), _relation("T2", "x", "z"), _relation("T3", "y", "z")]
    assert cp.pinned_cells(values, relations, {"x", "y", "z"}, ["x"]) == ["x"]
    hidden = cp.choose_hidden(values, relations, 3)
    assert hidden == {"x", "T1", "T2"}
    assert cp.pinned_cells(values, relations, hidden, ["x"]) == []


def test_the_greedy_choice_is_the_fallback_when_the_program_hits_its_time_limit(caplog):
    """Time limit 0: no round of the program may start; the greedy choice (``_secondary``:
    among b, c, T the smallest positive cell of the same region and period, b = 5) is taken
    and the log says so."""

    def cell(measure):
        return (("03254",), ("q", "2026-Q3"), measure)

    values = {cell("T"): 47, cell("a"): 2, cell("b"): 5, cell("c"): 40}
    relations = [_relation(cell("T"), cell("a"), cell("b"), cell("c"))]
    with caplog.at_level(logging.WARNING, logger="analytics.case_pattern"):
        hidden = cp.choose_hidden(values, relations, 3, time_limit=0.0)
    assert hidden == {cell("a"), cell("b")} == cp.greedy_hidden(values, relations, 3)
    assert "falling back to the greedy choice" in caplog.text
    with pytest.raises(cp.SolverLimit):
        cp.cover_by_cost(values, relations, 3, {c: 1.0 for c in values}, time_limit=0.0)


def test_headline_cells_are_dearest_for_the_model_region_and_the_network():
    nodes = {"kreis:A": ("A",), "kreis:B": ("B",), "agentur:X": ("A", "B"), "network": ("A", "B", "C")}
    nodes["kreis:C"] = ("C",)
    values = {
        (("A",), ("q", "2026-Q3"), "entries"): 9,
        (("B",), ("q", "2026-Q3"), "entries"): 9,
        (("A", "B"), ("q", "2026-Q3"), "entries"): 9,
        (("A", "B", "C"), ("q", "2026-Q3"), "entries"): 9,
        (("A", "B", "C"), ("c", "2026-Q3"), "entries"): 9,
        (("A", "B", "C"), ("q", "2026-Q3"), "wage_good"): 9,
        (("A", "B", "C"), ("c", "2026-Q3"), "wage_good"): 9,
    }
    w = cp.cell_weights(values, nodes, model_region=("B",))
    # 10 × (1 + 9) × 2 (a quarter's headline count) for a Kreis, 1,000 × … for the model region
    assert w[(("A",), ("q", "2026-Q3"), "entries")] == 200
    assert w[(("B",), ("q", "2026-Q3"), "entries")] == 20_000
    assert w[(("A", "B"), ("q", "2026-Q3"), "entries")] == 600
    assert w[(("A", "B", "C"), ("q", "2026-Q3"), "entries")] == 6_000
    assert w[(("A", "B", "C"), ("c", "2026-Q3"), "entries")] == 3_000  # since start: × 1
    # no headline: 1 + value, × 2 since start
    assert w[(("A", "B", "C"), ("q", "2026-Q3"), "wage_good")] == 10
    assert w[(("A", "B", "C"), ("c", "2026-Q3"), "wage_good")] == 20


def _beyond_model_region(pattern, node, period, measure) -> int:
    """The rest network − Hildesheim of a measure (the free union Goslar + Peine)."""
    return pattern.value(node, period, measure) - pattern.value((HILDESHEIM,), period, measure)


def _ministry(con, settings, ags, quarter):
    until = case_period(con)[1]
    filters = ViewFilters("custom", "", tuple(ags), quarter, "de", True, until, role="ministry")
    return overview_view(con, settings, filters)


def test_the_demo_shows_the_headline_cards_of_hildesheim_and_the_network(demo_settings):
    """The ministry's Übersicht for the model region Hildesheim and for the whole network in
    Q3 and Q4 2026 shows entries, transitions, active cases, seamless rate and transition
    rate, each the agency's true value (the greedy choice withheld all but the entries for
    Hildesheim in Q3 and the network's seamless rate) — but where both would give away the
    rest between them: in Q4 (October in the test demo) the network has 1–2 transitions,
    seamless and closed cases more than Hildesheim (Peine's, the free union Goslar + Peine),
    so one of the two withholds them, the network (the model region is dearer): its
    transitions card, both rates, and one of entries and active cases (else the stock
    identity gives the closed cases)."""
    con = connect(demo_settings.warehouse_path)
    try:
        until = case_period(con)[1]
        pattern = cp.case_pattern(con, demo_settings)
        network = tuple(network_regions(con, demo_settings))
        for ags in ((HILDESHEIM,), network):
            for quarter in ("Q3 2026", "Q4 2026"):
                shown = {m.key: m for m in _ministry(con, demo_settings, ags, quarter).metrics()}
                agency = ViewFilters("custom", "", ags, quarter, "de", False, until, role="agency")
                truth = {m.key: m.value for m in overview_view(con, demo_settings, agency).metrics()}
                withheld = {key for key in CARDS if shown[key].suppressed}
                for key in set(CARDS) - withheld:
                    assert shown[key].value == truth[key], (ags, quarter, key)
                if ags == network and quarter == "Q4 2026":
                    assert {"transitions", "seamless_rate", "transition_rate"} <= withheld
                    assert len(withheld & {"entries", "active_end"}) == 1, withheld
                    node, period = pattern.node(network), ("q", "2026-Q4")
                    for measure in ("transitions", "seamless", "closed"):
                        rest = _beyond_model_region(pattern, node, period, measure)
                        assert 0 < rest < 3, measure  # the price is necessary
                else:
                    assert withheld == set(), (ags, quarter, withheld)
    finally:
        con.close()


RATES = {  # rate: numerator, its complement, base (the complement is as public as the rate)
    "seamless_rate": ("seamless", "not_seamless", "closed"),
    "transition_rate": ("transitions", "exits", "closed"),
    "retention_rate": ("retained", "not_retained", "retention_checks"),
}


def test_network_wide_rates_with_a_base_of_three_or_more_are_shown_on_the_demo(demo_settings):
    """Issue #11 item 2: the network's rates of a population of 3 or more persons are shown
    (every quarter of 2026 and since start), where neither the numerator nor its complement
    is itself a count of 1–2 persons (that would give it away), nor the rest after the
    model region (network − Hildesheim, in the quarter: its since-start value is the one
    before plus the quarter's)."""
    con = connect(demo_settings.warehouse_path)
    try:
        pattern = cp.case_pattern(con, demo_settings)
        network = pattern.nodes["network"]
        checked = 0
        for q in (1, 2, 3, 4):
            frame = _ministry(con, demo_settings, network, f"Q{q} 2026").table("kpis").frame
            rows = {r["key"]: r for r in frame.iter_rows(named=True)}
            for column, kind in (("value", "q"), ("cumulative", "c")):
                for key, measures in RATES.items():
                    part, rest, base = (pattern.value(network, (kind, f"2026-Q{q}"), m) for m in measures)
                    if base < 3 or 0 < part < 3 or 0 < rest < 3:
                        continue
                    quarter = ("q", f"2026-Q{q}")
                    if any(0 < _beyond_model_region(pattern, network, quarter, m) < 3 for m in measures):
                        continue
                    checked += 1
                    assert not rows[key][f"{column}__suppressed"], (q, column, key)
                    assert rows[key][column] == pytest.approx(part / base), (q, column, key)
        assert checked >= 12  # seamless and transition rate in every quarter and since start
    finally:
        con.close()


def test_the_pattern_of_the_demo_passes_the_audit_and_withholds_less_than_the_greedy(demo_settings):
    con = connect(demo_settings.warehouse_path)
    try:
        pattern = cp.case_pattern(con, demo_settings)
    finally:
        con.close()
    small = sorted(c for c in pattern.hidden if 0 < pattern.values[c] < 3)
    assert small and cp.pinned_cells(pattern.values, pattern.relations, set(pattern.hidden), small) == []
    greedy = cp.greedy_hidden(pattern.values, pattern.relations, 3)
    weights = cp.cell_weights(pattern.values, pattern.nodes, cp.model_region(demo_settings))
    assert sum(weights[c] for c in pattern.hidden) < sum(weights[c] for c in greedy)


# -- the pattern computed at publish and stored in the warehouse (#17) ----------------------
@pytest.fixture
def stored_settings(tmp_path):
    """Reference data and the four cases of tests/case_files.py, published with the pattern
    computed at publish (the fixtures' default is off)."""
    from pipelines.cases.importer import import_path
    from pipelines.reference import load_reference
    from pipelines.warehouse import publish
    from tests.case_files import base, write_csv
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "data", COCKPIT_DISCLOSURE_PATTERN_AT_PUBLISH="true")
    load_reference(settings)
    assert publish(settings).messages == []  # no case data: nothing computed
    import_path(settings, write_csv(tmp_path / "export", base()))
    result = publish(settings)
    assert result.status == "loaded"
    assert any("computed" in m for m in result.messages), result.messages
    cp._CACHE.clear()  # as a new process
    return settings


def _no_solver(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the solver was called")

    for name in ("cover_by_cost", "choose_hidden", "greedy_hidden"):
        monkeypatch.setattr(cp, name, refuse)


def _stored(settings) -> tuple[str, frozenset | None]:
    con = connect(settings.warehouse_path)
    try:
        key, _ = cp.pattern_key(con, settings)
        return key, cp.stored_hidden(con, key)
    finally:
        con.close()


def test_the_publish_stores_the_pattern_that_compute_pattern_gives(stored_settings):
    _, stored = _stored(stored_settings)
    con = connect(stored_settings.warehouse_path)
    try:
        computed = cp.compute_pattern(
            con,
            stored_settings.project_start,
            3,
            stored_settings.wage_ratio_good,
            cp.model_region(stored_settings),
            time_limit=stored_settings.disclosure_publish_time_limit,
            max_rounds=stored_settings.disclosure_publish_max_rounds,
        )
        page = cp.compute_pattern(
            con,
            stored_settings.project_start,
            3,
            stored_settings.wage_ratio_good,
            cp.model_region(stored_settings),
        )
    finally:
        con.close()
    assert stored is not None and stored == computed.hidden
    assert any(0 < computed.values[c] < 3 for c in stored)  # the four cases leave small cells
    # the publish's rounds let the program converge where a page's 8 take the greedy choice
    assert (computed.method, page.method) == ("cost", "greedy")
    assert len(stored) < len(page.hidden)


def test_case_pattern_reads_the_stored_pattern_without_the_solver(stored_settings, monkeypatch):
    _, stored = _stored(stored_settings)
    _no_solver(monkeypatch)
    con = connect(stored_settings.warehouse_path)
    try:
        pattern = cp.case_pattern(con, stored_settings)
    finally:
        con.close()
    assert pattern.method == "stored" and pattern.hidden == stored
    # the cube is rebuilt from the case rows: the figures are there for every page
    assert pattern.values and pattern.relations and {c[0] for c in stored} <= set(pattern.nodes.values())


def test_another_threshold_ignores_the_stored_pattern_and_computes(stored_settings, monkeypatch):
    from tests.conftest import make_settings

    _, stored = _stored(stored_settings)
    four = make_settings(stored_settings.data_dir, COCKPIT_DISCLOSURE_MIN_COUNT="4")
    calls = []
    choose = cp.choose_hidden

    def counted(*args, **kwargs):
        calls.append(args[2])  # min_count
        return choose(*args, **kwargs)

    monkeypatch.setattr(cp, "choose_hidden", counted)
    con = connect(four.warehouse_path)
    try:
        pattern = cp.case_pattern(con, four)
    finally:
        con.close()
    assert calls == [4] and pattern.method in ("cost", "greedy")  # computed, not read
    assert {c for c, v in pattern.values.items() if 0 < v < 4} <= pattern.hidden
    assert any(pattern.values[c] == 3 for c in pattern.hidden)  # cells of 3 persons withheld


def test_a_ba_only_load_keeps_the_stored_pattern(stored_settings, tmp_path, monkeypatch):
    from pipelines.statistics.ingest import ingest_paths
    from tests.statistics_files import write_xlsx
    from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet

    key, stored = _stored(stored_settings)
    _no_solver(monkeypatch)  # neither the publish nor the page computes it again
    sheet = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    [report] = ingest_paths(stored_settings, [sheet])
    assert report.status == "loaded", report.message
    con = connect(stored_settings.warehouse_path)
    try:
        assert con.execute("SELECT count(*) FROM load_log WHERE step = 'ingest'").fetchall() == [(1,)]
        assert cp.pattern_key(con, stored_settings)[0] == key
        assert cp.stored_hidden(con, key) == stored
        assert cp.case_pattern(con, stored_settings).method == "stored"
    finally:
        con.close()


def test_a_new_staging_file_copies_the_pattern_from_the_warehouse_in_service(
    stored_settings, tmp_path, monkeypatch
):
    """A staging file without the pattern (a fresh session) takes the stored one of the
    warehouse in service when the case data and settings are the same."""
    import shutil

    import duckdb

    from pipelines.warehouse import store_case_pattern

    key, stored = _stored(stored_settings)
    copy = tmp_path / "staging.duckdb"
    shutil.copy(stored_settings.warehouse_path, copy)
    con = duckdb.connect(str(copy))
    con.execute(f"DROP TABLE {cp.PATTERN_TABLE}")
    con.execute(f"DROP TABLE {cp.PATTERN_CELL_TABLE}")
    con.close()
    _no_solver(monkeypatch)
    assert store_case_pattern(stored_settings, copy, stored_settings.warehouse_path) == "copied"
    con = duckdb.connect(str(copy), read_only=True)
    try:
        assert cp.stored_hidden(con, key) == stored
    finally:
        con.close()
    assert store_case_pattern(stored_settings, copy, stored_settings.warehouse_path) == "kept"


def test_the_publish_gives_the_program_its_own_time_limit_and_rounds(tmp_path, monkeypatch):
    from pipelines.cases.importer import import_path
    from pipelines.reference import load_reference
    from pipelines.warehouse import publish
    from tests.case_files import base, write_csv
    from tests.conftest import make_settings

    settings = make_settings(
        tmp_path / "data",
        COCKPIT_DISCLOSURE_PATTERN_AT_PUBLISH="true",
        COCKPIT_DISCLOSURE_PUBLISH_TIME_LIMIT="123",
        COCKPIT_DISCLOSURE_PUBLISH_MAX_ROUNDS="9",
    )
    limits, rounds = [], []
    cover = cp.cover_by_cost

    def spied(values, relations, min_count, weights, time_limit=cp.SOLVER_TIME_LIMIT, *args, **kwargs):
        limits.append(time_limit)
        rounds.append(kwargs.get("max_rounds", cp.MAX_ROUNDS))
        return cover(values, relations, min_count, weights, time_limit, *args, **kwargs)

    monkeypatch.setattr(cp, "cover_by_cost", spied)
    load_reference(settings)
    import_path(settings, write_csv(tmp_path / "export", base()))
    publish(settings)
    assert limits == [123.0]
    cp._CACHE.clear()
    con = connect(settings.warehouse_path)
    try:
        cp.compute_pattern(con, settings.project_start, 3, settings.wage_ratio_good)
    finally:
        con.close()
    assert limits == [123.0, cp.SOLVER_TIME_LIMIT] == [123.0, 60.0]  # a page keeps 60 s
    assert rounds == [9, cp.MAX_ROUNDS] == [9, 8]  # and 8 rounds


def test_the_stored_pattern_holds_aggregates_only(stored_settings):
    """No person data in the stored tables: the cells are named by their region (Kreis codes
    of the region table), period and measure; no id, name, date or person attribute."""
    con = connect(stored_settings.warehouse_path)
    try:
        columns = con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE table_name IN (?, ?) ORDER BY ALL",
            [cp.PATTERN_TABLE, cp.PATTERN_CELL_TABLE],
        ).fetchall()
        assert columns == [
            ("disclosure_pattern", "cells"),
            ("disclosure_pattern", "fingerprint"),
            ("disclosure_pattern", "method"),
            ("disclosure_pattern_cell", "measure"),
            ("disclosure_pattern_cell", "node"),
            ("disclosure_pattern_cell", "period_key"),
            ("disclosure_pattern_cell", "period_kind"),
        ]
        kreise = {a for (a,) in con.execute("SELECT ags FROM region").fetchall()}
        cells = con.execute(
            f"SELECT node, period_kind, period_key, measure FROM {cp.PATTERN_CELL_TABLE}"  # noqa: S608
        ).fetchall()
        ids = {str(v) for (v,) in con.execute("SELECT case_id FROM participant").fetchall()}
        ids |= {str(v) for (v,) in con.execute("SELECT firm_id FROM firm").fetchall()}
    finally:
        con.close()
    assert cells
    for node, kind, period, measure in cells:
        assert set(node.split(",")) <= kreise
        assert kind in ("q", "y", "c", "a") and measure in cp.MEASURES
        assert not {node, period, measure} & ids


def test_no_pattern_is_stored_when_switched_off(settings, tmp_path):
    from pipelines.cases.importer import import_path
    from pipelines.reference import load_reference
    from pipelines.warehouse import publish
    from tests.case_files import base, write_csv

    assert settings.disclosure_pattern_at_publish is False  # the fixtures' default
    load_reference(settings)
    import_path(settings, write_csv(tmp_path / "export", base()))
    assert publish(settings).messages == []
    con = connect(settings.warehouse_path)
    try:
        key, _ = cp.pattern_key(con, settings)
        assert cp.stored_hidden(con, key) is None
    finally:
        con.close()


# -- the rest of two nodes (#12) -------------------------------------------------------------
# the demo's hierarchy in short: Goslar, Hildesheim, Peine, Agentur Hildesheim, the network
DEMO_NODES = {
    "kreis:G": ("G",),
    "kreis:H": ("H",),
    "kreis:P": ("P",),
    "agentur:Hildesheim": ("H", "P"),
    "network": ("G", "H", "P"),
    "all": ("G", "H", "P"),
}


def test_the_rests_of_the_demo_are_the_unions_no_node_holds():
    """Network {Goslar, Peine, Hildesheim}, Agentur Hildesheim {Peine, Hildesheim}: the
    network minus Peine and minus Hildesheim are rests; minus Goslar is the Agentur, and
    the Agentur minus Peine is Hildesheim (nodes, no rests)."""
    assert cp.rest_nodes(DEMO_NODES) == {
        ("G", "H"): [(("G", "H", "P"), ("P",))],
        ("G", "P"): [(("G", "H", "P"), ("H",))],
    }


def test_a_small_rest_is_a_cell_with_its_relations_and_the_others_are_left_out():
    """Entries of a quarter: Goslar 0, Hildesheim 9, Peine 1, Agentur H + P 10, network 10.
    The rest G + H = network − P is 9 (left out); the rest G + P = network − H is 1 (added,
    with network = H + rest and rest = G + P)."""
    period = ("q", "2026-Q4")
    counts = {("G",): 0, ("H",): 9, ("P",): 1, ("H", "P"): 10, ("G", "H", "P"): 10}
    values = {(node, period, "entries"): v for node, v in counts.items()}
    relations: list = []
    added = cp.add_small_rests(values, relations, DEMO_NODES, 3)
    rest = (("G", "P"), period, "entries")
    assert added == {rest} and values[rest] == 1
    assert relations == [
        (((("G", "H", "P"), period, "entries"), -1), ((("H",), period, "entries"), 1), (rest, 1)),
        ((rest, -1), ((("G",), period, "entries"), 1), ((("P",), period, "entries"), 1)),
    ]


def test_no_union_of_kreise_follows_from_the_cells_the_demo_shows(demo_settings):
    """The attack on the rest of two nodes: the network minus Hildesheim is the free union
    Goslar + Peine, which no page shows; with the network's and Hildesheim's counts both
    shown, its 1–2 persons in a quarter followed. Every shown cell of every node of the cube
    (more than any role's pages show) read as the attacker's equation: no count of 1–2
    persons of any set of the network's Kreise is pinned."""
    con = connect(demo_settings.warehouse_path)
    try:
        pattern = cp.case_pattern(con, demo_settings)
        attack = attacker_for(con, demo_settings, case_period(con)[1])
    finally:
        con.close()
    nodes = set(pattern.nodes.values())
    for (node, (kind, key), measure), value in sorted(pattern.values.items()):
        if node in nodes and (node, (kind, key), measure) not in pattern.hidden:
            quarter = cp.quarter_of(f"{key}-Q4" if kind == "y" else key)
            attack.sees(measure, node, (kind, quarter), value)
    kreise = sorted(pattern.case_kreise)
    unions = [c for n in range(2, len(kreise) + 1) for c in itertools.combinations(kreise, n)]
    assert attack.figures > 300
    assert attack.disclosures(unions) == []
