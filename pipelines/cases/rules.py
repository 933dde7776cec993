"""Parsing and checking single values of the case-data format (types, allowed values, codes).

Each parser takes a cell as read (Excel: native value; CSV: text) and returns the value to
store, or raises ``ValueError`` with a German/English message naming the value.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from pipelines.cases.schema import AGE_GROUPS, Column

FIRST_DATE, LAST_DATE = date(1990, 1, 1), date(2100, 12, 31)
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0"}
PSEUDONYM_LENGTH = 20  # hex digits of the keyed hash (80 bits)


@dataclass
class Codes:
    """Reference codes the values are checked against."""

    ags: set[str] = field(default_factory=set)
    kldb: set[str] = field(default_factory=set)
    wz: set[str] = field(default_factory=set)


def pseudonym(case_id: str, key: str) -> str:
    """Keyed hash of a case id: HMAC-SHA256 with the secret key, hex, first 20 digits."""
    digest = hmac.new(key.encode("utf-8"), case_id.strip().encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH]


def as_text(raw: object) -> str | None:
    """A cell as text: integers without '.0', dates in ISO form, blanks as None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "ja" if raw else "nein"
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(" ")
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    return text or None


def parse_date(raw: object) -> date:
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    else:
        text = as_text(raw) or ""
        german = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?", text)
        try:
            if german:
                value = date(int(german[3]), int(german[2]), int(german[1]))
            elif iso:
                value = date(int(iso[1]), int(iso[2]), int(iso[3]))
            else:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"'{text}' ist kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT) / "
                f"not a valid date (DD.MM.YYYY or YYYY-MM-DD)"
            ) from None
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"Datum {value:%d.%m.%Y} liegt außerhalb 1990–2100 / date outside 1990–2100")
    return value


def parse_integer(raw: object, decimal_comma: bool | None) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = (as_text(raw) or "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if decimal_comma is not False and re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
        return int(text.replace(".", ""))
    raise ValueError(f"'{text}' ist keine ganze Zahl / not a whole number")


def parse_decimal(raw: object, decimal_comma: bool | None) -> float:
    """Numbers as 3850, 3850.5 or (decimal comma) 3.850,50; 'EUR' and '€' are ignored.

    ``decimal_comma``: True/False as detected for a CSV file, None (Excel) to decide per value.
    """
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    text = re.sub(r"(?i)\s|€|eur", "", as_text(raw) or "")
    comma = decimal_comma
    if comma is None:
        comma = "," in text or bool(re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text))
    if comma and re.fullmatch(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    if not comma and re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    raise ValueError(f"'{text}' ist keine Zahl / not a number")


def parse_boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = (as_text(raw) or "").lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(f"'{as_text(raw)}' ist nicht ja/nein / not yes/no")


def parse_choice(raw: object, column: Column) -> object:
    text = as_text(raw) or ""
    assert column.choices is not None
    for shown, stored in column.choices.items():
        if text.lower() in (shown.lower(), str(stored).lower()):
            return stored
    raise ValueError(
        f"'{text}' ist kein erlaubter Wert für '{column.label}' (erlaubt: "
        f"{', '.join(column.choices)}) / not an allowed value"
    )


def parse_code(raw: object, column: Column, codes: Codes) -> str:
    text = as_text(raw) or ""
    if column.width and text.isdigit():
        text = text.zfill(column.width)
    if column.reference == "ags" and text not in codes.ags:
        raise ValueError(f"AGS '{text}' ist kein Kreis in Niedersachsen oder Bremen / unknown district code")
    if column.reference == "kldb" and text not in codes.kldb:
        raise ValueError(f"KldB '{text}' ist kein KldB-2010-Code / unknown KldB 2010 code")
    if column.reference == "wz" and text not in codes.wz:
        raise ValueError(f"WZ '{text}' ist keine WZ-2008-Abteilung (2-stellig) / unknown WZ 2008 division")
    return text


def parse_value(raw: object, column: Column, codes: Codes, decimal_comma: bool | None) -> object:
    """The stored value of one cell (None when empty), or ValueError with the reason."""
    if as_text(raw) is None:
        if column.required:
            raise ValueError("Pflichtfeld ist leer / required value missing")
        return None
    if column.type == "date":
        value: object = parse_date(raw)
    elif column.type == "integer":
        value = parse_integer(raw, decimal_comma)
    elif column.type == "decimal":
        value = parse_decimal(raw, decimal_comma)
    elif column.type == "boolean":
        value = parse_boolean(raw)
    elif column.type == "choice":
        value = parse_choice(raw, column)
    elif column.reference in ("ags", "kldb", "wz"):
        value = parse_code(raw, column, codes)
    else:
        value = as_text(raw)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if column.minimum is not None and value < column.minimum:
            raise ValueError(f"{value:g} ist kleiner als {column.minimum:g} / below the minimum")
        if column.maximum is not None and value > column.maximum:
            raise ValueError(f"{value:g} ist größer als {column.maximum:g} / above the maximum")
    return value


def age_group(birth_year: int, entry: date) -> str:
    """Age group at entry from the birth year (age reached in the entry year)."""
    age = entry.year - birth_year
    if age < 15:
        raise ValueError(
            "Geburtsjahr ergibt beim Eintritt ein Alter unter 15 / birth year gives an age below 15 at entry"
        )
    bounds = ((25, AGE_GROUPS[0]), (35, AGE_GROUPS[1]), (45, AGE_GROUPS[2]), (55, AGE_GROUPS[3]))
    return next((group for limit, group in bounds if age < limit), AGE_GROUPS[4])


def is_quarter_start(day: date) -> bool:
    return day.day == 1 and day.month in (1, 4, 7, 10)
