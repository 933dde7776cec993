"""Automotive share of SvB under both definitions, by hand from tests/builders.py."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics import automotive as auto
from analytics.db import connect
from analytics.regional import comparison_areas
from analytics.regions import regions
from analytics.settings import AutomotiveDefinition

JUNE_2026 = date(2026, 6, 30)
DEFINITION = AutomotiveDefinition()  # core 29; supplier 22, 24, 25, 26, 27, 28


@pytest.fixture
def con(tiny_settings):
    connection = connect(tiny_settings.warehouse_path)
    yield connection
    connection.close()


def share(con, scope: str, ags: str) -> dict:
    frame = auto.automotive_share(con, auto.codes(DEFINITION, scope), JUNE_2026)
    return frame.filter(pl.col("ags") == ags).row(0, named=True)


@pytest.mark.parametrize(
    ("scope", "ags", "column", "expected"),
    [
        ("core", "03254", "svb_sector", 5_000),
        ("core", "03254", "share", 0.05),  # 5,000 / 100,000
        ("core", "03254", "share_prev", 0.055),  # 5,390 / 98,000
        ("core", "03254", "share_change", -0.005),  # in points of the share
        ("core", "03254", "svb_sector_change", -390),
        ("core", "03254", "svb_sector_change_pct", -390 / 5_390),
        ("extended", "03254", "svb_sector", 10_000),  # 29 + 22 + 25 + 28; WZ 35 is not counted
        ("extended", "03254", "share", 0.10),
        ("extended", "03254", "share_prev", 10_390 / 98_000),
        ("core", "03157", "share", 0.08),
        ("extended", "03241", "share", 0.05),  # (20,000 + 5,000) / 500,000
    ],
)
def test_share_by_hand(con, scope, ags, column, expected):
    assert share(con, scope, ags)[column] == pytest.approx(expected)


def test_withheld_division_makes_the_extended_share_withheld(con):
    peine = share(con, "extended", "03157")  # WZ 24 is "*"
    assert peine["svb_sector"] is None and peine["svb_sector__suppressed"]
    assert peine["share"] is None and peine["share__suppressed"]
    assert share(con, "core", "03157")["share__suppressed"] is False


def test_area_shares(con):
    kreise = auto.automotive_share(con, auto.codes(DEFINITION, "core"), JUNE_2026)
    areas = comparison_areas(regions(con), ["03254"], "Hildesheim")
    by_area = {r["area"]: r for r in auto.area_shares(kreise, areas).iter_rows(named=True)}
    assert by_area["agentur"]["share"] == pytest.approx(9_000 / 150_000)
    assert by_area["land"]["share"] == pytest.approx(29_000 / 650_000)
    extended = auto.automotive_share(con, auto.codes(DEFINITION, "extended"), JUNE_2026)
    assert auto.area_shares(extended, areas).filter(pl.col("area") == "agentur")["share__suppressed"][0]


def test_definition_table_names_codes_and_titles(con):
    table = auto.definition_table(con, DEFINITION, "extended")
    assert table["wz"].to_list() == ["29", "22", "24", "25", "26", "27", "28"]
    assert table.row(0, named=True)["title_de"] == "Herstellung von Kraftwagen und Kraftwagenteilen"
    assert auto.definition_table(con, DEFINITION, "core")["wz"].to_list() == ["29"]
    with pytest.raises(ValueError):
        auto.codes(DEFINITION, "everything")


def test_quarterly_employment_by_area(con):
    areas = comparison_areas(regions(con), ["03254"], "Hildesheim")
    series = auto.quarterly_by_area(con, ["29"], areas, date(2025, 1, 1), date(2026, 12, 31))
    selection = series.filter(pl.col("area") == "selection")
    assert selection["svb"].to_list() == [5_390, 5_000]
    total = auto.quarterly_by_area(con, None, areas, date(2025, 1, 1), date(2026, 12, 31))
    assert total.filter(pl.col("area") == "agentur")["svb"].to_list() == [148_000, 150_000]


def test_network_firms_with_wz_titles(con):
    firms = auto.network_firms(con, role="agency")
    assert firms.height == 5  # R1, R2, E1, E2 and E3 (Peine) of tests/builders.py
    r1 = firms.filter(pl.col("firm_id") == "R1").row(0, named=True)
    assert r1["role"] == "releasing" and r1["kreis"] == "Hildesheim"
    assert r1["wz_title_de"] == "Herstellung von Kraftwagen und Kraftwagenteilen"


def test_a_control_character_in_a_firm_name_does_not_break_the_download(tiny_dir, tmp_path):
    """#9: one firm name with a control character (from a warehouse filled before the import
    refused them) broke the Automobilwirtschaft Excel download for everyone. The agency's view
    lists the firm, and its workbook opens with the name cleaned."""
    import io
    import shutil

    import duckdb
    from openpyxl import load_workbook

    from analytics.views.automotive import automotive_view
    from analytics.views.model import ViewFilters
    from analytics.views.workbook import view_workbook
    from tests.conftest import make_settings

    data_dir = tmp_path / "data"
    shutil.copytree(tiny_dir, data_dir)
    settings = make_settings(data_dir)
    writer = duckdb.connect(str(settings.warehouse_path))
    writer.execute("UPDATE firm SET name = 'Testnetze\x07 Hildesheim\x1b GmbH' WHERE firm_id = 'E1'")
    writer.close()
    con = connect(settings.warehouse_path)
    try:
        filters = ViewFilters("hildesheim", "Hildesheim", ("03254",), "Q2 2026", "de", False, role="agency")
        view = automotive_view(con, settings, filters)
    finally:
        con.close()
    workbook = load_workbook(io.BytesIO(view_workbook(view)))
    cells = [c.value for ws in workbook.worksheets for row in ws.iter_rows() for c in row]
    assert "Testnetze Hildesheim GmbH" in cells
    assert not [c for c in cells if isinstance(c, str) and "\x07" in c]
