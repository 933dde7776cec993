"""Statistics ingest: quirks seen in realistic files (#10, part 3). Nothing misfiled, nothing
dropped silently.

Each test writes a small file that shows one quirk and compares with values computed by hand
from its rows. The sheets are those of test_statistics_ingest.py with one change each.
"""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.reference import load_reference
from pipelines.statistics.cells import parse_month
from pipelines.statistics.detect import parse_bytes
from pipelines.statistics.ingest import ingest_paths
from pipelines.statistics.model import ParseError
from pipelines.statistics.reader import decode_text
from pipelines.warehouse import publish
from tests.statistics_files import write_csv, write_xlsx
from tests.test_statistics_ingest import DATENBANK, LM_MERGES, labour_market_sheet, rows

D = date.fromisoformat


@pytest.fixture
def ready(settings):
    """Reference data loaded and published: the state a real ingest starts from."""
    load_reference(settings)
    publish(settings)
    return settings


def quarantine(settings) -> list[tuple]:
    return rows(
        settings, "SELECT row_number, column_name, reason FROM quarantine ORDER BY row_number, column_name"
    )


def accounted(report) -> bool:
    return report.rows_read == report.rows_loaded + report.rows_quarantined + report.rows_skipped


# --- duplicate keys ---------------------------------------------------------------------------


def test_a_repeated_kreis_kldb_row_is_quarantined_in_every_copy(ready, tmp_path):
    sheet = labour_market_sheet()
    sheet.insert(10, list(sheet[9]))  # the 251 row of Hildesheim twice (rows 10 and 11)
    path = write_xlsx(tmp_path / "dup.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": LM_MERGES})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    # 6 rows × 6 value cells read; both copies of the 251 row (2 × 6 cells) quarantined
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (36, 24, 12)
    got = quarantine(ready)
    assert [(r, c[:1]) for r, c, _ in got] == [(r, c) for r in (10, 11) for c in "CDEFGH"]
    assert all("mehrfach" in reason and "more than once" in reason for *_, reason in got)
    assert rows(ready, "SELECT count(*) FROM fact_labour_market WHERE kldb = '251'") == [(0,)]


def test_two_csv_rows_for_the_same_key_are_both_quarantined(ready, tmp_path):
    lines = list(DATENBANK)
    lines.insert(6, "03;Niedersachsen;03254;Hildesheim;28;Maschinenbau;3.000")  # 28 twice
    path = write_csv(tmp_path / "dup.csv", lines)
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    got = quarantine(ready)
    # the header is line 5: data lines 6 (3.100) and 7 (3.000) hold the same key
    assert [(r, c) for r, c, _ in got] == [
        (6, "Sozialversicherungspflichtig Beschäftigte"),
        (7, "Sozialversicherungspflichtig Beschäftigte"),
    ]
    assert rows(ready, "SELECT count(*) FROM fact_employment WHERE wz = '28' AND ags = '03254'") == [(0,)]
    assert accounted(report)


# --- negative counts ----------------------------------------------------------------------------


def test_a_negative_count_is_quarantined_with_the_reason(ready, tmp_path):
    path = write_xlsx(
        tmp_path / "neg.xlsx", {"Tabelle 1": labour_market_sheet(v252=-5)}, {"Tabelle 1": LM_MERGES}
    )
    [report] = ingest_paths(ready, [path])
    assert report.rows_quarantined == 1 and report.rows_loaded == 29
    [(row, column, reason)] = quarantine(ready)
    assert (row, column) == (9, "C (Arbeitslose / Insgesamt)")
    assert "negative Anzahl" in reason and "-5" in reason
    assert accounted(report)


# --- region codes -------------------------------------------------------------------------------


def test_region_codes_lost_zero_no_land_and_other_lands(ready, tmp_path):
    sheet = labour_market_sheet()
    sheet[7][0] = "3254 Hildesheim"  # leading zero lost: still 03254
    sheet[10][0] = "99999 Nirgendwo"  # no Kreis of any Land: quarantined, 2 rows × 6 cells
    sheet.insert(12, ["09162 München", "Insgesamt", 5, 1, 1, 1, 1, 1])  # another Land: skipped
    path = write_xlsx(tmp_path / "regions.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": LM_MERGES})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert rows(ready, "SELECT DISTINCT ags FROM fact_labour_market") == [("03254",)]
    assert (report.rows_loaded, report.rows_quarantined, report.rows_skipped) == (18, 12, 6)
    assert report.rows_read == 36
    assert {reason for *_, reason in quarantine(ready)} == {
        "Regionsschlüssel keines Landes / region code of no Land: 99999"
    }
    assert any("6 Zeilen außerhalb der Länder" in w for w in report.warnings)
    assert "6 Zeilen übersprungen / skipped" in report.summary()


