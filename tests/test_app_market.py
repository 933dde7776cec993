"""AppTest: the labour-market pages show what the query layer computes (tiny warehouse)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics import automotive as auto
from analytics import labour_market as lm
from analytics import maps, static_geometry
from analytics.db import connect
from analytics.formatting import fmt_value
from analytics.regional import comparison_areas
from analytics.regions import regions
from tests.conftest import requires_geo

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_lm(settings, kldb: str, period: lm.Period, column: str, unit: str) -> dict[str, str]:
    con = connect(settings.warehouse_path)
    try:
        kreise = lm.supply_demand(con, kldb, period)
        areas = comparison_areas(regions(con), ["03254"], "Landkreis Hildesheim (Modellregion)")
        values = lm.area_values(kreise, areas)
    finally:
        con.close()
    return {
        area.label_de: fmt_value(row[column], unit, "de", row[f"{column}__suppressed"])
        for area, row in zip(areas, values.iter_rows(named=True), strict=True)
    }


def deck_json(at: AppTest) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


def test_regions_page_shows_the_query_layer_values(tiny_settings):
    at = open_page("app_pages/regions.py")
    at.sidebar.selectbox(key="quarter").select("Q3 2026").run()
    # the sidebar quarter's latest month (September 2026), unemployed per vacancy, Hildesheim
    shown = metrics(at)
    assert shown == expected_lm(
        tiny_settings, "TOTAL", lm.Period("month", date(2026, 9, 1)), "ratio", "ratio"
    )
    assert shown["Landkreis Hildesheim (Modellregion)"] == "4,62"  # 1200 / 260
    assert shown["Agentur für Arbeit Hildesheim"] == "3,86"  # 1700 / 440
    assert shown["Land Niedersachsen"] == "3,94"  # 3700 / 940

    at.radio(key="rg_kind").set_value("quarter").run()
    shown = metrics(at)
    assert shown == expected_lm(
        tiny_settings, "TOTAL", lm.Period("quarter", date(2026, 7, 1)), "ratio", "ratio"
    )
    assert shown["Landkreis Hildesheim (Modellregion)"] == "5,00"
    assert any("Durchschnitt der drei Monatswerte" in c.value for c in at.caption)

    at.selectbox(key="rg_kldb").set_value("25").run()
    assert metrics(at)["Landkreis Hildesheim (Modellregion)"] == "1,86"  # 130 / 70
    assert metrics(at)["Agentur für Arbeit Hildesheim"] == "*"  # Peine's 252 is withheld

    at.selectbox(key="rg_kldb").set_value("TOTAL").run()
    at.selectbox(key="rg_indicator").set_value("unemployed").run()
    at.radio(key="rg_view").set_value("change_pct").run()
    assert metrics(at) == expected_lm(
        tiny_settings, "TOTAL", lm.Period("quarter", date(2026, 7, 1)), "unemployed_change_pct", "share"
    )
    assert metrics(at)["Landkreis Hildesheim (Modellregion)"] == "10,0\u00a0%"


def test_regions_ranking_map_and_detail(tiny_settings):
    at = open_page("app_pages/regions.py")
    at.sidebar.selectbox(key="quarter").select("Q3 2026").run()
    at.radio(key="rg_kind").set_value("quarter").run()
    ranking = at.dataframe[0].value
    assert ranking["Kreis"].head(4).to_list() == ["Hildesheim", "Region Hannover", "Peine", "Bremen"]
    ratio = ranking["Arbeitslose je gemeldete Arbeitsstelle"]
    assert ratio.head(4).to_list() == ["5,00", "4,00", "2,78", "*"]
    deck = deck_json(at)
    assert "mapStyle" not in deck or deck["mapStyle"] == "__MAP_STYLE__"  # no internet basemap
    # the shapes: the app's static file by URL; colours and hover texts per polygon in the rows
    layer = deck["layers"][0]
    rows = maps.decoded_rows(layer["dataTransform"])
    assert len(rows) == len(static_geometry.read(layer["data"])) > 0
    tip = next(tip for _part, tip, _fill in rows if tip.startswith("Hildesheim\n"))
    assert tip.splitlines() == [
        "Hildesheim",
        "Arbeitslose je gemeldete Arbeitsstelle: 5,00",
        "Arbeitslose: 1.100",
        "Gemeldete Stellen: 220",
        "Landeswert: 4,00",
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "© GeoBasis-DE / BKG 2021 (Daten verändert)" in captions
    assert "Statistik der Bundesagentur für Arbeit" in captions
    legend = " ".join(m.value for m in at.markdown)
    assert "gesperrt" in legend
    # detail panel: the Kreis's groups with the largest surplus, with the Land's figures (HTML
    # tables, whose group titles wrap)
    unemployed_side, vacancy_side = at.table[0].value, at.table[1].value
    assert unemployed_side["KldB"].to_list() == ["252"]
    assert vacancy_side["KldB"].to_list() == ["262", "251"]
    assert vacancy_side.iloc[:, -1].to_list() == ["-25", "-30"]  # surplus in Niedersachsen


def test_automotive_page_switches_the_definition(tiny_settings, monkeypatch):
    at = open_page("app_pages/automotive.py")
    assert at.selectbox(key="au_date").value == date(2026, 6, 30)
    shown = metrics(at)
    assert shown["Landkreis Hildesheim (Modellregion)"] == "5,0\u00a0%"
    assert shown["Agentur für Arbeit Hildesheim"] == "6,0\u00a0%"  # 9,000 / 150,000
    con = connect(tiny_settings.warehouse_path)
    kreise = auto.automotive_share(con, ["29"], date(2026, 6, 30))
    con.close()
    ranking = at.dataframe[0].value
    top = kreise.sort("share", descending=True, nulls_last=True).row(0, named=True)
    assert ranking["Kreis"][0] == top["name"] == "Peine"
    assert ranking["Anteil an allen SvB"][0] == fmt_value(top["share"], "share")
    assert "WZ 29 Herstellung von Kraftwagen" in " ".join(c.value for c in at.caption)

    at.radio(key="au_scope").set_value("extended").run()
    shown = metrics(at)
    assert shown["Landkreis Hildesheim (Modellregion)"] == "10,0\u00a0%"
    assert shown["Agentur für Arbeit Hildesheim"] == "*"  # Peine's WZ 24 is withheld
    assert "Zulieferer WZ 22" in " ".join(c.value for c in at.caption)
    # firm-level data is for the agency only (#13): the ministry's map has no firm points
    assert [layer["@@type"] for layer in deck_json(at)["layers"]] == ["PolygonLayer"]
    monkeypatch.setenv("COCKPIT_TEST_ROLE", "agency")
    at = open_page("app_pages/automotive.py")
    deck = deck_json(at)
    assert [layer["@@type"] for layer in deck["layers"]] == ["PolygonLayer", "ScatterplotLayer"]
    assert len(deck["layers"][1]["data"]) == 5  # the five firms of the tiny data


def test_trends_page_year_on_year_and_index(tiny_settings):
    at = open_page("app_pages/trends.py")
    assert not at.exception
    at.sidebar.selectbox(key="quarter").select("Q3 2026").run()
    # the year-on-year table is HTML (st.table), whose long measures and areas wrap
    yoy = at.table[-1].value
    unemployed = yoy[yoy["Kennzahl"] == "Arbeitslose"]
    assert unemployed["Quartal"].to_list() == ["Q3 2026"] * 3
    assert unemployed["Wert"].to_list() == ["1.100", "1.600", "3.600"]
    assert unemployed["Veränderung"].to_list() == ["100", "200", "200"]
    assert unemployed["Veränderung %"].to_list() == ["10,0\u00a0%", "14,3\u00a0%", "5,9\u00a0%"]
    svb = yoy[yoy["Kennzahl"].str.startswith("SvB")]
    assert svb["Wert"].to_list() == ["5.000", "9.000", "29.000"]
    captions = " ".join(c.value for c in at.caption)
    assert "Index im Q3 2026" in captions and "110,0" in captions  # 1100 / 1000 * 100

    at.selectbox(key="tr_sector").set_value("extended").run()
    yoy = at.table[-1].value
    # st.table reads Markdown: the withheld "*" arrives escaped (the browser shows "*")
    assert yoy[yoy["Kennzahl"].str.startswith("SvB")]["Wert"].to_list() == ["10.000", "\\*", "\\*"]
    at.selectbox(key="tr_kldb").set_value("25").run()
    yoy = at.table[-1].value
    assert yoy[yoy["Kennzahl"] == "Arbeitslose"]["Wert"].to_list()[0] == "130"
    assert len(at.get("plotly_chart")) == 4


@pytest.mark.parametrize("page", ["app_pages/regions.py", "app_pages/automotive.py", "app_pages/trends.py"])
def test_pages_in_english(tiny_settings, page):
    at = open_page(page)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.split(":")[0] in {"Regions", "Automotive", "Trends"}


@requires_geo
@pytest.mark.parametrize("page", ["app_pages/regions.py", "app_pages/automotive.py", "app_pages/trends.py"])
@pytest.mark.parametrize("preset", ["hildesheim", "agentur", "network", "land_03", "land_04", "all"])
def test_pages_on_the_demo_data(demo_settings, page, preset):
    at = open_page(page)
    at.sidebar.selectbox(key="region_preset").select(preset).run()
    assert not at.exception, [e.value for e in at.exception]
    if page != "app_pages/trends.py":
        assert len(at.get("deck_gl_json_chart")) == 1


def test_selection_over_both_lands_is_summed_and_says_so(tiny_settings):
    at = open_page("app_pages/regions.py")
    at.sidebar.selectbox(key="region_preset").select("custom").run()
    at.sidebar.multiselect(key="region_custom").set_value(["03254", "04011"]).run()
    assert not at.exception
    labels = list(metrics(at))
    assert labels[-1] == "Länder Niedersachsen + Bremen"
    assert any("zusammengezählt" in c.value for c in at.caption)


def test_map_pages_without_geometry_say_how_to_get_it(tiny_settings, tmp_path):
    """A warehouse without region_geometry: the map pages still render and name the command."""
    import duckdb

    from tests.conftest import make_settings

    target = tmp_path / "nogeo" / "warehouse.duckdb"
    target.parent.mkdir()
    target.write_bytes(tiny_settings.warehouse_path.read_bytes())
    con = duckdb.connect(str(target))
    con.execute("DELETE FROM region_geometry")
    con.close()
    make_settings(target.parent)
    for page in ("app_pages/regions.py", "app_pages/automotive.py", "app_pages/flows.py"):
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.switch_page(page).run()
        if page.endswith("flows.py"):  # Hildesheim's Q2 is withheld: the network's Q3 has arcs
            at.sidebar.selectbox(key="region_preset").select("network").run()
            at.sidebar.selectbox(key="quarter").select("Q3 2026").run()
        assert not at.exception, page
        assert any("python -m pipelines geo" in i.value for i in at.info), page


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/overview.py",
        "app_pages/flows.py",
        "app_pages/funding.py",
        "app_pages/regions.py",
        "app_pages/automotive.py",
        "app_pages/trends.py",
    ],
)
def test_suppression_legend_is_escaped_markdown(tiny_settings, page):
    """ "* = …" at the start of a caption would render as a bullet: the star is escaped."""
    at = open_page(page)
    legends = [
        c.value for c in at.caption if "= aus Datenschutzgründen" in c.value or "= von der BA" in c.value
    ]
    assert legends, [c.value for c in at.caption]
    for legend in legends:
        assert not legend.lstrip().startswith("* "), legend
        assert "\\*" in legend, legend


def test_the_sidebar_quarter_drives_the_market_pages(tiny_settings):
    """The tiny BA data have September 2025 and July–September 2026. Q3 2026 selected: the
    Regionen months are those of Q3; Q2 2026 selected: no month of Q2 exists, so the latest
    before it is shown and the page says so; never a month after the quarter."""
    at = open_page("app_pages/regions.py")
    at.sidebar.selectbox(key="quarter").select("Q3 2026").run()
    assert at.selectbox(key="rg_period_month").options == ["September 2026", "August 2026", "Juli 2026"]
    at.sidebar.selectbox(key="quarter").select("Q2 2026").run()
    assert at.selectbox(key="rg_period_month").options == ["September 2025"]
    assert any("Q2 2026" in i.value and "September 2025" in i.value for i in at.info)
    assert metrics(at) == expected_lm(
        tiny_settings, "TOTAL", lm.Period("month", date(2025, 9, 1)), "ratio", "ratio"
    )
    at = open_page("app_pages/automotive.py")
    at.sidebar.selectbox(key="quarter").select("Q1 2026").run()
    assert at.selectbox(key="au_date").value <= date(2026, 3, 31)
    assert "30.06.2026" not in at.selectbox(key="au_date").options


def test_trends_end_with_the_sidebar_quarter(tiny_settings):
    """Q2 2026 selected: the BA quarters stop before Q3 2026 (no later figure)."""
    at = open_page("app_pages/trends.py")
    assert at.sidebar.selectbox(key="quarter").value == "Q2 2026"
    assert not at.exception
    quarters = [q for df in at.dataframe if "Quartal" in df.value.columns for q in df.value["Quartal"]]
    assert quarters and "Q3 2026" not in " ".join(str(q) for q in quarters)
