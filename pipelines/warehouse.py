"""Build and publish the DuckDB warehouse through load sessions.

Every load runs in a load session (``open_session``; files in ``pipelines.sessions``): its own
staging copy beside the warehouse, the fingerprint of the warehouse it was copied from, who
started it. ``publish`` takes a file lock, checks that fingerprint, fsyncs, keeps the previous
warehouse and renames atomically; ``discard`` drops a session, ``rollback`` swaps the previous
warehouse back. The warehouse in service is only ever read (copied) by the pipelines, never
written in place, so a failing step cannot damage it.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import duckdb

from analytics import static_geometry
from analytics.settings import Settings
from pipelines import sessions
from pipelines.errors import PipelineError
from pipelines.sessions import LoadSession

if TYPE_CHECKING:  # polars is not needed to publish (keeps a publishing process light)
    import polars as pl

REQUIRED_TABLES = ("region", "occupation", "sector", "automotive_chain")


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
        done = {"discard": "verworfen / discarded", "rollback": "zurückgesetzt / rolled back"}
        verb = done.get(self.step, "geladen") if self.status == "loaded" else "unverändert"
        return f"[{self.step}] {verb} ({self.source}) {counts}".rstrip()


MIGRATIONS_DIR = ("sql", "migrations")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, text) of sql/migrations/NNN_*.sql|.py in version order."""
    folder = resources.files("pipelines").joinpath(*MIGRATIONS_DIR)
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name[:3].isdigit() and name.endswith((".sql", ".py")):
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if len(set(versions)) != len(versions):
        raise PipelineError(f"Migrationen mit gleicher Nummer / duplicate migration numbers: {versions}")
    return found


def schema_sql() -> str:
    """The first migration: the schema as it stood before numbered migrations."""
    return migrations()[0][2]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The warehouse's schema version (0: made before numbered migrations, or empty)."""
    has = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = 'schema_version'"
    ).fetchall()[0][0]
    if not has:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations the warehouse lacks, each in its own transaction with its row in
    schema_version; returns their names. A warehouse of a newer version is refused."""
    current = schema_version(con)
    todo = migrations()
    newest = todo[-1][0]
    if current > newest:
        raise PipelineError(
            f"Das Warehouse hat Schema-Version {current}, dieses Programm kennt nur bis {newest}; "
            "bitte das Programm aktualisieren. / The warehouse was made by a newer version."
        )
    applied = []
    for version, name, text in todo:
        if version <= current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            if name.endswith(".py"):
                scope: dict[str, object] = {}
                exec(compile(text, name, "exec"), scope)  # noqa: S102 (a migration file of this package)
                scope["migrate"](con)
            else:
                con.execute(text)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now()::TIMESTAMP)", [version, name])
            con.execute("COMMIT")
        except BaseException as exc:
            con.execute("ROLLBACK")
            if isinstance(exc, duckdb.Error):
                raise PipelineError(
                    f"Migration {name} fehlgeschlagen / failed ({exc}); das Warehouse in Betrieb "
                    "bleibt unverändert. `python -m pipelines all` baut ein neues."
                ) from exc
            raise
        applied.append(name)
    return applied


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """The numbered migrations (``migrate``), then the ENUM types of the fact tables'
    descriptive columns, derived from constants.FACT_ENUMS (altered only where a column's
    type differs, e.g. after a value was added there)."""
    from pipelines.statistics.constants import FACT_ENUM_TABLES, FACT_ENUMS

    migrate(con)
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


def _copy_open_file(source: BinaryIO, target: Path) -> None:
    """Copy an open file to ``target`` in the kernel (sendfile), whatever its path now holds."""
    size = os.fstat(source.fileno()).st_size
    with open(target, "wb") as out:
        offset = 0
        while offset < size:
            sent = os.sendfile(out.fileno(), source.fileno(), offset, size - offset)
            if sent == 0:
                break
            offset += sent


def open_session(settings: Settings, started_by: str, *, fresh: bool = False) -> LoadSession:
    """A new load session: its own staging copy of the warehouse in service (or an empty
    warehouse when ``fresh`` or there is none), beside the warehouse, and its sidecar.

    Stale sessions (dead processes, older than ``session_max_age_hours``) are cleaned first.
    The copy is read from one open file descriptor, so the base fingerprint describes exactly
    the file copied even if a publish replaces the warehouse meanwhile. A copy that is no
    DuckDB warehouse raises PipelineError (damaged); whatever fails, the session is removed."""
    published = settings.warehouse_path
    cleanup_sessions(settings)
    with ExitStack() as stack:
        try:
            source: BinaryIO | None = stack.enter_context(open(published, "rb"))
        except FileNotFoundError:
            source = None
        base = sessions.stat_fingerprint(os.fstat(source.fileno())) if source else None
        session = sessions.new_session(published, base, started_by)
        try:
            if source is not None and not fresh:
                copy = session.staging.with_suffix(".copy")
                _copy_open_file(source, copy)
                try:
                    with _attached(copy):
                        pass
                except duckdb.Error as exc:
                    raise PipelineError(damaged_warehouse_message(published, exc)) from exc
                os.replace(copy, session.staging)
            else:
                con = duckdb.connect(str(session.staging), config=memory_config(settings.ingest_memory_limit))
                try:
                    apply_schema(con)
                    con.execute("CHECKPOINT")
                finally:
                    con.close()
        except BaseException:
            sessions.remove_session_files(session)
            raise
    session.state = sessions.STAGED
    session.save()
    return session


def connect_session(session: LoadSession, memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """The session's staging warehouse, opened for writing with its schema applied; the
    session is marked ``open`` by this process until ``staging`` closes it. ``memory_limit``
    (settings ``ingest_memory_limit``) caps DuckDB's memory for the load."""
    target = session.staging
    if not session.sidecar.exists() or not target.exists():
        raise PipelineError(
            f"Ladesitzung {session.id} gibt es nicht mehr (veröffentlicht, verworfen oder "
            "aufgeräumt); bitte die Daten erneut laden. / The load session no longer exists; "
            "load the data again."
        )
    session.state, session.pid, session.host = sessions.OPEN, os.getpid(), socket.gethostname()
    session.save()
    try:
        con = duckdb.connect(str(target), config=memory_config(memory_limit))
    except duckdb.Error as exc:
        raise PipelineError(
            f"Staging-Datei {target} ist beschädigt ({exc}); `python -m pipelines discard "
            f"--session {session.id}` und erneut laden. / The staging file is damaged; discard it."
        ) from exc
    try:
        apply_schema(con)
    except BaseException:
        con.close()
        raise
    return con


