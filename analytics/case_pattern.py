"""One suppression pattern for every case-data figure a role below agency can see (issue #12).

Suppressing each table on its own is not enough once views can be combined: a region minus
another, a quarter's sum minus another quarter, a stock's change minus its entries. So the
case data are published only as cells of one fixed cube, and the cells to withhold are chosen
for the whole cube at once:

- **regions**: a fixed hierarchy of *nodes* — every Kreis with cases (Kreis of the releasing
  firm), every Agentur für Arbeit, the network, every Land, both Länder. A node is the set of
  Kreise with cases it holds, so nodes holding the same cases are one cell (Agentur
  Braunschweig-Goslar = Goslar when only Goslar has cases). A selection that is no node (a free
  union such as Goslar + Peine) gets no case figures at all (``CasePattern.node`` → None).
  The *rests* — a node minus a smaller node inside it (the network minus Hildesheim), where
  that is no node — are never shown, but subtraction gives them: their cells of
  1..min_count−1 persons are cube cells too (``add_small_rests``), withheld and protected.
- **periods**: quarters, calendar years, and "since project start" up to each quarter's end.
- **measures**: the counts every KPI rests on, with the complements a shown rate implies
  (``SPLITS``: closed = transitions + exits, transitions = seamless + not seamless, …), and the
  stock of active cases.

The relations an attacker knows are declared once (``relations``): each split, every node as
the sum of its Kreise (and of any smaller node plus the rest), every year and every "since
start" value as the sum of its quarters, and the stock identity active(q) = active(q−1) +
entries(q) − closed(q). Primary suppression hides counts of 1..min_count−1; the cover cells
are chosen by an integer program of least cost over the whole cube (``cover_by_cost``: no
relation with exactly one hidden cell, small and complementary cells cheap, the headline
counts of the network and the model region dear, ``cell_weights``); then an audit solves the
integer programs an attacker would (min and max of every hidden small cell under all shown
cells and relations, ``scipy.optimize.milp``) and, for a cell still pinned, adds a cut and
solves again, until none is. When the program hits its time limit the greedy choice
(``greedy_hidden``) is the fallback. Derived figures (rates, medians, changes, money per
person) are shown only where every count they rest on is shown (``kpi.KPI_BASIS``).

The pattern depends on the case data only; it is computed once per content fingerprint of the
case data and cached, so every page, toggle, export and the report pack read the same one. The
publish computes it with a longer time limit and stores it in the warehouse (``store_pattern``:
tables ``disclosure_pattern`` and ``disclosure_pattern_cell``); ``case_pattern`` reads it there
when its fingerprint is the one of the current data and settings, else computes it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import polars as pl

from analytics.db import query
from analytics.periods import Quarter

log = logging.getLogger(__name__)

# additive counts per case, each dated by one of the case's dates (the quarter it falls in)
FLOWS = (
    "entries",
    "transitions",
    "seamless",
    "not_seamless_transitions",
    "exits",
    "closed",
    "not_seamless",
    "into_tarif",
    "not_tarif",
    "wage_pairs",
    "no_wage_pair",
    "wage_good",
    "wage_not_good",
    "retention_checks",
    "retained",
    "not_retained",
)
STOCK = "active_end"
MEASURES = (*FLOWS, STOCK)
# total = part + part: the complement of every shown share is as public as the share
SPLITS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("closed", ("transitions", "exits")),
    ("closed", ("seamless", "not_seamless")),
    ("transitions", ("seamless", "not_seamless_transitions")),
    ("not_seamless", ("not_seamless_transitions", "exits")),
    ("transitions", ("into_tarif", "not_tarif")),
    ("transitions", ("wage_pairs", "no_wage_pair")),
    ("wage_pairs", ("wage_good", "wage_not_good")),
    ("retention_checks", ("retained", "not_retained")),
)

Node = tuple[str, ...]  # sorted Kreise with cases
# ("q", "2026-Q3") | ("y", "2026") | ("c", "2026-Q3"): since project start up to the quarter's
# end | ("a", last quarter): all data, also from before the project start
Period = tuple[str, str]
Cell = tuple[Node, Period, str]
Relation = tuple[tuple[Cell, int], ...]  # Σ coefficient × value = 0


def q_key(quarter: Quarter) -> str:
    return f"{quarter.year}-Q{quarter.q}"


def quarter_of(key: str) -> Quarter:
    return Quarter.parse(key)


CASE_ROWS_SQL = """
SELECT network_ags AS ags, entry_date, job_start, closed_date, coalesce(seamless, false) AS seamless,
       coalesce(receiving_tarif, false) AS tarif, wage_ratio, retention_date,
       coalesce(retained, false) AS retained
