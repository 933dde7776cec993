"""Pipeline steps: idempotence, content, and what happens with broken input."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from analytics.settings import get_settings
from pipelines import demo as demo_module
from pipelines.cli import app
from pipelines.demo import load_demo
from pipelines.reference import load_reference
from pipelines.warehouse import PipelineError, pending_sessions, publish, staging
from tests.conftest import make_settings, requires_geo

runner = CliRunner()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_digest(path: Path) -> dict[str, tuple[int, str]]:
    """Rows and an order-independent content hash per table (load_log and audit_log, the
    record of when who loaded, excluded)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_name NOT IN ('load_log', 'audit_log')"
            ).fetchall()
        ]
        out = {}
        for table in sorted(tables):
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
            kept = ", ".join(c for c in columns if c not in ("loaded_at", "applied_at"))  # times differ
            count, digest = con.execute(
                f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR "  # noqa: S608
                f"FROM (SELECT {kept} FROM {table}) t"
            ).fetchone()
            out[table] = (count, digest)
        return out
    finally:
        con.close()


def test_reference_step_twice(settings):
    first = load_reference(settings)
    second = load_reference(settings)
    assert first.status == "loaded" and second.status == "unchanged"
    assert first.row_counts["region"] == 47
    with staging(settings) as con:
        lands = dict(con.execute("SELECT land_code, count(*) FROM region GROUP BY 1").fetchall())
        levels = dict(con.execute("SELECT level, count(*) FROM occupation GROUP BY 1").fetchall())
        divisions = con.execute("SELECT count(*) FROM sector WHERE level = 'division'").fetchone()
        auto = con.execute(
            "SELECT tier, list(wz_code ORDER BY wz_code) FROM automotive_chain GROUP BY 1 ORDER BY 1"
        ).fetchall()
        hildesheim = con.execute("SELECT agentur FROM region WHERE ags = '03254'").fetchone()
        loads = con.execute("SELECT count(*) FROM load_log WHERE step = 'reference'").fetchone()
    assert lands == {"03": 45, "04": 2}
    assert levels == {1: 10, 2: 37, 3: 144}
    assert divisions == (88,)
    assert auto == [("core", ["29"]), ("supplier", ["22", "24", "25", "26", "27", "28"])]
    assert hildesheim == ("Hildesheim",)
    assert loads == (1,)  # the unchanged second run wrote nothing, not even a log row


def test_automotive_definition_is_configuration(tmp_path):
    settings = make_settings(tmp_path / "data", COCKPIT_AUTOMOTIVE__SUPPLIER='["28","45"]')
    load_reference(settings)
    with staging(settings) as con:
        rows = con.execute("SELECT wz_code, tier FROM automotive_chain ORDER BY 1").fetchall()
    assert rows == [("28", "supplier"), ("29", "core"), ("45", "supplier")]


def test_automotive_definition_with_unknown_code_is_refused(tmp_path):
    settings = make_settings(tmp_path / "data", COCKPIT_AUTOMOTIVE__SUPPLIER='["2X"]')
    with pytest.raises(PipelineError, match="2X"):
        load_reference(settings)


@requires_geo
def test_all_twice_changes_nothing(demo_settings, demo_dir):
    published = demo_settings.warehouse_path
    before_bytes, before_tables = sha(published), table_digest(published)
    result = runner.invoke(app, ["all"])
    assert result.exit_code == 0, result.output
    for step in ("reference", "geo", "demo", "publish"):
        assert f"[{step}] unverändert" in result.output
    assert sha(published) == before_bytes
    assert table_digest(published) == before_tables
    assert pending_sessions(demo_settings) == []


