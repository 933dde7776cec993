"""Sheet names, label patterns and symbols of the BA and Regionaldatenbank publications.

Kept in one place (sources.md §1–2): the parsers look for these labels, never for fixed row
numbers or file names. Patterns are matched against labels after cleaning (soft hyphens
removed, footnote marks stripped, whitespace collapsed, lower case).
"""

from __future__ import annotations

import re

# Publication families (column `publication` of the fact tables, `family` of ingest_report).
BA_LABOUR_MARKET = "ba-alo-gemeldete-stellen-kldb"
BA_EMPLOYMENT = "ba-beschaeftigte-wz"
BA_ECKWERTE = "ba-arbeitsmarktreport-eckwerte"
BA_DATENBANK = "ba-datenbank-csv"
REGIO_FFCSV = "regio-ffcsv"
REGIO_FLAT = "regio-flat-csv"
FAMILIES = (BA_LABOUR_MARKET, BA_EMPLOYMENT, BA_ECKWERTE, BA_DATENBANK, REGIO_FFCSV, REGIO_FLAT)
DEMO_PREFIX = "demo:"  # publication of demo facts: 'demo:<family>' (any real file replaces them)
FAMILY_LABELS = {
    BA_LABOUR_MARKET: "BA: Arbeitslose / gemeldete Arbeitsstellen nach Berufen (KldB)",
    BA_EMPLOYMENT: "BA: Beschäftigte nach Wirtschaftszweigen (SVB/GB - Tabelle II)",
    BA_ECKWERTE: "BA: Arbeitsmarktreport, Blatt Eckwerte",
    BA_DATENBANK: "BA: Datenbanken-Export (CSV)",
    REGIO_FFCSV: "Regionaldatenbank: ffcsv",
    REGIO_FLAT: "Regionaldatenbank: CSV (flach)",
}

# --- symbols (sources.md §1 "Symbols", §2) ------------------------------------------------
# symbol -> (value, flag); value None means NULL.
BA_SYMBOLS: dict[str, tuple[float | None, str | None]] = {
    "*": (None, "suppressed"),
    "-": (0.0, None),
    "x": (None, "na"),
    ".": (None, "unknown"),
    "/": (None, "unreliable"),
    "...": (None, "not_yet"),
    "…": (None, "not_yet"),
}
REGIO_SYMBOLS: dict[str, tuple[float | None, str | None]] = {
    "-": (0.0, None),
    ".": (None, "unknown_or_secret"),
    "...": (None, "not_yet"),
    "…": (None, "not_yet"),
    "/": (None, "unreliable"),
    "x": (None, "blocked"),
    "*": (None, "suppressed"),
}
REGIO_QUALITY_FLAGS = {"p": "provisional", "r": "revised", "s": "estimated", "e": "final"}

# --- Excel families -------------------------------------------------------------------------
SHEET_ECKWERTE = re.compile(r"^\s*eckwerte\s*$", re.I)
SHEET_EMPLOYMENT = re.compile(r"^\s*(svb|gb)\s*-\s*tabelle\s+[ivx]+\s*$", re.I)
SHEET_EMPLOYMENT_MEASURE = {"svb": "svb", "gb": "gb"}

# Row-label column headers -> role. Matched at the start of the cleaned header text.
LABEL_ROLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^agentur(en)?( für arbeit)?\b"), "agentur"),
    (re.compile(r"^(region|kreis|kreise|landkreis|gebiet|bundesland|land)\b"), "region"),
    (re.compile(r"^(regionalschlüssel|ags|kreisschlüssel)\b"), "region"),
    (re.compile(r"^anforderungsniveau\b"), "requirement"),
    (
        re.compile(
            r"^(beruf|berufe|kldb|berufsbereich|berufshauptgruppe|berufsgruppe|"
            r"berufsuntergruppe|berufsgattung|berufssegment|berufshaupt)"
        ),
        "occupation",
    ),
    (
        re.compile(
            r"^(wirtschaftszweig|wirtschaftszweige|wz|wirtschaftsabschnitt|"
            r"wirtschaftsabteilung|wirtschaftsgruppe|wirtschaftsklasse)"
        ),
        "sector",
    ),
    (re.compile(r"^(merkmal|merkmale|eckwerte?)\b"), "indicator"),
)

