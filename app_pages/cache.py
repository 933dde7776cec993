"""One generic cached call for every page view: ``cached_view(builder, view_filters(filters))``
builds the view once per warehouse and plain filter values (``st.cache_data``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from analytics.views.model import ViewFilters
from app_pages.filters import Filters
from app_pages.texts import lang
from app_pages.warehouse import _connection, settings, warehouse_key


@st.cache_data(max_entries=128, show_spinner=False)
def _cached_view(builder: str, path: str, stamp: float, filters: ViewFilters):
    module, _, name = builder.rpartition(".")
    build = getattr(importlib.import_module(module), name)
    return build(_connection(path, stamp), settings(), filters)


def view_filters(filters: Filters, **options: object) -> ViewFilters:
    """The global filters (and a page's own widget values) as plain values for a view."""
    return ViewFilters(
        region_key=filters.region_key,
        region_label=filters.region_label,
        ags=filters.ags,
        quarter=filters.quarter.label(),
        lang=lang(),
        protected=filters.protected,
        data_until=filters.data_until,
        options=tuple(sorted(options.items())),
        role=filters.role,
    )


def cached_view(builder: Callable[..., object], filters: ViewFilters):
    """The page's view, built by ``builder(con, settings, filters)`` (a module-level function
    of analytics.views) and cached by the warehouse and the plain filter values."""
    return _cached_view(f"{builder.__module__}.{builder.__qualname__}", *warehouse_key(), filters)
