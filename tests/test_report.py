"""The quarterly report pack (#16 / text #13): the workbook read back (sheets, cells equal the
views, print setup, cover), the PDF (pages, text, one image per chart and map, BKG note), no
withheld cell readable in either, the role decides what is in it; the CLI's report and export
commands with their exit codes; the export's Frictionless descriptor (tiny warehouse)."""

from __future__ import annotations

import io
import json
import re
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from analytics.db import connect
from analytics.report.pack import ReportError, ReportPack, build_pack, report_filters
from analytics.report.pdf import image_count, map_svg, pack_pdf
from analytics.report.workbook import pack_workbook
from analytics.views.model import MetricGrid, Table
from pipelines.cli import app
from tests.conftest import make_settings
from tests.test_views import same

SHEETS_DE = [
    "Deckblatt",
    "Übersicht",
    "Förderung",
    "Branchen & Übergänge",
    "Regionen",
    "Automobilwirtschaft",
    "Trends",
    "Drehscheibe",
    "Rollout",
    "Definitionen",
    "Quellen",
]
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed")


def _pack(tiny_dir: Path, role: str = "ministry", protected: bool = True, lang: str = "de") -> ReportPack:
    settings = make_settings(tiny_dir)
    con = connect(settings.warehouse_path)
    try:
        filters = report_filters(con, settings, "2026-Q3", "network", lang, role, protected)
        return build_pack(con, settings, filters)
    finally:
        con.close()


@pytest.fixture(scope="module")
def pack(tiny_dir) -> ReportPack:
    return _pack(tiny_dir)


@pytest.fixture(scope="module")
def agency_pack(tiny_dir) -> ReportPack:
    """The same report without disclosure control: the true values behind every "*"."""
    return _pack(tiny_dir, "agency", protected=False)


@pytest.fixture(scope="module")
def workbook(pack):
    return load_workbook(io.BytesIO(pack_workbook(pack)))


