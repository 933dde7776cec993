"""Import the network's case data (template workbook or CSV files) into the warehouse.

Flow: read (``read``) → parse and validate every row (``rules``) → drop identifying
columns, replace case ids by a keyed hash → check references and the event logic against
what the file and the warehouse already hold → merge by natural key into the staging
warehouse (write disposition: merge; records missing from a newer export are kept).
Rejected rows go to ``quarantine`` with the reason; ``import_log`` keeps per-sheet counts
with read = loaded + quarantined and loaded = new + updated + unchanged.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from analytics.auth import require_agency
from analytics.settings import DEFAULT_CASE_ID_KEY, Settings
from pipelines.cases.read import (
    UMLAUTS,
    RawExport,
    RawSheet,
    match_column,
    normalise,
    read_files,
    read_path,
)
from pipelines.cases.rules import (
    Codes,
    DecimalMode,
    age_group,
    as_text,
    check_free_text,
    clean_text,
    decimal_mode,
    is_quarter_start,
    mask,
    parse_value,
    pseudonym,
)
from pipelines.cases.schema import (
    EVENTS_SHEET,
    FIRMS,
    FUNDING,
    IDENTIFYING_ABBREVIATIONS,
    IDENTIFYING_WORDS,
    NEEDS,
    PARTICIPANTS,
    SHEETS,
    Column,
    Sheet,
)
from pipelines.merge import merge_rows
from pipelines.sessions import LoadSession
from pipelines.warehouse import (
    PipelineError,
    StepResult,
    ambient_session,
    discard,
    has_ambient_session,
    hash_bytes,
    next_load_id,
    open_session,
    publish,
    run_step,
    staging,
)
from pipelines.workbook_guard import column_letters

IMPORTER_VERSION = "1"
STEP = "cases"
JOB_START_ONLY = ("receiving_firm", "target_kldb", "new_wage")
NOT_STORED = "nicht gespeichert / not stored"
OUTSIDE = (
    "Wert in einer Spalte ohne Überschrift (rechts der Kopfzeile oder unter einer leeren "
    "Überschrift); bitte in die richtige Spalte verschieben oder löschen / value in a column "
    "without a header; move it into the right column or delete it"
)


@dataclass(frozen=True)
class Issue:
    """Why a row was rejected: file, sheet, row and column named."""

    source_file: str
    sheet: str
    row: int
    column: str
    message: str

    def text(self) -> str:
        return (
            f"{self.source_file}, Blatt '{self.sheet}', Zeile {self.row}, "
            f"Spalte '{self.column}': {self.message}"
        )


@dataclass
class SheetReport:
    sheet: str
    table: str
    source_file: str
    read: int = 0
    quarantined: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    dropped_columns: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def counts_add_up(self) -> bool:
        return self.read == self.loaded + self.quarantined


@dataclass
class ImportReport:
    """What an import did (or, not yet published, would do) per sheet."""

    source: str
    content_hash: str
    status: str  # loaded | unchanged
    sheets: list[SheetReport]
    warnings: list[str] = field(default_factory=list)
    load_id: int | None = None
    session_id: str | None = None  # the load session holding it (stage_upload), until published

    @property
    def counts_add_up(self) -> bool:
        return all(s.counts_add_up for s in self.sheets)

    @property
    def changes(self) -> int:
        return sum(s.new + s.updated for s in self.sheets)

    def summary(self) -> pl.DataFrame:
        """One row per sheet: read, loaded, quarantined, new, updated, unchanged."""
        return pl.DataFrame(
            [
                {
                    "sheet": s.sheet,
                    "table": s.table,
                    "source_file": s.source_file,
                    "read": s.read,
                    "loaded": s.loaded,
                    "quarantined": s.quarantined,
                    "new": s.new,
                    "updated": s.updated,
                    "unchanged": s.unchanged,
                }
                for s in self.sheets
            ],
            schema={
                "sheet": pl.String,
                "table": pl.String,
                "source_file": pl.String,
                "read": pl.Int64,
                "loaded": pl.Int64,
                "quarantined": pl.Int64,
                "new": pl.Int64,
                "updated": pl.Int64,
                "unchanged": pl.Int64,
            },
        )

    def issues(self) -> pl.DataFrame:
        """Every rejected row's problems: sheet, row, column, message."""
        return pl.DataFrame(
            [
                {"sheet": i.sheet, "row": i.row, "column": i.column, "message": i.message}
                for s in self.sheets
                for i in s.issues
            ],
            schema={"sheet": pl.String, "row": pl.Int64, "column": pl.String, "message": pl.String},
        )

    def row_counts(self) -> dict[str, int]:
        counts = {s.table: s.loaded for s in self.sheets}
        counts["quarantine"] = sum(s.quarantined for s in self.sheets)
        return counts


