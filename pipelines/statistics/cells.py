"""Cell cleaning: labels, codes, German text numbers, symbols and dates.

Scalar functions serve the small parts of a file (title block, header rows); the ``*_expr``
functions are Polars expressions for the data block, so large files never loop in Python.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import polars as pl

from pipelines.statistics.constants import BA_SYMBOLS, MONTH_NAMES

SOFT_HYPHEN = "\u00ad"
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f]+")
_LINE_HYPHEN = re.compile(r"(\w)-[ \t]*\n\s*([a-zäöüß])")
_SPACE_HYPHEN = re.compile(r"(\w)-\s+(?!und\b|oder\b|bis\b|sowie\b|u\.\s)([a-zäöüß])")
_FOOTNOTE = re.compile(r"\s*(\(?\d{1,2}\)|\*+\)|\*+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)$")
_FOOTNOTE_ENDS = ")*¹²³⁴⁵⁶⁷⁸⁹⁰"  # a footnote mark ends in one of these
CODE_LABEL = r"^(\d{1,5}|[A-U]|\d{2}\.\d{1,2})(?:\s+(.*))?$"
_CODE_LABEL = re.compile(CODE_LABEL)
_GERMAN_THOUSANDS = r"^-?\d{1,3}(\.\d{3})+$"
_NUMBER = re.compile(r"^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$")


def clean_label(text: object) -> str:
    """Soft hyphens and line-break hyphenation removed, footnote marks stripped, spaces collapsed.

    >>> clean_label("Berufs-\\nabschluss 1)")
    'Berufsabschluss'
    """
    if text is None:
        return ""
    value = str(text)
    if (  # the common case: nothing to clean (no hyphen, footnote or irregular space)
        "-" not in value
        and SOFT_HYPHEN not in value
        and value[-1:] not in _FOOTNOTE_ENDS
        and " ".join(value.split()) == value
    ):
        return value
    value = value.replace(SOFT_HYPHEN, "")
    value = _LINE_HYPHEN.sub(r"\1\2", value)
    value = _SPACE_HYPHEN.sub(r"\1\2", value)
    value = _SPACES.sub(" ", value).strip()
    while True:
        stripped = _FOOTNOTE.sub("", value).strip()
        if stripped == value or not stripped:
            return value
        value = stripped


def norm(text: object) -> str:
    """Cleaned and lower-cased, for matching against the patterns in constants.py."""
    return clean_label(text).lower()


def split_code_label(text: object) -> tuple[str | None, str]:
    """'03254 Hildesheim' -> ('03254', 'Hildesheim'); 'Insgesamt' -> (None, 'Insgesamt')."""
    cleaned = clean_label(text)
    match = _CODE_LABEL.match(cleaned)
    if not match:
        return None, cleaned
    return match.group(1), (match.group(2) or "").strip()


def parse_number(text: object) -> float | None:
    """A German or plain number ('1.234', '6,9', '1234', '6.9'); None if it is none.

    A text with only '.' groups of three digits ('1.234') is German thousands, never a
    decimal fraction: BA counts are integers and their rates have one decimal.
    """
    if text is None:
        return None
    value = _SPACES.sub("", str(text))
    if not _NUMBER.match(value.replace(".", "")) and not _NUMBER.match(value):
        return None
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif re.match(_GERMAN_THOUSANDS, value):
        value = value.replace(".", "")
    try:
        return float(value)
    except ValueError:
        return None


def parse_cell(text: object, symbols: dict = BA_SYMBOLS) -> tuple[float | None, str | None, bool]:
    """(value, flag, ok) of one cell, with the symbols of the publication."""
    stripped = "" if text is None else _SPACES.sub(" ", str(text)).strip()
    if stripped in symbols:
        value, flag = symbols[stripped]
        return value, flag, True
    number = parse_number(stripped)
    return number, None, number is not None


# --- Polars expressions for the data block ------------------------------------------------


def clean_expr(column: str | pl.Expr) -> pl.Expr:
    expr = pl.col(column) if isinstance(column, str) else column
    return (
        expr.str.replace_all(SOFT_HYPHEN, "", literal=True)
        .str.replace_all(r"[\s\u00a0\u2007\u202f]+", " ")
        .str.strip_chars()
        .str.replace(r"\s*(\(?\d{1,2}\)|\*+\)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)$", "")
        .str.strip_chars()
    )


def clean_columns(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """clean_expr() on text columns, computed once per distinct text and joined back (codes
    and labels repeat a lot: 400 Kreise, a few hundred codes in 200,000 rows)."""
    replaced = []
    for name in columns:
        cleaned = frame.select(pl.col(name).unique().drop_nulls()).with_columns(
            clean_expr(name).alias("_clean")
        )
        changed = cleaned.filter(pl.col("_clean").ne_missing(pl.col(name)))
        if changed.height:  # only the column itself is rebuilt (a join would copy the frame)
            replaced.append(pl.col(name).replace(changed[name], changed["_clean"]))
    return frame.with_columns(replaced) if replaced else frame


def clean_labels(labels: pl.Series) -> pl.Series:
    """clean_label() of every value, exactly, and fast for many rows: computed once per
    distinct text, and in Python only for the texts it has work on (hyphens, footnote marks,
    irregular spaces); the others stay as they are."""
    distinct = pl.DataFrame({"raw": labels.unique()})
    needs_work = pl.col("raw").str.contains(r"[-\u00ad]|[)*¹²³⁴⁵⁶⁷⁸⁹⁰]$|\s\s|[^\S ]|^\s|\s$").fill_null(False)
    cleaned = distinct.filter(needs_work).with_columns(
        clean=pl.col("raw").map_elements(clean_label, return_dtype=pl.String)
    )
    frame = pl.DataFrame({"raw": labels}).join(cleaned, on="raw", how="left", maintain_order="left")
    return frame.select(pl.coalesce("clean", "raw").alias(labels.name)).to_series()


def number_text(expr: pl.Expr) -> pl.Expr:
    """Numbers as text the way a spreadsheet shows them: whole numbers without '.0'."""
    whole = (expr == expr.round(0)) & (expr.abs() < 1e15)
    return pl.when(whole).then(expr.cast(pl.Int64).cast(pl.String)).otherwise(expr.cast(pl.String))


def value_exprs(column: str, symbols: dict = BA_SYMBOLS) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(value, flag, bad) for a string column of cells: symbols, German and plain numbers.

    ``bad`` is true for a non-empty cell that is neither a symbol nor a number.
    """
    raw = pl.col(column).str.replace_all(r"[\s\u00a0\u2007\u202f]+", "")
    symbol_value = pl.lit(None, pl.Float64)
    symbol_flag = pl.lit(None, pl.String)
    is_symbol = pl.lit(False)
    for sym, (val, flag) in symbols.items():
        hit = raw == sym
        is_symbol = is_symbol | hit
        symbol_value = pl.when(hit).then(pl.lit(val, pl.Float64)).otherwise(symbol_value)
        symbol_flag = pl.when(hit).then(pl.lit(flag, pl.String)).otherwise(symbol_flag)
    german = raw.str.contains(",")
    thousands = raw.str.contains(_GERMAN_THOUSANDS)
    numeric_text = (
        pl.when(german)
        .then(raw.str.replace_all(".", "", literal=True).str.replace(",", "."))
        .when(thousands)
        .then(raw.str.replace_all(".", "", literal=True))
        .otherwise(raw)
    )
    number = numeric_text.cast(pl.Float64, strict=False)
    empty = raw.is_null() | (raw == "")
    value = pl.when(is_symbol).then(symbol_value).otherwise(number)
    flag = pl.when(is_symbol).then(symbol_flag).otherwise(pl.lit(None, pl.String))
    bad = ~empty & ~is_symbol & number.is_null()
    return value, flag, bad


