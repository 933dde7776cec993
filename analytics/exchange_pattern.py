"""One suppression pattern for the Drehscheibe's announcement counts (issue #12).

Per table protection let two settings of the page be combined: the needs in reach at 30 km
minus those at 25 km are the needs of the Kreise between, a selection minus another the cuts
of a Kreis, a horizon minus a shorter one the cuts of the months between. So for roles below
``agency`` the announcements are published only as cells of one fixed cube, withheld once for
every setting a role can produce (like ``case_pattern`` for the case data):

- **cuts** (announced, still open, with an occupation) per Kreis of the announcing firm ×
  period, in total, per KldB 3-digit group and per month of effect. The periods are the
  page's horizons from the reference day (the data's last day): ``3`` (next 3 months), ``6``,
  ``12``, ``past`` (in effect by the reference day), and the bands between the horizons
  (``b36``: months 4–6, ``b612``: months 7–12), which two horizons give by difference;
- **needs** (open, in reach) per Kreis, in total, per group and per month of effect (the
  page shows every open need in reach, whatever its date);
- per Kreis the Rollout-Planer's cuts (``open_cells``): ``open``, every open cut, any date,
  with or without an occupation, and ``rest``, those beyond 12 months or without an
  occupation, which no page shows (open = past + 12 + rest; withholding ``rest`` costs next
  to nothing, but it is primary like any cell, since open − past − 12 would give it).
- **nodes** (``node_sets``): the same cells for the region sets the page shows as a whole —
  for the cuts every node of the case hierarchy and every region preset, for the needs the
  Kreise in reach (default rules) of every preset and every Kreis with cuts — each the set of
  its Kreise with announcements of that side, = Σ its Kreise's cells for every breakdown.
  Their totals are dear to withhold (``cell_weights``), so the program protects the Kreise
  among themselves rather than by withholding the network's figures.

Relations: a Kreis's total = Σ its groups = Σ its months, ``6`` = ``3`` + ``b36``,
``12`` = ``6`` + ``b612`` (for the total, every group and every month). Cells with the same
announcements are one cell. Primary cells: 1..``disclosure_min_count``−1 persons, or 1..2
announcing firms (a single firm's figure). A count of 0 is never withheld (a row without
announcements is left out, so a 0 is public anyway), hence "*" tells that a cell holds at
least one person, and the audit knows it: the cover cells are chosen by the integer program
of ``case_pattern.cover_by_cost`` over the whole cube and audited the same way, with every
withheld cell at least 1 (no primary cell has a single possible value under the shown cells,
the relations and that bound).

The page's figures for a selection are the node cell where its Kreise with announcements
are a node's, else sums over its Kreise (cuts) or the Kreise in reach (needs) of these cells:
a sum is shown only where every cell it adds is shown (``ExchangePattern.total``), so no
setting shows anything that is not a function of shown cells. Derived figures follow:
covered persons where the cuts and the needs they are matched with are shown Kreis by Kreis
(``kreis_shown``), coverage where covered and cut are, the first date where the cut is.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import duckdb
import polars as pl

from analytics import case_pattern
from analytics import exchange as ex

log = logging.getLogger(__name__)

WINDOWS = {"3": ("b03",), "6": ("b03", "b36"), "12": ("b03", "b36", "b612"), "past": ("past",)}
PERIODS = {**WINDOWS, "b36": ("b36",), "b612": ("b612",)}
NESTED = (("6", "3", "b36"), ("12", "6", "b612"))  # total, part, part
# per Kreis (``open_cells``): every open cut, and those beyond 12 months or without an
# occupation, which no page shows (withholding it costs next to nothing)
OPEN, REST = "open", "rest"
UNSHOWN, UNSHOWN_COST = (REST,), 0.01
SIDES = ("cut", "need")

# a cell: (side, ags, group, month "YYYY-MM-01", period), "" for "all" (sortable strings)
ALL = ""


def band(day: date, reference: date) -> str:
    """The horizon band of an effective date: past, b03, b36, b612 or beyond."""
    if day <= reference:
        return "past"
    for name, months in (("b03", 3), ("b36", 6), ("b612", 12)):
        if day <= ex._add_months(reference, months):
            return name
    return "beyond"


@dataclass(frozen=True)
class ExchangePattern:
    """The cube's cells (``specs`` → canonical cell), values, firms and the withheld cells."""

    reference: date
    cell_of: dict  # spec -> canonical cell
    values: dict  # cell -> persons
    firms: dict  # cell -> announcing firms
    hidden: frozenset
    # side -> {Kreise with announcements of that side (sorted tuple): the node's key}
    nodes: dict = field(default_factory=dict)
    kreise: dict = field(default_factory=dict)  # side -> Kreise with announcements of that side

    def node(self, side: str, kreise: Iterable[str]) -> str | None:
        """The node cell's key of a set of Kreise: its Kreise with announcements of ``side``
        are exactly a node's (more than one Kreis); None otherwise."""
        key = tuple(sorted(set(kreise) & self.kreise.get(side, frozenset())))
        return self.nodes.get(side, {}).get(key)

    def spec(self, side: str, ags: str, group=None, month=None, period=None) -> tuple:
        month = month.isoformat()[:10] if isinstance(month, date) else month
        return (side, ags, group or ALL, month or ALL, (period or ALL) if side == "cut" else ALL)

    def get(self, side: str, ags: str, group=None, month=None, period=None) -> tuple[float, float, bool]:
        """(persons, firms, withheld) of one cube cell; a cell without announcements is 0."""
        cell = self.cell_of.get(self.spec(side, ags, group, month, period))
        if cell is None:
            return 0.0, 0.0, False
        return float(self.values[cell]), float(self.firms[cell]), cell in self.hidden

    def total(
        self, side: str, kreise: Iterable[str], group=None, month=None, period=None
    ) -> tuple[float | None, float | None]:
        """(persons, firms) over ``kreise``: the node cell's where the Kreise with
        announcements among them are a node's (``node``), else the sum of the Kreis cells;
        None where that cell or any Kreis cell it adds is withheld (firms of different Kreise
        are different firms: a firm has one Kreis)."""
        kreise = list(kreise)
        node = self.node(side, kreise)
        if node is not None:
            p, f, hidden = self.get(side, node, group, month, period)
            return (None, None) if hidden else (p, f)
        return self.kreis_total(side, kreise, group, month, period)

    def kreis_total(
        self, side: str, kreise: Iterable[str], group=None, month=None, period=None
    ) -> tuple[float | None, float | None]:
        """(persons, firms) as the sum of the Kreis cells only: None where any is withheld."""
        persons = firms = 0.0
        for ags in kreise:
            p, f, hidden = self.get(side, ags, group, month, period)
            if hidden:
                return None, None
            persons, firms = persons + p, firms + f
        return persons, firms

    def shown(self, side: str, kreise: Iterable[str], group=None, month=None, period=None) -> bool:
        return self.total(side, kreise, group, month, period)[0] is not None

    def kreis_shown(self, side: str, kreise: Iterable[str], group=None, month=None, period=None) -> bool:
        return self.kreis_total(side, kreise, group, month, period)[0] is not None