@dataclass
class _Row:
    number: int
    values: dict[str, object]
    raw: dict[str, str | None]  # column label -> value as read (case ids pseudonymised)
    masked: dict[str, str | None] = field(default_factory=dict)  # column label -> mask(value)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column label, message)

    def reject(self, column: str, message: str) -> None:
        self.errors.append((column, message))

    @property
    def ok(self) -> bool:
        return not self.errors

    def quarantined_values(self) -> dict[str, str | None]:
        """The row for the quarantine: the values of the rejected cells masked (they may be
        personal data in the wrong column), the others as read."""
        rejected = {c for c, _ in self.errors}
        return {label: self.masked[label] if label in rejected else v for label, v in self.raw.items()}


@dataclass
class _Parsed:
    raw: RawSheet
    rows: list[_Row]
    dropped: list[str]
    ignored: list[str]

    @property
    def spec(self) -> Sheet:
        return self.raw.spec

    def valid(self) -> list[_Row]:
        return [r for r in self.rows if r.ok]


@dataclass
class PreparedImport:
    """Validated rows per table and the report; nothing written yet."""

    export: RawExport
    parsed: dict[str, _Parsed]
    report: ImportReport
    frames: dict[str, pl.DataFrame]


# ---------------------------------------------------------------------------- reading


def identifying(header: str) -> bool:
    """Does a header name personal data (a word of IDENTIFYING_WORDS in it, or one of the
    abbreviations as a word of its own: 'Tel.', 'Geb.-Datum')?"""
    key = normalise(header)
    words = set(re.findall(r"[a-z0-9]+", str(header).lower().translate(UMLAUTS)))
    return any(word in key for word in IDENTIFYING_WORDS) or bool(words & set(IDENTIFYING_ABBREVIATIONS))


def _shown_header(header: str, index: int) -> str:
    """A header as reported and logged; one that itself holds personal data (an e-mail address
    or phone number typed into the header row) only by its column letter."""
    try:
        check_free_text(header)
    except ValueError:
        return f"Spalte {column_letters(index + 1)} (Überschrift maskiert / header masked)"
    return header


def _column_index(raw: RawSheet) -> tuple[dict[str, int], list[str], list[str]]:
    index: dict[str, int] = {}
    dropped, ignored = [], []
    for i, header in enumerate(raw.headers):
        if not header:
            continue
        column = match_column(raw.spec, header)
        if column is not None:
            if column.name in index:
                raise PipelineError(
                    f"{raw.where}: Spalte '{header}' kommt doppelt vor / column appears twice"
                )
            index[column.name] = i
        elif identifying(header):
            dropped.append(_shown_header(header, i))
        else:
            ignored.append(_shown_header(header, i))
    missing = [c.label for c in raw.spec.columns if c.required and c.name not in index]
    if missing:
        raise PipelineError(
            f"{raw.where}: Pflichtspalte(n) fehlen / required column(s) missing: "
            f"{', '.join(missing)}. Vorhanden / found: {', '.join(h for h in raw.headers if h)}"
        )
    return index, dropped, ignored


