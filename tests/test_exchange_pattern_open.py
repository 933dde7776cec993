"""Issue #12: the Rollout-Planer's "Angekündigter Stellenabbau" follows the Drehscheibe's
pattern (``exchange_pattern.open_cells``).

The Rollout figure is every open cut of a Kreis (any date, with or without an occupation);
the Drehscheibe shows the cuts with an occupation per horizon (in effect, next 3, 6, 12
months). Where the Drehscheibe withholds a Kreis's 12-month cuts as a cover cell and the
Rollout-Planer shows the Kreis's open cuts, open − past ≥ 12 months gives the attacker an
upper bound that can pin the 12-month value, and with it the small band it covers. Reference
day of every case here: 30.09.2026; expected values by hand in the comments."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from analytics import exchange as ex
from analytics import exchange_pattern as xp
from analytics import rollout
from analytics.periods import Quarter
from tests.attacker import Attacker
from tests.builders import announcing_warehouse

REFERENCE = date(2026, 9, 30)
HILDESHEIM, PEINE = "03254", "03157"

# firm, Kreis, KldB (None: without an occupation), persons, effective date
# Hildesheim: nothing in effect yet, 30 persons of 3 firms in November (next 3 months), 15 of
# the same firms in February 2027 (months 4-6), one firm's 1 person in July 2027 (months
# 7-12): open = 30 + 15 + 1 = 46 persons of 4 firms
HILDESHEIM_CUTS = [
    ("F1", HILDESHEIM, "25222", 10, "2026-11-01"),
    ("F2", HILDESHEIM, "25222", 10, "2026-11-01"),
    ("F3", HILDESHEIM, "25222", 10, "2026-11-01"),
    ("F1", HILDESHEIM, "25222", 5, "2027-02-01"),
    ("F2", HILDESHEIM, "25222", 5, "2027-02-01"),
    ("F3", HILDESHEIM, "25222", 5, "2027-02-01"),
    ("F4", HILDESHEIM, "25222", 1, "2027-07-01"),
]
# Peine: 10 persons of 3 firms in effect (September), 30 in November, G1's 20 in January 2028
# (beyond 12 months) and G2's 5 without an occupation: open = 10 + 30 + 20 + 5 = 65 of 3
# firms, rest = 20 + 5 = 25 of 2 firms (G1, G2)
PEINE_CUTS = [
    ("G1", PEINE, "25222", 4, "2026-09-01"),
    ("G2", PEINE, "25222", 3, "2026-09-01"),
    ("G3", PEINE, "25222", 3, "2026-09-01"),
    ("G1", PEINE, "25222", 10, "2026-11-01"),
    ("G2", PEINE, "25222", 10, "2026-11-01"),
    ("G3", PEINE, "25222", 10, "2026-11-01"),
    ("G1", PEINE, "25222", 20, "2028-01-01"),
    ("G2", PEINE, None, 5, "2026-05-01"),
]


def announcements(rows) -> pl.DataFrame:
    """A frame like ``exchange.announcements(con, with_kldb=False)`` (the columns the cube reads)."""
    return pl.DataFrame(
        [("cut", firm, ags, kldb, count, date.fromisoformat(day)) for firm, ags, kldb, count, day in rows],
        schema={
            "kind": pl.String,
            "firm_id": pl.String,
            "ags": pl.String,
            "kldb": pl.String,
            "count": pl.Int64,
            "effective_date": pl.Date,
        },
        orient="row",
    )


def cube(rows):
    frame = announcements(rows)
    return xp.open_cells(frame, REFERENCE, xp.build_cube(frame, REFERENCE))


def test_the_open_cell_holds_every_open_cut_and_rest_what_no_horizon_shows():
    cell_of, values, firms, relations = cube(HILDESHEIM_CUTS + PEINE_CUTS)

    def get(ags, period):
        cell = cell_of[("cut", ags, xp.ALL, xp.ALL, period)]
        return cell, values[cell], firms[cell]

    # Peine: open 65 persons of G1-G3; rest 25 of G1 and G2; past 10, next 12 months 30
    open_p, rest_p, past_p, twelve_p = (get(PEINE, p) for p in ("open", "rest", "past", "12"))
    assert (open_p[1:], rest_p[1:], past_p[1:], twelve_p[1:]) == ((65, 3), (25, 2), (10, 3), (30, 3))
    relation = {(open_p[0], -1), (past_p[0], 1), (rest_p[0], 1), (twelve_p[0], 1)}
    assert relation in [set(r) for r in relations]
    # Hildesheim: nothing in effect and nothing beyond 12 months: open is the 12-month cell
    # (the same announcements), there is no rest and no relation of its own
    assert get(HILDESHEIM, "open") == get(HILDESHEIM, "12")
    assert get(HILDESHEIM, "open")[1:] == (46, 4)
    assert ("cut", HILDESHEIM, xp.ALL, xp.ALL, "rest") not in cell_of
    # the horizons are those of the cuts with an occupation within 12 months, as before
    assert get(PEINE, "3")[1] == 30 and get(HILDESHEIM, "6")[1] == 45


def test_rest_is_primary_and_covered_though_no_page_shows_it():
    """Peine's rest (25 persons) comes from 2 firms: a single firm's figure would follow from
    open − past − 12. The pattern withholds it and one more cell of that sum; rest costs next
    to nothing to withhold."""
    cell_of, values, firms, relations = cube(PEINE_CUTS)
    hidden = xp.choose(values, firms, relations, 3)
    spec = {p: cell_of[("cut", PEINE, xp.ALL, xp.ALL, p)] for p in ("open", "rest", "past", "12")}
    assert spec["rest"] in hidden
    assert len({spec[p] for p in ("open", "past", "12")} & hidden) >= 1


# -- the attack on the warehouse's functions ----------------------------------------------------
def _warehouse(rows) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with the firms and announcements of ``rows``."""
    con = duckdb.connect()
    con.execute("CREATE TABLE firm (firm_id VARCHAR, name VARCHAR, ags VARCHAR)")
    con.execute(
        "CREATE TABLE firm_need (firm_id VARCHAR, need_date DATE, kind VARCHAR, kldb VARCHAR, count INT, "
        "effective_date DATE, status VARCHAR, training BOOLEAN, wage DOUBLE, filled INT)"
    )
    for firm, ags in sorted({(f, a) for f, a, *_ in rows}):
        con.execute("INSERT INTO firm VALUES (?, ?, ?)", [firm, firm, ags])
    for firm, _, kldb, count, day in rows:
        con.execute(
            "INSERT INTO firm_need (firm_id, need_date, kind, kldb, count, effective_date) "
            "VALUES (?, DATE '2026-09-01', 'cut', ?, ?, ?)",
            [firm, kldb, count, date.fromisoformat(day)],
        )
    return con


