"""Plotly figure builders. German number format and a colour-blind-safe palette (Okabe–Ito)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from analytics.disclosure import SUPPRESSED, flag_column

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
SEPARATORS = {"de": ",.", "en": ".,"}


def suppressed_flags(frame: pl.DataFrame, column: str) -> list[bool]:
    """Disclosure flags of ``column`` (all False when the frame carries none)."""
    flag = flag_column(column)
    return frame[flag].to_list() if flag in frame.columns else [False] * frame.height


def base_layout(fig: go.Figure, lang: str, title: str, source: str) -> go.Figure:
    # plotly neither wraps nor shortens a title: it runs off the chart; wrap it (about 1280 px)
    title = wrap_label(title, 90)
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        separators=SEPARATORS.get(lang, ",."),
        colorway=OKABE_ITO,
        legend={"orientation": "h", "y": -0.12, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 40 + 20 * (title.count("<br>") + 1), "b": 120},
        hovermode="x unified",
        template="plotly_white",
    )
    fig.add_annotation(
        text=source,
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.30,
        xanchor="left",
        yanchor="top",
        font={"size": 11, "color": "#555"},
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
            x=x,
            y=series[column].to_list(),
            name=labels[column],
            marker_color=colour,
            text=[SUPPRESSED if h else None for h in hidden],
            textposition="outside",
            hovertemplate="%{y:,.0f}",
        )
    for column, colour in (("target_entries", OKABE_ITO[0]), ("target_transitions", OKABE_ITO[2])):
        fig.add_scatter(
            x=x,
            y=series[column].to_list(),
            name=labels[column],
            mode="lines+markers",
            line={"dash": "dash", "color": colour, "width": 2},
            marker={"symbol": "line-ew-open", "size": 18, "color": colour},
            hovertemplate="%{y:,.1f}",
        )
    fig.update_layout(barmode="group", yaxis={"title": labels["axis"], "tickformat": ",d"})
    return base_layout(fig, lang, title, source)


GREY = "#999999"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def wrap_label(text: str, width: int = 30) -> str:
    """A node label on lines of at most ``width`` characters (plotly's <br>), words kept whole."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def sankey_chart(
    links: pl.DataFrame, lang: str, title: str, source: str, *, colour_key: str | None = None
) -> go.Figure:
    """A Sankey of protected links (source_label -> target_label, persons >= 3 or merged
    into 'übrige'): sources on the left, targets on the right, each a node of its own.

    ``colour_key`` names a column that groups sources for colour (e.g. the sector group);
    merged links and nodes are grey.
    """
    sources = list(dict.fromkeys(links["source_label"].to_list()))
    targets = list(dict.fromkeys(links["target_label"].to_list()))
    index_s = {label: i for i, label in enumerate(sources)}
    index_t = {label: len(sources) + i for i, label in enumerate(targets)}
    groups = links[colour_key].to_list() if colour_key else links["source"].to_list()
    palette: dict[str, str] = {}
    for group in groups:
        if group not in palette and not str(group).startswith("_"):
            palette[group] = OKABE_ITO[len(palette) % len(OKABE_ITO)]
    source_colour = {}
    for label, group, key in zip(links["source_label"], groups, links["source"], strict=True):
        source_colour[label] = GREY if key == "_other" else palette.get(group, GREY)
    link_colours = [
        _rgba(GREY if tgt == "_other" else source_colour[label], 0.45)
        for label, tgt in zip(links["source_label"], links["target"], strict=True)
    ]
    node_colours = [source_colour[s] for s in sources] + [
        GREY if key == "_other" else "#56B4E9" for key in dict.fromkeys(links["target"].to_list())
    ]
    persons = "Personen" if lang == "de" else "persons"
    # whole labels, wrapped (plotly cuts nothing, but long lines overlap the chart); the
    # nodes keep room for the lines of their labels
    node_labels = [wrap_label(label) for label in sources + targets]
    lines = max((label.count("<br>") + 1 for label in node_labels), default=1)
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",d",
            node={
                "label": node_labels,
                "color": node_colours,
                "pad": 4 + 12 * lines,
                "thickness": 16,
                "hovertemplate": f"%{{label}}: %{{value:,d}} {persons}<extra></extra>",
            },
            link={
                "source": [index_s[s] for s in links["source_label"]],
                "target": [index_t[t] for t in links["target_label"]],
                "value": links["persons"].to_list(),
                "color": link_colours,
                "hovertemplate": f"%{{source.label}} → %{{target.label}}: %{{value:,d}} {persons}"
                "<extra></extra>",
            },
        )
    )
    fig = base_layout(fig, lang, title, source)
    nodes = max(len(sources), len(targets))
    fig.update_layout(hovermode=False, height=max(420, nodes * (24 + 16 * lines)))
    return fig