def _decimal_modes(raw: RawSheet, index: dict[str, int]) -> dict[str, DecimalMode]:
    """The decimal sign of each decimal column, from its text cells (the German rule, see
    ``rules``); native Excel numbers need none."""
    modes: dict[str, DecimalMode] = {}
    for column in raw.spec.columns:
        if column.type != "decimal" or column.name not in index:
            continue
        position, texts = index[column.name], []
        for _, cells in raw.rows:
            if isinstance(cells[position], str):
                try:
                    texts.append(clean_text(cells[position]))
                except ValueError:
                    continue  # refused with its row
        modes[column.name] = decimal_mode(texts)
    return modes


def _parse_sheet(raw: RawSheet, codes: Codes, key: str) -> _Parsed:
    index, dropped, ignored = _column_index(raw)
    modes = _decimal_modes(raw, index)
    rows = []
    for number, cells in raw.rows:
        row = _Row(number, {}, {})
        if number in raw.outside:
            row.reject(f"Spalte {', '.join(raw.outside[number])}", OUTSIDE)
            if all(cell is None for cell in cells):  # nothing under a header: only that to say
                row.values = dict.fromkeys(c.name for c in raw.spec.columns)
                rows.append(row)
                continue
        for column in raw.spec.columns:
            if column.name not in index:
                row.values[column.name] = None
                continue
            cell = cells[index[column.name]]
            text = as_text(cell)
            if column.pseudonymised and text:
                text = pseudonym(text, key)
            elif not column.stored and text:
                text = NOT_STORED  # e.g. a birth year: not even kept in quarantine
            row.raw[column.label] = text
            row.masked[column.label] = text if column.pseudonymised or not column.stored else mask(cell, key)
            try:
                value = parse_value(cell, column, codes, modes.get(column.name, "thousands"))
            except ValueError as exc:
                row.reject(
                    column.label,
                    str(exc) if column.stored else f"ungültiger Wert ({NOT_STORED}) / invalid value",
                )
                value = None
            if column.pseudonymised and value is not None:
                value = pseudonym(str(value), key)
            row.values[column.name] = value
        rows.append(row)
    return _Parsed(raw, rows, dropped, ignored)


# ------------------------------------------------------------------------ row rules


def _row_rules(parsed: _Parsed) -> None:
    """Rules within one row that depend on the sheet."""
    spec = parsed.spec
    for row in parsed.rows:
        v = row.values
        if spec is PARTICIPANTS and v["birth_year"] is not None and v["entry_date"] is not None:
            try:
                derived = age_group(int(v["birth_year"]), v["entry_date"])
            except ValueError as exc:
                row.reject(spec.column("birth_year").label, str(exc))
            else:
                if v["age_group"] is None:
                    v["age_group"] = derived
        elif spec is EVENTS_SHEET and v["event"] is not None:
            if v["event"] == "job_start" and v["receiving_firm"] is None:
                row.reject(
                    spec.column("receiving_firm").label,
                    "Arbeitsaufnahme ohne aufnehmenden Betrieb / job start needs a receiving firm",
                )
            if v["event"] != "job_start":
                for name in JOB_START_ONLY:
                    if v[name] is not None:
                        row.reject(
                            spec.column(name).label,
                            "nur bei Arbeitsaufnahme erlaubt / only allowed for a job start",
                        )
            if v["event"] == "retention_check" and v["retained"] is None:
                row.reject(
                    spec.column("retained").label,
                    "Verbleibsprüfung ohne Angabe 'Noch beschäftigt' (ja/nein) / "
                    "retention check needs yes/no",
                )
            if v["event"] != "retention_check" and v["retained"] is not None:
                row.reject(
                    spec.column("retained").label,
                    "nur bei Verbleibsprüfung 6 Monate erlaubt / only allowed for the "
                    "6-month retention check",
                )
        elif spec is NEEDS and v["filled"] is not None and v["count"] is not None:
            if v["filled"] > v["count"]:
                row.reject(
                    spec.column("filled").label,
                    f"mehr erledigt als angekündigt ({v['filled']} > Anzahl {v['count']}) / "
                    f"more settled than announced (more than the count {v['count']})",
                )
        elif spec is FUNDING and v["quarter_start"] is not None:
            if not is_quarter_start(v["quarter_start"]):
                row.reject(
                    spec.column("quarter_start").label,
                    f"{v['quarter_start']:%d.%m.%Y} ist kein Quartalsbeginn (01.01., "
                    f"01.04., 01.07., 01.10.) / not the first day of a quarter",
                )


