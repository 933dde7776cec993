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

TEXT = {
    "title": ("Statistik laden", "Load statistics"),
    "intro": (
        "Dateien der Statistik der BA (Excel-Tabellen, Arbeitsmarktreport, Datenbanken-CSV) "
        "und der Regionaldatenbank (CSV) hochladen. Die Art der Veröffentlichung wird am Inhalt "
        "erkannt; jede Datei wird geprüft, mit ihren eigenen Summen abgeglichen und geladen, "
        "danach wird das Warehouse veröffentlicht. Eine Datei, die nicht gelesen werden kann, "
        "wird ganz abgelehnt.",
        "Upload files of the BA statistics (Excel tables, Arbeitsmarktreport, database CSV) and "
        "of the Regionaldatenbank (CSV). The publication family is detected from the content; "
        "each file is checked, reconciled with its own totals and loaded, then the warehouse is "
        "published. A file that cannot be read is rejected as a whole.",
    ),
    "files": ("Dateien (.xlsx, .xls, .csv)", "Files (.xlsx, .xls, .csv)"),
    "load": ("Laden und veröffentlichen", "Load and publish"),
    "limits": (
        "Höchstens {mb} MB je Datei, {rows} Zeilen, {columns} Spalten und {cells} Zellen je Blatt; "
        "größere Dateien bitte aufteilen.",
        "At most {mb} MB per file, {rows} rows, {columns} columns and {cells} cells per sheet; "
        "split larger files.",
    ),
    "result": ("Ergebnis dieses Uploads", "Result of this upload"),
    "history": ("Zuletzt geladene Dateien", "Recently loaded files"),
    "none": ("Noch keine Statistikdateien geladen.", "No statistics files loaded yet."),
    "family": ("Veröffentlichung", "Publication"),
    "dates": ("Stichtage", "Reference dates"),
    "rows": ("Zeilen geladen", "Rows loaded"),
    "reconciliation": ("Abgleich", "Reconciliation"),
    "warnings": ("Hinweise", "Warnings"),
    "published": (
        "Veröffentlicht: {n} Zeilen aus {f} Datei(en) sind jetzt in Betrieb.",
        "Published: {n} rows from {f} file(s) are now in service.",
    ),
    "rebased": (
        "Während des Ladens wurde ein anderer Stand veröffentlicht; die Dateien wurden auf dem "
        "neuen Stand erneut geladen ({n}×).",
        "Another load was published meanwhile; the files were loaded again onto it ({n}×).",
    ),
    "nothing": (
        "Nichts veröffentlicht: keine Datei brachte neue Daten (unverändert oder abgelehnt).",
        "Nothing published: no file brought new data (unchanged or rejected).",
    ),
    "refused": (
        "Nicht veröffentlicht, das Warehouse ist unverändert:",
        "Not published, the warehouse is unchanged:",
    ),
    "status": {
        "loaded": ("geladen", "loaded"),
        "unchanged": ("unverändert (bereits geladen)", "unchanged (already loaded)"),
        "rejected": ("abgelehnt", "rejected"),
    },
}


tr = translator(TEXT)


def show_report(report) -> None:
    de, en = TEXT["status"][report.status]
    label = de if lang() == "de" else en
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
