"""The report pack as a PDF: HTML (Jinja2) printed by Debian's headless chromium (Playwright).

Charts are the views' own plotly figures, drawn once each in the same chromium with the
plotly.js bundled in the plotly package (nothing is fetched) and embedded as one PNG each;
maps (pydeck decks) are drawn as SVG from their layers' polygons and points, rasterised
there too, with the BKG source note under each. Numbers are the views' screen texts
(1.234,5; TT.MM.JJJJ; "*" where withheld); the page footer carries the page number and the
Stand of the sources.
"""

from __future__ import annotations

import base64
import io
import json
import math
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import plotly
from jinja2 import Environment, select_autoescape

from analytics.messages import msg
from analytics.report.pack import ReportError, ReportPack, source_stand, stand_line
from analytics.report.workbook import contents, definitions, plain
from analytics.views.model import Chart, Heading, Map, MetricGrid, Note, Table, View, resolve

PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
CHART_SIZE = (1100, 480)
MAP_SIZE = (900, 640)


@dataclass(frozen=True)
class Image:
    png: bytes
    caption: str | None = None  # the BKG note under a map

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


# --- maps as SVG ------------------------------------------------------------------------------


def _rings(geometry: dict) -> Iterable[list]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _colour(rgba) -> str:
    r, g, b = list(rgba)[:3]
    alpha = (list(rgba)[3] if len(rgba) > 3 else 255) / 255
    return f"rgba({r},{g},{b},{alpha:.3f})"


def _accessor(layer, name: str, row: dict, default):
    """A deck.gl accessor of ``layer`` for one data row: a constant, a column name, a
    ``properties.x`` path, or ``[lon, lat]`` / a list of column names (positions)."""
    spec = getattr(layer, name, None)
    if spec is None:
        return default
    if isinstance(spec, str):
        spec = spec.strip().removeprefix("@@=").strip()  # pydeck marks expressions with "@@="
        if spec.startswith("[") and spec.endswith("]"):
            return [row.get(part.strip()) for part in spec[1:-1].split(",")]
        value = row
        for part in spec.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return default if value is None else value
    if isinstance(spec, list | tuple) and spec and all(isinstance(v, str) for v in spec):
        return [row.get(v) for v in spec]
    return spec


class _Shapes:
    """What a deck draws, in lon/lat: polygons, points (radius in metres), arcs (px width)."""

    def __init__(self, deck) -> None:
        self.polygons: list[tuple[list, str, str]] = []
        self.points: list[tuple[float, float, float, str]] = []
        self.arcs: list[tuple[float, float, float, float, float, str]] = []
        for layer in deck.layers:
            data = layer.data
            if layer.type == "GeoJsonLayer" and isinstance(data, dict):
                for feature in data.get("features", []):
                    fill = _colour(_accessor(layer, "get_fill_color", feature, [240, 240, 240, 255]))
                    line = _colour(_accessor(layer, "get_line_color", feature, [80, 80, 80, 255]))
                    for ring in _rings(feature["geometry"]):
                        self.polygons.append((ring, fill, line))
            elif layer.type == "PolygonLayer" and isinstance(data, str):
                self._static_polygons(layer, data)
            elif layer.type == "ScatterplotLayer" and isinstance(data, list):
                for row in data:
                    lon, lat = _accessor(layer, "get_position", row, [None, None])[:2]
                    if lon is not None and lat is not None:
                        radius = float(_accessor(layer, "get_radius", row, 1500))
                        colour = _colour(_accessor(layer, "get_fill_color", row, [0, 0, 0, 255]))
                        self.points.append((lon, lat, radius, colour))
            elif layer.type == "ArcLayer" and isinstance(data, list):
                for row in data:
                    x1, y1 = _accessor(layer, "get_source_position", row, [None, None])[:2]
                    x2, y2 = _accessor(layer, "get_target_position", row, [None, None])[:2]
                    if None not in (x1, y1, x2, y2):
                        width = float(_accessor(layer, "get_width", row, 1))
                        colour = _colour(_accessor(layer, "get_source_color", row, [0, 114, 178, 255]))
                        self.arcs.append((x1, y1, x2, y2, width, colour))

    def _static_polygons(self, layer, url: str) -> None:
        """A layer of the app's static Kreis shapes (analytics/static_geometry.py): coloured
        per polygon by its dataTransform rows (maps.choropleth_rows), or in one colour."""
        from analytics.maps import decoded_rows
        from analytics.static_geometry import read

        polygons = read(url)
        line = _colour(_accessor(layer, "get_line_color", {}, [80, 80, 80, 255]))
        transform = getattr(layer, "data_transform", None)
        if isinstance(transform, str):
            drawn = [(polygons[part], _colour(fill)) for part, _tip, fill in decoded_rows(transform)]
        else:
            fill = _colour(_accessor(layer, "get_fill_color", {}, [240, 240, 240, 255]))
            drawn = [(polygon, fill) for polygon in polygons]
        for polygon, fill in drawn:
            for ring in polygon:
                self.polygons.append((ring, fill, line))

    def coords(self) -> list[tuple[float, float]]:
        out = [(p[0], p[1]) for ring, _, _ in self.polygons for p in ring]
        out += [(x, y) for x, y, _, _ in self.points]
        return out + [(a[i], a[i + 1]) for a in self.arcs for i in (0, 2)]