def _duplicates(parsed: _Parsed) -> None:
    """A natural key may appear once per export: later rows with the same key are rejected."""
    first: dict[tuple, int] = {}
    label = ", ".join(parsed.spec.column(k).label for k in parsed.spec.natural_key)
    for row in parsed.valid():
        key = tuple(row.values[k] for k in parsed.spec.natural_key)
        if key in first:
            row.reject(
                label,
                f"doppelt: gleicher Schlüssel wie Zeile {first[key]} / "
                f"duplicate key, same as row {first[key]}",
            )
        else:
            first[key] = row.number


# ------------------------------------------------------------- references and logic


@dataclass
class _Known:
    """What the warehouse already holds, for references and the event logic."""

    firm_roles: dict[str, str]
    entries: dict[str, date]
    events: dict[str, set[tuple[date, str]]]
    releasing: dict[str, str] = field(default_factory=dict)  # case -> its releasing firm
    job_starts: dict[tuple[str, date], str] = field(default_factory=dict)  # (case, day) -> firm


def _known(con: duckdb.DuckDBPyConnection) -> _Known:
    events: dict[str, set[tuple[date, str]]] = defaultdict(set)
    for case_id, day, event in con.execute("SELECT case_id, event_date, event FROM case_event").fetchall():
        events[case_id].add((day, event))
    return _Known(
        dict(con.execute("SELECT firm_id, role FROM firm").fetchall()),
        dict(con.execute("SELECT case_id, entry_date FROM participant").fetchall()),
        events,
        dict(con.execute("SELECT case_id, releasing_firm FROM participant").fetchall()),
        {
            (case_id, day): firm
            for case_id, day, firm in con.execute(
                "SELECT case_id, event_date, receiving_firm FROM case_event "
                "WHERE event = 'job_start' AND receiving_firm IS NOT NULL"
            ).fetchall()
        },
    )


def _role_changes(parsed: dict[str, _Parsed], known: _Known) -> None:
    """A firm's new role must fit what refers to it in the warehouse and is not replaced by
    this export: participants naming it as releasing firm, job starts naming it as receiving."""
    if FIRMS.key not in parsed:
        return
    incoming_cases = set()
    if PARTICIPANTS.key in parsed:
        incoming_cases = {r.values["case_id"] for r in parsed[PARTICIPANTS.key].valid()}
    incoming_starts = set()
    if EVENTS_SHEET.key in parsed:
        incoming_starts = {
            (r.values["case_id"], r.values["event_date"])
            for r in parsed[EVENTS_SHEET.key].valid()
            if r.values["event"] == "job_start"
        }
    label = FIRMS.column("role").label
    for row in parsed[FIRMS.key].valid():
        firm, role = row.values["firm_id"], row.values["role"]
        if known.firm_roles.get(firm, role) == role or role == "both":
            continue
        if role != "releasing":
            cases = sum(1 for c, f in known.releasing.items() if f == firm and c not in incoming_cases)
            if cases:
                row.reject(
                    label,
                    f"Rollenwechsel zu '{ROLE_TEXT[role]}' nicht möglich: {cases} Teilnehmende im "
                    f"Warehouse haben diesen Betrieb als abgebenden Betrieb. Rolle 'beides' "
                    f"verwenden oder die Teilnehmenden mit ihrem richtigen Betrieb mitliefern / "
                    f"role change breaks {cases} participants that name this firm as releasing firm; "
                    f"use 'beides' or re-send those participants",
                )
                continue
        if role != "receiving":
            starts = sum(1 for k, f in known.job_starts.items() if f == firm and k not in incoming_starts)
            if starts:
                row.reject(
                    label,
                    f"Rollenwechsel zu '{ROLE_TEXT[role]}' nicht möglich: {starts} Arbeitsaufnahmen "
                    f"im Warehouse nennen diesen Betrieb als aufnehmenden Betrieb. Rolle 'beides' "
                    f"verwenden / role change breaks {starts} job starts that name this firm as "
                    f"receiving firm; use 'beides'",
                )


