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

TEXT = {
    "title": ("Falldaten importieren", "Import case data"),
    "intro": (
        "Falldaten aus dem Fallmanagement (Excel-Vorlage oder CSV-Dateien je Blatt) prüfen und "
        "ins Cockpit übernehmen. Geänderte Datensätze werden aktualisiert, neue ergänzt; "
        "Datensätze, die in der Datei fehlen, bleiben erhalten (Teil-Exporte sind erlaubt). "
        "Fall-IDs werden durch einen Schlüssel-Hash ersetzt; Spalten mit Namen, Geburtsdaten, "
        "Anschriften, SV-Nummern oder Bemerkungen werden verworfen.",
        "Check case data from the case management (Excel template or one CSV file per sheet) "
        "and take it into the cockpit. Changed records are updated, new ones added; records "
        "missing from the file are kept (partial exports are allowed). Case ids are replaced "
        "by a keyed hash; columns with names, birth dates, addresses, social insurance "
        "numbers or notes are dropped.",
    ),
    "agency_only": (
        "Der Import ist der Rolle 'agency' (Transformationsagentur) vorbehalten.",
        "Importing is reserved for the 'agency' role (Transformationsagentur).",
    ),
    "template": (
        "Importvorlage herunterladen (Excel mit Datenlexikon)",
        "Download the import template (Excel with data dictionary)",
    ),
    "upload": (
        "Datei(en) hochladen: eine .xlsx-Vorlage oder CSV-Dateien (betriebe.csv, "
        "bedarfe.csv, teilnehmende.csv, ereignisse.csv, foerderung.csv)",
        "Upload: one .xlsx template or CSV files (betriebe.csv, bedarfe.csv, "
        "teilnehmende.csv, ereignisse.csv, foerderung.csv)",
    ),
    "check": ("Prüfen (noch nicht veröffentlichen)", "Check (not yet published)"),
    "limits": (
        "Höchstens {mb} MB je Datei, {rows} Zeilen, {columns} Spalten und {cells} Zellen je Blatt; "
        "größere Dateien bitte aufteilen.",
        "At most {mb} MB per file, {rows} rows, {columns} columns and {cells} cells per sheet; "
        "split larger files.",
    ),
    "failed": ("Import abgelehnt, nichts wurde übernommen:", "Import refused, nothing was taken over:"),
    "report": ("Prüfbericht: {source}", "Validation report: {source}"),
    "unchanged": (
        "Diese Daten sind bereits geladen: Veröffentlichen ändert nichts.",
        "This data is already loaded: publishing changes nothing.",
    ),
    "preview": (
        "Vorschau der Änderungen je Blatt (gelesen = übernommen + Quarantäne)",
        "Preview of the changes per sheet (read = loaded + quarantined)",
    ),
    "issues": ("Abgewiesene Zeilen in '{sheet}': {n}", "Rejected rows in '{sheet}': {n}"),
    "no_issues": ("Alle Zeilen sind gültig.", "All rows are valid."),
    "publish": ("Bestätigen und veröffentlichen", "Confirm and publish"),
    "discard": ("Verwerfen", "Discard"),
    "published": (
        "Veröffentlicht: {n} neue oder geänderte Datensätze, {q} Zeilen in Quarantäne.",
        "Published: {n} new or changed records, {q} rows quarantined.",
    ),
    "nothing": (
        "Nichts zu veröffentlichen: das Warehouse in Betrieb enthält diese Daten bereits.",
        "Nothing to publish: the warehouse in service already holds this data.",
    ),
    "refused": (
        "Nicht veröffentlicht, das Warehouse ist unverändert. Bitte die Dateien erneut prüfen:",
        "Not published, the warehouse is unchanged. Please check the files again:",
    ),
    "session": ("Ladesitzung {id}", "Load session {id}"),
    "discarded": ("Verworfen; das Warehouse ist unverändert.", "Discarded; the warehouse is unchanged."),
    "sheet": ("Blatt", "Sheet"),
    "file": ("Datei", "File"),
    "read": ("gelesen", "read"),
    "loaded": ("übernommen", "loaded"),
    "quarantined": ("Quarantäne", "quarantined"),
    "new": ("neu", "new"),
    "updated": ("geändert", "updated"),
    "unchanged_col": ("unverändert", "unchanged"),
    "row": ("Zeile", "Row"),
    "column": ("Spalte", "Column"),
    "message": ("Grund", "Reason"),
}
STATE = "case_import"


tr = translator(TEXT)


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
