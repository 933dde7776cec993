"""Peak memory of ingesting a large BA Datenbanken CSV (#10, #17 part 4: under 500 MB for a
60 MB export), measured on the real command line in a process of its own.

The file is generated: every Kreis of the reference table × WZ codes (sections, divisions,
groups and classes), two measures (svb, gb), code/label column pairs with long labels as the
BA writes them. ``python -m pipelines reference`` prepares a fresh warehouse, then
``python -m pipelines ingest FILE`` loads the file and, once more, finds it unchanged by its
hash. Each command's peak resident memory comes from the kernel (``wait4``: ru_maxrss, the
whole process including Python, Polars and DuckDB) and is printed with its wall time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl
import typer

from benchmarks.ingest import KREISE, _wz_codes
from pipelines.statistics.writers import FOOTER

HEADER = (
    "BundeslandID;Bundesland;KreisID;Kreis;WZ08-ID;WZ08;"
    "Sozialversicherungspflichtig Beschäftigte;Geringfügig Beschäftigte"
)


def datenbank_csv(path: Path, megabytes: float) -> tuple[Path, int]:
    """A BA Datenbanken export of about ``megabytes`` MB (at most about 62 MB: every Kreis ×
    WZ code once): Kreise × WZ codes in order. (path, data rows)"""
    codes = _wz_codes(100_000)
    grid = pl.DataFrame({"ags": KREISE}).join(pl.DataFrame({"code": codes}), how="cross")
    grid = grid.with_columns(v=(pl.int_range(pl.len()) * 7919 % 5000).cast(pl.Int64))
    body = grid.select(
        pl.concat_str(
            [
                pl.col("ags").str.slice(0, 2),
                pl.lit("Niedersachsen"),
                pl.col("ags"),
                pl.lit("Landkreis Beispiel-Musterstadt, Kreisfreie Stadt (Region Hannover)"),
                pl.col("code"),
                pl.lit("Herstellung von Kraftwagen und Kraftwagenteilen"),
                (pl.col("v") * 3).cast(pl.String),
                (pl.col("v") + 7).cast(pl.String),
            ],
            separator=";",
        )
    ).to_series()
    line_bytes = body.str.len_bytes().mean() + 1
    rows = min(int(megabytes * 1e6 / line_bytes), body.len())
    text = "\n".join(
        [
            "Stichtag;30.06.2023",
            "Gebietsstand;Juni 2023",
            "",
            HEADER,
            *body.head(rows).to_list(),
            FOOTER,
            "Erstellungsdatum: 15.01.2024",
        ]
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path, rows


def _run(args: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    """(exit code, seconds, peak resident MB) of one command in a process of its own."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0,):
        typer.echo(process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else "", err=True)
    return process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024  # kB → MB


def csv_memory(
    megabytes: float = typer.Option(60.0, "--mb", help="Size of the generated CSV in MB."),
) -> None:
    """Peak memory and time of `python -m pipelines ingest` for a large BA Datenbanken CSV."""
    with tempfile.TemporaryDirectory(prefix="cockpit-csv-memory-") as tmp:
        folder = Path(tmp)
        path, rows = datenbank_csv(folder / "datenbank-svb-wz.csv", megabytes)
        size = path.stat().st_size / 1e6
        env = {
            **os.environ,
            "COCKPIT_DATA_DIR": str(folder / "data"),
            "COCKPIT_CONFIG": str(folder / "none.toml"),
            # a 60 MB export is above the default upload limit (50 MB); the ingest is the same
            "COCKPIT_UPLOAD__MAX_FILE_MB": str(int(megabytes * 2) + 10),
            "COCKPIT_UPLOAD__MAX_ROWS": "10000000",
            "COCKPIT_UPLOAD__MAX_CELLS": "100000000",
        }
        command = [sys.executable, "-m", "pipelines"]
        code, _, _ = _run([*command, "reference", "--publish"], env)
        if code:
            raise typer.Exit(code)
        typer.echo(f"{'run':28} {'exit':>4} {'s':>7} {'peak MB':>8}   file {size:.1f} MB, {rows:,} rows")
        for label in ("ingest (load + publish)", "ingest again (unchanged)"):
            code, seconds, peak = _run([*command, "ingest", str(path)], env)
            typer.echo(f"{label:28} {code:>4} {seconds:>7.2f} {peak:>8.0f}")
