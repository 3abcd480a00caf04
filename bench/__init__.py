"""Benchmarks: synthetic corpora at scale, their builds, and where the time and bytes go."""
