"""German-first number, date and quarter formatting (babel)."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, format_percent

from analytics.disclosure import SUPPRESSED

LOCALES = {"de": "de_DE", "en": "en_GB"}
MISSING = "–"


def locale(lang: str) -> str:
    return LOCALES.get(lang, "de_DE")


def missing(value: object) -> bool:
    """None, and NaN (e.g. a 0/0 share), are shown as missing, never as 'NaN'."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_number(value: float | None, lang: str = "de", decimals: int = 0) -> str:
    if missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def fmt_percent(value: float | None, lang: str = "de", decimals: int = 1) -> str:
    if missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return format_percent(value, format=pattern, locale=locale(lang))


def fmt_eur(value: float | None, lang: str = "de") -> str:
    if missing(value):
        return MISSING
    return f"{fmt_number(value, lang)}\u00a0€"


def fmt_date(value: date | None, lang: str = "de") -> str:
    if value is None:
        return MISSING
    return format_date(value, format="dd.MM.yyyy" if lang == "de" else "d MMM yyyy", locale=locale(lang))


def fmt_month(value: date | None, lang: str = "de") -> str:
    if value is None:
        return MISSING
    return format_date(value, format="MMMM yyyy", locale=locale(lang))


def fmt_value(value: float | None, unit: str, lang: str = "de", suppressed: bool = False) -> str:
    """Format a value by its unit (count, share, points, days, ratio, eur); '*' if suppressed."""
    if suppressed:
        return SUPPRESSED
    if unit == "share":
        return fmt_percent(value, lang)
    if unit == "points":  # a change of a share, in percentage points
        return (
            MISSING
            if missing(value)
            else (f"{fmt_number(value * 100, lang, decimals=1)} {'Pp.' if lang == 'de' else 'pp'}")
        )
    if unit == "eur":
        return fmt_eur(value, lang)
    if unit == "ratio":
        return fmt_number(value, lang, decimals=2)
    if unit == "pp":  # a change of a share, already in percentage points
        return (
            MISSING
            if missing(value)
            else f"{fmt_number(value, lang, decimals=1)} {'Pp.' if lang == 'de' else 'pp'}"
        )
    if unit == "index":  # 100 = a base period
        return fmt_number(value, lang, decimals=1)
    if unit == "days":
        days = "Tage" if lang == "de" else "days"
        return MISSING if missing(value) else f"{fmt_number(value, lang)} {days}"
    return fmt_number(value, lang)


def fmt_change(value: float | None, unit: str, lang: str = "de", suppressed: bool = False) -> str | None:
    """Signed change vs. the previous period; shares change in percentage points."""
    if suppressed:
        return SUPPRESSED
    if missing(value):
        return None
    magnitude = abs(value)
    if unit in ("share", "points"):
        text = f"{fmt_number(magnitude * 100, lang, decimals=1)} {'Pp.' if lang == 'de' else 'pp'}"
    else:
        text = fmt_value(magnitude, unit, lang)
    # ASCII '-' so that st.metric recognises a decrease (arrow and colour); a change that
    # rounds to zero is '±', never '-0,0'
    rounds_to_zero = not any(ch in "123456789" for ch in text)
    sign = "±" if value == 0 or rounds_to_zero else ("+" if value > 0 else "-")
    return f"{sign}{text}"


# Polars expressions for whole columns: native string operations, no Python callback per row
# (a Python function inside a Polars query blocks the request threads of a multi-session
# server; README "Limits").


def int_text(expr: pl.Expr, lang: str = "de") -> pl.Expr:
    """Whole numbers with thousands separators: 1234567 -> '1.234.567' (de) / '1,234,567'."""
    sep = "." if lang == "de" else ","
    value = expr.cast(pl.Int64)
    digits = (
        value.abs().cast(pl.String).str.reverse().str.extract_all(r"\d{1,3}").list.join(sep).str.reverse()
    )
    return pl.when(value < 0).then(pl.lit("-") + digits).otherwise(digits)


def quarter_text(expr: pl.Expr) -> pl.Expr:
    """'Q3 2026' for a date column (as ``Quarter.label``)."""
    return pl.format("Q{} {}", expr.dt.quarter(), expr.dt.year())


def date_text(expr: pl.Expr, lang: str = "de") -> pl.Expr:
    """Dates as ``fmt_date`` writes them: '05.03.2026' (de), '5 Mar 2026' (en)."""
    if lang == "de":
        return expr.dt.strftime("%d.%m.%Y")
    months = dict(get_month_names("abbreviated", locale=locale(lang)))  # babel's, e.g. 'Sept'
    return pl.format(
        "{} {} {}",
        expr.dt.day(),
        expr.dt.month().replace_strict(months, return_dtype=pl.String),
        expr.dt.year(),
    )


def datetime_text(expr: pl.Expr, lang: str = "de") -> pl.Expr:
    """A timestamp as its date (``date_text``) and the time of day: '05.03.2026 14:07'."""
    return pl.format("{} {}", date_text(expr, lang), expr.dt.strftime("%H:%M"))


class InputError(ValueError):
    """A typed number that is refused: ``message_id`` and its values (analytics.messages)."""

    def __init__(self, message_id: str, **values: object) -> None:
        super().__init__(message_id)
        self.message_id = message_id
        self.values = values


_GROUPED = {"de": r"\d{1,3}(\.\d{3})+", "en": r"\d{1,3}(,\d{3})+"}


def parse_number(text: str, lang: str = "de") -> float:
    """A number typed by a user, in the notation of ``lang``: German "3,5" → 3.5, "2.000" →
    2000, "1.234,5" → 1234.5 (English "3.5", "2,000", "1,234.5"); spaces, "€" and "EUR" are
    ignored. A point (German) or comma (English) that is no group of three digits is refused
    as ambiguous, never guessed (raises ``InputError``)."""
    import re

    cleaned = re.sub(r"(?i)\s|\u00a0|\u202f|€|eur", "", text or "")
    decimal, group = (",", ".") if lang != "en" else (".", ",")
    match = re.fullmatch(r"([+-]?)(\d[\d.,]*)", cleaned)
    if not match:
        raise InputError("input_not_a_number", text=text)
    sign, body = match.groups()
    whole, _, fraction = body.partition(decimal)
    if decimal in fraction or group in fraction or (_ and not fraction):
        raise InputError("input_not_a_number", text=text)
    if group in whole and not re.fullmatch(_GROUPED["en" if lang == "en" else "de"], whole):
        raise InputError("input_ambiguous_en" if lang == "en" else "input_ambiguous_de", text=text)
    value = float(whole.replace(group, "") + ("." + fraction if fraction else ""))
    return -value if sign == "-" else value


_MARKDOWN_SPECIALS = str.maketrans({ch: "\\" + ch for ch in "\\`*_[]<>#|~$"})


def escape_markdown(text: str) -> str:
    """``text`` shown literally by Streamlit's Markdown: "* = gesperrt" stays a star, not a
    bullet or the start of italics."""
    return text.translate(_MARKDOWN_SPECIALS)
