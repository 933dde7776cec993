"""Texts of the router and the shared glue in the session's language (catalogue ids ``app.*``)
and a page's translator by catalogue prefix."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analytics.messages import msg


def lang() -> str:
    return st.session_state.get("lang", "de")


def t(key: str, **values: object) -> str:
    """A text of the router and the shared glue (catalogue ids ``app.*``) in this run's language."""
    return msg(f"app.{key}", lang(), **values)


def translator(prefix: str) -> Callable[..., str]:
    """A page's ``tr(key, **values)``: the catalogue text ``<prefix>.<key>`` (analytics.messages)
    in the language of the run that made ``tr`` (pages make it on every run), so that widget
    ``format_func=tr`` gives the same labels whenever Streamlit calls it."""
    current = lang()

    def tr(key: str, **values: object) -> str:
        return msg(f"{prefix}.{key}", current, **values)

    return tr
