"""The real OpenID Connect sign-in (#13) in headless Debian chromium: a local provider
(``oidc-provider-mock``, on 127.0.0.1 in a thread of the test) and the app configured for it
through a secrets file of the test (``[auth]``, as in .streamlit/secrets.toml).

Each role signs in through the provider's authorisation form and sees what it may see; a
person without a role, and a session that has not signed in, see no number."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.load import free_port, serve_app
from tests.browser_support import RENDER_TIMEOUT_MS

pytestmark = pytest.mark.browser

USERS = {
    "ta@transformationsagentur.example": {"cockpit_role": "agency"},
    "referat@mw.example": {"cockpit_role": "ministry"},
    "betriebsrat@igm.example": {"cockpit_role": "social_partner"},
    "gast@example.org": {},  # signed in at the provider, but no role in the cockpit
}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The mock provider: discovery, authorize (a form with one button per user), token with
    an RS256 ID token carrying the user's claims, JWKS."""
    import oidc_provider_mock
    import werkzeug.serving

    users = [
        oidc_provider_mock.User(sub=email, claims={"email": email, **claims})
        for email, claims in USERS.items()
    ]
    server = werkzeug.serving.make_server(
        "127.0.0.1", free_port(), oidc_provider_mock.app(user_claims=users), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def oidc_app(
    data_dir: Path, provider: str, folder: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """The app on ``data_dir`` with the sign-in through ``provider`` (a secrets file of the
    test); ``extra_env``: further settings of the server (e.g. ``COCKPIT_CASE_ID_KEY``)."""
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "test-cookie-secret-not-for-production"\n'
        'client_id = "cockpit-test"\n'
        'client_secret = "cockpit-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    log = folder / "streamlit.log"
    try:
        with serve_app(
            data_dir, log, port=port, extra_env={"STREAMLIT_SECRETS_FILES": str(secrets), **(extra_env or {})}
        ) as (
            url,
            _process,
        ):
            yield url
    except Exception:
        print(log.read_text(errors="replace"))
        raise


@pytest.fixture(scope="module")
def signin_app(demo_dir: Path, provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oidc_app(demo_dir, provider, tmp_path_factory.mktemp("signin")) as url:
        yield url


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="de-DE")
    context.set_default_timeout(RENDER_TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def sign_in(page, url: str, email: str) -> None:
    from playwright.sync_api import expect

    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    # a provider is set up: no demo sign-in, and no number before signing in
    assert page.get_by_text("Demo-Anmeldung").count() == 0
    assert page.get_by_test_id("stMetric").count() == 0
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("button", name=email).click()  # the provider's form: this user
    page.wait_for_url(f"{url}**", timeout=RENDER_TIMEOUT_MS)


def nav_links(page) -> set[str]:
    links = page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()
    return {text.strip().splitlines()[-1].strip() for text in links}  # after the icon's name


@pytest.mark.parametrize(
    ("email", "role", "agency"),
    [
        ("ta@transformationsagentur.example", "Transformationsagentur", True),
        ("referat@mw.example", "Ministerium", False),
        ("betriebsrat@igm.example", "Sozialpartner", False),
    ],
)
def test_each_role_signs_in_and_sees_what_it_may(context, signin_app, email, role, agency, tmp_path):
    from playwright.sync_api import expect

    page = context.new_page()
    sign_in(page, signin_app, email)
    expect(page.get_by_role("heading", name="Übersicht").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.get_by_text(f"Angemeldet: {email} · Rolle: {role}")).to_be_visible()
    links = nav_links(page)
    assert {"Übersicht", "Datenqualität"} <= links
    assert ("Falldaten importieren" in links) == agency
    assert ("Statistik laden" in links) == agency
    assert (page.get_by_text("Ungeschützte Werte (intern)").count() > 0) == agency
    page.screenshot(path=str(tmp_path / f"signed_in_{role}.png"), full_page=True)
    # sign-out: back to the sign-in screen, no number
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("button", name="End session").click()  # the provider ends its session too
    expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert page.get_by_test_id("stMetric").count() == 0


def test_a_person_without_a_role_sees_no_number(context, signin_app):
    from playwright.sync_api import expect

    page = context.new_page()
    sign_in(page, signin_app, "gast@example.org")
    expect(page.get_by_text("haben aber keine Rolle im Cockpit")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert page.get_by_test_id("stMetric").count() == 0
    assert page.get_by_test_id("stSidebarNav").count() == 0
    # a direct link to a page shows nothing either
    page.goto(signin_app + "foerderung", wait_until="domcontentloaded")
    expect(page.get_by_text("haben aber keine Rolle im Cockpit")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    assert page.get_by_test_id("stMetric").count() == 0


def test_the_demo_link_is_refused_when_a_provider_is_set_up(context, signin_app):
    from playwright.sync_api import expect

    page = context.new_page()
    page.goto(signin_app + "?demo_role=agency", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Anmeldung")).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    page.wait_for_timeout(500)
    assert page.get_by_test_id("stMetric").count() == 0