def budget_chart(
    budget: pl.DataFrame, labels: dict[str, str], lang: str, title: str, source: str
) -> go.Figure:
    """Planned and spent EUR per quarter (bars) and cumulative spent against the total
    budget (line, second axis)."""
    fig = go.Figure()
    x = budget["quarter"].to_list()
    fig.add_bar(
        x=x,
        y=budget["planned_eur"].to_list(),
        name=labels["planned"],
        marker_color=OKABE_ITO[5],
        hovertemplate="%{y:,.0f} €",
    )
    fig.add_bar(
        x=x,
        y=budget["spent_eur"].to_list(),
        name=labels["spent"],
        marker_color=OKABE_ITO[0],
        hovertemplate="%{y:,.0f} €",
    )
    fig.add_scatter(
        x=x,
        y=budget["spent_cumulative_eur"].to_list(),
        name=labels["spent_cum"],
        mode="lines+markers",
        yaxis="y2",
        line={"color": OKABE_ITO[3]},
        hovertemplate="%{y:,.0f} €",
    )
    fig.add_scatter(
        x=x,
        y=budget["planned_cumulative_eur"].to_list(),
        name=labels["planned_cum"],
        mode="lines",
        yaxis="y2",
        line={"color": OKABE_ITO[1], "dash": "dot"},
        hovertemplate="%{y:,.0f} €",
    )
    fig.add_scatter(
        x=x,
        y=budget["budget_total_eur"].to_list(),
        name=labels["total"],
        mode="lines",
        yaxis="y2",
        line={"color": OKABE_ITO[7], "dash": "dash"},
        hovertemplate="%{y:,.0f} €",
    )
    fig.update_layout(
        barmode="group",
        yaxis={"title": labels["axis"], "tickformat": ",d", "rangemode": "tozero"},
        yaxis2={
            "title": labels["axis_cum"],
            "tickformat": ",d",
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
        },
    )
    return base_layout(fig, lang, title, source)


def line_chart(
    frame: pl.DataFrame,
    x: str,
    series: dict[str, str],
    lang: str,
    title: str,
    source: str,
    y_title: str,
    tickformat: str = ",d",
    hoverformat: str = ",.0f",
    from_zero: bool = True,
) -> go.Figure:
    """One line per column of ``series`` (column -> legend label) over ``x``; withheld
    values are gaps marked '*' in the hover text."""
    fig = go.Figure()
    xs = frame[x].to_list()
    # a series the frame lacks (a selection without BA rows of its own) is left out, not a crash
    present = {column: label for column, label in series.items() if column in frame.columns}
    for i, (column, label) in enumerate(present.items()):
        hidden = suppressed_flags(frame, column)
        fig.add_scatter(
            x=xs,
            y=frame[column].to_list(),
            name=label,
            mode="lines+markers",
            line={
                "color": OKABE_ITO[i % len(OKABE_ITO)],
                "width": 2,
                "dash": ("solid", "dash", "dot", "dashdot")[i % 4],
            },
            marker={"size": 7},
            text=[SUPPRESSED if h else "" for h in hidden],
            hovertemplate=f"%{{y:{hoverformat}}}%{{text}}",
            connectgaps=False,
        )
    fig.update_layout(
        yaxis={"title": y_title, "tickformat": tickformat, "rangemode": "tozero" if from_zero else "normal"}
    )
    return base_layout(fig, lang, title, source)