FROM case_summary
"""


def case_rows(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    from analytics.kpi import with_case_summary

    return query(con, with_case_summary("WITH x AS (SELECT 1) " + CASE_ROWS_SQL))


def hierarchy(con: duckdb.DuckDBPyConnection, case_kreise: Sequence[str]) -> dict[str, Node]:
    """The nodes of the fixed region hierarchy, by name (``kreis:AGS``, ``agentur:NAME``,
    ``network``, ``land:CODE``, ``all``), each as the Kreise with cases it holds; empty ones
    left out."""
    table = query(con, "SELECT ags, land_code, agentur FROM region ORDER BY ags")
    cases = set(case_kreise)
    named: dict[str, Node] = {f"kreis:{a}": (a,) for a in sorted(cases)}
    for agentur in sorted(set(table["agentur"].drop_nulls())):
        named[f"agentur:{agentur}"] = tuple(
            sorted(cases & set(table.filter(pl.col("agentur") == agentur)["ags"]))
        )
    named["network"] = tuple(sorted(cases))
    for land in sorted(set(table["land_code"].drop_nulls())):
        named[f"land:{land}"] = tuple(sorted(cases & set(table.filter(pl.col("land_code") == land)["ags"])))
    named["all"] = tuple(sorted(cases))
    return {name: node for name, node in named.items() if node}


def rest_nodes(nodes: dict[str, Node]) -> dict[Node, list[tuple[Node, Node]]]:
    """The *rests* an attacker can form from two nodes: a node minus a smaller node inside it
    (the network minus Hildesheim = Goslar + Peine), wherever that set of Kreise holds more
    than one Kreis and is no node itself; each with the (node, smaller node) pairs that give
    it. No page shows a rest, but its counts follow from the two nodes' shown counts."""
    distinct = sorted(set(nodes.values()), key=lambda n: (len(n), n))
    sets = {node: frozenset(node) for node in distinct}
    known = set(distinct)
    out: dict[Node, list[tuple[Node, Node]]] = {}
    for node in distinct:
        for smaller in distinct:
            if len(smaller) < len(node) - 1 and sets[smaller] < sets[node]:
                rest = tuple(a for a in node if a not in sets[smaller])
                if rest not in known:
                    out.setdefault(rest, []).append((node, smaller))
    return out


def add_small_rests(
    values: dict[Cell, int], relations: list[Relation], nodes: dict[str, Node], min_count: int
) -> set[Cell]:
    """Add to the cube every cell of a rest (``rest_nodes``) of 1..min_count−1 persons, with
    its relations node = smaller node + rest (for every pair that gives it) and rest = its
    Kreise; returns the cells added. They are primary, so withheld, and the audit protects
    them like any small cell. A rest's other cells are left out: every relation of a rest is
    a sum of its Kreise' relations, so they tell an attacker nothing more."""
    added: set[Cell] = set()
    by_node: dict[Node, list[tuple[Period, str]]] = {}
    for owner, period, measure in values:
        by_node.setdefault(owner, []).append((period, measure))
    for rest, pairs in rest_nodes(nodes).items():
        node, smaller = pairs[0]
        for period, measure in by_node.get(node, ()):
            value = values[(node, period, measure)] - values[(smaller, period, measure)]
            if not 0 < value < min_count:
                continue
            cell = (rest, period, measure)
            values[cell] = value
            added.add(cell)
            for whole, part in pairs:
                relations.append((((whole, period, measure), -1), ((part, period, measure), 1), (cell, 1)))
            relations.append(((cell, -1), *((((a,), period, measure), 1) for a in rest)))
    return added


def atoms(rows: pl.DataFrame, good: float) -> dict[tuple[str, str, str], int]:
    """Counts per (Kreis, quarter key, flow measure) from the case rows."""
    out: dict[tuple[str, str, str], int] = {}

    def add(ags: str, day: date | None, measure: str) -> None:
        if day is None:
            return
        key = (ags, q_key(Quarter.of(day)), measure)
        out[key] = out.get(key, 0) + 1

    for r in rows.iter_rows(named=True):
        ags, job = r["ags"], r["job_start"]
        add(ags, r["entry_date"], "entries")
        if r["closed_date"] is not None:
            add(ags, r["closed_date"], "closed")
            if job is None:
                add(ags, r["closed_date"], "exits")
                add(ags, r["closed_date"], "not_seamless")
        if job is not None:
            add(ags, job, "transitions")
            add(ags, job, "seamless" if r["seamless"] else "not_seamless_transitions")
            if not r["seamless"]:
                add(ags, job, "not_seamless")
            add(ags, job, "into_tarif" if r["tarif"] else "not_tarif")
            if r["wage_ratio"] is None:
                add(ags, job, "no_wage_pair")
            else:
                add(ags, job, "wage_pairs")
                add(ags, job, "wage_good" if r["wage_ratio"] >= good else "wage_not_good")
        if r["retention_date"] is not None:
            add(ags, r["retention_date"], "retention_checks")
            add(ags, r["retention_date"], "retained" if r["retained"] else "not_retained")
    return out


