"""Benchmark commands; each one prints its figures (no timed asserts anywhere)."""

from __future__ import annotations

import typer

from benchmarks.ingest import ingest_benchmark

app = typer.Typer(add_completion=False, help=__doc__, no_args_is_help=True)
app.command(name="ingest")(ingest_benchmark)


@app.callback()
def main() -> None:
    """Run one benchmark command (see --help)."""


if __name__ == "__main__":
    app()
