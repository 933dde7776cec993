"""Trends: quarterly view for the social partners (design §1, §4), drawn from its view."""

from __future__ import annotations

import streamlit as st

from analytics.messages import msg
from analytics.views.trends import trends_choices, trends_view
from app_pages.common import cached_view, lang, view_filters
from app_pages.render import render, report_download

filters = st.session_state["filters"]
lg = lang()


@st.fragment
def page() -> None:
    """The page's own widgets and what they change: a change of one of them reruns only
    this (not app.py's navigation, sidebar and filters; #14)."""
    head = st.container()
    choices = cached_view(trends_choices, view_filters(filters))
    c1, c2 = st.columns(2)
    kldb = c1.selectbox(
        msg("trends.occupation", lg),
        list(choices["occupations"]),
        key="tr_kldb",
        format_func=choices["occupations"].__getitem__,
    )
    sector = c2.selectbox(
        msg("trends.sector", lg),
        list(choices["sectors"]),
        key="tr_sector",
        format_func=choices["sectors"].__getitem__,
    )
    measure = st.radio(
        msg("trends.index_measure", lg),
        list(choices["measures"]),
        key="tr_index",
        horizontal=True,
        format_func=choices["measures"].__getitem__,
    )
    render(
        cached_view(trends_view, view_filters(filters, kldb=kldb, sector=sector, measure=measure)),
        download_key="tr_xlsx",
        head=head,
    )
    report_download(view_filters(filters))  # the social partners report quarterly (design §1)


page()
