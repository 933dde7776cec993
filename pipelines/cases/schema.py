"""The import format of the network's case data: one declarative description.

Every sheet and column of the import template is described here once. The template
workbook, its data-dictionary sheet and the importer are all generated from these
objects, so the format cannot drift between what staff fill in and what is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

ColumnType = Literal["text", "date", "integer", "decimal", "boolean", "choice"]
Reference = Literal["ags", "kldb", "wz", "firm", "case"]

AGE_GROUPS = ("unter 25", "25-34", "35-44", "45-54", "55 und älter")
SIZE_CLASSES = ("1-9", "10-49", "50-99", "100-249", "250-499", "500+")
ROLES = {"abgebend": "releasing", "aufnehmend": "receiving", "beides": "both"}
NEED_KINDS = {"Abbau": "cut", "Bedarf": "need"}
NEED_STATUS = {
    "offen": "open",
    "teilweise besetzt": "partly",
    "besetzt": "filled",
    "zurückgezogen": "withdrawn",
}
EVENTS = {
    "Eintritt": "entry",
    "Beratung": "counselling",
    "Qualifizierung Beginn": "qualification_start",
    "Qualifizierung Ende": "qualification_end",
    "Vermittlungsvorschlag": "placement_proposal",
    "Probearbeit": "trial_work",
    "Arbeitsaufnahme": "job_start",
    "Austritt ohne Übergang": "exit",
    "Arbeitslos gemeldet": "unemployed",
    "Verbleibsprüfung 6 Monate": "retention_check",
}
GENDERS = {"m": "m", "w": "w", "d": "d"}
YES_NO = {"ja": True, "nein": False}


POLARS_TYPES = {
    "text": pl.String,
    "choice": pl.String,
    "date": pl.Date,
    "integer": pl.Int32,
    "decimal": pl.Float64,
    "boolean": pl.Boolean,
}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: header label, warehouse name, type and rules."""

    name: str  # warehouse column (or source-only field, see ``stored``)
    label: str  # German header in the template and the exports
    type: ColumnType
    description: str
    example: str
    required: bool = False
    choices: dict[str, object] | None = None  # shown value -> stored value
    reference: Reference | None = None  # checked against reference tables / known records
    width: int | None = None  # digits of a numeric code (AGS 5, WZ 2): leading zeros restored
    minimum: float | None = None
    maximum: float | None = None
    stored: bool = True  # False: read only to derive another column, never stored
    pseudonymised: bool = False  # replaced by a keyed hash before anything is stored
    free_text: bool = False  # checked for e-mail addresses, phone numbers, IBANs, persons

    @property
    def allowed_text(self) -> str:
        if self.choices:
            return ", ".join(self.choices)
        if self.reference == "ags":
            return "5-stelliger Kreisschlüssel (AGS) aus Blatt 'Codelisten'"
        if self.reference == "kldb":
            return (
                "KldB-2010-Code aus Blatt 'Codelisten' (3-stellige Berufsgruppe) oder 5-stellige "
                "Berufsgattung einer solchen Gruppe"
            )
        if self.reference == "wz":
            return "2-stellige WZ-2008-Abteilung aus Blatt 'Codelisten'"
        if self.reference == "firm":
            return "Betriebs-ID aus Blatt 'Betriebe' (oder bereits geladen)"
        if self.reference == "case":
            return "Fall-ID aus Blatt 'Teilnehmende' (oder bereits geladen)"
        if self.type == "date":
            return "TT.MM.JJJJ oder JJJJ-MM-TT"
        if self.type in ("integer", "decimal"):
            low = "" if self.minimum is None else f"≥ {self.minimum:g}"
            high = "" if self.maximum is None else f"≤ {self.maximum:g}"
            return " und ".join(p for p in (low, high) if p) or "Zahl"
        return "Text"


@dataclass(frozen=True)
class Sheet:
    """One sheet of the template = one warehouse table (CSV: one file ``<file_stem>.csv``)."""

    key: str
    title: str  # sheet name
    table: str
    file_stem: str
    description: str
    natural_key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def stored_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.stored]

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        """The stored columns with their Polars types (as the importer and the demo build them)."""
        return {c.name: POLARS_TYPES[c.type] for c in self.columns if c.stored}


