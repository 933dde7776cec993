"""Load test (#9): 20 sessions cycle through every page of the real app for 50 s while a new
warehouse is published; no run may hang, no page may show an exception or an error box, and
``/_stcore/health`` must answer throughout.

The app (``streamlit run app.py`` on 127.0.0.1, a free port) serves a copy of the demo
warehouse, so the publish does not touch the warehouse other tests read. The sessions speak
Streamlit's websocket protocol (benchmarks/load.py), loopback only. Before #9 every session
hung on its second page within seconds (request threads inside ``map_elements`` waiting for
Polars' pool while another thread in ``to_pandas`` held the GIL and waited for the pool),
and sessions drawing their first chart at once failed on a half-imported pandas.

Bounded: 50 s of sessions plus start-up and the publish, about 65 s in all; every run has
30 s to finish. Runs in ``make test`` (CI); ``make test-fast`` leaves it out (``-m load``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from benchmarks.load import drive, page_paths, serve_app
from tests.conftest import requires_geo

pytestmark = [pytest.mark.load, requires_geo]

SESSIONS = 20
SECONDS = 50.0
PUBLISH_AFTER_S = 15.0


def publish_new_warehouse(data_dir: Path, delay: float, outcome: dict[str, object]) -> None:
    """After ``delay``: reload the reference step into staging (--force) and publish it, as an
    operator would from the command line while people use the app."""
    time.sleep(delay)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(COCKPIT_DATA_DIR=str(data_dir), COCKPIT_CONFIG=str(data_dir / "none.toml"))
    for step in (["reference", "--force"], ["publish"]):
        done = subprocess.run(
            [sys.executable, "-m", "pipelines", *step], env=env, capture_output=True, text=True, timeout=120
        )
        outcome[" ".join(step)] = (done.returncode, done.stdout[-2000:] + done.stderr[-2000:])
    outcome["published_at"] = time.monotonic()


def open_warehouse_inodes(pid: int, data_dir: Path) -> set[int]:
    """Inodes of the .duckdb files under ``data_dir`` that process ``pid`` holds open (Linux)."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
            if target.startswith(str(data_dir)) and ".duckdb" in target:
                inodes.add(os.stat(fd).st_ino)
        except OSError:  # closed meanwhile
            continue
    return inodes


def test_sessions_cycle_all_pages_while_a_new_warehouse_is_published(demo_dir: Path, tmp_path: Path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copy2(demo_dir / "warehouse.duckdb", data_dir / "warehouse.duckdb")
    before = (data_dir / "warehouse.duckdb").stat().st_ino
    log_path = tmp_path / "streamlit.log"
    outcome: dict[str, object] = {}
    with serve_app(data_dir, log_path) as (url, process):
        publisher = threading.Thread(target=publish_new_warehouse, args=(data_dir, PUBLISH_AFTER_S, outcome))
        publisher.start()
        try:
            result = drive(url, SESSIONS, SECONDS, run_timeout=30.0, health_timeout=10.0)
        finally:
            publisher.join(timeout=150)
        held_open = open_warehouse_inodes(process.pid, data_dir)
    log = log_path.read_text(errors="replace")[-5000:]

    assert result.hangs == [], f"{result.hangs}\n{log}"
    assert result.problems == [], f"{result.problems}\n{log}"
    assert outcome.get("reference --force", (None,))[0] == 0, outcome
    assert outcome.get("publish", (None,))[0] == 0, outcome
    after = (data_dir / "warehouse.duckdb").stat().st_ino
    assert after != before  # a new file was put in service ...
    assert held_open == {after}  # ... and the app serves it, the old one closed
    assert result.held == SESSIONS
    assert result.health_checks >= 10 and result.health_failures == 0, result.health_latencies
    assert set(result.runs_by_page) == set(page_paths()) | {""}  # every page ran
    after_publish = [t for t in result.run_ends if t > outcome["published_at"]]
    assert len(after_publish) >= SESSIONS  # the sessions went on with the new warehouse
