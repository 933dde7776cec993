"""KPI figures of *Übersicht* (current quarter, previous quarter, cumulative, the quarterly
series; selection and whole network): the query layer (one query over a period calendar on
the case summary built at publish) against a plain pandas implementation of the same figures
from the case tables held in memory. Warm: the connection is open and the tables are read
into pandas once, before timing; each timed call computes every figure.

``python -m benchmarks queries`` builds a warehouse with ``scale`` × the demo's participants
(10× = 3,200) in a temporary directory.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import duckdb
import pandas as pd
import typer

from analytics import kpi
from analytics.db import connect
from analytics.periods import Quarter, quarters_between
from analytics.settings import Settings

# the case-data columns the KPIs rest on, as pandas reads them
TABLES = {
    "participant": "SELECT case_id, releasing_firm, entry_date, old_job_end_date, origin_wage "
    "FROM participant",
    "firm": "SELECT firm_id, ags, collective_agreement FROM firm",
    "case_event": "SELECT case_id, event_date, event::VARCHAR AS event, new_wage, receiving_firm, retained "
    "FROM case_event",
    "funding": "SELECT quarter_start, spent_eur FROM funding",
}


def read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The case tables as pandas frames (money as float, dates as datetime64)."""
    frames = {}
    for name, sql in TABLES.items():
        frame = con.cursor().sql(sql).df()
        for column in frame.columns:
            if frame[column].dtype == object and column in ("origin_wage", "new_wage", "spent_eur"):
                frame[column] = frame[column].astype(float)
        frames[name] = frame
    return frames


def _first_by_date(events: pd.DataFrame, kind: str, columns: list[str]) -> pd.DataFrame:
    chosen = events[events["event"] == kind].sort_values(["case_id", "event_date"], kind="stable")
    return chosen.drop_duplicates("case_id")[["case_id", "event_date", *columns]]


def pandas_case_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """analytics/sql/case_summary.sql in pandas."""
    participant, firm, events = tables["participant"], tables["firm"], tables["case_event"]
    job = _first_by_date(events, "job_start", ["new_wage", "receiving_firm"]).rename(
        columns={"event_date": "job_start"}
    )
    ex = events[events["event"] == "exit"].groupby("case_id")["event_date"].min().rename("exit_date")
    unemployed = (
        events[events["event"] == "unemployed"]
        .groupby("case_id")["event_date"]
        .min()
        .rename("first_unemployed")
    )
    check = _first_by_date(events, "retention_check", ["retained"]).rename(
        columns={"event_date": "retention_date"}
    )
    cases = participant.merge(
        firm[["firm_id", "ags"]].rename(columns={"firm_id": "releasing_firm", "ags": "network_ags"}),
        on="releasing_firm",
    )
    cases = (
        cases.merge(job, on="case_id", how="left")
        .merge(ex, left_on="case_id", right_index=True, how="left")
        .merge(unemployed, left_on="case_id", right_index=True, how="left")
        .merge(check, on="case_id", how="left")
        .merge(
            firm[["firm_id", "collective_agreement"]].rename(
                columns={"firm_id": "receiving_firm", "collective_agreement": "receiving_tarif"}
            ),
            on="receiving_firm",
            how="left",
        )
    )
    cases["closed_date"] = cases["job_start"].where(cases["job_start"].notna(), cases["exit_date"])
    cases["seamless"] = (
        cases["job_start"].notna()
        & cases["old_job_end_date"].notna()
        & (cases["job_start"] <= cases["old_job_end_date"] + pd.Timedelta(days=1))
        & (cases["first_unemployed"].isna() | (cases["first_unemployed"] >= cases["job_start"]))
    )
    origin = cases["origin_wage"].where(cases["origin_wage"] != 0)
    cases["wage_ratio"] = cases["new_wage"] / origin
    return cases


def _none(value):
    return None if pd.isna(value) else value


def pandas_counts(
    cases: pd.DataFrame, funding: pd.DataFrame, start: date, end: date, ags: list[str], good: float
) -> dict[str, float | None]:
    """network_kpis' counts (analytics/sql/kpis_by_period.sql) for one period, in pandas."""
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    c = cases[cases["network_ags"].isin(ags)]
    entered = c["entry_date"].between(s, e)
    moved = c["job_start"].between(s, e)
    closed = c["closed_date"].between(s, e)
    checked = c["retention_date"].between(s, e)
    ratio = c.loc[moved, "wage_ratio"]
    spent = funding.loc[funding["quarter_start"].between(s, e), "spent_eur"]
    return {
        "entries": int(entered.sum()),
        "active_end": int(
            ((c["entry_date"] <= e) & (c["closed_date"].isna() | (c["closed_date"] > e))).sum()
        ),
        "transitions": int(moved.sum()),
        "closed": int(closed.sum()),
        "seamless": int((moved & c["seamless"]).sum()),
        "days_to_transition": _none(
            (c.loc[moved, "job_start"] - c.loc[moved, "entry_date"]).dt.days.median()
        ),
        "retention_checks": int(checked.sum()),
        "retained": int((checked & (c["retained"] == True)).sum()),  # noqa: E712 (NULL is not True)
        "wage_ratio": _none(ratio.median()),
        "wage_pairs": int(ratio.notna().sum()),
        "wage_good": int((ratio >= good).sum()),
        "into_tarif": int((moved & (c["receiving_tarif"] == True)).sum()),  # noqa: E712
        "spent_eur": None if spent.notna().sum() == 0 else float(spent.sum()),
    }


