"""Ingest throughput per publication family on a large generated file, next to pandas.

For every family a file in the published layout is generated (valid Kreis, KldB and WZ codes,
so nothing is quarantined), then ingested end to end into a fresh warehouse: detect, parse,
normalise, validate, reconcile, load, publish. The baseline is the time pandas needs only to
read the same file in its fastest reasonable setting (``pandas.read_excel(engine="calamine")``,
``pandas.read_csv`` with the C engine; openpyxl on request) and, for the Excel families, a
polars ``read_excel`` + DuckDB insert script of the same facts. Figures: rows/s and MB/s of
our ingest, and the speed-up over each baseline.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from analytics.settings import get_settings
from pipelines.statistics import constants as C
from pipelines.statistics.writers import FOOTER, write_xlsx

KREISE = [
    line.split(",")[0]
    for line in (Path(__file__).resolve().parent.parent / "pipelines" / "reference_data" / "regions.csv")
    .read_text(encoding="utf-8")
    .splitlines()[1:]
]
CREATED = date(2026, 2, 27)


def _kldb_codes(n_per_kreis: int) -> list[str]:
    groups = [
        line.split(",")[0]
        for line in (Path(__file__).resolve().parent.parent / "pipelines" / "reference_data" / "kldb2010.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
        if len(line.split(",")[0]) == 3
    ]
    codes = [f"{g}{d}{level}" for g in groups for d in range(10) for level in range(1, 5)]
    return codes[:n_per_kreis]


def _wz_codes(n_per_kreis: int) -> list[str]:
    divisions = [
        line.split(",")[0]
        for line in (Path(__file__).resolve().parent.parent / "pipelines" / "reference_data" / "wz2008.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1:]
        if ",division," in line
    ]
    codes = [f"{d}.{g}" for d in divisions for g in range(1, 10)]
    codes += [f"{d}.{g}{c}" for d in divisions for g in range(1, 10) for c in range(10)]
    return codes[:n_per_kreis]


def _grid(rows: int, codes: Callable[[int], list[str]]) -> pl.DataFrame:
    per = -(-rows // len(KREISE))
    dims = codes(per)
    frame = pl.DataFrame({"ags": KREISE}).join(pl.DataFrame({"code": dims}), how="cross").head(rows)
    return frame.with_columns(v=(pl.int_range(pl.len()) * 7919 % 5000).cast(pl.Int64))


def _block(frame: pl.DataFrame, values: list[str]) -> pl.DataFrame:
    first = pl.col("ags") != pl.col("ags").shift(1).fill_null("")
    return frame.select(
        region=pl.when(first).then(pl.col("ags") + " Kreis"),
        label=pl.col("code") + " Bezeichnung",
        **{
            v: pl.when(pl.col("v") % 97 == 0).then(pl.lit("*")).otherwise(pl.col("v").cast(pl.String))
            for v in values
        },
    )


def labour_market_file(folder: Path, rows: int) -> Path:
    frame = _grid(rows, _kldb_codes)
    head = [
        ["Arbeitslose und gemeldete Arbeitsstellen nach Berufen (KldB 2010)"],
        ["Berichtsmonat: Januar 2026"],
        [],
        ["Region", "Beruf (KldB 2010)", "Arbeitslose", "Gemeldete Arbeitsstellen"],
        [None, None, "Insgesamt", "Insgesamt"],
    ]
    body = _block(frame, ["a", "b"])
    return write_xlsx(folder / "bench-alo-kldb.xlsx", "Tabelle 1", head, body, [[FOOTER]], CREATED)


def employment_file(folder: Path, rows: int) -> Path:
    frame = _grid(rows, _wz_codes)
    head = [
        ["Sozialversicherungspflichtig Beschäftigte nach Wirtschaftszweigen (WZ 2008)"],
        ["Stichtag: 30.06.2025"],
        [],
        ["Region", "Wirtschaftszweig (WZ 2008)", "Insgesamt", "Vollzeit", "Teilzeit"],
    ]
    body = _block(frame, ["a", "b", "c"])
    return write_xlsx(folder / "bench-svb-wz.xlsx", "SVB - Tabelle II", head, body, [[FOOTER]], CREATED)


def eckwerte_file(folder: Path, rows: int) -> Path:
    head = [
        ["Arbeitsmarktreport"],
        ["Berichtsmonat: Januar 2026"],
        ["Region: 03254 Hildesheim"],
        [],
        ["Merkmal", "Januar 2026", "Dezember 2025", "Januar 2025"],
    ]
    body = pl.DataFrame({"label": [f"Merkmal {i}" for i in range(rows)]}).with_columns(
        a=pl.lit("100"), b=pl.lit("90"), c=pl.lit("80")
    )
    return write_xlsx(folder / "bench-amr-eckwerte.xlsx", "Eckwerte", head, body, [[FOOTER]], CREATED)


def datenbank_file(folder: Path, rows: int) -> Path:
    frame = _grid(rows, _wz_codes)
    lines = frame.select(
        pl.concat_str(
            [
                pl.col("ags").str.slice(0, 2),
                pl.lit("Land"),
                pl.col("ags"),
                pl.lit("Kreis"),
                pl.col("code"),
                pl.lit("Wirtschaftszweig"),
                (pl.col("v") * 3).cast(pl.String),
            ],
            separator=";",
        )
    )
    text = "\n".join(
        [
            "Stichtag;30.06.2023",
            "Gebietsstand;Juni 2023",
            "",
            "BundeslandID;Bundesland;KreisID;Kreis;WZ08-ID;WZ08;Sozialversicherungspflichtig Beschäftigte",
            *lines.to_series().to_list(),
            FOOTER,
            "Erstellungsdatum: 15.01.2024",
        ]
    )
    path = folder / "bench-datenbank.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def ffcsv_file(folder: Path, rows: int) -> Path:
    frame = _grid(rows, lambda n: [f"G{i:05d}" for i in range(n)])
    lines = frame.select(
        pl.concat_str(
            [
                pl.lit("13211;Arbeitsmarktstatistik;JAHR;Jahr;2023;KREISE;Kreise"),
                pl.col("ags"),
                pl.lit("Kreis;ALTX"),
                pl.lit("Merkmal"),
                pl.col("code"),
                pl.lit("Ausprägung"),
                pl.col("v").cast(pl.String),
                pl.lit("Anzahl;ERW012;Arbeitslose;e"),
            ],
            separator=";",
        )
    )
    header = (
        "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
        "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
        "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;"
        "value_variable_label;value_q"
    )
    path = folder / "bench-regio-ffcsv.csv"
    path.write_text("\n".join([header, *lines.to_series().to_list()]), encoding="utf-8")
    return path


def flat_file(folder: Path, rows: int) -> Path:
    frame = _grid(rows, lambda n: [f"G{i:05d}" for i in range(n)])
    lines = frame.select(
        pl.concat_str(
            [
                pl.lit("13111;Beschaeftigte;STAG;Stichtag;30.06.2023;KREISE;Kreise"),
                pl.col("ags"),
                pl.lit("Kreis;ALTX;Alter"),
                pl.col("code"),
                pl.lit("A"),
                pl.col("v").cast(pl.String),
                pl.lit("e"),
            ],
            separator=";",
        )
    )
    header = (
        "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
        "1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;"
        "2_Auspraegung_Label;ERWP01__Beschaeftigte__Anzahl;ERWP01__Beschaeftigte__q"
    )
    path = folder / "bench-regio-flat.csv"
    path.write_bytes("\n".join([header, *lines.to_series().to_list()]).encode("latin-1"))
    return path


GENERATORS: dict[str, Callable[[Path, int], Path]] = {
    C.BA_LABOUR_MARKET: labour_market_file,
    C.BA_EMPLOYMENT: employment_file,
    C.BA_ECKWERTE: eckwerte_file,
    C.BA_DATENBANK: datenbank_file,
    C.REGIO_FFCSV: ffcsv_file,
    C.REGIO_FLAT: flat_file,
}


def cpu_seconds() -> float:
    """CPU time of this process so far, all threads (DuckDB's, Polars', calamine's): on the
    shared machine a steadier figure than wall time, which waits for other processes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# the layout of each CSV family as a script would hard-code it: lines above the header line
# (the Datenbank export's title block has fewer fields than its body: read without skipping
# them, pandas takes its width from the first line and drops every data line as "bad") and
# the encoding
CSV_LAYOUTS = {C.BA_DATENBANK: (3, "utf-8-sig"), C.REGIO_FFCSV: (0, "utf-8"), C.REGIO_FLAT: (0, "latin-1")}


def pandas_seconds(path: Path, family: str, engine: str | None = None) -> tuple[int, float, float]:
    """Only reading the file with pandas, in its fastest reasonable setting: the calamine
    engine for Excel (``engine="openpyxl"`` for the slow reference), the C engine for CSV
    (its header line where the family has it). (data rows read, seconds, CPU seconds)."""
    import pandas as pd

    started, cpu = time.perf_counter(), cpu_seconds()
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, engine=engine or "calamine", header=None, sheet_name=None, dtype=str)
        rows = sum(len(frame) for frame in sheets.values())
    else:
        skip, encoding = CSV_LAYOUTS[family]
        frame = pd.read_csv(path, sep=";", skiprows=skip, header=0, dtype=str, encoding=encoding, engine="c")
        rows = len(frame)
    return rows, time.perf_counter() - started, cpu_seconds() - cpu


