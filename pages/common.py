"""Streamlit glue shared by app.py and the pages: language, connection, filters, footer.

No SQL and no KPI logic here: everything numeric comes from the ``analytics`` package.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from analytics import automotive, db, kpi, labour_market, maps
from analytics.formatting import (
    InputError,
    fmt_date,
    fmt_month,
    fmt_number,
    parse_number,
)
from analytics.messages import msg
from analytics.periods import Quarter, quarters_between
from analytics.regional import Area
from analytics.regions import RegionPreset, region_presets, regions
from analytics.settings import Settings, get_settings
from analytics.views.model import ViewFilters

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("Arbeit bewegen! – Arbeitsmarkt-Cockpit", "Arbeit bewegen! – labour-market cockpit"),
    "section_network": ("Netzwerk", "Network"),
    "section_market": ("Arbeitsmarkt", "Labour market"),
    "section_data": ("Daten", "Data"),
    "nav_overview": ("Übersicht", "Overview"),
    "nav_flows": ("Branchen & Übergänge", "Sectors & transitions"),
    "nav_funding": ("Förderung", "Funding"),
    "nav_exchange": ("Arbeitsmarktdrehscheibe", "Labour-market exchange"),
    "nav_rollout": ("Rollout-Planer", "Rollout planner"),
    "nav_regions": ("Regionen", "Regions"),
    "nav_automotive": ("Automobilwirtschaft", "Automotive"),
    "nav_trends": ("Trends", "Trends"),
    "nav_statistics_upload": ("Statistik laden", "Load statistics"),
    "nav_case_import": ("Falldaten importieren", "Import case data"),
    "nav_data_quality": ("Datenqualität", "Data quality"),
    "language": ("Sprache / Language", "Sprache / Language"),
    "filters": ("Filter", "Filters"),
    "region": ("Region", "Region"),
    "custom_region": ("Eigene Auswahl", "Custom selection"),
    "custom_kreise": ("Kreise", "Districts"),
    "period": ("Zeitraum (Quartal)", "Period (quarter)"),
    "demo_badge": (
        "DEMO-DATEN – alle Zahlen und Firmen sind fiktiv",
        "DEMO DATA – all figures and firms are fictional",
    ),
    "data_status": ("Datenstand", "Data status"),
    "ba_until": (
        "BA-Statistik (Arbeitslose, gemeldete Stellen) bis",
        "BA statistics (unemployed, vacancies) up to",
    ),
    "svb_until": ("SvB-Beschäftigte Stichtag", "Employees (SvB) reference date"),
    "cases_until": ("Netzwerkdaten bis", "Network case data up to"),
    "geo": ("Kreisgrenzen", "District boundaries"),
    "geo_missing": (
        "Keine Kreisgrenzen geladen: `python -m pipelines geo --source "
        "<Pfad zu VG5000_KRS.shp oder BKG-URL>` ausführen.",
        "No district boundaries loaded: run `python -m pipelines geo --source "
        "<path to VG5000_KRS.shp or BKG URL>`.",
    ),
    "no_warehouse": ("Das Daten-Warehouse ist nicht verfügbar.", "The data warehouse is not available."),
    "partial_quarter": ("Quartal läuft noch: Daten bis", "Quarter in progress: data up to"),
    "loads": ("Ladevorgänge", "Loads"),
    "demo_source": ("Quelle: Demo-Generator", "Source: demo generator"),
    "running": ("laufend", "in progress"),
    "download_excel": ("Excel herunterladen", "Download Excel"),
    "unprotected": ("Ungeschützte Werte (intern)", "Unprotected values (internal)"),
    "unprotected_help": (
        "Nur für die Rolle 'agency': zeigt auch Fallzahlen von 1–2 Personen. Nicht für Berichte nach außen.",
        "Agency role only: also shows counts of 1–2 persons. Not for external reports.",
    ),
}


def lang() -> str:
    return st.session_state.get("lang", "de")


def t(key: str) -> str:
    de, en = TEXT[key]
    return de if lang() == "de" else en


def translator(texts: dict[str, tuple[str, str]]) -> Callable[..., str]:
    """A page's ``tr(key, **values)``: its German or English text, formatted. The language is
    the one of the run that made ``tr`` (pages make it on every run), so that widget
    ``format_func=tr`` gives the same labels whenever Streamlit calls it."""
    current = lang()

    def tr(key: str, **values: object) -> str:
        de, en = texts[key]
        return (de if current == "de" else en).format(**values)

    return tr


def language_switch() -> str:
    language_from_url()
    st.sidebar.radio(
        TEXT["language"][0],
        options=["de", "en"],
        key="lang",
        horizontal=True,
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
    )
    return lang()


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


@st.cache_resource(max_entries=2, on_release=_close)
def _connection(path: str, stamp: float) -> duckdb.DuckDBPyConnection:
    return db.connect(Path(path), threads=settings().query_threads)


def _close_all() -> None:
    _connection.clear()
    st.cache_data.clear()


def _current_key() -> tuple[str, float]:
    path = settings().warehouse_path
    return str(path), db.file_stamp(path)


class WarehouseGate:
    """Which warehouse the page runs of all sessions use, and when the old one is closed.

    DuckDB hands out the database already open for a path, so a newly published file (same
    path, new inode) is only seen once every connection to the old one is closed. Closing it
    while another session's run still queries it fails that run ("Connection already
    closed"). So each run enters the gate with the warehouse in service when it starts and
    keeps it to its end; a run that finds a newer one waits until the runs on the old one
    have left, then the old connections are closed and cached results dropped.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._key: tuple[str, float] | None = None
        self._users = 0
        self._stale = False

    def enter(self) -> tuple[str, float]:
        with self._cond:
            while True:
                key = _current_key()
                changed = self._stale or (self._key is not None and key != self._key)
                if not changed or self._users == 0:
                    break
                self._cond.wait(timeout=1.0)  # re-read the stamp now and then
            if changed:
                _close_all()
            self._key, self._stale = key, False
            self._users += 1
            return key

    def leave(self) -> None:
        with self._cond:
            self._users -= 1
            self._cond.notify_all()

    def invalidate(self) -> None:
        """Reopen before the next run (e.g. right after this process published)."""
        with self._cond:
            self._stale = True


