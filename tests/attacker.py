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

import contextlib
import dataclasses
import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import polars as pl

from analytics.db import now, query
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
    # the complements the shown rates imply (``case_pattern.SPLITS``)
    "no_wage_pair": (lambda k: _is(k, wage="none"),),
    "wage_not_good": (lambda k: _is(k, wage="not_good"),),
    "not_retained": (lambda k: k == "not_kept",),
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
        elif kind == "y":  # the quarter's year up to its end (from the project start)
            span = [q for q in self.quarters if self.project_start <= q <= quarter and q.year == quarter.year]
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
        if len(getattr(self, "_keys", ())) != len(self.index):
            self._keys = list(self.index)
        return sum(c * self.truth.get(self._keys[i], 0) for i, c in expr.items())

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

    def sees_between(self, expr: dict[int, float], low: float, high: float) -> None:
        """A count read to a shown precision: low ≤ expr ≤ high."""
        self.figures += 1
        self.inequalities.append((dict(expr), high))
        self.inequalities.append(({i: -c for i, c in expr.items()}, -low))

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
        from scipy.optimize import LinearConstraint

        n = len(self.index)
        cached = getattr(self, "_constraints", None)
        if cached is not None and cached[0] is self.equalities and cached[1] is self.inequalities:
            if cached[2] == (n, len(self.equalities), len(self.inequalities)):
                return self._solve(target, cached[3])
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
        # the same figures for every target: the matrices built once
        self._constraints = (
            self.equalities,
            self.inequalities,
            (n, len(self.equalities), len(self.inequalities)),
            constraints,
        )
        self._points = []  # integer solutions of these figures (witnesses for ``pinned``)
        return self._solve(target, constraints)

    def pinned(self, target: dict[int, float]) -> float | None:
        """The value the figures pin ``target`` to, None when it can take two values. Two
        integer solutions of the figures found for earlier targets that give ``target``
        different values prove it is not pinned without solving (exact, not a heuristic: both
        are solutions of the same system); else its least and largest value are solved for."""
        points = getattr(self, "_points", None)
        cached = getattr(self, "_constraints", None)
        if (
            points
            and cached is not None
            and cached[0] is self.equalities
            and cached[1] is self.inequalities
            and cached[2] == (len(self.index), len(self.equalities), len(self.inequalities))
        ):
            idx = np.fromiter(target.keys(), dtype=np.int64)
            coef = np.fromiter(target.values(), dtype=float)
            values = [float(p[idx] @ coef) for p in points]
            if max(values) - min(values) > 0.5:
                return None
        low, high = self.bounds(target)
        return low if low is not None and low == high else None

    def _solve(self, target: dict[int, float], constraints: list) -> tuple[float | None, float | None]:
        from scipy.optimize import Bounds, milp

        n = len(self.index)
        c = np.zeros(n)
        for i, k in target.items():
            c[i] = k
        out = []
        for sign in (1, -1):
            result = milp(sign * c, constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, np.inf))
            out.append(None if result.status != 0 else round(sign * result.fun, 6))
            if result.status == 0 and result.x is not None and hasattr(self, "_points"):
                self._points.append(np.round(result.x))
        return out[0], out[1]

    def pins(self, measure: str, ags, period) -> bool:
        return self.pinned(self.expr(measure, ags, period)) is not None

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
                elif label.isdigit():  # a later year: its quarters so far
                    period = ("y", min(Quarter(int(label), 4), Quarter.of(until)))
                else:
                    period = ("c", Quarter.of(until))
                for name in ("transitions", "seamless"):
                    attacker.sees(name, network, period, row[name])
                attacker.sees("not_seamless_transitions", network, period, row["not_seamless"])
                attacker.sees_money_per_transition(
                    network, period, row["spent_eur"], row["cost_per_transition"]
                )
        elif view.page == "funding" and table.key == "targets":
            # every year of the targets: the actual and the share reached (actual / target, the
            # target public, shown to 0.1 %), over the year's quarters so far
            for row, key in zip(
                frame.iter_rows(named=True), funding_targets_keys(frame, view.lang), strict=True
            ):
                year, indicator = key
                if Quarter(year, 1).start > until:
                    continue  # not begun: no actual
                period = ("y", min(Quarter(year, 4), Quarter.of(until)))
                target, reached = row["target"], row["reached"]
                if indicator in ("entries", "transitions"):
                    attacker.sees(indicator, network, period, row["actual"])
                    if reached is not None and target:
                        expr = attacker.expr(indicator, network, period)
                        attacker.sees_between(expr, (reached - 0.0005) * target, (reached + 0.0005) * target)
                elif indicator in RATES:
                    attacker.sees_rate(indicator, network, period, row["actual"])
                    if reached is not None and target:
                        attacker.sees_rate(indicator, network, period, reached * target, 0.0005 * target)
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
        elif view.page == "rollout" and table.key == "projection":
            read_projection(attacker, frame, filters, con, settings)


def funding_targets_keys(frame: pl.DataFrame, lang: str = "de") -> list[tuple[int, str]]:
    """(year, indicator key) of each row of Förderung's shown targets table (its year may
    read "2026 (laufend …)", its indicator is the label)."""
    from analytics.views.model import M

    keys = {M(f"funding.ind_{k}").text(lang): k for k in TARGET_INDICATORS}
    return [(int(str(y).split(" ")[0]), keys[i]) for y, i in frame.select("year", "indicator").iter_rows()]


