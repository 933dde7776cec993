"""Command-line entry point: ``python -m pipelines STEP``.

Steps: reference, geo, demo, ingest, regio, cases, publish, all; ``template`` writes the
import template for the network's case data. Each step writes into the staging warehouse
and is idempotent (the same content is not loaded twice); ``publish`` moves the staging
warehouse into service atomically; ``all`` runs everything and publishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from analytics.settings import Settings, get_settings
from pipelines.warehouse import PipelineError, StepResult, publish, staging_path, start_staging

app = typer.Typer(add_completion=False, help=__doc__, no_args_is_help=True)


def _settings() -> Settings:
    get_settings.cache_clear()
    return get_settings()


@contextmanager
def _progress(label: str):
    started = time.perf_counter()
    typer.echo(f"… {label}")
    yield
    typer.echo(f"  ({time.perf_counter() - started:.1f} s)")


def _report(result: StepResult) -> None:
    typer.echo(result.summary())
    for message in result.messages:
        typer.secho(f"  ! {message}", fg=typer.colors.YELLOW)


def _run(label: str, func: Callable[[], StepResult]) -> StepResult:
    try:
        with _progress(label):
            result = func()
    except PipelineError as exc:
        typer.secho(f"FEHLER / ERROR [{label}]: {exc}", fg=typer.colors.RED, err=True)
        typer.secho(
            "Das veröffentlichte Warehouse bleibt unverändert. / The published warehouse is unchanged.",
            err=True,
        )
        raise typer.Exit(code=1) from exc
    _report(result)
    return result


@app.command()
def reference(force: bool = typer.Option(False, help="Load even if unchanged.")) -> None:
    """Load Kreise, KldB 2010, WZ 2008 and the automotive definition."""
    from pipelines.reference import load_reference

    settings = _settings()
    _run("reference", lambda: load_reference(settings, force=force))


@app.command()
def geo(
    source: str = typer.Option(None, help="Path to a BKG *_KRS.shp / .zip, or a download URL."),
    force: bool = typer.Option(False, help="Load even if unchanged."),
) -> None:
    """Load BKG Kreis boundaries (reprojected to WGS84, simplified)."""
    from pipelines.geo import load_geo

    settings = _settings()
    _run("geo", lambda: load_geo(settings, source, force=force))


@app.command()
def demo(force: bool = typer.Option(False, help="Load even if unchanged.")) -> None:
    """Generate the deterministic demo data (BA statistics and network cases)."""
    from pipelines.demo import load_demo

    settings = _settings()
    _run("demo", lambda: load_demo(settings, force=force))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.xlsx, .xls, .csv).")],
    publish_after: bool = typer.Option(
        True, "--publish/--no-publish", help="Publish the warehouse after loading."
    ),
    force: bool = typer.Option(False, help="Load even files whose content was loaded before."),
) -> None:
    """Load BA / Regionaldatenbank statistics files (family detected from the content)."""
    from pipelines.statistics.ingest import EXIT_USAGE, exit_code, expand_paths, ingest_files

    settings = _settings()
    try:
        files = expand_paths(paths)
    except PipelineError as exc:
        typer.secho(f"FEHLER / ERROR [ingest]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=EXIT_USAGE) from exc
    if not files:
        typer.secho(
            "Keine Dateien gefunden; Pfade zu .xlsx-, .xls- oder .csv-Dateien angeben / no files "
            "found; give paths of .xlsx, .xls or .csv files",
            err=True,
        )
        raise typer.Exit(code=EXIT_USAGE)

    def progress(i: int, n: int, name: str) -> None:
        typer.echo(f"… [{i}/{n}] {name}")

    try:
        reports = ingest_files(
            settings,
            [(p.name, p) for p in files],
            progress=progress,
            publish_after=publish_after,
            force=force,
        )
    except PipelineError as exc:
        typer.secho(f"FEHLER / ERROR [ingest]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    for report in reports:
        colour = {"rejected": typer.colors.RED, "unchanged": None}.get(report.status)
        typer.secho(f"[ingest] {report.summary()}", fg=colour)
        for warning in report.warnings:
            typer.secho(f"  ! {warning}", fg=typer.colors.YELLOW)
    rejected = [r for r in reports if r.status == "rejected"]
    if rejected:
        typer.secho(
            f"{len(rejected)} von {len(reports)} Dateien abgelehnt; sie wurden nicht geladen. / "
            f"{len(rejected)} of {len(reports)} files rejected, none of their rows loaded.",
            fg=typer.colors.RED,
            err=True,
        )
    raise typer.Exit(code=exit_code(reports))


@app.command()
def regio(
    startyear: str = typer.Option(..., help="First year, e.g. 2020."),
    endyear: str = typer.Option(..., help="Last year, e.g. 2024."),
    table: Annotated[
        list[str] | None, typer.Option(help="GENESIS table codes (default: 13211-02-05-4, 13111-01-03-4).")
    ] = None,
) -> None:
    """Fetch Regionaldatenbank tables online (pystatis, credentials from settings) and ingest."""
    from pipelines.statistics.genesis import DEFAULT_TABLES, fetch_regio

    settings = _settings()
    try:
        reports = fetch_regio(settings, table or DEFAULT_TABLES, startyear=startyear, endyear=endyear)
    except PipelineError as exc:
        typer.secho(f"FEHLER / ERROR [regio]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    for report in reports:
        typer.echo(f"[regio] {report.summary()}")
    if any(r.status == "rejected" for r in reports):
        raise typer.Exit(code=1)


@app.command()
def cases(
    path: Annotated[
        Path,
        typer.Argument(
            help="Template workbook (.xlsx), a CSV file, or a folder of CSV files named like the "
            "sheets (teilnehmende.csv, ...)."
        ),
    ],
    publish_now: bool = typer.Option(False, "--publish", help="Publish after a clean import."),
    force: bool = typer.Option(False, help="Load even if unchanged."),
) -> None:
    """Import the network's case data (validated, pseudonymised, merged by key)."""
    from pipelines.cases.importer import import_path, step_result

    settings = _settings()
    _run("cases", lambda: step_result(import_path(settings, path, force=force)))
    if publish_now:
        _run("publish", lambda: publish(settings))


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Where to write the workbook (.xlsx).")],
) -> None:
    """Write the empty import template with its data dictionary (not a pipeline step)."""
    from pipelines.cases.template import write_template

    written = write_template(path)
    typer.echo(f"Vorlage geschrieben / template written: {written}")


