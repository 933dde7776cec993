"""One builder for test data: a tiny warehouse from a few hand-written rows.

Used by the KPI tests, AppTest and the browser tests alike. The expected values in the
tests are computed by hand from exactly these rows (see test_kpi.py).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import polars as pl

from analytics.settings import Settings
from pipelines.cases.schema import EVENTS_SHEET
from pipelines.cases.schema import FIRMS as FIRMS_SHEET
from pipelines.reference import load_reference
from pipelines.warehouse import publish, replace_table, staging

D = date.fromisoformat

FIRMS = pl.DataFrame(
    [
        (
            "R1",
            "Testzulieferer Hildesheim GmbH",
            "releasing",
            "29",
            "03254",
            "250-499",
            True,
            True,
            9.95,
            52.15,
        ),
        ("R2", "Testkunststoff Peine GmbH", "releasing", "22", "03157", "100-249", True, True, 10.23, 52.32),
        ("E1", "Testnetze Hildesheim GmbH", "receiving", "35", "03254", "100-249", True, True, 9.96, 52.16),
        ("E2", "Testbau Hannover GmbH", "receiving", "43", "03241", "50-99", False, False, 9.73, 52.37),
        ("E3", "Testmaschinen Peine GmbH", "receiving", "28", "03157", "100-249", True, True, 10.22, 52.31),
    ],
    schema=FIRMS_SHEET.polars_schema,
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

FUNDING = [
    ("2026-01-01", 30_000.0, 24_000.0),
    ("2026-04-01", 40_000.0, 36_000.0),
    ("2026-07-01", 45_000.0, None),
]


# BA statistics (hand-computed expectations in test_labour_market.py): Kreis, KldB, measure,
# year, values for July, August, September (None = withheld by the BA, "*")
LABOUR_MARKET = [
    ("03254", "TOTAL", "unemployed", 2026, (1000, 1100, 1200)),
    ("03254", "TOTAL", "vacancies", 2026, (200, 200, 260)),
    ("03254", "TOTAL", "unemployed", 2025, (900, 1000, 1100)),
    ("03254", "TOTAL", "vacancies", 2025, (250, 250, 250)),
    ("03157", "TOTAL", "unemployed", 2026, (500, 500, 500)),
    ("03157", "TOTAL", "vacancies", 2026, (180, 180, 180)),
    ("03157", "TOTAL", "unemployed", 2025, (400, 400, 400)),
    ("03157", "TOTAL", "vacancies", 2025, (100, 100, 100)),
    ("03241", "TOTAL", "unemployed", 2026, (2000, 2000, 2000)),
    ("03241", "TOTAL", "vacancies", 2026, (500, 500, 500)),
    ("03241", "TOTAL", "unemployed", 2025, (2000, 2000, 2000)),
    ("03241", "TOTAL", "vacancies", 2025, (400, 400, 400)),
    ("04011", "TOTAL", "unemployed", 2026, (300, 330, 360)),
    ("04011", "TOTAL", "vacancies", 2026, (100, None, 120)),
    ("04011", "TOTAL", "unemployed", 2025, (300, 300, 300)),
    ("04011", "TOTAL", "vacancies", 2025, (100, 100, 100)),
    # Berufsgruppen (KldB 3-digit), the same value in all three months
    ("03254", "251", "unemployed", 2026, (40,) * 3),
    ("03254", "251", "vacancies", 2026, (60,) * 3),
    ("03254", "252", "unemployed", 2026, (90,) * 3),
    ("03254", "252", "vacancies", 2026, (10,) * 3),
    ("03254", "262", "unemployed", 2026, (5,) * 3),
    ("03254", "262", "vacancies", 2026, (30,) * 3),
    ("03254", "263", "unemployed", 2026, (20,) * 3),
    ("03254", "263", "vacancies", 2026, (None,) * 3),
    ("03157", "251", "unemployed", 2026, (10,) * 3),
    ("03157", "251", "vacancies", 2026, (20,) * 3),
    ("03157", "252", "unemployed", 2026, (None,) * 3),
    ("03157", "252", "vacancies", 2026, (5,) * 3),
    ("03157", "262", "unemployed", 2026, (3,) * 3),
    ("03157", "262", "vacancies", 2026, (3,) * 3),
    ("03254", "251", "unemployed", 2025, (30,) * 3),
    ("03254", "251", "vacancies", 2025, (50,) * 3),
    ("03254", "252", "unemployed", 2025, (70,) * 3),
    ("03254", "252", "vacancies", 2025, (20,) * 3),
    ("03157", "251", "unemployed", 2025, (10,) * 3),
    ("03157", "251", "vacancies", 2025, (10,) * 3),
    ("03157", "252", "unemployed", 2025, (4,) * 3),
    ("03157", "252", "vacancies", 2025, (4,) * 3),
]

# SvB at the place of work, 30.06.: Kreis, year, {WZ division or TOTAL: value (None = "*")}
EMPLOYMENT = [
    ("03254", 2026, {"TOTAL": 100_000, "29": 5_000, "22": 1_000, "25": 2_000, "28": 2_000, "35": 3_000}),
    ("03254", 2025, {"TOTAL": 98_000, "29": 5_390, "22": 1_000, "25": 2_000, "28": 2_000, "35": 2_900}),
    ("03157", 2026, {"TOTAL": 50_000, "29": 4_000, "24": None}),
    ("03157", 2025, {"TOTAL": 50_000, "29": 4_500, "24": 100}),
    ("03241", 2026, {"TOTAL": 500_000, "29": 20_000, "26": 5_000}),
    ("03241", 2025, {"TOTAL": 500_000, "29": 21_000, "26": 5_000}),
]

# Kreis boundaries: small squares (WGS84) around a centre, enough for the maps
GEOMETRY_CENTRES = {
    "03254": (9.95, 52.15),
    "03157": (10.23, 52.32),
    "03241": (9.73, 52.45),
    "04011": (8.8, 53.08),
}


def labour_market_frame() -> pl.DataFrame:
    rows = []
    for ags, kldb, measure, year, values in LABOUR_MARKET:
        for month, value in zip((7, 8, 9), values, strict=True):
            rows.append(
                {
                    "ags": ags,
                    "period": date(year, month, 1),
                    "kldb": kldb,
                    "measure": measure,
                    "value": None if value is None else float(value),
                    "flag": "suppressed" if value is None else None,
                    "reference_date": date(year, month, 15),
                    "source_file": "tests/builders.py",
                    "content_hash": "tiny",
                    "publication": "test",
                    "loaded_at": datetime(2026, 11, 1),
                    "region_level": "kreis",
                    "breakdown": "TOTAL",
                    "classification": "KldB2010",
                    "vintage": None,
                }
            )
    # a sub-count (women) that must never be added to the totals
    rows.append(rows[0] | {"breakdown": "GES=W", "value": 480.0})
    return pl.DataFrame(rows, schema_overrides={"value": pl.Float64, "flag": pl.String, "vintage": pl.Date})


def employment_frame() -> pl.DataFrame:
    rows = [
        {
            "ags": ags,
            "reference_date": date(year, 6, 30),
            "wz": wz,
            "measure": "svb",
            "value": None if value is None else float(value),
            "flag": "suppressed" if value is None else None,
            "source_file": "tests/builders.py",
            "content_hash": "tiny",
            "publication": "test",
            "loaded_at": datetime(2026, 11, 1),
            "region_level": "kreis",
            "breakdown": "TOTAL",
            "classification": "WZ2008",
            "vintage": None,
        }
        for ags, year, values in EMPLOYMENT
        for wz, value in values.items()
    ]
    # a sub-count (full-time) that must never be added to the totals
    rows.append(rows[0] | {"breakdown": "ARZ=VZ", "value": 70_000.0})
    return pl.DataFrame(rows, schema_overrides={"value": pl.Float64, "flag": pl.String, "vintage": pl.Date})


def geometry_frame() -> pl.DataFrame:
    rows = []
    for ags, (lon, lat) in GEOMETRY_CENTRES.items():
        d = 0.1
        ring = [
            [lon - d, lat - d],
            [lon + d, lat - d],
            [lon + d, lat + d],
            [lon - d, lat + d],
            [lon - d, lat - d],
        ]
        rows.append(
            {
                "ags": ags,
                "geojson": json.dumps({"type": "Polygon", "coordinates": [ring]}),
                "centroid_lon": lon,
                "centroid_lat": lat,
                "source": "tests/builders.py",
                "edition": "01.01.2021",
            }
        )
    return pl.DataFrame(rows)


def participants_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "case_id": c,
                "releasing_firm": f,
                "home_ags": h,
                "age_group": "35-44",
                "gender": "m",
                "entry_date": D(e),
                "old_job_end_date": D(o),
                "origin_kldb": "252",
                "origin_wage": w,
            }
            for c, f, h, e, o, w in PARTICIPANTS
        ],
        schema_overrides={"origin_wage": pl.Float64},
    )


def events_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [(c, D(d), e, f, k, w, r) for c, d, e, f, k, w, r in EVENTS],
        schema=EVENTS_SHEET.polars_schema,
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
        replace_table(con, "fact_labour_market", labour_market_frame())
        replace_table(con, "fact_employment", employment_frame())
        replace_table(con, "region_geometry", geometry_frame())
        con.execute(
            "INSERT INTO load_log (load_id, step, source, content_hash, row_counts, status, loaded_at, "
            "duration_s) VALUES (99, 'test', 'tests/builders.py', 'tiny', '{}', 'loaded', "
            "TIMESTAMP '2026-11-01 10:00:00', 0)"
        )
    publish(settings)
    return settings.warehouse_path


# --- the attack warehouse (issue #12): three network Kreise, Q3 and Q4 2026 -------------------
# Hand-made so that each attack of the issue exists in it (tests/test_attacker.py). Q4 2026:
# transitions Hildesheim 4, Peine 3, Goslar 2 (G1, G2), so Goslar = network 9 − Hildesheim 4
# − Peine 3 = (Goslar + Peine 5) − Peine 3; Goslar's closed cases = active 3 + entries 6 −
# active 6 = 3, so 1 exit (G3); seamless: network 7 of 12 closed (58,3 %), Agentur Hildesheim
# 5 of 9 (55,6 %), so Goslar's 2 = 58,3 % × 12 − 55,6 % × 9. Q3: Peine's 1 exit (P5) =
# entries 5 − active 4. Goslar's two persons both went into a manufacturing firm with a
# collective agreement in Peine (E3).
ATTACK_FIRMS = pl.concat(
    [
        FIRMS,
        pl.DataFrame(
            [("R3", "Testguss Goslar GmbH", "releasing", "24", "03153", "100-249", True, True, 10.43, 51.9)],
            schema=FIRMS_SHEET.polars_schema,
            orient="row",
        ),
    ]
)
# case, releasing firm, home, entry, old job end, origin wage, then the events after entry:
# (date, event, receiving firm, target KldB, new wage)
ATTACK_CASES = [
    (
        "H1",
        "R1",
        "03254",
        "2026-07-01",
        "2026-10-31",
        3000.0,
        [("2026-10-15", "job_start", "E1", "262", 3100.0)],
    ),
    (
        "H2",
        "R1",
        "03254",
        "2026-07-02",
        "2026-10-31",
        3000.0,
        [("2026-10-20", "job_start", "E1", "262", 3100.0)],
    ),
    (
        "H3",
        "R1",
        "03254",
        "2026-07-03",
        "2026-09-30",
        3000.0,
        [("2026-11-02", "job_start", "E2", "342", 2500.0)],
    ),
    (
        "H4",
        "R1",
        "03254",
        "2026-07-04",
        "2026-08-31",
        3000.0,
        [("2026-10-20", "job_start", "E1", "263", 3000.0)],
    ),
    ("H8", "R1", "03254", "2026-07-05", "2026-12-31", 3000.0, [("2026-11-10", "exit", None, None, None)]),
    ("H5", "R1", "03254", "2026-10-05", "2027-03-31", 3000.0, []),
    ("H6", "R1", "03254", "2026-10-06", "2027-03-31", 3000.0, []),
    ("H7", "R1", "03254", "2026-10-07", "2027-03-31", 3000.0, []),
    (
        "P1",
        "R2",
        "03157",
        "2026-07-01",
        "2026-12-31",
        3200.0,
        [("2026-10-10", "job_start", "E3", "251", 3200.0)],
    ),
    (
        "P2",
        "R2",
        "03157",
        "2026-07-02",
        "2026-12-31",
        3200.0,
        [("2026-10-11", "job_start", "E3", "251", 3200.0)],
    ),
    (
        "P3",
        "R2",
        "03157",
        "2026-07-03",
        "2026-12-31",
        3200.0,
        [("2026-10-12", "job_start", "E1", "262", 3200.0)],
    ),
    ("P4", "R2", "03157", "2026-07-04", "2026-12-31", 3200.0, [("2026-11-15", "exit", None, None, None)]),
    ("P5", "R2", "03157", "2026-07-05", "2026-12-31", 3200.0, [("2026-09-10", "exit", None, None, None)]),
    ("P6", "R2", "03157", "2026-10-01", "2027-03-31", 3200.0, []),
    ("P7", "R2", "03157", "2026-10-02", "2027-03-31", 3200.0, []),
    ("P8", "R2", "03157", "2026-10-03", "2027-03-31", 3200.0, []),
    (
        "G1",
        "R3",
        "03153",
        "2026-07-10",
        "2026-12-31",
        3400.0,
        [("2026-11-01", "job_start", "E3", "242", 3400.0)],
    ),
    (
        "G2",
        "R3",
        "03153",
        "2026-07-11",
        "2026-12-31",
        3400.0,
        [("2026-11-02", "job_start", "E3", "242", 3400.0)],
    ),
    ("G3", "R3", "03153", "2026-07-12", "2026-12-31", 3400.0, [("2026-11-20", "exit", None, None, None)]),
    *[(f"G{i}", "R3", "03153", f"2026-10-0{i - 3}", "2027-03-31", 3400.0, []) for i in range(4, 10)],
]
ATTACK_FUNDING = [("2026-07-01", 45_000.0, 40_000.0), ("2026-10-01", 45_000.0, 30_000.0)]
ATTACK_UNTIL = date(2026, 11, 30)


def build_attack_warehouse(settings: Settings) -> Path:
    """The tiny warehouse's reference data and BA figures with the attack cases (above)."""
    participants = pl.DataFrame(
        [
            {
                "case_id": c,
                "releasing_firm": f,
                "home_ags": h,
                "age_group": "35-44",
                "gender": "m",
                "entry_date": D(e),
                "old_job_end_date": D(o),
                "origin_kldb": "252",
                "origin_wage": w,
            }
            for c, f, h, e, o, w, _ in ATTACK_CASES
        ],
        schema_overrides={"origin_wage": pl.Float64},
    )
    events = [(c, D(e), "entry", None, None, None, None) for c, _, _, e, _, _, _ in ATTACK_CASES]
    events += [
        (c, D(d), event, firm, kldb, wage, None)
        for c, *_, later in ATTACK_CASES
        for d, event, firm, kldb, wage in later
    ]
    load_reference(settings)
    with staging(settings) as con:
        replace_table(con, "firm", ATTACK_FIRMS)
        replace_table(con, "participant", participants)
        replace_table(
            con, "case_event", pl.DataFrame(events, schema=EVENTS_SHEET.polars_schema, orient="row")
        )
        replace_table(
            con,
            "funding",
            pl.DataFrame(
                [(D(q), p, s) for q, p, s in ATTACK_FUNDING],
                schema={"quarter_start": pl.Date, "planned_eur": pl.Float64, "spent_eur": pl.Float64},
                orient="row",
            ),
        )
        # Goslar gets Peine's BA figures (every Kreis of the network has its BA rows)
        for name, frame in (
            ("fact_labour_market", labour_market_frame()),
            ("fact_employment", employment_frame()),
        ):
            goslar = frame.filter(pl.col("ags") == "03157").with_columns(pl.lit("03153").alias("ags"))
            replace_table(con, name, pl.concat([frame, goslar]))
        replace_table(con, "region_geometry", geometry_frame())
        con.execute(
            "INSERT INTO load_log (load_id, step, source, content_hash, row_counts, status, loaded_at, "
            "duration_s) VALUES (99, 'test', 'tests/builders.py', 'attack', '{}', 'loaded', "
            "TIMESTAMP '2026-12-01 10:00:00', 0)"
        )
    publish(settings)
    return settings.warehouse_path


