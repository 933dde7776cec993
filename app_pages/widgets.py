"""Widgets shared by the pages: tables as Arrow, the Excel download built on request, numbers
typed in the language's notation, the footer with the data status."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from analytics.formatting import (
    InputError,
    fmt_date,
    fmt_month,
    fmt_number,
    parse_number,
)
from analytics.messages import msg
from app_pages.texts import lang, t
from app_pages.warehouse import data_status


def footer() -> None:
    status = data_status()
    lg = lang()
    st.divider()
    if status.is_demo:
        st.warning(t("demo_badge"), icon=":material/science:")
    parts = [
        f"{t('ba_until')} {fmt_month(status.labour_market_until, lg)}",
        f"{t('svb_until')} {fmt_date(status.employment_until, lg)}",
        f"{t('cases_until')} {fmt_date(status.cases_until, lg)}",
    ]
    attribution = status.bkg_attribution()
    if attribution:
        parts.append(f"{t('geo')}: {attribution}")
    st.caption(f"**{t('data_status')}:** " + " · ".join(parts))
    if not attribution:
        st.caption(t("geo_missing"))
    sources = ", ".join(
        f"{row['step']} ({fmt_date(row['loaded_at'].date(), lg)})"
        for row in status.loads.iter_rows(named=True)
    )
    st.caption(f"{t('loads')}: {sources}" + ("" if not status.is_demo else f" · {t('demo_source')}"))


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dataframe(frame: pl.DataFrame, **kwargs: object) -> object:
    """``st.dataframe`` of a Polars frame, handed over as Arrow: Streamlit serialises Arrow as
    it is, while a Polars frame would go through ``to_pandas`` and back to Arrow on every
    run of every session (README "Limits")."""
    return st.dataframe(frame.to_arrow(compat_level=pl.CompatLevel.oldest()), **kwargs)


def download_excel(build: Callable[[], bytes], file_name: str, key: str) -> None:
    """An Excel download whose workbook is built only when the button is clicked."""
    st.download_button(
        t("download_excel"),
        data=build,
        file_name=file_name,
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )


def number_field(
    container, label: str, key: str, default: float, minimum: float, maximum: float, decimals: int = 1
) -> float:
    """A number typed in the notation of the language ("3,5", "2.000" in German), read by
    ``formatting.parse_number``. A refused or out-of-range entry is answered with a warning and
    the last valid value (kept in ``st.session_state[key]``) stays in use; the field has one key
    per language, so that switching language shows the value in the other notation."""
    lg = lang()
    current = float(st.session_state.get(key, default))
    text = container.text_input(label, value=fmt_number(current, lg, decimals), key=f"{key}__{lg}")
    try:
        value = parse_number(text, lg)
        if not minimum <= value <= maximum:
            raise InputError(
                "input_out_of_range",
                value=fmt_number(value, lg, decimals),
                minimum=fmt_number(minimum, lg, decimals),
                maximum=fmt_number(maximum, lg, decimals),
            )
    except InputError as error:
        kept = msg("input_kept", lg, value=fmt_number(current, lg, decimals))
        container.warning(f"{msg(error.message_id, lg, **error.values)} {kept}", icon=":material/warning:")
        return current
    st.session_state[key] = value
    return value
