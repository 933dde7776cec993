"""Load sessions: the files beside the warehouse that let loads run side by side.

Every load (a CLI step, a page upload) writes into its own session: a staging copy of the
warehouse in service, in the warehouse's own folder (same filesystem, so the final rename is
atomic), and a small JSON sidecar with the session's id, the fingerprint of the warehouse it
was copied from, who started it (and the process), when, its state and the loads run in it.
Other processes list, publish, discard and clean sessions through these files.

Files beside ``warehouse.duckdb`` (``<stem>`` = ``warehouse``):

- ``<stem>.session-<id>.duckdb`` / ``.json``: a session's staging file and sidecar;
- ``<stem>.previous.duckdb``: the warehouse in service before the last publish (rollback);
- ``<stem>.duckdb.lock``: the publish lock (``fcntl.flock``; released when its holder dies);
- ``<stem>.audit.jsonl``: one line per publish, discard, rollback and cleanup.

This module only handles files; what is in them (DuckDB) is ``pipelines.warehouse``'s.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.errors import PipelineError

OPEN, STAGED, PUBLISHING = "open", "staged", "publishing"


class SessionError(PipelineError):
    """A problem with the session files, with a message for the person loading."""


def _stem(warehouse: Path) -> str:
    return warehouse.name.removesuffix(".duckdb")


def previous_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{_stem(warehouse)}.previous.duckdb")


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.name}.lock")


def audit_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{_stem(warehouse)}.audit.jsonl")


def _temporary_paths(warehouse: Path) -> list[Path]:
    """Left only by a publish or rollback that was killed midway (cleaned under the lock)."""
    previous = previous_path(warehouse)
    return [previous.with_name(previous.name + ".tmp"), warehouse.with_name(warehouse.name + ".rollback.tmp")]


def fingerprint(path: Path) -> str | None:
    """Identity of the file at ``path`` (None if absent): device, inode, size, mtime in ns.

    The warehouse in service is never written in place, only replaced by a rename (publish,
    rollback), which changes the inode; a file written in place changes size or mtime."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return stat_fingerprint(st)


def stat_fingerprint(st: os.stat_result) -> str:
    return f"{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


@dataclass
class LoadSession:
    id: str
    warehouse: str  # path of the warehouse in service it will replace
    base: str | None  # fingerprint of the warehouse it was copied from (None: there was none)
    started_by: str  # e.g. "cli:cases", "page:case_import"
    pid: int
    host: str
    created_at: str  # ISO timestamp
    state: str = OPEN  # open (being written) | staged (ready to publish) | publishing
    loads: list[str] = field(default_factory=list)  # "step: source" of every load committed

    @property
    def warehouse_path(self) -> Path:
        return Path(self.warehouse)

    @property
    def staging(self) -> Path:
        return self.warehouse_path.with_name(f"{_stem(self.warehouse_path)}.session-{self.id}.duckdb")

    @property
    def sidecar(self) -> Path:
        return self.staging.with_suffix(".json")

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)

    def save(self) -> None:
        """Write the sidecar atomically (a reader never sees half a file)."""
        tmp = self.sidecar.with_name(self.sidecar.name + f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, self.sidecar)

    def describe(self) -> str:
        loads = "; ".join(self.loads) if self.loads else "keine Ladevorgänge / no loads"
        return (
            f"{self.id}  {self.created:%d.%m.%Y %H:%M:%S}  {self.state:<10}  {self.started_by} "
            f"(pid {self.pid})  {loads}"
        )


def new_session(warehouse: Path, base: str | None, started_by: str) -> LoadSession:
    session = LoadSession(
        id=secrets.token_hex(4),
        warehouse=str(warehouse),
        base=base,
        started_by=started_by,
        pid=os.getpid(),
        host=socket.gethostname(),
        created_at=datetime.now().isoformat(timespec="seconds"),
    )
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    session.save()  # the sidecar first: a staging file never exists without one
    return session


