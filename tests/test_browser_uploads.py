"""Hostile uploads through the real server (#9): the stray cell at XFD1048576 that used to
abort the process is uploaded on both upload pages in headless chromium; the page shows the
refusal and the server stays healthy.

The app runs on a copy of the tiny warehouse (not the shared demo warehouse: an upload may
leave a staging file): real data, so the agency signs in through the local OpenID provider
(tests/test_browser_signin.py).
"""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pytest

from tests import hostile_files as H
from tests.browser_support import RENDER_TIMEOUT_MS
from tests.case_files import fill_template
from tests.statistics_files import write_xlsx
from tests.test_browser_signin import oidc_app, provider, sign_in  # noqa: F401 (fixture)
from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def demo_dir(tiny_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Overrides the shared demo warehouse for this module's server (tests/browser_support)."""
    data_dir = tmp_path_factory.mktemp("uploads") / "data"
    shutil.copytree(tiny_dir, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def app_url(demo_dir: Path, provider: str, tmp_path_factory: pytest.TempPathFactory):  # noqa: F811
    with oidc_app(demo_dir, provider, tmp_path_factory.mktemp("uploads_app")) as url:
        yield url


@pytest.fixture
def page(browser, app_url: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def healthy(app_url: str) -> bool:
    with urllib.request.urlopen(app_url + "_stcore/health", timeout=5) as response:
        return response.read().decode().strip() == "ok"


def upload(page, app_url: str, title: str, name: str, data: bytes, button: str) -> None:
    from playwright.sync_api import expect

    if not page.get_by_role("link", name=title).count():
        sign_in(page, app_url, "ta@transformationsagentur.example")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    chooser = page.locator("input[type=file]").first
    expect(chooser).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    chooser.set_input_files([{"name": name, "mimeType": XLSX, "buffer": data}])
    expect(page.get_by_text(name).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    page.get_by_role("button", name=button).click()


def test_statistics_upload_of_a_stray_cell_is_refused_and_the_server_lives(page, app_url, tmp_path):
    from playwright.sync_api import expect

    good = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES}).read_bytes()
    upload(
        page, app_url, "Statistik laden", "stray.xlsx", H.with_cell(good, "T"), "Laden und veröffentlichen"
    )
    expect(page.get_by_text("Zellen belegt bis Zeile 1.048.576").first).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    assert healthy(app_url)


def test_case_upload_of_a_stray_cell_is_refused_and_the_server_lives(page, app_url, tmp_path):
    from playwright.sync_api import expect

    firm = ["R1", "Zulieferer GmbH", "abgebend", 29, "03254", None, "ja", "ja", None, None]
    data = fill_template(tmp_path / "f.xlsx", {"Betriebe": [firm]}).read_bytes()
    data = H.with_dimension(H.with_cell(data, "Betriebe"), "Betriebe")  # as Excel saves it
    upload(page, app_url, "Falldaten importieren", "faelle.xlsx", data, "Prüfen (noch nicht veröffentlichen)")
    expect(page.get_by_text("Import abgelehnt").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_text("bis Zeile 1.048.576 und Spalte XFD").first).to_be_visible()
    assert healthy(app_url)
