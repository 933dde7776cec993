"""Regionen: supply and demand map of the Kreise (design §4, §5), drawn from its view."""

from __future__ import annotations

import streamlit as st

from analytics.messages import msg
from analytics.views.regions import regions_choices, regions_view
from app_pages.common import cached_view, lang, view_filters
from app_pages.render import render

filters = st.session_state["filters"]
lg = lang()


@st.fragment
def page() -> None:
    """The page's own widgets and what they change: a change of one of them reruns only
    this (not app.py's navigation, sidebar and filters; #14)."""
    head = st.container()
    choices = cached_view(regions_choices, view_filters(filters))
    widgets: dict[str, object] = {}
    if choices["periods"]:
        c1, c2, c3 = st.columns([3, 2, 3])  # the indicator names are long (English): not cut at 1280 px
        widgets["indicator"] = c1.selectbox(
            msg("regions.indicator", lg),
            list(choices["indicators"]),
            key="rg_indicator",
            format_func=choices["indicators"].__getitem__,
        )
        widgets["view"] = c2.radio(
            msg("regions.view", lg),
            list(choices["views"]),
            key="rg_view",
            format_func=choices["views"].__getitem__,
        )
        widgets["kldb"] = c3.selectbox(
            msg("regions.occupation", lg),
            list(choices["occupations"]),
            key="rg_kldb",
            format_func=choices["occupations"].__getitem__,
        )
        c4, c5, c6 = st.columns([2, 2, 3])
        asked = c4.radio(
            msg("regions.kind", lg),
            list(choices["kinds"]),
            key="rg_kind",
            horizontal=True,
            format_func=choices["kinds"].__getitem__,
        )
        kind, starts = choices["periods"][asked]
        labels = choices["period_labels"][kind]
        widgets["kind"] = asked
        widgets["start"] = c5.selectbox(
            msg("regions.period", lg), starts, key=f"rg_period_{kind}", format_func=labels.__getitem__
        )
        widgets["kreis"] = c6.selectbox(
            msg("regions.detail_kreis", lg),
            list(choices["kreise"]),
            key="rg_kreis",
            format_func=choices["kreise"].__getitem__,
        )
    render(cached_view(regions_view, view_filters(filters, **widgets)), download_key="rg_xlsx", head=head)


page()
