"""Page views (analytics.views): screen = Excel by construction, every message in the
catalogue in both languages, a number shown twice is the same number (tiny warehouse)."""

from __future__ import annotations

import io
import math
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from analytics.db import connect
from analytics.kpi import case_period, network_regions
from analytics.messages import MESSAGES, missing_or_untranslated, msg
from analytics.regions import region_presets
from analytics.views.automotive import automotive_view
from analytics.views.exchange import exchange_view
from analytics.views.flows import flows_view
from analytics.views.funding import funding_view
from analytics.views.model import Table, View, ViewFilters
from analytics.views.overview import overview_view
from analytics.views.regions import regions_view
from analytics.views.rollout import rollout_view
from analytics.views.trends import trends_view
from analytics.views.workbook import view_workbook

BUILDERS = {
    "overview": overview_view,
    "exchange": exchange_view,
    "rollout": rollout_view,
    "trends": trends_view,
    "regions": regions_view,
    "automotive": automotive_view,
    "flows": flows_view,
    "funding": funding_view,
}
QUARTERS = ("Q2 2026", "Q3 2026")
# BA figures: withheld in the BA's own files ("*" there), for every role
BA_TABLES = {
    "labour_market",
    "svb",
    "index",
    "ranking",
    "kreise",
    "compare",
    "top_unemployed",
    "top_vacancies",
}
BA_PAGES = {"regions", "automotive"}  # pages of BA figures only (their metrics too)


@pytest.fixture(scope="module")
def views(tiny_dir) -> list[View]:
    """Every view builder × every region preset and one custom selection × two quarters ×
    both languages × protected (ministry, social partners) and unprotected (agency)."""
    from tests.conftest import make_settings

    settings = make_settings(tiny_dir)
    con = connect(settings.warehouse_path)
    try:
        presets = [(p.key, p.label_de, p.ags) for p in region_presets(con, network_regions(con, settings))]
        presets.append(("custom", "Hildesheim, Bremen", ("03254", "04011")))
        until = case_period(con)[1]
        out = []
        for builder in BUILDERS.values():
            for key, label, ags in presets:
                for quarter in QUARTERS:
                    for lang in ("de", "en"):
                        for role, protected in ROLE_PROTECTION:
                            filters = ViewFilters(
                                key, label, tuple(ags), quarter, lang, protected, until, role=role
                            )
                            out.append(builder(con, settings, filters))
        return out
    finally:
        con.close()


# every role sees protected values; only the agency may switch disclosure control off
ROLE_PROTECTION = (("agency", False), ("ministry", True), ("social_partner", True))


def test_matrix_covers_every_preset(views):
    assert {v.page for v in views} == set(BUILDERS)
    assert len(views) == len(BUILDERS) * 7 * len(QUARTERS) * 2 * len(ROLE_PROTECTION)


def sheet_rows(ws, table: Table, lang: str) -> tuple[list[str], list[list[object]]]:
    first = table.columns[0].label
    first = first if isinstance(first, str) else first.text(lang)
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == first)
    headers = [ws.cell(header_row, j + 1).value for j in range(len(table.columns))]
    rows = [
        [ws.cell(header_row + 1 + i, j + 1).value for j in range(len(table.columns))]
        for i in range(table.frame.height)
    ]
    return headers, rows


def same(cell: object, value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return cell is None
    if isinstance(value, float):
        return isinstance(cell, int | float) and math.isclose(cell, value, rel_tol=1e-9)
    if isinstance(value, date) and isinstance(cell, datetime):  # Excel keeps dates as date-times
        return cell == datetime(value.year, value.month, value.day)
    return cell == value


def test_excel_cells_equal_the_view_tables(views):
    """Each table of each view is one sheet whose header and cells equal the view's values;
    a withheld cell is "*" there as on screen."""
    for view in views:
        workbook = load_workbook(io.BytesIO(view_workbook(view)))
        tables = view.tables()
        assert len(workbook.sheetnames) == len(tables) + bool(view.definitions)
        for ws, table in zip(workbook.worksheets, tables, strict=False):
            headers, rows = sheet_rows(ws, table, view.lang)
            assert headers == [view.text(c.label) for c in table.columns]
            screen = table.cell_texts(view.lang)
            for i, row in enumerate(rows):
                for j, column in enumerate(table.columns):
                    withheld = table.suppressed(column.key)[i]
                    value = table.frame[column.key][i]
                    if withheld:
                        assert row[j] == "*" and screen[i][j] == "*", (view.page, table.key, i, column.key)
                    else:
                        assert same(row[j], value), (view.page, table.key, i, column.key, row[j], value)
                        assert screen[i][j] != "*"
        if view.demo:
            assert all(any("DEMO" in str(c.value) for c in ws["A"][:4]) for ws in workbook.worksheets)


def test_every_view_export_has_print_setup_and_whole_labels(views):
    """Every sheet of every view's workbook prints A4 landscape, fit to the page width, with
    its header row repeated on each page; a text longer than its column wraps (not cut)."""
    for view in views[:: len(ROLE_PROTECTION) * 2]:  # one language and role per combination
        workbook = load_workbook(io.BytesIO(view_workbook(view)))
        for ws, table in zip(workbook.worksheets, view.tables(), strict=False):
            assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), (view.page, ws.title)
            assert ws.page_setup.orientation == "landscape"
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
            assert ws.page_setup.fitToHeight == 0
            header_row = next(
                r for r in range(1, 20) if ws.cell(r, 1).value == view.text(table.columns[0].label)
            )
            assert ws.print_title_rows == f"${header_row}:${header_row}", (view.page, ws.title)
            for row in ws.iter_rows(min_row=header_row + 1):
                for cell in row:
                    if isinstance(cell.value, str):
                        width = ws.column_dimensions[cell.column_letter].width
                        assert len(cell.value) <= width or cell.alignment.wrap_text, (view.page, cell.value)


