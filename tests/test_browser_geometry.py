"""The Kreis shapes go to the browser once (issue #14, tracker 17): the Regionen map loads them
by URL from the app's own origin (analytics/static_geometry.py), and a change of the page's
level/change radio, which recolours every Kreis, reruns only the page's fragment and sends
the new colours and hover texts, not the shapes. The map is still drawn in its classes'
colours before and after (pixels of the deck.gl canvas). The Rollout-Planer's score map is
drawn the same way. Fixtures: tests/browser_support.py.
"""

from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import pytest

from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser


class Frames:
    """The ForwardMsgs the page receives over the websocket, parsed."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._message = ForwardMsg
        self.messages: list = []
        self.sizes: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes | bytearray):
            message = self._message()
            message.ParseFromString(payload)
            self.messages.append(message)
            self.sizes.append(len(payload))

    def decks(self, since: int = 0) -> list[dict]:
        return [
            json.loads(m.delta.new_element.deck_gl_json_chart.json)
            for m in self.messages[since:]
            if m.WhichOneof("type") == "delta"
            and m.delta.new_element.WhichOneof("type") == "deck_gl_json_chart"
        ]

    def runs(self, since: int = 0) -> tuple[int, int]:
        """(script runs, of them fragment runs) since message ``since``."""
        starts = [m for m in self.messages[since:] if m.WhichOneof("type") == "new_session"]
        return len(starts), sum(1 for m in starts if m.metadata.run.fragment_ids)

    def finished(self, since: int = 0) -> int:
        return sum(1 for m in self.messages[since:] if m.WhichOneof("type") == "script_finished")


def wait_until(page, condition, timeout_s: float = RENDER_TIMEOUT_MS / 1000) -> None:
    """Poll ``condition`` (Playwright delivers the websocket events while the page waits)."""
    for _ in range(int(timeout_s * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError("timed out waiting for the page")


def open_map_page(page, frames: Frames, responses: list, url: str):
    """Open a page with a deck.gl map, wait until it has loaded its shapes file and drawn;
    check that the shapes came as one file of the app's own origin. -> (deck, [that response])."""
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    deck = page.get_by_test_id("stDeckGlJsonChart")
    expect(deck.locator("canvas").first).to_be_attached(timeout=RENDER_TIMEOUT_MS)
    wait_until(page, lambda: frames.finished() >= 1 and any("/app/static/geo/" in r.url for r in responses))
    page.wait_for_timeout(2500)  # deck.gl loads the file and draws
    files = [r for r in responses if "/app/static/geo/kreise-" in r.url]
    assert len(files) == 1, [r.url for r in files]
    assert urlsplit(files[0].url).netloc == urlsplit(url).netloc and files[0].status == 200
    return deck, files


def colours(png: bytes) -> dict[tuple[int, int, int], int]:
    """Pixel count per colour of a screenshot."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    return {colour: n for n, colour in image.getcolors(maxcolors=image.width * image.height)}


def class_colours(png: bytes, palette: list[str]) -> set[str]:
    """The palette colours (drawn at alpha 220 on white) covering at least 200 pixels."""
    counts = colours(png)
    found = set()
    for hex_colour in palette:
        rgb = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
        drawn = tuple(round(c * 220 / 255 + 255 * 35 / 255) for c in rgb)
        near = sum(
            n for c, n in counts.items() if all(abs(a - b) <= 3 for a, b in zip(c, drawn, strict=True))
        )
        if near >= 200:
            found.add(hex_colour)
    return found


def test_a_recoloured_map_reruns_its_fragment_without_resending_the_shapes(browser, app_url: str) -> None:

    from analytics import maps

    context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    frames = Frames(page)
    responses: list = []
    page.on("response", lambda response: responses.append(response))
    try:
        # the shapes: one file of the app's own origin, named by its content, JSON polygons
        deck, files = open_map_page(page, frames, responses, f"{app_url}regionen?demo_role=ministry")
        polygons = json.loads(files[0].body())
        assert len(polygons) >= 47 and isinstance(polygons[0][0][0][0], float)
        shapes_bytes = len(files[0].body())
        # the deck names the file and carries no coordinates
        (spec,) = frames.decks()
        (layer,) = spec["layers"]
        assert layer["data"] == urlsplit(files[0].url).path.lstrip("/")
        assert "coordinates" not in json.dumps(spec) and len(json.dumps(spec)) < shapes_bytes

        deck.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        before = deck.screenshot()
        level = class_colours(before, list(maps.DIVERGING))
        assert len(level) >= 4, level  # diverging around the Land value: the map is drawn

        # level -> change (Veränderung zum Vorjahr): every Kreis gets another class
        since, fetched = len(frames.messages), len(responses)
        radio = page.get_by_test_id("stMain").get_by_test_id("stRadio").first
        radio.get_by_text("Veränderung zum Vorjahr (absolut)").click()
        wait_until(page, lambda: frames.finished(since) >= 1)  # the rerun has ended
        page.wait_for_timeout(2500)  # deck.gl applies the new rows
        assert frames.runs(since) == (1, 1)  # one run, of the fragment alone (no full rerun)
        (changed,) = frames.decks(since)
        (new_layer,) = changed["layers"]
        assert new_layer["data"] == layer["data"]  # the same file ...
        assert new_layer["dataTransform"] != layer["dataTransform"]  # ... other colours
        assert "coordinates" not in json.dumps(changed)
        # what the change sent over the websocket is less than the shapes alone
        assert sum(frames.sizes[since:]) < shapes_bytes
        # and the shapes did not come again with a body (a revalidation answers 304)
        again = [r for r in responses[fetched:] if "/app/static/geo/kreise-" in r.url]
        assert all(r.status == 304 or r.request.headers.get("if-none-match") for r in again) or not again, [
            (r.url, r.status) for r in again
        ]
        after = deck.screenshot()
        change = class_colours(after, list(maps.DIVERGING))
        assert len(change) >= 3, change  # still drawn, diverging around 0
        assert colours(after) != colours(before)  # in other colours
    finally:
        context.close()


def test_the_rollout_score_map_loads_the_same_shapes_file_and_is_drawn_in_its_classes(
    browser, app_url: str
) -> None:
    """The Rollout-Planer's score map like the Regionen map: one shapes file of the app's own
    origin, a deck without coordinates that names it, nothing from another host, and the map
    drawn in several of its viridis class colours."""
    from playwright.sync_api import expect

    from analytics import maps

    context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    frames = Frames(page)
    responses: list = []
    requests: list[str] = []
    page.on("response", lambda response: responses.append(response))
    page.on("request", lambda request: requests.append(request.url))
    try:
        deck, files = open_map_page(page, frames, responses, f"{app_url}rollout-planer?demo_role=ministry")
        shapes_bytes = len(files[0].body())
        (spec,) = frames.decks()
        (layer,) = spec["layers"]
        assert layer["data"] == urlsplit(files[0].url).path.lstrip("/")
        assert "coordinates" not in json.dumps(spec) and len(json.dumps(spec)) < shapes_bytes
        assert spec.get("mapStyle") in (None, "__MAP_STYLE__")  # no basemap
        host = urlsplit(app_url).hostname
        outside = [
            u
            for u in requests
            if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).hostname != host
        ]
        assert outside == [], outside
        # the legend of the classes under the map
        expect(page.get_by_role("list", name="Score je Kreis")).to_be_visible()
        deck.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        drawn = class_colours(deck.screenshot(), list(maps.VIRIDIS))
        assert len(drawn) >= 4, drawn  # quintiles of the 47 demo Kreise: the map is drawn
    finally:
        context.close()
