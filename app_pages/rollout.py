"""Rollout-Planer (#15): the page reads its widgets and renders the view of analytics.views.rollout."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from analytics.messages import msg
from analytics.rollout import DEFAULT_WEIGHTS, INDICATORS, MAX_COMPARE, METHODS
from analytics.scenarios import Scenario, load_scenarios, save_scenario
from analytics.views.rollout import rollout_view
from app_pages.common import (
    cached_view,
    kreis_names,
    lang,
    number_field,
    role,
    settings,
    view_filters,
)
from app_pages.render import render

lg = lang()
kreise = kreis_names()
codes = list(kreise)


def label(a: str) -> str:
    return f"{kreise[a]} ({a})"


NUMBER_KEYS = ["rollout_distance", *(f"rollout_w_{i.key}" for i in INDICATORS)]


def load(scenario: Scenario) -> None:
    """Put a saved scenario into the widgets (before they are drawn in the next run)."""
    state = st.session_state
    state["rollout_method"], state["rollout_scope"] = scenario.method, scenario.scope
    state["rollout_basis"] = scenario.basis
    state["rollout_compare"] = [a for a in scenario.compare if a in kreise]
    state["rollout_candidate"] = scenario.candidate if scenario.candidate in kreise else None
    state["rollout_distance"] = scenario.distance
    for i in INDICATORS:
        state[f"rollout_w_{i.key}"] = scenario.weights.get(i.key, DEFAULT_WEIGHTS[i.key])
    for key in NUMBER_KEYS:  # the text fields show the loaded numbers
        for code in ("de", "en"):
            state.pop(f"{key}__{code}", None)
    state["rollout_note"] = ("success", msg("rollout.scenario_loaded", lg, name=scenario.name))


def save() -> None:
    state = st.session_state
    try:
        scenario = Scenario(
            name=state.get("rollout_scenario_name", ""),
            method=state.get("rollout_method", "rank"),
            scope=state.get("rollout_scope", "extended"),
            basis=state.get("rollout_basis", "svb"),
            distance=state.get("rollout_distance", 50.0),
            weights={i.key: state.get(f"rollout_w_{i.key}", DEFAULT_WEIGHTS[i.key]) for i in INDICATORS},
            compare=list(state.get("rollout_compare", [])),
            candidate=state.get("rollout_candidate"),
        )
        save_scenario(settings(), scenario, role())
        state["rollout_note"] = ("success", msg("rollout.scenario_saved", lg, name=scenario.name))
    except (ValidationError, ValueError, OSError):
        state["rollout_note"] = ("error", msg("rollout.scenario_invalid", lg))


def read_url() -> None:
    """The page's own link values (read once per session, checked): ?vergleich=AGS,AGS
    &kandidat=AGS&profil=AGS&normierung=rank|zscore."""
    state = st.session_state
    if state.get("_rollout_url_read"):
        return
    state["_rollout_url_read"] = True
    compare = [a for a in (st.query_params.get("vergleich") or "").split(",") if a in kreise]
    if compare:
        state["rollout_compare"] = list(dict.fromkeys(compare))[:MAX_COMPARE]
    for name, key in (("kandidat", "rollout_candidate"), ("profil", "rollout_profile")):
        if st.query_params.get(name) in kreise:
            state[key] = st.query_params.get(name)
    if st.query_params.get("normierung") in METHODS:
        state["rollout_method"] = st.query_params.get("normierung")


def write_url(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
        elif not value and name in st.query_params:
            del st.query_params[name]


read_url()
st.sidebar.subheader(msg("rollout.w_heading", lg))
saved, damaged = load_scenarios(settings())
with st.sidebar.expander(msg("rollout.scenarios", lg)):
    if damaged:
        st.warning(msg("rollout.scenario_damaged", lg))
    if saved:
        chosen = st.selectbox(msg("rollout.scenario_pick", lg), list(saved), key="rollout_scenario_pick")
        st.button(msg("rollout.scenario_load", lg), on_click=load, args=(saved[chosen],), key="rollout_load")
    st.text_input(msg("rollout.scenario_name", lg), key="rollout_scenario_name", max_chars=60)
    st.button(msg("rollout.scenario_save", lg), on_click=save, key="rollout_save")
    note = st.session_state.pop("rollout_note", None)
    if note is not None:
        (st.success if note[0] == "success" else st.error)(note[1])
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
    msg("rollout.w_compare", lg),
    codes,
    key="rollout_compare",
    max_selections=MAX_COMPARE,
    format_func=label,
    placeholder=msg("widget.choose_kreise", lg),
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

write_url(
    {
        "vergleich": ",".join(compare) or None,
        "kandidat": candidate,
        "profil": profile,
        "normierung": method if method != "rank" else None,
    }
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
)
render(cached_view(rollout_view, filters), download_key="rollout_xlsx")
