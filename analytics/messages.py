"""One message catalogue for texts on screen and in Excel: ``MESSAGES[id] = (German, English)``.

The query layer returns message ids (and values); pages and the Excel writer turn them into
text with ``msg(id, lang, **values)``. A missing id raises ``KeyError`` (tests look every id of
every view up in both languages); an English text equal to the German one must be listed in
``SAME_IN_BOTH`` (domain words the users say in German, codes, names).
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # --- input of numbers (German first: "3,5", "2.000") -------------------------------
    "input_not_a_number": (
        "„{text}“ ist keine Zahl. Bitte z. B. 3,5 oder 2.000 eingeben.",
        "“{text}” is not a number. Please enter e.g. 3.5 or 2,000.",
    ),
    "input_ambiguous_de": (
        "„{text}“ ist mehrdeutig: im Deutschen trennt das Komma die Nachkommastellen "
        "(3,5), der Punkt die Tausender (2.000).",
        "“{text}” is ambiguous in German notation: the comma separates decimals (3,5), the "
        "point thousands (2.000). Switch to English for 3.5.",
    ),
    "input_ambiguous_en": (
        "„{text}“ ist mehrdeutig in englischer Schreibweise: der Punkt trennt die "
        "Nachkommastellen (3.5), das Komma die Tausender (2,000).",
        "“{text}” is ambiguous: in English notation the point separates decimals (3.5), "
        "the comma thousands (2,000).",
    ),
    "input_out_of_range": (
        "{value} liegt außerhalb des zulässigen Bereichs {minimum} bis {maximum}.",
        "{value} is outside the allowed range {minimum} to {maximum}.",
    ),
    "input_kept": (
        "Die Berechnung verwendet weiter {value}.",
        "The calculation keeps using {value}.",
    ),
    "input_read_as": ("Gelesen als {value}.", "Read as {value}."),
    # --- shared by the views ----------------------------------------------------------
    "filter_region": ("Region", "Region"),
    "filter_period": ("Zeitraum", "Period"),
    "chart_table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "quarter": ("Quartal", "Quarter"),
    "persons": ("Personen", "Persons"),
    "source_label": ("Quelle: {source}", "Source: {source}"),
    "suppression_legend": (
        "* = aus Datenschutzgründen gesperrt: Fallzahlen von 1 oder 2 Personen und Werte, aus "
        "denen sich solche Zahlen errechnen ließen (BA-Praxis, § 16 BStatG).",
        "* = withheld for confidentiality: counts of 1 or 2 persons and values from which such "
        "counts could be derived (BA practice).",
    ),
    "running_quarter": (
        "Das Quartal läuft noch; Netzwerkdaten bis {until}.",
        "The quarter is still running; network data up to {until}.",
    ),
    "source_cases_targets": (
        "Falldaten des Netzwerks Arbeit bewegen!; Ziele laut Förderbescheid (Konfiguration).",
        "case data of the network Arbeit bewegen!; targets from the funding decision (configuration).",
    ),
    "entries": ("Eintritte", "Entries"),
    "transitions": ("Übergänge in Arbeit", "Transitions into work"),
    "target_entries": ("Ziel Eintritte (Jahresziel / 4)", "Target entries (yearly / 4)"),
    "target_transitions": ("Ziel Übergänge (Jahresziel / 4)", "Target transitions (yearly / 4)"),
    # --- Übersicht --------------------------------------------------------------------
    "overview.title": ("Übersicht: Wirkung des Netzwerks", "Overview: impact of the network"),
    "overview.subtitle": (
        "Kennzahlen für {region}, {quarter}; Veränderung zum Vorquartal.",
        "Indicators for {region}, {quarter}; change vs. the previous quarter.",
    ),
    "overview.cumulative": ("seit {start}", "since {start}"),
    "overview.cumulative_value": ("seit {start}: {value}", "since {start}: {value}"),
    "overview.network_wide": ("Netzwerk gesamt", "whole network"),
    "overview.network_value": (
        "Netzwerk gesamt im Quartal: {value}",
        "whole network in the quarter: {value}",
    ),
    "overview.no_network": (
        "In der gewählten Region ist das Netzwerk (noch) nicht aktiv. Netzwerkregionen: {regions}.",
        "The network is not (yet) active in the selected region. Network regions: {regions}.",
    ),
    "overview.chart_title": (
        "Eintritte und Übergänge je Quartal im Vergleich zu den Zielen",
        "Entries and transitions per quarter against targets",
    ),
    "overview.kpi": ("Kennzahl", "Indicator"),
    "overview.kpis": ("Kennzahlen", "Indicators"),
    "overview.kpi_table": ("Kennzahlen als Tabelle", "Indicators as a table"),
    "overview.previous": ("Vorquartal", "Previous quarter"),
    "overview.change": ("Veränderung", "Change"),
    "overview.network_column": ("Netzwerk gesamt im Quartal", "Whole network in the quarter"),
    "overview.quarters": ("Quartale", "Quarters"),
    "overview.definitions": ("Definitionen der Kennzahlen", "Definitions of the indicators"),
    # --- Trends -----------------------------------------------------------------------
    "demo_suffix": (" Demo-Daten (fiktiv).", " Demo data (fictional)."),
    "trends.title": ("Trends: Quartalsentwicklung", "Trends: quarterly development"),
    "trends.intro": (
        "Quartalswerte für {region}{compared}: Arbeitslose und gemeldete Stellen (Durchschnitt "
        "der drei Monatswerte), SvB (Stichtag Quartalsende) und die Eintritte und Übergänge des "
        "Netzwerks.",
        "Quarterly values for {region}{compared}: unemployed and vacancies (average of the "
        "three monthly values), SvB (quarter-end reference date) and the network's entries and "
        "transitions.",
    ),
    "trends.with_agentur_land": (
        " im Vergleich mit Agenturbezirk und Land",
        " compared with the agency district and the state",
    ),
    "trends.with_agentur": (" im Vergleich mit dem Agenturbezirk", " compared with the agency district"),
    "trends.with_land": (" im Vergleich mit dem Land", " compared with the state"),
    "trends.with_nothing": (
        " (ohne Vergleichsgebiet: die Auswahl umfasst Agenturbezirk und Land)",
        " (no comparison area: the selection covers the agency district and the state)",
    ),
    "trends.scope_codes": ("{scope}: WZ {codes} (Konfiguration).", "{scope}: WZ {codes} (configuration)."),
    "trends.occupation": ("Berufe (KldB 2010, Berufshauptgruppe)", "Occupations (KldB 2010, 2-digit)"),
    "trends.all_occupations": ("Alle Berufe", "All occupations"),
    "trends.sector": ("Branche (WZ 2008)", "Sector (WZ 2008)"),
    "trends.auto_core": ("Automobilwirtschaft – Kern", "Automotive – core"),
    "trends.auto_extended": ("Automobilwirtschaft – erweitert", "Automotive – extended"),
    "trends.all_sectors": ("Alle Branchen", "All sectors"),
    "trends.unemployed": ("Arbeitslose", "Unemployed"),
    "trends.vacancies": ("Gemeldete Stellen", "Vacancies"),
    "trends.svb": ("SvB", "SvB"),
    "trends.area": ("Gebiet", "Area"),
    "trends.chart_lm": (
        "Arbeitslose und gemeldete Stellen – {region}, {occupation} (Quartalsdurchschnitt der Monatswerte)",
        "Unemployed and vacancies – {region}, {occupation} (quarter average of monthly values)",
    ),
    "trends.chart_svb": (
        "SvB {sector} – {region} (Stichtag Quartalsende)",
        "SvB {sector} – {region} (quarter-end reference date)",
    ),
    "trends.chart_index": (
        "{measure}: Index (erstes Quartal {first} = 100)",
        "{measure}: index (first quarter {first} = 100)",
    ),
    "trends.index_measure": ("Kennzahl für den Index", "Indicator for the index"),
    "trends.index": ("Index", "Index"),
    "trends.index_fallback": (
        "Für {measure} liegen keine Quartale vor; der Index zeigt {used}.",
        "There are no quarters of {measure}; the index shows {used}.",
    ),
    "trends.chart_network": (
        "Netzwerk: Eintritte und Übergänge je Quartal – {region}",
        "Network: entries and transitions per quarter – {region}",
    ),
    "trends.yoy_title": (
        "Veränderung zum Vorjahresquartal (jeweils letztes verfügbares Quartal)",
        "Change vs. the same quarter a year earlier (latest available quarter each)",
    ),
    "trends.measure": ("Kennzahl", "Indicator"),
    "trends.value": ("Wert", "Value"),
    "trends.change": ("Veränderung", "Change"),
    "trends.change_pct": ("Veränderung %", "Change %"),
    "trends.summary_lm": (
        "Im {quarter} im Durchschnitt {unemployed} Arbeitslose und {vacancies} gemeldete Stellen ({region}).",
        "In {quarter} on average {unemployed} unemployed and {vacancies} vacancies ({region}).",
    ),
    "trends.summary_index": ("Index im {quarter}: {values}.", "Index in {quarter}: {values}."),
    "trends.summary_svb": ("Am Stichtag {quarter}: {values}.", "At the reference date {quarter}: {values}."),
    "trends.no_ba_data": (
        "Bis {quarter} liegen keine BA-Daten vor.",
        "There are no BA data up to {quarter}.",
    ),
    "trends.source_ba": (
        "Quelle: Statistik der Bundesagentur für Arbeit (Arbeitslose und gemeldete "
        "Arbeitsstellen nach KldB 2010, Datenstand {lm}; SvB am Arbeitsort nach WZ 2008, "
        "Stichtag {svb}).",
        "Source: Federal Employment Agency statistics (unemployed and vacancies by KldB "
        "2010, data as of {lm}; SvB at the place of work by WZ 2008, reference date {svb}).",
    ),
    "trends.source": ("{ba} {network}{demo}", "{ba} {network}{demo}"),
    "trends.complete_only": (
        "Nur vollständige Quartale (alle drei Monatswerte vorhanden).",
        "Complete quarters only (all three monthly values present).",
    ),
    "trends.withheld_note": (
        "* = von der BA gesperrt oder aus Datenschutzgründen nicht ausgewiesen; "
        "Summen und Durchschnitte mit gesperrtem Bestandteil sind ebenfalls gesperrt. {disclosure}",
        "* = withheld by the BA or for confidentiality; sums and averages with a "
        "withheld component are withheld as well. {disclosure}",
    ),
    "trends.sheet_lm": ("Arbeitsmarkt", "Labour market"),
    "trends.sheet_svb": ("SvB", "SvB"),
    "trends.sheet_network": ("Netzwerk", "Network"),
    "trends.sheet_yoy": ("Vorjahresvergleich", "Year on year"),
}

SAME_IN_BOTH: frozenset[str] = frozenset(
    {"filter_region", "trends.svb", "trends.sheet_svb", "trends.source", "trends.index"}
)


def msg(message_id: str, lang: str = "de", **values: object) -> str:
    """The text of ``message_id`` in ``lang`` ("de" or "en"), formatted with ``values``."""
    de, en = MESSAGES[message_id]
    text = en if lang == "en" else de
    return text.format(**values) if values else text


def missing_or_untranslated(ids: set[str] | None = None) -> list[str]:
    """Message ids (all, or ``ids``) that are unknown, empty in a language, or whose English
    text repeats the German one without being listed in ``SAME_IN_BOTH``."""
    problems = []
    for message_id in sorted(ids if ids is not None else MESSAGES):
        texts = MESSAGES.get(message_id)
        if texts is None:
            problems.append(f"{message_id}: unknown")
        elif not texts[0].strip() or not texts[1].strip():
            problems.append(f"{message_id}: empty")
        elif texts[0] == texts[1] and message_id not in SAME_IN_BOTH:
            problems.append(f"{message_id}: English = German")
    return problems