# the published layout of each Excel family as a script would hard-code it: the sheet, rows
# above the body, region and label columns, and the value columns loaded (Eckwerte: the
# current month, as the ingest loads it)
EXCEL_LAYOUTS = {
    C.BA_LABOUR_MARKET: ("Tabelle 1", 5, 0, 1, {"unemployed": 2, "vacancies": 3}, date(2026, 1, 1)),
    C.BA_EMPLOYMENT: (
        "SVB - Tabelle II",
        4,
        0,
        1,
        {"svb": 2, "svb_vollzeit": 3, "svb_teilzeit": 4},
        date(2025, 6, 30),
    ),
    C.BA_ECKWERTE: ("Eckwerte", 5, None, 0, {"current": 1}, date(2026, 1, 1)),
}


def polars_duckdb_seconds(path: Path, family: str, workdir: Path) -> tuple[int, float, float]:
    """A straightforward script for the same facts: ``polars.read_excel`` (calamine) of the
    known sheet, region filled down, code cut from the label, value columns unpivoted, "*" as
    NULL with a flag, the reference date, breakdown and region level as the fact tables have
    them (hard-coded), inserted into a DuckDB file. No detection, validation, reconciliation,
    quarantine, provenance or revision handling: the floor a hand-written load reaches."""
    import duckdb

    sheet, skip, region, label, values, period = EXCEL_LAYOUTS[family]
    started, cpu = time.perf_counter(), cpu_seconds()
    frame = pl.read_excel(
        path,
        sheet_name=sheet,
        engine="calamine",
        has_header=False,
        read_options={"header_row": None, "skip_rows": skip},
        infer_schema_length=0,
    )
    names = frame.columns
    first = pl.col(names[next(iter(values.values()))])
    keys = [pl.col(names[label]).str.split(" ").list.first().alias("code")]
    if region is not None:
        keys.insert(0, pl.col(names[region]).forward_fill().str.slice(0, 5).alias("ags"))
    long = (
        frame.filter(first.is_not_null())
        .select(*keys, *[pl.col(names[i]).cast(pl.String).alias(m) for m, i in values.items()])
        .unpivot(index=[k.meta.output_name() for k in keys], variable_name="measure", value_name="raw")
        .with_columns(
            value=pl.col("raw").cast(pl.Float64, strict=False),
            flag=pl.when(pl.col("raw") == "*").then(pl.lit("suppressed")),
            period=pl.lit(period, pl.Date),
            breakdown=pl.lit("TOTAL"),
            region_level=pl.lit("kreis"),
        )
        .drop("raw")
    )
    con = duckdb.connect(str(workdir / f"script-{time.monotonic_ns()}.duckdb"))
    try:
        con.execute("CREATE TABLE facts AS SELECT * FROM long")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return long.height, time.perf_counter() - started, cpu_seconds() - cpu