def _atoms(frame: pl.DataFrame, reference: date) -> dict:
    """(side, ags, group, month, band) -> [persons, set of firms]."""
    out: dict = {}
    for r in frame.iter_rows(named=True):
        if r["kldb"] is None:  # no occupation: only in a Kreis's ``open`` and ``rest`` cuts
            continue
        side = r["kind"]
        day = r["effective_date"]
        b = band(day, reference) if side == "cut" else ALL
        if b == "beyond":
            continue
        key = (side, r["ags"], r["kldb"][:3], date(day.year, day.month, 1).isoformat(), b)
        persons, firms = out.setdefault(key, [0, set()])
        out[key][0] = persons + int(r["count"])
        firms.add(r["firm_id"])
    return out


def build_cube(
    frame: pl.DataFrame, reference: date, nodes: dict | None = None
) -> tuple[dict, dict, dict, list]:
    """(cell_of, values, firms, relations) of the announcements ``frame``
    (``exchange.announcements``); ``nodes``: side -> {Kreise: node key} (``node_sets``), each
    node a cell like a Kreis's, the sum of its Kreise (``_add_node_members``,
    ``_node_relations``)."""
    atoms = _atoms(frame, reference)
    members: dict[tuple, set] = {}
    for atom in atoms:
        side, ags, group, month, b = atom
        periods = [p for p, bands in PERIODS.items() if b in bands] if side == "cut" else [ALL]
        for p in periods:
            for spec in (
                (side, ags, ALL, ALL, p),
                (side, ags, group, ALL, p),
                (side, ags, ALL, month, p),
            ):
                members.setdefault(spec, set()).add(atom)
    _add_node_members(members, nodes or {})
    cell_of, values, firms = {}, {}, {}
    canonical: dict[frozenset, tuple] = {}
    for spec in sorted(members):
        key = frozenset(members[spec])
        cell = canonical.setdefault(key, spec)
        cell_of[spec] = cell
        if cell == spec:
            values[cell] = sum(atoms[a][0] for a in key)
            firms[cell] = len(set().union(*(atoms[a][1] for a in key)))
    relations: list = []
    seen: set = set()

    def relate(total: tuple, parts: list[tuple]) -> None:
        if total not in cell_of:
            return
        t = cell_of[total]
        ps = sorted({cell_of[p] for p in parts if p in cell_of})
        if ps == [t] or not ps:
            return
        key = (t, tuple(ps))
        if key not in seen:
            seen.add(key)
            relations.append(((t, -1), *((p, 1) for p in ps)))

    by_kreis: dict[tuple, dict[str, set]] = {}
    for side, ags, group, month, p in members:
        entry = by_kreis.setdefault((side, ags, p), {"groups": set(), "months": set()})
        if group != ALL:
            entry["groups"].add(group)
        if month != ALL:
            entry["months"].add(month)
    for (side, ags, p), entry in by_kreis.items():
        total = (side, ags, ALL, ALL, p)
        relate(total, [(side, ags, g, ALL, p) for g in entry["groups"]])
        relate(total, [(side, ags, ALL, m, p) for m in entry["months"]])
    for (side, ags, p), entry in list(by_kreis.items()):
        if side != "cut":
            continue
        for whole, part, rest in NESTED:
            if p != whole:
                continue
            for g, m in (
                [(ALL, ALL)] + [(g, ALL) for g in entry["groups"]] + [(ALL, m) for m in entry["months"]]
            ):
                relate((side, ags, g, m, whole), [(side, ags, g, m, part), (side, ags, g, m, rest)])
    _node_relations(members, nodes or {}, relate)
    return cell_of, values, firms, relations


