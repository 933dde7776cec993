"""The queries benchmark compares like with like: its plain pandas implementation gives
exactly the query layer's figures on the hand-written tiny warehouse (tests/builders.py),
and both give the hand-computed values of tests/test_kpi.py; the case summary built at
publish equals the SQL it is built from."""

from __future__ import annotations

import math

import pytest

from analytics import kpi
from analytics.db import connect, query
from analytics.periods import Quarter
from benchmarks.queries import pandas_figures, query_figures, read_tables


@pytest.fixture
def con(tiny_settings):
    connection = connect(tiny_settings.warehouse_path)
    yield connection
    connection.close()


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("quarter", ["2026-Q1", "2026-Q2", "2026-Q3"])
@pytest.mark.parametrize("ags", [["03254"], ["03157"], ["03157", "03254"], ["03101"]])
def test_pandas_gives_the_query_layers_figures(con, tiny_settings, quarter, ags):
    q = Quarter.parse(quarter)
    ours, our_series = query_figures(con, q, ags, tiny_settings)
    theirs, their_series = pandas_figures(read_tables(con), q, ags, tiny_settings)
    assert our_series == their_series
    assert ours.keys() == theirs.keys()
    for period, figures in ours.items():
        assert figures.keys() == theirs[period].keys()
        differing = {k: (v, theirs[period][k]) for k, v in figures.items() if not _same(v, theirs[period][k])}
        assert not differing, (period, differing)


def test_both_give_the_hand_computed_q1_figures(con, tiny_settings):
    q = Quarter.parse("2026-Q1")
    for figures in (
        query_figures(con, q, ["03254"], tiny_settings)[0],
        pandas_figures(read_tables(con), q, ["03254"], tiny_settings)[0],
    ):
        now = figures["current"]
        assert (now["entries"], now["active_end"], now["transitions"], now["closed"]) == (5, 3, 2, 3)
        assert now["days_to_transition"] == 63.5
        assert now["wage_ratio"] == pytest.approx(0.975)
        assert now["network_transitions"] == 3
        assert now["cost_per_transition"] == pytest.approx(8000.0)


def test_the_case_summary_table_equals_its_sql(con):
    assert kpi.has_case_summary_table(con)
    built = query(con, "SELECT * FROM case_summary ORDER BY case_id")
    computed = query(con, kpi._sql("case_summary") + " ORDER BY case_id")
    assert built.equals(computed)
    assert built.height == 11


def test_statements_read_the_table_when_there_and_the_sql_otherwise(con):
    sql = "-- comment\nWITH x AS (SELECT 1) SELECT count(*) FROM case_summary"
    assert kpi.with_case_summary(sql, con).startswith("WITH x AS")  # the table built at publish
    fallback = kpi.with_case_summary(sql)  # a warehouse published before it existed
    assert fallback.startswith("WITH case_summary AS (") and "x AS (SELECT 1)" in fallback
    assert query(con, fallback).item() == query(con, kpi.with_case_summary(sql, con)).item() == 11
