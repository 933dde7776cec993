"""Command-line entry point: ``python -m pipelines STEP``.

Steps: reference, geo, demo, ingest, regio, cases, all; ``template`` writes the import
template for the network's case data. Each step runs in a load session of its own (or
continues one with ``--session ID``) and is idempotent (the same content is not loaded
twice); ``publish`` puts a session into service atomically, ``discard`` drops one,
``sessions`` lists them, ``rollback`` brings the previous warehouse back; ``all`` runs
everything in one session and publishes.

``report`` writes the quarterly report pack (Excel, and PDF with ``--pdf``) and ``export``
the published, disclosure-controlled aggregates with a Frictionless ``datapackage.json``;
both only read the warehouse in service.

Exit codes: 0 loaded or unchanged (also with rows in quarantine: warnings), or report/export
written; 1 rejected or failed (the warehouse in service unchanged; for report/export: no
warehouse, or a file could not be made — the PDF without chromium), 2 usage (wrong arguments,
unknown or ambiguous session, unknown region, quarter, language, role or format).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from analytics.settings import Settings, get_settings
from pipelines.sessions import LoadSession, fingerprint
from pipelines.warehouse import (
    PipelineError,
    StepResult,
    UnknownSession,
    discard,
    find_session,
    open_session,
    pending_sessions,
    publish,
    rollback,
    staging,
)

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


USAGE = 2  # exit code for usage errors (typer uses it for wrong arguments too)


def _fail(label: str, exc: PipelineError) -> typer.Exit:
    typer.secho(f"FEHLER / ERROR [{label}]: {exc}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=USAGE if isinstance(exc, UnknownSession) else 1)


def _run(label: str, func: Callable[[], StepResult]) -> StepResult:
    try:
        with _progress(label):
            result = func()
    except UnknownSession as exc:
        raise _fail(label, exc) from exc
    except PipelineError as exc:
        typer.secho(f"FEHLER / ERROR [{label}]: {exc}", fg=typer.colors.RED, err=True)
        typer.secho(
            "Das veröffentlichte Warehouse bleibt unverändert. / The published warehouse is unchanged.",
            err=True,
        )
        raise typer.Exit(code=1) from exc
    _report(result)
    return result


SESSION_OPTION = typer.Option(
    None, "--session", help="Continue this pending load session (id from `sessions`) instead of a new one."
)


def _session(settings: Settings, step: str, session_id: str | None) -> tuple[LoadSession, bool]:
    """(the session, whether it is new): the one named, or a new one for this step."""
    try:
        if session_id:
            return find_session(settings, session_id), False
        return open_session(settings, f"cli:{step}"), True
    except PipelineError as exc:
        raise _fail(step, exc) from exc


@contextmanager
def _in_session(settings: Settings, step: str, session_id: str | None, publish_now: bool):
    """Run the step's body in its session; then publish, or say how to publish it. A new
    session in which nothing was loaded, or whose step failed, is discarded."""
    session, new = _session(settings, step, session_id)
    try:
        yield session
    except BaseException:
        if new:
            discard(settings, session)
        raise
    if new and not session.loads:
        discard(settings, session)
        return
    if publish_now:
        _run("publish", lambda: publish(settings, session))
    else:
        typer.echo(
            f"Ladesitzung / load session {session.id} vorbereitet, nicht veröffentlicht / staged, "
            f"not published: `python -m pipelines publish --session {session.id}` (oder / or "
            f"`discard --session {session.id}`)"
        )


@app.command()
def reference(
    force: bool = typer.Option(False, help="Load even if unchanged."),
    session_id: str = SESSION_OPTION,
    publish_now: bool = typer.Option(False, "--publish/--no-publish", help="Publish afterwards."),
) -> None:
    """Load Kreise, KldB 2010, WZ 2008 and the automotive definition."""
    from pipelines.reference import load_reference

    settings = _settings()
    with _in_session(settings, "reference", session_id, publish_now) as session:
        _run("reference", lambda: load_reference(settings, force=force, session=session))


@app.command()
def geo(
    source: str = typer.Option(None, help="Path to a BKG *_KRS.shp / .zip, or a download URL."),
    force: bool = typer.Option(False, help="Load even if unchanged."),
    session_id: str = SESSION_OPTION,
    publish_now: bool = typer.Option(False, "--publish/--no-publish", help="Publish afterwards."),
) -> None:
    """Load BKG Kreis boundaries (reprojected to WGS84, simplified)."""
    from pipelines.geo import load_geo

    settings = _settings()
    with _in_session(settings, "geo", session_id, publish_now) as session:
        _run("geo", lambda: load_geo(settings, source, force=force, session=session))


@app.command()
def demo(
    force: bool = typer.Option(False, help="Load even if unchanged."),
    session_id: str = SESSION_OPTION,
    publish_now: bool = typer.Option(False, "--publish/--no-publish", help="Publish afterwards."),
) -> None:
    """Generate the deterministic demo data (BA statistics and network cases)."""
    from pipelines.demo import load_demo

    settings = _settings()
    with _in_session(settings, "demo", session_id, publish_now) as session:
        _run("demo", lambda: load_demo(settings, force=force, session=session))


def _print_reports(reports) -> None:
    for report in reports:
        colour = {"rejected": typer.colors.RED, "unchanged": None}.get(report.status)
        typer.secho(f"[ingest] {report.summary()}", fg=colour)
        for warning in report.warnings:
            typer.secho(f"  ! {warning}", fg=typer.colors.YELLOW)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (.xlsx, .xls, .csv).")],
    publish_after: bool = typer.Option(
        True, "--publish/--no-publish", help="Publish the warehouse after loading."
    ),
    force: bool = typer.Option(False, help="Load even files whose content was loaded before."),
    session_id: str = SESSION_OPTION,
) -> None:
    """Load BA / Regionaldatenbank statistics files (family detected from the content)."""
    from pipelines.statistics.ingest import (
        EXIT_USAGE,
        exit_code,
        expand_paths,
        ingest_files,
        load_and_publish,
    )

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

    items = [(p.name, p) for p in files]
    try:
        if publish_after and not session_id:  # own session, rebased when another one published
            outcome = load_and_publish(
                settings, items, started_by="cli:ingest", role="agency", progress=progress, force=force
            )
            reports = outcome.reports
            _print_reports(reports)
            if outcome.rebased:
                typer.echo(f"  (neu geladen auf den aktuellen Stand / rebased {outcome.rebased}×)")
            if outcome.published is not None:
                _report(outcome.published)
        else:
            with _in_session(settings, "ingest", session_id, publish_after) as session:
                reports = ingest_files(
                    settings, items, progress=progress, publish_after=False, force=force, session=session
                )
                _print_reports(reports)
    except PipelineError as exc:
        raise _fail("ingest", exc) from exc
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
        raise _fail("regio", exc) from exc
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
    session_id: str = SESSION_OPTION,
) -> None:
    """Import the network's case data (validated, pseudonymised, merged by key)."""
    from pipelines.cases.importer import import_path, step_result

    settings = _settings()
    with _in_session(settings, "cases", session_id, publish_now) as session:
        _run("cases", lambda: step_result(import_path(settings, path, force=force, session=session)))


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="Where to write the workbook (.xlsx).")],
) -> None:
    """Write the empty import template with its data dictionary (not a pipeline step)."""
    from pipelines.cases.template import write_template

    written = write_template(path)
    typer.echo(f"Vorlage geschrieben / template written: {written}")


