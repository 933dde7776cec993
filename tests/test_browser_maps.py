"""The Regionen map in headless Debian chromium: the deck.gl canvas renders without any basemap
request, and the Excel download holds what the query layer computes (fixtures: browser_support).

Set ``COCKPIT_SCREENSHOT_DIR`` to get a screenshot of the page (regionen.png).
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from analytics import labour_market as lm
from analytics.db import connect
from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def regions_page(browser, app_url: str):
    context = browser.new_context(
        viewport={"width": 1600, "height": 1400}, locale="de-DE", accept_downloads=True
    )
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{app_url}regionen?demo_role=ministry", wait_until="domcontentloaded")
        yield page, requests
    finally:
        context.close()


def test_regions_map_renders_and_downloads_excel(regions_page, demo_dir: Path, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page, requests = regions_page
    heading = page.get_by_role("heading", name="Regionen: Arbeitslose und gemeldete Stellen")
    expect(heading).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    deck = page.get_by_test_id("stDeckGlJsonChart")
    expect(deck).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(deck.locator("canvas").first).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(1500)  # let deck.gl draw (and request tiles, if it wanted any)
    box = deck.locator("canvas").first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    basemap = [url for url in requests if "cartocdn" in url or "mapbox" in url or "tile" in url]
    assert basemap == [], basemap
    attribution = page.get_by_text("© GeoBasis-DE / BKG 2021 (Daten verändert)").first
    expect(attribution).to_be_visible(timeout=RENDER_TIMEOUT_MS)

    shot_dir = os.environ.get("COCKPIT_SCREENSHOT_DIR")
    if shot_dir:
        Path(shot_dir).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shot_dir) / "regionen.png"), full_page=True)

    # no "Page not found" over a deep link, not even in the first session (tests/test_deep_links.py)
    expect(page.get_by_role("dialog")).to_have_count(0)

    button = page.get_by_test_id("stDownloadButton").first.get_by_role("button")
    with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
        button.click()
    download = download_info.value
    # the sidebar quarter (Q3 2026, the latest complete one) decides: its last month, never
    # the later October the BA data also hold (issue #11)
    assert download.suggested_filename == "regionen_TOTAL_September_2026.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)

    workbook = load_workbook(target)
    sheet = workbook["Kreise"]
    assert sheet["A1"].value == "Regionen: Arbeitslose und gemeldete Stellen – September 2026"
    header_row = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "AGS")
    headers = [c.value for c in sheet[header_row]]
    row = next(r for r in range(header_row + 1, sheet.max_row + 1) if sheet.cell(r, 1).value == "03254")
    ratio = sheet.cell(row, headers.index("Arbeitslose je Stelle") + 1)

    con = connect(demo_dir / "warehouse.duckdb")
    try:
        expected = lm.supply_demand(con, "TOTAL", lm.Period("month", date(2026, 9, 1)))
    finally:
        con.close()
    hildesheim = expected.filter(pl.col("ags") == "03254").row(0, named=True)
    assert ratio.value == pytest.approx(hildesheim["ratio"])
    assert ratio.number_format == "0.00"
    assert sheet.cell(row, 2).value == "Hildesheim"
    assert "Vergleich" in workbook.sheetnames
