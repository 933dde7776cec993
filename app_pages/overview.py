"""Übersicht: the network's KPIs for the ministry (design §4), drawn from its view."""

from __future__ import annotations

import streamlit as st

from analytics.views.overview import overview_view
from app_pages.common import cached_view, view_filters
from app_pages.render import render

render(cached_view(overview_view, view_filters(st.session_state["filters"])), download_key="overview_xlsx")
