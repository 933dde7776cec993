"""Pages as a person in a browser waits for them: every page of the app in headless Debian
chromium (Playwright, /usr/bin/chromium, no browser download), on the demo warehouse and on
generated all-Germany warehouses (``--scale``: 10× = 3,200 participants, 100× = 32,000),
against a bare Streamlit page with one metric measured in the same run.

Per page and round: **first** = a new browser session (new context, signed in by the demo
sign-in ``?demo_role=agency``) opening the page; **again** = the same page loaded again in
that context (new Streamlit session, warm server caches and browser cache); **change** = the
sidebar region switched to the next preset (timed from the click on it, the list opened
before); **local** (before the region change) = the page's own first radio switched to its
next option (on *Regionen*: level/change, which recolours the map), with the script runs
it caused and how many of them were fragment runs (``st.fragment``). Each time is *until settled*: no running
indicator and no stale element, and the page's text and element count unchanged for 1 s
(the time reported is when the last change happened, without that second). Median of
``rounds``. The bare page is timed the same way (first, again) in the same run, so the
ratios cancel the machine's noise out. The app's peak memory (VmHWM of the server process)
is reported per warehouse. Each app runs on its own port.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from analytics.settings import SHARED_GEO, get_settings
from benchmarks.load import page_paths, peak_rss_mb, serve_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
STABLE_S = 1.0
POLL_S = 0.05
TIMEOUT_S = 90.0
BARE_PAGE = 'import streamlit as st\n\nst.metric("Bare page", 1)\n'
# what the page looks like now: running (stale elements, skeletons, no main block yet), text
# and element count; the script runs themselves are followed on the websocket (Received)
STATE_JS = """() => {
    const running = !!document.querySelector('[data-stale="true"]')
        || !!document.querySelector('[data-testid="stSkeleton"]')
        || !document.querySelector('[data-testid="stMain"]');
    const text = document.body ? document.body.innerText : '';
    let hash = 0;
    for (let i = 0; i < text.length; i++) { hash = (hash * 31 + text.charCodeAt(i)) | 0; }
    return [running, hash, text.length, document.getElementsByTagName('*').length];
}"""


def settle(page, started: float, runs: Received) -> float:
    """Seconds from ``started`` until the page last changed before it stayed settled 1 s
    (no script run going on, at least one finished since ``started``)."""
    last_state, last_change = None, time.perf_counter()
    deadline = started + TIMEOUT_S
    finished_before = runs.finished
    while True:
        now = time.perf_counter()
        state = page.evaluate(STATE_JS)
        busy = state[0] or runs.running or runs.finished == finished_before
        if state != last_state or busy:
            last_state, last_change = state, now
        elif now - last_change >= STABLE_S:
            return last_change - started
        if now > deadline:
            raise TimeoutError(f"{page.url}: not settled after {TIMEOUT_S:.0f} s")
        page.wait_for_timeout(POLL_S * 1000)  # lets Playwright deliver the websocket events


def page_facts(page) -> dict[str, int]:
    """What the settled page holds: DOM elements, plotly figures, deck.gl maps."""
    return page.evaluate(
        """() => ({
            elements: document.getElementsByTagName('*').length,
            plotly: document.querySelectorAll('[data-testid="stPlotlyChart"]').length,
            decks: document.querySelectorAll('[data-testid="stDeckGlJsonChart"]').length,
        })"""
    )


@dataclass
class Timing:
    first: list[float] = field(default_factory=list)
    again: list[float] = field(default_factory=list)
    change: list[float] = field(default_factory=list)
    first_script: list[float] = field(default_factory=list)  # last script run finished, s
    again_script: list[float] = field(default_factory=list)
    received_kb: list[float] = field(default_factory=list)
    change_kb: list[float] = field(default_factory=list)
    change_runs: list[int] = field(default_factory=list)
    local: list[float] = field(default_factory=list)
    local_kb: list[float] = field(default_factory=list)
    local_runs: list[int] = field(default_factory=list)
    local_fragment_runs: list[int] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)

    def median(self, name: str) -> float | None:
        values = getattr(self, name)
        return statistics.median(values) if values else None


class Received:
    """What the browser receives over the app's websocket: bytes, and the script runs (a run
    starts with a ``new_session`` message and ends with ``script_finished``; a run of an
    ``st.fragment`` alone names its fragment in the message's metadata)."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._message = ForwardMsg
        self.bytes = 0
        self.started = 0
        self.finished = 0
        self.fragment_runs = 0
        self.finished_at = 0.0  # perf_counter of the last finished script run
        page.on("websocket", self._watch)

    @property
    def running(self) -> bool:
        return self.started > self.finished

    def _watch(self, ws) -> None:
        ws.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        self.bytes += len(payload)
        message = self._message()
        try:
            message.ParseFromString(payload)
        except Exception:  # noqa: BLE001 (a frame that is no ForwardMsg: counted, not parsed)
            return
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.started += 1
            if message.metadata.run.fragment_ids:
                self.fragment_runs += 1
        elif kind == "script_finished" and message.script_finished != self._message.FINISHED_EARLY_FOR_RERUN:
            self.finished = self.started
            self.finished_at = time.perf_counter()


