"""Network KPIs (design §4): one definition each, used by every page and export."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import duckdb
import polars as pl

from analytics.case_pattern import case_pattern, q_key
from analytics.db import now as db_now
from analytics.db import query, scalar
from analytics.disclosure import flag_column, is_small, protect_table, rate_is_disclosive
from analytics.periods import Quarter, quarters_between
from analytics.settings import Settings, YearTarget


@dataclass(frozen=True)
class KpiDefinition:
    key: str
    label_de: str
    label_en: str
    unit: str  # count | share | days | ratio | eur
    definition_de: str
    definition_en: str
    higher_is_better: bool | None = True  # None: a change is neither good nor bad
    network_wide: bool = False  # computed for the whole network regardless of region filter

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_de if lang == "de" else self.definition_en


KPIS: tuple[KpiDefinition, ...] = (
    KpiDefinition(
        "entries",
        "Neue Teilnehmende",
        "New participants",
        "count",
        "Fälle mit Eintritt (Ereignis 'Eintritt') im Zeitraum.",
        "Cases whose entry date lies in the period.",
    ),
    KpiDefinition(
        "active_end",
        "Aktive Fälle (Stichtag)",
        "Active at period end",
        "count",
        "Fälle, die bis zum Periodenende eingetreten und an diesem Tag weder in Arbeit "
        "übergegangen noch ausgeschieden sind.",
        "Cases entered by the end of the period and neither placed nor exited on that day.",
    ),
    KpiDefinition(
        "transitions",
        "Übergänge in Arbeit",
        "Transitions into work",
        "count",
        "Fälle mit Arbeitsaufnahme bei einem aufnehmenden Betrieb im Zeitraum.",
        "Cases with a job start at a receiving firm in the period.",
    ),
    KpiDefinition(
        "seamless_rate",
        "Nahtlos-Quote",
        "Seamless rate",
        "share",
        "Nahtlose Übergänge (Arbeitsaufnahme spätestens am Tag nach Ende des alten "
        "Arbeitsverhältnisses, keine Arbeitslosmeldung dazwischen) je abgeschlossenem Fall "
        "(Arbeitsaufnahme oder Austritt) im Zeitraum. Unbekanntes Ende des alten "
        "Arbeitsverhältnisses zählt nicht als nahtlos.",
        "Seamless transitions (job start no later than the day after the old job ended, no "
        "registered unemployment in between) per closed case (job start or exit) in the "
        "period. An unknown end of the old job does not count as seamless.",
    ),
    KpiDefinition(
        "transition_rate",
        "Übergangsquote",
        "Transition rate",
        "share",
        "Übergänge in Arbeit je abgeschlossenem Fall (Arbeitsaufnahme oder Austritt) im Zeitraum.",
        "Transitions per closed case (job start or exit) in the period.",
    ),
    KpiDefinition(
        "days_to_transition",
        "Tage bis zum Übergang",
        "Days to transition",
        "days",
        "Median der Tage vom Eintritt bis zur Arbeitsaufnahme, für Übergänge im Zeitraum.",
        "Median days from entry to job start, for transitions in the period.",
        higher_is_better=False,
    ),
    KpiDefinition(
        "retention_rate",
        "Verbleib 6 Monate",
        "Retention 6 months",
        "share",
        "Anteil der im Zeitraum durchgeführten 6-Monats-Prüfungen mit 'noch beschäftigt'.",
        "Share of 6-month checks carried out in the period that found the person employed.",
    ),
    KpiDefinition(
        "wage_ratio",
        "Lohnverhältnis",
        "Wage ratio",
        "ratio",
        "Median von neuem zu altem Bruttomonatslohn der Übergänge im Zeitraum (nur Fälle mit "
        "beiden Angaben). Zusätzlich: Anteil mit Verhältnis ≥ 0,95 ('gute Arbeit in gute Arbeit').",
        "Median of new over old monthly gross wage for transitions in the period (cases with "
        "both wages). Also: share with ratio ≥ 0.95 ('good work into good work').",
    ),
    KpiDefinition(
        "cost_per_transition",
        "Kosten je Übergang",
        "Cost per transition",
        "eur",
        "Im Zeitraum ausgegebene Fördermittel des Netzwerks geteilt durch die Übergänge des "
        "gesamten Netzwerks im Zeitraum.",
        "Funding spent in the period divided by the whole network's transitions in the period.",
        higher_is_better=False,
        network_wide=True,
    ),
    KpiDefinition(
        "budget_used",
        "Budget verbraucht",
        "Budget used",
        "share",
        "Bis Periodenende kumuliert ausgegebene Mittel je Gesamtbudget (Förderung 2026–2028).",
        "Funding spent cumulatively up to the end of the period over the total budget (2026–2028).",
        higher_is_better=None,
        network_wide=True,
    ),
)
KPI_BY_KEY = {k.key: k for k in KPIS}


@cache
def _sql(name: str) -> str:
    return resources.files("analytics").joinpath(f"sql/{name}.sql").read_text(encoding="utf-8")


def with_case_summary(sql: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
    """Prefix a statement that starts with WITH by the case_summary CTE; given ``con`` and a
    warehouse whose publish built the ``case_summary`` table, the statement reads that table."""
    body = sql.lstrip()
    lines = [ln for ln in body.splitlines() if not ln.startswith("--")]
    body = "\n".join(lines).lstrip()
    if not body.upper().startswith("WITH "):
        raise ValueError("statement must start with WITH")
    if con is not None and has_case_summary_table(con):
        return body
    return f"WITH case_summary AS ({_sql('case_summary')}),\n{body[5:]}"


CASE_SUMMARY_TABLE = "case_summary"


def has_case_summary_table(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the warehouse holds the case summary built at publish (older ones do not)."""
    return bool(
        scalar(
            con,
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND table_name = ?",
            [CASE_SUMMARY_TABLE],
        )
    )