def read_session(sidecar: Path) -> LoadSession | None:
    try:
        return LoadSession(**json.loads(sidecar.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def list_sessions(warehouse: Path) -> list[LoadSession]:
    """Every session of ``warehouse`` (oldest first); unreadable sidecars are skipped."""
    found = []
    for sidecar in sorted(warehouse.parent.glob(f"{_stem(warehouse)}.session-*.json")):
        session = read_session(sidecar)
        if session is not None:
            found.append(session)
    return sorted(found, key=lambda s: (s.created_at, s.id))


def find_session(warehouse: Path, session_id: str) -> LoadSession | None:
    """The session with this id (or unique id prefix of at least 4 characters)."""
    sessions = list_sessions(warehouse)
    exact = [s for s in sessions if s.id == session_id]
    if exact:
        return exact[0]
    prefixed = [s for s in sessions if len(session_id) >= 4 and s.id.startswith(session_id)]
    return prefixed[0] if len(prefixed) == 1 else None


def process_alive(pid: int, host: str) -> bool:
    if host != socket.gethostname():
        return True  # another machine's process: cannot tell, keep it (the age limit applies)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale_reason(session: LoadSession, now: datetime, max_age: timedelta) -> str | None:
    """Why the session is to be cleaned, or None to keep it."""
    alive = process_alive(session.pid, session.host)
    if session.state in (OPEN, PUBLISHING) and not alive:
        return f"Prozess {session.pid} beendet während '{session.state}' / process died"
    if session.state != OPEN and not session.staging.exists():
        return "Staging-Datei fehlt / staging file missing"
    if now - session.created > max_age and not (session.state in (OPEN, PUBLISHING) and alive):
        return f"älter als / older than {max_age.total_seconds() / 3600:g} h"
    return None


def remove_session_files(session: LoadSession) -> None:
    """The staging file, its WAL and copy, then the sidecar (last: see new_session)."""
    staging = session.staging
    for path in (staging, staging.with_name(staging.name + ".wal"), staging.with_suffix(".copy")):
        path.unlink(missing_ok=True)
    session.sidecar.unlink(missing_ok=True)


def _orphans(warehouse: Path, known: set[str]) -> list[Path]:
    """Staging, WAL and copy files of sessions whose sidecar is gone, and sidecar temp files."""
    out = []
    for path in warehouse.parent.glob(f"{_stem(warehouse)}.session-*"):
        session_id = path.name.split(".session-", 1)[1].split(".", 1)[0]
        if session_id in known:
            continue
        if path.suffix == ".tmp":  # a sidecar being written: <sidecar>.<pid>.tmp
            pid = path.name.rsplit(".", 2)[-2]
            if pid.isdigit() and process_alive(int(pid), socket.gethostname()):
                continue
        out.append(path)
    return out


def cleanup(warehouse: Path, max_age: timedelta, keep: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Remove sessions of dead processes, sessions older than ``max_age``, orphaned staging
    and WAL files, and the temporary files of a killed publish. Runs under the publish lock;
    when another process holds it, nothing is cleaned this time. Returns what was removed."""
    removed: list[str] = []
    try:
        with publish_lock(warehouse, timeout_s=0):
            now = datetime.now()
            sessions = list_sessions(warehouse)
            for session in sessions:
                if (
                    session.state == PUBLISHING
                    and session.staging.exists()
                    and not process_alive(session.pid, session.host)
                ):  # a publish killed before its rename: the staged work is intact, publish again
                    session.state = STAGED
                    session.save()
                    audit(warehouse, "recover", session=session.id, started_by=session.started_by)
                reason = None if session.id in keep else stale_reason(session, now, max_age)
                if reason:
                    remove_session_files(session)
                    removed.append(f"Sitzung / session {session.id} ({session.started_by}): {reason}")
            known = {s.id for s in sessions if s.sidecar.exists()}
            for path in _orphans(warehouse, known) + [p for p in _temporary_paths(warehouse) if p.exists()]:
                path.unlink(missing_ok=True)
                removed.append(f"Datei / file {path.name}")
            if removed:
                audit(warehouse, "cleanup", removed=removed)
    except LockBusy:
        pass
    return removed


class LockBusy(SessionError):
    """Another process holds the publish lock."""


@contextmanager
def publish_lock(warehouse: Path, timeout_s: float) -> Iterator[None]:
    """Exclusive lock on ``<warehouse>.lock`` (flock: the kernel releases it if the holder dies)."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockBusy(
                        f"Ein anderer Vorgang veröffentlicht gerade ({path}); bitte gleich erneut "
                        "versuchen. / Another process is publishing; try again in a moment."
                    ) from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_as_previous(warehouse: Path) -> None:
    """Hard-link the warehouse in service as the previous one (no copy; the service path
    stays in place until the rename that replaces it)."""
    previous = previous_path(warehouse)
    tmp = _temporary_paths(warehouse)[0]
    tmp.unlink(missing_ok=True)
    try:
        os.link(warehouse, tmp)
    except OSError:  # a filesystem without hard links
        import shutil

        shutil.copy2(warehouse, tmp)
    os.replace(tmp, previous)


def swap_with_previous(warehouse: Path) -> None:
    """Rollback: the previous warehouse goes into service, the one in service becomes the
    previous (a second rollback undoes the first). The service path always holds a file."""
    previous = previous_path(warehouse)
    tmp = _temporary_paths(warehouse)[1]
    tmp.unlink(missing_ok=True)
    current_exists = warehouse.exists()
    if current_exists:
        os.link(warehouse, tmp)
    os.replace(previous, warehouse)
    if current_exists:
        os.replace(tmp, previous)
    fsync_dir(warehouse.parent)


def audit_entry(action: str, **details: object) -> dict[str, object]:
    return {
        "at": datetime.now().isoformat(timespec="seconds"),
        "action": action,
        "pid": os.getpid(),
        "user": os.environ.get("USER") or os.environ.get("LOGNAME") or "",
        **details,
    }


def append_audit(warehouse: Path, entry: dict[str, object]) -> None:
    with audit_path(warehouse).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")


def audit(warehouse: Path, action: str, **details: object) -> None:
    """Append one line to the audit file (design §6: every publish, discard and rollback)."""
    append_audit(warehouse, audit_entry(action, **details))


def read_audit(warehouse: Path) -> list[dict[str, object]]:
    """The audit file's entries, oldest first (unreadable lines skipped)."""
    path = audit_path(warehouse)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


AUDIT_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS audit_log (
    happened_at TIMESTAMP NOT NULL, action VARCHAR NOT NULL, session VARCHAR, started_by VARCHAR,
    os_user VARCHAR, details VARCHAR
)"""


def audit_rows(entries: list[dict[str, object]]) -> list[tuple]:
    keys = {"at", "action", "session", "started_by", "user", "pid"}
    return [
        (
            e.get("at"),
            e.get("action"),
            e.get("session"),
            e.get("started_by"),
            e.get("user"),
            json.dumps({k: v for k, v in e.items() if k not in keys}, ensure_ascii=False, default=str),
        )
        for e in entries
    ]


def write_audit_table(
    staging: Path, warehouse: Path, entry: dict[str, object], memory_limit: str | None = None
) -> None:
    """Before a staged warehouse goes into service: its table ``audit_log`` holds every entry
    of the audit file so far and this publish (the file stays the write-ahead record; the
    table travels with every publish, so the agency sees the trail on Datenqualität)."""
    con = duckdb.connect(str(staging), config={"memory_limit": memory_limit} if memory_limit else {})
    try:
        con.execute(AUDIT_TABLE_SQL)
        con.execute("DELETE FROM audit_log")
        con.executemany(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)", audit_rows([*read_audit(warehouse), entry])
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