def _open(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    context.set_default_timeout(TIMEOUT_S * 1000)
    page = context.new_page()
    return context, page


def _close_dialogs(page) -> None:
    """st.navigation's "page not found" notice for a deep link after a restart: close it."""
    dialog = page.get_by_role("dialog")
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.wait_for(state="detached")


def _open_region_list(page):
    """Open the sidebar region list; the option to click (the first one not selected), or
    None when the page has no such filter."""
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    if not box.count():
        return None
    options = page.locator('[role="listbox"] [role="option"]')
    for _attempt in range(3):
        _close_dialogs(page)
        box.get_by_role("button", name="Open").click()
        try:
            options.first.wait_for(timeout=5_000)
        except Exception:  # noqa: BLE001 (playwright's TimeoutError: open it again)
            continue
        chosen = [
            i for i in range(options.count()) if options.nth(i).get_attribute("aria-selected") != "true"
        ]
        if chosen:
            return options.nth(chosen[0])
        page.keyboard.press("Escape")  # a list still closing or another one: open it again
    return None


def _local_option(page):
    """The page's own first radio (in the main block, not the sidebar): its first option not
    chosen, or None. On *Regionen* that is level/change, which recolours the map."""
    radio = page.locator('[data-testid="stMain"] [data-testid="stRadio"]').first
    if not radio.count():
        return None
    options = radio.locator("label:has(input)")
    for i in range(options.count()):
        if not options.nth(i).locator("input").is_checked():
            return options.nth(i)
    return None


def time_page(browser, url: str, rounds: int, *, change: bool) -> Timing:
    timing = Timing()
    for _ in range(rounds):
        context, page = _open(browser, url)
        runs = Received(page)
        try:
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            timing.first.append(settle(page, started, runs))
            timing.first_script.append(runs.finished_at - started)
            timing.received_kb.append(runs.bytes / 1024)
            started = time.perf_counter()
            page.goto(url, wait_until="commit")
            timing.again.append(settle(page, started, runs))
            timing.again_script.append(runs.finished_at - started)
            timing.facts = page_facts(page)
            if change:
                _close_dialogs(page)
                option = _local_option(page)
                if option is not None:  # the page's own widget: timed from the click
                    sent, begun, fragments = runs.bytes, runs.started, runs.fragment_runs
                    started = time.perf_counter()
                    option.click()
                    timing.local.append(settle(page, started, runs))
                    timing.local_kb.append((runs.bytes - sent) / 1024)
                    timing.local_runs.append(runs.started - begun)
                    timing.local_fragment_runs.append(runs.fragment_runs - fragments)
                option = _open_region_list(page)
                if option is not None:  # timed from the click on the new region
                    sent, begun = runs.bytes, runs.started
                    started = time.perf_counter()
                    option.click()
                    timing.change.append(settle(page, started, runs))
                    timing.change_kb.append((runs.bytes - sent) / 1024)
                    timing.change_runs.append(runs.started - begun)
        finally:
            context.close()
    return timing


def run_app(
    browser, data_dir: Path, log_dir: Path, rounds: int, port: int | None, only: list[str] | None = None
) -> tuple[dict, float | None]:
    results = {}
    log = log_dir / f"app-{'-'.join(data_dir.parts[-2:])}.log"
    with serve_app(data_dir, log, port=port) as (base, process):
        for path in [p for p in page_paths() if p != "uebersicht" and (not only or (p or "start") in only)]:
            url = f"{base}{path}?demo_role=agency"
            results[path or "start"] = time_page(browser, url, rounds, change=True)
        memory = peak_rss_mb(process.pid)
    return results, memory


def run_bare(browser, log_dir: Path, rounds: int, port: int | None) -> Timing:
    script = log_dir / "bare_page.py"
    script.write_text(BARE_PAGE, encoding="utf-8")
    with serve_app(log_dir, log_dir / "bare.log", port=port, script=str(script)) as (base, _process):
        return time_page(browser, base, rounds, change=False)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _kb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _runs(t: Timing) -> str:
    """Script runs per change of the page's own widget: all (of them fragment runs)."""
    if not t.local_runs:
        return "–"
    return f"{statistics.median(t.local_runs):.0f} ({statistics.median(t.local_fragment_runs):.0f})"


def report(label: str, results: dict[str, Timing], bare: Timing, memory: float | None) -> None:
    b_first, b_again = bare.median("first"), bare.median("again")
    typer.echo(
        f"\n{label}; bare page: first {b_first:.2f} s, again {b_again:.2f} s (its script run finished"
        f" after {_fmt(bare.median('first_script'))} / {_fmt(bare.median('again_script'))} s)"
    )
    typer.echo(
        f"  {'page':<18} {'first s':>8} {'×bare':>6} {'again s':>8} {'×bare':>6} {'change s':>9}"
        f" {'sent kB':>8} {'chg kB':>7} {'runs':>4} {'local s':>8} {'loc kB':>7} {'runs (fragment)':>15}"
        f" {'elements':>8} {'plotly':>6} {'maps':>4} {'script first/again s':>20}"
    )
    for path, t in results.items():
        first, again, change = t.median("first"), t.median("again"), t.median("change")
        missed = []
        if first / b_first > 1.5:
            missed.append("first")
        if again / b_again > 1.5:
            missed.append("again")
        if change is not None and change > 0.5:
            missed.append("change")
        if t.median("local") is not None and t.median("local") > 0.5:
            missed.append("local")
        typer.echo(
            f"  {path:<18} {first:>8.2f} {first / b_first:>6.1f} {again:>8.2f} {again / b_again:>6.1f}"
            f" {_fmt(change):>9} {t.median('received_kb'):>8.0f} {_kb(t.median('change_kb')):>7}"
            f" {_kb(t.median('change_runs')):>4} {_fmt(t.median('local')):>8} {_kb(t.median('local_kb')):>7}"
            f" {_runs(t):>15} {t.facts.get('elements', 0):>8}"
            f" {t.facts.get('plotly', 0):>6} {t.facts.get('decks', 0):>4}"
            f" {_fmt(t.median('first_script')) + ' / ' + _fmt(t.median('again_script')):>20}"
            + (f"   over target: {', '.join(missed)}" if missed else "")
        )
    typer.echo(f"  app peak memory (VmHWM): {_fmt(memory)} MB")


def holds_real_data(data_dir: Path) -> bool:
    """Whether the warehouse holds data not made by the demo (analytics.auth.real_data_loaded):
    then the app refuses the demo sign-in, and every page would time the sign-in notice."""
    import duckdb

    from analytics.auth import real_data_loaded

    con = duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True)
    try:
        return real_data_loaded(con)
    finally:
        con.close()


