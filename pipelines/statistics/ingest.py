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
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from analytics.auth import require_agency
from analytics.settings import Settings
from pipelines.merge import check_unique, merge_rows, natural_key
from pipelines.sessions import LoadSession
from pipelines.statistics.constants import DEMO_PREFIX, FAMILY_LABELS
from pipelines.statistics.detect import parse_bytes
from pipelines.statistics.model import ParsedFile, ParseError
from pipelines.warehouse import (
    BaseChanged,
    PipelineError,
    StepResult,
    already_loaded,
    ambient_session,
    connect_session,
    discard,
    fetch_first,
    hash_bytes,
    log_rejected,
    memory_config,
    next_load_id,
    open_session,
    publish,
    run_step,
    staging,
)
from pipelines.workbook_guard import UploadRefused, check_size

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
    rows_read: int = 0  # value cells read: loaded + quarantined + skipped
    rows_skipped: int = 0  # other Länder, total rows without a region code, newer vintage loaded
    revision: str | None = None
    reconciliation: str = "none"
    reconciliation_detail: str = ""
    warnings: list[str] = field(default_factory=list)
    message: str | None = None
    disagreements: dict[str, int] = field(default_factory=dict)  # replaced file -> keys with other values

    @property
    def outcome(self) -> str:
        """loaded | loaded_with_warnings (rows quarantined or skipped, differences, other
        warnings) | unchanged | rejected."""
        if self.status != "loaded":
            return self.status
        return "loaded_with_warnings" if self.warnings or self.rows_quarantined else "loaded"

    def renamed(self, source: str) -> FileReport:
        self.source = source
        return self

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
        if self.rows_skipped:
            text += f"; {self.rows_skipped} Zeilen übersprungen / skipped"
        text += f"; gelesen / read {self.rows_read}"
        return text + f"; Abgleich/reconciliation: {self.reconciliation}"


EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


def exit_code(reports: list[FileReport]) -> int:
    """The exit code of an ingest run: 0 all loaded or unchanged (also with warnings, e.g.
    rows in quarantine), 1 a file rejected (none of its rows loaded)."""
    return EXIT_REJECTED if any(r.outcome == "rejected" for r in reports) else EXIT_OK


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


LAND_CODES = [f"{n:02d}" for n in range(1, 17)]  # the 16 Länder: the first two digits of every AGS
COUNT_TABLES = ("fact_labour_market", "fact_employment")  # values are counts of persons or jobs


@dataclass
class Validated:
    """A fact frame split by validate(): rows to load, quarantine rows, skipped rows (counted)."""

    frame: pl.DataFrame
    quarantine: list[dict]
    warnings: list[str]
    skipped: int = 0


def _quarantine_rows(rejected: pl.DataFrame) -> list[dict]:
    return [
        {
            "sheet": row.get("_sheet"),
            "row_number": row.get("_row"),
            "column_name": row.get("_column"),
            "reason": row["_reason"],
            "raw_values": {
                k: row[k]
                for k in row
                if not k.startswith("_")
                and k in ("ags", "kldb", "wz", "indicator", "statistic_code", "measure", "breakdown", "value")
            },
        }
        for row in rejected.iter_rows(named=True)
    ]


def _duplicates(table: str, frame: pl.DataFrame) -> pl.Expr | None:
    """Rows whose natural key occurs more than once in the file (all copies), or None."""
    keys = NATURAL_KEYS[table]
    # the common case, all keys distinct, is decided on one 64-bit hash per row (distinct
    # hashes mean distinct keys); only when hashes repeat are the keys compared themselves
    if frame.select(pl.struct(keys).hash().n_unique()).item() == frame.height:
        return None
    if frame.select(pl.struct(keys).n_unique()).item() == frame.height:
        return None  # a hash collision, no duplicate
    return pl.struct(keys).is_duplicated()


