"""Ingest statistics files: detect, parse, validate against the code lists, load, report.

Each file is one load through ``pipelines.warehouse.run_step`` (step ``ingest``): one
transaction on the staging warehouse, skipped when the same content (hash) was loaded before.
Write disposition: merge by natural key. Rows of an earlier file with the same keys are
replaced (a revision, reported with the earlier file names); when both files state their
creation date (vintage) and the warehouse already holds a newer one, the older rows are not
loaded (reported). A file that cannot be parsed is rejected as a whole; rows that fail
validation go to ``quarantine`` with the reason. ``publish`` runs after all files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from analytics.settings import Settings
from pipelines.merge import check_unique, merge_rows, natural_key
from pipelines.sessions import LoadSession
from pipelines.statistics.constants import FAMILY_LABELS
from pipelines.statistics.detect import parse_bytes
from pipelines.statistics.model import ParsedFile, ParseError
from pipelines.warehouse import (
    BaseChanged,
    PipelineError,
    StepResult,
    ambient_session,
    connect_session,
    discard,
    hash_bytes,
    log_rejected,
    next_load_id,
    open_session,
    publish,
    run_step,
)

STEP = "ingest"
SUFFIXES = {".xlsx", ".xls", ".csv", ".txt"}
DATE_KEYS = {  # the natural key's date: a file without known dates cannot overlap
    "fact_labour_market": "period",
    "fact_employment": "reference_date",
    "fact_headline": "period",
    "fact_regio": "period_label",
}
NATURAL_KEYS = {table: list(natural_key(table)) for table in DATE_KEYS}  # declared in pipelines.merge


@dataclass
class FileReport:
    source: str
    status: str  # loaded | unchanged | rejected
    family: str | None = None
    reference_dates: list[date] = field(default_factory=list)
    rows_loaded: int = 0
    rows_replaced: int = 0
    rows_kept_newer: int = 0
    rows_quarantined: int = 0
    revision: str | None = None
    reconciliation: str = "none"
    reconciliation_detail: str = ""
    warnings: list[str] = field(default_factory=list)
    message: str | None = None

    @property
    def family_label(self) -> str:
        return FAMILY_LABELS.get(self.family or "", self.family or "–")

    def summary(self) -> str:
        if self.status == "rejected":
            return f"ABGELEHNT / REJECTED {self.source}: {self.message}"
        if self.status == "unchanged":
            return f"unverändert / unchanged {self.source} (bereits geladen / already loaded)"
        dates = ", ".join(d.isoformat() for d in self.reference_dates[:6])
        more = " …" if len(self.reference_dates) > 6 else ""
        text = (
            f"geladen / loaded {self.source}: {self.family_label}; Stichtage/dates {dates}{more}; "
            f"{self.rows_loaded:,} Zeilen/rows".replace(",", ".")
        )
        if self.rows_replaced:
            text += f"; Revision: {self.rows_replaced:,} Zeilen ersetzt / rows replaced ({self.revision})"
        if self.rows_kept_newer:
            text += f"; {self.rows_kept_newer} Zeilen nicht geladen, neuere Fassung vorhanden"
        if self.rows_quarantined:
            text += f"; {self.rows_quarantined} Zeilen in Quarantäne / quarantined"
        return text + f"; Abgleich/reconciliation: {self.reconciliation}"


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, folders recursively (only .xlsx/.xls/.csv/.txt), sorted."""
    out: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            out.append(path)
        else:
            raise PipelineError(f"Datei oder Ordner nicht gefunden / not found: {path}")
    return out


# --- validation against the reference code lists ----------------------------------------------