def case_summary_table_sql() -> str:
    """The statement publish runs to (re)build the case summary table from the case data."""
    return f"CREATE OR REPLACE TABLE {CASE_SUMMARY_TABLE} AS {_sql('case_summary')}"


def case_summary(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    if has_case_summary_table(con):
        return query(con, f"SELECT * FROM {CASE_SUMMARY_TABLE}")  # noqa: S608 (constant name)
    return query(con, _sql("case_summary"))


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


COUNT_COLUMNS = (
    "entries",
    "active_end",
    "transitions",
    "closed",
    "seamless",
    "days_to_transition",
    "retention_checks",
    "retained",
    "wage_ratio",
    "wage_pairs",
    "wage_good",
    "into_tarif",
)


def kpis_by_period(
    con: duckdb.DuckDBPyConnection,
    periods: dict[str, tuple[date, date]],
    scopes: dict[str, list[str]],
    good: float,
    spent_only: dict[str, tuple[date, date]] | None = None,
) -> dict[tuple[str, str], dict[str, float | None]]:
    """The KPI counts and the funding spent for every period (key -> (start, end)) and every
    scope (name -> network regions), in one query over the period calendar:
    (scope, period key) -> counts as kpi_counts gives them, plus ``spent_eur``. Periods in
    ``spent_only`` get the funding spent only (their counts are 0 / None)."""
    if not periods or not scopes:
        return {}
    calendar = [{"key": k, "pstart": s, "pend": e, "counts": True} for k, (s, e) in periods.items()]
    calendar += [
        {"key": k, "pstart": s, "pend": e, "counts": False} for k, (s, e) in (spent_only or {}).items()
    ]
    frame = query(
        con,
        with_case_summary(_sql("kpis_by_period"), con),
        {
            "periods": calendar,
            "scopes": [{"scope": k, "ags": list(v)} for k, v in scopes.items()],
            "good": good,
        },
    )
    return {(row["scope"], row["key"]): row for row in frame.iter_rows(named=True)}


def kpi_counts(
    con: duckdb.DuckDBPyConnection, start: date, end: date, ags: list[str], good: float
) -> dict[str, float | None]:
    row = kpis_by_period(con, {"p": (start, end)}, {"s": list(ags)}, good)[("s", "p")]
    return {name: row[name] for name in COUNT_COLUMNS}


def funding_spent(con: duckdb.DuckDBPyConnection, start: date, end: date) -> float | None:
    """Funding spent in quarters starting within [start, end]; None when nothing is booked."""
    return scalar(
        con,
        "SELECT sum(spent_eur) FROM funding WHERE quarter_start BETWEEN ? AND ?",
        [start, end],
    )


def avoided_eur(seamless, months: float, monthly_cost: float):
    """Avoided cost of unemployment (design §4): seamless transitions × assumed months of
    unemployment × assumed monthly cost. Works on numbers and on Polars expressions."""
    return None if seamless is None else seamless * months * monthly_cost


def network_kpis(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    ags: list[str],
    settings: Settings,
) -> dict[str, float | None]:
    """All network KPIs for the period and the selected network regions."""
    return network_kpis_by_period(con, {"p": (start, end)}, ags, settings)["p"]


CUMULATIVE_FROM = date(1900, 1, 1)


def network_kpis_by_period(
    con: duckdb.DuckDBPyConnection,
    periods: dict[str, tuple[date, date]],
    ags: list[str],
    settings: Settings,
) -> dict[str, dict[str, float | None]]:
    """network_kpis for several periods (key -> (start, end)) in one query."""
    all_regions = network_regions(con, settings)
    whole = covers_network(con, ags)
    upto = {f"{k}__upto": (CUMULATIVE_FROM, e) for k, (_, e) in periods.items()}
    scopes = {"selection": list(ags)}
    if not whole:
        scopes["network"] = all_regions
    rows = kpis_by_period(con, periods, scopes, settings.wage_ratio_good, spent_only=upto)
    return {
        key: _network_figures(
            rows[("selection", key)],
            rows[("selection" if whole else "network", key)]["transitions"],
            rows[("selection", key)]["spent_eur"],
            rows[("selection", f"{key}__upto")]["spent_eur"],
            settings,
        )
        for key in periods
    }


def _network_figures(
    counts: dict[str, float | None],
    network_transitions: float | None,
    spent: float | None,
    spent_cumulative: float | None,
    settings: Settings,
) -> dict[str, float | None]:
    assumptions = settings.avoided_unemployment
    return {
        "network_transitions": network_transitions,
        "retained": counts["retained"],
        "wage_good": counts["wage_good"],
        "wage_pairs": counts["wage_pairs"],
        "into_tarif": counts["into_tarif"],
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
        "avoided_unemployment_eur": avoided_eur(
            counts["seamless"], assumptions.avg_months_unemployed, assumptions.monthly_cost_eur
        ),
    }


# KPI -> (numerator, denominator) counts it rests on; medians rest on their case count.
RATE_BASIS = {
    "seamless_rate": ("seamless", "closed"),
    "transition_rate": ("transitions", "closed"),
    "retention_rate": ("retained", "retention_checks"),
    "wage_good_share": ("wage_good", "wage_pairs"),
    "tarif_share": ("into_tarif", "transitions"),
}
MEDIAN_BASIS = {"days_to_transition": "transitions", "wage_ratio": "wage_pairs"}
PERSON_COUNTS = ("entries", "active_end", "transitions", "closed", "seamless", "retention_checks")
# derived from a count times or over public constants: hidden with that count
COUNT_DERIVED = {"avoided_unemployment_eur": "seamless", "cost_per_transition": "network_transitions"}
# Every figure -> the cube measures (analytics.case_pattern) it rests on: shown only where all
# of them are shown. Rates rest on numerator and denominator (their complement is a split of
# the cube), medians on their case count, money per person on the count.
KPI_BASIS: dict[str, tuple[str, ...]] = {
    "entries": ("entries",),
    "active_end": ("active_end",),
    "transitions": ("transitions",),
    "closed": ("closed",),
    "seamless": ("seamless",),
    "retention_checks": ("retention_checks",),
    "seamless_rate": ("seamless", "closed"),
    "transition_rate": ("transitions", "closed"),
    "retention_rate": ("retained", "retention_checks"),
    "wage_good_share": ("wage_good", "wage_pairs"),
    "tarif_share": ("into_tarif", "transitions"),
    "into_tarif": ("into_tarif",),
    "not_seamless": ("not_seamless_transitions",),
    "days_to_transition": ("transitions",),
    "wage_ratio": ("wage_pairs",),
    "avoided_unemployment_eur": ("seamless",),
    "cost_per_transition": ("transitions",),  # of the whole network
    "network_transitions": ("transitions",),  # of the whole network
    "budget_used": (),
}
NETWORK_BASIS = {"cost_per_transition", "network_transitions"}


def hidden_by_pattern(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    ags: list[str],
    period: tuple[str, str],
    keys: Iterable[str],
) -> set[str]:
    """The figures of ``keys`` withheld for the selection and period (``("q", "2026-Q3")``:
    the quarter, ``("c", "2026-Q3")``: since project start) under the warehouse's one
    suppression pattern; everything resting on persons when the selection is a free union
    of Kreise (no node of the fixed hierarchy)."""
    pattern = case_pattern(con, settings)
    node = pattern.node(ags)
    network = pattern.node(pattern.case_kreise)
    return {
        key
        for key in keys
        if pattern.any_hidden(network if key in NETWORK_BASIS else node, period, KPI_BASIS[key])
    }


def hidden_over(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    ags: list[str],
    first: Quarter,
    last: Quarter,
    keys: Iterable[str],
) -> set[str]:
    """The figures of ``keys`` withheld for the quarters ``first`` .. ``last``: "since start"
    when the span begins at the project start, else a sum of quarters, shown only where each
    of its quarters is (a sum of shown cells tells nothing new)."""
    if first <= Quarter.of(settings.project_start):
        return hidden_by_pattern(con, settings, ags, period_key(last, cumulative=True), keys)
    out: set[str] = set()
    quarter = first
    while quarter <= last:
        out |= hidden_by_pattern(con, settings, ags, period_key(quarter), keys)
        quarter = quarter.next()
    return out


def selection_withheld(
    con: duckdb.DuckDBPyConnection, settings: Settings, ags: list[str], protected: bool
) -> bool:
    """True when case figures are withheld for the whole selection: a role below agency chose
    a free union of Kreise, which could be differenced against the fixed regions."""
    return protected and case_pattern(con, settings).node(ags) is None


def period_key(quarter: Quarter, cumulative: bool = False) -> tuple[str, str]:
    return ("c" if cumulative else "q", q_key(quarter))


def disclosive_kpis(
    values: dict[str, float | None], min_count: int, *, network_wide: bool = False
) -> set[str]:
    """Keys of the KPIs that would reveal a count of 1..min_count-1 persons (design §6).

    ``network_wide``: the values are the whole network's. Its rates are shown whenever their
    population (the denominator) has min_count persons or more (issue #11: a limit to
    over-suppression); a region's rates are also withheld when numerator or complement is small.
    """
    hidden = {k for k in PERSON_COUNTS if is_small(values.get(k), min_count)}
    hidden |= {
        k
        for k, (num, den) in RATE_BASIS.items()
        if (
            is_small(values.get(den), min_count)
            if network_wide
            else rate_is_disclosive(values.get(num), values.get(den), min_count)
        )
    }
    hidden |= {k for k, n in MEDIAN_BASIS.items() if is_small(values.get(n), min_count)}
    hidden |= {k for k, n in COUNT_DERIVED.items() if is_small(values.get(n), min_count)}
    return hidden


def region_target(settings: Settings, ags: list[str] | tuple[str, ...], year: int) -> YearTarget | None:
    """The yearly targets of a region selection: the sum of the targets of the rollout waves
    it covers (``RolloutPlan.target_for``; none for a selection outside the plan or cutting
    through a wave). A plan without targets of its own (older configuration): the network's
    ``targets.by_year``, as before."""
    if settings.rollout.has_targets():
        return settings.rollout.target_for(ags, year)
    return settings.targets.by_year.get(year)


def participant_kreise(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The Kreise of the releasing firms that have participants in the case data."""
    frame = query(
        con,
        "SELECT DISTINCT f.ags FROM participant p JOIN firm f ON f.firm_id = p.releasing_firm ORDER BY f.ags",
    )
    return frame["ags"].to_list()


def covers_network(con: duckdb.DuckDBPyConnection, ags: list[str] | tuple[str, ...]) -> bool:
    """Whether a selection holds the whole network's figures: every network Kreis outside it
    has no participants yet (a plan Kreis that has only just joined adds nothing)."""
    return set(participant_kreise(con)) <= set(ags)


def network_regions(
    con: duckdb.DuckDBPyConnection, settings: Settings, until: date | None = None
) -> list[str]:
    """The network's Kreise: those of the rollout plan whose wave has started by ``until``
    (default: today), and any Kreis where the case data already have participants of a
    releasing firm (so that no participant falls out of the network's totals when the plan
    lags behind the data)."""
    day = until or db_now().date()
    return sorted(set(settings.rollout.kreise_until(day)) | set(participant_kreise(con)))


def case_period(con: duckdb.DuckDBPyConnection) -> tuple[date, date] | None:
    """First entry and last event of the case data, None when there is none."""
    row = query(
        con,
        "SELECT (SELECT min(entry_date) FROM participant) AS first, "
        "(SELECT max(event_date) FROM case_event) AS last",
    ).row(0)
    return None if row[0] is None else (row[0], row[1] or row[0])


def kpi_overview(
    con: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    ags: list[str],
    settings: Settings,
    *,
    protected: bool = True,
) -> pl.DataFrame:
    """One row per headline KPI: value in the quarter, previous quarter, change, cumulative.

    With ``protected`` (every role below 'agency') a value is NULL with
    ``<column>__suppressed`` set where the warehouse's suppression pattern withholds a count
    it rests on (analytics.case_pattern); a change where either end is withheld.
    """
    prev_q = quarter.previous()
    figures = network_kpis_by_period(
        con,
        {
            "current": (quarter.start, quarter.end),
            "previous": (prev_q.start, prev_q.end),
            "cumulative": (settings.project_start, quarter.end),
        },
        ags,
        settings,
    )
    current, previous, cumulative = figures["current"], figures["previous"], figures["cumulative"]
    if protected:
        return _overview_rows(
            current,
            previous,
            cumulative,
            hidden_by_pattern(con, settings, ags, period_key(quarter), KPI_BASIS),
            hidden_by_pattern(con, settings, ags, period_key(prev_q), KPI_BASIS),
            hidden_by_pattern(con, settings, ags, period_key(quarter, cumulative=True), KPI_BASIS),
        )
    return _overview_rows(current, previous, cumulative, set(), set(), set())


def _overview_rows(
    current: dict,
    previous: dict,
    cumulative: dict,
    hidden_now: set,
    hidden_before: set,
    hidden_cumulative: set,
) -> pl.DataFrame:
    rows = []
    for kpi in KPIS:
        value, before, total = current[kpi.key], previous[kpi.key], cumulative[kpi.key]
        change = None if value is None or before is None else value - before
        value_hidden = kpi.key in hidden_now
        change_hidden = value_hidden or kpi.key in hidden_before
        total_hidden = kpi.key in hidden_cumulative
        rows.append(
            {
                "key": kpi.key,
                "value": None if value_hidden else _float(value),
                "previous": None if kpi.key in hidden_before else _float(before),
                "change": None if change_hidden else _float(change),
                "cumulative": None if total_hidden else _float(total),
                "value__suppressed": value_hidden,
                "previous__suppressed": kpi.key in hidden_before,
                "change__suppressed": change_hidden,
                "cumulative__suppressed": total_hidden,
            }
        )
    return pl.DataFrame(rows, schema=OVERVIEW_SCHEMA)


OVERVIEW_SCHEMA = {
    "key": pl.String,
    "value": pl.Float64,
    "previous": pl.Float64,
    "change": pl.Float64,
    "cumulative": pl.Float64,
    "value__suppressed": pl.Boolean,
    "previous__suppressed": pl.Boolean,
    "change__suppressed": pl.Boolean,
    "cumulative__suppressed": pl.Boolean,
}


def _float(value: float | int | None) -> float | None:
    return None if value is None else float(value)


SERIES_COUNTS = ("entries", "transitions")


def quarterly_series(
    con: duckdb.DuckDBPyConnection,
    ags: list[str],
    settings: Settings,
    until: date,
    *,
    protected: bool = True,
) -> pl.DataFrame:
    """Entries and transitions per quarter up to ``until`` with the quarterly targets
    (yearly / 4), and a last row ``is_total`` with the sums since the project start.

    With ``protected``, the cells the warehouse's suppression pattern withholds (quarters,
    and "since start" for the sum row) are hidden: the pattern already keeps every sum
    from revealing a hidden quarter.
    """
    rows = []
    calendar = {q.label(): (q.start, q.end) for q in quarters_between(settings.project_start, until)}
    by_quarter = kpis_by_period(con, calendar, {"s": list(ags)}, settings.wage_ratio_good)
    for quarter in quarters_between(settings.project_start, until):
        counts = by_quarter[("s", quarter.label())]
        target = region_target(settings, ags, quarter.year)
        rows.append(
            {
                "quarter": quarter.label(),
                "quarter_start": quarter.start,
                "complete": quarter.end <= until,
                "is_total": False,
                "entries": counts["entries"],
                "transitions": counts["transitions"],
                "target_entries": None if target is None else target.entries / 4,
                "target_transitions": None if target is None else target.transitions / 4,
            }
        )
    schema = {
        "quarter": pl.String,
        "quarter_start": pl.Date,
        "complete": pl.Boolean,
        "is_total": pl.Boolean,
        "entries": pl.Int64,
        "transitions": pl.Int64,
        "target_entries": pl.Float64,
        "target_transitions": pl.Float64,
    }
    series = pl.DataFrame(rows, schema=schema)
    total = series.select(
        pl.lit("Summe").alias("quarter"),
        pl.col("quarter_start").min(),
        pl.col("complete").all(),
        pl.lit(True).alias("is_total"),
        pl.col("entries").sum(),
        pl.col("transitions").sum(),
        pl.col("target_entries").sum(),
        pl.col("target_transitions").sum(),
    )
    series = pl.concat([series, total.cast(schema)])
    if not protected:
        return protect_table(series, SERIES_COUNTS, total_row=pl.col("is_total"), min_count=0)
    periods = [period_key(Quarter.parse(q)) for q in series["quarter"][:-1]]
    periods.append(period_key(Quarter.of(until), cumulative=True))
    hidden = [hidden_by_pattern(con, settings, ags, period, SERIES_COUNTS) for period in periods]
    return series.with_columns(
        *(
            pl.Series(flag_column(name), [name in h for h in hidden], dtype=pl.Boolean)
            for name in SERIES_COUNTS
        )
    ).with_columns(
        pl.when(pl.col(flag_column(name))).then(None).otherwise(pl.col(name)).alias(name)
        for name in SERIES_COUNTS
    )


def network_comparison(
    con: duckdb.DuckDBPyConnection,
    quarter: Quarter,
    ags: list[str],
    settings: Settings,
    *,
    protected: bool = True,
) -> pl.DataFrame | None:
    """The whole network's value of each KPI in the quarter, shown next to a region's value;
    None when the selection already covers the whole network.

    Protected as in kpi_overview: the network is a node of the fixed hierarchy, and its
    difference to the selection (the rest of the network) is a relation the suppression
    pattern already protects.
    """
    network = network_regions(con, settings)
    if not network or covers_network(con, ags):
        return None
    table = kpi_overview(con, quarter, network, settings, protected=protected)
    hidden = pl.col("value__suppressed").fill_null(False)
    network_wide = {k.key: k.network_wide for k in KPIS}
    return table.select(
        pl.col("key").cast(pl.String),
        pl.when(hidden).then(None).otherwise(pl.col("value")).cast(pl.Float64).alias("network_value"),
        hidden.alias("network_value__suppressed"),
        pl.col("key").replace_strict(network_wide, return_dtype=pl.Boolean).alias("network_wide"),
    )


def label_quarters(series: pl.DataFrame, until: date, lang: str) -> pl.DataFrame:
    """Display labels for a quarterly_series: the running quarter says up to which day the
    data go ("Q4 2026 (bis 31.10.2026)"), the sum row names its span."""
    from analytics.formatting import fmt_date  # formatting is display-only

    running = f" ({'bis' if lang == 'de' else 'to'} {fmt_date(until, lang)})"
    total = "Summe seit Projektstart" if lang == "de" else "Total since project start"
    return series.with_columns(
        pl.when(pl.col("is_total"))
        .then(pl.lit(total))
        .when(pl.col("complete"))
        .then(pl.col("quarter"))
        .otherwise(pl.col("quarter") + running)
        .alias("quarter")
    )
