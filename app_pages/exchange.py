"""Arbeitsmarktdrehscheibe (#14): announced cuts against needs in reach, drawn from its view;
the page only reads the horizon and the matching rules."""

from __future__ import annotations

import streamlit as st

from analytics.exchange import HORIZONS, REACH_MODES, MatchRules
from analytics.messages import msg
from analytics.views.exchange import exchange_view
from app_pages.common import cached_view, lang, view_filters
from app_pages.render import render

lg, rules = lang(), MatchRules()
st.sidebar.subheader(msg("exchange.title", lg))
# one widget per language (a selectbox keeps the labels it was first drawn with); the choice
# itself is kept across the switch
horizon = st.sidebar.selectbox(
    msg("exchange.horizon", lg),
    HORIZONS,
    index=HORIZONS.index(st.session_state.get("exchange_horizon", "6")),
    format_func=lambda h: msg(f"exchange.horizon_{h}", lg),
    key=f"exchange_horizon_{lg}",
)
st.session_state["exchange_horizon"] = horizon
with st.sidebar.expander(msg("exchange.widget_rules", lg)):
    reach = st.radio(
        msg("exchange.widget_reach", lg),
        REACH_MODES,
        format_func=lambda m: msg(f"exchange.widget_reach_{m}", lg),
        key=f"exchange_reach_{lg}",
    )
    max_km = st.slider(msg("exchange.widget_km", lg), 10, 150, int(rules.max_km), 5, key="exchange_km")
    drop = st.selectbox(msg("exchange.widget_level", lg), (0, 1, 2, 3), index=1, key="exchange_level")
    related = st.slider(
        msg("exchange.widget_related", lg), 0.0, 1.0, rules.related_weight, 0.05, key="exchange_rel"
    )
    switch = st.slider(
        msg("exchange.widget_switch", lg), 0.0, 1.0, rules.switch_weight, 0.05, key="exchange_sw"
    )
    min_switches = st.number_input(
        msg("exchange.widget_min_switches", lg), 1, 50, rules.min_switches, 1, key="exchange_min_sw"
    )
    few = st.slider(msg("exchange.widget_few", lg), 0, 100, 10, 5, key="exchange_few")

filters = view_filters(
    st.session_state["filters"],
    horizon=horizon,
    max_km=float(max_km),
    reach=reach,
    max_level_drop=int(drop),
    related_weight=float(related),
    switch_weight=float(switch),
    min_switches=int(min_switches),
    few_share=few / 100,
)
render(cached_view(exchange_view, filters), download_key="exchange_xlsx")
