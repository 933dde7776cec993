"""The ingest does no work it need not (#10, #17 part 4): an unchanged file is known by its
content hash before any parse, for every family and every way in; a BA Datenbanken CSV is read
in batches with the result of one read; Polars' allocator returns freed memory at once.

Memory itself is measured by ``python -m benchmarks csv-memory`` (README), never asserted here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.reference import load_reference
from pipelines.statistics import ba_datenbank, detect
from pipelines.statistics import constants as C
from pipelines.statistics.ingest import ingest_paths, process_uploads
from pipelines.warehouse import publish
from tests.statistics_files import write_csv
from tests.test_statistics_folder import FILES
from tests.test_statistics_ingest import DATENBANK

FLAT = [
    "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
    "1_Auspraegung_Code;1_Auspraegung_Label;ERWP01__Sozialversicherungspflichtig Beschäftigte am "
    "Arbeitsort__Anzahl;ERWP01__Sozialversicherungspflichtig Beschäftigte am Arbeitsort__q",
    "13111;Beschäftigtenstatistik;STAG;Stichtag;30.06.2023;KREISE;Kreise;03254;Hildesheim;94512;r",
]
# one file of every family (and of each way a family is read: .xls, Windows-1252 CSV)
BY_NAME = {name: build for name, build, _ in FILES}
FAMILY_FILES = {
    "01-sauber.xlsx": C.BA_LABOUR_MARKET,
    "20-alt.xls": C.BA_LABOUR_MARKET,
    "25-svb.xlsx": C.BA_EMPLOYMENT,
    "27-eckwerte.xlsx": C.BA_ECKWERTE,
    "31-datenbank.csv": C.BA_DATENBANK,
    "33-datenbank-cp1252.csv": C.BA_DATENBANK,
    "35-ffcsv.csv": C.REGIO_FFCSV,
    "38-flat.csv": C.REGIO_FLAT,
}


@pytest.fixture
def loaded(settings, tmp_path):
    """Every family's file loaded and published once: (settings, the files)."""
    load_reference(settings)
    publish(settings)
    folder = tmp_path / "first"
    folder.mkdir()
    for name in FAMILY_FILES:
        if name == "38-flat.csv":
            write_csv(folder / name, FLAT, "latin-1")
        else:
            BY_NAME[name](folder)
    reports = ingest_paths(settings, [folder])
    assert {r.source: (r.status, r.family) for r in reports} == {
        name: ("loaded", family) for name, family in FAMILY_FILES.items()
    }
    return settings, sorted(folder.iterdir())


@pytest.fixture
def no_parse(monkeypatch):
    """Fail on any parse or read of a file's content: detection, workbook, CSV decoding."""

    def refuse(*args, **kwargs):
        raise AssertionError("the content was read or parsed")

    from pipelines.statistics import ingest

    monkeypatch.setattr(ingest, "parse_bytes", refuse)
    monkeypatch.setattr(detect, "detect", refuse)
    monkeypatch.setattr(detect, "Workbook", refuse)
    monkeypatch.setattr(detect, "decode_csv", refuse)


def _copies(files: list[Path], folder: Path) -> list[Path]:
    """The same contents under other names (the hash decides, never the name)."""
    folder.mkdir()
    out = []
    for path in files:
        copy = folder / f"kopie-{path.name}"
        copy.write_bytes(path.read_bytes())
        out.append(copy)
    return out


def test_an_unchanged_file_of_every_family_is_not_parsed_one_at_a_time(loaded, tmp_path, no_parse):
    settings, files = loaded
    for copy in _copies(files, tmp_path / "again"):
        [report] = ingest_paths(settings, [copy])
        assert report.status == "unchanged" and report.source == copy.name
        assert report.family == FAMILY_FILES[copy.name.removeprefix("kopie-")]


def test_unchanged_files_of_every_family_are_not_parsed_in_one_run(loaded, tmp_path, no_parse):
    settings, files = loaded
    reports = ingest_paths(settings, _copies(files, tmp_path / "again"))
    assert [r.status for r in reports] == ["unchanged"] * len(files)
    assert [r.family for r in reports] == [FAMILY_FILES[f.name] for f in files]