def map_svg(deck, width: int = MAP_SIZE[0], height: int = MAP_SIZE[1]) -> str:
    """The deck's Kreis polygons (GeoJsonLayer), points (ScatterplotLayer) and arcs (ArcLayer)
    on a plain background, projected equirectangularly at the mean latitude."""
    shapes = _Shapes(deck)
    coords = shapes.coords()
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">']
    parts.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    if not coords:
        return "".join([*parts, "</svg>"])
    xs, ys = [p[0] for p in coords], [p[1] for p in coords]
    aspect = math.cos(math.radians((min(ys) + max(ys)) / 2))
    span_x, span_y = (max(xs) - min(xs)) * aspect or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min((width - 20) / span_x, (height - 20) / span_y)

    def px(x: float, y: float) -> tuple[float, float]:
        return 10 + (x - min(xs)) * aspect * scale, 10 + (max(ys) - y) * scale

    for ring, fill, line in shapes.polygons:
        path = " ".join("{:.1f},{:.1f}".format(*px(p[0], p[1])) for p in ring)
        parts.append(f'<polygon points="{path}" fill="{fill}" stroke="{line}" stroke-width="0.6"/>')
    for x1, y1, x2, y2, stroke, colour in shapes.arcs:
        (a, b), (c, d) = px(x1, y1), px(x2, y2)
        mx, my = (a + c) / 2 - (d - b) * 0.25, (b + d) / 2 + (c - a) * 0.25  # bend to one side
        parts.append(
            f'<path d="M{a:.1f},{b:.1f} Q{mx:.1f},{my:.1f} {c:.1f},{d:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="{max(1.0, min(stroke, 12.0)):.1f}" stroke-linecap="round"/>'
        )
    for x, y, radius, colour in shapes.points:
        cx, cy = px(x, y)
        r = max(3.0, min(radius / 111_320 * scale, 14.0))  # metres → degrees → pixels
        parts.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="{colour}" '
            'stroke="#000" stroke-width="0.8"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- drawing in chromium ----------------------------------------------------------------------


