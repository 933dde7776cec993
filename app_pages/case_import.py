"""Falldaten importieren: template download, upload, validation report, confirm to publish."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.formatting import fmt_number
from app_pages.common import dataframe, lang, reopen_warehouse, role, settings, translator, who
from pipelines.cases.importer import (
    ImportReport,
    discard_staged,
    publish_staged,
    stage_upload,
)
from pipelines.cases.template import template_bytes
from pipelines.warehouse import PipelineError

STATE = "case_import"


tr = translator("case_import")


def summary_table(report: ImportReport) -> pl.DataFrame:
    return (
        report.summary()
        .drop("table")
        .rename(
            {
                "sheet": tr("sheet"),
                "source_file": tr("file"),
                "read": tr("read"),
                "loaded": tr("loaded"),
                "quarantined": tr("quarantined"),
                "new": tr("new"),
                "updated": tr("updated"),
                "unchanged": tr("unchanged_col"),
            }
        )
    )


def show_report(report: ImportReport) -> None:
    st.subheader(tr("report", source=report.source))
    for warning in report.warnings:
        st.warning(warning, icon=":material/privacy_tip:")
    if report.status == "unchanged":
        st.info(tr("unchanged"))
    st.caption(tr("preview"))
    dataframe(summary_table(report), hide_index=True)
    issues = report.issues()
    if issues.is_empty():
        st.success(tr("no_issues"))
    for sheet in report.sheets:
        if not sheet.issues:
            continue
        rows = issues.filter(pl.col("sheet") == (sheet.issues[0].sheet)).drop("sheet")
        with st.expander(tr("issues", sheet=sheet.sheet, n=sheet.quarantined), expanded=True):
            dataframe(
                rows.rename({"row": tr("row"), "column": tr("column"), "message": tr("message")}),
                hide_index=True,
            )
    if report.session_id:
        st.caption(tr("session", id=report.session_id))
    left, right = st.columns(2)
    if left.button(tr("publish"), type="primary", key="case_publish"):
        st.session_state.pop(STATE, None)
        try:
            result = publish_staged(settings(), report.session_id, role=role())
        except PipelineError as exc:
            if report.session_id:
                discard_staged(settings(), report.session_id, role=role())  # checked against an old state
            st.session_state["case_import_done"] = ("error", f"**{tr('refused')}** {exc}")
        else:
            reopen_warehouse()  # the app's connection must see the new file
            done = tr("published", n=report.changes, q=sum(s.quarantined for s in report.sheets))
            st.session_state["case_import_done"] = (
                ("success", done) if result.status == "loaded" else ("info", tr("nothing"))
            )
        st.rerun()
    if right.button(tr("discard"), key="case_discard"):
        if report.session_id:
            discard_staged(settings(), report.session_id, role=role())
        st.session_state.pop(STATE, None)
        st.session_state["case_import_done"] = ("success", tr("discarded"))
        st.rerun()


st.title(tr("title"))
st.caption(tr("intro"))
if role() != "agency":  # not registered for other roles; stage/publish refuse them too
    st.info(tr("agency_only"))
    st.stop()

st.download_button(
    tr("template"),
    data=template_bytes,
    file_name="arbeit_bewegen_importvorlage.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
    icon=":material/download:",
    key="case_template",
)
done = st.session_state.pop("case_import_done", None)
if done:
    kind, text = done
    {"success": st.success, "info": st.info, "error": st.error}[kind](text)
uploads = st.file_uploader(tr("upload"), type=["xlsx", "csv"], accept_multiple_files=True, key="case_upload")
limits = settings().upload
st.caption(
    tr(
        "limits",
        mb=limits.max_file_mb,
        rows=fmt_number(limits.max_rows, lang()),
        columns=fmt_number(limits.max_columns, lang()),
        cells=fmt_number(limits.max_cells, lang()),
    )
)
if st.button(tr("check"), disabled=not uploads, key="case_check"):
    try:
        st.session_state[STATE] = stage_upload(
            settings(),
            [(f.name, f.getvalue()) for f in uploads],
            started_by=f"page:case_import ({who()})",
            role=role(),
        )
    except PipelineError as exc:
        st.session_state.pop(STATE, None)
        st.error(f"**{tr('failed')}** {exc}")
if STATE in st.session_state:
    show_report(st.session_state[STATE])
