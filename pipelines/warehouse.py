"""Build and publish the DuckDB warehouse.

Steps write into a staging file under ``build_path``; ``publish`` checks it and moves it
over the warehouse in service with an atomic rename. The warehouse in service is only ever
read (copied) by the pipelines, never written in place, so a failing step cannot damage it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from analytics.settings import Settings

STAGING_NAME = "warehouse.staging.duckdb"
REQUIRED_TABLES = ("region", "occupation", "sector", "automotive_chain")


class PipelineError(RuntimeError):
    """A failure with a message meant for the person running the pipeline."""


@dataclass
class StepResult:
    step: str
    source: str
    content_hash: str
    status: str  # loaded | unchanged
    row_counts: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f"{t}: {n:,}".replace(",", ".") for t, n in self.row_counts.items())
        verb = "geladen" if self.status == "loaded" else "unverändert"
        return f"[{self.step}] {verb} ({self.source}) {counts}".rstrip()


def staging_path(settings: Settings) -> Path:
    return settings.build_path / STAGING_NAME


def schema_sql() -> str:
    """schema.sql, then the topic files sql/schema_*.sql in name order."""
    sql_dir = resources.files("pipelines").joinpath("sql")
    extra = sorted(p.name for p in sql_dir.iterdir() if p.name.startswith("schema_"))
    return "\n".join(sql_dir.joinpath(name).read_text(encoding="utf-8") for name in ["schema.sql", *extra])


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """schema_sql(), then the ENUM types of the fact tables' descriptive columns (altered only
    where a column's type differs, e.g. in a warehouse made before)."""
    from pipelines.statistics.constants import FACT_ENUM_TABLES, FACT_ENUMS

    con.execute(schema_sql())
    types = dict(
        ((table, column), kind)
        for table, column, kind in con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND schema_name = 'main'"
        ).fetchall()
    )
    for table in FACT_ENUM_TABLES:
        for column, values in FACT_ENUMS.items():
            wanted = "ENUM(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"
            if types.get((table, column)) != wanted:
                con.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {wanted}")  # noqa: S608