class Renderer:
    """One headless chromium for the charts, the maps and the PDF itself."""

    def __init__(self, chromium: Path) -> None:
        if not Path(chromium).exists():
            raise ReportError(f"PDF: chromium not found at {chromium} (apt-get install chromium)")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:  # pragma: no cover - playwright is a dependency
            raise ReportError("PDF: the playwright package is not installed") from exc
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS
            )
        except Exception:
            self._playwright.stop()
            raise
        self._page = None

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _chart_page(self):
        if self._page is None:
            self._page = self._browser.new_page()
            self._page.route("**/*", _offline)
            self._page.set_content("<html><body><div id='chart'></div></body></html>")
            self._page.add_script_tag(path=str(PLOTLY_JS))
        return self._page

    def chart_png(self, figure) -> bytes:
        page = self._chart_page()
        width, height = CHART_SIZE
        spec = json.loads(figure.to_json())
        spec.setdefault("layout", {})
        spec["layout"].update({"width": width, "height": height, "paper_bgcolor": "#ffffff"})
        uri = page.evaluate(
            "async (spec) => await Plotly.toImage({data: spec.data, layout: spec.layout},"
            " {format: 'png', width: spec.layout.width, height: spec.layout.height, scale: 1.5})",
            spec,
        )
        return base64.b64decode(uri.split(",", 1)[1])

    def svg_png(self, svg: str) -> bytes:
        page = self._browser.new_page()
        try:
            page.route("**/*", _offline)
            page.set_content(f"<html><body style='margin:0'>{svg}</body></html>")
            return page.locator("svg").first.screenshot(type="png")
        finally:
            page.close()

    def pdf(self, html: str, footer: str) -> bytes:
        page = self._browser.new_page()
        try:
            page.route("**/*", _offline)
            page.set_content(html, wait_until="load")
            return page.pdf(
                format="A4",
                landscape=True,
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
            )
        finally:
            page.close()


def _offline(route) -> None:
    """Nothing leaves the machine: every request of the report's pages is refused."""
    if route.request.url.startswith(("data:", "about:")):
        route.continue_()
    else:
        route.abort()


# --- the HTML ---------------------------------------------------------------------------------