BANDS = ("past", "b03", "b36", "b612", "rest")
HORIZONS = {"past": ("past",), "3": ("b03",), "6": ("b03", "b36"), "12": ("b03", "b36", "b612")}


def test_the_rollout_figure_is_the_pattern_cell_and_raw_for_the_agency():
    con = _warehouse(HILDESHEIM_CUTS + PEINE_CUTS)
    # the Kreise's cells only (no region table here, so no nodes: ``pattern_of``)
    pattern = xp.pattern_of(ex.announcements(con, with_kldb=False), REFERENCE, 3)
    cuts = rollout.announced_cuts(con)
    assert cuts.rows() == [(PEINE, 65.0, 3), (HILDESHEIM, 46.0, 4)]
    for ags, value in cuts.select("ags", "cuts").iter_rows():
        assert pattern.get("cut", ags, period="open")[0] == value  # the same definition
    shown = rollout.protect_cuts(cuts, pattern)
    expected = [
        None if pattern.get("cut", a, period="open")[2] else v for a, v in cuts.select("ags", "cuts").rows()
    ]
    assert shown["cuts"].to_list() == expected
    assert rollout.protect_cuts(cuts, None)["cuts"].to_list() == [65.0, 46.0]


# -- the view ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cuts_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("open_cuts") / "data"
    extra = [
        (f, f"Testwerk {f}", "releasing", "29", HILDESHEIM, "100-249", True, True, 9.95, 52.15)
        for f in ("F1", "F2", "F3", "F4")
    ]
    cuts = [  # one report a day (the key)
        (f, f"2026-09-{1 + i:02d}", "cut", k, n, e, "open", None, None, None)
        for i, (f, _, k, n, e) in enumerate(HILDESHEIM_CUTS)
    ]
    announcing_warehouse(data_dir, extra, cuts, "tests/test_exchange_pattern_open.py")
    return data_dir


