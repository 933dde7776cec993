"""One builder for test data: a tiny warehouse from a few hand-written rows.

Used by the KPI tests, AppTest and the browser tests alike. The expected values in the
tests are computed by hand from exactly these rows (see test_kpi.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from analytics.settings import Settings
from pipelines.reference import load_reference
from pipelines.warehouse import publish, replace_table, staging

D = date.fromisoformat

FIRMS = pl.DataFrame(
    [
        ("R1", "Testzulieferer Hildesheim GmbH", "releasing", "29", "03254", "250-499", True, True, 9.95, 52.15),
        ("R2", "Testkunststoff Peine GmbH", "releasing", "22", "03157", "100-249", True, True, 10.23, 52.32),
        ("E1", "Testnetze Hildesheim GmbH", "receiving", "35", "03254", "100-249", True, True, 9.96, 52.16),
        ("E2", "Testbau Hannover GmbH", "receiving", "43", "03241", "50-99", False, False, 9.73, 52.37),
        ("E3", "Testmaschinen Peine GmbH", "receiving", "28", "03157", "100-249", True, True, 10.22, 52.31),
    ],
    schema=["firm_id", "name", "role", "wz", "ags", "size_class", "collective_agreement",
            "works_council", "lon", "lat"],
    orient="row",
)

# case, releasing firm, home, entry, old job end, origin wage
PARTICIPANTS = [
    ("A", "R1", "03254", "2026-01-10", "2026-03-31", 4000.0),
    ("B", "R1", "03254", "2026-01-20", "2026-02-28", 3000.0),
    ("C", "R1", "03254", "2026-02-01", "2026-03-31", None),
    ("D", "R1", "03254", "2026-02-15", "2026-06-30", 3300.0),
    ("E", "R2", "03157", "2026-03-01", "2026-05-31", 3600.0),
    ("F", "R1", "03254", "2026-03-25", "2026-09-30", 3100.0),
    ("G", "R1", "03254", "2025-12-01", "2026-01-31", 3200.0),
    # Q3 2026, Peine (flows into manufacturing, another Land; see test_flows.py)
    ("H", "R2", "03157", "2026-07-01", "2026-08-31", 3000.0),
    ("I", "R2", "03157", "2026-07-02", "2026-08-31", 3200.0),
    ("J", "R2", "04011", "2026-07-03", "2026-09-30", 3400.0),
    ("K", "R2", "03157", "2026-07-06", "2026-09-30", 3500.0),
]

# case, date, event, receiving firm, target KldB, new wage, retained
EVENTS = [
    ("A", "2026-01-10", "entry", None, None, None, None),
    ("A", "2026-01-15", "counselling", None, None, None, None),
    ("A", "2026-03-15", "job_start", "E1", "262", 4000.0, None),
    ("A", "2026-09-15", "retention_check", None, None, None, True),
    ("B", "2026-01-20", "entry", None, None, None, None),
    ("B", "2026-03-01", "unemployed", None, None, None, None),
    ("B", "2026-04-10", "job_start", "E2", "342", 2700.0, None),
    ("C", "2026-02-01", "entry", None, None, None, None),
    ("C", "2026-04-01", "job_start", "E2", "342", 3500.0, None),
    ("D", "2026-02-15", "entry", None, None, None, None),
    ("D", "2026-03-20", "exit", None, None, None, None),
    ("E", "2026-03-01", "entry", None, None, None, None),
    ("E", "2026-03-30", "job_start", "E1", "263", 3500.0, None),
    ("F", "2026-03-25", "entry", None, None, None, None),
    ("G", "2025-12-01", "entry", None, None, None, None),
    ("G", "2026-02-02", "job_start", "E1", "251", 3040.0, None),
    ("H", "2026-07-01", "entry", None, None, None, None),
    ("H", "2026-08-20", "job_start", "E3", "251", 3300.0, None),
    ("I", "2026-07-02", "entry", None, None, None, None),
    ("I", "2026-09-01", "job_start", "E3", "242", 3200.0, None),
    ("J", "2026-07-03", "entry", None, None, None, None),
    ("J", "2026-09-10", "job_start", "E3", "251", 3230.0, None),
    ("K", "2026-07-06", "entry", None, None, None, None),
    ("K", "2026-09-14", "job_start", "E1", "262", 3150.0, None),
]

FUNDING = [("2026-01-01", 30_000.0, 24_000.0), ("2026-04-01", 40_000.0, 36_000.0),
           ("2026-07-01", 45_000.0, None)]


def participants_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"case_id": c, "releasing_firm": f, "home_ags": h, "age_group": "35-44",
             "gender": "m", "entry_date": D(e), "old_job_end_date": D(o), "origin_kldb": "252",
             "origin_wage": w}
            for c, f, h, e, o, w in PARTICIPANTS
        ],
        schema_overrides={"origin_wage": pl.Float64},
    )


def events_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [(c, D(d), e, f, k, w, r) for c, d, e, f, k, w, r in EVENTS],
        schema={"case_id": pl.String, "event_date": pl.Date, "event": pl.String,
                "receiving_firm": pl.String, "target_kldb": pl.String, "new_wage": pl.Float64,
                "retained": pl.Boolean},
        orient="row",
    )


def funding_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [(D(q), p, s) for q, p, s in FUNDING],
        schema={"quarter_start": pl.Date, "planned_eur": pl.Float64, "spent_eur": pl.Float64},
        orient="row",
    )


def build_tiny_warehouse(settings: Settings) -> Path:
    """Reference data from the real code lists plus the hand-written case rows; published."""
    load_reference(settings)
    with staging(settings) as con:
        replace_table(con, "firm", FIRMS)
        replace_table(con, "participant", participants_frame())
        replace_table(con, "case_event", events_frame())
        replace_table(con, "funding", funding_frame())
        con.execute(
            "INSERT INTO load_log VALUES (99, 'test', 'tests/builders.py', 'tiny', '{}', "
            "'loaded', TIMESTAMP '2026-11-01 10:00:00', 0)"
        )
    publish(settings)
    return settings.warehouse_path
