"""Benchmarks: ``python -m benchmarks COMMAND``; without a command (``make bench``) all run.
Performance is measured here, never asserted in tests."""
