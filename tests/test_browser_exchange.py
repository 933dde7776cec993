"""The Arbeitsmarktdrehscheibe in headless Debian chromium on the demo warehouse: the
Hildesheim story (Innerste Antriebskomponenten GmbH cuts 70 jobs in metalworking and 50 in
mechatronics; needs in Peine, Salzgitter and Hannover) is on the page in German and English,
without an exception; other roles see no firm; a link keeps the matching rules
(fixtures: browser_support). Tables are Streamlit data grids drawn on a canvas: their cells
are read from the grid's accessible table, which holds the rows drawn."""

from __future__ import annotations

import pytest

from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser

STORY_FIRM = "Innerste Antriebskomponenten GmbH"


def _open(browser, url: str):
    from playwright.sync_api import expect

    expect.set_options(timeout=RENDER_TIMEOUT_MS)  # the first run of a page can take a while
    context = browser.new_context(viewport={"width": 1280, "height": 1600}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    page = context.new_page()
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Arbeitsmarktdrehscheibe").first).to_be_visible()
    # the first session after a server start may get Streamlit's "Page not found" notice for
    # a deep link (see test_browser_maps): close it
    page.wait_for_timeout(1000)
    notice = page.get_by_role("dialog")
    if notice.count():
        page.keyboard.press("Escape")
        expect(notice).to_have_count(0)
    return context, page


def _no_exception(page) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert "Traceback" not in page.inner_text("body")


def test_the_hildesheim_story_in_german_and_english(browser, app_url: str) -> None:
    from playwright.sync_api import expect

    context, page = _open(browser, f"{app_url}drehscheibe?demo_role=agency")
    try:
        page.get_by_test_id("stSidebar").get_by_text("Ungeschützte Werte (intern)").click()
        expect(page.get_by_role("heading", name="Einzelne Meldungen (nur Agentur)")).to_be_visible()
        main = page.get_by_test_id("stMain")
        cuts = main.locator("table").filter(has_text="Angekündigt (Personen)")
        expect(cuts.locator("tr").filter(has_text=STORY_FIRM).filter(has_text="24222")).to_contain_text("70")
        expect(cuts.locator("tr").filter(has_text=STORY_FIRM).filter(has_text="26122")).to_contain_text("50")
        matches = main.locator("table").filter(has_text="Suchender Betrieb")
        for kreis in ("Peine", "Salzgitter", "Region Hannover"):
            expect(
                matches.locator("tr").filter(has_text=STORY_FIRM).filter(has_text=kreis).first
            ).to_be_attached()
        expect(main.get_by_text("So wird zugeordnet:")).to_be_visible()
        _no_exception(page)

        page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
        expect(page.get_by_role("heading", name="Labour-market exchange (Drehscheibe)").first).to_be_visible()
        expect(page.get_by_role("heading", name="Single announcements (agency only)")).to_be_visible()
        cuts = main.locator("table").filter(has_text="Announced (persons)")
        expect(cuts.locator("tr").filter(has_text=STORY_FIRM).filter(has_text="24222")).to_contain_text("70")
        matches = main.locator("table").filter(has_text="Firm seeking")
        for kreis in ("Peine", "Salzgitter", "Region Hannover"):
            expect(
                matches.locator("tr").filter(has_text=STORY_FIRM).filter(has_text=kreis).first
            ).to_be_attached()
        expect(main.get_by_text("How matching works:")).to_be_visible()
        assert "lang=en" in page.url
        _no_exception(page)
    finally:
        context.close()


def test_ministry_sees_the_story_only_in_sums_and_a_link_keeps_the_rules(browser, app_url: str) -> None:
    from playwright.sync_api import expect

    context, page = _open(browser, f"{app_url}drehscheibe?demo_role=ministry&horizont=12&km=30")
    try:
        main = page.get_by_test_id("stMain")
        groups = main.locator("table").filter(has_text="Erster Abbau wirksam")
        # metalworking (242) is the cut of one firm: "*" for the ministry
        expect(groups.locator("tr").filter(has_text="Metallbearbeitung")).to_contain_text("*")
        expect(main.get_by_text("in den nächsten 12 Monaten").first).to_be_visible()
        expect(main.get_by_text("im Umkreis von 30 km").first).to_be_visible()
        expect(main.get_by_text("nur die Transformationsagentur", exact=False)).to_be_visible()
        assert STORY_FIRM not in page.inner_text("body")
        assert "horizont=12" in page.url and "km=30" in page.url
        _no_exception(page)
    finally:
        context.close()
