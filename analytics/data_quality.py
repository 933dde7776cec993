"""Data quality of the network's case data: imports, quarantined rows, completeness.

Pure query functions (no Streamlit); the Datenqualität page draws what they return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from analytics.auth import require_agency
from analytics.db import query, scalar
from analytics.formatting import datetime_text, fmt_date
from analytics.messages import msg


@dataclass(frozen=True)
class KeyField:
    table: str
    column: str
    label_de: str
    label_en: str
    condition: str = "TRUE"  # constant SQL condition on the table (never user input)

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en


KEY_FIELDS: tuple[KeyField, ...] = (
    KeyField(
        "participant",
        "old_job_end_date",
        "Teilnehmende: Ende altes Arbeitsverhältnis (für die Nahtlos-Quote)",
        "Participants: end of old job (for the seamless rate)",
    ),
    KeyField(
        "participant",
        "origin_wage",
        "Teilnehmende: bisheriger Lohn (für das Lohnverhältnis)",
        "Participants: previous wage (for the wage ratio)",
    ),
    KeyField(
        "participant",
        "origin_kldb",
        "Teilnehmende: bisheriger Beruf (KldB)",
        "Participants: previous occupation (KldB)",
    ),
    KeyField("participant", "age_group", "Teilnehmende: Altersgruppe", "Participants: age group"),
    KeyField("participant", "gender", "Teilnehmende: Geschlecht", "Participants: gender"),
    KeyField(
        "case_event",
        "new_wage",
        "Arbeitsaufnahmen: neuer Lohn",
        "Job starts: new wage",
        "event = 'job_start'",
    ),
    KeyField(
        "case_event",
        "target_kldb",
        "Arbeitsaufnahmen: neuer Beruf (KldB)",
        "Job starts: new occupation (KldB)",
        "event = 'job_start'",
    ),
    KeyField("firm", "wz", "Betriebe: WZ-Abteilung", "Firms: WZ division"),
    KeyField("firm", "size_class", "Betriebe: Größenklasse", "Firms: size class"),
    KeyField("firm", "collective_agreement", "Betriebe: Tarifbindung", "Firms: collective agreement"),
    KeyField("firm_need", "kldb", "Bedarfe: Beruf (KldB)", "Needs: occupation (KldB)"),
)

IMPORT_SCHEMA = {
    "load_id": pl.Int64,
    "loaded_at": pl.Datetime,
    "step": pl.String,
    "source": pl.String,
    "rows_read": pl.Int64,
    "rows_loaded": pl.Int64,
    "rows_quarantined": pl.Int64,
    "rows_new": pl.Int64,
    "rows_updated": pl.Int64,
    "rows_unchanged": pl.Int64,
}


def _has_import_log(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'import_log'"))


def imports(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per case-data import (newest first) with its summed counts."""
    if not _has_import_log(con):
        return pl.DataFrame(schema=IMPORT_SCHEMA)
    frame = query(
        con,
        """
        SELECT i.load_id, l.loaded_at, i.step, l.source,
               sum(i.rows_read) AS rows_read, sum(i.rows_loaded) AS rows_loaded,
               sum(i.rows_quarantined) AS rows_quarantined, sum(i.rows_new) AS rows_new,
               sum(i.rows_updated) AS rows_updated, sum(i.rows_unchanged) AS rows_unchanged
        FROM import_log i JOIN load_log l USING (load_id)
        GROUP BY ALL ORDER BY i.load_id DESC""",
    )
    return frame.cast(IMPORT_SCHEMA)


def imports_shown(history: pl.DataFrame, lang: str = "de") -> pl.DataFrame:
    """The imports for the screen: ``loaded_at`` as date and time text, and ``label``
    ("<load_id> · <source>") for choosing one import."""
    return history.with_columns(
        datetime_text(pl.col("loaded_at"), lang),
        pl.format("{} · {}", pl.col("load_id"), pl.col("source")).alias("label"),
    )


