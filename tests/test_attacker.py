"""Issue #12: an attacker with a role's whole view.

It enumerates every view the ministry (and the social partners, who see the same) can
produce — every region preset and every selection of the network's Kreise, every quarter
from the project start to the data's end, every page built as a view (Excel and the report
pack are written from the views, so they are covered by construction) — reads every figure
they show into one linear system and asks an integer program, for every count of 1 or 2
persons, whether the figures pin it (tests/attacker.py). Each attack of the issue is a named
test of its own on the attack warehouse (tests/builders.py, ``build_attack_warehouse``)."""

from __future__ import annotations

import itertools

import pytest

from analytics.db import connect
from analytics.kpi import case_period, network_regions
from analytics.periods import Quarter
from analytics.views.model import ViewFilters
from analytics.views.overview import overview_view
from tests.attacker import BUILDERS, COUNTS, attacker_for, read_view, whole_view_attacker
from tests.builders import ATTACK_UNTIL


def _views(con, settings, wanted, builders=BUILDERS):
    """Only the views of ``wanted``: (builder key, selection, quarter label)."""
    attacker = attacker_for(con, settings, ATTACK_UNTIL)
    for page, ags, quarter in wanted:
        filters = ViewFilters(
            "custom", ", ".join(ags), tuple(ags), quarter, "de", True, ATTACK_UNTIL, role="ministry"
        )
        read_view(attacker, builders[page](con, settings, filters), filters, con, settings)
    return attacker


GOSLAR, PEINE, HILDESHEIM = "03153", "03157", "03254"
AGENTUR_HILDESHEIM = (PEINE, HILDESHEIM)
Q3, Q4 = Quarter(2026, 3), Quarter(2026, 4)


@pytest.fixture
def attack(attack_settings):
    con = connect(attack_settings.warehouse_path)
    yield con, attack_settings
    con.close()


def test_the_attack_warehouse_holds_the_issues_situations(attack):
    """The truth the named attacks are about (by hand from tests/builders.py)."""
    con, settings = attack
    a = attacker_for(con, settings, ATTACK_UNTIL)
    assert a.value(a.expr("transitions", (GOSLAR,), ("q", Q4))) == 2
    assert a.value(a.expr("transitions", network_regions(con, settings), ("q", Q4))) == 9
    assert a.value(a.expr("transitions", (HILDESHEIM,), ("q", Q4))) == 4
    assert a.value(a.expr("transitions", (PEINE,), ("q", Q4))) == 3
    assert a.value(a.expr("exits", (GOSLAR,), ("q", Q4))) == 1
    assert a.value(a.expr("seamless", (GOSLAR,), ("q", Q4))) == 2
    assert a.value(a.expr("closed", network_regions(con, settings), ("q", Q4))) == 12
    assert a.value(a.expr("seamless", network_regions(con, settings), ("q", Q4))) == 7
    assert a.value(a.expr("closed", AGENTUR_HILDESHEIM, ("q", Q4))) == 9
    assert a.value(a.expr("seamless", AGENTUR_HILDESHEIM, ("q", Q4))) == 5
    assert a.value(a.expr("exits", (PEINE,), ("q", Q3))) == 1


def test_goslar_is_not_goslar_and_peine_minus_peine(attack):
    con, settings = attack
    a = _views(con, settings, [("overview", (GOSLAR, PEINE), "Q4 2026"), ("overview", (PEINE,), "Q4 2026")])
    assert not a.pins("transitions", (GOSLAR,), ("q", Q4))


def test_goslar_is_not_the_network_minus_hildesheim_minus_peine(attack):
    con, settings = attack
    a = _views(con, settings, [("overview", (HILDESHEIM,), "Q4 2026"), ("overview", (PEINE,), "Q4 2026")])
    assert not a.pins("transitions", (GOSLAR,), ("q", Q4))