def _mark_staged(session: LoadSession) -> None:
    if session.sidecar.exists():
        session.state = sessions.STAGED
        session.save()


@contextmanager
def staging(
    settings: Settings,
    opened: duckdb.DuckDBPyConnection | None = None,
    *,
    session: LoadSession | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The staging warehouse of ``session`` (default: this process's ambient session, see
    ``ambient_session``), ``opened`` by connect_session already or opened here; checkpointed
    and closed at the end, and the session marked ``staged``."""
    session = session or ambient_session(settings)
    con = opened if opened is not None else connect_session(session, settings.ingest_memory_limit)
    try:
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()
        _mark_staged(session)


_AMBIENT: dict[str, LoadSession] = {}
_AMBIENT_LOCK = threading.Lock()


def ambient_session(settings: Settings) -> LoadSession:
    """The session this process uses when a caller names none (scripts, tests, the library
    API): opened on first use, ended by its publish or discard. CLI steps and pages always
    open their own sessions. An ambient session without loads of its own whose base was
    replaced meanwhile (another session published) is renewed, since it holds nothing."""
    key = str(settings.warehouse_path)
    with _AMBIENT_LOCK:
        session = _AMBIENT.get(key)
        if session is not None:
            current = sessions.read_session(session.sidecar)
            if current is None or not session.staging.exists():
                session = None
            elif not current.loads and current.base != sessions.fingerprint(settings.warehouse_path):
                sessions.remove_session_files(current)
                session = None
            else:
                session = current
        if session is None:
            session = open_session(settings, f"process {os.getpid()}")
            _AMBIENT[key] = session
        return session


def has_ambient_session(settings: Settings) -> bool:
    """Whether this process holds an ambient session for the warehouse (see ambient_session)."""
    with _AMBIENT_LOCK:
        held = _AMBIENT.get(str(settings.warehouse_path))
    return held is not None and held.sidecar.exists()


def _forget_ambient(session: LoadSession) -> None:
    with _AMBIENT_LOCK:
        for key, held in list(_AMBIENT.items()):
            if held.id == session.id:
                del _AMBIENT[key]


def cleanup_sessions(settings: Settings) -> list[str]:
    """Remove stale sessions and leftovers of killed publishes (see sessions.cleanup)."""
    keep = {s.id for s in _AMBIENT.values()}
    return sessions.cleanup(
        settings.warehouse_path, timedelta(hours=settings.session_max_age_hours), keep=keep
    )


def pending_sessions(settings: Settings) -> list[LoadSession]:
    return sessions.list_sessions(settings.warehouse_path)


def find_session(settings: Settings, session_id: str) -> LoadSession:
    found = sessions.find_session(settings.warehouse_path, session_id)
    if found is None:
        listed = "\n".join(s.describe() for s in pending_sessions(settings)) or "keine / none"
        raise UnknownSession(
            f"Ladesitzung '{session_id}' nicht gefunden / load session not found. Offene Sitzungen / "
            f"pending sessions:\n{listed}"
        )
    return found


def resolve_session(settings: Settings, session: LoadSession | str | None) -> LoadSession | None:
    """The session meant: the one given (or its id); else this process's ambient session;
    else the only pending one; None when there is none; several: an error listing them."""
    if isinstance(session, LoadSession):
        return session
    if isinstance(session, str):
        return find_session(settings, session)
    with _AMBIENT_LOCK:
        held = _AMBIENT.get(str(settings.warehouse_path))
    if held is not None and held.sidecar.exists():
        return held
    pending = pending_sessions(settings)
    if len(pending) == 1:
        return pending[0]
    if not pending:
        return None
    raise UnknownSession(
        "Mehrere offene Ladesitzungen; bitte eine wählen (`python -m pipelines publish --session "
        "ID`) / several pending load sessions, choose one:\n" + "\n".join(s.describe() for s in pending)
    )


def discard(settings: Settings, session: LoadSession | str | None = None) -> StepResult:
    """Throw a session away (its staging file, WAL and sidecar); the warehouse in service
    is not touched."""
    chosen = resolve_session(settings, session)
    if chosen is None:
        published = str(settings.warehouse_path)
        return StepResult("discard", published, "", "unchanged", messages=["nothing staged"])
    sessions.remove_session_files(chosen)
    _forget_ambient(chosen)
    sessions.audit(
        settings.warehouse_path,
        "discard",
        session=chosen.id,
        started_by=chosen.started_by,
        loads=chosen.loads,
    )
    done = f"Sitzung {chosen.id} verworfen / discarded"
    return StepResult("discard", chosen.id, "", "loaded", messages=[done])


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


def new_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The one place that hands out load ids (the sequence load_id_seq); remembered on the
    connection for the rows the running step writes (``next_load_id``)."""
    load_id = fetch_first(con, "SELECT nextval('load_id_seq')")[0]
    con.execute("SET VARIABLE current_load_id = ?", [load_id])
    return load_id


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    """The load_id of the running step (handed out by run_step), for the rows it writes.
    Outside a step: a new id (new_load_id)."""
    current = fetch_first(con, "SELECT getvariable('current_load_id')")[0]
    return current if current is not None else new_load_id(con)


def log_load(
    con: duckdb.DuckDBPyConnection, result: StepResult, duration_s: float, message: str | None = None
) -> int:
    """The step's row in load_log (status loaded | rejected), under its load id."""
    load_id = next_load_id(con)
    con.execute(
        "INSERT INTO load_log (load_id, step, source, content_hash, row_counts, status, loaded_at, "
        "duration_s, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            result.step,
            result.source,
            result.content_hash,
            json.dumps(result.row_counts, sort_keys=True),
            result.status,
            datetime.now(),
            round(duration_s, 3),
            message,
        ],
    )
    return load_id


