"""Rules of the labour-market views (Trends, Regionen, Automobilwirtschaft) on tiny inputs."""

from __future__ import annotations

from datetime import date

from analytics.formatting import fmt_value
from analytics.periods import Quarter
from analytics.regional import Area
from analytics.views.model import ViewFilters
from analytics.views.regions import period_choices
from analytics.views.trends import _intro

MONTHS = [date(2025, 9, 1), date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]


def test_periods_never_after_the_sidebar_quarter():
    q3 = Quarter.parse("Q3 2026")
    # months of Q3, latest first; October (Q4) is never offered
    assert period_choices(MONTHS, q3, "month") == (
        "month",
        [date(2026, 9, 1), date(2026, 8, 1), date(2026, 7, 1)],
    )
    # Q3 has all three months: the quarter itself
    assert period_choices(MONTHS, q3, "quarter") == ("quarter", [date(2026, 7, 1)])
    q2 = Quarter.parse("Q2 2026")
    # no month of Q2: the latest month before it (September 2025)
    assert period_choices(MONTHS, q2, "month") == ("month", [date(2025, 9, 1)])
    # no complete quarter up to Q2 (Q3 2025 has September only): back to that month
    assert period_choices(MONTHS, q2, "quarter") == ("month", [date(2025, 9, 1)])


def test_trends_intro_names_only_the_comparison_areas_shown():
    filters = ViewFilters("x", "Auswahl", ("03254",), "Q3 2026", role="ministry")

    def areas(*keys: str) -> list[Area]:
        return [Area(k, k, k, ()) for k in ("selection", *keys)]

    texts = {keys: _intro(filters, areas(*keys)).text("de") for keys in [("agentur", "land"), ("land",), ()]}
    assert "mit Agenturbezirk und Land" in texts[("agentur", "land")]
    assert "mit dem Land" in texts[("land",)] and "Agentur" not in texts[("land",)]
    assert "ohne Vergleichsgebiet" in texts[()]


def test_percentage_points_already_in_points():
    # a share of 4.6 % a year earlier and 4.5 % now: -0.1 percentage points, stored as -0.1
    assert fmt_value(0.045 * 100 - 0.046 * 100, "pp", "de") == "-0,1 Pp."
    assert fmt_value(-0.1, "pp", "en") == "-0.1 pp"
    assert fmt_value(110.04, "index", "de") == "110,0"
