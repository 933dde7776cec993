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
from datetime import date

import pytest

from analytics.db import connect, query
from analytics.kpi import case_period, funding_spent, network_regions
from analytics.periods import Quarter, quarters_between
from analytics.regions import region_presets
from analytics.views.funding import funding_view
from analytics.views.model import View, ViewFilters
from analytics.views.overview import overview_view
from analytics.views.rollout import rollout_view
from analytics.views.trends import trends_view
from tests.attacker import Attacker, attacker_for
from tests.builders import ATTACK_UNTIL

BUILDERS = {
    "overview": overview_view,
    "trends": trends_view,
    "rollout": rollout_view,
    "funding": funding_view,
}
COUNTS = ("entries", "active_end", "transitions")
RATES = ("seamless_rate", "transition_rate", "retention_rate")


def _period_of(label: str, until: date) -> tuple[str, Quarter]:
    """A row label of a quarterly table: a quarter (maybe running) or the sum since start."""
    head = label.split(" (")[0]
    if head.startswith("Q"):
        return ("q", Quarter.parse(head))
    return ("c", Quarter.of(until))


def read_view(attacker: Attacker, view: View, filters: ViewFilters, con, settings) -> None:
    """Every figure of a view as the attacker's equations (the views' own tables)."""
    ags = filters.ags
    quarter = Quarter.parse(filters.quarter)
    until = min(quarter.end, filters.data_until or quarter.end)
    network = tuple(network_regions(con))
    for table in view.tables():
        frame = table.frame
        if view.page == "overview" and table.key == "kpis":
            for row in frame.iter_rows(named=True):
                key = row["key"]
                if key in COUNTS:
                    attacker.sees(key, ags, ("q", quarter), row["value"])
                    attacker.sees(key, ags, ("q", quarter.previous()), row["previous"])
                    attacker.sees_change(key, ags, quarter, row["change"])
                    attacker.sees(key, ags, ("c", quarter), row["cumulative"])
                    if "network_value" in row:
                        attacker.sees(key, network, ("q", quarter), row["network_value"])
                elif key in RATES:
                    attacker.sees_rate(key, ags, ("q", quarter), row["value"])
                    attacker.sees_rate(key, ags, ("q", quarter.previous()), row["previous"])
                    attacker.sees_rate(key, ags, ("c", quarter), row["cumulative"])
                    if "network_value" in row:
                        attacker.sees_rate(key, network, ("q", quarter), row["network_value"])
                elif key == "cost_per_transition":  # funding spent is public (Förderung)
                    prev = quarter.previous()
                    attacker.sees_money_per_transition(
                        network, ("q", quarter), funding_spent(con, quarter.start, quarter.end), row["value"]
                    )
                    attacker.sees_money_per_transition(
                        network, ("q", prev), funding_spent(con, prev.start, prev.end), row["previous"]
                    )
                    attacker.sees_money_per_transition(
                        network,
                        ("c", quarter),
                        funding_spent(con, settings.project_start, quarter.end),
                        row["cumulative"],
                    )
        elif (view.page, table.key) in (("overview", "quarters"), ("trends", "network")):
            for row in frame.iter_rows(named=True):
                period = _period_of(row["quarter"], until)
                for name in ("entries", "transitions"):
                    attacker.sees(name, ags, period, row[name])
        elif view.page == "funding" and table.key == "impact":
            start = Quarter.of(settings.project_start)
            for row in frame.iter_rows(named=True):
                label = row["period"]
                if label.startswith("Q"):
                    period = ("q", Quarter.parse(label))
                elif label == str(start.year):
                    period = ("c", min(Quarter(start.year, 4), Quarter.of(until)))
                elif label.isdigit():
                    continue  # later years: not in the attack warehouse
                else:
                    period = ("c", Quarter.of(until))
                for name in ("transitions", "seamless"):
                    attacker.sees(name, network, period, row[name])
                attacker.sees("not_seamless_transitions", network, period, row["not_seamless"])
                attacker.sees_money_per_transition(
                    network, period, row["spent_eur"], row["cost_per_transition"]
                )
        elif view.page == "funding" and table.key == "targets":
            start = Quarter.of(settings.project_start)
            for row in frame.iter_rows(named=True):
                if row["year"] != start.year:
                    continue
                period = ("c", min(Quarter(start.year, 4), Quarter.of(until)))
                if row["indicator"] in ("entries", "transitions"):
                    attacker.sees(row["indicator"], network, period, row["actual"])
                elif row["indicator"] in RATES:
                    attacker.sees_rate(row["indicator"], network, period, row["actual"])
        elif view.page == "funding" and table.key == "regions":
            names = dict(query(con, "SELECT name, ags FROM region").iter_rows())
            for row in frame.iter_rows(named=True):
                area = (names[row["name"]],) if row["name"] in names else network
                period = ("c", Quarter.of(until))
                for name in ("entries", "transitions"):
                    attacker.sees(name, area, period, row[name])
                for name in ("seamless_share", "into_tarif_share"):
                    attacker.sees_rate(name, area, period, row[name])
        elif view.page == "rollout" and table.key == "ranking":
            end = Quarter.of(case_period(con)[1])
            for row in frame.iter_rows(named=True):
                for name in ("entries", "transitions"):
                    if row["ags"] in attacker.kreise or row[name] not in (None, 0):
                        attacker.sees(name, (row["ags"],), ("a", end), row[name])


def role_views(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    """Every (filters, view) the role can produce: presets, every selection of the network's
    Kreise, every quarter from the project start to the data's end."""
    presets = [(p.key, p.label_de, p.ags) for p in region_presets(con, network_regions(con))]
    kreise = network_regions(con)
    for n in range(1, len(kreise) + 1):
        for chosen in itertools.combinations(kreise, n):
            presets.append(("custom", ", ".join(chosen), chosen))
    for builder, (key, label, ags), quarter in itertools.product(
        builders.values(), presets, quarters_between(settings.project_start, until)
    ):
        filters = ViewFilters(key, label, tuple(ags), quarter.label(), "de", True, until, role=role)
        yield filters, builder(con, settings, filters)


def whole_view_attacker(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    attacker = attacker_for(con, settings, until)
    selections = set()
    for filters, view in role_views(con, settings, until, role, builders):
        read_view(attacker, view, filters, con, settings)
        selections.add(tuple(sorted(set(filters.ags) & set(attacker.kreise))))
    return attacker, selections - {()}


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
    assert a.value(a.expr("transitions", network_regions(con), ("q", Q4))) == 9
    assert a.value(a.expr("transitions", (HILDESHEIM,), ("q", Q4))) == 4
    assert a.value(a.expr("transitions", (PEINE,), ("q", Q4))) == 3
    assert a.value(a.expr("exits", (GOSLAR,), ("q", Q4))) == 1
    assert a.value(a.expr("seamless", (GOSLAR,), ("q", Q4))) == 2
    assert a.value(a.expr("closed", network_regions(con), ("q", Q4))) == 12
    assert a.value(a.expr("seamless", network_regions(con), ("q", Q4))) == 7
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


def test_the_whole_view_pins_no_small_count_on_the_tiny_data(tiny_settings):
    con = connect(tiny_settings.warehouse_path)
    try:
        until = case_period(con)[1]
        attacker, selections = whole_view_attacker(con, tiny_settings, until, role="social_partner")
        assert attacker.disclosures(selections) == []
    finally:
        con.close()


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