FIRMS = Sheet(
    "firms",
    "Betriebe",
    "firm",
    "betriebe",
    "Abgebende und aufnehmende Betriebe des Netzwerks, eine Zeile je Betrieb.",
    ("firm_id",),
    (
        Column(
            "firm_id",
            "Betriebs-ID",
            "text",
            "Kennung des Betriebs im Fallmanagement; eindeutig und dauerhaft.",
            "R-03254-01",
            required=True,
        ),
        Column(
            "name",
            "Betriebsname",
            "text",
            "Name des Betriebs (keine Personennamen, E-Mail-Adressen oder Telefonnummern).",
            "Musterteile GmbH",
            required=True,
            free_text=True,
        ),
        Column(
            "role",
            "Rolle",
            "choice",
            "Gibt der Betrieb Beschäftigte ab, nimmt er auf, oder beides?",
            "abgebend",
            required=True,
            choices=ROLES,
        ),
        Column(
            "wz",
            "WZ-Abteilung",
            "text",
            "Wirtschaftszweig (WZ 2008, 2-stellige Abteilung).",
            "29",
            reference="wz",
            width=2,
        ),
        Column(
            "ags",
            "Kreis (AGS)",
            "text",
            "Kreis des Betriebsstandorts.",
            "03254",
            required=True,
            reference="ags",
            width=5,
        ),
        Column(
            "size_class",
            "Größenklasse",
            "choice",
            "Beschäftigte am Standort.",
            "250-499",
            choices={v: v for v in SIZE_CLASSES},
        ),
        Column(
            "collective_agreement", "Tarifgebunden", "boolean", "Gilt ein Tarifvertrag?", "ja", choices=YES_NO
        ),
        Column("works_council", "Betriebsrat", "boolean", "Gibt es einen Betriebsrat?", "ja", choices=YES_NO),
        Column(
            "lon",
            "Längengrad",
            "decimal",
            "Standort, geographische Länge (WGS84) für die Karte.",
            "9,95",
            minimum=5.5,
            maximum=15.5,
        ),
        Column(
            "lat",
            "Breitengrad",
            "decimal",
            "Standort, geographische Breite (WGS84).",
            "52,15",
            minimum=47.0,
            maximum=55.5,
        ),
    ),
)

NEEDS = Sheet(
    "needs",
    "Bedarfe",
    "firm_need",
    "bedarfe",
    "Angekündigter Personalabbau und Fachkräftebedarf der Betriebe, eine Zeile je Meldung.",
    ("firm_id", "need_date", "kind", "kldb"),
    (
        Column(
            "firm_id",
            "Betriebs-ID",
            "text",
            "Betrieb, der meldet.",
            "R-03254-01",
            required=True,
            reference="firm",
        ),
        Column("need_date", "Datum", "date", "Datum der Meldung.", "15.01.2026", required=True),
        Column(
            "kind",
            "Art",
            "choice",
            "Abbau (abgebender Betrieb) oder Bedarf (aufnehmender Betrieb).",
            "Abbau",
            required=True,
            choices=NEED_KINDS,
        ),
        Column(
            "kldb",
            "Beruf (KldB)",
            "text",
            "Betroffener bzw. gesuchter Beruf: 3-stellige Berufsgruppe oder 5-stellige "
            "Berufsgattung (5. Stelle = Anforderungsniveau: 1 Helfer, 2 Fachkraft, 3 Spezialist, "
            "4 Experte).",
            "26122",
            reference="kldb",
        ),
        Column(
            "count",
            "Anzahl",
            "integer",
            "Anzahl der Stellen bzw. Beschäftigten.",
            "40",
            required=True,
            minimum=1,
            maximum=100_000,
        ),
        Column(
            "effective_date",
            "Wirksam ab",
            "date",
            "Tag, an dem der Abbau bzw. der Bedarf wirksam wird (leer: das Datum der Meldung).",
            "30.06.2026",
        ),
        Column(
            "status",
            "Stand",
            "choice",
            "offen, teilweise besetzt, besetzt oder zurückgezogen (leer: offen). Besetzte und "
            "zurückgezogene Meldungen zählen in der Drehscheibe nicht mehr mit.",
            "offen",
            choices=NEED_STATUS,
        ),
        Column(
            "filled",
            "Davon erledigt",
            "integer",
            "Von der Anzahl schon erledigt: besetzte Stellen (Bedarf) bzw. schon vermittelte oder "
            "ausgeschiedene Beschäftigte (Abbau); höchstens die Anzahl (leer: 0). Die Drehscheibe "
            "zählt nur den offenen Rest, Anzahl minus erledigt.",
            "10",
            minimum=0,
            maximum=100_000,
        ),
        Column(
            "training",
            "Einarbeitung/Qualifizierung",
            "boolean",
            "Nur Bedarf: bietet der Betrieb Qualifizierung im Betrieb an? (leer: unbekannt)",
            "ja",
            choices=YES_NO,
        ),
        Column(
            "wage",
            "Monatslohn (brutto)",
            "decimal",
            "Nur Bedarf, optional: gebotener Bruttomonatslohn in EUR, ein Hinweis für die Zuordnung.",
            "3400",
            minimum=0,
            maximum=50_000,
        ),
    ),
)

