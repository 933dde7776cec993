"""Parsing and checking single values of the case-data format (types, allowed values, codes).

Each parser takes a cell as read (Excel: native value; CSV: text) and returns the value to
store, or raises ``ValueError`` with a German/English message. Messages never repeat the
value (it may be personal data typed into the wrong column): they say what was expected; the
quarantine keeps only a masked form of the value (``mask``).

Text is cleaned first: zero-width and other invisible format characters (U+200B, U+FEFF,
soft hyphen, bidi marks, ...) are removed, so that 'R1' with a zero-width space is 'R1';
no-break spaces, tabs and line breaks become spaces; any other control character refuses the
cell (it would break the Excel downloads).

Decimal sign (the German rule, decided per column from all its text cells, ``decimal_mode``):
a comma in any value of the column means decimal comma (points group thousands: '3.850,50');
else a point followed by other than three digits ('2.5', '3850.50') means decimal point, and
a value like '3.850' in such a column is ambiguous and refused; else (only values like
'3.850' or plain integers) the points group thousands: '3.850' in a German export is 3850.
Whole numbers may always group thousands with points ('1.500' = 1500).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from pipelines.cases.schema import AGE_GROUPS, Column

FIRST_DATE = date(2000, 1, 1)  # no case data before; the last date is project_end + 1 year
INT32 = 2**31 - 1  # the warehouse's INTEGER
DecimalMode = Literal["comma", "point", "thousands"]
_SPACES = {"\t", "\n", "\r", "\u00a0", "\u2007", "\u202f"}
TRUE_WORDS = {"ja", "j", "yes", "y", "true", "wahr", "1", "x"}
FALSE_WORDS = {"nein", "n", "no", "false", "falsch", "0"}
PSEUDONYM_LENGTH = 20  # hex digits of the keyed hash (80 bits)


@dataclass
class Codes:
    """Reference codes the values are checked against."""

    ags: set[str] = field(default_factory=set)
    kldb: set[str] = field(default_factory=set)
    wz: set[str] = field(default_factory=set)
    first_date: date = FIRST_DATE
    last_date: date = date(2029, 12, 31)


def pseudonym(case_id: str, key: str) -> str:
    """Keyed hash of a case id: HMAC-SHA256 with the secret key, hex, first 20 digits."""
    digest = hmac.new(key.encode("utf-8"), case_id.strip().encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH]


class Uncomputed:
    """A formula cell without a stored result (the workbook was never calculated)."""

    def __repr__(self) -> str:
        return "UNCOMPUTED"

    def __str__(self) -> str:
        return "#FORMEL?"


UNCOMPUTED = Uncomputed()


def clean_text(text: str) -> str:
    """Invisible format characters removed, spacing characters as spaces; ValueError on any
    other control character."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char in _SPACES:
            out.append(" ")
            continue
        category = unicodedata.category(char)
        if category == "Cf":  # zero-width space/joiners, BOM, soft hyphen, bidi marks
            continue
        if category in ("Cc", "Cs", "Co", "Cn"):
            raise ValueError(
                f"Steuerzeichen U+{ord(char):04X} im Wert; bitte entfernen (z. B. neu eintippen) / "
                f"control character U+{ord(char):04X} in the value; remove it"
            )
        out.append(char)
    return re.sub(" {2,}", " ", "".join(out)).strip()


# What a free-text value (a firm name) must not hold: personal data of a contact person
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
_PHONE = re.compile(r"(?:\+\d{1,3}|\b0)[\d /()-]{5,}\d|\b(?:tel|telefon|fon|fax|mobil|handy)\b\.?\s*:?\s*\d")
_PERSON = re.compile(
    r"\b(?:herr|frau|hr\.|fr\.|z\.\s?hd\.?|c/o|inh\.|inhaber(?:in)?:|ansprechpartner(?:in)?|geb\.)(?=\s|$)"
    r"|^[A-ZÄÖÜ][a-zäöüß]+,\s*[A-ZÄÖÜ][a-zäöüß]+$",
    re.IGNORECASE,
)
PERSONAL_DATA_KINDS = (
    (_EMAIL, "eine E-Mail-Adresse", "an e-mail address"),
    (_IBAN, "eine IBAN", "an IBAN"),
    (_PHONE, "eine Telefonnummer", "a phone number"),
    (_PERSON, "eine Person (Anrede, 'z. Hd.', 'Nachname, Vorname', ...)", "a person"),
)