def log_rejected(
    settings: Settings,
    step: str,
    source: str,
    content_hash: str,
    message: str,
    *,
    session: LoadSession | None = None,
    opened: duckdb.DuckDBPyConnection | None = None,
) -> None:
    """Record a rejected file in load_log (file, hash, message), so the data-quality page
    lists it; nothing else of it is written. Not 'loaded': the same file can be tried again."""
    session = session or ambient_session(settings)
    with staging(settings, opened, session=session) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            new_load_id(con)
            log_load(con, StepResult(step, source, content_hash, "rejected"), 0.0, message)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("RESET VARIABLE current_load_id")
    session.loads.append(f"{step}: {source} (abgelehnt / rejected)")


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> int:
    """Write disposition 'replace': the table's content becomes exactly ``frame``."""
    columns = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608
    if "load_id" in columns and "load_id" not in frame.columns:  # the running step's
        frame = frame.with_columns(load_id=next_load_id(con))
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
    session: LoadSession | None = None,
) -> StepResult:
    """Run ``load`` in a transaction on the session's staging warehouse unless the same
    content is already loaded. ``opened``: the staging connection, if the caller opened it
    already (connect_session); ``session``: default the ambient session."""
    session = session or ambient_session(settings)
    with staging(settings, opened, session=session) as con:
        if not force and already_loaded(con, step, content_hash, any_load=any_load):
            return StepResult(step, source, content_hash, "unchanged")
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        try:
            new_load_id(con)
            counts = load(con)
            result = StepResult(step, source, content_hash, "loaded", counts)
            log_load(con, result, time.perf_counter() - started)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.execute("RESET VARIABLE current_load_id")
        session.loads.append(f"{step}: {source}")
        return result


