"""Arbeit bewegen! – labour-market cockpit. Router: navigation, language, global filters."""

from __future__ import annotations

import os

# One server process serves every session, each in its own thread (README "Limits"). Polars
# reads its pool size once, when it is first imported: set it before anything imports polars.
os.environ.setdefault("POLARS_MAX_THREADS", str(min(4, os.cpu_count() or 1)))
# Polars' allocator returns freed memory at once (why: pipelines/__init__.py, the same setting)
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:50,muzzy_decay_ms:0")

# Imported whole before sessions run: plotly imports pandas lazily and takes it from
# sys.modules, so two sessions drawing their first chart at once could get a half-imported
# pandas ("partially initialized module 'pandas'"); here the import lock makes them wait.
import pandas  # noqa: E402, F401
import streamlit as st  # noqa: E402

from app_pages import auth, common  # noqa: E402

st.set_page_config(page_title="Arbeit bewegen! – Cockpit", page_icon="🔀", layout="wide")


def navigation_pages() -> dict[str, list[st.Page]]:
    """Sections of the navigation; each page registers once here (automatic discovery is off)."""
    return {
        common.t("section_network"): [
            st.Page(
                "app_pages/overview.py",
                title=common.t("nav_overview"),
                url_path="start",  # the default page is served at the root URL
                icon=":material/dashboard:",
                default=True,
            ),
            # the same page under its own name, so that a deep link /uebersicht opens it too
            st.Page(
                "app_pages/overview.py",
                title=common.t("nav_overview"),
                url_path="uebersicht",
                icon=":material/dashboard:",
                visibility="hidden",
            ),
            st.Page(
                "app_pages/flows.py",
                title=common.t("nav_flows"),
                url_path="uebergaenge",
                icon=":material/account_tree:",
            ),
            st.Page(
                "app_pages/funding.py",
                title=common.t("nav_funding"),
                url_path="foerderung",
                icon=":material/euro:",
            ),
            st.Page(
                "app_pages/exchange.py",
                title=common.t("nav_exchange"),
                url_path="drehscheibe",
                icon=":material/swap_horiz:",
            ),
            st.Page(
                "app_pages/rollout.py",
                title=common.t("nav_rollout"),
                url_path="rollout-planer",
                icon=":material/explore:",
            ),
        ],
        common.t("section_market"): [
            st.Page(
                "app_pages/regions.py",
                title=common.t("nav_regions"),
                url_path="regionen",
                icon=":material/map:",
            ),
            st.Page(
                "app_pages/automotive.py",
                title=common.t("nav_automotive"),
                url_path="automobil",
                icon=":material/directions_car:",
            ),
            st.Page(
                "app_pages/trends.py",
                title=common.t("nav_trends"),
                url_path="quartalstrends",
                icon=":material/trending_up:",
            ),
        ],
        common.t("section_data"): [
            st.Page(
                "app_pages/statistics_upload.py",
                title=common.t("nav_statistics_upload"),
                url_path="statistik-laden",
                icon=":material/upload_file:",
            ),
            st.Page(
                "app_pages/case_import.py",
                title=common.t("nav_case_import"),
                url_path="falldaten-import",
                icon=":material/upload_file:",
            ),
            st.Page(
                "app_pages/data_quality.py",
                title=common.t("nav_data_quality"),
                url_path="datenqualitaet",
                icon=":material/fact_check:",
            ),
        ],
    }


# One page run: at most `max_concurrent_runs` at once, on the warehouse in service when it
# starts (README "Limits").
with common.run_slot():
    common.language_switch()
    common.open_warehouse_or_stop()
    sections = navigation_pages()
    paths = tuple(page.url_path for pages in sections.values() for page in pages)
    role = auth.sign_in(paths)  # the sign-in screen (no data) and stop until someone signed in
    navigation = st.navigation(auth.pages_for(role, sections))
    st.session_state["filters"] = common.global_filters(role)
    if common.data_status().is_demo:
        st.sidebar.warning(common.t("demo_badge"), icon=":material/science:")
    navigation.run()
    common.footer()