@app.command(name="publish")
def publish_cmd(
    session_id: str = typer.Option(
        None, "--session", help="The load session to publish (default: the only pending one)."
    ),
) -> None:
    """Check a load session and put it into service (lock, fingerprint check, atomic rename)."""
    settings = _settings()
    _run("publish", lambda: publish(settings, session_id))


@app.command(name="discard")
def discard_cmd(
    session_id: str = typer.Option(
        None, "--session", help="The load session to discard (default: the only pending one)."
    ),
) -> None:
    """Throw a pending load session away; the warehouse in service is not touched."""
    settings = _settings()
    _run("discard", lambda: discard(settings, session_id))


@app.command(name="sessions")
def sessions_cmd() -> None:
    """List the pending load sessions (id, started, state, by whom, loads)."""
    settings = _settings()
    pending = pending_sessions(settings)
    if not pending:
        typer.echo("Keine offenen Ladesitzungen / no pending load sessions")
    current = fingerprint(settings.warehouse_path)
    for session in pending:
        stale = session.base != current
        note = "  (veraltet: Warehouse seitdem ersetzt / stale: the warehouse was replaced)" if stale else ""
        typer.echo(session.describe() + note)


@app.command(name="rollback")
def rollback_cmd() -> None:
    """Put the previous warehouse back into service (a second rollback undoes the first)."""
    settings = _settings()
    _run("rollback", lambda: rollback(settings))