def check_free_text(text: str, kinds: tuple = PERSONAL_DATA_KINDS) -> None:
    """ValueError if a free-text value seems to hold personal data (README, privacy)."""
    for pattern, de, en in kinds:
        if pattern.search(text):
            raise ValueError(
                f"enthält offenbar {de}; hier nur den Namen des Betriebs eintragen, keine "
                f"Angaben zu Personen (Datenschutz) / seems to contain {en}; enter the firm's "
                f"name only, no personal data"
            )


def mask(raw: object, key: str) -> str | None:
    """What the quarantine keeps of a rejected value: its kind, its length and a keyed hash
    (the same value gives the same hash, the value itself cannot be read back)."""
    text = as_text(raw)
    if text is None:
        return None
    if isinstance(raw, date):
        kind = "Datum/date"
    elif isinstance(raw, int | float) or re.fullmatch(r"[\d\s.,+-]+", text):
        kind = "Zahl/number"
    else:
        kind = "Text/text"
    return f"<{kind}, {len(text)} Zeichen/characters, #{pseudonym(text, key)[:8]}>"


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


def parse_date(raw: object, first: date = FIRST_DATE, last: date = date(2029, 12, 31)) -> date:
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
                "kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT) / "
                "not a valid date (DD.MM.YYYY or YYYY-MM-DD)"
            ) from None
    if not first <= value <= last:
        raise ValueError(
            f"Datum liegt außerhalb {first:%d.%m.%Y}–{last:%d.%m.%Y} (Projektende + 1 Jahr); Tippfehler? / "
            f"date outside {first:%d.%m.%Y}–{last:%d.%m.%Y} (project end + 1 year)"
        )
    return value


