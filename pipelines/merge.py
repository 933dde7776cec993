"""One merge mechanism for every loader, and each table's declared write disposition.

``DISPOSITIONS`` says per table how loads write (replace | merge | append) and by which
natural key; the schema declares the same in ``table_key`` (migration 004, checked equal by
tests/test_migrations.py). ``merge_rows`` is the one merge: DuckDB ``MERGE INTO`` by the
natural key (matched rows updated unless a rule keeps them, others inserted), with the
incoming rows checked for duplicate keys first — for the fact tables that check is the key
constraint (a PRIMARY KEY index there costs more than the whole load, see the README).
Table and column names are constants of the loaders; values travel only as data.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.errors import PipelineError


@dataclass(frozen=True)
class Disposition:
    table: str
    write: str  # replace | merge | append
    key: tuple[str, ...]
    enforced_by: str  # primary key | unique index | merge | none


def _d(table: str, write: str, key: tuple[str, ...], enforced_by: str) -> Disposition:
    return Disposition(table, write, key, enforced_by)


DISPOSITIONS = {
    d.table: d
    for d in (
        _d("region", "replace", ("ags",), "primary key"),
        _d("occupation", "replace", ("code",), "primary key"),
        _d("sector", "replace", ("code",), "primary key"),
        _d("automotive_chain", "replace", ("wz_code",), "primary key"),
        _d("region_geometry", "replace", ("ags",), "primary key"),
        _d("fact_labour_market", "merge", ("ags", "period", "kldb", "measure", "breakdown"), "merge"),
        _d("fact_employment", "merge", ("ags", "reference_date", "wz", "measure", "breakdown"), "merge"),
        _d("fact_headline", "merge", ("ags", "period", "indicator"), "merge"),
        _d(
            "fact_regio",
            "merge",
            ("statistic_code", "value_code", "ags", "period_label", "breakdown"),
            "merge",
        ),
        _d("firm", "merge", ("firm_id",), "primary key"),
        _d("firm_need", "merge", ("firm_id", "need_date", "kind", "kldb"), "unique index"),
        _d("participant", "merge", ("case_id",), "primary key"),
        _d("case_event", "merge", ("case_id", "event_date", "event"), "primary key"),
        _d("funding", "merge", ("quarter_start",), "primary key"),
        _d("load_log", "append", ("load_id",), "primary key"),
        _d("quarantine", "append", (), "none"),
        _d("import_log", "append", ("load_id", "sheet"), "none"),
        _d("ingest_report", "append", ("load_id",), "none"),
    )
}


def natural_key(table: str) -> tuple[str, ...]:
    disposition = DISPOSITIONS[table]
    if disposition.write != "merge":
        raise PipelineError(f"{table}: write disposition is {disposition.write}, not merge")
    return disposition.key


def check_unique(table: str, frame: pl.DataFrame, source: str) -> None:
    """Refuse incoming rows that hold one natural key twice (the merge could not tell which
    one is meant), naming the first such key."""
    key = list(natural_key(table))
    if frame.height < 2 or frame.select(pl.struct(key).hash().n_unique()).item() == frame.height:
        return  # the common case, decided on one 64-bit hash per row: distinct hashes, distinct keys
    if frame.select(pl.struct(key).n_unique()).item() == frame.height:
        return  # hashes collided, the keys are distinct
    duplicated = frame.select(key).is_duplicated()
    if duplicated.any():
        first = frame.filter(duplicated).row(0, named=True)
        shown = ", ".join(f"{k}={first[k]}" for k in key)
        raise PipelineError(
            f"{source}: Schlüssel doppelt / duplicate key in {table}: {shown} "
            f"({int(duplicated.sum())} Zeilen / rows). Jeder Schlüssel darf nur einmal vorkommen."
        )


def merge_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    relation: str,
    columns: list[str],
    *,
    keep_when: str | None = None,
    null_equal: bool = False,
    within: tuple[str, list] | None = None,
    matched: str | None = None,
) -> int:
    """``MERGE INTO table`` from the registered ``relation`` by the table's natural key: a
    matched row is updated with ``columns`` unless ``keep_when`` (SQL over ``t``, the row
    in the table, and ``i``, the incoming one) holds; unmatched rows are inserted. With
    ``null_equal`` empty key values match each other (IS NOT DISTINCT FROM). Returns the rows
    written (inserted + updated).

    ``within`` = (key column, values) restricts the target to the rows holding one of those
    values (a fact file's reference dates): only they can match, so DuckDB reads only their
    row groups instead of the whole table. Every incoming row must hold one of the values,
    else the merge is refused (it could not see a twin outside). When the incoming rows carry
    every column of the table, a matched row is replaced whole: the matched rows are deleted
    and all incoming rows inserted, which gives the same table as MERGE's update-or-insert and
    at Germany scale takes half the time (DuckDB updates a million rows column by column;
    README "Germany scale"); otherwise it is a MERGE within the dates, so that a matched row
    keeps its other columns. ``keep_when`` does not combine with it.

    ``matched`` (with ``within`` and every column): a relation whose column ``_rowid`` holds
    the rowids of exactly the table's rows that the incoming keys match, when the caller has
    found them in its own join already (the statistics ingest does, to report what it
    replaces): those rows are deleted by rowid instead of by a second join on the key."""
    key = natural_key(table)
    equal = "IS NOT DISTINCT FROM" if null_equal else "="
    on = " AND ".join(f"t.{k} {equal} i.{k}" for k in key)
    if within is not None:
        column, values = within
        if column not in key or not values:
            raise PipelineError(f"{table}: merge restricted by {column} needs key values")
        marks = ", ".join("?" * len(values))
        outside = con.execute(
            f"SELECT count(*) FROM {relation} WHERE {column} IS NULL "  # noqa: S608 (constant names)
            f"OR {column} NOT IN ({marks})",
            list(values),
        ).fetchall()[0][0]
        if outside:
            raise PipelineError(f"{table}: {outside} incoming rows outside the merge's {column} values")
        if keep_when is not None or null_equal:
            raise PipelineError(f"{table}: a merge within {column} values replaces matched rows whole")
        held = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]  # noqa: S608
        if set(held) - set(columns):  # a matched row keeps its other columns: MERGE within the dates
            if matched is not None:
                raise PipelineError(f"{table}: matched rows are replaced whole, every column needed")
            return _merge_into(
                con, table, relation, columns, on + f" AND t.{column} IN ({marks})", list(values)
            )
        if matched is not None:
            con.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT _rowid FROM {matched})")  # noqa: S608
        else:
            con.execute(
                f"DELETE FROM {table} t USING {relation} i WHERE t.{column} IN ({marks}) AND {on}",  # noqa: S608
                list(values),
            )
        names = ", ".join(columns)
        return con.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {relation}"  # noqa: S608
        ).fetchall()[0][0]
    return _merge_into(con, table, relation, columns, on, [], keep_when)


def _merge_into(
    con: duckdb.DuckDBPyConnection,
    table: str,
    relation: str,
    columns: list[str],
    on: str,
    params: list,
    keep_when: str | None = None,
) -> int:
    key = natural_key(table)
    updated = ", ".join(f"{c} = i.{c}" for c in columns if c not in key)
    matched = f"WHEN MATCHED AND NOT coalesce({keep_when}, false) " if keep_when else "WHEN MATCHED "
    names = ", ".join(columns)
    values = ", ".join(f"i.{c}" for c in columns)
    sql = (
        f"MERGE INTO {table} t USING {relation} i ON {on} "  # noqa: S608 (constant names)
        f"{matched}THEN UPDATE SET {updated} "
        f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({values})"
    )
    return con.execute(sql, params).fetchall()[0][0]
