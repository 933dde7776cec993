"""Many sessions at once against the real app (``streamlit run app.py``), loopback only.

Each session is one websocket to ``/_stcore/stream`` that speaks Streamlit's own protocol
(the BackMsg / ForwardMsg protobufs the browser sends and receives): it asks for a page,
reads the page's elements until the script run has finished, then asks for the next page,
cycling through every page registered in ``app.py``. Meanwhile a poller asks
``/_stcore/health`` twice a second. A run that does not finish within ``run_timeout`` counts
as a hang; an exception element or an error box on a page is recorded with its text.

``python -m benchmarks load`` starts the app on a warehouse, drives it and reports sessions
held, page runs per second and the server's peak memory; tests/test_load.py runs the same
driver for a bounded time while a new warehouse is published.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer

from analytics.settings import PROJECT_ROOT, get_settings

APP = PROJECT_ROOT / "app.py"
STARTUP_TIMEOUT_S = 60


def page_paths(app_file: Path = APP) -> list[str]:
    """The url_path of every st.Page in app.py, in order (the name a session asks for; the
    default page is asked for by the empty name, as the browser does for the app's root)."""
    import ast

    tree = ast.parse(app_file.read_text(encoding="utf-8"))
    paths = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            keywords = {k.arg: k.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            if "url_path" in keywords:
                default = "default" in keywords and keywords["default"].value
                paths.append("" if default else keywords["url_path"].value)
    return paths


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def serve_app(
    data_dir: Path,
    log_path: Path,
    port: int | None = None,
    extra_env: dict[str, str] | None = None,
    script: str = "app.py",
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run app.py`` (or another ``script``) on ``data_dir``, bound to 127.0.0.1;
    yields (base URL, process)."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COCKPIT_")}
    env.update(
        COCKPIT_DATA_DIR=str(data_dir),
        COCKPIT_CONFIG=str(data_dir / "none.toml"),
        COCKPIT_DEMO__LAST_MONTH="2026-10-01",
        PYTHONUNBUFFERED="1",
        **(extra_env or {}),
    )
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        health = f"http://127.0.0.1:{port}/_stcore/health"
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not healthy(health):
            if process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with code {process.returncode} during startup:\n"
                    f"{log_path.read_text(errors='replace')}"
                )
            if time.monotonic() > deadline:
                log = log_path.read_text(errors="replace")
                raise RuntimeError(f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{log}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a running process in MB (Linux), None if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@dataclass
class LoadResult:
    sessions: int
    seconds: float
    runs: int = 0  # page runs that finished
    held: int = 0  # sessions that finished at least one run and stayed connected to the end
    hangs: list[str] = field(default_factory=list)  # "session N: page P" without an end in time
    problems: list[str] = field(default_factory=list)  # exceptions / error boxes / lost sessions
    slowest_run_s: float = 0.0
    health_checks: int = 0
    health_failures: int = 0  # no "ok" within the poller's timeout
    health_latencies: list[float] = field(default_factory=list)
    health_times: list[float] = field(default_factory=list)  # time.monotonic() at each check
    runs_by_page: dict[str, int] = field(default_factory=dict)
    run_ends: list[float] = field(default_factory=list)  # time.monotonic() when each run finished

    @property
    def runs_per_second(self) -> float:
        return self.runs / self.seconds if self.seconds else 0.0

    @property
    def slowest_health_s(self) -> float:
        return max(self.health_latencies, default=0.0)

    def health_quantile(self, q: float) -> float:
        ordered = sorted(self.health_latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _back_msg(page: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = "demo_role=agency"  # the demo sign-in (#13)
    return msg.SerializeToString()


def _shown_problems(forward) -> list[str]:
    """Exception elements and error boxes in one ForwardMsg."""
    from streamlit.proto.Alert_pb2 import Alert

    if forward.WhichOneof("type") != "delta" or forward.delta.WhichOneof("type") != "new_element":
        return []
    element = forward.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return [f"{element.exception.type}: {element.exception.message}"]
    if kind == "alert" and element.alert.format == Alert.ERROR:
        return [f"error box: {element.alert.body[:200]}"]
    return []


async def _one_run(ws, page: str, run_timeout: float) -> tuple[bool, list[str]]:
    """Ask for ``page`` and read until its run finished: (finished in time, problems shown)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await ws.send(_back_msg(page))
    problems: list[str] = []
    deadline = time.monotonic() + run_timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False, problems
        try:
            data = await asyncio.wait_for(ws.recv(), timeout=left)
        except TimeoutError:
            return False, problems
        forward = ForwardMsg()
        forward.ParseFromString(data)
        kind = forward.WhichOneof("type")
        problems += _shown_problems(forward)
        if kind == "page_not_found":
            problems.append(f"page not found: {page!r} ({forward.page_not_found.page_name!r})")
        if kind == "script_finished":
            if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                problems.append("script compile error")
            if forward.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return True, problems


async def _session(
    number: int, ws_url: str, pages: list[str], until: float, run_timeout: float, result: LoadResult
) -> None:
    from websockets.asyncio.client import connect

    finished = 0
    try:
        async with connect(ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=30) as ws:
            # the first run opens the app's root, as a browser does; then the sessions go
            # through the pages, each starting at another one
            i = number
            first = True
            while time.monotonic() < until:
                page = "" if first else pages[i % len(pages)]
                first = False
                started = time.monotonic()
                done, problems = await _one_run(ws, page, run_timeout)
                result.problems += [f"session {number}, page {page}: {p}" for p in problems]
                if not done:
                    result.hangs.append(f"session {number}: page {page} not finished after {run_timeout} s")
                    return
                result.slowest_run_s = max(result.slowest_run_s, time.monotonic() - started)
                result.runs += 1
                result.runs_by_page[page] = result.runs_by_page.get(page, 0) + 1
                result.run_ends.append(time.monotonic())
                finished += 1
                i += 1
    except Exception as exc:  # a lost connection is a finding, not a crash of the driver
        result.problems.append(f"session {number}: {type(exc).__name__}: {exc}")
        return
    if finished:
        result.held += 1


def _poll_health(url: str, stop: threading.Event, result: LoadResult, timeout: float) -> None:
    while not stop.is_set():
        started = time.monotonic()
        result.health_times.append(started)
        ok = healthy(url, timeout=timeout)
        result.health_latencies.append(time.monotonic() - started)
        result.health_checks += 1
        result.health_failures += 0 if ok else 1
        stop.wait(0.5)


def drive(
    base_url: str,
    sessions: int,
    seconds: float,
    pages: list[str] | None = None,
    run_timeout: float = 30.0,
    ramp_s: float = 0.1,
    health_timeout: float = 10.0,
) -> LoadResult:
    """``sessions`` websocket sessions cycling through ``pages`` for ``seconds``; health polled."""
    pages = pages or page_paths()
    host = base_url.split("//", 1)[1].rstrip("/")
    ws_url = f"ws://{host}/_stcore/stream"
    result = LoadResult(sessions=sessions, seconds=seconds)
    stop = threading.Event()
    poller = threading.Thread(
        target=_poll_health, args=(f"http://{host}/_stcore/health", stop, result, health_timeout), daemon=True
    )
    poller.start()

    async def main() -> None:
        until = time.monotonic() + seconds
        tasks = []
        for n in range(sessions):
            tasks.append(asyncio.create_task(_session(n, ws_url, pages, until, run_timeout, result)))
            await asyncio.sleep(ramp_s)
        await asyncio.gather(*tasks)

    started = time.monotonic()
    try:
        asyncio.run(main())
    finally:
        stop.set()
        poller.join(timeout=10)
    result.seconds = time.monotonic() - started
    return result


def report(result: LoadResult, rss_mb: float | None) -> None:
    typer.echo(f"  sessions          {result.sessions} (held to the end: {result.held})")
    typer.echo(f"  duration          {result.seconds:.1f} s")
    typer.echo(f"  page runs         {result.runs} ({result.runs_per_second:.2f} per second)")
    typer.echo(f"  slowest run       {result.slowest_run_s:.2f} s")
    typer.echo(
        f"  health checks     {result.health_checks} (failed {result.health_failures}; median "
        f"{result.health_quantile(0.5):.2f} s, 95 % {result.health_quantile(0.95):.2f} s, "
        f"slowest {result.slowest_health_s:.2f} s)"
    )
    if rss_mb is not None:
        typer.echo(f"  server peak RSS   {rss_mb:.0f} MB")
    typer.echo(f"  runs per page     {dict(sorted(result.runs_by_page.items()))}")
    for line in result.hangs + result.problems:
        typer.echo(f"  PROBLEM: {line}")


def load(
    sessions: Annotated[int, typer.Option(help="Concurrent websocket sessions.")] = 20,
    seconds: Annotated[float, typer.Option(help="How long the sessions cycle through the pages.")] = 60.0,
    data_dir: Annotated[Path | None, typer.Option(help="Warehouse directory (default: data_dir).")] = None,
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default: a free one).")] = None,
) -> None:
    """Sessions held, page runs per second and peak server memory under concurrent sessions."""
    import tempfile

    data = data_dir or get_settings().data_dir
    if not (data / "warehouse.duckdb").exists():
        raise typer.BadParameter(f"no warehouse in {data}: run `python -m pipelines all` first")
    with tempfile.TemporaryDirectory(prefix="cockpit-load-") as tmp:
        log_path = Path(tmp) / "streamlit.log"
        with serve_app(data, log_path, port=port) as (url, process):
            typer.echo(f"\nApp on {url} ({data}); {sessions} sessions for {seconds:.0f} s")
            result = drive(url, sessions, seconds)
            rss = peak_rss_mb(process.pid)
        report(result, rss)
        if result.hangs or result.problems:
            typer.echo(f"  server log: {log_path.read_text(errors='replace')[-3000:]}")
