"""Förderung: is the money working? (for the ministry), drawn from its view
(analytics.views.funding). The page reads the estimate's assumptions, typed in the notation
of the language ("3,5", "2.000" in German; app_pages.common.number_field)."""

from __future__ import annotations

import streamlit as st

from analytics.messages import msg
from analytics.views.funding import COST_RANGE, MONTHS_RANGE, funding_view
from app_pages.common import cached_view, lang, number_field, settings, view_filters
from app_pages.render import render

filters = st.session_state["filters"]
lg = lang()
defaults = settings().avoided_unemployment
head = st.container()
with st.container(border=True):
    st.markdown(msg("bold", lg, text=msg("funding.assumptions", lg)))
    left, right = st.columns(2)
    months = number_field(
        left, msg("funding.months", lg), "avoided_months", defaults.avg_months_unemployed, *MONTHS_RANGE, 1
    )
    monthly_cost = number_field(
        right, msg("funding.monthly_cost", lg), "avoided_cost", defaults.monthly_cost_eur, *COST_RANGE, 0
    )
render(
    cached_view(funding_view, view_filters(filters, months=months, monthly_cost=monthly_cost)),
    download_key="funding_xlsx",
    head=head,
)
