"""Rollout-Planer (#15): the page reads its widgets and renders the view of analytics.views.rollout."""

from __future__ import annotations

import streamlit as st

from analytics.messages import msg
from analytics.rollout import DEFAULT_WEIGHTS, INDICATORS, MAX_COMPARE, METHODS
from analytics.views.rollout import rollout_view
from pages.common import _kreise, cached_view, lang, number_field, settings, view_filters, warehouse_key
from pages.render import render

lg = lang()
kreise = _kreise(*warehouse_key())
codes = list(kreise)


def label(a: str) -> str:
    return f"{kreise[a]} ({a})"


st.sidebar.subheader(msg("rollout.w_heading", lg))
with st.sidebar.expander(msg("rollout.w_weights", lg), expanded=False):
    method = st.radio(
        msg("rollout.w_method", lg),
        METHODS,
        key="rollout_method",
        format_func=lambda m: msg(f"rollout.method_{m}", lg),
    )
    scope = st.radio(
        msg("rollout.w_scope", lg),
        ("extended", "core"),
        key="rollout_scope",
        format_func=lambda s: msg(f"rollout.scope_{s}", lg),
    )
    distance = number_field(st, msg("rollout.w_distance", lg), "rollout_distance", 50.0, 0.0, 300.0, 0)
    weights = tuple(
        (
            i.key,
            number_field(
                st, msg(f"rollout.ind.{i.key}", lg), f"rollout_w_{i.key}", DEFAULT_WEIGHTS[i.key], 0, 10
            ),
        )
        for i in INDICATORS
    )

side = st.sidebar
profile = side.selectbox(
    msg("rollout.w_profile", lg),
    [None, *codes],
    key="rollout_profile",
    format_func=lambda a: "–" if a is None else label(a),
)
compare = side.multiselect(
    msg("rollout.w_compare", lg), codes, key="rollout_compare", max_selections=MAX_COMPARE, format_func=label
)
candidate = side.selectbox(
    msg("rollout.w_candidate", lg),
    [None, *codes],
    key="rollout_candidate",
    format_func=lambda a: "–" if a is None else label(a),
)
basis = side.radio(
    msg("rollout.w_basis", lg),
    ("svb", "cuts"),
    key="rollout_basis",
    horizontal=True,
    format_func=lambda b: msg(f"rollout.basis_{b}", lg),
)

filters = view_filters(
    st.session_state["filters"],
    method=method,
    scope=scope,
    distance=distance,
    weights=weights,
    profile=profile,
    compare=tuple(compare),
    candidate=candidate,
    basis=basis,
    role=settings().role,
)
render(cached_view(rollout_view, filters), download_key="rollout_xlsx")
