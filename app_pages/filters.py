"""The global filters (region, quarter, protection) of the sidebar, the signed-in role, and
their URL state (``?region=…&quarter=…&lang=…``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from analytics.messages import msg
from analytics.periods import Quarter, quarters_between
from app_pages.texts import lang, t
from app_pages.warehouse import _case_period, _kreise, _presets, settings, warehouse_key


def who() -> str:
    """Who signed in (e-mail address, or the demo sign-in), for the audit trail."""
    return str(st.session_state.get("_auth_who", "?"))


def role() -> str | None:
    """The signed-in role of this session (set by app_pages.auth.sign_in each run)."""
    filters = st.session_state.get("filters")
    return filters.role if filters is not None else None


@dataclass(frozen=True)
class Filters:
    region_key: str
    region_label: str
    ags: tuple[str, ...]
    quarter: Quarter
    data_until: date | None
    protected: bool = True  # disclosure control (design §6); off only for the agency role
    role: str | None = None  # of who signed in (app_pages.auth); checked in the query layer

    @property
    def quarter_is_partial(self) -> bool:
        return self.data_until is not None and self.data_until < self.quarter.end


def global_filters(role: str | None) -> Filters:
    """Region preset (or custom Kreise) and reporting quarter, kept in session state; the
    disclosure switch for the agency role."""
    key = warehouse_key()
    presets = _presets(*key)
    kreise = _kreise(*key)
    by_key = {p.key: p for p in presets}
    options = [p.key for p in presets] + ["custom"]
    _region_from_url(options, kreise)
    st.sidebar.header(t("filters"))
    choice = st.sidebar.selectbox(
        t("region"),
        options,
        key="region_preset",
        format_func=(
            {k: by_key[k].label(lang()) for k in by_key} | {"custom": t("custom_region")}
        ).__getitem__,
    )
    if choice == "custom":
        if not st.session_state.get("region_custom"):
            st.session_state["region_custom"] = ["03254"]
        selected = st.sidebar.multiselect(
            t("custom_kreise"),
            list(kreise),
            key="region_custom",
            format_func=lambda a: f"{kreise[a]} ({a})",
            placeholder=msg("widget.choose_kreise", lang()),  # not Streamlit's English default
        )
        ags = tuple(selected) or ("03254",)
        label = ", ".join(kreise[a] for a in ags[:4]) + (" …" if len(ags) > 4 else "")
    else:
        ags, label = by_key[choice].ags, by_key[choice].label(lang())

    period = _case_period(*key)
    cfg = settings()
    until = period[1] if period else date.today()
    quarters = quarters_between(cfg.project_start, max(until, cfg.project_start))[::-1]
    labels = [q.label() for q in quarters]
    partial = {q.label() for q in quarters if q.end > until}
    complete = [label for label in labels if label not in partial]
    wanted = _url_value("quarter")
    if wanted is not None:
        try:
            wanted_label = Quarter.parse(wanted).label()
        except ValueError:
            wanted_label = None
        if wanted_label in labels:
            st.session_state["quarter"] = wanted_label
    if "quarter" not in st.session_state or st.session_state["quarter"] not in labels:
        st.session_state["quarter"] = complete[0] if complete else labels[0]
    quarter_label = st.sidebar.selectbox(
        t("period"),
        labels,
        key="quarter",
        format_func={q: f"{q} ({t('running')})" if q in partial else q for q in labels}.__getitem__,
    )
    protected = True
    if role == "agency":
        protected = not st.sidebar.toggle(t("unprotected"), key="unprotected", help=t("unprotected_help"))
    filters = Filters(
        choice,
        label,
        tuple(ags),
        Quarter.parse(quarter_label),
        period[1] if period else None,
        protected,
        role,
    )
    _write_url(filters)
    return filters


URL_KEYS = ("region", "quarter", "lang")


def _url_value(name: str) -> str | None:
    """A value of the link the session was opened with (read once: later the URL follows the
    widgets, not the other way round)."""
    pending = st.session_state.setdefault("_url_pending", {k: st.query_params.get(k) for k in URL_KEYS})
    return pending.pop(name, None)


def language_from_url() -> None:
    wanted = _url_value("lang")
    if wanted in ("de", "en"):
        st.session_state["lang"] = wanted


def language_switch() -> str:
    language_from_url()
    st.sidebar.radio(
        msg("app.language", "de"),  # the same label in both languages: it is how one switches
        options=["de", "en"],
        key="lang",
        horizontal=True,
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
    )
    return lang()


def _region_from_url(options: list[str], kreise: dict[str, str]) -> None:
    """``?region=KEY`` (a preset) or ``?region=AGS,AGS,…`` (a custom selection of Kreise)."""
    wanted = _url_value("region")
    if not wanted:
        return
    if wanted in options:
        st.session_state["region_preset"] = wanted
        return
    chosen = [a for a in dict.fromkeys(part.strip() for part in wanted.split(",")) if a in kreise]
    if chosen:
        st.session_state["region_preset"] = "custom"
        st.session_state["region_custom"] = chosen


def url_state(filters: Filters) -> dict[str, str]:
    """The query parameters that open the same view: region, quarter (2026-Q3), language."""
    region = ",".join(filters.ags) if filters.region_key == "custom" else filters.region_key
    return {"region": region, "quarter": f"{filters.quarter.year}-Q{filters.quarter.q}", "lang": lang()}


def _write_url(filters: Filters) -> None:
    wanted = url_state(filters)
    if {k: st.query_params.get(k) for k in URL_KEYS} != wanted:
        st.query_params.update(wanted)
