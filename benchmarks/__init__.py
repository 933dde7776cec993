"""Benchmarks: ``python -m benchmarks COMMAND``; without a command (``make bench``) all run.
Performance is measured here, never asserted in tests."""

import pipelines  # noqa: F401 (Polars' allocator settings, before anything imports Polars)
