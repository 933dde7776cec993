"""Plotly figure builders. German number format and a colour-blind-safe palette (Okabe–Ito)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.disclosure import SUPPRESSED, flag_column

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000")
SEPARATORS = {"de": ",.", "en": ".,"}


def suppressed_flags(frame: pl.DataFrame, column: str) -> list[bool]:
    """Disclosure flags of ``column`` (all False when the frame carries none)."""
    flag = flag_column(column)
    return frame[flag].to_list() if flag in frame.columns else [False] * frame.height


def base_layout(fig: go.Figure, lang: str, title: str, source: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=SEPARATORS.get(lang, ",."),
        colorway=OKABE_ITO,
        legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 60, "b": 120},
        hovermode="x unified",
        template="plotly_white",
    )
    fig.add_annotation(
        text=source, showarrow=False, xref="paper", yref="paper", x=0, y=-0.30,
        xanchor="left", yanchor="top", font={"size": 11, "color": "#555"},
    )
    return fig


def quarterly_targets_chart(
    series: pl.DataFrame, labels: dict[str, str], lang: str, title: str, source: str
) -> go.Figure:
    """Bars for entries and transitions per quarter; dashed markers for the targets."""
    fig = go.Figure()
    x = series["quarter"].to_list()
    for column, colour in (("entries", OKABE_ITO[0]), ("transitions", OKABE_ITO[2])):
        hidden = suppressed_flags(series, column)
        fig.add_bar(
            x=x, y=series[column].to_list(), name=labels[column], marker_color=colour,
            text=[SUPPRESSED if h else None for h in hidden], textposition="outside",
            hovertemplate="%{y:,.0f}",
        )
    for column, colour in (("target_entries", OKABE_ITO[0]), ("target_transitions", OKABE_ITO[2])):
        fig.add_scatter(
            x=x, y=series[column].to_list(), name=labels[column], mode="lines+markers",
            line={"dash": "dash", "color": colour, "width": 2},
            marker={"symbol": "line-ew-open", "size": 18, "color": colour},
            hovertemplate="%{y:,.1f}",
        )
    fig.update_layout(barmode="group", yaxis={"title": labels["axis"], "tickformat": ",d"})
    return base_layout(fig, lang, title, source)


def line_chart(
    frame: pl.DataFrame, x: str, series: dict[str, str], lang: str, title: str, source: str,
    y_title: str, tickformat: str = ",d", hoverformat: str = ",.0f", from_zero: bool = True,
) -> go.Figure:
    """One line per column of ``series`` (column -> legend label) over ``x``; withheld
    values are gaps marked '*' in the hover text."""
    fig = go.Figure()
    xs = frame[x].to_list()
    for i, (column, label) in enumerate(series.items()):
        hidden = suppressed_flags(frame, column)
        fig.add_scatter(
            x=xs, y=frame[column].to_list(), name=label, mode="lines+markers",
            line={"color": OKABE_ITO[i % len(OKABE_ITO)], "width": 2,
                  "dash": ("solid", "dash", "dot", "dashdot")[i % 4]},
            marker={"size": 7},
            text=[SUPPRESSED if h else "" for h in hidden],
            hovertemplate=f"%{{y:{hoverformat}}}%{{text}}",
            connectgaps=False,
        )
    fig.update_layout(yaxis={"title": y_title, "tickformat": tickformat,
                             "rangemode": "tozero" if from_zero else "normal"})
    return base_layout(fig, lang, title, source)
