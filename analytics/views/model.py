"""The types a page view is made of: texts as message ids, metrics, tables with typed columns
and units, charts, notes. A view is plain data (picklable, so Streamlit can cache it)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from analytics.auth import check_protection, check_role, require_agency
from analytics.disclosure import flag_column
from analytics.formatting import fmt_change, fmt_date, fmt_value
from analytics.messages import msg


@dataclass(frozen=True)
class Msg:
    """A text of the catalogue (analytics.messages) with its values; values may be Msgs."""

    id: str
    values: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str) -> str:
        return msg(self.id, lang, **{k: resolve(v, lang) for k, v in self.values})

    def ids(self) -> Iterator[str]:
        yield self.id
        for _, value in self.values:
            if isinstance(value, Msg):
                yield from value.ids()


def M(message_id: str, **values: Any) -> Msg:
    return Msg(message_id, tuple(values.items()))


Text = str | Msg  # plain str only for data (names of Kreise, KPI labels of the definitions)


def resolve(text: Any, lang: str) -> Any:
    return text.text(lang) if isinstance(text, Msg) else text


@dataclass(frozen=True)
class ViewFilters:
    """The plain filter values a view is built from (hashable: the cache key), with the role
    of who signed in: filters of an unknown role, or with disclosure control off for a role
    below agency, cannot be made (``AccessDenied``, analytics.auth)."""

    region_key: str
    region_label: str
    ags: tuple[str, ...]
    quarter: str  # "Q3 2026"
    lang: str = "de"
    protected: bool = True
    data_until: date | None = None
    options: tuple[tuple[str, Any], ...] = ()  # page widgets, e.g. (("digits", 3),)
    role: str | None = None  # agency | ministry | social_partner, from the sign-in

    def __post_init__(self) -> None:
        check_role(self.role)
        check_protection(self.role, self.protected)

    def require_agency(self, what: str) -> None:
        require_agency(self.role, what)

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)


# units: count | share | eur | ratio | days | float | points | pp | index | date | text
# (points: a change of a share, stored as a fraction; pp: already in percentage points)
EXCEL_UNITS = {"days": "float", "points": "float", "pp": "float", "index": "float", "text": None}


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    unit: str = "text"  # "row": the row's unit (Table.row_units), for tables of mixed measures
    # the header on screen where ``label`` is too wide for 1280 px; the full label stays the
    # Excel header and the screen header's tooltip
    short: Text | None = None
    # the column's width on screen: "small" | "medium" | "large" or pixels (None: to content)
    width: str | int | None = None


@dataclass(frozen=True)
class TablePart:
    """Some columns of a table shown as a grid of their own on screen (``Table.parts``); the
    Excel sheet keeps the whole table."""

    title: Text | None
    keys: tuple[str, ...]


@dataclass(frozen=True)
class ScreenGrid:
    """One grid as drawn: its cell texts under the screen headers, the tooltips (header -> full
    label), the widths (header -> width) and the headers of number columns (right-aligned)."""

    title: str | None
    frame: pl.DataFrame
    helps: dict[str, str]
    widths: dict[str, str | int]
    numeric: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A table: ``frame`` holds the values (NULL + ``<key>__suppressed`` where withheld)."""

    key: str
    title: Text
    sheet: Text
    columns: tuple[Column, ...]
    frame: pl.DataFrame
    row_units: tuple[str, ...] | None = None
    expander: Text | None = None  # on screen folded under this label
    # on screen as an HTML table (st.table) whose long texts wrap, instead of the canvas grid
    # (which cuts them or scrolls sideways): for short tables of long labels
    static: bool = False
    # on screen split into these grids (a key column such as the name may be in several);
    # together they show every column. Empty: one grid of all columns
    parts: tuple[TablePart, ...] = ()

    def __post_init__(self) -> None:
        keys = [c.key for c in self.columns]
        shown = {k for part in self.parts for k in part.keys}
        unknown = shown - set(keys)
        if unknown:
            raise ValueError(f"table {self.key}: parts name unknown columns {sorted(unknown)}")
        if self.parts and shown != set(keys):
            raise ValueError(f"table {self.key}: parts leave out {sorted(set(keys) - shown)}")

    def screen_parts(self, lang: str) -> list[ScreenGrid]:
        """The grids on screen, one per part (one of all columns without parts); a header is
        unique within its grid (the part's title says e.g. "change" for all of its columns)."""
        parts = self.parts or (TablePart(None, tuple(c.key for c in self.columns)),)
        index = {c.key: j for j, c in enumerate(self.columns)}
        texts = self.cell_texts(lang)
        out = []
        for part in parts:
            columns = [self.columns[index[k]] for k in part.keys]
            headers = _unique([resolve(c.short if c.short is not None else c.label, lang) for c in columns])
            frame = pl.DataFrame(
                {h: [row[index[c.key]] for row in texts] for h, c in zip(headers, columns, strict=True)},
                schema=dict.fromkeys(headers, pl.String),
            )
            pairs = list(zip(headers, columns, strict=True))
            out.append(
                ScreenGrid(
                    None if part.title is None else resolve(part.title, lang),
                    frame,
                    {h: f for h, c in pairs if c.short is not None and (f := resolve(c.label, lang)) != h},
                    {h: c.width for h, c in pairs if c.width is not None},
                    tuple(h for h, c in pairs if c.unit not in ("text", "date")),
                )
            )
        return out

    def unit(self, column: Column, row: int) -> str:
        if column.unit == "row" and self.row_units is not None:
            return self.row_units[row]
        return column.unit

    def suppressed(self, key: str) -> list[bool]:
        flag = flag_column(key)
        return self.frame[flag].to_list() if flag in self.frame.columns else [False] * self.frame.height

    def cell_texts(self, lang: str) -> list[list[str]]:
        """Every cell as shown on screen: the language's number format, "*" where withheld."""
        out = []
        values = {c.key: self.frame[c.key].to_list() for c in self.columns}
        flags = {c.key: self.suppressed(c.key) for c in self.columns}
        for i in range(self.frame.height):
            row = []
            for column in self.columns:
                value, unit = values[column.key][i], self.unit(column, i)
                if unit == "text":
                    row.append("" if value is None else str(value))
                elif unit == "date":
                    row.append(fmt_date(value, lang))
                else:
                    row.append(fmt_value(value, unit, lang, flags[column.key][i]))
            out.append(row)
        return out

    def screen_headers(self, lang: str) -> list[str]:
        return _unique([resolve(c.short if c.short is not None else c.label, lang) for c in self.columns])

    def screen_help(self, lang: str) -> dict[str, str]:
        """Screen header -> the full label, for the columns shown under a short header."""
        return {
            header: resolve(c.label, lang)
            for header, c in zip(self.screen_headers(lang), self.columns, strict=True)
            if c.short is not None
        }

    def screen_frame(self, lang: str) -> pl.DataFrame:
        headers = self.screen_headers(lang)
        texts = self.cell_texts(lang)
        return pl.DataFrame(
            {h: [row[j] for row in texts] for j, h in enumerate(headers)},
            schema=dict.fromkeys(headers, pl.String),
        )