def validate(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    lands: list[str],
) -> Validated:
    """Keep rows with known codes. To quarantine: unknown codes, a region code of no Land,
    negative counts, keys that occur twice in the file (every copy). Kreise and Länder of
    other Länder are skipped and counted."""
    kreise = _codes(con, "SELECT ags FROM region")
    warnings: list[str] = []
    level, ags = pl.col("region_level"), pl.col("ags")
    land_of = ags.str.slice(0, 2)
    code_column = {"fact_labour_market": "kldb", "fact_employment": "wz"}.get(table)
    # the distinct regions and codes (both at once): the common case, all known, is decided there
    regions, codes = pl.collect_all(
        [
            frame.lazy().select("region_level", "ags").unique(),
            frame.lazy().select(pl.col(code_column).unique() if code_column else pl.lit(None)),
        ]
    )
    regional = level.is_in(["kreis", "land"])
    # Kreise and Länder of another (real) Land: skipped, counted; a code of no Land is quarantined
    outside = (
        regional & ~land_of.is_in(lands) & land_of.is_in(LAND_CODES) & ags.str.contains(r"^\d{2}(\d{3})?$")
    )
    skipped = 0
    if regions.filter(outside).height:
        left_out = frame.filter(outside)
        skipped = left_out.height
        found = sorted(left_out["ags"].str.slice(0, 2).unique().to_list())[:10]
        warnings.append(
            f"{skipped} Zeilen außerhalb der Länder {', '.join(lands)} nicht geladen "
            f"(Länder {', '.join(found)}) / {skipped} rows outside the configured Länder skipped"
        )
        frame = frame.filter(~outside)
        regions = regions.filter(~outside)
    no_land = regional & ~land_of.is_in(LAND_CODES)
    reasons = (
        pl.when(no_land)
        .then(pl.lit("Regionsschlüssel keines Landes / region code of no Land: ") + ags)
        .when((level == "kreis") & ~ags.is_in(kreise))
        .then(pl.lit("unbekannter Kreisschlüssel / unknown Kreis code: ") + ags)
    )
    suspects = [regions.filter(~ags.is_in(kreise) & (level == "kreis") | no_land).height]
    if table == "fact_labour_market":
        known = set(_codes(con, "SELECT code FROM occupation"))
        code = pl.col("kldb")
        prefix = code.str.slice(0, pl.min_horizontal(code.str.len_chars(), pl.lit(3)))
        bad = ~code.is_in(["TOTAL", "UNKNOWN"]) & (~code.str.contains(r"^\d{1,5}$") | ~prefix.is_in(known))
        reasons = reasons.when(bad).then(pl.lit("unbekannter KldB-Schlüssel / unknown KldB code: ") + code)
        suspects.append(codes.filter(bad).height)
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
        suspects.append(codes.filter(bad).height)
    negative = None
    if table in COUNT_TABLES:
        negative = pl.col("value") < 0
    elif table == "fact_headline":
        negative = (pl.col("value") < 0) & (pl.col("unit") == "persons")
    if negative is not None:
        reasons = reasons.when(negative).then(
            pl.lit("negative Anzahl / negative count: ") + pl.col("value").cast(pl.String)
        )
        suspects.append(frame.select(negative.fill_null(False).sum()).item())
    duplicated = _duplicates(table, frame)
    if duplicated is not None:
        key = ", ".join(NATURAL_KEYS[table])
        reasons = reasons.when(duplicated).then(
            pl.lit(
                f"Schlüssel ({key}) mehrfach in der Datei, keine Kopie geladen; die Datei "
                f"korrigieren / key ({key}) occurs more than once in the file, no copy loaded; "
                "correct the file"
            )
        )
        suspects.append(1)
    if not any(suspects):
        return Validated(frame, [], warnings, skipped)
    checked = frame.with_columns(_reason=reasons)
    rejected = checked.filter(pl.col("_reason").is_not_null())
    quarantine = _quarantine_rows(rejected)
    if rejected.height:
        detail = sorted(set(rejected["_reason"].to_list()))
        warnings.append(
            f"{rejected.height} Zeilen mit unbekannten, doppelten Schlüsseln oder negativen Werten "
            f"in Quarantäne / rows with unknown or duplicate keys or negative values quarantined: "
            f"{'; '.join(detail[:10])}"
        )
    return Validated(
        checked.filter(pl.col("_reason").is_null()).drop("_reason"), quarantine, warnings, skipped
    )


