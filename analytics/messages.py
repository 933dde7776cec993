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
        "Abgedeckt = min(Abbau, Σ Gewicht × Bedarf), je Abbau für sich gerechnet. Es zählt "
        "der offene Rest jeder Meldung: angekündigt minus schon erledigt (teilweise besetzt); "
        "besetzte und zurückgezogene Meldungen zählen nicht.",
        "**How matching works:** a need matches a cut in the same KldB occupation group "
        "(3-digit, weight 1). Related occupations count less: the same main group (2-digit, "
        "weight {related}) and occupation switches the network achieved at least "
        "{min_switches} times (weight {switch}). The need lies {reach} (Kreis centroids or "
        "borders from the BKG geometry); the skill level (5th KldB digit) falls by at most {drop} "
        "level(s). Covered = min(cut, Σ weight × need), computed for each cut on its own. Each "
        "announcement counts with its open remainder: announced minus already settled (partly "
        "filled); filled and withdrawn announcements do not count.",
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
    # the screen's parts of the wide tables (the Excel sheet keeps each table whole)
    "exchange.part_network": (
        "Abbau und Bedarf im Umkreis: {region}",
        "Cuts and needs within reach: {region}",
    ),
    "exchange.part_context": (
        "Arbeitsmarkt der BA in denselben Berufsgruppen",
        "BA labour market in the same occupation groups",
    ),
    "exchange.part_cut": ("Der angekündigte Abbau", "The announced cut"),
    "exchange.part_coverage": ("Teilnehmende und Abdeckung", "Participants and coverage"),
    "exchange.part_pairs": ("Abbau und passender Bedarf", "Cut and matching need"),
    "exchange.part_need": ("Der passende Bedarf im Einzelnen", "The matching need in detail"),
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
    "exchange.announced": ("Angekündigt (Personen)", "Announced (persons)"),
    "exchange.filled": ("Davon erledigt", "Of which settled"),
    "exchange.open_persons": ("Offen (Personen)", "Still open (persons)"),
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
    # --- Branchen & Übergänge (#11) ----------------------------------------------------
    "flows.title": (
        "Branchen & Übergänge: wohin die Beschäftigten wechseln",
        "Sectors & transitions: where people move",
    ),
    "flows.subtitle": (
        "Übergänge in Arbeit von Teilnehmenden aus {region}, {period}.",
        "Transitions into work of participants from {region}, {period}.",
    ),
    "flows.scope": ("Zeitraum", "Period"),
    "flows.scope_cumulative": ("seit Projektstart", "since project start"),
    "flows.scope_quarter": ("nur das Quartal", "the quarter only"),
    "flows.quarter_only": (
        "Mit Geheimhaltung je Quartal: Werte seit Projektstart ließen sich mit den "
        "Quartalswerten verrechnen und so Merkmale einzelner Personen offenlegen.",
        "With disclosure control per quarter: values since project start could be set off "
        "against the quarters' values and so reveal attributes of single persons.",
    ),
    "flows.period_cumulative": ("{start} bis {end}", "{start} to {end}"),
    "flows.count": (
        "Übergänge im Zeitraum: {n} · {definition}",
        "Transitions in the period: {n} · {definition}",
    ),
    "flows.none": (
        "Im gewählten Zeitraum und in der Region gibt es keine (zeigbaren) Übergänge.",
        "There are no (publishable) transitions in the selected period and region.",
    ),
    "flows.sector_head": (
        "Von der Branche des abgebenden Betriebs zur Branche des aufnehmenden",
        "From the releasing firm's sector to the receiving firm's sector",
    ),
    "flows.grouped": (
        "Herkunft nach Gruppe (Kern / Zulieferer / sonstige)",
        "Origin by group (core / suppliers / other)",
    ),
    "flows.occupation_head": (
        "Vom Ausgangsberuf zum Zielberuf (KldB 2010)",
        "From origin occupation to target occupation (KldB 2010)",
    ),
    "flows.digits": ("Gliederung", "Level"),
    "flows.digits_3": ("3-stellig (Berufsgruppe)", "3-digit (occupational group)"),
    "flows.digits_2": ("2-stellig (Berufshauptgruppe)", "2-digit (main group)"),
    "flows.map_head": (
        "Vom Wohnort-Kreis zum Kreis des aufnehmenden Betriebs",
        "From the home district to the receiving firm's district",
    ),
    "flows.map_note": (
        "Bögen: Wechsel in einen anderen Kreis; Punkte: Übergänge im Wohnort-Kreis. "
        "Zusammengefasste Ströme („übrige“) haben keinen Ort und stehen nur in der "
        "Tabelle. Keine Hintergrundkarte.{geo}",
        "Arcs: moves to another district; dots: transitions within the home district. "
        "Merged flows (“other”) have no place and appear only in the table. No base map.{geo}",
    ),
    "flows.map_legend": ("Karte", "Map"),
    "flows.legend_moves": ("Wechsel in einen anderen Kreis", "Move to another district"),
    "flows.legend_stays": ("im Wohnort-Kreis", "within the home district"),
    "flows.no_geo": (
        "Ohne Kreisgrenzen keine Karte; die Tabelle zeigt die Ströme. {command}",
        "Without district boundaries there is no map; the table shows the flows. {command}",
    ),
    "flows.shares_head": (
        "Verbleib, Lohn und Tarif je Herkunftsbranche",
        "Staying, wage and collective agreement per origin sector",
    ),
    "flows.row": ("Herkunft", "Origin"),
    "flows.transitions": ("Übergänge", "Transitions"),
    "flows.in_c_share": ("in Verarbeitendem Gewerbe (WZ C)", "into manufacturing (WZ C)"),
    "flows.same_kreis_share": ("im Wohnort-Kreis", "within the home district"),
    "flows.same_land_share": ("im Wohnort-Land", "within the home Land"),
    "flows.into_tarif_share": ("in tarifgebundene Betriebe", "into firms with collective agreement"),
    "flows.wage_ratio": ("Lohnverhältnis (Median neu/alt)", "Wage ratio (median new/old)"),
    # short headers on screen (1280 px); the full ones above head the Excel sheet and the tooltip
    "flows.in_c_share_short": ("Verarb. Gew.", "Manufact."),
    "flows.same_kreis_share_short": ("Wohnort-Kreis", "Home district"),
    "flows.same_land_share_short": ("Wohnort-Land", "Home Land"),
    "flows.into_tarif_share_short": ("Tarif", "Coll. agr."),
    "flows.wage_ratio_short": ("Lohn neu/alt", "Wage new/old"),
    "flows.source_col": ("Von", "From"),
    "flows.target_col": ("Nach", "To"),
    "flows.merged": ("zusammengefasste Ströme", "merged flows"),
    "flows.summary": ("Größte Ströme: {items}.", "Largest flows: {items}."),
    "flows.other_share": (
        "„übrige“ hält {persons} von {total} Personen ({share}).",
        "“other” holds {persons} of {total} persons ({share}).",
    ),
    "flows.merge_note": (
        "Ströme von 1–2 Personen sind je Herkunft unter „übrige“ zusammengefasst "
        "(mit mindestens einem weiteren Strom), damit keine Einzelfälle erkennbar sind.",
        "Flows of 1–2 persons are merged per origin into “other” (with at least one "
        "further flow) so that no individual case can be recognised.",
    ),
    "flows.coarser_sector": (
        "Nach WZ-Abteilung stünde die Mehrheit unter „übrige“; das Diagramm zeigt die "
        "Zielbranchen daher nach WZ-Abschnitt.",
        "By WZ division most persons would stand under “other”; the diagram therefore "
        "shows the target sectors by WZ section.",
    ),
    "flows.coarser_kldb": (
        "In der gewählten Gliederung stünde die Mehrheit unter „übrige“; das Diagramm zeigt "
        "die Berufe daher {digits}-stellig.",
        "At the chosen level most persons would stand under “other”; the diagram therefore "
        "shows occupations at {digits} digit(s).",
    ),
    "flows.source": (
        "Falldaten des Netzwerks Arbeit bewegen!; WZ 2008, KldB 2010.",
        "case data of the network Arbeit bewegen!; WZ 2008, KldB 2010.",
    ),
    "flows.definitions": ("Definitionen", "Definitions"),
    "flows.transition": ("Übergang", "Transition"),
    "flows.def_text": (
        "Übergang = Arbeitsaufnahme bei einem aufnehmenden Betrieb im Zeitraum. "
        "Anteile je Übergänge der Zeile; „im Wohnort-Kreis/-Land“: aufnehmender Betrieb "
        "im Kreis bzw. Land des Wohnorts; Lohnverhältnis: Median von neuem zu altem "
        "Bruttomonatslohn (Fälle mit beiden Angaben).",
        "Transition = job start at a receiving firm in the period. Shares of the row's "
        "transitions; “within the home district/Land”: receiving firm in the person's "
        "home district or Land; wage ratio: median of new over old monthly gross wage "
        "(cases with both wages).",
    ),
    "flows.automotive": (
        "Automobilkern = WZ {core}; Zulieferbranchen = WZ {supplier} (Konfiguration "
        "„automotive“); Branche = WZ-Abteilung des abgebenden bzw. aufnehmenden Betriebs.",
        "Automotive core = WZ {core}; supplier industries = WZ {supplier} (configuration "
        "“automotive”); sector = WZ division of the releasing or receiving firm.",
    ),
    "flows.sheet_sector": ("Branchen", "Sectors"),
    "flows.sheet_occupation": ("Berufe", "Occupations"),
    "flows.sheet_region": ("Kreise", "Districts"),
    "flows.sheet_shares": ("Verbleib", "Staying"),
    "flows.other": ("übrige", "other"),
    "flows.unknown": ("unbekannt", "unknown"),
    "flows.core": ("Automobilkern", "Automotive core"),
    "flows.supplier": ("Zulieferbranchen", "Supplier industries"),
    "flows.rest": ("Sonstige Branchen", "Other industries"),
    "flows.selection": ("Auswahl gesamt", "Selection total"),
    "flows.network": ("Netzwerk gesamt", "Network total"),
    "flows.origin_side": ("Herkunft", "origin"),
    "flows.target_side": ("Ziel", "destination"),
    # --- Förderung (#11) -------------------------------------------------------------
    "funding.title": ("Förderung: Wirkung der Mittel", "Funding: what the money achieves"),
    "funding.subtitle": (
        "Ganzes Netzwerk, Förderzeitraum {start}–{end}, Stand {until}.",
        "Whole network, funding period {start}–{end}, as of {until}.",
    ),
    "funding.budget_head": (
        "Budget: geplant und ausgegeben je Quartal",
        "Budget: planned and spent per quarter",
    ),
    "funding.planned": ("geplant", "planned"),
    "funding.spent": ("ausgegeben", "spent"),
    "funding.spent_cum": ("ausgegeben kumuliert", "spent cumulative"),
    "funding.planned_cum": ("geplant kumuliert", "planned cumulative"),
    "funding.total": ("Gesamtbudget", "Total budget"),
    "funding.axis": ("EUR je Quartal", "EUR per quarter"),
    "funding.axis_cum": ("EUR kumuliert", "EUR cumulative"),
    "funding.budget_summary": (
        "Bis {quarter} ausgegeben: {spent} von {total} ({share}); geplant bis dahin: {planned}.",
        "Spent up to {quarter}: {spent} of {total} ({share}); planned by then: {planned}.",
    ),
    "funding.quarter": ("Quartal", "Quarter"),
    "funding.budget_used": ("Anteil am Gesamtbudget", "Share of total budget"),
    "funding.impact_head": (
        "Kosten je Übergang und vermiedene Arbeitslosigkeit",
        "Cost per transition and avoided unemployment",
    ),
    "funding.assumptions": (
        "Annahmen der Schätzung (änderbar; Vorgabe aus der Konfiguration)",
        "Assumptions of the estimate (editable; default from the configuration)",
    ),
    "funding.months": (
        "Durchschnittliche Dauer der vermiedenen Arbeitslosigkeit (Monate)",
        "Average duration of avoided unemployment (months)",
    ),
    "funding.monthly_cost": (
        "Kosten je Monat Arbeitslosigkeit (EUR)",
        "Cost per month of unemployment (EUR)",
    ),
    "funding.avoided_text": (
        "Vermiedene Kosten der Arbeitslosigkeit bis {until}: {value} = nahtlose "
        "Übergänge × {months} Monate × {cost} je Monat (Schätzung).",
        "Avoided cost of unemployment up to {until}: {value} = seamless transitions "
        "× {months} months × {cost} per month (estimate).",
    ),
    "funding.period": ("Zeitraum", "Period"),
    "funding.spent_eur": ("ausgegeben (EUR)", "spent (EUR)"),
    "funding.transitions": ("Übergänge", "Transitions"),
    "funding.seamless": ("davon nahtlos", "of which seamless"),
    "funding.not_seamless": ("nicht nahtlos", "not seamless"),
    "funding.cost_per_transition": ("Kosten je Übergang", "Cost per transition"),
    "funding.avoided_eur": ("vermiedene Kosten (Schätzung)", "avoided cost (estimate)"),
    "funding.targets_head": ("Ziele und Ist-Werte je Jahr", "Targets and actuals per year"),
    "funding.year": ("Jahr", "Year"),
    "funding.indicator": ("Kennzahl", "Indicator"),
    "funding.actual": ("Ist", "Actual"),
    "funding.target": ("Ziel", "Target"),
    "funding.reached": ("erreicht", "reached"),
    "funding.ind_entries": ("Neue Teilnehmende", "New participants"),
    "funding.ind_transitions": ("Übergänge in Arbeit", "Transitions into work"),
    "funding.ind_seamless_rate": ("Nahtlos-Quote", "Seamless rate"),
    "funding.ind_retention_rate": ("Verbleib nach 6 Monaten", "Retention after 6 months"),
    "funding.running": ("laufend, bis {until}", "running, to {until}"),
    "funding.regions_head": (
        "Vergleich der Netzwerkregionen (seit Projektstart)",
        "Network regions compared (since project start)",
    ),
    "funding.name": ("Kreis", "District"),
    "funding.entries": ("Eintritte", "Entries"),
    "funding.seamless_share": ("nahtlos (Anteil an Übergängen)", "seamless (share of transitions)"),
    "funding.into_tarif_share": ("in tarifgebundene Betriebe", "into firms with collective agreement"),
    "funding.wage_ratio": ("Lohnverhältnis (Median)", "Wage ratio (median)"),
    "funding.seamless_share_short": ("nahtlos", "seamless"),
    "funding.into_tarif_share_short": ("Tarifgebunden", "Coll. agreement"),
    "funding.wage_ratio_short": ("Lohn neu/alt", "Wage new/old"),
    "funding.avoided_eur_short": ("vermiedene Kosten", "avoided cost"),
    "funding.network_total": ("Netzwerk gesamt", "Network total"),
    "funding.total_row": ("Summe", "Total"),
    "funding.table": ("Daten der Grafik als Tabelle", "Chart data as a table"),
    "funding.source": (
        "Mittelabruf und Falldaten des Netzwerks Arbeit bewegen!; Ziele und Annahmen laut Konfiguration.",
        "funds drawn and case data of the network Arbeit bewegen!; targets and "
        "assumptions from the configuration.",
    ),
    "funding.definitions": ("Definitionen", "Definitions"),
    "funding.def_text": (
        "Kosten je Übergang = ausgegebene Mittel / Übergänge des ganzen Netzwerks im "
        "Zeitraum. Vermiedene Kosten = nahtlose Übergänge × angenommene Dauer × "
        "angenommene Monatskosten. Nahtlos-Quote = nahtlose Übergänge / abgeschlossene "
        "Fälle; Verbleib = Anteil der 6-Monats-Prüfungen mit 'noch beschäftigt'.",
        "Cost per transition = funds spent / the whole network's transitions in the "
        "period. Avoided cost = seamless transitions × assumed duration × assumed "
        "monthly cost. Seamless rate = seamless transitions / closed cases; retention = "
        "share of 6-month checks finding the person employed.",
    ),
    "funding.xl_budget": ("Budget", "Budget"),
    "funding.assumption_line": ("{months} Monate × {cost} je Monat", "{months} months × {cost} per month"),
    "funding.running_year": ("{year} ({running})", "{year} ({running})"),
    "funding.xl_impact": ("Kosten und Wirkung", "Cost and impact"),
    "funding.xl_targets": ("Ziele", "Targets"),
    "funding.xl_regions": ("Regionen", "Regions"),
    # --- app_pages/case_import.py ---------------------------------------------------------
    "case_import.title": ("Falldaten importieren", "Import case data"),
    "case_import.intro": (
        "Falldaten aus dem Fallmanagement (Excel-Vorlage oder CSV-Dateien je Blatt) prüfen und "
        "ins Cockpit übernehmen. Geänderte Datensätze werden aktualisiert, neue ergänzt; "
        "Datensätze, die in der Datei fehlen, bleiben erhalten (Teil-Exporte sind erlaubt). "
        "Fall-IDs werden durch einen Schlüssel-Hash ersetzt; Spalten mit Namen, Geburtsdaten, "
        "Anschriften, SV-Nummern oder Bemerkungen werden verworfen.",
        "Check case data from the case management (Excel template or one CSV file per sheet) "
        "and take it into the cockpit. Changed records are updated, new ones added; records "
        "missing from the file are kept (partial exports are allowed). Case ids are replaced "
        "by a keyed hash; columns with names, birth dates, addresses, social insurance "
        "numbers or notes are dropped.",
    ),
    "case_import.agency_only": (
        "Der Import ist der Rolle 'agency' (Transformationsagentur) vorbehalten.",
        "Importing is reserved for the 'agency' role (Transformationsagentur).",
    ),
    "case_import.template": (
        "Importvorlage herunterladen (Excel mit Datenlexikon)",
        "Download the import template (Excel with data dictionary)",
    ),
    "case_import.upload": (
        "Datei(en) hochladen: eine .xlsx-Vorlage oder CSV-Dateien (betriebe.csv, "
        "bedarfe.csv, teilnehmende.csv, ereignisse.csv, foerderung.csv)",
        "Upload: one .xlsx template or CSV files (betriebe.csv, bedarfe.csv, "
        "teilnehmende.csv, ereignisse.csv, foerderung.csv)",
    ),
    "case_import.check": ("Prüfen (noch nicht veröffentlichen)", "Check (not yet published)"),
    "case_import.limits": (
        "Höchstens {mb} MB je Datei, {rows} Zeilen, {columns} Spalten und {cells} Zellen je Blatt; "
        "größere Dateien bitte aufteilen.",
        "At most {mb} MB per file, {rows} rows, {columns} columns and {cells} cells per sheet; "
        "split larger files.",
    ),
    "case_import.failed": (
        "Import abgelehnt, nichts wurde übernommen:",
        "Import refused, nothing was taken over:",
    ),
    "case_import.report": ("Prüfbericht: {source}", "Validation report: {source}"),
    "case_import.unchanged": (
        "Diese Daten sind bereits geladen: Veröffentlichen ändert nichts.",
        "This data is already loaded: publishing changes nothing.",
    ),
    "case_import.preview": (
        "Vorschau der Änderungen je Blatt (gelesen = übernommen + Quarantäne)",
        "Preview of the changes per sheet (read = loaded + quarantined)",
    ),
    "case_import.issues": ("Abgewiesene Zeilen in '{sheet}': {n}", "Rejected rows in '{sheet}': {n}"),
    "case_import.no_issues": ("Alle Zeilen sind gültig.", "All rows are valid."),
    "case_import.publish": ("Bestätigen und veröffentlichen", "Confirm and publish"),
    "case_import.discard": ("Verwerfen", "Discard"),
    "case_import.published": (
        "Veröffentlicht: {n} neue oder geänderte Datensätze, {q} Zeilen in Quarantäne.",
        "Published: {n} new or changed records, {q} rows quarantined.",
    ),
    "case_import.nothing": (
        "Nichts zu veröffentlichen: das Warehouse in Betrieb enthält diese Daten bereits.",
        "Nothing to publish: the warehouse in service already holds this data.",
    ),
    "case_import.refused": (
        "Nicht veröffentlicht, das Warehouse ist unverändert. Bitte die Dateien erneut prüfen:",
        "Not published, the warehouse is unchanged. Please check the files again:",
    ),
    "case_import.session": ("Ladesitzung {id}", "Load session {id}"),
    "case_import.discarded": (
        "Verworfen; das Warehouse ist unverändert.",
        "Discarded; the warehouse is unchanged.",
    ),
    "case_import.sheet": ("Blatt", "Sheet"),
    "case_import.file": ("Datei", "File"),
    "case_import.read": ("gelesen", "read"),
    "case_import.loaded": ("übernommen", "loaded"),
    "case_import.quarantined": ("Quarantäne", "quarantined"),
    "case_import.new": ("neu", "new"),
    "case_import.updated": ("geändert", "updated"),
    "case_import.unchanged_col": ("unverändert", "unchanged"),
    "case_import.row": ("Zeile", "Row"),
    "case_import.column": ("Spalte", "Column"),
    "case_import.message": ("Grund", "Reason"),
    # --- app_pages/statistics_upload.py ---------------------------------------------------------
    "upload.title": ("Statistik laden", "Load statistics"),
    "upload.intro": (
        "Dateien der Statistik der BA (Excel-Tabellen, Arbeitsmarktreport, Datenbanken-CSV) "
        "und der Regionaldatenbank (CSV) hochladen. Die Art der Veröffentlichung wird am Inhalt "
        "erkannt; jede Datei wird geprüft, mit ihren eigenen Summen abgeglichen und geladen, "
        "danach wird das Warehouse veröffentlicht. Eine Datei, die nicht gelesen werden kann, "
        "wird ganz abgelehnt.",
        "Upload files of the BA statistics (Excel tables, Arbeitsmarktreport, database CSV) and "
        "of the Regionaldatenbank (CSV). The publication family is detected from the content; "
        "each file is checked, reconciled with its own totals and loaded, then the warehouse is "
        "published. A file that cannot be read is rejected as a whole.",
    ),
    "upload.files": ("Dateien (.xlsx, .xls, .csv)", "Files (.xlsx, .xls, .csv)"),
    "upload.load": ("Laden und veröffentlichen", "Load and publish"),
    "upload.limits": (
        "Höchstens {mb} MB je Datei, {rows} Zeilen, {columns} Spalten und {cells} Zellen je Blatt; "
        "größere Dateien bitte aufteilen.",
        "At most {mb} MB per file, {rows} rows, {columns} columns and {cells} cells per sheet; "
        "split larger files.",
    ),
    "upload.result": ("Ergebnis dieses Uploads", "Result of this upload"),
    "upload.history": ("Zuletzt geladene Dateien", "Recently loaded files"),
    "upload.none": ("Noch keine Statistikdateien geladen.", "No statistics files loaded yet."),
    "upload.family": ("Veröffentlichung", "Publication"),
    "upload.dates": ("Stichtage", "Reference dates"),
    "upload.rows": ("Zeilen geladen", "Rows loaded"),
    "upload.reconciliation": ("Abgleich", "Reconciliation"),
    "upload.warnings": ("Hinweise", "Warnings"),
    "upload.published": (
        "Veröffentlicht: {n} Zeilen aus {f} Datei(en) sind jetzt in Betrieb.",
        "Published: {n} rows from {f} file(s) are now in service.",
    ),
    "upload.rebased": (
        "Während des Ladens wurde ein anderer Stand veröffentlicht; die Dateien wurden auf dem "
        "neuen Stand erneut geladen ({n}×).",
        "Another load was published meanwhile; the files were loaded again onto it ({n}×).",
    ),
    "upload.nothing": (
        "Nichts veröffentlicht: keine Datei brachte neue Daten (unverändert oder abgelehnt).",
        "Nothing published: no file brought new data (unchanged or rejected).",
    ),
    "upload.refused": (
        "Nicht veröffentlicht, das Warehouse ist unverändert:",
        "Not published, the warehouse is unchanged:",
    ),
    "upload.status_loaded": ("geladen", "loaded"),
    "upload.status_unchanged": ("unverändert (bereits geladen)", "unchanged (already loaded)"),
    "upload.status_rejected": ("abgelehnt", "rejected"),
    # --- app_pages/data_quality.py ---------------------------------------------------------
    "dq.title": ("Datenqualität der Falldaten", "Data quality of the case data"),
    "dq.intro": (
        "Letzte Importe mit ihren Zählungen (gelesen = übernommen + Quarantäne), "
        "abgewiesene Zeilen mit Grund und die Vollständigkeit der Felder, auf denen die "
        "Kennzahlen beruhen. Datensätze, die in einer neueren Datei fehlen, bleiben "
        "erhalten.",
        "Latest imports with their counts (read = loaded + quarantined), rejected rows "
        "with the reason and the completeness of the fields the indicators rest on. "
        "Records missing from a newer file are kept.",
    ),
    "dq.imports": ("Letzte Importe", "Latest imports"),
    "dq.no_imports": ("Noch keine Falldaten importiert.", "No case data imported yet."),
    "dq.choose": ("Import", "Import"),
    "dq.sheets": ("Blätter dieses Imports", "Sheets of this import"),
    "dq.quarantine": (
        "Quarantäne: abgewiesene Zeilen dieses Imports",
        "Quarantine: rejected rows of this import",
    ),
    "dq.no_quarantine": ("Keine abgewiesenen Zeilen.", "No rejected rows."),
    "dq.agency_only": (
        "Die abgewiesenen Zeilen selbst sieht nur die Rolle 'agency'; hier nur ihre Anzahl: {n}.",
        "Only the 'agency' role sees the rejected rows themselves; their number: {n}.",
    ),
    "dq.completeness": ("Vollständigkeit der Schlüsselfelder", "Completeness of key fields"),
    "dq.audit": (
        "Protokoll: Veröffentlichen, Verwerfen, Zurückrollen",
        "Audit trail: publish, discard, rollback",
    ),
    "dq.audit_intro": (
        "Wer wann welche Ladesitzung veröffentlicht, verworfen oder zurückgerollt hat (nur für die "
        "Rolle 'agency').",
        "Who published, discarded or rolled back which load session, and when (agency role only).",
    ),
    "dq.no_audit": ("Noch keine Einträge.", "No entries yet."),
    "dq.happened_at": ("Zeitpunkt", "Time"),
    "dq.action": ("Aktion", "Action"),
    "dq.session": ("Ladesitzung", "Load session"),
    "dq.started_by": ("von (Anmeldung / Programm)", "by (sign-in / program)"),
    "dq.os_user": ("Server-Benutzer", "Server user"),
    "dq.details": ("Was sich änderte", "What changed"),
    "dq.audit_loads": ("Ladevorgänge: {loads}", "Loads: {loads}"),
    "dq.audit_no_loads": ("keine Ladevorgänge", "no loads"),
    "dq.audit_rollback": (
        "wieder in Betrieb: {restored}; außer Betrieb: {replaced}",
        "back in service: {restored}; out of service: {replaced}",
    ),
    "dq.audit_publish_ref": (
        "Veröffentlichung {session} vom {at} ({by})",
        "publish {session} of {at} ({by})",
    ),
    "dq.audit_unknown": (
        "unbekannt (Warehouse ohne Protokoll)",
        "unknown (warehouse without an audit table)",
    ),
    "dq.xl_title": (
        "Quarantäne – abgewiesene Zeilen der Falldaten",
        "Quarantine – rejected rows of the case data",
    ),
    "dq.xl_source": (
        "Import-Protokoll des Cockpits (Tabelle quarantine)",
        "The cockpit's import log (table quarantine)",
    ),
    "dq.load_id": ("Lauf", "Run"),
    "dq.loaded_at": ("Zeitpunkt", "Time"),
    "dq.step": ("Schritt", "Step"),
    "dq.source": ("Quelle", "Source"),
    "dq.rows_read": ("gelesen", "read"),
    "dq.rows_loaded": ("übernommen", "loaded"),
    "dq.rows_quarantined": ("Quarantäne", "quarantined"),
    "dq.rows_new": ("neu", "new"),
    "dq.rows_updated": ("geändert", "updated"),
    "dq.rows_unchanged": ("unverändert", "unchanged"),
    "dq.sheet": ("Blatt", "Sheet"),
    "dq.source_file": ("Datei", "File"),
    "dq.dropped_columns": ("verworfene Spalten (Datenschutz)", "dropped columns (privacy)"),
    "dq.row_number": ("Zeile", "Row"),
    "dq.column_name": ("Spalte", "Column"),
    "dq.reason": ("Grund", "Reason"),
    "dq.raw_values": ("Werte (Fall-ID pseudonymisiert)", "Values (case id pseudonymised)"),
    "dq.statistics": ("Statistikdateien", "Statistics files"),
    "dq.rejected_files": (
        "Abgelehnte Dateien (nicht lesbar oder nicht ladbar; nichts daraus übernommen)",
        "Rejected files (unreadable or not loadable; nothing of them taken over)",
    ),
    "dq.no_rejected_files": ("Keine abgelehnten Dateien.", "No rejected files."),
    "dq.statistics_quarantine": (
        "Quarantäne: abgewiesene Zeilen der Statistikdateien",
        "Quarantine: rejected rows of the statistics files",
    ),
    "dq.content_hash": ("Inhalts-Hash", "Content hash"),
    "dq.message": ("Meldung", "Message"),
    "dq.field": ("Feld", "Field"),
    "dq.rows": ("Datensätze", "Records"),
    "dq.filled": ("gefüllt", "filled"),
    "dq.share": ("Anteil gefüllt", "Share filled"),
    # --- app_pages/common.py ---------------------------------------------------------
    "app.app_title": ("Arbeit bewegen! – Arbeitsmarkt-Cockpit", "Arbeit bewegen! – labour-market cockpit"),
    "app.section_network": ("Netzwerk", "Network"),
    "app.section_market": ("Arbeitsmarkt", "Labour market"),
    "app.section_data": ("Daten", "Data"),
    "app.nav_overview": ("Übersicht", "Overview"),
    "app.nav_flows": ("Branchen & Übergänge", "Sectors & transitions"),
    "app.nav_funding": ("Förderung", "Funding"),
    "app.nav_exchange": ("Arbeitsmarktdrehscheibe", "Labour-market exchange"),
    "app.nav_rollout": ("Rollout-Planer", "Rollout planner"),
    "app.nav_regions": ("Regionen", "Regions"),
    "app.nav_automotive": ("Automobilwirtschaft", "Automotive"),
    "app.nav_trends": ("Trends", "Trends"),
    "app.nav_statistics_upload": ("Statistik laden", "Load statistics"),
    "app.nav_case_import": ("Falldaten importieren", "Import case data"),
    "app.nav_data_quality": ("Datenqualität", "Data quality"),
    "app.language": ("Sprache / Language", "Sprache / Language"),
    "app.filters": ("Filter", "Filters"),
    "app.region": ("Region", "Region"),
    "app.custom_region": ("Eigene Auswahl", "Custom selection"),
    "app.custom_kreise": ("Kreise", "Districts"),
    "app.period": ("Zeitraum (Quartal)", "Period (quarter)"),
    "app.demo_badge": (
        "DEMO-DATEN – alle Zahlen und Firmen sind fiktiv",
        "DEMO DATA – all figures and firms are fictional",
    ),
    "app.data_status": ("Datenstand", "Data status"),
    "app.ba_until": (
        "BA-Statistik (Arbeitslose, gemeldete Stellen) bis",
        "BA statistics (unemployed, vacancies) up to",
    ),
    "app.svb_until": ("SvB-Beschäftigte Stichtag", "Employees (SvB) reference date"),
    "app.cases_until": ("Netzwerkdaten bis", "Network case data up to"),
    "app.geo": ("Kreisgrenzen", "District boundaries"),
    "app.geo_missing": (
        "Keine Kreisgrenzen geladen: `python -m pipelines geo --source "
        "<Pfad zu VG5000_KRS.shp oder BKG-URL>` ausführen.",
        "No district boundaries loaded: run `python -m pipelines geo --source "
        "<path to VG5000_KRS.shp or BKG URL>`.",
    ),
    "app.no_warehouse": ("Das Daten-Warehouse ist nicht verfügbar.", "The data warehouse is not available."),
    "app.partial_quarter": ("Quartal läuft noch: Daten bis", "Quarter in progress: data up to"),
    "app.loads": ("Ladevorgänge", "Loads"),
    "app.demo_source": ("Quelle: Demo-Generator", "Source: demo generator"),
    "app.running": ("laufend", "in progress"),
    "app.download_excel": ("Excel herunterladen", "Download Excel"),
    "app.unprotected": ("Ungeschützte Werte (intern)", "Unprotected values (internal)"),
    "app.unprotected_help": (
        "Nur für die Rolle 'agency': zeigt auch Fallzahlen von 1–2 Personen. Nicht für Berichte nach außen.",
        "Agency role only: also shows counts of 1–2 persons. Not for external reports.",
    ),
    # --- Streamlit's own widget texts, where it lets them be set ------------------------
    "widget.choose_kreise": ("Kreise wählen", "Choose districts"),
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
        "Falldaten des Netzwerks Arbeit bewegen!; Ziele laut Rollout-Plan (Konfiguration: Ziele je "
        "Welle, in Summe die des Förderbescheids).",
        "case data of the network Arbeit bewegen!; targets from the rollout plan (configuration: "
        "targets per wave, adding up to those of the funding decision).",
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
    "case.custom_selection": (
        "Fallzahlen des Netzwerks gibt es nur für feste Gebiete: einen Kreis, eine Agentur für "
        "Arbeit, alle Netzwerkregionen, ein Land. Für eine eigene Auswahl von Kreisen werden "
        "sie nicht gezeigt, weil sich sonst aus dem Unterschied zweier Auswahlen die Zahlen "
        "weniger Personen errechnen ließen (Datenschutz). Die BA-Statistik bleibt für jede "
        "Auswahl sichtbar.",
        "The network's case figures exist only for fixed areas: one district, one employment "
        "agency, all network regions, one state. They are not shown for a custom selection of "
        "districts, because the difference of two selections could otherwise reveal the "
        "figures of a few persons (confidentiality). BA statistics remain visible for any "
        "selection.",
    ),
    "overview.no_network": (
        "In der gewählten Region ist das Netzwerk (noch) nicht aktiv. Netzwerkregionen: {regions}.",
        "The network is not (yet) active in the selected region. Network regions: {regions}.",
    ),
    "overview.no_target": (
        "Für diese Auswahl ist kein Ziel gesetzt: Ziele gelten je Welle des Rollout-Plans, und "
        "die Auswahl umfasst keine Welle ganz. Die Ziele des ganzen Netzwerks zeigt die Auswahl "
        "„Alle Netzwerkregionen“.",
        "No target is set for this selection: targets hold per wave of the rollout plan, and the "
        "selection covers no wave in full. The whole network's targets are shown for “all "
        "network regions”.",
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
    # --- sign-in and roles (#13, analytics.auth, app_pages.auth) ---------------------------
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
    # --- Regionen ---------------------------------------------------------------------
    "bold": ("**{text}**", "**{text}**"),
    "geo_missing": (
        "Keine Kreisgrenzen geladen: `python -m pipelines geo --source "
        "<Pfad zu VG5000_KRS.shp oder BKG-URL>` ausführen.",
        "No district boundaries loaded: run `python -m pipelines geo --source "
        "<path to VG5000_KRS.shp or BKG URL>`.",
    ),
    "regions.title": ("Regionen: Arbeitslose und gemeldete Stellen", "Regions: unemployed and vacancies"),
    "regions.intro": (
        "Angebot und Nachfrage am Arbeitsmarkt nach Kreisen: Karte, Rangfolge und Berufe "
        "eines Kreises, jeweils mit Agenturbezirk und Land zum Vergleich.",
        "Labour supply and demand by Kreis: map, ranking and the occupations of one Kreis, "
        "each compared with the agency district and the state.",
    ),
    "regions.period_earlier": (
        "Für {quarter} liegen noch keine (vollständigen) BA-Daten vor; gezeigt wird {period}.",
        "No (complete) BA data for {quarter} yet; showing {period}.",
    ),
    "regions.indicator": ("Kennzahl", "Indicator"),
    "regions.view": ("Darstellung", "Display"),
    "regions.occupation": ("Berufe (KldB 2010)", "Occupations (KldB 2010)"),
    "regions.all_occupations": ("Alle Berufe", "All occupations"),
    "regions.kind": ("Zeitraum", "Period"),
    "regions.month": ("Monat", "Month"),
    "regions.quarter": ("Quartal", "Quarter"),
    "regions.period": ("Berichtszeitraum", "Reporting period"),
    "regions.quarter_note": (
        "Quartalswerte sind der Durchschnitt der drei Monatswerte; Veränderung "
        "zum selben Zeitraum des Vorjahres.",
        "Quarterly values are the average of the three monthly values; change vs. "
        "the same period a year earlier.",
    ),
    "regions.month_note": (
        "Monatswerte (Zählung zur Monatsmitte); Veränderung zum Vorjahresmonat.",
        "Monthly values (count in mid-month); change vs. the same month a year earlier.",
    ),
    "regions.compare": (
        "Vergleich: Auswahl, Agenturbezirk, Land",
        "Comparison: selection, agency district, state",
    ),
    "regions.compare_table": ("Vergleich als Tabelle", "Comparison as a table"),
    "regions.yoy": ("zum Vorjahr", "vs. previous year"),
    "regions.map": ("Karte", "Map"),
    "regions.ranking": ("Rangfolge der Kreise", "Ranking of the Kreise"),
    "regions.ranking_title": ("Rangfolge der Kreise – {period}", "Ranking of the Kreise – {period}"),
    "regions.kreise_title": (
        "Regionen: Arbeitslose und gemeldete Stellen – {period}",
        "Regions: unemployed and vacancies – {period}",
    ),
    "regions.rank": ("Rang", "Rank"),
    "regions.kreis": ("Kreis", "Kreis"),
    "regions.agentur": ("Agentur für Arbeit", "Employment agency"),
    "regions.land": ("Land", "State"),
    "regions.land_value": ("Landeswert", "State value"),
    "regional.published_land": ("veröffentlichter Landeswert", "published state figure"),
    "regional.published_agentur": ("veröffentlichter Agenturwert", "published agency figure"),
    "regional.published": ("veröffentlichte Werte", "published figures"),
    "regional.kreis_sum": ("Summe der Kreise", "sum of the districts"),
    "regional.mixed": (
        "teils veröffentlichter Wert, teils Summe der Kreise",
        "partly published figure, partly sum of the districts",
    ),
    "regional.kreis": ("Wert des Kreises", "the district's figure"),
    "regional.source_column": ("Wertquelle", "Source of figure"),
    "regional.source_line": ("Vergleichswerte: {sources}", "Comparison figures: {sources}"),
    "regional.source_item": ("{area}: {source}", "{area}: {source}"),
    "regions.legend": ("Legende: {indicator}", "Legend: {indicator}"),
    "regions.legend_diverging_land": (
        "Farben: orange = weniger, lila = mehr Arbeitslose je Stelle als "
        "in {centre_label} ({centre}); Klassen nach Abstand (Terzile).",
        "Colours: orange = fewer, purple = more unemployed per vacancy than "
        "in {centre_label} ({centre}); classes by distance (terciles).",
    ),
    "regions.legend_diverging_zero": (
        "Farben: orange = Rückgang, lila = Anstieg gegenüber dem Vorjahr; "
        "Klassen nach Abstand von 0 (Terzile).",
        "Colours: orange = decrease, purple = increase vs. the previous "
        "year; classes by distance from 0 (terciles).",
    ),
    "regions.legend_sequential": (
        "Farben: hell = hoch, dunkel = niedrig (Quintile der Kreise).",
        "Colours: light = high, dark = low (quintiles of the Kreise).",
    ),
    "regions.no_data": (
        "Keine BA-Statistik geladen (Arbeitslose, gemeldete Stellen).",
        "No BA statistics loaded (unemployed, vacancies).",
    ),
    "regions.source_none": ("Statistik der Bundesagentur für Arbeit", "Federal Employment Agency statistics"),
    "regions.no_geometry": (
        "Ohne Kreisgrenzen keine Karte; die Tabelle zeigt alle Werte. {command}",
        "Without district boundaries there is no map; the table shows all values. {command}",
    ),
    "regions.map_table": (
        "Daten der Karte als Tabelle (alle Kennzahlen)",
        "Map data as a table (all indicators)",
    ),
    "regions.summary": (
        "Höchster Wert: {high} ({high_value}); niedrigster Wert: {low} ({low_value}); "
        "{withheld} Kreise gesperrt (*), {missing} ohne Daten.",
        "Highest value: {high} ({high_value}); lowest value: {low} ({low_value}); "
        "{withheld} Kreise withheld (*), {missing} without data.",
    ),
    "regions.source": (
        "Quelle: Statistik der Bundesagentur für Arbeit, Arbeitslose und gemeldete "
        "Arbeitsstellen nach Berufen (KldB 2010) und Kreisen; Berichtszeitraum {period}; "
        "Datenstand {as_of}.{demo}",
        "Source: Federal Employment Agency statistics, unemployed and registered vacancies "
        "by occupation (KldB 2010) and Kreis; reporting period {period}; data as of {as_of}.{demo}",
    ),
    "regions.source_line": ("{source}{geo}", "{source}{geo}"),
    "regions.geo": (" Kreisgrenzen: {attribution}", " District boundaries: {attribution}"),
    "regions.withheld_note": (
        "* = von der BA gesperrt (Geheimhaltung); Summen, Durchschnitte, Quoten "
        "und Veränderungen mit einem gesperrten Bestandteil sind ebenfalls gesperrt.",
        "* = withheld by the BA (confidentiality); sums, averages, ratios and "
        "changes with a withheld component are withheld as well.",
    ),
    "regions.detail": ("Berufe eines Kreises", "Occupations of one Kreis"),
    "regions.detail_kreis": (
        "Kreis für die Detailansicht (Berufe)",
        "Kreis for the detail view (occupations)",
    ),
    "regions.surplus_unemployed_of": (
        "Größter Überhang an Arbeitslosen – {kreis}, {period}",
        "Largest surplus of unemployed – {kreis}, {period}",
    ),
    "regions.surplus_vacancies_of": (
        "Größter Überhang an gemeldeten Stellen – {kreis}, {period}",
        "Largest surplus of vacancies – {kreis}, {period}",
    ),
    "regions.sheet_unemployed": ("Überhang Arbeitslose", "Surplus unemployed"),
    "regions.sheet_vacancies": ("Überhang Stellen", "Surplus vacancies"),
    "regions.sheet_kreise": ("Kreise", "Kreise"),
    "regions.sheet_compare": ("Vergleich", "Comparison"),
    "regions.surplus": ("Überhang (Arbeitslose − Stellen)", "Surplus (unemployed − vacancies)"),
    "regions.surplus_definition": (
        "Arbeitslose minus gemeldete Stellen derselben Berufsgruppe; positiv = mehr Arbeitslose.",
        "Unemployed minus vacancies of the same occupation group; positive = more unemployed.",
    ),
    "regions.group": ("Berufsgruppe", "Occupation group"),
    "regions.none": (
        "Keine Berufsgruppe mit bekanntem Überhang dieser Art.",
        "No occupation group with a known surplus of this kind.",
    ),
    "regions.withheld_groups": (
        "{n} Berufsgruppen des Kreises sind nicht einzuordnen, weil ein Wert gesperrt ist (*).",
        "{n} occupation groups of the Kreis cannot be ranked because a value is withheld (*).",
    ),
    "regions.unemployed": ("Arbeitslose", "Unemployed"),
    "regions.vacancies": ("Gemeldete Stellen", "Vacancies"),
    "regions.ratio": ("Arbeitslose je Stelle", "Unemployed per vacancy"),
    "regions.area": ("Gebiet", "Area"),
    "regions.previous": ("Vorjahr", "Previous year"),
    "regions.change": ("Veränderung", "Change"),
    "regions.change_pct": ("Veränderung %", "Change %"),
    "regions.measure_with": ("{measure} {what}", "{measure} {what}"),
    "regions.of_area": ("{measure} – {area}", "{measure} – {area}"),
    # short screen headers of the wide tables (the full label: Excel header and tooltip)
    "regions.part_master": ("Kreis, Agentur für Arbeit und Land", "Kreis, employment agency and state"),
    "regions.part_levels": ("Stand und Vorjahr (VJ)", "Level and previous year (PY)"),
    "regions.part_changes": ("Veränderung zum Vorjahr", "Change on the previous year"),
    "regions.short_unemployed": ("Arbeitslose", "Unemployed"),
    "regions.short_vacancies": ("Stellen", "Vacancies"),
    "regions.short_ratio": ("je Stelle", "Per vacancy"),
    "regions.short_prev": ("{measure} VJ", "{measure} PY"),
    "regions.short_pct": ("{measure} %", "{measure} %"),
    # --- Automobilwirtschaft -------------------------------------------------------------
    "auto.title": ("Automobilwirtschaft: Abhängigkeit der Kreise", "Automotive: exposure of the Kreise"),
    "auto.intro": (
        "Anteil der sozialversicherungspflichtig Beschäftigten (SvB, Arbeitsort) in der "
        "Automobilwirtschaft je Kreis, mit den abgebenden und aufnehmenden Betrieben des "
        "Netzwerks.",
        "Share of employees subject to social insurance (SvB, place of work) in the "
        "automotive industry by Kreis, with the network's releasing and receiving firms.",
    ),
    "auto.date_earlier": (
        "Zum Ende von {quarter} liegt noch kein SvB-Stichtag vor; der letzte vorliegende ist der {date}.",
        "No SvB reference date at the end of {quarter} yet; the latest available is {date}.",
    ),
    "auto.scope": ("Abgrenzung", "Definition"),
    "auto.date": ("Stichtag (Quartalsende)", "Reference date (quarter end)"),
    "auto.indicator": ("Kennzahl", "Indicator"),
    "auto.share": ("Anteil an allen SvB", "Share of all SvB"),
    "auto.svb_sector": ("SvB in der Abgrenzung", "SvB in the definition"),
    "auto.svb_total": ("SvB insgesamt", "All SvB"),
    "auto.svb_sector_change": ("Veränderung SvB zum Vorjahr (absolut)", "Change in SvB vs. previous year"),
    "auto.svb_sector_change_pct": ("Veränderung SvB zum Vorjahr (%)", "Change in SvB vs. previous year (%)"),
    "auto.share_change": (
        "Veränderung Anteil zum Vorjahr (Prozentpunkte)",
        "Change in share vs. previous year (percentage points)",
    ),
    "auto.share_change_definition": (
        "Anteil am Stichtag minus Anteil ein Jahr zuvor, in Prozentpunkten.",
        "Share at the reference date minus the share a year earlier, in percentage points.",
    ),
    "auto.previous_of": ("{measure} (Vorjahr)", "{measure} (previous year)"),
    "auto.short_svb_sector": ("SvB Abgrenzung", "SvB definition"),
    "auto.short_svb_total": ("SvB gesamt", "SvB all"),
    "auto.short_share": ("Anteil", "Share"),
    "auto.short_share_change": ("Anteil (Pp.)", "Share (pp)"),
    "auto.definition": ("Abgrenzung nach WZ 2008 (Konfiguration)", "Definition by WZ 2008 (configuration)"),
    "auto.definition_line": (
        "**Abgrenzung nach WZ 2008 (Konfiguration):** {items}",
        "**Definition by WZ 2008 (configuration):** {items}",
    ),
    "auto.tier": ("Stufe", "Tier"),
    "auto.core": ("Kern", "Core"),
    "auto.supplier": ("Zulieferer", "Supplier"),
    "auto.wz": ("WZ-Abteilung", "WZ division"),
    "auto.wz_title": ("Bezeichnung", "Title"),
    "auto.compare": (
        "Vergleich: Auswahl, Agenturbezirk, Land",
        "Comparison: selection, agency district, state",
    ),
    "auto.metric_caption": (
        "SvB in der Abgrenzung: {sector} ({change}) · SvB insgesamt: {total}",
        "SvB in the definition: {sector} ({change}) · All SvB: {total}",
    ),
    "auto.map": ("Karte", "Map"),
    "auto.ranking": ("Rangfolge der Kreise", "Ranking of the Kreise"),
    "auto.ranking_title": (
        "Rangfolge der Kreise – Stichtag {date}",
        "Ranking of the Kreise – reference date {date}",
    ),
    "auto.kreise_title": (
        "Automobilwirtschaft: Abhängigkeit der Kreise – {date}",
        "Automotive: exposure of the Kreise – {date}",
    ),
    "auto.legend": ("Legende: {indicator}", "Legend: {indicator}"),
    "auto.legend_sequential": (
        "Flächen: dunkler = höherer Wert (Quintile der Kreise).",
        "Areas: darker = higher value (quintiles of the Kreise).",
    ),
    "auto.legend_diverging": (
        "Flächen: orange = Rückgang, lila = Anstieg zum Vorjahr (Klassen nach Abstand von 0, Terzile).",
        "Areas: orange = decrease, purple = increase vs. the previous year "
        "(classes by distance from 0, terciles).",
    ),
    "auto.firms_legend": ("Betriebe des Netzwerks", "The network's firms"),
    "auto.releasing": ("abgebender Betrieb", "releasing firm"),
    "auto.receiving": ("aufnehmender Betrieb", "receiving firm"),
    "auto.both": ("abgebend und aufnehmend", "releasing and receiving"),
    "auto.show_firms": ("Betriebe anzeigen", "Show firms"),
    "auto.firms": ("Betriebe des Netzwerks (Tabelle)", "The network's firms (table)"),
    "auto.firm": ("Betrieb", "Firm"),
    "auto.role": ("Rolle", "Role"),
    "auto.no_data": ("Keine Beschäftigtenstatistik geladen.", "No employment statistics loaded."),
    "auto.map_table": (
        "Daten der Karte als Tabelle (alle Kennzahlen)",
        "Map data as a table (all indicators)",
    ),
    "auto.summary": (
        "Höchster Wert: {high} ({high_value}); niedrigster Wert: {low} ({low_value}); "
        "{withheld} Kreise gesperrt (*).",
        "Highest value: {high} ({high_value}); lowest value: {low} ({low_value}); "
        "{withheld} Kreise withheld (*).",
    ),
    "auto.source": (
        "Quelle: Statistik der Bundesagentur für Arbeit, sozialversicherungspflichtig "
        "Beschäftigte am Arbeitsort nach WZ 2008 und Kreisen, Stichtag {date}; Betriebe: "
        "Falldaten des Netzwerks Arbeit bewegen!.{demo}",
        "Source: Federal Employment Agency statistics, employees subject to social "
        "insurance at the place of work by WZ 2008 and Kreis, reference date {date}; "
        "firms: case data of the network Arbeit bewegen!.{demo}",
    ),
    "auto.withheld_note": (
        "* = von der BA gesperrt (Geheimhaltung); eine Summe mit gesperrtem "
        "Bestandteil ist ebenfalls gesperrt. Eine WZ-Abteilung ohne Zeile zählt als 0.",
        "* = withheld by the BA (confidentiality); a sum with a withheld component is "
        "withheld as well. A WZ division without a row counts as 0.",
    ),
    "auto.sheet_definition": ("Abgrenzung", "Definition"),
    "auto.sheet_firms": ("Betriebe", "Firms"),
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
        "oder 1–2 meldenden Betrieben und wo die Arbeitsmarktdrehscheibe den Wert zum Schutz "
        "ihrer Zahlen sperrt.",
        "Sum of the job cuts announced by the network's firms in the Kreis (firm_need, kind "
        "'cut'); only Kreise with network firms have a value. Withheld for 1–2 persons or 1–2 "
        "announcing firms, and where the Arbeitsmarktdrehscheibe withholds it to protect its "
        "figures.",
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
    # the ranking on screen in four grids, under short headers (the full name: Excel header,
    # tooltip)
    "rollout.part_score": ("Score und Teilscores", "Score and sub-scores"),
    "rollout.part_dependency": ("Indikatoren: Abhängigkeit und Druck", "Indicators: dependency and pressure"),
    "rollout.part_absorption": (
        "Indikatoren: Aufnahmefähigkeit und erreichbare Nachfrage",
        "Indicators: absorption and reachable demand",
    ),
    "rollout.part_network": ("Im Netzwerk", "In the network"),
    "rollout.part_definitions": ("Definitionen", "Definitions"),
    "rollout.part_weights": ("Richtung, Gewicht, Quelle und Stand", "Direction, weight, source and date"),
    "rollout.short.auto_share": ("Anteil Automobil", "Automotive share"),
    "rollout.short.auto_share_change": ("Veränderung Anteil", "Change of share"),
    "rollout.short.cuts": ("Stellenabbau", "Job cuts"),
    "rollout.short.auto_svb_change_pct": ("Veränderung SvB Automobil %", "Change automotive SvB %"),
    "rollout.short.occ_vacancies": ("Stellen in den Berufen", "Vacancies in the occupations"),
    "rollout.short.occ_ratio": ("Arbeitslose je Stelle", "Unemployed per vacancy"),
    "rollout.short.reach_vacancies": ("Erreichbare Stellen", "Reachable vacancies"),
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
    "rollout.proj.entries_to_end": (
        "Eintritte vom geplanten Start {start} bis Projektende {end}",
        "Entries from the planned start {start} to the project end {end}",
    ),
    "rollout.proj.transitions_to_end": (
        "Übergänge vom geplanten Start {start} bis Projektende {end}",
        "Transitions from the planned start {start} to the project end {end}",
    ),
    "rollout.proj.budget_to_end": (
        "Budget vom geplanten Start {start} bis Projektende {end}",
        "Budget from the planned start {start} to the project end {end}",
    ),
    "rollout.w_start": (
        "Geplanter Start des Kandidaten (Szenario)",
        "Planned start of the candidate (scenario)",
    ),
    "rollout.measure": ("Größe", "Measure"),
    "rollout.expected": ("Erwartet", "Expected"),
    "rollout.low": ("Niedrig", "Low"),
    "rollout.high": ("Hoch", "High"),
    "rollout.plan": ("Rollout-Plan", "Rollout plan"),
    "rollout.sheet_plan": ("Plan", "Plan"),
    "rollout.wave": ("Welle", "Wave"),
    "rollout.start": ("Start", "Start date"),
    "rollout.plan_note": (
        "Der Plan ist Konfiguration (cockpit.toml, Abschnitt [[rollout.waves]]: Welle, Start, "
        "Kreise, Ziele je Jahr): die eine Quelle für die Netzwerkregionen mit Startdatum (Demo-"
        "Daten, „Netzwerkregion seit“, Auswahl „Alle Netzwerkregionen“) und für die Ziele — die "
        "Jahresziele des Netzwerks sind die Summe der Wellen. Erreicht: Eintritte und Übergänge "
        "der Teilnehmenden aus den Kreisen der Welle im Jahr, bis zum Stand der Falldaten.",
        "The plan is configuration (cockpit.toml, section [[rollout.waves]]: wave, start, "
        "Kreise, targets per year): the one source of the network regions with their start "
        "dates (demo data, “network region since”, the selection “all network regions”) and of "
        "the targets — the network's yearly targets are the sum of the waves'. Achieved: entries "
        "and transitions of the participants from the wave's Kreise in the year, up to the date "
        "of the case data.",
    ),
    "rollout.year": ("Jahr", "Year"),
    "rollout.target_entries": ("Ziel Eintritte", "Target entries"),
    "rollout.plan_entries": ("Eintritte erreicht", "Entries achieved"),
    "rollout.target_transitions": ("Ziel Übergänge", "Target transitions"),
    "rollout.plan_transitions": ("Übergänge erreicht", "Transitions achieved"),
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
    # --- quarterly report pack (analytics.report, #13) ----------------------------------
    "report.title": ("Quartalsbericht „Arbeit bewegen!“", "Quarterly report “Arbeit bewegen!”"),
    "report.subtitle": (
        "Bericht an den Lenkungskreis: {region}, {quarter}",
        "Report to the steering committee: {region}, {quarter}",
    ),
    "report.cover": ("Deckblatt", "Cover"),
    "report.sheet_overview": ("Übersicht", "Overview"),
    "report.sheet_funding": ("Förderung", "Funding"),
    "report.sheet_flows": ("Branchen & Übergänge", "Sectors & transitions"),
    "report.sheet_regions": ("Regionen", "Regions"),
    "report.sheet_automotive": ("Automobilwirtschaft", "Automotive"),
    "report.sheet_trends": ("Trends", "Trends"),
    "report.sheet_exchange": ("Drehscheibe", "Exchange"),
    "report.sheet_rollout": ("Rollout", "Rollout"),
    "report.quarter": ("Berichtsquartal", "Reporting quarter"),
    "report.region": ("Region", "Region"),
    "report.kreise": ("Kreise (AGS)", "Kreise (AGS)"),
    "report.role": ("Erstellt für die Rolle", "Prepared for the role"),
    "report.role_agency": ("Transformationsagentur (voller Zugriff)", "Transformationsagentur (full access)"),
    "report.role_ministry": ("Ministerium", "Ministry"),
    "report.role_social_partner": ("Sozialpartner", "Social partners"),
    "report.unprotected": (
        "ACHTUNG: ohne Geheimhaltung erstellt (nur für die Transformationsagentur, nicht weitergeben)",
        "CAUTION: made without disclosure control (for the Transformationsagentur only, do not pass on)",
    ),
    "report.stand": ("Datenstand der Quellen", "Data status of the sources"),
    "report.stand_short": ("Stand", "As of"),
    "report.ba_until": (
        "BA-Statistik Arbeitslose und gemeldete Arbeitsstellen bis",
        "BA statistics unemployed and registered vacancies up to",
    ),
    "report.svb_until": (
        "BA-Statistik SvB-Beschäftigte, Stichtag",
        "BA statistics employees (SvB), reference date",
    ),
    "report.cases_until": ("Falldaten des Netzwerks bis", "Network case data up to"),
    "report.geo": ("Kreisgrenzen", "District boundaries"),
    "report.geo_none": ("keine Geometrie geladen", "no geometry loaded"),
    "report.loads": ("Letzte Ladevorgänge", "Latest loads"),
    "report.contents": ("Inhalt", "Contents"),
    "report.sheet": ("Tabellenblatt", "Sheet"),
    "report.section": ("Abschnitt", "Section"),
    "report.definitions": ("Definitionen", "Definitions"),
    "report.term": ("Begriff", "Term"),
    "report.definition": ("Definition", "Definition"),
    "report.sources": ("Quellen", "Sources"),
    "report.source": ("Quelle", "Source"),
    "report.page": ("Seite &P von &N", "Page &P of &N"),
    "report.toc_page": ("Seite {page}", "page {page}"),
    "report.page_html": ("Seite {page} von {pages}", "Page {page} of {pages}"),
    "report.metric": ("Kennzahl", "Indicator"),
    "report.value": ("Wert", "Value"),
    "report.change": ("Veränderung", "Change"),
    "report.legend": ("Legende", "Legend"),
    "report.map_source": ("Kartengrundlage: {attribution}", "Map data: {attribution}"),
    "report.building": ("Bericht wird erstellt …", "Building the report …"),
    "report.step": ("Abschnitt {n} von {total}: {section}", "Section {n} of {total}: {section}"),
    "report.heading": ("Quartalsbericht", "Quarterly report"),
    "report.build": (
        "Quartalsbericht erstellen (Excel und PDF)",
        "Build the quarterly report (Excel and PDF)",
    ),
    "report.build_help": (
        "Erstellt den Bericht für die gewählte Region und das Quartal, mit allen Abschnitten, "
        "die Ihre Rolle sehen darf; das dauert etwa eine Minute.",
        "Builds the report for the chosen region and quarter, with every section your role may "
        "see; this takes about a minute.",
    ),
    "report.ready": ("Bericht erstellt: {sections} Abschnitte.", "Report built: {sections} sections."),
    "report.download_xlsx": ("Bericht als Excel herunterladen", "Download the report as Excel"),
    "report.download_pdf": ("Bericht als PDF herunterladen", "Download the report as PDF"),
    "export.title": (
        "Arbeit bewegen! – veröffentlichte Aggregate (geheimhaltungsgeprüft)",
        "Arbeit bewegen! – published aggregates (disclosure-controlled)",
    ),
    "export.description": (
        "Die Tabellen hinter den Seiten des Cockpits für {region}, {quarter}, wie sie ein "
        "Ministerium sieht: Zellen mit Fallzahlen von 1 oder 2 Personen (und daraus ableitbare) "
        "sind leer, die Spalte <Name>__suppressed sagt, wo. Keine Falldaten.",
        "The tables behind the cockpit's pages for {region}, {quarter}, as a ministry sees "
        "them: cells of 1 or 2 persons (and values they could be derived from) are empty, the "
        "column <name>__suppressed says where. No case rows.",
    ),
    "export.table": ("Tabelle „{table}“ der Seite „{page}“", "Table “{table}” of the page “{page}”"),
    "export.column": ("Spalte „{column}“; Einheit: {unit}", "Column “{column}”; unit: {unit}"),
    "export.flag": (
        "Wahr, wo der Wert von „{column}“ gesperrt ist (Geheimhaltung); der Wert ist dann leer.",
        "True where the value of “{column}” is withheld (disclosure control); the value is empty then.",
    ),
    "export.row_unit": (
        "Einheit des Werts in dieser Zeile (Tabelle mit gemischten Kennzahlen)",
        "Unit of the value in this row (table of mixed measures)",
    ),
    "unit.count": ("Anzahl", "count"),
    "unit.share": ("Anteil (0 bis 1)", "share (0 to 1)"),
    "unit.eur": ("Euro", "euro"),
    "unit.ratio": ("Verhältnis", "ratio"),
    "unit.days": ("Tage", "days"),
    "unit.float": ("Zahl", "number"),
    "unit.points": ("Veränderung eines Anteils (0 bis 1)", "change of a share (0 to 1)"),
    "unit.pp": ("Prozentpunkte", "percentage points"),
    "unit.index": ("Indexpunkte", "index points"),
    "unit.date": ("Datum", "date"),
    "unit.text": ("Text", "text"),
    "unit.row": ("je Zeile (Spalte row_unit)", "per row (column row_unit)"),
    "report.pdf_failed": (
        "Das PDF konnte nicht erstellt werden ({reason}); die Excel-Fassung steht bereit.",
        "The PDF could not be made ({reason}); the Excel version is ready.",
    ),
}

SAME_IN_BOTH: frozenset[str] = frozenset(
    {
        "filter_region",
        "auth_role_agency",
        "rollout.definition",
        "rollout.sheet_plan",
        # Trends, Regionen: domain words, names and pure formats
        "trends.svb",
        "trends.sheet_svb",
        "trends.source",
        "trends.index",
        "bold",
        "regions.kreis",
        "regions.sheet_kreise",
        "regions.source_line",
        "regional.source_item",
        "regions.measure_with",
        "regions.of_area",
        "regions.short_pct",
        "report.region",
        "report.sheet_trends",
        "report.sheet_rollout",
        "report.kreise",
        "report.definition",
        "funding.xl_budget",
        "funding.running_year",
        # router and data pages: one label for both languages, and words used in both
        "app.language",
        "app.nav_trends",
        "app.region",
        "dq.choose",
    }
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
