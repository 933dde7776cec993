"""Arbeitsmarktdrehscheibe (#14): announced cuts against needs in reach, drawn from its view;
the page only reads the horizon and the matching rules, and keeps them in the link."""

from __future__ import annotations

import streamlit as st

from analytics.exchange import HORIZONS, REACH_MODES
from analytics.messages import msg
from analytics.views.exchange import (
    FEW_RANGE,
    KM_RANGE,
    LEVEL_DROPS,
    MIN_SWITCH_RANGE,
    PAGE_DEFAULTS,
    URL_NAMES,
    WEIGHT_STEP,
    exchange_view,
    page_state_from_url,
    url_from_page_state,
)
from app_pages.common import cached_view, lang, view_filters
from app_pages.render import render

# widget keys of the choices that are the same widget in both languages
KEYS = {
    "max_km": "exchange_km",
    "max_level_drop": "exchange_level",
    "related_weight": "exchange_rel",
    "switch_weight": "exchange_sw",
    "min_switches": "exchange_min_sw",
    "few_percent": "exchange_few",
}


def read_url() -> None:
    """The choices of the link the session was opened with (read once per session, checked);
    later the link follows the widgets."""
    state = st.session_state
    if state.get("_exchange_url_read"):
        return
    state["_exchange_url_read"] = True
    wanted = page_state_from_url({name: st.query_params.get(name) for name in URL_NAMES.values()})
    for key, value in wanted.items():
        state[f"exchange_{key}" if key in ("horizon", "reach") else KEYS[key]] = value


def write_url(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
        elif not value and name in st.query_params:
            del st.query_params[name]


read_url()
lg, state = lang(), st.session_state
for key, widget in KEYS.items():  # the defaults, unless the link or the user set them
    state.setdefault(widget, PAGE_DEFAULTS[key])
st.sidebar.subheader(msg("exchange.title", lg))
# one widget per language (a selectbox keeps the labels it was first drawn with); the choice
# itself is kept across the switch
horizon = st.sidebar.selectbox(
    msg("exchange.horizon", lg),
    HORIZONS,
    index=HORIZONS.index(state.get("exchange_horizon", PAGE_DEFAULTS["horizon"])),
    format_func=lambda h: msg(f"exchange.horizon_{h}", lg),
    key=f"exchange_horizon_{lg}",
)
state["exchange_horizon"] = horizon
with st.sidebar.expander(msg("exchange.widget_rules", lg)):
    reach = st.radio(
        msg("exchange.widget_reach", lg),
        REACH_MODES,
        index=REACH_MODES.index(state.get("exchange_reach", PAGE_DEFAULTS["reach"])),
        format_func=lambda m: msg(f"exchange.widget_reach_{m}", lg),
        key=f"exchange_reach_{lg}",
    )
    state["exchange_reach"] = reach
    low, high, step = KM_RANGE
    max_km = st.slider(msg("exchange.widget_km", lg), low, high, step=step, key=KEYS["max_km"])
    drop = st.selectbox(msg("exchange.widget_level", lg), LEVEL_DROPS, key=KEYS["max_level_drop"])
    related = st.slider(
        msg("exchange.widget_related", lg), 0.0, 1.0, step=WEIGHT_STEP, key=KEYS["related_weight"]
    )
    switch = st.slider(
        msg("exchange.widget_switch", lg), 0.0, 1.0, step=WEIGHT_STEP, key=KEYS["switch_weight"]
    )
    min_switches = st.number_input(
        msg("exchange.widget_min_switches", lg), *MIN_SWITCH_RANGE, step=1, key=KEYS["min_switches"]
    )
    low, high, step = FEW_RANGE
    few = st.slider(msg("exchange.widget_few", lg), low, high, step=step, key=KEYS["few_percent"])

choices = {
    "horizon": horizon,
    "reach": reach,
    "max_km": int(max_km),
    "max_level_drop": int(drop),
    "related_weight": round(float(related), 2),
    "switch_weight": round(float(switch), 2),
    "min_switches": int(min_switches),
    "few_percent": int(few),
}
write_url(url_from_page_state(choices))
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
