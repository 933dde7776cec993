"""Map builders: classed colour scales, legends, hover texts, decks without basemap."""

from __future__ import annotations

import hashlib
import json

import polars as pl
import pytest

from analytics import maps
from analytics.formatting import fmt_number
from analytics.static_geometry import KreisGeometry


def test_sequential_quintiles():
    scale = maps.colour_scale([1, 2, 3, 4, 5, 6, None], "sequential")
    # quantiles 0.2 .. 0.8 of 1..6 (linear interpolation): 2, 3, 4, 5
    assert scale.breaks == (2.0, 3.0, 4.0, 5.0)
    assert scale.colour(1) == maps.VIRIDIS[0] and scale.colour(6) == maps.VIRIDIS[-1]
    assert scale.colour(None) == maps.MISSING_COLOUR
    assert scale.colour(None, withheld=True) == maps.WITHHELD_COLOUR
    labels = [label for label, _ in scale.legend(lambda v: fmt_number(v, "de", 1))]
    assert labels[:2] == ["< 2,0", "2,0 – < 3,0"] and labels[4] == "≥ 5,0"
    assert labels[-2].startswith("* gesperrt") and labels[-1] == "keine Daten"


def test_sequential_with_equal_values_has_fewer_classes():
    scale = maps.colour_scale([3, 3, 3, 3], "sequential")
    assert scale.breaks == () and len(scale.colours) == 1


def test_diverging_is_symmetric_around_the_centre():
    scale = maps.colour_scale([1, 2, 4, 5, 7, 10], "diverging", centre=4.0)
    # distances 3, 2, 0, 1, 3, 6 -> sorted 0, 1, 2, 3, 3, 6; terciles 5/3 and 3
    near, far = 5 / 3, 3.0
    assert scale.breaks == pytest.approx((4 - far, 4 - near, 4, 4 + near, 4 + far))
    assert scale.colour(0.5) == maps.DIVERGING[0]  # far below
    assert scale.colour(1) == maps.DIVERGING[1]  # a bound belongs to the class above it
    assert scale.colour(3.9) == maps.DIVERGING[2]  # just below
    assert scale.colour(4.1) == maps.DIVERGING[3]  # just above
    assert scale.colour(10) == maps.DIVERGING[5]
    with pytest.raises(ValueError):
        maps.colour_scale([1], "rainbow")


def _geometry(owners: tuple[str, ...]) -> KreisGeometry:
    return KreisGeometry(
        "app/static/geo/kreise-0123456789abcdef.json", owners, "kreise-0123456789abcdef.json"
    )


def test_tooltips_and_choropleth_rows_without_shapes():
    frame = pl.DataFrame(
        {
            "ags": ["03254", "03157"],
            "name": ["Hildesheim", "Peine"],
            "ratio": [5.0, None],
            "ratio__suppressed": [False, True],
        }
    )
    tips = maps.tooltip_texts(frame, "name", [maps.TipLine("Quote", "ratio", "ratio")], "de")
    assert tips == ["Hildesheim\nQuote: 5,00", "Peine\nQuote: *"]
    # polygons in the static file: Peine, Hildesheim (two parts), a Kreis without data
    geometry = _geometry(("03157", "03254", "03254", "03241"))
    layer = maps.choropleth_layer(geometry, frame, ["#000000", "#ffffff"], tips)
    built = maps.deck([layer])
    deck = json.loads(built.to_json())
    assert deck.get("mapStyle", "__MAP_STYLE__") == "__MAP_STYLE__"  # no tiles requested
    assert built._tooltip["text"] == "{1}"  # Streamlit hands it to deck.gl beside the JSON
    spec = deck["layers"][0]
    assert spec["data"] == geometry.url and "coordinates" not in json.dumps(deck)
    assert spec["getPolygon"] == "@@=this[0]" and spec["getFillColor"] == "@@=this[2]"
    assert maps.decoded_rows(spec["dataTransform"]) == [
        (0, "Peine\nQuote: *", [255, 255, 255, 220]),
        (1, "Hildesheim\nQuote: 5,00", [0, 0, 0, 220]),
        (2, "Hildesheim\nQuote: 5,00", [0, 0, 0, 220]),
        (3, "03241: –", maps.rgba(maps.MISSING_COLOUR)),  # Kreis without data
    ]
    # other colours: another layer id (deck.gl applies the new rows); the same: the same id
    again = maps.choropleth_layer(geometry, frame, ["#000000", "#ffffff"], tips)
    recoloured = maps.choropleth_layer(geometry, frame, ["#ffffff", "#ffffff"], tips)
    assert again.id == layer.id != recoloured.id


def test_hover_texts_survive_the_expression_syntax():
    text = 'Kreis "A"\\B\nWert: 1,5 %\täöü'
    literal = maps.js_string(text)
    assert literal == '"Kreis \\"A\\"\\\\B\\nWert: 1,5 %äöü"'  # tab dropped, no \\u escapes
    rows = maps.decoded_rows(f"@@=[[this[7],{literal},[1,2,3,4]]]")
    assert rows == [(7, 'Kreis "A"\\B\nWert: 1,5 %äöü', [1, 2, 3, 4])]


