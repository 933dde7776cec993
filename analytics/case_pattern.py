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
- **periods**: quarters, calendar years, and "since project start" up to each quarter's end.
- **measures**: the counts every KPI rests on, with the complements a shown rate implies
  (``SPLITS``: closed = transitions + exits, transitions = seamless + not seamless, …), and the
  stock of active cases.

The relations an attacker knows are declared once (``relations``): each split, every node as
the sum of its Kreise (and of any smaller node plus the rest), every year and every "since
start" value as the sum of its quarters, and the stock identity active(q) = active(q−1) +
entries(q) − closed(q). Primary suppression hides counts of 1..min_count−1; the secondary step
hides further cells until no relation has exactly one hidden cell; then an audit solves the
integer programs an attacker would (min and max of every hidden small cell under all shown
cells and relations, ``scipy.optimize.milp``) and hides one more cell beside any cell still
pinned, until none is. Derived figures (rates, medians, changes, money per person) are shown
only where every count they rest on is shown (``kpi.KPI_BASIS``).

The pattern depends on the case data only; it is computed once per content fingerprint of the
case data and cached, so every page, toggle, export and the report pack read the same one.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import numpy as np
import polars as pl

from analytics.db import query
from analytics.periods import Quarter

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
) -> list[Cell]:
    """The hidden ``targets`` an attacker pins to their true value: min = max of the cell over
    all non-negative integer solutions of the relations with every shown cell fixed."""
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
    out = []
    for cell in targets:
        i = index[cell]
        c = np.zeros(n)
        c[i] = 1
        bounds = []
        for sign in (1, -1):
            result = milp(
                sign * c,
                constraints=[constraint] if constraint is not None else [],
                integrality=np.ones(n),
                bounds=Bounds(0, np.inf),
            )
            bounds.append(None if result.status != 0 else sign * result.fun)
        if bounds[0] is not None and bounds[1] is not None and abs(bounds[1] - bounds[0]) < 0.5:
            out.append(cell)
    return out


def choose_hidden(values: dict[Cell, int], relations: Sequence[Relation], min_count: int) -> set[Cell]:
    hidden = {c for c, v in values.items() if 0 < v < min_count}
    if min_count <= 0:
        return set()
    by_cell: dict[Cell, list[Relation]] = {}
    for relation in relations:
        for c, _ in relation:
            by_cell.setdefault(c, []).append(relation)
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
    con: duckdb.DuckDBPyConnection, project_start: date, min_count: int, good: float
) -> CasePattern:
    rows = case_rows(con)
    return _pattern_from_rows(con, rows, project_start, min_count, good)


def _pattern_from_rows(
    con, rows: pl.DataFrame, project_start: date, min_count: int, good: float
) -> CasePattern:
    kreise = sorted(set(rows["ags"].drop_nulls()))
    nodes = hierarchy(con, kreise)
    dates = [d for col in ("entry_date", "closed_date", "retention_date") for d in rows[col].drop_nulls()]
    start = Quarter.of(project_start)
    if not dates:
        return CasePattern(nodes, (), q_key(start), {}, frozenset())
    quarter_list = _quarters(min(Quarter.of(min(dates)), start), max(Quarter.of(max(dates)), start))
    values, relations = build_cube(nodes, quarter_list, start, atoms(rows, good))
    hidden = choose_hidden(values, relations, min_count)
    return CasePattern(
        nodes,
        tuple(q_key(q) for q in quarter_list),
        q_key(start),
        values,
        frozenset(hidden),
        tuple(relations),
    )


_CACHE: dict[str, CasePattern] = {}
_LOCK = threading.Lock()


def fingerprint(rows: pl.DataFrame, project_start: date, min_count: int, good: float) -> str:
    digest = hashlib.sha256(f"{project_start}|{min_count}|{good}|".encode())
    digest.update(rows.sort(rows.columns).write_csv().encode())
    return digest.hexdigest()


def case_pattern(con: duckdb.DuckDBPyConnection, settings) -> CasePattern:
    """The pattern for the case data in the warehouse (cached per content fingerprint)."""
    rows = case_rows(con)
    regions = query(con, "SELECT ags, land_code, agentur FROM region ORDER BY ags")
    key = fingerprint(rows, settings.project_start, settings.disclosure_min_count, settings.wage_ratio_good)
    key += hashlib.sha256(regions.write_csv().encode()).hexdigest()
    with _LOCK:
        if key not in _CACHE:
            if len(_CACHE) > 8:
                _CACHE.clear()
            _CACHE[key] = _pattern_from_rows(
                con, rows, settings.project_start, settings.disclosure_min_count, settings.wage_ratio_good
            )
        return _CACHE[key]