FINGERPRINT_SQL = (  # what a warehouse holds: its loads (also rejected files) and its schema version
    "SELECT load_id, step, status::VARCHAR, content_hash FROM {catalog}.load_log UNION ALL "
    "SELECT version, name, 'schema', '' FROM {catalog}.schema_version ORDER BY ALL"
)


def _load_fingerprint(path: Path) -> list[tuple]:
    with _attached(path) as (cur, alias):
        return cur.execute(FINGERPRINT_SQL.format(catalog=alias)).fetchall()


class BaseChanged(PipelineError):
    """The warehouse in service is no longer the one the session was copied from."""


class UnknownSession(PipelineError):
    """No such session, or several when one was meant (a usage error: exit code 2)."""


def _what_changed(settings: Settings, session: LoadSession) -> str:
    """How the warehouse in service differs from the session's base, as text: the loads in
    service that the session's staging file lacks (another session published them)."""
    published = settings.warehouse_path
    if not published.exists():
        return "das Warehouse in Betrieb wurde entfernt / the warehouse in service was removed"
    sql = "SELECT load_id, step, source, loaded_at FROM {catalog}.load_log"
    try:
        with _attached(published) as (cur, alias):
            in_service = set(cur.execute(sql.format(catalog=alias)).fetchall())
        with _attached(session.staging) as (cur, alias):
            in_session = set(cur.execute(sql.format(catalog=alias)).fetchall())
    except duckdb.Error as exc:
        return f"das Warehouse in Betrieb ist nicht lesbar / unreadable ({exc})"
    stamp = datetime.fromtimestamp(published.stat().st_mtime)
    text = f"es wurde am {stamp:%d.%m.%Y um %H:%M:%S} ersetzt / it was replaced"
    others = sorted(in_service - in_session, key=lambda r: (r[3], r[0]))
    if others:
        text += "; dort neu geladen / loaded there: " + "; ".join(
            f"{step} {source} ({at:%d.%m.%Y %H:%M:%S})" for _, step, source, at in others[:10]
        )
    else:
        text += " durch einen älteren Stand (`rollback`) / by an older state (rollback)"
    return text


DERIVED_TABLES = {"case_summary": "sql/case_summary.sql"}


def memory_config(memory_limit: str | None) -> dict[str, str]:
    """DuckDB's configuration for a connection of a load or publish: the memory limit of the
    settings (``ingest_memory_limit``), so that DuckDB spills instead of taking 80 % of RAM."""
    return {"memory_limit": memory_limit} if memory_limit else {}


