"""Statum benchmarks: `python -m benchmarks core` prints medians of several runs."""