# --- writing -----------------------------------------------------------------------------------


PROVENANCE = {  # the same for every row of a file: bound as parameters, not as columns
    "source_file": "VARCHAR",
    "content_hash": "VARCHAR",
    "publication": "VARCHAR",
    "loaded_at": "TIMESTAMP",
    "vintage": "DATE",
    "load_id": "BIGINT",
}
POLARS_PROVENANCE = {
    "source_file": pl.String,
    "content_hash": pl.String,
    "publication": pl.String,
    "loaded_at": pl.Datetime("us"),
    "vintage": pl.Date,
    "load_id": pl.Int64,
}


def _merge(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    provenance: dict[str, object],
    differing: dict[str, int] | None = None,
) -> tuple[int, int, int, list[str]]:
    """Merge by natural key; a newer vintage already loaded wins. (loaded, replaced, kept, files)
    ``differing`` receives, per file whose rows are replaced, how many of them had other values.

    ``provenance`` gives the values of the PROVENANCE columns for all rows. Table and column
    names are constants of this module; values only travel as data or parameters.
    """
    keys = NATURAL_KEYS[table]
    check_unique(table, frame, str(provenance["source_file"]))  # validate() quarantined duplicates
    differing = {} if differing is None else differing
    on = " AND ".join(f"t.{k} = i.{k}" for k in keys)
    columns = ", ".join(f"?::{kind} AS {name}" for name, kind in PROVENANCE.items())
    incoming = f"SELECT *, {columns} FROM _arrow_incoming"  # noqa: S608 (constant names)
    params = [provenance[name] for name in PROVENANCE]
    date_key = DATE_KEYS[table]
    dates = frame[date_key].drop_nulls().unique().to_list()
    marks = ", ".join("?" * len(dates))
    # every statement over the table is restricted to the file's reference dates: without it
    # DuckDB reads the whole table for each (at Germany scale 31 s and 7.9 GB for one month)
    held = f"(SELECT * FROM {table} WHERE {date_key} IN ({marks}))"  # noqa: S608 (constant names)
    # string views as they are (no copy into Arrow's older string layout)
    con.register("_arrow_incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        # by the dates alone first (zone maps skip most of a large table)
        overlap = (
            bool(dates) and con.execute(f"SELECT count(*) FROM {held}", dates).fetchall()[0][0]  # noqa: S608
        )
        if not overlap:  # the common case: new reference dates
            loaded = con.execute(
                f"INSERT INTO {table} BY NAME {incoming}",
                params,  # noqa: S608
            ).fetchall()[0][0]
            return loaded, 0, 0, []
    finally:
        con.unregister("_arrow_incoming")
    # a revision: the incoming rows with their provenance as columns, read by DuckDB from Arrow
    # where they are (no copy into a temporary table: at Germany scale 1.2 M rows, 0.6 s)
    frame = frame.with_columns(
        pl.lit(provenance[name], dtype=POLARS_PROVENANCE[name]).alias(name) for name in PROVENANCE
    )
    con.register("_incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
    try:
        # the rows the table holds for the incoming keys, found in one join: where they are
        # (rowid), what they are (file, vintage, demo) and whether their values differ
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _held AS SELECT t._rowid, "  # noqa: S608
            "t.source_file, t.vintage AS held_vintage, starts_with(t.publication, ?) AS held_demo, "
            "(t.value IS DISTINCT FROM i.value OR t.flag IS DISTINCT FROM i.flag) AS differs "
            f"FROM _incoming i JOIN (SELECT rowid AS _rowid, * FROM {table} WHERE {date_key} IN ({marks})) t "
            f"ON {on}",
            [DEMO_PREFIX, *dates],
        )
        # rows already held by a newer vintage stay; demo rows never outrank real ones (and a
        # real file replaces demo rows whatever their vintage); the file's vintage and
        # publication are the same for all its rows
        incoming_demo = str(provenance["publication"]).startswith(DEMO_PREFIX)
        wins = "coalesce(NOT held_demo AND (held_vintage > ?::DATE OR ?), false)"
        wins_params = [provenance["vintage"], incoming_demo]
        kept = con.execute(f"SELECT count(*) FROM _held WHERE {wins}", wins_params).fetchall()[0][0]  # noqa: S608
        if kept:  # rare: an older file after a newer one; its rows for those keys are not loaded
            stay = con.sql(
                f"SELECT {', '.join(f'i.{k}' for k in keys)} FROM _incoming i "  # noqa: S608
                f"JOIN (SELECT rowid AS _rowid, * FROM {table} WHERE {date_key} IN ({marks})) t ON {on} "
                f"WHERE t._rowid IN (SELECT _rowid FROM _held WHERE {wins})",
                params=[*dates, *wins_params],
            ).pl()
            frame = frame.join(stay, on=keys, how="anti")
            con.unregister("_incoming")
            con.register("_incoming", frame.to_arrow(compat_level=pl.CompatLevel.newest()))
        by_file = con.execute(
            f"SELECT source_file, count(*), count(*) FILTER (WHERE differs) FROM _held "  # noqa: S608
            f"WHERE NOT ({wins}) GROUP BY source_file ORDER BY source_file",
            wins_params,
        ).fetchall()
        replaced = sum(n for _, n, _ in by_file)
        files = [name for name, _, _ in by_file]
        differing.update({name: n for name, _, n in by_file if n})
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _replaced AS SELECT _rowid FROM _held WHERE NOT ({wins})",  # noqa: S608
            wins_params,
        )
        con.execute("DROP TABLE _held")
        # the rows left (the kept ones are out) go through the one merge: the held rows found
        # above are replaced, the others inserted
        loaded = merge_rows(
            con, table, "_incoming", list(frame.columns), within=(date_key, dates), matched="_replaced"
        )
        con.execute("DROP TABLE _replaced")
    finally:
        con.unregister("_incoming")
    return loaded, replaced, kept, list(files or [])


