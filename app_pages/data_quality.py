"""Datenqualität: last case-data imports, quarantined rows with reasons, rejected statistics
files and their quarantine, completeness."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics import data_quality
from analytics.disclosure import display_frame
from analytics.excel import ExcelSheet, excel_bytes
from analytics.formatting import fmt_date
from analytics.messages import MESSAGES
from app_pages.common import connection, dataframe, download_excel, lang, role, settings, translator
from pipelines.sessions import audit_path

COUNT_COLUMNS = ("rows_read", "rows_loaded", "rows_quarantined", "rows_new", "rows_updated", "rows_unchanged")


tr = translator("dq")


def headers(frame: pl.DataFrame) -> dict[str, str]:
    return {c: tr(c) for c in frame.columns if f"dq.{c}" in MESSAGES}


lg = lang()
con = connection()
st.title(tr("title"))
st.caption(tr("intro"))

st.subheader(tr("imports"))
history = data_quality.imports(con)
if history.is_empty():
    st.info(tr("no_imports"))
else:
    shown = data_quality.imports_shown(history, lg)
    labels = dict(zip(shown["load_id"], shown["label"], strict=True))
    shown = shown.drop("label")
    dataframe(shown.rename(headers(shown)), hide_index=True, key="dq_imports")
    load_id = st.selectbox(tr("choose"), list(labels), format_func=labels.get, key="dq_load")
    sheets = data_quality.import_sheets(con, load_id)
    st.caption(tr("sheets"))
    dataframe(sheets.rename(headers(sheets)), hide_index=True, key="dq_sheets")

    st.subheader(tr("quarantine"))
    rejected_count = data_quality.quarantine_count(con, load_id)
    if not rejected_count:
        st.success(tr("no_quarantine"))
    elif role() != "agency":
        st.info(tr("agency_only", n=rejected_count))
    else:
        rejected = data_quality.quarantined_rows(con, load_id, role=role())
        table = rejected.select("source_file", "sheet", "row_number", "column_name", "reason", "raw_values")
        dataframe(table.rename(headers(table)), hide_index=True, key="dq_quarantine")

        def quarantine_workbook() -> bytes:
            sheet = ExcelSheet(
                tr("quarantine")[:31],
                table,
                tr("xl_title"),
                units={"row_number": "count"},
                headers=headers(table),
            )
            return excel_bytes(
                sheet,
                filters={tr("choose"): labels[load_id]},
                source=tr("xl_source"),
                as_of=fmt_date(history.filter(load_id=load_id)["loaded_at"][0].date(), lg),
                lang=lg,
            )

        download_excel(quarantine_workbook, f"quarantaene_{load_id}.xlsx", key="dq_quarantine_xlsx")

st.subheader(tr("statistics"))
st.caption(tr("rejected_files"))
rejected_files = data_quality.rejected_files(con)
if rejected_files.is_empty():
    st.success(tr("no_rejected_files"))
else:
    shown_files = rejected_files.select("loaded_at", "step", "source_file", "content_hash", "message")
    st.dataframe(shown_files.rename(headers(shown_files)), hide_index=True, key="dq_rejected_files")
st.caption(tr("statistics_quarantine"))
statistics_count = data_quality.statistics_quarantine_count(con)
if not statistics_count:
    st.success(tr("no_quarantine"))
elif role() != "agency":
    st.info(tr("agency_only", n=statistics_count))
else:
    statistics_rows = data_quality.statistics_quarantine(con, role=role())
    st.dataframe(
        statistics_rows.rename(headers(statistics_rows)), hide_index=True, key="dq_statistics_quarantine"
    )

st.subheader(tr("completeness"))
complete = data_quality.completeness(con, lg)
dataframe(
    display_frame(complete, lg, {"rows": "count", "filled": "count", "share": "share"}).rename(
        headers(complete)
    ),
    hide_index=True,
    key="dq_completeness",
)

if role() == "agency":
    st.subheader(tr("audit"))
    st.caption(tr("audit_intro"))
    trail = data_quality.audit_trail(con, audit_path(settings().warehouse_path), role=role())
    if trail.is_empty():
        st.info(tr("no_audit"))
    else:
        shown_trail = data_quality.audit_shown(trail, lg)
        dataframe(shown_trail.rename(headers(shown_trail)), hide_index=True, key="dq_audit")
