"""Network KPIs (design §4): one definition each, used by every page and export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import duckdb
import polars as pl

from analytics.db import query, scalar
from analytics.periods import Quarter, quarters_between
from analytics.settings import Settings


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    label_de: str
    label_en: str
    unit: str  # count | share | days | ratio | eur
    definition_de: str
    definition_en: str
    higher_is_better: bool = True
    network_wide: bool = False  # computed for the whole network regardless of region filter

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_de if lang == "de" else self.definition_en


KPIS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "entries", "Neue Teilnehmende", "New participants", "count",
        "Fälle mit Eintritt (Ereignis 'Eintritt') im Zeitraum.",
        "Cases whose entry date lies in the period."),
    KpiDefinition(
        "active_end", "Aktive Fälle (Stichtag)", "Active cases (end of period)", "count",
        "Fälle, die bis zum Periodenende eingetreten und an diesem Tag weder in Arbeit "
        "übergegangen noch ausgeschieden sind.",
        "Cases entered by the end of the period and neither placed nor exited on that day."),
    KpiDefinition(
        "transitions", "Übergänge in Arbeit", "Transitions into work", "count",
        "Fälle mit Arbeitsaufnahme bei einem aufnehmenden Betrieb im Zeitraum.",
        "Cases with a job start at a receiving firm in the period."),
    KpiDefinition(
        "seamless_rate", "Nahtlos-Quote", "Seamless rate", "share",
        "Nahtlose Übergänge (Arbeitsaufnahme spätestens am Tag nach Ende des alten "
        "Arbeitsverhältnisses, keine Arbeitslosmeldung dazwischen) je abgeschlossenem Fall "
        "(Arbeitsaufnahme oder Austritt) im Zeitraum. Unbekanntes Ende des alten "
        "Arbeitsverhältnisses zählt nicht als nahtlos.",
        "Seamless transitions (job start no later than the day after the old job ended, no "
        "registered unemployment in between) per closed case (job start or exit) in the "
        "period. An unknown end of the old job does not count as seamless."),
    KpiDefinition(
        "transition_rate", "Übergangsquote", "Transition rate", "share",
        "Übergänge in Arbeit je abgeschlossenem Fall (Arbeitsaufnahme oder Austritt) im Zeitraum.",
        "Transitions per closed case (job start or exit) in the period."),
    KpiDefinition(
        "days_to_transition", "Tage bis zum Übergang", "Days to transition", "days",
        "Median der Tage vom Eintritt bis zur Arbeitsaufnahme, für Übergänge im Zeitraum.",
        "Median days from entry to job start, for transitions in the period.",
        higher_is_better=False),
    KpiDefinition(
        "retention_rate", "Verbleib nach 6 Monaten", "Retention after 6 months", "share",
        "Anteil der im Zeitraum durchgeführten 6-Monats-Prüfungen mit 'noch beschäftigt'.",
        "Share of 6-month checks carried out in the period that found the person employed."),
    KpiDefinition(
        "wage_ratio", "Lohnverhältnis (Median)", "Wage ratio (median)", "ratio",
        "Median von neuem zu altem Bruttomonatslohn der Übergänge im Zeitraum (nur Fälle mit "
        "beiden Angaben). Zusätzlich: Anteil mit Verhältnis ≥ 0,95 ('gute Arbeit in gute Arbeit').",
        "Median of new over old monthly gross wage for transitions in the period (cases with "
        "both wages). Also: share with ratio ≥ 0.95 ('good work into good work')."),
    KpiDefinition(
        "cost_per_transition", "Kosten je Übergang", "Cost per transition", "eur",
        "Im Zeitraum ausgegebene Fördermittel des Netzwerks geteilt durch die Übergänge des "
        "gesamten Netzwerks im Zeitraum.",
        "Funding spent in the period divided by the whole network's transitions in the period.",
        higher_is_better=False, network_wide=True),
    KpiDefinition(
        "budget_used", "Budget verbraucht", "Budget used", "share",
        "Bis Periodenende kumuliert ausgegebene Mittel je Gesamtbudget (Förderung 2026–2028).",
        "Funding spent cumulatively up to the end of the period over the total budget "
        "(2026–2028).",
        higher_is_better=False, network_wide=True),
)
KPI_BY_KEY = {k.key: k for k in KPIS}


@cache
def _sql(name: str) -> str:
    return resources.files("analytics").joinpath(f"sql/{name}.sql").read_text(encoding="utf-8")


def with_case_summary(sql: str) -> str:
    """Prefix a statement that starts with WITH by the case_summary CTE."""
    body = sql.lstrip()
    lines = [ln for ln in body.splitlines() if not ln.startswith("--")]
    body = "\n".join(lines).lstrip()
    if not body.upper().startswith("WITH "):
        raise ValueError("statement must start with WITH")
    return f"WITH case_summary AS ({_sql('case_summary')}),\n{body[5:]}"


def case_summary(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, _sql("case_summary"))


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def kpi_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, ags: list[str], good: float
) -> dict[str, float | None]:
    frame = query(
        con,
        with_case_summary(_sql("network_kpis")),
        {"start": start, "end": end, "ags": list(ags), "good": good},
    )
    return frame.row(0, named=True)


def funding_spent(con: duckdb.DuckDBPyConnection, start: date, end: date) -> float | None:
    """Funding spent in quarters starting within [start, end]; None when nothing is booked."""
    return scalar(
        con,
        "SELECT sum(spent_eur) FROM funding WHERE quarter_start BETWEEN ? AND ?",
        [start, end],
    )


def network_kpis(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    ags: list[str],
    settings: Settings,
) -> dict[str, float | None]:
    """All network KPIs for the period and the selected network regions."""
    counts = kpi_counts(con, start, end, ags, settings.wage_ratio_good)
    all_regions = network_regions(con)
    network_transitions = (
        counts["transitions"]
        if set(all_regions) <= set(ags)
        else kpi_counts(con, start, end, all_regions, settings.wage_ratio_good)["transitions"]
    )
    spent = funding_spent(con, start, end)
    spent_cumulative = funding_spent(con, date(1900, 1, 1), end)
    assumptions = settings.avoided_unemployment
    return {
        "entries": counts["entries"],
        "active_end": counts["active_end"],
        "transitions": counts["transitions"],
        "closed": counts["closed"],
        "seamless": counts["seamless"],
        "seamless_rate": _ratio(counts["seamless"], counts["closed"]),
        "transition_rate": _ratio(counts["transitions"], counts["closed"]),
        "days_to_transition": counts["days_to_transition"],
        "retention_checks": counts["retention_checks"],
        "retention_rate": _ratio(counts["retained"], counts["retention_checks"]),
        "wage_ratio": counts["wage_ratio"],
        "wage_good_share": _ratio(counts["wage_good"], counts["wage_pairs"]),
        "tarif_share": _ratio(counts["into_tarif"], counts["transitions"]),
        "spent_eur": spent,
        "cost_per_transition": _ratio(spent, network_transitions),
        "spent_cumulative_eur": spent_cumulative,
        "budget_used": _ratio(spent_cumulative, settings.budget_total_eur),
        "avoided_unemployment_eur": counts["seamless"]
        * assumptions.avg_months_unemployed
        * assumptions.monthly_cost_eur,
    }


def network_regions(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Kreise in which the network has releasing firms with participants."""
    frame = query(
        con,
        "SELECT DISTINCT f.ags FROM participant p JOIN firm f ON f.firm_id = p.releasing_firm "
        "ORDER BY f.ags",
    )
    return frame["ags"].to_list()