def build_derived_tables(path: Path, memory_limit: str | None = None) -> None:
    """Tables computed from others, rebuilt in the staging file at every publish (issue #14):
    ``case_summary``, one row per case (analytics/sql/case_summary.sql), which every KPI
    query reads instead of recomputing it from the case events."""
    con = duckdb.connect(str(path), config=memory_config(memory_limit))
    try:
        for table, sql_file in DERIVED_TABLES.items():
            body = resources.files("analytics").joinpath(sql_file).read_text(encoding="utf-8")
            con.execute(f"CREATE OR REPLACE TABLE {table} AS {body}")
        con.execute("CHECKPOINT")
    finally:
        con.close()


PATTERN_TABLES = ("disclosure_pattern", "disclosure_pattern_cell")  # analytics.case_pattern


def store_case_pattern(settings: Settings, path: Path, published: Path) -> str | None:
    """The disclosure case pattern of the staging warehouse ``path``, stored in it before it
    goes into service (``analytics.case_pattern.store_pattern``: kept or copied from the
    warehouse in service ``published`` when the case data and settings are the same, else
    computed with the publish's limits ``disclosure_publish_time_limit`` and
    ``disclosure_publish_max_rounds``), so that no page view computes it. Off
    with ``disclosure_pattern_at_publish = false``; None then and without case data."""
    if not settings.disclosure_pattern_at_publish:
        return None

    def in_service(key: str):
        if not published.exists():
            return None
        try:
            with _attached(published) as (cur, alias):
                return case_pattern.stored_rows(cur, key, alias)
        except duckdb.Error:  # a damaged warehouse in service: computed anew
            return None

    con = duckdb.connect(str(path), config=memory_config(settings.ingest_memory_limit))
    try:
        if not con.execute("SELECT count(*) FROM case_summary").fetchall()[0][0]:
            for table in PATTERN_TABLES:  # a pattern of case data no longer there
                con.execute(f"DROP TABLE IF EXISTS {table}")
            con.execute("CHECKPOINT")
            return None
        from analytics import case_pattern  # polars: only for a publish with case data

        done = case_pattern.store_pattern(con, settings, in_service)
        con.execute("CHECKPOINT")
        return done
    finally:
        con.close()


def publish(settings: Settings, session: LoadSession | str | None = None) -> StepResult:
    """Check the session's staging warehouse and put it into service.

    Under the publish lock: the warehouse in service must still be the one the session was
    copied from (else BaseChanged: nothing is published, the session stays for discard); the
    staging file is checked (attached read-only once: checks, load fingerprint, row counts);
    a session with no load beyond the warehouse in service publishes nothing and ends. Else
    the staging file is fsynced, the warehouse in service kept as the previous one (hard
    link), the staging file renamed over it (atomic) and the folder fsynced.
    ``session``: a LoadSession, its id, or None (see resolve_session).
    """
    published = settings.warehouse_path
    chosen = resolve_session(settings, session)
    if chosen is None:
        return StepResult("publish", str(published), "", "unchanged", messages=["nothing staged"])
    with sessions.publish_lock(published, settings.publish_lock_timeout_s):
        current = sessions.read_session(chosen.sidecar)
        target = chosen.staging
        if current is None or not target.exists():
            _forget_ambient(chosen)
            raise PipelineError(
                f"Ladesitzung {chosen.id} gibt es nicht mehr (veröffentlicht, verworfen oder "
                "aufgeräumt); nichts veröffentlicht. / The load session no longer exists; "
                "nothing published."
            )
        if (
            current.state == sessions.OPEN
            and current.pid != os.getpid()
            and sessions.process_alive(current.pid, current.host)
        ):
            raise PipelineError(
                f"Ladesitzung {chosen.id} wird noch geschrieben (Prozess {current.pid}); bitte "
                "warten. / The load session is still being written."
            )
        if current.base != sessions.fingerprint(published):
            raise BaseChanged(
                f"Nicht veröffentlicht: Das Warehouse in Betrieb ist nicht mehr das, auf dem diese "
                f"Ladesitzung {chosen.id} ({current.started_by}, {current.created:%d.%m.%Y %H:%M:%S}) "
                f"begann; {_what_changed(settings, current)}. Bitte die Daten erneut laden bzw. "
                "prüfen (sie werden dann auf dem aktuellen Stand geprüft) und die alte Sitzung "
                f"verwerfen (`python -m pipelines discard --session {chosen.id}`). / Not published: "
                "the warehouse in service changed since this session started; load or check the "
                "data again."
            )
        if target.with_name(target.name + ".wal").exists():
            raise PipelineError(
                f"{target}: unvollständig geschrieben (WAL vorhanden) / incompletely written; "
                f"`python -m pipelines discard --session {chosen.id}` und erneut laden."
            )
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
            sessions.remove_session_files(current)
            _forget_ambient(chosen)
            return StepResult(
                "publish", str(published), content_hash, "unchanged", messages=["nothing to publish"]
            )
        current.state, current.pid, current.host = sessions.PUBLISHING, os.getpid(), socket.gethostname()
        current.save()
        entry = sessions.audit_entry(
            "publish", session=chosen.id, started_by=current.started_by, loads=current.loads
        )
        build_derived_tables(target, settings.ingest_memory_limit)
        pattern = store_case_pattern(settings, target, published)
        written = static_geometry.publish_file(
            target, memory_limit=settings.ingest_memory_limit
        )  # the Kreis shapes the browser loads by URL
        # the shapes file of the previous warehouse, which this publish drops (removed below
        # unless the new warehouse or the one in service, the next previous, name it too)
        previous = sessions.previous_path(published)
        dropped = _shapes_file_name(previous) if published.exists() and previous.exists() else None
        named = {
            written.name if written else None,
            _shapes_file_name(published) if published.exists() else None,
        }
        sessions.write_audit_table(target, published, entry, settings.ingest_memory_limit)
        sessions.fsync_file(target)
        if published.exists():
            sessions.keep_as_previous(published)
        os.replace(target, published)
        sessions.fsync_dir(published.parent)
        if dropped is not None and dropped not in named:
            try:
                static_geometry.prune([dropped])
            except OSError:  # a file left behind costs disk space only; the publish stands
                pass
        sessions.remove_session_files(current)
        _forget_ambient(chosen)
        sessions.append_audit(published, entry)
    messages = [f"Offenlegungsmuster / disclosure pattern: {pattern}"] if pattern else []
    return StepResult("publish", str(published), content_hash, "loaded", counts, messages)