def cell_values(texts: pl.Series, symbols: dict = BA_SYMBOLS) -> pl.DataFrame:
    """raw, value, flag, bad for each distinct cell text: value_exprs() once per text, not per
    row (cell texts repeat a lot). A null text gives value and flag null and bad false."""
    value, flag, bad = value_exprs("raw", symbols)
    return texts.alias("raw").unique().to_frame().with_columns(value=value, flag=flag, bad=bad)


def with_cell_values(
    frame: pl.DataFrame,
    column: str = "raw",
    symbols: dict = BA_SYMBOLS,
    *,
    names: tuple[str, str, str] = ("value", "flag", "bad"),
    parsed: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """``frame`` with value, flag and bad (or ``names``) of its text column ``column``, joined
    from cell_values() (``parsed`` when it was made already, e.g. for several columns)."""
    parsed = cell_values(frame[column], symbols) if parsed is None else parsed
    parsed = parsed.rename(dict(zip(["raw", "value", "flag", "bad"], [column, *names], strict=True)))
    return frame.join(parsed, on=column, how="left", nulls_equal=True, maintain_order="left")


EXCEL_ERROR = (
    r"^#(DIV/0!|N/A|NV|NAME\?|NULL!|NUM!|ZAHL!|REF!|BEZUG!|VALUE!|WERT!|DATA!|SPILL!|CALC!|GETTING_DATA)$"
)


def bad_cell_reason(raw: pl.Expr) -> pl.Expr:
    """Why a cell that is no number is quarantined, and what to do (German / English)."""
    return (
        pl.when(raw.str.contains(EXCEL_ERROR))
        .then(
            pl.lit("Excel-Fehler '")
            + raw
            + pl.lit("' statt einer Zahl; die Formel in der Quelle korrigieren / Excel error '")
            + raw
            + pl.lit("' instead of a number; correct the formula in the source")
        )
        .when(raw.str.starts_with("="))
        .then(
            pl.lit("Formel ohne gespeicherten Wert '")
            + raw
            + pl.lit("'; in Excel neu berechnen und speichern / formula without a cached value '")
            + raw
            + pl.lit("'; recalculate and save it in Excel")
        )
        .otherwise(
            pl.lit("keine Zahl und kein bekanntes Zeichen / not a number nor a known symbol: '") + raw + "'"
        )
    )


def code_expr(column: str | pl.Expr) -> pl.Expr:
    return clean_expr(column).str.extract(CODE_LABEL, 1)


# --- dates ----------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})")
_GERMAN_LONG_DATE = re.compile(r"(\d{1,2})\.\s*([a-zäöü]+)\.?\s+(\d{4})", re.I)
_MONTH_YEAR = re.compile(r"\b([a-zäöü]{3,9})\.?\s+(\d{4})\b", re.I)
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})\s*/\s*(\d{4})$|^(\d{4})\s*[-/]\s*(\d{1,2})$")