def test_metrics_equal_the_kpi_table(views):
    """A KPI card and its row in the table (screen and Excel) are the same number."""
    for view in [v for v in views if v.page == "overview"]:
        table = view.table("kpis")
        by_key = {r["key"]: r for r in table.frame.iter_rows(named=True)}
        for metric in view.metrics():
            row = by_key[metric.key]
            assert metric.suppressed == row["value__suppressed"]
            assert metric.value == row["value"]
            assert metric.delta_suppressed == row["change__suppressed"]


def test_views_show_no_suppression_to_the_agency_and_withhold_for_others(views):
    """The tiny warehouse has counts of 1–2 persons: protected views withhold cells, the
    agency's (unprotected) views none."""
    withheld = {True: 0, False: 0}
    network_measures = {msg(m, lang) for m in ("entries", "transitions") for lang in ("de", "en")}
    for view in views:
        flags = []
        for table in view.tables():
            if table.key in BA_TABLES:
                continue  # cells the BA itself withholds ("*" in its files) are withheld for everyone
            rows = range(table.frame.height)
            if table.key == "yoy":
                rows = [i for i in rows if table.frame["measure"][i] in network_measures]
            flags += [table.suppressed(c.key)[i] for c in table.columns for i in rows]
        if view.page not in BA_PAGES:
            flags += [m.suppressed for m in view.metrics()]
        withheld[view.protected] += sum(flags)
    assert withheld[False] == 0
    assert withheld[True] > 0


def view_text(view: View) -> str:
    """Everything a view shows or exports, as one text: tables (values and screen texts),
    metrics, notes, charts and maps (their JSON, hover texts included)."""
    from analytics.views.model import Chart, Map, Note

    parts: list[str] = [str(view.text(view.title))]
    for block in view.blocks:
        if isinstance(block, Table):
            parts.append(block.frame.write_csv())
            parts += [cell for row in block.cell_texts(view.lang) for cell in row]
        elif isinstance(block, Note):
            parts.append(str(view.text(block.text)))
        elif isinstance(block, Chart):
            parts.append(block.figure.to_json())
        elif isinstance(block, Map):
            parts.append(block.deck.to_json())
    parts += [f"{view.text(m.label)} {m.value_text(view.lang)}" for m in view.metrics()]
    return "\n".join(parts)


def test_firm_names_reach_no_view_of_a_role_below_agency(views, tiny_settings):
    """Firm-level data is the agency's (#13, design §6): no firm name of the warehouse is in
    any table, note, chart, map or metric of a ministry or social-partner view, nor in their
    Excel files; the agency's views do show them (so the search below can find a name)."""
    con = connect(tiny_settings.warehouse_path)
    try:
        names = [n for (n,) in con.execute("SELECT name FROM firm").fetchall()]
    finally:
        con.close()
    assert len(names) >= 5
    seen_by_agency: set[str] = set()
    for i, view in enumerate(views):
        role = ROLE_PROTECTION[i % len(ROLE_PROTECTION)][0]  # the fixture's innermost loop
        assert view.protected == (role != "agency") or view.page == "exchange", (i, view.page)
        text = view_text(view)
        if role == "agency":
            seen_by_agency |= {n for n in names if n in text}
            continue
        assert not [n for n in names if n in text], (view.page, role, view.filters)
    assert seen_by_agency == set(names)  # the agency's Automobilwirtschaft lists every firm
    per_builder = len(views) // len(BUILDERS)
    for i, view in enumerate(views):  # the Excel files: each page's first region and quarter
        role = ROLE_PROTECTION[i % len(ROLE_PROTECTION)][0]
        if i % per_builder >= 2 * len(ROLE_PROTECTION) or role == "agency":
            continue
        workbook = load_workbook(io.BytesIO(view_workbook(view)))
        cells = " ".join(str(c.value) for ws in workbook.worksheets for r in ws.iter_rows() for c in r)
        assert not [n for n in names if n in cells], (view.page, i)