def test_legend_html_escapes_labels():
    html = maps.legend_html("Legende", [("<b>", "#000000")])
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_firm_points_colour_and_tooltip_per_firm():
    firms = pl.DataFrame(
        {
            "name": ["Zulieferer A", "Werk B"],
            "role": ["releasing", "both"],
            "wz": ["29", "28"],
            "wz_title_de": ["Kraftwagen", None],
            "ags": ["03254", "03101"],
            "kreis": ["Hildesheim", None],
            "lon": [9.95, 10.52],
            "lat": [52.15, 52.27],
        }
    )
    labels = {"releasing": "abgebend", "receiving": "aufnehmend", "both": "beides"}
    points = maps.firm_points(firms, labels, "WZ", "wz_title_de")
    assert points.columns == ["lon", "lat", "colour", "tip"]
    assert points["colour"].to_list() == [[213, 94, 0, 255], [204, 121, 167, 255]]  # D55E00, CC79A7
    assert points["tip"].to_list() == [
        "Zulieferer A\nabgebend\nWZ 29: Kraftwagen\nHildesheim",
        "Werk B\nbeides\nWZ 28: –\n03101",
    ]


def test_decks_name_no_basemap_provider_or_style():
    """The JSON Streamlit draws from: no provider and pydeck's default-style sentinel, which
    Streamlit removes without fetching its theme's Carto style (as it does for a missing
    style or ``map_style=None``)."""
    from analytics.arcs import arc_deck

    links = pl.DataFrame(
        {
            "source": ["03254"],
            "target": ["03241"],
            "source_label": ["Hildesheim"],
            "target_label": ["Region Hannover"],
            "persons": [4],
            "merged": [1],
            "source_lon": [9.9],
            "source_lat": [52.1],
            "target_lon": [9.7],
            "target_lat": [52.4],
        }
    )
    for built in (maps.deck([]), arc_deck(links, None, "de"), arc_deck(links, _geometry(("03254",)), "de")):
        spec = json.loads(built.to_json())
        assert "mapProvider" not in spec
        assert spec.get("mapStyle") == "__MAP_STYLE__"


def test_static_file_rounds_coordinates_splits_parts_and_is_named_by_content(tmp_path):
    from analytics import static_geometry

    ring = [[9.123456, 52.1], [9.123461, 52.1], [9.2, 52.2], [9.3, 52.1], [9.123456, 52.1]]
    multi = {"type": "MultiPolygon", "coordinates": [[ring], [ring]]}
    frame = pl.DataFrame(
        {
            "ags": ["03157", "03254"],
            "geojson": [json.dumps({"type": "Polygon", "coordinates": [ring]}), json.dumps(multi)],
        }
    )
    content, geometry = static_geometry.build(frame)
    # 9.123456 and 9.123461 both round to 9.1235: the repeated point goes, the ring stays closed
    rounded = [[[9.1235, 52.1], [9.2, 52.2], [9.3, 52.1], [9.1235, 52.1]]]
    assert json.loads(content) == [rounded, rounded, rounded]
    assert geometry.owners == ("03157", "03254", "03254")
    digest = hashlib.sha256(content).hexdigest()[:16]
    assert geometry.file_name == f"kreise-{digest}.json"
    assert geometry.url == f"app/static/geo/kreise-{digest}.json"  # own origin, relative
    path = static_geometry.write(content, geometry.file_name, tmp_path)
    assert (
        path.read_bytes() == content and static_geometry.write(content, geometry.file_name, tmp_path) == path
    )
    assert static_geometry.read(geometry.url, tmp_path) == [rounded, rounded, rounded]
    assert static_geometry.read("app/static/geo/../../cockpit.toml", tmp_path) == []
    assert [p.name for p in (tmp_path / "geo").iterdir()] == [geometry.file_name]  # no temp left
    other, _ = static_geometry.build(frame.head(1))
    assert static_geometry.build(frame.head(1))[1].file_name != geometry.file_name and other != content


def test_firm_rows_carry_the_hover_text_where_the_tooltip_reads_it():
    firms = pl.DataFrame(
        {
            "name": ["Werk B"],
            "role": ["both"],
            "wz": ["28"],
            "wz_title_de": [None],
            "ags": ["03101"],
            "kreis": [None],
            "lon": [10.52],
            "lat": [52.27],
        }
    )
    layer = maps.firm_layer(firms, {"both": "beides"}, "WZ", "de")
    spec = json.loads(maps.deck([layer]).to_json())["layers"][0]
    assert spec["data"] == [[[10.52, 52.27], "Werk B\nbeides\nWZ 28: –\n03101", [204, 121, 167, 255]]]
    assert spec["getPosition"] == "@@=this[0]" and spec["getFillColor"] == "@@=this[2]"


def test_deck_json_is_compact_and_means_what_pydecks_means():
    import pydeck as pdk

    layer = maps.choropleth_layer(
        _geometry(("03254",)), pl.DataFrame({"ags": ["03254"]}), ["#440154"], ["Hildesheim"]
    )
    compact = maps.deck([layer]).to_json()
    plain = pdk.Deck(
        layers=[layer], initial_view_state=pdk.ViewState(**maps.VIEW), map_provider=None
    ).to_json()
    assert "\n" not in compact and ", " not in compact
    assert len(compact) < len(plain)
    assert json.loads(compact)["layers"] == json.loads(plain)["layers"]
