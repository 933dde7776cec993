"""pydeck map builders: Kreis choropleths with classed colour-blind-safe scales, firm points.

No internet basemap: the decks carry no map provider, so only the BKG Kreis boundaries are
drawn. Hover texts are prepared here (German number format) because deck.gl only fills
placeholders with the feature's properties.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb
import polars as pl
import pydeck as pdk

from analytics.db import query
from analytics.disclosure import SUPPRESSED, flag_column
from analytics.formatting import MISSING, fmt_value
from analytics.static_geometry import KreisGeometry

# viridis, 5 classes (low -> high); colour-blind safe and readable in greyscale
VIRIDIS = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
# ColorBrewer Blues, 5 classes: single hue, leaves room for the firm points' colours
BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
# ColorBrewer PuOr, 6 classes (colour-blind safe): orange below the centre, purple above
DIVERGING = ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788")
WITHHELD_COLOUR = "#9e9e9e"
MISSING_COLOUR = "#f0f0f0"
FIRM_COLOURS = {"releasing": "#D55E00", "receiving": "#F0E442", "both": "#CC79A7"}
LINE_COLOUR = [80, 80, 80, 255]
VIEW = {"latitude": 52.75, "longitude": 9.2, "zoom": 6.1}


def rgba(colour: str, alpha: int = 220) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


@dataclass(frozen=True)
class ColourScale:
    """Classed colours: ``breaks`` are the inner class bounds (ascending)."""

    breaks: tuple[float, ...]
    colours: tuple[str, ...]
    kind: str  # sequential | diverging
    centre: float | None = None

    def colour(self, value: float | None, withheld: bool = False) -> str:
        if withheld:
            return WITHHELD_COLOUR
        if value is None:
            return MISSING_COLOUR
        return self.colours[bisect_right(list(self.breaks), value)]

    def legend(self, fmt: Callable[[float], str], lang: str = "de") -> list[tuple[str, str]]:
        """(label, colour) per class, then the withheld and missing entries."""
        if not self.breaks:
            entries = [(fmt_range(None, None, fmt, lang), self.colours[0])]
        else:
            bounds = [None, *self.breaks, None]
            entries = [
                (fmt_range(bounds[i], bounds[i + 1], fmt, lang), self.colours[i])
                for i in range(len(self.colours))
            ]
        entries.append(
            (
                f"{SUPPRESSED} "
                + ("gesperrt (BA-Geheimhaltung)" if lang == "de" else "withheld (BA confidentiality)"),
                WITHHELD_COLOUR,
            )
        )
        entries.append(("keine Daten" if lang == "de" else "no data", MISSING_COLOUR))
        return entries


def fmt_range(low: float | None, high: float | None, fmt: Callable[[float], str], lang: str) -> str:
    if low is None and high is None:
        return "alle Werte" if lang == "de" else "all values"
    if low is None:
        return f"< {fmt(high)}"
    if high is None:
        return f"≥ {fmt(low)}"
    return f"{fmt(low)} – < {fmt(high)}"


def _quantile(sorted_values: list[float], q: float) -> float:
    """Linear-interpolation quantile of an ascending list."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def colour_scale(
    values: Sequence[float | None],
    kind: str = "sequential",
    centre: float | None = None,
    palette: Sequence[str] = VIRIDIS,
) -> ColourScale:
    """Quantile classes of the known values.

    ``sequential``: one class per palette colour, bounds at the quantiles. ``diverging``: six
    classes symmetric around ``centre`` (e.g. the Land value or 0), bounds at the terciles of
    the distances from it, so orange means below and purple above the centre.
    """
    known = sorted(v for v in values if v is not None)
    if kind == "diverging":
        middle = 0.0 if centre is None else centre
        if not known:
            return ColourScale((), DIVERGING[2:3], kind, middle)
        distances = sorted(abs(v - middle) for v in known)
        near, far = _quantile(distances, 1 / 3), _quantile(distances, 2 / 3)
        if far <= 0:
            return ColourScale((middle,), DIVERGING[2:4], kind, middle)
        near = near if 0 < near < far else far / 2
        breaks = (middle - far, middle - near, middle, middle + near, middle + far)
        return ColourScale(breaks, DIVERGING, kind, middle)
    if kind != "sequential":
        raise ValueError(f"kind must be 'sequential' or 'diverging', got {kind!r}")
    if not known:
        return ColourScale((), tuple(palette[:1]), kind)
    classes = len(palette)
    breaks = sorted({_quantile(known, i / classes) for i in range(1, classes)})
    breaks = [b for b in breaks if known[0] < b <= known[-1]]
    # spread the palette over the classes that remain when many values are equal
    step = (classes - 1) / max(len(breaks), 1)
    colours = [palette[round(i * step)] for i in range(len(breaks) + 1)]
    return ColourScale(tuple(breaks), tuple(colours), kind)


def geometry(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "SELECT ags, geojson, centroid_lon, centroid_lat FROM region_geometry ORDER BY ags")