@dataclass
class CasePattern:
    """The cube of case-data counts with the cells withheld from every role below agency."""

    nodes: dict[str, Node]
    quarters: tuple[str, ...]  # quarter keys from the first case quarter to the last
    project_start: str  # quarter key
    values: dict[Cell, int]
    hidden: frozenset[Cell]
    relations: tuple[Relation, ...] = field(repr=False, default=())
    # how ``hidden`` was chosen: "cost" (the program), "greedy" (its fallback), "stored" (read
    # from the warehouse, chosen at publish), "none" (no case dates)
    method: str = "cost"

    # -- looking cells up -------------------------------------------------------------
    @property
    def case_kreise(self) -> set[str]:
        return set(self.nodes.get("network", ()))

    def node(self, ags: Iterable[str]) -> Node | None:
        """The hierarchy node a selection of Kreise shows for the case data: its Kreise with
        cases; () when it holds none (all figures 0); None when that set is no node of the
        hierarchy (a free union of Kreise: no case figures are shown for it)."""
        key = tuple(sorted(set(ags) & self.case_kreise))
        if not key:
            return ()
        return key if key in set(self.nodes.values()) else None

    def cell(self, node: Node, period: Period, measure: str) -> Cell | None:
        """The cube cell of a figure, None when the figure is 0 for certain (no cases in the
        selection, a quarter before the first case); stocks and "since start" values after the
        last case quarter are those of the last quarter."""
        if not node or not self.quarters:
            return None
        kind, key = period
        if kind == "y" and quarter_of(self.project_start) == Quarter(int(key), 1):
            kind, key = "c", f"{key}-Q4"  # the first year is "since start" up to its end
        if kind == "a":  # all data: since start unless there are cases from before it
            if measure == STOCK or (node, ("a", self.quarters[-1]), measure) not in self.values:
                kind, key = "c", self.quarters[-1]
            else:
                return (node, ("a", self.quarters[-1]), measure)
        if kind in ("q", "c"):
            first, last = quarter_of(self.quarters[0]), quarter_of(self.quarters[-1])
            quarter = quarter_of(key)
            if measure == STOCK:
                kind = "q"
                if quarter < first:
                    return None
                quarter = min(quarter, last)
            elif kind == "q" and not first <= quarter <= last:
                return None
            elif kind == "c":
                if quarter < quarter_of(self.project_start) or quarter < first:
                    return None
                quarter = min(quarter, last)
            key = q_key(quarter)
        return (node, (kind, key), measure) if (node, (kind, key), measure) in self.values else None

    def value(self, node: Node, period: Period, measure: str) -> int:
        cell = self.cell(node, period, measure)
        return 0 if cell is None else self.values[cell]

    def is_hidden(self, node: Node | None, period: Period, measure: str) -> bool:
        if node is None:
            return True
        cell = self.cell(node, period, measure)
        return cell is not None and cell in self.hidden

    def any_hidden(self, node: Node | None, period: Period, measures: Iterable[str]) -> bool:
        return any(self.is_hidden(node, period, m) for m in measures)


# -- building the cube ---------------------------------------------------------------------
def _quarters(first: Quarter, last: Quarter) -> list[Quarter]:
    out = [first]
    while out[-1] < last:
        out.append(out[-1].next())
    return out


def build_cube(
    nodes: dict[str, Node], quarter_list: list[Quarter], start: Quarter, atom: dict[tuple[str, str, str], int]
) -> tuple[dict[Cell, int], list[Relation]]:
    values: dict[Cell, int] = {}
    relations: list[Relation] = []
    distinct = sorted(set(nodes.values()), key=lambda n: (len(n), n))
    qkeys = [q_key(q) for q in quarter_list]
    cumulative = [q for q in quarter_list if q >= start]
    # a year is its own cell only when it is not "since start" up to its last quarter
    years = sorted(
        {q.year for q in cumulative} - {start.year} if start.q == 1 else {q.year for q in cumulative}
    )
    for node in distinct:
        for measure in FLOWS:
            per_q = {k: sum(atom.get((a, k, measure), 0) for a in node) for k in qkeys}
            for k, v in per_q.items():
                values[(node, ("q", k), measure)] = v
            for y in years:
                parts = [q_key(q) for q in cumulative if q.year == y]
                values[(node, ("y", str(y)), measure)] = sum(per_q[k] for k in parts)
                year_cell = (node, ("y", str(y)), measure)
                relations.append(((year_cell, -1), *(((node, ("q", k), measure), 1) for k in parts)))
            running = 0
            previous: Cell | None = None
            for q in cumulative:
                k = q_key(q)
                running += per_q[k]
                cell = (node, ("c", k), measure)
                values[cell] = running
                if previous is None:
                    relations.append(((cell, -1), ((node, ("q", k), measure), 1)))
                else:
                    relations.append(((cell, -1), (previous, 1), ((node, ("q", k), measure), 1)))
                previous = cell
            early = [q_key(q) for q in quarter_list if q < start]
            if early and cumulative:  # all data = since start + the quarters before it
                every = (node, ("a", qkeys[-1]), measure)
                values[every] = values[(node, ("c", qkeys[-1]), measure)] + sum(per_q[k] for k in early)
                relations.append(
                    (
                        (every, -1),
                        ((node, ("c", qkeys[-1]), measure), 1),
                        *(((node, ("q", k), measure), 1) for k in early),
                    )
                )
        # the stock: active(q) = active(q-1) + entries(q) - closed(q)
        active = 0
        for i, k in enumerate(qkeys):
            active += values[(node, ("q", k), "entries")] - values[(node, ("q", k), "closed")]
            cell = (node, ("q", k), STOCK)
            values[cell] = active
            terms = [(cell, -1), ((node, ("q", k), "entries"), 1), ((node, ("q", k), "closed"), -1)]
            if i:
                terms.append(((node, ("q", qkeys[i - 1]), STOCK), 1))
            relations.append(tuple(terms))
    periods = sorted({cell[1] for cell in values})
    for node in distinct:
        for period in periods:
            for total, (a, b) in SPLITS:
                if (node, period, total) in values:
                    relations.append(
                        (((node, period, total), -1), ((node, period, a), 1), ((node, period, b), 1))
                    )
    # every node = its Kreise; every node = a smaller node + the rest of its Kreise
    for node in distinct:
        if len(node) < 2:
            continue
        decompositions = [[(a,) for a in node]]
        for smaller in distinct:
            if 1 < len(smaller) < len(node) and set(smaller) < set(node):
                decompositions.append([smaller, *[(a,) for a in node if a not in smaller]])
        for parts in decompositions:
            for period in periods:
                for measure in MEASURES:
                    if (node, period, measure) not in values:
                        continue
                    relations.append(
                        (((node, period, measure), -1), *(((p, period, measure), 1) for p in parts))
                    )
    return values, relations