# Value column headers -> measure.
MEASURES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"gemeldete\s*arbeitsstellen|arbeitsstellen|offene stellen"), "vacancies"),
    (re.compile(r"^arbeitslose\b|^arbeitslosigkeit"), "unemployed"),
    (re.compile(r"geringfügig|^gb\b|minijob"), "gb"),
    (re.compile(r"sozialversicherungspflichtig|^svb\b|beschäftigte"), "svb"),
)

# Value column headers (or row labels of an Anforderungsniveau column) -> breakdown.
BREAKDOWNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(insgesamt|gesamt|zusammen|summe)\b"), "TOTAL"),
    (re.compile(r"^helfer"), "helfer"),
    (re.compile(r"^fachkr"), "fachkraft"),
    (re.compile(r"^spezialist"), "spezialist"),
    (re.compile(r"^expert"), "experte"),
    (re.compile(r"^vollzeit"), "vollzeit"),
    (re.compile(r"^teilzeit"), "teilzeit"),
    (re.compile(r"^(männer|männlich)"), "maenner"),
    (re.compile(r"^(frauen|weiblich)"), "frauen"),
    (
        re.compile(r"ohne (beruflichen )?(berufs|ausbildungs)abschluss|ohne abschluss"),
        "ohne_abschluss",
    ),
    (re.compile(r"anerkannte[mn]? berufsabschluss|mit berufsabschluss"), "anerkannt"),
    (re.compile(r"akademische[mn]? (berufs)?abschluss|hochschul"), "akademisch"),
    (re.compile(r"^(keine angabe|ohne angabe|unbekannt)"), "unbekannt"),
)
# The closed value sets of the BA fact tables' descriptive columns: stored as DuckDB ENUMs
# (a byte per row instead of a string; a value outside the set is refused on load). Not the
# breakdown: a Datenbanken export may name one this code does not know (kept as written).
FACT_ENUMS: dict[str, tuple[str, ...]] = {  # sorted: ORDER BY gives the order of the text
    "measure": tuple(sorted({key for _, key in MEASURES})),
    "region_level": ("agentur", "kreis", "land", "other"),
    "classification": ("KldB2010", "WZ2008", "WZ2025"),
}
FACT_ENUM_TABLES = ("fact_labour_market", "fact_employment")
# Breakdowns that add up to 'TOTAL' (reconciliation of columns).
BREAKDOWN_GROUPS: dict[str, tuple[str, ...]] = {
    "Anforderungsniveau": ("helfer", "fachkraft", "spezialist", "experte"),
    "Arbeitszeit": ("vollzeit", "teilzeit"),
    "Geschlecht": ("maenner", "frauen"),
    "Berufsabschluss": ("ohne_abschluss", "anerkannt", "akademisch", "unbekannt"),
}
# Header words that only group columns ("darunter", "davon", group titles): ignored.
HEADER_NOISE = re.compile(
    r"^(darunter|davon|und zwar|anforderungsniveau|arbeitszeit|berufsabschluss|"
    r"geschlecht|nach|merkmal|anzahl|absolut|bestand|\d+)$"
)

LEADING_NOISE = re.compile(r"^(darunter|davon|und zwar)\s*:?\s*")
PARTIAL_HEADER = re.compile(r"^(darunter|und zwar)\b")  # 'davon' splits a total completely
# A second measure in a column's header, below the first: a breakdown of the first
SUB_MEASURE_BREAKDOWN = {
    "svb": "svpflichtig",
    "gb": "geringfuegig",
    "unemployed": "arbeitslose",
    "vacancies": "arbeitsstellen",
}

# Row labels meaning "all" and "unknown".
TOTAL_LABEL = re.compile(r"^(insgesamt|gesamt|zusammen|summe:?|alle berufe|alle wirtschaftszweige)$")
UNKNOWN_LABEL = re.compile(
    r"^(xx|x|keine angabe|ohne angabe|keine zuordnung möglich|keine zuordnung|unbekannt|"
    r"sonstige / keine zuordnung möglich)\b"
)

