"""What a parser returns, and the error it raises for a file it cannot read."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.warehouse import PipelineError

QUARANTINE_SCHEMA = {
    "sheet": pl.String,
    "row_number": pl.Int32,
    "column_name": pl.String,
    "reason": pl.String,
    "raw_values": pl.String,
}


class ParseError(PipelineError):
    """A file that cannot be parsed: the message names file, sheet, row, column, expectation."""

    def __init__(
        self,
        source: str,
        problem_de: str,
        problem_en: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        where = [f"Datei/file '{source}'"]
        if sheet is not None:
            where.append(f"Blatt/sheet '{sheet}'")
        if row is not None:
            where.append(f"Zeile/row {row}")
        if column is not None:
            where.append(f"Spalte/column {column}")
        text = f"{', '.join(where)}: {problem_de} / {problem_en}"
        if expected:
            text += f" Erwartet / expected: {expected}"
        super().__init__(text)
        self.source, self.sheet, self.row, self.column = source, sheet, row, column


@dataclass
class Check:
    """One reconciliation: detail against the file's own total."""

    what: str  # e.g. "Berufe -> Insgesamt, 03254, 2026-01, unemployed"
    total: float | None
    detail_known: float
    suppressed: int
    status: str  # ok | ok_unknown | difference | total_unknown

    @property
    def difference(self) -> float | None:
        return None if self.total is None else self.total - self.detail_known


@dataclass
class Reconciliation:
    checks: int = 0
    ok: int = 0
    ok_unknown: int = 0
    total_unknown: int = 0
    differences: list[Check] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.checks == 0:
            return "none"
        return "difference" if self.differences else "ok"

    def summary(self) -> str:
        if self.checks == 0:
            return "keine Summen in der Datei / no totals in the file"
        text = (
            f"{self.checks} Summenprüfungen / total checks: {self.ok} exakt / exact, "
            f"{self.ok_unknown} mit '*' verträglich / consistent with suppressed cells, "
            f"{self.total_unknown} Summe unbekannt / total unknown, "
            f"{len(self.differences)} Abweichungen / differences"
        )
        for check in self.differences[:10]:
            text += (
                f"; {check.what}: Summe/total {check.total:g}, Detail {check.detail_known:g}"
                f" (+{check.suppressed} '*')"
            )
        return text

    def merge(self, other: Reconciliation) -> Reconciliation:
        return Reconciliation(
            self.checks + other.checks,
            self.ok + other.ok,
            self.ok_unknown + other.ok_unknown,
            self.total_unknown + other.total_unknown,
            self.differences + other.differences,
        )


@dataclass
class ParsedFile:
    """Normalised facts of one file, ready to load (provenance is added on load)."""

    source: str
    family: str
    facts: dict[str, pl.DataFrame]  # warehouse table -> rows
    reference_dates: list[date]
    vintage: date | None = None
    reconciliation: Reconciliation = field(default_factory=Reconciliation)
    warnings: list[str] = field(default_factory=list)
    quarantine: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=QUARANTINE_SCHEMA))
    # checks still running in the background (they overlap with loading the facts)
    pending: list[Future[Reconciliation]] = field(default_factory=list)
    skipped: int = 0  # value cells read but neither loaded nor quarantined (e.g. total rows)
    demo: bool = False  # facts of the demo generator: stamped as demo, never outrank real ones
    region_name: str | None = None  # a region named without a code: matched on load (Eckwerte)
    # (sheet, column letter) -> the column as messages name it ('C (Arbeitslose / Insgesamt)')
    column_labels: dict[tuple[str | None, str], str] = field(default_factory=dict)
    # facts written to Parquet while the file waits for its turn in a batch: table -> (path, rows)
    spilled: dict[str, tuple[Path, int]] = field(default_factory=dict)

    def spill(self, folder: Path) -> None:
        """Write the facts to Parquet files in ``folder`` and let go of them: a batch parses
        all its files before loading them in order, and 48 parsed months held at once took
        7.7 GB at Germany scale. The background checks are finished first (they read the
        facts); ``restore`` reads the facts back for the load."""
        self.reconciled()
        for i, (table, frame) in enumerate(self.facts.items()):
            path = folder / f"{uuid.uuid4().hex}-{i}.parquet"
            frame.write_parquet(path, compression="lz4", statistics=False)
            self.spilled[table] = (path, frame.height)
        self.facts = {}

    def restore(self) -> None:
        for table, (path, _) in self.spilled.items():
            self.facts[table] = pl.read_parquet(path)
            path.unlink(missing_ok=True)
        self.spilled = {}

    @property
    def rows_read(self) -> int:
        """Value cells read: facts + quarantined + skipped."""
        return self.rows + self.quarantine.height + self.skipped

    def reconciled(self) -> Reconciliation:
        """The whole reconciliation, once the checks running in the background are done."""
        for future in self.pending:
            self.reconciliation = self.reconciliation.merge(future.result())
        self.pending = []
        return self.reconciliation

    @property
    def rows(self) -> int:
        return sum(frame.height for frame in self.facts.values()) + sum(n for _, n in self.spilled.values())


def quarantine_frame(rows: list[dict]) -> pl.DataFrame:
    """Rows of {sheet, row_number, column_name, reason, raw_values(dict)} as a frame."""
    return pl.DataFrame(
        [{**r, "raw_values": json.dumps(r.get("raw_values"), ensure_ascii=False, default=str)} for r in rows],
        schema=QUARANTINE_SCHEMA,
    )
