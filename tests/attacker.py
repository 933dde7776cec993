"""The disclosure attackers shared by the tests.

``assert_relations_safe``: solve every relation (cells adding up to a shown total) that has
exactly one unknown, repeatedly, and fail if that recovers a count of 1 or 2 persons.

``Attacker`` (issue #12): the role's whole view. It knows the case data only as unknowns —
non-negative integer counts per Kreis of the releasing firm, quarter and kind of case
(entered; job start by seamless × collective agreement × wage pair good / not good / none;
exit without job start; retention check kept / not kept) — and every figure the views show
as a linear equation (counts, sums, changes, "since start" values, stocks of active cases)
or a pair of inequalities (a rate shown to 0.1 %, money per transition to the euro, the
money being public). For every count of 1 or 2 persons in any Kreis, the selections the views
offer, quarter, "since start" and kind, it asks an integer program (``scipy.optimize.milp``)
for the least and the largest value the figures allow: equal means pinned, a disclosure.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from analytics.db import query
from analytics.disclosure import flag_column
from analytics.kpi import case_period, funding_spent, network_regions
from analytics.periods import Quarter, quarters_between
from analytics.regions import region_presets
from analytics.views.funding import funding_view
from analytics.views.model import ViewFilters
from analytics.views.overview import overview_view
from analytics.views.rollout import rollout_view
from analytics.views.trends import trends_view


def assert_relations_safe(original, protected, relations):
    """Solve relations with one unknown as an attacker would: never a small count."""
    known = {(r, c): protected[c][r] for rel in relations for r, c in rel if not protected[flag_column(c)][r]}
    progress = True
    while progress:
        progress = False
        for rel in relations:
            unknown = [cell for cell in rel if cell not in known]
            if len(unknown) == 1:
                r, c = unknown[0]
                known[(r, c)] = original[c][r]
                assert not (0 < original[c][r] < 3), f"recovered {(r, c)} = {original[c][r]}"
                progress = True


# -- the unknowns -------------------------------------------------------------------------
JOB_KINDS = tuple(itertools.product((True, False), (True, False), ("good", "not_good", "none")))
KINDS = ("entry", *(("job", *k) for k in JOB_KINDS), "exit", "kept", "not_kept")


def _is(kind, **want) -> bool:
    if kind[0] != "job":
        return False
    _, seamless, tarif, wage = kind
    got = {"seamless": seamless, "tarif": tarif, "wage": wage}
    return all((got[k] in v) if isinstance(v, tuple) else got[k] == v for k, v in want.items())


# measure -> (kind predicate, sign); active_end is a stock, handled apart
MEASURES: dict[str, tuple] = {
    "entries": (lambda k: k == "entry",),
    "transitions": (lambda k: k[0] == "job",),
    "seamless": (lambda k: _is(k, seamless=True),),
    "not_seamless_transitions": (lambda k: _is(k, seamless=False),),
    "exits": (lambda k: k == "exit",),
    "closed": (lambda k: k[0] == "job" or k == "exit",),
    "not_seamless": (lambda k: _is(k, seamless=False) or k == "exit",),
    "into_tarif": (lambda k: _is(k, tarif=True),),
    "not_tarif": (lambda k: _is(k, tarif=False),),
    "wage_pairs": (lambda k: _is(k, wage=("good", "not_good")),),
    "wage_good": (lambda k: _is(k, wage="good"),),
    "retention_checks": (lambda k: k in ("kept", "not_kept"),),
    "retained": (lambda k: k == "kept",),
}
RATES = {  # figure -> (numerator, denominator)
    "seamless_rate": ("seamless", "closed"),
    "transition_rate": ("transitions", "closed"),
    "retention_rate": ("retained", "retention_checks"),
    "tarif_share": ("into_tarif", "transitions"),
    "wage_good_share": ("wage_good", "wage_pairs"),
    "seamless_share": ("seamless", "transitions"),
    "into_tarif_share": ("into_tarif", "transitions"),
}


def true_atoms(cases: pl.DataFrame, good: float) -> dict[tuple[str, Quarter, tuple | str], int]:
    """The attacker's unknowns with their true values, from ``kpi.case_summary``."""
    out: dict = {}

    def add(ags, day, kind):
        if day is not None:
            key = (ags, Quarter.of(day), kind)
            out[key] = out.get(key, 0) + 1

    for r in cases.iter_rows(named=True):
        add(r["network_ags"], r["entry_date"], "entry")
        if r["job_start"] is not None:
            ratio = r["wage_ratio"]
            wage = "none" if ratio is None else ("good" if ratio >= good else "not_good")
            kind = ("job", bool(r["seamless"]), bool(r["receiving_tarif"]), wage)
            add(r["network_ags"], r["job_start"], kind)
        elif r["exit_date"] is not None:
            add(r["network_ags"], r["exit_date"], "exit")
        if r["retention_date"] is not None:
            add(r["network_ags"], r["retention_date"], "kept" if r["retained"] else "not_kept")
    return out


