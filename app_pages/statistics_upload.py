"""Statistik laden: upload BA / Regionaldatenbank files, see per file what was loaded."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analytics.formatting import fmt_number
from analytics.statistics import ingest_reports
from app_pages.common import connection, dataframe, lang, role, settings, translator, who
from pipelines.statistics.constants import FAMILY_LABELS
from pipelines.statistics.ingest import load_and_publish
from pipelines.warehouse import PipelineError

tr = translator("upload")


def show_report(report) -> None:
    label = tr(f"status_{report.status}")
    box = {"loaded": st.success, "unchanged": st.info, "rejected": st.error}[report.status]
    box(f"**{report.source}** – {label}" + (f": {report.message}" if report.message else ""))
    if report.status == "rejected":
        return
    cols = st.columns(4)
    cols[0].metric(tr("family"), report.family_label)
    cols[1].metric(
        tr("dates"),
        ", ".join(d.strftime("%d.%m.%Y") for d in report.reference_dates[:3])
        + (" …" if len(report.reference_dates) > 3 else ""),
    )
    cols[2].metric(tr("rows"), f"{report.rows_loaded:,}".replace(",", "."))
    cols[3].metric(tr("reconciliation"), report.reconciliation)
    st.caption(report.reconciliation_detail)
    if report.revision:
        st.info(report.revision)
    for warning in report.warnings:
        st.warning(warning)


st.title(tr("title"))
st.write(tr("intro"))
uploads = st.file_uploader(
    tr("files"), type=["xlsx", "xls", "csv"], accept_multiple_files=True, key="statistics_files"
)
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
if uploads and st.button(tr("load"), type="primary"):
    try:
        with st.spinner("…"):
            outcome = load_and_publish(
                settings(),
                [(f.name, f.getvalue()) for f in uploads],
                started_by=f"page:statistics_upload ({who()})",
                role=role(),
            )
    except PipelineError as exc:
        st.error(f"**{tr('refused')}** {exc}")
    else:
        st.subheader(tr("result"))
        if outcome.is_published and outcome.loaded:
            rows = f"{outcome.rows_published:,}".replace(",", ".")
            st.success(tr("published", n=rows, f=len(outcome.loaded)))
        else:
            st.info(tr("nothing"))
        if outcome.rebased:
            st.info(tr("rebased", n=outcome.rebased))
        for report in outcome.reports:
            show_report(report)

st.subheader(tr("history"))
history = ingest_reports(connection())
if history.is_empty():
    st.info(tr("none"))
else:
    shown = history.with_columns(
        pl.col("family").replace_strict(FAMILY_LABELS, default=pl.col("family")),
        pl.col("warnings").str.json_decode(pl.List(pl.String)).list.join("; "),
    )
    dataframe(shown, hide_index=True, width="stretch")