def ingest_seconds(path: Path, workdir: Path) -> tuple[int, float, str, float]:
    from pipelines.reference import load_reference
    from pipelines.statistics.ingest import ingest_files
    from pipelines.warehouse import publish

    os.environ["COCKPIT_DATA_DIR"] = str(workdir / "data")
    os.environ["COCKPIT_CONFIG"] = str(workdir / "none.toml")
    get_settings.cache_clear()
    settings = get_settings()
    load_reference(settings)
    publish(settings)
    started, cpu = time.perf_counter(), cpu_seconds()
    [report] = ingest_files(settings, [(path.name, path)], publish_after=True)
    elapsed, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if report.status != "loaded":
        raise typer.BadParameter(f"{path.name}: {report.message}")
    return report.rows_loaded, elapsed, report.reconciliation, cpu


def ingest_benchmark(
    rows: int = typer.Option(200_000, help="Data rows per generated file."),
    family: Annotated[
        list[str] | None, typer.Option(help=f"Families (default all): {', '.join(C.FAMILIES)}")
    ] = None,
    baseline: bool = typer.Option(True, help="Also time the baselines on the same file."),
    openpyxl: bool = typer.Option(False, help="Also time pandas with openpyxl (slow: about 10 s a file)."),
    repeat: int = typer.Option(
        3, min=1, help="Runs per measurement; the best run counts (noise only adds time)."
    ),
) -> None:
    """Ingest throughput (rows/s, MB/s) per family against the baselines: pandas only reading
    the file (calamine for Excel, the C engine for CSV) and, for the Excel families, a
    polars ``read_excel`` + DuckDB insert script of the same facts.

    Each side is measured ``repeat`` times on the same file (ingest into a fresh warehouse
    each time), the sides taking turns, and the fastest run of each is reported; beside the
    wall times the CPU seconds of the ingest and the script (all threads; the "x cpu" ratio is
    the steadier one on a shared machine).
    """
    saved = dict(os.environ)
    typer.echo(
        f"{'family':34} {'facts':>9} {'MB':>6} {'ingest s':>9} {'rows/s':>10} {'MB/s':>6} "
        f"{'pandas s':>9} {'x':>6} {'script s':>9} {'x':>6} {'cpu s':>6} {'script cpu s':>12} {'x cpu':>6}"
        + (f" {'openpyxl s':>10}" if openpyxl else "")
    )
    try:
        unknown = sorted(set(family or []) - set(GENERATORS))
        if unknown:
            raise typer.BadParameter(
                f"unbekannt / unknown: {', '.join(unknown)}; one of {', '.join(GENERATORS)}",
                param_hint="--family",
            )
        for name in family or list(GENERATORS):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                path = GENERATORS[name](folder, rows)
                megabytes = path.stat().st_size / 1e6
                # the sides take turns, so that a slow spell of the machine hits all of them
                runs, timings, scripts, slow = [], [], [], []
                for i in range(repeat):
                    runs.append(ingest_seconds(path, folder / f"run{i}"))
                    if baseline:
                        timings.append(pandas_seconds(path, name))
                        if name in EXCEL_LAYOUTS:
                            scripts.append(polars_duckdb_seconds(path, name, folder))
                        if openpyxl and path.suffix == ".xlsx":
                            slow.append(pandas_seconds(path, name, "openpyxl")[1])
                loaded, seconds = runs[0][0], min(r[1] for r in runs)
                base = min((t[1] for t in timings), default=float("nan"))
                script = min((t[1] for t in scripts), default=float("nan"))
                cpu = min(r[3] for r in runs)
                script_cpu = min((t[2] for t in scripts), default=float("nan"))
                if timings and timings[0][0] < rows:
                    typer.echo(f"  ! {name}: pandas read only {timings[0][0]:,} rows of {rows:,}")
                if scripts and scripts[0][0] != loaded:
                    typer.echo(
                        f"  ! {name}: the script loaded {scripts[0][0]:,} facts, the ingest {loaded:,}"
                    )
                line = (
                    f"{name:34} {loaded:>9,} {megabytes:>6.1f} {seconds:>9.2f} "
                    f"{loaded / seconds:>10,.0f} {megabytes / seconds:>6.1f} {base:>9.2f} "
                    f"{base / seconds:>5.1f}x {script:>9.2f} {script / seconds:>5.1f}x "
                    f"{cpu:>6.2f} {script_cpu:>12.2f} {script_cpu / cpu:>5.1f}x"
                )
                if openpyxl:
                    line += f" {min(slow, default=float('nan')):>10.2f}"
                typer.echo(line)
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()