@pytest.fixture(scope="module")
def pdf_text(pack) -> tuple[PdfReader, str]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed")
    reader = PdfReader(io.BytesIO(pack_pdf(pack, CHROMIUM)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # "ﬁ" ligatures


def section_tables(ws, tables: list[Table], lang: str):
    """(table, its header row) in sheet order: each table's title row, then its header."""
    out, row = [], 1
    for table in tables:
        title = table.title if isinstance(table.title, str) else table.title.text(lang)
        first = table.columns[0].label
        first = first if isinstance(first, str) else first.text(lang)
        while not (ws.cell(row, 1).value == title and ws.cell(row + 1, 1).value == first):
            row += 1
            assert row < ws.max_row + 2, (ws.title, table.key)
        out.append((table, row + 1))
        row += 2
    return out


# --- workbook -----------------------------------------------------------------------------------


def test_the_pack_has_every_section_of_the_role_in_report_order(pack):
    assert [s.key for s in pack.sections] == [
        "overview",
        "funding",
        "flows",
        "regions",
        "automotive",
        "trends",
        "exchange",
        "rollout",
    ]
    # the tiny network of the rollout plan: Goslar (wave 3, since 01.09.2026), Hildesheim, Peine
    assert pack.filters.ags == ("03153", "03157", "03254")
    assert pack.filters.role == "ministry" and pack.protected


def test_workbook_sheets_cover_sections_definitions_sources(workbook):
    assert workbook.sheetnames == SHEETS_DE


def test_section_cells_equal_the_views(pack, workbook):
    """Every table of every section's view is on its sheet: header and cells equal the view's
    values, "*" where the view withholds; metric cards as rows (label, value, change)."""
    checked = 0
    for section, ws in zip(pack.sections, workbook.worksheets[1:], strict=False):
        view = section.view
        for table, header in section_tables(ws, view.tables(), "de"):
            assert [ws.cell(header, j + 1).value for j in range(len(table.columns))] == [
                view.text(c.label) for c in table.columns
            ]
            for i in range(table.frame.height):
                for j, column in enumerate(table.columns):
                    cell = ws.cell(header + 1 + i, j + 1).value
                    if table.suppressed(column.key)[i]:
                        assert cell == "*", (view.page, table.key, i, column.key)
                    else:
                        assert same(cell, table.frame[column.key][i]), (view.page, table.key, i, column.key)
                    checked += 1
        grids = [b for b in view.blocks if isinstance(b, MetricGrid)]
        rows = [
            r
            for r in range(1, ws.max_row + 1)
            if (ws.cell(r, 1).value, ws.cell(r, 2).value) == ("Kennzahl", "Wert")
        ]
        assert len(rows) == len(grids), view.page
        for grid, header in zip(grids, rows, strict=True):
            for i, metric in enumerate(grid.metrics, start=1):
                assert ws.cell(header + i, 1).value == view.text(metric.label)
                value = ws.cell(header + i, 2).value
                assert value == "*" if metric.suppressed else same(value, metric.value), metric.key
    assert checked > 500


def test_the_tiny_overview_numbers_on_the_sheet(workbook, agency_pack):
    """Hand-computed from tests/builders.py: Q3 2026 in the network has 4 entries (H, I, J,
    K); 10 entries and 9 transitions since the start (Q1 3, Q2 2, Q3 4). The ministry's sheet
    shows what the one suppression pattern (#12) leaves: Q2's 2 transitions are withheld,
    and with them the since-start sum (else 9 - 3 - 4 gives Q2). The entries since start (10)
    are shown: Q3's 4 are withheld (Peine's 4 in Q3 would give E's 1 from Peine's since-start
    5) and so are Q1's 6 (6 - Hildesheim's 5 = E), two withheld quarters in 10 = 6 + 0 + 4."""

    def rows_of(ws):
        return {
            ws.cell(r, 1).value: [ws.cell(r, j).value for j in range(2, 6)] for r in range(1, ws.max_row + 1)
        }

    truth = rows_of(load_workbook(io.BytesIO(pack_workbook(agency_pack)))["Übersicht"])
    assert truth["Neue Teilnehmende"] == [4, 0, 4, 10]  # Q3, Q2, change, since the start
    assert truth["Summe seit Projektstart"] == [10, 9, 270, 105]
    assert truth["Q1 2026"][1] == 3 and truth["Q2 2026"][1] == 2
    rows = rows_of(workbook["Übersicht"])
    assert rows["Neue Teilnehmende"] == ["*", 0, "*", 10]
    assert rows["Summe seit Projektstart"] == [10, "*", 270, 105]
    assert rows["Q1 2026"][1] == 3 and rows["Q2 2026"][1] == "*"


def test_every_sheet_prints_a4_landscape_fit_to_width_with_titles_and_footer(workbook):
    for ws in workbook.worksheets:
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), ws.title
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title
        assert ws.oddFooter.center.text == "Seite &P von &N", ws.title
        assert "Stand: " in ws.oddFooter.left.text and "15.09.2026" in ws.oddFooter.left.text, ws.title


def test_cover_names_quarter_region_stand_of_every_source_and_the_legend(workbook):
    texts = [str(c.value) for row in workbook["Deckblatt"].iter_rows() for c in row if c.value is not None]
    joined = " | ".join(texts)
    for expected in (
        "Quartalsbericht „Arbeit bewegen!“",
        "Q3 2026",
        "Alle Netzwerkregionen",
        "03157, 03254",
        "Ministerium",
        "September 2026",  # BA unemployed and vacancies up to
        "30.06.2026",  # SvB reference date
        "15.09.2026",  # case data up to
        "© GeoBasis-DE / BKG 2021 (Daten verändert)",
        "* = aus Datenschutzgründen gesperrt",
    ):
        assert expected in joined, expected
    assert "DEMO" not in joined  # the tiny warehouse is no demo data
    assert texts.count("Drehscheibe") == 1  # contents: section → sheet


def test_definitions_and_sources_sheets(pack, workbook):
    terms = [c.value for c in workbook["Definitionen"]["A"][6:]]
    assert "Neue Teilnehmende" in terms and "Nahtlos-Quote" in terms
    sources = workbook["Quellen"]
    titles = [sources.cell(r, 1).value for r in range(7, 7 + len(pack.sections))]
    assert titles == [s.view.text(s.view.title) for s in pack.sections]
    assert sources.cell(7, 3).value == "15.09.2026"  # Übersicht: the case data's Stand


def test_no_withheld_value_is_readable_in_the_workbook(pack, agency_pack, workbook):
    """Every row whose true values (the agency's unprotected view) differ from the published
    row appears nowhere in the workbook; its published form does."""
    rows = {
        tuple(c.value for c in row if c.value is not None)
        for ws in workbook.worksheets
        for row in ws.iter_rows()
    }
    differing = 0
    for protected, true in zip(pack.views(), agency_pack.views(), strict=True):
        true_tables = {t.key: t for t in true.tables()}
        for table in protected.tables():
            shown = table.frame.select(c.key for c in table.columns).rows()
            truth = true_tables[table.key].frame.select(c.key for c in table.columns).rows()
            for i, row in enumerate(shown):
                if not any(table.suppressed(c.key)[i] for c in table.columns) or i >= len(truth):
                    continue
                if truth[i] != row:
                    differing += 1
                    assert tuple(v for v in truth[i] if v is not None) not in rows, (table.key, i)
    assert differing >= 5


def test_the_role_decides_what_is_in_the_report(tiny_dir, workbook):
    """Firm names are for the agency only (design §6): in its report, not in the ministry's."""
    agency = load_workbook(io.BytesIO(pack_workbook(_pack(tiny_dir, "agency"))))

    def firm_cells(book) -> int:
        return sum(
            "Testzulieferer Hildesheim GmbH" in str(c.value)
            for ws in book.worksheets
            for r in ws.iter_rows()
            for c in r
        )

    assert firm_cells(agency) >= 1
    assert firm_cells(workbook) == 0


def test_english_pack(tiny_dir):
    book = load_workbook(io.BytesIO(pack_workbook(_pack(tiny_dir, lang="en"))))
    assert book.sheetnames == [
        "Cover",
        "Overview",
        "Funding",
        "Sectors & transitions",
        "Regions",
        "Automotive",
        "Trends",
        "Exchange",
        "Rollout",
        "Definitions",
        "Sources",
    ]
    assert book["Cover"]["A1"].value == "Quarterly report “Arbeit bewegen!”"
    assert book["Overview"].oddFooter.center.text == "Page &P of &N"


def test_the_same_pack_gives_the_same_bytes(pack):
    assert pack_workbook(pack) == pack_workbook(pack)


def test_wrong_arguments_are_refused(tiny_dir):
    settings = make_settings(tiny_dir)
    con = connect(settings.warehouse_path)
    try:
        for quarter, region, lang in (
            ("2026-Q5", "network", "de"),
            ("2027-Q1", "network", "de"),  # after the data
            ("2026-Q3", "nowhere", "de"),
            ("2026-Q3", "03254,99999", "de"),
            ("2026-Q3", "network", "fr"),
        ):
            with pytest.raises(ReportError):
                report_filters(con, settings, quarter, region, lang)
        custom = report_filters(con, settings, "2026-Q2", "03254,04011", "de")
        assert custom.region_key == "custom" and custom.ags == ("03254", "04011")
    finally:
        con.close()


# --- PDF ----------------------------------------------------------------------------------------


def _deck(pack: ReportPack, section: str):
    view = next(s.view for s in pack.sections if s.key == section)
    return next(b for b in view.blocks if type(b).__name__ == "Map").deck


def test_map_svg_draws_every_kreis(pack):
    svg = map_svg(_deck(pack, "regions"))
    assert svg.count("<polygon") == 4  # the tiny warehouse's four square Kreise
    assert 'fill="rgba(158,158,158' not in svg  # no Kreis withheld on this map: coloured by class


def test_map_svg_draws_arcs_and_dots_of_an_arc_deck(monkeypatch, tmp_path):
    """Two moves between Kreise and one Kreis where people stayed: two arcs, one dot; the
    merged "übrige" link has no place and is not drawn (as on screen)."""
    from analytics.arcs import arc_deck

    def link(source, target, persons, lon=(9.9, 52.1), to=(10.2, 52.3)):
        return {
            "source": source,
            "target": target,
            "persons": persons,
            "source_lon": lon[0],
            "source_lat": lon[1],
            "target_lon": to[0],
            "target_lat": to[1],
        }

    links = pl.DataFrame(
        [
            link("03254", "03157", 4),
            link("03254", "03241", 3, to=(9.7, 52.4)),
            link("03157", "03157", 5, lon=(10.2, 52.3)),
            {**link("_other", "_other", 6), "source_lon": None},
        ]
    )
    from analytics import static_geometry

    # the outlines come from the app's static file, as in the browser
    shape = {"type": "Polygon", "coordinates": [[[9.6, 52.0], [10.3, 52.0], [10.3, 52.5], [9.6, 52.0]]]}
    content, geometry = static_geometry.build(
        pl.DataFrame({"ags": ["03254"], "geojson": [json.dumps(shape)]})
    )
    monkeypatch.setattr(static_geometry, "STATIC_DIR", tmp_path)
    static_geometry.write(content, geometry.file_name)
    svg = map_svg(arc_deck(links, geometry, "de"))
    assert svg.count("<path") == 2 and svg.count("<circle") == 1 and svg.count("<polygon") == 1


@needs_chromium
def test_pdf_pages_text_and_one_image_per_chart(pack, pdf_text):
    reader, text = pdf_text
    # charts and maps of the tiny pack, counted by hand: Übersicht 1 chart, Förderung 1 chart,
    # Regionen 1 map, Automobilwirtschaft 1 map, Trends 4 charts, Drehscheibe 1 chart, Rollout 1
    # score map; Branchen & Übergänge (the quarter Q3: Peine's 4 transitions) 2 Sankeys and
    # the arc map
    assert image_count(pack) == 13
    assert sum(len(page.images) for page in reader.pages) == 13
    assert len(reader.pages) >= len(pack.sections) + 3  # cover, sections, definitions, sources
    for section in pack.sections:
        assert section.view.text(section.view.title) in text
    # under each map: Regionen, Automobilwirtschaft, the arc map, the rollout score map
    assert text.count("Kartengrundlage: © GeoBasis-DE / BKG 2021 (Daten verändert)") == 4
    assert "Inhalt" in text and "Definitionen" in text and "Quellen" in text
    # the contents name the page each section starts on (the cover is page 1)
    assert "1. Übersicht: Wirkung des Netzwerks Seite 2" in text
    pages = [int(p) for p in re.findall(r"\d\. [^.]+? Seite (\d+)", text.split("Inhalt", 1)[1])[:10]]
    assert len(pages) == 10 and pages == sorted(pages) and pages[-1] == len(reader.pages)
    assert "15.09.2026" in text and re.search(r"\d,\d\s%", text)  # German dates and numbers
    assert "Seite 1 von" in text
    # the quarters table, as on screen (10 entries shown, 9 transitions withheld: see
    # test_the_tiny_overview_numbers_on_the_sheet)
    assert "Summe seit Projektstart 10 * 270 105" in text


@needs_chromium
def test_no_withheld_value_is_readable_in_the_pdf(pack, agency_pack, pdf_text):
    """A row with "*" appears in the PDF as published; its true values nowhere."""
    _, text = pdf_text
    found = 0
    for protected, true in zip(pack.views(), agency_pack.views(), strict=True):
        true_tables = {t.key: t for t in true.tables()}
        for table in protected.tables():
            shown = table.cell_texts("de")
            truth = true_tables[table.key].cell_texts("de")
            for i, row in enumerate(shown):
                if "*" not in row or i >= len(truth) or truth[i] == row:
                    continue
                assert " ".join(truth[i]) not in text, (table.key, i)
                found += " ".join(row) in text
    assert found >= 3  # rows short enough not to wrap are found as published


# --- CLI ----------------------------------------------------------------------------------------


def _cli(tiny_dir: Path, *args: str, **env: str):
    make_settings(tiny_dir, **env)
    return CliRunner().invoke(app, list(args))


@needs_chromium
def test_cli_report_writes_excel_and_pdf(tiny_dir, tmp_path):
    out = tmp_path / "bericht"
    result = _cli(
        tiny_dir,
        "report",
        "--quarter",
        "2026-Q3",
        "--region",
        "network",
        "--lang",
        "de",
        "--out",
        str(out),
        "--pdf",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "quartalsbericht_2026-Q3_network_de.pdf",
        "quartalsbericht_2026-Q3_network_de.xlsx",
    ]
    assert load_workbook(out / "quartalsbericht_2026-Q3_network_de.xlsx").sheetnames == SHEETS_DE
    assert len(PdfReader(out / "quartalsbericht_2026-Q3_network_de.pdf").pages) > 5


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--quarter", "2026-Q9"), 2),
        (("--quarter", "2026-Q3", "--region", "atlantis"), 2),
        (("--quarter", "2026-Q3", "--lang", "fr"), 2),
        (("--quarter", "2026-Q3", "--role", "admin"), 2),
        (("--region", "network"), 2),  # --quarter missing
    ],
)
def test_cli_report_usage_errors_exit_2(tiny_dir, tmp_path, args, code):
    result = _cli(tiny_dir, "report", *args, "--out", str(tmp_path / "x"))
    assert result.exit_code == code, result.output
    assert not (tmp_path / "x").exists()


