"""Falldaten importieren and Datenqualität: query functions and AppTest (#4).

The warehouse holds one import of tests/case_files.BASE in which firm E2 breaks one rule
(Tarifgebunden 'vielleicht'): counts and completeness below are computed by hand from BASE.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analytics import data_quality
from analytics.db import connect
from pipelines.cases.importer import import_path, stage_upload
from pipelines.reference import load_reference
from pipelines.warehouse import publish
from tests.case_files import BASE, base, set_cell, write_csv

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def imported(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    load_reference(settings)
    files = base()
    set_cell(files, "betriebe.csv", 3, "Tarifgebunden", "vielleicht")
    import_path(settings, write_csv(tmp_path / "export", files))
    publish(settings)
    return get_settings()


def test_data_quality_queries(imported):
    con = connect(imported.warehouse_path)
    history = data_quality.imports(con)
    assert history.select("step", "rows_read", "rows_loaded", "rows_quarantined", "rows_new").rows() == [
        ("cases", 17, 16, 1, 16)
    ]
    load_id = history["load_id"][0]
    sheets = data_quality.import_sheets(con, load_id)
    assert sheets["sheet"].to_list() == ["Betriebe", "Bedarfe", "Teilnehmende", "Ereignisse", "Förderung"]
    assert sheets.filter(sheet="Betriebe").select("rows_read", "rows_loaded", "rows_quarantined").row(0) == (
        3,
        2,
        1,
    )
    rejected = data_quality.quarantined_rows(con, load_id, role="agency")
    assert rejected.select("source_file", "row_number", "column_name").rows() == [
        ("betriebe.csv", 4, "Tarifgebunden")
    ]
    assert data_quality.quarantined_rows(con, load_id + 1, role="agency").is_empty()
    complete = {
        r["field"]: (r["rows"], r["filled"]) for r in data_quality.completeness(con).iter_rows(named=True)
    }
    con.close()
    # F1-F3 have an old job end, F1 and F2 a wage; job starts F1 (wage, KldB) and F3 (none)
    assert complete["Teilnehmende: Ende altes Arbeitsverhältnis (für die Nahtlos-Quote)"] == (4, 3)
    assert complete["Teilnehmende: bisheriger Lohn (für das Lohnverhältnis)"] == (4, 2)
    assert complete["Arbeitsaufnahmen: neuer Lohn"] == (2, 1)
    assert complete["Betriebe: WZ-Abteilung"] == (2, 2)


def run_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_data_quality_page_shows_imports_quarantine_and_completeness(imported):
    at = run_page("app_pages/data_quality.py")
    assert at.title[0].value == "Datenqualität der Falldaten"
    imports_table = at.dataframe[0].value
    assert imports_table["Quarantäne"].tolist() == [1]
    quarantine = at.dataframe[2].value
    assert quarantine["Zeile"].tolist() == [4]
    assert "nicht ja/nein" in quarantine["Grund"].iloc[0]
    assert "vielleicht" not in quarantine["Grund"].iloc[0]  # the value itself is never stored (#9)
    assert at.get("download_button")[0].proto.label == "Excel herunterladen"
    completeness = at.dataframe[3].value
    assert "75,0 %" in completeness["Anteil gefüllt"].str.replace("\u00a0", " ").tolist()


def test_data_quality_page_hides_rows_from_other_roles(imported, monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "ministry")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    at = run_page("app_pages/data_quality.py")
    assert len(at.dataframe) == 3  # imports, sheets, completeness: no quarantined rows
    assert any("Anzahl: 1" in i.value for i in at.info)


def test_import_page_offers_the_template_and_publishes_a_staged_upload(imported, tmp_path):
    at = run_page("app_pages/case_import.py")
    assert at.title[0].value == "Falldaten importieren"
    assert at.get("download_button")[0].proto.label.startswith("Importvorlage herunterladen")
    # AppTest cannot upload: the page shows what stage_upload (tested directly) returns
    files = base()
    files["teilnehmende.csv"].append(["F5", "R1", "03254", "", "", "05.02.2026", "", "", ""])
    files["teilnehmende.csv"].append(["F6", "R9", "03254", "", "", "05.02.2026", "", "", ""])
    folder = write_csv(tmp_path / "upload", files)
    report = stage_upload(imported, [(n, (folder / n).read_bytes()) for n in BASE], role="agency")
    at.session_state["case_import"] = report
    at.run()
    assert not at.exception
    preview = at.dataframe[0].value
    row = preview[preview["Blatt"] == "Teilnehmende"].iloc[0]
    assert (row["gelesen"], row["neu"], row["unverändert"], row["Quarantäne"]) == (6, 1, 4, 1)
    issues = at.dataframe[1].value
    assert issues["Zeile"].tolist() == [7] and "unbekannt" in issues["Grund"].iloc[0]
    at.button(key="case_publish").click().run()
    assert not at.exception
    assert any("Veröffentlicht" in s.value for s in at.success)
    con = connect(imported.warehouse_path)
    assert con.execute("SELECT count(*) FROM participant").fetchall() == [(5,)]
    con.close()
    # the app itself now reads the new warehouse: the second import is listed
    at.switch_page("app_pages/data_quality.py").run()
    assert at.dataframe[0].value["Lauf"].tolist() == [3, 2]


def test_import_page_is_reserved_for_the_agency(imported, monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "ministry")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    # not registered for the ministry (app_pages.auth.pages_for): there is no page to switch to
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/case_import.py")


def test_both_pages_in_english(imported):
    """Each page on its own (AppTest cannot re-run the router's format_func selectboxes after
    a language change on another page)."""
    root = Path(APP).parent
    at = AppTest.from_file(APP, default_timeout=60)  # signed in as the agency (conftest)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(root / "app_pages" / "data_quality.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Data quality of the case data"
    assert "Share filled" in at.dataframe[3].value.columns
    assert at.dataframe[2].value["Reason"].str.contains("not yes/no").all()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page(str(root / "app_pages" / "case_import.py")).run()
    assert not at.exception
    assert at.title[0].value == "Import case data"
    assert at.get("download_button")[0].proto.label.startswith("Download the import template")


def test_import_sheets_lists_dropped_columns_as_text():
    """The data-quality table shows dropped identifying columns as text, '–' for none."""
    import duckdb

    from analytics.data_quality import import_sheets

    con = duckdb.connect()
    con.execute(
        "CREATE TABLE import_log (load_id BIGINT, sheet VARCHAR, source_file VARCHAR, "
        "rows_read INT, rows_loaded INT, rows_quarantined INT, rows_new INT, "
        "rows_updated INT, rows_unchanged INT, dropped_columns VARCHAR)"
    )
    con.execute(
        "INSERT INTO import_log VALUES (1, 'Teilnehmende', 'f.csv', 2, 2, 0, 2, 0, 0, "
        "'[\"Name\", \"SV-Nummer\"]'), (1, 'Betriebe', 'f.csv', 1, 1, 0, 1, 0, 0, '[]')"
    )
    assert import_sheets(con, 1)["dropped_columns"].to_list() == ["Name, SV-Nummer", "–"]


def test_imports_shown_formats_time_and_label_without_callbacks():
    history = pl.DataFrame(
        {"load_id": [12, 3], "loaded_at": [datetime(2026, 9, 30, 8, 5), datetime(2026, 1, 2, 17, 45)]}
    ).with_columns(source=pl.Series(["falldaten.xlsx", "export/"]))
    de = data_quality.imports_shown(history, "de")
    assert de["loaded_at"].to_list() == ["30.09.2026 08:05", "02.01.2026 17:45"]
    assert de["label"].to_list() == ["12 · falldaten.xlsx", "3 · export/"]
    assert data_quality.imports_shown(history, "en")["loaded_at"].to_list() == [
        "30 Sept 2026 08:05",
        "2 Jan 2026 17:45",
    ]
