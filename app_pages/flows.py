"""Branchen & Übergänge: where the network's participants went (sector, occupation, region),
drawn from its view (analytics.views.flows)."""

from __future__ import annotations

import streamlit as st

from analytics.messages import msg
from analytics.views.flows import DIGITS, flow_scopes, flows_view
from app_pages.common import cached_view, lang, view_filters
from app_pages.render import render

filters = st.session_state["filters"]
lg = lang()


@st.fragment
def page() -> None:
    """The page's own widgets and what they change: a change of one of them reruns only
    this (not app.py's navigation, sidebar and filters; #14)."""
    head = st.container()
    scopes = flow_scopes(filters.protected)
    scope = scopes[0]
    if len(scopes) > 1:  # under disclosure control the quarter only; the view says why
        scope = st.radio(
            msg("flows.scope", lg),
            list(scopes),
            horizontal=True,
            key="flows_scope",
            format_func=lambda s: msg(f"flows.scope_{s}", lg),
        )
    grouped = st.toggle(msg("flows.grouped", lg), value=True, key="flows_grouped")
    digits = st.radio(
        msg("flows.digits", lg),
        list(DIGITS),
        horizontal=True,
        key="flows_digits",
        format_func=lambda d: msg(f"flows.digits_{d}", lg),
    )
    render(
        cached_view(flows_view, view_filters(filters, scope=scope, grouped=grouped, digits=digits)),
        download_key="flows_xlsx",
        head=head,
    )


page()
