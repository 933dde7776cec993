"""No request leaves the app's own origin (issue #11): every page, opened in headless Debian
chromium on the demo warehouse, asks only the Streamlit server for anything (no basemap style,
tiles, fonts or icons from third parties). Every request of the page is recorded, including
those deck.gl or plotly would send after drawing (fixtures: tests/browser_support.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser

# url path -> heading text the page shows once it has rendered
PAGES = {
    "": "Übersicht",
    "uebersicht": "Übersicht",  # the default page under its own name (a deep link)
    "uebergaenge": "Branchen & Übergänge",
    "foerderung": "Förderung",
    "drehscheibe": "Arbeitsmarktdrehscheibe",
    "regionen": "Regionen",
    "automobil": "Automobilwirtschaft",
    "quartalstrends": "Trends",
}


def foreign_requests(urls: list[str], origin: str) -> list[str]:
    """The recorded URLs that go to any other origin than ``origin`` (data:/blob: are local)."""
    own = urlsplit(origin)
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in ("data", "blob")
        and (urlsplit(url).scheme, urlsplit(url).netloc) != (own.scheme, own.netloc)
    ]


def test_foreign_requests_are_recognised() -> None:
    origin = "http://127.0.0.1:8650/"
    urls = [
        "http://127.0.0.1:8650/static/js/main.js",
        "data:image/png;base64,AAA",
        "https://basemaps.cartocdn.com/gl/positron-gl-style/style.json",
        "http://127.0.0.1:9999/other",
    ]
    assert foreign_requests(urls, origin) == [urls[2], urls[3]]


@pytest.mark.parametrize("path", list(PAGES))
def test_page_requests_only_its_own_origin(browser, app_url: str, path: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    try:
        page = context.new_page()
        page.goto(app_url + path + "?demo_role=ministry", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name=PAGES[path]).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_text("Datenstand").first).to_be_attached(timeout=RENDER_TIMEOUT_MS)
        decks = page.get_by_test_id("stDeckGlJsonChart")
        if decks.count():
            expect(decks.first.locator("canvas").first).to_be_attached(timeout=RENDER_TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)  # deck.gl asks for its style and tiles after the first frame
    finally:
        context.close()
    assert requests, "no request recorded"
    assert foreign_requests(requests, app_url) == []


# a sample of the matrix (page × region × quarter × language) as links
LINKS = [
    ("uebersicht?region=network&quarter=2026-Q2&lang=en", "Overview", "All network regions", "Q2 2026"),
    (
        "quartalstrends?region=agentur&quarter=2026-Q3&lang=de",
        "Trends",
        "Agentur für Arbeit Hildesheim",
        "Q3 2026",
    ),
    ("regionen?region=land_03&quarter=2026-Q1&lang=en", "Regions", "State of Niedersachsen", "Q1 2026"),
    ("uebergaenge?region=03254,03241&quarter=2026-Q3&lang=de", "Branchen", "Eigene Auswahl", "Q3 2026"),
]


@pytest.mark.parametrize(("link", "heading", "region", "quarter"), LINKS)
def test_a_link_opens_the_same_view(browser, app_url: str, link, heading, region, quarter) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(app_url + link + "&demo_role=ministry", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        sidebar = page.get_by_test_id("stSidebar")
        boxes = sidebar.get_by_role("combobox")
        expect(boxes.nth(0)).to_have_value(region, timeout=RENDER_TIMEOUT_MS)
        expect(boxes.nth(-1)).to_have_value(quarter, timeout=RENDER_TIMEOUT_MS)
        expect(page).to_have_url(re.compile(re.escape(link.split("?")[1].split("&")[1])))  # quarter kept
    finally:
        context.close()
