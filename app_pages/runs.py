"""Run slots: at most ``max_concurrent_runs`` page runs at once per process, each on the
warehouse in service when it starts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from app_pages.warehouse import _gate, _pinned, settings


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
