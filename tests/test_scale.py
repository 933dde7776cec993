"""Every page renders on a case-data warehouse several times the demo's (issue #14, part 5):
the generator the benchmarks use at 100× (32,000 participants), here at a small factor."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.db import connect, scalar
from analytics.settings import get_settings
from benchmarks.pages import pointing_at, registered_pages, time_pages
from benchmarks.queries import build_case_warehouse

SCALE = 3


@pytest.fixture(scope="module")
def scaled_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scaled")
    with pointing_at(root):
        build_case_warehouse(root / "data", SCALE)
    get_settings.cache_clear()
    return root / "data"


def test_the_generator_writes_scale_times_the_participants(scaled_dir: Path):
    con = connect(scaled_dir / "warehouse.duckdb")
    try:
        assert scalar(con, "SELECT count(*) FROM participant") == 320 * SCALE
        assert scalar(con, "SELECT count(*) FROM case_summary") == 320 * SCALE
    finally:
        con.close()


def test_every_page_renders_at_scale(scaled_dir: Path):
    with pointing_at(scaled_dir):
        results = time_pages(rounds=1)  # raises on a page's exception
    assert [r["page"] for r in results] == registered_pages()