# -- choosing the cells to withhold --------------------------------------------------------
HEADLINE = {"entries": 3, "transitions": 3, STOCK: 3, "closed": 2, "seamless": 2, "retention_checks": 2}


def _priority(cell: Cell, values: dict[Cell, int]) -> tuple:
    """Which further cell to withhold first (the least information lost): a positive one, of
    a small region, a quarter before a year before a since-start value, a complement before a
    headline count, the smallest."""
    node, (kind, _), measure = cell
    return (
        values[cell] == 0,
        len(node),
        {"q": 0, "y": 1, "c": 2, "a": 3}[kind],
        HEADLINE.get(measure, 0),
        values[cell],
        cell,
    )


def _secondary(values: dict[Cell, int], relations: Sequence[Relation], hidden: set[Cell]) -> None:
    """Until no relation has exactly one hidden cell: hide, for such a relation, the cell of it
    that closes the most such relations at once, the cheapest (``_priority``) among those."""
    by_cell: dict[Cell, list[int]] = {}
    for i, relation in enumerate(relations):
        for c, _ in relation:
            by_cell.setdefault(c, []).append(i)
    count = [sum(1 for c, _ in relation if c in hidden) for relation in relations]
    open_ = {i for i, n in enumerate(count) if n == 1}
    while open_:
        i = min(open_)
        candidates = [c for c, _ in relations[i] if c not in hidden]
        if not candidates:
            open_.discard(i)
            continue

        def closes(c: Cell) -> int:
            return sum(1 for j in by_cell[c] if count[j] == 1)

        def rank(c: Cell) -> tuple:
            zero, size, kind, headline, value, _ = _priority(c, values)
            return (zero, size, headline, -closes(c), kind, value, c)

        best = min(candidates, key=rank)
        hidden.add(best)
        for j in by_cell[best]:
            count[j] += 1
            if count[j] == 1:
                open_.add(j)
            else:
                open_.discard(j)


