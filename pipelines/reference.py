"""Reference code lists: Kreise, KldB 2010, WZ 2008 and the automotive definition."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import duckdb
import polars as pl

from analytics.settings import Settings
from pipelines.sessions import LoadSession
from pipelines.warehouse import PipelineError, StepResult, hash_bytes, replace_table, run_step

REFERENCE_FILES = {
    "region": "regions.csv",
    "occupation": "kldb2010.csv",
    "sector": "wz2008.csv",
}
# The Agentur mapping is dated: districts merge (sources.md §5).
AGENTUR_MAPPING_VALID_FROM = date(2026, 1, 1)


def reference_dir() -> Path:
    return Path(str(resources.files("pipelines").joinpath("reference_data")))


def read_reference_csv(name: str) -> pl.DataFrame:
    path = reference_dir() / name
    if not path.exists():
        raise PipelineError(f"Referenzdatei fehlt / reference file missing: {path}")
    return pl.read_csv(path, infer_schema=False)


def regions_frame() -> pl.DataFrame:
    frame = read_reference_csv(REFERENCE_FILES["region"])
    bad = frame.filter(~pl.col("ags").str.contains(r"^\d{5}$"))
    if bad.height:
        raise PipelineError(f"regions.csv: ungültige AGS / invalid AGS: {bad['ags'].to_list()}")
    return frame.with_columns(valid_from=pl.lit(AGENTUR_MAPPING_VALID_FROM)).sort("ags")


def occupations_frame() -> pl.DataFrame:
    return read_reference_csv(REFERENCE_FILES["occupation"]).with_columns(pl.col("level").cast(pl.Int32))


def sectors_frame() -> pl.DataFrame:
    return read_reference_csv(REFERENCE_FILES["sector"]).with_columns(classification=pl.lit("WZ2008"))


def automotive_frame(settings: Settings) -> pl.DataFrame:
    definition = settings.automotive
    overlap = set(definition.core) & set(definition.supplier)
    if overlap:
        raise PipelineError(f"automotive: WZ codes both core and supplier: {sorted(overlap)}")
    rows = [(c, "core") for c in definition.core] + [(c, "supplier") for c in definition.supplier]
    return pl.DataFrame(rows, schema=["wz_code", "tier"], orient="row").sort("wz_code")


def validate_automotive_codes(automotive: pl.DataFrame, sectors: pl.DataFrame) -> None:
    unknown = automotive.join(sectors, left_on="wz_code", right_on="code", how="anti")
    if unknown.height:
        raise PipelineError("automotive definition names unknown WZ codes: " + ", ".join(unknown["wz_code"]))


def load_reference(
    settings: Settings, *, force: bool = False, session: LoadSession | None = None
) -> StepResult:
    files = [reference_dir() / f for f in REFERENCE_FILES.values()]
    automotive = automotive_frame(settings)
    content_hash = hash_bytes(*(f.read_bytes() for f in files if f.exists()), automotive.write_csv().encode())

    def load(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
        sectors = sectors_frame()
        validate_automotive_codes(automotive, sectors)
        return {
            "region": replace_table(con, "region", regions_frame()),
            "occupation": replace_table(con, "occupation", occupations_frame()),
            "sector": replace_table(con, "sector", sectors),
            "automotive_chain": replace_table(con, "automotive_chain", automotive),
        }

    return run_step(
        settings, "reference", str(reference_dir()), content_hash, load, force=force, session=session
    )
