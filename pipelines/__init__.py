"""Pipelines: load sources into the DuckDB warehouse. Never imports Streamlit."""