def _resolve_region_name(con: duckdb.DuckDBPyConnection, parsed: ParsedFile, report: FileReport) -> None:
    """The region a file names without a code: an exact, unique match of the name in the
    reference table (said in the report), else the file is rejected."""
    name = parsed.region_name or ""
    found = con.execute(
        "SELECT ags, name FROM region WHERE lower(name) = lower(?) ORDER BY ags", [name.strip()]
    ).fetchall()
    if len(found) != 1:
        problem = "mehrdeutig" if found else "unbekannt"
        raise ParseError(
            parsed.source,
            f"Region '{name}' ohne Regionalschlüssel und im Regionsverzeichnis {problem} "
            f"({', '.join(a for a, _ in found) or 'kein Treffer'}); den Schlüssel im Titel angeben "
            "(z. B. 'Region: 03254 Hildesheim')",
            f"region '{name}' without a code is {'ambiguous' if found else 'unknown'} in the region "
            "list; state its code in the title (e.g. 'Region: 03254 Hildesheim')",
        )
    ags, matched = found[0]
    level = "kreis" if len(ags) == 5 else "land"
    parsed.facts = {
        table: frame.with_columns(ags=pl.lit(ags), region_level=pl.lit(level))
        for table, frame in parsed.facts.items()
    }
    report.warnings.append(
        f"Region ohne Schlüssel über den Namen '{name}' zugeordnet: {ags} {matched} / region "
        f"without a code matched by its name: {ags} {matched}"
    )


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
        rows_read=parsed.rows_read,
        rows_skipped=parsed.skipped,
    )
    if parsed.region_name is not None:
        _resolve_region_name(con, parsed, report)
    quarantine = parsed.quarantine.to_dicts()
    counts: dict[str, int] = {}
    revised: set[str] = set()
    for table, frame in parsed.facts.items():
        checked = validate(con, table, frame, lands)
        frame = checked.frame
        labels = parsed.column_labels
        quarantine.extend(
            {
                **r,
                "column_name": labels.get((r["sheet"], r["column_name"]), r["column_name"]),
                "raw_values": json.dumps(r["raw_values"], ensure_ascii=False, default=str),
            }
            for r in checked.quarantine
        )
        report.warnings += checked.warnings
        report.rows_skipped += checked.skipped
        frame = frame.drop([c for c in frame.columns if c.startswith("_") or c in PROVENANCE])
        vintage = parsed.vintage
        if parsed.demo:  # stamped as demo, its vintage no later than the build day
            vintage = min(vintage or loaded_at.date(), loaded_at.date())
        provenance = {
            "source_file": parsed.source,
            "content_hash": content_hash,
            "publication": (DEMO_PREFIX if parsed.demo else "") + parsed.family,
            "loaded_at": loaded_at,
            "vintage": vintage,
            "load_id": load_id,
        }
        loaded, replaced, kept, files = _merge(con, table, frame, provenance, report.disagreements)
        counts[table] = loaded
        report.rows_loaded += loaded
        report.rows_replaced += replaced
        report.rows_kept_newer += kept
        report.rows_skipped += kept
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
    ``session`` default: the ambient one). A rejected file is recorded in load_log.

    The staging warehouse is opened while the file is parsed."""
    session = session or ambient_session(settings)
    content_hash = hash_bytes(data)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="staging") as pool:
        ready = pool.submit(connect_session, session, settings.ingest_memory_limit)
        prepared = _parse_new(settings, source, data, ready, force=force, content_hash=content_hash)
        # the file's bytes are not needed once parsed: let go of them before the load (a 60 MB
        # CSV; the caller holds no other reference when it reads the file for this call)
        del data
        if isinstance(prepared, FileReport):
            if prepared.status == "rejected":
                _record_rejected(settings, source, content_hash, prepared.message, session, ready)
            else:
                _close_when_ready(settings, ready, session)
            return prepared
        return _load_parsed(settings, *prepared, force=force, opened=ready, session=session)


def _parse_new(
    settings: Settings,
    source: str,
    data: bytes,
    ready: Future[duckdb.DuckDBPyConnection] | None,
    *,
    force: bool = False,
    content_hash: str | None = None,
) -> FileReport | tuple[ParsedFile, str]:
    """(parsed file, content hash), or the report of a file unchanged (known by its hash, not
    parsed again) or rejected. ``ready``: the staging connection, when staging exists."""
    content_hash = content_hash or hash_bytes(data)
    earlier = None if force else _loaded_before(settings, content_hash, ready)
    if earlier is not None:
        return earlier.renamed(source)
    try:
        return parse_bytes(source, data), content_hash
    except ParseError as exc:
        return FileReport(source, "rejected", message=str(exc))


def _load_parsed(
    settings: Settings,
    parsed: ParsedFile,
    content_hash: str,
    *,
    force: bool = False,
    opened: Future[duckdb.DuckDBPyConnection] | None = None,
    session: LoadSession | None = None,
) -> FileReport:
    session = session or ambient_session(settings)
    holder: dict[str, FileReport] = {}
    source = parsed.source

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
            opened=opened.result() if opened is not None else None,
            session=session,
        )
    except PipelineError as exc:  # our own message (e.g. a region that cannot be matched)
        _record_rejected(settings, source, content_hash, str(exc), session, None)
        return FileReport(source, "rejected", parsed.family, parsed.reference_dates, message=str(exc))
    except duckdb.Error as exc:  # the database's text is no message for the user
        message = (
            f"Datei/file '{source}': Laden ins Warehouse fehlgeschlagen ({type(exc).__name__}); "
            "nichts geladen, das Warehouse im Dienst ist unverändert; erneut laden, bei "
            "Wiederholung melden / loading into the warehouse failed; nothing loaded, the "
            "warehouse in service is unchanged; load again and report it if it recurs"
        )
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


def load_order(parsed: ParsedFile) -> tuple:
    """Files of one run load by reference date, then vintage (none first), then name: of two
    files with the same keys the later one's values stay."""
    return (min(parsed.reference_dates, default=date.min), parsed.vintage or date.min, parsed.source)