PARTICIPANTS = Sheet(
    "participants",
    "Teilnehmende",
    "participant",
    "teilnehmende",
    "Ein Fall je Teilnehmerin/Teilnehmer. Keine Namen, Geburtsdaten, Anschriften oder "
    "SV-Nummern: solche Spalten werden verworfen.",
    ("case_id",),
    (
        Column(
            "case_id",
            "Fall-ID",
            "text",
            "Fallnummer im Fallmanagement. Wird beim Import "
            "durch einen Schlüssel-Hash ersetzt und nie im Klartext gespeichert.",
            "F-2026-0001",
            required=True,
            pseudonymised=True,
        ),
        Column(
            "releasing_firm",
            "Abgebender Betrieb",
            "text",
            "Betriebs-ID des abgebenden Betriebs (Rolle abgebend oder beides).",
            "R-03254-01",
            required=True,
            reference="firm",
        ),
        Column(
            "home_ags",
            "Wohnort-Kreis (AGS)",
            "text",
            "Kreis des Wohnorts.",
            "03254",
            required=True,
            reference="ags",
            width=5,
        ),
        Column(
            "age_group",
            "Altersgruppe",
            "choice",
            "Altersgruppe beim Eintritt.",
            "35-44",
            choices={v: v for v in AGE_GROUPS},
        ),
        Column(
            "birth_year",
            "Geburtsjahr",
            "integer",
            "Nur falls keine Altersgruppe vorliegt: "
            "wird in die Altersgruppe beim Eintritt umgerechnet und nicht gespeichert.",
            "1981",
            minimum=1930,
            maximum=2015,
            stored=False,
        ),
        Column("gender", "Geschlecht", "choice", "m, w oder d.", "w", choices=GENDERS),
        Column(
            "entry_date",
            "Eintrittsdatum",
            "date",
            "Tag des Eintritts ins Netzwerk.",
            "12.01.2026",
            required=True,
        ),
        Column(
            "old_job_end_date",
            "Ende altes Arbeitsverhältnis",
            "date",
            "Letzter Tag der bisherigen Beschäftigung (Ende der Kündigungsfrist).",
            "31.03.2026",
        ),
        Column(
            "origin_kldb",
            "Bisheriger Beruf (KldB)",
            "text",
            "Beruf vor dem Übergang.",
            "252",
            reference="kldb",
        ),
        Column(
            "origin_wage",
            "Bisheriger Bruttomonatslohn (EUR)",
            "decimal",
            "Bruttomonatslohn vor dem Übergang, freiwillig.",
            "3.850,00",
            minimum=0,
            maximum=100_000,
        ),
    ),
)