@app.command(name="all")
def all_steps(
    require_geo: bool = typer.Option(
        False, help="Fail when geometry cannot be loaded (default: warn and go on)."
    ),
) -> None:
    """reference, geo, demo, publish (in one load session)."""
    from pipelines.demo import load_demo
    from pipelines.geo import load_geo
    from pipelines.reference import load_reference

    settings = _settings()
    session = None
    try:
        try:
            session = open_session(settings, "cli:all")
            with staging(settings, session=session):
                pass  # migrates a warehouse of an earlier schema (or fails: rebuilt below)
        except PipelineError as exc:
            if session is not None:
                discard(settings, session)
            typer.secho(
                f"WARNUNG / WARNING: {exc}\nNeuaufbau / rebuilding from scratch.",
                fg=typer.colors.YELLOW,
                err=True,
            )
            session = open_session(settings, "cli:all", fresh=True)
        _run("reference", lambda: load_reference(settings, session=session))
        try:
            with _progress("geo"):
                _report(load_geo(settings, session=session))
        except PipelineError as exc:
            if require_geo:
                raise
            typer.secho(f"WARNUNG / WARNING [geo]: {exc}", fg=typer.colors.YELLOW, err=True)
        _run("demo", lambda: load_demo(settings, session=session))
        _run("publish", lambda: publish(settings, session))
    except (PipelineError, typer.Exit) as exc:
        if session is not None and session.sidecar.exists():
            typer.echo(
                f"Ladesitzung {session.id} bleibt zur Prüfung liegen / kept for inspection: "
                f"{session.staging} (`python -m pipelines discard --session {session.id}`)",
                err=True,
            )
        if isinstance(exc, PipelineError):
            typer.secho(f"FEHLER / ERROR: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=1) from exc
        raise


REPORT_ROLES = ("ministry", "social_partner", "agency")


def _report_pack(quarter: str, region: str, lang: str, role: str, label: str):
    """The pack of the published warehouse for these arguments (exit 2 on wrong ones)."""
    from analytics.db import WarehouseError, connect
    from analytics.report.pack import ReportError, build_pack, report_filters

    if role not in REPORT_ROLES:
        typer.secho(f"FEHLER / ERROR [{label}]: --role must be one of {', '.join(REPORT_ROLES)}", err=True)
        raise typer.Exit(code=USAGE)
    settings = _settings()
    try:
        con = connect(settings.warehouse_path)
    except WarehouseError as exc:
        typer.secho(f"FEHLER / ERROR [{label}]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    try:
        try:
            filters = report_filters(con, settings, quarter, region, lang, role)
        except ReportError as exc:
            typer.secho(f"FEHLER / ERROR [{label}]: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(code=USAGE) from exc
        with _progress(f"{label}: {filters.region_label}, {filters.quarter}"):
            pack = build_pack(
                con, settings, filters, lambda i, n, key: key and typer.echo(f"  {i + 1}/{n} {key}")
            )
    finally:
        con.close()
    return settings, pack


@app.command(name="report")
def report_cmd(
    quarter: Annotated[
        str,
        typer.Option(
            "--quarter", help="Reporting quarter, e.g. 2026-Q3, or 'latest' (the latest complete one)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Directory for the files (created if missing).")],
    region: Annotated[
        str, typer.Option("--region", help="Preset (hildesheim, agentur, network, land_03, all) or AGS,AGS.")
    ] = "network",
    lang: Annotated[str, typer.Option("--lang", help="de or en.")] = "de",
    role: Annotated[
        str,
        typer.Option("--role", help="Whose report: ministry, social_partner or agency (always protected)."),
    ] = "ministry",
    pdf: Annotated[bool, typer.Option("--pdf", help="Also write the PDF (Debian chromium).")] = False,
    skip_existing: Annotated[
        bool,
        typer.Option("--skip-existing", help="Do nothing when this report is already in DIR (for timers)."),
    ] = False,
) -> None:
    """Write the quarterly report pack: one Excel workbook (cover, a sheet per section,
    definitions, sources), with --pdf also the PDF; from the same views as the pages."""
    from analytics.report.pack import ReportError
    from analytics.report.pdf import pack_pdf
    from analytics.report.workbook import pack_workbook

    if quarter == "latest":
        quarter = _latest_complete_quarter()
    settings, pack = _report_pack(quarter, region, lang, role, "report")
    xlsx = out / f"{pack.file_stem()}.xlsx"
    if skip_existing and xlsx.exists() and (not pdf or xlsx.with_suffix(".pdf").exists()):
        typer.echo(f"schon vorhanden / already there: {xlsx}")
        return
    try:
        out.mkdir(parents=True, exist_ok=True)
        xlsx.write_bytes(pack_workbook(pack))
        typer.echo(f"Excel: {xlsx}")
        if pdf:
            with _progress("PDF"):
                document = pack_pdf(pack, settings.chromium_path)
            target = out / f"{pack.file_stem()}.pdf"
            target.write_bytes(document)
            typer.echo(f"PDF: {target}")
    except (OSError, ReportError) as exc:
        typer.secho(f"FEHLER / ERROR [report]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc


@app.command(name="export")
def export_cmd(
    out: Annotated[Path, typer.Option("--out", help="Directory for the files (created if missing).")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    quarter: Annotated[
        str | None,
        typer.Option("--quarter", help="Quarter, e.g. 2026-Q3 (default: the latest complete one)."),
    ] = None,
    region: Annotated[str, typer.Option("--region", help="Preset or AGS,AGS (as for report).")] = "all",
    lang: Annotated[str, typer.Option("--lang", help="Language of titles and descriptions.")] = "de",
) -> None:
    """Write the published aggregates (the tables behind every page, disclosure-controlled as
    a ministry sees them, no case rows) with a Frictionless datapackage.json."""
    from analytics.report.export import FORMATS, write_export

    if fmt not in FORMATS:
        typer.secho(f"FEHLER / ERROR [export]: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(code=USAGE)
    if quarter == "latest":
        quarter = _latest_complete_quarter()
    _, pack = _report_pack(quarter, region, lang, "ministry", "export")
    try:
        descriptor = write_export(pack, out, fmt)
    except OSError as exc:
        typer.secho(f"FEHLER / ERROR [export]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    typer.echo(f"{len(pack.views())} Seiten / pages → {descriptor}")


def _latest_complete_quarter() -> str:
    """The last quarter the network's case data covers completely (else the current one)."""
    from datetime import date

    from analytics.db import WarehouseError, connect
    from analytics.kpi import case_period
    from analytics.periods import Quarter

    settings = _settings()
    try:
        con = connect(settings.warehouse_path)
    except WarehouseError as exc:
        typer.secho(f"FEHLER / ERROR [export]: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1) from exc
    try:
        period = case_period(con)
    finally:
        con.close()
    until = period[1] if period else date.today()
    current = Quarter.of(until)
    quarter = current if current.end <= until else current.previous()
    return f"{quarter.year}-Q{quarter.q}"


if __name__ == "__main__":
    app()
