"""Browser-test support: the real Streamlit app on the demo warehouse, headless Debian chromium.

The app runs as a subprocess (``streamlit run app.py``) against the demo warehouse built by the
session fixture ``demo_dir``; Playwright drives the system chromium at /usr/bin/chromium (no
browser download). Without chromium the tests are skipped locally but fail on CI.

Fixtures ``app_url`` and ``browser`` are imported by tests/conftest.py for every browser test.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
RENDER_TIMEOUT_MS = 60_000
# A German percent value: decimal comma, (non-breaking) space, percent sign, e.g. "64,8 %".
GERMAN_PERCENT = re.compile(r"\d,\d+[\s\u00a0\u202f]?%")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def _report(config: pytest.Config, title: str, text: str) -> None:
    """Write past pytest's output capture (the server log is not part of any test's output)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", title)
        reporter.write_line(text)
    else:
        print(f"===== {title} =====\n{text}", file=sys.__stderr__)


@pytest.fixture(scope="module")
def app_url(
    demo_dir: Path, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[str]:
    """The app on the demo warehouse, served on a free port; terminated at teardown."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(
        COCKPIT_DATA_DIR=str(demo_dir),
        COCKPIT_CONFIG=str(demo_dir / "none.toml"),
        COCKPIT_DEMO__LAST_MONTH="2026-10-01",
        PYTHONUNBUFFERED="1",
    )
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    failed_before = request.session.testsfailed
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = f"http://127.0.0.1:{port}/_stcore/health"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(health):
            if process.poll() is not None:
                pytest.fail(
                    f"streamlit exited with code {process.returncode} during startup:\n"
                    f"{log_path.read_text(errors='replace')}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n"
                    f"{log_path.read_text(errors='replace')}"
                )
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if request.session.testsfailed > failed_before:
            _report(request.config, f"streamlit log ({log_path})", log_path.read_text(errors="replace"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; browser tests must not be skipped on CI")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