# Coordinates sent to the browser: 4 decimal places of a degree are 7–11 m in Germany, far
# below the 150 m the boundaries are simplified to (geo_simplify_m), and about halve the
# deck's JSON against the 15–17 digits of the stored GeoJSON (issue #14).
COORDINATE_DECIMALS = 4


def _rounded(coordinates, decimals: int = COORDINATE_DECIMALS):
    """Nested GeoJSON coordinates rounded; consecutive points made equal by it dropped."""
    if coordinates and isinstance(coordinates[0], int | float):
        return [round(c, decimals) for c in coordinates]
    out = [_rounded(part, decimals) for part in coordinates]
    if out and isinstance(out[0], list) and out[0] and isinstance(out[0][0], int | float):
        deduplicated = [out[0]] + [p for prev, p in zip(out, out[1:], strict=False) if p != prev]
        # a ring keeps at least 4 positions (closed): keep the unrounded count then
        return deduplicated if len(deduplicated) >= 4 or len(out) < 4 else out
    return out


def rounded_shape(geojson: str) -> dict:
    """A stored GeoJSON geometry parsed, coordinates rounded to COORDINATE_DECIMALS."""
    shape = json.loads(geojson)
    shape["coordinates"] = _rounded(shape["coordinates"])
    return shape


@dataclass(frozen=True)
class TipLine:
    """One line of the hover text: label and the column (with its unit) to show."""

    label: str
    column: str
    unit: str


def tooltip_texts(frame: pl.DataFrame, title_column: str, lines: Sequence[TipLine], lang: str) -> list[str]:
    """Hover text per row (line breaks; '*' for withheld values)."""
    columns = {line.column for line in lines}
    flags = {
        c: frame[flag_column(c)].to_list() if flag_column(c) in frame.columns else [False] * frame.height
        for c in columns
    }
    values = {c: frame[c].to_list() for c in columns}
    titles = frame[title_column].to_list()
    texts = []
    for i, title in enumerate(titles):
        parts = [str(title)]
        for line in lines:
            shown = fmt_value(values[line.column][i], line.unit, lang, bool(flags[line.column][i]))
            parts.append(f"{line.label}: {shown}")
        texts.append("\n".join(parts))
    return texts


# Every pickable row a map sends is an array [geometry, hover text, colour]: the choropleth's
# rows are built in the browser from the static shapes (see choropleth_layer), and deck.gl's
# JSON cannot build objects there, only arrays. The deck's tooltip names the hover text by
# its index, which Streamlit's tooltip reads from an array row like from an object's key.
TIP = "1"


def js_string(text: str) -> str:
    """``text`` as a string literal of deck.gl's JSON expressions (jsep: \\, \", \n; no
    \\u escapes, so other characters go as they are; other control characters dropped)."""
    cleaned = "".join(c for c in text if c == "\n" or c >= " ")
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def choropleth_rows(
    geometry: KreisGeometry, frame: pl.DataFrame, colours: Sequence[str], tips: Sequence[str]
) -> str:
    """The deck.gl expression that turns the static file's polygons (``this``) into rows
    [polygon, hover text, RGBA] (joined on ``ags``; Kreise without a row: no-data colour)."""
    by_ags = {ags: i for i, ags in enumerate(frame["ags"].to_list())}
    rows = []
    for part, ags in enumerate(geometry.owners):
        i = by_ags.get(ags)
        fill = rgba(colours[i] if i is not None else MISSING_COLOUR)
        tip = tips[i] if i is not None else f"{ags}: {MISSING}"
        rows.append(f"[this[{part}],{js_string(tip)},[{','.join(map(str, fill))}]]")
    return "[" + ",".join(rows) + "]"


_ROW = re.compile(r'\[this\[(\d+)\],"((?:[^"\\]|\\.)*)",\[(\d+),(\d+),(\d+),(\d+)\]\]')
_UNESCAPE = {"n": "\n", '"': '"', "\\": "\\"}


def decoded_rows(expression: str) -> list[tuple[int, str, list[int]]]:
    """(polygon index, hover text, RGBA) per row of a choropleth_rows expression: what the
    browser builds from it, for drawing the same map outside the browser (PDF report)."""
    expression = expression.removeprefix("@@=")
    return [
        (
            int(m.group(1)),
            re.sub(r"\\(.)", lambda e: _UNESCAPE.get(e.group(1), e.group(1)), m.group(2)),
            [int(m.group(i)) for i in range(3, 7)],
        )
        for m in _ROW.finditer(expression)
    ]


def choropleth_layer(
    geometry: KreisGeometry, frame: pl.DataFrame, colours: Sequence[str], tips: Sequence[str]
) -> pdk.Layer:
    """Kreis polygons filled per row of ``frame`` (joined on ``ags``).

    The shapes are not in the deck: the layer loads them by URL from the app's static file
    (the browser fetches it once and keeps it), and its ``dataTransform`` expression pairs
    each polygon with its hover text and colour, so a rerun that recolours the map sends only
    those (issue #14). The layer's id carries a hash of that expression: a changed one is a
    new layer for deck.gl, which then applies it to the (cached) file; with the same id it
    would keep the rows it built from the file before."""
    import hashlib

    rows = choropleth_rows(geometry, frame, colours, tips)
    digest = hashlib.sha256(rows.encode()).hexdigest()[:12]
    return pdk.Layer(
        "PolygonLayer",
        data=geometry.url,
        id=f"kreise-{digest}",
        data_transform=rows,
        get_polygon="this[0]",
        get_fill_color="this[2]",
        stroked=True,
        filled=True,
        pickable=True,
        get_line_color=LINE_COLOUR,
        line_width_min_pixels=1,
        auto_highlight=True,
        highlight_color=[255, 255, 255, 90],
    )


