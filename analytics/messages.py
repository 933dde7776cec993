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
    # --- Arbeitsmarktdrehscheibe (#14) -----------------------------------------------
    "exchange.title": ("Arbeitsmarktdrehscheibe", "Labour-market exchange (Drehscheibe)"),
    "exchange.subtitle": (
        "{region} · Abbau mit Wirkung {horizon} (Stichtag {reference}) gegen offene Bedarfe {reach}",
        "{region} · cuts taking effect {horizon} (reference date {reference}) against open needs {reach}",
    ),
    "exchange.reach_km": ("im Umkreis von {km} km", "within {km} km"),
    "exchange.reach_adjacent": ("im selben oder einem Nachbarkreis", "in the same or a neighbouring Kreis"),
    "exchange.widget_reach": ("Erreichbar heißt", "In reach means"),
    "exchange.widget_reach_distance": ("Pendeldistanz (Kreismittelpunkte)", "Commuting distance (centroids)"),
    "exchange.widget_reach_adjacent": (
        "Nachbarkreis (gemeinsame Grenze)",
        "Neighbouring Kreis (shared border)",
    ),
    "exchange.horizon": ("Zeithorizont", "Horizon"),
    "exchange.horizon_3": ("in den nächsten 3 Monaten", "in the next 3 months"),
    "exchange.horizon_6": ("in den nächsten 6 Monaten", "in the next 6 months"),
    "exchange.horizon_12": ("in den nächsten 12 Monaten", "in the next 12 months"),
    "exchange.horizon_past": ("bis heute (bereits wirksam)", "up to now (already in effect)"),
    "exchange.distance": ("Pendeldistanz", "Commuting distance"),
    "exchange.source": (
        "Falldaten des Netzwerks (angekündigter Abbau und Bedarf); Statistik der "
        "Bundesagentur für Arbeit; Geometrie © GeoBasis-DE / BKG",
        "The network's case data (announced cuts and needs); statistics of the Federal "
        "Employment Agency (BA); geometry © GeoBasis-DE / BKG",
    ),
    "exchange.no_cuts": (
        "Für diese Region und diesen Zeitraum ist kein offener Personalabbau gemeldet.",
        "No open job cuts are announced for this region and horizon.",
    ),
    "exchange.rules": (
        "**So wird zugeordnet:** Ein Bedarf passt zu einem Abbau in derselben "
        "KldB-Berufsgruppe (3-stellig, Gewicht 1). Verwandte Berufe zählen geringer: dieselbe "
        "Berufshauptgruppe (2-stellig, Gewicht {related}) und Berufswechsel, die im Netzwerk "
        "mindestens {min_switches}-mal gelungen sind (Gewicht {switch}). Der Bedarf liegt "
        "{reach} (Kreismittelpunkte bzw. Grenzen aus der BKG-Geometrie); das "
        "Anforderungsniveau (5. Stelle der KldB) sinkt um höchstens {drop} Stufe(n). "
        "Abgedeckt = min(Abbau, Σ Gewicht × Bedarf), je Abbau für sich gerechnet.",
        "**How matching works:** a need matches a cut in the same KldB occupation group "
        "(3-digit, weight 1). Related occupations count less: the same main group (2-digit, "
        "weight {related}) and occupation switches the network achieved at least "
        "{min_switches} times (weight {switch}). The need lies {reach} (Kreis centroids or "
        "borders from the BKG geometry); the skill level (5th KldB digit) falls by at most {drop} "
        "level(s). Covered = min(cut, Σ weight × need), computed for each cut on its own.",
    ),
    "exchange.metric_cut": ("Abbau (Personen)", "Cuts (persons)"),
    "exchange.metric_cut_firms": ("Abbauende Betriebe", "Firms cutting"),
    "exchange.metric_need": ("Bedarf im Umkreis", "Needs in reach"),
    "exchange.metric_covered": ("Abgedeckt", "Covered"),
    "exchange.metric_coverage": ("Abdeckungsquote", "Coverage"),
    "exchange.by_group": ("Abbau und Bedarf nach Berufsgruppe", "Cuts and needs by occupation group"),
    "exchange.sheet_groups": ("Berufsgruppen", "Occupation groups"),
    "exchange.group": ("KldB-Gruppe", "KldB group"),
    "exchange.occupation": ("Beruf", "Occupation"),
    "exchange.cut_persons": ("Abbau (Personen)", "Cuts (persons)"),
    "exchange.cut_firms": ("Abbau (Betriebe)", "Cuts (firms)"),
    "exchange.first_date": ("Erster Abbau wirksam", "First cut takes effect"),
    "exchange.need_persons": ("Bedarf (Personen)", "Needs (persons)"),
    "exchange.need_firms": ("Bedarf (Betriebe)", "Needs (firms)"),
    "exchange.covered": ("Abgedeckt (Personen)", "Covered (persons)"),
    "exchange.coverage": ("Abdeckung", "Coverage"),
    "exchange.ba_unemployed": ("Arbeitslose (BA)", "Unemployed (BA)"),
    "exchange.ba_vacancies": ("Gemeldete Stellen (BA)", "Registered vacancies (BA)"),
    "exchange.per_vacancy": ("Arbeitslose je Stelle", "Unemployed per vacancy"),
    "exchange.per_vacancy_change": ("Veränderung zum Vorjahresmonat", "Change vs. a year earlier"),
    "exchange.context_note": (
        "Regionaler Kontext: Arbeitslose und gemeldete Arbeitsstellen der BA in der Region im "
        "letzten Monat bis zum Stichtag. Wenige Arbeitslose je Stelle: der Markt nimmt die "
        "Beschäftigten eher von selbst auf; viele: das Netzwerk wird gebraucht.",
        "Regional context: the BA's unemployed and registered vacancies in the region in the "
        "latest month up to the reference date. Few unemployed per vacancy: the market is "
        "likely to absorb the workers anyway; many: the network is needed.",
    ),
    "exchange.timeline": ("Wann Abbau und Bedarf wirksam werden", "When cuts and needs take effect"),
    "exchange.sheet_timeline": ("Zeitachse", "Timeline"),
    "exchange.month": ("Monat", "Month"),
    "exchange.by_kreis": ("Nach Kreis und Berufsgruppe", "By Kreis and occupation group"),
    "exchange.sheet_kreise": ("Kreise", "Kreise (districts)"),
    "exchange.kreis": ("Kreis", "Kreis (district)"),
    "exchange.warning": ("Frühwarnung", "Early warning"),
    "exchange.shortfall": (
        "Fehlbedarf: Abbau größer als Bedarf im Umkreis plus gemeldete BA-Stellen",
        "Shortfall: cuts exceed needs in reach plus registered BA vacancies",
    ),
    "exchange.sheet_shortfall": ("Fehlbedarf", "Shortfall"),
    "exchange.shortfall_persons": ("Fehlbedarf (Personen)", "Shortfall (persons)"),
    "exchange.detail_agency_only": (
        "Betriebsnamen, einzelne Meldungen und die Frühwarnlisten je Betrieb sieht nur die "
        "Transformationsagentur. Hier: Summen nach Kreis und Berufsgruppe; unter 3 Personen "
        "oder 3 Betrieben „*“.",
        "Firm names, single announcements and the early-warning lists by firm are for the "
        "Transformationsagentur only. Shown here: sums by Kreis and occupation group; below "
        "3 persons or 3 firms “*”.",
    ),
    "exchange.detail_switch": (
        "Betriebe und einzelne Meldungen erscheinen, wenn der Geheimhaltungsschutz in der "
        "Seitenleiste ausgeschaltet ist (nur Agentur). Mit Schutz: die Ansicht der anderen Rollen.",
        "Firms and single announcements appear when disclosure control is switched off in the "
        "sidebar (agency only). With it on: the view the other roles get.",
    ),
    "exchange.detail": ("Einzelne Meldungen (nur Agentur)", "Single announcements (agency only)"),
    "exchange.cuts": ("Angekündigter Abbau je Betrieb", "Announced cuts by firm"),
    "exchange.sheet_cuts": ("Abbau je Betrieb", "Cuts by firm"),
    "exchange.firm": ("Betrieb", "Firm"),
    "exchange.kldb": ("KldB", "KldB code"),
    "exchange.level": ("Niveau", "Level"),
    "exchange.effective": ("Wirksam ab", "Takes effect"),
    "exchange.participants": ("Teilnehmende erfasst", "Participants entered"),
    "exchange.matches": ("Die passendsten Bedarfe je Abbau", "Best matching needs for each cut"),
    "exchange.sheet_matches": ("Passende Bedarfe", "Matching needs"),
    "exchange.cut_firm": ("Abbauender Betrieb", "Firm cutting"),
    "exchange.match": ("Passung", "Match"),
    "exchange.weight": ("Gewicht", "Weight"),
    "exchange.need_firm": ("Suchender Betrieb", "Firm seeking"),
    "exchange.km": ("Entfernung (km)", "Distance (km)"),
    "exchange.wage": ("Lohn (Hinweis)", "Wage (hint)"),
    "exchange.training": ("Qualifizierung im Betrieb", "Training on the job"),
    "exchange.match_legend": (
        "Passung: = gleiche Berufsgruppe · ↔ im Netzwerk beobachteter Berufswechsel · "
        "≈ verwandte Berufshauptgruppe. Niveau: 1 Helfer, 2 Fachkraft, 3 Spezialist, 4 Experte.",
        "Match: = same occupation group · ↔ switch the network has observed · ≈ related "
        "main group. Level: 1 helper, 2 skilled, 3 specialist, 4 expert.",
    ),
    "exchange.warn_participants": (
        "Abbau im Zeitraum, für den bisher weniger als {share} % Teilnehmende erfasst sind",
        "Cuts within the horizon with fewer than {share} % participants entered so far",
    ),
    "exchange.sheet_warn_participants": ("Ohne Teilnehmende", "Without participants"),
    "exchange.firm_cut": ("Abbau des Betriebs", "The firm's cuts"),
    "exchange.warn_transitions": (
        "Betriebe, deren angekündigter Abbau die erreichten Übergänge übersteigt",
        "Firms whose announced cuts exceed the transitions achieved",
    ),
    "exchange.sheet_warn_transitions": ("Abbau über Übergängen", "Cuts beyond transitions"),
    "exchange.transitions": ("Übergänge erreicht", "Transitions achieved"),
    "exchange.gap": ("Differenz", "Gap"),
    "exchange.none_listed": ("Derzeit keine Einträge.", "No entries at present."),
    "exchange.widget_rules": ("Zuordnungsregeln einstellen", "Adjust the matching rules"),
    "exchange.widget_km": (
        "Pendeldistanz (km, Kreismittelpunkte)",
        "Commuting distance (km, Kreis centroids)",
    ),
    "exchange.widget_level": (
        "Anforderungsniveau darf um höchstens … Stufen sinken",
        "Skill level may fall by at most … levels",
    ),
    "exchange.widget_related": ("Gewicht verwandter Berufshauptgruppe", "Weight of a related main group"),
    "exchange.widget_switch": ("Gewicht beobachteter Berufswechsel", "Weight of observed switches"),
    "exchange.widget_min_switches": (
        "Berufswechsel zählt ab … Übergängen im Netzwerk",
        "A switch counts from … network transitions",
    ),
    "exchange.widget_few": (
        "Frühwarnung: weniger Teilnehmende als … % des Abbaus",
        "Early warning: fewer participants than … % of the cut",
    ),
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
}

SAME_IN_BOTH: frozenset[str] = frozenset({"filter_region"})


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