def test_goslar_is_not_the_funding_region_table_network_minus_hildesheim_minus_peine(attack):
    """Förderung shows the network's Kreise side by side with the network since project
    start; Übersicht shows Hildesheim's and Peine's since-start values: 9 − 4 − 3 = 2."""
    con, settings = attack
    wanted = [("funding", (HILDESHEIM,), "Q4 2026")]
    wanted += [("overview", (kreis,), "Q4 2026") for kreis in (HILDESHEIM, PEINE)]
    a = _views(con, settings, wanted)
    assert a.value(a.expr("transitions", (GOSLAR,), ("c", Q4))) == 2
    assert not a.pins("transitions", (GOSLAR,), ("c", Q4))


def test_attributes_do_not_follow_from_auswahl_gesamt_rows_of_two_selections(attack):
    """Branchen & Übergänge: "Auswahl gesamt" of Goslar + Peine minus Peine gave the
    attributes of Goslar's 2 persons (both stayed in the Land, went into manufacturing with a
    collective agreement). Counts = share × transitions; no difference of two selections the
    ministry can open, one inside the other, is a count of 1 or 2."""
    from analytics.flows import MEASURES
    from analytics.views.flows import flows_view

    con, settings = attack

    def totals(ags):
        filters = ViewFilters(
            "custom",
            "",
            ags,
            "Q4 2026",
            "de",
            True,
            ATTACK_UNTIL,
            options=(("scope", "quarter"),),
            role="ministry",
        )
        rows = flows_view(con, settings, filters).table("shares").frame
        row = rows.filter(rows["label"] == "Auswahl gesamt")
        if not row.height:
            return {}
        row = row.row(0, named=True)
        out = {"transitions": row["transitions"]}
        for m in MEASURES:
            share = row[f"{m}_share"]
            out[m] = (
                None if share is None or row["transitions"] is None else round(share * row["transitions"])
            )
        return out

    bigger, smaller = totals((GOSLAR, PEINE)), totals((PEINE,))
    for name, value in bigger.items():
        if value is not None and smaller.get(name) is not None:
            assert not 0 < value - smaller[name] < 3, name


def test_closed_cases_do_not_follow_from_entries_and_the_change_of_active_cases(attack):
    con, settings = attack
    wanted = [
        ("overview", ags, q) for ags in ((GOSLAR,), (GOSLAR, PEINE), (PEINE,)) for q in ("Q3 2026", "Q4 2026")
    ]
    a = _views(con, settings, wanted)
    assert not a.pins("exits", (GOSLAR,), ("q", Q4))


def test_seamless_does_not_follow_from_rates_times_bases_of_overlapping_regions(attack):
    con, settings = attack
    a = _views(
        con,
        settings,
        [("overview", ags, "Q4 2026") for ags in (AGENTUR_HILDESHEIM, (GOSLAR, PEINE, HILDESHEIM))],
    )
    assert not a.pins("seamless", (GOSLAR,), ("q", Q4))


def test_exits_do_not_follow_from_entries_minus_the_change_of_active_cases(attack):
    con, settings = attack
    a = _views(con, settings, [("overview", (PEINE,), "Q3 2026")])
    assert not a.pins("exits", (PEINE,), ("q", Q3))


def test_a_quarter_does_not_follow_from_all_data_minus_since_start(tiny_settings):
    """Tiny warehouse: G entered Hildesheim on 01.12.2025, before the project start. The
    Rollout-Planer counts all data (6 entries), Übersicht since start (5 in Q1, none after):
    6 − 5 = 1 in Q4 2025."""
    con = connect(tiny_settings.warehouse_path)
    try:
        until = case_period(con)[1]
        attacker = attacker_for(con, tiny_settings, until)
        for page, quarter in itertools.product(("overview", "rollout"), ("Q1 2026", "Q2 2026", "Q3 2026")):
            filters = ViewFilters(
                "hildesheim", "Hildesheim", (HILDESHEIM,), quarter, "de", True, until, role="ministry"
            )
            read_view(attacker, BUILDERS[page](con, tiny_settings, filters), filters, con, tiny_settings)
        assert attacker.value(attacker.expr("entries", (HILDESHEIM,), ("q", Quarter(2025, 4)))) == 1
        assert not attacker.pins("entries", (HILDESHEIM,), ("q", Quarter(2025, 4)))
    finally:
        con.close()


