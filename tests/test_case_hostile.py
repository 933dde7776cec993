"""Case import under hostile input (#9, items 3 and 4): no personal data through the side
door, and no row lost or bent without a word.

Each test starts from the valid export tests/case_files.BASE, breaks it the way the issue
found real files broken, and checks by hand what must come out.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.cases import rules
from pipelines.cases.importer import identifying, import_path
from pipelines.cases.read import read_files
from pipelines.reference import load_reference
from pipelines.warehouse import PipelineError, pending_sessions, publish, staging
from tests import hostile_files as H
from tests.case_files import BASE_ROWS, add_row, base, fill_template, set_cell, write_csv
from tests.conftest import TEST_CASE_ID_KEY
from tests.test_cases import assert_counts_add_up, keyed, sheet

F, N, P, E, Q = "betriebe.csv", "bedarfe.csv", "teilnehmende.csv", "ereignisse.csv", "foerderung.csv"
WAGE = "Bisheriger Bruttomonatslohn (EUR)"
KEY = TEST_CASE_ID_KEY


@pytest.fixture
def ref_settings(settings):
    load_reference(settings)
    publish(settings)
    return settings


def rows(settings, sql: str, params=None) -> list[tuple]:
    with staging(settings) as con:
        return con.execute(sql, params).fetchall()


def warehouse_text(settings) -> str:
    """Every value of every table that holds imported or quarantined rows, as one text."""
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        parts = []
        for table in (
            "firm",
            "firm_need",
            "participant",
            "case_event",
            "funding",
            "quarantine",
            "import_log",
        ):
            parts += [str(v) for row in con.execute(f"SELECT * FROM {table}").fetchall() for v in row]  # noqa: S608
        return "\n".join(parts)
    finally:
        con.close()


def quarantine(settings, source_file: str) -> list[tuple]:
    return rows(
        settings,
        "SELECT row_number, column_name, reason, raw_values FROM quarantine WHERE source_file = ? ORDER BY 1",
        [source_file],
    )


# ----------------------------------------------------------------- item 3: privacy


def test_personal_data_in_the_wrong_column_is_stored_masked(ref_settings, tmp_path):
    """An e-mail under Altersgruppe, a name under Abgebender Betrieb, an IBAN under
    Bisheriger Beruf: the rows are quarantined, the values are nowhere in the warehouse."""
    files = base()
    email, name, iban = "erika.m@example.org", "Erika Mustermann", "DE89 3704 0044 0532 0130 00"
    set_cell(files, P, 1, "Altersgruppe", email)
    set_cell(files, P, 2, "Abgebender Betrieb", name)
    set_cell(files, P, 4, "Bisheriger Beruf (KldB)", iban)
    report = import_path(ref_settings, write_csv(tmp_path / "pii", files))
    assert_counts_add_up(report)
    assert sheet(report, "Teilnehmende").quarantined == 3
    publish(ref_settings)
    text = warehouse_text(ref_settings)
    for value in (email, name, iban, "erika", "Mustermann", "3704", "example.org"):
        assert value not in text, value
    stored = {r[0]: r for r in quarantine(ref_settings, P)}
    assert stored[2][1] == "Altersgruppe"
    assert stored[2][2].startswith("Altersgruppe: kein erlaubter Wert für 'Altersgruppe' (erlaubt:")
    raw = json.loads(stored[2][3])
    # the offending value masked: kind, length and keyed hash; the other cells as read
    assert raw["Altersgruppe"] == f"<Text/text, 19 Zeichen/characters, #{keyed(email)[:8]}>"
    assert raw["Geschlecht"] == "m" and raw["Fall-ID"] == keyed("F1")
    assert json.loads(stored[3][3])["Abgebender Betrieb"] == (
        f"<Text/text, 16 Zeichen/characters, #{keyed(name)[:8]}>"
    )
    assert "Betriebs-ID ist unbekannt" in stored[3][2]
    assert json.loads(stored[5][3])["Bisheriger Beruf (KldB)"].startswith("<Text/text, 27 Zeichen")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Musterteile GmbH, Erika Mustermann, erika@musterteile.de, 05121 123456", "E-Mail-Adresse"),
        ("Musterteile GmbH Tel. 05121/123456", "Telefonnummer"),
        ("Musterteile GmbH +49 5121 123456", "Telefonnummer"),
        ("Musterteile GmbH DE89370400440532013000", "IBAN"),
        ("Musterteile GmbH z. Hd. Frau Mustermann", "Person"),
        ("Mustermann, Erika", "Person"),
    ],
)
def test_firm_name_with_personal_data_is_refused(ref_settings, tmp_path, name, kind):
    files = base()
    set_cell(files, F, 3, "Betriebsname", name)  # E2: no other row refers to it
    report = import_path(ref_settings, write_csv(tmp_path / "name", files))
    assert_counts_add_up(report)
    (issue,) = sheet(report, "Betriebe").issues
    assert (issue.row, issue.column) == (4, "Betriebsname")
    assert kind in issue.message and "nur den Namen des Betriebs" in issue.message
    assert name not in issue.message
    publish(ref_settings)
    assert name not in warehouse_text(ref_settings)


@pytest.mark.parametrize(
    "name",
    ["Müller Zulieferteile GmbH", "Werk 2 GmbH & Co. KG", "Stadtwerke Hildesheim", "A1 Metall 2000 AG"],
)
def test_ordinary_firm_names_pass(name):
    rules.check_free_text(name)


@pytest.mark.parametrize(
    ("header", "identifies"),
    [
        ("Tel.", True),
        ("Geb.-Datum", True),
        ("Kontakt", True),
        ("Geburtsort", True),
        ("Staatsangehörigkeit", True),
        ("Schwerbehinderung", True),
        ("Mob.", True),
        ("Telefon privat", True),
        ("Anzahl Stellen", False),  # 'tel' only inside a word
        ("abgebende Abteilung", False),  # 'geb' only inside a word
        ("Branche", False),
    ],
)
def test_privacy_words_and_abbreviations(header, identifies):
    assert identifying(header) is identifies


def test_privacy_columns_are_dropped_with_a_warning(ref_settings, tmp_path):
    files = base()
    headers = ["Tel.", "Geb.-Datum", "Kontakt", "Geburtsort", "Staatsangehörigkeit", "Schwerbehinderung"]
    files[P][0] += headers
    for row in files[P][1:]:
        row += ["0511 1234", "04.05.1981", "Frau M.", "Hameln", "deutsch", "GdB 50"]
    report = import_path(ref_settings, write_csv(tmp_path / "words", files))
    assert_counts_add_up(report)
    warning = next(w for w in report.warnings if "personenbezogene Daten" in w)
    for header in headers:
        assert repr(header) in warning
    publish(ref_settings)
    text = warehouse_text(ref_settings)
    for value in ("0511 1234", "Hameln", "GdB 50", "1981"):
        assert value not in text


# -------------------------------------------------------- item 4: decimal signs


def wages(settings) -> dict[str, float | None]:
    return dict(rows(settings, "SELECT case_id, origin_wage FROM participant"))


def test_comma_delimited_csv_reads_3850_as_thousands(ref_settings, tmp_path):
    """',' delimiter, wage column holding only '3.850'-like values: German thousands."""
    files = base()
    for row in files[P][1:]:
        row[-1] = {"4.000,00": "4.000", "3.000,00": "3.850"}.get(row[-1], row[-1])
    for row in files[F][1:]:
        row[-2:] = [v.replace(",", ".") for v in row[-2:]]
    for name in (E, Q):
        for row in files[name][1:]:
            row[:] = [v.replace(".", "").replace(",00", "") if "," in v else v for v in row]
    report = import_path(ref_settings, write_csv(tmp_path / "comma", files, delimiter=","))
    assert_counts_add_up(report)
    assert report.issues().is_empty(), report.issues()
    assert (wages(ref_settings)[keyed("F1")], wages(ref_settings)[keyed("F2")]) == (4000.0, 3850.0)
    assert rows(ref_settings, "SELECT lon, lat FROM firm WHERE firm_id = 'R1'") == [(9.95, 52.15)]


def test_decimal_sign_is_decided_per_column(ref_settings, tmp_path):
    """One '2.5'-like value in Geplant says nothing about the '3.850' in Ausgegeben."""
    files = base()
    set_cell(files, Q, 1, "Geplant (EUR)", "12500.5")
    set_cell(files, Q, 1, "Ausgegeben (EUR)", "3.850")
    report = import_path(ref_settings, write_csv(tmp_path / "per-column", files))
    assert report.issues().is_empty(), report.issues()
    assert rows(ref_settings, "SELECT planned_eur, spent_eur FROM funding") == [(12500.5, 3850.0)]


def test_ambiguous_value_in_a_decimal_point_column_is_refused(ref_settings, tmp_path):
    """'2500.5' makes the column decimal-point; '3.850' there could be 3850 or 3.85: refused."""
    files = base()
    set_cell(files, P, 1, WAGE, "2500.5")
    set_cell(files, P, 2, WAGE, "3.850")
    report = import_path(ref_settings, write_csv(tmp_path / "ambiguous", files))
    assert_counts_add_up(report)
    (issue,) = sheet(report, "Teilnehmende").issues
    assert (issue.row, issue.column) == (3, WAGE) and "mehrdeutig" in issue.message
    assert wages(ref_settings)[keyed("F1")] == 2500.5


@pytest.mark.parametrize(
    ("texts", "mode"),
    [
        (["3.850,50", "3850"], "comma"),
        (["3.850", "12.000"], "thousands"),
        (["3850.50", "3.850"], "point"),
        (["2.5"], "point"),
        (["1.234.567"], "thousands"),
        ([], "thousands"),
    ],
)
def test_decimal_mode_rule(texts, mode):
    assert rules.decimal_mode(texts) == mode


# ------------------------------------------------------ item 4: reading the file


def test_two_sheets_for_the_same_table_are_refused(tmp_path):
    path = fill_template(tmp_path / "f.xlsx", {})
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    copy = workbook.copy_worksheet(workbook["Teilnehmende"])
    copy.title = "participants"
    workbook.save(path)
    with pytest.raises(PipelineError, match="'Teilnehmende' und 'participants' stehen beide für"):
        read_files([("f.xlsx", path.read_bytes())])


def test_unterminated_quote_is_refused_with_its_line(ref_settings, tmp_path):
    folder = write_csv(tmp_path / "quote", base())
    text = (folder / E).read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace("Arbeitsaufnahme", '"Arbeitsaufnahme')  # line 3 opens a quote
    (folder / E).write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"ereignisse.csv, Zeile 3: .*schließendes Anführungszeichen"):
        import_path(ref_settings, folder)
    assert not pending_sessions(ref_settings)


def test_values_right_of_the_header_are_reported(ref_settings, tmp_path):
    files = base()
    files[N].append(["", "", "", "", "", "R1", "15.02.2026"])  # only right of the header
    files[N][1] += ["Notiz"]  # a valid row with a stray value in column F
    for name in (P, E, Q):  # every sheet's rules meet such a row
        files[name].append([""] * len(files[name][0]) + ["x"])
    report = import_path(ref_settings, write_csv(tmp_path / "outside", files))
    assert_counts_add_up(report)
    needs = sheet(report, "Bedarfe")
    assert (needs.read, needs.quarantined) == (3, 2)
    assert [(i.row, i.column) for i in needs.issues] == [(2, "Spalte F"), (4, "Spalte F, G")]
    assert "Spalte ohne Überschrift" in needs.issues[0].message
    assert "Notiz" not in warehouse_text_staged(ref_settings)
    for title, name in (("Teilnehmende", P), ("Ereignisse", E), ("Förderung", Q)):
        (issue,) = sheet(report, title).issues
        assert (issue.row, issue.column) == (len(files[name]), f"Spalte {chr(65 + len(files[name][0]))}")


def warehouse_text_staged(settings) -> str:
    return "\n".join(str(v) for r in rows(settings, "SELECT * FROM quarantine") for v in r)


def test_value_right_of_the_header_in_a_workbook(ref_settings, tmp_path):
    firm = ["R1", "Zulieferer GmbH", "abgebend", 29, "03254", None, "ja", "ja", None, None]
    path = fill_template(tmp_path / "f.xlsx", {"Betriebe": [firm, [None] * 11 + ["verrutscht"]]})
    report = import_path(ref_settings, path)
    firms = sheet(report, "Betriebe")
    assert (firms.read, firms.new, firms.quarantined) == (2, 1, 1)
    assert [(i.row, i.column) for i in firms.issues] == [(3, "Spalte L")]


def test_formula_without_result_is_refused_with_result_is_read(ref_settings, tmp_path):
    firms = [
        ["R1", "Zulieferer GmbH", "abgebend", 29, "03254", None, "ja", "ja", None, None],
        ["E1", "Netze GmbH", "aufnehmend", 35, "03254", None, "ja", "ja", None, None],
    ]
    data = fill_template(tmp_path / "f.xlsx", {"Betriebe": firms}).read_bytes()
    data = H.with_formula(data, "Betriebe", "E2", "Codelisten!A20")  # never calculated
    data = H.with_formula(data, "Betriebe", "E3", "Codelisten!A21", result="03157")
    (tmp_path / "g.xlsx").write_bytes(data)
    report = import_path(ref_settings, tmp_path / "g.xlsx")
    assert_counts_add_up(report)
    (issue,) = sheet(report, "Betriebe").issues
    assert (issue.row, issue.column) == (2, "Kreis (AGS)")
    assert "Formel ohne berechnetes Ergebnis" in issue.message
    assert rows(ref_settings, "SELECT firm_id, ags FROM firm") == [("E1", "03157")]


# ------------------------------------------------------- item 4: value rules


@pytest.mark.parametrize(
    ("day", "accepted"),
    [
        ("31.12.2029", True),
        ("01.01.2030", False),
        ("15.01.2099", False),
        ("01.01.2000", True),
        ("31.12.1999", False),
    ],
)
def test_dates_must_be_plausible(ref_settings, tmp_path, day, accepted):
    """Not after the project end (31.12.2028) + 1 year, not before 2000."""
    files = base()
    set_cell(files, N, 1, "Datum", day)
    report = import_path(ref_settings, write_csv(tmp_path / "day", files))
    needs = sheet(report, "Bedarfe")
    assert needs.quarantined == (0 if accepted else 1)
    if not accepted:
        assert "außerhalb 01.01.2000–31.12.2029" in needs.issues[0].message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999", "viel zu groß"),
        ("200000", "größer als 100.000"),
        ("1.500.000", "größer als 100.000"),
    ],
)
def test_numbers_are_range_checked_with_a_message(ref_settings, tmp_path, value, message):
    files = base()
    set_cell(files, N, 2, "Anzahl", value)
    report = import_path(ref_settings, write_csv(tmp_path / "big", files))
    assert_counts_add_up(report)
    (issue,) = sheet(report, "Bedarfe").issues
    assert issue.column == "Anzahl" and message in issue.message


def test_huge_wage_in_a_workbook_is_range_checked(ref_settings, tmp_path):
    firm = ["R1", "Zulieferer GmbH", "abgebend", 29, "03254", None, "ja", "ja", None, None]
    person = ["F1", "R1", "03254", "35-44", None, "w", "05.01.2026", None, 252, 1e300]
    report = import_path(
        ref_settings, fill_template(tmp_path / "f.xlsx", {"Betriebe": [firm], "Teilnehmende": [person]})
    )
    (issue,) = sheet(report, "Teilnehmende").issues
    assert issue.column == WAGE and "größer als 100.000" in issue.message


def test_role_change_that_breaks_references_is_refused(ref_settings, tmp_path):
    import_path(ref_settings, write_csv(tmp_path / "v1", base()))
    publish(ref_settings)
    firms = {F: [r[:] for r in base()[F]]}
    set_cell(firms, F, 1, "Rolle", "aufnehmend")  # R1 releases all four participants
    set_cell(firms, F, 2, "Rolle", "abgebend")  # E1 received two job starts
    set_cell(firms, F, 3, "Rolle", "abgebend")  # E2: nothing refers to it
    report = import_path(ref_settings, write_csv(tmp_path / "v2", firms))
    assert_counts_add_up(report)
    issues = {i.row: i.message for i in sheet(report, "Betriebe").issues}
    assert set(issues) == {2, 3}
    assert "4 Teilnehmende" in issues[2] and "Rolle 'beides'" in issues[2]
    assert "2 Arbeitsaufnahmen" in issues[3]
    assert dict(rows(ref_settings, "SELECT firm_id, role FROM firm")) == {
        "R1": "releasing",
        "E1": "receiving",
        "E2": "releasing",
    }
    both = {F: [r[:] for r in base()[F]]}
    set_cell(both, F, 1, "Rolle", "beides")
    assert import_path(ref_settings, write_csv(tmp_path / "v3", both)).issues().is_empty()


def test_control_character_is_refused_and_spacing_cleaned(ref_settings, tmp_path):
    files = base()
    set_cell(files, F, 3, "Betriebsname", "Testbau\x07 GmbH")
    set_cell(files, F, 2, "Betriebsname", "Testnetze\tGmbH\u00a0 Nord")
    report = import_path(ref_settings, write_csv(tmp_path / "ctrl", files))
    assert_counts_add_up(report)
    (issue,) = sheet(report, "Betriebe").issues
    assert (issue.row, issue.column) == (4, "Betriebsname") and "Steuerzeichen U+0007" in issue.message
    assert rows(ref_settings, "SELECT name FROM firm WHERE firm_id = 'E1'") == [("Testnetze GmbH Nord",)]


def test_zero_width_character_makes_no_look_alike_id(ref_settings, tmp_path):
    files = base()
    add_row(
        files,
        F,
        {"Betriebs-ID": "R\u200b1", "Betriebsname": "Kopie", "Rolle": "abgebend", "Kreis (AGS)": "03254"},
    )
    set_cell(files, P, 4, "Abgebender Betrieb", "\ufeffR1\u200d")
    report = import_path(ref_settings, write_csv(tmp_path / "zw", files))
    assert_counts_add_up(report)
    (issue,) = sheet(report, "Betriebe").issues
    assert issue.row == 5 and "doppelt" in issue.message  # the same id as R1 in row 2
    assert sheet(report, "Teilnehmende").quarantined == 0
    assert rows(ref_settings, "SELECT DISTINCT releasing_firm FROM participant") == [("R1",)]
    assert rows(ref_settings, "SELECT count(*) FROM firm") == [(BASE_ROWS["firm"],)]


def test_refused_cli_import_leaves_no_staging_file(ref_settings, tmp_path):
    files = base()
    for row in files[P]:
        del row[5]  # Eintrittsdatum, a required column
    assert not pending_sessions(ref_settings)
    with pytest.raises(PipelineError, match="Eintrittsdatum"):
        import_path(ref_settings, write_csv(tmp_path / "refused", files))
    assert not pending_sessions(ref_settings)


def test_import_refused_after_staging_started_removes_it(ref_settings, tmp_path):
    files = base()
    files[Q][0].append("Geplant (EUR)")  # a column twice: refused while preparing, in staging
    for row in files[Q][1:]:
        row.append("1")
    with pytest.raises(PipelineError, match="kommt doppelt vor"):
        import_path(ref_settings, write_csv(tmp_path / "twice", files))
    assert not pending_sessions(ref_settings)


def test_a_header_holding_personal_data_is_logged_by_its_letter(ref_settings, tmp_path):
    files = base()
    files[P][0].append("Kontakt erika@example.org")
    for row in files[P][1:]:
        row.append("")
    report = import_path(ref_settings, write_csv(tmp_path / "header", files))
    logged = rows(ref_settings, "SELECT dropped_columns FROM import_log WHERE sheet = 'Teilnehmende'")
    assert logged[0][0] == ["Spalte J (Überschrift maskiert / header masked)"]
    assert "erika" not in " ".join(report.warnings)


def test_firm_id_holding_an_email_address_is_refused(ref_settings, tmp_path):
    files = base()
    set_cell(files, F, 3, "Betriebs-ID", "info@testbau.example")  # E2: nothing refers to it
    report = import_path(ref_settings, write_csv(tmp_path / "id", files))
    (issue,) = sheet(report, "Betriebe").issues
    assert (issue.row, issue.column) == (4, "Betriebs-ID") and "E-Mail-Adresse" in issue.message
    assert rules.check_free_text("R-03254-01", rules.PERSONAL_DATA_KINDS[:2]) is None


def test_every_number_column_of_the_format_is_range_checked():
    """An integer overflow showed a raw traceback (#9): every whole number and decimal of the
    format has bounds, and the whole numbers' upper bound fits the warehouse's INTEGER."""
    from pipelines.cases.schema import SHEETS

    numbers = [(s.title, c) for s in SHEETS for c in s.columns if c.type in ("integer", "decimal")]
    assert len(numbers) == 10  # Anzahl, Davon erledigt, Geburtsjahr; 2 coordinates and 5 amounts
    for title, column in numbers:
        assert column.minimum is not None and column.maximum is not None, (title, column.label)
        if column.type == "integer":
            assert column.maximum <= rules.INT32, (title, column.label)
    with pytest.raises(ValueError, match="viel zu groß"):
        rules.parse_integer(2**31)
    assert rules.parse_integer(2**31 - 1) == 2**31 - 1