def test_cli_report_without_warehouse_or_chromium_exits_1(tiny_dir, tmp_path):
    make_settings(tmp_path / "empty")
    result = CliRunner().invoke(app, ["report", "--quarter", "2026-Q3", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1, result.output
    result = _cli(
        tiny_dir,
        "report",
        "--quarter",
        "2026-Q3",
        "--out",
        str(tmp_path / "y"),
        "--pdf",
        COCKPIT_CHROMIUM_PATH=str(tmp_path / "no-chromium"),
    )
    assert result.exit_code == 1, result.output
    assert "chromium" in result.output
    assert (tmp_path / "y" / "quartalsbericht_2026-Q3_network_de.xlsx").exists()  # the Excel is written


# --- export -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def export_csv(tiny_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "csv"
    result = _cli(
        tiny_dir,
        "export",
        "--out",
        str(out),
        "--format",
        "csv",
        "--quarter",
        "2026-Q3",
        "--region",
        "network",
    )
    assert result.exit_code == 0, result.output
    return out


def test_export_descriptor_describes_every_column(export_csv, pack):
    descriptor = json.loads((export_csv / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    expected = {f"{v.page}_{t.key}" for v in pack.views() for t in v.tables()}
    assert set(resources) == expected
    for resource in resources.values():
        frame = pl.read_csv(export_csv / resource["path"], infer_schema=False)
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert names == frame.columns, resource["name"]
        assert resource["stand"] and resource["sources"][0]["title"]
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"integer", "number", "string", "boolean", "date", "datetime"}
            assert field["title"] and field["description"] and field["source"] and field["stand"]
            if not field["name"].endswith("__suppressed") and field["name"] != "row_unit":
                assert field["unit"], field
    terms = {d["term"]: d["definition"] for d in descriptor["definitions"]}
    assert terms["Nahtlos-Quote"].startswith("Nahtlose Übergänge")
    kpis = {f["name"]: f for f in resources["overview_kpis"]["schema"]["fields"]}
    assert kpis["value"]["unit"] == "row" and "row_unit" in kpis
    assert "Einheit: je Zeile" in kpis["value"]["description"]
    assert kpis["cumulative"]["source"].startswith("Falldaten des Netzwerks")


def test_export_is_disclosure_controlled_and_has_no_case_rows(export_csv, pack):
    quarters = pl.read_csv(export_csv / "overview_quarters.csv")
    assert quarters.columns == [
        "quarter",
        "entries",
        "entries__suppressed",
        "transitions",
        "transitions__suppressed",
        "target_entries",
        "target_transitions",
    ]
    q1 = quarters.filter(pl.col("quarter") == "Q1 2026").row(0, named=True)
    assert q1["transitions"] == 3 and q1["transitions__suppressed"] is False
    q2 = quarters.filter(pl.col("quarter") == "Q2 2026").row(0, named=True)
    assert q2["transitions"] is None and q2["transitions__suppressed"] is True  # "*" on screen
    total = quarters.filter(pl.col("quarter") == "Summe seit Projektstart").row(0, named=True)
    assert total["transitions"] is None and total["transitions__suppressed"] is True
    names = " ".join(p.name for p in export_csv.iterdir())
    assert "participant" not in names and "case_event" not in names
    for path in export_csv.glob("*.csv"):
        assert "case_id" not in pl.read_csv(path, infer_schema=False).columns


def test_export_validates_as_a_frictionless_data_package(export_csv):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(export_csv / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_export_parquet_types_match_the_descriptor(tiny_dir, tmp_path):
    result = _cli(tiny_dir, "export", "--out", str(tmp_path), "--quarter", "2026-Q3", "--region", "network")
    assert result.exit_code == 0, result.output
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    kinds = {"integer": "is_integer", "number": "is_float", "boolean": None, "date": None, "string": None}
    for resource in descriptor["resources"]:
        frame = pl.read_parquet(tmp_path / resource["path"])
        for field in resource["schema"]["fields"]:
            dtype = frame.schema[field["name"]]
            check = kinds.get(field["type"])
            if check:
                assert getattr(dtype, check)(), (resource["name"], field["name"], dtype)
            elif field["type"] == "boolean":
                assert dtype == pl.Boolean
            elif field["type"] == "string":
                assert dtype == pl.String


def test_cli_export_wrong_format_exits_2(tiny_dir, tmp_path):
    assert _cli(tiny_dir, "export", "--out", str(tmp_path), "--format", "xlsx").exit_code == 2


# --- the page -----------------------------------------------------------------------------------


def test_overview_builds_the_report_only_when_asked(tiny_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    built = []
    import analytics.report.pack as pack_module

    original = pack_module.build_pack
    monkeypatch.setattr(
        "app_pages.render.build_pack", lambda *a, **k: built.append(1) or original(*a, **k), raising=True
    )
    make_settings(tiny_dir, COCKPIT_CHROMIUM_PATH="/nonexistent/chromium")  # the Excel alone
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    assert built == []  # nothing built on a plain page run
    at.button(key="report_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert built == [1]
    assert any("Bericht erstellt: 8 Abschnitte." in c.value for c in at.caption)
    labels = [d.proto.label for d in at.get("download_button")]
    assert "Bericht als Excel herunterladen" in labels
    assert "Bericht als PDF herunterladen" not in labels
    assert any("PDF konnte nicht erstellt werden" in w.value for w in at.warning)
    at.run()  # a rerun keeps the built files without building again
    assert built == [1]
    assert "Bericht als Excel herunterladen" in [d.proto.label for d in at.get("download_button")]


def test_cli_report_latest_quarter_and_skip_existing(tiny_dir, tmp_path):
    """The tiny case data end on 15.09.2026: the latest complete quarter is Q2 2026."""
    result = _cli(tiny_dir, "report", "--quarter", "latest", "--region", "hildesheim", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    written = tmp_path / "quartalsbericht_2026-Q2_hildesheim_de.xlsx"
    assert [p.name for p in tmp_path.iterdir()] == [written.name]
    before = written.stat().st_mtime_ns
    again = _cli(
        tiny_dir,
        "report",
        "--quarter",
        "latest",
        "--region",
        "hildesheim",
        "--out",
        str(tmp_path),
        "--skip-existing",
    )
    assert again.exit_code == 0, again.output
    assert "already there" in again.output and written.stat().st_mtime_ns == before


def test_demo_data_carry_the_demo_mark_on_every_sheet(demo_settings):
    con = connect(demo_settings.warehouse_path)
    try:
        pack = build_pack(
            con, demo_settings, report_filters(con, demo_settings, "2026-Q3", "network", "de", "ministry")
        )
    finally:
        con.close()
    assert pack.demo
    book = load_workbook(io.BytesIO(pack_workbook(pack)))
    assert book.sheetnames == SHEETS_DE
    for ws in book.worksheets:
        assert ws["A2"].value == "DEMO-DATEN – alle Zahlen und Firmen sind fiktiv", ws.title


def test_map_svg_colours_the_static_kreis_shapes_like_the_browser(monkeypatch, tmp_path):
    """A choropleth's shapes are in the app's static file and its colours in the layer's
    rows (maps.choropleth_rows): the PDF draws each polygon in its row's colour."""
    from analytics import maps, static_geometry
    from analytics.report.pdf import map_svg

    square = {"type": "Polygon", "coordinates": [[[9.0, 52.0], [9.1, 52.0], [9.1, 52.1], [9.0, 52.0]]]}
    two = {
        "type": "MultiPolygon",
        "coordinates": [[[[9.2, 52.0], [9.3, 52.0], [9.3, 52.1], [9.2, 52.0]]]] * 2,
    }
    frame = pl.DataFrame({"ags": ["03157", "03254"], "geojson": [json.dumps(square), json.dumps(two)]})
    content, geometry = static_geometry.build(frame)
    monkeypatch.setattr(static_geometry, "STATIC_DIR", tmp_path)
    static_geometry.write(content, geometry.file_name)
    layer = maps.choropleth_layer(geometry, pl.DataFrame({"ags": ["03254"]}), ["#000000"], ["Hildesheim"])
    svg = map_svg(maps.deck([layer]))
    assert svg.count("<polygon") == 3
    assert svg.count('fill="rgba(0,0,0,0.863)"') == 2  # Hildesheim's two parts, alpha 220
    assert svg.count('fill="rgba(240,240,240,0.863)"') == 1  # Peine: no data (#f0f0f0)