def test_the_whole_view_of_the_ministry_pins_no_small_count(attack):
    con, settings = attack
    attacker, selections = whole_view_attacker(con, settings, ATTACK_UNTIL)
    assert attacker.figures > 500  # every page, selection and quarter was read
    assert attacker.disclosures(selections) == []


def test_a_free_union_of_kreise_shows_no_case_figures(attack):
    """Goslar + Peine is no node of the fixed hierarchy: its case figures are withheld, and
    the page says why (German and English)."""
    con, settings = attack
    for lang in ("de", "en"):
        filters = ViewFilters(
            "custom", "Goslar, Peine", (GOSLAR, PEINE), "Q4 2026", lang, True, ATTACK_UNTIL, role="ministry"
        )
        view = overview_view(con, settings, filters)
        table = view.table("kpis").frame
        counts = table.filter(table["key"].is_in(list(COUNTS)))
        assert counts["value"].is_null().all() and counts["value__suppressed"].all()
        assert "case.custom_selection" in view.message_ids()
    agency = ViewFilters(
        "custom", "Goslar, Peine", (GOSLAR, PEINE), "Q4 2026", "de", False, ATTACK_UNTIL, role="agency"
    )
    frame = overview_view(con, settings, agency).table("kpis").frame
    assert dict(frame.select("key", "value").iter_rows())["transitions"] == 5  # G1 G2 P1 P2 P3


# -- Branchen & Übergänge read together with the other pages (tests/attacker.py FlowsReader) --
def _with_flows(con, settings, until, overview, flows):
    """An attacker that read the Übersicht views of ``overview`` and every setting of
    Branchen & Übergänge for ``flows`` ((selection, quarter label) each)."""
    from tests.attacker import FLOW_SETTINGS, FlowsReader

    attacker = attacker_for(con, settings, until)
    reader = FlowsReader(attacker, con, settings, until)
    for ags, quarter in overview:
        filters = ViewFilters("custom", "", tuple(ags), quarter, "de", True, until, role="ministry")
        read_view(attacker, overview_view(con, settings, filters), filters, con, settings)
    for ags, quarter in flows:
        filters = ViewFilters("custom", "", tuple(ags), quarter, "de", True, until, role="ministry")
        for scope, grouped, digits in FLOW_SETTINGS:
            reader.read(con, filters, scope, grouped, digits)
    return attacker, reader


TINY_QUARTERS = ("Q1 2026", "Q2 2026", "Q3 2026")


def test_the_flows_reader_reads_what_the_page_shows(tiny_settings):
    """Every figure read holds for the true counts (a misread view would be a false alarm or
    hide a leak), and the page's tables are the figures read (same persons, same shares)."""
    from analytics.flows import flow_view
    from analytics.views.flows import flows_view
    from tests.attacker import inconsistent

    con = connect(tiny_settings.warehouse_path)
    try:
        until = case_period(con)[1]
        both = (PEINE, HILDESHEIM)
        attacker, _ = _with_flows(con, tiny_settings, until, [], [(both, q) for q in TINY_QUARTERS])
        assert attacker.figures > 50
        assert inconsistent(attacker) == []
        filters = ViewFilters(
            "network",
            "",
            both,
            "Q1 2026",
            "de",
            True,
            until,
            options=(("scope", "cumulative"),),
            role="ministry",
        )
        view = flows_view(con, tiny_settings, filters)
        read = flow_view(con, tiny_settings.project_start, Quarter(2026, 1).end, list(both), tiny_settings)
        assert read.transitions == 3 and read.sector_links.height  # the network's 3 in Q1 are shown
        for key, links in (
            ("sector", read.sector_links),
            ("occupation", read.occupation_links),
            ("region", read.region_links),
        ):
            assert [t.key for t in view.tables()] == ["sector", "occupation", "region", "shares"]
            assert view.table(key).frame["persons"].to_list() == links["persons"].to_list()
        shown = view.table("shares").frame
        assert shown["transitions"].to_list() == read.shares["transitions"].to_list()
        assert shown["into_tarif_share"].to_list() == read.shares["into_tarif_share"].to_list()
    finally:
        con.close()


