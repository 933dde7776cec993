"""A folder of malformed and quirky statistics files through `ingest` in one run (#10).

Every file is built here, each with one quirk seen in realistic files. The run must account
for every value cell it read (read = loaded + quarantined + skipped) and give every rejected
file a clear message: the file named, German and English, no raw library text. The expected
outcome of each file is written beside it by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.reference import load_reference
from pipelines.statistics.ingest import FileReport, ingest_paths
from pipelines.warehouse import publish
from tests.conftest import make_settings
from tests.statistics_files import write_csv, write_xls, write_xlsx
from tests.test_statistics_ingest import (
    DATENBANK,
    FFCSV,
    LM_MERGES,
    eckwerte_sheet,
    employment_sheet,
    labour_market_sheet,
)
from tests.test_statistics_quirks import ECK_MERGES, NAMED_HEADER, _no_vintage, _openpyxl_file, eckwerte

LM = {"T": LM_MERGES}


def lm(name: str, edit: Callable[[list[list]], object] | None = None, **kwargs) -> Callable[[Path], object]:
    """A labour-market workbook, its sheet changed by ``edit`` (in place)."""

    def build(folder: Path) -> None:
        sheet = labour_market_sheet(**kwargs)
        if edit:
            edit(sheet)
        write_xlsx(folder / name, {"T": sheet}, LM)

    return build


def setitem(row: int, col: int, value) -> Callable[[list[list]], None]:
    def edit(sheet: list[list]) -> None:
        sheet[row][col] = value

    return edit


def title(line: str) -> Callable[[list[list]], None]:
    """The period lines replaced by ``line`` (the header stays in its row)."""

    def edit(sheet: list[list]) -> None:
        sheet[:] = [r for r in sheet if not str(r[:1]).startswith(("['Berichtsmonat", "['Zähltag"))]
        sheet.insert(1, [line])
        sheet.insert(2, [])

    return edit


def raw(name: str, data: bytes) -> Callable[[Path], object]:
    return lambda folder: (folder / name).write_bytes(data)


def csv(name: str, lines: list[str], encoding: str = "utf-8") -> Callable[[Path], object]:
    return lambda folder: write_csv(folder / name, lines, encoding)


def openpyxl_lm(name: str, edit: Callable[[list[list]], object]) -> Callable[[Path], object]:
    def build(folder: Path) -> None:
        sheet = labour_market_sheet()
        edit(sheet)
        _openpyxl_file(folder / name, sheet)

    return build


def cached_formula(folder: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(folder / "13-formel-mit-wert.xlsx"))
    sheet = book.add_worksheet("T")
    cells = [
        ["Arbeitslose nach Berufen"],
        ["Berichtsmonat: März 2026"],
        ["Region", "Beruf (KldB 2010)", "Arbeitslose"],
        ["03254 Hildesheim", "Insgesamt", None],
        [None, "252 Fahrzeugtechnik", 120],
    ]
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write_formula(3, 2, "=C5", None, 120)
    book.close()


def employment(name: str, edit: Callable[[list[list]], object] | None = None) -> Callable[[Path], object]:
    def build(folder: Path) -> None:
        sheet = employment_sheet()
        if edit:
            edit(sheet)
        write_xlsx(folder / name, {"SVB - Tabelle II": sheet})

    return build


def eck(name: str, sheet: list[list], merges=None) -> Callable[[Path], object]:
    return lambda folder: write_xlsx(folder / name, {"Eckwerte": sheet}, merges)


def insert_row(at: int, row: list) -> Callable[[list[list]], None]:
    return lambda sheet: sheet.insert(at, row)


def _datenbank(edit: Callable[[list[str]], object]) -> list[str]:
    lines = list(DATENBANK)
    edit(lines)
    return lines


# name, builder, expected status
FILES: list[tuple[str, Callable[[Path], object], str]] = [
    ("01-sauber.xlsx", lm("01-sauber.xlsx"), "loaded"),
    ("02-doppelte-zeile.xlsx", lm("02-doppelte-zeile.xlsx", lambda s: s.insert(10, list(s[9]))), "loaded"),
    ("03-negativ.xlsx", lm("03-negativ.xlsx", v252=-5), "loaded"),
    ("04-fuehrende-null.xlsx", lm("04-fuehrende-null.xlsx", setitem(7, 0, "3254 Hildesheim")), "loaded"),
    ("05-kein-land.xlsx", lm("05-kein-land.xlsx", setitem(10, 0, "99999 Nirgendwo")), "loaded"),
    (
        "06-anderes-land.xlsx",
        lm("06-anderes-land.xlsx", insert_row(12, ["09162 München", "Insgesamt", 5, 1, 1, 1, 1, 1])),
        "loaded",
    ),
    ("07-darunter.xlsx", lm("07-darunter.xlsx", setitem(7, 3, 299)), "loaded"),
    ("08-sterne.xlsx", lm("08-sterne.xlsx", v252="*"), "loaded"),
    ("09-text-statt-zahl.xlsx", lm("09-text-statt-zahl.xlsx", v252="zwölf"), "loaded"),
    (
        "10-unbekannter-beruf.xlsx",
        lm("10-unbekannter-beruf.xlsx", setitem(9, 1, "999 Gibt es nicht")),
        "loaded",
    ),
    ("11-formel-ohne-wert.xlsx", openpyxl_lm("11-formel-ohne-wert.xlsx", setitem(8, 2, "=C11+1")), "loaded"),
    ("12-excel-fehler.xlsx", openpyxl_lm("12-excel-fehler.xlsx", setitem(9, 3, "#DIV/0!")), "loaded"),
    ("13-formel-mit-wert.xlsx", cached_formula, "loaded"),
    (
        "14-hinweis-und-monat.xlsx",
        lm(
            "14-hinweis-und-monat.xlsx",
            setitem(0, 0, "Hinweis: ab Januar 2025 neue Berufe"),
            month="Okt. 2025",
        ),
        "loaded",
    ),
    (
        "15-nur-hinweis.xlsx",
        lm("15-nur-hinweis.xlsx", title("Hinweis: ab Januar 2025 neue Berufe")),
        "rejected",
    ),
    ("16-english-month.xlsx", lm("16-english-month.xlsx", month="October 2025"), "loaded"),
    ("17-monat-zahl.xlsx", lm("17-monat-zahl.xlsx", month="11/2025"), "loaded"),
    ("18-monat-iso.xlsx", lm("18-monat-iso.xlsx", month="2025-09"), "loaded"),
    (
        "19-verschoben.xlsx",
        lambda folder: write_xlsx(
            folder / "19-verschoben.xlsx", {"T": labour_market_sheet(month="August 2025")}, LM, start=(3, 2)
        ),
        "loaded",
    ),
    (
        "20-alt.xls",
        lambda folder: write_xls(
            folder / "20-alt.xls", {"T": _no_vintage(labour_market_sheet(month="Juli 2025"))}
        ),
        "loaded",
    ),
    ("21-abgeschnitten.xlsx", lambda folder: _truncated(folder / "21-abgeschnitten.xlsx"), "rejected"),
    (
        "22-haushalt.xlsx",
        lambda folder: write_xlsx(
            folder / "22-haushalt.xlsx", {"Haushalt": [["Posten", "Betrag"], ["A", 1]]}
        ),
        "rejected",
    ),
    ("23-leer.csv", raw("23-leer.csv", b""), "rejected"),
    ("24-binaer.csv", raw("24-binaer.csv", b"\x00\x01\x02garbage\x00" * 20), "rejected"),
    ("25-svb.xlsx", employment("25-svb.xlsx"), "loaded"),
    (
        "26-svb-ohne-stichtag.xlsx",
        employment("26-svb-ohne-stichtag.xlsx", setitem(2, 0, "Hinweis")),
        "rejected",
    ),
    (
        "27-eckwerte.xlsx",
        eck("27-eckwerte.xlsx", eckwerte_sheet(), {"Eckwerte": [(4, 4, 4, 5), (4, 6, 4, 7)]}),
        "loaded",
    ),
    (
        "28-eckwerte-vormonat.xlsx",
        eck("28-eckwerte-vormonat.xlsx", eckwerte(NAMED_HEADER), ECK_MERGES),
        "loaded",
    ),
    (
        "29-eckwerte-name.xlsx",
        eck("29-eckwerte-name.xlsx", eckwerte(NAMED_HEADER, "Region: Peine"), ECK_MERGES),
        "loaded",
    ),
    (
        "30-eckwerte-ohne-region.xlsx",
        eck("30-eckwerte-ohne-region.xlsx", eckwerte(NAMED_HEADER, "Region: Atlantis"), ECK_MERGES),
        "rejected",
    ),
    ("31-datenbank.csv", csv("31-datenbank.csv", DATENBANK), "loaded"),
    (
        "32-datenbank-doppelt.csv",
        csv(
            "32-datenbank-doppelt.csv",
            _datenbank(
                lambda lines: lines.insert(6, "03;Niedersachsen;03254;Hildesheim;28;Maschinenbau;3.000")
            ),
        ),
        "loaded",
    ),
    (
        "33-datenbank-cp1252.csv",
        csv(
            "33-datenbank-cp1252.csv",
            _datenbank(lambda lines: lines.__setitem__(0, "Beschäftigte – „am Arbeitsort“")),
            "cp1252",
        ),
        "loaded",
    ),
    (
        "34-datenbank-ohne-stichtag.csv",
        csv("34-datenbank-ohne-stichtag.csv", _datenbank(lambda lines: lines.__setitem__(1, "Hinweis;-"))),
        "rejected",
    ),
    ("35-ffcsv.csv", csv("35-ffcsv.csv", FFCSV), "loaded"),
    ("36-unbekannt.csv", csv("36-unbekannt.csv", ["Name;Wert", "a;1"]), "rejected"),
    (
        "37-datenbank-negativ.csv",
        csv(
            "37-datenbank-negativ.csv",
            _datenbank(
                lambda lines: lines.__setitem__(5, "03;Niedersachsen;03254;Hildesheim;28;Maschinenbau;-3")
            ),
        ),
        "loaded",
    ),
]


# rows quarantined and skipped per loaded file, counted by hand from the edits above (else 0)
QUARANTINED = {
    "02-doppelte-zeile.xlsx": 12,  # both copies of the 251 row, 6 cells each
    "03-negativ.xlsx": 1,
    "05-kein-land.xlsx": 12,  # the Peine block (2 rows × 6 cells) under code 99999
    "09-text-statt-zahl.xlsx": 1,
    "10-unbekannter-beruf.xlsx": 6,  # the 251 row renamed 999
    "11-formel-ohne-wert.xlsx": 1,
    "12-excel-fehler.xlsx": 1,
    "32-datenbank-doppelt.csv": 2,
    "37-datenbank-negativ.csv": 1,
}
SKIPPED = {
    "06-anderes-land.xlsx": 6,  # München, 6 cells
    "31-datenbank.csv": 0,
}


def _truncated(path: Path) -> None:
    write_xlsx(path, {"T": labour_market_sheet()}, LM)
    path.write_bytes(path.read_bytes()[:900])


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FileReport]:
    """All files in one folder, ingested in one run into a fresh warehouse."""
    base = tmp_path_factory.mktemp("folder")
    settings = make_settings(base / "data")
    load_reference(settings)
    publish(settings)
    folder = base / "incoming"
    folder.mkdir()
    for _, build, _ in FILES:
        build(folder)
    reports = ingest_paths(settings, [folder])
    assert len(reports) == len(FILES)
    return {r.source: r for r in reports}


RAW_LIBRARY_TEXT = re.compile(
    r"Traceback|calamine|CalamineError|XlsxError|BadZipFile|duckdb\.|Error\(|\bin position\b"
)


def test_the_folder_holds_at_least_30_files():
    assert len(FILES) >= 30 and len({name for name, _, _ in FILES}) == len(FILES)


@pytest.mark.parametrize(("name", "status"), [(name, status) for name, _, status in FILES])
def test_every_file_is_accounted_for_or_rejected_clearly(run, name, status):
    report = run[name]
    assert report.status == status, report.message or report.warnings
    if status == "loaded":
        assert report.rows_read > 0
        assert report.rows_read == report.rows_loaded + report.rows_quarantined + report.rows_skipped
        assert (report.rows_quarantined, report.rows_skipped) == (
            QUARANTINED.get(name, 0),
            SKIPPED.get(name, 0),
        )
        return
    message = report.message or ""
    assert f"'{name}'" in message  # the file named
    assert " / " in message  # German / English
    assert not RAW_LIBRARY_TEXT.search(message), message
