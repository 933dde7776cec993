"""BA Arbeitsmarktreport, sheet 'Eckwerte': headline values of one region and month.

Layout: a title block (report, region '<code> <name>', month), a header with the current
month, the previous month and the same month a year earlier (text or Excel dates) and the
changes (merged 'Veränderung gegenüber Vormonat / Vorjahresmonat' over 'absolut' and 'in %'),
then labelled rows, grouped by section rows without values ('Arbeitslose' > 'Männer').
Loaded: the current month's values. The change columns are reconciled against the values.
"""

from __future__ import annotations

import functools
import re
from datetime import date

import polars as pl

from pipelines.statistics import constants as C
from pipelines.statistics.cells import clean_label, parse_cell, parse_date, parse_month
from pipelines.statistics.excel_table import find_in_texts, title_region
from pipelines.statistics.model import (
    Check,
    ParsedFile,
    ParseError,
    Reconciliation,
    quarantine_frame,
)
from pipelines.statistics.reader import Workbook

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
_FILE_AGS = re.compile(r"amr-(\d{5}|\d{2})-")
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=4096)
def _cell(raw: str | None) -> tuple[float | None, str | None, bool]:
    """parse_cell with the BA symbols, once per distinct cell text (values repeat a lot)."""
    return parse_cell(raw)


def _months_back(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def slug(text: str) -> str:
    lowered = clean_label(text).lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("%", "prozent")):
        lowered = lowered.replace(a, b)
    return _NON_SLUG.sub("_", lowered).strip("_")


def indicator_key(section: str | None, label: str) -> str:
    for candidate in [label] + ([f"{section} {label}"] if section else []):
        for pattern, key in C.ECKWERTE_INDICATORS:
            if pattern.search(candidate.lower()):
                return key
    return slug(f"{section} {label}" if section else label)


