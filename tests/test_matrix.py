"""The matrix (issue #11): every page × every region preset and one custom selection × two
quarters × both languages renders without an exception, for each role (tiny warehouse,
AppTest). The roles take turns over the combinations, so that each role meets every page,
region, quarter and language while the test stays within about a minute; the agency also
with its unprotected toggle on. The views themselves are attacked in tests/test_views.py."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.settings import get_settings

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = (
    "app_pages/overview.py",
    "app_pages/flows.py",
    "app_pages/funding.py",
    "app_pages/exchange.py",
    "app_pages/rollout.py",
    "app_pages/regions.py",
    "app_pages/automotive.py",
    "app_pages/trends.py",
    "app_pages/statistics_upload.py",
    "app_pages/case_import.py",
    "app_pages/data_quality.py",
)
REGIONS = ("hildesheim", "agentur", "network", "land_03", "land_04", "all", "custom")
QUARTERS = ("Q2 2026", "Q3 2026")
LANGS = ("de", "en")
ROLES = ("agency", "ministry", "social_partner")
AGENCY_ONLY = ("app_pages/statistics_upload.py", "app_pages/case_import.py")


def combinations() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(page, role) -> the (region, quarter×language) runs of that page for that role."""
    runs: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    cycle = itertools.cycle(ROLES)
    for page in PAGES:
        for region, quarter, lang in itertools.product(REGIONS, QUARTERS, LANGS):
            runs.setdefault((page, next(cycle)), []).append((region, quarter, lang))
    return runs


def test_every_role_meets_every_page_region_quarter_and_language():
    runs = combinations()
    for page in PAGES:
        for role in ROLES:
            seen = runs[(page, role)]
            assert len(seen) >= len(REGIONS) * len(QUARTERS) * len(LANGS) // len(ROLES)
    for role in ROLES:
        mine = [r for (p, ro), rs in runs.items() if ro == role for r in rs]
        assert {r[0] for r in mine} == set(REGIONS)
        assert {r[1] for r in mine} == set(QUARTERS) and {r[2] for r in mine} == set(LANGS)


@pytest.mark.parametrize(("page", "role"), list(combinations()), ids=lambda v: str(v))
def test_page_renders_for_every_filter(tiny_settings, monkeypatch, page, role):
    monkeypatch.setenv("COCKPIT_TEST_ROLE", role)  # the signed-in role (tests/conftest.py)
    get_settings.cache_clear()
    runs = combinations()[(page, role)]
    for lang in LANGS:
        # one session per language, opened by link (?lang=): AppTest cannot switch the
        # language of a session whose select boxes show translated labels
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        if role != "agency" and page in AGENCY_ONLY:
            # not registered for this role (app_pages.auth.pages_for): nothing to switch to
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)
            continue
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.sidebar.radio(key="lang").value == lang
        for region, quarter, _ in [r for r in runs if r[2] == lang]:
            at.sidebar.selectbox(key="region_preset").select(region)
            at.sidebar.selectbox(key="quarter").select(quarter)
            at.run()
            if region == "custom":
                at.sidebar.multiselect(key="region_custom").set_value(["03254", "04011"]).run()
            if role == "agency":
                at.sidebar.toggle(key="unprotected").set_value(quarter == "Q3 2026").run()
            where = (page, role, region, quarter, lang)
            assert not at.exception, (where, [e.value for e in at.exception])
            assert at.title, where