def case_period(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """First entry and last event of the case data, None when there is none."""
    row = query(
        con,
        "SELECT (SELECT min(entry_date) FROM participant) AS first, "
        "(SELECT max(event_date) FROM case_event) AS last",
    ).row(0)
    return None if row[0] is None else (row[0], row[1] or row[0])


def kpi_overview(
    con: duckdb.DuckDBPyConnection, quarter: Quarter, ags: list[str], settings: Settings
) -> pl.DataFrame:
    """One row per headline KPI: value in the quarter, previous quarter, change, cumulative."""
    current = network_kpis(con, quarter.start, quarter.end, ags, settings)
    prev_q = quarter.previous()
    previous = network_kpis(con, prev_q.start, prev_q.end, ags, settings)
    cumulative = network_kpis(con, settings.project_start, quarter.end, ags, settings)
    rows = []
    for kpi in KPIS:
        value, before = current[kpi.key], previous[kpi.key]
        change = None if value is None or before is None else value - before
        rows.append(
            {
                "key": kpi.key,
                "value": _float(value),
                "previous": _float(before),
                "change": _float(change),
                "cumulative": _float(cumulative[kpi.key]),
            }
        )
    return pl.DataFrame(
        rows,
        schema={"key": pl.String, "value": pl.Float64, "previous": pl.Float64,
                "change": pl.Float64, "cumulative": pl.Float64},
    )


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)


def quarterly_series(
    con: duckdb.DuckDBPyConnection, ags: list[str], settings: Settings, until: date
) -> pl.DataFrame:
    """Entries and transitions per quarter with the quarterly targets (yearly / 4)."""
    rows = []
    for quarter in quarters_between(settings.project_start, until):
        counts = kpi_counts(con, quarter.start, quarter.end, ags, settings.wage_ratio_good)
        target = settings.targets.by_year.get(quarter.year)
        rows.append(
            {
                "quarter": quarter.label(),
                "quarter_start": quarter.start,
                "entries": counts["entries"],
                "transitions": counts["transitions"],
                "target_entries": None if target is None else target.entries / 4,
                "target_transitions": None if target is None else target.transitions / 4,
            }
        )
    return pl.DataFrame(
        rows,
        schema={"quarter": pl.String, "quarter_start": pl.Date, "entries": pl.Int64,
                "transitions": pl.Int64, "target_entries": pl.Float64,
                "target_transitions": pl.Float64},
    )
