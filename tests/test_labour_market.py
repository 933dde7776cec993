"""Supply and demand by Kreis, computed by hand from the rows in tests/builders.py."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics import labour_market as lm
from analytics.db import connect
from analytics.regional import comparison_areas, land_areas
from analytics.regions import regions

Q3_2026 = lm.Period("quarter", date(2026, 7, 1))
SEP_2026 = lm.Period("month", date(2026, 9, 1))


@pytest.fixture
def con(tiny_settings):
    connection = connect(tiny_settings.warehouse_path)
    yield connection
    connection.close()


def row(frame: pl.DataFrame, ags: str) -> dict:
    return frame.filter(pl.col("ags") == ags).row(0, named=True)


def test_period_months_and_previous_year():
    assert Q3_2026.months == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert Q3_2026.previous_year() == lm.Period("quarter", date(2025, 7, 1))
    assert Q3_2026.label() == "Q3 2026"
    assert SEP_2026.label() == "September 2026"
    assert lm.complete_quarters(
        [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    ) == [date(2026, 7, 1)]


@pytest.mark.parametrize(
    ("period", "ags", "column", "expected"),
    [
        # quarter = average of the months: (1000+1100+1200)/3 and (200+200+260)/3
        (Q3_2026, "03254", "unemployed", 1100.0),
        (Q3_2026, "03254", "vacancies", 220.0),
        (Q3_2026, "03254", "ratio", 5.0),
        (Q3_2026, "03254", "unemployed_prev", 1000.0),
        (Q3_2026, "03254", "ratio_prev", 4.0),  # 1000 / 250
        (Q3_2026, "03254", "ratio_change", 1.0),
        (Q3_2026, "03254", "ratio_change_pct", 0.25),
        (Q3_2026, "03254", "unemployed_change", 100.0),
        (Q3_2026, "03254", "unemployed_change_pct", 0.1),
        (Q3_2026, "03254", "vacancies_change", -30.0),
        (Q3_2026, "03254", "vacancies_change_pct", -0.12),
        (Q3_2026, "03157", "ratio", 500 / 180),
        # a single month: September 1200 / 260, a year earlier 1100 / 250
        (SEP_2026, "03254", "ratio", 1200 / 260),
        (SEP_2026, "03254", "ratio_prev", 4.4),
        (SEP_2026, "04011", "ratio", 3.0),  # 360 / 120
    ],
)
def test_unemployed_per_vacancy_by_hand(con, period, ags, column, expected):
    frame = lm.supply_demand(con, "TOTAL", period)
    assert row(frame, ags)[column] == pytest.approx(expected)


def test_withheld_month_makes_the_quarter_and_the_ratio_withheld(con):
    bremen = row(lm.supply_demand(con, "TOTAL", Q3_2026), "04011")
    assert bremen["unemployed"] == pytest.approx(330.0)
    assert bremen["vacancies"] is None and bremen["vacancies__suppressed"]
    assert bremen["ratio"] is None and bremen["ratio__suppressed"]
    assert bremen["vacancies_change"] is None and bremen["vacancies_change__suppressed"]
    # a Kreis without any rows: no data, not withheld
    goslar = row(lm.supply_demand(con, "TOTAL", Q3_2026), "03153")
    assert goslar["ratio"] is None and not goslar["ratio__suppressed"]


def test_two_digit_group_is_the_sum_of_its_three_digit_groups(con):
    frame = lm.supply_demand(con, "25", Q3_2026)
    hildesheim = row(frame, "03254")
    assert hildesheim["unemployed"] == 130.0  # 251: 40 + 252: 90
    assert hildesheim["vacancies"] == 70.0  # 60 + 10
    assert hildesheim["ratio"] == pytest.approx(130 / 70)
    assert hildesheim["ratio_prev"] == pytest.approx(100 / 70)  # (30+70) / (50+20)
    peine = row(frame, "03157")  # 252 unemployed withheld: the sum is withheld, not 10
    assert peine["unemployed"] is None and peine["unemployed__suppressed"]
    assert peine["vacancies"] == 25.0 and peine["ratio__suppressed"]
    three_digit = row(lm.supply_demand(con, "252", Q3_2026), "03254")
    assert three_digit["ratio"] == pytest.approx(9.0)


def test_comparison_areas_sum_the_kreise(con):
    kreise = lm.supply_demand(con, "TOTAL", Q3_2026)
    areas = comparison_areas(regions(con), ["03254"], "Hildesheim")
    assert [a.key for a in areas] == ["selection", "agentur", "land"]
    assert areas[1].label_de == "Agentur für Arbeit Hildesheim" and areas[1].ags == ("03157", "03254")
    values = lm.area_values(kreise, areas)
    by_area = {r["area"]: r for r in values.iter_rows(named=True)}
    assert by_area["selection"]["ratio"] == pytest.approx(5.0)
    assert by_area["agentur"]["unemployed"] == 1600.0 and by_area["agentur"]["vacancies"] == 400.0
    assert by_area["agentur"]["ratio"] == pytest.approx(4.0)
    assert by_area["agentur"]["ratio_change"] == pytest.approx(0.0)  # 1400 / 350 a year earlier
    # Land Niedersachsen: 3600 / 900; a year earlier 3400 / 750
    assert by_area["land"]["ratio"] == pytest.approx(4.0)
    assert by_area["land"]["ratio_prev"] == pytest.approx(3400 / 750)


def test_selection_across_agenturen_and_lands_is_summed_and_says_so(con):
    areas = comparison_areas(regions(con), ["03254", "03241", "04011"], "Auswahl")
    assert areas[1].label_de == "Agenturen für Arbeit Bremen-Bremerhaven + Hannover + Hildesheim"
    assert "zusammengezählt" in areas[1].note_de
    assert areas[2].label_de == "Länder Niedersachsen + Bremen"
    values = lm.area_values(lm.supply_demand(con, "TOTAL", Q3_2026), areas)
    land = values.filter(pl.col("area") == "land").row(0, named=True)
    assert land["unemployed"] == pytest.approx(3600 + 330)
    assert land["vacancies__suppressed"] and land["ratio"] is None  # Bremen's August is "*"


def test_land_value_beside_each_kreis(con):
    kreise = lm.supply_demand(con, "TOTAL", Q3_2026)
    frame = lm.with_land_values(kreise, land_areas(regions(con)), "ratio")
    assert row(frame, "03254")["land_value"] == pytest.approx(4.0)
    assert row(frame, "04011")["land_value__suppressed"]


def test_ranking_puts_withheld_last(con):
    ranked = lm.ranked(lm.supply_demand(con, "TOTAL", Q3_2026), "ratio")
    assert ranked["ags"].head(4).to_list() == ["03254", "03241", "03157", "04011"]
    assert ranked["rank"].head(3).to_list() == [1, 2, 3]
    assert ranked.filter(pl.col("ags") == "04011")["rank"][0] is None


def test_occupation_surplus(con):
    balance = lm.occupation_balance(con, Q3_2026, ["03254"])
    surplus = dict(zip(balance["kldb"], balance["surplus"], strict=True))
    assert surplus == {"251": -20.0, "252": 80.0, "262": -25.0, "263": None}
    assert balance.filter(pl.col("kldb") == "263")["surplus__suppressed"][0]
    assert lm.top_surplus(balance, "unemployed")["kldb"].to_list() == ["252"]
    assert lm.top_surplus(balance, "vacancies")["kldb"].to_list() == ["262", "251"]
    land = lm.occupation_balance(con, Q3_2026, ["03254", "03157", "03241"])
    compared = lm.with_comparison(lm.top_surplus(balance, "vacancies"), land, "land")
    assert compared["surplus_land"].to_list() == [-25.0, -30.0]  # 262: 8-33; 251: 50-80
    with pytest.raises(ValueError):
        lm.top_surplus(balance, "both")


def test_quarterly_series_yoy_and_index(con):
    areas = comparison_areas(regions(con), ["03254"], "Hildesheim")
    series = lm.quarterly_by_area(con, "TOTAL", areas, date(2025, 1, 1), date(2026, 12, 1))
    selection = series.filter(pl.col("area") == "selection")
    assert selection["quarter"].to_list() == ["Q3 2025", "Q3 2026"]
    assert selection["unemployed"].to_list() == [1000.0, 1100.0]
    changed = lm.year_on_year(series, ["unemployed", "vacancies"])
    last = changed.filter(pl.col("area") == "selection").row(-1, named=True)
    assert last["unemployed_change"] == 100.0 and last["unemployed_change_pct"] == pytest.approx(0.1)
    index = lm.indexed(series, "unemployed").filter(pl.col("area") == "land")
    assert index["unemployed_index"].to_list() == pytest.approx([100.0, 3600 / 3400 * 100])


@pytest.mark.parametrize("bad", ["25; DROP TABLE region", "1", "2521x", ""])
def test_invalid_kldb_selection_is_refused(con, bad):
    with pytest.raises(ValueError):
        lm.supply_demand(con, bad, Q3_2026)


def test_comparison_areas_never_repeat_the_selection_or_sum_past_the_land(con):
    """Agentur and Land presets compare with no copy of themselves (the Trends page renamed
    both to one label and crashed), and a Land's 16 agencies (Bremen-Bremerhaven also serving
    Bremen) are no comparison."""
    from analytics.regions import region_presets

    table = regions(con)
    by_preset = {
        p.key: comparison_areas(table, p.ags, p.label_de) for p in region_presets(con, ["03254", "03241"])
    }
    assert [a.key for a in by_preset["hildesheim"]] == ["selection", "agentur", "land"]
    assert [a.key for a in by_preset["agentur"]] == ["selection", "land"]
    assert [a.key for a in by_preset["land_03"]] == ["selection"]
    # Bremen-Bremerhaven also serves Cuxhaven: wider than Land Bremen, so no step between
    assert [a.key for a in by_preset["land_04"]] == ["selection"]
    assert [a.key for a in by_preset["all"]] == ["selection"]
    for areas in by_preset.values():
        assert len({a.label_de for a in areas}) == len(areas)
        assert len({a.ags for a in areas}) == len(areas)
