"""Schema and provenance (#10 part 2): numbered migrations, a warehouse of the previous
schema migrated, declared keys and dispositions, load ids from one sequence on every row,
the one merge."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import polars as pl
import pytest

from pipelines.cases import schema as case_schema
from pipelines.cases.importer import import_path
from pipelines.merge import DISPOSITIONS, check_unique, merge_rows
from pipelines.reference import load_reference
from pipelines.statistics.ingest import ingest_paths
from pipelines.warehouse import (
    PipelineError,
    apply_schema,
    connect_session,
    migrations,
    open_session,
    publish,
    schema_sql,
    schema_version,
)
from tests.case_files import base, set_cell, write_csv
from tests.statistics_files import write_xlsx
from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet

VERSIONS = [v for v, _, _ in migrations()]


def column_types(con, table: str) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?", [table]
        ).fetchall()
    )


def old_warehouse(path) -> None:
    """A warehouse as the code before numbered migrations made it, with a little of everything."""
    con = duckdb.connect(str(path))
    con.execute(schema_sql())  # the schema of that time: no schema_version, no load_id columns
    con.execute(
        "INSERT INTO region VALUES ('03254', 'Hildesheim', 'Landkreis', '03', 'NI', 'H', NULL, ?)",
        [date(2026, 1, 1)],
    )
    con.execute("INSERT INTO occupation VALUES ('1', 1, 'Land', NULL, NULL)")
    con.execute("INSERT INTO sector VALUES ('29', 'division', 'Kfz', NULL, 'C', 'WZ2008')")
    con.execute("INSERT INTO automotive_chain VALUES ('29', 'core')")
    for load_id, step, status in [
        (1, "reference", "loaded"),
        (2, "ingest", "loaded"),
        (3, "cases", "loaded"),
    ]:
        con.execute(
            "INSERT INTO load_log VALUES (?, ?, 'src', ?, '{\"x\": 1}', ?, ?, 0.1)",
            [load_id, step, f"h{load_id}", status, datetime(2026, 11, load_id, 9)],
        )
    con.execute(
        "INSERT INTO ingest_report VALUES (2, 'alo.xlsx', 'file-hash', 'ba-alo-gemeldete-stellen-kldb', "
        "'2026-01-01,2026-02-01', NULL, 2, 0, 0, 0, NULL, 'ok', '', '[\"a warning\"]', ?)",
        [datetime(2026, 11, 2, 9)],
    )
    for period in (date(2026, 1, 1), date(2026, 2, 1)):
        con.execute(
            "INSERT INTO fact_labour_market (ags, period, kldb, measure, value, source_file, content_hash, "
            "publication, loaded_at) VALUES ('03254', ?, 'TOTAL', 'unemployed', 100, 'alo.xlsx', "
            "'file-hash', 'ba-alo-gemeldete-stellen-kldb', ?)",
            [period, datetime(2026, 11, 2, 9)],
        )
    con.execute(
        "INSERT INTO firm VALUES ('R1', 'R', 'releasing', '29', '03254', NULL, true, true, NULL, NULL)"
    )
    con.execute("INSERT INTO firm_need VALUES ('R1', DATE '2026-01-15', 'cut', '252', 40)")
    con.execute(
        "INSERT INTO participant VALUES ('p1', 'R1', '03254', NULL, 'w', DATE '2026-01-10', NULL, NULL, 3000)"
    )
    con.execute("INSERT INTO case_event VALUES ('p1', DATE '2026-01-10', 'entry', NULL, NULL, NULL, NULL)")
    con.execute("INSERT INTO funding VALUES (DATE '2026-01-01', 40000, 24000)")
    con.execute(
        "INSERT INTO import_log VALUES (3, 'cases', 'f.csv', 'Teilnehmende', 'participant', "
        "1, 1, 0, 1, 0, 0, "
        '\'["Name", "SV-Nummer"]\')'
    )
    con.execute(
        "INSERT INTO quarantine VALUES (3, 'cases', 'f.csv', 'Teilnehmende', 4, 'Geschlecht', 'x', "
        '\'{"Geschlecht": "x"}\', ?)',
        [datetime(2026, 11, 3, 9)],
    )
    con.close()


def test_a_warehouse_of_the_previous_schema_is_migrated_on_the_next_load(settings):
    published = settings.warehouse_path
    published.parent.mkdir(parents=True)
    old_warehouse(published)
    session = open_session(settings, "test")
    con = connect_session(session)
    try:
        assert schema_version(con) == VERSIONS[-1] >= 6
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
        assert q("SELECT version FROM schema_version ORDER BY 1") == [(v,) for v in VERSIONS]
        # load ids: facts from their file's ingest report, case rows from the latest case load
        assert q("SELECT DISTINCT load_id FROM fact_labour_market") == [(2,)]
        for table in ("firm", "firm_need", "participant", "case_event", "funding"):
            assert q(f"SELECT load_id FROM {table}") == [(3,)], table  # noqa: S608
        assert q("SELECT nextval('load_id_seq')") == [(4,)]  # the sequence starts past them
        # types: lists and JSON, closed sets, values kept
        assert q("SELECT dropped_columns FROM import_log") == [(["Name", "SV-Nummer"],)]
        assert q("SELECT reference_dates FROM ingest_report") == [([date(2026, 1, 1), date(2026, 2, 1)],)]
        assert column_types(con, "load_log")["row_counts"] == "JSON"
        assert column_types(con, "quarantine")["raw_values"] == "JSON"
        assert column_types(con, "firm")["role"] == "ENUM('both', 'receiving', 'releasing')"
        assert q("SELECT role, status FROM firm, load_log WHERE load_log.load_id = 1") == [
            ("releasing", "loaded")
        ]
        assert q("SELECT origin_wage, message FROM participant, load_log WHERE load_log.load_id = 1") == [
            (3000.0, None)
        ]
        # keys now declared: load_log and case events refuse a second row with the same key
        with pytest.raises(duckdb.ConstraintException):
            con.execute(
                "INSERT INTO load_log (load_id, step, source, content_hash, row_counts, status, loaded_at) "
                "VALUES (1, 'x', 'x', 'x', '{}', 'loaded', now())"
            )
        with pytest.raises(duckdb.ConstraintException):
            con.execute(
                "INSERT INTO case_event (case_id, event_date, event) "
                "VALUES ('p1', DATE '2026-01-10', 'entry')"
            )
        with pytest.raises(duckdb.ConversionException):
            con.execute("UPDATE firm SET role = 'seller'")
        # 005: the exchange's columns, empty on the old rows (read as: in effect on the
        # reporting date, open)
        assert q("SELECT effective_date, status, training, wage FROM firm_need") == [(None, None, None, None)]
    finally:
        con.close()
    session.state = "staged"
    session.save()
    assert publish(settings, session).status == "loaded"  # the migration alone is worth publishing
    check = duckdb.connect(str(published), read_only=True)
    assert check.execute("SELECT max(version) FROM schema_version").fetchall() == [(VERSIONS[-1],)]
    check.close()


def test_migrations_are_numbered_applied_once_and_a_newer_warehouse_is_refused(tmp_path):
    assert [v for v, _, _ in migrations()] == VERSIONS
    assert [name for _, name, _ in migrations()][0] == "001_base.sql"
    con = duckdb.connect(str(tmp_path / "new.duckdb"))
    apply_schema(con)
    apply_schema(con)  # a second open changes nothing
    assert con.execute("SELECT version, name FROM schema_version ORDER BY 1").fetchall() == [
        (v, name) for v, name, _ in migrations()
    ]
    con.execute("INSERT INTO schema_version VALUES (99, '099_future.sql', now())")
    with pytest.raises(PipelineError, match="Schema-Version 99"):
        apply_schema(con)
    con.close()


def test_the_schema_declares_the_keys_and_dispositions_the_loaders_use(tmp_path):
    con = duckdb.connect(str(tmp_path / "new.duckdb"))
    apply_schema(con)
    declared = {
        table: (write, tuple(key), enforced)
        for table, key, write, enforced in con.execute(
            "SELECT table_name, key_columns, write_disposition::VARCHAR, enforced_by FROM table_key"
        ).fetchall()
    }
    assert declared == {t: (d.write, d.key, d.enforced_by) for t, d in DISPOSITIONS.items()}
    # the case data's closed sets are the values the importer stores
    for table, column, choices in [
        ("firm", "role", case_schema.ROLES),
        ("firm_need", "kind", case_schema.NEED_KINDS),
        ("firm_need", "status", case_schema.NEED_STATUS),
        ("participant", "gender", case_schema.GENDERS),
        ("case_event", "event", case_schema.EVENTS),
    ]:
        wanted = "ENUM(" + ", ".join(f"'{v}'" for v in sorted(set(choices.values()))) + ")"
        assert column_types(con, table)[column] == wanted, (table, column)
    con.close()


# ------------------------------------------------------------------ load ids on every row


def test_every_row_carries_the_load_id_that_last_wrote_it(settings, tmp_path):
    load_reference(settings)
    publish(settings)
    import_path(settings, write_csv(tmp_path / "v1", base()))
    sheet = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    ingest_paths(settings, [sheet], publish_after=False)
    changed = base()
    set_cell(changed, "teilnehmende.csv", 1, "Geschlecht", "d")  # F1 changes
    import_path(settings, write_csv(tmp_path / "v2", changed))
    publish(settings)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    ids = dict(q("SELECT step || ':' || source, load_id FROM load_log ORDER BY load_id"))
    assert sorted(ids.values()) == list(range(1, 5))  # one sequence, no gaps here
    reference = ids[next(k for k in ids if k.startswith("reference"))]
    cases_v1, ingest, cases_v2 = sorted(v for k, v in ids.items() if not k.startswith("reference"))
    assert reference == 1 and cases_v1 < ingest < cases_v2
    assert q("SELECT DISTINCT load_id FROM fact_labour_market") == [(ingest,)]
    assert q("SELECT load_id FROM ingest_report") == [(ingest,)]
    participants = dict(q("SELECT case_id, load_id FROM participant"))
    assert sorted(participants.values()) == [cases_v1, cases_v1, cases_v1, cases_v2]  # only F1 rewritten
    for table in ("firm", "firm_need", "case_event", "funding"):
        assert q(f"SELECT DISTINCT load_id FROM {table}") == [(cases_v1,)], table  # noqa: S608
    assert q("SELECT count(*) FROM load_log WHERE load_id IS NULL") == [(0,)]
    con.close()


# ------------------------------------------------------------------ the one merge


def test_merge_rows_updates_inserts_and_keeps_by_the_rule():
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE fact_headline (ags VARCHAR, period DATE, indicator VARCHAR, value DOUBLE, vintage DATE)"
    )
    con.execute(
        "INSERT INTO fact_headline VALUES ('03254', DATE '2026-01-01', 'u', 1, DATE '2026-02-01'), "
        "('03254', DATE '2026-01-01', 'v', 2, DATE '2026-03-01')"
    )
    incoming = pl.DataFrame(
        {
            "ags": ["03254", "03254", "03254"],
            "period": [date(2026, 1, 1)] * 3,
            "indicator": ["u", "v", "w"],  # u: newer file, v: older than what is there, w: new
            "value": [10.0, 20.0, 30.0],
            "vintage": [date(2026, 2, 15), date(2026, 2, 15), date(2026, 2, 15)],
        }
    )
    con.register("_in", incoming.to_arrow())
    written = merge_rows(con, "fact_headline", "_in", incoming.columns, keep_when="t.vintage > i.vintage")
    assert written == 2  # u updated, w inserted; v kept (a newer vintage is there)
    assert con.execute("SELECT indicator, value FROM fact_headline ORDER BY 1").fetchall() == [
        ("u", 10.0),
        ("v", 2.0),
        ("w", 30.0),
    ]


def test_a_natural_key_twice_in_the_incoming_rows_is_refused():
    frame = pl.DataFrame(
        {"ags": ["03254", "03254"], "period": [date(2026, 1, 1)] * 2, "indicator": ["u", "u"]}
    )
    with pytest.raises(PipelineError, match=r"eckwerte.xlsx.*indicator=u"):
        check_unique("fact_headline", frame, "eckwerte.xlsx")
    check_unique("fact_headline", frame.with_columns(indicator=pl.Series(["u", "v"])), "eckwerte.xlsx")


# ------------------------------------------------------------------ rejects on the data-quality page


def test_data_quality_lists_rejected_statistics_files_and_their_quarantine(settings, tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from analytics import data_quality
    from analytics.db import connect

    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")
    load_reference(settings)
    publish(settings)
    bad_cell = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet(v252="zwölf")}, {"T": LM_MERGES})
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(bad_cell.read_bytes()[:900])
    reports = ingest_paths(settings, [bad_cell, broken])
    assert [r.status for r in reports] == ["loaded", "rejected"]
    con = connect(settings.warehouse_path)
    files = data_quality.rejected_files(con)
    assert files.select("step", "source_file").rows() == [("ingest", "kaputt.xlsx")]
    assert files["message"][0] == reports[1].message
    quarantined = data_quality.statistics_quarantine(con, role="agency")
    assert quarantined["source_file"].unique().to_list() == ["alo.xlsx"]
    assert quarantined.height == reports[0].rows_quarantined >= 1
    assert quarantined["reason"].str.contains("zwölf").any()
    con.close()
    app = Path(__file__).resolve().parent.parent / "app.py"
    at = AppTest.from_file(str(app), default_timeout=60)  # signed in as the agency (conftest)
    at.run()
    at.switch_page("app_pages/data_quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [d.value for d in at.dataframe]
    assert any("Meldung" in d.columns and d["Datei"].tolist() == ["kaputt.xlsx"] for d in shown)
    assert any("Grund" in d.columns and d["Datei"].unique().tolist() == ["alo.xlsx"] for d in shown)


def test_a_warehouse_whose_migration_fails_stays_in_service_and_all_rebuilds_it(settings, monkeypatch):
    from typer.testing import CliRunner

    from pipelines import demo, geo
    from pipelines.cli import app
    from pipelines.warehouse import StepResult

    published = settings.warehouse_path
    published.parent.mkdir(parents=True)
    old_warehouse(published)
    con = duckdb.connect(str(published))
    con.execute(  # two loads under one id (the old max + 1 ids could collide): no key possible
        "INSERT INTO load_log VALUES (3, 'cases', 'again', 'h', '{}', 'loaded', now(), 0)"
    )
    con.close()
    before = published.read_bytes()
    with pytest.raises(PipelineError, match="Migration 003_provenance.sql fehlgeschlagen"):
        load_reference(settings)
    assert published.read_bytes() == before
    monkeypatch.setattr(geo, "load_geo", lambda *a, **k: (_ for _ in ()).throw(PipelineError("no geo here")))
    monkeypatch.setattr(demo, "load_demo", lambda s, **k: StepResult("demo", "stub", "h", "unchanged"))
    result = CliRunner().invoke(app, ["all"])
    assert result.exit_code == 0, result.output
    assert "Migration 003_provenance.sql fehlgeschlagen" in result.output and "Neuaufbau" in result.output
    check = duckdb.connect(str(published), read_only=True)
    assert check.execute(
        "SELECT max(version), (SELECT count(*) FROM region) FROM schema_version"
    ).fetchall() == [(VERSIONS[-1], 47)]
    check.close()


def test_money_is_exact_in_the_warehouse_and_float_in_the_query_layer(settings):
    from analytics.db import query, scalar

    published = settings.warehouse_path
    published.parent.mkdir(parents=True)
    old_warehouse(published)  # funding 40000 planned, 24000 spent, as DOUBLE before 005
    session = open_session(settings, "test")
    con = connect_session(session)
    try:
        types = column_types(con, "funding")
        assert types["planned_eur"] == types["spent_eur"] == "DECIMAL(14,2)"
        assert column_types(con, "participant")["origin_wage"] == "DECIMAL(10,2)"
        assert column_types(con, "case_event")["new_wage"] == "DECIMAL(10,2)"
        con.execute("UPDATE funding SET spent_eur = 0.1 + 0.2")  # exact: 0.30, not 0.30000000000000004
        frame = query(con, "SELECT planned_eur, spent_eur FROM funding")
        assert frame.schema == {"planned_eur": pl.Float64, "spent_eur": pl.Float64}
        assert frame.row(0) == (40000.0, 0.3)
        assert scalar(con, "SELECT sum(spent_eur) * 3 FROM funding") == 0.9
        assert isinstance(scalar(con, "SELECT spent_eur FROM funding"), float)
    finally:
        con.close()