EARLIER_LOAD_SQL = (
    "SELECT family, reference_dates, reconciliation, reconciliation_detail FROM {catalog}ingest_report "
    "WHERE content_hash = ? ORDER BY load_id DESC LIMIT 1"
)


def _loaded_before(
    settings: Settings, content_hash: str, ready: Future[duckdb.DuckDBPyConnection] | None
) -> FileReport | None:
    """The 'unchanged' report of a content loaded before, found by its hash before parsing.

    ``ready``: the staging connection being opened when a staging warehouse existed (it holds
    the loads not yet published); otherwise staging starts as a copy of the warehouse in
    service, which is asked read-only while the copy is made."""
    if ready is not None:
        con = ready.result()
        if not already_loaded(con, STEP, content_hash, any_load=True):
            return None
        row = fetch_first(con, EARLIER_LOAD_SQL.format(catalog=""), [content_hash])
    else:
        if not settings.warehouse_path.exists():
            return None
        try:
            con = duckdb.connect(
                str(settings.warehouse_path),
                read_only=True,
                config=memory_config(settings.ingest_memory_limit),
            )
        except duckdb.Error:
            return None  # a damaged warehouse in service: the load decides
        try:
            if not already_loaded(con, STEP, content_hash, any_load=True):
                return None
            row = fetch_first(con, EARLIER_LOAD_SQL.format(catalog=""), [content_hash])
        except duckdb.Error:
            return None
        finally:
            con.close()
    family, dates, status, detail = row or (None, [], "none", "")
    return FileReport(
        "",
        "unchanged",
        family,
        list(dates or []),
        reconciliation=status,
        reconciliation_detail=detail,
    )


