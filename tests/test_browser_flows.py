"""Browser tests of Branchen & Übergänge (Sankey) and Förderung (Excel download) in headless
Debian chromium on the demo warehouse (fixtures: tests/browser_support.py)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser


@pytest.fixture
def context(browser):
    context = browser.new_context(
        viewport={"width": 1600, "height": 1200}, locale="de-DE", accept_downloads=True
    )
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def test_flows_page_draws_the_sankey(context, app_url: str) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(app_url + "uebergaenge?demo_role=ministry", wait_until="domcontentloaded")
    heading = page.get_by_role("heading", name="Branchen & Übergänge").first
    expect(heading).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    nodes = page.locator(".js-plotly-plot .sankey .sankey-node")
    expect(nodes.first).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    assert nodes.count() >= 3
    expect(page.get_by_text("Automobilkern (WZ 29)").first).to_be_attached(timeout=RENDER_TIMEOUT_MS)


def test_funding_page_downloads_its_excel(context, app_url: str) -> None:
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(app_url + "foerderung?demo_role=ministry", wait_until="domcontentloaded")
    heading = page.get_by_role("heading", name="Förderung: Wirkung der Mittel")
    expect(heading).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    button = page.get_by_test_id("stDownloadButton").get_by_role("button")
    expect(button).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename.startswith("foerderung_")
    workbook = load_workbook(io.BytesIO(open(download.path(), "rb").read()))
    sheet = workbook["Budget"]
    assert sheet["A1"].value == "Budget: geplant und ausgegeben je Quartal"
    header_row = next(r for r in range(1, 12) if sheet.cell(r, 1).value == "Quartal")
    assert sheet.cell(header_row + 1, 1).value == "Q1 2026"
    assert sheet.cell(header_row + 1, 2).value == 30_000  # demo plan for Q1 2026
