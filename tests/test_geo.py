"""Geometry step against the real BKG VG5000 file (shared/geo), a zip, and a local stub server."""

from __future__ import annotations

import functools
import http.server
import json
import threading
import zipfile
from pathlib import Path

import polars as pl
import pytest
import shapely

from analytics.settings import SHARED_GEO
from pipelines.geo import check_coverage, load_geo
from pipelines.reference import load_reference
from pipelines.warehouse import PipelineError, staging
from tests.conftest import requires_geo

pytestmark = requires_geo


def geometry_table(settings) -> pl.DataFrame:
    with staging(settings) as con:
        return con.sql("SELECT * FROM region_geometry ORDER BY ags").pl()


def test_every_kreis_gets_a_geometry_from_the_bkg_file(settings):
    load_reference(settings)
    result = load_geo(settings, str(SHARED_GEO))
    assert result.status == "loaded" and result.row_counts == {"region_geometry": 47}
    table = geometry_table(settings)
    with staging(settings) as con:
        regions = [r[0] for r in con.execute("SELECT ags FROM region ORDER BY ags").fetchall()]
    assert table["ags"].to_list() == regions
    for row in table.iter_rows(named=True):
        shape = shapely.from_geojson(row["geojson"])
        assert shape.is_valid and not shape.is_empty, row["ags"]
        minx, miny, maxx, maxy = shape.bounds  # WGS84 inside Niedersachsen/Bremen
        assert 6.3 < minx < maxx < 11.7 and 51.2 < miny < maxy < 54.2, row["ags"]
        assert (
            shape.contains(shapely.Point(row["centroid_lon"], row["centroid_lat"]))
            or shape.distance(shapely.Point(row["centroid_lon"], row["centroid_lat"])) < 1e-3
        )
    assert table["edition"].unique().to_list() == ["01.01.2021"]
    # simplified: the stored polygons stay small
    assert sum(len(g) for g in table["geojson"]) < 1_500_000
    # Hildesheim lies around 9.95° E, 52.1° N
    hildesheim = shapely.from_geojson(table.filter(pl.col("ags") == "03254")["geojson"][0])
    assert hildesheim.contains(shapely.Point(9.95, 52.15))


def test_geo_step_twice(settings):
    load_reference(settings)
    assert load_geo(settings, str(SHARED_GEO)).status == "loaded"
    assert load_geo(settings, str(SHARED_GEO)).status == "unchanged"


def test_missing_geometry_file_says_how_to_get_it(settings, tmp_path):
    load_reference(settings)
    with pytest.raises(PipelineError) as info:
        load_geo(settings, str(tmp_path / "nowhere" / "VG5000_KRS.shp"))
    message = str(info.value)
    assert "nicht gefunden" in message and "COCKPIT_GEO_SOURCE" in message


def test_coverage_check_names_kreise_without_geometry():
    geometry = pl.DataFrame({"ags": ["03101"], "geojson": ["{}"]})
    regions = pl.DataFrame({"ags": ["03101", "03999"]})
    with pytest.raises(PipelineError, match="03999"):
        check_coverage(geometry, regions, "test.shp")
    extra = check_coverage(pl.DataFrame({"ags": ["03101", "09162"]}), pl.DataFrame({"ags": ["03101"]}), "x")
    assert "09162" in extra[0]


def _bkg_zip(target: Path) -> Path:
    """A zip laid out like the BKG download, made from the shared shapefile."""
    with zipfile.ZipFile(target, "w") as archive:
        for part in [*SHARED_GEO.parent.glob("VG5000_KRS.*"), SHARED_GEO.parent / "aktualitaet.txt"]:
            archive.write(part, f"vg5000_01-01.utm32s.shape.ebenen/vg5000_ebenen_0101/{part.name}")
    return target


def test_zip_source(settings, tmp_path):
    load_reference(settings)
    result = load_geo(settings, str(_bkg_zip(tmp_path / "vg5000.zip")))
    assert result.row_counts == {"region_geometry": 47}
    assert geometry_table(settings)["edition"].unique().to_list() == ["01.01.2021"]


def test_download_from_a_local_stub_server(settings, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    _bkg_zip(served / "vg5000_01-01.utm32s.shape.ebenen.zip")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/vg5000_01-01.utm32s.shape.ebenen.zip"
        load_reference(settings)
        result = load_geo(settings, url)
        assert result.row_counts == {"region_geometry": 47}
        assert (settings.data_dir / "raw" / "geo" / "vg5000_01-01.utm32s.shape.ebenen.zip").exists()
        with pytest.raises(PipelineError, match="Download"):
            load_geo(settings, f"http://127.0.0.1:{server.server_port}/missing.zip")
    finally:
        server.shutdown()


def test_not_a_zip(settings, tmp_path):
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"no zip")
    load_reference(settings)
    with pytest.raises(PipelineError, match="ZIP"):
        load_geo(settings, str(broken))


def test_geojson_is_plain_json(settings):
    load_reference(settings)
    load_geo(settings, str(SHARED_GEO))
    first = geometry_table(settings).row(0, named=True)
    assert json.loads(first["geojson"])["type"] in {"Polygon", "MultiPolygon"}
