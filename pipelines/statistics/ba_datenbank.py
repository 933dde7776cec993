"""BA "Datenbanken" CSV exports: metadata block, code/label column pairs, 'Summe:' rows.

Shape: ';'-separated, UTF-8 (maybe BOM); metadata lines ('Stichtag;30.06.2023',
'Gebietsstand;…'); a header with one column pair per dimension ('KreisID;Kreis;…') and the
measure last; rows with 'Summe:' in a label column are the subtotal over that dimension;
thousands separators '.', symbols 'x' and '*'; footer lines. Codes are taken from the code
columns only (region names vary in suffixes and are never matched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.ba_employment import COLUMNS as EMPLOYMENT_COLUMNS
from pipelines.statistics.ba_labour_market import COLUMNS as LABOUR_MARKET_COLUMNS
from pipelines.statistics.cells import clean_columns, norm, parse_date, parse_month, with_cell_values
from pipelines.statistics.model import ParsedFile, ParseError, quarantine_frame
from pipelines.statistics.reader import CsvText, csv_lines
from pipelines.statistics.reconcile import code_depth, reconcile, shallowest_level

BREAKDOWN_ROLES = ("requirement", "breakdown")  # dimensions whose label text is the breakdown
_TIME_COLUMN = re.compile(r"^(stichtag|monat|berichtsmonat|zeit|datum)$", re.I)


def header_index(lines: list[list[str]]) -> int | None:
    for i, fields in enumerate(lines[:60]):
        if sum(1 for f in fields if f.strip()) >= 3 and any(
            C.DATENBANK_CODE_COLUMN.match(f.strip()) for f in fields
        ):
            return i
    return None


def _dimension(name: str) -> str | None:
    for pattern, role in C.DATENBANK_DIMENSIONS:
        if pattern.search(name.strip()):
            return role
    return None


def parse(source: str, text: str | CsvText) -> ParsedFile:
    csv = CsvText.of(text) if isinstance(text, str) else text
    lines = csv_lines(csv.head)
    header = header_index(lines)
    if header is None:
        raise ParseError(
            source,
            "keine Kopfzeile mit Schlüsselspalten",
            "no header with code columns",
            row=1,
            expected="eine Zeile wie 'KreisID;Kreis;…;Sozialversicherungspflichtig Beschäftigte'",
        )
    meta = {norm(f[0]).rstrip(":"): f[1].strip() for f in lines[:header] if len(f) >= 2 and f[0].strip()}
    names = [f.strip() for f in lines[header]]
    dims: dict[str, tuple[str | None, str]] = {}  # role -> (code column, label column)
    used, time_col = set(), None
    for i, name in enumerate(names):
        if i in used:
            continue
        match = C.DATENBANK_CODE_COLUMN.match(name)
        if _TIME_COLUMN.match(name):
            time_col = f"f{i}"
            used.add(i)
            continue
        if match and i + 1 < len(names):
            role = _dimension(match.group(1) or names[i + 1])
            if role:
                dims[role] = (f"f{i}", f"f{i + 1}")
                used.update({i, i + 1})
                continue
        role = _dimension(name)
        if role:
            dims[role] = (None, f"f{i}")
            used.add(i)
    measures = {
        f"f{i}": key
        for i, name in enumerate(names)
        if i not in used
        and name
        and (key := next((k for p, k in C.MEASURES if p.search(name.lower())), None))
    }
    if not measures:
        raise ParseError(
            source,
            "keine Wertespalte erkannt",
            "no measure column recognised",
            row=header + 1,
            column=names[-1],
            expected="eine Spalte wie 'Sozialversicherungspflichtig Beschäftigte', "
            "'Arbeitslose' oder 'Gemeldete Arbeitsstellen'",
        )
    if not any(r in dims for r in ("kreis", "land", "agentur")):
        raise ParseError(
            source,
            "keine Regionsspalte",
            "no region column",
            row=header + 1,
            expected="Spaltenpaar wie 'KreisID;Kreis' oder 'BundeslandID;Bundesland'",
        )
    reference = parse_date(meta.get("stichtag")) or parse_month(
        meta.get("berichtsmonat") or meta.get("monat")
    )
    if reference is None and time_col is None:
        raise ParseError(
            source,
            "kein Stichtag/Berichtsmonat",
            "no reference date",
            row=1,
            expected="Zeile 'Stichtag;30.06.2023' im Kopfblock oder Spalte 'Stichtag'",
        )
    measure_values = set(measures.values())
    employment = bool(measure_values & {"svb", "gb"})
    dim_role, dim_column = ("sector", "wz") if employment else ("occupation", "kldb")
    # label columns that give neither code nor breakdown only mark 'Summe:' rows: they are read
    # as categoricals (each distinct text once) and dropped once the mark is taken
    only_sums = [
        label
        for role, (code_col, label) in dims.items()
        if code_col is not None and role not in BREAKDOWN_ROLES
    ]
    # the body from the header line on, the file's own bytes to Polars (no list of all lines,
    # no copy as text), read lazily in batches of BATCH_ROWS records: each batch is reduced to
    # the narrow frame of codes and raw values before the next is read, so the wide frame of
    # all label texts never exists for the whole file (a 60 MB export; #10). Every step up to
    # there works row by row (distinct texts per batch), so the result is the same as one read.
    lazy = pl.scan_csv(
        csv.utf8,
        skip_rows=header,
        separator=";",
        infer_schema=False,
        has_header=True,
        truncate_ragged_lines=True,
        new_columns=[f"f{i}" for i in range(len(names))],
        schema_overrides=dict.fromkeys(only_sums, pl.Categorical),
    ).with_row_index("_row", offset=header + 2)

    def cells(batch: pl.DataFrame) -> _Cells:
        narrow = _narrow(batch, dims, measures, only_sums, time_col, reference, dim_role, dim_column)
        return _batch_cells(narrow, measures, names, dim_column)

    batches = [cells(batch) for batch in lazy.collect_batches(chunk_size=BATCH_ROWS)]
    batches = batches or [cells(lazy.head(0).collect())]
    inner_level = next(r for r in ("kreis", "agentur", "land") if r in dims)
    # the cells in the order of one read of the whole file: column by column, row by row
    quarantine = [row for _, row in sorted((q for c in batches for q in c.quarantine), key=lambda q: q[0])]
    good = pl.concat([c.good[m] for m in measures for c in batches])
    empty = sum(c.empty for c in batches)
    read = sum(c.read for c in batches)
    del batches
    period_col = "reference_date" if employment else "period"
    good = good.rename({"when": period_col})
    keys = ["ags", period_col, "measure", "breakdown"]
    rec = reconcile(
        good,
        dim_column,
        keys,
        group=code_depth(dim_column),
        label="Detail -> Summe",
        exact=shallowest_level(good, dim_column),
    )
    regions = good.filter(pl.col("region_level").is_in([inner_level, "land", "total"])).with_columns(
        _land=pl.coalesce(pl.col("land"), pl.lit("*")),
        ags=pl.when(pl.col("region_level") != inner_level).then(pl.lit("TOTAL")).otherwise(pl.col("ags")),
    )
    rec = rec.merge(
        reconcile(
            regions,
            "ags",
            ["_land", period_col, "measure", "breakdown", dim_column],
            group=pl.lit("Region"),
            label="Regionen -> Summe",
            unknown=None,
        )
    )
    facts = good.filter(pl.col("region_level") != "total").with_columns(
        _sheet=pl.lit(None, pl.String),
        _column=pl.col("_col").replace_strict({f"f{i}": name for i, name in enumerate(names)}),
    )
    skipped = read - len(quarantine) - facts.height - empty
    # the same columns, in the same order, as the Excel families write
    if employment:
        table, columns = "fact_employment", EMPLOYMENT_COLUMNS
        facts = facts.with_columns(classification=pl.lit("WZ2008"))
    else:
        table, columns = "fact_labour_market", LABOUR_MARKET_COLUMNS
        facts = facts.with_columns(
            period=pl.col("period").dt.month_start(),
            reference_date=pl.col("period"),
            classification=pl.lit("KldB2010"),
        )
    facts = facts.select([*columns, "_sheet", "_row", "_column"]).rechunk()
    dates: list[date] = sorted(d for d in facts[period_col].unique().to_list() if d is not None)
    vintage = parse_date(meta.get("erstellungsdatum") or meta.get("stand") or "")
    return ParsedFile(
        source,
        C.BA_DATENBANK,
        {table: facts},
        dates,
        vintage,
        rec,
        [],
        quarantine_frame(quarantine) if quarantine else quarantine_frame([]),
        skipped=skipped,
    )


BATCH_ROWS = 100_000  # CSV records per batch of the lazy read


@dataclass
class _Cells:
    """The value cells of one batch: rows to load per measure column, quarantine entries
    (with their place in the order of a whole read), empty cells, cells read."""

    good: dict[str, pl.DataFrame]
    quarantine: list[tuple[tuple[int, int], dict]]
    empty: int
    read: int


def _batch_cells(base: pl.DataFrame, measures: dict[str, str], names: list[str], dim_column: str) -> _Cells:
    long = base.unpivot(
        on=list(measures),
        index=[c for c in base.columns if c not in measures],
        variable_name="_col",
        value_name="raw",
    ).with_columns(measure=pl.col("_col").replace_strict(measures))
    long = with_cell_values(long)
    order = {name: i for i, name in enumerate(measures)}
    quarantine = [
        (
            (order[r["_col"]], r["_row"]),
            {
                "sheet": None,
                "row_number": r["_row"],
                "column_name": names[int(r["_col"][1:])],
                "reason": f"keine Zahl / not a number: '{r['raw']}'"
                if r["bad"]
                else "Zeile ohne Regionsschlüssel / row without a region code",
                "raw_values": {"ags": r["ags"], dim_column: r[dim_column], "value": r["raw"]},
            },
        )
        for r in long.filter(pl.col("bad") | pl.col("ags").is_null()).iter_rows(named=True)
    ]
    good = long.filter(~pl.col("bad") & pl.col("ags").is_not_null() & pl.col(dim_column).is_not_null())
    good = good.drop("raw", "bad")
    # read, neither quarantined nor loaded: empty cells of a row with values elsewhere are not read
    empty = long.filter(~pl.col("bad") & pl.col("ags").is_not_null() & pl.col("raw").is_null()).height
    parts = {m: good.filter(pl.col("_col") == m) for m in measures}
    return _Cells(parts, quarantine, empty, long.height)


def _narrow(
    frame: pl.DataFrame,
    dims: dict[str, tuple[str | None, str]],
    measures: dict[str, str],
    only_sums: list[str],
    time_col: str | None,
    reference: date | None,
    dim_role: str,
    dim_column: str,
) -> pl.DataFrame:
    """One batch of CSV records as the narrow frame the parse goes on with: row number,
    region code and level, Land, the dimension code, breakdown, date and the raw values."""
    frame = frame.filter(pl.any_horizontal([pl.col(m).is_not_null() for m in measures]))
    # "Summe:" in a label column: total over that dimension (and the ones inside it)
    summe = r"(?i)^\s*summe:?\s*$"
    sums = {
        label: [v for v in frame[label].unique().cast(pl.String).to_list() if v and re.match(summe, v)]
        for label in only_sums
    }
    frame = frame.with_columns(
        **{
            f"_sum_{role}": (
                pl.col(label).is_in(sums[label]) if label in sums else pl.col(label).str.contains(summe)
            ).fill_null(False)
            for role, (_, label) in dims.items()
        }
    ).drop(only_sums)
    # the code and label columns, cleaned once per distinct text
    texts = [c for pair in dims.values() for c in pair if c and c in frame.columns]
    frame = clean_columns(frame, list(dict.fromkeys(texts + ([time_col] if time_col else []))))
    is_sum = {role: pl.col(f"_sum_{role}") for role in dims}

    def code(role: str, width: int | None = None) -> pl.Expr:
        code_col, label_col = dims[role]
        expr = pl.col(code_col or label_col)
        if width:
            expr = pl.when(expr.str.contains(r"^\d+$")).then(expr.str.zfill(width)).otherwise(expr)
        return pl.when(is_sum[role]).then(pl.lit("TOTAL")).otherwise(expr.replace("", None))

    region_parts = [(r, w) for r, w in (("kreis", 5), ("agentur", None), ("land", 2)) if r in dims]
    # the region codes once as columns: the expressions below use them several times
    frame = frame.with_columns(
        _kreis=code(*region_parts[0]),
        _land=code("land", 2) if "land" in dims else pl.lit(None, pl.String),
    )
    kreis, land = pl.col("_kreis"), pl.col("_land")
    inner_level = region_parts[0][0]
    ags = pl.when((kreis == "TOTAL") & land.is_not_null() & (land != "TOTAL")).then(land).otherwise(kreis)
    level = (
        pl.when(kreis == "TOTAL")
        .then(pl.when(land.is_not_null() & (land != "TOTAL")).then(pl.lit("land")).otherwise(pl.lit("total")))
        .otherwise(pl.lit(inner_level))
    )
    # an empty dimension (code and label) in a row of an outer 'Summe:' means all of it
    dim_expr = code(dim_role).fill_null(pl.lit("TOTAL")) if dim_role in dims else pl.lit("TOTAL")
    dim_expr = (
        pl.when(dim_expr.str.to_lowercase().str.contains(C.UNKNOWN_LABEL.pattern))
        .then(pl.lit("UNKNOWN"))
        .otherwise(dim_expr)
    )
    if dim_role == "sector":
        dim_expr = (
            pl.when(dim_expr.str.contains(r"^\d{3,4}$"))
            .then(dim_expr.str.slice(0, 2) + "." + dim_expr.str.slice(2))
            .otherwise(dim_expr)
        )
    breakdown = pl.lit("TOTAL")
    for role in ("requirement", "breakdown"):
        if role in dims:
            text = pl.col(dims[role][1]).str.to_lowercase()
            mapped = pl.lit(None, pl.String)
            for pattern, key in reversed(C.BREAKDOWNS):
                mapped = pl.when(text.str.contains(pattern.pattern)).then(pl.lit(key)).otherwise(mapped)
            breakdown = pl.when(is_sum[role]).then(pl.lit("TOTAL")).otherwise(mapped.fill_null(text))
    if time_col:  # a date or month per row: parsed once per distinct text
        distinct = [v for v in frame[time_col].unique().to_list() if v is not None]
        dates = {v: parse_date(v) or parse_month(v) for v in distinct}
        time = pl.col(time_col).replace_strict(dates, default=None, return_dtype=pl.Date)
    else:
        time = pl.lit(reference, pl.Date)
    base = frame.select(
        "_row",
        ags=ags,
        region_level=level,
        land=land,
        **{dim_column: dim_expr},
        breakdown=breakdown,
        when=time,
        **{m: pl.col(m) for m in measures},
    )
    return base
