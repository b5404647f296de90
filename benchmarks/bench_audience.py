"""Audience segmentation at scale (issue 16): 1M accounts and 10M edges on one machine, time and memory.

A planted-partition graph (20 communities of 5 % of the accounts each — persona-sized; 80 % of the edges inside a
community, the rest to random accounts) stands in for a large brand's audience graph. Timed in a fresh child
process, so peak memory (ru_maxrss) is the run's own:

1. ``find_communities`` with a fixed resolution (``--resolution 1``): symmetric CSR, one seeded Leiden run, fold,
   and the split-half stability check (two more Leiden runs on the halves) — what ``audience segments --resolution 1``
   does on the graph;
2. the baselines, in the same child before it, on the same edges, graph construction included (ratios reported):
   igraph's Louvain (``community_multilevel``, the classic single-machine method) and igraph's label propagation
   (``community_label_propagation``, the method the Spark path runs); ``--baseline`` picks them;
3. recovery of the planted communities (ARI), so speed is not bought with wrong answers.

The full resolution choice (3 resolutions × 3 seeds + 3 split-half checks) costs about 5× step 1; it is measured at
the smaller size (``--accounts 100000 --edges 1000000``).

Run: ``python -m benchmarks bench_audience`` (about 5–10 minutes on 2 shared cores);
``python benchmarks/bench_audience.py --accounts 100000 --edges 1000000 --choose`` for the quick size.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import time
from typing import Any

import numpy as np

COMMUNITIES = 20
INSIDE = 0.8


def planted(n: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``m`` edges over ``n`` accounts in :data:`COMMUNITIES` equal communities, and the planted label per account."""
    rng = np.random.default_rng(seed)
    width = -(-n // COMMUNITIES)
    truth = np.arange(n) // width
    src = rng.integers(0, n, size=m)
    inside = rng.random(m) < INSIDE
    base = (src // width) * width
    size = np.minimum(width, n - base)
    dst = np.where(inside, base + (rng.random(m) * size).astype(np.int64), rng.integers(0, n, size=m))
    return src, dst, truth


BASELINES = ("louvain", "label_propagation")


def _baseline(name: str, n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, float, float]:
    """Labels of one igraph baseline, with its wall and CPU seconds (graph construction included)."""
    import igraph as ig

    from signalboost.audience.communities import adjacency

    t0, c0 = time.perf_counter(), time.process_time()
    upper = adjacency(n, src, dst).tocoo()
    g = ig.Graph(n=n, edges=np.column_stack([upper.row, upper.col])[upper.row < upper.col], directed=False)
    del upper
    ig.set_random_number_generator(random.Random(0))
    part = g.community_multilevel() if name == "louvain" else g.community_label_propagation()
    labels = np.asarray(part.membership)
    return labels, time.perf_counter() - t0, time.process_time() - c0


def _child(n: int, m: int, resolution: float | None, baselines: tuple[str, ...], queue: Any) -> None:
    from sklearn.metrics import adjusted_rand_score

    from signalboost.audience.communities import find_communities

    src, dst, truth = planted(n, m)
    out: dict[str, Any] = {"accounts": n, "edges": m}
    base_cpu: dict[str, float] = {}
    for name in baselines:
        labels, wall, cpu = _baseline(name, n, src, dst)
        base_cpu[name] = cpu
        out[f"{name}_s"], out[f"{name}_cpu_s"] = wall, cpu
        out[f"{name}_groups"] = int(labels.max()) + 1
        out[f"ari_{name}"] = float(adjusted_rand_score(truth, labels))
    t1, c1 = time.perf_counter(), time.process_time()
    comm = find_communities(
        n, src, dst, resolution=resolution, n_seeds=1 if resolution else 3, min_size=10, resolutions=(0.5, 1.0, 2.0)
    )
    ours, ours_cpu = time.perf_counter() - t1, time.process_time() - c1
    chosen = comm.chosen
    out.update(
        {
            "segments_s": ours,
            "segments_cpu_s": ours_cpu,
            "segments": comm.segments,
            "resolution": comm.resolution,
            "ari_planted": float(adjusted_rand_score(truth, comm.labels)),
            "split_ari": chosen.split_ari if chosen else None,
            "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6,
        }
    )
    for name, cpu in base_cpu.items():
        out[f"cpu_ratio_vs_{name}"] = ours_cpu / cpu if cpu else None
    queue.put(out)


def run(n: int, m: int, resolution: float | None, baselines: tuple[str, ...] = BASELINES) -> dict[str, Any]:
    """One measurement in a fresh child process."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(n, m, resolution, baselines, queue))
    proc.start()
    out: dict[str, Any] = queue.get()
    proc.join()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--edges", type=int, default=10_000_000)
    parser.add_argument("--choose", action="store_true", help="choose the resolution by stability (slower)")
    parser.add_argument(
        "--baseline",
        default=",".join(BASELINES),
        help=f"comma-separated baselines run first in the same process ({', '.join(BASELINES)}); '' for none",
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the baselines (same as --baseline '')")
    args = parser.parse_args([] if argv is None else argv)  # `python -m benchmarks bench_audience`: defaults
    chosen = () if args.no_baseline else tuple(b for b in args.baseline.split(",") if b)
    unknown = set(chosen) - set(BASELINES)
    if unknown:
        parser.error(f"unknown baseline {', '.join(sorted(unknown))}; choose from {', '.join(BASELINES)}")
    res = run(args.accounts, args.edges, None if args.choose else 1.0, chosen)
    for k, v in res.items():
        print(f"{k:>14}: {v:.3f}" if isinstance(v, float) else f"{k:>14}: {v}")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
