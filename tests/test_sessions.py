"""Load sessions (#10 part 1): one staging file per load, locked and checked publish,
discard, cleanup, rollback, the CLI's session commands and exit codes, and a publish killed
at random moments."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from analytics.db import connect, file_stamp
from pipelines import sessions
from pipelines.cases.importer import publish_staged, stage_upload
from pipelines.cli import app
from pipelines.reference import load_reference
from pipelines.statistics.ingest import load_and_publish, process_uploads
from pipelines.warehouse import (
    BaseChanged,
    PipelineError,
    cleanup_sessions,
    discard,
    open_session,
    pending_sessions,
    publish,
    rollback,
    run_step,
    staging,
)
from tests.case_files import BASE, base, write_csv
from tests.statistics_files import write_xlsx
from tests.test_statistics_ingest import LM_MERGES, labour_market_sheet

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ref_settings(settings):
    """A published warehouse holding only the reference code lists."""
    load_reference(settings)
    publish(settings)
    return settings


def published(settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def case_upload(tmp_path: Path, name: str = "up") -> list[tuple[str, bytes]]:
    folder = write_csv(tmp_path / name, base())
    return [(n, (folder / n).read_bytes()) for n in BASE]


def statistics_upload(tmp_path: Path) -> list[tuple[str, bytes]]:
    path = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    return [("alo-januar.xlsx", path.read_bytes())]


def funding_step(settings, session, quarter: date, planned: float):
    """A tiny load of its own: one funding row (the smallest load that changes the warehouse)."""

    def load(con):
        con.execute("INSERT INTO funding (quarter_start, planned_eur) VALUES (?, ?)", [quarter, planned])
        return {"funding": 1}

    return run_step(settings, "test", f"funding {quarter}", f"h-{quarter}-{planned}", load, session=session)


# ------------------------------------------------------------------ two sessions at once


def test_staged_case_import_does_not_go_into_service_with_a_statistics_load(ref_settings, tmp_path):
    """The reproduced bug: a case import staged on the page and never confirmed went into
    service with the next statistics load; confirming afterwards said 'Veröffentlicht'."""
    staged = stage_upload(ref_settings, case_upload(tmp_path), role="agency")
    assert staged.session_id and staged.changes == 17  # every row of BASE
    reports = process_uploads(ref_settings, statistics_upload(tmp_path), role="agency")
    assert [r.status for r in reports] == ["loaded"]
    assert published(ref_settings, "SELECT count(*) FROM fact_labour_market") == [(30,)]
    assert published(ref_settings, "SELECT count(*) FROM participant") == [(0,)]  # not leaked
    before = file_stamp(ref_settings.warehouse_path)
    with pytest.raises(BaseChanged, match=r"Nicht veröffentlicht.*loaded there: ingest alo-januar.xlsx"):
        publish_staged(ref_settings, staged.session_id, role="agency")
    assert file_stamp(ref_settings.warehouse_path) == before
    assert published(ref_settings, "SELECT count(*) FROM participant") == [(0,)]
    # checked again on the new state, it publishes exactly its own session
    discard(ref_settings, staged.session_id)
    again = stage_upload(ref_settings, case_upload(tmp_path, "again"), role="agency")
    assert publish_staged(ref_settings, again.session_id, role="agency").status == "loaded"
    assert published(ref_settings, "SELECT count(*) FROM participant") == [(4,)]
    assert published(ref_settings, "SELECT count(*) FROM fact_labour_market") == [(30,)]
    assert pending_sessions(ref_settings) == []


def test_each_session_has_its_own_staging_file_beside_the_warehouse(ref_settings):
    one = open_session(ref_settings, "test:one")
    two = open_session(ref_settings, "test:two")
    assert one.id != two.id and one.staging != two.staging
    for session in (one, two):
        assert session.staging.parent == ref_settings.warehouse_path.parent
        assert session.base == sessions.fingerprint(ref_settings.warehouse_path)
        assert session.pid == os.getpid() and session.started_by.startswith("test:")
    funding_step(ref_settings, one, date(2026, 1, 1), 10.0)
    funding_step(ref_settings, two, date(2026, 4, 1), 20.0)
    assert publish(ref_settings, one).status == "loaded"
    assert published(ref_settings, "SELECT quarter_start FROM funding") == [(date(2026, 1, 1),)]
    with pytest.raises(BaseChanged):
        publish(ref_settings, two)
    assert [s.id for s in pending_sessions(ref_settings)] == [two.id]


def test_ingest_is_rebased_when_another_session_publishes_meanwhile(ref_settings, tmp_path):
    """load_and_publish re-runs its inputs on the new warehouse instead of refusing."""
    calls = []

    def progress(i, n, name):
        calls.append(name)
        if len(calls) == 1:  # while the first attempt loads, someone else publishes
            other = open_session(ref_settings, "test:other")
            funding_step(ref_settings, other, date(2026, 1, 1), 10.0)
            publish(ref_settings, other)

    outcome = load_and_publish(
        ref_settings, statistics_upload(tmp_path), started_by="test", role="agency", progress=progress
    )
    assert outcome.rebased == 1 and outcome.is_published and outcome.rows_published == 30
    assert calls == ["alo-januar.xlsx", "alo-januar.xlsx"]
    assert published(ref_settings, "SELECT count(*) FROM funding") == [(1,)]
    assert published(ref_settings, "SELECT count(*) FROM fact_labour_market") == [(30,)]


def test_a_session_with_nothing_new_publishes_nothing(ref_settings):
    before = file_stamp(ref_settings.warehouse_path)
    session = open_session(ref_settings, "test")
    result = publish(ref_settings, session)
    assert result.status == "unchanged" and result.messages == ["nothing to publish"]
    assert file_stamp(ref_settings.warehouse_path) == before
    assert not session.staging.exists() and pending_sessions(ref_settings) == []


def test_publish_of_a_discarded_session_says_so(ref_settings):
    session = open_session(ref_settings, "test")
    funding_step(ref_settings, session, date(2026, 1, 1), 1.0)
    discard(ref_settings, session)
    with pytest.raises(PipelineError, match="gibt es nicht mehr"):
        publish(ref_settings, session)
    assert published(ref_settings, "SELECT count(*) FROM funding") == [(0,)]


# ------------------------------------------------------------------ cleanup


def test_cleanup_removes_dead_and_old_sessions_and_leftovers(ref_settings):
    crashed = open_session(ref_settings, "test:crashed")
    crashed.state, crashed.pid = sessions.OPEN, 2**22 + 12345  # no such process
    crashed.save()
    wal = crashed.staging.with_name(crashed.staging.name + ".wal")
    wal.write_bytes(b"half a transaction")
    old = open_session(ref_settings, "test:old")
    old.created_at = (datetime.now() - timedelta(hours=25)).isoformat(timespec="seconds")
    old.save()
    handed_over = open_session(ref_settings, "cli:cases")  # a CLI run that ended: staged, kept
    handed_over.pid = 2**22 + 12346
    handed_over.save()
    orphan = ref_settings.warehouse_path.with_name("warehouse.session-deadbeef.duckdb.wal")
    orphan.write_bytes(b"x")
    leftover = sessions.previous_path(ref_settings.warehouse_path).with_name("warehouse.previous.duckdb.tmp")
    leftover.write_bytes(b"x")
    cleanup_sessions(ref_settings)  # also the next open_session (above) cleans
    assert [s.id for s in pending_sessions(ref_settings)] == [handed_over.id]
    for path in (crashed.staging, wal, old.staging, old.sidecar, orphan, leftover):
        assert not path.exists()
    lines = sessions.audit_path(ref_settings.warehouse_path).read_text().splitlines()
    removed = " ".join(" ".join(e["removed"]) for e in map(json.loads, lines) if e["action"] == "cleanup")
    assert f"{crashed.id} (test:crashed): Prozess" in removed and f"{old.id} (test:old): älter" in removed
    assert orphan.name in removed and leftover.name in removed


def test_the_age_limit_is_a_setting(tmp_path):
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "data", COCKPIT_SESSION_MAX_AGE_HOURS="0")
    load_reference(settings)
    publish(settings)
    kept = open_session(settings, "test")
    time.sleep(1.1)
    open_session(settings, "test:next")  # the next run cleans
    assert kept.id not in {s.id for s in pending_sessions(settings)}


# ------------------------------------------------------------------ rollback and the app's stamp


def test_rollback_restores_the_previous_warehouse_and_a_second_one_undoes_it(ref_settings):
    stamps = [file_stamp(ref_settings.warehouse_path)]
    session = open_session(ref_settings, "test")
    funding_step(ref_settings, session, date(2026, 1, 1), 10.0)
    publish(ref_settings, session)
    stamps.append(file_stamp(ref_settings.warehouse_path))
    assert published(ref_settings, "SELECT count(*) FROM funding") == [(1,)]
    assert rollback(ref_settings).status == "loaded"
    stamps.append(file_stamp(ref_settings.warehouse_path))
    assert published(ref_settings, "SELECT count(*) FROM funding") == [(0,)]
    rollback(ref_settings)
    assert published(ref_settings, "SELECT count(*) FROM funding") == [(1,)]
    # the app notices each new file in service (app_pages/warehouse.warehouse_key)
    assert stamps[0] != stamps[1] and stamps[1] != stamps[2]
    actions = [
        json.loads(line)["action"]
        for line in sessions.audit_path(ref_settings.warehouse_path).read_text().splitlines()
    ]
    assert actions[-3:] == ["publish", "rollback", "rollback"]


def test_a_session_from_before_a_rollback_is_refused(ref_settings):
    first = open_session(ref_settings, "test")
    funding_step(ref_settings, first, date(2026, 1, 1), 10.0)
    publish(ref_settings, first)
    later = open_session(ref_settings, "test:later")
    funding_step(ref_settings, later, date(2026, 4, 1), 10.0)
    rollback(ref_settings)
    with pytest.raises(BaseChanged, match="rollback"):
        publish(ref_settings, later)


def test_rollback_without_a_previous_warehouse(settings):
    with pytest.raises(PipelineError, match="Kein vorheriges Warehouse"):
        rollback(settings)
    result = runner.invoke(app, ["rollback"])
    assert result.exit_code == 1 and "Kein vorheriges" in result.output


# ------------------------------------------------------------------ CLI: sessions and exit codes


def session_id_in(output: str) -> str:
    marker = "load session "
    return output.split(marker, 1)[1].split()[0]


def test_cli_cases_stages_a_session_and_publish_takes_exactly_that_one(ref_settings, tmp_path):
    folder = write_csv(tmp_path / "export", base())
    staged = runner.invoke(app, ["cases", str(folder)])
    assert staged.exit_code == 0, staged.output
    first = session_id_in(staged.output)
    assert f"publish --session {first}" in staged.output
    other = open_session(ref_settings, "test:other")
    funding_step(ref_settings, other, date(2026, 1, 1), 10.0)
    listed = runner.invoke(app, ["sessions"])
    assert first in listed.output and other.id in listed.output and "cli:cases" in listed.output
    assert "veraltet" not in listed.output
    ambiguous = runner.invoke(app, ["publish"])
    assert ambiguous.exit_code == 2 and "Mehrere offene Ladesitzungen" in ambiguous.output
    assert runner.invoke(app, ["publish", "--session", "nosuchid"]).exit_code == 2
    done = runner.invoke(app, ["publish", "--session", first])
    assert done.exit_code == 0 and "[publish] geladen" in done.output
    assert published(ref_settings, "SELECT count(*) FROM participant") == [(4,)]
    assert published(ref_settings, "SELECT count(*) FROM funding") == [(1,)]  # from the export
    assert "veraltet" in runner.invoke(app, ["sessions"]).output  # other's base was replaced
    refused = runner.invoke(app, ["publish", "--session", other.id])
    assert refused.exit_code == 1 and "Nicht veröffentlicht" in refused.output
    assert runner.invoke(app, ["discard", "--session", other.id]).exit_code == 0
    assert runner.invoke(app, ["sessions"]).output.startswith("Keine offenen Ladesitzungen")
    assert runner.invoke(app, ["publish"]).exit_code == 0  # nothing pending: nothing to do


def test_cli_steps_continue_a_session(settings):
    staged = runner.invoke(app, ["reference"])
    assert staged.exit_code == 0, staged.output
    session = session_id_in(staged.output)
    again = runner.invoke(app, ["reference", "--session", session, "--publish"])
    assert again.exit_code == 0 and "[reference] unverändert" in again.output
    assert "[publish] geladen" in again.output
    assert published(settings, "SELECT count(*) FROM region") == [(47,)]
    assert pending_sessions(settings) == []


def test_cli_exit_codes(ref_settings, tmp_path):
    """0 loaded, 0 with rows in quarantine (warnings), 1 rejected, 2 usage."""
    clean = write_csv(tmp_path / "clean", base())
    assert runner.invoke(app, ["cases", str(clean), "--publish"]).exit_code == 0
    files = base()
    files["betriebe.csv"][3][6] = "vielleicht"  # one row into quarantine
    warned = runner.invoke(app, ["cases", str(write_csv(tmp_path / "warned", files)), "--publish"])
    assert warned.exit_code == 0 and "Quarantäne 1" in warned.output
    broken = base()
    broken["teilnehmende.csv"][0][5] = "Eintritt?"  # a required column missing: refused
    rejected = runner.invoke(app, ["cases", str(write_csv(tmp_path / "broken", broken))])
    assert rejected.exit_code == 1 and "Pflichtspalte" in rejected.output
    assert runner.invoke(app, ["cases"]).exit_code == 2  # missing argument
    assert runner.invoke(app, ["reference", "--no-such-option"]).exit_code == 2
    assert runner.invoke(app, ["reference", "--session", "nosuchid"]).exit_code == 2
    assert pending_sessions(ref_settings) == []  # failed and empty sessions are discarded


# ------------------------------------------------------------------ the page says what happened


def test_case_page_says_refused_when_the_warehouse_changed_meanwhile(ref_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    report = stage_upload(get_settings(), case_upload(tmp_path), role="agency")
    process_uploads(get_settings(), statistics_upload(tmp_path), role="agency")  # someone else publishes
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # signed in (conftest)
    at.switch_page(str(ROOT / "app_pages" / "case_import.py"))
    at.session_state["case_import"] = report
    at.run()
    assert any(report.session_id in c.value for c in at.caption)
    at.button(key="case_publish").click().run()
    assert not at.exception
    assert not any("Veröffentlicht" in s.value for s in at.success)
    assert any("Nicht veröffentlicht" in e.value and "alo-januar.xlsx" in e.value for e in at.error)
    assert published(ref_settings, "SELECT count(*) FROM participant") == [(0,)]
    assert pending_sessions(ref_settings) == []  # the refused session was discarded


def test_case_page_says_when_there_is_nothing_to_publish(ref_settings, tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")
    from analytics.settings import get_settings

    get_settings.cache_clear()
    publish_staged(
        get_settings(),
        stage_upload(get_settings(), case_upload(tmp_path), role="agency").session_id,
        role="agency",
    )
    report = stage_upload(get_settings(), case_upload(tmp_path, "same"), role="agency")
    assert report.status == "unchanged"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()  # signed in (conftest)
    at.switch_page(str(ROOT / "app_pages" / "case_import.py"))
    at.session_state["case_import"] = report
    at.run()
    at.button(key="case_publish").click().run()
    assert any("Nichts zu veröffentlichen" in i.value for i in at.info)
    assert not any("Veröffentlicht" in s.value for s in at.success)


# ------------------------------------------------------------------ a publish killed at random moments

CHILD = """
import sys, time
from analytics.settings import get_settings
from pipelines.warehouse import publish
settings = get_settings()
print("ready", flush=True)
session_id = sys.stdin.readline().strip()
started = time.perf_counter()
publish(settings, session_id)
print(f"done {time.perf_counter() - started:.4f}", flush=True)
"""


def _digest(path: Path) -> tuple:
    """What identifies a warehouse here: its load log and funding rows (opened read-only)."""
    con = connect(path)  # raises for a file that is no usable warehouse
    try:
        return (
            con.execute("SELECT load_id, step, content_hash FROM load_log ORDER BY ALL").fetchall(),
            con.execute("SELECT * FROM funding ORDER BY ALL").fetchall(),
        )
    finally:
        con.close()


def _spawn(settings) -> subprocess.Popen:
    env = {**os.environ, "COCKPIT_DATA_DIR": str(settings.data_dir), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )
    return child


def _staged_digest(settings, session) -> tuple:
    return _digest(session.staging)


def test_publish_killed_at_random_moments_leaves_the_old_or_the_new_warehouse(ref_settings):
    """20 publishes, each killed with SIGKILL at a seeded random moment within its run time:
    the warehouse in service always opens and equals the old or the new one, never a mix;
    the lock is free again and the next run cleans what the killed one left."""
    rng = random.Random(20261201)
    warehouse = ref_settings.warehouse_path
    child = _spawn(ref_settings)
    duration = None
    outcomes = []
    for run in range(21):
        session = open_session(ref_settings, "test:kill")
        funding_step(ref_settings, session, date(2026, 1, 1) + timedelta(days=92 * run), float(run))
        old, new = _digest(warehouse), _staged_digest(ref_settings, session)
        assert child.stdout.readline().strip() == "ready"
        child.stdin.write(session.id + "\n")
        child.stdin.flush()
        if duration is None:  # the first run is not killed: it measures a publish
            line = child.stdout.readline().split()
            assert line[0] == "done", line
            duration = float(line[1])
            child.wait(timeout=30)
        else:
            time.sleep(rng.uniform(0, duration * 1.5))
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        next_child = _spawn(ref_settings)  # starts up while this run is checked
        now = _digest(warehouse)
        assert now in (old, new), f"run {run}: the warehouse in service is neither old nor new"
        outcomes.append("new" if now == new else "old")
        with sessions.publish_lock(warehouse, timeout_s=0):  # released by the killed process
            pass
        cleanup_sessions(ref_settings)
        previous = sessions.previous_path(warehouse)
        if previous.exists():
            _digest(previous)
        left = [s for s in pending_sessions(ref_settings) if s.id != session.id]
        assert left == []
        if session.sidecar.exists():  # killed before the rename: staged again, publishable
            assert now == old
            recovered = sessions.read_session(session.sidecar)
            assert recovered.state == sessions.STAGED and recovered.staging.exists()
            discard(ref_settings, session)
        child = next_child
    child.kill()
    child.wait(timeout=30)
    assert len(outcomes) == 21 and outcomes[0] == "new", outcomes
    assert not list(warehouse.parent.glob("*.tmp")) and not list(warehouse.parent.glob("*.wal"))


def test_staging_uses_the_given_session(ref_settings):
    session = open_session(ref_settings, "test")
    funding_step(ref_settings, session, date(2026, 1, 1), 1.0)
    with staging(ref_settings, session=session) as con:
        assert con.execute("SELECT count(*) FROM funding").fetchall() == [(1,)]
    with staging(ref_settings) as con:  # the ambient session: another copy
        assert con.execute("SELECT count(*) FROM funding").fetchall() == [(0,)]


def test_a_publish_removes_the_shapes_file_of_the_warehouse_it_drops(ref_settings, tmp_path, monkeypatch):
    """Each publish writes static/geo/kreise-<hash>.json (#17). The file of the warehouse that
    drops out (the one before the previous) goes, unless a kept warehouse names it too; the
    files of the warehouse in service and of the previous one stay (their open sessions and a
    rollback keep their map), and so does any other file in the folder."""
    from analytics import static_geometry
    from pipelines.warehouse import replace_table
    from tests.builders import geometry_frame

    monkeypatch.setattr(static_geometry, "STATIC_DIR", tmp_path / "static")
    folder = tmp_path / "static" / "geo"
    folder.mkdir(parents=True)
    (folder / "kreise-0000000000000000.json").write_text("[]")  # another warehouse's file

    loads = iter(range(100))

    def publish_shapes(shift: int) -> str:
        frame = geometry_frame().with_columns(
            geojson=pl.col("geojson").str.replace_all("52.", f"{52 + shift}.", literal=True)
        )

        def load(con):
            replace_table(con, "region_geometry", frame)
            return {"region_geometry": frame.height}

        run_step(ref_settings, "test", "shapes", f"shapes-{next(loads)}", load)
        assert publish(ref_settings).status == "loaded"
        _, geometry = static_geometry.build(frame.select("ags", "geojson").sort("ags"))
        assert (folder / geometry.file_name).exists()
        return geometry.file_name

    first, second, third = publish_shapes(0), publish_shapes(1), publish_shapes(2)
    assert len({first, second, third}) == 3
    # in service: third, previous: second; first (the dropped warehouse's) removed
    assert {p.name for p in folder.glob("kreise-*.json")} == {"kreise-0000000000000000.json", second, third}
    rollback(ref_settings)  # second in service, third previous: both files still there
    assert (folder / second).exists() and (folder / third).exists()
    rollback(ref_settings)
    # the same shapes as the one in service: the dropped warehouse's (second) goes, third stays
    assert publish_shapes(2) == third
    assert {p.name for p in folder.glob("kreise-*.json")} == {"kreise-0000000000000000.json", third}
