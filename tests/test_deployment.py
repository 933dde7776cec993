"""Deployment defaults (#9 item 5, #13 item 1) and the load benchmark's report (#9 item 1):
the server listens on loopback only unless told otherwise, the secrets file is never
committed, the README's Limits section states what was tested, and ``python -m benchmarks
load`` reports sessions held, page runs per second and the server's peak memory."""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(title, 1)[1].split("\n## ", 1)[0]


# ------------------------------------------------------------------ bind to loopback


def test_the_server_binds_to_loopback_by_default():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^ADDRESS \?= 127\.0\.0\.1$", makefile, re.M)
    app_target = re.search(r"^app:.*\n\t(.+)$", makefile, re.M).group(1)
    assert "--server.address $(ADDRESS)" in app_target
    # the benchmarks and browser tests serve the app on loopback too
    from benchmarks import load

    assert '"--server.address",\n        "127.0.0.1"' in Path(load.__file__).read_text(encoding="utf-8")


def test_the_readme_says_how_to_expose_it_behind_a_tls_proxy():
    deployment = section("## Deployment")
    assert "binds to 127.0.0.1" in deployment
    for needed in ("listen 443 ssl", "ssl_certificate", "proxy_pass http://127.0.0.1:8501", "Upgrade"):
        assert needed in deployment, needed


# ------------------------------------------------------------------ secrets


def test_the_secrets_file_is_never_committed():
    for path in (".streamlit/secrets.toml", "cockpit.toml"):
        ignored = subprocess.run(["git", "check-ignore", "-q", path], cwd=ROOT, check=False)
        assert ignored.returncode == 0, f"{path} is not in .gitignore"
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", path], cwd=ROOT, capture_output=True)
        assert tracked.returncode != 0, f"{path} is committed"


# ------------------------------------------------------------------ the Limits section


def test_the_limits_section_states_sessions_and_memory_tested():
    limits = section("## Limits")
    assert "### Upload-Grenzen / Upload limits" in limits  # sizes and rows: tests/test_upload_limits.py
    assert "| 20 for 50 s, one publish after 15 s (as the load test) | 20 |" in limits
    measured = re.findall(r"^\| (\d+) for \d+ s[^|]*\| (\d+) \|.*\| (\d+) MB \|$", limits, re.M)
    assert {int(sessions) for sessions, _, _ in measured} >= {1, 20, 40}
    assert all(held == sessions and int(mb) < 1000 for sessions, held, mb in measured)
    for setting in ("POLARS_MAX_THREADS", "query_threads", "max_concurrent_runs", "fileWatcherType"):
        assert setting in limits, setting  # the thread settings, documented


# ------------------------------------------------------------------ the load benchmark's report


def test_the_load_report_names_sessions_runs_per_second_and_peak_memory():
    import typer

    from benchmarks.load import LoadResult, report

    result = LoadResult(
        sessions=20,
        seconds=50.0,
        runs=195,
        held=19,
        slowest_run_s=10.8,
        health_checks=4,
        health_latencies=[0.1, 0.2, 0.6, 0.05],
        runs_by_page={"": 20, "uebersicht": 175},
        problems=["session 7: lost"],
    )
    app = typer.Typer()
    app.command()(lambda: report(result, 445.4))
    out = CliRunner().invoke(app, []).output
    assert "sessions          20 (held to the end: 19)" in out
    assert "page runs         195 (3.90 per second)" in out  # 195 runs / 50 s
    # four latencies sorted 0.05, 0.1, 0.2, 0.6: median index 2, 95 % index 3
    assert "health checks     4 (failed 0; median 0.20 s, 95 % 0.60 s, slowest 0.60 s)" in out
    assert "server peak RSS   445 MB" in out
    assert "PROBLEM: session 7: lost" in out


def test_peak_memory_is_read_from_the_process():
    from benchmarks.load import peak_rss_mb

    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc (not Linux)")
    import resource

    mine = peak_rss_mb(os.getpid())
    # ru_maxrss is the same high-water mark in KiB (Linux)
    assert mine == pytest.approx(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, rel=0.05)
    assert peak_rss_mb(2**22 + 12345) is None  # no such process


def test_the_app_opens_the_warehouse_with_the_documented_duckdb_threads(tiny_settings, monkeypatch):
    """``query_threads`` (README *Limits*: 2 by default) is what the app's read connection
    runs with, and what a cursor of it sees."""
    from analytics import db
    from analytics.settings import Settings, get_settings
    from app_pages import warehouse

    assert Settings.model_fields["query_threads"].default == 2
    monkeypatch.setenv("COCKPIT_QUERY_THREADS", "3")
    get_settings.cache_clear()
    con = warehouse._connection.__wrapped__(str(tiny_settings.warehouse_path), 0.0)
    try:
        assert db.scalar(con, "SELECT current_setting('threads')") == 3
    finally:
        con.close()