def _record_rejected(
    settings: Settings,
    source: str,
    content_hash: str,
    message: str | None,
    session: LoadSession,
    ready: Future[duckdb.DuckDBPyConnection] | None,
) -> None:
    """The rejected file in load_log (file, hash, message), on the connection opened beside
    the parse if there is one. A staging that cannot be opened only loses this record."""
    try:
        opened = ready.result() if ready is not None else None
        log_rejected(settings, STEP, source, content_hash, message or "", session=session, opened=opened)
    except (PipelineError, duckdb.Error):
        pass  # the file is rejected for its content; staging problems show on the next load


def _close_when_ready(
    settings: Settings, ready: Future[duckdb.DuckDBPyConnection], session: LoadSession
) -> None:
    """Close the staging connection opened beside a parse that ended without a load."""
    try:
        with staging(settings, ready.result(), session=session):
            pass
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
    """Ingest (name, bytes or path) pairs into ``session`` (default: the ambient one), then
    publish it if anything was loaded or rejected (its record) and ``publish_after``.

    One file: parsed while staging is opened. Several: all parsed first, then loaded in
    load_order(); two files of the run that disagree on a key get a warning naming both."""
    items = list(files)
    session = session or ambient_session(settings)
    if len(items) == 1:
        name, content = items[0]
        if progress:
            progress(1, 1, name)
        too_big = _too_big(name, content)
        if too_big is not None:
            reports = [too_big]
        else:  # the bytes bound to no name here: ingest_bytes lets go of them after the parse
            reports = [ingest_bytes(settings, name, _content_bytes(content), force=force, session=session)]
    else:
        reports = _ingest_run(settings, items, progress, force, session)
    if publish_after and any(r.status in ("loaded", "rejected") for r in reports):
        publish(settings, session)  # also a rejected file: its record in load_log
    return reports


def _content_bytes(content: bytes | Path) -> bytes:
    return content.read_bytes() if isinstance(content, Path) else content