def test_a_kreis_code_column_read_as_number_keeps_its_leading_zero(ready, tmp_path):
    sheet = [
        ["Arbeitslose nach Kreisen und Berufen"],
        ["Berichtsmonat: Januar 2026"],
        [],
        ["Kreisschlüssel", "Kreis", "Beruf (KldB 2010)", "Arbeitslose"],
        [3254, "Hildesheim", "Insgesamt", 1500],
        [3254, "Hildesheim", "252 Fahrzeugtechnik", 120],
        [3157, "Peine", "Insgesamt", 40],
    ]
    path = write_xlsx(tmp_path / "codes.xlsx", {"T": sheet})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert rows(ready, "SELECT ags, kldb, value FROM fact_labour_market ORDER BY 1, 2") == [
        ("03157", "TOTAL", 40.0),
        ("03254", "252", 120.0),
        ("03254", "TOTAL", 1500.0),
    ]


# --- reporting period ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("Okt. 2025", D("2025-10-01")),
        ("Oktober 2025", D("2025-10-01")),
        ("October 2025", D("2025-10-01")),
        ("Oct 2025", D("2025-10-01")),
        ("10/2025", D("2025-10-01")),
        ("2025-10", D("2025-10-01")),
        ("Dec. 2025", D("2025-12-01")),
        ("März 2026", D("2026-03-01")),
        ("March 2026", D("2026-03-01")),
        ("May 2026", D("2026-05-01")),
    ],
)
def test_month_names_german_and_english(text, month):
    assert parse_month(text) == month


def _without_period(sheet: list[list]) -> list[list]:
    return [r for r in sheet if not str(r[:1]).startswith(("['Berichtsmonat", "['Zähltag"))]


def test_a_hint_line_date_is_never_the_period(tmp_path):
    sheet = _without_period(labour_market_sheet())
    sheet.insert(1, ["Hinweis: ab Januar 2025 neue Abgrenzung der Berufe"])
    sheet.insert(2, ["Erstellungsdatum: 28.01.2026"])
    path = write_xlsx(
        tmp_path / "hint.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": [(4, 2, 4, 6), (5, 3, 5, 6)]}
    )
    with pytest.raises(ParseError) as caught:
        parse_bytes(path.name, path.read_bytes())
    message = str(caught.value)
    assert "kein Berichtszeitraum" in message and "no reporting period" in message
    # where it looked: the title block above the header (row 5) and the header rows 5-7
    assert "Titelblock, Zeilen 1–4" in message and "Spaltenköpfen, Zeilen 5–7" in message


def test_the_stated_month_wins_over_a_hint_line(tmp_path):
    sheet = _without_period(labour_market_sheet())
    sheet.insert(1, ["Hinweis: ab Januar 2025 neue Abgrenzung der Berufe"])
    sheet.insert(2, ["Berichtsmonat: Okt. 2025"])
    path = write_xlsx(
        tmp_path / "okt.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": [(4, 2, 4, 6), (5, 3, 5, 6)]}
    )
    parsed = parse_bytes(path.name, path.read_bytes())
    assert parsed.reference_dates == [D("2025-10-01")]


# --- encodings ------------------------------------------------------------------------------------


def test_windows_1252_is_told_apart_from_latin_1():
    text = "Kreis;Beschäftigte – „Vollzeit“ 5 €"
    assert decode_text("a.csv", text.encode("cp1252")) == text
    # Latin-1 without the 0x80-0x9F range reads as before
    assert decode_text("b.csv", "Größe;Maß".encode("latin-1")) == "Größe;Maß"


# --- header meaning -------------------------------------------------------------------------------


