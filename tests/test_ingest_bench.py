"""The ingest benchmark's baselines do the same work as the ingest (#17 part 4): pandas reads
every data row of the file, the polars + DuckDB script inserts as many facts as the ingest."""

from __future__ import annotations

import duckdb
import pytest

from analytics.settings import get_settings
from benchmarks import ingest as B
from pipelines.statistics import constants as C

ROWS = 1_203  # 3 rows per Kreis of the reference table and some


@pytest.fixture
def isolated(monkeypatch):
    for name in ("COCKPIT_DATA_DIR", "COCKPIT_CONFIG"):
        monkeypatch.setenv(name, "unset")  # ingest_seconds sets them; restored after the test
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize("family", [C.BA_DATENBANK, C.REGIO_FFCSV, C.REGIO_FLAT])
def test_pandas_reads_every_data_row_of_a_csv_family(tmp_path, family):
    path = B.GENERATORS[family](tmp_path, ROWS)
    rows, seconds, cpu = B.pandas_seconds(path, family)
    # the Datenbank export ends with two lines of notes (source, creation date)
    assert rows == ROWS + (2 if family == C.BA_DATENBANK else 0)
    assert seconds > 0 and cpu >= 0


@pytest.mark.parametrize("family", [C.BA_LABOUR_MARKET, C.BA_EMPLOYMENT, C.BA_ECKWERTE])
def test_the_script_inserts_the_facts_of_the_ingest(tmp_path, isolated, family):
    path = B.GENERATORS[family](tmp_path, ROWS)
    loaded, _, _, _ = B.ingest_seconds(path, tmp_path / "run")
    facts, _, _ = B.polars_duckdb_seconds(path, family, tmp_path)
    # measures per row: Arbeitslose + Stellen; SVB insgesamt, Vollzeit, Teilzeit; Eckwerte 1
    per_row = {C.BA_LABOUR_MARKET: 2, C.BA_EMPLOYMENT: 3, C.BA_ECKWERTE: 1}[family]
    assert loaded == facts == ROWS * per_row
    [script_db] = tmp_path.glob("script-*.duckdb")
    con = duckdb.connect(str(script_db), read_only=True)
    try:
        columns = {r[0]: r[1] for r in con.execute("DESCRIBE facts").fetchall()}
        suppressed = con.execute("SELECT count(*) FROM facts WHERE flag = 'suppressed'").fetchall()[0][0]
    finally:
        con.close()
    assert columns["value"] == "DOUBLE" and columns["period"] == "DATE"
    assert {"code", "measure", "flag", "breakdown", "region_level"} <= set(columns)
    # every 97th generated value is "*" (v = i * 7919 % 5000; Eckwerte has none)
    expected = sum(1 for i in range(ROWS) if i * 7919 % 5000 % 97 == 0) * per_row
    assert suppressed == (0 if family == C.BA_ECKWERTE else expected)
