"""End-to-end tests: the real Streamlit app on the demo warehouse in headless Debian chromium.

The app runs as a subprocess (``streamlit run app.py``) against the demo warehouse built by the
session fixture ``demo_dir``; Playwright drives the system chromium at /usr/bin/chromium (no
browser download). Without chromium the tests are skipped locally but fail on CI.

Set ``COCKPIT_SCREENSHOT_DIR`` to get a full-page screenshot of the overview (overview.png).
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

pytestmark = pytest.mark.browser

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
def app_url(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory,
            request: pytest.FixtureRequest) -> Iterator[str]:
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
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]
    failed_before = request.session.testsfailed
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        health = f"http://127.0.0.1:{port}/_stcore/health"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not _healthy(health):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with code {process.returncode} during startup:\n"
                            f"{log_path.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n"
                            f"{log_path.read_text(errors='replace')}")
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
            _report(request.config, f"streamlit log ({log_path})",
                    log_path.read_text(errors="replace"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; browser tests must not be skipped on CI")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, app_url: str):
    """A fresh browser context (new Streamlit session) with the overview loaded."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        _wait_for_kpis(page)
        yield page
    finally:
        context.close()


def _wait_for_kpis(page, minimum: int = 10) -> None:
    from playwright.sync_api import expect

    metrics = page.get_by_test_id("stMetric")
    expect(metrics.nth(minimum - 1)).to_be_visible(timeout=RENDER_TIMEOUT_MS)


def _metric_label(page, text: str):
    return page.get_by_test_id("stMetricLabel").filter(has_text=text).first


def test_overview_renders_german_kpis_and_chart(page) -> None:
    from playwright.sync_api import expect

    metrics = page.get_by_test_id("stMetric")
    assert metrics.count() >= 10

    expect(_metric_label(page, "Neue Teilnehmende")).to_be_visible()
    expect(_metric_label(page, "Übergänge in Arbeit")).to_be_visible()

    values = [v.strip() for v in page.get_by_test_id("stMetricValue").all_inner_texts()]
    assert len(values) >= 10, values
    assert any(GERMAN_PERCENT.search(v) for v in values), f"no German percent value in {values}"
    assert not any(re.search(r"\d\.\d+[\s\u00a0\u202f]?%", v) for v in values), values

    expect(page.get_by_text("DEMO-DATEN").first).to_be_visible()

    chart = page.locator('[data-testid="stPlotlyChart"], .js-plotly-plot').first
    expect(chart).to_be_visible(timeout=RENDER_TIMEOUT_MS)

    shot_dir = os.environ.get("COCKPIT_SCREENSHOT_DIR")
    if shot_dir:
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_attached()
        # Streamlit scrolls inside its main container, so full_page alone only captures the
        # viewport: grow the viewport to the content height first.
        height = page.evaluate(
            "Math.max(...[...document.querySelectorAll('[data-testid=stMain], section')]"
            ".map(e => e.scrollHeight), document.body.scrollHeight)"
        )
        page.set_viewport_size({"width": 1600, "height": min(int(height) + 50, 6000)})
        page.wait_for_timeout(1000)  # let plotly finish drawing before the screenshot
        Path(shot_dir).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shot_dir) / "overview.png"), full_page=True)


def test_language_switch_to_english(page) -> None:
    from playwright.sync_api import expect

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("English", exact=True).click()

    expect(_metric_label(page, "New participants")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    german = page.get_by_test_id("stMetricLabel").filter(has_text="Neue Teilnehmende")
    expect(german).to_have_count(0)