def _codes(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [r[0] for r in con.execute(sql).fetchall()]


def validate(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    lands: list[str],
) -> tuple[pl.DataFrame, list[dict], list[str]]:
    """Keep rows with known codes; unknown codes go to quarantine, other Länder are skipped."""
    kreise = _codes(con, "SELECT ags FROM region")
    quarantine: list[dict] = []
    warnings: list[str] = []
    level, ags = pl.col("region_level"), pl.col("ags")
    in_area = ags.str.slice(0, 2).is_in(lands)
    code_column = {"fact_labour_market": "kldb", "fact_employment": "wz"}.get(table)
    # the distinct regions and codes (both at once): the common case, all known, is decided there
    regions, codes = pl.collect_all(
        [
            frame.lazy().select("region_level", "ags").unique(),
            frame.lazy().select(pl.col(code_column).unique() if code_column else pl.lit(None)),
        ]
    )
    outside = level.is_in(["kreis", "land"]) & ~in_area  # Kreise and Länder of other Länder
    if regions.filter(outside).height:
        skipped = frame.filter(outside)
        found = sorted(skipped["ags"].str.slice(0, 2).unique().to_list())[:10]
        warnings.append(
            f"{skipped.height} Zeilen außerhalb der Länder {', '.join(lands)} nicht geladen "
            f"(Länder {', '.join(found)}) / rows outside the configured Länder skipped"
        )
        frame = frame.filter(~outside)
        regions = regions.filter(~outside)
    code_bad = None  # (code column, its "bad" condition)
    reasons = pl.when((level == "kreis") & ~ags.is_in(kreise)).then(
        pl.lit("unbekannter Kreisschlüssel / unknown Kreis code: ") + ags
    )
    if table == "fact_labour_market":
        known = set(_codes(con, "SELECT code FROM occupation"))
        code = pl.col("kldb")
        prefix = code.str.slice(0, pl.min_horizontal(code.str.len_chars(), pl.lit(3)))
        bad = ~code.is_in(["TOTAL", "UNKNOWN"]) & (~code.str.contains(r"^\d{1,5}$") | ~prefix.is_in(known))
        reasons = reasons.when(bad).then(pl.lit("unbekannter KldB-Schlüssel / unknown KldB code: ") + code)
        code_bad = code, bad
    if table == "fact_employment":
        known = set(_codes(con, "SELECT code FROM sector"))
        code = pl.col("wz")
        division = code.str.slice(0, 2)
        bad = (
            ~code.is_in(["TOTAL", "UNKNOWN"])
            & ~code.is_in(known)
            & ~(code.str.contains(r"^\d{2}(\.\d{1,2})?$") & division.is_in(known))
        )
        reasons = reasons.when(bad).then(pl.lit("unbekannter WZ-Schlüssel / unknown WZ code: ") + code)
        code_bad = code, bad
    suspects = [regions.filter(~ags.is_in(kreise)).height]
    if code_bad is not None:
        suspects.append(codes.filter(code_bad[1]).height)
    if not any(suspects):
        return frame, quarantine, warnings
    checked = frame.with_columns(_reason=reasons)
    rejected = checked.filter(pl.col("_reason").is_not_null())
    for row in rejected.iter_rows(named=True):
        quarantine.append(
            {
                "sheet": row.get("_sheet"),
                "row_number": row.get("_row"),
                "column_name": row.get("_column"),
                "reason": row["_reason"],
                "raw_values": {
                    k: row[k]
                    for k in row
                    if not k.startswith("_")
                    and k in ("ags", "kldb", "wz", "indicator", "statistic_code", "measure", "value")
                },
            }
        )
    if rejected.height:
        codes = sorted(set(rejected["_reason"].to_list()))
        warnings.append(
            f"{rejected.height} Zeilen mit unbekannten Schlüsseln in Quarantäne / rows with "
            f"unknown codes quarantined: {'; '.join(codes[:10])}"
        )
    return checked.filter(pl.col("_reason").is_null()).drop("_reason"), quarantine, warnings


# --- writing -----------------------------------------------------------------------------------


PROVENANCE = {  # the same for every row of a file: bound as parameters, not as columns
    "source_file": "VARCHAR",
    "content_hash": "VARCHAR",
    "publication": "VARCHAR",
    "loaded_at": "TIMESTAMP",
    "vintage": "DATE",
    "load_id": "BIGINT",
}


def _merge(
    con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, provenance: dict[str, object]
) -> tuple[int, int, int, list[str]]:
    """Merge by natural key; a newer vintage already loaded wins. (loaded, replaced, kept, files)

    ``provenance`` gives the values of the PROVENANCE columns for all rows. The incoming keys
    must be unique (pipelines.merge.check_unique); new reference dates are inserted, rows
    that overlap go through the one merge (pipelines.merge.merge_rows, MERGE INTO). Table and
    column names are constants of this module; values only travel as data or parameters.
    """
    keys = NATURAL_KEYS[table]
    check_unique(table, frame, str(provenance["source_file"]))
    on = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    using = ", ".join(keys)
    columns = ", ".join(f"?::{kind} AS {name}" for name, kind in PROVENANCE.items())
    incoming = f"SELECT *, {columns} FROM _arrow_incoming"  # noqa: S608 (constant names)
    params = [provenance[name] for name in PROVENANCE]
    dates = frame[DATE_KEYS[table]].drop_nulls().unique().to_list()
    # string views as they are (no copy into Arrow's older string layout)
    con.register("_arrow_incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        # first by the dates alone (zone maps skip most of a large table), then by the full key
        overlap = (
            bool(dates)
            and con.execute(
                f"SELECT count(*) FROM {table} WHERE {DATE_KEYS[table]} IN "  # noqa: S608
                f"({', '.join('?' * len(dates))})",
                dates,
            ).fetchall()[0][0]
        )
        if overlap:
            overlap = con.execute(
                f"SELECT count(*) FROM {table} t SEMI JOIN _arrow_incoming i USING ({using})"  # noqa: S608
            ).fetchall()[0][0]
        if not overlap:  # the common case: new reference dates
            loaded = con.execute(
                f"INSERT INTO {table} BY NAME {incoming}",
                params,  # noqa: S608
            ).fetchall()[0][0]
            return loaded, 0, 0, []
        con.execute(f"CREATE OR REPLACE TEMP TABLE _incoming AS {incoming}", params)
    finally:
        con.unregister("_arrow_incoming")
    newer = "t.vintage > i.vintage"  # the rule that keeps a row already loaded
    kept, replaced, files = con.execute(
        f"SELECT count(*) FILTER (WHERE {newer}), count(*) FILTER (WHERE NOT coalesce({newer}, false)), "  # noqa: S608
        f"list(DISTINCT t.source_file ORDER BY t.source_file) FILTER (WHERE NOT coalesce({newer}, false)) "
        f"FROM {table} t JOIN _incoming i ON {on}"
    ).fetchall()[0]
    columns = [r[0] for r in con.execute("DESCRIBE _incoming").fetchall()]
    loaded = merge_rows(con, table, "_incoming", columns, keep_when=newer)
    con.execute("DROP TABLE _incoming")
    return loaded, replaced, kept, list(files or [])


def write_parsed(
    con: duckdb.DuckDBPyConnection,
    parsed: ParsedFile,
    content_hash: str,
    loaded_at: datetime,
    lands: list[str],
) -> tuple[dict[str, int], FileReport]:
    """Validate and load one parsed file into ``con`` (inside the caller's transaction)."""
    load_id = next_load_id(con)
    report = FileReport(
        parsed.source,
        "loaded",
        parsed.family,
        parsed.reference_dates,
        warnings=list(parsed.warnings),
    )
    quarantine = parsed.quarantine.to_dicts()
    counts: dict[str, int] = {}
    revised: set[str] = set()
    for table, frame in parsed.facts.items():
        frame, rejected, warnings = validate(con, table, frame, lands)
        quarantine.extend(
            {**r, "raw_values": json.dumps(r["raw_values"], ensure_ascii=False, default=str)}
            for r in rejected
        )
        report.warnings += warnings
        frame = frame.drop([c for c in frame.columns if c.startswith("_") or c in PROVENANCE])
        provenance = {
            "source_file": parsed.source,
            "content_hash": content_hash,
            "publication": parsed.family,
            "loaded_at": loaded_at,
            "vintage": parsed.vintage,
            "load_id": load_id,
        }
        loaded, replaced, kept, files = _merge(con, table, frame, provenance)
        counts[table] = loaded
        report.rows_loaded += loaded
        report.rows_replaced += replaced
        report.rows_kept_newer += kept
        revised.update(files)
    if report.rows_kept_newer:
        report.warnings.append(
            f"{report.rows_kept_newer} Zeilen nicht geladen: neuere Fassung bereits im "
            "Warehouse / rows skipped: a newer vintage is loaded"
        )
    if revised:
        report.revision = "ersetzt Werte aus / replaces values from " + ", ".join(sorted(revised))
    if quarantine:
        q = pl.DataFrame(quarantine, schema=parsed.quarantine.schema).with_columns(
            load_id=pl.lit(load_id, pl.Int64),
            step=pl.lit(STEP),
            source_file=pl.lit(parsed.source),
            quarantined_at=pl.lit(loaded_at),
        )
        con.register("_q", q.to_arrow())
        try:
            con.execute("INSERT INTO quarantine BY NAME SELECT * FROM _q")
        finally:
            con.unregister("_q")
    counts["quarantine"] = report.rows_quarantined = len(quarantine)
    rec = parsed.reconciled()
    report.reconciliation, report.reconciliation_detail = rec.status, rec.summary()
    if rec.differences:
        report.warnings.append(f"Abgleich: {len(rec.differences)} Abweichungen / reconciliation differences")
    con.execute(
        "INSERT INTO ingest_report VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            parsed.source,
            content_hash,
            parsed.family,
            list(parsed.reference_dates),
            parsed.vintage,
            report.rows_loaded,
            report.rows_replaced,
            report.rows_kept_newer,
            report.rows_quarantined,
            report.revision,
            report.reconciliation,
            report.reconciliation_detail,
            json.dumps(report.warnings, ensure_ascii=False),
            loaded_at,
        ],
    )
    counts["ingest_report"] = 1
    return counts, report


def ingest_bytes(
    settings: Settings,
    source: str,
    data: bytes,
    *,
    force: bool = False,
    session: LoadSession | None = None,
) -> FileReport:
    """Parse and load one file into the session's staging warehouse (not published;
    ``session`` default: the ambient one).

    The staging warehouse is opened while the file is parsed."""
    session = session or ambient_session(settings)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="staging") as pool:
        ready = pool.submit(connect_session, session)
        try:
            parsed = parse_bytes(source, data)
        except BaseException as exc:
            if isinstance(exc, ParseError):
                _record_rejected(settings, source, hash_bytes(data), str(exc), session, ready)
                return FileReport(source, "rejected", message=str(exc))
            _close_when_ready(ready)
            raise
        content_hash = hash_bytes(data)
        holder: dict[str, FileReport] = {}

        def load(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
            counts, holder["report"] = write_parsed(
                con, parsed, content_hash, datetime.now().replace(microsecond=0), settings.geo_lands
            )
            return counts

        try:
            result = run_step(
                settings,
                STEP,
                source,
                content_hash,
                load,
                force=force,
                any_load=True,
                opened=ready.result(),
                session=session,
            )
        except (PipelineError, duckdb.Error) as exc:
            message = f"Laden fehlgeschlagen / load failed: {exc}"
            _record_rejected(settings, source, content_hash, message, session, None)
            return FileReport(source, "rejected", parsed.family, parsed.reference_dates, message=message)
    if result.status == "unchanged":
        return FileReport(
            source,
            "unchanged",
            parsed.family,
            parsed.reference_dates,
            reconciliation=parsed.reconciled().status,
            reconciliation_detail=parsed.reconciled().summary(),
        )
    return holder["report"]


def _record_rejected(
    settings: Settings,
    source: str,
    content_hash: str,
    message: str,
    session: LoadSession,
    ready: Future[duckdb.DuckDBPyConnection] | None,
) -> None:
    """The rejected file in load_log (file, hash, message), on the connection opened beside
    the parse if there is one. A staging that cannot be opened only loses this record."""
    try:
        opened = ready.result() if ready is not None else None
        log_rejected(settings, STEP, source, content_hash, message, session=session, opened=opened)
    except (PipelineError, duckdb.Error):
        pass  # the file is rejected for its content; staging problems show on the next load


def _close_when_ready(ready: Future[duckdb.DuckDBPyConnection]) -> None:
    """Close the staging connection opened beside a parse that failed (or was interrupted)."""
    try:
        ready.result().close()
    except (PipelineError, duckdb.Error):
        pass  # the file is rejected for its content; staging problems show on the next load


def ingest_files(
    settings: Settings,
    files: Iterable[tuple[str, bytes | Path]],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    publish_after: bool = True,
    force: bool = False,
    session: LoadSession | None = None,
) -> list[FileReport]:
    """Ingest (name, bytes or path) pairs one by one into ``session`` (default: the ambient
    one), then publish it if anything was loaded and ``publish_after``."""
    items = list(files)
    session = session or ambient_session(settings)
    reports = []
    for i, (name, content) in enumerate(items, start=1):
        if progress:
            progress(i, len(items), name)
        data = content.read_bytes() if isinstance(content, Path) else content
        reports.append(ingest_bytes(settings, name, data, force=force, session=session))
    if publish_after and any(r.status in ("loaded", "rejected") for r in reports):
        publish(settings, session)  # also a rejected file: its record in load_log
    return reports


def ingest_paths(settings: Settings, paths: Iterable[Path], **kwargs) -> list[FileReport]:
    return ingest_files(settings, [(p.name, p) for p in expand_paths(paths)], **kwargs)


REBASE_ATTEMPTS = 3


@dataclass
class UploadResult:
    """What a load of files did: one report per file and what publishing did
    (None: nothing was loaded, so nothing was published)."""

    reports: list[FileReport]
    published: StepResult | None
    rebased: int = 0  # how often the files were loaded again onto a newer warehouse

    @property
    def loaded(self) -> list[FileReport]:
        return [r for r in self.reports if r.status == "loaded"]

    @property
    def is_published(self) -> bool:
        return self.published is not None and self.published.status == "loaded"

    @property
    def rows_published(self) -> int:
        return sum(r.rows_loaded for r in self.loaded) if self.is_published else 0


def load_and_publish(
    settings: Settings,
    files: Iterable[tuple[str, bytes | Path]],
    *,
    started_by: str,
    progress: Callable[[int, int, str], None] | None = None,
    force: bool = False,
) -> UploadResult:
    """Ingest the files in a load session of their own and publish it.

    When another session was published meanwhile (BaseChanged), the session is discarded
    and the same inputs are loaded again onto the new warehouse (rebase), up to
    REBASE_ATTEMPTS times; then BaseChanged goes to the caller."""
    items = [(name, c.read_bytes() if isinstance(c, Path) else c) for name, c in files]
    for attempt in range(REBASE_ATTEMPTS):
        session = open_session(settings, started_by)
        try:
            reports = ingest_files(
                settings, items, progress=progress, publish_after=False, force=force, session=session
            )
            if not session.loads:  # nothing loaded and nothing rejected
                discard(settings, session)
                return UploadResult(reports, None, attempt)
            return UploadResult(reports, publish(settings, session), attempt)
        except BaseChanged:
            discard(settings, session)
            if attempt == REBASE_ATTEMPTS - 1:
                raise
        except BaseException:
            discard(settings, session)
            raise
    raise AssertionError("unreachable")


def process_uploads(settings: Settings, uploads: Iterable[tuple[str, bytes]]) -> list[FileReport]:
    """What the upload page does with the uploaded files: ingest all in a session of their
    own, publish it (see load_and_publish); the reports per file."""
    return load_and_publish(settings, list(uploads), started_by="page:statistics_upload").reports
