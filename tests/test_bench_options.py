"""Options of the page and Germany benchmarks (#17): ``pages``/``browser --warehouse`` time an
existing warehouse (``--no-demo`` skips the demo), ``germany --keep --cases N`` leaves a
warehouse with shapes, case data and the BA facts behind. Tiny inputs; no timings asserted."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import typer
from typer.testing import CliRunner

from analytics.settings import get_settings
from benchmarks import germany as germany_module
from benchmarks import pages as pages_module
from benchmarks.__main__ import app
from tests.conftest import requires_geo

runner = CliRunner()


def test_an_existing_warehouse_is_named_by_its_folder_or_its_file(tiny_dir: Path, tmp_path: Path):
    assert pages_module.warehouse_dir(tiny_dir) == tiny_dir.resolve()
    assert pages_module.warehouse_dir(tiny_dir / "warehouse.duckdb") == tiny_dir.resolve()
    with pytest.raises(typer.BadParameter, match="no warehouse.duckdb"):
        pages_module.warehouse_dir(tmp_path)


def test_pages_times_the_given_warehouse_and_no_demo(tiny_dir: Path, monkeypatch):
    timed: list[Path] = []

    def fake_time_pages(rounds: int = 3, role: str = "agency") -> list[dict[str, object]]:
        timed.append(get_settings().data_dir)
        return [{"page": page, "cold_s": 0.0, "warm_s": 0.0} for page in pages_module.registered_pages()]

    monkeypatch.setattr(pages_module, "time_pages", fake_time_pages)
    result = runner.invoke(app, ["pages", "--warehouse", str(tiny_dir), "--no-demo", "--rounds", "1"])
    assert result.exit_code == 0, result.output
    assert timed == [tiny_dir.resolve()]  # only the given one: no demo, no generated warehouse
    assert f"Warehouse {tiny_dir.resolve()}" in result.output
    assert "Demo warehouse" not in result.output and "Built the" not in result.output
    for page in pages_module.registered_pages():
        assert page in result.output
    missing = runner.invoke(app, ["pages", "--warehouse", str(tiny_dir / "nowhere"), "--no-demo"])
    assert missing.exit_code != 0


def test_browser_refuses_a_warehouse_on_which_the_demo_sign_in_is_refused(tiny_dir: Path, demo_dir: Path):
    """The browser benchmark signs in by ?demo_role=…, which the app refuses on real data (the
    tiny warehouse's BA facts are not the demo's): it says so instead of timing a notice."""
    from benchmarks.browser import holds_real_data

    assert holds_real_data(tiny_dir) and not holds_real_data(demo_dir)
    result = runner.invoke(app, ["browser", "--warehouse", str(tiny_dir), "--no-demo"])
    assert result.exit_code != 0 and "demo sign-in" in result.output


@requires_geo
def test_germany_keeps_a_warehouse_with_shapes_cases_and_the_ba_facts(tmp_path: Path, monkeypatch):
    """At the demo's Kreise (Niedersachsen, Bremen), one month, two codes: --keep leaves the
    data dir, --cases N puts the demo's case data for N participants in it, the shapes are
    loaded for every Kreis."""
    from analytics.settings import SHARED_GEO

    regions = pages_module.germany_regions(SHARED_GEO)
    small = regions.filter(regions["land_code"].is_in(["03", "04"]))  # the demo's Kreise
    monkeypatch.setattr(pages_module, "germany_regions", lambda _path: small)
    kept = tmp_path / "germany"
    monkeypatch.setattr(germany_module, "KEPT", kept)
    result = runner.invoke(
        app, ["germany", "--months", "1", "--codes", "2", "--cases", "30", "--keep"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert f"kept the warehouse: {kept}" in result.output
    con = duckdb.connect(str(kept / "warehouse.duckdb"), read_only=True)
    try:
        count = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
        assert count("SELECT count(*) FROM region") == small.height
        assert count("SELECT count(*) FROM region_geometry") == small.height
        assert count("SELECT count(*) FROM participant") == 30
        # the BA workbook's 5-digit codes (the demo's facts are 3-digit and totals)
        five_digit = con.execute(
            "SELECT DISTINCT kldb FROM fact_labour_market WHERE regexp_full_match(kldb, '\\d{5}') ORDER BY 1"
        ).fetchall()
        assert [k for (k,) in five_digit] == germany_module.kldb_5_digit_codes(2)
    finally:
        con.close()
    # a second run does not overwrite a kept warehouse
    again = runner.invoke(app, ["germany", "--months", "1", "--codes", "2", "--keep"])
    assert again.exit_code != 0 and "remove it first" in again.output
