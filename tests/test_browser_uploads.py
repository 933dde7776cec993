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
from tests.conftest import TEST_CASE_ID_KEY
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
    # real data: the case import needs a case-id key of its own (the default is refused)
    key = {"COCKPIT_CASE_ID_KEY": TEST_CASE_ID_KEY}
    with oidc_app(demo_dir, provider, tmp_path_factory.mktemp("uploads_app"), key) as url:
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
    upload_files(page, app_url, title, [(name, data)], button)


def upload_files(page, app_url: str, title: str, files: list[tuple[str, bytes]], button: str) -> None:
    from playwright.sync_api import expect

    if not page.get_by_role("link", name=title).count():
        sign_in(page, app_url, "ta@transformationsagentur.example")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    chooser = page.locator("input[type=file]").first
    expect(chooser).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    chooser.set_input_files(
        [
            {"name": name, "mimeType": XLSX if name.endswith(".xlsx") else "text/csv", "buffer": data}
            for name, data in files
        ]
    )
    for name, _ in files:
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


def test_statistics_upload_of_a_zip_bomb_is_refused_and_the_server_lives(page, app_url, tmp_path):
    """A workbook that unpacks to far more than it weighs (3 MB of empty rows in a 20 KB
    archive here; 600 MB from 14.5 MB in #9) is refused by its compression ratio, unread."""
    from playwright.sync_api import expect

    good = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES}).read_bytes()
    bomb = H.with_padding(good, "T", 3)
    assert len(bomb) < 100_000
    upload(page, app_url, "Statistik laden", "bomb.xlsx", bomb, "Laden und veröffentlichen")
    expect(page.get_by_text("fach komprimiert").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert healthy(app_url)


def case_csv_files(tmp_path: Path, files: dict) -> list[tuple[str, bytes]]:
    from tests.case_files import write_csv

    folder = write_csv(tmp_path, files)
    return [(name, (folder / name).read_bytes()) for name in files]


def test_case_upload_of_broken_csv_files_is_reported_and_the_server_lives(page, app_url, tmp_path):
    """An integer overflow (a raw traceback before #9) becomes a row of the report; an
    unterminated quote refuses the import with its line; the server answers throughout."""
    from playwright.sync_api import expect

    from tests.case_files import base, set_cell

    files = base()
    set_cell(files, "bedarfe.csv", 2, "Anzahl", "99999999999")
    upload_files(
        page,
        app_url,
        "Falldaten importieren",
        case_csv_files(tmp_path / "big", files),
        "Prüfen (noch nicht veröffentlichen)",
    )
    # the row in the report (its message "Zahl ist viel zu groß" is in the table, drawn on a
    # canvas: tests/test_case_hostile.py checks it), no exception box
    expect(page.get_by_text("Abgewiesene Zeilen in 'Bedarfe': 1").first).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    assert page.get_by_test_id("stException").count() == 0
    page.get_by_role("button", name="Verwerfen").click()
    assert healthy(app_url)

    quoted = case_csv_files(tmp_path / "quote", base())
    quoted = [
        (name, data.replace(b"Arbeitsaufnahme", b'"Arbeitsaufnahme', 1) if name == "ereignisse.csv" else data)
        for name, data in quoted
    ]
    page.reload()  # a new session: the uploader empty again (signed in still)
    expect(page.get_by_role("heading", name="Falldaten importieren").first).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    upload_files(page, app_url, "Falldaten importieren", quoted, "Prüfen (noch nicht veröffentlichen)")
    expect(page.get_by_text("Import abgelehnt").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_text("schließendes Anführungszeichen").first).to_be_visible()
    assert healthy(app_url)