ROLE_TEXT = {"releasing": "abgebend", "receiving": "aufnehmend", "both": "beides"}


def _check_firm(row: _Row, column: Column, roles: dict[str, str], wanted: str | None) -> None:
    firm = row.values[column.name]
    if firm is None:
        return
    if firm not in roles:
        row.reject(
            column.label,
            "Betriebs-ID ist unbekannt (weder im Blatt 'Betriebe' noch im Warehouse) / unknown firm",
        )
    elif wanted and roles[firm] not in (wanted, "both"):
        row.reject(
            column.label,
            f"der Betrieb hat die Rolle '{ROLE_TEXT[roles[firm]]}', "
            f"erwartet '{ROLE_TEXT[wanted]}' oder 'beides' / "
            f"firm has the wrong role",
        )


def _references(parsed: dict[str, _Parsed], known: _Known) -> None:
    _role_changes(parsed, known)
    roles = dict(known.firm_roles)
    if FIRMS.key in parsed:
        roles.update({r.values["firm_id"]: r.values["role"] for r in parsed[FIRMS.key].valid()})
    if NEEDS.key in parsed:
        for row in parsed[NEEDS.key].valid():
            _check_firm(row, NEEDS.column("firm_id"), roles, None)
    entries = dict(known.entries)
    if PARTICIPANTS.key in parsed:
        for row in parsed[PARTICIPANTS.key].valid():
            _check_firm(row, PARTICIPANTS.column("releasing_firm"), roles, "releasing")
        entries.update(
            {r.values["case_id"]: r.values["entry_date"] for r in parsed[PARTICIPANTS.key].valid()}
        )
    if EVENTS_SHEET.key in parsed:
        events = parsed[EVENTS_SHEET.key]
        case_label = EVENTS_SHEET.column("case_id").label
        for row in events.valid():
            _check_firm(row, EVENTS_SHEET.column("receiving_firm"), roles, "receiving")
            if row.values["case_id"] not in entries:
                row.reject(
                    case_label,
                    "Fall ist unbekannt (weder im Blatt 'Teilnehmende' noch "
                    "im Warehouse, oder dort abgewiesen) / unknown case",
                )
        _event_logic(events, entries, known.events)


def _event_logic(
    events: _Parsed, entries: dict[str, date], existing: dict[str, set[tuple[date, str]]]
) -> None:
    """No event before entry, none after an exit, a 6-month check only after a job start."""
    date_label = EVENTS_SHEET.column("event_date").label
    by_case: dict[str, list[_Row]] = defaultdict(list)
    for row in events.valid():
        by_case[row.values["case_id"]].append(row)
    for case_id, rows in by_case.items():
        entry = entries[case_id]
        for row in rows:
            if row.values["event_date"] < entry:
                row.reject(date_label, f"Ereignis vor dem Eintritt am {entry:%d.%m.%Y} / event before entry")
        history = existing.get(case_id, set()) | {
            (r.values["event_date"], r.values["event"]) for r in rows if r.ok
        }
        exits = [d for d, e in history if e == "exit"]
        if exits:
            for row in rows:
                if row.ok and row.values["event_date"] > min(exits):
                    row.reject(
                        date_label, f"Ereignis nach dem Austritt am {min(exits):%d.%m.%Y} / event after exit"
                    )
        history = existing.get(case_id, set()) | {
            (r.values["event_date"], r.values["event"]) for r in rows if r.ok
        }
        starts = [d for d, e in history if e == "job_start"]
        for row in rows:
            day = row.values["event_date"]
            if row.ok and row.values["event"] == "retention_check" and not any(s < day for s in starts):
                row.reject(
                    date_label,
                    "Verbleibsprüfung ohne vorherige Arbeitsaufnahme / "
                    "retention check without an earlier job start",
                )


# ------------------------------------------------------------------------- prepare


