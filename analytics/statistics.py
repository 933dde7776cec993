"""Queries about loaded statistics: the ingest reports and quarantined rows (upload page)."""

from __future__ import annotations

import duckdb
import polars as pl

from analytics.db import query

REPORT_SQL = """
SELECT r.loaded_at, r.source_file, r.family,
       array_to_string(r.reference_dates, ',') AS reference_dates, r.rows_loaded, r.rows_replaced,
       r.rows_kept_newer, r.rows_quarantined, r.revision, r.reconciliation,
       r.reconciliation_detail, r.warnings
FROM ingest_report r
ORDER BY r.loaded_at DESC, r.load_id DESC
LIMIT ?
"""


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return bool(
        query(con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?", [table])["n"][
            0
        ]
    )


def ingest_reports(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pl.DataFrame:
    """The latest ingest reports, newest first (empty when nothing was ingested yet)."""
    if not _has_table(con, "ingest_report"):
        return pl.DataFrame()
    return query(con, REPORT_SQL, [limit])


def quarantined_rows(con: duckdb.DuckDBPyConnection, source_file: str, limit: int = 200) -> pl.DataFrame:
    return query(
        con,
        "SELECT sheet, row_number, column_name, reason, raw_values FROM quarantine "
        "WHERE source_file = ? ORDER BY row_number, column_name LIMIT ?",
        [source_file, limit],
    )