def test_a_quarter_does_not_follow_from_the_flows_count_since_start(tiny_settings):
    """Tiny warehouse: Hildesheim had 2 transitions in Q1 and 2 in Q2 2026 (both "*" on
    Übersicht, since start too). Branchen & Übergänge showed its own count since start (4 up
    to Q2) and the network's 3 in Q1 beside Peine's row: with the network's quarters on
    Übersicht, Hildesheim's 2 in Q1 were pinned. The page now withholds what the one
    pattern withholds."""
    con = connect(tiny_settings.warehouse_path)
    try:
        until = case_period(con)[1]
        network = (PEINE, HILDESHEIM)
        attacker, _ = _with_flows(
            con,
            tiny_settings,
            until,
            [(ags, q) for ags in ((HILDESHEIM,), (PEINE,), network) for q in TINY_QUARTERS],
            [(ags, q) for ags in ((HILDESHEIM,), (PEINE,)) for q in TINY_QUARTERS],
        )
        q1 = ("q", Quarter(2026, 1))
        assert attacker.value(attacker.expr("transitions", (HILDESHEIM,), q1)) == 2
        assert not attacker.pins("transitions", (HILDESHEIM,), q1)
        assert not attacker.pins("transitions", (PEINE,), q1)
    finally:
        con.close()


def test_the_whole_view_with_flows_pins_no_small_count_on_the_tiny_data(tiny_settings):
    """Every page including every setting of Branchen & Übergänge, for the social partners:
    no count of 1–2 persons, and no attribute count (collective agreement, manufacturing,
    home Kreis, Land, Sankey and arc-map links) of 1–2 persons is pinned."""
    from tests.attacker import flow_disclosures, inconsistent, whole_view_with_flows

    con = connect(tiny_settings.warehouse_path)
    try:
        until = case_period(con)[1]
        attacker, reader, selections = whole_view_with_flows(con, tiny_settings, until, role="social_partner")
        assert inconsistent(attacker) == []
        assert attacker.disclosures(selections) == []
        assert flow_disclosures(attacker, reader, selections) == []
    finally:
        con.close()


def test_the_report_pack_and_its_excel_hold_only_the_views_the_attacker_reads(tiny_settings):
    """The report pack's sections are the views the attacker reads (same builders, same
    filters, every table and metric equal), so nothing outside the views reaches the pack;
    its Excel and the pages' downloads are written cell for cell from those views
    (tests/test_report.py ``test_excel_cells_equal_the_view_tables``)."""
    from analytics.report.pack import SECTIONS, build_pack, report_filters
    from analytics.views.flows import flows_view

    read = {**BUILDERS, "flows": flows_view}
    assert {key: builder for key, builder in SECTIONS if key in read} == read
    con = connect(tiny_settings.warehouse_path)
    try:
        filters = report_filters(con, tiny_settings, "2026-Q3", "network", "de", "ministry", True)
        pack = build_pack(con, tiny_settings, filters)
        for section in pack.sections:
            if section.key not in read:
                continue
            view = read[section.key](con, tiny_settings, filters)
            assert [t.key for t in section.view.tables()] == [t.key for t in view.tables()]
            for mine, theirs in zip(section.view.tables(), view.tables(), strict=True):
                assert mine.frame.equals(theirs.frame, null_equal=True), (section.key, mine.key)
            assert [(m.key, m.value) for m in section.view.metrics()] == [
                (m.key, m.value) for m in view.metrics()
            ]
    finally:
        con.close()


# -- Förderung's targets and the Rollout-Planer's projection (tests/attacker.py) ---------------
def _only(view, key):
    """The view with its table ``key`` alone (what one table tells the attacker)."""
    from dataclasses import replace

    from analytics.views.model import Table

    return replace(view, blocks=tuple(b for b in view.blocks if isinstance(b, Table) and b.key == key))


