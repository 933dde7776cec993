"""Statistics ingest: every publication family from small files in the real layout.

Each test writes its file here (title block, merged headers, soft hyphens, footnotes,
fill-down, '<code> <label>' cells, German text numbers, symbols), ingests it and compares the
warehouse with values written by hand.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.reference import load_reference
from pipelines.statistics import constants as C
from pipelines.statistics.detect import parse_bytes
from pipelines.statistics.ingest import ingest_paths, process_uploads
from pipelines.statistics.model import ParseError
from pipelines.warehouse import publish
from tests.statistics_files import write_csv, write_xls, write_xlsx

D = date.fromisoformat
SHY = "\u00ad"


@pytest.fixture
def ready(settings):
    """Reference data loaded and published: the state a real ingest starts from."""
    load_reference(settings)
    publish(settings)
    return settings


def rows(settings, sql: str, params=None) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def labour_market_sheet(
    month: str = "Januar 2026", title_rows: int = 0, v252: object = 120, created: str = "28.01.2026"
) -> list[list]:
    """Arbeitslose and gemeldete Arbeitsstellen by Kreis × KldB, with the usual quirks."""
    return [
        ["Arbeitslose und gemeldete Arbeitsstellen nach Berufen (KldB 2010)"],
        *([["Hinweis: vorläufige Werte"]] * title_rows),
        [f"Berichtsmonat: {month}"],
        ["Zähltag: 14.01.2026"],
        [],
        [
            "Region",
            "Beruf (KldB 2010)",
            "Arbeitslose",
            None,
            None,
            None,
            None,
            f"Gemeldete Arbeits{SHY}stellen",
        ],
        [None, None, "Insgesamt 1)", "darunter", None, None, None, "Insgesamt"],
        [None, None, None, "Helfer", "Fach-\nkraft", "Spezialist", "Experte", None],
        ["03254 Hildesheim", "Insgesamt", "1.500", 300, 900, 200, 100, 400],
        [
            None,
            "252 Fahrzeug-, Luft-, Raumfahrt- und Schiffbautechnik",
            v252,
            "* ",
            80,
            25,
            "* ",
            60,
        ],
        [None, "251 Maschinenbau- und Betriebstechnik", 1380, 298, 820, 175, 87, 340],
        ["03157 Peine", "Insgesamt", 40, 10, 20, 6, 4, "-"],
        [None, "252 Fahrzeug-, Luft-, Raumfahrt- und Schiffbautechnik", 40, 10, 20, 6, 4, "-"],
        [],
        ["© Statistik der Bundesagentur für Arbeit"],
        ["1) ohne Personen in Maßnahmen"],
        [f"Erstellungsdatum: {created}"],
    ]


LM_MERGES = [(4, 2, 4, 6), (5, 3, 5, 6)]  # 'Arbeitslose' and 'darunter'


def test_labour_market_family(ready, tmp_path):
    path = write_xlsx(
        tmp_path / "alo-kldb-202601.xlsx",
        {"Tabelle 1": labour_market_sheet()},
        {"Tabelle 1": LM_MERGES},
    )
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert report.family == C.BA_LABOUR_MARKET
    assert report.reference_dates == [D("2026-01-01")]
    # 2 Kreise × (1 total + detail rows) × (5 unemployed columns + 1 vacancies column)
    assert report.rows_loaded == (3 + 2) * 6
    got = rows(
        ready,
        "SELECT ags, kldb, measure, breakdown, value, flag FROM fact_labour_market "
        "WHERE kldb IN ('TOTAL', '252') AND ags = '03254' ORDER BY 2, 3, 4",
    )
    assert got == [
        ("03254", "252", "unemployed", "TOTAL", 120.0, None),
        ("03254", "252", "unemployed", "experte", None, "suppressed"),
        ("03254", "252", "unemployed", "fachkraft", 80.0, None),
        ("03254", "252", "unemployed", "helfer", None, "suppressed"),
        ("03254", "252", "unemployed", "spezialist", 25.0, None),
        ("03254", "252", "vacancies", "TOTAL", 60.0, None),
        ("03254", "TOTAL", "unemployed", "TOTAL", 1500.0, None),  # text '1.500'
        ("03254", "TOTAL", "unemployed", "experte", 100.0, None),
        ("03254", "TOTAL", "unemployed", "fachkraft", 900.0, None),
        ("03254", "TOTAL", "unemployed", "helfer", 300.0, None),
        ("03254", "TOTAL", "unemployed", "spezialist", 200.0, None),
        ("03254", "TOTAL", "vacancies", "TOTAL", 400.0, None),
    ]
    assert rows(
        ready,
        "SELECT value, flag FROM fact_labour_market WHERE ags = '03157' "
        "AND kldb = '252' AND measure = 'vacancies'",
    ) == [(0.0, None)]  # '-'
    provenance = rows(
        ready,
        "SELECT DISTINCT source_file, publication, period, reference_date, "
        "vintage, region_level, length(content_hash) FROM fact_labour_market",
    )
    assert provenance == [
        (
            "alo-kldb-202601.xlsx",
            C.BA_LABOUR_MARKET,
            D("2026-01-01"),
            D("2026-01-14"),
            D("2026-01-28"),
            "kreis",
            64,
        )
    ]
    # rows: 120 + 1380 = 1500 exact; columns of 03254/252: 80 + 25 + 2 '*' <= 120
    assert report.reconciliation == "ok"
    assert "0 Abweichungen" in report.reconciliation_detail


def test_star_cells_are_null_with_flag_and_reconcile_as_unknown(ready, tmp_path):
    path = write_xlsx(
        tmp_path / "stars.xlsx",
        {"Tabelle 1": labour_market_sheet(v252="*")},
        {"Tabelle 1": LM_MERGES},
    )
    [report] = ingest_paths(ready, [path])
    assert rows(
        ready,
        "SELECT value, flag FROM fact_labour_market WHERE ags = '03254' AND "
        "kldb = '252' AND measure = 'unemployed' AND breakdown = 'TOTAL'",
    ) == [(None, "suppressed")]
    assert rows(ready, "SELECT count(*) FROM fact_labour_market WHERE value = 0 AND flag IS NOT NULL") == [
        (0,)
    ]
    # 1380 known + one '*' <= 1500: consistent, not a difference
    assert report.reconciliation == "ok"
    assert "mit '*' verträglich" in report.reconciliation_detail


def test_reconciliation_reports_a_difference(ready, tmp_path):
    path = write_xlsx(
        tmp_path / "diff.xlsx",
        {"Tabelle 1": labour_market_sheet(v252=150)},
        {"Tabelle 1": LM_MERGES},
    )
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded"
    assert report.reconciliation == "difference"
    # 150 + 1380 = 1530 against the file's Insgesamt 1500
    assert "ags=03254" in report.reconciliation_detail
    assert "Summe/total 1500, Detail 1530" in report.reconciliation_detail
    stored = rows(ready, "SELECT reconciliation, reconciliation_detail FROM ingest_report")
    assert stored[0][0] == "difference" and "1530" in stored[0][1]


def test_shifted_header_gives_the_same_values(ready, tmp_path):
    plain = parse_bytes(
        "a.xlsx",
        write_xlsx(tmp_path / "a.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES}).read_bytes(),
    )
    shifted_rows = labour_market_sheet(title_rows=4)
    merges = [(r + 4, c1, r2 + 4, c2) for r, c1, r2, c2 in LM_MERGES]
    shifted = parse_bytes(
        "b.xlsx",
        write_xlsx(tmp_path / "b.xlsx", {"T": shifted_rows}, {"T": merges}, start=(2, 1)).read_bytes(),
    )
    columns = ["ags", "kldb", "measure", "breakdown", "value", "flag"]
    a = plain.facts["fact_labour_market"].select(columns).sort(columns[:4])
    b = shifted.facts["fact_labour_market"].select(columns).sort(columns[:4])
    assert a.equals(b)
    # row numbers as Excel shows them: Hildesheim's 252 row is row 9 (plain), 9 + 4 + 2 = 15
    rows_252 = shifted.facts["fact_labour_market"].filter(
        (shifted.facts["fact_labour_market"]["kldb"] == "252")
        & (shifted.facts["fact_labour_market"]["ags"] == "03254")
    )
    assert set(rows_252["_row"].to_list()) == {15}
    assert set(
        plain.facts["fact_labour_market"]
        .filter(plain.facts["fact_labour_market"]["kldb"] == "252")["_row"]
        .to_list()
    ) == {9, 12}


def test_month_columns_as_excel_dates_and_xls(ready, tmp_path):
    sheet = [
        ["Arbeitslose nach Agenturen für Arbeit und Berufen"],
        [],
        ["Agentur für Arbeit", "Beruf", D("2025-11-01"), D("2025-12-01")],
        ["24101 Hildesheim", "Insgesamt", 16000, "16.300"],
        [None, "2 Rohstoffgewinnung, Produktion und Fertigung", 5000, 5100],
        ["Quelle: Statistik der Bundesagentur für Arbeit"],
    ]
    path = write_xls(tmp_path / "alo-agentur.xls", {"Tabelle": sheet})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert report.reference_dates == [D("2025-11-01"), D("2025-12-01")]
    assert rows(
        ready,
        "SELECT ags, region_level, period, kldb, measure, value FROM fact_labour_market "
        "ORDER BY period, kldb",
    ) == [
        ("24101", "agentur", D("2025-11-01"), "2", "unemployed", 5000.0),
        ("24101", "agentur", D("2025-11-01"), "TOTAL", "unemployed", 16000.0),
        ("24101", "agentur", D("2025-12-01"), "2", "unemployed", 5100.0),
        ("24101", "agentur", D("2025-12-01"), "TOTAL", "unemployed", 16300.0),
    ]


def employment_sheet() -> list[list]:
    return [
        ["Sozialversicherungspflichtig Beschäftigte am Arbeitsort nach Wirtschaftszweigen (WZ 2008)"],
        ["Region: 03254 Hildesheim"],
        ["Stichtag: 30. Juni 2025"],
        [],
        ["Wirtschaftszweig (WZ 2008)", "Insgesamt", "Arbeitszeit", None],
        [None, None, "Vollzeit", "Teilzeit"],
        ["Insgesamt", "95.000", 64000, 31000],
        ["C Verarbeitendes Gewerbe", 30000, 26000, 4000],
        ["Q Gesundheits- und Sozial\u00adwesen", 64000, 37000, 27000],
        ["29 Herstellung von Kraftwagen und Kraftwagenteilen", 4200, 4000, 200],
        ["29.3 Herstellung von Teilen und Zubehör für Kraftwagen", 4000, 3800, 200],
        ["Keine Zuordnung möglich", "*", "*", "-"],
        ["© Statistik der Bundesagentur für Arbeit"],
    ]


def test_employment_family_svb_and_gb(ready, tmp_path):
    gb = [
        ["Ausschließlich geringfügig Beschäftigte nach Wirtschaftszweigen"],
        ["Region: 03254 Hildesheim"],
        ["Stichtag: 30.06.2025"],
        ["Wirtschaftszweig", "Insgesamt"],
        ["Insgesamt", 12000],
        ["29 Herstellung von Kraftwagen und Kraftwagenteilen", "* "],
    ]
    path = write_xlsx(
        tmp_path / "svb-wz.xlsx",
        {"SVB - Tabelle II": employment_sheet(), "GB - Tabelle II": gb},
        {"SVB - Tabelle II": [(4, 2, 4, 3)]},
    )
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert report.family == C.BA_EMPLOYMENT and report.reference_dates == [D("2025-06-30")]
    got = rows(
        ready,
        "SELECT wz, measure, breakdown, value, flag FROM fact_employment "
        "WHERE breakdown = 'TOTAL' ORDER BY measure, wz",
    )
    assert got == [
        ("29", "gb", "TOTAL", None, "suppressed"),
        ("TOTAL", "gb", "TOTAL", 12000.0, None),
        ("29", "svb", "TOTAL", 4200.0, None),
        ("29.3", "svb", "TOTAL", 4000.0, None),
        ("C", "svb", "TOTAL", 30000.0, None),
        ("Q", "svb", "TOTAL", 64000.0, None),
        ("TOTAL", "svb", "TOTAL", 95000.0, None),
        ("UNKNOWN", "svb", "TOTAL", None, "suppressed"),
    ]
    assert rows(ready, "SELECT value FROM fact_employment WHERE wz = '29' AND breakdown = 'teilzeit'") == [
        (200.0,)
    ]
    assert rows(ready, "SELECT DISTINCT ags, reference_date, classification FROM fact_employment") == [
        ("03254", D("2025-06-30"), "WZ2008")
    ]
    # sections C + Q + unknown '*' <= 95.000 (Teilzeit: 4.000 + 27.000 + 0 = 31.000 exact);
    # the divisions and groups, listed only in part, stay below it; Vollzeit + Teilzeit = Insgesamt
    assert report.reconciliation == "ok", report.reconciliation_detail


def eckwerte_sheet() -> list[list]:
    return [
        ["Arbeitsmarktreport"],
        ["Berichtsmonat: Januar 2026"],
        ["Region: 03254 Hildesheim"],
        [],
        [
            "Merkmal",
            "Januar 2026",
            "Dezember 2025",
            "Januar 2025",
            "Veränderung gegenüber Vormonat",
            None,
            "Veränderung gegenüber Vorjahresmonat",
            None,
        ],
        [None, None, None, None, "absolut", "in %", "absolut", "in %"],
        ["Arbeitslose", None, None, None, None, None, None, None],
        ["Arbeitslose insgesamt", "11.500", "11.000", "11.200", 500, "4,5", 300, "2,7"],
        ["Männer", 6400, 6100, 6200, 300, "4,9", 200, "3,2"],
        ["15 bis unter 25 Jahre", "*", 1000, 1050, "x", "x", "x", "x"],
        [
            "Arbeitslosenquote bezogen auf alle zivilen Erwerbspersonen",
            "7,1",
            "6,8",
            "6,9",
            "0,3",
            None,
            "0,2",
            None,
        ],
        ["Gemeldete Arbeitsstellen", 2100, 2150, 2400, -50, "-2,3", -300, "-12,5"],
        ["© Statistik der Bundesagentur für Arbeit"],
    ]


def test_eckwerte_family(ready, tmp_path):
    path = write_xlsx(
        tmp_path / "amr-03254-0-202601.xlsx",
        {"Inhalt": [["Arbeitsmarktreport"], ["Inhaltsverzeichnis"]], "Eckwerte": eckwerte_sheet()},
        {"Eckwerte": [(4, 4, 4, 5), (4, 6, 4, 7)]},
    )
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert report.family == C.BA_ECKWERTE and report.reference_dates == [D("2026-01-01")]
    got = rows(ready, "SELECT indicator, unit, value, flag FROM fact_headline ORDER BY indicator")
    assert got == [
        ("arbeitslose_15_bis_unter_25_jahre", "persons", None, "suppressed"),
        ("arbeitslose_maenner", "persons", 6400.0, None),
        ("unemployed", "persons", 11500.0, None),
        ("unemployment_rate", "percent", 7.1, None),
        ("vacancies", "persons", 2100.0, None),
    ]
    assert rows(ready, "SELECT DISTINCT ags, period FROM fact_headline") == [("03254", D("2026-01-01"))]
    # changes: 11500-11000=500, 11500-11200=300, 6400-6100, 6400-6200, 7.1-6.8, 7.1-6.9, 2100-2150, 2100-2400
    assert report.reconciliation == "ok"
    # the '*' row's two changes ('x') cannot be checked: unknown, not a difference
    assert report.reconciliation_detail.startswith("10 Summenprüfungen / total checks: 8 exakt")
    assert "2 Summe unbekannt" in report.reconciliation_detail


def test_eckwerte_bad_value_is_quarantined_and_a_wrong_change_reported(ready, tmp_path):
    sheet = eckwerte_sheet()
    sheet[8] = ["Männer", "viele", 6100, 6200, 300, "4,9", 200, "3,2"]  # no number
    sheet[7] = ["Arbeitslose insgesamt", "11.500", "11.000", "11.200", 400, "4,5", 300, "2,7"]
    sheet.append(["Erstellungsdatum: 30.01.2026"])
    path = write_xlsx(tmp_path / "amr-03254-0-202601.xlsx", {"Eckwerte": sheet})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert report.rows_quarantined == 1
    [(reason, row_number, column)] = rows(ready, "SELECT reason, row_number, column_name FROM quarantine")
    assert "viele" in reason and (row_number, column) == (9, "B (Januar 2026)")
    # 11500 - 11000 = 500, the file says 400: one difference; Männer is no fact, no check
    assert report.reconciliation == "difference"
    assert report.reconciliation_detail.startswith("8 Summenprüfungen / total checks: 5 exakt")
    assert "Summe/total 400, Detail 500" in report.reconciliation_detail
    assert rows(ready, "SELECT DISTINCT vintage FROM fact_headline") == [(D("2026-01-30"),)]


DATENBANK = [
    "Beschäftigungsstatistik: Sozialversicherungspflichtig Beschäftigte am Arbeitsort",
    "Stichtag;30.06.2023",
    "Gebietsstand;Gebietsstand Juni 2023",
    "",
    "BundeslandID;Bundesland;KreisID;Kreis;WZ08-Abteilung-ID;WZ08-Abteilung;"
    "Sozialversicherungspflichtig Beschäftigte",
    "03;Niedersachsen;03254;Hildesheim;28;Maschinenbau;3.100",
    "03;Niedersachsen;03254;Hildesheim;29;Herstellung von Kraftwagen und Kraftwagenteilen;4.200",
    "03;Niedersachsen;03254;Hildesheim;;Summe:;7.300",
    "03;Niedersachsen;03157;Peine, Stadt;28;Maschinenbau;*",
    "03;Niedersachsen;03157;Peine, Stadt;29;Herstellung von Kraftwagen und Kraftwagenteilen;x",
    "03;Niedersachsen;03157;Peine, Stadt;;Summe:;900",
    "03;Niedersachsen;;Summe:;;;8.200",
    "",
    "© Statistik der Bundesagentur für Arbeit",
    "Erstellungsdatum: 15.01.2024",
]


def test_datenbank_csv_family(ready, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(DATENBANK).encode("utf-8"))
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert report.family == C.BA_DATENBANK and report.reference_dates == [D("2023-06-30")]
    got = rows(
        ready,
        "SELECT ags, region_level, wz, measure, value, flag FROM fact_employment ORDER BY 1, 3",
    )
    assert got == [
        ("03", "land", "TOTAL", "svb", 8200.0, None),
        ("03157", "kreis", "28", "svb", None, "suppressed"),
        ("03157", "kreis", "29", "svb", None, "na"),
        ("03157", "kreis", "TOTAL", "svb", 900.0, None),
        ("03254", "kreis", "28", "svb", 3100.0, None),
        ("03254", "kreis", "29", "svb", 4200.0, None),
        ("03254", "kreis", "TOTAL", "svb", 7300.0, None),
    ]
    # 3100 + 4200 = 7300 exact; Peine unknown; 7300 + 900 = 8200 exact
    assert report.reconciliation == "ok"


FFCSV = [
    "statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;"
    "1_variable_attribute_code;1_variable_attribute_label;2_variable_code;2_variable_label;"
    "2_variable_attribute_code;2_variable_attribute_label;value;value_unit;value_variable_code;"
    "value_variable_label;value_q",
    "13211;Arbeitsmarktstatistik;JAHR;Jahr;2023;KREISE;Kreise;03254;Hildesheim, Landkreis;GES;Geschlecht;"
    "GESM;männlich;6123;Anzahl;ERW012;Arbeitslose;e",
    "13211;Arbeitsmarktstatistik;JAHR;Jahr;2023;KREISE;Kreise;03254;Hildesheim, Landkreis;;;;;"
    "6,8;Prozent;ERW130;Arbeitslosenquote;p",
    "13211;Arbeitsmarktstatistik;JAHR;Jahr;2023;KREISE;Kreise;03157;Peine;;;;;.;Prozent;ERW130;"
    "Arbeitslosenquote;",
]


def test_regio_ffcsv_and_flat(ready, tmp_path):
    ff = tmp_path / "13211-02-05-4.csv"
    ff.write_bytes(b"\xef\xbb\xbf" + "\n".join(FFCSV).encode("utf-8"))
    flat = write_csv(
        tmp_path / "13111-01-03-4.csv",
        [
            "Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
            "1_Auspraegung_Code;1_Auspraegung_Label;ERWP01__Sozialversicherungspflichtig Beschäftigte am "
            "Arbeitsort__Anzahl;ERWP01__Sozialversicherungspflichtig Beschäftigte am Arbeitsort__q",
            "13111;Beschäftigtenstatistik;STAG;Stichtag;30.06.2023;KREISE;Kreise;03254;Hildesheim;94512;r",
            "13111;Beschäftigtenstatistik;STAG;Stichtag;30.06.2023;KREISE;Kreise;04011;Bremen, Stadt;-;",
            "13111;Beschäftigtenstatistik;STAG;Stichtag;30.06.2023;KREISE;Kreise;09162;München;...;",
        ],
        encoding="latin-1",
    )
    reports = ingest_paths(ready, [ff, flat])
    assert [r.family for r in reports] == [C.REGIO_FFCSV, C.REGIO_FLAT]
    assert all(r.status == "loaded" for r in reports), [r.message for r in reports]
    got = rows(
        ready,
        "SELECT statistic_code, value_code, ags, reference_date, breakdown, value, unit, "
        "flag, quality FROM fact_regio ORDER BY 1, 2, 3",
    )
    assert got == [
        ("13111", "ERWP01", "03254", D("2023-06-30"), "TOTAL", 94512.0, "Anzahl", None, "revised"),
        ("13111", "ERWP01", "04011", D("2023-06-30"), "TOTAL", 0.0, "Anzahl", None, None),
        ("13211", "ERW012", "03254", D("2023-12-31"), "GES=GESM", 6123.0, "Anzahl", None, "final"),
        (
            "13211",
            "ERW130",
            "03157",
            D("2023-12-31"),
            "TOTAL",
            None,
            "Prozent",
            "unknown_or_secret",
            None,
        ),
        ("13211", "ERW130", "03254", D("2023-12-31"), "TOTAL", 6.8, "Prozent", None, "provisional"),
    ]
    # München (Bayern) lies outside Niedersachsen/Bremen: not loaded, said so
    assert any("außerhalb" in w for w in reports[1].warnings)


def test_reload_is_idempotent(ready, tmp_path):
    path = write_xlsx(tmp_path / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    ingest_paths(ready, [path])
    before = rows(ready, "SELECT count(*), sum(value), min(loaded_at) FROM fact_labour_market")
    [again] = ingest_paths(ready, [path])
    assert again.status == "unchanged"
    assert rows(ready, "SELECT count(*), sum(value), min(loaded_at) FROM fact_labour_market") == before
    assert rows(ready, "SELECT count(*) FROM load_log WHERE step = 'ingest'") == [(1,)]
    # the same content under another name is the same content
    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    assert ingest_paths(ready, [copy])[0].status == "unchanged"


def test_newer_vintage_revises_and_older_does_not(ready, tmp_path):
    first = write_xlsx(tmp_path / "alo-v1.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    second = write_xlsx(
        tmp_path / "alo-v2.xlsx",
        {"T": labour_market_sheet(v252=130, created="15.02.2026")},
        {"T": LM_MERGES},
    )
    ingest_paths(ready, [first])
    [revision] = ingest_paths(ready, [second])
    assert revision.status == "loaded"
    assert revision.rows_replaced == 30 and revision.revision.endswith("alo-v1.xlsx")
    assert rows(
        ready,
        "SELECT value, source_file, vintage FROM fact_labour_market WHERE ags = '03254' "
        "AND kldb = '252' AND measure = 'unemployed' AND breakdown = 'TOTAL'",
    ) == [(130.0, "alo-v2.xlsx", D("2026-02-15"))]
    assert rows(ready, "SELECT count(*) FROM fact_labour_market") == [(30,)]
    # an older vintage arriving later does not overwrite the newer one
    older = write_xlsx(
        tmp_path / "alo-v0.xlsx",
        {"T": labour_market_sheet(v252=110, created="20.01.2026")},
        {"T": LM_MERGES},
    )
    [late] = ingest_paths(ready, [older])
    assert late.rows_kept_newer == 30 and late.rows_loaded == 0
    assert rows(ready, "SELECT DISTINCT source_file FROM fact_labour_market") == [("alo-v2.xlsx",)]
    report = rows(ready, "SELECT source_file, rows_replaced, revision FROM ingest_report ORDER BY load_id")
    assert report[1][:2] == ("alo-v2.xlsx", 30) and "alo-v1.xlsx" in report[1][2]


def test_corrupt_file_is_rejected_and_nothing_published(ready, tmp_path):
    """Nothing of the file is loaded; only its rejection is recorded (file, hash, message)."""
    good = write_xlsx(tmp_path / "good.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[:900])  # a truncated zip
    [report] = ingest_paths(ready, [broken])
    assert report.status == "rejected"
    assert "broken.xlsx" in report.message and "nicht lesbar" in report.message
    assert rows(ready, "SELECT count(*) FROM fact_labour_market") == [(0,)]
    assert rows(ready, "SELECT count(*) FROM ingest_report") == [(0,)]
    logged = rows(
        ready, "SELECT step, source, status, content_hash, message FROM load_log WHERE status = 'rejected'"
    )
    assert [r[:3] for r in logged] == [("ingest", "broken.xlsx", "rejected")]
    assert logged[0][3] == hashlib.sha256(hashlib.sha256(broken.read_bytes()).digest()).hexdigest()
    assert logged[0][4] == report.message


def test_unknown_family_is_rejected_naming_what_was_expected(ready, tmp_path):
    other = write_xlsx(tmp_path / "budget.xlsx", {"Haushalt": [["Titel"], ["Posten", "Betrag"], ["A", 1]]})
    csv = write_csv(tmp_path / "notes.csv", ["Name;Wert", "a;1"])
    reports = ingest_paths(ready, [other, csv])
    assert [r.status for r in reports] == ["rejected", "rejected"]
    assert "unbekannte Veröffentlichung" in reports[0].message and "Haushalt" in reports[0].message
    assert "Erwartet / expected" in reports[0].message and "'Eckwerte'" in reports[0].message
    assert "notes.csv" in reports[1].message
    assert rows(ready, "SELECT count(*) FROM ingest_report") == [(0,)]


def test_missing_period_names_sheet_row_and_expectation(tmp_path):
    sheet = [
        row for row in labour_market_sheet() if not str(row[:1]).startswith(("['Berichtsmonat", "['Zähltag"))
    ]
    path = write_xlsx(
        tmp_path / "noperiod.xlsx",
        {"Tabelle 1": sheet},
        {"Tabelle 1": [(2, 2, 2, 6), (3, 3, 3, 6)]},
    )
    with pytest.raises(ParseError) as caught:
        parse_bytes(path.name, path.read_bytes())
    message = str(caught.value)
    assert "noperiod.xlsx" in message and "Blatt/sheet 'Tabelle 1'" in message
    assert "Zeile/row" in message and "Berichtsmonat" in message


def test_bad_cells_and_unknown_codes_go_to_quarantine(ready, tmp_path):
    sheet = labour_market_sheet()
    sheet[8] = [None, "252 Fahrzeugtechnik", "zwölf", "* ", 80, 25, "* ", 60]  # row 9
    sheet[11] = ["03999 Nirgendwo", "999 Unbekannt", 1, 1, 1, 1, 1, 1]  # row 12
    path = write_xlsx(tmp_path / "bad.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": LM_MERGES})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded"
    quarantined = rows(
        ready,
        "SELECT sheet, row_number, column_name, reason, raw_values FROM quarantine "
        "ORDER BY row_number, column_name",
    )
    assert quarantined[0][:3] == ("Tabelle 1", 9, "C (Arbeitslose / Insgesamt)")
    assert "zwölf" in quarantined[0][3]
    unknown = [q for q in quarantined if q[1] == 12]
    assert len(unknown) == 6 and all("unbekannter Kreisschlüssel" in q[3] for q in unknown)
    assert json.loads(unknown[0][4])["ags"] == "03999"
    assert report.rows_quarantined == 7
    assert any("unknown Kreis code: 03999" in w for w in report.warnings)
    assert rows(ready, "SELECT count(*) FROM fact_labour_market WHERE ags = '03999'") == [(0,)]


def test_cli_ingest_folder_with_progress(ready, tmp_path):
    folder = tmp_path / "incoming"
    folder.mkdir()
    write_xlsx(folder / "alo.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    (folder / "readme.md").write_text("not a statistics file")
    result = CliRunner().invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 0, result.output
    assert "[1/1] alo.xlsx" in result.output and "geladen / loaded alo.xlsx" in result.output
    again = CliRunner().invoke(app, ["ingest", str(folder)])
    assert "unverändert / unchanged alo.xlsx" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("x;y\n1;2\n", encoding="utf-8")
    failed = CliRunner().invoke(app, ["ingest", str(bad)])
    assert failed.exit_code == 1 and "ABGELEHNT / REJECTED bad.csv" in failed.output


def test_process_uploads_publishes(ready, tmp_path):
    data = write_xlsx(tmp_path / "u.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES}).read_bytes()
    reports = process_uploads(ready, [("upload-1.xlsx", data), ("leer.csv", b"")], role="agency")
    assert [r.status for r in reports] == ["loaded", "rejected"]
    assert "leere Datei" in reports[1].message
    assert rows(ready, "SELECT count(*) FROM fact_labour_market") == [(30,)]
    assert not (Path(ready.build_path) / "warehouse.staging.duckdb").exists()


def test_regio_fetch_offline_with_a_stub_client(ready):
    from pipelines.statistics.genesis import fetch_regio

    class StubClient:
        def __init__(self):
            self.calls = []

        def fetch(self, name, *, regionalkey, startyear, endyear):
            self.calls.append((name, regionalkey, startyear, endyear))
            return "\n".join(FFCSV)

    client = StubClient()
    [report] = fetch_regio(ready, ["13211-02-05-4"], startyear="2023", endyear="2023", client=client)
    assert client.calls == [("13211-02-05-4", "03*,04*", "2023", "2023")]
    assert report.status == "loaded" and report.family == C.REGIO_FFCSV
    assert rows(ready, "SELECT count(*) FROM fact_regio") == [(3,)]
    assert list((ready.data_dir / "raw" / "regio").glob("13211-02-05-4_2023-2023_*.csv"))


def test_regio_fetch_without_credentials_says_what_to_set(ready):
    from pipelines.statistics.genesis import fetch_regio
    from pipelines.warehouse import PipelineError

    with pytest.raises(PipelineError, match="COCKPIT_GENESIS_USER"):
        fetch_regio(ready, startyear="2023", endyear="2023")


def test_descriptive_fact_columns_are_enums_also_in_a_warehouse_made_before(tmp_path):
    """measure, region_level, classification are ENUMs; an older warehouse with text columns
    is migrated on the next staging open, values kept; ORDER BY still sorts as text."""
    from pipelines.warehouse import apply_schema, schema_sql

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute(schema_sql())  # the tables as an earlier version made them: text columns
    for measure in ("vacancies", "unemployed"):
        con.execute(
            "INSERT INTO fact_labour_market (ags, period, kldb, measure, value, source_file, "
            "content_hash, publication, loaded_at) VALUES ('03254', DATE '2026-01-01', 'TOTAL', "
            "?, 1, 'f.xlsx', 'h', 'p', now())",
            [measure],
        )
    kinds = (
        "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = "
        "'fact_labour_market' AND column_name IN ('measure', 'region_level', 'classification')"
    )
    assert {k for _, k in con.execute(kinds).fetchall()} == {"VARCHAR"}
    apply_schema(con)
    apply_schema(con)  # a second open changes nothing
    assert dict(con.execute(kinds).fetchall()) == {
        "measure": "ENUM('gb', 'svb', 'unemployed', 'vacancies')",
        "region_level": "ENUM('agentur', 'kreis', 'land', 'other')",
        "classification": "ENUM('KldB2010', 'WZ2008', 'WZ2025')",
    }
    assert con.execute(
        "SELECT measure, region_level, classification FROM fact_labour_market ORDER BY measure"
    ).fetchall() == [("unemployed", "kreis", "KldB2010"), ("vacancies", "kreis", "KldB2010")]
    with pytest.raises(duckdb.ConversionException):
        con.execute("UPDATE fact_labour_market SET measure = 'no such measure'")
    con.close()
