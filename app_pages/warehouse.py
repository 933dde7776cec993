"""The warehouse in service: one read connection per published file (``st.cache_resource``), the
gate that lets a page run keep the warehouse it started with, the warehouse's key for caches,
and the small cached facts every page needs (data status, presets, Kreise, case period)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import duckdb
import streamlit as st

from analytics import db, kpi
from analytics.regions import RegionPreset, region_presets, regions
from analytics.settings import Settings, get_settings
from app_pages.texts import t


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


def kreis_names() -> dict[str, str]:
    """AGS -> name of every Kreis of the warehouse in service."""
    return _kreise(*warehouse_key())


def data_status() -> db.DataStatus:
    return _data_status(*warehouse_key())


@st.cache_data(max_entries=8)
def _real_data(path: str, stamp: float) -> bool:
    from analytics.auth import real_data_loaded

    return real_data_loaded(_connection(path, stamp))


def real_data() -> bool:
    """Whether the warehouse holds any real (non-demo) data (refuses the demo sign-in)."""
    return _real_data(*warehouse_key())