@dataclass
class Attacker:
    """Unknowns per (Kreis, quarter, kind); figures collected as rows of A·x (= | ≤) b."""

    kreise: tuple[str, ...]
    quarters: tuple[Quarter, ...]
    project_start: Quarter
    truth: dict
    index: dict = field(default_factory=dict)
    equalities: list = field(default_factory=list)  # (coefficients, value)
    inequalities: list = field(default_factory=list)  # (coefficients, upper bound)
    figures: int = 0

    def __post_init__(self) -> None:
        for key in itertools.product(self.kreise, self.quarters, KINDS):
            self.index[key] = len(self.index)

    # -- expressions: {variable index: coefficient} -----------------------------------
    def expr(self, measure: str, ags: Iterable[str], period: tuple[str, Quarter]) -> dict[int, float]:
        kind, quarter = period
        ags = [a for a in ags if a in self.kreise]
        if measure == "active_end":
            out: dict[int, float] = {}
            for q in self.quarters:
                if q > quarter:
                    continue
                for k, sign in (("entries", 1), ("closed", -1)):
                    for i, c in self.expr(k, ags, ("q", q)).items():
                        out[i] = out.get(i, 0) + sign * c
            return out
        (predicate,) = MEASURES[measure]
        if kind == "q":
            span = [quarter]
        elif kind == "c":  # since project start up to the quarter's end
            span = [q for q in self.quarters if self.project_start <= q <= quarter]
        elif kind == "a":  # all data up to the quarter's end
            span = [q for q in self.quarters if q <= quarter]
        else:
            raise ValueError(kind)
        return {
            self.index[(a, q, k)]: 1.0
            for a in ags
            for q in span
            if q in self.quarters
            for k in KINDS
            if predicate(k)
        }

    def value(self, expr: dict[int, float]) -> float:
        keys = list(self.index)
        return sum(c * self.truth.get(keys[i], 0) for i, c in expr.items())

    # -- what the views show ------------------------------------------------------------
    def sees(self, measure: str, ags, period, value: float | None) -> None:
        """A count (or a change: use ``sees_change``) shown with ``value``; None = "*"."""
        if value is None:
            return
        self.figures += 1
        self.equalities.append((self.expr(measure, ags, period), float(value)))

    def sees_change(self, measure: str, ags, quarter: Quarter, value: float | None) -> None:
        if value is None:
            return
        self.figures += 1
        now = self.expr(measure, ags, ("q", quarter))
        before = self.expr(measure, ags, ("q", quarter.previous()))
        diff = dict(now)
        for i, c in before.items():
            diff[i] = diff.get(i, 0) - c
        self.equalities.append((diff, float(value)))

    def sees_rate(self, name: str, ags, period, value: float | None, tolerance: float = 0.0005) -> None:
        """A share num/den shown to 0.1 %: (value − tol)·den ≤ num ≤ (value + tol)·den."""
        if value is None:
            return
        self.figures += 1
        num_m, den_m = RATES[name]
        num, den = self.expr(num_m, ags, period), self.expr(den_m, ags, period)
        for sign, bound in ((1, value + tolerance), (-1, value - tolerance)):
            row = {i: sign * c for i, c in num.items()}
            for i, c in den.items():
                row[i] = row.get(i, 0) - sign * bound * c
            self.inequalities.append((row, 0.0))

    def sees_money_per_transition(self, ags, period, money: float | None, per: float | None) -> None:
        """Public money / transitions shown to the euro: transitions = money / per (± rounding)."""
        if money is None or per is None or per == 0:
            return
        self.figures += 1
        t = self.expr("transitions", ags, period)
        low, high = money / (per + 0.5), money / max(per - 0.5, 1e-9)
        self.inequalities.append((t, high))
        self.inequalities.append(({i: -c for i, c in t.items()}, -low))

    # -- solving ---------------------------------------------------------------------------
    def bounds(self, target: dict[int, float]) -> tuple[float | None, float | None]:
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.index)
        constraints = []
        if self.equalities:
            a = np.zeros((len(self.equalities), n))
            b = np.zeros(len(self.equalities))
            for r, (row, v) in enumerate(self.equalities):
                for i, c in row.items():
                    a[r, i] = c
                b[r] = v
            constraints.append(LinearConstraint(a, b, b))
        if self.inequalities:
            a = np.zeros((len(self.inequalities), n))
            b = np.zeros(len(self.inequalities))
            for r, (row, v) in enumerate(self.inequalities):
                for i, c in row.items():
                    a[r, i] = c
                b[r] = v
            constraints.append(LinearConstraint(a, -np.inf, b + 1e-7))
        c = np.zeros(n)
        for i, k in target.items():
            c[i] = k
        out = []
        for sign in (1, -1):
            result = milp(sign * c, constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, np.inf))
            out.append(None if result.status != 0 else round(sign * result.fun, 6))
        return out[0], out[1]

    def pins(self, measure: str, ags, period) -> bool:
        low, high = self.bounds(self.expr(measure, ags, period))
        return low is not None and low == high

    def disclosures(self, selections: Iterable[tuple[str, ...]]) -> list[tuple]:
        """Every count of 1 or 2 persons the figures pin: per Kreis and per selection, every
        quarter and "since start", every measure and the stock of active cases."""
        found, seen = [], set()
        areas = {(a,) for a in self.kreise} | {tuple(sorted(s)) for s in selections}
        periods = [("q", q) for q in self.quarters] + [
            ("c", q) for q in self.quarters if q >= self.project_start
        ]
        for ags, period, measure in itertools.product(sorted(areas), periods, [*MEASURES, "active_end"]):
            expr = self.expr(measure, ags, period)
            true = self.value(expr)
            key = tuple(sorted(expr.items()))
            if not 0 < true < 3 or key in seen:
                continue
            seen.add(key)
            if self.pins(measure, ags, period):
                found.append((measure, ags, period[0], period[1].label(), true))
        return found


