"""Tiny case-data exports written by the tests (CSV folders and filled template workbooks).

BASE is a complete, valid export with three firms, four cases and their events, written
with the template's German headers. Tests change exactly one cell (or add one row) to break
one rule, and compare with what they expect by hand. Firm E2 and case F4 are referred to by
no other row, so breaking them drags no further rows into quarantine.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path

from openpyxl import load_workbook

from pipelines.cases.template import template_bytes

Rows = list[list[str]]

BASE: dict[str, Rows] = {
    "betriebe.csv": [
        [
            "Betriebs-ID",
            "Betriebsname",
            "Rolle",
            "WZ-Abteilung",
            "Kreis (AGS)",
            "Größenklasse",
            "Tarifgebunden",
            "Betriebsrat",
            "Längengrad",
            "Breitengrad",
        ],
        [
            "R1",
            "Müller Zulieferteile GmbH",
            "abgebend",
            "29",
            "03254",
            "250-499",
            "ja",
            "ja",
            "9,95",
            "52,15",
        ],
        ["E1", "Testnetze GmbH", "aufnehmend", "35", "03254", "100-249", "ja", "nein", "", ""],
        ["E2", "Testbau GmbH", "aufnehmend", "43", "03241", "50-99", "nein", "nein", "", ""],
    ],
    "bedarfe.csv": [
        ["Betriebs-ID", "Datum", "Art", "Beruf (KldB)", "Anzahl"],
        ["R1", "15.01.2026", "Abbau", "252", "40"],
        ["E1", "20.01.2026", "Bedarf", "262", "5"],
    ],
    "teilnehmende.csv": [
        [
            "Fall-ID",
            "Abgebender Betrieb",
            "Wohnort-Kreis (AGS)",
            "Altersgruppe",
            "Geschlecht",
            "Eintrittsdatum",
            "Ende altes Arbeitsverhältnis",
            "Bisheriger Beruf (KldB)",
            "Bisheriger Bruttomonatslohn (EUR)",
        ],
        ["F1", "R1", "03254", "35-44", "m", "10.01.2026", "31.03.2026", "252", "4.000,00"],
        ["F2", "R1", "03254", "25-34", "w", "20.01.2026", "28.02.2026", "252", "3.000,00"],
        ["F3", "R1", "03157", "45-54", "m", "01.02.2026", "31.03.2026", "251", ""],
        ["F4", "R1", "03254", "55 und älter", "d", "03.02.2026", "", "", ""],
    ],
    "ereignisse.csv": [
        [
            "Fall-ID",
            "Datum",
            "Ereignis",
            "Aufnehmender Betrieb",
            "Neuer Beruf (KldB)",
            "Neuer Bruttomonatslohn (EUR)",
            "Noch beschäftigt",
        ],
        ["F1", "10.01.2026", "Eintritt", "", "", "", ""],
        ["F1", "15.03.2026", "Arbeitsaufnahme", "E1", "262", "4.100,00", ""],
        ["F1", "15.09.2026", "Verbleibsprüfung 6 Monate", "", "", "", "ja"],
        ["F2", "20.01.2026", "Eintritt", "", "", "", ""],
        ["F2", "20.03.2026", "Austritt ohne Übergang", "", "", "", ""],
        ["F3", "01.02.2026", "Eintritt", "", "", "", ""],
        ["F3", "01.04.2026", "Arbeitsaufnahme", "E1", "", "", ""],
    ],
    "foerderung.csv": [
        ["Quartalsbeginn", "Geplant (EUR)", "Ausgegeben (EUR)"],
        ["01.01.2026", "30.000,00", "24.000,00"],
    ],
}
BASE_ROWS = {"firm": 3, "firm_need": 2, "participant": 4, "case_event": 7, "funding": 1}


def base() -> dict[str, Rows]:
    return copy.deepcopy(BASE)


def set_cell(files: dict[str, Rows], name: str, row: int, column: str, value: str) -> None:
    """Set ``column`` of data row ``row`` (1 = first row under the header)."""
    header = files[name][0]
    files[name][row][header.index(column)] = value


def add_row(files: dict[str, Rows], name: str, values: dict[str, str]) -> int:
    """Append a row; returns its row number in the file (header = row 1)."""
    header = files[name][0]
    files[name].append([values.get(h, "") for h in header])
    return len(files[name])


def write_csv(folder: Path, files: dict[str, Rows], *, delimiter: str = ";", encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        text = "\r\n".join(delimiter.join(_quote(v, delimiter) for v in row) for row in rows)
        (folder / name).write_bytes((text + "\r\n").encode(encoding))
    return folder


def _quote(value: str, delimiter: str) -> str:
    return f'"{value}"' if delimiter in value else value


def fill_template(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """The generated template, filled like staff would: rows under the headers per sheet."""
    workbook = load_workbook(io.BytesIO(template_bytes()))
    for title, rows in sheets.items():
        ws = workbook[title]
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
