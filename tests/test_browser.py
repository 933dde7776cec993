"""End-to-end tests of the Übersicht in headless Debian chromium (fixtures: browser_support).

Set ``COCKPIT_SCREENSHOT_DIR`` to get a full-page screenshot of the overview (overview.png).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser_support import GERMAN_PERCENT, RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser, app_url: str):
    """A fresh browser context (new Streamlit session) with the overview loaded."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(app_url + "?demo_role=ministry", wait_until="domcontentloaded")
        _wait_for_kpis(page)
        yield page
    finally:
        context.close()


def _wait_for_kpis(page, minimum: int = 10) -> None:
    from playwright.sync_api import expect

    metrics = page.get_by_test_id("stMetric")
    expect(metrics.nth(minimum - 1)).to_be_visible(timeout=RENDER_TIMEOUT_MS)


def _metric_label(page, text: str):
    return page.get_by_test_id("stMetricLabel").filter(has_text=text).first


def test_overview_renders_german_kpis_and_chart(page) -> None:
    from playwright.sync_api import expect

    metrics = page.get_by_test_id("stMetric")
    assert metrics.count() >= 10

    expect(_metric_label(page, "Neue Teilnehmende")).to_be_visible()
    expect(_metric_label(page, "Übergänge in Arbeit")).to_be_visible()

    values = [v.strip() for v in page.get_by_test_id("stMetricValue").all_inner_texts()]
    assert len(values) >= 10, values
    assert any(GERMAN_PERCENT.search(v) for v in values), f"no German percent value in {values}"
    assert not any(re.search(r"\d\.\d+[\s\u00a0\u202f]?%", v) for v in values), values

    expect(page.get_by_text("DEMO-DATEN").first).to_be_visible()

    chart = page.locator('[data-testid="stPlotlyChart"], .js-plotly-plot').first
    expect(chart).to_be_visible(timeout=RENDER_TIMEOUT_MS)

    shot_dir = os.environ.get("COCKPIT_SCREENSHOT_DIR")
    if shot_dir:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
        # Streamlit scrolls inside its main container, so full_page alone only captures the
        # viewport: grow the viewport to the content height first.
        height = page.evaluate(
            "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
            ".map(e => e.scrollHeight), document.body.scrollHeight)"
        )
        page.set_viewport_size({"width": 1600, "height": min(int(height) + 50, 6000)})
        page.wait_for_timeout(1000)  # let plotly finish drawing before the screenshot
        Path(shot_dir).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shot_dir) / "overview.png"), full_page=True)


def test_language_switch_to_english(page) -> None:
    from playwright.sync_api import expect

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("English", exact=True).click()

    expect(_metric_label(page, "New participants")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    german = page.get_by_test_id("stMetricLabel").filter(has_text="Neue Teilnehmende")
    expect(german).to_have_count(0)