TEMPLATE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 9pt; color: #222; }
  h1 { font-size: 20pt; margin: 0 0 4mm; } h2 { font-size: 14pt; margin: 0 0 3mm; }
  h3 { font-size: 11pt; margin: 4mm 0 2mm; } h4 { font-size: 9.5pt; margin: 3mm 0 1mm; }
  h3, h4 { break-after: avoid; page-break-after: avoid; }
  section { page-break-before: always; padding-top: 2mm; }
  .demo { color: #9c0006; font-weight: bold; font-size: 11pt; }
  .meta { color: #555; } .note { margin: 1mm 0; } .legend { font-style: italic; }
  .info { background: #eef4fb; padding: 2mm; } .warning { background: #fff4e0; padding: 2mm; }
  table { border-collapse: collapse; margin: 1mm 0 3mm; page-break-inside: auto; }
  thead { display: table-header-group; } tr { page-break-inside: avoid; }
  th { background: #dce6f1; text-align: left; vertical-align: top; }
  th, td { border: 0.4pt solid #b0b0b0; padding: 0.6mm 1.5mm; }
  td.num { text-align: right; white-space: nowrap; }
  img { max-width: 100%; max-height: 150mm; display: block; margin: 2mm 0 1mm; }
  figure { margin: 0; page-break-inside: avoid; } figcaption { font-size: 8pt; color: #444; }
  .toc a { color: #222; text-decoration: none; } .toc li { margin: 1mm 0; }
  .toc .page { color: #555; margin-left: 3mm; }
  .swatch { display: inline-block; width: 3mm; height: 3mm; border: 0.3pt solid #666;
    margin: 0 1mm 0 3mm; vertical-align: middle; }
  dl dt { font-weight: bold; margin-top: 2mm; } dl dd { margin-left: 4mm; }
</style></head><body>
<div class="cover">
  <h1>{{ title }}</h1>
  {% if demo %}<p class="demo">{{ demo }}</p>{% endif %}
  {% if unprotected %}<p class="demo">{{ unprotected }}</p>{% endif %}
  <table>{% for label, value in facts %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
  <h3>{{ stand_title }}</h3>
  <table>{% for label, value in stand %}<tr><th>{{ label }}</th><td>{{ value }}</td></tr>{% endfor %}</table>
  <p class="legend">{{ legend }}</p>
  <h3>{{ contents_title }}</h3>
  <ol class="toc">{% for item in toc %}
    <li><a href="#{{ item.anchor }}">{{ item.title }}</a>{% if item.page %}
      <span class="page">{{ item.page }}</span>{% endif %}</li>{% endfor %}</ol>
</div>
{% for s in sections %}
<section id="{{ s.anchor }}"><h2>{{ s.title }}</h2>
  {% if demo %}<p class="demo">{{ demo }}</p>{% endif %}
  {% for b in s.blocks %}
    {% if b.kind == "heading" %}<h3>{{ b.text }}</h3>
    {% elif b.kind == "note" %}<p class="note {{ b.style }}">{{ b.text }}</p>
    {% elif b.kind == "image" %}<figure><img src="{{ b.uri }}" alt="{{ b.alt }}">
      {% if b.caption %}<figcaption>{{ b.caption }}</figcaption>{% endif %}</figure>
    {% elif b.kind == "legend" %}{% for title, entries in b.legends %}<p class="swatches"><b>{{ title }}:</b>
      {% for label, colour in entries %}
        <span class="swatch" style="background: {{ colour }}"></span>{{ label }}
      {% endfor %}</p>{% endfor %}
    {% elif b.kind == "table" %}{% if b.title %}<h4>{{ b.title }}</h4>{% endif %}
      <table><thead><tr>{% for h in b.headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
      {% for row in b.rows %}<tr>{% for cell, num in row %}
        <td{% if num %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
      </tbody></table>
    {% endif %}
  {% endfor %}
  <p class="meta">{{ s.source }}</p>
</section>
{% endfor %}
<section id="definitions"><h2>{{ definitions_title }}</h2>
  <dl>{% for term, text in definitions %}<dt>{{ term }}</dt><dd>{{ text }}</dd>{% endfor %}</dl>
</section>
<section id="sources"><h2>{{ sources_title }}</h2>
  <table><thead><tr>{% for h in source_headers %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
  {% for row in sources %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
  </tbody></table>
</section>
</body></html>
"""

FOOTER = (
    '<div style="font-size:6.5pt;color:#555;width:100%;padding:0 12mm;display:flex;gap:6mm;'
    'justify-content:space-between"><span>{stand}</span><span style="white-space:nowrap">{page}</span></div>'
)


def _table_block(view: View, table: Table, title: bool = True) -> dict:
    lang = view.lang
    texts = table.cell_texts(lang)
    numeric = [[table.unit(c, i) not in ("text",) for c in table.columns] for i in range(table.frame.height)]
    return {
        "kind": "table",
        "title": view.text(table.title) if title else None,
        "headers": [resolve(c.label, lang) for c in table.columns],
        "rows": [list(zip(row, flags, strict=True)) for row, flags in zip(texts, numeric, strict=True)],
    }


def _metric_block(view: View, grid: MetricGrid) -> dict:
    lang = view.lang
    rows = [
        [(view.text(m.label), False), (m.value_text(lang), True), (m.delta_text(lang) or "", True)]
        for m in grid.metrics
    ]
    headers = [msg("report.metric", lang), msg("report.value", lang), msg("report.change", lang)]
    return {"kind": "table", "title": None, "headers": headers, "rows": rows}


def _legends(view: View, block: Map) -> dict:
    """The map's legends: (title, (label, colour) per class) each, drawn as swatches."""
    return {
        "kind": "legend",
        "legends": [(view.text(title), list(entries)) for title, entries in block.legends],
    }


def section_blocks(view: View, draw: Callable[[Chart | Map], Image]) -> list[dict]:
    """The view's blocks for the template; charts and maps through ``draw`` (one image each)."""
    out: list[dict] = []
    for block in view.blocks:
        if isinstance(block, Heading):
            out.append({"kind": "heading", "text": view.text(block.text)})
        elif isinstance(block, Note):
            if block.kind == "definitions":
                continue
            style = {"legend": "legend", "info": "info", "warning": "warning"}.get(block.kind, "")
            out.append({"kind": "note", "text": plain(view.text(block.text)), "style": style})
        elif isinstance(block, MetricGrid):
            out.append(_metric_block(view, block))
        elif isinstance(block, Table):
            out.append(_table_block(view, block))
        elif isinstance(block, Chart | Map):
            image = draw(block)
            out.append({"kind": "image", "uri": image.data_uri(), "alt": block.key, "caption": image.caption})
            if isinstance(block, Map):
                out.append(_legends(view, block))
    return out


def is_map(block: Chart | Map) -> bool:
    return isinstance(block, Map) or block.key.endswith("map")


def report_html(
    pack: ReportPack, draw: Callable[[Chart | Map], Image], pages: dict[str, int] | None = None
) -> str:
    """The report as HTML; ``pages``: the page of each section title, for the contents."""
    lang = pack.lang
    pages = pages or {}
    role = pack.filters.role or "ministry"
    titles = [title for title, _ in contents(pack)]
    anchors = [s.key for s in pack.sections] + ["definitions", "sources"]
    toc = [
        {"anchor": a, "title": t, "page": msg("report.toc_page", lang, page=pages[t]) if t in pages else None}
        for a, t in zip(anchors, titles, strict=True)
    ]
    sections = [
        {
            "anchor": s.key,
            "title": s.view.text(s.view.title),
            "blocks": section_blocks(s.view, draw),
            "source": s.view.text(s.view.source) + f" ({msg('report.stand_short', lang)}: {s.view.as_of})",
        }
        for s in pack.sections
    ]
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(TEMPLATE).render(
        lang=lang,
        title=msg("report.title", lang),
        demo=_demo_text(pack),
        unprotected=None if pack.protected else msg("report.unprotected", lang),
        facts=[
            (msg("report.quarter", lang), pack.quarter.label()),
            (msg("report.region", lang), pack.filters.region_label),
            (msg("report.kreise", lang), ", ".join(pack.filters.ags)),
            (msg("report.role", lang), msg(f"report.role_{role}", lang)),
        ],
        stand_title=msg("report.stand", lang),
        stand=source_stand(pack),
        legend=msg("suppression_legend", lang),
        contents_title=msg("report.contents", lang),
        toc=toc,
        sections=sections,
        definitions_title=msg("report.definitions", lang),
        definitions=definitions(pack),
        sources_title=msg("report.sources", lang),
        source_headers=[
            msg("report.section", lang),
            msg("report.source", lang),
            msg("report.stand_short", lang),
        ],
        sources=[(v.text(v.title), v.text(v.source), v.as_of) for v in pack.views()],
    )


def _demo_text(pack: ReportPack) -> str | None:
    from analytics.report.workbook import demo_mark

    return demo_mark(pack.lang) if pack.demo else None


def image_count(pack: ReportPack) -> int:
    """How many images the PDF holds: one per chart and map of every section."""
    return sum(isinstance(b, Chart | Map) for v in pack.views() for b in v.blocks)


def pack_pdf(pack: ReportPack, chromium: Path, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The PDF as bytes. ``progress`` is told (images drawn, images in all)."""
    lang = pack.lang
    attribution = pack.status.bkg_attribution()
    total = image_count(pack)
    drawn = 0
    images: dict[int, Image] = {}
    with Renderer(chromium) as renderer:

        def draw(block: Chart | Map) -> Image:
            nonlocal drawn
            if id(block) in images:
                return images[id(block)]
            if isinstance(block, Map):
                png = renderer.svg_png(map_svg(block.deck))
            else:
                png = renderer.chart_png(block.figure)
            drawn += 1
            if progress is not None:
                progress(drawn, total)
            caption = None
            if is_map(block) and attribution:
                caption = msg("report.map_source", lang, attribution=attribution)
            images[id(block)] = Image(png, caption)
            return images[id(block)]

        footer = FOOTER.format(
            stand=_escape(f"{msg('report.title', lang)} · {pack.quarter.label()} · {stand_line(pack)}"),
            page=msg(
                "report.page_html",
                lang,
                page='<span class="pageNumber"></span>',
                pages='<span class="totalPages"></span>',
            ),
        )
        # twice: the first print tells on which page each section starts, for the contents
        first = renderer.pdf(report_html(pack, draw), footer)
        titles = [title for title, _ in contents(pack)]
        return renderer.pdf(report_html(pack, draw, section_pages(first, titles)), footer)


def section_pages(document: bytes, titles: list[str]) -> dict[str, int]:
    """The page (1-based) on which each title starts a page (sections begin on a new page)."""
    from pypdf import PdfReader

    found: dict[str, int] = {}
    for number, page in enumerate(PdfReader(io.BytesIO(document)).pages, start=1):
        if number == 1:
            continue  # the cover lists every title
        text = unicodedata.normalize("NFKC", page.extract_text() or "").lstrip()
        for title in titles:
            if title not in found and text.startswith(title):
                found[title] = number
    return found


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