def open_cells(frame: pl.DataFrame, reference: date, cube: tuple) -> tuple[dict, dict, dict, list]:
    """``cube`` (``build_cube``) with two cut cells per Kreis for the Rollout-Planer's
    "Angekündigter Stellenabbau": ``open``, every open cut of the Kreis (any date, with or
    without an occupation: ``rollout.announced_cuts``), and ``rest``, the cuts beyond 12 months
    or without an occupation, which no page shows; relation open = past + 12 + rest. A cell
    with the same announcements as another is that cell (only past, only the next 12 months,
    or only rest)."""
    cell_of, values, firms, relations = dict(cube[0]), dict(cube[1]), dict(cube[2]), list(cube[3])
    parts: dict[str, dict[str, list]] = {}
    for r in frame.filter(pl.col("kind") == "cut").iter_rows(named=True):
        day = r["effective_date"]
        within = r["kldb"] is not None and band(day, reference) != "beyond"
        part = ("past" if day <= reference else "12") if within else REST
        persons, ids = parts.setdefault(r["ags"], {}).setdefault(part, [0, set()])
        parts[r["ags"]][part][0] = persons + int(r["count"])
        ids.add(r["firm_id"])
    for ags, kreis in sorted(parts.items()):
        spec = {p: ("cut", ags, ALL, ALL, p) for p in ("past", "12", REST, OPEN)}
        if len(kreis) == 1 and REST not in kreis:  # open = the past or the next 12 months
            cell_of[spec[OPEN]] = cell_of[spec[next(iter(kreis))]]
            continue
        cell_of[spec[OPEN]] = spec[OPEN]
        values[spec[OPEN]] = sum(p for p, _ in kreis.values())
        firms[spec[OPEN]] = len(set().union(*(ids for _, ids in kreis.values())))
        if len(kreis) == 1:  # only rest: open is that cell
            cell_of[spec[REST]] = spec[OPEN]
            continue
        if REST in kreis:
            cell_of[spec[REST]] = spec[REST]
            values[spec[REST]], firms[spec[REST]] = kreis[REST][0], len(kreis[REST][1])
        members = sorted({cell_of[spec[p]] for p in ("past", "12", REST) if p in kreis})
        relations.append(((spec[OPEN], -1), *((c, 1) for c in members)))
    return cell_of, values, firms, relations


