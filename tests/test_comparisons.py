"""Comparison areas from the published Land and Agentur rows (#11 item 2), computed by hand.

Hand-made regions: Land 03 = Kreise 03001, 03002, 03003; Land 04 = 04001, 04002. Agentur
91 = 03001 + 03002; Agentur 92 (like Bremen-Bremerhaven) = 04001 + 04002 + 03003, across the
two Länder.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analytics import labour_market as lm
from analytics.db import connect
from analytics.regional import (
    Area,
    comparison_values,
    protect_residuals,
    protect_shown_kreise,
    published_units,
    source_note,
)

REGIONS = pl.DataFrame(
    {
        "ags": ["03001", "03002", "03003", "04001", "04002"],
        "land_code": ["03", "03", "03", "04", "04"],
        "agentur_code": ["91", "91", "92", "92", "92"],
    }
)
LAND_03 = Area("land", "Land N", "State of N", ("03001", "03002", "03003"))
LAND_04 = Area("land", "Land B", "State of B", ("04001", "04002"))
AGENTUR_91 = Area("agentur", "Agentur 91", "Agency 91", ("03001", "03002"))
AGENTUR_92 = Area("agentur", "Agentur 92", "Agency 92", ("03003", "04001", "04002"))
KREIS_A = Area("selection", "A", "A", ("03001",))


def kreise(values: dict[str, float | None], column: str = "unemployed") -> pl.DataFrame:
    """One row per Kreis; None = '*' (withheld by the BA)."""
    return pl.DataFrame(
        {
            "ags": list(values),
            column: [v for v in values.values()],
            f"{column}__suppressed": [v is None for v in values.values()],
        },
        schema={"ags": pl.String, column: pl.Float64, f"{column}__suppressed": pl.Boolean},
    )


def published(rows: list[tuple[str, str, float | None]], column: str = "unemployed") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "ags": [r[0] for r in rows],
            "region_level": [r[1] for r in rows],
            column: [r[2] for r in rows],
            f"{column}__suppressed": [r[2] is None for r in rows],
        },
        schema={
            "ags": pl.String,
            "region_level": pl.String,
            column: pl.Float64,
            f"{column}__suppressed": pl.Boolean,
        },
    )


def by_area(frame: pl.DataFrame, column: str = "unemployed") -> dict[str, tuple[float | None, bool, str]]:
    return {
        r["area"]: (r[column], r[f"{column}__suppressed"], r["source"]) for r in frame.iter_rows(named=True)
    }


def test_units_of_an_area_are_the_published_regions_it_is_made_of():
    assert [(u.level, u.code) for u in published_units(REGIONS, LAND_03.ags)] == [("land", "03")]
    # Agentur 92 is exactly an Agentur, although it holds the whole of Land 04
    assert [(u.level, u.code) for u in published_units(REGIONS, AGENTUR_92.ags)] == [("agentur", "92")]
    # both Länder: the two Land rows
    every = REGIONS["ags"].to_list()
    assert [(u.level, u.code) for u in published_units(REGIONS, every)] == [("land", "03"), ("land", "04")]
    # a free selection: Agentur 91 whole, then the Kreis 04001 on its own
    units = published_units(REGIONS, ["03001", "03002", "04001"])
    assert [(u.level, u.code) for u in units] == [("agentur", "91"), ("kreis", "04001")]


def test_published_row_is_preferred_to_the_sum_of_kreise():
    # 03002 is "*": the sum of Kreise would be "*"; the Land row says 42, the Agentur row 12
    values = kreise({"03001": 10.0, "03002": None, "03003": 30.0})
    rows = published([("03", "land", 42.0), ("91", "agentur", 12.0)])
    out = by_area(comparison_values(values, rows, [AGENTUR_91, LAND_03], REGIONS, ["unemployed"]))
    assert out["land"] == (42.0, False, "published_land")
    assert out["agentur"] == (12.0, False, "published_agentur")
    frame = comparison_values(values, rows, [LAND_03], REGIONS, ["unemployed"])
    assert source_note(frame, LAND_03).text("de") == "veröffentlichter Landeswert"
    assert source_note(frame, LAND_03).text("en") == "published state figure"


def test_missing_published_row_falls_back_to_the_sum_of_kreise_and_says_so():
    values = kreise({"03001": 10.0, "03002": 5.0, "03003": 30.0})
    frame = comparison_values(values, published([("04", "land", 9.0)]), [LAND_03], REGIONS, ["unemployed"])
    assert by_area(frame)["land"] == (45.0, False, "kreis_sum")  # 10 + 5 + 30
    assert source_note(frame, LAND_03).text("de") == "Summe der Kreise"
    assert source_note(frame, LAND_03).text("en") == "sum of the districts"
    # no published rows at all, and a "*" Kreis: the sum is "*"
    starred = kreise({"03001": 10.0, "03002": None, "03003": 30.0})
    frame = comparison_values(starred, None, [LAND_03], REGIONS, ["unemployed"])
    assert by_area(frame)["land"] == (None, True, "kreis_sum")


def test_published_row_for_one_period_only_is_used_there_only():
    values = pl.concat(
        [
            kreise({"03001": 10.0, "03002": 5.0, "03003": 30.0}).with_columns(
                period=pl.lit(date(2026, 7, 1))
            ),
            kreise({"03001": 11.0, "03002": 6.0, "03003": 31.0}).with_columns(
                period=pl.lit(date(2026, 8, 1))
            ),
        ]
    )
    rows = published([("03", "land", 50.0)]).with_columns(period=pl.lit(date(2026, 7, 1)))
    frame = comparison_values(values, rows, [LAND_03], REGIONS, ["unemployed"], by=["period"])
    assert frame.select("period", "unemployed", "source").rows() == [
        (date(2026, 7, 1), 50.0, "published_land"),
        (date(2026, 8, 1), 48.0, "kreis_sum"),  # 11 + 6 + 31
    ]
    assert source_note(frame, LAND_03).text("de") == "teils veröffentlichter Wert, teils Summe der Kreise"


def test_bremen_like_agentur_across_two_laender():
    # Agentur 92 = 03003 + 04001 + 04002 has its own row (77); Land 04 its own (40)
    values = kreise({"03001": 10.0, "03002": 5.0, "03003": 30.0, "04001": None, "04002": 44.0})
    rows = published([("92", "agentur", 77.0), ("04", "land", 46.0), ("03", "land", 45.0)])
    out = by_area(comparison_values(values, rows, [AGENTUR_92, LAND_04], REGIONS, ["unemployed"]))
    assert out["agentur"] == (77.0, False, "published_agentur")
    assert out["land"] == (46.0, False, "published_land")
    # both Länder as one area: the two Land rows summed, 45 + 46
    both = Area("land", "Länder", "States", tuple(REGIONS["ags"]))
    assert by_area(comparison_values(values, rows, [both], REGIONS, ["unemployed"]))["land"] == (
        91.0,
        False,
        "published_land",
    )


def test_one_star_kreis_is_not_given_away_by_the_land_less_the_shown_kreise():
    # all three Kreise shown with Land 03 = 42: 42 - 10 - 30 would give 03002 = 2
    values = kreise({"03001": 10.0, "03002": None, "03003": 30.0})
    rows = published([("03", "land", 42.0)])
    protected = protect_shown_kreise(values, [LAND_03], REGIONS, ["unemployed"], published=rows)
    # the smallest other Kreis (03001, 10) is withheld too: 42 - 30 = 12 is two Kreise
    assert protected.sort("ags")["unemployed"].to_list() == [None, None, 30.0]
    # no published Land row: the Land is the sum of Kreise, "*" itself; nothing more hidden
    assert protect_shown_kreise(values, [LAND_03], REGIONS, ["unemployed"], published=None).equals(values)
    other = published([("04", "land", 9.0)])
    assert protect_shown_kreise(values, [LAND_03], REGIONS, ["unemployed"], published=other).equals(values)
    out = comparison_values(protected, rows, [LAND_03], REGIONS, ["unemployed"], shown=REGIONS["ags"][:3])
    assert by_area(out)["land"] == (42.0, False, "published_land")
    # without the second "*" the Land row itself would have to go
    leaking = comparison_values(values, rows, [LAND_03], REGIONS, ["unemployed"], shown=REGIONS["ags"][:3])
    assert by_area(leaking)["land"] == (None, True, "published_land")


def test_a_kreis_withheld_for_the_land_counts_for_its_agentur_as_well():
    # 03002 "*"; Land 03 hides its smallest other Kreis, 03003 (30 < 50); then Agentur 91
    # (03001 + 03002) has one "*" and hides 03001 as well
    values = kreise({"03001": 50.0, "03002": None, "03003": 30.0})
    rows = published([("03", "land", 82.0), ("91", "agentur", 52.0)])
    protected = protect_shown_kreise(values, [LAND_03, AGENTUR_91], REGIONS, ["unemployed"], published=rows)
    assert protected.sort("ags")["unemployed__suppressed"].to_list() == [True, True, True]
    # two "*" in every area already: nothing more is hidden
    values = kreise({"03001": None, "03002": None, "03003": 30.0})
    protected = protect_shown_kreise(values, [LAND_03, AGENTUR_91], REGIONS, ["unemployed"], published=rows)
    assert protected.sort("ags")["unemployed"].to_list() == [None, None, 30.0]


def test_published_agentur_less_the_selection_does_not_give_away_the_other_kreis():
    # selection 03001 (1000) beside Agentur 91 (1002): 1002 - 1000 = 2 would be 03002's "*"
    values = kreise({"03001": 1000.0, "03002": None, "03003": 30.0})
    rows = published([("91", "agentur", 1002.0), ("03", "land", 1032.0)])
    out = by_area(comparison_values(values, rows, [KREIS_A, AGENTUR_91, LAND_03], REGIONS, ["unemployed"]))
    assert out["selection"] == (1000.0, False, "kreis")
    assert out["agentur"] == (None, True, "published_agentur")
    # Land less Agentur (unknown now) or less the selection leaves two Kreise: shown
    assert out["land"] == (1032.0, False, "published_land")
    # 03002 not "*": nothing to protect
    values = kreise({"03001": 1000.0, "03002": 2.5, "03003": 30.0})
    out = by_area(comparison_values(values, rows, [KREIS_A, AGENTUR_91], REGIONS, ["unemployed"]))
    assert out["agentur"] == (1002.0, False, "published_agentur")


def test_residual_check_per_occupation_group():
    # Land 04 per KldB group beside Kreis 04001's groups: group 252 leaves 04002 = "*"
    values = pl.DataFrame(
        {
            "ags": ["04001", "04002", "04001", "04002"],
            "kldb": ["252", "252", "263", "263"],
            "unemployed": [40.0, None, 20.0, 7.0],
            "unemployed__suppressed": [False, True, False, False],
        }
    )
    sums = pl.DataFrame(
        {
            "area": ["land", "land", "kreis", "kreis"],
            "kldb": ["252", "263", "252", "263"],
            "unemployed": [42.0, 27.0, 40.0, 20.0],
            "unemployed__suppressed": [False] * 4,
            "source": ["published_land", "published_land", "kreis", "kreis"],
        }
    )
    kreis = Area("kreis", "04001", "04001", ("04001",))
    out = protect_residuals(sums, values, [LAND_04, kreis], ["unemployed"], ["kldb"])
    land = out.filter(pl.col("area") == "land").sort("kldb")
    assert land["unemployed"].to_list() == [None, 27.0]
    assert land["unemployed__suppressed"].to_list() == [True, False]


@pytest.fixture
def demo_con(demo_settings):
    connection = connect(demo_settings.warehouse_path)
    yield connection
    connection.close()


def test_demo_writes_land_and_agentur_rows_through_the_parsers(demo_con):
    levels = dict(
        demo_con.execute(
            "SELECT region_level::VARCHAR, count(DISTINCT ags) FROM fact_labour_market GROUP BY 1"
        ).fetchall()
    )
    assert levels == {"kreis": 47, "land": 2, "agentur": 16}
    levels = dict(
        demo_con.execute(
            "SELECT region_level::VARCHAR, count(DISTINCT ags) FROM fact_employment GROUP BY 1"
        ).fetchall()
    )
    assert levels == {"kreis": 47, "land": 2, "agentur": 16}
    # the Agentur Hildesheim row is the sum of its two Kreise where neither is "*"
    ((agentur, kreise_sum),) = demo_con.execute(
        """
        SELECT max(value) FILTER (WHERE ags = '24101'), sum(value) FILTER (WHERE ags IN ('03254', '03157'))
        FROM fact_labour_market
        WHERE period = DATE '2026-09-01' AND kldb = 'TOTAL' AND measure = 'unemployed' AND breakdown = 'TOTAL'
        """
    ).fetchall()
    assert agentur == kreise_sum


def test_regionen_compares_with_the_published_land_row(demo_con):
    period = lm.Period("month", date(2026, 9, 1))
    kreise = lm.supply_demand(demo_con, "TOTAL", period)
    rows = lm.published_supply_demand(demo_con, "TOTAL", period)
    land = Area("land", "Land Bremen", "State of Bremen", ("04011", "04012"))
    out = lm.area_values(kreise, [land], rows).row(0, named=True)
    (expected,) = demo_con.execute(
        "SELECT value FROM fact_labour_market WHERE ags = '04' AND period = DATE '2026-09-01' "
        "AND kldb = 'TOTAL' AND measure = 'unemployed' AND breakdown = 'TOTAL'"
    ).fetchone()
    assert out["unemployed"] == expected and out["source"] == "published_land"