def reference_codes(con: duckdb.DuckDBPyConnection, settings: Settings | None = None) -> Codes:
    """Codes and the plausible dates (2000-01-01 to the project end + 1 year)."""
    end = (settings or Settings()).project_end
    codes = Codes(
        {r[0] for r in con.execute("SELECT ags FROM region").fetchall()},
        {r[0] for r in con.execute("SELECT code FROM occupation").fetchall()},
        {r[0] for r in con.execute("SELECT code FROM sector WHERE level = 'division'").fetchall()},
        last_date=end.replace(year=end.year + 1, day=min(end.day, 28) if end.month == 2 else end.day),
    )
    if not (codes.ags and codes.kldb and codes.wz):
        raise PipelineError(
            "Referenzdaten fehlen (Kreise, KldB, WZ): zuerst `python -m pipelines "
            "reference` / reference data missing"
        )
    return codes


def export_hash(export: RawExport, key: str) -> str:
    """Content of the export as read, the importer version and (hashed) the case-id key."""
    payload = {
        "version": IMPORTER_VERSION,
        "key": pseudonym("key-fingerprint", key),
        "sheets": {
            k: [s.headers, [[n, [as_text(v) for v in cells]] for n, cells in s.rows]]
            for k, s in sorted(export.sheets.items())
        },
    }
    return hash_bytes(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def _frame(parsed: _Parsed) -> pl.DataFrame:
    schema = parsed.spec.polars_schema
    return pl.DataFrame([{name: r.values[name] for name in schema} for r in parsed.valid()], schema=schema)


def _key_match(spec: Sheet, left: str, right: str) -> str:
    return " AND ".join(f"{left}.{k} IS NOT DISTINCT FROM {right}.{k}" for k in spec.natural_key)


def _classify(con: duckdb.DuckDBPyConnection, spec: Sheet, frame: pl.DataFrame) -> list[str]:
    """new | updated | unchanged for each incoming row, compared with the table."""
    if frame.is_empty():
        return []
    same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM i.{c}" for c in spec.stored_columns)
    con.register("_incoming", frame.with_row_index("_row").to_arrow())
    try:
        rows = con.execute(
            f"SELECT i._row, CASE WHEN EXISTS (SELECT 1 FROM {spec.table} t WHERE {same}) "  # noqa: S608
            f"THEN 'unchanged' WHEN EXISTS (SELECT 1 FROM {spec.table} t WHERE "
            f"{_key_match(spec, 't', 'i')}) THEN 'updated' ELSE 'new' END FROM _incoming i "
            f"ORDER BY i._row"
        ).fetchall()
    finally:
        con.unregister("_incoming")
    return [status for _, status in rows]


def prepare(con: duckdb.DuckDBPyConnection, export: RawExport, settings: Settings) -> PreparedImport:
    """Parse, validate and pseudonymise the export; compare it with the warehouse."""
    if not export.sheets:
        raise PipelineError(
            f"{export.source}: keines der Blätter {', '.join(s.title for s in SHEETS)} gefunden / "
            f"none of the template's sheets found"
        )
    key = settings.case_id_key.get_secret_value()
    codes = reference_codes(con, settings)
    parsed = {
        spec.key: _parse_sheet(export.sheets[spec.key], codes, key)
        for spec in SHEETS
        if spec.key in export.sheets
    }
    for sheet in parsed.values():
        _row_rules(sheet)
        _duplicates(sheet)
    _references(parsed, _known(con))
    warnings = list(export.warnings)
    frames, reports = {}, []
    for sheet in parsed.values():
        spec, raw = sheet.spec, sheet.raw
        if sheet.dropped:
            warnings.append(
                f"{raw.where}: Spalte(n) {', '.join(repr(d) for d in sheet.dropped)} enthalten "
                f"personenbezogene Daten und wurden NICHT übernommen (Datenschutz) / columns "
                f"identify persons and were dropped"
            )
        if sheet.ignored:
            warnings.append(
                f"{raw.where}: unbekannte Spalte(n) {', '.join(repr(d) for d in sheet.ignored)} "
                f"ignoriert / unknown columns ignored"
            )
        frame = _frame(sheet)
        status = _classify(con, spec, frame)
        frames[spec.key] = frame.with_columns(pl.Series("_status", status, dtype=pl.String))
        report = SheetReport(
            spec.title,
            spec.table,
            raw.source_file,
            read=len(sheet.rows),
            quarantined=sum(not r.ok for r in sheet.rows),
            new=status.count("new"),
            updated=status.count("updated"),
            unchanged=status.count("unchanged"),
            dropped_columns=sheet.dropped,
            ignored_columns=sheet.ignored,
            issues=[
                Issue(raw.source_file, raw.sheet_name or spec.title, r.number, column, message)
                for r in sheet.rows
                for column, message in r.errors
            ],
        )
        reports.append(report)
    report = ImportReport(export.source, export_hash(export, key), "loaded", reports, warnings)
    return PreparedImport(export, parsed, report, frames)


# --------------------------------------------------------------------------- apply


def _merge(con: duckdb.DuckDBPyConnection, spec: Sheet, frame: pl.DataFrame, load_id: int) -> None:
    """Write disposition 'merge by natural key' (pipelines.merge): changed and new rows
    update or add, with the load id that wrote them; unchanged rows keep theirs."""
    changed = frame.filter(pl.col("_status") != "unchanged").select(spec.stored_columns)
    if changed.is_empty():
        return
    con.register("_incoming", changed.with_columns(load_id=pl.lit(load_id, pl.Int64)).to_arrow())
    try:
        merge_rows(con, spec.table, "_incoming", [*spec.stored_columns, "load_id"], null_equal=True)
    finally:
        con.unregister("_incoming")


def apply(
    con: duckdb.DuckDBPyConnection, prepared: PreparedImport, load_id: int, step: str = STEP
) -> ImportReport:
    """Merge the valid rows, quarantine the rejected ones, log per sheet (one transaction)."""
    now = datetime.now().replace(microsecond=0)
    for spec in SHEETS:  # firms before the rows that refer to them
        if spec.key in prepared.frames:
            _merge(con, spec, prepared.frames[spec.key], load_id)
    quarantine, log = [], []
    for sheet, report in zip(prepared.parsed.values(), prepared.report.sheets, strict=True):
        raw = sheet.raw
        for row in sheet.rows:
            if row.ok:
                continue
            quarantine.append(
                (
                    load_id,
                    step,
                    raw.source_file,
                    raw.sheet_name,
                    row.number,
                    ", ".join(dict.fromkeys(c for c, _ in row.errors)),
                    "; ".join(f"{c}: {m}" for c, m in row.errors),
                    json.dumps(row.quarantined_values(), ensure_ascii=False, sort_keys=True),
                    now,
                )
            )
        log.append(
            (
                load_id,
                step,
                raw.source_file,
                report.sheet,
                report.table,
                report.read,
                report.loaded,
                report.quarantined,
                report.new,
                report.updated,
                report.unchanged,
                list(report.dropped_columns),
            )
        )
        if not report.counts_add_up:  # cannot happen; guards the identity the log promises
            raise PipelineError(f"{report.sheet}: Zählung stimmt nicht / counts do not add up")
    if quarantine:
        con.executemany("INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", quarantine)
    con.executemany("INSERT INTO import_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", log)
    prepared.report.load_id = load_id
    return prepared.report


# ------------------------------------------------------------------- entry points


def require_case_id_key(settings: Settings) -> str:
    """The case-id key for real case data; a missing or the default (demo) key is refused,
    since with it anyone could recompute the pseudonyms (README "Case-id key")."""
    key = settings.case_id_key.get_secret_value()
    if not key.strip() or key == DEFAULT_CASE_ID_KEY:
        raise PipelineError(
            "Kein eigener Schlüssel für die Fall-IDs gesetzt (case_id_key). "
            'Einen erzeugen mit `python -c "import secrets; print(secrets.token_urlsafe(32))"` '
            "und als COCKPIT_CASE_ID_KEY oder case_id_key in cockpit.toml setzen (nie in git; "
            "sicher aufbewahren: ohne ihn passen neue Importe nicht mehr zu den alten). / "
            "No case-id key of its own is set (case_id_key). Generate one with "
            '`python -c "import secrets; print(secrets.token_urlsafe(32))"` and set it as '
            "COCKPIT_CASE_ID_KEY or case_id_key in cockpit.toml (never in git; keep it safe: "
            "without it new imports no longer match the earlier ones)."
        )
    return key


def import_export(
    settings: Settings, export: RawExport, *, force: bool = False, session: LoadSession | None = None
) -> ImportReport:
    """Import into the session's staging warehouse as step 'cases' (unchanged content:
    nothing written); ``session`` default: the ambient one. Refused without a case-id key of
    its own (``require_case_id_key``)."""
    key = require_case_id_key(settings)
    content_hash = export_hash(export, key)
    done: list[ImportReport] = []
    created = session is None and not has_ambient_session(settings)  # a refused import removes
    session = session or ambient_session(settings)  # the session it created

    def load(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        done.append(apply(con, prepare(con, export, settings), next_load_id(con)))
        return done[0].row_counts()

    try:
        result = run_step(settings, STEP, export.source, content_hash, load, force=force, session=session)
    except BaseException:
        if created:
            discard(settings, session)
        raise
    if result.status == "unchanged":
        with staging(settings, session=session) as con:
            report = prepare(con, export, settings).report
        report.status = "unchanged"
        return report
    return done[0]


def import_path(
    settings: Settings, path: Path, *, force: bool = False, session: LoadSession | None = None
) -> ImportReport:
    """CLI: a workbook, a CSV file or a folder of CSV files into the staging warehouse."""
    return import_export(settings, read_path(path), force=force, session=session)


def step_result(report: ImportReport) -> StepResult:
    """The report as a pipeline step result (for the CLI)."""
    messages = list(report.warnings)
    for sheet in report.sheets:
        messages.append(
            f"{sheet.sheet}: gelesen {sheet.read} = geladen {sheet.loaded} (neu {sheet.new}, "
            f"geändert {sheet.updated}, unverändert {sheet.unchanged}) + Quarantäne "
            f"{sheet.quarantined}"
        )
        messages += [issue.text() for issue in sheet.issues]
    return StepResult(
        STEP,
        report.source,
        report.content_hash,
        report.status,
        report.row_counts() if report.status == "loaded" else {},
        messages,
    )


def stage_upload(
    settings: Settings,
    files: list[tuple[str, bytes]],
    started_by: str = "page:case_import",
    *,
    role: str | None,
) -> ImportReport:
    """App upload: validate into a load session of its own (a fresh staging copy of the
    warehouse in service); the report names it (``session_id``).

    Nothing is published; ``publish_staged`` puts exactly this session into service,
    ``discard_staged`` throws it away. A failure leaves the warehouse in service untouched
    and discards the session. Agency role only (``AccessDenied`` otherwise).
    """
    require_agency(role, "case import")
    export = read_files(files)
    session = open_session(settings, started_by)
    try:
        report = import_export(settings, export, session=session)
    except BaseException:
        discard(settings, session)
        raise
    report.session_id = session.id
    return report


def publish_staged(settings: Settings, session_id: str | None = None, *, role: str | None) -> StepResult:
    """Publish the session of a staged upload (None: see warehouse.resolve_session), agency
    role only. Raises PipelineError (BaseChanged) when the warehouse in service changed
    meanwhile."""
    require_agency(role, "publishing")
    return publish(settings, session_id)


def discard_staged(settings: Settings, session_id: str | None = None, *, role: str | None) -> None:
    require_agency(role, "discarding a load session")
    discard(settings, session_id)


def import_replacing(
    con: duckdb.DuckDBPyConnection, export: RawExport, settings: Settings, step: str
) -> ImportReport:
    """Replace all case data by the export (demo data): empty the tables, then import."""
    for spec in reversed(SHEETS):
        con.execute(f"DELETE FROM {spec.table}")  # noqa: S608 (constant names)
    return apply(con, prepare(con, export, settings), next_load_id(con), step)