@requires_geo
def test_demo_warehouse_content(demo_settings):
    con = duckdb.connect(str(demo_settings.warehouse_path), read_only=True)
    q = lambda sql: con.execute(sql).fetchall()  # noqa: E731
    # every Kreis has both measures for every month Jan 2023 .. Oct 2026
    assert q(
        "SELECT count(DISTINCT ags), count(DISTINCT period), min(period), max(period) "
        "FROM fact_labour_market WHERE kldb = 'TOTAL' AND region_level = 'kreis'"
    )[0][:2] == (47, 46)
    assert q("SELECT count(DISTINCT kldb) FROM fact_labour_market") == [(145,)]
    # orders of magnitude calibrated to sources.md §5 (Dec 2025): NI ~270k, HB ~42k unemployed
    nds, hb = q(
        "SELECT sum(value) FILTER (WHERE ags LIKE '03%'), sum(value) FILTER "
        "(WHERE ags LIKE '04%') FROM fact_labour_market WHERE kldb = 'TOTAL' "
        "AND measure = 'unemployed' AND period = DATE '2025-12-01' AND region_level = 'kreis'"
    )[0]
    assert 250_000 < nds < 300_000 and 38_000 < hb < 48_000
    # the Land rows are the exact sums of the Kreise (before the BA's "*"), as published
    lands = q(
        "SELECT value FROM fact_labour_market WHERE kldb = 'TOTAL' AND measure = 'unemployed' "
        "AND period = DATE '2025-12-01' AND region_level = 'land' ORDER BY ags"
    )
    assert lands == [(nds,), (hb,)]
    # suppressed like the BA: no published count of 1 or 2, NULL with flag instead
    assert q("SELECT count(*) FROM fact_labour_market WHERE value BETWEEN 1 AND 2") == [(0,)]
    assert q("SELECT count(*) FROM fact_labour_market WHERE flag = 'suppressed' AND value IS NULL")[0][0] > 0
    # SvB: almost 3.2 million in Niedersachsen; WZ 29 share highest in Wolfsburg
    svb = q(
        "SELECT sum(value) FROM fact_employment WHERE wz = 'TOTAL' AND ags LIKE '03%' "
        "AND region_level = 'kreis' AND reference_date = (SELECT max(reference_date) FROM fact_employment)"
    )[0][0]
    assert 3_000_000 < svb < 3_400_000
    top = q(
        "SELECT ags FROM fact_employment WHERE reference_date = DATE '2025-06-30' "
        "AND region_level = 'kreis' GROUP BY ags ORDER BY sum(value) FILTER (WHERE wz = '29') / "
        "sum(value) FILTER (WHERE wz = 'TOTAL') DESC LIMIT 5"
    )
    assert {r[0] for r in top} >= {"03103", "03402", "03102"}
    assert q("SELECT DISTINCT month(reference_date) FROM fact_employment ORDER BY 1") == [
        (3,),
        (6,),
        (9,),
        (12,),
    ]
    # network case data: model region from 2026, rollout Kreise later, events consistent
    starts = dict(
        q(
            "SELECT f.ags, min(p.entry_date) FROM participant p JOIN firm f "
            "ON f.firm_id = p.releasing_firm GROUP BY 1"
        )
    )
    assert set(starts) == {"03254", "03157", "03153"}
    assert starts["03157"] > starts["03254"] and starts["03153"] > starts["03157"]
    assert q("SELECT count(*) FROM participant")[0][0] == demo_settings.demo.participants
    assert q(
        "SELECT count(*) FROM case_event e JOIN participant p USING (case_id) "
        "WHERE e.event_date < p.entry_date"
    ) == [(0,)]
    assert q(
        "SELECT count(*) FROM (SELECT case_id FROM case_event GROUP BY 1 HAVING "
        "count(*) FILTER (WHERE event = 'job_start') > 0 AND "
        "count(*) FILTER (WHERE event = 'exit') > 0)"
    ) == [(0,)]
    assert q(
        "SELECT count(*) FROM case_event r WHERE event = 'retention_check' AND NOT EXISTS "
        "(SELECT 1 FROM case_event j WHERE j.case_id = r.case_id AND j.event = 'job_start' "
        "AND j.event_date <= r.event_date)"
    ) == [(0,)]
    assert q("SELECT round(sum(planned_eur)) FROM funding") == [(530_000.0,)]
    assert q("SELECT count(*) FROM firm WHERE role = 'receiving' AND wz IN ('29')") == [(0,)]
    con.close()


