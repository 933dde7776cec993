"""Streamlit glue shared by app.py and the pages, one module per concern — ``texts``
(language, catalogue look-ups), ``warehouse`` (connection, gate, data status), ``runs`` (run
slots), ``filters`` (global filters, role, URL state), ``widgets`` (tables, downloads, number
input, footer), ``cache`` (the one cached view call) — gathered here for the pages.

No SQL and no KPI logic here: everything numeric comes from the ``analytics`` package.
"""

from __future__ import annotations

from app_pages.cache import cached_view, view_filters
from app_pages.filters import (
    URL_KEYS,
    Filters,
    global_filters,
    language_from_url,
    language_switch,
    role,
    url_state,
    who,
)
from app_pages.runs import run_slot
from app_pages.texts import lang, t, translator
from app_pages.warehouse import (
    WarehouseGate,
    connection,
    data_status,
    kreis_names,
    open_warehouse_or_stop,
    real_data,
    reopen_warehouse,
    settings,
    warehouse_key,
)
from app_pages.widgets import XLSX_MIME, dataframe, download_excel, footer, number_field

__all__ = [
    "lang",
    "t",
    "translator",
    "WarehouseGate",
    "reopen_warehouse",
    "settings",
    "warehouse_key",
    "connection",
    "open_warehouse_or_stop",
    "data_status",
    "kreis_names",
    "real_data",
    "run_slot",
    "who",
    "role",
    "Filters",
    "global_filters",
    "URL_KEYS",
    "language_from_url",
    "language_switch",
    "url_state",
    "footer",
    "XLSX_MIME",
    "dataframe",
    "download_excel",
    "number_field",
    "view_filters",
    "cached_view",
]