@pytest.mark.parametrize(("helfer", "status"), [(299, "ok"), (301, "difference")])
def test_a_darunter_group_is_partial_never_complete(ready, tmp_path, helfer, status):
    sheet = labour_market_sheet()
    sheet[7][3] = helfer  # Helfer of Hildesheim: 299 + 900 + 200 + 100 = 1499 (or 1501) of 1500
    path = write_xlsx(tmp_path / "darunter.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": LM_MERGES})
    [report] = ingest_paths(ready, [path])
    # 1499 <= 1500: the parts under 'darunter' need not add up; 1501 exceeds the total
    assert report.reconciliation == status, report.reconciliation_detail
    if status == "difference":
        assert "Anforderungsniveau (darunter) <= Insgesamt" in report.reconciliation_detail
        assert "Summe/total 1500, Detail 1501" in report.reconciliation_detail


def test_a_sub_count_of_a_measure_stays_a_breakdown_of_it(ready, tmp_path):
    sheet = [
        ["Gemeldete Arbeitsstellen nach Berufen"],
        ["Berichtsmonat: Januar 2026"],
        [],
        ["Region", "Beruf (KldB 2010)", "Gemeldete Arbeitsstellen", None],
        [None, None, "Insgesamt", "darunter sozialversicherungspflichtig"],
        ["03254 Hildesheim", "Insgesamt", 400, 350],
        [None, "252 Fahrzeugtechnik", 60, 55],
    ]
    path = write_xlsx(tmp_path / "stellen.xlsx", {"T": sheet}, {"T": [(3, 2, 3, 3)]})
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert rows(ready, "SELECT kldb, measure, breakdown, value FROM fact_labour_market ORDER BY 1, 3") == [
        ("252", "vacancies", "TOTAL", 60.0),
        ("252", "vacancies", "svpflichtig", 55.0),
        ("TOTAL", "vacancies", "TOTAL", 400.0),
        ("TOTAL", "vacancies", "svpflichtig", 350.0),
    ]


# --- formula and error cells ------------------------------------------------------------------


