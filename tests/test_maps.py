"""Map builders: classed colour scales, legends, hover texts, decks without basemap."""

from __future__ import annotations

import json

import polars as pl
import pytest

from analytics import maps
from analytics.formatting import fmt_number


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


def test_tooltips_and_deck_without_basemap():
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
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"ags": a},
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            }
            for a in ("03254", "03157", "03241")
        ],
    }
    layer = maps.choropleth_layer(collection, frame, ["#000000", "#ffffff"], tips)
    deck = json.loads(maps.deck([layer]).to_json())
    assert deck.get("mapStyle", "__MAP_STYLE__") == "__MAP_STYLE__"  # no tiles requested
    properties = [f["properties"] for f in deck["layers"][0]["data"]["features"]]
    assert properties[0]["fill"] == [0, 0, 0, 220]
    assert properties[2]["fill"] == maps.rgba(maps.MISSING_COLOUR)  # Kreis without data
    assert collection["features"][0]["properties"] == {"ags": "03254"}  # cached input untouched


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
    for built in (maps.deck([]), arc_deck(links, [], "de")):
        spec = json.loads(built.to_json())
        assert "mapProvider" not in spec
        assert spec.get("mapStyle") == "__MAP_STYLE__"


def test_feature_collection_rounds_coordinates_and_drops_repeated_points():

    from analytics.maps import feature_collection

    ring = [[9.123456, 52.1], [9.123461, 52.1], [9.2, 52.2], [9.3, 52.1], [9.123456, 52.1]]
    frame = pl.DataFrame(
        {"ags": ["03254"], "geojson": [json.dumps({"type": "Polygon", "coordinates": [ring]})]}
    )
    shape = feature_collection(frame)["features"][0]["geometry"]
    # 9.123456 and 9.123461 both round to 9.1235: the repeated point goes, the ring stays closed
    assert shape["coordinates"] == [[[9.1235, 52.1], [9.2, 52.2], [9.3, 52.1], [9.1235, 52.1]]]
    multi = {"type": "MultiPolygon", "coordinates": [[ring], [ring]]}
    frame = pl.DataFrame({"ags": ["03254"], "geojson": [json.dumps(multi)]})
    assert feature_collection(frame)["features"][0]["geometry"]["coordinates"][1][0][0] == [9.1235, 52.1]


def test_deck_json_is_compact_and_means_what_pydecks_means():
    import pydeck as pdk

    layer = maps.choropleth_layer(
        maps.feature_collection(
            pl.DataFrame(
                {
                    "ags": ["03254"],
                    "geojson": ['{"type":"Polygon","coordinates":[[[9,52],[9.1,52],[9,52.1],[9,52]]]}'],
                }
            )
        ),
        pl.DataFrame({"ags": ["03254"]}),
        ["#440154"],
        ["Hildesheim"],
    )
    compact = maps.deck([layer]).to_json()
    plain = pdk.Deck(
        layers=[layer], initial_view_state=pdk.ViewState(**maps.VIEW), map_provider=None
    ).to_json()
    assert "\n" not in compact and ", " not in compact
    assert len(compact) < len(plain) / 2
    assert json.loads(compact)["layers"] == json.loads(plain)["layers"]
