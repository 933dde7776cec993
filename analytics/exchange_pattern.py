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

Relations: a Kreis's total = Σ its groups = Σ its months, ``6`` = ``3`` + ``b36``,
``12`` = ``6`` + ``b612`` (for the total, every group and every month). Cells with the same
announcements are one cell. Primary cells: 1..``disclosure_min_count``−1 persons, or 1..2
announcing firms (a single firm's figure). A count of 0 is never withheld (a row without
announcements is left out, so a 0 is public anyway), hence "*" tells that a cell holds at
least one person, and the audit knows it: the cover cells are chosen by the integer program
of ``case_pattern.cover_by_cost`` over the whole cube and audited the same way, with every
withheld cell at least 1 (no primary cell has a single possible value under the shown cells,
the relations and that bound).

The page's figures for a selection are sums over its Kreise (cuts) or the Kreise in reach
(needs) of these cells: a sum is shown only where every cell it adds is shown
(``ExchangePattern.total``), so no setting shows anything that is not a function of shown
cells. Derived figures follow: covered persons where the cuts and the needs they are matched
with are shown, coverage where covered and cut are, the first date where the cut is.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
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
        """(persons, firms) over ``kreise``: None where any cell it adds is withheld (firms of
        different Kreise are different firms: a firm has one Kreis)."""
        persons = firms = 0.0
        for ags in kreise:
            p, f, hidden = self.get(side, ags, group, month, period)
            if hidden:
                return None, None
            persons, firms = persons + p, firms + f
        return persons, firms

    def shown(self, side: str, kreise: Iterable[str], group=None, month=None, period=None) -> bool:
        return self.total(side, kreise, group, month, period)[0] is not None


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


def build_cube(frame: pl.DataFrame, reference: date) -> tuple[dict, dict, dict, list]:
    """(cell_of, values, firms, relations) of the announcements ``frame``
    (``exchange.announcements``)."""
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


def choose(values: dict, firms: dict, relations: list, min_count: int) -> set:
    """The withheld cells: primary (1..min_count−1 persons or firms) and their cover, by the
    integer program of least cost over the cube; where it stops at its limits, every cell
    with announcements is withheld (the log says so)."""
    if min_count <= 0:
        return set()
    primary = {c for c, v in values.items() if 0 < v < min_count or 0 < firms[c] < min_count}
    if not primary:
        return set()
    # a count of 0 is public (no row): it is no cover, so it leaves the relations
    positive = {c: v for c, v in values.items() if v > 0}
    relations = [tuple((c, k) for c, k in r if c in positive) for r in relations]
    relations = [r for r in relations if len(r) > 1]
    weights = {c: 1.0 + v + (5.0 * v if c[2] == ALL and c[3] == ALL else 0.0) for c, v in positive.items()}
    weights |= {c: UNSHOWN_COST for c in positive if c[4] in UNSHOWN}  # never published
    try:
        return case_pattern.cover_by_cost(
            positive, relations, min_count, weights, case_pattern.SOLVER_TIME_LIMIT, primary, lower=1.0
        )
    except case_pattern.SolverLimit as error:
        log.warning("exchange pattern: the cover-cell program stopped (%s); every cell withheld", error)
        return set(positive)


_CACHE: dict[str, ExchangePattern] = {}
_LOCK = threading.Lock()


def exchange_pattern(con: duckdb.DuckDBPyConnection, settings, reference: date) -> ExchangePattern:
    """The pattern of the warehouse's announcements for the reference day (cached per
    content fingerprint, threshold and reference day)."""
    frame = ex.announcements(con, with_kldb=False)  # the cuts without an occupation: ``open``
    digest = hashlib.sha256(f"{reference}|{settings.disclosure_min_count}|".encode())
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
            cell_of, values, firms, relations = open_cells(frame, reference, build_cube(frame, reference))
            hidden = choose(values, firms, relations, settings.disclosure_min_count)
            _CACHE[key] = ExchangePattern(reference, cell_of, values, firms, frozenset(hidden))
        return _CACHE[key]
