"""Automobilwirtschaft: automotive exposure of the Kreise and the network's firms (design §4,
§5), drawn from its view."""

from __future__ import annotations

import streamlit as st

from analytics.messages import msg
from analytics.views.automotive import automotive_choices, automotive_view
from app_pages.common import cached_view, lang, view_filters
from app_pages.render import render

filters = st.session_state["filters"]
lg = lang()


@st.fragment
def page() -> None:
    """The page's own widgets and what they change: a change of one of them reruns only
    this (not app.py's navigation, sidebar and filters; #14)."""
    head = st.container()
    choices = cached_view(automotive_choices, view_filters(filters))
    widgets: dict[str, object] = {}
    if choices["dates"]:
        c1, c2, c3 = st.columns([2, 2, 3])
        widgets["scope"] = c1.radio(
            msg("auto.scope", lg),
            list(choices["scopes"]),
            key="au_scope",
            format_func=choices["scopes"].__getitem__,
        )
        widgets["date"] = c2.selectbox(
            msg("auto.date", lg),
            choices["dates"],
            key="au_date",
            format_func=choices["date_labels"].__getitem__,
        )
        widgets["indicator"] = c3.selectbox(
            msg("auto.indicator", lg),
            list(choices["indicators"]),
            key="au_indicator",
            format_func=choices["indicators"].__getitem__,
        )
        widgets["firms"] = st.toggle(msg("auto.show_firms", lg), value=True, key="au_firms")
    render(cached_view(automotive_view, view_filters(filters, **widgets)), download_key="au_xlsx", head=head)


page()