def test_the_targets_table_is_read_every_year(attack):
    """Förderung's targets per year: the actual and the share reached (actual / public
    target, 0.1 %) over the year's quarters so far. The network's 2026 entries (Q3 and Q4:
    all 25 cases of the attack warehouse) follow from that table alone; a later year is read
    too (up to 31.03.2027 its entries are 0)."""
    from analytics.views.funding import funding_view

    con, settings = attack
    network = network_regions(con, settings)
    until = Quarter(2027, 1).end
    attacker = attacker_for(con, settings, until)
    for quarter, day in (("Q4 2026", ATTACK_UNTIL), ("Q1 2027", until)):
        filters = ViewFilters("network", "", tuple(network), quarter, "de", True, day, role="ministry")
        read_view(attacker, _only(funding_view(con, settings, filters), "targets"), filters, con, settings)
    from tests.attacker import inconsistent

    assert inconsistent(attacker) == []
    year_2026 = attacker.expr("entries", network, ("y", Q4))
    assert attacker.value(year_2026) == 25
    assert attacker.bounds(year_2026) == (25.0, 25.0)
    assert attacker.bounds(attacker.expr("entries", network, ("y", Quarter(2027, 1)))) == (0.0, 0.0)


def test_the_projection_rates_are_read_as_the_regions_counts(attack):
    """The Rollout-Planer's pooled entry rate Σ entries / Σ (years × SvB / 1,000) over the
    network's regions gives their entries of all data (25) to within the rate's 2 decimals;
    the single-region rates bound each region with a shown count."""
    from tests.attacker import inconsistent, projection_views

    con, settings = attack
    attacker = attacker_for(con, settings, ATTACK_UNTIL)
    for filters, view in projection_views(con, settings, ATTACK_UNTIL):
        read_view(attacker, _only(view, "projection"), filters, con, settings)
    assert attacker.figures > 10
    assert inconsistent(attacker) == []
    everyone = attacker.expr("entries", network_regions(con, settings), ("a", Q4))
    assert attacker.value(everyone) == 25
    assert attacker.bounds(everyone) == (25.0, 25.0)


def test_the_witness_shortcut_pins_exactly_what_the_integer_programs_pin(attack):
    """``Attacker.pinned`` skips the integer programs where two solutions found earlier give a
    target two values. On the ministry's Übersicht of the attack warehouse it must agree with
    the least and largest value (``bounds``) for every count of every Kreis, the network and
    every quarter, pinned or not, and it must have skipped some (else it saves nothing)."""
    con, settings = attack
    attacker = attacker_for(con, settings, ATTACK_UNTIL)
    network = tuple(network_regions(con, settings))
    for quarter in ("Q3 2026", "Q4 2026"):
        filters = ViewFilters("network", "", network, quarter, "de", True, ATTACK_UNTIL, role="ministry")
        read_view(attacker, overview_view(con, settings, filters), filters, con, settings)
    targets = [
        attacker.expr(measure, area, ("q", q))
        for measure, area, q in itertools.product(
            COUNTS, [(a,) for a in attacker.kreise] + [network], attacker.quarters
        )
    ]
    solved = 0
    bounds = attacker.bounds

    def counted(target):
        nonlocal solved
        solved += 1
        return bounds(target)

    attacker.bounds = counted
    shortcut = [attacker.pinned(t) for t in targets]
    attacker.bounds = bounds
    exact = [
        (lambda lo_hi: lo_hi[0] if lo_hi[0] is not None and lo_hi[0] == lo_hi[1] else None)(bounds(t))
        for t in targets
    ]
    assert shortcut == exact
    assert any(v is not None for v in exact)  # some counts are shown (pinned by the figures)
    assert solved < len(targets)


def test_the_flows_attacker_asks_for_the_rests_of_the_selections_it_read():
    """A selection minus a smaller one inside it is asked for too where more than one Kreis
    is left (one Kreis left is asked for as that Kreis anyway)."""
    from tests.attacker import rests

    network = (GOSLAR, HILDESHEIM, PEINE)
    selections = {network, (HILDESHEIM,), (PEINE,), (GOSLAR, PEINE)}
    assert rests(selections) == {(GOSLAR, PEINE), (GOSLAR, HILDESHEIM)}
    assert rests({(HILDESHEIM,), (PEINE,)}) == set()