def _openpyxl_file(path, rows_: list[list]) -> bytes:
    """A workbook as openpyxl saves it: formulas without a cached value, error cells as errors."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tabelle 1"
    for row in rows_:
        sheet.append(row)
    book.save(path)
    return path.read_bytes()


def test_error_cells_and_formulas_without_a_value_go_to_quarantine(ready, tmp_path):
    sheet = labour_market_sheet()
    sheet[8][2] = "=C11+1"  # 252 Arbeitslose (row 9, C): a formula, no cached value
    sheet[9][3] = "#DIV/0!"  # 251 Helfer (row 10, D): an error cell
    sheet[9][7] = "#N/A"  # 251 Gemeldete Arbeitsstellen (row 10, H)
    path = tmp_path / "formulas.xlsx"
    _openpyxl_file(path, sheet)
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    got = quarantine(ready)
    assert [(r, c) for r, c, _ in got] == [
        (9, "C (Arbeitslose / Insgesamt)"),
        (10, "D (Arbeitslose / darunter / Helfer)"),
        (10, "H (Gemeldete Arbeitsstellen / Insgesamt)"),
    ]
    assert "Formel ohne gespeicherten Wert '=C11+1'" in got[0][2]
    assert "Excel-Fehler '#DIV/0!'" in got[1][2] and "Excel error '#N/A'" in got[2][2]
    assert rows(ready, "SELECT DISTINCT sheet FROM quarantine") == [("Tabelle 1",)]
    # 30 cells read, 3 quarantined, 27 loaded
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (30, 27, 3)


def test_a_formula_uses_its_cached_value(ready, tmp_path):
    import xlsxwriter

    path = tmp_path / "cached.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("T")
    for r, row in enumerate(
        [
            ["Arbeitslose nach Berufen"],
            ["Berichtsmonat: Januar 2026"],
            ["Region", "Beruf (KldB 2010)", "Arbeitslose"],
            ["03254 Hildesheim", "Insgesamt", None],
            [None, "252 Fahrzeugtechnik", 120],
            [None, "251 Maschinenbau", 1380],
        ]
    ):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write_formula(3, 2, "=C5+C6", None, 1500)  # cached value 1500
    book.close()
    [report] = ingest_paths(ready, [path])
    assert report.rows_quarantined == 0
    assert rows(ready, "SELECT value FROM fact_labour_market WHERE kldb = 'TOTAL'") == [(1500.0,)]


# --- unchanged files ----------------------------------------------------------------------------


@pytest.mark.parametrize("published", [True, False])
def test_an_unchanged_file_is_known_by_its_hash_before_parsing(ready, tmp_path, monkeypatch, published):
    from pipelines.statistics import ingest

    path = write_xlsx(tmp_path / "alo.xlsx", {"Tabelle 1": labour_market_sheet()}, {"Tabelle 1": LM_MERGES})
    [first] = ingest_paths(ready, [path], publish_after=published)
    assert first.status == "loaded"

    def no_parse(*args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(ingest, "parse_bytes", no_parse)
    copy = tmp_path / "same-content.xlsx"
    copy.write_bytes(path.read_bytes())
    [again] = ingest_paths(ready, [copy])
    assert again.status == "unchanged" and again.source == "same-content.xlsx"
    # what the earlier load found, from its report
    assert again.reference_dates == [D("2026-01-01")] and again.reconciliation == "ok"


# --- demo never outranks real data -----------------------------------------------------------------


def test_a_real_file_replaces_demo_facts_and_the_badge_goes(ready, tmp_path):
    from datetime import datetime

    import duckdb

    from analytics.db import data_status
    from pipelines.statistics.ingest import write_parsed
    from pipelines.warehouse import hash_bytes, run_step

    # the demo's file states a creation date after the real file's (and after the build day)
    demo = write_xlsx(
        tmp_path / "demo-alo.xlsx",
        {"Tabelle 1": labour_market_sheet(v252=999, created="28.12.2026")},
        {"Tabelle 1": LM_MERGES},
    )

    def load_demo(content_hash: str, loaded_at: datetime):
        parsed = parse_bytes(demo.name, demo.read_bytes())
        parsed.demo = True
        held = {}

        def load(con):
            counts, held["report"] = write_parsed(con, parsed, content_hash, loaded_at, ["03", "04"])
            return counts

        run_step(ready, "ingest", demo.name, content_hash, load, any_load=True)  # the BA part of the demo
        publish(ready)
        return held["report"]

    load_demo(hash_bytes(demo.read_bytes()), datetime(2026, 6, 1, 12))
    assert rows(ready, "SELECT DISTINCT publication, vintage FROM fact_labour_market") == [
        ("demo:ba-alo-gemeldete-stellen-kldb", D("2026-06-01"))  # no later than the build day
    ]

    def badge() -> bool:
        con = duckdb.connect(str(ready.warehouse_path), read_only=True)
        try:
            return data_status(con).is_demo
        finally:
            con.close()

    assert badge()
    real = write_xlsx(tmp_path / "alo.xlsx", {"Tabelle 1": labour_market_sheet()}, {"Tabelle 1": LM_MERGES})
    [report] = ingest_paths(ready, [real])  # vintage 28.01.2026, older than the demo's stamp
    assert (report.rows_loaded, report.rows_replaced, report.rows_kept_newer) == (30, 30, 0)
    assert rows(ready, "SELECT DISTINCT publication FROM fact_labour_market") == [
        ("ba-alo-gemeldete-stellen-kldb",)
    ]
    assert not badge()
    # a demo load after it never replaces the real rows
    again = load_demo("other", datetime(2026, 6, 2))
    assert (again.rows_loaded, again.rows_kept_newer) == (0, 30)
    assert rows(
        ready,
        "SELECT value FROM fact_labour_market WHERE kldb = '252' AND breakdown = 'TOTAL' "
        "AND measure = 'unemployed' AND ags = '03254'",
    ) == [(120.0,)]


# --- order of the files of one run ---------------------------------------------------------------


def _no_vintage(sheet: list[list]) -> list[list]:
    return [r for r in sheet if not str(r[:1]).startswith("['Erstellungsdatum")]


def test_files_of_one_run_load_by_date_vintage_name_and_disagreements_are_named(ready, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    # no vintage, same keys, other values: by name 'a-' loads before 'b-', so b's values stay
    write_xlsx(folder / "b-alo.xlsx", {"T": _no_vintage(labour_market_sheet(v252=120))}, {"T": LM_MERGES})
    write_xlsx(folder / "a-alo.xlsx", {"T": _no_vintage(labour_market_sheet(v252=110))}, {"T": LM_MERGES})
    # an earlier month, named last: loads first (reference date before name)
    write_xlsx(
        folder / "z-dez.xlsx",
        {"T": _no_vintage(labour_market_sheet(month="Dezember 2025"))},
        {"T": LM_MERGES},
    )
    reports = ingest_paths(ready, [folder])
    assert [r.status for r in reports] == ["loaded"] * 3
    assert rows(ready, "SELECT source_file FROM ingest_report ORDER BY load_id") == [
        ("z-dez.xlsx",),
        ("a-alo.xlsx",),
        ("b-alo.xlsx",),
    ]
    assert rows(
        ready,
        "SELECT period, value, source_file FROM fact_labour_market WHERE ags = '03254' AND kldb = '252' "
        "AND measure = 'unemployed' AND breakdown = 'TOTAL' ORDER BY period",
    ) == [(D("2025-12-01"), 120.0, "z-dez.xlsx"), (D("2026-01-01"), 120.0, "b-alo.xlsx")]
    b = next(r for r in reports if r.source == "b-alo.xlsx")
    # one key differs (252 Arbeitslose Insgesamt: 110 against 120)
    assert any("'a-alo.xlsx' und 'b-alo.xlsx'" in w and "für 1 Schlüssel" in w for w in b.warnings)
    assert not any("Widerspruch" in w for r in reports if r.source != "b-alo.xlsx" for w in r.warnings)


def test_an_older_vintage_of_the_same_run_loads_first(ready, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    write_xlsx(
        folder / "a-neu.xlsx", {"T": labour_market_sheet(v252=120, created="28.01.2026")}, {"T": LM_MERGES}
    )
    write_xlsx(
        folder / "b-alt.xlsx", {"T": labour_market_sheet(v252=110, created="20.01.2026")}, {"T": LM_MERGES}
    )
    reports = ingest_paths(ready, [folder])
    assert rows(ready, "SELECT source_file FROM ingest_report ORDER BY load_id") == [
        ("b-alt.xlsx",),
        ("a-neu.xlsx",),
    ]
    new = next(r for r in reports if r.source == "a-neu.xlsx")
    assert new.rows_replaced == 30 and new.rows_kept_newer == 0


# --- exit codes of `ingest` -------------------------------------------------------------------------


def test_ingest_exit_codes(ready, tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app

    runner = CliRunner()
    clean = write_xlsx(tmp_path / "clean.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    loaded = runner.invoke(app, ["ingest", str(clean)])
    assert loaded.exit_code == 0, loaded.output
    assert runner.invoke(app, ["ingest", str(clean)]).exit_code == 0  # unchanged
    # loaded with warnings: a row in quarantine
    warned = write_xlsx(
        tmp_path / "neg.xlsx", {"T": labour_market_sheet(v252=-5, created="29.01.2026")}, {"T": LM_MERGES}
    )
    result = runner.invoke(app, ["ingest", str(warned)])
    assert result.exit_code == 0 and "negative Anzahl" in result.output
    # rejected
    bad = write_csv(tmp_path / "bad.csv", ["Name;Wert", "a;1"])
    result = runner.invoke(app, ["ingest", str(bad)])
    assert result.exit_code == 1 and "ABGELEHNT / REJECTED bad.csv" in result.output
    # usage: a path that does not exist, a folder without statistics files, no path at all
    assert runner.invoke(app, ["ingest", str(tmp_path / "missing.xlsx")]).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["ingest", str(empty)]).exit_code == 2
    assert runner.invoke(app, ["ingest"]).exit_code == 2


def test_outcome_of_a_report(ready, tmp_path):
    clean = write_xlsx(tmp_path / "clean.xlsx", {"T": labour_market_sheet()}, {"T": LM_MERGES})
    warned = write_xlsx(
        tmp_path / "neg.xlsx", {"T": labour_market_sheet(v252=-5, created="29.01.2026")}, {"T": LM_MERGES}
    )
    bad = write_csv(tmp_path / "bad.csv", ["Name;Wert", "a;1"])
    outcomes = [r.outcome for r in ingest_paths(ready, [clean, warned, bad, clean])]
    assert outcomes == ["loaded", "loaded_with_warnings", "rejected", "unchanged"]


# --- Eckwerte ---------------------------------------------------------------------------------------


def eckwerte(header: list, title_region: str = "Region: 03254 Hildesheim") -> list[list]:
    return [
        ["Arbeitsmarktreport"],
        ["Berichtsmonat: Januar 2026"],
        [title_region],
        [],
        header,
        [None, None, None, None, None, "absolut", "in %", "absolut", "in %"],
        ["Arbeitslose insgesamt", None, "11.500", "11.000", "11.200", 500, "4,5", 300, "2,7"],
        [None, "Männer", 6400, 6100, 6200, 300, "4,9", 200, "3,2"],
        [None, "Frauen", 5100, 4900, 5000, 200, "4,1", 100, "2,0"],
        ["Gemeldete Arbeitsstellen", None, 2100, 2150, 2400, -50, "-2,3", -300, "-12,5"],
        ["© Statistik der Bundesagentur für Arbeit"],
    ]


NAMED_HEADER = [
    "Merkmal",
    None,
    "Januar 2026",
    "Vormonat",
    "Vorjahresmonat",
    "Veränderung gegenüber Vormonat",
    None,
    "Veränderung gegenüber Vorjahresmonat",
    None,
]
ECK_MERGES = {"Eckwerte": [(4, 5, 4, 6), (4, 7, 4, 8)]}


def test_eckwerte_one_month_beside_vormonat_and_labels_in_the_second_column(ready, tmp_path):
    path = write_xlsx(tmp_path / "amr.xlsx", {"Eckwerte": eckwerte(NAMED_HEADER)}, ECK_MERGES)
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert rows(ready, "SELECT indicator, label_de, value FROM fact_headline ORDER BY indicator") == [
        ("arbeitslose_frauen", "Arbeitslose – Frauen", 5100.0),
        ("arbeitslose_maenner", "Arbeitslose – Männer", 6400.0),
        ("unemployed", "Arbeitslose insgesamt", 11500.0),
        ("vacancies", "Gemeldete Arbeitsstellen", 2100.0),
    ]
    # 4 rows × (Vormonat, Vorjahresmonat): 11500-11000=500, 11500-11200=300, 6400-6100=300,
    # 6400-6200=200, 5100-4900=200, 5100-5000=100, 2100-2150=-50, 2100-2400=-300
    assert report.reconciliation_detail.startswith("8 Summenprüfungen / total checks: 8 exakt")
    assert accounted(report) and report.rows_read == 4


def test_eckwerte_region_by_an_exact_unique_name(ready, tmp_path):
    path = write_xlsx(
        tmp_path / "amr.xlsx", {"Eckwerte": eckwerte(NAMED_HEADER, "Region: Hildesheim")}, ECK_MERGES
    )
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    assert rows(ready, "SELECT DISTINCT ags, region_level FROM fact_headline") == [("03254", "kreis")]
    assert any("über den Namen 'Hildesheim' zugeordnet: 03254" in w for w in report.warnings)


@pytest.mark.parametrize("title", ["Region: Nirgendwo", "Arbeitsmarktreport"])
def test_eckwerte_without_a_known_region_is_rejected(ready, tmp_path, title):
    path = write_xlsx(
        tmp_path / "amr-03254-0-202601.xlsx", {"Eckwerte": eckwerte(NAMED_HEADER, title)}, ECK_MERGES
    )
    [report] = ingest_paths(ready, [path])
    assert report.status == "rejected"
    assert "Region" in report.message and "03254 Hildesheim" in report.message  # what to write
    assert rows(ready, "SELECT count(*) FROM fact_headline") == [(0,)]


def test_an_error_cell_of_an_old_xls_goes_to_quarantine(ready, tmp_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("T")
    cells = [
        ["Arbeitslose nach Berufen"],
        ["Berichtsmonat: Januar 2026"],
        ["Region", "Beruf (KldB 2010)", "Arbeitslose"],
        ["03254 Hildesheim", "Insgesamt", 1500],
        [None, "252 Fahrzeugtechnik", None],  # row 5, C: #DIV/0!
        [None, "251 Maschinenbau", 1380],
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.row(4).set_cell_error(2, "#DIV/0!")
    path = tmp_path / "alt.xls"
    book.save(str(path))
    [report] = ingest_paths(ready, [path])
    assert report.status == "loaded", report.message
    [(row, column, reason)] = quarantine(ready)
    assert (row, column) == (5, "C (Arbeitslose)") and "Excel-Fehler '#DIV/0!'" in reason
    assert (report.rows_read, report.rows_loaded) == (3, 2)


def test_a_creation_date_beside_the_stated_month_is_not_taken(tmp_path):
    sheet = labour_market_sheet()
    sheet[1] = ["Berichtsmonat: Oktober 2025, Stand 05.11.2025"]
    path = write_xlsx(tmp_path / "stand.xlsx", {"Tabelle 1": sheet}, {"Tabelle 1": LM_MERGES})
    assert parse_bytes(path.name, path.read_bytes()).reference_dates == [D("2025-10-01")]
