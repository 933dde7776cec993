"""``python -m benchmarks attacker``: the disclosure attacker of issue #12 on the demo
warehouse (or the one the settings point at): the time to compute the suppression pattern,
the whole view of each role below agency read into one linear system (every page built as a
view, and every widget setting of Branchen & Übergänge × every region preset and selection of
the network's Kreise × every quarter), and the integer programs for every count of 1 or 2
persons and every attribute count of 1 or 2 persons on Branchen & Übergänge; the
Drehscheibe's announcements likewise (every horizon, reach and rules × every preset, Kreis
with announcements, pair of them and selection of the network's Kreise).
Prints the figures; asserts nothing."""

from __future__ import annotations

import time

import typer


def attacker(
    roles: str = typer.Option("ministry,social_partner", help="comma-separated roles below agency"),
    flows: bool = typer.Option(True, help="read Branchen & Übergänge too (every widget setting)"),
    exchange: bool = typer.Option(True, help="read the Drehscheibe too (every horizon, reach, rules)"),
    cases: bool = typer.Option(True, help="read the case-data pages (off: the Drehscheibe only)"),
    pairs: bool = typer.Option(True, help="Drehscheibe: every pair of Kreise with announcements too"),
) -> None:
    """Attack the demo warehouse with each role's whole view."""
    from analytics import case_pattern
    from analytics.db import connect
    from analytics.kpi import case_period
    from analytics.settings import get_settings
    from tests.attacker import (  # the suite's attacker, run at demo scale
        flow_disclosures,
        read_exchange,
        whole_view_attacker,
        whole_view_with_flows,
    )

    settings = get_settings()
    con = connect(settings.warehouse_path)
    try:
        period = case_period(con)
        if period is None:
            typer.echo("no case data in the warehouse")
            raise typer.Exit(1)
        case_pattern._CACHE.clear()
        started = time.perf_counter()
        pattern = case_pattern.case_pattern(con, settings)
        took = time.perf_counter() - started
        small = sum(1 for c in pattern.hidden if 0 < pattern.values[c] < settings.disclosure_min_count)
        typer.echo(
            f"pattern: {len(pattern.values)} cells, {len(pattern.relations)} relations, "
            f"{len(pattern.hidden)} withheld ({small} of 1–2 persons), {took:.1f} s "
            f"({pattern.method}: 'stored' = read as computed at publish)"
        )
        for role in [r.strip() for r in roles.split(",") if r.strip()]:
            if exchange:
                _exchange(con, settings, period[1], role, read_exchange, pairs)
            if not cases:
                continue
            started = time.perf_counter()
            if flows:
                attack, reader, selections = whole_view_with_flows(con, settings, period[1], role=role)
            else:
                attack, selections = whole_view_attacker(con, settings, period[1], role=role)
            read = time.perf_counter() - started
            started = time.perf_counter()
            found = attack.disclosures(selections)
            if flows:
                found += flow_disclosures(attack, reader, selections)
            solved = time.perf_counter() - started
            typer.echo(
                f"{role}: {attack.figures} figures from the views ({read:.1f} s), "
                f"{len(attack.index)} unknowns, {len(selections)} selections; "
                f"pinned counts of 1–2 persons: {len(found)} ({solved:.1f} s)"
            )
            for item in found:
                typer.echo(f"  {item}")
    finally:
        con.close()


def _exchange(con, settings, reference, role: str, read_exchange, pairs: bool = True) -> None:
    """The Drehscheibe's announcements: pattern, figures read, pinned counts of 1–2 persons."""
    from analytics import exchange_pattern

    exchange_pattern._CACHE.clear()
    started = time.perf_counter()
    pattern = exchange_pattern.exchange_pattern(con, settings, reference)
    took = time.perf_counter() - started
    small = sum(1 for c in pattern.hidden if 0 < pattern.values[c] < settings.disclosure_min_count)
    typer.echo(
        f"exchange pattern: {len(pattern.values)} cells, {len(pattern.hidden)} withheld "
        f"({small} of 1–2 persons), {took:.1f} s"
    )
    started = time.perf_counter()
    from tests.attacker import exchange_selections

    reader = read_exchange(con, settings, reference, role, exchange_selections(con, settings, pairs))
    read = time.perf_counter() - started
    started = time.perf_counter()
    found = reader.disclosures()
    solved = time.perf_counter() - started
    typer.echo(
        f"{role} Drehscheibe: {reader.attacker.figures} figures from {reader.views} views ({read:.1f} s), "
        f"{len(reader.attacker.index)} unknowns, {len(reader.hidden)} figures withheld; "
        f"pinned counts of 1–2 persons: {len(found)} ({solved:.1f} s)"
    )
    for item in found:
        typer.echo(f"  {item}")