# the indicators of Förderung's targets table (funding.targets_vs_actuals)
TARGET_INDICATORS = ("entries", "transitions", "seamless_rate", "retention_rate")
# how precisely the projection table shows a figure (analytics.excel NUMBER_FORMATS): a rate
# (unit ratio) to 0.01, a count to 1, hence ± half of that
RATIO_TOLERANCE, COUNT_TOLERANCE = 0.005, 0.5


def read_projection(attacker: Attacker, frame: pl.DataFrame, filters, con, settings) -> None:
    """The Rollout-Planer's projection (``rollout.projection``) as linear figures in the
    network regions' counts of all data: the pooled rate Σ count / Σ (years × base) over the
    regions with a base, the lowest and highest single-region rate bounding each region that
    gives one (its count shown, not 1–2), each to the shown precision; the expected counts
    are the rates × the candidate's base (shown to 1). The bases are public (BA SvB) or the
    shown cuts, the years (since a region's first entry) the attacker is given."""
    from analytics import rollout
    from analytics.views.rollout import options

    opts = options(filters, settings)
    basis, candidate = opts["basis"], opts["candidate"]
    protected = rollout.check_role(opts["role"]) or filters.protected
    reference = filters.data_until or now().date()  # the Drehscheibe's reference day, as the view's
    table, _ = rollout.indicator_frame(
        con, settings, opts["scope"], opts["distance"], "ministry" if protected else "agency", reference
    )
    rates = [r for r in rollout.region_rates(table, con, basis) if r.base and r.years > 0]
    if not rates:
        return
    end = Quarter.of(case_period(con)[1])
    row = table.filter(pl.col("ags") == candidate).row(0, named=True)
    base = (row["svb_sector"] / 1000 if row["svb_sector"] else None) if basis == "svb" else row["cuts"]
    values = frame.to_dicts()
    for name, rate_row, count_row in (("entries", 0, 1), ("transitions", 2, 3)):
        readings = [(values[rate_row], 1.0, RATIO_TOLERANCE)]
        if base:
            readings.append((values[count_row], float(base), COUNT_TOLERANCE))
        singles = [  # as ``rollout.projection`` picks them (the ranking shows which)
            r
            for r in rates
            if not protected
            or not (
                0 < getattr(r, name) < settings.disclosure_min_count
                or name in rollout.results_hidden(con, settings, [r.ags])
            )
        ]
        for shown, scale, tolerance in readings:
            if shown["expected"] is not None:  # pooled: Σ count = rate × Σ exposure
                exposure = sum(r.years * r.base for r in rates)
                expr = attacker.expr(name, [r.ags for r in rates], ("a", end))
                rate = shown["expected"] / scale
                attacker.sees_between(
                    expr, (rate - tolerance / scale) * exposure, (rate + tolerance / scale) * exposure
                )
            if shown["low"] is None or shown["high"] is None:
                continue
            low, high = shown["low"] / scale, shown["high"] / scale
            for r in singles:  # every single-region rate lies between the lowest and highest
                exposure = r.years * r.base
                attacker.sees_between(
                    attacker.expr(name, (r.ags,), ("a", end)),
                    (low - tolerance / scale) * exposure,
                    (high + tolerance / scale) * exposure,
                )


def projection_views(con, settings, until: date, role: str = "ministry"):
    """The Rollout-Planer with a projection: for each basis, the two Kreise with the largest
    shown base as the candidate. The rates are the same for every candidate; the expected
    counts are rate × the candidate's base shown to 1, so the largest bases read the rates
    most precisely (the page's other choices do not enter the projection)."""
    from analytics import rollout
    from analytics.views.rollout import rollout_view as build

    quarter = Quarter.of(until).label()
    network = tuple(network_regions(con, settings))
    shown_as = "ministry" if role != "agency" else "agency"
    # the SvB base depends on the automotive definition (core or extended), the cuts do not
    for basis, scope in (("svb", "core"), ("svb", "extended"), ("cuts", "extended")):
        frame, _ = rollout.indicator_frame(con, settings, scope, 50.0, shown_as, until)
        base = (pl.col("svb_sector") / 1000) if basis == "svb" else pl.col("cuts")
        ranked = frame.with_columns(base.alias("_base")).filter(pl.col("_base") > 0).sort("_base", "ags")
        for candidate in [None, *ranked["ags"].to_list()[-2:]]:
            options = (("basis", basis), ("candidate", candidate or frame["ags"][0]), ("scope", scope))
            filters = ViewFilters("network", "", network, quarter, "de", True, until, options, role=role)
            yield filters, build(con, settings, filters)


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


