"""Benchmark commands; each one prints its figures (no timed asserts anywhere).
Without a command every benchmark runs with its defaults."""

from __future__ import annotations

import typer

from benchmarks.attacker import attacker
from benchmarks.browser import browser_benchmark
from benchmarks.csv_memory import csv_memory
from benchmarks.germany import germany
from benchmarks.ingest import ingest_benchmark
from benchmarks.load import load
from benchmarks.pages import pages
from benchmarks.queries import queries

app = typer.Typer(add_completion=False, help=__doc__, no_args_is_help=False)
app.command(name="ingest")(ingest_benchmark)
app.command(name="csv-memory")(csv_memory)
app.command(name="pages")(pages)
app.command(name="load")(load)
app.command(name="germany")(germany)
app.command(name="attacker")(attacker)
app.command(name="queries")(queries)
app.command(name="browser")(browser_benchmark)


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context) -> None:
    """Run one benchmark command, or all of them when none is given."""
    if ctx.invoked_subcommand is not None:
        return
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        typer.echo(f"\n=== {name} ===")
        ctx.invoke(command)


if __name__ == "__main__":
    app()