def attacker_for(con, settings, until: date) -> Attacker:
    from analytics.kpi import case_summary

    cases = case_summary(con)
    kreise = tuple(sorted(set(cases["network_ags"].drop_nulls())))
    dates = [
        d for c in ("entry_date", "job_start", "exit_date", "retention_date") for d in cases[c].drop_nulls()
    ]
    first = min([*dates, settings.project_start])
    quarters = []
    q = Quarter.of(first)
    while q <= Quarter.of(max([*dates, until])):
        quarters.append(q)
        q = q.next()
    return Attacker(
        kreise,
        tuple(quarters),
        Quarter.of(settings.project_start),
        true_atoms(cases, settings.wage_ratio_good),
    )


# -- the role's whole view -------------------------------------------------------------------
BUILDERS = {
    "overview": overview_view,
    "trends": trends_view,
    "rollout": rollout_view,
    "funding": funding_view,
}
COUNTS = ("entries", "active_end", "transitions")
SHOWN_RATES = ("seamless_rate", "transition_rate", "retention_rate")


def _period_of(label: str, until: date) -> tuple[str, Quarter]:
    """A row label of a quarterly table: a quarter (maybe running) or the sum since start."""
    head = label.split(" (")[0]
    if head.startswith("Q"):
        return ("q", Quarter.parse(head))
    return ("c", Quarter.of(until))


