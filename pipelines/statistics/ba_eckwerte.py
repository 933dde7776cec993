"""BA Arbeitsmarktreport, sheet 'Eckwerte': headline values of one region and month.

Layout: a title block (report, region '<code> <name>', month), a header with the current
month, the previous month and the same month a year earlier (text or Excel dates) and the
changes (merged 'Veränderung gegenüber Vormonat / Vorjahresmonat' over 'absolut' and 'in %'),
then labelled rows, grouped by section rows without values ('Arbeitslose' > 'Männer').
Loaded: the current month's values. The change columns are reconciled against the values.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.cells import (
    bad_cell_reason,
    cell_values,
    clean_label,
    clean_labels,
    parse_cell,
    parse_date,
    parse_month,
    with_cell_values,
)
from pipelines.statistics.excel_table import find_in_texts, stated_period, title_region
from pipelines.statistics.model import (
    Check,
    ParsedFile,
    ParseError,
    Reconciliation,
    quarantine_frame,
)
from pipelines.statistics.reader import TEXT_SUFFIX, Grid, Workbook

SCHEMA = {
    "ags": pl.String,
    "region_level": pl.String,
    "period": pl.Date,
    "indicator": pl.String,
    "label_de": pl.String,
    "unit": pl.String,
    "value": pl.Float64,
    "flag": pl.String,
    "reference_date": pl.Date,
    "_sheet": pl.String,
    "_row": pl.Int64,
    "_column": pl.String,
}
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


HEAD_ROWS = 60  # the header with the months stands within the first rows


def parse(source: str, workbook: Workbook, sheet: str) -> ParsedFile:
    grid = workbook.grid(sheet)
    rows = grid.rows(0, HEAD_ROWS + 2)  # title block and header (the body runs as Polars)
    header = next((i for i, row in enumerate(rows[:HEAD_ROWS]) if _is_month_header(row)), None)
    if header is None:
        raise ParseError(
            source,
            "keine Kopfzeile mit Monaten gefunden",
            "no header with months found",
            sheet=sheet,
            row=grid.excel_row(0),
            expected="eine Zeile mit Berichtsmonat, Vormonat und Vorjahresmonat "
            "(z. B. 'Januar 2026', 'Dezember 2025', 'Januar 2025')",
        )
    title = [clean_label(v) for row in rows[:header] for v in row if v is not None and clean_label(v)]
    stated_month = stated_period(title, C.REPORT_MONTH, parse_month)
    months = {
        j: parse_month(v)
        for j, v in enumerate(rows[header])
        if v is not None and parse_month(v) and not parse_cell(v)[2]
    }
    current = stated_month or max(months.values())
    col_current = next((j for j, m in months.items() if m == current), None)
    if col_current is None:
        raise ParseError(
            source,
            f"keine Spalte für den Berichtsmonat {current:%m/%Y}",
            "no column for the reporting month",
            sheet=sheet,
            row=grid.excel_row(header),
        )
    named = _named_columns(rows[header])  # 'Vormonat' / 'Vorjahresmonat' instead of a month
    col_prev_month = next(
        (j for j, m in months.items() if m == _months_back(current, 1)), named.get("prev_month")
    )
    col_prev_year = next(
        (j for j, m in months.items() if m == _months_back(current, 12)), named.get("prev_year")
    )
    changes = _change_columns(rows, header)
    region = title_region(title)
    warnings = []
    region_name = None
    if region is None:  # a name only: matched exactly against the reference table on load
        region_name = _title_region_name(title)
        if region_name is None:
            raise ParseError(
                source,
                "keine Region im Titel; eine Titelzeile mit Regionalschlüssel angeben",
                "no region in the title; state the region with its code in the title",
                sheet=sheet,
                row=grid.excel_row(0),
                expected="eine Titelzeile wie 'Region: 03254 Hildesheim'",
            )
        region = ("", region_name)
    ags = region[0]
    label_cols = [j for j in range(min(months)) if j not in named.values()]
    body, notes = _body(grid, header + 1, label_cols[:2] or [0])
    cells = _cells(
        body,
        {
            "current": col_current,
            "prev_month": col_prev_month,
            "prev_year": col_prev_year,
            "prev_month_abs": changes.get("prev_month_abs"),
            "prev_year_abs": changes.get("prev_year_abs"),
        },
    )
    bad = cells.filter(pl.col("current_bad")).with_columns(_reason=bad_cell_reason(pl.col("current_text")))
    quarantine = [
        {
            "sheet": sheet,
            "row_number": grid.excel_row(r["_i"]),
            "column_name": f"{grid.column_name(col_current)} ({clean_label(rows[header][col_current])})",
            "reason": r["_reason"],
            "raw_values": {"label": r["label"], "value": r["current_text"]},
        }
        for r in bad.iter_rows(named=True)
    ]
    good = cells.filter(~pl.col("current_bad"))
    if good.is_empty():
        raise ParseError(
            source,
            "keine Eckwerte gefunden",
            "no headline values found",
            sheet=sheet,
            row=grid.excel_row(header + 1),
            expected="Zeilen wie 'Arbeitslose insgesamt' mit Zahlen",
        )
    facts = good.select(
        ags=pl.lit(ags),
        region_level=pl.lit("kreis" if len(ags) == 5 else "land"),
        period=pl.lit(current, pl.Date),
        indicator="indicator",
        label_de=pl.when(pl.col("section").is_not_null())
        .then(pl.col("section") + " – " + pl.col("label"))
        .otherwise(pl.col("label")),
        unit=pl.when(pl.col("is_rate")).then(pl.lit("percent")).otherwise(pl.lit("persons")),
        value="current_value",
        flag="current_flag",
        reference_date=pl.lit(current, pl.Date),
        _sheet=pl.lit(sheet),
        _row=(pl.col("_i").cast(pl.Int64) + grid.excel_row(0)),
        _column=pl.lit(grid.column_name(col_current)),
    )
    stated_vintage = find_in_texts(title + notes, C.VINTAGE)
    parsed = ParsedFile(
        source,
        C.BA_ECKWERTE,
        {"fact_headline": facts.cast(SCHEMA)},  # type: ignore[arg-type]
        [current],
        parse_date(stated_vintage) if stated_vintage else None,
        _check_changes(good),
        warnings,
        quarantine_frame(quarantine),
    )
    parsed.region_name = region_name
    return parsed


def _is_month_header(row: tuple) -> bool:
    """Two month cells, or one beside a 'Vormonat' / 'Vorjahresmonat' cell."""
    months = sum(1 for v in row if v is not None and parse_month(v) and not parse_cell(v)[2])
    return months >= 2 or (months == 1 and bool(_named_columns(row)))


def _named_columns(row: tuple) -> dict[str, int]:
    """'prev_month' / 'prev_year' -> column of a header cell 'Vormonat' / 'Vorjahresmonat'
    (not the change columns 'Veränderung gegenüber …')."""
    out: dict[str, int] = {}
    for j, value in enumerate(row):
        text = clean_label(value).lower() if value is not None else ""
        if not text or re.search(r"veränderung|gegenüber|vs\.", text):
            continue
        if re.match(r"^vorjahres(monat)?\b|^vorjahr\b", text):
            out.setdefault("prev_year", j)
        elif re.match(r"^vormonat\b", text):
            out.setdefault("prev_month", j)
    return out


_REGION_LINE = re.compile(
    r"^(?:region|kreis|landkreis|stadt|agentur für arbeit|arbeitsmarktreport)\s*:?\s*(.+)$", re.I
)


def _title_region_name(title: list[str]) -> str | None:
    """The region named (without a code) in a title line like 'Region: Hildesheim'."""
    for text in title:
        match = _REGION_LINE.match(text)
        if match and not parse_month(match.group(1)):
            return match.group(1).strip()
    return None


def _body(grid: Grid, start: int, label_cols: list[int]) -> tuple[pl.DataFrame, list[str]]:
    """The rows below the header down to the footer: _i, label, section, has_values, and the
    cells as text (t<j>) and numbers (n<j>). Also the texts of the first column anywhere
    below the header that may state the creation date (footer notes).

    Labels stand in the first used column; a label in the second one (Männer, Frauen, age
    groups under 'Arbeitslose insgesamt') is a breakdown of the row above it."""
    label_col = label_cols[0]
    inner = label_cols[1] if len(label_cols) > 1 else None
    others = [j for j in range(grid.width) if j not in label_cols]
    frame = grid.frame.slice(start).with_row_index("_i", offset=start)
    outer_label = grid.text(label_col)
    inner_label = (
        grid.text(inner).alias("_inner") if inner is not None else pl.lit(None, pl.String).alias("_inner")
    )
    # per cell its number (numeric columns) and its text (a cell that is no number)
    frame = frame.select(
        "_i",
        outer_label.alias("label"),
        inner_label,
        **{f"t{j}": pl.col(f"c{j}{TEXT_SUFFIX}") if grid.is_numeric(j) else pl.col(f"c{j}") for j in others},
        **{f"n{j}": pl.col(f"c{j}") if grid.is_numeric(j) else pl.lit(None, pl.Float64) for j in others},
    )
    frame = frame.with_columns(
        clean_labels(frame["label"]).fill_null(""), clean_labels(frame["_inner"]).fill_null("")
    )
    # a second-column label: its parent is the last first-column label ('Arbeitslose insgesamt'
    # -> section 'Arbeitslose'), the row keeps its own label
    parent = pl.when(pl.col("label") != "").then(pl.col("label")).forward_fill()
    parent = parent.str.replace(r"(?i)\s+insgesamt$", "")
    in_second = (pl.col("label") == "") & (pl.col("_inner") != "")
    frame = frame.with_columns(
        _parent=pl.when(in_second).then(parent),
        label=pl.when(in_second).then(pl.col("_inner")).otherwise(pl.col("label")),
    )
    filled = [
        pl.col(f"n{j}").is_not_null() | (pl.col(f"t{j}").str.strip_chars().fill_null("") != "")
        for j in others
    ]
    frame = frame.with_columns(has_values=pl.any_horizontal(filled) if filled else pl.lit(False))
    notes = frame.filter(pl.col("label").str.contains(r"(?i)erstell|stand|veröffentlicht"))
    footer = frame.filter(~pl.col("has_values") & pl.col("label").str.contains("(?i)" + C.FOOTER.pattern))
    if footer.height:  # the first footer line without values ends the table
        frame = frame.filter(pl.col("_i") < footer["_i"][0])
    # section rows (a label without values) name the group of the rows below them
    frame = frame.with_columns(
        section=pl.coalesce(
            "_parent",
            pl.when((pl.col("label") != "") & ~pl.col("has_values") & pl.col("_parent").is_null())
            .then(pl.col("label"))
            .forward_fill(),
        )
    )
    return frame.filter((pl.col("label") != "") & pl.col("has_values")), notes["label"].to_list()


def _cells(body: pl.DataFrame, columns: dict[str, int | None]) -> pl.DataFrame:
    """Per body row: <name>_text/_value/_flag/_bad/_empty of the named columns; the indicator
    and whether it is a rate; rows without a current value dropped. Texts (symbols, text
    numbers) are parsed once per distinct text; numbers are numbers."""
    used = {name: j for name, j in columns.items() if j is not None}
    parsed = cell_values(pl.concat([body[f"t{j}"] for j in used.values()]))
    cells = body
    for name, j in used.items():
        names = (f"{name}_parsed", f"{name}_flag", f"{name}_bad")
        cells = with_cell_values(cells, f"t{j}", names=names, parsed=parsed)
    exprs = {}
    for name, j in used.items():
        text, number = pl.col(f"t{j}"), pl.col(f"n{j}")
        exprs |= {
            f"{name}_text": text,
            f"{name}_value": pl.coalesce(number, pl.col(f"{name}_parsed")),
            f"{name}_flag": pl.col(f"{name}_flag"),
            f"{name}_bad": pl.col(f"{name}_bad").fill_null(False) & number.is_null(),
            f"{name}_empty": number.is_null() & (text.str.strip_chars().fill_null("") == ""),
        }
    cells = cells.select("_i", "label", "section", **exprs).filter(~pl.col("current_empty"))
    return _indicators(cells)


def _indicators(cells: pl.DataFrame) -> pl.DataFrame:
    """Each row's indicator and whether it is a rate. The patterns are tried only on the rows
    whose label matches one of them at all (one regex pass); the others get their slug."""
    section, label = pl.col("section"), pl.col("label")
    combined = pl.when(section.is_not_null()).then(section + " " + label).str.to_lowercase()
    anything = "|".join(f"(?:{p.pattern})" for p, _ in C.ECKWERTE_INDICATORS)
    hit = (label.str.to_lowercase().str.contains(anything) | combined.str.contains(anything)).fill_null(False)
    cells = cells.with_columns(_hit=hit)
    cells = pl.concat(
        [
            cells.filter("_hit").with_columns(indicator=_indicator_expr(section, label)),
            cells.filter(~pl.col("_hit")).with_columns(indicator=_slug_expr(section, label)),
        ]
    )
    whole = pl.concat_str([section.fill_null(""), label], separator=" ").str.to_lowercase()
    return (
        cells.drop("_hit")
        .with_columns(
            is_rate=whole.str.contains("quote", literal=True) | pl.col("indicator").str.ends_with("rate")
        )
        .sort("_i")
    )


def _slug_expr(section: pl.Expr, label: pl.Expr) -> pl.Expr:
    """'Arbeitslose' + 'Männer' -> 'arbeitslose_maenner'."""
    combined = pl.when(section.is_not_null()).then(section + " " + label)
    slug_of = pl.coalesce(combined, label).str.to_lowercase()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("%", "prozent")):
        slug_of = slug_of.str.replace_all(a, b, literal=True)
    return slug_of.str.replace_all(_NON_SLUG.pattern, "_").str.strip_chars("_")


def _indicator_expr(section: pl.Expr, label: pl.Expr) -> pl.Expr:
    """The indicator of a row: the first of ECKWERTE_INDICATORS that matches its label, else
    the first that matches section and label, else the slug of both ('arbeitslose_maenner')."""
    combined = pl.when(section.is_not_null()).then(section + " " + label)
    expr = _slug_expr(section, label)
    for candidate in (combined.str.to_lowercase(), label.str.to_lowercase()):
        for pattern, key in reversed(C.ECKWERTE_INDICATORS):
            expr = (
                pl.when(candidate.str.contains(pattern.pattern).fill_null(False))
                .then(pl.lit(key))
                .otherwise(expr)
            )
    return expr


def _change_columns(rows: list[tuple], header: int) -> dict[str, int]:
    """'prev_month_abs', 'prev_year_abs' -> column, from the (merged) change headers."""
    out: dict[str, int] = {}
    carry = ""
    for j, value in enumerate(rows[header]):
        text = clean_label(value).lower() if value is not None else ""
        carry = text if text else carry
        below = (
            clean_label(rows[header + 1][j]).lower() if header + 1 < len(rows) and rows[header + 1][j] else ""
        )
        if "veränderung" not in carry:
            continue
        kind = "prev_year" if "vorjahr" in carry else "prev_month" if "vormonat" in carry else None
        if kind and ("absolut" in below or ("absolut" in text) or ("%" not in below and "%" not in text)):
            out.setdefault(f"{kind}_abs", j)
    return out


def _check_changes(cells: pl.DataFrame) -> Reconciliation:
    """Value - previous value = change (absolute), for the month before and the year before,
    where the file has both columns and both cells are numbers or symbols."""
    rec = Reconciliation()
    for kind in ("prev_month", "prev_year"):
        if f"{kind}_value" not in cells.columns or f"{kind}_abs_value" not in cells.columns:
            continue
        usable = ~pl.col(f"{kind}_empty") & ~pl.col(f"{kind}_bad")
        usable = usable & ~pl.col(f"{kind}_abs_empty") & ~pl.col(f"{kind}_abs_bad")
        checked = cells.filter(usable).with_columns(
            previous=pl.col(f"{kind}_value"), change=pl.col(f"{kind}_abs_value")
        )
        known = checked.filter(
            pl.col("current_value").is_not_null()
            & pl.col("previous").is_not_null()
            & pl.col("change").is_not_null()
        )
        tolerance = pl.when(pl.col("is_rate")).then(0.05).otherwise(0.5)
        off = known.filter(
            (pl.col("current_value") - pl.col("previous") - pl.col("change")).abs() > tolerance
        )
        rec = rec.merge(
            Reconciliation(
                checks=checked.height,
                ok=known.height - off.height,
                total_unknown=checked.height - known.height,
                differences=[
                    Check(
                        f"Eckwerte {r['indicator']}: Wert - {kind} = Veränderung",
                        r["change"],
                        r["current_value"] - r["previous"],
                        0,
                        "difference",
                    )
                    for r in off.head(50).iter_rows(named=True)
                ],
            )
        )
    return rec
