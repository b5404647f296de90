"""Competitor accounts and the benchmark of the brand against them (per account, never pooled).

- :mod:`~signalboost.competitors.registry` — the registry (competitor name → accounts per network) and the
  matching of imported posts to those accounts;
- :mod:`~signalboost.competitors.benchmark` — the side-by-side figures, rankings and findings, on a plain frame.
"""

from __future__ import annotations

from signalboost.competitors.benchmark import Benchmark, benchmark
from signalboost.competitors.registry import (
    add_competitor,
    list_competitors,
    normalise_account,
    remove_competitor,
)

__all__ = [
    "Benchmark",
    "add_competitor",
    "benchmark",
    "list_competitors",
    "normalise_account",
    "remove_competitor",
]