def pinned_cells(
    values: dict[Cell, int],
    relations: Sequence[Relation],
    hidden: set[Cell],
    targets: Iterable[Cell],
    lower: float = 0.0,
) -> list[Cell]:
    """The hidden ``targets`` an attacker pins to their true value: min = max of the cell over
    all non-negative integer solutions of the relations with every shown cell fixed (at least
    ``lower`` each: 1 where a withheld cell is known to be positive)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    index = {cell: i for i, cell in enumerate(sorted(hidden))}
    rows, rhs = [], []
    for relation in relations:
        coefs = {index[c]: k for c, k in relation if c in index}
        if not coefs:
            continue
        rows.append(coefs)
        rhs.append(-sum(k * values[c] for c, k in relation if c not in index))
    n = len(index)
    matrix = np.zeros((len(rows), n))
    for r, coefs in enumerate(rows):
        for i, k in coefs.items():
            matrix[r, i] = k
    constraint = LinearConstraint(matrix, np.array(rhs), np.array(rhs)) if rows else None
    truth = np.array([values[c] for c in sorted(hidden)], dtype=float)
    # the true values are one solution: any other solution found on the way that differs from
    # them in a target shows that target is not pinned (no need to solve for it)
    moved = np.zeros(n, dtype=bool)
    out = []
    for cell in targets:
        i = index[cell]
        if moved[i]:
            continue
        c = np.zeros(n)
        c[i] = 1
        bounds = []
        for sign in (1, -1):
            result = milp(
                sign * c,
                constraints=[constraint] if constraint is not None else [],
                integrality=np.ones(n),
                bounds=Bounds(lower, np.inf),
            )
            bounds.append(None if result.status != 0 else sign * result.fun)
            if result.x is not None:
                moved |= np.abs(result.x - truth) > 0.5
        if bounds[0] is not None and bounds[1] is not None and abs(bounds[1] - bounds[0]) < 0.5:
            out.append(cell)
    return out


def greedy_hidden(
    values: dict[Cell, int],
    relations: Sequence[Relation],
    min_count: int,
    primary: set[Cell] | None = None,
) -> set[Cell]:
    """The fallback choice when the integer program hits its time limit: greedy secondary
    suppression (``_secondary``) and one more linked cell beside any cell the audit pins.
    ``primary``: the cells to withhold first (default: the counts 1..min_count−1)."""
    if min_count <= 0:
        return set()
    hidden = set(primary) if primary is not None else {c for c, v in values.items() if 0 < v < min_count}
    by_cell = _relations_by_cell(relations)
    unsafe = sorted(hidden)
    while True:
        _secondary(values, relations, hidden)
        # withholding more only widens what an attacker can solve for: a cell not pinned
        # once stays so, only the pinned ones are audited again
        unsafe = pinned_cells(values, relations, hidden, unsafe)
        pinned = unsafe
        if not pinned:
            return hidden
        for cell in pinned:
            hidden.add(_nearest_shown(cell, by_cell, hidden, values))


def _relations_by_cell(relations: Sequence[Relation]) -> dict[Cell, list[Relation]]:
    by_cell: dict[Cell, list[Relation]] = {}
    for relation in relations:
        for c, _ in relation:
            by_cell.setdefault(c, []).append(relation)
    return by_cell


# -- the cover cells by cost: one integer program over the whole cube -----------------------
# the figures the Übersicht's cards and rates rest on (seamless and transition rate: / closed)
HEADLINE_MEASURES = frozenset({"entries", "transitions", STOCK, "seamless", "closed"})
# weight factor of a headline cell (quarter or since start) by the node's level; the model
# region's headline cells are dearest of all
LEVEL_FACTOR = {"kreis": 10.0, "agentur": 30.0, "network": 300.0}
MODEL_REGION_FACTOR = 1000.0
PERIOD_FACTOR = {"q": 1.0, "y": 1.5, "c": 2.0, "a": 2.0}
# a headline count of a quarter is dearer than its since-start value (the cards show the quarter)
HEADLINE_PERIOD_FACTOR = {"q": 2.0, "c": 1.0}
SOLVER_TIME_LIMIT = 60.0  # seconds for all rounds of program and audit together
MAX_ROUNDS = 8  # rounds of program and audit; more: the greedy choice


class SolverLimit(RuntimeError):
    """The integer program did not reach its optimum within the time limit."""


def cell_weights(
    values: dict[Cell, int], nodes: dict[str, Node], model_region: Iterable[str] = ()
) -> dict[Cell, float]:
    """What withholding a cell costs: 1 + its value (a small cell is cheap), × 1, 1.5, 2 for a
    quarter, a year, a since-start value; a headline count (``HEADLINE_MEASURES``) of a quarter
    or since start instead × 10 for a Kreis, 30 for an Agentur, 300 for the network, its Land
    and both Länder, 1,000 for the model region (the Kreise of the first rollout wave), and
    × 2 for a quarter, × 1 since start (``HEADLINE_PERIOD_FACTOR``)."""
    level: dict[Node, float] = {}
    for name, node in nodes.items():
        kind = name.split(":", 1)[0]
        factor = LEVEL_FACTOR.get(kind, LEVEL_FACTOR["network"])
        level[node] = max(level.get(node, 0.0), factor)
    model = tuple(sorted(set(model_region) & set(nodes.get("network", ()))))
    if model in level:
        level[model] = MODEL_REGION_FACTOR
    out: dict[Cell, float] = {}
    for cell, value in values.items():
        node, (kind, _), measure = cell
        if measure in HEADLINE_MEASURES and kind in HEADLINE_PERIOD_FACTOR:
            factor = HEADLINE_PERIOD_FACTOR[kind] * level.get(node, 1.0)
        else:
            factor = PERIOD_FACTOR[kind]
        out[cell] = (1.0 + value) * factor
    return out


def _covers(relation: Relation, values: dict[Cell, int]) -> list[tuple[Cell, list[Cell]]]:
    """For every cell of a relation, the cells of which one at least must be withheld beside
    it: any other cell of the relation; but in a sum (total = parts) a part of 0 persons is
    no cover for another part of 0: with the total shown, withheld parts that are all 0 are
    pinned to 0 by non-negativity, so a part of 0 needs the total or a positive part."""
    cells = [c for c, _ in relation]
    totals = [c for c, k in relation if k == -1]
    is_sum = len(totals) == 1 and all(k == 1 for c, k in relation if c != totals[0])
    out = []
    for cell in dict.fromkeys(cells):
        others = [c for c in dict.fromkeys(cells) if c != cell]
        if is_sum and cell != totals[0] and values[cell] == 0:
            others = [c for c in others if c == totals[0] or values[c] > 0]
        out.append((cell, others))
    return out


def _solve_cover(
    cells: list[Cell],
    values: dict[Cell, int],
    weights: dict[Cell, float],
    relations: Sequence[Relation],
    fixed: set[Cell],
    cuts: list[list[Cell]],
    time_limit: float,
) -> set[Cell]:
    """The cheapest set of cells to withhold: every cell of ``fixed`` withheld, no relation
    with exactly one withheld cell (for every cell c of a relation r: hide[c] ≤ Σ hide[d], d in
    r, d ≠ c), and at least one cell of every cut withheld."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    index = {cell: i for i, cell in enumerate(cells)}
    rows, cols, data, lower, upper = [], [], [], [], []
    seen: set[tuple[int, ...]] = set()
    for relation in relations:
        members = sorted({index[c] for c, _ in relation})
        if len(members) < 2 or tuple(members) in seen:
            continue
        seen.add(tuple(members))
        for i, cover in _covers(relation, values):
            r = len(lower)
            rows.append(r)
            cols.append(index[i])
            data.append(1.0)
            for j in cover:
                rows.append(r)
                cols.append(index[j])
                data.append(-1.0)
            lower.append(-np.inf)
            upper.append(0.0)
    for cut in cuts:
        r = len(lower)
        for cell in cut:
            rows.append(r)
            cols.append(index[cell])
            data.append(1.0)
        lower.append(1.0)
        upper.append(np.inf)
    n = len(cells)
    matrix = coo_matrix((data, (rows, cols)), shape=(len(lower), n)).tocsr()
    low = np.array([1.0 if c in fixed else 0.0 for c in cells])
    result = milp(
        np.array([weights[c] for c in cells]),
        constraints=[LinearConstraint(matrix, np.array(lower), np.array(upper))] if lower else [],
        integrality=np.ones(n),
        bounds=Bounds(low, np.ones(n)),
        options={"time_limit": max(time_limit, 1e-3)},
    )
    if result.status != 0 or result.x is None:
        raise SolverLimit(result.message)
    return {cells[i] for i in np.flatnonzero(result.x > 0.5)}


