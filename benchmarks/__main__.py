"""Run every benchmark module in this folder (each has ``main()``) and print its figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import benchmarks


def run() -> int:
    names = [m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")]
    only = set(sys.argv[1:])
    for name in sorted(names):
        if only and name not in only:
            continue
        print(f"== {name}", flush=True)
        importlib.import_module(f"benchmarks.{name}").main()
    return 0


if __name__ == "__main__":
    sys.exit(run())