_gate = WarehouseGate()
_pinned = threading.local()  # the warehouse key of the page run on this thread


def reopen_warehouse() -> None:
    """Close the cached connections and drop cached results once no run uses them."""
    _gate.invalidate()


def settings() -> Settings:
    return get_settings()


@st.cache_resource(show_spinner=False)
def _run_slots(size: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(size)


@contextmanager
def run_slot() -> Iterator[None]:
    """Hold one of the process's ``max_concurrent_runs`` slots for a page run, and the
    warehouse in service when it starts (``WarehouseGate``) to its end.

    Every session runs its script in its own thread, all in one process and under one GIL:
    twenty page runs at once do not finish sooner than four, but starve the server's event
    loop (health check, websocket traffic) and hold twenty sets of frames in memory. Waiting
    for a slot blocks without the GIL; a rerun request still stops the run once it has one.
    """
    slots = _run_slots(settings().max_concurrent_runs)
    with slots:
        _pinned.key = _gate.enter()
        try:
            yield
        finally:
            _pinned.key = None
            _gate.leave()


def warehouse_key() -> tuple[str, float]:
    """(path, modification time): a newly published warehouse gets a new key. Inside a page
    run, the key of the warehouse the run started with."""
    pinned = getattr(_pinned, "key", None)
    if pinned is not None:
        return pinned
    key = _gate.enter()  # outside a run (a page script run on its own): switch when idle
    _gate.leave()
    return key


def connection() -> duckdb.DuckDBPyConnection:
    return _connection(*warehouse_key())


def open_warehouse_or_stop() -> duckdb.DuckDBPyConnection:
    try:
        return connection()
    except db.WarehouseError as exc:
        st.error(f"**{t('no_warehouse')}**\n\n{exc}")
        st.stop()
        raise  # unreachable; st.stop raises


@st.cache_data(max_entries=8)
def _data_status(path: str, stamp: float) -> db.DataStatus:
    return db.data_status(_connection(path, stamp))


@st.cache_data(max_entries=8)
def _presets(path: str, stamp: float) -> list[RegionPreset]:
    con = _connection(path, stamp)
    return region_presets(con, kpi.network_regions(con))


@st.cache_data(max_entries=8)
def _kreise(path: str, stamp: float) -> dict[str, str]:
    table = regions(_connection(path, stamp))
    return dict(zip(table["ags"], table["name"], strict=True))


@st.cache_data(max_entries=8)
def _case_period(path: str, stamp: float) -> tuple[date, date] | None:
    return kpi.case_period(_connection(path, stamp))


def data_status() -> db.DataStatus:
    return _data_status(*warehouse_key())


@st.cache_data(max_entries=8)
def _real_data(path: str, stamp: float) -> bool:
    from analytics.auth import real_data_loaded

    return real_data_loaded(_connection(path, stamp))


def real_data() -> bool:
    """Whether the warehouse holds any real (non-demo) data (refuses the demo sign-in)."""
    return _real_data(*warehouse_key())


def who() -> str:
    """Who signed in (e-mail address, or the demo sign-in), for the audit trail."""
    return str(st.session_state.get("_auth_who", "?"))


def role() -> str | None:
    """The signed-in role of this session (set by pages.auth.sign_in each run)."""
    filters = st.session_state.get("filters")
    return filters.role if filters is not None else None


@dataclass(frozen=True)
class Filters:
    region_key: str
    region_label: str
    ags: tuple[str, ...]
    quarter: Quarter
    data_until: date | None
    protected: bool = True  # disclosure control (design §6); off only for the agency role
    role: str | None = None  # of who signed in (pages.auth); checked in the query layer

    @property
    def quarter_is_partial(self) -> bool:
        return self.data_until is not None and self.data_until < self.quarter.end


def global_filters(role: str | None) -> Filters:
    """Region preset (or custom Kreise) and reporting quarter, kept in session state; the
    disclosure switch for the agency role."""
    key = warehouse_key()
    presets = _presets(*key)
    kreise = _kreise(*key)
    by_key = {p.key: p for p in presets}
    options = [p.key for p in presets] + ["custom"]
    _region_from_url(options, kreise)
    st.sidebar.header(t("filters"))
    choice = st.sidebar.selectbox(
        t("region"),
        options,
        key="region_preset",
        format_func=(
            {k: by_key[k].label(lang()) for k in by_key} | {"custom": t("custom_region")}
        ).__getitem__,
    )
    if choice == "custom":
        if not st.session_state.get("region_custom"):
            st.session_state["region_custom"] = ["03254"]
        selected = st.sidebar.multiselect(
            t("custom_kreise"),
            list(kreise),
            key="region_custom",
            format_func=lambda a: f"{kreise[a]} ({a})",
        )
        ags = tuple(selected) or ("03254",)
        label = ", ".join(kreise[a] for a in ags[:4]) + (" …" if len(ags) > 4 else "")
    else:
        ags, label = by_key[choice].ags, by_key[choice].label(lang())

    period = _case_period(*key)
    cfg = settings()
    until = period[1] if period else date.today()
    quarters = quarters_between(cfg.project_start, max(until, cfg.project_start))[::-1]
    labels = [q.label() for q in quarters]
    partial = {q.label() for q in quarters if q.end > until}
    complete = [label for label in labels if label not in partial]
    wanted = _url_value("quarter")
    if wanted is not None:
        try:
            wanted_label = Quarter.parse(wanted).label()
        except ValueError:
            wanted_label = None
        if wanted_label in labels:
            st.session_state["quarter"] = wanted_label
    if "quarter" not in st.session_state or st.session_state["quarter"] not in labels:
        st.session_state["quarter"] = complete[0] if complete else labels[0]
    quarter_label = st.sidebar.selectbox(
        t("period"),
        labels,
        key="quarter",
        format_func={q: f"{q} ({t('running')})" if q in partial else q for q in labels}.__getitem__,
    )
    protected = True
    if role == "agency":
        protected = not st.sidebar.toggle(t("unprotected"), key="unprotected", help=t("unprotected_help"))
    filters = Filters(
        choice,
        label,
        tuple(ags),
        Quarter.parse(quarter_label),
        period[1] if period else None,
        protected,
        role,
    )
    _write_url(filters)
    return filters


URL_KEYS = ("region", "quarter", "lang")


def _url_value(name: str) -> str | None:
    """A value of the link the session was opened with (read once: later the URL follows the
    widgets, not the other way round)."""
    pending = st.session_state.setdefault("_url_pending", {k: st.query_params.get(k) for k in URL_KEYS})
    return pending.pop(name, None)


def language_from_url() -> None:
    wanted = _url_value("lang")
    if wanted in ("de", "en"):
        st.session_state["lang"] = wanted


def _region_from_url(options: list[str], kreise: dict[str, str]) -> None:
    """``?region=KEY`` (a preset) or ``?region=AGS,AGS,…`` (a custom selection of Kreise)."""
    wanted = _url_value("region")
    if not wanted:
        return
    if wanted in options:
        st.session_state["region_preset"] = wanted
        return
    chosen = [a for a in dict.fromkeys(part.strip() for part in wanted.split(",")) if a in kreise]
    if chosen:
        st.session_state["region_preset"] = "custom"
        st.session_state["region_custom"] = chosen


def url_state(filters: Filters) -> dict[str, str]:
    """The query parameters that open the same view: region, quarter (2026-Q3), language."""
    region = ",".join(filters.ags) if filters.region_key == "custom" else filters.region_key
    return {"region": region, "quarter": f"{filters.quarter.year}-Q{filters.quarter.q}", "lang": lang()}


def _write_url(filters: Filters) -> None:
    wanted = url_state(filters)
    if {k: st.query_params.get(k) for k in URL_KEYS} != wanted:
        st.query_params.update(wanted)


def footer() -> None:
    status = data_status()
    lg = lang()
    st.divider()
    if status.is_demo:
        st.warning(t("demo_badge"), icon=":material/science:")
    parts = [
        f"{t('ba_until')} {fmt_month(status.labour_market_until, lg)}",
        f"{t('svb_until')} {fmt_date(status.employment_until, lg)}",
        f"{t('cases_until')} {fmt_date(status.cases_until, lg)}",
    ]
    attribution = status.bkg_attribution()
    if attribution:
        parts.append(f"{t('geo')}: {attribution}")
    st.caption(f"**{t('data_status')}:** " + " · ".join(parts))
    if not attribution:
        st.caption(t("geo_missing"))
    sources = ", ".join(
        f"{row['step']} ({fmt_date(row['loaded_at'].date(), lg)})"
        for row in status.loads.iter_rows(named=True)
    )
    st.caption(f"{t('loads')}: {sources}" + ("" if not status.is_demo else f" · {t('demo_source')}"))


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def dataframe(frame: pl.DataFrame, **kwargs: object) -> object:
    """``st.dataframe`` of a Polars frame, handed over as Arrow: Streamlit serialises Arrow as
    it is, while a Polars frame would go through ``to_pandas`` and back to Arrow on every
    run of every session (README "Limits")."""
    return st.dataframe(frame.to_arrow(compat_level=pl.CompatLevel.oldest()), **kwargs)


def download_excel(build: Callable[[], bytes], file_name: str, key: str) -> None:
    """An Excel download whose workbook is built only when the button is clicked."""
    st.download_button(
        t("download_excel"),
        data=build,
        file_name=file_name,
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key=key,
    )


# Labour-market pages (Regionen, Automobilwirtschaft, Trends): cached query-layer results,
# keyed by the warehouse (path, stamp) and plain filter values.


@st.cache_data(max_entries=8, show_spinner=False)
def region_table(path: str, stamp: float):
    return regions(_connection(path, stamp))


@st.cache_data(max_entries=8, show_spinner=False)
def labour_market_months(path: str, stamp: float) -> list[date]:
    return labour_market.months_available(_connection(path, stamp))


@st.cache_data(max_entries=8, show_spinner=False)
def occupation_choices(path: str, stamp: float):
    return labour_market.occupation_choices(_connection(path, stamp))


@st.cache_data(max_entries=64, show_spinner=False)
def supply_demand(path: str, stamp: float, kldb: str, kind: str, start: date):
    return labour_market.supply_demand(_connection(path, stamp), kldb, labour_market.Period(kind, start))


@st.cache_data(max_entries=64, show_spinner=False)
def occupation_balance(path: str, stamp: float, kind: str, start: date, ags: tuple[str, ...]):
    return labour_market.occupation_balance(
        _connection(path, stamp), labour_market.Period(kind, start), list(ags)
    )


@st.cache_data(max_entries=32, show_spinner=False)
def labour_market_quarterly(
    path: str, stamp: float, kldb: str, areas: tuple[Area, ...], first: date, last: date
):
    return labour_market.quarterly_by_area(_connection(path, stamp), kldb, list(areas), first, last)


@st.cache_resource(max_entries=2, show_spinner=False)
def kreis_features(path: str, stamp: float) -> dict:
    """GeoJSON of the Kreise, parsed once per warehouse (read-only: never mutate it)."""
    return maps.feature_collection(maps.geometry(_connection(path, stamp)))


@st.cache_data(max_entries=8, show_spinner=False)
def employment_dates(path: str, stamp: float) -> list[date]:
    return automotive.reference_dates(_connection(path, stamp))


@st.cache_data(max_entries=8, show_spinner=False)
def automotive_definition(path: str, stamp: float, scope: str):
    return automotive.definition_table(_connection(path, stamp), settings().automotive, scope)


@st.cache_data(max_entries=32, show_spinner=False)
def automotive_share(path: str, stamp: float, scope: str, reference_date: date):
    return automotive.automotive_share(
        _connection(path, stamp), automotive.codes(settings().automotive, scope), reference_date
    )


@st.cache_data(max_entries=32, show_spinner=False)
def employment_quarterly(
    path: str,
    stamp: float,
    sector_codes: tuple[str, ...] | None,
    areas: tuple[Area, ...],
    first: date,
    last: date,
):
    return automotive.quarterly_by_area(
        _connection(path, stamp),
        None if sector_codes is None else list(sector_codes),
        list(areas),
        first,
        last,
    )


@st.cache_data(max_entries=8, show_spinner=False)
def network_firms(path: str, stamp: float, role: str | None):
    return automotive.visible_firms(_connection(path, stamp), role)


@st.cache_data(max_entries=8, show_spinner=False)
def wz_divisions(path: str, stamp: float):
    return automotive.wz_divisions(_connection(path, stamp))


def number_field(
    container, label: str, key: str, default: float, minimum: float, maximum: float, decimals: int = 1
) -> float:
    """A number typed in the notation of the language ("3,5", "2.000" in German), read by
    ``formatting.parse_number``. A refused or out-of-range entry is answered with a warning and
    the last valid value (kept in ``st.session_state[key]``) stays in use; the field has one key
    per language, so that switching language shows the value in the other notation."""
    lg = lang()
    current = float(st.session_state.get(key, default))
    text = container.text_input(label, value=fmt_number(current, lg, decimals), key=f"{key}__{lg}")
    try:
        value = parse_number(text, lg)
        if not minimum <= value <= maximum:
            raise InputError(
                "input_out_of_range",
                value=fmt_number(value, lg, decimals),
                minimum=fmt_number(minimum, lg, decimals),
                maximum=fmt_number(maximum, lg, decimals),
            )
    except InputError as error:
        kept = msg("input_kept", lg, value=fmt_number(current, lg, decimals))
        container.warning(f"{msg(error.message_id, lg, **error.values)} {kept}", icon=":material/warning:")
        return current
    st.session_state[key] = value
    return value


@st.cache_data(max_entries=128, show_spinner=False)
def _cached_view(builder: str, path: str, stamp: float, filters: ViewFilters):
    module, _, name = builder.rpartition(".")
    build = getattr(importlib.import_module(module), name)
    return build(_connection(path, stamp), settings(), filters)


def view_filters(filters: Filters, **options: object) -> ViewFilters:
    """The global filters (and a page's own widget values) as plain values for a view."""
    return ViewFilters(
        region_key=filters.region_key,
        region_label=filters.region_label,
        ags=filters.ags,
        quarter=filters.quarter.label(),
        lang=lang(),
        protected=filters.protected,
        data_until=filters.data_until,
        options=tuple(sorted(options.items())),
        role=filters.role,
    )


def cached_view(builder: Callable[..., object], filters: ViewFilters):
    """The page's view, built by ``builder(con, settings, filters)`` (a module-level function
    of analytics.views) and cached by the warehouse and the plain filter values."""
    return _cached_view(f"{builder.__module__}.{builder.__qualname__}", *warehouse_key(), filters)
