"""AppTest for the 'Statistik laden' page: renders, shows the warehouse's ingest reports.

AppTest cannot upload files; what the page does with uploaded bytes is
``pipelines.statistics.ingest.process_uploads``, tested in test_statistics_ingest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pipelines.reference import load_reference
from pipelines.statistics.ingest import process_uploads
from pipelines.warehouse import publish
from tests.statistics_files import write_xlsx
from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(autouse=True)
def _agency(monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")  # the page is the agency's (#13)


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("app_pages/statistics_upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_renders_without_reports(tiny_settings):
    at = open_page()
    assert at.title[0].value == "Statistik laden"
    assert any("Noch keine Statistikdateien" in i.value for i in at.info)


def test_page_shows_the_last_ingest_reports(settings, tmp_path):
    load_reference(settings)
    publish(settings)
    data = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES}).read_bytes()
    process_uploads(settings, [("alo-januar.xlsx", data)], role="agency")
    at = open_page()
    table = at.dataframe[0].value
    assert table["source_file"].to_list() == ["alo-januar.xlsx"]
    assert table["rows_loaded"].to_list() == [30]
    assert table["reconciliation"].to_list() == ["ok"]
    assert table["family"].to_list() == ["BA: Arbeitslose / gemeldete Arbeitsstellen nach Berufen (KldB)"]
