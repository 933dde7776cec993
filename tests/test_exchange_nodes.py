"""Issue #12 on the Arbeitsmarktdrehscheibe: node cells for the region sets the page shows as
a whole, so that the ministry sees the network's sums while each Kreis of one firm stays "*".

The warehouse: the tiny one with one releasing firm's cuts in each network Kreis (Hildesheim
30, Peine 20, Goslar 25 persons, KldB 252, all in the next 3 months of 30.09.2026) and one
receiving firm's need in Hildesheim (4), Peine (5) and Hannover (6; 37 km from Hildesheim,
so in the network's reach at the default 50 km). By hand: the network's cuts are 75 of 3
firms, its needs in reach 15 of 3 firms — neither is primary; every Kreis is (one firm), and
so is the Agentur Hildesheim (Hildesheim + Peine: 50 of 2 firms)."""

from __future__ import annotations

from datetime import date

import pytest

from analytics.db import connect
from analytics.views.model import ViewFilters
from tests.attacker import inconsistent, read_exchange
from tests.builders import announcing_warehouse

REFERENCE = date(2026, 9, 30)
HILDESHEIM, PEINE, GOSLAR, HANNOVER = "03254", "03157", "03153", "03241"
NETWORK = (GOSLAR, PEINE, HILDESHEIM)

EXTRA_FIRMS = [  # id, name, kind, WZ, Kreis, size, tarif, works council, lon, lat
    ("G1", "Testguss Goslar GmbH", "releasing", "24", GOSLAR, "100-249", True, True, 10.43, 51.91),
]
# firm, reported, kind, KldB, count, effective, status, settled, training, wage
ANNOUNCEMENTS = [
    ("R1", "2026-09-01", "cut", "25222", 30, "2026-11-01", "open", None, None, None),
    ("R2", "2026-09-01", "cut", "25222", 20, "2026-11-15", "open", None, None, None),
    ("G1", "2026-09-01", "cut", "25222", 25, "2026-12-01", "open", None, None, None),
    ("E1", "2026-09-05", "need", "25212", 4, "2026-11-01", "open", None, None, None),
    ("E3", "2026-09-05", "need", "25212", 5, "2026-11-01", "open", None, None, None),
    ("E2", "2026-09-06", "need", "25212", 6, "2026-12-01", "open", None, None, None),
]


@pytest.fixture(scope="module")
def nodes_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("nodes") / "data"
    announcing_warehouse(data_dir, EXTRA_FIRMS, ANNOUNCEMENTS, "tests/test_exchange_nodes.py")
    return data_dir


@pytest.fixture
def nodes(nodes_dir):
    from tests.conftest import make_settings

    settings = make_settings(nodes_dir)
    con = connect(settings.warehouse_path)
    yield con, settings
    con.close()


def _view(con, settings, key, ags, horizon="6"):
    from analytics.views.exchange import exchange_view

    filters = ViewFilters(
        key, key, tuple(ags), "Q3 2026", "de", True, REFERENCE, (("horizon", horizon),), role="ministry"
    )
    return exchange_view(con, settings, filters)


def _metrics(view) -> dict:
    return {m.key: (None if m.suppressed else m.value) for m in view.metrics()}


def test_the_ministry_sees_the_networks_sums_while_each_kreis_is_withheld(nodes):
    """Fails before the node cells: the network's cuts were the sum of three withheld Kreise."""
    con, settings = nodes
    network = _view(con, settings, "network", NETWORK)
    got = _metrics(network)
    assert (got["cut"], got["cut_firms"], got["need"]) == (30.0 + 20.0 + 25.0, 3.0, 4.0 + 5.0 + 6.0)
    # covered persons are made cut by cut from the needs near each cut's Kreis: they follow
    # the Kreis cells, which are withheld
    assert got["covered"] is None and got["coverage"] is None
    kreise = network.table("kreise").frame
    assert kreise.height == 4  # Goslar, Peine, Hildesheim, Hannover, each in group 252
    assert kreise["cut"].drop_nulls().to_list() == [0.0]  # Hannover has no cut; every other "*"
    assert kreise["need"].drop_nulls().to_list() == [0.0]  # Goslar has no need; every other "*"
    for ags in NETWORK:
        assert _metrics(_view(con, settings, "custom", (ags,)))["cut"] is None, ags
    # a selection holding Kreise without cuts besides the network's is the same node
    land = _metrics(_view(con, settings, "land_03", (*NETWORK, HANNOVER, "03101")))
    assert (land["cut"], land["cut_firms"]) == (75.0, 3.0)
    # the Agentur Hildesheim (Hildesheim + Peine, 2 firms) is primary
    assert _metrics(_view(con, settings, "agentur", (PEINE, HILDESHEIM)))["cut"] is None


def test_no_shown_node_leaves_exactly_one_withheld_kreis(nodes):
    """Node − its shown Kreise is never a single withheld Kreis cell, for every breakdown."""
    from analytics import exchange_pattern as xp

    con, settings = nodes
    xp._CACHE.clear()
    pattern = xp.exchange_pattern(con, settings, REFERENCE)
    assert pattern.nodes["cut"]  # the network (and the Agentur Hildesheim) are nodes
    checked = 0
    for side, sets in pattern.nodes.items():
        for kreise, key in sets.items():
            for spec, cell in pattern.cell_of.items():
                if spec[:2] != (side, key) or cell in pattern.hidden:
                    continue
                _, _, group, month, period = spec
                withheld = [
                    a
                    for a in kreise
                    if pattern.get(side, a, group or None, month or None, period or None)[2]
                    and pattern.get(side, a, group or None, month or None, period or None)[0] > 0
                ]
                assert len(withheld) != 1, (spec, withheld)
                checked += 1
    assert checked


def test_the_whole_drehscheibe_pins_nothing_with_the_node_cells(nodes):
    """Every horizon × reach × rules × preset and selection the ministry can open."""
    con, settings = nodes
    reader = read_exchange(con, settings, REFERENCE, "ministry")
    assert not inconsistent(reader.settle())
    assert reader.hidden
    assert reader.disclosures() == []