# -- node cells: the region sets the page shows as a whole (issue #12) ----------------------
# the page's default horizon and matching rules (``views.exchange.PAGE_DEFAULTS``)
DEFAULT_HORIZON = "6"
HEADLINE_PERIODS = ("3", "6", "12", "past")
# withholding a node's headline cell (total, no group, no month) costs × this factor: the
# network, the Länder and the page's presets (and their reach) most, an Agentur (and the
# reach of one Kreis with cuts) less; a horizon other than the default costs half
NODE_FACTOR = {"agentur": 30.0, "kreis": 30.0, "reach": 3.0, "network": 300.0}
KREIS_FACTOR = 10.0  # a Kreis's own total (like ``case_pattern.LEVEL_FACTOR``)
# the reach of the other settings the page offers (distances, adjacent Kreise) become nodes
# too where they give at most this many distinct sets of Kreise with needs; else the default only
MAX_REACH_NODES = 8


def node_key(kreise: Iterable[str]) -> str:
    """A node's name in the cells' Kreis place: its Kreise joined by "+" (sortable)."""
    return "+".join(sorted(kreise))


def _add_node_members(members: dict, nodes: dict) -> None:
    """Every node's cells: the announcements of its Kreise, for every breakdown a Kreis has."""
    kreis_specs = list(members)
    for side, sets in nodes.items():
        for kreise, key in sets.items():
            inside = set(kreise)
            for spec in kreis_specs:
                s, ags, group, month, p = spec
                if s == side and ags in inside:
                    members.setdefault((side, key, group, month, p), set()).update(members[spec])


def _node_relations(members: dict, nodes: dict, relate) -> None:
    """A node's cell = Σ its Kreise's cells, for the total, every group and every month (and
    every period of the cuts); the group, month and period relations of the node itself come
    with the Kreise's (``build_cube`` relates every Kreis place of ``members``)."""
    for side, sets in nodes.items():
        for kreise, key in sets.items():
            for spec in [m for m in members if m[0] == side and m[1] == key]:
                _, _, group, month, p = spec
                relate(spec, [(side, a, group, month, p) for a in kreise])