def _too_big(name: str, content: bytes | Path) -> FileReport | None:
    """A file on disk over the size limit, rejected before it is read into memory."""
    if isinstance(content, Path):
        try:
            check_size(name, content.stat().st_size)
        except UploadRefused as exc:
            return FileReport(name, "rejected", message=str(exc))
    return None


def _ingest_run(
    settings: Settings,
    items: list[tuple[str, bytes | Path]],
    progress: Callable[[int, int, str], None] | None,
    force: bool,
    session: LoadSession,
) -> list[FileReport]:
    # the parsed files wait on disk, not in memory, until their turn (see ParsedFile.spill)
    with tempfile.TemporaryDirectory(prefix="cockpit-ingest-") as spill:
        return _ingest_run_spilled(settings, items, progress, force, session, Path(spill))


def _ingest_run_spilled(
    settings: Settings,
    items: list[tuple[str, bytes | Path]],
    progress: Callable[[int, int, str], None] | None,
    force: bool,
    session: LoadSession,
    spill: Path,
) -> list[FileReport]:
    reports: list[FileReport | None] = []
    parsed: list[tuple[int, ParsedFile, str]] = []
    rejected: list[tuple[str, str, str | None]] = []
    with ExitStack() as stack:
        ready: Future[duckdb.DuckDBPyConnection] | None = None
        if not force:  # the session's staging knows what was loaded before
            ready = Future()
            ready.set_result(stack.enter_context(staging(settings, session=session)))
        for i, (name, content) in enumerate(items):
            if progress:
                progress(i + 1, len(items), name)
            too_big = _too_big(name, content)
            if too_big is not None:
                reports.append(too_big)
                continue
            data = content.read_bytes() if isinstance(content, Path) else content
            prepared = _parse_new(settings, name, data, ready, force=force)
            reports.append(prepared if isinstance(prepared, FileReport) else None)
            if not isinstance(prepared, FileReport):
                prepared[0].spill(spill)
                parsed.append((i, *prepared))
            elif prepared.status == "rejected":
                rejected.append((name, hash_bytes(data), prepared.message))
    for name, content_hash, message in rejected:
        _record_rejected(settings, name, content_hash, message, session, None)
    loaded_from: dict[str, ParsedFile] = {}
    for i, file, content_hash in sorted(parsed, key=lambda item: load_order(item[1])):
        file.restore()
        report = _load_parsed(settings, file, content_hash, force=force, session=session)
        file.facts = {}  # loaded: let go of the rows
        for other, differing in report.disagreements.items():
            if other in loaded_from:
                report.warnings.append(
                    f"Widerspruch: '{other}' und '{file.source}' (dieser Lauf) geben für {differing} "
                    f"Schlüssel andere Werte; geladen wurden die von '{file.source}' (Stichtag, "
                    f"Fassung, Name) / '{other}' and '{file.source}' of this run disagree on "
                    f"{differing} keys; the values of '{file.source}' were kept"
                )
        loaded_from[file.source] = file
        reports[i] = report
    return [r for r in reports if r is not None]


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
    role: str | None,
    progress: Callable[[int, int, str], None] | None = None,
    force: bool = False,
) -> UploadResult:
    """Ingest the files in a load session of their own and publish it (agency role only:
    ``AccessDenied`` for any other ``role``; the CLI runs as the agency).

    When another session was published meanwhile (BaseChanged), the session is discarded
    and the same inputs are loaded again onto the new warehouse (rebase), up to
    REBASE_ATTEMPTS times; then BaseChanged goes to the caller. Files on disk are read (after
    their size check) by each attempt, not held in memory up front."""
    require_agency(role, "statistics upload")
    items = list(files)
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


def process_uploads(
    settings: Settings, uploads: Iterable[tuple[str, bytes]], role: str | None
) -> list[FileReport]:
    """What the upload page does with the uploaded files: ingest all in a session of their
    own, publish it (see load_and_publish); the reports per file."""
    return load_and_publish(settings, list(uploads), started_by="page:statistics_upload", role=role).reports
