"""Region selection: the Kreise table and the presets of the global filter."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from analytics.db import query

MODEL_REGION = "03254"  # Landkreis Hildesheim


@dataclass(frozen=True)
class RegionPreset:
    key: str
    label_de: str
    label_en: str
    ags: tuple[str, ...]

    def label(self, lang: str) -> str:
        return self.label_de if lang == "de" else self.label_en


def regions(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(
        con, "SELECT ags, name, kind, land_code, land_name, agentur, agentur_code FROM region ORDER BY ags"
    )


def region_presets(
    con: duckdb.DuckDBPyConnection, network_ags: list[str] | None = None
) -> list[RegionPreset]:
    """Hildesheim, its Agentur, the network's Kreise, Niedersachsen, Niedersachsen + Bremen."""
    table = regions(con)
    presets: list[RegionPreset] = []
    model = table.filter(pl.col("ags") == MODEL_REGION)
    if model.height:
        agentur = model["agentur"][0]
        presets.append(
            RegionPreset(
                "hildesheim",
                "Landkreis Hildesheim (Modellregion)",
                "District of Hildesheim (model region)",
                (MODEL_REGION,),
            )
        )
        presets.append(
            RegionPreset(
                "agentur",
                f"Agentur für Arbeit {agentur}",
                f"Employment agency {agentur}",
                tuple(table.filter(pl.col("agentur") == agentur)["ags"]),
            )
        )
    if network_ags:
        presets.append(
            RegionPreset(
                "network", "Alle Netzwerkregionen", "All network regions", tuple(sorted(network_ags))
            )
        )
    for land_code, land in table.select("land_code", "land_name").unique().sort("land_code").rows():
        presets.append(
            RegionPreset(
                f"land_{land_code}",
                f"Land {land}",
                f"State of {land}",
                tuple(table.filter(pl.col("land_code") == land_code)["ags"]),
            )
        )
    if table["land_code"].n_unique() > 1:
        lands = " + ".join(table.select("land_name").unique(maintain_order=True)["land_name"])
        presets.append(RegionPreset("all", lands, lands, tuple(table["ags"])))
    return presets


def region_names(con: duckdb.DuckDBPyConnection, ags: list[str]) -> list[str]:
    table = regions(con).filter(pl.col("ags").is_in(ags))
    return table["name"].to_list()
