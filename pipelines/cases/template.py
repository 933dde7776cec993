"""The import template: one workbook generated from ``schema`` (never edited by hand).

Sheets for firms, needs, participants, events and funding with frozen, explained headers
and drop-down validation; a data dictionary (every column, allowed values, examples); the
code lists (AGS, KldB, WZ) the drop-downs refer to. ``data`` fills the sheets (demo data,
tests); without it the template is empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analytics.excel import stable_workbook_bytes
from pipelines.cases.schema import CODES_TITLE, DICTIONARY_TITLE, FIRMS, SHEETS, Column, Sheet
from pipelines.reference import occupations_frame, regions_frame, sectors_frame

TEMPLATE_ROWS = 5000  # rows prepared with formats and drop-downs
REQUIRED_FILL = PatternFill("solid", fgColor="F4B183")
OPTIONAL_FILL = PatternFill("solid", fgColor="DCE6F1")
TYPE_TEXT = {
    "text": "Text",
    "date": "Datum",
    "integer": "ganze Zahl",
    "decimal": "Zahl (Dezimalkomma oder -punkt)",
    "boolean": "ja/nein",
    "choice": "Auswahl",
}
FORMATS = {
    "date": "DD.MM.YYYY",
    "decimal": "#,##0.00",
    "integer": "0",
    "text": "@",
    "choice": "@",
    "boolean": "@",
}
NOTES = (
    "Vorlage für die Falldaten des Netzwerks 'Arbeit bewegen!' (Import ins Arbeitsmarkt-Cockpit).",
    "Ein Blatt je Tabelle; Zeile 1 enthält die Spaltenüberschriften (nicht ändern), Daten ab "
    "Zeile 2. Orange Überschriften sind Pflichtspalten.",
    "Datumsangaben als TT.MM.JJJJ oder JJJJ-MM-TT; Beträge in Euro mit Dezimalkomma oder -punkt.",
    "CSV statt Excel: je Blatt eine Datei betriebe.csv, bedarfe.csv, teilnehmende.csv, "
    "ereignisse.csv, foerderung.csv (Trennzeichen ; oder , – UTF-8 oder Windows-1252).",
    "Datenschutz: keine Namen, Geburtsdaten, Anschriften, SV-Nummern oder Freitext-Bemerkungen. "
    "Solche Spalten werden beim Import verworfen. Fall-IDs werden durch einen Schlüssel-Hash "
    "ersetzt, Geburtsjahre in Altersgruppen umgerechnet.",
    "Teil-Exporte sind erlaubt: Datensätze, die in einer neueren Datei fehlen, bleiben erhalten; "
    "geänderte werden aktualisiert, neue ergänzt. Abgewiesene Zeilen stehen mit Grund auf der "
    "Seite 'Datenqualität'.",
)
DICTIONARY_HEADERS = (
    "Blatt",
    "Spalte",
    "Technischer Name",
    "Pflicht",
    "Typ",
    "Erlaubte Werte",
    "Beispiel",
    "Beschreibung",
)


def _code_lists() -> dict[str, list[tuple[str, str]]]:
    regions = regions_frame()
    occupations = occupations_frame()
    divisions = sectors_frame().filter(level="division")
    return {
        "ags": list(zip(regions["ags"], regions["name"], strict=True)),
        "kldb": list(zip(occupations["code"], occupations["title_de"], strict=True)),
        "wz": list(zip(divisions["code"], divisions["title_de"], strict=True)),
    }


CODE_COLUMNS = {
    "ags": ("A", "AGS", "Kreis"),
    "kldb": ("D", "KldB 2010", "Berufsbezeichnung"),
    "wz": ("G", "WZ 2008", "Abteilung"),
}


def _codes_sheet(wb: Workbook, lists: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    ws = wb.create_sheet(CODES_TITLE)
    ranges = {}
    for key, (letter, code_head, name_head) in CODE_COLUMNS.items():
        col = ws[f"{letter}1"].column
        for j, head in enumerate((code_head, name_head)):
            cell = ws.cell(1, col + j, head)
            cell.font = Font(bold=True)
            cell.fill = OPTIONAL_FILL
        for i, (code, name) in enumerate(lists[key], start=2):
            ws.cell(i, col, code).number_format = "@"
            ws.cell(i, col + 1, name)
        ws.column_dimensions[letter].width = 12
        ws.column_dimensions[get_column_letter(col + 1)].width = 45
        ranges[key] = f"{CODES_TITLE}!${letter}$2:${letter}${len(lists[key]) + 1}"
    ws.freeze_panes = "A2"
    return ranges


def _validation(column: Column, code_ranges: dict[str, str]) -> DataValidation | None:
    prompt = column.description[:250]
    if column.choices:
        rule = DataValidation(type="list", formula1=f'"{",".join(column.choices)}"')
    elif column.reference in code_ranges:
        rule = DataValidation(type="list", formula1=code_ranges[column.reference])
    elif column.reference == "firm":
        first = get_column_letter(FIRMS.columns.index(FIRMS.column("firm_id")) + 1)
        rule = DataValidation(type="list", formula1=f"{FIRMS.title}!${first}$2:${first}${TEMPLATE_ROWS + 1}")
        rule.errorStyle = "warning"  # the firm may already be in the warehouse
    elif column.type == "date":
        rule = DataValidation(
            type="date", operator="between", formula1="DATE(1990,1,1)", formula2="DATE(2100,12,31)"
        )
    elif column.type in ("integer", "decimal"):
        kind = "whole" if column.type == "integer" else "decimal"
        if column.minimum is not None and column.maximum is not None:
            rule = DataValidation(
                type=kind, operator="between", formula1=f"{column.minimum:g}", formula2=f"{column.maximum:g}"
            )
        elif column.minimum is not None:
            rule = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=f"{column.minimum:g}")
        else:
            return None
    else:
        return None
    rule.allow_blank = not column.required
    rule.showErrorMessage = True
    rule.errorTitle = column.label[:32]
    rule.error = f"Erlaubt: {column.allowed_text}"[:250]
    rule.showInputMessage = True
    rule.promptTitle = column.label[:32]
    rule.prompt = prompt
    return rule


def _shown(column: Column, value: object) -> object:
    if value is None or not column.choices:
        return value
    reverse = {stored: shown for shown, stored in column.choices.items()}
    return reverse.get(value, value)


def _data_sheet(
    wb: Workbook, spec: Sheet, code_ranges: dict[str, str], rows: Iterable[Mapping[str, object]]
) -> Worksheet:
    ws = wb.create_sheet(spec.title)
    for j, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(j)
        cell = ws.cell(1, j, column.label)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else OPTIONAL_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(
            f"{column.description}\nPflicht: {'ja' if column.required else 'nein'}\n"
            f"Erlaubt: {column.allowed_text}\nBeispiel: {column.example}",
            "Vorlage",
            width=320,
            height=140,
        )
        ws.column_dimensions[letter].width = max(14, min(40, len(column.label) + 4))
        ws.column_dimensions[letter].number_format = FORMATS[column.type]
        rule = _validation(column, code_ranges)
        if rule is not None:
            rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(rule)
    for i, record in enumerate(rows, start=2):
        for j, column in enumerate(spec.columns, start=1):
            value = _shown(column, record.get(column.name))
            if value is None:
                continue
            cell = ws.cell(i, j, value)
            cell.number_format = FORMATS[column.type]
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32
    return ws


def _dictionary_sheet(wb: Workbook) -> None:
    ws = wb.create_sheet(DICTIONARY_TITLE, 0)
    ws.cell(1, 1, "Datenlexikon – Falldaten Arbeit bewegen!").font = Font(bold=True, size=14)
    row = 2
    for note in NOTES:
        ws.cell(row, 1, note).alignment = Alignment(wrap_text=False)
        row += 1
    for spec in SHEETS:
        keys = ", ".join(spec.column(k).label for k in spec.natural_key)
        ws.cell(row, 1, f"Blatt '{spec.title}': {spec.description} Schlüssel: {keys}.")
        row += 1
    row += 1
    for j, head in enumerate(DICTIONARY_HEADERS, start=1):
        cell = ws.cell(row, j, head)
        cell.font = Font(bold=True)
        cell.fill = OPTIONAL_FILL
    ws.freeze_panes = ws.cell(row + 1, 1)
    for spec in SHEETS:
        for column in spec.columns:
            row += 1
            values = (
                spec.title,
                column.label,
                column.name,
                "ja" if column.required else "nein",
                TYPE_TEXT[column.type],
                column.allowed_text,
                column.example,
                column.description,
            )
            for j, value in enumerate(values, start=1):
                cell = ws.cell(row, j, value)
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGH", (14, 30, 20, 8, 16, 40, 16, 70), strict=True):
        ws.column_dimensions[letter].width = width


def template_workbook(data: Mapping[str, Iterable[Mapping[str, object]]] | None = None) -> Workbook:
    """The template; ``data`` maps sheet keys to records (stored values by column name)."""
    wb = Workbook()
    wb.remove(wb.active)
    code_ranges = _codes_sheet(wb, _code_lists())
    for position, spec in enumerate(SHEETS):
        ws = _data_sheet(wb, spec, code_ranges, (data or {}).get(spec.key, ()))
        wb.move_sheet(ws, offset=position - wb.index(ws))
    _dictionary_sheet(wb)
    wb.move_sheet(wb[DICTIONARY_TITLE], offset=len(SHEETS))
    wb.active = 0
    wb.properties.creator = "Arbeit bewegen! Cockpit"
    wb.properties.created = wb.properties.modified = datetime(2026, 1, 1)
    return wb


def template_bytes(data: Mapping[str, Iterable[Mapping[str, object]]] | None = None) -> bytes:
    """The workbook's bytes, identical for the same content."""
    return stable_workbook_bytes(template_workbook(data))


def write_template(path: Path, data: Mapping[str, Iterable[Mapping[str, object]]] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(template_bytes(data))
    return path
