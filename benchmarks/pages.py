"""Render time of every page registered in app.py (Streamlit AppTest), on the demo
warehouse and on a generated warehouse 10× larger that covers all of Germany's Kreise.

cold = the page's first run after all Streamlit caches were cleared (new connection, every
query computed; Python modules already imported); warm = the rerun of the same page.
The large warehouse is written to a temporary directory and deleted afterwards.
"""

from __future__ import annotations

import ast
import os
import statistics
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer

from analytics.settings import PROJECT_ROOT, SHARED_GEO, Settings, get_settings

APP = PROJECT_ROOT / "app.py"
REGIONS_REFERENCE = PROJECT_ROOT / "pipelines" / "reference_data" / "regions.csv"
LAND_NAMES = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}


def registered_pages(app_file: Path = APP) -> list[str]:
    """The page files passed to st.Page in app.py, in order."""
    tree = ast.parse(app_file.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


@contextmanager
def pointing_at(data_dir: Path):
    """Point the process-wide settings at ``data_dir`` for the duration."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("COCKPIT_")}
    os.environ["COCKPIT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("COCKPIT_CONFIG", str(data_dir / "none.toml"))
    get_settings.cache_clear()
    try:
        yield get_settings()
    finally:
        for key in [k for k in os.environ if k.startswith("COCKPIT_")]:
            del os.environ[key]
        os.environ.update(saved)
        get_settings.cache_clear()


def germany_regions(shapefile: Path) -> pl.DataFrame:
    """All Kreise of the BKG file: AGS, name, kind, Land, an Agentur (first 4 digits)."""
    import pyogrio

    frame = pyogrio.read_dataframe(
        shapefile, read_geometry=False, columns=["AGS", "GEN", "BEZ", "NUTS", "GF"]
    )
    frame = frame[frame["GF"].isin([4, 9])].drop_duplicates("AGS")
    table = pl.DataFrame(
        {
            "ags": frame["AGS"].astype(str).tolist(),
            "name": frame["GEN"].tolist(),
            "bez": frame["BEZ"].tolist(),
            "nuts3": frame["NUTS"].tolist(),
        }
    )
    first = table.group_by(pl.col("ags").str.slice(0, 4).alias("key")).agg(pl.col("name").first())
    agentur = dict(first.iter_rows())
    # the Agentur code: the reference table's where it knows the Kreis, else a made-up one
    # per Agentur ("9" + its four digits: no Kreis AGS starts with 9)
    known = pl.read_csv(REGIONS_REFERENCE, schema_overrides={"ags": pl.String, "agentur_code": pl.String})
    known_code = dict(known.select("ags", "agentur_code").iter_rows())
    return (
        table.with_columns(
            pl.when(pl.col("bez").str.contains("(?i)stadt"))
            .then(pl.lit("Kreisfreie Stadt"))
            .otherwise(pl.lit("Landkreis"))
            .alias("kind"),
            pl.col("ags").str.slice(0, 2).alias("land_code"),
            pl.col("ags").str.slice(0, 2).replace_strict(LAND_NAMES).alias("land_name"),
            pl.col("ags").str.slice(0, 4).replace_strict(agentur).alias("agentur"),
            pl.col("ags")
            .replace_strict(known_code, default=pl.lit("9") + pl.col("ags").str.slice(0, 4))
            .alias("agentur_code"),
            pl.lit(date(2026, 1, 1)).alias("valid_from"),
        )
        .select(
            "ags", "name", "kind", "land_code", "land_name", "agentur", "agentur_code", "nuts3", "valid_from"
        )
        .sort("ags")
    )


def build_germany_warehouse(data_dir: Path, shapefile: Path = SHARED_GEO, scale: int = 10) -> Settings:
    """A warehouse for all Kreise with ``scale`` × the demo's participants (demo generators)."""
    from pipelines.warehouse import publish

    os.environ["COCKPIT_DATA_DIR"] = str(data_dir)
    os.environ["COCKPIT_CONFIG"] = str(data_dir / "none.toml")
    os.environ["COCKPIT_GEO_LANDS"] = '["' + '","'.join(sorted(LAND_NAMES)) + '"]'
    os.environ["COCKPIT_DEMO__PARTICIPANTS"] = str(320 * scale)
    os.environ.setdefault("COCKPIT_DEMO__LAST_MONTH", "2026-10-01")
    get_settings.cache_clear()
    settings = get_settings()
    load_germany_base(settings, shapefile, cases=True)
    publish(settings)
    return settings


def load_germany_base(settings: Settings, shapefile: Path = SHARED_GEO, *, cases: bool) -> pl.DataFrame:
    """Reference data, every Kreise of the BKG file as regions, their shapes and (``cases``)
    the demo's case data for ``settings.demo.participants`` participants over all Kreise.
    Not published; returns the regions."""
    from pipelines import demo_profiles as profiles
    from pipelines.demo import load_demo
    from pipelines.geo import load_geo
    from pipelines.reference import load_reference
    from pipelines.warehouse import replace_table, staging

    regions = germany_regions(shapefile)
    load_reference(settings)
    with staging(settings) as con:
        replace_table(con, "region", regions)
    load_geo(settings, str(shapefile))
    if not cases:
        return regions
    # calibration for Kreise outside Niedersachsen/Bremen: a typical Kreis of the demo
    typical = (5_000, 50, 4.5)
    saved = dict(profiles.KREIS_PROFILE)
    profiles.KREIS_PROFILE.update({a: typical for a in regions["ags"] if a not in saved})
    try:
        load_demo(settings)
    finally:
        profiles.KREIS_PROFILE.clear()
        profiles.KREIS_PROFILE.update(saved)
    return regions


def time_pages(rounds: int = 3, role: str = "agency") -> list[dict[str, object]]:
    """Cold and warm render time of every registered page (median of ``rounds``), signed in
    as ``role`` (the identity claims of an OpenID Connect sign-in, analytics.auth)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results = []
    for page in registered_pages():
        cold, warm = [], []
        for _ in range(rounds):
            at = AppTest.from_file(str(APP), default_timeout=300)
            at.user = {"is_logged_in": True, "email": f"{role}@bench.invalid", "cockpit_role": role}
            at.run()
            st.cache_data.clear()
            st.cache_resource.clear()
            started = time.perf_counter()
            at.switch_page(page).run()
            cold.append(time.perf_counter() - started)
            if at.exception:
                raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        results.append({"page": page, "cold_s": statistics.median(cold), "warm_s": statistics.median(warm)})
    return results


def _report(
    label: str, results: list[dict[str, object]], warm_target: float | None, cold_target: float | None
) -> None:
    typer.echo(f"\n{label}")
    typer.echo(f"  {'page':<22} {'cold s':>8} {'warm s':>8}")
    for row in results:
        flags = []
        if warm_target is not None and row["warm_s"] > warm_target:
            flags.append(f"warm > {warm_target} s")
        if cold_target is not None and row["cold_s"] > cold_target:
            flags.append(f"cold > {cold_target} s")
        typer.echo(
            f"  {row['page']:<22} {row['cold_s']:>8.3f} {row['warm_s']:>8.3f}"
            + (f"   MISSED: {', '.join(flags)}" if flags else "")
        )


def warehouse_dir(path: Path) -> Path:
    """The data directory of an existing warehouse given as its directory or its
    ``warehouse.duckdb`` (e.g. ``data/germany`` of ``python -m benchmarks germany --keep``)."""
    data_dir = path.parent if path.suffix == ".duckdb" else path
    if not (data_dir / "warehouse.duckdb").is_file():
        raise typer.BadParameter(f"no warehouse.duckdb in {data_dir}")
    return data_dir.resolve()


def pages(
    rounds: Annotated[int, typer.Option(help="Runs per page; the median is reported.")] = 3,
    scale: Annotated[int, typer.Option(help="Size of the all-Germany warehouse vs. the demo.")] = 10,
    demo_dir: Annotated[Path | None, typer.Option(help="Demo data dir (default: data_dir).")] = None,
    demo: Annotated[bool, typer.Option(help="Time the demo warehouse.")] = True,
    warehouse: Annotated[
        Path | None,
        typer.Option(help="An existing warehouse (its data dir) instead of building the all-Germany one."),
    ] = None,
) -> None:
    """Render time of every page (AppTest): demo warehouse and a 10× all-Germany warehouse
    (or ``--warehouse``, e.g. the one ``germany --keep`` leaves)."""
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    existing = warehouse_dir(warehouse) if warehouse is not None else None
    if demo:
        demo_path = demo_dir or get_settings().data_dir
        if not (demo_path / "warehouse.duckdb").exists():
            raise typer.BadParameter(f"no warehouse in {demo_path}: run `python -m pipelines all` first")
        with pointing_at(demo_path):
            _report(f"Demo warehouse ({demo_path}); targets: warm ≤ 0.3 s", time_pages(rounds), 0.3, None)
    if existing is not None:
        size_mb = (existing / "warehouse.duckdb").stat().st_size / 1e6
        with pointing_at(existing):
            _report(f"Warehouse {existing} ({size_mb:.0f} MB)", time_pages(rounds), None, None)
        return
    if not SHARED_GEO.exists():
        typer.echo(f"\nBKG file {SHARED_GEO} missing: skipping the all-Germany warehouse")
        return
    with tempfile.TemporaryDirectory(prefix="cockpit-bench-") as tmp:
        started = time.perf_counter()
        with pointing_at(Path(tmp)):
            settings = build_germany_warehouse(Path(tmp) / "data", scale=scale)
            size_mb = settings.warehouse_path.stat().st_size / 1e6
        typer.echo(
            f"\nBuilt the {scale}× all-Germany warehouse in "
            f"{time.perf_counter() - started:.1f} s ({size_mb:.0f} MB)"
        )
        with pointing_at(Path(tmp) / "data"):
            _report(f"{scale}× warehouse, all Kreise; targets: cold ≤ 2 s", time_pages(rounds), None, 2.0)
