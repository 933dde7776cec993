"""Read-only access to the published warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl


class WarehouseError(RuntimeError):
    """The warehouse is missing or unreadable; the message says what to do."""


BUILD_HINT = "`make setup` oder / or `python -m pipelines all`"


def connect(path: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only with a readable error when that is impossible;
    ``threads`` caps DuckDB's worker threads for this database (default: one per core)."""
    if not path.exists():
        raise WarehouseError(
            f"Kein Warehouse unter {path}. Bitte erstellen mit {BUILD_HINT}. / No warehouse at {path}."
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
        if threads is not None:
            # a setting of the open database, not a connect option: DuckDB refuses a second
            # connection to a file with other options than the ones already open
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SELECT count(*) FROM region").fetchall()
    except duckdb.Error as exc:
        raise WarehouseError(
            f"Das Warehouse {path} ist nicht lesbar ({type(exc).__name__}: {exc}). "
            f"Neu erstellen mit {BUILD_HINT}. / The warehouse cannot be read; rebuild it."
        ) from exc
    return con


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pl.DataFrame:
    """Run parameterised SQL on its own cursor (connections are not thread-safe).

    Money is stored as DECIMAL (exact to the cent); the query layer computes in Float64, so
    DECIMAL columns arrive as Float64 (one numeric type for all KPI arithmetic)."""
    cursor = con.cursor()
    try:
        frame = cursor.sql(sql, params=params).pl()
    finally:
        cursor.close()
    decimals = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Decimal)]
    return frame.with_columns(pl.col(decimals).cast(pl.Float64)) if decimals else frame


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> Any:
    """The first value of the first row (None without rows); a DECIMAL as float (see query)."""
    cursor = con.cursor()
    try:
        rows = cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()
    value = rows[0][0] if rows else None
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class DataStatus:
    """What the warehouse holds, for the footer: sources and how current they are."""

    is_demo: bool
    labour_market_until: date | None
    employment_until: date | None
    cases_until: date | None
    geometry_edition: str | None
    geometry_year: int | None  # for "© GeoBasis-DE / BKG <year>": edition year, else load year
    loads: pl.DataFrame  # step, source, loaded_at

    def bkg_attribution(self) -> str | None:
        if self.geometry_year is None:
            return None
        return f"© GeoBasis-DE / BKG {self.geometry_year} (Daten verändert)"


# Demo data remains: a BA fact stamped as demo ('demo:<family>'), or case data whose latest
# load is the demo step's (the demo's cases are replaced by the first real case import).
DEMO_REMAINS_SQL = """
SELECT EXISTS (SELECT 1 FROM fact_labour_market WHERE starts_with(publication, 'demo:'))
    OR EXISTS (SELECT 1 FROM fact_employment WHERE starts_with(publication, 'demo:'))
    OR coalesce((SELECT max(load_id) FROM load_log WHERE step = 'demo' AND status = 'loaded')
        > coalesce((SELECT max(load_id) FROM load_log WHERE step = 'cases' AND status = 'loaded'), -1), false)
"""


def data_status(con: duckdb.DuckDBPyConnection) -> DataStatus:
    loads = query(
        con,
        "SELECT step, source, max(loaded_at) AS loaded_at FROM load_log "
        "WHERE status = 'loaded' GROUP BY step, source ORDER BY loaded_at DESC",
    )
    is_demo = bool(scalar(con, DEMO_REMAINS_SQL))
    edition = scalar(con, "SELECT max(edition) FROM region_geometry")
    return DataStatus(
        is_demo=is_demo,
        labour_market_until=scalar(con, "SELECT max(period) FROM fact_labour_market"),
        employment_until=scalar(con, "SELECT max(reference_date) FROM fact_employment"),
        cases_until=scalar(con, "SELECT max(event_date) FROM case_event"),
        geometry_edition=edition,
        geometry_year=_geometry_year(con, edition),
        loads=loads,
    )


def _geometry_year(con: duckdb.DuckDBPyConnection, edition: str | None) -> int | None:
    if edition and edition[-4:].isdigit():
        return int(edition[-4:])
    if not has_geometry(con):
        return None
    loaded = scalar(con, "SELECT max(loaded_at) FROM load_log WHERE step = 'geo'")
    return loaded.year if loaded else None


def has_geometry(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(scalar(con, "SELECT count(*) FROM region_geometry"))


def file_stamp(path: Path) -> float:
    """Modification time used to notice a newly published warehouse (0 if absent)."""
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def now() -> datetime:
    return datetime.now()
