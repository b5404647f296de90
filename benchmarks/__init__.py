"""Benchmarks, run on demand (`make bench` or `python -m benchmarks.NAME`); never part of `make test`."""