def test_every_message_of_every_view_is_in_the_catalogue_in_both_languages(views):
    used: set[str] = set()
    for view in views:
        used |= view.message_ids()
        # every text resolves (a missing id or value raises here)
        for table in view.tables():
            [view.text(c.label) for c in table.columns]
    assert used, "the views use no catalogue ids"
    assert missing_or_untranslated(used) == []


def test_catalogue_is_complete():
    assert missing_or_untranslated() == []
    for message_id in MESSAGES:
        for lang in ("de", "en"):
            assert msg(message_id, lang) if "{" not in MESSAGES[message_id][0] else True


def test_untranslated_message_is_found(monkeypatch):
    monkeypatch.setitem(MESSAGES, "probe.same", ("Kreis", "Kreis"))
    monkeypatch.setitem(MESSAGES, "probe.empty", ("Text", ""))
    assert missing_or_untranslated({"probe.same", "probe.empty", "probe.unknown"}) == [
        "probe.empty: empty",
        "probe.same: English = German",
        "probe.unknown: unknown",
    ]


def test_short_screen_header_keeps_the_full_label_in_excel_and_tooltip():
    import polars as pl

    from analytics.views.model import Column, M, Table

    table = Table(
        "t",
        "T",
        "T",
        (
            Column("a", M("flows.row")),
            Column("b", M("flows.wage_ratio"), "ratio", M("flows.wage_ratio_short")),
        ),
        pl.DataFrame({"a": ["x"], "b": [1.25]}),
    )
    assert table.screen_headers("de") == ["Herkunft", "Lohn neu/alt"]
    assert table.screen_frame("en").columns == ["Origin", "Wage new/old"]
    assert table.screen_help("de") == {"Lohn neu/alt": "Lohnverhältnis (Median neu/alt)"}
    assert table.screen_frame("de").row(0) == ("x", "1,25")


def test_table_parts_show_every_column_on_screen_and_the_sheet_keeps_the_table():
    import polars as pl

    from analytics.views.model import Column, M, Table, TablePart
    from analytics.views.workbook import table_sheet

    columns = (
        Column("name", M("regions.kreis")),
        Column("a", M("regions.unemployed"), "count", M("regions.unemployed"), "small"),
        Column("b", M("regions.vacancies"), "count", M("regions.short_vacancies")),
    )
    frame = pl.DataFrame({"name": ["x", "y"], "a": [1200, None], "b": [3, 4], "a__suppressed": [False, True]})
    table = Table(
        "t", "T", "T", columns, frame, parts=(TablePart("A", ("name", "a")), TablePart(None, ("name", "b")))
    )
    a, b = table.screen_parts("de")
    assert (a.title, a.frame.columns, a.frame.rows()) == (
        "A",
        ["Kreis", "Arbeitslose"],
        [("x", "1.200"), ("y", "*")],
    )
    # a short header equal to the label needs no tooltip
    assert (a.helps, a.widths, a.numeric) == ({}, {"Arbeitslose": "small"}, ("Arbeitslose",))
    assert (b.title, b.frame.columns, b.frame.rows()) == (
        None,
        ["Kreis", "Stellen"],
        [("x", "3"), ("y", "4")],
    )
    assert (b.helps, b.widths) == ({"Stellen": "Gemeldete Stellen"}, {})
    # the Excel sheet is the whole table, once
    assert list(table_sheet(table, "de").frame.columns) == ["name", "a", "b", "a__suppressed"]
    # without parts: one grid of all columns
    whole = Table("t", "T", "T", columns, frame)
    assert [p.frame.columns for p in whole.screen_parts("en")] == [["Kreis", "Unemployed", "Vacancies"]]
    with pytest.raises(ValueError, match="leave out"):
        Table("t", "T", "T", columns, frame, parts=(TablePart(None, ("name", "a")),))
    with pytest.raises(ValueError, match="unknown"):
        Table("t", "T", "T", columns, frame, parts=(TablePart(None, ("name", "a", "b", "c")),))


def test_fitting_per_row_puts_fewer_cards_in_a_row_for_long_labels():
    from analytics.views.model import LABEL_FIT, fitting_per_row

    assert fitting_per_row(["Niedersachsen", "Bremen", "Hildesheim"], most=3) == 3
    assert fitting_per_row(["x" * LABEL_FIT[3], "y"], most=3) == 3
    assert fitting_per_row(["x" * (LABEL_FIT[3] + 1), "y", "z"], most=3) == 2
    assert fitting_per_row(["x" * (LABEL_FIT[2] + 1)], most=4) == 1
    assert fitting_per_row(["short"], most=9) == 4
    # measured at 1280 px: cut on a card of three in a row, whole on one of two
    assert fitting_per_row(["Landkreis Hildesheim (Modellregion)", "Land Niedersachsen"], most=3) == 2
    assert fitting_per_row([], most=1) == 1