def parse(source: str, workbook: Workbook, sheet: str) -> ParsedFile:
    grid = workbook.grid(sheet)
    rows = grid.rows()
    header = next(
        (
            i
            for i, row in enumerate(rows[:60])
            if sum(1 for v in row if v is not None and parse_month(v) and not parse_cell(v)[2]) >= 2
        ),
        None,
    )
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
    title = [
        clean_label(v) for row in rows[:header] for v in row if v is not None and clean_label(v)
    ]
    stated = find_in_texts(title, C.REPORT_MONTH)
    months = {
        j: parse_month(v)
        for j, v in enumerate(rows[header])
        if v is not None and parse_month(v) and not parse_cell(v)[2]
    }
    current = parse_month(stated) if stated and parse_month(stated) else max(months.values())
    col_current = next((j for j, m in months.items() if m == current), None)
    if col_current is None:
        raise ParseError(
            source,
            f"keine Spalte für den Berichtsmonat {current:%m/%Y}",
            "no column for the reporting month",
            sheet=sheet,
            row=grid.excel_row(header),
        )
    col_prev_month = next((j for j, m in months.items() if m == _months_back(current, 1)), None)
    col_prev_year = next((j for j, m in months.items() if m == _months_back(current, 12)), None)
    changes = _change_columns(rows, header)
    label_col = 0  # labels stand in the first used column
    region = title_region(title)
    warnings = []
    if region is None:
        match = _FILE_AGS.search(source)
        if not match:
            raise ParseError(
                source,
                "keine Region im Titel",
                "no region in the title",
                sheet=sheet,
                row=grid.excel_row(0),
                expected="eine Titelzeile wie 'Region: 03254 Hildesheim'",
            )
        region = (match.group(1), "")
        warnings.append(
            f"{sheet}: Region nur aus dem Dateinamen ({region[0]}) / region taken "
            "from the file name"
        )
    ags = region[0]
    facts, quarantine, checks = [], [], Reconciliation()
    section = None
    for i in range(header + 1, len(rows)):
        row = rows[i]
        label = clean_label(row[label_col]) if row[label_col] is not None else ""
        values = [
            row[j]
            for j in range(len(row))
            if j != label_col and row[j] is not None and str(row[j]).strip()
        ]
        if not label and not values:
            continue
        if C.FOOTER.match(label) and not values:
            break
        if label and not values:
            section = label
            continue
        if not label:
            continue
        raw = row[col_current]
        value, flag, ok = _cell(raw)
        key = indicator_key(section, label)
        is_rate = "quote" in f"{section or ''} {label}".lower() or key.endswith("rate")
        if raw is None or not str(raw).strip():
            continue
        if not ok:
            quarantine.append(
                {
                    "sheet": sheet,
                    "row_number": grid.excel_row(i),
                    "column_name": grid.column_name(col_current),
                    "reason": f"keine Zahl / not a number: '{raw}' (erwartet Zahl oder *, -, x)",
                    "raw_values": {"label": label, "value": raw},
                }
            )
            continue
        facts.append(
            {
                "ags": ags,
                "region_level": "kreis" if len(ags) == 5 else "land",
                "period": current,
                "indicator": key,
                "label_de": f"{section} – {label}" if section else label,
                "unit": "percent" if is_rate else "persons",
                "value": value,
                "flag": flag,
                "reference_date": current,
                "_sheet": sheet,
                "_row": grid.excel_row(i),
                "_column": grid.column_name(col_current),
            }
        )
        checks = checks.merge(
            _check_changes(row, key, value, col_prev_month, col_prev_year, changes, is_rate)
        )
    if not facts:
        raise ParseError(
            source,
            "keine Eckwerte gefunden",
            "no headline values found",
            sheet=sheet,
            row=grid.excel_row(header + 1),
            expected="Zeilen wie 'Arbeitslose insgesamt' mit Zahlen",
        )
    stated_vintage = find_in_texts(
        title + [clean_label(v) for r in rows for v in r[:1] if v], C.VINTAGE
    )
    return ParsedFile(
        source,
        C.BA_ECKWERTE,
        {"fact_headline": pl.DataFrame(facts, schema=SCHEMA)},
        [current],
        parse_date(stated_vintage) if stated_vintage else None,
        checks,
        warnings,
        quarantine_frame(quarantine),
    )


def _change_columns(rows: list[tuple], header: int) -> dict[str, int]:
    """'prev_month_abs', 'prev_year_abs' -> column, from the (merged) change headers."""
    out: dict[str, int] = {}
    carry = ""
    for j, value in enumerate(rows[header]):
        text = clean_label(value).lower() if value is not None else ""
        carry = text if text else carry
        below = (
            clean_label(rows[header + 1][j]).lower()
            if header + 1 < len(rows) and rows[header + 1][j]
            else ""
        )
        if "veränderung" not in carry:
            continue
        kind = "prev_year" if "vorjahr" in carry else "prev_month" if "vormonat" in carry else None
        if kind and (
            "absolut" in below or ("absolut" in text) or ("%" not in below and "%" not in text)
        ):
            out.setdefault(f"{kind}_abs", j)
    return out


def _check_changes(
    row, key, value, col_prev_month, col_prev_year, changes, is_rate
) -> Reconciliation:
    rec = Reconciliation()
    for kind, col_prev in (("prev_month", col_prev_month), ("prev_year", col_prev_year)):
        col_change = changes.get(f"{kind}_abs")
        if col_prev is None or col_change is None:
            continue
        previous, _, ok_prev = _cell(row[col_prev])
        change, _, ok_change = _cell(row[col_change])
        if not (ok_prev and ok_change):
            continue
        rec.checks += 1
        if value is None or previous is None or change is None:
            rec.total_unknown += 1
            continue
        tolerance = 0.05 if is_rate else 0.5
        if abs(value - previous - change) <= tolerance:
            rec.ok += 1
        else:
            rec.differences.append(
                Check(
                    f"Eckwerte {key}: Wert - {kind} = Veränderung",
                    change,
                    value - previous,
                    0,
                    "difference",
                )
            )
    return rec
