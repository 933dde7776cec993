"""Network KPIs against the hand-written cases of tests/builders.py.

Hand computation (region = Kreis of the releasing firm; R1 is in 03254, R2 in 03157):

Q1 2026 (01.01.–31.03.), Hildesheim 03254 → cases A, B, C, D, F, G
  entries: A 10.01., B 20.01., C 01.02., D 15.02., F 25.03. → 5 (G entered 01.12.2025)
  active on 31.03.: B (job 10.04.), C (job 01.04.), F (open) → 3
  transitions: A 15.03., G 02.02. → 2; closed: A, D (exit 20.03.), G → 3
  seamless: A (15.03. ≤ 31.03.+1) yes; G (02.02. > 31.01.+1) no → 1; rate 1/3; transition rate 2/3
  days: A 10.01.→15.03. = 64, G 01.12.→02.02. = 63 → median 63.5
  wage ratio: A 4000/4000 = 1.0, G 3040/3200 = 0.95 → median 0.975; both ≥ 0.95 → 100 %
  into firms with collective agreement: A→E1, G→E1 → 2/2
  funding Q1 spent 24,000; network transitions in Q1 (A, G, E) = 3 → 8,000 per transition
  budget used: 24,000 / 530,000; avoided: 1 seamless × 6 months × 2,000 € = 12,000 €
Q2 2026, Hildesheim: transitions B 10.04. (unemployed before, not seamless), C 01.04.
  (= 31.03.+1, seamless) → 2, seamless 1/2, days B 80, C 59 → 69.5, wage ratio B 0.9 (C has no
  origin wage) → 0.9, share ≥ 0.95: 0/1, collective agreement 0/2; active on 30.06.: F → 1;
  retention: A's check is on 15.09. → none in Q2 (None); cost 36,000 / 2 = 18,000
Q3 2026: retention check A yes → 100 %
Cases H, I, J, K (Peine, R2, entries and job starts in Q3 2026; for test_flows.py) change none
of the Hildesheim figures above nor the network figures of Q1/Q2.
"""

from __future__ import annotations

from datetime import date

import pytest

from analytics.db import connect
from analytics.kpi import (
    KPI_BY_KEY,
    KPIS,
    kpi_overview,
    network_kpis,
    network_regions,
    quarterly_series,
    with_case_summary,
)
from analytics.periods import Quarter

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
Q3 = (date(2026, 7, 1), date(2026, 9, 30))
HI = ["03254"]


@pytest.fixture
def con(tiny_settings):
    connection = connect(tiny_settings.warehouse_path)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("period", "ags", "key", "expected"),
    [
        (Q1, HI, "entries", 5),
        (Q1, HI, "active_end", 3),
        (Q1, HI, "transitions", 2),
        (Q1, HI, "closed", 3),
        (Q1, HI, "seamless", 1),
        (Q1, HI, "seamless_rate", 1 / 3),
        (Q1, HI, "transition_rate", 2 / 3),
        (Q1, HI, "days_to_transition", 63.5),
        (Q1, HI, "retention_rate", None),
        (Q1, HI, "wage_ratio", 0.975),
        (Q1, HI, "wage_good_share", 1.0),
        (Q1, HI, "tarif_share", 1.0),
        (Q1, HI, "spent_eur", 24_000),
        (Q1, HI, "cost_per_transition", 8_000),
        (Q1, HI, "budget_used", 24_000 / 530_000),
        (Q1, HI, "avoided_unemployment_eur", 12_000),
        (Q1, ["03254", "03157"], "entries", 6),
        (Q1, ["03254", "03157"], "transitions", 3),
        (Q1, ["03254", "03157"], "seamless_rate", 2 / 4),
        (Q1, ["03157"], "cost_per_transition", 8_000),  # network-wide, region filter ignored
        (Q1, ["03241"], "entries", 0),
        (Q1, ["03241"], "seamless_rate", None),
        (Q2, HI, "entries", 0),
        (Q2, HI, "transitions", 2),
        (Q2, HI, "seamless_rate", 1 / 2),
        (Q2, HI, "days_to_transition", 69.5),
        (Q2, HI, "wage_ratio", 0.9),
        (Q2, HI, "wage_good_share", 0.0),
        (Q2, HI, "tarif_share", 0.0),
        (Q2, HI, "active_end", 1),
        (Q2, HI, "retention_rate", None),
        (Q2, HI, "cost_per_transition", 18_000),
        (Q2, HI, "budget_used", 60_000 / 530_000),
        (Q3, HI, "retention_rate", 1.0),
        (Q3, HI, "spent_eur", None),
        (Q3, HI, "cost_per_transition", None),
    ],
)
def test_network_kpis_by_hand(con, tiny_settings, period, ags, key, expected):
    value = network_kpis(con, period[0], period[1], ags, tiny_settings)[key]
    assert value == pytest.approx(expected) if expected is not None else value is None


