"""Query layer of the Arbeit-bewegen cockpit.

Pure functions over the DuckDB warehouse: KPI definitions, regional indicators,
formatting. Nothing in this package imports Streamlit, so everything is testable
directly.
"""