def outline_layer(
    geometry: KreisGeometry, fill: Sequence[int], line: Sequence[int], width: float
) -> pdk.Layer:
    """The static file's Kreis outlines in one colour (not pickable): the same URL on every
    rerun, so deck.gl keeps what it loaded."""
    return pdk.Layer(
        "PolygonLayer",
        data=geometry.url,
        id="kreis-outlines",
        get_polygon="-",
        stroked=True,
        filled=True,
        get_fill_color=list(fill),
        get_line_color=list(line),
        line_width_min_pixels=width,
    )


def _text_or(column: str, fallback: pl.Expr) -> pl.Expr:
    """The column's text, or ``fallback`` where it is missing or empty."""
    text = pl.col(column).cast(pl.String)
    return pl.when(text.is_null() | (text == "")).then(fallback).otherwise(text)


def firm_points(firms: pl.DataFrame, role_labels: dict[str, str], wz_label: str, title: str) -> pl.DataFrame:
    """lon, lat, colour (RGBA by role) and tooltip text of each firm, as Polars expressions."""
    colours = {role: rgba(colour, 255) for role, colour in FIRM_COLOURS.items()}
    return firms.select(
        "lon",
        "lat",
        pl.col("role")
        .replace_strict(colours, default=rgba("#000000", 255), return_dtype=pl.List(pl.Int64))
        .alias("colour"),
        pl.format(
            "{}\n{}\n{} {}: {}\n{}",
            pl.col("name").fill_null(""),
            pl.col("role").replace_strict(role_labels, default=pl.col("role")).fill_null(""),
            pl.lit(wz_label),
            pl.col("wz").fill_null(""),
            _text_or(title, pl.lit(MISSING)),
            _text_or("kreis", pl.col("ags").fill_null("")),
        ).alias("tip"),
    )


def firm_layer(firms: pl.DataFrame, role_labels: dict[str, str], wz_label: str, lang: str) -> pdk.Layer:
    """Releasing and receiving firms as points (colour by role)."""
    title = "wz_title_de" if lang == "de" else "wz_title_en"
    points = firm_points(firms, role_labels, wz_label, title)
    rows = [  # [position, hover text, colour] like every pickable row (TIP)
        [[lon, lat], tip, colour]
        for lon, lat, tip, colour in points.select("lon", "lat", "tip", "colour").iter_rows()
    ]
    return pdk.Layer(
        "ScatterplotLayer",
        data=rows,
        id="firms",
        pickable=True,
        stroked=True,
        filled=True,
        get_position="this[0]",
        get_fill_color="this[2]",
        get_line_color=[0, 0, 0, 255],
        line_width_min_pixels=1,
        get_radius=1500,
        radius_min_pixels=5,
        radius_max_pixels=12,
    )


DEFAULT_TOOLTIP = {
    "text": "{" + TIP + "}",
    "style": {"backgroundColor": "#222", "color": "#fff", "fontSize": "13px", "whiteSpace": "pre-line"},
}


class CompactDeck(pdk.Deck):
    """A pydeck Deck serialised without whitespace. pydeck writes its JSON with indent=2, one
    line per coordinate, which made the Kreis shapes about 5 MB per map at 401 Kreise and
    sent them on every rerun (issue #14); the same JSON without it is about a third."""

    def to_json(self) -> str:
        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def deck(
    layers: Sequence[pdk.Layer],
    height: int = 560,
    *,
    view: pdk.ViewState | None = None,
    tooltip: dict | None = None,
) -> pdk.Deck:
    """A deck without basemap: no map provider and pydeck's default-style sentinel, which
    Streamlit drops without putting its theme's style in. ``map_style=None`` would not do:
    Streamlit then fetches a Carto style (basemaps.cartocdn.com) for the theme."""
    return CompactDeck(
        layers=list(layers),
        initial_view_state=view or pdk.ViewState(**VIEW),
        map_provider=None,
        tooltip=tooltip or DEFAULT_TOOLTIP,
        height=height,
    )


def legend_html(title: str, entries: Sequence[tuple[str, str]]) -> str:
    """A small HTML legend: colour swatch and label per class."""
    from html import escape

    items = "".join(
        f'<div style="display:flex;align-items:center;gap:6px;margin:2px 0">'
        f'<span style="display:inline-block;width:18px;height:14px;background:{colour};'
        f'border:1px solid #666"></span><span>{escape(label)}</span></div>'
        for label, colour in entries
    )
    return f'<div role="list" aria-label="{escape(title)}"><strong>{escape(title)}</strong>{items}</div>'