# a short demo (13 months of BA data, two SvB quarters) keeps these tests quick; the full one is demo_dir
SHORT_DEMO = {"COCKPIT_DEMO__FIRST_MONTH": "2025-10-01"}


def test_demo_is_deterministic(tmp_path):
    digests = []
    for name in ("one", "two"):
        settings = make_settings(tmp_path / name, **SHORT_DEMO)
        load_reference(settings)
        load_demo(settings)
        publish(settings)
        digests.append(table_digest(settings.warehouse_path))
    assert digests[0] == digests[1]


def test_unknown_ags_in_demo_configuration(tiny_settings):
    published = tiny_settings.warehouse_path
    before = sha(published)
    settings = make_settings(
        published.parent, COCKPIT_DEMO__NETWORK_REGIONS='{"03254": "2026-01-01", "03999": "2026-03-01"}'
    )
    with pytest.raises(PipelineError, match="03999"):
        load_demo(settings)
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 1
    assert "03999" in result.output and "unverändert" in result.output
    assert sha(published) == before


def test_failing_step_rolls_back_and_keeps_published(settings, monkeypatch):
    load_reference(settings)
    publish(settings)
    before = sha(settings.warehouse_path)

    def broken(*args, **kwargs):
        raise PipelineError("kaputt / broken on purpose")

    monkeypatch.setattr(demo_module, "employment_frame", broken)
    with pytest.raises(PipelineError, match="broken on purpose"):
        load_demo(settings)
    with staging(settings) as con:
        assert con.execute("SELECT count(*) FROM fact_labour_market").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM load_log WHERE step = 'demo'").fetchone() == (0,)
    assert sha(settings.warehouse_path) == before


def test_corrupt_published_warehouse(settings):
    published = settings.warehouse_path
    published.parent.mkdir(parents=True)
    published.write_bytes(b"this is not a duckdb file" * 100)
    before = sha(published)
    with pytest.raises(PipelineError, match="beschädigt"):
        load_reference(settings)
    assert sha(published) == before
    result = runner.invoke(app, ["reference"])
    assert result.exit_code == 1 and "beschädigt" in result.output
    assert sha(published) == before


@requires_geo
def test_all_rebuilds_over_a_corrupt_warehouse(tmp_path):
    settings = make_settings(tmp_path / "data", **SHORT_DEMO)
    published = settings.warehouse_path
    published.parent.mkdir(parents=True)
    published.write_bytes(b"garbage" * 1000)
    result = runner.invoke(app, ["all"])
    assert result.exit_code == 0, result.output
    assert "beschädigt" in result.output
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("SELECT count(*) FROM region").fetchone() == (47,)
    con.close()


def test_publish_refuses_an_incomplete_staging(settings):
    with staging(settings):
        pass  # schema only, no reference data
    with pytest.raises(PipelineError, match="leer"):
        publish(settings)
    assert not settings.warehouse_path.exists()


def test_settings_from_toml_and_environment(tmp_path, monkeypatch):
    config = tmp_path / "cockpit.toml"
    config.write_text(
        "budget_total_eur = 600000\n[demo]\nseed = 11\n[targets.by_year.2026]\n"
        "entries = 10\ntransitions = 5\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("COCKPIT_CONFIG", str(config))
    monkeypatch.setenv("COCKPIT_DEMO__SEED", "12")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.budget_total_eur == 600_000
    assert settings.demo.seed == 12  # environment beats the file
    assert settings.targets.by_year[2026].transitions == 5


def test_load_log_records_steps(tiny_settings):
    con = duckdb.connect(str(tiny_settings.warehouse_path), read_only=True)
    log = pl.from_arrow(con.sql("SELECT * FROM load_log").to_arrow_table())
    con.close()
    reference = log.filter(pl.col("step") == "reference").row(0, named=True)
    assert len(reference["content_hash"]) == 64
    assert '"region": 47' in reference["row_counts"]
    assert reference["loaded_at"] is not None