def browser_benchmark(
    rounds: Annotated[int, typer.Option(help="Rounds per page; the median is reported.")] = 3,
    scale: Annotated[
        list[int] | None, typer.Option(help="All-Germany warehouse(s), × demo participants.")
    ] = None,
    demo: Annotated[bool, typer.Option(help="Also time the demo warehouse.")] = True,
    port: Annotated[
        int | None, typer.Option(help="Port of the app (bare page: port + 1); default free.")
    ] = None,
    page: Annotated[
        list[str] | None, typer.Option(help="Only these pages (URL path, 'start' = Übersicht).")
    ] = None,
    warehouse: Annotated[
        list[Path] | None,
        typer.Option(help="Existing warehouse(s) (data dir), e.g. data/germany; then no --scale by default."),
    ] = None,
) -> None:
    """Every page in headless chromium until settled, vs a bare Streamlit page (ratios)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.pages import build_germany_warehouse, pointing_at, warehouse_dir

    existing = [warehouse_dir(w) for w in warehouse or []]
    for data_dir in existing:
        if holds_real_data(data_dir):
            raise typer.BadParameter(
                f"{data_dir} holds non-demo data, so the app refuses the demo sign-in "
                "(?demo_role=…) the browser benchmark signs in with; time it with `pages --warehouse`"
            )
    if not CHROMIUM.exists():
        typer.echo(f"Debian chromium not found at {CHROMIUM}: skipping the browser benchmark")
        return
    default = [] if existing else [10]
    scales = default if scale is None else [s for s in scale if s > 0]  # --scale 0: demo only
    demo_dir = get_settings().data_dir
    with tempfile.TemporaryDirectory(prefix="cockpit-browser-") as tmp, sync_playwright() as playwright:
        log_dir = Path(tmp)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            bare = run_bare(browser, log_dir, rounds, port + 1 if port else None)
            if demo and (demo_dir / "warehouse.duckdb").exists():
                results, memory = run_app(browser, demo_dir, log_dir, rounds, port, page)
                report(f"Demo warehouse ({demo_dir})", results, bare, memory)
            for data_dir in existing:
                results, memory = run_app(browser, data_dir, log_dir, rounds, port, page)
                bare = run_bare(browser, log_dir, rounds, port + 1 if port else None)  # same run, again
                report(f"Warehouse {data_dir}", results, bare, memory)
            for factor in scales:
                if not SHARED_GEO.exists():
                    typer.echo(f"BKG file {SHARED_GEO} missing: skipping the all-Germany warehouses")
                    break
                target = log_dir / f"germany{factor}" / "data"
                started = time.perf_counter()
                with pointing_at(target.parent):
                    build_germany_warehouse(target, scale=factor)
                typer.echo(
                    f"\nBuilt the {factor}× all-Germany warehouse in {time.perf_counter() - started:.0f} s"
                )
                results, memory = run_app(browser, target, log_dir, rounds, port, page)
                bare = run_bare(browser, log_dir, rounds, port + 1 if port else None)  # same run, again
                report(
                    f"{factor}× all-Germany warehouse ({320 * factor} participants)", results, bare, memory
                )
        finally:
            browser.close()
