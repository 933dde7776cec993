"""Benchmarks: ``python -m benchmarks COMMAND`` (``make bench`` runs them all)."""