def import_sheets(con: duckdb.DuckDBPyConnection, load_id: int) -> pl.DataFrame:
    """Per-sheet counts of one import, with the identifying columns that were dropped."""
    return query(
        con,
        """
        SELECT sheet, source_file, rows_read, rows_loaded, rows_quarantined, rows_new,
               rows_updated, rows_unchanged,
               coalesce(nullif(array_to_string(CAST(dropped_columns AS VARCHAR[]), ', '), ''), '–')
                   AS dropped_columns
        FROM import_log WHERE load_id = ? ORDER BY rowid""",
        [load_id],
    )


def quarantined_rows(
    con: duckdb.DuckDBPyConnection, load_id: int | None = None, *, role: str | None
) -> pl.DataFrame:
    """Rejected rows with file, sheet, row, column and reason (all loads, or one); agency
    role only (the rows hold pseudonymised case ids and raw values)."""
    require_agency(role, "quarantine details")
    return query(
        con,
        """
        SELECT load_id, step, source_file, coalesce(sheet, '') AS sheet, row_number,
               column_name, reason, raw_values, quarantined_at
        FROM quarantine WHERE ? IS NULL OR load_id = ?
        ORDER BY load_id DESC, source_file, sheet, row_number""",
        [load_id, load_id],
    )


def completeness(con: duckdb.DuckDBPyConnection, lang: str = "de") -> pl.DataFrame:
    """Share of filled values of the key fields the KPIs rest on."""
    rows = []
    for field in KEY_FIELDS:
        total, filled = (
            con.cursor()
            .execute(
                f"SELECT count(*), count({field.column}) FROM {field.table} "  # noqa: S608 (constants)
                f"WHERE {field.condition}"
            )
            .fetchall()[0]
        )
        rows.append(
            {
                "field": field.label(lang),
                "rows": total,
                "filled": filled,
                "share": filled / total if total else None,
            }
        )
    return pl.DataFrame(
        rows, schema={"field": pl.String, "rows": pl.Int64, "filled": pl.Int64, "share": pl.Float64}
    )


REJECTED_SCHEMA = {
    "load_id": pl.Int64,
    "loaded_at": pl.Datetime,
    "step": pl.String,
    "source_file": pl.String,
    "content_hash": pl.String,
    "message": pl.String,
}