def cover_by_cost(
    values: dict[Cell, int],
    relations: Sequence[Relation],
    min_count: int,
    weights: dict[Cell, float],
    time_limit: float = SOLVER_TIME_LIMIT,
    primary: set[Cell] | None = None,
    lower: float = 0.0,
    max_rounds: int = MAX_ROUNDS,
) -> set[Cell]:
    """Primary cells (1..min_count−1, or ``primary``) plus the cover cells of least total
    weight, chosen by one integer program over the whole cube (``_solve_cover``), then proved by the audit
    (``pinned_cells``): for a cell an attacker still pins, a cut requires one more withheld
    cell among the shown cells of the relations that prove its value (``_certificate_cut``;
    the nearest shown cells linked to it when only integrality pins it), and the program is
    solved again with every cut so far, until the audit finds nothing. Raises
    ``SolverLimit`` when the rounds together exceed ``time_limit`` seconds or
    ``max_rounds`` (default ``MAX_ROUNDS``; the publish gives more of both)."""
    if primary is None:
        primary = {c for c, v in values.items() if 0 < v < min_count}
    if not primary:
        return set()
    deadline = time.monotonic() + time_limit
    cells = sorted(values)
    by_cell = _relations_by_cell(relations)
    cuts: dict[tuple[Cell, ...], None] = {}
    for round_ in range(max_rounds):
        left = deadline - time.monotonic()
        if left <= 0:
            raise SolverLimit("time limit reached between rounds")
        hidden = _solve_cover(cells, values, weights, relations, primary, list(cuts), left)
        pinned = pinned_cells(values, relations, hidden, sorted(primary), lower)
        log.debug(
            "case pattern: round %d, %d cells withheld, %d pinned, %.1f s left",
            round_ + 1,
            len(hidden),
            len(pinned),
            deadline - time.monotonic(),
        )
        if not pinned:
            return hidden
        for cell in pinned:
            cut = _certificate_cut(cell, values, relations, hidden) or _nearest_ring(cell, by_cell, hidden)
            cuts[tuple(cut)] = None
    raise SolverLimit(f"the audit still pins cells after {max_rounds} rounds")


def choose_hidden(
    values: dict[Cell, int],
    relations: Sequence[Relation],
    min_count: int,
    weights: dict[Cell, float] | None = None,
    time_limit: float = SOLVER_TIME_LIMIT,
    primary: set[Cell] | None = None,
    outcome: dict[str, str] | None = None,
    max_rounds: int = MAX_ROUNDS,
) -> set[Cell]:
    """The cells to withhold: by cost (``cover_by_cost``); the greedy choice
    (``greedy_hidden``) when the integer program hits its time limit. ``primary``: the cells
    that must be withheld and stay unpinned (default: the counts 1..min_count−1).
    ``outcome["method"]`` is set to "cost" or "greedy" (the choice taken)."""
    if min_count <= 0:
        return set()
    if weights is None:
        weights = {c: 1.0 + v for c, v in values.items()}
    try:
        hidden = cover_by_cost(
            values, relations, min_count, weights, time_limit, primary, max_rounds=max_rounds
        )
        if outcome is not None:
            outcome["method"] = "cost"
        return hidden
    except SolverLimit as error:
        log.warning(
            "case pattern: the cover-cell program stopped at its limits (%.0f s, %d rounds: %s); "
            "falling back to the greedy choice",
            time_limit,
            max_rounds,
            error,
        )
        if outcome is not None:
            outcome["method"] = "greedy"
        return greedy_hidden(values, relations, min_count, primary)


def _certificate_cut(
    cell: Cell, values: dict[Cell, int], relations: Sequence[Relation], hidden: set[Cell]
) -> list[Cell] | None:
    """The shown cells of the relations that prove a pinned cell's value in the linear
    relaxation (the relations with a non-zero dual of the least and the largest value of the
    cell under the shown cells): as long as none of them is withheld, that proof holds
    whatever else is withheld or shown, so every safe pattern withholds one of them — a valid
    cut. None when the relaxation does not pin the cell (integrality does)."""
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    index = {c: i for i, c in enumerate(sorted(hidden))}
    used = [r for r in relations if any(c in index for c, _ in r)]
    rows, cols, data, rhs = [], [], [], []
    for r, relation in enumerate(used):
        for c, k in relation:
            if c in index:
                rows.append(r)
                cols.append(index[c])
                data.append(float(k))
        rhs.append(-sum(k * values[c] for c, k in relation if c not in index))
    matrix = coo_matrix((data, (rows, cols)), shape=(len(used), len(index))).tocsr()
    target = np.zeros(len(index))
    target[index[cell]] = 1.0
    support: set[int] = set()
    for sign in (1.0, -1.0):
        result = linprog(sign * target, A_eq=matrix, b_eq=np.array(rhs), bounds=(0, None), method="highs")
        if result.status != 0 or abs(sign * result.fun - values[cell]) > 1e-6:
            return None
        support |= {int(r) for r in np.flatnonzero(np.abs(result.eqlin.marginals) > 1e-9)}
    cut = sorted({c for r in support for c, _ in used[r] if c not in hidden})
    return cut or None


def _nearest_ring(cell: Cell, by_cell: dict, hidden: set[Cell]) -> list[Cell]:
    """The shown cells nearest to ``cell`` through relations (and hidden cells between)."""
    seen, frontier = {cell}, [cell]
    while frontier:
        linked = {c for f in frontier for rel in by_cell.get(f, []) for c, _ in rel} - seen
        shown = sorted(c for c in linked if c not in hidden)
        if shown:
            return shown
        seen |= linked
        frontier = sorted(linked)
    raise RuntimeError(f"cannot protect {cell}")  # every linked cell is hidden already


