"""The views of Branchen & Übergänge and Förderung (analytics.views.flows, .funding) against
the hand-written tiny warehouse (tests/builders.py): one period logic, the assumptions, and
disclosure once per view over every widget setting."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date

import polars as pl
import pytest

from analytics.db import connect
from analytics.flows import flow_view
from analytics.views.flows import DIGITS, SCOPES, flows_view
from analytics.views.funding import funding_view
from analytics.views.model import Note, ViewFilters


@pytest.fixture
def con(tiny_settings):
    connection = connect(tiny_settings.warehouse_path)
    yield connection
    connection.close()


def filters(quarter: str, until: date, lang: str = "de", **options) -> ViewFilters:
    return ViewFilters(
        "network",
        "Alle Netzwerkregionen",
        ("03157", "03254"),
        quarter,
        lang,
        True,
        until,
        options=tuple(sorted(options.items())),
        role="ministry",
    )


def notes(view) -> str:
    return " ".join(view.text(b.text) for b in view.blocks if isinstance(b, Note))


def test_funding_shows_nothing_after_its_date(con, tiny_settings):
    """Sidebar Q2 2026 with network data only to 31.03.: the page runs to 31.03. — Q2's
    booked 36.000 EUR is not shown as spent (it was, under "Stand 31.03."), the summary says
    Q1 (24.000 of 530.000 = 4,5 %), the cost table has Q1 only."""
    view = funding_view(con, tiny_settings, filters("Q2 2026", date(2026, 3, 31)))
    assert view.as_of == "31.03.2026"
    budget = {r["quarter"]: r for r in view.table("budget").frame.iter_rows(named=True)}
    assert budget["Q1 2026"]["spent_eur"] == 24_000
    assert budget["Q2 2026"]["spent_eur"] is None and budget["Q2 2026"]["planned_eur"] == 40_000
    assert "Bis Q1 2026 ausgegeben: 24.000\u00a0€ von 530.000\u00a0€ (4,5\u00a0%)" in notes(view)
    periods = view.table("impact").frame["period"].to_list()
    assert periods == ["Q1 2026", "2026", "Summe"]
    assert "läuft noch" not in notes(view)
    # the same quarter with data to its end shows Q2's spending
    full = funding_view(con, tiny_settings, filters("Q2 2026", date(2026, 6, 30)))
    assert {r["quarter"]: r["spent_eur"] for r in full.table("budget").frame.iter_rows(named=True)}[
        "Q2 2026"
    ] == 36_000


def test_funding_marks_a_running_quarter(con, tiny_settings):
    view = funding_view(con, tiny_settings, filters("Q3 2026", date(2026, 9, 15)))
    assert "Das Quartal läuft noch; Netzwerkdaten bis 15.09.2026." in notes(view)
    assert view.table("impact").frame["period"].to_list()[:3] == ["Q1 2026", "Q2 2026", "Q3 2026"]


@pytest.mark.parametrize(
    ("months", "cost", "expected"),
    [
        (3.5, 2000.0, 35_000),  # 5 seamless (Peine, to 15.09.) × 3,5 × 2.000
        (6.0, 1000.0, 30_000),
        (99.0, 2000.0, 60_000),  # out of range: the configuration's 6 months
    ],
)
def test_funding_assumptions(con, tiny_settings, months, cost, expected):
    # the agency (no disclosure control): Peine's 5 seamless are withheld from the ministry
    # by the one suppression pattern (#12), the assumptions work the same for every role
    chosen = filters("Q3 2026", date(2026, 9, 15), months=months, monthly_cost=cost)
    chosen = dataclasses.replace(chosen, protected=False, role="agency")
    view = funding_view(con, tiny_settings, chosen)
    regions = view.table("regions").frame
    # Goslar (wave 3 of the rollout plan since 01.09.2026) first, without participants yet
    assert regions["name"][0] == "Goslar" and regions["avoided_eur"][0] == 0
    assert regions.filter(pl.col("name") == "Peine")["avoided_eur"][0] == expected
    assert dict((view.text(k), v) for k, v in view.filters)[
        "Annahmen der Schätzung (änderbar; Vorgabe aus der Konfiguration)"
    ].startswith({3.5: "3,5", 6.0: "6,0", 99.0: "6,0"}[months])


def test_flows_view_tables_are_the_protected_flows(con, tiny_settings, page_rules_only):
    view = flows_view(con, tiny_settings, filters("Q3 2026", date(2026, 9, 15)))
    flows = flow_view(con, date(2026, 7, 1), date(2026, 9, 15), ["03157", "03254"], tiny_settings)
    assert view.table("sector").frame["persons"].to_list() == flows.sector_links["persons"].to_list() == [4]
    assert view.table("occupation").frame["persons"].to_list() == flows.occupation_links["persons"].to_list()
    # Q3: Peine's four went from a supplier into four WZ divisions (each 1): all on 'übrige',
    # so the page groups the targets by WZ section and the occupations by 1 digit and says so
    assert "Berufe daher 1-stellig" in notes(view)
    assert "„übrige“ hält 4 von 4 Personen (100,0\u00a0%)." in notes(view)
    english = flows_view(con, tiny_settings, filters("Q3 2026", date(2026, 9, 15), "en"))
    assert "“other” holds 4 of 4 persons (100.0%)." in notes(english).replace("\u00a0", "")


def test_flows_since_start_is_for_the_agency_without_protection(con, tiny_settings):
    """Under disclosure control the page shows the quarter only (#12): "since start" up to Q2
    minus the quarter Q2 is Q1 again, so two overlapping tables of the same persons would
    let their difference pin an attribute of 1 or 2 persons (on the demo: Hildesheim's Q2
    48,0 % of 25 in manufacturing, since start 46,4 % of 28, so Q1's withheld share was
    13 − 12 = 1 person; README *Disclosure control*). Asked for since start, the view gives
    the quarter and says why; the agency without protection chooses."""
    asked = filters("Q2 2026", date(2026, 9, 15), scope="cumulative")
    view = flows_view(con, tiny_settings, asked)
    quarter = flows_view(con, tiny_settings, filters("Q2 2026", date(2026, 9, 15), scope="quarter"))
    assert dict((view.text(k), v) for k, v in view.filters)["Zeitraum"] == "Q2 2026"
    assert [t.frame.to_dicts() for t in view.tables()] == [t.frame.to_dicts() for t in quarter.tables()]
    assert "Mit Geheimhaltung je Quartal" in notes(view)
    agency = dataclasses.replace(asked, protected=False, role="agency")
    view = flows_view(con, tiny_settings, agency)
    assert dict((view.text(k), v) for k, v in view.filters)["Zeitraum"] == "01.01.2026 bis 30.06.2026"
    assert "Mit Geheimhaltung" not in notes(view)
    # since start to 30.06.: A, G, B, C (Hildesheim) and E (Peine)
    shares = view.table("shares").frame
    assert shares.filter(pl.col("label") == "Auswahl gesamt")["transitions"].to_list() == [5]


def test_flows_view_withholds_alike_under_every_widget_setting(con, tiny_settings, page_rules_only):
    """The selection total is the same persons in every setting of the page's widgets: its
    cells are the same, withheld or shown, in all of them (the group toggle cannot reveal a
    '*')."""
    for scope in SCOPES:
        totals = set()
        for grouped, digits in itertools.product((True, False), DIGITS):
            options = {"scope": scope, "grouped": grouped, "digits": digits}
            frame = (
                flows_view(con, tiny_settings, filters("Q3 2026", date(2026, 9, 15), **options))
                .table("shares")
                .frame
            )
            totals.add(tuple(frame.row(frame.height - 1)))
        assert len(totals) == 1, (scope, totals)
