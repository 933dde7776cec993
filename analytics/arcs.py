"""Arc map of transitions (pydeck ArcLayer, no basemap tiles): home Kreis -> Kreis of the
receiving firm, drawn only for protected links between two known Kreise."""

from __future__ import annotations

import polars as pl
import pydeck as pdk

from analytics.charts import OKABE_ITO
from analytics.formatting import int_text
from analytics.maps import deck, outline_layer
from analytics.static_geometry import KreisGeometry


def _rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]


def drawable_arcs(links: pl.DataFrame) -> pl.DataFrame:
    """Links between two Kreise with centroids (merged 'übrige' links have no place)."""
    return links.filter(
        (pl.col("source") != "_other")
        & (pl.col("target") != "_other")
        & pl.all_horizontal(pl.col("source_lon", "source_lat", "target_lon", "target_lat").is_not_null())
    )


def arc_deck(links: pl.DataFrame, geometry: KreisGeometry | None, lang: str) -> pdk.Deck:
    """Arcs with width by persons; Kreise staying put appear as dots. ``geometry``: the
    Kreis outlines' static file (for orientation; no tiles are loaded), the same URL on every
    rerun, so the browser loads the shapes once (issue #14)."""
    arcs = drawable_arcs(links)
    persons = "Personen" if lang == "de" else "persons"
    moves = arcs.filter(pl.col("source") != pl.col("target")).with_columns(
        (pl.col("persons").cast(pl.Float64).sqrt() * 2).alias("width"),
        int_text(pl.col("persons"), lang).alias("persons_text"),
    )
    stays = arcs.filter(pl.col("source") == pl.col("target")).with_columns(
        (pl.col("persons").cast(pl.Float64).sqrt() * 1500).alias("radius"),
        int_text(pl.col("persons"), lang).alias("persons_text"),
    )
    layers = [] if geometry is None else [outline_layer(geometry, [235, 235, 235, 120], [150, 150, 150], 0.5)]
    layers += [
        pdk.Layer(
            "ArcLayer",
            moves.to_dicts(),
            get_source_position=["source_lon", "source_lat"],
            get_target_position=["target_lon", "target_lat"],
            get_width="width",
            get_source_color=_rgb(OKABE_ITO[0]),
            get_target_color=_rgb(OKABE_ITO[1]),
            pickable=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            stays.to_dicts(),
            get_position=["source_lon", "source_lat"],
            get_radius="radius",
            get_fill_color=_rgb(OKABE_ITO[2]) + [180],
            pickable=True,
        ),
    ]
    view = pdk.ViewState(longitude=9.8, latitude=52.6, zoom=6.2, pitch=30)
    return deck(
        layers, view=view, tooltip={"text": "{source_label} → {target_label}: {persons_text} " + persons}
    )
