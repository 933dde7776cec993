"""The statistics ingest at Germany scale (#17 parts 4 and 5): every Kreis of the BKG file ×
5-digit KldB codes × months, as BA labour-market workbooks, loaded through the real ingest.

Phases, each timed and with the process's peak memory (VmHWM, reset before each phase):

* ``batch``: all months in one ``ingest`` run (one load session, one publish); the time per
  file is each file's load (``write_parsed``) and shows whether it stays flat as the
  warehouse grows;
* ``revision``: one month again with a later creation date (every value revised), loaded and
  published like an upload on *Statistik laden*;
* ``unchanged``: the same revised file once more (found by its content hash, never parsed);
* ``revision`` and ``unchanged`` again, each in a process of its own (``python -m pipelines
  ingest``, as the CLI or a cron job runs it): the peak is the kernel's ``ru_maxrss`` of that
  process, without what this process still holds from the batch.

The files are generated deterministically (``germany_labour_market_file``). Before the batch
the warehouse gets the reference data, every Kreis of the BKG file with its shapes and, with
``--cases N``, the demo's case data for N participants over all Kreise (so that every page has
data). The warehouse lives in a temporary directory, or with ``--keep`` in ``data/germany/``
(``python -m benchmarks pages --warehouse data/germany``). The figures go into the README
table by hand.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from analytics.settings import PROJECT_ROOT, SHARED_GEO, get_settings
from pipelines.statistics.writers import FOOTER, month_label, write_xlsx

KLDB_REFERENCE = Path(__file__).resolve().parent.parent / "pipelines" / "reference_data" / "kldb2010.csv"
KEPT = PROJECT_ROOT / "data" / "germany"  # the data directory --keep leaves behind


def kldb_5_digit_codes(count: int) -> list[str]:
    """``count`` 5-digit KldB codes (Berufsgattungen): the 3-digit groups of the reference
    table, each with Berufsuntergruppen 0–9 and Anforderungsniveau 1–4 (the fifth digit),
    taken round-robin over the groups so that every group has codes. Deterministic."""
    groups = [
        line.split(",")[0]
        for line in KLDB_REFERENCE.read_text(encoding="utf-8").splitlines()[1:]
        if len(line.split(",")[0]) == 3
    ]
    per_group = [f"{d}{level}" for d in range(10) for level in range(1, 5)]  # 40 per group
    if count > len(groups) * len(per_group):
        raise typer.BadParameter(f"at most {len(groups) * len(per_group)} 5-digit codes")
    codes = [f"{g}{tail}" for tail in per_group for g in groups][:count]
    return sorted(codes)


def germany_labour_market_file(
    folder: Path, kreise: list[str], codes: list[str], month: date, created: date
) -> Path:
    """One BA workbook "Arbeitslose und gemeldete Arbeitsstellen nach Berufen" for ``month``:
    every Kreis × every code, two measures. Values depend on the row, the month and the
    creation date only (so a later creation date revises every value); every 97th is "*"."""
    grid = pl.DataFrame({"ags": kreise}).join(pl.DataFrame({"code": codes}), how="cross")
    salt = month.year * 12 + month.month + created.toordinal()
    grid = grid.with_columns(v=((pl.int_range(pl.len()) * 7919 + salt * 104_729) % 5000).cast(pl.Int64))
    first = pl.col("ags") != pl.col("ags").shift(1).fill_null("")
    body = grid.select(
        region=pl.when(first).then(pl.col("ags") + " Kreis"),
        label=pl.col("code") + " Berufsgattung",
        **{
            name: pl.when((pl.col("v") + shift) % 97 == 0)
            .then(pl.lit("*"))
            .otherwise(((pl.col("v") + shift) % 5000).cast(pl.String))
            for name, shift in (("a", 0), ("b", 11))
        },
    )
    head = [
        ["Arbeitslose und gemeldete Arbeitsstellen nach Berufen (KldB 2010)"],
        [f"Berichtsmonat: {month_label(month)}"],
        [],
        ["Region", "Beruf (KldB 2010)", "Arbeitslose", "Gemeldete Arbeitsstellen"],
        [None, None, "Insgesamt", "Insgesamt"],
    ]
    name = f"alo-kldb5-{month:%Y-%m}-{created:%Y%m%d}.xlsx"
    return write_xlsx(folder / name, "Tabelle 1", head, body, [[FOOTER]], created)


def months(last: date, count: int) -> list[date]:
    index = last.year * 12 + last.month - 1
    return [date((index - i) // 12, (index - i) % 12 + 1, 1) for i in reversed(range(count))]


def _reset_peak() -> None:
    try:  # Linux: "5" resets the peak resident set size (VmHWM) of this process
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_gb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e6  # kB → GB
    return float("nan")


def germany(
    months_count: Annotated[int, typer.Option("--months", help="Months of data (48 = four years).")] = 48,
    codes_count: Annotated[int, typer.Option("--codes", help="5-digit KldB codes per Kreis.")] = 1441,
    memory_limit: Annotated[str, typer.Option(help="DuckDB memory limit of the loads.")] = "2GB",
    cases: Annotated[
        int, typer.Option("--cases", help="Participants of demo case data over all Kreise (0: none).")
    ] = 0,
    keep: Annotated[bool, typer.Option("--keep", help=f"Keep the warehouse (data dir {KEPT}).")] = False,
) -> None:
    """Germany-scale ingest: batch time per file, a revised month, peak memory (heavy: about
    55 M facts at the defaults; run it alone)."""
    from benchmarks.pages import LAND_NAMES, load_germany_base
    from pipelines.statistics import ingest as ingest_module
    from pipelines.statistics.ingest import ingest_paths
    from pipelines.warehouse import publish

    if not SHARED_GEO.exists():
        raise typer.BadParameter(f"BKG file {SHARED_GEO} missing: it gives the Kreise")
    if cases < 0:
        raise typer.BadParameter("--cases: a number of participants, 0 or more")
    if keep and KEPT.exists() and any(KEPT.iterdir()):
        raise typer.BadParameter(f"{KEPT} is not empty: remove it first (a kept Germany warehouse)")
    codes = kldb_5_digit_codes(codes_count)
    saved = dict(os.environ)
    timings: list[tuple[str, float]] = []
    original = ingest_module.write_parsed

    def timed_write(con, parsed, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(con, parsed, *args, **kwargs)
        finally:
            timings.append((parsed.source, time.perf_counter() - started))

    try:
        with tempfile.TemporaryDirectory(prefix="cockpit-germany-") as tmp:
            folder = Path(tmp)
            data_dir = KEPT if keep else folder / "data"
            os.environ.update(
                COCKPIT_DATA_DIR=str(data_dir),
                COCKPIT_CONFIG=str(folder / "none.toml"),
                COCKPIT_GEO_LANDS='["' + '","'.join(sorted(LAND_NAMES)) + '"]',
                COCKPIT_INGEST_MEMORY_LIMIT=memory_limit,
                # one workbook for all of Germany at 5 digits is larger than an upload may be
                # (the BA splits such tables by Land); the ingest itself is the same
                COCKPIT_UPLOAD__MAX_ROWS="1000000",
                COCKPIT_UPLOAD__MAX_CELLS="50000000",
                COCKPIT_UPLOAD__MAX_FILE_MB="500",
                COCKPIT_UPLOAD__MAX_UNPACKED_MB="2000",
                COCKPIT_DEMO__PARTICIPANTS=str(max(cases, 1)),
                COCKPIT_DEMO__LAST_MONTH="2026-10-01",
            )
            get_settings.cache_clear()
            settings = get_settings()
            started = time.perf_counter()
            regions = load_germany_base(settings, SHARED_GEO, cases=cases > 0)
            publish(settings)
            kreise = regions["ags"].to_list()
            typer.echo(
                f"base: {len(kreise)} Kreise with shapes, {cases:,} participants of case data, "
                f"{time.perf_counter() - started:.1f} s"
            )
            started = time.perf_counter()
            raw = folder / "raw"
            raw.mkdir()
            created = date(2026, 11, 27)
            calendar = months(date(2026, 10, 1), months_count)
            files = [germany_labour_market_file(raw, kreise, codes, m, created) for m in calendar]
            megabytes = sum(f.stat().st_size for f in files) / 1e6
            typer.echo(
                f"{len(kreise)} Kreise × {len(codes)} KldB codes × {months_count} months: "
                f"{len(files)} files, {megabytes:.0f} MB, generated in {time.perf_counter() - started:.1f} s"
            )
            ingest_module.write_parsed = timed_write
            _reset_peak()
            started = time.perf_counter()
            reports = ingest_paths(settings, files)
            batch_s = time.perf_counter() - started
            facts = sum(r.rows_loaded for r in reports)
            bad = [r for r in reports if r.status != "loaded"]
            if bad:
                raise typer.BadParameter(f"{bad[0].source}: {bad[0].status} {bad[0].message}")
            per_file = [s for _, s in timings]
            quarter = max(1, len(per_file) // 4)
            typer.echo(
                f"batch: {facts:,} facts in {batch_s:.1f} s, peak {_peak_gb():.2f} GB; load per file "
                f"first {quarter}: median {statistics.median(per_file[:quarter]):.2f} s, last {quarter}: "
                f"median {statistics.median(per_file[-quarter:]):.2f} s, max {max(per_file):.2f} s"
            )
            size_gb = settings.warehouse_path.stat().st_size / 1e9
            typer.echo(f"warehouse {size_gb:.2f} GB")
            revised = germany_labour_market_file(
                raw, kreise, codes, calendar[len(calendar) // 2], date(2026, 11, 30)
            )
            timings.clear()
            _reset_peak()
            started = time.perf_counter()
            [report] = ingest_paths(settings, [revised])
            revision_s = time.perf_counter() - started
            typer.echo(
                f"revision of one month: {report.rows_replaced:,} facts replaced in {revision_s:.1f} s "
                f"(load {timings[0][1]:.1f} s), peak {_peak_gb():.2f} GB"
            )
            _reset_peak()
            started = time.perf_counter()
            [again] = ingest_paths(settings, [revised])
            typer.echo(
                f"the same file again: {again.status} in {time.perf_counter() - started:.2f} s, "
                f"peak {_peak_gb():.2f} GB"
            )
            from benchmarks.csv_memory import _run

            cli = germany_labour_market_file(
                raw, kreise, codes, calendar[len(calendar) // 2], date(2026, 12, 1)
            )
            for label in ("revision of one month", "the same file again"):
                code, seconds, peak = _run(
                    [sys.executable, "-m", "pipelines", "ingest", str(cli)], dict(os.environ)
                )
                typer.echo(
                    f"{label}, in a process of its own (python -m pipelines ingest): exit {code}, "
                    f"{seconds:.1f} s, peak {peak / 1000:.2f} GB"
                )
            if keep:
                typer.echo(f"kept the warehouse: {data_dir} (pages --warehouse {data_dir})")
    finally:
        ingest_module.write_parsed = original
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
