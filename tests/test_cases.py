"""Case-data import (#4): template, validation rules, privacy, incremental loads, round trip.

Every test builds its own tiny export (tests/case_files.py) and checks the counts identity
read = loaded + quarantined for every sheet it imports.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from analytics.db import connect
from analytics.kpi import network_kpis
from pipelines.cases import schema
from pipelines.cases.importer import (
    discard_staged,
    import_path,
    publish_staged,
    stage_upload,
)
from pipelines.cases.template import template_bytes
from pipelines.cli import app
from pipelines.reference import load_reference
from pipelines.warehouse import PipelineError, pending_sessions, publish, staging
from tests import builders
from tests.case_files import BASE, BASE_ROWS, add_row, base, fill_template, set_cell, write_csv
from tests.conftest import TEST_CASE_ID_KEY

runner = CliRunner()


@pytest.fixture
def ref_settings(settings):
    """A published warehouse holding only the reference code lists."""
    load_reference(settings)
    publish(settings)
    return settings


def keyed(case_id: str, key: str = TEST_CASE_ID_KEY) -> str:
    return hmac.new(key.encode(), case_id.encode(), hashlib.sha256).hexdigest()[:20]


def rows(settings, sql: str, params=None) -> list[tuple]:
    with staging(settings) as con:
        return con.execute(sql, params).fetchall()


def published_rows(settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def assert_counts_add_up(report) -> None:
    for sheet in report.sheets:
        assert sheet.read == sheet.loaded + sheet.quarantined, sheet
        assert sheet.loaded == sheet.new + sheet.updated + sheet.unchanged, sheet
    assert report.counts_add_up


def sheet(report, title: str):
    return next(s for s in report.sheets if s.sheet == title)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ------------------------------------------------------------------------- template


def test_template_has_every_sheet_column_dictionary_and_drop_downs():
    wb = load_workbook(io.BytesIO(template_bytes()))
    assert wb.sheetnames == [s.title for s in schema.SHEETS] + ["Datenlexikon", "Codelisten"]
    for spec in schema.SHEETS:
        ws = wb[spec.title]
        assert [c.value for c in ws[1]] == [c.label for c in spec.columns]
        assert ws.freeze_panes == "A2"
        assert ws.max_row == 1  # empty template
    lists = {str(v.sqref): v.formula1 for v in wb["Ereignisse"].data_validations.dataValidation}
    assert "Arbeitsaufnahme" in lists["C2:C5001"]
    assert lists["D2:D5001"] == "Betriebe!$A$2:$A$5001"  # receiving firm from the firm sheet
    firm_lists = {str(v.sqref): v.formula1 for v in wb["Betriebe"].data_validations.dataValidation}
    assert firm_lists["E2:E5001"] == "Codelisten!$A$2:$A$48"  # 47 Kreise
    assert firm_lists["G2:G5001"] == '"ja,nein"'
    dictionary = [[c.value for c in row] for row in wb["Datenlexikon"].iter_rows()]
    described = {(r[0], r[1]) for r in dictionary if r[0] and len(r) > 7 and r[7]}
    for spec in schema.SHEETS:
        for column in spec.columns:
            assert (spec.title, column.label) in described
    codes = wb["Codelisten"]
    assert codes["A2"].value == "03101" and codes.max_row >= 48


def test_template_command_writes_the_workbook(tmp_path):
    target = tmp_path / "vorlage.xlsx"
    result = runner.invoke(app, ["template", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == template_bytes()  # stable bytes, generated from the schema


# ----------------------------------------------------------------------- round trip


def filled_with_builder_cases(path: Path) -> Path:
    """The hand-written cases of tests/builders.py, typed into the template like staff would."""
    role = {"releasing": "abgebend", "receiving": "aufnehmend"}
    shown_event = {v: k for k, v in schema.EVENTS.items()}
    firms = [
        [f, n, role[r], wz, ags, size, "ja" if t else "nein", "ja" if w else "nein", lon, lat]
        for f, n, r, wz, ags, size, t, w, lon, lat in builders.FIRMS.iter_rows()
    ]
    participants = [
        [c, f, h, "35-44", None, None, date.fromisoformat(e), date.fromisoformat(o), "252", w]
        for c, f, h, e, o, w in builders.PARTICIPANTS
    ]
    events = [
        [c, date.fromisoformat(d), shown_event[e], f, k, w, None if r is None else ("ja" if r else "nein")]
        for c, d, e, f, k, w, r in builders.EVENTS
    ]
    funding = [[date.fromisoformat(q), p, s] for q, p, s in builders.FUNDING]
    return fill_template(
        path, {"Betriebe": firms, "Teilnehmende": participants, "Ereignisse": events, "Förderung": funding}
    )


def test_round_trip_template_to_kpis(ref_settings, tmp_path):
    """Template written → filled → imported → KPIs as computed by hand in test_kpi.py."""
    report = import_path(ref_settings, filled_with_builder_cases(tmp_path / "faelle.xlsx"))
    assert_counts_add_up(report)
    assert report.issues().is_empty()
    assert {s.table: s.new for s in report.sheets} == {
        # tests/builders.py: firms R1 R2 E1 E2 E3; cases A–G and the Peine cases H–K
        "firm": 5,
        "firm_need": 0,
        "participant": 11,
        "case_event": 24,
        "funding": 3,
    }
    publish(ref_settings)
    con = connect(ref_settings.warehouse_path)
    q1 = network_kpis(con, date(2026, 1, 1), date(2026, 3, 31), ["03254"], ref_settings)
    q2 = network_kpis(con, date(2026, 4, 1), date(2026, 6, 30), ["03254"], ref_settings)
    q3 = network_kpis(con, date(2026, 7, 1), date(2026, 9, 30), ["03254"], ref_settings)
    con.close()
    assert (q1["entries"], q1["active_end"], q1["transitions"], q1["closed"]) == (5, 3, 2, 3)
    assert q1["seamless_rate"] == pytest.approx(1 / 3)
    assert q1["days_to_transition"] == 63.5
    assert q1["wage_ratio"] == pytest.approx(0.975)
    assert q1["cost_per_transition"] == pytest.approx(8_000)
    assert (q2["transitions"], q2["seamless_rate"], q2["days_to_transition"]) == (2, 0.5, 69.5)
    assert q2["wage_ratio"] == pytest.approx(0.9)
    assert q3["retention_rate"] == 1.0
    # case ids are keyed hashes, never the network's ids
    ids = {r[0] for r in published_rows(ref_settings, "SELECT case_id FROM participant")}
    assert ids == {keyed(c[0]) for c in builders.PARTICIPANTS}


# ------------------------------------------------------------ incremental and safe


def test_same_export_twice_changes_nothing(ref_settings, tmp_path):
    folder = write_csv(tmp_path / "export", base())
    first = import_path(ref_settings, folder)
    assert_counts_add_up(first)
    assert {s.table: s.new for s in first.sheets} == BASE_ROWS
    publish(ref_settings)
    before = sha(ref_settings.warehouse_path)
    second = import_path(ref_settings, folder)
    assert second.status == "unchanged"
    assert_counts_add_up(second)
    assert {s.table: s.unchanged for s in second.sheets} == BASE_ROWS
    assert second.changes == 0
    assert publish(ref_settings).status == "unchanged"
    assert sha(ref_settings.warehouse_path) == before
    # the same content in another file (a re-saved copy) is recognised as well
    write_csv(tmp_path / "copy", base(), delimiter=",")
    assert import_path(ref_settings, tmp_path / "copy").status == "unchanged"
    # forced: read again, every row unchanged, nothing new in the tables
    forced = import_path(ref_settings, folder, force=True)
    assert forced.status == "loaded" and forced.changes == 0
    assert rows(ref_settings, "SELECT count(*) FROM participant") == [(4,)]
    assert rows(ref_settings, "SELECT count(DISTINCT load_id) FROM import_log") == [(2,)]


def test_newer_export_updates_changed_adds_new_keeps_missing(ref_settings, tmp_path):
    import_path(ref_settings, write_csv(tmp_path / "v1", base()))
    newer = base()
    set_cell(newer, "teilnehmende.csv", 1, "Bisheriger Bruttomonatslohn (EUR)", "4.200,00")
    del newer["teilnehmende.csv"][2]  # F2 missing from the newer export: kept
    add_row(
        newer,
        "teilnehmende.csv",
        {
            "Fall-ID": "F5",
            "Abgebender Betrieb": "R1",
            "Wohnort-Kreis (AGS)": "03157",
            "Eintrittsdatum": "02.02.2026",
        },
    )
    add_row(newer, "ereignisse.csv", {"Fall-ID": "F5", "Datum": "02.02.2026", "Ereignis": "Eintritt"})
    newer["foerderung.csv"].append(["01.04.2026", "40.000,00", ""])
    report = import_path(ref_settings, write_csv(tmp_path / "v2", newer))
    assert_counts_add_up(report)
    p = sheet(report, "Teilnehmende")
    assert (p.read, p.new, p.updated, p.unchanged, p.quarantined) == (4, 1, 1, 2, 0)
    e = sheet(report, "Ereignisse")
    assert (e.read, e.new, e.unchanged) == (8, 1, 7)
    f = sheet(report, "Förderung")
    assert (f.new, f.unchanged) == (1, 1)
    wages = dict(rows(ref_settings, "SELECT case_id, origin_wage FROM participant"))
    assert len(wages) == 5
    assert (wages[keyed("F1")], wages[keyed("F2")], wages[keyed("F5")]) == (4200.0, 3000.0, None)
    log = rows(
        ref_settings,
        "SELECT sheet, rows_read, rows_loaded, rows_quarantined, rows_new, "
        "rows_updated, rows_unchanged FROM import_log WHERE load_id = "
        "(SELECT max(load_id) FROM import_log) AND sheet = 'Teilnehmende'",
    )
    assert log == [("Teilnehmende", 4, 4, 0, 1, 1, 2)]


def test_failed_import_leaves_the_published_warehouse_untouched(ref_settings, tmp_path):
    files = base()
    files["teilnehmende.csv"] = [[h for h in row if True] for row in files["teilnehmende.csv"]]
    for row in files["teilnehmende.csv"]:
        del row[5]  # drop the required column Eintrittsdatum
    before = sha(ref_settings.warehouse_path)
    with pytest.raises(PipelineError, match=r"teilnehmende.csv.*Eintrittsdatum"):
        import_path(ref_settings, write_csv(tmp_path / "broken", files))
    assert rows(ref_settings, "SELECT count(*) FROM firm") == [(0,)]  # rolled back entirely
    assert rows(ref_settings, "SELECT count(*) FROM load_log WHERE step = 'cases'") == [(0,)]
    assert sha(ref_settings.warehouse_path) == before
    result = runner.invoke(app, ["cases", str(tmp_path / "broken")])
    assert result.exit_code == 1 and "Eintrittsdatum" in result.output
    assert sha(ref_settings.warehouse_path) == before


def test_unreadable_workbook_is_refused_and_staging_discarded(ref_settings):
    before = sha(ref_settings.warehouse_path)
    with pytest.raises(PipelineError, match="keine lesbare Excel-Datei"):
        stage_upload(ref_settings, [("faelle.xlsx", b"not a workbook")], role="agency")
    with pytest.raises(PipelineError, match="Pflichtspalte"):
        stage_upload(ref_settings, [("teilnehmende.csv", b"Fall-ID;Geschlecht\nF1;m\n")], role="agency")
    assert pending_sessions(ref_settings) == []
    assert sha(ref_settings.warehouse_path) == before


def test_upload_is_staged_then_published(ref_settings, tmp_path):
    files = [(name, (write_csv(tmp_path / "up", base()) / name).read_bytes()) for name in BASE]
    before = sha(ref_settings.warehouse_path)
    report = stage_upload(ref_settings, files, role="agency")
    assert report.status == "loaded" and report.changes == sum(BASE_ROWS.values())
    assert sha(ref_settings.warehouse_path) == before  # validated, not yet in service
    assert publish_staged(ref_settings, role="agency").status == "loaded"
    assert published_rows(ref_settings, "SELECT count(*) FROM case_event") == [(7,)]
    # a second upload that is thrown away changes nothing
    stage_upload(
        ref_settings, [("foerderung.csv", b"Quartalsbeginn;Geplant (EUR)\n01.07.2026;1\n")], role="agency"
    )
    discard_staged(ref_settings, role="agency")
    assert published_rows(ref_settings, "SELECT count(*) FROM funding") == [(1,)]


def test_cli_cases_with_publish(ref_settings, tmp_path):
    folder = write_csv(tmp_path / "export", base())
    result = runner.invoke(app, ["cases", str(folder), "--publish"])
    assert result.exit_code == 0, result.output
    assert "[cases] geladen" in result.output and "[publish] geladen" in result.output
    assert "Teilnehmende: gelesen 4 = geladen 4" in result.output
    assert published_rows(ref_settings, "SELECT count(*) FROM participant") == [(4,)]
    again = runner.invoke(app, ["cases", str(folder)])
    assert "[cases] unverändert" in again.output


# ------------------------------------------------------------------- file formats


def test_csv_dialects_give_the_same_warehouse(ref_settings, tmp_path):
    """; with decimal comma, German dates, Windows-1252 == , with decimal point, ISO, UTF-8."""
    import_path(ref_settings, write_csv(tmp_path / "de", base(), encoding="cp1252"))
    german = (
        rows(ref_settings, "SELECT * FROM firm ORDER BY 1")
        + rows(ref_settings, "SELECT * FROM participant ORDER BY 1")
        + rows(ref_settings, "SELECT * FROM case_event ORDER BY ALL")
    )
    discard_staged(ref_settings, role="agency")
    iso = base()
    for rows_ in iso.values():
        for row in rows_[1:]:
            for i, value in enumerate(row):
                if len(value) == 10 and value[2] == "." and value[5] == ".":
                    row[i] = f"{value[6:]}-{value[3:5]}-{value[:2]}"
                elif "," in value or value.count(".") == 1 and value[-3] == ",":
                    row[i] = value.replace(".", "").replace(",", ".")
    report = import_path(ref_settings, write_csv(tmp_path / "iso", iso, delimiter=",", encoding="utf-8-sig"))
    assert_counts_add_up(report)
    assert report.issues().is_empty(), report.issues()
    english = (
        rows(ref_settings, "SELECT * FROM firm ORDER BY 1")
        + rows(ref_settings, "SELECT * FROM participant ORDER BY 1")
        + rows(ref_settings, "SELECT * FROM case_event ORDER BY ALL")
    )
    assert german == english
    r1 = next(r for r in german if r[0] == "R1")
    assert r1[1] == "Müller Zulieferteile GmbH" and r1[8:10] == (9.95, 52.15)


# ---------------------------------------------------------------- validation rules

F, N, P, E, Q = "betriebe.csv", "bedarfe.csv", "teilnehmende.csv", "ereignisse.csv", "foerderung.csv"
EXIT_F2 = {"Fall-ID": "F2", "Datum": "01.04.2026", "Ereignis": "Beratung"}

# (file, data row or a row to add, column, new value, expected word in the message)
RULES = {
    "date": (P, 4, "Eintrittsdatum", "31.02.2026", "kein gültiges Datum"),
    "date_range": (N, 1, "Datum", "15.01.1926", "außerhalb"),
    "required": (P, 4, "Wohnort-Kreis (AGS)", "", "Pflichtfeld"),
    "integer": (N, 1, "Anzahl", "viele", "keine ganze Zahl"),
    "minimum": (N, 2, "Anzahl", "0", "kleiner als 1"),
    "decimal": (P, 4, "Bisheriger Bruttomonatslohn (EUR)", "4000 Euro ca.", "keine Zahl"),
    "boolean": (F, 3, "Tarifgebunden", "vielleicht", "nicht ja/nein"),
    "choice_role": (F, 3, "Rolle", "Zulieferer", "kein erlaubter Wert"),
    "choice_event": (E, 4, "Ereignis", "Urlaub", "kein erlaubter Wert"),
    "choice_age": (P, 4, "Altersgruppe", "30-39", "kein erlaubter Wert"),
    "ags": (F, 3, "Kreis (AGS)", "09162", "kein Kreis"),
    "kldb": (N, 1, "Beruf (KldB)", "999", "KldB-2010"),
    "wz": (F, 3, "WZ-Abteilung", "04", "WZ-2008-Abteilung"),
    "firm_unknown": (N, 2, "Betriebs-ID", "X9", "unbekannt"),
    "releasing_role": (P, 4, "Abgebender Betrieb", "E1", "Rolle 'aufnehmend'"),
    "receiving_role": (E, 7, "Aufnehmender Betrieb", "R1", "Rolle 'abgebend'"),
    "job_start_without_firm": (E, 7, "Aufnehmender Betrieb", "", "ohne aufnehmenden Betrieb"),
    "firm_only_for_job_start": (E, 1, "Aufnehmender Betrieb", "E1", "nur bei Arbeitsaufnahme"),
    "retained_missing": (E, 3, "Noch beschäftigt", "", "ohne Angabe"),
    "case_unknown": (
        E,
        {"Fall-ID": "F9", "Datum": "01.02.2026", "Ereignis": "Beratung"},
        "Fall-ID",
        None,
        "Fall ist unbekannt",
    ),
    "job_start_before_entry": (E, 7, "Datum", "05.01.2026", "vor dem Eintritt"),
    "event_after_exit": (E, EXIT_F2, "Datum", None, "nach dem Austritt"),
    "retention_without_job_start": (
        E,
        {
            "Fall-ID": "F2",
            "Datum": "10.03.2026",
            "Ereignis": "Verbleibsprüfung 6 Monate",
            "Noch beschäftigt": "ja",
        },
        "Datum",
        None,
        "ohne vorherige Arbeitsaufnahme",
    ),
    "retention_before_job_start": (E, 3, "Datum", "01.03.2026", "ohne vorherige Arbeitsaufnahme"),
    "quarter_start": (Q, 1, "Quartalsbeginn", "15.01.2026", "kein Quartalsbeginn"),
    "duplicate": (
        P,
        {
            "Fall-ID": "F1",
            "Abgebender Betrieb": "R1",
            "Wohnort-Kreis (AGS)": "03254",
            "Eintrittsdatum": "11.01.2026",
        },
        "Fall-ID",
        None,
        "doppelt",
    ),
}
SHEET_OF = {F: "Betriebe", N: "Bedarfe", P: "Teilnehmende", E: "Ereignisse", Q: "Förderung"}


@pytest.mark.parametrize("rule", list(RULES))
def test_each_rule_rejects_exactly_the_breaking_row(ref_settings, tmp_path, rule):
    name, where, column, value, expected = RULES[rule]
    files = base()
    if isinstance(where, dict):
        row_number = add_row(files, name, where)
    else:
        set_cell(files, name, where, column, value)
        row_number = where + 1
    report = import_path(ref_settings, write_csv(tmp_path / rule, files))
    assert_counts_add_up(report)
    broken = sheet(report, SHEET_OF[name])
    assert broken.quarantined == 1, report.issues()
    issue = broken.issues[0]
    assert (issue.row, issue.source_file) == (row_number, name)
    assert column in issue.column and expected in issue.message
    assert f"{name}, Blatt '{SHEET_OF[name]}', Zeile {row_number}, Spalte" in issue.text()
    others = [s for s in report.sheets if s is not broken]
    assert all(s.quarantined == 0 for s in others), report.issues()
    stored = rows(
        ref_settings, "SELECT step, source_file, sheet, row_number, column_name, reason FROM quarantine"
    )
    assert stored == [("cases", name, None, row_number, issue.column, f"{issue.column}: {issue.message}")]
    loaded = dict(rows(ref_settings, "SELECT target_table, rows_loaded FROM import_log"))
    table = schema.SHEET_BY_KEY[
        next(k for k, s in schema.SHEET_BY_KEY.items() if s.title == SHEET_OF[name])
    ].table
    added = 1 if isinstance(where, dict) else 0
    assert loaded[table] == BASE_ROWS[table] + added - 1


def test_rules_in_a_workbook_name_sheet_and_row(ref_settings, tmp_path):
    path = fill_template(
        tmp_path / "faelle.xlsx",
        {
            "Betriebe": [["R1", "Zulieferer GmbH", "abgebend", 29, 3254, None, "ja", "ja", 9.9, 52.1]],
            "Teilnehmende": [
                ["F1", "R1", "03254", None, None, "d", date(2026, 1, 5), None, 252, 3850.5],
                ["F2", "R1", "03254", None, None, "x", date(2026, 1, 6), None, None, None],
            ],
        },
    )
    report = import_path(ref_settings, path)
    assert_counts_add_up(report)
    issue = sheet(report, "Teilnehmende").issues[0]
    assert issue.text().startswith("faelle.xlsx, Blatt 'Teilnehmende', Zeile 3, Spalte 'Geschlecht'")
    # numbers typed as numbers: leading zeros of AGS and WZ restored, codes as text
    assert rows(ref_settings, "SELECT wz, ags FROM firm") == [("29", "03254")]
    assert rows(ref_settings, "SELECT origin_kldb, origin_wage FROM participant") == [("252", 3850.5)]
    assert rows(ref_settings, "SELECT sheet FROM quarantine") == [("Teilnehmende",)]


# ------------------------------------------------------------------------- privacy

IDENTIFYING = {
    "Name": "Erika Mustermann",
    "Geburtsdatum": "04.05.1981",
    "SV-Nummer": "12 040581 M 123",
    "Bemerkung": "sprach über Scheidung",
    "Straße": "Almsstraße 1",
}


def test_identifying_columns_never_reach_the_warehouse(ref_settings, tmp_path):
    files = base()
    table = files["teilnehmende.csv"]
    table[0] += [*IDENTIFYING, "Geburtsjahr"]
    table[1] += [*IDENTIFYING.values(), "1981"]
    table[2] += ["Max Muster", "01.01.1990", "65 010190 M 999", "-", "Weg 2", "1999"]
    table[3] += ["", "", "", "", "", ""]
    table[4] += ["", "", "", "", "", ""]
    set_cell(files, "teilnehmende.csv", 1, "Altersgruppe", "")
    set_cell(files, "teilnehmende.csv", 2, "Altersgruppe", "")
    set_cell(files, "teilnehmende.csv", 2, "Geschlecht", "unbekannt")  # quarantined row
    report = import_path(ref_settings, write_csv(tmp_path / "pii", files))
    assert_counts_add_up(report)
    warning = " ".join(report.warnings)
    for column in IDENTIFYING:
        assert repr(column) in warning
    assert "personenbezogene Daten" in warning
    assert rows(ref_settings, "SELECT dropped_columns FROM import_log WHERE sheet = 'Teilnehmende'")[0][
        0
    ] == list(IDENTIFYING)  # a list (VARCHAR[]), headers only
    publish(ref_settings)
    forbidden = [
        *IDENTIFYING.values(),
        "Max Muster",
        "1990-01-01",
        "65 010190",
        "1981",
        "1999",
        "Mustermann",
        "F1",
        "F2",
    ]
    con = duckdb.connect(str(ref_settings.warehouse_path), read_only=True)
    columns = con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    names = {c.lower() for _, c in columns}
    assert not names & {"name_person", "geburtsdatum", "birth_year", "sv_nummer", "bemerkung"}
    hits = []
    for table_name, column in columns:
        if table_name in ("region", "occupation", "sector", "automotive_chain", "load_log"):
            continue
        for text in forbidden:
            found = con.execute(
                f'SELECT count(*) FROM "{table_name}" WHERE "{column}"::VARCHAR = ? '  # noqa: S608
                f'OR contains("{column}"::VARCHAR, ?)',
                [text, text],
            ).fetchall()[0][0]
            if found and not (text in ("F1", "F2") and column == "firm_id"):
                hits.append((table_name, column, text))
    con.close()
    assert hits == []
    # the age group comes from the birth year; the case id only as keyed hash
    ages = dict(published_rows(ref_settings, "SELECT case_id, age_group FROM participant"))
    assert ages == {keyed("F1"): "45-54", keyed("F3"): "45-54", keyed("F4"): "55 und älter"}
    raw = json.loads(published_rows(ref_settings, "SELECT raw_values FROM quarantine")[0][0])
    assert raw["Fall-ID"] == keyed("F2") and "Name" not in raw


def test_case_id_hash_uses_the_key_from_settings(tmp_path):
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "data", COCKPIT_CASE_ID_KEY="another secret")
    load_reference(settings)
    import_path(settings, write_csv(tmp_path / "export", base()))
    ids = {r[0] for r in rows(settings, "SELECT case_id FROM participant")}
    assert ids == {keyed(f"F{i}", "another secret") for i in range(1, 5)}
    assert keyed("F1", "another secret") != keyed("F1")