def _unique(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for header in headers:
        seen[header] = seen.get(header, 0) + 1
        out.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return out


@dataclass(frozen=True)
class Metric:
    key: str
    label: Text
    value: float | None
    unit: str
    suppressed: bool = False
    delta: float | None = None
    delta_suppressed: bool = False
    delta_color: str = "off"  # normal | inverse | off
    help: Text | None = None
    caption: Text | None = None
    delta_suffix: Text | None = None  # e.g. "zum Vorjahr" after the change

    def value_text(self, lang: str) -> str:
        return fmt_value(self.value, self.unit, lang, self.suppressed)

    def delta_text(self, lang: str) -> str | None:
        text = fmt_change(self.delta, self.unit, lang, self.delta_suppressed)
        if text is None or self.delta_suffix is None:
            return text
        return f"{text} {resolve(self.delta_suffix, lang)}"


@dataclass(frozen=True)
class MetricGrid:
    metrics: tuple[Metric, ...]
    per_row: int = 4


# characters of a metric label that fit one card at 1280 px, by cards per row: the label's
# room (main column 820 px less gaps, the card's padding and the help icon: 764, 346, 207,
# 137 px) at 6.3 px a character (region names measured at 6.1-6.2 px in the browser)
LABEL_FIT = {1: 110, 2: 54, 3: 31, 4: 21}


def fitting_per_row(labels: list[str], most: int = 4) -> int:
    """The most cards per row (at most ``most``) whose card still shows the longest label whole."""
    longest = max((len(label) for label in labels), default=0)
    return next((n for n in range(min(most, 4), 1, -1) if longest <= LABEL_FIT[n]), 1)


@dataclass(frozen=True)
class Chart:
    key: str
    figure: Any  # a plotly Figure built from the table ``table``
    table: str | None = None


@dataclass(frozen=True)
class Map:
    """A pydeck map (no basemap) with its legends side by side."""

    key: str
    deck: Any
    legends: tuple[tuple[Text, tuple[tuple[str, str], ...]], ...]  # (title, (label, colour) per class)
    height: int = 560


@dataclass(frozen=True)
class Note:
    text: Text
    kind: str = "caption"  # caption | legend (shown literally) | info | warning | markdown


@dataclass(frozen=True)
class Heading:
    text: Text


Block = MetricGrid | Table | Chart | Map | Note | Heading


@dataclass(frozen=True)
class View:
    page: str
    lang: str
    title: Text
    blocks: tuple[Block, ...]
    source: Text
    as_of: str
    filters: tuple[tuple[Text, str], ...]
    file_name: str
    demo: bool = False
    protected: bool = True  # disclosure control applied (every role below "agency")
    definitions: tuple[tuple[Text, Text], ...] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables() if t.key == key)

    def metrics(self) -> list[Metric]:
        return [m for b in self.blocks if isinstance(b, MetricGrid) for m in b.metrics]

    def text(self, text: Any) -> Any:
        return resolve(text, self.lang)

    def message_ids(self) -> set[str]:
        """Every catalogue id the view uses (the catalogue test looks each up)."""
        texts: list[Any] = [self.title, self.source]
        texts += [label for label, _ in self.filters]
        texts += [t for pair in self.definitions for t in pair]
        for block in self.blocks:
            if isinstance(block, Table):
                texts += [block.title, block.sheet, block.expander, *(c.label for c in block.columns)]
                texts += [c.short for c in block.columns if c.short is not None]
                texts += [p.title for p in block.parts]
            elif isinstance(block, MetricGrid):
                texts += [t for m in block.metrics for t in (m.label, m.help, m.caption, m.delta_suffix)]
            elif isinstance(block, Note | Heading):
                texts.append(block.text)
            elif isinstance(block, Map):
                texts += [title for title, _ in block.legends]
        return {i for t in texts if isinstance(t, Msg) for i in t.ids()}


def ranking_summary(message_id: str, ranked: pl.DataFrame, column: str, unit: str, lang: str, **values: Any):
    """The note "highest … / lowest … / n withheld" under a ranked table (rows sorted best
    first, ``name`` and ``column`` with its ``__suppressed`` flag); None without a known value."""
    known = ranked.filter(ranked[column].is_not_null())
    if not known.height:
        return None
    return Note(
        M(
            message_id,
            high=known["name"][0],
            high_value=fmt_value(known[column][0], unit, lang),
            low=known["name"][-1],
            low_value=fmt_value(known[column][-1], unit, lang),
            withheld=int(ranked[flag_column(column)].sum()),
            **values,
        )
    )
