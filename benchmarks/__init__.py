"""Benchmarks (``python -m benchmarks``): performance is measured here, never asserted in tests."""
