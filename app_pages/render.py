"""One renderer for every page view (analytics.views): metrics, tables, charts and notes on
screen, and the Excel download written from the same view."""

from __future__ import annotations

import streamlit as st

from analytics import maps
from analytics.formatting import escape_markdown
from analytics.views.model import Chart, Heading, Map, MetricGrid, Note, Table, View
from analytics.views.workbook import view_workbook
from app_pages.common import dataframe, download_excel


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
    frame = table.screen_frame(view.lang)
    if table.expander is not None:
        with st.expander(view.text(table.expander)):
            dataframe(frame, hide_index=True, key=f"{view.page}_{table.key}")
    else:
        dataframe(frame, hide_index=True, key=f"{view.page}_{table.key}")


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
