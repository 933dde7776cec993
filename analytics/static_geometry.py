"""The simplified Kreis shapes as a static file of the app's own origin, sent to the browser
once (issue #14, tracker 17).

Streamlit serves the folder ``static/`` beside ``app.py`` at ``/app/static/``
(``server.enableStaticServing``). The file holds only coordinates: a JSON array of polygons
(outer ring, then holes; a MultiPolygon Kreis gives one polygon per part), in AGS order,
coordinates rounded to ``maps.COORDINATE_DECIMALS``. Its name carries a hash of its content,
so a browser keeps it while the geometry is the same and fetches the new one when it
changes. The maps name it by URL and send per rerun only what changes (colours, hover
texts) in the layer's ``dataTransform`` (analytics/maps.py). The file is derived data: written
at every publish (``pipelines.warehouse.publish``) and, if missing, by the first map that needs
it; never committed (.gitignore). A publish removes the file of the warehouse that it drops
out of service and rollback reach (the one before the previous), unless the warehouse in
service or the previous one still names it (``prune``): open sessions of either keep their map.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from analytics.db import query
from analytics.settings import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"  # served at /app/static/ (.streamlit/config.toml)
GEOMETRY_FOLDER = "geo"


@dataclass(frozen=True)
class KreisGeometry:
    """Where the browser loads the shapes from, and whose they are: ``owners[p]`` is the AGS
    of polygon ``p`` in the file (a Kreis of several parts owns several polygons)."""

    url: str
    owners: tuple[str, ...]
    file_name: str


def geometry_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "SELECT ags, geojson FROM region_geometry ORDER BY ags")


def polygons(frame: pl.DataFrame) -> tuple[list[list], list[str]]:
    """(polygons, owner AGS per polygon) of the geometry rows, coordinates rounded."""
    from analytics.maps import rounded_shape

    parts: list[list] = []
    owners: list[str] = []
    for ags, text in zip(frame["ags"], frame["geojson"], strict=True):
        shape = rounded_shape(text)
        if shape["type"] == "Polygon":
            pieces = [shape["coordinates"]]
        elif shape["type"] == "MultiPolygon":
            pieces = shape["coordinates"]
        else:  # a Kreis is an area; anything else is not drawn
            continue
        parts.extend(pieces)
        owners.extend([ags] * len(pieces))
    return parts, owners


def build(frame: pl.DataFrame) -> tuple[bytes, KreisGeometry]:
    """The file's bytes and its description (name = content hash)."""
    parts, owners = polygons(frame)
    content = json.dumps(parts, separators=(",", ":")).encode()
    name = f"kreise-{hashlib.sha256(content).hexdigest()[:16]}.json"
    # relative to the page (no leading slash): right under a proxy's base path as well
    url = f"app/static/{GEOMETRY_FOLDER}/{name}"
    return content, KreisGeometry(url, tuple(owners), name)


def write(content: bytes, name: str, static_dir: Path | None = None) -> Path:
    """Write the file once (atomically: apps and publishes may write it at the same time)."""
    folder = (static_dir or STATIC_DIR) / GEOMETRY_FOLDER
    target = folder / name
    if target.exists() and target.stat().st_size == len(content):
        return target
    folder.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".kreise-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def prune(names: Iterable[str], static_dir: Path | None = None) -> list[Path]:
    """Remove the shapes files ``names`` (file names as ``build`` gives them; anything else,
    e.g. a path, is left alone); the removed paths."""
    folder = (static_dir or STATIC_DIR) / GEOMETRY_FOLDER
    removed = []
    for name in names:
        if not re.fullmatch(r"kreise-[0-9a-f]{16}\.json", name):
            continue
        path = folder / name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed


def read(url: str, static_dir: Path | None = None) -> list[list]:
    """The polygons of the static file a layer names by ``url`` (for drawing outside the
    browser, e.g. the PDF report); [] when it is not one of these files."""
    name = url.rsplit("/", 1)[-1]
    if not url.startswith(f"app/static/{GEOMETRY_FOLDER}/") or "/" in name or not name.endswith(".json"):
        return []
    path = (static_dir or STATIC_DIR) / GEOMETRY_FOLDER / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


_CACHE: dict[tuple, KreisGeometry] = {}
_CACHE_LOCK = threading.Lock()  # sessions run in threads of one server process


def kreis_geometry(con: duckdb.DuckDBPyConnection) -> KreisGeometry | None:
    """The warehouse's shapes as a static file (written if missing); None without geometry.
    Built once per geometry content (keyed by what the table holds)."""
    key = tuple(query(con, "SELECT count(*) AS n, sum(hash(ags, geojson)) AS h FROM region_geometry").row(0))
    if key[0] == 0:
        return None
    with _CACHE_LOCK:
        geometry = _CACHE.get(key)
        if geometry is None or not (STATIC_DIR / GEOMETRY_FOLDER / geometry.file_name).exists():
            content, geometry = build(geometry_frame(con))
            write(content, geometry.file_name)
            if len(_CACHE) >= 2:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = geometry
    return geometry


def publish_file(
    warehouse: Path, static_dir: Path | None = None, memory_limit: str | None = None
) -> Path | None:
    """Write the static file of the warehouse at ``warehouse`` (at publish, under the ingest's
    DuckDB memory limit); None without geometry."""
    config = {"memory_limit": memory_limit} if memory_limit else {}
    con = duckdb.connect(str(warehouse), read_only=True, config=config)
    try:
        frame = geometry_frame(con)
    except duckdb.CatalogException:  # a warehouse without the geometry table
        return None
    finally:
        con.close()
    if frame.height == 0:
        return None
    content, geometry = build(frame)
    return write(content, geometry.file_name, static_dir)