def overview_periods(quarter: Quarter, settings: Settings) -> dict[str, tuple[date, date]]:
    previous = quarter.previous()
    return {
        "current": (quarter.start, quarter.end),
        "previous": (previous.start, previous.end),
        "cumulative": (settings.project_start, quarter.end),
    }


def pandas_figures(
    tables: dict[str, pd.DataFrame], quarter: Quarter, ags: list[str], settings: Settings
) -> tuple[dict[str, dict], list[tuple[int, int]]]:
    """The overview's figures in pandas: network_kpis per period, and (entries, transitions)
    per quarter since the project start."""
    cases = pandas_case_summary(tables)
    funding = tables["funding"]
    network = sorted(set(cases["network_ags"]))
    good = settings.wage_ratio_good
    figures = {}
    for key, (start, end) in overview_periods(quarter, settings).items():
        counts = pandas_counts(cases, funding, start, end, ags, good)
        network_transitions = (
            counts["transitions"]
            if set(network) <= set(ags)
            else pandas_counts(cases, funding, start, end, network, good)["transitions"]
        )
        upto = pandas_counts(cases, funding, kpi.CUMULATIVE_FROM, end, ags, good)["spent_eur"]
        figures[key] = kpi._network_figures(counts, network_transitions, counts["spent_eur"], upto, settings)
    series = []
    for q in quarters_between(settings.project_start, quarter.end):
        counts = pandas_counts(cases, funding, q.start, q.end, ags, good)
        series.append((counts["entries"], counts["transitions"]))
    return figures, series


def query_figures(
    con: duckdb.DuckDBPyConnection, quarter: Quarter, ags: list[str], settings: Settings
) -> tuple[dict[str, dict], list[tuple[int, int]]]:
    """The same figures from the query layer."""
    figures = kpi.network_kpis_by_period(con, overview_periods(quarter, settings), ags, settings)
    series = kpi.quarterly_series(con, ags, settings, quarter.end, protected=False)
    pairs = [
        (r["entries"], r["transitions"]) for r in series.filter(~series["is_total"]).iter_rows(named=True)
    ]
    return figures, pairs


def _timed(call, rounds: int) -> float:
    call()  # warm-up
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build_case_warehouse(data_dir: Path, scale: int) -> Settings:
    """Reference data and the demo with ``scale`` × the demo's 320 participants, published
    (no geometry: the KPIs do not need it)."""
    import os

    from analytics.settings import get_settings
    from pipelines.demo import load_demo
    from pipelines.reference import load_reference
    from pipelines.warehouse import publish

    os.environ["COCKPIT_DATA_DIR"] = str(data_dir)
    os.environ["COCKPIT_CONFIG"] = str(data_dir / "none.toml")
    os.environ["COCKPIT_DEMO__PARTICIPANTS"] = str(320 * scale)
    os.environ.setdefault("COCKPIT_DEMO__LAST_MONTH", "2026-10-01")
    get_settings.cache_clear()
    settings = get_settings()
    load_reference(settings)
    load_demo(settings)
    publish(settings)
    return settings


def compare(settings: Settings, rounds: int) -> dict[str, float]:
    """Time both implementations on the warehouse of ``settings`` (selection: one Kreis of
    the network, so the network figures are computed too)."""
    con = connect(settings.warehouse_path)
    try:
        until = kpi.case_period(con)[1]
        quarter = Quarter.of(until)
        network = kpi.network_regions(con, settings)
        ags = network[:1]
        started = time.perf_counter()
        tables = read_tables(con)
        read_s = time.perf_counter() - started
        ours = _timed(lambda: query_figures(con, quarter, ags, settings), rounds)
        theirs = _timed(lambda: pandas_figures(tables, quarter, ags, settings), rounds)
        participants = len(tables["participant"])
    finally:
        con.close()
    return {"participants": participants, "ours_s": ours, "pandas_s": theirs, "pandas_read_s": read_s}


def queries(
    scale: Annotated[int, typer.Option(help="Participants × the demo's 320.")] = 10,
    rounds: Annotated[int, typer.Option(help="Timed runs; the median is reported.")] = 7,
) -> None:
    """KPI figures: one query over a period calendar vs plain pandas (warm; goal ≥ 5× faster)."""
    from benchmarks.pages import pointing_at

    with tempfile.TemporaryDirectory(prefix="cockpit-queries-") as tmp:
        with pointing_at(Path(tmp)):
            started = time.perf_counter()
            settings = build_case_warehouse(Path(tmp) / "data", scale)
            typer.echo(f"Built the {scale}× case warehouse in {time.perf_counter() - started:.1f} s")
            result = compare(settings, rounds)
    ratio = result["pandas_s"] / result["ours_s"]
    typer.echo(
        f"\nKPI figures of Übersicht, {result['participants']} participants, warm, median of {rounds}:\n"
        f"  query layer (one query per figure set) {result['ours_s'] * 1000:8.1f} ms\n"
        f"  plain pandas (tables in memory)        {result['pandas_s'] * 1000:8.1f} ms"
        f"   (reading the tables once: {result['pandas_read_s'] * 1000:.0f} ms, not timed)\n"
        f"  ratio pandas / ours                    {ratio:8.1f}×   goal ≥ 5×"
        + ("" if ratio >= 5 else "   MISSED")
    )
