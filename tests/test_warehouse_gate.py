"""app_pages.warehouse.WarehouseGate (#9): a run keeps the warehouse it started with; a run that finds
a newer one waits until the runs on the old one have left, and only then are the old
connections closed. Before #9 the first run to notice a publish closed the connections
other sessions' runs were querying ("Connection already closed")."""

from __future__ import annotations

import threading

import pytest

from app_pages import warehouse as common  # the gate and its helpers live in app_pages.warehouse


@pytest.fixture
def gate(monkeypatch):
    state = {"key": ("w.duckdb", 1.0), "closed": 0}
    monkeypatch.setattr(common, "_current_key", lambda: state["key"])
    monkeypatch.setattr(common, "_close_all", lambda: state.__setitem__("closed", state["closed"] + 1))
    return common.WarehouseGate(), state


def test_a_run_on_the_old_warehouse_ends_before_the_old_one_is_closed(gate):
    gate, state = gate
    assert gate.enter() == ("w.duckdb", 1.0)  # run A starts on the warehouse in service
    state["key"] = ("w.duckdb", 2.0)  # a new warehouse is published
    entered = threading.Event()
    seen = {}

    def run_b():
        seen["key"] = gate.enter()
        seen["closed_when_entered"] = state["closed"]
        entered.set()
        gate.leave()

    b = threading.Thread(target=run_b)
    b.start()
    assert not entered.wait(0.3)  # B waits while A still queries the old warehouse
    assert state["closed"] == 0
    gate.leave()  # A ends
    assert entered.wait(5)
    b.join(5)
    assert seen == {"key": ("w.duckdb", 2.0), "closed_when_entered": 1}  # closed once, then B ran


def test_runs_on_the_same_warehouse_do_not_wait_and_invalidate_reopens_once(gate):
    gate, state = gate
    gate.enter()
    gate.enter()  # a second run on the same warehouse: no wait, nothing closed
    assert state["closed"] == 0
    gate.leave()
    gate.leave()
    gate.invalidate()  # e.g. this process just published
    gate.enter()
    gate.leave()
    gate.enter()
    gate.leave()
    assert state["closed"] == 1