def _nearest_shown(cell: Cell, by_cell: dict, hidden: set[Cell], values: dict[Cell, int]) -> Cell:
    """The cheapest shown cell among the nearest ones linked to ``cell`` by relations (through
    hidden cells): withholding it gives the pinned cell room."""
    seen, frontier = {cell}, [cell]
    while frontier:
        linked = {c for f in frontier for rel in by_cell.get(f, []) for c, _ in rel} - seen
        shown = [c for c in linked if c not in hidden]
        if shown:
            return min(shown, key=lambda c: _priority(c, values))
        seen |= linked
        frontier = sorted(linked)
    raise RuntimeError(f"cannot protect {cell}")  # every linked cell is hidden already


def compute_pattern(
    con: duckdb.DuckDBPyConnection,
    project_start: date,
    min_count: int,
    good: float,
    model_region: Sequence[str] = (),
    time_limit: float | None = None,
    max_rounds: int = MAX_ROUNDS,
) -> CasePattern:
    """The pattern of the warehouse's case data, computed (the page limits by default)."""
    rows = case_rows(con)
    return _pattern_from_rows(
        con, rows, project_start, min_count, good, model_region, time_limit, max_rounds=max_rounds
    )


def model_region(settings) -> tuple[str, ...]:
    """The model region: the Kreise of the first rollout wave (Hildesheim by default)."""
    waves = settings.rollout.ordered()
    return tuple(sorted(waves[0].kreise)) if waves else ()


def _pattern_from_rows(
    con,
    rows: pl.DataFrame,
    project_start: date,
    min_count: int,
    good: float,
    model: Sequence[str] = (),
    time_limit: float | None = None,
    hidden: Iterable[Cell] | None = None,
    max_rounds: int = MAX_ROUNDS,
) -> CasePattern:
    """The pattern of the case rows; ``hidden``: the withheld cells when they are known (a
    stored pattern of the same fingerprint), so that only the cube is built, no program
    solved."""
    kreise = sorted(set(rows["ags"].drop_nulls()))
    nodes = hierarchy(con, kreise)
    dates = [d for col in ("entry_date", "closed_date", "retention_date") for d in rows[col].drop_nulls()]
    start = Quarter.of(project_start)
    if not dates:
        return CasePattern(nodes, (), q_key(start), {}, frozenset(), method="none")
    quarter_list = _quarters(min(Quarter.of(min(dates)), start), max(Quarter.of(max(dates)), start))
    values, relations = build_cube(nodes, quarter_list, start, atoms(rows, good))
    add_small_rests(values, relations, nodes, min_count)
    outcome = {"method": "none"}
    chosen = None if hidden is None else set(hidden)
    if chosen is not None and not chosen <= values.keys():
        log.warning("case pattern: the stored pattern names cells the cube lacks; computing it")
        chosen = None
    if chosen is None:
        chosen = choose_hidden(
            values,
            relations,
            min_count,
            cell_weights(values, nodes, model),
            SOLVER_TIME_LIMIT if time_limit is None else time_limit,
            outcome=outcome,
            max_rounds=max_rounds,
        )
    else:
        outcome["method"] = "stored"
    return CasePattern(
        nodes,
        tuple(q_key(q) for q in quarter_list),
        q_key(start),
        values,
        frozenset(chosen),
        tuple(relations),
        method=outcome["method"],
    )


# the version of the cube's cells and relations: a stored pattern of another version (chosen
# for other cells) is computed again; 2: the small cells of the rests (``rest_nodes``)
CUBE_VERSION = 2
_CACHE: dict[str, CasePattern] = {}
_LOCK = threading.Lock()


def fingerprint(rows: pl.DataFrame, project_start: date, min_count: int, good: float) -> str:
    digest = hashlib.sha256(f"{project_start}|{min_count}|{good}|".encode())
    digest.update(rows.sort(rows.columns).write_csv().encode())
    return digest.hexdigest()


def pattern_key(con: duckdb.DuckDBPyConnection, settings) -> tuple[str, pl.DataFrame]:
    """The content fingerprint a pattern is computed, cached and stored for (the case rows,
    the region table, threshold, project start, wage-ratio bound, model region), and the case
    rows."""
    rows = case_rows(con)
    regions = query(con, "SELECT ags, land_code, agentur FROM region ORDER BY ags")
    key = fingerprint(rows, settings.project_start, settings.disclosure_min_count, settings.wage_ratio_good)
    key += hashlib.sha256(regions.write_csv().encode()).hexdigest()
    key += "|" + ",".join(model_region(settings))
    key += f"|cube {CUBE_VERSION}"
    return key, rows


def case_pattern(con: duckdb.DuckDBPyConnection, settings) -> CasePattern:
    """The pattern for the case data in the warehouse (cached per content fingerprint): the
    one stored at publish when its fingerprint is the current one, else computed (with the
    page-time limit ``SOLVER_TIME_LIMIT``)."""
    key, rows = pattern_key(con, settings)
    with _LOCK:
        if key not in _CACHE:
            if len(_CACHE) > 8:
                _CACHE.clear()
            _CACHE[key] = _pattern_from_rows(
                con,
                rows,
                settings.project_start,
                settings.disclosure_min_count,
                settings.wage_ratio_good,
                model_region(settings),
                hidden=stored_hidden(con, key),
            )
        return _CACHE[key]


