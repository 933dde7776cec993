"""Issue #12 on the Arbeitsmarktdrehscheibe: an attacker with every setting of the page.

The page sums firms' announcements over the selection (cuts) and over the Kreise in reach
(needs); two reaches, two selections or two horizons differ by the announcements of a Kreis
or of a band of months. ``tests/attacker.py`` (``ExchangeReader``) reads every figure of
every horizon, every reach (one distance per distinct set of Kreise in reach, and the
adjacent Kreise), the default and the widest matching rules, for every preset, every Kreis
with announcements, every pair of them and every selection of the network's Kreise, and asks
an integer program for the least and the largest value of every count of 1–2 persons it saw
as "*". The warehouse: the tiny one with announcements of ten firms in Hildesheim, Peine and
Hannover (Hildesheim → Peine 27 km, → Hannover 37 km, Peine → Hannover 37 km)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from analytics.db import connect
from analytics.views.model import ViewFilters
from tests.attacker import ExchangeReader, inconsistent, read_exchange
from tests.builders import announcing_warehouse

REFERENCE = date(2026, 9, 30)
HILDESHEIM, PEINE, HANNOVER = "03254", "03157", "03241"

EXTRA_FIRMS = [  # id, name, kind, WZ, Kreis, size, tarif, works council, lon, lat
    ("H1", "Testwerk Hildesheim A", "releasing", "29", HILDESHEIM, "100-249", True, True, 9.95, 52.15),
    ("H2", "Testwerk Hildesheim B", "releasing", "29", HILDESHEIM, "100-249", True, True, 9.95, 52.15),
    ("H3", "Testwerk Hildesheim C", "receiving", "28", HILDESHEIM, "50-99", True, True, 9.95, 52.15),
    ("H4", "Testwerk Hildesheim D", "receiving", "28", HILDESHEIM, "50-99", True, True, 9.95, 52.15),
    ("N1", "Testbau Hannover B", "receiving", "43", HANNOVER, "50-99", False, False, 9.73, 52.37),
    ("N2", "Testbau Hannover C", "receiving", "43", HANNOVER, "50-99", False, False, 9.73, 52.37),
]
# firm, reported, kind, KldB, count, effective, status, settled, training, wage
ANNOUNCEMENTS = [
    # cuts in Hildesheim, 3 firms: 30 + 10 + 8 in the next 3 months, 6 more in months 4-6
    ("R1", "2026-09-01", "cut", "25222", 30, "2026-11-01", "open", None, None, None),
    ("H1", "2026-09-01", "cut", "25222", 10, "2026-12-01", "open", None, None, None),
    ("H2", "2026-09-01", "cut", "26122", 8, "2026-12-15", "open", None, None, None),
    ("H2", "2026-09-02", "cut", "26122", 6, "2027-02-01", "open", None, None, None),
    # needs in Hildesheim, 3 firms, 12 persons in 252
    ("E1", "2026-09-05", "need", "25212", 4, "2026-11-01", "open", None, None, None),
    ("H3", "2026-09-05", "need", "25212", 3, "2026-11-01", "open", None, None, None),
    ("H4", "2026-09-05", "need", "25212", 5, "2026-11-01", "open", None, None, None),
    # one firm's need of 2 persons in Peine (27 km): in reach at 30 km, not at 25 km
    ("E3", "2026-09-05", "need", "25212", 2, "2026-11-01", "open", None, None, None),
    # needs in Hannover (37 km), 3 firms, 15 persons
    ("E2", "2026-09-06", "need", "25212", 4, "2026-12-01", "open", None, None, None),
    ("N1", "2026-09-06", "need", "25212", 5, "2026-12-01", "open", None, None, None),
    ("N2", "2026-09-06", "need", "25212", 6, "2026-12-01", "open", None, None, None),
]


@pytest.fixture(scope="module")
def announce_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("announce") / "data"
    announcing_warehouse(data_dir, EXTRA_FIRMS, ANNOUNCEMENTS, "tests/test_attacker_exchange.py")
    return data_dir


@pytest.fixture
def announce(announce_dir):
    from tests.conftest import make_settings

    settings = make_settings(announce_dir)
    con = connect(settings.warehouse_path)
    yield con, settings
    con.close()


def _filters(ags, role="ministry"):
    return ViewFilters("custom", ", ".join(ags), tuple(ags), "Q3 2026", "de", True, REFERENCE, role=role)


def test_one_firms_need_does_not_follow_from_two_reaches(announce):
    """Peine's one firm announces a need of 2 persons, "*" in the Kreis table; the needs in
    reach of Hildesheim at 30 km (Hildesheim and Peine) minus those at 25 km (Hildesheim
    alone) gave it: 14 − 12 = 2."""
    con, settings = announce
    reader = ExchangeReader(con, settings, REFERENCE)
    for km in (25.0, 30.0):
        reader.read(con, _filters((HILDESHEIM,)), "6", "distance", km, {})
    attacker = reader.settle()
    assert not inconsistent(attacker)
    peine = reader.expr("need", (PEINE,))
    assert attacker.value(peine) == 2
    low, high = attacker.bounds(peine)
    assert low != high, (low, high)


def test_a_kreis_does_not_follow_from_two_selections_nor_a_band_from_two_horizons(announce):
    """Cuts of Hildesheim + Peine minus Hildesheim, and the next 6 months minus the next 3:
    nothing of 1–2 persons the page shows as "*" has a single possible value."""
    con, settings = announce
    reader = ExchangeReader(con, settings, REFERENCE)
    for ags in ((HILDESHEIM,), (HILDESHEIM, PEINE), (PEINE,)):
        for horizon in ("3", "6"):
            reader.read(con, _filters(ags), horizon, "distance", 50.0, {})
    assert not inconsistent(reader.settle())
    assert reader.disclosures() == []


def test_the_social_partners_see_what_the_ministry_sees(announce):
    from analytics.views.exchange import exchange_view

    con, settings = announce
    for options in ((("horizon", "6"),), (("horizon", "12"), ("max_km", 30.0))):
        views = [
            exchange_view(con, settings, replace(_filters((HILDESHEIM, PEINE), role), options=options))
            for role in ("ministry", "social_partner")
        ]
        assert [t.frame.to_dicts() for t in views[0].tables()] == [
            t.frame.to_dicts() for t in views[1].tables()
        ]
        assert views[0].metrics() == views[1].metrics()


def test_the_whole_drehscheibe_pins_nothing(announce):
    """Every horizon × reach × rules × selection the ministry can open (the social partners
    see the same)."""
    con, settings = announce
    reader = read_exchange(con, settings, REFERENCE, "ministry")
    attacker = reader.settle()
    assert not inconsistent(attacker)
    assert reader.hidden  # the page withholds something, so the question is asked
    assert reader.disclosures() == []


def test_the_page_still_shows_what_no_setting_can_give_away(announce):
    """The price stays bounded: at the page's default reach (50 km) Hildesheim's needs in
    reach (Hildesheim 12 + Peine 2 + Hannover 15 = 29, a node cell) and its cuts in the next
    6 months (30 + 10 + 8 + 6 = 54, 3 firms) are shown. Hildesheim's own 12 (at 10 km) are
    "*" since the node cells came (#12): the reach's timeline shows November = Hildesheim +
    Peine = 14, so Hildesheim's 12 would give Peine's one firm's 2."""
    from analytics.views.exchange import exchange_view

    con, settings = announce
    filters = ViewFilters(
        "custom",
        "Hildesheim",
        (HILDESHEIM,),
        "Q3 2026",
        "de",
        True,
        REFERENCE,
        (("horizon", "6"),),
        role="ministry",
    )
    metrics = {m.key: m for m in exchange_view(con, settings, filters).metrics()}
    assert (metrics["need"].value, metrics["need"].suppressed) == (29.0, False)
    assert (metrics["cut"].value, metrics["cut"].suppressed) == (54.0, False)
    assert (metrics["cut_firms"].value, metrics["cut_firms"].suppressed) == (3.0, False)


# -- the Rollout-Planer's "Angekündigter Stellenabbau": open cuts per Kreis, all dates --------
# Peine: three firms cut 60 persons in November (next 3 months) and 30 in February (months
# 4-6), a fourth 1 person in June (months 7-12, group 261): the Drehscheibe withholds that 1
# (and the next 12 months as cover), the Rollout-Planer showed Peine's 91 open cuts (4 firms),
# and 91 - 90 (next 6 months) - 0 (in effect) left the 1 person for months 7-12.
PEINE_FIRMS = [
    ("P1", "Testguss Peine A", "releasing", "24", PEINE, "100-249", True, True, 10.23, 52.32),
    ("P2", "Testguss Peine B", "releasing", "24", PEINE, "100-249", True, True, 10.23, 52.32),
    ("P3", "Testguss Peine C", "releasing", "24", PEINE, "50-99", True, True, 10.23, 52.32),
]
PEINE_CUTS = [
    ("R2", "2026-09-01", "cut", "25222", 20, "2026-11-01", "open", None, None, None),
    ("P1", "2026-09-01", "cut", "25222", 20, "2026-11-15", "open", None, None, None),
    ("P2", "2026-09-01", "cut", "25222", 20, "2026-11-20", "open", None, None, None),
    ("R2", "2026-09-02", "cut", "25222", 10, "2027-02-01", "open", None, None, None),
    ("P1", "2026-09-02", "cut", "25222", 10, "2027-02-01", "open", None, None, None),
    ("P2", "2026-09-02", "cut", "25222", 10, "2027-02-01", "open", None, None, None),
    ("P3", "2026-09-01", "cut", "26122", 1, "2027-06-01", "open", None, None, None),
]


@pytest.fixture(scope="module")
def peine_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("peine") / "data"
    announcing_warehouse(data_dir, PEINE_FIRMS, PEINE_CUTS, "tests/test_attacker_exchange.py")
    return data_dir


@pytest.fixture
def peine(peine_dir):
    from tests.conftest import make_settings

    settings = make_settings(peine_dir)
    con = connect(settings.warehouse_path)
    yield con, settings
    con.close()


def _peine_reader(con, settings, rollout: bool) -> ExchangeReader:
    reader = ExchangeReader(con, settings, REFERENCE)
    for horizon in ("past", "3", "6", "12"):
        reader.read(con, _filters((PEINE,)), horizon, "distance", 50.0, {})
    if rollout:
        reader.read_rollout(con, _filters((PEINE,)))
    return reader


def test_the_drehscheibe_alone_leaves_a_band_of_months_open(peine):
    """Without the Rollout-Planer's column the 1 person of months 7-12 is "*" and not pinned
    (the cuts beyond 12 months and without an occupation are unknowns of their own)."""
    con, settings = peine
    reader = _peine_reader(con, settings, rollout=False)
    attacker = reader.settle()
    assert not inconsistent(attacker)
    late = reader.expr("cut", (PEINE,), "12", group="261")
    assert attacker.value(late) == 1
    assert reader.hidden[("cut", (PEINE,), "12", "261")] == late
    assert reader.disclosures() == []
    assert attacker.bounds(late) == (1.0, None)


def test_the_rollout_column_reads_all_of_a_kreiss_open_cuts(peine):
    """Peine's 91 open cuts as Σ bands + beyond 12 months + without an occupation; its
    truth from ``announcements(con, with_kldb=False)``."""
    con, settings = peine
    reader = _peine_reader(con, settings, rollout=False)
    expr = reader.open_cuts(PEINE)
    assert reader.attacker.value(expr) == 91
    index = reader.attacker.index
    assert {index[("ann", "cut", PEINE, "beyond")], index[("ann", "cut", PEINE, "no_kldb")]} <= set(expr)


def test_the_rollout_column_is_the_same_for_every_selection_and_option(peine):
    from analytics.views.rollout import rollout_view

    con, settings = peine

    def column(ags, options):
        view = rollout_view(con, settings, replace(_filters(ags), options=options))
        return view.table("ranking").frame.select("ags", "cuts").sort("ags").to_dicts()

    first = column((PEINE,), ())
    assert first == column((HILDESHEIM, HANNOVER), (("scope", "core"), ("distance", 20.0)))
    assert first == column((HANNOVER,), (("method", "zscore"), ("basis", "cuts")))


def test_a_band_of_months_does_not_follow_from_the_rollout_planers_open_cuts(peine):
    """The Rollout-Planer's 91 open cuts of Peine − the next 6 months (90) − in effect (0)
    pinned the 1 person of months 7-12 on main's rule (its own "*" for 1-2 persons or firms)."""
    con, settings = peine
    reader = _peine_reader(con, settings, rollout=True)
    assert not inconsistent(reader.settle())
    assert reader.disclosures() == []