def test_unchanged_uploads_of_every_family_are_not_parsed(loaded, no_parse):
    settings, files = loaded
    reports = process_uploads(settings, [(f"upload-{f.name}", f.read_bytes()) for f in files], "agency")
    assert [r.status for r in reports] == ["unchanged"] * len(files)


# --- a Datenbanken CSV in batches ----------------------------------------------------------------

DATENBANK_FILES = [name for name in BY_NAME if name.endswith(".csv") and "datenbank" in name]


def _parse(path: Path, batch_rows: int, monkeypatch):
    monkeypatch.setattr(ba_datenbank, "BATCH_ROWS", batch_rows)
    return detect.parse_bytes(path.name, path.read_bytes())


@pytest.mark.parametrize("name", DATENBANK_FILES)
def test_a_datenbank_csv_read_in_batches_gives_what_one_read_gives(name, tmp_path, monkeypatch):
    BY_NAME[name](tmp_path)
    path = tmp_path / name
    batches: list[int] = []
    collect = pl.LazyFrame.collect_batches

    def counted(self, *args, **kwargs):
        for batch in collect(self, *args, **kwargs):
            batches.append(batch.height)
            yield batch

    monkeypatch.setattr(pl.LazyFrame, "collect_batches", counted)
    try:
        whole = _parse(path, 10**9, monkeypatch)
    except Exception as exc:  # a file rejected whole is rejected the same in batches
        with pytest.raises(type(exc), match="."):
            _parse(path, 1, monkeypatch)
        return
    assert len(batches) == 1
    for size in (1, 2, 3):
        batches.clear()
        part = _parse(path, size, monkeypatch)
        assert len(batches) > 1 and max(batches) <= size  # really read in batches
        [(table, facts)] = part.facts.items()
        assert facts.equals(whole.facts[table]), size
        assert part.quarantine.equals(whole.quarantine)
        assert (part.reference_dates, part.vintage, part.skipped, part.rows_read) == (
            whole.reference_dates,
            whole.vintage,
            whole.skipped,
            whole.rows_read,
        )
        assert part.reconciled().summary() == whole.reconciled().summary()


def test_the_batches_hold_what_the_file_holds(tmp_path, monkeypatch):
    """DATENBANK by hand: data in CSV rows 6-12 (two Kreise with a 'Summe:' row each, the
    Land's 'Summe:' row), read in batches of two: every row once, in the file's order."""
    path = tmp_path / "export.csv"
    path.write_bytes("\n".join(DATENBANK).encode("utf-8"))
    parsed = _parse(path, 2, monkeypatch)
    facts = parsed.facts["fact_employment"]
    assert facts.select("_row", "ags", "region_level", "wz", "value", "flag").rows() == [
        (6, "03254", "kreis", "28", 3100.0, None),
        (7, "03254", "kreis", "29", 4200.0, None),
        (8, "03254", "kreis", "TOTAL", 7300.0, None),
        (9, "03157", "kreis", "28", None, "suppressed"),
        (10, "03157", "kreis", "29", None, "na"),
        (11, "03157", "kreis", "TOTAL", 900.0, None),
        (12, "03", "land", "TOTAL", 8200.0, None),
    ]
    assert (parsed.rows_read, parsed.skipped, parsed.quarantine.height) == (7, 0, 0)
    assert parsed.reconciled().status == "ok"


# --- the allocator ---------------------------------------------------------------------------------


def test_polars_allocator_returns_freed_memory_when_pipelines_load_first():
    """`python -m pipelines` and the benchmarks import the package before Polars: the setting is
    in the environment when Polars' allocator starts; an explicit setting is kept."""
    code = (
        "import sys, os; import pipelines; assert 'polars' not in sys.modules; "
        "print(os.environ['_RJEM_MALLOC_CONF'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "background_thread:true,dirty_decay_ms:50,muzzy_decay_ms:0"
    env["_RJEM_MALLOC_CONF"] = "dirty_decay_ms:5000"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "dirty_decay_ms:5000"
    app = (Path(__file__).resolve().parent.parent / "app.py").read_text(encoding="utf-8")
    setting = app.index('"_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:50,muzzy_decay_ms:0"')
    assert setting < app.index("import pandas")  # before anything that could import Polars