# -- the pattern stored in the warehouse at publish -----------------------------------------
# one row: the fingerprint (``pattern_key``) and how the cells were chosen; then the withheld
# cells (aggregates of the cube: a node as its Kreise, a period, a measure; no person data)
PATTERN_TABLE = "disclosure_pattern"
PATTERN_CELL_TABLE = "disclosure_pattern_cell"
PATTERN_DDL = (
    f"CREATE OR REPLACE TABLE {PATTERN_TABLE} (fingerprint VARCHAR NOT NULL, method VARCHAR NOT NULL, "
    "cells INTEGER NOT NULL)",
    f"CREATE OR REPLACE TABLE {PATTERN_CELL_TABLE} (node VARCHAR NOT NULL, period_kind VARCHAR NOT NULL, "
    "period_key VARCHAR NOT NULL, measure VARCHAR NOT NULL)",
)


def _has_tables(cur: duckdb.DuckDBPyConnection, catalog: str | None = None) -> bool:
    where = "database_name = current_database()" if catalog is None else "database_name = ?"
    found = cur.execute(
        f"SELECT count(*) FROM duckdb_tables() WHERE {where} AND schema_name = 'main' "  # noqa: S608
        "AND table_name IN (?, ?)",
        [*([] if catalog is None else [catalog]), PATTERN_TABLE, PATTERN_CELL_TABLE],
    ).fetchall()[0][0]
    return found == 2


def stored_rows(
    con: duckdb.DuckDBPyConnection, key: str, catalog: str | None = None
) -> tuple[str, list[tuple[str, str, str, str]]] | None:
    """(method, cell rows) of the pattern stored in the warehouse (``catalog``: an attached
    one) when its fingerprint is ``key``; None when there is none or it is another's."""
    prefix = "" if catalog is None else f"{catalog}."
    cur = con.cursor()
    try:
        if not _has_tables(cur, catalog):
            return None
        head = cur.execute(f"SELECT fingerprint, method, cells FROM {prefix}{PATTERN_TABLE}").fetchall()  # noqa: S608
        if len(head) != 1 or head[0][0] != key:
            return None
        cells = cur.execute(
            f"SELECT node, period_kind, period_key, measure FROM {prefix}{PATTERN_CELL_TABLE} "  # noqa: S608
            "ORDER BY ALL"
        ).fetchall()
    finally:
        cur.close()
    if len(cells) != head[0][2]:
        return None
    return head[0][1], cells


def stored_hidden(con: duckdb.DuckDBPyConnection, key: str) -> frozenset[Cell] | None:
    """The withheld cells stored at publish for the fingerprint ``key``, None without."""
    stored = stored_rows(con, key)
    if stored is None:
        return None
    return frozenset(
        (tuple(node.split(",")), (kind, period), measure) for node, kind, period, measure in stored[1]
    )


def _write(
    staging: duckdb.DuckDBPyConnection, key: str, method: str, cells: list[tuple[str, str, str, str]]
) -> None:
    for ddl in PATTERN_DDL:
        staging.execute(ddl)
    staging.execute(f"INSERT INTO {PATTERN_TABLE} VALUES (?, ?, ?)", [key, method, len(cells)])  # noqa: S608
    if cells:
        staging.executemany(f"INSERT INTO {PATTERN_CELL_TABLE} VALUES (?, ?, ?, ?)", cells)  # noqa: S608


def store_pattern(
    staging: duckdb.DuckDBPyConnection,
    settings,
    in_service: Callable[[str], tuple[str, list[tuple[str, str, str, str]]] | None] | None = None,
) -> str | None:
    """At publish, in the staging warehouse ``staging`` (the publish's own connection, never
    the app's shared one; its ``case_summary`` built): the pattern of its case data stored for
    ``case_pattern``. Kept when the stored one has the current
    fingerprint (a load that changed no case row), copied from the warehouse in service
    (``in_service(key)``: its ``stored_rows``) when that one's has, else computed with the
    publish's limits (``disclosure_publish_time_limit``, ``disclosure_publish_max_rounds``).
    Without case data the tables are dropped. Returns what was done, for the log (None
    without case data)."""
    key, rows = pattern_key(staging, settings)
    if rows.is_empty():
        staging.execute(f"DROP TABLE IF EXISTS {PATTERN_TABLE}")
        staging.execute(f"DROP TABLE IF EXISTS {PATTERN_CELL_TABLE}")
        return None
    if stored_rows(staging, key) is not None:
        return "kept"
    if in_service is not None:
        copied = in_service(key)
        if copied is not None:
            _write(staging, key, copied[0], copied[1])
            return "copied"
    started = time.monotonic()
    pattern = _pattern_from_rows(
        staging,
        rows,
        settings.project_start,
        settings.disclosure_min_count,
        settings.wage_ratio_good,
        model_region(settings),
        time_limit=settings.disclosure_publish_time_limit,
        max_rounds=settings.disclosure_publish_max_rounds,
    )
    cells = sorted(
        (",".join(node), kind, period, measure) for node, (kind, period), measure in pattern.hidden
    )
    _write(staging, key, pattern.method, cells)
    with _LOCK:  # this process needs not build the cube again for it
        if len(_CACHE) > 8:
            _CACHE.clear()
        _CACHE[key] = pattern
    seconds = time.monotonic() - started
    log.info(
        "case pattern computed at publish: %d cells withheld (%s), %.1f s",
        len(cells),
        pattern.method,
        seconds,
    )
    return f"computed ({pattern.method}, {len(cells)} cells, {seconds:.1f} s)"
