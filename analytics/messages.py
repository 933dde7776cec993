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
    # --- sign-in and roles (#13, analytics.auth, pages.auth) ---------------------------
    "auth_title": ("Anmeldung", "Sign-in"),
    "auth_intro": (
        "Das Cockpit zeigt Daten erst nach der Anmeldung. Welche Seiten und Werte Sie sehen, "
        "richtet sich nach Ihrer Rolle (Transformationsagentur, Ministerium, Sozialpartner).",
        "The cockpit shows data only after signing in. Which pages and values you see depends "
        "on your role (Transformationsagentur, ministry, social partner).",
    ),
    "auth_login": ("Anmelden", "Sign in"),
    "auth_logout": ("Abmelden", "Sign out"),
    "auth_signed_in": ("Angemeldet: {who} · Rolle: {role}", "Signed in: {who} · role: {role}"),
    "auth_no_provider": (
        "Keine Anmeldung eingerichtet: Der Identitätsanbieter wird in `.streamlit/secrets.toml` "
        "(Abschnitt `[auth]`) eingetragen, siehe README „Anmeldung und Rollen“.",
        "No sign-in set up: the identity provider goes into `.streamlit/secrets.toml` (section "
        '`[auth]`), see the README "Sign-in and roles".',
    ),
    "auth_unknown_user": (
        "Sie sind als {who} angemeldet, haben aber keine Rolle im Cockpit und sehen daher keine "
        "Daten. Bitte wenden Sie sich an die Transformationsagentur, damit Ihre Rolle "
        "eingetragen wird.",
        "You are signed in as {who} but have no role in the cockpit, so you see no data. "
        "Please ask the Transformationsagentur to enter your role.",
    ),
    "auth_agency_only": (
        "Nur für die Rolle „Transformationsagentur“ (agency).",
        'Only for the role "Transformationsagentur" (agency).',
    ),
    "auth_role_agency": ("Transformationsagentur", "Transformationsagentur"),
    "auth_role_ministry": ("Ministerium", "Ministry"),
    "auth_role_social_partner": ("Sozialpartner", "Social partner"),
    "auth_demo_title": ("Demo-Anmeldung (ohne Identitätsanbieter)", "Demo sign-in (no identity provider)"),
    "auth_demo_intro": (
        "DEMO: Das Cockpit enthält nur fiktive Demo-Daten. Wählen Sie eine Rolle, um zu sehen, "
        "was diese Rolle sieht. Sobald echte Daten geladen sind, gibt es diese Anmeldung nicht mehr.",
        "DEMO: the cockpit holds fictional demo data only. Pick a role to see what that role "
        "sees. Once real data is loaded, this sign-in is gone.",
    ),
    "auth_demo_role": ("Rolle", "Role"),
    "auth_demo_signin": ("Als Demo-Rolle anmelden", "Sign in with the demo role"),
    "auth_demo_who": ("Demo-Anmeldung", "demo sign-in"),
    "auth_demo_off": (
        "Die Demo-Anmeldung ist ausgeschaltet (Einstellung `auth.demo_signin`).",
        "The demo sign-in is switched off (setting `auth.demo_signin`).",
    ),
    "auth_demo_real_data": (
        "Die Demo-Anmeldung ist nicht möglich: Das Warehouse enthält echte Daten.",
        "The demo sign-in is refused: the warehouse holds real data.",
    ),
    "auth_demo_provider": (
        "Die Demo-Anmeldung ist nicht möglich: Ein Identitätsanbieter ist eingerichtet.",
        "The demo sign-in is refused: an identity provider is set up.",
    ),
    "auth_demo_setting": (
        "Die Demo-Anmeldung ist nicht möglich: Ein eigener `case_id_key` ist gesetzt "
        "(Einstellung für echte Daten).",
        "The demo sign-in is refused: a custom `case_id_key` is set (a setting for real data).",
    ),
}

SAME_IN_BOTH: frozenset[str] = frozenset({"filter_region", "auth_role_agency"})


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