def every_view(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    """``role_views`` and, with the Rollout-Planer, its projections (``projection_views``)."""
    yield from role_views(con, settings, until, role, builders)
    if "rollout" in builders:
        yield from projection_views(con, settings, until, role)


def whole_view_attacker(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    attacker = attacker_for(con, settings, until)
    selections = set()
    for filters, view in every_view(con, settings, until, role, builders):
        read_view(attacker, view, filters, con, settings)
        selections.add(tuple(sorted(set(filters.ags) & set(attacker.kreise))))
    return attacker, selections - {()}


# -- Branchen & Übergänge: the attributes of each transition ---------------------------------
# The page shows a transition's attributes in four families, each a joint distribution per
# Kreis of the releasing firm × quarter of the job start:
#   sector  (releasing WZ division, receiving WZ division): the sector Sankeys, "in C";
#   tarif   (releasing WZ division, collective agreement): the tarif share per Sankey source;
#   region  (releasing WZ division, home Kreis, Kreis of the receiving firm): the arc map,
#           staying in the Kreis / the Land per Sankey source;
#   occupation (origin KldB, target KldB): the occupation Sankeys.
# No figure combines attributes of two families except through the releasing WZ division (the
# shares rows) and the persons' count, and tarif ties the page to the job kinds of the
# Übersicht unknowns (seamless × tarif × wage). The families form a tree over those shared
# attributes, so any families with equal shared margins come from one joint distribution of
# persons: the unknowns below are as strong as unknowns per full attribute combination.
FAMILIES = {
    "sector": ("releasing_wz", "receiving_wz"),
    "tarif": ("releasing_wz", "tarif"),
    "region": ("releasing_wz", "home_ags", "receiving_ags"),
    "occupation": ("origin_kldb", "target_kldb"),
}
SHARE_FAMILY = {"in_c": "sector", "into_tarif": "tarif", "same_kreis": "region", "same_land": "region"}


def _flow_transitions(con, settings, until: date) -> pl.DataFrame:
    from analytics.flows import transitions
    from analytics.kpi import case_summary

    cases = case_summary(con).select("case_id", "job_start")
    trans = transitions(con, date(1900, 1, 1), until, network_regions(con, settings))
    return trans.join(cases, on="case_id", how="left").with_columns(
        pl.col("receiving_tarif").fill_null(False).alias("tarif")
    )


class FlowsReader:
    """The flows page's figures as equations over unknowns per family × Kreis × quarter of the
    job start × attribute values. The values of each attribute are those that occur in the
    warehouse (the attacker is told that no other WZ division, KldB group or Kreis occurs:
    more than the pages show, so finding nothing with it is the stronger result)."""

    def __init__(self, attacker: Attacker, con, settings, until: date) -> None:
        self.attacker = attacker
        self.settings = settings
        trans = _flow_transitions(con, settings, until)
        self.domain = {
            f: sorted(set(trans[f].to_list()), key=repr)
            for f in {f for fields in FAMILIES.values() for f in fields}
        }
        self.cells = {
            family: list(itertools.product(*(self.domain[f] for f in fields)))
            for family, fields in FAMILIES.items()
        }
        automotive = settings.automotive
        self.core, self.supplier = set(automotive.core), set(automotive.supplier)
        sections = query(con, "SELECT code, parent FROM sector WHERE level = 'division'")
        self.section_of = dict(sections.iter_rows())
        self.lands = dict(query(con, "SELECT ags, land_code FROM region").iter_rows())
        index = attacker.index
        for family, cells in self.cells.items():
            for ags, quarter, values in itertools.product(attacker.kreise, attacker.quarters, cells):
                index[("flow", family, ags, quarter, values)] = len(index)
        for r in trans.iter_rows(named=True):
            for family, fields in FAMILIES.items():
                key = (
                    "flow",
                    family,
                    r["network_ags"],
                    Quarter.of(r["job_start"]),
                    tuple(r[f] for f in fields),
                )
                attacker.truth[key] = attacker.truth.get(key, 0) + 1
        # the ties: the same persons in every family and on Übersicht
        for ags, quarter in itertools.product(attacker.kreise, attacker.quarters):
            for wz in self.domain["releasing_wz"]:
                margins = [
                    self.expr((ags,), ("q", quarter), fam, lambda v, wz=wz: v[0] == wz)
                    for fam in ("sector", "tarif", "region")
                ]
                for other in margins[1:]:
                    self._tie(margins[0], other)
            occupation = self.expr((ags,), ("q", quarter), "occupation", lambda v: True)
            self._tie(occupation, self.expr((ags,), ("q", quarter), "sector", lambda v: True))
            for tarif in (True, False):
                jobs = {index[(ags, quarter, ("job", *k))]: 1.0 for k in JOB_KINDS if k[1] == tarif}
                self._tie(jobs, self.expr((ags,), ("q", quarter), "tarif", lambda v, t=tarif: v[1] == t))

    def _tie(self, a: dict, b: dict) -> None:
        row = dict(a)
        for i, c in b.items():
            row[i] = row.get(i, 0) - c
        self.attacker.equalities.append((row, 0.0))

    # -- expressions -----------------------------------------------------------------------
    def expr(self, ags, period, family: str, keep) -> dict[int, float]:
        kind, quarter = period
        quarters = self.attacker.quarters
        span = (
            [quarter] if kind == "q" else [q for q in quarters if self.attacker.project_start <= q <= quarter]
        )
        chosen = [v for v in self.cells[family] if keep(v)]
        index = self.attacker.index
        return {
            index[("flow", family, a, q, v)]: 1.0
            for a in ags
            if a in self.attacker.kreise
            for q in span
            if q in quarters
            for v in chosen
        }

    def source(self, wz, grouped: bool) -> str:
        """The Sankey source of a releasing WZ division (analytics.flows.source_key)."""
        group = "core" if wz in self.core else "supplier" if wz in self.supplier else "rest"
        return group if grouped else f"{group}/{wz if wz is not None else '?'}"

    def section(self, wz) -> str:
        return self.section_of.get(wz) or "?" if wz is not None else "?"

    def share(self, name: str):
        """A shares column's property, as a predicate on its family's values."""
        lands = self.lands
        return {
            "in_c": lambda v: self.section(v[1]) == "C",
            "into_tarif": lambda v: bool(v[1]),
            "same_kreis": lambda v: v[1] is not None and v[1] == v[2],
            "same_land": lambda v: lands.get(v[1]) is not None and lands.get(v[1]) == lands.get(v[2]),
        }[name]

    def _sees(self, expr, value) -> None:
        self.attacker.figures += 1
        self.attacker.equalities.append((expr, float(value)))

    def _sees_share(self, num, den, value, tolerance: float = 0.0005) -> None:
        self.attacker.figures += 1
        for sign, bound in ((1, value + tolerance), (-1, value - tolerance)):
            row = {i: sign * c for i, c in num.items()}
            for i, c in den.items():
                row[i] = row.get(i, 0) - sign * bound * c
            self.attacker.inequalities.append((row, 0.0))

    def _links(self, links: pl.DataFrame, family: str, ends, ags, period) -> None:
        """Protected links (source, target, persons; '_other' = übrige), ``ends(values)`` a
        family cell's (source, target): every source node drawn (a real one, or the pool of the
        sources not drawn) holds its drawn links exactly and the rest in its 'übrige' link (0
        without one); an empty diagram (too few persons) says nothing."""
        from analytics.flows import OTHER

        drawn = {(s, t): p for s, t, p in links.select("source", "target", "persons").iter_rows()}
        if not drawn:
            return
        real = {s for s, _ in drawn if s != OTHER}
        for node in [*sorted(real), OTHER]:
            in_node = (lambda s, n=node: s == n) if node != OTHER else (lambda s: s not in real)
            targets = {t for s, t in drawn if s == node and t != OTHER}
            for t in sorted(targets):
                keep = lambda v, f=in_node, t=t: f(ends(v)[0]) and ends(v)[1] == t  # noqa: E731
                self._sees(self.expr(ags, period, family, keep), drawn[(node, t)])
            rest = lambda v, f=in_node, ts=targets: f(ends(v)[0]) and ends(v)[1] not in ts  # noqa: E731
            self._sees(self.expr(ags, period, family, rest), drawn.get((node, OTHER), 0))

    # -- one setting of the page ---------------------------------------------------------------
    def read(self, con, filters, scope: str, grouped: bool, digits: int) -> None:
        """The figures of Branchen & Übergänge at one setting of its widgets, as the page's
        view builds them (analytics.flows.flow_view with the view's arguments)."""
        from analytics.flows import OTHER, flow_view
        from analytics.views.flows import flows_options

        # the setting as the view resolves it (a scope the role is not offered: the quarter)
        asked = dataclasses.replace(
            filters, options=(("digits", digits), ("grouped", grouped), ("scope", scope))
        )
        scope, grouped, digits = flows_options(asked)
        quarter = Quarter.parse(filters.quarter)
        end = min(quarter.end, filters.data_until or quarter.end)
        period = ("c", Quarter.of(end)) if scope == "cumulative" else ("q", quarter)
        start = self.settings.project_start if scope == "cumulative" else quarter.start
        if _withheld(con, self.settings, filters):  # a free union: nothing of it is shown
            return
        ags = list(filters.ags)
        view = flow_view(
            con,
            start,
            end,
            ags,
            self.settings,
            lang="de",
            grouped=grouped,
            kldb_digits=digits,
            protected=filters.protected,
        )
        area = tuple(a for a in ags if a in self.attacker.kreise)
        if view.transitions is not None:
            self._sees(self.expr(area, period, "sector", lambda v: True), view.transitions)
        detail = not grouped
        division = view.sector_level == "division"

        def sector_ends(v):
            return self.source(v[0], not detail), (
                v[1] if v[1] is not None else "?"
            ) if division else self.section(v[1])

        self._links(view.sector_links, "sector", sector_ends, area, period)
        d = view.kldb_digits

        def kldb_ends(v):
            return (v[0][:d] if v[0] else "?"), (v[1][:d] if v[1] else "?")

        self._links(view.occupation_links, "occupation", kldb_ends, area, period)
        self._links(view.region_links, "region", lambda v: (v[1], v[2]), area, period)
        # the shares table: a row per Sankey source (as in this setting's division Sankey),
        # the rest of the sources, the selection and the network
        network = tuple(network_regions(con, self.settings))
        rows = view.shares
        sources = {r for r, k in rows.select("row", "kind").iter_rows() if k == "part" and r != OTHER}
        for row in rows.iter_rows(named=True):
            where = network if row["kind"] == "network" else area
            if row["kind"] in ("network", "total"):
                in_row = lambda wz: True  # noqa: E731
            elif row["row"] == OTHER:
                in_row = lambda wz: self.source(wz, grouped) not in sources  # noqa: E731
            else:
                in_row = lambda wz, s=row["row"]: self.source(wz, grouped) == s  # noqa: E731
            if row["transitions"] is not None:
                self._sees(
                    self.expr(where, period, "sector", lambda v, f=in_row: f(v[0])), row["transitions"]
                )
            for m, family in SHARE_FAMILY.items():
                value = row.get(f"{m}_share")
                if value is None:
                    continue
                p = self.share(m)
                num = self.expr(where, period, family, lambda v, f=in_row, p=p: f(v[0]) and p(v))
                den = self.expr(where, period, family, lambda v, f=in_row: f(v[0]))
                self._sees_share(num, den, value)

    # -- what must stay open --------------------------------------------------------------
    def targets(self, selections):
        """(name, area, period, expression) of every attribute count the page may withhold:
        per Kreis, selection and rest (``rests``), quarter and since start — each shares
        property and its complement, each link of the finest sector Sankey, of the arc map
        and of the KldB 3-digit Sankey."""
        starts = [q for q in self.attacker.quarters if q >= self.attacker.project_start]
        periods = [("q", q) for q in starts] + [("c", q) for q in starts]
        areas = {(a,) for a in self.attacker.kreise} | {tuple(sorted(s)) for s in selections}
        areas |= rests(selections)
        predicates = []
        for m, family in SHARE_FAMILY.items():
            p = self.share(m)
            predicates += [(m, family, p), (f"not_{m}", family, lambda v, p=p: not p(v))]
        for family, pick in (
            ("sector", lambda v: (self.source(v[0], False), v[1])),
            ("region", lambda v: (v[1], v[2])),
            ("occupation", lambda v: (v[0], v[1])),
        ):
            for key in sorted({pick(v) for v in self.cells[family]}, key=repr):
                predicates.append((f"{family}:{key}", family, lambda v, pick=pick, key=key: pick(v) == key))
        for area, period, (name, family, p) in itertools.product(sorted(areas), periods, predicates):
            yield name, area, period, self.expr(area, period, family, p)


def rests(selections) -> set[tuple[str, ...]]:
    """Each selection minus a smaller one inside it, where that leaves more than one Kreis
    (the network minus Hildesheim = Goslar + Peine): no page shows it, but subtraction does."""
    sets = [frozenset(s) for s in selections]
    return {tuple(sorted(a - b)) for a in sets for b in sets if b < a and len(a - b) > 1}


def _withheld(con, settings, filters) -> bool:
    from analytics.kpi import selection_withheld

    return selection_withheld(con, settings, list(filters.ags), filters.protected)


FLOW_SETTINGS = tuple(itertools.product(("cumulative", "quarter"), (True, False), (3, 2)))


def flow_disclosures(attacker: Attacker, reader: FlowsReader, selections) -> list[tuple]:
    """Every attribute count of 1 or 2 persons the figures pin."""
    found, seen = [], set()
    for name, area, period, expr in reader.targets(selections):
        key = tuple(sorted(expr.items()))
        if key in seen:
            continue
        seen.add(key)
        if not 0 < attacker.value(expr) < 3:
            continue
        if (low := attacker.pinned(expr)) is not None:
            found.append((name, area, period[0], period[1].label(), low))
    return found


def read_flows(reader: FlowsReader, con, settings, until: date, role: str = "ministry") -> None:
    """Every setting of Branchen & Übergänge (scope, group toggle, KldB digits) for every
    selection and quarter the role can open."""
    for filters, _ in role_views(con, settings, until, role, {"flows": lambda *a: None}):
        for scope, grouped, digits in FLOW_SETTINGS:
            reader.read(con, filters, scope, grouped, digits)


def whole_view_with_flows(con, settings, until: date, role: str = "ministry", builders=BUILDERS):
    """The whole view of the role (every page of ``builders``) plus Branchen & Übergänge."""
    attacker = attacker_for(con, settings, until)
    reader = FlowsReader(attacker, con, settings, until)
    selections = set()
    for filters, view in every_view(con, settings, until, role, builders):
        read_view(attacker, view, filters, con, settings)
        selections.add(tuple(sorted(set(filters.ags) & set(attacker.kreise))))
    read_flows(reader, con, settings, until, role)
    return attacker, reader, selections - {()}


def inconsistent(attacker: Attacker) -> list:
    """The figures read that the true counts do not satisfy (a misread view: must be none)."""
    value = attacker.value
    bad = [(row, v) for row, v in attacker.equalities if abs(value(row) - v) > 1e-6]
    bad += [(row, v) for row, v in attacker.inequalities if value(row) > v + 1e-6]
    return bad


# -- Arbeitsmarktdrehscheibe: the announcements ------------------------------------------------
# The page shows firms' announcements (cuts in the selection, needs in reach), not case data:
# its unknowns are the persons per side × Kreis of the firm × KldB 3-digit group × month of
# effect (× horizon band for cuts: the bands split the months at the horizons' ends). The
# Kreise, groups, months and bands that occur in the warehouse are told to the attacker (more
# than the page tells, so finding nothing is the stronger result).
EXCHANGE_HORIZONS = ("3", "6", "12", "past")
EXCHANGE_RULES = (  # covered persons only bound the cuts from below: the defaults and the widest rules
    {},
    {"related_weight": 1.0, "switch_weight": 1.0, "min_switches": 1, "max_level_drop": 3},
)


EXCHANGE_BANDS = {"3": ("b03",), "6": ("b03", "b36"), "12": ("b03", "b36", "b612"), "past": ("past",)}
REST = ("beyond", "no_kldb")  # per Kreis: cuts beyond 12 months, cuts without an occupation


def _band(day: date, reference: date) -> str:
    """The bands the page's horizons cut the effective dates into (``horizon_window``)."""
    from analytics.exchange import horizon_window

    if day <= reference:
        return "past"
    for name, horizon in (("b03", "3"), ("b36", "6"), ("b612", "12")):
        if day <= horizon_window(reference, horizon)[1]:
            return name
    return "beyond"


class ExchangeReader:
    """The Drehscheibe's figures as equations over announcement unknowns: counts of persons
    (totals, groups, Kreis × group, months) as equations, an empty row as zeros, a listed row
    as at least one person, a firm count as a lower bound of its persons, covered persons as a
    lower bound of the cuts, a group's first date as no cut before its month and one in it,
    and "*" as at least one person (the pattern never withholds a 0)."""

    def __init__(self, con, settings, reference: date) -> None:
        from analytics import exchange as ex

        self.settings = settings
        self.reference = reference
        self.attacker = Attacker((), (), Quarter.of(settings.project_start), {})
        frame = ex.announcements(con)
        self.names = dict(query(con, "SELECT name, ags FROM region").iter_rows())
        self.distances = ex.kreis_distances(con)
        self.adjacency = ex.kreis_adjacency(con)
        self.band = lambda day: _band(day, reference)
        rows = [
            (
                r["kind"],
                r["ags"],
                r["kldb"][:3],
                date(r["effective_date"].year, r["effective_date"].month, 1),
                self.band(r["effective_date"]) if r["kind"] == "cut" else "",
                int(r["count"]),
            )
            for r in frame.iter_rows(named=True)
        ]
        self.pairs = {side: sorted({(a, g) for s, a, g, *_ in rows if s == side}) for side in ("cut", "need")}
        self.spans = {
            side: sorted({(m, b) for s, _, _, m, b, _ in rows if s == side and b != "beyond"})
            for side in ("cut", "need")
        }
        index = self.attacker.index
        for side in ("cut", "need"):
            for (a, g), (m, b) in itertools.product(self.pairs[side], self.spans[side]):
                index[("ann", side, a, g, m, b)] = len(index)
        for s, a, g, m, b, n in rows:
            if b != "beyond":
                key = ("ann", s, a, g, m, b)
                self.attacker.truth[key] = self.attacker.truth.get(key, 0) + n
        # the Rollout-Planer's open cuts per Kreis (all dates, with or without an occupation)
        # add what the Drehscheibe never shows: per Kreis the cuts beyond 12 months and those
        # without an occupation
        every = ex.announcements(con, with_kldb=False).filter(pl.col("kind") == "cut")
        self.rest_kreise = sorted(set(every["ags"]))
        for a, rest in itertools.product(self.rest_kreise, REST):
            index[("ann", "cut", a, rest)] = len(index)
        for r in every.iter_rows(named=True):
            rest = "no_kldb" if r["kldb"] is None else self.band(r["effective_date"])
            if rest in REST:
                key = ("ann", "cut", r["ags"], rest)
                self.attacker.truth[key] = self.attacker.truth.get(key, 0) + int(r["count"])
        self.rows: dict = {}  # unique equalities
        self.bounds_: dict = {}  # unique inequalities
        self.hidden: dict = {}  # name -> expression of every figure shown "*"
        self.read_keys: set = set()
        self.views = 0
        self._near: dict = {}  # (selection, reach, km) -> Kreise in reach

    # -- expressions -----------------------------------------------------------------------
    def expr(self, side: str, kreise, horizon: str | None = None, group=None, month=None, before=None):
        bands = EXCHANGE_BANDS[horizon] if side == "cut" else ("",)
        kreise = set(kreise)
        index = self.attacker.index
        return {
            index[("ann", side, a, g, m, b)]: 1.0
            for (a, g) in self.pairs[side]
            if a in kreise and (group is None or g == group)
            for (m, b) in self.spans[side]
            if b in bands and (month is None or m == month) and (before is None or m < before)
        }

    def _eq(self, expr: dict, value: float) -> None:
        self.attacker.figures += 1
        self.rows[tuple(sorted(expr.items()))] = float(value)

    def _at_least(self, expr: dict, value: float) -> None:
        self.attacker.figures += 1
        key = tuple(sorted((i, -c) for i, c in expr.items()))
        self.bounds_[key] = min(self.bounds_.get(key, 0.0), -float(value))

    def _count(self, name: tuple, expr: dict, value, firms=None) -> None:
        """A shown count (equation, firms a lower bound), or "*" (at least 1, a target)."""
        if value is None:
            if expr:
                self.hidden[name] = expr
                self._at_least(expr, 1)
            return
        self._eq(expr, value)
        if firms is not None:
            self._at_least(expr, firms)

    # -- one setting of the page -----------------------------------------------------------
    def read(self, con, filters, horizon: str, reach: str, km: float, rules: dict) -> None:
        from analytics import exchange as ex
        from analytics.views.exchange import exchange_view, reach_of

        options = {"horizon": horizon, "reach": reach, "max_km": km, **rules}
        filters = ViewFilters(
            filters.region_key,
            filters.region_label,
            filters.ags,
            filters.quarter,
            "de",
            filters.protected,
            filters.data_until,
            tuple(sorted(options.items())),
            role=filters.role,
        )
        area = tuple(sorted(filters.ags))
        if (area, reach, km) not in self._near:
            match = ex.MatchRules(max_km=km, reach=reach)
            self._near[(area, reach, km)] = tuple(
                reach_of(ex.in_reach(self.distances, match, self.adjacency), list(area))
            )
        where = self._near[(area, reach, km)]
        # the figures follow from the Kreise with cuts in the selection, the Kreise in reach,
        # the horizon and the rules: a setting equal in these shows the same
        cutting = {a for a, _ in self.pairs["cut"]}
        key = (
            tuple(a for a in area if a in cutting),
            where,
            horizon,
            reach,
            km,
            tuple(sorted(rules.items())),
        )
        if key in self.read_keys:
            return
        self.read_keys.add(key)
        self.views += 1
        view = exchange_view(con, self.settings, filters)
        groups = {g for side in ("cut", "need") for _, g in self.pairs[side]}
        total = view.table("groups")  # the metrics: the totals
        metrics = {m.key: m for m in view.metrics()}
        value = {k: (None if m.suppressed else m.value) for k, m in metrics.items()}
        self._count(("cut", area, horizon), self.expr("cut", area, horizon), value["cut"], value["cut_firms"])
        self._count(("need", where), self.expr("need", where), value["need"])
        if value["covered"] is not None:
            self._at_least(self.expr("cut", area, horizon), value["covered"])
        frame = total.frame
        listed = set(frame["group"].to_list())
        for row in frame.iter_rows(named=True):
            g = row["group"]
            cut, need = self.expr("cut", area, horizon, g), self.expr("need", where, group=g)
            self._count(("cut", area, horizon, g), cut, row["cut"], row["cut_firms"])
            self._count(("need", where, g), need, row["need"], row["need_firms"])
            self._at_least({**cut, **need}, 1)  # a listed row holds someone
            if row.get("covered") is not None:
                self._at_least(cut, row["covered"])
            if row.get("first_date") is not None:
                first = row["first_date"]
                month = date(first.year, first.month, 1)
                self._eq(self.expr("cut", area, horizon, g, before=month), 0)
                self._at_least(self.expr("cut", area, horizon, g, month=month), 1)
        for g in groups - listed:
            self._eq(self.expr("cut", area, horizon, g), 0)
            self._eq(self.expr("need", where, group=g), 0)
        kreise = view.table("kreise").frame
        listed = set()
        for row in kreise.iter_rows(named=True):
            a, g = self.names[row["kreis"]], row["group"]
            listed.add((a, g))
            cut = self.expr("cut", (a,) if a in area else (), horizon, g)
            need = self.expr("need", (a,) if a in where else (), group=g)
            self._count(("cut", (a,), horizon, g), cut, row["cut"], row["cut_firms"])
            self._count(("need", (a,), g), need, row["need"], row["need_firms"])
            self._at_least({**cut, **need}, 1)
        for a, g in set(self.pairs["cut"]) | set(self.pairs["need"]):
            if (a in area or a in where) and (a, g) not in listed:
                self._eq(self.expr("cut", (a,) if a in area else (), horizon, g), 0)
                self._eq(self.expr("need", (a,) if a in where else (), group=g), 0)
        months = view.table("timeline").frame
        listed = set()
        for row in months.iter_rows(named=True):
            m = row["month"]
            listed.add(m)
            cut, need = self.expr("cut", area, horizon, month=m), self.expr("need", where, month=m)
            self._count(("cut", area, horizon, m), cut, row["cut"], row["cut_firms"])
            self._count(("need", where, m), need, row["need"], row["need_firms"])
            self._at_least({**cut, **need}, 1)
        for m in {m for side in ("cut", "need") for m, _ in self.spans[side]} - listed:
            self._eq(self.expr("cut", area, horizon, month=m), 0)
            self._eq(self.expr("need", where, month=m), 0)

    def open_cuts(self, ags: str) -> dict:
        """A Kreis's open cuts, all dates, with or without an occupation: every horizon band
        and "in effect", the cuts beyond 12 months and those without an occupation."""
        index = self.attacker.index
        out = {**self.expr("cut", (ags,), "12"), **self.expr("cut", (ags,), "past")}
        for rest in REST:
            if ("ann", "cut", ags, rest) in index:
                out[index[("ann", "cut", ags, rest)]] = 1.0
        return out

    def read_rollout(self, con, filters) -> None:
        """The Rollout-Planer's "Angekündigter Stellenabbau" of every Kreis (its ranking; the
        profile card and the comparison show the same values): a count as Σ bands + beyond +
        without an occupation, "*" as at least one person, an empty value as no open cut."""
        view = rollout_view(con, self.settings, filters)
        flag = flag_column("cuts")
        for row in view.table("ranking").frame.iter_rows(named=True):
            expr = self.open_cuts(row["ags"])
            if row.get(flag):
                self._count(("rollout_cut", (row["ags"],)), expr, None)
            elif expr:
                self._eq(expr, row["cuts"] or 0.0)

    def settle(self) -> Attacker:
        """The attacker with every figure read (each equation and bound once)."""
        a = self.attacker
        a.equalities = [(dict(k), v) for k, v in self.rows.items() if k]
        a.inequalities = [(dict(k), v) for k, v in self.bounds_.items() if k]
        return a

    def disclosures(self) -> list[tuple]:
        """Every figure shown "*" of 1 or 2 persons that the figures pin."""
        attacker, found, seen = self.settle(), [], set()
        for name, expr in sorted(self.hidden.items(), key=repr):
            key = tuple(sorted(expr.items()))
            if key in seen or not 0 < attacker.value(expr) < 3:
                continue
            seen.add(key)
            if (low := attacker.pinned(expr)) is not None:
                found.append((*name, low))
        return found


def exchange_settings(con, distances, ags) -> list[tuple[str, float]]:
    """(reach, km) of every reach the page offers, one per distinct set of Kreise in reach of
    ``ags`` (settings with the same Kreise in reach show the same counts)."""
    from analytics import exchange as ex
    from analytics.views.exchange import KM_RANGE, reach_of

    low, high, step = KM_RANGE
    out, seen = [("adjacent", 50.0)], set()
    for km in range(low, high + 1, step):
        near = tuple(reach_of(ex.in_reach(distances, ex.MatchRules(max_km=float(km))), list(ags)))
        if near not in seen:
            seen.add(near)
            out.append(("distance", float(km)))
    return out


def exchange_selections(con, settings, pairs: bool = True) -> list[tuple[str, str, tuple[str, ...]]]:
    """The presets, every Kreis with announcements, every pair of them and every selection of
    the network's Kreise (a sum is shown only where each Kreis's cells are: larger unions of
    Kreise with announcements add no figure of their own)."""
    from analytics import exchange as ex

    presets = [(p.key, p.label_de, p.ags) for p in region_presets(con, network_regions(con, settings))]
    kreise = sorted(set(ex.announcements(con)["ags"]))
    network = network_regions(con, settings)
    chosen = {
        tuple(sorted(c)) for n in ((1, 2) if pairs else (1,)) for c in itertools.combinations(kreise, n)
    }
    chosen |= {
        tuple(sorted(c)) for n in range(1, len(network) + 1) for c in itertools.combinations(network, n)
    }
    return presets + [("custom", ", ".join(c), c) for c in sorted(chosen)]


# the queries of the Drehscheibe's view that no setting of the page changes
MEMOISED = ("announcements", "kreis_distances", "kreis_adjacency", "observed_switches", "regional_context")


def _memoised(fn, con):
    """``fn(con, ...)`` answered once per argument values for calls on ``con``: the warehouse
    does not change while the attacker reads it (other connections are passed through)."""
    cache: dict = {}

    @functools.wraps(fn)
    def cached(c, *args, **kwargs):
        if c is not con:
            return fn(c, *args, **kwargs)
        key = (repr(args), repr(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = fn(c, *args, **kwargs)
        return cache[key]

    return cached


@contextlib.contextmanager
def exchange_memo(con, settings):
    """The Drehscheibe's view with its queries that no setting changes answered once per
    connection (announcements, distances, adjacency, observed switches, region names,
    occupation titles, the BA context per selection, the data status, the pattern per
    reference day), and its timeline chart not drawn (it draws the timeline table's figures):
    the same figures, built faster for the attacker's run."""
    from unittest import mock

    import plotly.graph_objects as go

    from analytics import db
    from analytics import exchange as ex
    from analytics.exchange_pattern import exchange_pattern
    from analytics.views import exchange as view

    patterns: dict = {}

    def pattern(c, s, reference):
        if c is not con or s is not settings:
            return exchange_pattern(c, s, reference)
        if reference not in patterns:
            patterns[reference] = exchange_pattern(c, s, reference)
        return patterns[reference]

    with contextlib.ExitStack() as stack:
        for module, names in ((ex, MEMOISED), (db, ("query", "data_status"))):
            for name in names:
                stack.enter_context(mock.patch.object(module, name, _memoised(getattr(module, name), con)))
        stack.enter_context(mock.patch.object(view, "exchange_pattern", pattern))
        empty = go.Figure()
        stack.enter_context(mock.patch.object(view, "_timeline", lambda *a: empty))
        yield


def read_exchange(con, settings, reference: date, role: str = "ministry", selections=None) -> ExchangeReader:
    """Every setting of the Drehscheibe (horizon, reach, the widest and the default matching
    rules) for every selection (``exchange_selections``) the role can open; the quarter does
    not enter the page (its reference day is the data's last day). Then the Rollout-Planer's
    open cuts per Kreis (``read_rollout``)."""
    reader = ExchangeReader(con, settings, reference)
    quarter = Quarter.of(reference).label()
    selections = selections or exchange_selections(con, settings)
    with exchange_memo(con, settings):
        for key, label, ags in selections:
            filters = ViewFilters(key, label, tuple(ags), quarter, "de", True, reference, role=role)
            for reach, km in exchange_settings(con, reader.distances, ags):
                for horizon, rules in itertools.product(EXCHANGE_HORIZONS, EXCHANGE_RULES):
                    reader.read(con, filters, horizon, reach, km, rules)
    # the Rollout-Planer's column of open cuts per Kreis: the same for every selection and
    # option of its page (``rollout.indicator_frame`` reads neither), so read once
    key, label, ags = selections[0]
    reader.read_rollout(con, ViewFilters(key, label, tuple(ags), quarter, "de", True, reference, role=role))
    return reader