def parse_integer(raw: object) -> int:
    """Whole numbers: 40, 1500 or (German thousands) 1.500; within the warehouse's INTEGER."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = (as_text(raw) or "").replace(" ", "")
        if re.fullmatch(r"[+-]?\d+", text):
            value = int(text)
        elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", text):
            value = int(text.replace(".", ""))
        else:
            raise ValueError("keine ganze Zahl / not a whole number")
    if abs(value) > INT32:
        raise ValueError("Zahl ist viel zu groß / number far too large")
    return value


def decimal_mode(texts: list[str]) -> DecimalMode:
    """The decimal sign of one column from its text values (the German rule, module doc)."""
    cleaned = [re.sub(r"(?i)\s|€|eur", "", t) for t in texts]
    if any("," in t for t in cleaned):
        return "comma"
    if any(re.fullmatch(r"-?\d*\.\d+", t) and not _THOUSANDS.fullmatch(t) for t in cleaned):
        return "point"
    return "thousands"


_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def parse_decimal(raw: object, mode: DecimalMode = "thousands") -> float:
    """Numbers as 3850, 3850.5 or (decimal comma) 3.850,50; 'EUR' and '€' are ignored.
    ``mode``: the column's decimal sign (``decimal_mode``)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        value = float(raw)
    else:
        text = re.sub(r"(?i)\s|€|eur", "", as_text(raw) or "")
        if mode != "point" and re.fullmatch(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", text):
            value = float(text.replace(".", "").replace(",", "."))
        elif mode == "point" and _THOUSANDS.fullmatch(text) and text.count(".") == 1:
            raise ValueError(
                "mehrdeutig: Punkt als Tausender- oder Dezimaltrennzeichen? Die Spalte hat "
                "Dezimalpunkte; bitte ohne Tausenderpunkt schreiben (3850 oder 3850.00) / "
                "ambiguous: the column uses decimal points; write the number without a "
                "thousands point"
            )
        elif mode == "point" and re.fullmatch(r"-?\d+(\.\d+)?", text):
            value = float(text)
        else:
            raise ValueError("keine Zahl / not a number")
    if not math.isfinite(value):
        raise ValueError("keine Zahl / not a number")
    return value


def parse_boolean(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = (as_text(raw) or "").lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError("nicht ja/nein / not yes/no")


def parse_choice(raw: object, column: Column) -> object:
    text = as_text(raw) or ""
    assert column.choices is not None
    for shown, stored in column.choices.items():
        if text.lower() in (shown.lower(), str(stored).lower()):
            return stored
    raise ValueError(
        f"kein erlaubter Wert für '{column.label}' (erlaubt: {', '.join(column.choices)}) / "
        f"not an allowed value"
    )


def parse_code(raw: object, column: Column, codes: Codes) -> str:
    text = as_text(raw) or ""
    if column.width and text.isdigit():
        text = text.zfill(column.width)
    if column.reference == "ags" and text not in codes.ags:
        raise ValueError("AGS ist kein Kreis in Niedersachsen oder Bremen / unknown district code")
    if column.reference == "kldb" and text not in codes.kldb:
        raise ValueError("kein KldB-2010-Code / unknown KldB 2010 code")
    if column.reference == "wz" and text not in codes.wz:
        raise ValueError("keine WZ-2008-Abteilung (2-stellig) / unknown WZ 2008 division")
    return text


def parse_value(raw: object, column: Column, codes: Codes, mode: DecimalMode = "thousands") -> object:
    """The stored value of one cell (None when empty), or ValueError with the reason.
    ``mode``: the decimal sign of the cell's column (``decimal_mode``)."""
    if raw is UNCOMPUTED:
        raise ValueError(
            "Formel ohne berechnetes Ergebnis; bitte in Excel neu berechnen und speichern oder "
            "die Werte als Werte einfügen / formula without a computed result; recalculate and "
            "save in Excel, or paste the values as values"
        )
    if isinstance(raw, str):
        raw = clean_text(raw)
    if as_text(raw) is None:
        if column.required:
            raise ValueError("Pflichtfeld ist leer / required value missing")
        return None
    if column.type == "date":
        value: object = parse_date(raw, codes.first_date, codes.last_date)
    elif column.type == "integer":
        value = parse_integer(raw)
    elif column.type == "decimal":
        value = parse_decimal(raw, mode)
    elif column.type == "boolean":
        value = parse_boolean(raw)
    elif column.type == "choice":
        value = parse_choice(raw, column)
    elif column.reference in ("ags", "kldb", "wz"):
        value = parse_code(raw, column, codes)
    else:
        value = as_text(raw)
        if column.free_text and value is not None:
            check_free_text(value)
        elif value is not None and not column.pseudonymised:  # ids: no e-mail address, no IBAN
            check_free_text(value, PERSONAL_DATA_KINDS[:2])
    if isinstance(value, int | float) and not isinstance(value, bool):
        if column.minimum is not None and value < column.minimum:
            low = column.minimum
            raise ValueError(f"Wert ist kleiner als {_bound(low)} / below the minimum {_bound(low, 'en')}")
        if column.maximum is not None and value > column.maximum:
            high = column.maximum
            raise ValueError(f"Wert ist größer als {_bound(high)} / above the maximum {_bound(high, 'en')}")
    return value


def _bound(value: float, lang: str = "de") -> str:
    """A minimum or maximum: 100.000 and 5,5 in German, 100,000 and 5.5 in English."""
    if float(value).is_integer():
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "de" else text
    return f"{value:g}".replace(".", ",") if lang == "de" else f"{value:g}"


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
