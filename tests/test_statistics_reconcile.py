"""Reconciliation of breakdown columns against 'Insgesamt', figures worked out by hand.

Row by row (the parts stand beside their total) must give what grouping every cell by its
text keys gives.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.statistics.reconcile import reconcile, reconcile_columns

KEYS = ["ags", "period", "measure", "kldb"]
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def cells(rows: list[tuple]) -> pl.DataFrame:
    """(sheet row, column letter, breakdown, period, measure, value) for Kreis 03254."""
    frame = pl.DataFrame(
        rows,
        schema={
            "_row": pl.UInt32,
            "_column": pl.String,
            "breakdown": pl.String,
            "period": pl.Date,
            "measure": pl.String,
            "value": pl.Float64,
        },
        orient="row",
    )
    kldb = {9: "252", 10: "251", 11: "263", 12: "261", 13: "262"}
    return frame.with_columns(
        ags=pl.lit("03254"), kldb=pl.col("_row").replace_strict(kldb, return_dtype=pl.String)
    )


# columns C, D, E: unemployed January Insgesamt, Vollzeit, Teilzeit; F, G, H: February;
# I, J: vacancies January Insgesamt and Vollzeit only (an incomplete group: not checked)
ROWS = [
    # row 9: 100 = 60 + 40 (ok) and in February 90 = 50 + 40 (ok)
    (9, "C", "TOTAL", JAN, "unemployed", 100.0),
    (9, "D", "vollzeit", JAN, "unemployed", 60.0),
    (9, "E", "teilzeit", JAN, "unemployed", 40.0),
    (9, "F", "TOTAL", FEB, "unemployed", 90.0),
    (9, "G", "vollzeit", FEB, "unemployed", 50.0),
    (9, "H", "teilzeit", FEB, "unemployed", 40.0),
    (9, "I", "TOTAL", JAN, "vacancies", 30.0),
    (9, "J", "vollzeit", JAN, "vacancies", 99.0),
    # row 10: 50 against 20 + '*': consistent with the suppressed part (ok_unknown)
    (10, "C", "TOTAL", JAN, "unemployed", 50.0),
    (10, "D", "vollzeit", JAN, "unemployed", 20.0),
    (10, "E", "teilzeit", JAN, "unemployed", None),
    # row 11: 50 against 30 + 30: a difference; February total '*': total unknown
    (11, "C", "TOTAL", JAN, "unemployed", 50.0),
    (11, "D", "vollzeit", JAN, "unemployed", 30.0),
    (11, "E", "teilzeit", JAN, "unemployed", 30.0),
    (11, "F", "TOTAL", FEB, "unemployed", None),
    (11, "G", "vollzeit", FEB, "unemployed", 5.0),
    (11, "H", "teilzeit", FEB, "unemployed", 5.0),
    # row 12: Teilzeit cell unreadable (not in the facts): 70 against 70 alone is exact
    (12, "C", "TOTAL", JAN, "unemployed", 70.0),
    (12, "D", "vollzeit", JAN, "unemployed", 70.0),
    # row 13: no part at all (both empty): nothing to check
    (13, "C", "TOTAL", JAN, "unemployed", 10.0),
]


def summary(rec) -> tuple:
    return (
        rec.checks,
        rec.ok,
        rec.ok_unknown,
        rec.total_unknown,
        sorted((d.what, d.total, d.detail_known, d.suppressed) for d in rec.differences),
    )


def test_columns_by_row_as_worked_out_by_hand():
    rec = reconcile_columns(cells(ROWS), ("vollzeit", "teilzeit"), KEYS, name="Arbeitszeit", label="AZ")
    # checks: row 9 Jan, 9 Feb, 10 Jan, 11 Jan, 11 Feb, 12 Jan; vacancies lack Teilzeit
    assert summary(rec) == (
        6,
        3,
        1,
        1,
        [
            (
                "AZ [ags=03254, period=2026-01-01, measure=unemployed, kldb=263, Ebene/level Arbeitszeit]",
                50.0,
                60.0,
                0,
            )
        ],
    )


@pytest.mark.parametrize("drop_rows", [[], [9], [10, 11]])
def test_columns_by_row_match_grouping_by_keys(drop_rows):
    frame = cells([r for r in ROWS if r[0] not in drop_rows])
    by_row = reconcile_columns(frame, ("vollzeit", "teilzeit"), KEYS, name="AZ", label="L")
    # grouping by keys sees the incomplete vacancies group too: leave it out for the comparison
    complete = frame.filter(pl.col("_column").is_in(["I", "J"]).not_())
    by_keys = reconcile(
        complete.filter(pl.col("breakdown").is_in(["vollzeit", "teilzeit", "TOTAL"])),
        "breakdown",
        KEYS,
        group=pl.lit("AZ"),
        label="L",
        unknown=None,
    )
    assert summary(by_row) == summary(by_keys)


def test_no_total_column_means_no_checks():
    frame = cells([r for r in ROWS if r[2] != "TOTAL"])
    rec = reconcile_columns(frame, ("vollzeit", "teilzeit"), KEYS, name="AZ", label="L")
    assert rec.checks == 0 and rec.status == "none"