# Lines of the title block and the footer.
FOOTER = re.compile(
    r"^(©|\(c\)|copyright|quelle|\d{1,2}\)|\*\)|hinweis|anmerkung|fußnote|erstellungsdatum|"
    r"stand:|statistik der bundesagentur|methodische hinweise|zeichenerklärung)",
    re.I,
)
VINTAGE = re.compile(
    r"(erstellungsdatum|erstellt am|stand|datenstand|veröffentlicht am)\s*:?\s*"
    r"(\d{1,2}\.\s?\d{1,2}\.\s?\d{4})",
    re.I,
)
REPORT_MONTH = re.compile(
    r"\b(berichtsmonat|berichtszeitraum|monat|reporting month|reporting period|month)\b\s*:?\s*(.+)$", re.I
)
COUNT_DAY = re.compile(r"\b(zähltag|stichtag|berichtstag|reference date|count day)\b\s*:?\s*(.+)$", re.I)
# Title lines that may hold a date that is no reporting period: hints, notes, creation date
NOT_PERIOD = re.compile(
    r"^(hinweis|anmerkung|fußnote|note|hint|\d{1,2}\)|\*\)|quelle|source|©|\(c\)|copyright)"
    r"|erstellungsdatum|erstellt am|\bstand\b|datenstand|veröffentlicht|created|gebietsstand|ab |seit |bis ",
    re.I,
)
MONTH_NAMES = {
    "januar": 1,
    "jänner": 1,
    "jan": 1,
    "februar": 2,
    "feb": 2,
    "märz": 3,
    "mär": 3,
    "mrz": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "dez": 12,
    # English, full and abbreviated (the others are spelled as in German)
    "january": 1,
    "february": 2,
    "march": 3,
    "mar": 3,
    "may": 5,
    "june": 6,
    "july": 7,
    "october": 10,
    "oct": 10,
    "december": 12,
    "dec": 12,
}

# Eckwerte rows -> indicator keys (the other rows keep a slug of their label).
ECKWERTE_INDICATORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^arbeitslose( insgesamt)?$"), "unemployed"),
    (
        re.compile(r"^gemeldete arbeitsstellen( insgesamt)?$|^bestand (an )?gemeldeten? arbeitsstellen"),
        "vacancies",
    ),
    (re.compile(r"^arbeitslosenquote.*alle(n)? zivilen erwerbspersonen"), "unemployment_rate"),
    (
        re.compile(r"^arbeitslosenquote.*abhängigen zivilen erwerbspersonen"),
        "unemployment_rate_dependent",
    ),
    (re.compile(r"^arbeitslosenquote$"), "unemployment_rate"),
)
ECKWERTE_CHANGE = re.compile(r"veränderung|gegenüber|vs\.")

# --- CSV families --------------------------------------------------------------------------
FFCSV_REQUIRED = ("statistics_code", "time", "value")
FLAT_REQUIRED = ("statistik_code", "zeit")
FLAT_VALUE_COLUMN = re.compile(r"^([A-Z0-9]+)__(.+?)__(.+)$")
DATENBANK_CODE_COLUMN = re.compile(r"^(.*?)[\s_-]?(id|schlüssel|code|kennziffer|nr\.?)$", re.I)
DATENBANK_DIMENSIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^agentur", re.I), "agentur"),
    (re.compile(r"^(kreis|landkreis|region)", re.I), "kreis"),
    (re.compile(r"^(bundesland|land)$", re.I), "land"),
    (re.compile(r"^(wz|wirtschaft)", re.I), "sector"),
    (re.compile(r"^(kldb|beruf)", re.I), "occupation"),
    (re.compile(r"^anforderungsniveau", re.I), "requirement"),
    (re.compile(r"^(geschlecht|arbeitszeit)", re.I), "breakdown"),
)
SUMME = re.compile(r"^summe:?$", re.I)
