"""A deep link opened in the very first session after the server starts shows its page and no
"Page not found" (issue #11; cause in tests/test_deep_links.py). The server of this module
is its own (module-scoped fixture ``app_url``), so the first request below is its first
session."""

from __future__ import annotations

import pytest

from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser


def test_first_session_opens_a_deep_link(browser, app_url: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(app_url + "foerderung?demo_role=ministry", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Förderung").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_text("Datenstand").first).to_be_attached(timeout=RENDER_TIMEOUT_MS)
        page.wait_for_timeout(1000)  # a "Page not found" dialog would have arrived by now
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_role("dialog")).to_have_count(0)
        # and a second deep link in a new session
        page.goto(app_url + "uebersicht?demo_role=ministry", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Übersicht").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        expect(page.get_by_text("Page not found")).to_have_count(0)
    finally:
        context.close()


def test_a_deep_link_before_signing_in_shows_the_sign_in_and_then_its_page(browser, app_url: str) -> None:
    """Not signed in, /regionen is the sign-in screen at that address (no data, no "Page not
    found"); after the demo sign-in the same address shows Regionen."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(app_url + "regionen", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Anmeldung").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        page.wait_for_timeout(1000)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_text("Arbeitslose je gemeldete Arbeitsstelle")).to_have_count(0)
        page.get_by_role("button", name="Als Demo-Rolle anmelden").click()
        expect(page.get_by_role("heading", name="Regionen").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        assert "/regionen" in page.url
        expect(page.get_by_text("Page not found")).to_have_count(0)
    finally:
        context.close()