def rejected_files(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Files refused as a whole (load_log status 'rejected': statistics files that could not
    be read or loaded), newest first, with their content hash and the message."""
    has_message = scalar(
        con,
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'load_log' "
        "AND column_name = 'message'",
    )
    if not has_message:  # a warehouse made before #10 records no rejected files
        return pl.DataFrame(schema=REJECTED_SCHEMA)
    frame = query(
        con,
        """
        SELECT load_id, loaded_at, step, source AS source_file, content_hash, message
        FROM load_log WHERE status = 'rejected' ORDER BY load_id DESC""",
    )
    return frame.cast(REJECTED_SCHEMA)


def quarantine_count(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> int:
    """How many rows are in quarantine (all loads, or one): what roles below agency see."""
    return int(
        scalar(con, "SELECT count(*) FROM quarantine WHERE ? IS NULL OR load_id = ?", [load_id, load_id])
    )


def statistics_quarantine_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many rows of statistics files are in quarantine: what roles below agency see."""
    return int(scalar(con, "SELECT count(*) FROM quarantine WHERE step = 'ingest'"))


def statistics_quarantine(con: duckdb.DuckDBPyConnection, *, role: str | None) -> pl.DataFrame:
    """Rows of statistics files put into quarantine (step 'ingest'), newest load first;
    agency role only."""
    require_agency(role, "quarantine details")
    return query(
        con,
        """
        SELECT load_id, source_file, coalesce(sheet, '') AS sheet, row_number, column_name,
               reason, raw_values
        FROM quarantine WHERE step = 'ingest'
        ORDER BY load_id DESC, source_file, sheet, row_number""",
    )


AUDIT_SCHEMA = {
    "happened_at": pl.Datetime("us"),
    "action": pl.String,
    "session": pl.String,
    "started_by": pl.String,
    "os_user": pl.String,
    "details": pl.String,
}
_AUDIT_FIELDS = {"at", "action", "session", "started_by", "user", "pid"}


def _audit_file_rows(audit_file: Path) -> list[dict]:
    if not audit_file.exists():
        return []
    rows = []
    for line in audit_file.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        rows.append(
            {
                "happened_at": entry.get("at"),
                "action": entry.get("action"),
                "session": entry.get("session"),
                "started_by": entry.get("started_by"),
                "os_user": entry.get("user"),
                "details": json.dumps(
                    {k: v for k, v in entry.items() if k not in _AUDIT_FIELDS},
                    ensure_ascii=False,
                    default=str,
                ),
            }
        )
    return rows


def audit_trail(con: duckdb.DuckDBPyConnection, audit_file: Path, *, role: str | None) -> pl.DataFrame:
    """Every publish, discard and rollback (design §6), newest first; agency role only.

    The warehouse's table ``audit_log`` (written into each warehouse before it goes into
    service, so it survives publishes) and the entries of the audit file (the write-ahead
    record) not in the table yet: discards and rollbacks since the last publish."""
    require_agency(role, "audit trail")
    has_table = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'audit_log'")
    table = (
        query(
            con,
            "SELECT happened_at, action, session, started_by, os_user, details FROM audit_log ORDER BY rowid",
        )
        if has_table
        else pl.DataFrame(schema=AUDIT_SCHEMA)
    )
    pending = pl.DataFrame(_audit_file_rows(audit_file), schema={**AUDIT_SCHEMA, "happened_at": pl.String})
    pending = pending.with_columns(pl.col("happened_at").str.to_datetime(time_unit="us", strict=False))
    return (
        pl.concat([table.cast(AUDIT_SCHEMA), pending.cast(AUDIT_SCHEMA)])
        .unique(subset=["happened_at", "action", "session"], keep="first", maintain_order=True)
        .reverse()  # the file's order is the order of events (timestamps are to the second)
        .sort("happened_at", descending=True, maintain_order=True)
    )


def _publish_text(publish: dict | None, lang: str) -> str:
    """'Veröffentlichung 93475ab4 vom 02.12.2026 04:42 (cli:all)' of a rollback's detail."""
    if not publish:
        return msg("dq.audit_unknown", lang)
    at = datetime.fromisoformat(str(publish.get("published_at")))
    return msg(
        "dq.audit_publish_ref",
        lang,
        session=publish.get("session") or "–",
        at=f"{fmt_date(at.date(), lang)} {at:%H:%M}",
        by=publish.get("started_by") or "–",
    )


def _change_text(action: str, details: str | None, lang: str) -> str:
    """What an audit entry changed, as one readable line (its details are JSON)."""
    try:
        found = json.loads(details or "{}")
    except json.JSONDecodeError:
        return details or ""
    if action == "rollback" and ("restored" in found or "replaced" in found):
        return msg(
            "dq.audit_rollback",
            lang,
            restored=_publish_text(found.get("restored"), lang),
            replaced=_publish_text(found.get("replaced"), lang),
        )
    if action in ("publish", "discard") and "loads" in found:
        loads = found["loads"] or []
        return (
            msg("dq.audit_loads", lang, loads="; ".join(loads)) if loads else msg("dq.audit_no_loads", lang)
        )
    return "" if not found else json.dumps(found, ensure_ascii=False)


def audit_shown(trail: pl.DataFrame, lang: str = "de") -> pl.DataFrame:
    """The audit trail for the screen: the time as date and time text, ``details`` as one
    readable line (the loads of a publish or discard; what a rollback put back and took out).
    A handful of rows, formatted outside any Polars query (README *Limits*)."""
    changes = [_change_text(a, d, lang) for a, d in zip(trail["action"], trail["details"], strict=True)]
    return trail.with_columns(
        datetime_text(pl.col("happened_at"), lang),
        pl.col("session", "started_by").fill_null("–"),  # a rollback belongs to no session
        pl.Series("details", changes, dtype=pl.String),
    )
