"""One renderer for every page view (analytics.views): metrics, tables, charts and notes on
screen, and the Excel download written from the same view."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import maps
from analytics.formatting import escape_markdown
from analytics.messages import msg
from analytics.report.pack import SECTIONS, ReportError, build_pack
from analytics.report.pdf import image_count, pack_pdf
from analytics.report.workbook import pack_workbook
from analytics.views.model import Chart, Heading, Map, MetricGrid, Note, ScreenGrid, Table, View, ViewFilters
from analytics.views.workbook import view_workbook
from app_pages.common import XLSX_MIME, connection, dataframe, download_excel, settings, warehouse_key


def render(view: View, *, download_key: str | None = None, head=None) -> None:
    """Draw ``view``. ``head``: a container above the page's own widgets, which then takes
    the title and the view's leading notes (the intro), so that the title stays on top."""
    blocks = list(view.blocks)
    if head is None:
        st.title(view.text(view.title))
    else:
        head.title(view.text(view.title))
        while blocks and isinstance(blocks[0], Note):
            with head:
                _note(view, blocks.pop(0))
    for block in blocks:
        if isinstance(block, MetricGrid):
            _metrics(view, block)
        elif isinstance(block, Table):
            _table(view, block)
        elif isinstance(block, Chart):
            st.plotly_chart(block.figure, width="stretch", key=f"{view.page}_{block.key}")
        elif isinstance(block, Map):
            st.pydeck_chart(block.deck, key=f"{view.page}_{block.key}", height=block.height)
            for column, (title, entries) in zip(st.columns(len(block.legends)), block.legends, strict=True):
                column.markdown(maps.legend_html(view.text(title), list(entries)), unsafe_allow_html=True)
        elif isinstance(block, Heading):
            st.subheader(view.text(block.text))
        elif isinstance(block, Note):
            _note(view, block)
    download_excel(lambda: view_workbook(view), view.file_name, key=download_key or f"{view.page}_xlsx")


def _metrics(view: View, grid: MetricGrid) -> None:
    lang = view.lang
    metrics = list(grid.metrics)
    for offset in range(0, len(metrics), grid.per_row):
        for column, metric in zip(
            st.columns(grid.per_row), metrics[offset : offset + grid.per_row], strict=False
        ):
            with column.container(border=True):
                st.metric(
                    view.text(metric.label),
                    metric.value_text(lang),
                    delta=metric.delta_text(lang),
                    delta_color=metric.delta_color,
                    help=view.text(metric.help),
                )
                if metric.caption is not None:
                    st.caption(escape_markdown(view.text(metric.caption)))


def _table(view: View, table: Table) -> None:
    if table.expander is not None:
        with st.expander(view.text(table.expander)):
            _grids(view, table)
    else:
        _grids(view, table)


def _grids(view: View, table: Table) -> None:
    grids = table.screen_parts(view.lang)
    for i, grid in enumerate(grids):
        key = f"{view.page}_{table.key}" if len(grids) == 1 else f"{view.page}_{table.key}_{i}"
        if grid.title is not None:
            st.markdown(f"**{escape_markdown(grid.title)}**")
        if table.static:
            _static(grid)
            continue
        # a column under a short header names itself in full in its tooltip; numbers (shown as
        # texts in the language's format) are right-aligned
        config = {
            h: st.column_config.Column(
                h,
                help=grid.helps.get(h),
                width=grid.widths.get(h),
                alignment="right" if h in grid.numeric else None,
            )
            for h in dict.fromkeys([*grid.helps, *grid.widths, *grid.numeric])
        }
        dataframe(grid.frame, hide_index=True, key=key, column_config=config or None)


def _static(grid: ScreenGrid) -> None:
    """An HTML table whose long texts wrap. st.table reads cells and headers as Markdown:
    escaped here, so "*" stays "*"; number columns are right-aligned (a pandas Styler)."""
    headers = {h: escape_markdown(h) for h in grid.frame.columns}
    shown = pd.DataFrame(
        {headers[h]: [escape_markdown(v) for v in grid.frame[h]] for h in grid.frame.columns}
    )
    numeric = [headers[h] for h in grid.numeric]
    styler = shown.style.hide(axis="index")
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right !important"})
    st.table(styler)
    if grid.helps:
        st.caption(
            " · ".join(f"{escape_markdown(h)}: {escape_markdown(full)}" for h, full in grid.helps.items())
        )


def _note(view: View, note: Note) -> None:
    text = view.text(note.text)
    if note.kind == "info":
        st.info(text)
    elif note.kind == "warning":
        st.warning(text)
    elif note.kind == "legend":
        st.caption(escape_markdown(text))
    elif note.kind == "markdown":
        st.markdown(text)
    elif note.kind == "definitions":
        with st.expander(text):
            st.markdown(
                "\n".join(
                    f"- **{escape_markdown(view.text(term))}** – {escape_markdown(view.text(body))}"
                    for term, body in view.definitions
                )
            )
    else:
        st.caption(text)


def report_download(filters: ViewFilters) -> None:
    """The quarterly report pack (#13) for the page's filters and the signed-in role: built
    only when the button is clicked (with a progress bar), then offered as Excel and PDF.
    The files stay in the session for these filters and this warehouse (stable across reruns)."""
    filters = replace(filters, options=())  # the pack's views take their defaults
    lang = filters.lang
    st.subheader(msg("report.heading", lang))
    key = (filters, warehouse_key())
    built = st.session_state.get("report_pack")
    if st.button(msg("report.build", lang), help=msg("report.build_help", lang), key="report_build"):
        built = _build_report(filters, key)
    if built is None or built["key"] != key:
        return
    st.caption(msg("report.ready", lang, sections=built["sections"]))
    left, right = st.columns(2)
    left.download_button(
        msg("report.download_xlsx", lang),
        data=built["xlsx"],
        file_name=f"{built['stem']}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="report_xlsx",
    )
    if built["pdf"] is not None:
        right.download_button(
            msg("report.download_pdf", lang),
            data=built["pdf"],
            file_name=f"{built['stem']}.pdf",
            mime="application/pdf",
            on_click="ignore",
            icon=":material/picture_as_pdf:",
            key="report_pdf",
        )
    else:
        right.warning(msg("report.pdf_failed", lang, reason=built["pdf_error"]))


def _build_report(filters: ViewFilters, key: tuple) -> dict:
    lang = filters.lang
    bar = st.progress(0.0, text=msg("report.building", lang))
    steps = len(SECTIONS) + 1  # the views, then the PDF's images and pages

    def sections(done: int, total: int, section: str) -> None:
        if section:
            title = msg(f"report.sheet_{section}", lang)
            text = msg("report.step", lang, n=done + 1, total=total, section=title)
            bar.progress(done / steps, text=text)

    pack = build_pack(connection(), settings(), filters, sections)
    xlsx = pack_workbook(pack)
    images = max(image_count(pack), 1)

    def drawn(done: int, total: int) -> None:
        bar.progress((len(SECTIONS) + done / images) / steps, text=msg("report.building", lang) + " PDF")

    document, error = None, None
    try:
        document = pack_pdf(pack, settings().chromium_path, drawn)
    except ReportError as exc:
        error = str(exc)
    except Exception as exc:  # the Excel is ready anyway: say why the PDF is not
        error = f"{type(exc).__name__}: {exc}".splitlines()[0]
    bar.empty()
    built = {
        "key": key,
        "xlsx": xlsx,
        "pdf": document,
        "pdf_error": error,
        "stem": pack.file_stem(),
        "sections": len(pack.sections),
    }
    st.session_state["report_pack"] = built
    return built
