"""Browser-test support: the real Streamlit app on the demo warehouse, headless Debian chromium.

The app runs as a subprocess (``streamlit run app.py``) against the demo warehouse built by the
session fixture ``demo_dir``; Playwright drives the system chromium at /usr/bin/chromium (no
browser download). Without chromium the tests are skipped locally but fail on CI.

Fixtures ``app_url`` and ``browser`` are imported by tests/conftest.py for every browser test.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.load import serve_app

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
RENDER_TIMEOUT_MS = 60_000
# A German percent value: decimal comma, (non-breaking) space, percent sign, e.g. "64,8 %".
GERMAN_PERCENT = re.compile(r"\d,\d+[\s\u00a0\u202f]?%")


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
    log_path = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    failed_before = request.session.testsfailed
    try:
        with serve_app(demo_dir, log_path) as (url, _process):
            yield url
    finally:
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