def hash_bytes(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def hash_files(paths: Iterable[Path]) -> str:
    return hash_bytes(*(Path(p).read_bytes() for p in sorted(paths, key=str)))


_READER: duckdb.DuckDBPyConnection | None = None
_READER_LOCK = threading.RLock()


@contextmanager
def _attached(path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """``path`` attached read-only to one in-memory DuckDB of the process: (cursor, catalog).

    For the checks of publish and staging: attaching a file costs about a millisecond, a new
    connection (a new database instance) about 25 ms. Raises duckdb.Error like
    ``duckdb.connect(path, read_only=True)`` for a file that is no DuckDB database.
    """
    global _READER
    with _READER_LOCK:
        if _READER is None:
            _READER = duckdb.connect()
        cur = _READER.cursor()
        alias = f"ro_{uuid.uuid4().hex}"
        try:
            cur.execute(f"ATTACH ? AS {alias} (READ_ONLY)", [str(path)])
            try:
                yield cur, alias
            finally:
                cur.execute(f"DETACH {alias}")
        finally:
            cur.close()


def check_warehouse(path: Path) -> None:
    """Raise PipelineError with a readable message when ``path`` is not a usable warehouse."""
    with _checked(path):
        pass


@contextmanager
def _checked(path: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """``path`` attached read-only once it passed check_warehouse's checks: (cursor, catalog)."""
    with ExitStack() as stack:
        try:
            cur, alias = stack.enter_context(_attached(path))
        except duckdb.Error as exc:
            raise PipelineError(
                f"{path}: keine lesbare DuckDB-Datei / not a readable DuckDB file ({exc}). "
                "Run `python -m pipelines all` to rebuild it."
            ) from exc
        tables = {
            r[0]
            for r in cur.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?", [alias]
            ).fetchall()
        }
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            raise PipelineError(f"{path}: Tabellen fehlen / tables missing: {', '.join(missing)}")
        for table in REQUIRED_TABLES:
            if cur.execute(f"SELECT count(*) FROM {alias}.{table}").fetchall()[0][0] == 0:  # noqa: S608 (constant names)
                raise PipelineError(f"{path}: Tabelle '{table}' ist leer / table '{table}' is empty")
        yield cur, alias


def damaged_warehouse_message(path: Path, exc: Exception) -> str:
    return (
        f"Das veröffentlichte Warehouse {path} ist beschädigt ({exc}). Es bleibt unverändert; "
        "`python -m pipelines all` baut ein neues. / The published warehouse is damaged; it "
        "stays untouched, run `all` to build a new one."
    )


def published_is_readable(settings: Settings) -> bool:
    """True when the warehouse in service opens; False when it is absent."""
    published = settings.warehouse_path
    if not published.exists():
        return False
    try:
        with _attached(published):
            pass
    except duckdb.Error as exc:
        raise PipelineError(damaged_warehouse_message(published, exc)) from exc
    return True


def start_staging(settings: Settings, *, fresh: bool = False) -> None:
    """Create the staging file: a copy of the warehouse in service, or empty when ``fresh``."""
    target = staging_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    if not fresh and published_is_readable(settings):
        tmp = target.with_suffix(".copy")
        shutil.copyfile(settings.warehouse_path, tmp)
        os.replace(tmp, target)
    else:
        con = duckdb.connect(str(target))
        apply_schema(con)
        con.close()


def open_staging(settings: Settings) -> duckdb.DuckDBPyConnection:
    """The staging warehouse, opened with its schema applied (started from the published one
    if there is none)."""
    target = staging_path(settings)
    if not target.exists():
        start_staging(settings)
    try:
        con = duckdb.connect(str(target))
    except duckdb.Error as exc:
        raise PipelineError(
            f"Staging-Datei {target} ist beschädigt ({exc}); löschen oder `all` ausführen."
        ) from exc
    try:
        apply_schema(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def staging(
    settings: Settings, opened: duckdb.DuckDBPyConnection | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The staging warehouse (``opened`` by open_staging already, or opened here); checkpointed
    and closed at the end."""
    con = opened if opened is not None else open_staging(settings)
    try:
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()


def already_loaded(
    con: duckdb.DuckDBPyConnection, step: str, content_hash: str, *, any_load: bool = False
) -> bool:
    """Same content as the step's latest load (or, with ``any_load``, as any of its loads:
    the ingest step loads many files, each one once)."""
    if any_load:
        return (
            con.execute(
                "SELECT count(*) FROM load_log WHERE step = ? AND status = 'loaded' AND content_hash = ?",
                [step, content_hash],
            ).fetchall()[0][0]
            > 0
        )
    row = fetch_first(
        con,
        "SELECT content_hash FROM load_log WHERE step = ? AND status = 'loaded' "
        "ORDER BY loaded_at DESC, load_id DESC LIMIT 1",
        [step],
    )
    return row is not None and row[0] == content_hash


def fetch_first(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> tuple | None:
    """The first row of a query, or None. Uses fetchall: duckdb 2.0 keeps a fetchone()
    result open on the connection, which blocks a later register() or query."""
    rows = con.execute(sql, params).fetchall()
    return rows[0] if rows else None


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The load_id the running step will get in load_log (for rows it writes elsewhere)."""
    return fetch_first(con, "SELECT coalesce(max(load_id), 0) + 1 FROM load_log")[0]


def log_load(con: duckdb.DuckDBPyConnection, result: StepResult, duration_s: float) -> None:
    next_id = next_load_id(con)
    con.execute(
        "INSERT INTO load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            next_id,
            result.step,
            result.source,
            result.content_hash,
            json.dumps(result.row_counts, sort_keys=True),
            result.status,
            datetime.now(),
            round(duration_s, 3),
        ],
    )


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Write disposition 'replace': the table's content becomes exactly ``frame``."""
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PipelineError(f"{table}: Spalten fehlen / columns missing: {missing}")
    con.register("_incoming", frame.select(columns).to_arrow())
    try:
        con.execute(f"DELETE FROM {table}")  # noqa: S608
        con.execute(f"INSERT INTO {table} SELECT * FROM _incoming")  # noqa: S608
    finally:
        con.unregister("_incoming")
    return frame.height


def run_step(
    settings: Settings,
    step: str,
    source: str,
    content_hash: str,
    load: Callable[[duckdb.DuckDBPyConnection], dict[str, int]],
    *,
    force: bool = False,
    any_load: bool = False,
    opened: duckdb.DuckDBPyConnection | None = None,
) -> StepResult:
    """Run ``load`` in a transaction on staging unless the same content is already loaded.
    ``opened``: the staging connection, if the caller opened it already (open_staging)."""
    with staging(settings, opened) as con:
        if not force and already_loaded(con, step, content_hash, any_load=any_load):
            return StepResult(step, source, content_hash, "unchanged")
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        try:
            counts = load(con)
            result = StepResult(step, source, content_hash, "loaded", counts)
            log_load(con, result, time.perf_counter() - started)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return result


FINGERPRINT_SQL = "SELECT step, content_hash FROM {catalog}.load_log WHERE status = 'loaded' ORDER BY load_id"


def _load_fingerprint(path: Path) -> list[tuple]:
    with _attached(path) as (cur, alias):
        return cur.execute(FINGERPRINT_SQL.format(catalog=alias)).fetchall()


def publish(settings: Settings) -> StepResult:
    """Check the staging warehouse and move it into service atomically.

    The staging file is attached once (read-only) for the checks, its load fingerprint and the
    row counts; only the fingerprint of the warehouse in service is read besides.
    """
    target = staging_path(settings)
    published = settings.warehouse_path
    if not target.exists():
        return StepResult("publish", str(published), "", "unchanged", messages=["nothing staged"])
    with _checked(target) as (cur, alias):
        fingerprint = cur.execute(FINGERPRINT_SQL.format(catalog=alias)).fetchall()
        content_hash = hash_bytes(repr(fingerprint).encode())
        unchanged = False
        if published.exists():
            try:
                unchanged = _load_fingerprint(published) == fingerprint
            except duckdb.Error:
                unchanged = False  # a damaged warehouse in service is replaced
        if not unchanged:
            counts = {
                t: cur.execute(f"SELECT count(*) FROM {alias}.{t}").fetchall()[0][0]  # noqa: S608
                for (t,) in cur.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_catalog = ? "
                    "AND table_type = 'BASE TABLE' ORDER BY table_name",
                    [alias],
                ).fetchall()
            }
    if unchanged:
        target.unlink()
        return StepResult("publish", str(published), content_hash, "unchanged")
    published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(target, published)
    return StepResult("publish", str(published), content_hash, "loaded", counts)
