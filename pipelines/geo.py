"""BKG district boundaries (VG5000/VG250): read, filter, reproject, simplify, store by AGS.

The source is a local ``.shp`` (or a BKG ``.zip``) or an http(s) URL of the BKG download,
which is fetched into ``data/raw/geo`` first. No geometry is ever committed to the project.
"""

from __future__ import annotations

import urllib.request
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import polars as pl
import shapely

from analytics.settings import Settings
from pipelines.sessions import LoadSession
from pipelines.warehouse import PipelineError, StepResult, hash_bytes, replace_table, run_step

LAYER_NAME = "VG5000_KRS"  # also matches VG250_KRS via the suffix below
SIDE_CARS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
HOW_TO_GET = (
    "Geometrie fehlt. Legen Sie die BKG-Verwaltungsgrenzen (VG5000/VG250, Ebene KRS) ab und "
    "setzen Sie COCKPIT_GEO_SOURCE=/pfad/VG5000_KRS.shp, oder laden Sie sie mit "
    "`python -m pipelines geo --source <BKG-URL>` herunter. / Geometry missing: set "
    "COCKPIT_GEO_SOURCE to a BKG KRS shapefile or zip, or pass a BKG download URL."
)


def fetch(url: str, target_dir: Path, timeout: float = 60.0) -> Path:
    """Download ``url`` into ``target_dir`` (kept as the raw file of this load)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / (url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "bkg_download.zip")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (configured URL)
            data = response.read()
    except OSError as exc:
        raise PipelineError(f"Download fehlgeschlagen / download failed: {url}: {exc}") from exc
    tmp = target.with_suffix(target.suffix + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target


def resolve_source(source: str, settings: Settings) -> tuple[str, list[Path]]:
    """Return (path readable by GDAL, files whose bytes identify the content)."""
    if source.startswith(("http://", "https://")):
        source = str(fetch(source, settings.data_dir / "raw" / "geo"))
    path = Path(source)
    if not path.exists():
        raise PipelineError(f"{path}: Datei nicht gefunden / file not found. {HOW_TO_GET}")
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.upper().endswith("_KRS.SHP")]
        except zipfile.BadZipFile as exc:
            raise PipelineError(f"{path}: kein gültiges ZIP / not a valid zip: {exc}") from exc
        if not members:
            raise PipelineError(f"{path}: keine Kreis-Ebene (*_KRS.shp) im Archiv / no KRS layer")
        return f"zip://{path}!{sorted(members)[0]}", [path]
    if path.suffix.lower() != ".shp":
        raise PipelineError(f"{path}: erwartet .shp oder .zip / expected .shp or .zip")
    parts = [path.with_suffix(s) for s in SIDE_CARS if path.with_suffix(s).exists()]
    return str(path), parts


def read_edition(source_path: str) -> str | None:
    """The BKG's 'aktualitaet.txt' (beside the shapefile or in the zip) states the edition."""
    if source_path.startswith("zip://"):
        archive_path, member = source_path.removeprefix("zip://").split("!", 1)
        with zipfile.ZipFile(archive_path) as archive:
            notes = [n for n in archive.namelist() if n.lower().endswith("aktualitaet.txt")]
            if not notes:
                return None
            # the note nearest to the layer (same folder first)
            notes.sort(key=lambda n: (not n.startswith(member.rsplit("/", 1)[0]), n))
            return archive.read(notes[0]).decode("utf-8", errors="replace").strip()
    note = Path(source_path).parent / "aktualitaet.txt"
    return note.read_text(encoding="utf-8", errors="replace").strip() if note.exists() else None


def districts_frame(source_path: str, lands: list[str], simplify_m: float) -> pl.DataFrame:
    """Kreis polygons of ``lands`` in WGS84 as GeoJSON, one row per AGS."""
    try:
        frame = gpd.read_file(source_path)
    except Exception as exc:  # GDAL raises several types for broken files
        raise PipelineError(f"{source_path}: nicht lesbar / cannot be read: {exc}") from exc
    if "AGS" not in frame.columns:
        raise PipelineError(f"{source_path}: Spalte 'AGS' fehlt / column 'AGS' missing")
    if frame.crs is None:
        raise PipelineError(f"{source_path}: kein Koordinatensystem (.prj fehlt) / no CRS")
    if "GF" in frame.columns:  # keep land areas (GF 4 or 9), drop water-only parts
        frame = frame[frame["GF"].isin([4, 9])]
    frame = frame[frame["AGS"].str[:2].isin(lands)][["AGS", "geometry"]]
    frame = frame.dissolve(by="AGS", as_index=False)
    if not frame.crs.is_projected:
        frame = frame.to_crs(25832)
    frame["geometry"] = frame.geometry.simplify(simplify_m, preserve_topology=True)
    points = frame.geometry.representative_point().to_crs(4326)
    frame = frame.to_crs(4326)
    return pl.DataFrame(
        {
            "ags": frame["AGS"].astype(str).tolist(),
            "geojson": shapely.to_geojson(frame.geometry.values, indent=None).tolist(),
            "centroid_lon": points.x.round(5).tolist(),
            "centroid_lat": points.y.round(5).tolist(),
        }
    )


def check_coverage(geometry: pl.DataFrame, regions: pl.DataFrame, source: str) -> list[str]:
    """Every Kreis of the reference table must have a geometry; extra ones are reported."""
    missing = regions.join(geometry, on="ags", how="anti")["ags"].to_list()
    if missing:
        raise PipelineError(f"{source}: keine Geometrie für / no geometry for AGS {', '.join(missing)}")
    extra = geometry.join(regions, on="ags", how="anti")["ags"].to_list()
    return [f"Geometrie ohne Referenz-Kreis ignoriert / ignored: {', '.join(extra)}"] if extra else []


def load_geo(
    settings: Settings,
    source: str | None = None,
    *,
    force: bool = False,
    session: LoadSession | None = None,
) -> StepResult:
    source = source or settings.geo_source_resolved
    source_path, parts = resolve_source(source, settings)
    content_hash = hash_bytes(
        *(p.read_bytes() for p in parts),
        repr((settings.geo_lands, settings.geo_simplify_m)).encode(),
    )
    messages: list[str] = []

    def load(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        regions = con.sql("SELECT ags FROM region").pl()
        if regions.height == 0:
            raise PipelineError("Referenzdaten fehlen: zuerst `python -m pipelines reference`")
        geometry = districts_frame(source_path, settings.geo_lands, settings.geo_simplify_m)
        messages.extend(check_coverage(geometry, regions, source))
        geometry = geometry.join(regions, on="ags", how="semi").with_columns(
            source=pl.lit(Path(source_path.split("!")[0].removeprefix("zip://")).name),
            edition=pl.lit(read_edition(source_path)),
        )
        return {"region_geometry": replace_table(con, "region_geometry", geometry)}

    result = run_step(settings, "geo", source, content_hash, load, force=force, session=session)
    result.messages.extend(messages)
    return result