def announcing_warehouse(data_dir, extra_firms, announcements, source: str = "tests") -> None:
    """The tiny warehouse in ``data_dir`` with these firms added and these announcements
    (rows of ``firm_need`` with ISO dates), loaded under ``source`` and published."""
    from pipelines.cases.schema import NEEDS
    from tests.conftest import make_settings

    settings = make_settings(data_dir)
    build_tiny_warehouse(settings)
    firms = pl.concat([FIRMS, pl.DataFrame(extra_firms, schema=FIRMS_SHEET.polars_schema, orient="row")])
    needs = pl.DataFrame(
        [
            (f, date.fromisoformat(d), k, c, n, date.fromisoformat(e), s, filled, t, w)
            for f, d, k, c, n, e, s, filled, t, w in announcements
        ],
        schema=NEEDS.polars_schema,
        orient="row",
    )
    with staging(settings) as con:
        replace_table(con, "firm", firms)
        replace_table(con, "firm_need", needs)
        con.execute(
            "INSERT INTO load_log (load_id, step, source, content_hash, row_counts, status, loaded_at, "
            "duration_s) VALUES (100, 'test', ?, 'needs', '{}', 'loaded', TIMESTAMP '2026-11-01 11:00:00', 0)",
            [source],
        )
    publish(settings)