def read_view(attacker: Attacker, view, filters, con, settings) -> None:
    """Every figure of a view as the attacker's equations (the views' own tables)."""
    ags = filters.ags
    quarter = Quarter.parse(filters.quarter)
    until = min(quarter.end, filters.data_until or quarter.end)
    network = tuple(network_regions(con, settings))
    for table in view.tables():
        frame = table.frame
        if view.page == "overview" and table.key == "kpis":
            for row in frame.iter_rows(named=True):
                key = row["key"]
                if key in COUNTS:
                    attacker.sees(key, ags, ("q", quarter), row["value"])
                    attacker.sees(key, ags, ("q", quarter.previous()), row["previous"])
                    attacker.sees_change(key, ags, quarter, row["change"])
                    attacker.sees(key, ags, ("c", quarter), row["cumulative"])
                    if "network_value" in row:
                        attacker.sees(key, network, ("q", quarter), row["network_value"])
                elif key in SHOWN_RATES:
                    attacker.sees_rate(key, ags, ("q", quarter), row["value"])
                    attacker.sees_rate(key, ags, ("q", quarter.previous()), row["previous"])
                    attacker.sees_rate(key, ags, ("c", quarter), row["cumulative"])
                    if "network_value" in row:
                        attacker.sees_rate(key, network, ("q", quarter), row["network_value"])
                elif key == "cost_per_transition":  # funding spent is public (Förderung)
                    prev = quarter.previous()
                    attacker.sees_money_per_transition(
                        network, ("q", quarter), funding_spent(con, quarter.start, quarter.end), row["value"]
                    )
                    attacker.sees_money_per_transition(
                        network, ("q", prev), funding_spent(con, prev.start, prev.end), row["previous"]
                    )
                    attacker.sees_money_per_transition(
                        network,
                        ("c", quarter),
                        funding_spent(con, settings.project_start, quarter.end),
                        row["cumulative"],
                    )
        elif (view.page, table.key) in (("overview", "quarters"), ("trends", "network")):
            for row in frame.iter_rows(named=True):
                period = _period_of(row["quarter"], until)
                for name in ("entries", "transitions"):
                    attacker.sees(name, ags, period, row[name])
        elif view.page == "funding" and table.key == "impact":
            start = Quarter.of(settings.project_start)
            for row in frame.iter_rows(named=True):
                label = row["period"]
                if label.startswith("Q"):
                    period = ("q", Quarter.parse(label))
                elif label == str(start.year):
                    period = ("c", min(Quarter(start.year, 4), Quarter.of(until)))
                elif label.isdigit():
                    continue  # later years: not in the attack warehouse
                else:
                    period = ("c", Quarter.of(until))
                for name in ("transitions", "seamless"):
                    attacker.sees(name, network, period, row[name])
                attacker.sees("not_seamless_transitions", network, period, row["not_seamless"])
                attacker.sees_money_per_transition(
                    network, period, row["spent_eur"], row["cost_per_transition"]
                )
        elif view.page == "funding" and table.key == "targets":
            start = Quarter.of(settings.project_start)
            for row in frame.iter_rows(named=True):
                if row["year"] != start.year:
                    continue
                period = ("c", min(Quarter(start.year, 4), Quarter.of(until)))
                if row["indicator"] in ("entries", "transitions"):
                    attacker.sees(row["indicator"], network, period, row["actual"])
                elif row["indicator"] in RATES:
                    attacker.sees_rate(row["indicator"], network, period, row["actual"])
        elif view.page == "funding" and table.key == "regions":
            names = dict(query(con, "SELECT name, ags FROM region").iter_rows())
            for row in frame.iter_rows(named=True):
                area = (names[row["name"]],) if row["name"] in names else network
                period = ("c", Quarter.of(until))
                for name in ("entries", "transitions"):
                    attacker.sees(name, area, period, row[name])
                for name in ("seamless_share", "into_tarif_share"):
                    attacker.sees_rate(name, area, period, row[name])
        elif view.page == "rollout" and table.key == "ranking":
            end = Quarter.of(case_period(con)[1])
            for row in frame.iter_rows(named=True):
                for name in ("entries", "transitions"):
                    if row["ags"] in attacker.kreise or row[name] not in (None, 0):
                        attacker.sees(name, (row["ags"],), ("a", end), row[name])


def role_views(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    """Every (filters, view) the role can produce: presets, every selection of the network's
    Kreise, every quarter from the project start to the data's end."""
    presets = [(p.key, p.label_de, p.ags) for p in region_presets(con, network_regions(con, settings))]
    kreise = network_regions(con, settings)
    for n in range(1, len(kreise) + 1):
        for chosen in itertools.combinations(kreise, n):
            presets.append(("custom", ", ".join(chosen), chosen))
    for builder, (key, label, ags), quarter in itertools.product(
        builders.values(), presets, quarters_between(settings.project_start, until)
    ):
        filters = ViewFilters(key, label, tuple(ags), quarter.label(), "de", True, until, role=role)
        yield filters, builder(con, settings, filters)


def whole_view_attacker(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    attacker = attacker_for(con, settings, until)
    selections = set()
    for filters, view in role_views(con, settings, until, role, builders):
        read_view(attacker, view, filters, con, settings)
        selections.add(tuple(sorted(set(filters.ags) & set(attacker.kreise))))
    return attacker, selections - {()}