@app.command(name="publish")
def publish_cmd() -> None:
    """Check the staging warehouse and put it into service (atomic rename)."""
    settings = _settings()
    _run("publish", lambda: publish(settings))


@app.command(name="all")
def all_steps(
    require_geo: bool = typer.Option(
        False, help="Fail when geometry cannot be loaded (default: warn and go on)."
    ),
) -> None:
    """reference, geo, demo, publish."""
    from pipelines.demo import load_demo
    from pipelines.geo import load_geo
    from pipelines.reference import load_reference

    settings = _settings()
    try:
        try:
            start_staging(settings)
        except PipelineError as exc:
            typer.secho(
                f"WARNUNG / WARNING: {exc}\nNeuaufbau / rebuilding from scratch.",
                fg=typer.colors.YELLOW,
                err=True,
            )
            start_staging(settings, fresh=True)
        _run("reference", lambda: load_reference(settings))
        try:
            with _progress("geo"):
                _report(load_geo(settings))
        except PipelineError as exc:
            if require_geo:
                raise
            typer.secho(f"WARNUNG / WARNING [geo]: {exc}", fg=typer.colors.YELLOW, err=True)
        _run("demo", lambda: load_demo(settings))
        _run("publish", lambda: publish(settings))
    except (PipelineError, typer.Exit) as exc:
        staged = staging_path(settings)
        if staged.exists():
            typer.echo(f"Staging bleibt zur Prüfung liegen: {staged}", err=True)
        if isinstance(exc, PipelineError):
            typer.secho(f"FEHLER / ERROR: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from exc
        raise


if __name__ == "__main__":
    app()