def test_overview_change_and_cumulative(con, tiny_settings):
    table = kpi_overview(con, Quarter(2026, 2), HI, tiny_settings, protected=False)
    rows = {r["key"]: r for r in table.iter_rows(named=True)}
    assert [r for r in rows] == [k.key for k in KPIS]
    assert rows["transitions"]["value"] == 2
    assert rows["transitions"]["previous"] == 2
    assert rows["transitions"]["change"] == 0
    assert rows["entries"]["change"] == -5
    # cumulative 01.01.–30.06.: entries A B C D F = 5, transitions A G B C = 4
    assert rows["entries"]["cumulative"] == 5
    assert rows["transitions"]["cumulative"] == 4
    # seamless A, C of closed A, B, C, D, G
    assert rows["seamless_rate"]["cumulative"] == pytest.approx(2 / 5)
    assert rows["seamless_rate"]["change"] == pytest.approx(1 / 2 - 1 / 3)


def test_quarterly_series_with_targets(con, tiny_settings):
    series = quarterly_series(con, HI, tiny_settings, date(2026, 9, 30), protected=False)
    assert series["quarter"].to_list() == ["Q1 2026", "Q2 2026", "Q3 2026", "Summe"]
    assert series["entries"].to_list() == [5, 0, 0, 5]
    assert series["transitions"].to_list() == [2, 2, 0, 4]
    assert series["is_total"].to_list() == [False, False, False, True]
    assert series["complete"].to_list() == [True, True, True, True]
    # Hildesheim is wave 1 of the default plan: its 2026 targets 240 entries, 100 transitions
    assert series["target_entries"][0] == 240 / 4 and series["target_transitions"][0] == 100 / 4
    # the three waves together: the network's targets (360 / 140 in 2026)
    network = quarterly_series(con, ["03153", "03157", "03254"], tiny_settings, date(2026, 9, 30))
    assert network["target_transitions"][0] == tiny_settings.targets.by_year[2026].transitions / 4 == 35
    # Bremen is in no wave: no target
    assert quarterly_series(con, ["04011"], tiny_settings, date(2026, 9, 30))["target_entries"][0] is None


def test_network_regions(con, tiny_settings):
    # the plan's Kreise whose wave has started (Hildesheim 01.01., Peine 01.05., Goslar
    # 01.09.2026) and the Kreise with participants (Hildesheim, Peine)
    assert network_regions(con, tiny_settings, date(2026, 3, 31)) == ["03157", "03254"]  # Peine by data
    assert network_regions(con, tiny_settings, date(2026, 9, 30)) == ["03153", "03157", "03254"]


def test_every_kpi_has_both_languages():
    for definition in KPIS:
        assert definition.label("de") and definition.label("en")
        assert definition.definition("de") != definition.definition("en")
    assert KPI_BY_KEY["cost_per_transition"].network_wide


def test_with_case_summary_needs_a_with_statement():
    with pytest.raises(ValueError):
        with_case_summary("SELECT 1")


def test_label_quarters_marks_the_running_quarter_and_the_sum(con, tiny_settings):
    from analytics.kpi import label_quarters

    series = quarterly_series(con, HI, tiny_settings, date(2026, 8, 15), protected=False)
    labels = label_quarters(series, date(2026, 8, 15), "de")["quarter"].to_list()
    assert labels == ["Q1 2026", "Q2 2026", "Q3 2026 (bis 15.08.2026)", "Summe seit Projektstart"]


@pytest.mark.parametrize(
    ("seamless", "closed", "network_wide", "hidden"),
    [
        (4, 6, True, False),  # the network's rate: a population of 6 is shown (issue #11)
        (6, 6, True, False),
        (1, 2, True, True),  # population of 2
        (4, 6, False, True),  # a region's rate: 2 not seamless could be read off
        (10, 20, False, False),
    ],
)
def test_network_wide_rates_of_three_or_more_persons_are_shown(seamless, closed, network_wide, hidden):
    from analytics.kpi import disclosive_kpis

    values = {"seamless": seamless, "closed": closed, "transitions": closed, "entries": 10}
    assert ("seamless_rate" in disclosive_kpis(values, 3, network_wide=network_wide)) == hidden
