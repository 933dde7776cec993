"""Pipelines: load sources into the DuckDB warehouse. Never imports Streamlit."""

import os

# Polars allocates with jemalloc, which by default keeps freed pages for about ten seconds: a
# load that builds and drops a few hundred MB of frames then holds all of them at its peak (a
# 60 MB Datenbank CSV: 0.60 GB instead of 0.41 GB; #10). jemalloc reads this once, when Polars
# is first imported, so it is set before anything imports Polars (``python -m pipelines``
# imports this package first; app.py and benchmarks/ do the same). An explicit setting wins.
ALLOCATOR_ENV = "_RJEM_MALLOC_CONF"
ALLOCATOR_CONF = "background_thread:true,dirty_decay_ms:50,muzzy_decay_ms:0"
os.environ.setdefault(ALLOCATOR_ENV, ALLOCATOR_CONF)