def node_sets(con: duckdb.DuckDBPyConnection, settings, frame: pl.DataFrame) -> dict:
    """side -> {Kreise with announcements (sorted tuple, more than one): weight factor}.

    Cuts: every node of the case hierarchy (Agentur, network, Land, all) and every region
    preset, each restricted to the Kreise with cuts. Needs: the Kreise in reach (under the
    page's default rules) of every preset and of every Kreis with cuts, restricted to the
    Kreise with needs; the reach of the page's other settings too where they give at most
    ``MAX_REACH_NODES`` distinct sets. Sets equal to one Kreis are that Kreis's cells."""
    from analytics.case_pattern import hierarchy
    from analytics.kpi import network_regions
    from analytics.regions import region_presets

    kreise = {side: sorted(set(frame.filter(pl.col("kind") == side)["ags"])) for side in SIDES}
    presets = region_presets(con, network_regions(con, settings))
    out: dict = {side: {} for side in SIDES}

    def add(side: str, area: Iterable[str], factor: float) -> None:
        key = tuple(sorted(set(area) & set(kreise[side])))
        if len(key) > 1:
            out[side][key] = max(out[side].get(key, 0.0), factor)

    for name, area in hierarchy(con, kreise["cut"]).items():
        add("cut", area, NODE_FACTOR.get(name.split(":", 1)[0], NODE_FACTOR["network"]))
    for preset in presets:
        add("cut", preset.ags, NODE_FACTOR["network"])
    selections = [(p.ags, NODE_FACTOR["network"]) for p in presets]
    selections += [((a,), NODE_FACTOR["kreis"]) for a in kreise["cut"]]
    distances = ex.kreis_distances(con)
    default = ex.MatchRules()
    for area, factor in selections:
        add("need", _reach(distances, default, None, area), factor)
    others: dict = {}
    adjacency = ex.kreis_adjacency(con, kreise["need"])
    for area, _ in selections:
        for rules in _reach_settings():
            near = _reach(distances, rules, adjacency, area)
            key = tuple(sorted(set(near) & set(kreise["need"])))
            if len(key) > 1 and key not in out["need"]:
                others[key] = NODE_FACTOR["reach"]
    if len(others) <= MAX_REACH_NODES:
        out["need"] |= others
    return out


def _reach_settings() -> list:
    """Every reach the page offers: the distances of its slider, and the adjacent Kreise."""
    low, high, step = ex.KM_RANGE
    return [ex.MatchRules(reach="adjacent")] + [
        ex.MatchRules(max_km=float(km)) for km in range(low, high + 1, step)
    ]


def _reach(distances: pl.DataFrame, rules, adjacency, area: Iterable[str]) -> list[str]:
    """The Kreise in reach of any Kreis of ``area``, those included."""
    return ex.reach_of(ex.in_reach(distances, rules, adjacency), list(area))


def cell_weights(cell_of: dict, values: dict, nodes: dict) -> dict:
    """What withholding a cell costs: 1 + persons, for a total (no group, no month) 1 + 6 ×
    persons, and that × ``KREIS_FACTOR`` for a Kreis's total of a horizon or of the needs, ×
    the node's factor (``NODE_FACTOR``) for a node's, halved for a horizon other than the
    page's default; a cell that several specs name (the same announcements) costs its
    dearest spec's weight."""
    factor_of = {node_key(k): f for sets in nodes.values() for k, f in sets.items()}
    out: dict = {}
    for spec, cell in cell_of.items():
        _, ags, group, month, p = spec
        v = values[cell]
        weight = 1.0 + v
        if group == ALL and month == ALL:
            weight += 5.0 * v
            if p in HEADLINE_PERIODS or p in (ALL, OPEN):  # open: the Rollout-Planer's figure
                factor = factor_of.get(ags, KREIS_FACTOR)
                weight *= factor if p in (DEFAULT_HORIZON, ALL) else factor / 2
        out[cell] = max(out.get(cell, 0.0), weight)
    return out


