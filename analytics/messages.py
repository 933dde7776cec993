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
    # --- Rollout-Planer (#15) -----------------------------------------------------------
    "rollout.title": ("Rollout-Planer: welche Kreise als Nächstes", "Rollout planner: which Kreise next"),
    "rollout.subtitle": (
        "{n} Kreise bewertet · Normierung: {method} · Automobildefinition: {scope} · "
        "Pendeldistanz {km} km. Höherer Score = höhere Priorität für den Rollout.",
        "{n} Kreise scored · normalisation: {method} · automotive definition: {scope} · "
        "commuting distance {km} km. Higher score = higher rollout priority.",
    ),
    "rollout.method_rank": ("Rang (0 bis 1)", "rank (0 to 1)"),
    "rollout.method_zscore": ("z-Wert", "z-score"),
    "rollout.method_note_rank": (
        "Rang: (r − 1) / (n − 1), r = mittlerer Rang unter den n Kreisen mit Wert; fehlender oder "
        "gesperrter Wert = 0,5",
        "rank: (r − 1) / (n − 1), r = average rank among the n Kreise with a value; missing or "
        "withheld value = 0.5",
    ),
    "rollout.method_note_zscore": (
        "z-Wert: (x − Mittelwert) / Standardabweichung; fehlender oder gesperrter Wert = 0",
        "z-score: (x − mean) / standard deviation; missing or withheld value = 0",
    ),
    "rollout.score_note": (
        "Score = Σ Gewicht × normierter Indikator / Σ Gewichte. Normierung {method}; Indikatoren, "
        "bei denen ein niedriger Wert die Priorität erhöht, werden umgekehrt.",
        "Score = Σ weight × normalised indicator / Σ weights. Normalisation {method}; indicators "
        "where a lower value raises the priority are reversed.",
    ),
    "rollout.scope_core": ("Kern (WZ 29)", "core (WZ 29)"),
    "rollout.scope_extended": (
        "erweitert (WZ 29 + Zulieferbranchen)",
        "extended (WZ 29 + supplier industries)",
    ),
    "rollout.no_data": (
        "Keine Kreise im Warehouse: bitte zuerst die Statistik laden.",
        "No Kreise in the warehouse: please load the statistics first.",
    ),
    "rollout.no_weights": (
        "Alle Gewichte sind 0: kein Score. Bitte mindestens ein Gewicht größer 0 setzen.",
        "All weights are 0: no score. Please set at least one weight above 0.",
    ),
    "rollout.ranking": ("Rangliste der Kreise", "Ranking of the Kreise"),
    "rollout.sheet_ranking": ("Rangliste", "Ranking"),
    "rollout.map_title": ("Score je Kreis", "Score by Kreis"),
    "rollout.rank": ("Rang", "Rank"),
    "rollout.kreis": ("Kreis", "District (Kreis)"),
    "rollout.ags": ("AGS", "AGS code"),
    "rollout.score": ("Score", "Score (priority)"),
    "rollout.network_since": ("Netzwerkregion seit", "Network region since"),
    "rollout.ind.auto_share": ("Anteil Automobil an SvB", "Automotive share of employees"),
    "rollout.ind.auto_share_change": ("Veränderung des Anteils (Vorjahr)", "Change of the share (year)"),
    "rollout.ind.cuts": ("Angekündigter Stellenabbau (Personen)", "Announced job cuts (persons)"),
    "rollout.ind.auto_svb_change_pct": (
        "Veränderung SvB Automobil (Vorjahr, %)",
        "Change of automotive employees (year, %)",
    ),
    "rollout.ind.occ_vacancies": (
        "Gemeldete Stellen in den Berufen der Teilnehmenden",
        "Registered vacancies in the participants' occupations",
    ),
    "rollout.ind.occ_ratio": (
        "Arbeitslose je Stelle in diesen Berufen",
        "Unemployed per vacancy in these occupations",
    ),
    "rollout.ind.reach_vacancies": (
        "Erreichbare gemeldete Stellen (Pendeldistanz)",
        "Reachable registered vacancies (commuting distance)",
    ),
    "rollout.def.auto_share": (
        "SvB am Arbeitsort in den WZ-Abteilungen der Automobildefinition / alle SvB des Kreises, "
        "letzter Stichtag.",
        "Employees subject to social insurance at the place of work in the WZ divisions of the "
        "automotive definition / all such employees of the Kreis, latest reference date.",
    ),
    "rollout.def.auto_share_change": (
        "Anteil zum letzten Stichtag minus Anteil ein Jahr zuvor (Prozentpunkte); ein sinkender "
        "Anteil zeigt laufenden Strukturwandel und erhöht die Priorität.",
        "Share at the latest reference date minus the share a year earlier (percentage points); "
        "a falling share shows structural change under way and raises the priority.",
    ),
    "rollout.def.cuts": (
        "Summe der von Netzwerkbetrieben des Kreises gemeldeten Abbaupläne (firm_need, Art "
        "„Abbau“); nur Kreise mit Netzwerkbetrieben haben einen Wert. Gesperrt bei 1–2 Personen "
        "oder 1–2 meldenden Betrieben.",
        "Sum of the job cuts announced by the network's firms in the Kreis (firm_need, kind "
        "'cut'); only Kreise with network firms have a value. Withheld for 1–2 persons or 1–2 "
        "announcing firms.",
    ),
    "rollout.def.auto_svb_change_pct": (
        "SvB in der Automobildefinition zum letzten Stichtag gegenüber einem Jahr zuvor, in %; "
        "ein Rückgang erhöht die Priorität.",
        "Automotive employees at the latest reference date against a year earlier, in %; a "
        "decline raises the priority.",
    ),
    "rollout.def.occ_vacancies": (
        "Gemeldete Arbeitsstellen (Quartalsmittel) in den KldB-Berufsgruppen, aus denen die "
        "Teilnehmenden des Netzwerks kommen; von der BA gesperrte Werte zählen als 0 (Untergrenze).",
        "Registered vacancies (quarterly average) in the KldB occupational groups the network's "
        "participants come from; values withheld by the BA count as 0 (lower bound).",
    ),
    "rollout.def.occ_ratio": (
        "Arbeitslose / gemeldete Arbeitsstellen in denselben Berufsgruppen; ein niedriger Wert "
        "(mehr Stellen je arbeitsloser Person) erhöht die Priorität.",
        "Unemployed / registered vacancies in the same occupational groups; a low value (more "
        "vacancies per unemployed person) raises the priority.",
    ),
    "rollout.def.reach_vacancies": (
        "Gemeldete Arbeitsstellen aller Berufe (Quartalsmittel) in allen Kreisen, deren "
        "Mittelpunkt höchstens die Pendeldistanz vom Mittelpunkt des Kreises entfernt liegt "
        "(Großkreisentfernung, BKG-Geometrie), den Kreis selbst eingeschlossen.",
        "Registered vacancies of all occupations (quarterly average) in all Kreise whose centroid "
        "lies within the commuting distance of the Kreis's centroid (great-circle distance, BKG "
        "geometry), the Kreis itself included.",
    ),
    "rollout.def.score": (
        "Gewichteter Mittelwert der normierten Indikatoren (Gewichte auf der Seite einstellbar).",
        "Weighted mean of the normalised indicators (weights editable on the page).",
    ),
    "rollout.source": (
        "BA-Beschäftigungs- und Arbeitsmarktstatistik; Falldaten des Netzwerks; BKG VG5000.",
        "BA employment and labour-market statistics; network case data; BKG VG5000.",
    ),
    "rollout.source_ba_svb": ("BA-Beschäftigungsstatistik (SvB nach WZ)", "BA employment statistics (by WZ)"),
    "rollout.source_ba_lm": ("BA-Arbeitsmarktstatistik (nach KldB)", "BA labour-market statistics (by KldB)"),
    "rollout.source_ba_lm_geo": (
        "BA-Arbeitsmarktstatistik; BKG VG5000 (Mittelpunkte)",
        "BA labour-market statistics; BKG VG5000 (centroids)",
    ),
    "rollout.source_network": ("Falldaten des Netzwerks (Betriebe)", "network case data (firms)"),
    "rollout.group_score": ("Teilscore {group}", "Sub-score {group}"),
    "rollout.group_dependency": ("Abhängigkeit", "Dependency"),
    "rollout.group_pressure": ("Druck", "Pressure"),
    "rollout.group_absorption": ("Aufnahmefähigkeit", "Absorption"),
    "rollout.group_reach": ("Erreichbare Nachfrage", "Reachable demand"),
    "rollout.higher": ("höher = Priorität", "higher = priority"),
    "rollout.lower": ("niedriger = Priorität", "lower = priority"),
    "rollout.indicators": ("Indikatoren, Definitionen und Gewichte", "Indicators, definitions and weights"),
    "rollout.sheet_indicators": ("Indikatoren", "Indicators"),
    "rollout.indicator": ("Indikator", "Indicator"),
    "rollout.group": ("Gruppe", "Group"),
    "rollout.definition": ("Definition", "Definition"),
    "rollout.direction": ("Richtung", "Direction"),
    "rollout.weight": ("Gewicht", "Weight"),
    "rollout.source_column": ("Quelle", "Source"),
    "rollout.stand": ("Stand", "As of"),
    "rollout.filter_method": ("Normierung", "Normalisation"),
    "rollout.filter_scope": ("Automobildefinition", "Automotive definition"),
    "rollout.filter_distance": ("Pendeldistanz", "Commuting distance"),
    "rollout.filter_weights": ("Gewichte", "Weights"),
    "rollout.profile": ("Profil: {name}", "Profile: {name}"),
    "rollout.rank_of": ("Rang {rank} von {n}", "rank {rank} of {n}"),
    "rollout.priority_rank": ("Priorität: Rang {rank} von {n}", "priority: rank {rank} of {n}"),
    "rollout.presence_yes": (
        "Netzwerkregion seit {since} (Rollout-Plan); bisher {entries} Eintritte, {transitions} "
        "Übergänge in Arbeit.",
        "Network region since {since} (rollout plan); so far {entries} entries, {transitions} "
        "transitions into work.",
    ),
    "rollout.presence_no": ("Noch keine Netzwerkregion.", "Not yet a network region."),
    "rollout.compare": ("Vergleich der Kandidaten", "Comparison of the candidates"),
    "rollout.sheet_compare": ("Vergleich", "Comparison"),
    "rollout.land_value": ("Land {land}", "State {land}"),
    "rollout.projection": ("Projektion für {name}", "Projection for {name}"),
    "rollout.sheet_projection": ("Projektion", "Projection"),
    "rollout.projection_basis_svb": (
        "Raten je Jahr und 1.000 SvB in der Automobildefinition, beobachtet in den Netzwerkregionen "
        "{regions} (seit dem ersten Eintritt). Erwartet = gepoolte Rate, niedrig/hoch = kleinste/"
        "größte Rate einer einzelnen Region.",
        "Rates per year and 1,000 automotive employees, observed in the network regions "
        "{regions} (since their first entry). Expected = pooled rate, low/high = smallest/largest "
        "rate of a single region.",
    ),
    "rollout.projection_basis_cuts": (
        "Raten je Jahr und angekündigtem Stellenabbau (Person), beobachtet in den Netzwerkregionen "
        "{regions} (seit dem ersten Eintritt). Erwartet = gepoolte Rate, niedrig/hoch = kleinste/"
        "größte Rate einer einzelnen Region.",
        "Rates per year and announced job cut (person), observed in the network regions {regions} "
        "(since their first entry). Expected = pooled rate, low/high = smallest/largest rate of a "
        "single region.",
    ),
    "rollout.projection_no_base_svb": (
        "Für diesen Kreis liegt keine Zahl der SvB in der Automobildefinition vor.",
        "There is no number of automotive employees for this Kreis.",
    ),
    "rollout.projection_no_base_cuts": (
        "Für diesen Kreis liegt kein (oder nur ein gesperrter) angekündigter Stellenabbau vor; "
        "bitte die Basis „je 1.000 SvB“ wählen.",
        "There are no (or only withheld) announced job cuts for this Kreis; please choose the "
        "basis “per 1,000 employees”.",
    ),
    "rollout.projection_cost": (
        "Budget = erwartete Übergänge × beobachtete Kosten je Übergang ({cost}: verausgabte "
        "Fördermittel / Übergänge in Arbeit des ganzen Netzwerks).",
        "Budget = expected transitions × observed cost per transition ({cost}: funding spent / "
        "transitions into work of the whole network).",
    ),
    "rollout.proj.rate_entries_svb": (
        "Eintritte je Jahr und 1.000 SvB",
        "Entries per year and 1,000 employees",
    ),
    "rollout.proj.rate_entries_cuts": (
        "Eintritte je Jahr und Abbau-Person",
        "Entries per year and cut person",
    ),
    "rollout.proj.rate_transitions_svb": (
        "Übergänge je Jahr und 1.000 SvB",
        "Transitions per year and 1,000 employees",
    ),
    "rollout.proj.rate_transitions_cuts": (
        "Übergänge je Jahr und Abbau-Person",
        "Transitions per year and cut person",
    ),
    "rollout.proj.entries": ("Erwartete Eintritte je Jahr", "Expected entries per year"),
    "rollout.proj.transitions": ("Erwartete Übergänge je Jahr", "Expected transitions per year"),
    "rollout.proj.budget": ("Budget je Jahr", "Budget per year"),
    "rollout.measure": ("Größe", "Measure"),
    "rollout.expected": ("Erwartet", "Expected"),
    "rollout.low": ("Niedrig", "Low"),
    "rollout.high": ("Hoch", "High"),
    "rollout.plan": ("Rollout-Plan", "Rollout plan"),
    "rollout.sheet_plan": ("Plan", "Plan"),
    "rollout.wave": ("Welle", "Wave"),
    "rollout.start": ("Start", "Start date"),
    "rollout.plan_note": (
        "Der Plan ist Konfiguration (cockpit.toml, Abschnitt [[rollout.waves]]): die eine Quelle "
        "für die Netzwerkregionen mit Startdatum (Demo-Daten, „Netzwerkregion seit“).",
        "The plan is configuration (cockpit.toml, section [[rollout.waves]]): the one source of "
        "the network regions with their start dates (demo data, “network region since”).",
    ),
    "rollout.scenarios": ("Szenarien speichern und laden", "Save and load scenarios"),
    "rollout.scenario_pick": ("Gespeichertes Szenario", "Saved scenario"),
    "rollout.scenario_load": ("Laden", "Load"),
    "rollout.scenario_name": ("Name des Szenarios", "Name of the scenario"),
    "rollout.scenario_save": ("Aktuelle Einstellungen speichern", "Save the current settings"),
    "rollout.scenario_saved": ("Szenario „{name}“ gespeichert.", "Scenario “{name}” saved."),
    "rollout.scenario_loaded": ("Szenario „{name}“ geladen.", "Scenario “{name}” loaded."),
    "rollout.scenario_invalid": (
        "Nicht gespeichert: Name mit 1–60 Buchstaben, Ziffern, Leerzeichen oder . , ( ) + & / - "
        "angeben (höchstens 100 Szenarien).",
        "Not saved: give a name of 1–60 letters, digits, spaces or . , ( ) + & / - (at most 100 scenarios).",
    ),
    "rollout.scenario_damaged": (
        "Die Datei der Szenarien ist beschädigt und wird nicht gelesen (rollout_scenarios.json "
        "im Datenverzeichnis).",
        "The scenario file is damaged and is not read (rollout_scenarios.json in the data directory).",
    ),
    "rollout.w_heading": ("Rollout-Planer", "Rollout planner"),
    "rollout.w_method": ("Normierung", "Normalisation"),
    "rollout.w_scope": ("Automobildefinition", "Automotive definition"),
    "rollout.w_distance": ("Pendeldistanz (km)", "Commuting distance (km)"),
    "rollout.w_weights": ("Gewichte der Indikatoren", "Weights of the indicators"),
    "rollout.w_compare": ("Kandidaten vergleichen (bis zu 4)", "Compare candidates (up to 4)"),
    "rollout.w_profile": ("Profil des Kreises", "Profile of the Kreis"),
    "rollout.w_candidate": ("Projektion für", "Projection for"),
    "rollout.w_basis": ("Basis der Raten", "Basis of the rates"),
    "rollout.basis_svb": ("je 1.000 SvB Automobil", "per 1,000 automotive employees"),
    "rollout.basis_cuts": ("je angekündigtem Abbau", "per announced cut"),
    "rollout.w_reset": ("Standardgewichte", "Default weights"),
}

SAME_IN_BOTH: frozenset[str] = frozenset(
    {"filter_region", "auth_role_agency", "rollout.definition", "rollout.sheet_plan"}
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
