"""`make bench` runs every benchmark (#17 "Done when"): the target calls `python -m benchmarks`
without a command, which runs each registered command; all the issue's benchmarks are there."""

from __future__ import annotations

import re
from pathlib import Path

import typer

ROOT = Path(__file__).resolve().parent.parent


def test_make_bench_runs_every_benchmark_of_the_issue():
    from benchmarks.__main__ import app

    recipe = re.search(r"^bench:.*\n((?:\t.*\n)+)", (ROOT / "Makefile").read_text(), re.M)
    assert recipe is not None
    assert [line.strip() for line in recipe.group(1).splitlines()] == ["$(BIN)/python -m benchmarks"]
    commands = set(typer.main.get_command(app).commands)
    assert {"ingest", "queries", "browser", "attacker", "load", "csv-memory", "germany", "pages"} <= commands
