"""The quarterly report pack on the Übersicht in headless Debian chromium: built when the
button is clicked (a progress bar meanwhile), then both files download (fixtures:
browser_support; the demo warehouse).

Set ``COCKPIT_SCREENSHOT_DIR`` to get screenshots of the ready downloads (report_de.png,
report_en.png).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser

BUILD_TIMEOUT_MS = 180_000


@pytest.mark.parametrize(
    ("lang", "build", "excel", "pdf", "cover"),
    [
        (
            "de",
            "Quartalsbericht erstellen (Excel und PDF)",
            "Bericht als Excel herunterladen",
            "Bericht als PDF herunterladen",
            "Deckblatt",
        ),
        (
            "en",
            "Build the quarterly report (Excel and PDF)",
            "Download the report as Excel",
            "Download the report as PDF",
            "Cover",
        ),
    ],
)
def test_overview_builds_and_downloads_the_report_pack(
    browser, app_url: str, tmp_path: Path, lang, build, excel, pdf, cover
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="de-DE", accept_downloads=True
    )
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{app_url}?demo_role=ministry&quarter=2026-Q3&region=network&lang={lang}")
        button = page.get_by_role("button", name=build)
        expect(button).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        button.click()
        expect(page.get_by_test_id("stProgress")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        excel_button = page.get_by_role("button", name=excel)
        expect(excel_button).to_be_visible(timeout=BUILD_TIMEOUT_MS)
        pdf_button = page.get_by_role("button", name=pdf)
        expect(pdf_button).to_be_visible(timeout=RENDER_TIMEOUT_MS)

        shot_dir = os.environ.get("COCKPIT_SCREENSHOT_DIR")
        if shot_dir:
            Path(shot_dir).mkdir(parents=True, exist_ok=True)
            excel_button.scroll_into_view_if_needed()
            page.screenshot(path=str(Path(shot_dir) / f"report_{lang}.png"))

        with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
            excel_button.click()
        download = info.value
        assert download.suggested_filename == f"quartalsbericht_2026-Q3_network_{lang}.xlsx"
        download.save_as(tmp_path / "report.xlsx")
        workbook = load_workbook(tmp_path / "report.xlsx")
        assert workbook.sheetnames[0] == cover and len(workbook.sheetnames) == 11  # 8 sections
        # demo data: the mark on the cover and on every section sheet
        assert all(any("DEMO" in str(c.value) for c in ws["A"][:4]) for ws in workbook.worksheets)

        with page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
            pdf_button.click()
        download = info.value
        assert download.suggested_filename == f"quartalsbericht_2026-Q3_network_{lang}.pdf"
        download.save_as(tmp_path / "report.pdf")
        reader = PdfReader(tmp_path / "report.pdf")
        assert len(reader.pages) > 8
        assert "DEMO" in reader.pages[0].extract_text()
        assert sum(len(p.images) for p in reader.pages) == 13  # the charts and maps of the 8 sections
    finally:
        context.close()
