"""Ingest at Germany scale (#17 part 4): a revision merges only within the file's reference
dates, loads run under the memory limit of the settings. Timings are in the README (the
benchmark), never asserted here."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest
from pydantic import ValidationError

from analytics.settings import Settings
from pipelines.errors import PipelineError
from pipelines.merge import merge_rows
from pipelines.reference import load_reference
from pipelines.statistics.ingest import ingest_paths
from pipelines.warehouse import ambient_session, connect_session, publish, staging
from tests.statistics_files import write_xlsx
from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet, rows

D = date.fromisoformat


@pytest.fixture
def ready(settings):
    """Reference data loaded and published: the state a real ingest starts from."""
    load_reference(settings)
    publish(settings)
    return settings


def _headline(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE fact_headline (ags VARCHAR, period DATE, indicator VARCHAR, value DOUBLE)")
    con.execute(
        "INSERT INTO fact_headline VALUES ('03254', DATE '2026-01-01', 'u', 1), "
        "('03254', DATE '2026-02-01', 'u', 2), ('03254', DATE '2026-02-01', 'v', 3)"
    )


def test_a_merge_within_the_file_dates_touches_only_those_dates():
    con = duckdb.connect()
    _headline(con)
    incoming = pl.DataFrame(
        {
            "ags": ["03254", "03254"],
            "period": [D("2026-01-01")] * 2,
            "indicator": ["u", "w"],  # u: revised January value, w: new in January
            "value": [10.0, 30.0],
        }
    )
    con.register("_in", incoming.to_arrow())
    written = merge_rows(con, "fact_headline", "_in", incoming.columns, within=("period", [D("2026-01-01")]))
    assert written == 2  # 1 updated (January u) + 1 inserted (January w)
    assert con.execute("SELECT period, indicator, value FROM fact_headline ORDER BY 1, 2").fetchall() == [
        (D("2026-01-01"), "u", 10.0),
        (D("2026-01-01"), "w", 30.0),
        (D("2026-02-01"), "u", 2.0),  # February as it was
        (D("2026-02-01"), "v", 3.0),
    ]


def test_a_merge_within_dates_keeps_the_columns_the_incoming_rows_lack():
    con = duckdb.connect()
    _headline(con)
    con.execute("ALTER TABLE fact_headline ADD COLUMN note VARCHAR DEFAULT 'held'")
    incoming = pl.DataFrame(
        {
            "ags": ["03254", "03254"],
            "period": [D("2026-02-01")] * 2,
            "indicator": ["u", "w"],
            "value": [20.0, 40.0],
        }
    )
    con.register("_in", incoming.to_arrow())
    written = merge_rows(con, "fact_headline", "_in", incoming.columns, within=("period", [D("2026-02-01")]))
    assert written == 2  # February u updated, February w inserted
    assert con.execute(
        "SELECT period, indicator, value, note FROM fact_headline ORDER BY 1, 2"
    ).fetchall() == [
        (D("2026-01-01"), "u", 1.0, "held"),
        (D("2026-02-01"), "u", 20.0, "held"),  # updated: its note stays
        (D("2026-02-01"), "v", 3.0, "held"),
        (D("2026-02-01"), "w", 40.0, "held"),  # inserted without a note: the column default
    ]


def test_a_merge_within_dates_deletes_the_matched_rows_the_caller_found_by_rowid():
    con = duckdb.connect()
    _headline(con)
    incoming = pl.DataFrame(
        {
            "ags": ["03254", "03254"],
            "period": [D("2026-02-01")] * 2,
            "indicator": ["u", "w"],
            "value": [20.0, 40.0],
        }
    )
    con.register("_in", incoming.to_arrow())
    # the caller's join found February u (held value 2) as the one matched row
    con.execute(
        "CREATE TEMP TABLE _m AS SELECT t.rowid AS _rowid FROM fact_headline t JOIN _in i "
        "ON t.ags = i.ags AND t.period = i.period AND t.indicator = i.indicator"
    )
    assert con.execute("SELECT count(*) FROM _m").fetchall() == [(1,)]
    written = merge_rows(
        con, "fact_headline", "_in", incoming.columns, within=("period", [D("2026-02-01")]), matched="_m"
    )
    assert written == 2  # February u replaced, February w inserted
    assert con.execute("SELECT period, indicator, value FROM fact_headline ORDER BY 1, 2").fetchall() == [
        (D("2026-01-01"), "u", 1.0),  # January as it was
        (D("2026-02-01"), "u", 20.0),
        (D("2026-02-01"), "v", 3.0),  # not incoming: stays
        (D("2026-02-01"), "w", 40.0),
    ]
    # replaced whole only: a table with columns the incoming rows lack keeps the MERGE path
    con.execute("ALTER TABLE fact_headline ADD COLUMN note VARCHAR")
    with pytest.raises(PipelineError, match="every column"):
        merge_rows(
            con, "fact_headline", "_in", incoming.columns, within=("period", [D("2026-02-01")]), matched="_m"
        )


def test_a_merge_within_dates_refuses_rows_of_other_dates():
    con = duckdb.connect()
    _headline(con)
    incoming = pl.DataFrame(
        {"ags": ["03254"], "period": [D("2026-02-01")], "indicator": ["u"], "value": [20.0]}
    )
    con.register("_in", incoming.to_arrow())
    # restricted to January, a February row could not match its twin and would be a duplicate
    with pytest.raises(PipelineError, match="outside"):
        merge_rows(con, "fact_headline", "_in", incoming.columns, within=("period", [D("2026-01-01")]))
    assert con.execute(
        "SELECT value FROM fact_headline WHERE period = '2026-02-01' AND indicator = 'u'"
    ).fetchall() == [(2.0,)]


def test_a_revised_month_replaces_exactly_that_month(ready, tmp_path):
    january = write_xlsx(tmp_path / "alo-2026-01.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    february = write_xlsx(
        tmp_path / "alo-2026-02.xlsx",
        {"T": labour_market_sheet(month="Februar 2026", created="25.02.2026")},
        {"T": LM_MERGES},
    )
    ingest_paths(ready, [january, february])
    february_before = rows(
        ready,
        "SELECT ags, kldb, measure, breakdown, value, source_file, load_id FROM fact_labour_market "
        "WHERE period = DATE '2026-02-01' ORDER BY ALL",
    )
    assert len(february_before) == 30
    revised = write_xlsx(
        tmp_path / "alo-2026-01-rev.xlsx",
        {"T": labour_market_sheet(v252=130, created="26.02.2026")},  # only 252 in Hildesheim differs
        {"T": LM_MERGES},
    )
    [revision] = ingest_paths(ready, [revised])
    # the 30 January facts of the first file are replaced (one of them with another value);
    # none of February's 30
    assert revision.rows_replaced == 30 and revision.revision.endswith("alo-2026-01.xlsx")
    assert rows(ready, "SELECT count(*) FROM fact_labour_market") == [(60,)]
    assert rows(
        ready, "SELECT DISTINCT source_file FROM fact_labour_market WHERE period = DATE '2026-01-01'"
    ) == [("alo-2026-01-rev.xlsx",)]
    assert (
        rows(
            ready,
            "SELECT ags, kldb, measure, breakdown, value, source_file, load_id FROM fact_labour_market "
            "WHERE period = DATE '2026-02-01' ORDER BY ALL",
        )
        == february_before
    )
    assert rows(
        ready,
        "SELECT value FROM fact_labour_market WHERE period = DATE '2026-01-01' AND ags = '03254' "
        "AND kldb = '252' AND measure = 'unemployed' AND breakdown = 'TOTAL'",
    ) == [(130.0,)]


def test_loads_run_under_the_memory_limit_of_the_settings(ready):
    settings = ready.model_copy(update={"ingest_memory_limit": "512MB"})
    session = ambient_session(settings)
    with staging(settings, session=session) as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit == "488.2 MiB"  # 512 MB = 512 * 10^6 bytes = 488.28 MiB, as DuckDB shows it
    con = connect_session(session, "1GiB")
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == "1.0 GiB"
    finally:
        con.close()


def test_every_connection_of_an_ingest_and_its_publish_has_the_memory_limit(ready, tmp_path, monkeypatch):
    """Not only the load: the check by hash, a new staging file, the derived tables and the
    audit table at publish all run under ``ingest_memory_limit`` (#17)."""
    from pipelines.warehouse import discard, open_session

    settings = ready.model_copy(update={"ingest_memory_limit": "300MB"})
    path = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    seen: list[tuple[str, dict]] = []
    connect = duckdb.connect

    def recording(database=":memory:", *args, **kwargs):
        seen.append((str(database), dict(kwargs.get("config") or {})))
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", recording)
    [report] = ingest_paths(settings, [path])
    discard(settings, open_session(settings, "test", fresh=True))  # a new, empty staging file
    monkeypatch.setattr(duckdb, "connect", connect)
    assert report.status == "loaded"
    files = [(db, config) for db, config in seen if db not in ("", ":memory:")]
    assert len(files) >= 4  # staging, derived tables, audit table, the fresh staging
    assert all(config.get("memory_limit") == "300MB" for _, config in files), files


def test_a_memory_limit_without_a_unit_is_refused():
    with pytest.raises(ValidationError):
        Settings(ingest_memory_limit="2000")


# ------------------------------------------------------------------ Germany-scale generator (part 5)


def test_the_generator_writes_5_digit_kldb_codes_deterministically(ready, tmp_path):
    from benchmarks.germany import germany_labour_market_file, kldb_5_digit_codes, months

    codes = kldb_5_digit_codes(1441)
    groups = {r[0] for r in rows(ready, "SELECT code FROM occupation WHERE length(code) = 3")}
    assert len(set(codes)) == 1441 and all(len(c) == 5 and c.isdigit() and c[:3] in groups for c in codes)
    assert codes == kldb_5_digit_codes(1441)
    assert months(date(2026, 10, 1), 3) == [D("2026-08-01"), D("2026-09-01"), D("2026-10-01")]
    kreise, few = ["03157", "03254"], codes[:3]
    for name in "abc":
        (tmp_path / name).mkdir()
    first = germany_labour_market_file(tmp_path / "a", kreise, few, D("2026-09-01"), D("2026-10-20"))
    again = germany_labour_market_file(tmp_path / "b", kreise, few, D("2026-09-01"), D("2026-10-20"))
    assert first.read_bytes() == again.read_bytes()
    [report] = ingest_paths(ready, [first])
    # 2 Kreise × 3 codes × 2 measures (Arbeitslose, gemeldete Arbeitsstellen) = 12 facts
    assert report.status == "loaded" and report.rows_loaded == 12
    assert rows(
        ready,
        "SELECT DISTINCT length(kldb), period FROM fact_labour_market WHERE source_file = ?",
        [first.name],
    ) == [(5, D("2026-09-01"))]
    # a later creation date revises every value of the month (the benchmark's revision)
    revised = germany_labour_market_file(tmp_path / "c", kreise, few, D("2026-09-01"), D("2026-10-30"))
    [revision] = ingest_paths(ready, [revised])
    assert revision.rows_replaced == 12 and revision.rows_loaded == 12


def test_a_revision_keeps_the_keys_a_newer_vintage_holds_and_replaces_the_others(ready, tmp_path):
    """v1 both Kreise (30 cells: Hildesheim 3 rows × 6, Peine 2 × 6), then v3 (newest)
    Hildesheim only, then v2 both: v2's Hildesheim cells stay out (v3 is newer), its Peine
    cells replace v1's."""

    def sheet(v252: int, created: str, peine: bool = True) -> list[list]:
        cells = labour_market_sheet(v252=v252, created=created)
        return cells if peine else cells[:10] + cells[12:]

    v1 = write_xlsx(tmp_path / "alo-v1.xlsx", {"T": sheet(120, "28.01.2026")}, {"T": LM_MERGES})
    v3 = write_xlsx(tmp_path / "alo-v3.xlsx", {"T": sheet(140, "20.02.2026", False)}, {"T": LM_MERGES})
    v2 = write_xlsx(tmp_path / "alo-v2.xlsx", {"T": sheet(130, "10.02.2026")}, {"T": LM_MERGES})
    [first] = ingest_paths(ready, [v1])
    [newest] = ingest_paths(ready, [v3])
    [middle] = ingest_paths(ready, [v2])
    assert (first.rows_loaded, newest.rows_loaded, newest.rows_replaced) == (30, 18, 18)
    assert (middle.rows_loaded, middle.rows_replaced, middle.rows_kept_newer) == (12, 12, 18)
    assert rows(
        ready, "SELECT ags, source_file, count(*) FROM fact_labour_market GROUP BY 1, 2 ORDER BY 1"
    ) == [("03157", "alo-v2.xlsx", 12), ("03254", "alo-v3.xlsx", 18)]
    assert rows(
        ready,
        "SELECT value FROM fact_labour_market WHERE ags = '03254' AND kldb = '252' "
        "AND measure = 'unemployed' AND breakdown = 'TOTAL'",
    ) == [(140.0,)]
