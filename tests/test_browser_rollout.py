"""The rollout planner in headless Debian chromium: ranking and score map render without any
request outside the app, and the Excel download holds the view's sheets with the same first
Kreis as the screen (fixtures: browser_support)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook

from analytics import rollout
from analytics.db import connect
from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser


def first_kreis(demo_dir: Path) -> str:
    """The top of the ranking with the default weights, from the query layer."""
    from tests.conftest import make_settings

    settings = make_settings(demo_dir)
    con = connect(settings.warehouse_path)
    try:
        frame, _ = rollout.indicator_frame(con, settings, "extended", 50, "ministry")
    finally:
        con.close()
    return rollout.score_kreise(frame, "rank", rollout.DEFAULT_WEIGHTS)["name"][0]


def test_rollout_page_renders_and_downloads_excel(
    browser, app_url: str, demo_dir: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1280, "height": 1400}, locale="de-DE", accept_downloads=True
    )
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{app_url}rollout-planer?demo_role=ministry", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Rollout-Planer: welche Kreise als Nächstes")).to_be_visible(
            timeout=RENDER_TIMEOUT_MS
        )
        chart = page.get_by_test_id("stDeckGlJsonChart").first
        expect(chart).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_text("Rangliste der Kreise").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        page.wait_for_timeout(1500)  # let deck.gl draw (and fetch, if it wanted anything)
        host = urlparse(app_url).hostname
        outside = [
            u
            for u in requests
            if urlparse(u).scheme in ("http", "https", "ws", "wss") and urlparse(u).hostname != host
        ]
        assert outside == [], outside

        # no "Page not found" over a deep link, not even in the first session (tests/test_deep_links.py)
        expect(page.get_by_role("dialog")).to_have_count(0)
        button = page.get_by_test_id("stDownloadButton").first.get_by_role("button")
        with page.expect_download(timeout=RENDER_TIMEOUT_MS) as download_info:
            button.click()
        download = download_info.value
        assert download.suggested_filename == "rollout_planung.xlsx"
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        workbook = load_workbook(target)
        assert {"Rangliste", "Plan", "Indikatoren"} <= set(workbook.sheetnames)
        sheet = workbook["Rangliste"]
        header = next(r for r in range(1, 15) if sheet.cell(r, 1).value == "Rang")
        assert sheet.cell(header + 1, 1).value == 1
        assert sheet.cell(header + 1, 2).value == first_kreis(demo_dir)
        assert any("DEMO" in str(c.value) for c in sheet["A"][:4])
    finally:
        context.close()