EVENTS_SHEET = Sheet(
    "events",
    "Ereignisse",
    "case_event",
    "ereignisse",
    "Verlauf der Fälle: eine Zeile je Ereignis. Arbeitsaufnahme mit aufnehmendem Betrieb; "
    "Verbleibsprüfung 6 Monate mit 'Noch beschäftigt'.",
    ("case_id", "event_date", "event"),
    (
        Column(
            "case_id",
            "Fall-ID",
            "text",
            "Fall, zu dem das Ereignis gehört.",
            "F-2026-0001",
            required=True,
            reference="case",
            pseudonymised=True,
        ),
        Column("event_date", "Datum", "date", "Tag des Ereignisses.", "15.03.2026", required=True),
        Column(
            "event",
            "Ereignis",
            "choice",
            "Art des Ereignisses.",
            "Arbeitsaufnahme",
            required=True,
            choices=EVENTS,
        ),
        Column(
            "receiving_firm",
            "Aufnehmender Betrieb",
            "text",
            "Nur bei Arbeitsaufnahme (Pflicht): Betriebs-ID des aufnehmenden Betriebs.",
            "E-001",
            reference="firm",
        ),
        Column(
            "target_kldb", "Neuer Beruf (KldB)", "text", "Nur bei Arbeitsaufnahme.", "262", reference="kldb"
        ),
        Column(
            "new_wage",
            "Neuer Bruttomonatslohn (EUR)",
            "decimal",
            "Nur bei Arbeitsaufnahme, freiwillig.",
            "3.900,00",
            minimum=0,
            maximum=100_000,
        ),
        Column(
            "retained",
            "Noch beschäftigt",
            "boolean",
            "Nur bei Verbleibsprüfung 6 Monate (Pflicht): ist die Person noch beschäftigt?",
            "ja",
            choices=YES_NO,
        ),
    ),
)

FUNDING = Sheet(
    "funding",
    "Förderung",
    "funding",
    "foerderung",
    "Geplante und ausgegebene Fördermittel je Quartal.",
    ("quarter_start",),
    (
        Column(
            "quarter_start",
            "Quartalsbeginn",
            "date",
            "Erster Tag des Quartals (01.01., 01.04., 01.07. oder 01.10.).",
            "01.01.2026",
            required=True,
        ),
        Column(
            "planned_eur",
            "Geplant (EUR)",
            "decimal",
            "Geplante Mittel im Quartal.",
            "30.000,00",
            required=True,
            minimum=0,
            maximum=100_000_000,
        ),
        Column(
            "spent_eur",
            "Ausgegeben (EUR)",
            "decimal",
            "Ausgegebene Mittel; leer für künftige Quartale.",
            "24.000,00",
            minimum=0,
            maximum=100_000_000,
        ),
    ),
)

SHEETS: tuple[Sheet, ...] = (FIRMS, NEEDS, PARTICIPANTS, EVENTS_SHEET, FUNDING)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
DICTIONARY_TITLE = "Datenlexikon"
CODES_TITLE = "Codelisten"

# Column headers that identify persons or hold special categories of personal data (design
# §6, DSGVO Art. 9): compared after normalisation (lower case, umlauts transliterated, letters
# and digits only). A column whose header contains one of these words, or one of the
# abbreviations below as a word of its own, and is not part of the sheet's format is dropped
# with a warning.
IDENTIFYING_WORDS = (
    "gebdatum",
    "geburtsort",
    "geburtsland",
    "placeofbirth",
    "birthplace",
    "staatsangehoerigkeit",
    "nationalitaet",
    "nationality",
    "citizenship",
    "schwerbehind",
    "behinderung",
    "disability",
    "gesundheit",
    "krankheit",
    "diagnose",
    "religion",
    "konfession",
    "familienstand",
    "kontakt",
    "contact",
    "telefax",
    "mobilnummer",
    "name",
    "vorname",
    "nachname",
    "familienname",
    "geburtsname",
    "surname",
    "geburtsdatum",
    "geburtstag",
    "geboren",
    "birthdate",
    "dateofbirth",
    "dob",
    "adresse",
    "anschrift",
    "strasse",
    "hausnummer",
    "plz",
    "postleitzahl",
    "wohnort",
    "address",
    "street",
    "zipcode",
    "svnummer",
    "svnr",
    "sozialversicherung",
    "versicherungsnummer",
    "rvnummer",
    "rentenversicherung",
    "steuerid",
    "steuernummer",
    "personalnummer",
    "ausweis",
    "socialsecurity",
    "ssn",
    "telefon",
    "handy",
    "mobil",
    "phone",
    "email",
    "mail",
    "iban",
    "bemerkung",
    "notiz",
    "kommentar",
    "freitext",
    "anmerkung",
    "notes",
    "note",
    "comment",
    "ansprechpartner",
    "kontaktperson",
)

# Abbreviations that identify persons only as a word of their own ('Tel.', 'Geb.-Datum',
# 'Mob.'), never inside a longer word ('Stellen', 'abgebend'): matched against the header's
# words (lower case, umlauts transliterated).
IDENTIFYING_ABBREVIATIONS = ("tel", "geb", "gebdat", "fax", "mob", "gdb", "stag", "dob", "pers")