def parse_date(text: object) -> date | None:
    """A full date: Excel date cells ('2025-06-30 00:00:00'), '30.06.2025', '30. Juni 2025'."""
    if text is None:
        return None
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    value = clean_label(text)
    for pattern, order in ((_ISO, (1, 2, 3)), (_GERMAN_DATE, (3, 2, 1))):
        match = pattern.search(value)
        if match:
            year, month, day = (int(match.group(i)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    match = _GERMAN_LONG_DATE.search(value)
    if match and match.group(2).lower() in MONTH_NAMES:
        try:
            return date(int(match.group(3)), MONTH_NAMES[match.group(2).lower()], int(match.group(1)))
        except ValueError:
            return None
    return None


def parse_month(text: object) -> date | None:
    """First day of a month: 'Januar 2026', 'Jan. 2026', '01/2026', '2026-01', Excel dates."""
    if text is None:
        return None
    full = parse_date(text)
    if full is not None:
        return full.replace(day=1)
    value = clean_label(text)
    match = _NUMERIC_MONTH.match(value)
    if match:
        month, year = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        if 1 <= int(month) <= 12:
            return date(int(year), int(month), 1)
    for match in _MONTH_YEAR.finditer(value):
        name = match.group(1).lower()
        if name in MONTH_NAMES:
            return date(int(match.group(2)), MONTH_NAMES[name], 1)
    return None


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
