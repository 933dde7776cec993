"""Upload limits (#9, item 2): hostile files are refused before any cell is read, and the
process lives to say so.

The files are tiny (tests/hostile_files.py): the hostile part is an extent or an unpacked
size, not bytes. Where a limit is about size, the test lowers the limit (settings
``upload.*``) instead of writing hundreds of megabytes. Without the guard the stray cell at
XFD1048576 makes calamine ask for 512 GiB and abort the process (exit 134); the CLI test runs
in a subprocess with a memory cap, so the old code fails it fast instead of taking the test
run down.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tomllib
from pathlib import Path

import duckdb
import pytest

from analytics.settings import PROJECT_ROOT, Settings
from pipelines.cases import read as case_read
from pipelines.cases.importer import stage_upload
from pipelines.reference import load_reference
from pipelines.statistics.detect import parse_bytes
from pipelines.statistics.ingest import process_uploads
from pipelines.statistics.model import ParseError
from pipelines.warehouse import PipelineError, pending_sessions, publish
from pipelines.workbook_guard import UploadRefused, check_file
from tests import hostile_files as H
from tests.case_files import fill_template
from tests.conftest import make_settings
from tests.statistics_files import write_csv, write_xls, write_xlsx
from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet

LIMIT_WORDS = ("erlaubt sind höchstens", "the limit is")


@pytest.fixture
def ready(settings):
    load_reference(settings)
    publish(settings)
    return settings


def statistics_workbook(tmp_path: Path) -> bytes:
    return write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES}).read_bytes()


def case_workbook(tmp_path: Path) -> bytes:
    rows = [["R1", "Zulieferer GmbH", "abgebend", 29, "03254", None, "ja", "ja", None, None]]
    return fill_template(tmp_path / "faelle.xlsx", {"Betriebe": rows}).read_bytes()


def rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_limit_message(message: str, *parts: str) -> None:
    for word in (*LIMIT_WORDS, *parts):
        assert word in message, (word, message)


# ------------------------------------------------------------------- the guard itself


def test_streamlit_upload_size_matches_the_setting():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == Settings().upload.max_file_mb


def test_a_valid_workbook_passes_with_its_extent(tmp_path):
    # labour_market_sheet: 16 rows, columns A..H; one-letter columns are bounded by Z
    (extent,) = check_file("alo.xlsx", statistics_workbook(tmp_path))
    assert (extent.sheet, extent.rows, extent.member) == ("T", 16, "xl/worksheets/sheet1.xml")
    assert 8 <= extent.columns <= 26


@pytest.mark.parametrize(
    ("ref", "found"),
    [
        ("XFD1048576", "Zeile 1.048.576 und Spalte XFD (16.384)"),  # the file
        ("A300001", "Zeile 300.001 und Spalte"),  # one row beyond the row cap, column A
        ("ALM1", "Spalte ALM (1.001)"),  # one column beyond the column cap, row 1
        ("ZZ20000", "Zeile 20.000 und Spalte ZZ (702)"),  # within both caps, 14 M cells
    ],
)
def test_stray_cell_beyond_the_caps_is_refused(tmp_path, ref, found):
    data = H.with_cell(statistics_workbook(tmp_path), "T", ref)
    with pytest.raises(UploadRefused) as refused:
        check_file("alo.xlsx", data)
    assert refused.value.sheet == "T"
    assert_limit_message(str(refused.value), "alo.xlsx", found, "300.000 Zeilen", "1.000 Spalten")


def test_stray_cell_within_the_caps_passes(tmp_path):
    # row cap exactly, one-letter columns (bounded by Z): 300,000 x 26 = 7.8 M cells <= 10 M
    (extent,) = check_file("alo.xlsx", H.with_cell(statistics_workbook(tmp_path), "T", "J300000"))
    assert (extent.rows, extent.columns) == (300_000, 26)
    (wide,) = check_file("alo.xlsx", H.with_cell(statistics_workbook(tmp_path), "T", "ALL1"))
    assert (wide.rows, wide.columns) == (16, 1_000)


def test_declared_dimension_beyond_the_caps_is_refused(tmp_path):
    data = H.with_dimension(statistics_workbook(tmp_path), "T", "A1:XFD1048576")
    with pytest.raises(UploadRefused, match="deklariert bis Zeile 1.048.576"):
        check_file("alo.xlsx", data)


def test_cells_without_reference_are_followed(tmp_path):
    """Cells without 'r' (allowed by the format) take the next column, as readers do."""
    cells = b"<c><v>1</v></c>" * 1_001
    data = H.edit_sheet(
        statistics_workbook(tmp_path),
        "T",
        lambda x: x.replace(b"</sheetData>", b'<row r="41">' + cells + b"</row></sheetData>"),
    )
    with pytest.raises(UploadRefused, match=r"Zeile 41 und Spalte ALM \(1.001\)"):
        check_file("alo.xlsx", data)


def test_file_size_unpacked_size_and_ratio(tmp_path):
    data = statistics_workbook(tmp_path)
    small = Settings().upload.model_copy(update={"max_file_mb": 0})
    with pytest.raises(UploadRefused, match="höchstens 0 MB") as refused:
        check_file("alo.xlsx", data, small)
    assert "upload.max_file_mb" in str(refused.value)
    bomb = H.with_padding(data, "T", 3)  # 3 MB of empty rows
    assert len(bomb) < 100_000
    with pytest.raises(UploadRefused, match="entpackt 3 MB; erlaubt sind höchstens 2 MB"):
        check_file("alo.xlsx", bomb, Settings().upload.model_copy(update={"max_unpacked_mb": 2}))
    with pytest.raises(UploadRefused, match=r"Teil 'xl/worksheets/sheet1.xml' ist [\d.]+-fach komprimiert"):
        check_file("alo.xlsx", bomb)


def test_xls_sheet_beyond_the_caps_is_refused(tmp_path):
    data = write_xls(tmp_path / "a.xls", {"T": [[i, i] for i in range(30)]}).read_bytes()
    assert check_file("a.xls", data)[0].rows == 30
    with pytest.raises(UploadRefused, match="Zeile 30 und Spalte B"):
        check_file("a.xls", data, Settings().upload.model_copy(update={"max_rows": 20}))


# ------------------------------------------------------------ through the readers


def test_statistics_reader_refuses_with_a_parse_error(tmp_path):
    data = H.with_cell(statistics_workbook(tmp_path), "T")
    with pytest.raises(ParseError) as refused:
        parse_bytes("alo.xlsx", data)
    text = str(refused.value)
    assert text.startswith("Datei/file 'alo.xlsx', Blatt/sheet 'T': Zellen belegt bis Zeile 1.048.576")
    assert "Bitte überzählige Zellen unterhalb und rechts der Daten löschen" in text


def test_statistics_upload_rejects_and_the_warehouse_stays(ready, tmp_path, monkeypatch):
    """What the page 'Statistik laden' does with the uploads: the hostile file is rejected
    with the message, the good one beside it is loaded, the process lives."""
    from analytics.settings import get_settings

    good = statistics_workbook(tmp_path)
    bad = H.with_cell(good, "T")
    csv = write_csv(tmp_path / "big.csv", ["KreisID;Kreis;Arbeitslose"] + ["03254;Hildesheim;1"] * 30)
    with monkeypatch.context() as patched:  # only for the CSV below
        patched.setenv("COCKPIT_UPLOAD__MAX_FILE_MB", "0")
        get_settings.cache_clear()
        (too_big,) = process_uploads(get_settings(), [("big.csv", csv.read_bytes())], role="agency")
    get_settings.cache_clear()
    assert too_big.status == "rejected" and "höchstens 0 MB" in too_big.message
    reports = process_uploads(ready, [("stray.xlsx", bad), ("alo.xlsx", good)], role="agency")
    assert [r.status for r in reports] == ["rejected", "loaded"]
    assert "Zellen belegt bis Zeile 1.048.576" in reports[0].message
    assert rows(ready.warehouse_path, "SELECT DISTINCT source_file FROM fact_labour_market") == [
        ("alo.xlsx",)
    ]


def test_case_upload_refused_leaves_no_staging_file(ready, tmp_path):
    before = (ready.warehouse_path).read_bytes()
    for data in (
        H.with_cell(case_workbook(tmp_path), "Betriebe"),
        H.with_dimension(case_workbook(tmp_path), "Teilnehmende", "A1:XFD1048576"),
        H.with_padding(case_workbook(tmp_path), "Betriebe", 2),
    ):
        with pytest.raises(PipelineError, match="erlaubt sind höchstens|komprimiert"):
            stage_upload(ready, [("faelle.xlsx", data)], role="agency")
        assert not pending_sessions(ready)
    assert ready.warehouse_path.read_bytes() == before


def test_case_header_is_checked_before_the_body_is_read(ready, tmp_path, monkeypatch):
    """A sheet whose header lacks a required column is refused on row 1: the body is never
    read (a 600 MB body would otherwise be read for nothing)."""
    data = fill_template(tmp_path / "f.xlsx", {"Bedarfe": [["R1", "15.01.2026", "Abbau", "252", 4]] * 50})
    data = H.edit_sheet(data.read_bytes(), "Bedarfe", lambda x: x.replace(b">Art<", b">Typ<"))

    read_body = case_read._body

    def body(headers, rows):
        assert "Typ" not in headers, "the body of the refused sheet was read"
        return read_body(headers, rows)

    monkeypatch.setattr(case_read, "_body", body)
    with pytest.raises(PipelineError, match=r"Blatt 'Bedarfe': Pflichtspalte\(n\) fehlen .*: Art"):
        case_read.read_files([("f.xlsx", data)])


def test_case_csv_over_the_row_cap(tmp_path):
    make_settings(tmp_path / "data", COCKPIT_UPLOAD__MAX_ROWS="3")
    text = "Quartalsbeginn;Geplant (EUR)\n" + "01.01.2026;1\n" * 4
    with pytest.raises(PipelineError, match="mehr als 3 Zeilen"):
        case_read.read_files([("foerderung.csv", text.encode())])
    case_read.read_files(
        [("foerderung.csv", ("Quartalsbeginn;Geplant (EUR)\n" + "01.01.2026;1\n" * 3).encode())]
    )


# ------------------------------------------------------------------------- the CLI


def _capped() -> None:  # the child may not take more than 3 GB of address space
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


@pytest.mark.parametrize("step", ["ingest", "cases"])
def test_cli_exits_1_with_the_message(ready, tmp_path, step):
    if step == "ingest":
        path = tmp_path / "stray.xlsx"
        path.write_bytes(H.with_cell(statistics_workbook(tmp_path), "T"))
    else:  # as Excel saves it: the cell and a dimension that covers it
        path = tmp_path / "faelle.xlsx"
        path.write_bytes(H.with_dimension(H.with_cell(case_workbook(tmp_path), "Betriebe"), "Betriebe"))
    env = {**os.environ, "COCKPIT_DATA_DIR": str(ready.data_dir)}
    done = subprocess.run(
        [sys.executable, "-m", "pipelines", step, str(path)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_capped,
    )
    assert done.returncode == 1, (done.returncode, done.stdout, done.stderr)
    assert "bis Zeile 1.048.576 und Spalte XFD (16.384); erlaubt sind" in done.stdout + done.stderr


def test_readme_names_every_upload_limit_with_its_default():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Upload-Grenzen / Upload limits", 1)[1].split("\n## ", 1)[0]
    defaults = Settings().upload
    for name in type(defaults).model_fields:
        line = next(row for row in section.splitlines() if f"`{name}`" in row)
        value = getattr(defaults, name)
        assert f"{value:,}" in line or f"{value:,}".replace(",000,000", " million") in line, (name, line)


def test_upload_pages_state_the_limits(tiny_settings, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")
    monkeypatch.setenv("COCKPIT_UPLOAD__MAX_ROWS", "1234")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    for page in ("app_pages/statistics_upload.py", "app_pages/case_import.py"):
        at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        captions = " ".join(c.value for c in at.caption)
        assert "Höchstens 50 MB je Datei, 1.234 Zeilen, 1.000 Spalten und 10.000.000 Zellen" in captions


def test_rejected_statistics_upload_leaves_no_staging_file(ready, tmp_path):
    warehouse = ready.warehouse_path
    assert not pending_sessions(ready)
    (report,) = process_uploads(
        ready, [("stray.xlsx", H.with_cell(statistics_workbook(tmp_path), "T"))], role="agency"
    )
    assert report.status == "rejected"
    assert not pending_sessions(ready)
    assert not list(warehouse.parent.glob(f"{warehouse.stem}.session-*"))


def test_cli_ingest_checks_the_size_before_reading(ready, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from pipelines.cli import app

    big = tmp_path / "big.xlsx"
    big.write_bytes(statistics_workbook(tmp_path))
    monkeypatch.setenv("COCKPIT_UPLOAD__MAX_FILE_MB", "0")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} was read"))
    result = CliRunner().invoke(app, ["ingest", str(big)])
    assert result.exit_code == 1
    assert "big.xlsx: Datei ist 0,0 MB groß; erlaubt sind höchstens 0 MB" in result.output


@pytest.mark.parametrize(
    "row",
    [
        b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",  # single quotes are XML too
        b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',  # a namespace prefix
        b'<row r="1048576" spans="1:2"><c s="1" r="XFD1048576"><v>1</v></c></row>',  # r not first
    ],
)
def test_unusual_spellings_of_a_cell_reference_are_followed(tmp_path, row):
    data = H.edit_sheet(
        statistics_workbook(tmp_path), "T", lambda x: x.replace(b"</sheetData>", row + b"</sheetData>")
    )
    with pytest.raises(UploadRefused, match=r"Zeile 1.048.576 und Spalte XFD"):
        check_file("alo.xlsx", data)


def test_a_malformed_reference_is_no_crash(tmp_path):
    row = b'<row r="17"><c r="AB"><v>1</v></c></row>'
    data = H.edit_sheet(
        statistics_workbook(tmp_path), "T", lambda x: x.replace(b"</sheetData>", row + b"</sheetData>")
    )
    (extent,) = check_file("alo.xlsx", data)
    assert extent.rows == 17
