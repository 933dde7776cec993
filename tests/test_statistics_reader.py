"""The Excel reader: numeric columns read as numbers lose nothing against an all-text read.

Columns that the sheet's first cells show as numbers are read as Float64; every other cell of
such a column (header texts, symbols, text numbers, dates, Excel errors) comes back as text.
These tests read the same sheets both ways and demand the same grid text and the same facts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import polars as pl
import pytest

from pipelines.statistics import reader as R
from pipelines.statistics.detect import parse_bytes
from pipelines.statistics.reader import Workbook, cell_text
from tests.statistics_files import write_xlsx
from tests.test_statistics_ingest import (
    LM_MERGES,
    eckwerte_sheet,
    employment_sheet,
    labour_market_sheet,
)

QUIRKS = [  # a value column with every kind of cell a numeric read reports as an error
    ["Titel der Tabelle"],
    [],
    ["Region", "Beruf", date(2025, 11, 1), "Insgesamt"],
    ["03254 Hildesheim", "Insgesamt", 16000, 'Zitat "a" \\ b'],
    [None, "252 Fahrzeugtechnik", "* ", "1.234\u00a0"],  # not a number to calamine (nbsp)
    [None, "251 Maschinenbau", 12, "ä\tö\nü 'q'"],
    [None, "263 Elektrotechnik", 3.5, "-"],
    [None, "Keine Zuordnung", datetime(2025, 6, 30, 12, 30, 15), 7],
    ["Quelle: Statistik der Bundesagentur für Arbeit"],
]


def all_numeric(monkeypatch) -> None:
    """Every scanned column is read as numbers (the hardest case for the text view)."""
    scan = R._scan_cells

    def every_column(cells):
        found = scan(cells)
        return replace(found, numeric=frozenset(range(found.col0, found.last_col + 1)))

    monkeypatch.setattr(R, "_scan_cells", every_column)


def all_text(monkeypatch) -> None:
    monkeypatch.setattr(R.Workbook, "_typed", lambda self, sheet, scan, xml: None)


def grid_and_facts(monkeypatch, mode, data: bytes, sheet: str):
    with monkeypatch.context() as patch:
        mode(patch)
        grid = Workbook("f.xlsx", data).grid(sheet)
        try:
            parsed = parse_bytes("f.xlsx", data)
        except Exception as exc:  # a sheet that is no BA table: compare the grids only
            parsed = exc
    return grid, parsed


def without_text_numbers(rows: list[list]) -> list[list]:
    """The sheet with its German text numbers ('1.500') as numbers."""
    return [
        [
            int(v.replace(".", "")) if isinstance(v, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+", v) else v
            for v in row
        ]
        for row in rows
    ]


@pytest.mark.parametrize(
    ("sheet", "rows", "merges", "start", "typed"),
    [
        # German text numbers ('1.500') in the shared strings: the whole workbook reads as text
        ("T", labour_market_sheet(), LM_MERGES, (0, 0), False),
        ("T", without_text_numbers(labour_market_sheet()), LM_MERGES, (0, 0), True),
        (
            "T",
            without_text_numbers(labour_market_sheet(title_rows=3)),
            [(r + 3, a, b + 3, c) for r, a, b, c in LM_MERGES],
            (2, 1),
            True,
        ),
        ("SVB - Tabelle II", employment_sheet(), [(4, 2, 4, 3)], (0, 0), False),
        ("SVB - Tabelle II", without_text_numbers(employment_sheet()), [(4, 2, 4, 3)], (0, 0), True),
        ("Q", QUIRKS, [], (1, 2), True),
        ("Eckwerte", without_text_numbers(eckwerte_sheet()), [(4, 4, 4, 5), (4, 6, 4, 7)], (2, 0), True),
    ],
)
def test_numeric_read_gives_the_text_and_facts_of_a_text_read(
    monkeypatch, tmp_path, sheet, rows, merges, start, typed
):
    data = write_xlsx(tmp_path / "f.xlsx", {sheet: rows}, {sheet: merges}, start).read_bytes()
    text_grid, text_parsed = grid_and_facts(monkeypatch, all_text, data, sheet)
    typed_grid, typed_parsed = grid_and_facts(monkeypatch, all_numeric, data, sheet)
    assert any(typed_grid.is_numeric(j) for j in range(typed_grid.width)) == typed
    assert not any(text_grid.is_numeric(j) for j in range(text_grid.width))
    assert (typed_grid.row0, typed_grid.col0, typed_grid.width) == (
        text_grid.row0,
        text_grid.col0,
        text_grid.width,
    )
    assert typed_grid.rows() == text_grid.rows()
    if isinstance(text_parsed, Exception):
        assert str(typed_parsed) == str(text_parsed)
        return
    assert typed_parsed.reference_dates == text_parsed.reference_dates
    assert typed_parsed.quarantine.equals(text_parsed.quarantine)
    for table, facts in text_parsed.facts.items():
        assert typed_parsed.facts[table].equals(facts), table
    assert typed_parsed.reconciled().summary() == text_parsed.reconciled().summary()


def test_quirk_cells_come_back_as_their_text(monkeypatch, tmp_path):
    data = write_xlsx(tmp_path / "q.xlsx", {"Q": QUIRKS}, start=(1, 2)).read_bytes()
    with monkeypatch.context() as patch:
        all_numeric(patch)
        grid = Workbook("q.xlsx", data).grid("Q")
    assert (grid.row0, grid.col0) == (2, 2)  # C2
    assert grid.frame.schema["c2"] == pl.Float64 and grid.frame.schema["c3"] == pl.Float64
    rows = grid.rows()
    assert rows[2] == ("Region", "Beruf", "2025-11-01 00:00:00", "Insgesamt")
    assert [r[2] for r in rows[3:8]] == ["16000", "* ", "12", "3.5", "2025-06-30 12:30:15"]
    assert [r[3] for r in rows[3:8]] == ['Zitat "a" \\ b', "1.234\u00a0", "ä\tö\nü 'q'", "-", "7"]
    assert grid.frame["c2"].to_list()[3:8] == [16000.0, None, 12.0, 3.5, None]


def test_the_benchmark_layout_reads_value_columns_as_numbers(tmp_path):
    """The fast path is taken for a plain BA table (guards against a changed fastexcel)."""
    body = [
        [None if i % 5 else f"0{3101 + i} Kreis", f"{10 + i % 80} Beruf", i, "*" if i % 40 == 7 else i * 3]
        for i in range(200)
    ]
    rows = [["Titel"], [], ["Region", "Beruf (KldB 2010)", "Arbeitslose", "Arbeitsstellen"], *body]
    grid = Workbook("b.xlsx", write_xlsx(tmp_path / "b.xlsx", {"T": rows}).read_bytes()).grid("T")
    assert [grid.is_numeric(j) for j in range(grid.width)] == [False, False, True, True]
    assert grid.frame["c3_text"].drop_nulls().to_list() == ["Arbeitsstellen"] + ["*"] * 5


def test_boolean_or_mostly_text_columns_stay_text(tmp_path):
    rows = [["Region", "Flag", "Werte"], *[[f"r{i}", i % 2 == 0, "*" if i % 2 else i] for i in range(30)]]
    grid = Workbook("b.xlsx", write_xlsx(tmp_path / "b.xlsx", {"T": rows}).read_bytes()).grid("T")
    assert not any(grid.is_numeric(j) for j in range(grid.width))
    assert grid.rows()[1] == ("r0", "true", "0")


def test_an_unknown_kind_of_cell_makes_the_sheet_read_as_text(monkeypatch, tmp_path):
    data = write_xlsx(tmp_path / "q.xlsx", {"Q": QUIRKS}).read_bytes()
    expected = Workbook("q.xlsx", data).grid("Q").rows()
    monkeypatch.setattr(R, "cell_text", lambda detail: None)
    all_numeric(monkeypatch)
    grid = Workbook("q.xlsx", data).grid("Q")
    assert not any(grid.is_numeric(j) for j in range(grid.width))
    assert grid.rows() == expected


@pytest.mark.parametrize(
    ("detail", "text"),
    [
        ("Expected float but got 'String(\"*\")'", "*"),
        ('Expected float but got \'String("a \\"b\\" \\\\ c")\'', 'a "b" \\ c'),
        ("Expected float but got 'String(\"x\\u{a0}y\\n\")'", "x\u00a0y\n"),
        ("Expected float but got 'String(\"it's\")'", "it's"),
        ("Expected float but got 'Error(NA)'", "#N/A"),
        ("Expected float but got 'Error(Div0)'", "#DIV/0!"),
        (
            "Expected float but got 'DateTime(ExcelDateTime { value: 45838.0, "
            "datetime_type: DateTime, is_1904: false })'",
            "2025-06-30 00:00:00",
        ),
        (
            "Expected float but got 'DateTime(ExcelDateTime { value: 44376.0, "
            "datetime_type: DateTime, is_1904: true })'",
            "2025-06-30 00:00:00",  # the 1904 system counts 1,462 days fewer
        ),
        ("Expected float but got 'DateTimeIso(\"2025-06-30T00:00:00\")'", "2025-06-30T00:00:00"),
        # kinds this reader does not turn back into text: the sheet is read as text instead
        (
            "Expected float but got 'DateTime(ExcelDateTime { value: 0.5, "
            "datetime_type: TimeDelta, is_1904: false })'",
            None,
        ),
        (
            "Expected float but got 'DateTime(ExcelDateTime { value: 12.0, "
            "datetime_type: DateTime, is_1904: false })'",
            None,
        ),
        ("Expected float but got 'String(\"bad \\q escape\")'", None),
        ("Expected float but got 'Error(Something)'", None),
        ("something else entirely", None),
    ],
)
def test_cell_text_of_error_details(detail, text):
    assert cell_text(detail) == text


def numeric_column_sheet(text_number_at: int | None) -> list[list]:
    """A BA-like table whose value column has a German text number at one row (or none)."""
    rows = [["Titel"], [], ["Region", "Beruf (KldB 2010)", "Arbeitslose"]]
    for i in range(400):
        value = "1.500" if i == text_number_at else ("*" if i % 50 == 3 else i + 1)
        rows.append(["03254 Hildesheim" if i == 0 else None, f"{100 + i % 900} Beruf", value])
    return rows


@pytest.mark.parametrize("inline_strings", [False, True])
@pytest.mark.parametrize("text_number_at", [None, 5, 390])
def test_a_text_that_calamine_would_take_for_a_number_makes_the_sheet_read_as_text(
    tmp_path, inline_strings, text_number_at
):
    """'1.500' (German 1500) as text: calamine would silently read 1.5 in a numeric column.
    Shared strings are vetted before the read, inline strings while it runs (whole sheet)."""
    rows = numeric_column_sheet(text_number_at)
    path = write_xlsx(tmp_path / "t.xlsx", {"T": rows}, inline_strings=inline_strings)
    grid = Workbook("t.xlsx", path.read_bytes()).grid("T")
    assert grid.is_numeric(2) == (text_number_at is None)
    if text_number_at is not None:
        assert grid.rows()[3 + text_number_at][2] == "1.500"


def test_a_formula_text_result_is_vetted_too(tmp_path):
    import xlsxwriter

    path = tmp_path / "f.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("T")
    for r, row in enumerate(numeric_column_sheet(None)):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    sheet.write_formula(300, 2, '="1.500"', None, "1.500")
    workbook.close()
    grid = Workbook("f.xlsx", path.read_bytes()).grid("T")
    assert not grid.is_numeric(2)
    assert grid.rows()[300][2] == "1.500"


def test_inline_strings_numeric_read_gives_the_text_of_a_text_read(monkeypatch, tmp_path):
    data = write_xlsx(tmp_path / "q.xlsx", {"Q": QUIRKS}, inline_strings=True).read_bytes()
    text_grid, _ = grid_and_facts(monkeypatch, all_text, data, "Q")
    typed_grid, _ = grid_and_facts(monkeypatch, all_numeric, data, "Q")
    assert typed_grid.is_numeric(2) and typed_grid.rows() == text_grid.rows()


@pytest.mark.parametrize(
    ("items", "found"),
    [
        ('<si><t>Region</t></si><si><t xml:space="preserve">12</t></si><si/>', False),
        ('<si><t>Region</t></si><si><t xml:space="preserve">1.500</t></si>', True),
        ("<si><t>Region</t></si><si><t>inf</t></si>", True),
        # rich text: the runs '1' and '.500' make the text '1.500'
        ("<si><t>a</t></si><si><r><t>1</t></r><r><rPr><b/></rPr><t>.500</t></r></si>", True),
        ("<si><r><t>03254</t></r><r><t> Hildesheim</t></r></si><si><t/></si>", False),
        # phonetic parts after the text
        ('<si><t>x</t><rPh sb="0" eb="1"><t>y</t></rPh><phoneticPr fontId="1"/></si>', False),
        ('<si><t>0012</t><rPh sb="0" eb="1"><t>y</t></rPh></si>', True),
    ],
)
def test_shared_strings_that_calamine_would_read_as_numbers(items, found):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst>{items}</sst>')
    with zipfile.ZipFile(buffer) as archive:
        assert R._numbers_as_text(archive, {b"rId9": b"sharedStrings.xml"}) is found


# --- the guard's scan tells which sheets hold nothing to vet (#17) -------------------------------


def _formula_workbook(path, formula: str, value) -> bytes:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("T")
    for r, row in enumerate(numeric_column_sheet(None)):
        for c, value_ in enumerate(row):
            if value_ is not None:
                sheet.write(r, c, value_)
    sheet.write_formula(200, 2, formula, None, value)
    workbook.close()
    return path.read_bytes()


def test_the_guard_marks_only_sheets_without_texts_or_cells_to_vet_as_plain(tmp_path):
    from pipelines.workbook_guard import check_file

    shared = write_xlsx(tmp_path / "s.xlsx", {"T": numeric_column_sheet(None)}).read_bytes()
    inline = write_xlsx(tmp_path / "i.xlsx", {"T": numeric_column_sheet(None)}, inline_strings=True)
    [plain] = check_file("s.xlsx", shared)
    [with_inline] = check_file("i.xlsx", inline.read_bytes())
    [with_formula] = check_file("f.xlsx", _formula_workbook(tmp_path / "f.xlsx", "=C5*2", 10))
    [with_error] = check_file("e.xlsx", _formula_workbook(tmp_path / "e.xlsx", "=1/0", "#DIV/0!"))
    assert plain.plain
    assert not with_inline.plain and not with_formula.plain and not with_error.plain


def test_a_marker_cut_by_the_guards_chunks_is_still_seen(monkeypatch, tmp_path):
    """The scan reads the XML in chunks; a marker (t="e", <f) cut by a chunk boundary must never
    make a sheet look plain (small chunks cut every tag somewhere)."""
    import io
    import zipfile

    from pipelines import workbook_guard
    from pipelines.workbook_guard import check_file

    data = write_xlsx(tmp_path / "e.xlsx", {"T": numeric_column_sheet(None)}).read_bytes()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            body = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":  # an error cell without a formula
                body, count = re.subn(
                    rb'<c r="C201"[^>]*><v>[^<]*</v></c>', b'<c r="C201" t="e"><v>#N/A</v></c>', body
                )
                assert count == 1
            target.writestr(item, body)
    [before] = check_file("e.xlsx", out.getvalue())
    assert not before.plain
    for chunk in [*range(3, 48), 333, 4096]:  # some of them cut the error cell's t="e"
        monkeypatch.setattr(workbook_guard, "CHUNK", chunk)
        [extent] = check_file("e.xlsx", out.getvalue())
        assert not extent.plain, chunk


@pytest.mark.parametrize("inline_strings", [False, True])
@pytest.mark.parametrize(
    ("sheet", "rows", "start"),
    [
        ("T", without_text_numbers(labour_market_sheet()), (0, 0)),
        ("Q", QUIRKS, (1, 2)),
        ("Eckwerte", without_text_numbers(eckwerte_sheet()), (2, 0)),
    ],
)
def test_a_plain_sheet_read_without_vetting_gives_the_vetted_grid(
    monkeypatch, tmp_path, inline_strings, sheet, rows, start
):
    data = write_xlsx(
        tmp_path / "p.xlsx", {sheet: rows}, start=start, inline_strings=inline_strings
    ).read_bytes()
    all_numeric(monkeypatch)
    vetted = Workbook("p.xlsx", data)
    vetted._plain = set()  # as before: the sheet's XML vetted beside the read
    expected = vetted.grid(sheet)
    calls = []
    original = R.sheet_xml
    monkeypatch.setattr(R, "sheet_xml", lambda *a: calls.append(a) or original(*a))
    grid = Workbook("p.xlsx", data).grid(sheet)
    assert bool(calls) == inline_strings  # shared strings only: nothing inflated a second time
    assert grid.frame.schema == expected.frame.schema
    assert grid.rows() == expected.rows()
    assert any(grid.is_numeric(j) for j in range(grid.width))