def _shapes_file_name(path: Path) -> str | None:
    """The name of the static shapes file the warehouse at ``path`` names (from its geometry,
    as the publish that put it into service wrote it); None without geometry or readable file."""
    try:
        with _attached(path) as (cur, alias):
            frame = cur.sql(f"SELECT ags, geojson FROM {alias}.region_geometry ORDER BY ags").pl()  # noqa: S608
    except duckdb.Error:
        return None
    return static_geometry.build(frame)[1].file_name if frame.height else None


def _last_publish(path: Path) -> dict[str, object] | None:
    """The last publish recorded in the table ``audit_log`` of the warehouse file ``path``
    (when and which session put it into service, and its loads), None if it has none."""
    try:
        with _attached(path) as (cur, alias):
            rows = cur.execute(
                f"SELECT happened_at, session, started_by, details FROM {alias}.audit_log "  # noqa: S608
                "WHERE action = 'publish' ORDER BY rowid DESC LIMIT 1"
            ).fetchall()
    except duckdb.Error:  # a warehouse from before the audit table
        return None
    if not rows:
        return None
    at, session, started_by, details = rows[0]
    loads = json.loads(details or "{}").get("loads")
    return {
        "published_at": at.isoformat(timespec="seconds"),
        "session": session,
        "started_by": started_by,
        "loads": loads,
    }


def rollback(settings: Settings) -> StepResult:
    """Put the previous warehouse back into service; the one in service becomes the previous
    (a second rollback undoes the first). Pending sessions started from the replaced
    warehouse are then refused on publish (their base changed)."""
    published = settings.warehouse_path
    previous = sessions.previous_path(published)
    with sessions.publish_lock(published, settings.publish_lock_timeout_s):
        if not previous.exists():
            raise PipelineError(
                f"Kein vorheriges Warehouse ({previous}) / no previous warehouse: rollback is "
                "possible after a publish."
            )
        check_warehouse(previous)
        # what changed: the publish taken out of service and the one put back
        replaced, restored = _last_publish(published), _last_publish(previous)
        sessions.swap_with_previous(published)
        sessions.audit(published, "rollback", replaced=replaced, restored=restored)
    return StepResult("rollback", str(published), "", "loaded", messages=[f"{previous.name} ist in Betrieb"])