def choose(values: dict, firms: dict, relations: list, min_count: int, weights: dict | None = None) -> set:
    """The withheld cells: primary (1..min_count−1 persons or firms) and their cover, by the
    integer program of least cost over the cube (``weights``, ``cell_weights``; by default
    1 + persons, 1 + 6 × persons for a total); where it stops at its limits, every cell with
    announcements is withheld (the log says so)."""
    if min_count <= 0:
        return set()
    primary = {c for c, v in values.items() if 0 < v < min_count or 0 < firms[c] < min_count}
    if not primary:
        return set()
    # a count of 0 is public (no row): it is no cover, so it leaves the relations
    positive = {c: v for c, v in values.items() if v > 0}
    relations = [tuple((c, k) for c, k in r if c in positive) for r in relations]
    relations = [r for r in relations if len(r) > 1]
    given = weights or {}
    weights = {
        c: given.get(c, 1.0 + v + (5.0 * v if c[2] == ALL and c[3] == ALL else 0.0))
        for c, v in positive.items()
    }
    started = time.perf_counter()
    weights |= {c: UNSHOWN_COST for c in positive if c[4] in UNSHOWN}  # never published
    try:
        hidden = case_pattern.cover_by_cost(
            positive, relations, min_count, weights, case_pattern.SOLVER_TIME_LIMIT, primary, lower=1.0
        )
    except case_pattern.SolverLimit as error:
        log.warning("exchange pattern: the cover-cell program stopped (%s); every cell withheld", error)
        return set(positive)
    log.info(
        "exchange pattern: %d cells, %d relations, %d withheld, %.1f s",
        len(values),
        len(relations),
        len(hidden),
        time.perf_counter() - started,
    )
    return hidden


_CACHE: dict[str, ExchangePattern] = {}
_LOCK = threading.Lock()


def pattern_of(
    frame: pl.DataFrame, reference: date, min_count: int, nodes: dict | None = None
) -> ExchangePattern:
    """The pattern of the announcements ``frame`` (``announcements(con, with_kldb=False)``)
    with the node cells ``nodes`` (``node_sets``; none: the Kreise's cells only)."""
    nodes = nodes or {side: {} for side in SIDES}
    cube_frame = frame.filter(pl.col("kldb").is_not_null())  # the Drehscheibe's cells
    keys = {side: {k: node_key(k) for k in sets} for side, sets in nodes.items()}
    cube = build_cube(cube_frame, reference, keys)
    cell_of, values, firms, relations = open_cells(frame, reference, cube)
    weights = cell_weights(cell_of, values, nodes)
    hidden = choose(values, firms, relations, min_count, weights)
    kreise = {side: frozenset(cube_frame.filter(pl.col("kind") == side)["ags"]) for side in SIDES}
    return ExchangePattern(reference, cell_of, values, firms, frozenset(hidden), keys, kreise)


def exchange_pattern(con: duckdb.DuckDBPyConnection, settings, reference: date) -> ExchangePattern:
    """The pattern of the warehouse's announcements for the reference day (cached per
    content fingerprint, threshold, reference day, the network's Kreise and the regions the
    nodes are drawn from)."""
    from analytics.db import query
    from analytics.kpi import network_regions

    frame = ex.announcements(con, with_kldb=False)  # the cuts without an occupation: ``open``
    cube_frame = frame.filter(pl.col("kldb").is_not_null())  # the Drehscheibe's cells
    regions = query(
        con,
        "SELECT r.ags, r.land_code, r.agentur, g.centroid_lon, g.centroid_lat "
        "FROM region r LEFT JOIN region_geometry g USING (ags) ORDER BY r.ags",
    )
    network = ",".join(network_regions(con, settings))
    digest = hashlib.sha256(f"{reference}|{settings.disclosure_min_count}|{network}|".encode())
    digest.update(regions.write_csv().encode())
    digest.update(
        frame.select("firm_id", "ags", "kind", "kldb", "count", "effective_date")
        .sort(pl.all())
        .write_csv()
        .encode()
    )
    key = digest.hexdigest()
    with _LOCK:
        if key not in _CACHE:
            if len(_CACHE) > 8:
                _CACHE.clear()
            nodes = node_sets(con, settings, cube_frame)
            _CACHE[key] = pattern_of(frame, reference, settings.disclosure_min_count, nodes)
        return _CACHE[key]