@pytest.mark.parametrize("role", ["ministry", "social_partner"])
def test_the_rollout_view_shows_a_star_where_the_pattern_withholds_open(cuts_dir, role):
    from analytics.db import connect
    from analytics.views.model import ViewFilters
    from analytics.views.rollout import build_rollout_view
    from tests.conftest import make_settings

    settings = make_settings(cuts_dir)
    con = connect(settings.warehouse_path)
    try:
        pattern = xp.exchange_pattern(con, settings, REFERENCE)
        assert pattern.get("cut", HILDESHEIM, period="open") == (46.0, 4.0, True)
        for protected, who, expected in ((True, role, None), (False, "agency", 46.0)):
            filters = ViewFilters(
                "hildesheim", "Hildesheim", (HILDESHEIM,), "Q3 2026", "de", protected, REFERENCE, role=who
            )
            view = build_rollout_view(con, settings, filters, role=who)
            ranking = view.table("ranking").frame.filter(pl.col("ags") == HILDESHEIM)
            assert ranking["cuts"].to_list() == [expected]
            assert ranking["cuts__suppressed"].to_list() == [expected is None]
    finally:
        con.close()


def test_every_band_sums_to_open():
    """open = past + 12 + rest holds for every Kreis of the hand-built frame."""
    cell_of, values, _, _ = cube(HILDESHEIM_CUTS + PEINE_CUTS)
    for ags in (HILDESHEIM, PEINE):
        parts = [
            values[cell_of[spec]]
            for p in ("past", "12", "rest")
            if (spec := ("cut", ags, xp.ALL, xp.ALL, p)) in cell_of
        ]
        assert values[cell_of[("cut", ags, xp.ALL, xp.ALL, "open")]] == sum(parts)


def test_rollout_cuts_do_not_pin_a_drehscheibe_horizon(cuts_dir):
    """Hildesheim's 1 person of one firm in months 7-12 is "*" on the Drehscheibe, and so are
    its 46 cuts of the next 12 months (the cover cell). The Drehscheibe shows the next 6
    months (45); the Rollout-Planer showed all 46 open cuts (4 firms, 46 persons: its own rule
    let them through). An attacker with unknowns per band (and one for the cuts beyond 12
    months or without an occupation, ≥ 0) reads 12 ≤ 46 − 0 and 12 = 45 + months 7-12 ≥ 46
    (July 2027 is a listed month, "*": at least one person):
    the 12-month value is 46 and the 1 person is pinned. Now the Rollout figure is the
    pattern's ``open`` cell, which is the 12-month cell here: "*" as well."""
    from analytics.db import connect
    from analytics.views.exchange import exchange_view
    from analytics.views.model import ViewFilters
    from analytics.views.rollout import rollout_view
    from tests.conftest import make_settings

    settings = make_settings(cuts_dir)
    con = connect(settings.warehouse_path)
    truth = {"past": 0, "b03": 30, "b36": 15, "b612": 1, "rest": 0}
    attacker = Attacker((), (), Quarter(2026, 1), {})
    for band in BANDS:
        attacker.index[band] = len(attacker.index)
        attacker.truth[band] = truth[band]
    band_of = {b: attacker.index[b] for b in BANDS}
    try:
        shown = {}
        for horizon, bands in HORIZONS.items():
            filters = ViewFilters(
                "custom",
                "Hildesheim",
                (HILDESHEIM,),
                "Q3 2026",
                "de",
                True,
                REFERENCE,
                (("horizon", horizon),),
                role="ministry",
            )
            view = exchange_view(con, settings, filters)
            cut = {m.key: m for m in view.metrics()}["cut"]
            for row in view.table("timeline").frame.iter_rows(named=True):
                if row["cut"] is None and row.get("cut__suppressed", True):  # listed: ≥ 1 person
                    attacker.inequalities.append(({band_of[xp.band(row["month"], REFERENCE)]: -1.0}, -1.0))
            expr = {band_of[b]: 1.0 for b in bands}
            shown[horizon] = None if cut.suppressed else cut.value
            if cut.suppressed:  # "*": at least one person (the pattern never withholds a 0)
                attacker.inequalities.append(({i: -1.0 for i in expr}, -1.0))
            else:
                attacker.equalities.append((expr, float(cut.value or 0)))
        filters = ViewFilters(
            "hildesheim", "Hildesheim", (HILDESHEIM,), "Q3 2026", "de", True, REFERENCE, role="ministry"
        )
        ranking = rollout_view(con, settings, filters).table("ranking").frame
        (cuts,) = ranking.filter(pl.col("ags") == HILDESHEIM)["cuts"].to_list()
        if cuts is not None:  # every open cut: all bands, and the rest (≥ 0)
            attacker.equalities.append(({band_of[b]: 1.0 for b in BANDS}, float(cuts)))
    finally:
        con.close()
    assert shown == {"past": 0, "3": 30, "6": 45, "12": None}  # 12 months: the cover cell
    months_7_12 = {band_of["b612"]: 1.0}
    assert attacker.value(months_7_12) == 1
    low, high = attacker.bounds(months_7_12)
    assert low != high, (low, high)
    assert cuts is None
