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

import polars as pl
import pytest

from analytics.db import connect
from analytics.views.model import ViewFilters
from tests.attacker import ExchangeReader, inconsistent, read_exchange

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
    from pipelines.cases.schema import FIRMS, NEEDS
    from pipelines.warehouse import publish, replace_table, staging
    from tests.builders import FIRMS as TINY_FIRMS
    from tests.builders import build_tiny_warehouse
    from tests.conftest import make_settings

    data_dir = tmp_path_factory.mktemp("announce") / "data"
    settings = make_settings(data_dir)
    build_tiny_warehouse(settings)
    firms = pl.concat([TINY_FIRMS, pl.DataFrame(EXTRA_FIRMS, schema=FIRMS.polars_schema, orient="row")])
    needs = pl.DataFrame(
        [
            (f, date.fromisoformat(d), k, c, n, date.fromisoformat(e), s, filled, t, w)
            for f, d, k, c, n, e, s, filled, t, w in ANNOUNCEMENTS
        ],
        schema=NEEDS.polars_schema,
        orient="row",
    )
    with staging(settings) as con:
        replace_table(con, "firm", firms)
        replace_table(con, "firm_need", needs)
        con.execute(
            "INSERT INTO load_log (load_id, step, source, content_hash, row_counts, status, loaded_at, "
            "duration_s) VALUES (100, 'test', 'tests/test_attacker_exchange.py', 'needs', '{}', 'loaded', "
            "TIMESTAMP '2026-11-01 11:00:00', 0)"
        )
    publish(settings)
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
