"""Deep links (issue #11): "/uebersicht" in the first session after a server start showed
Streamlit's "Page not found". Cause: with a folder named ``pages`` beside the main script,
Streamlit takes the app for a pages-directory app (MPA v1) until the first ``st.navigation``
call (``PagesManager.uses_pages_directory``): the first session's first run resolves the URL
against the folder's file names (flows, funding, ...), finds no "uebersicht", sends "Page not
found" and only then runs app.py, whose navigation knows the page. The page scripts live in
``app_pages/``; nothing named ``pages`` may come back beside app.py. The browser test of the
first session is tests/test_browser_deep_links.py."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_pages_folder_beside_the_main_script():
    assert (ROOT / "app.py").exists()
    assert not (ROOT / "pages").exists(), "a 'pages' folder beside app.py makes Streamlit route by files"
    assert (ROOT / "app_pages" / "overview.py").exists()
