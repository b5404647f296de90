"""Audience overlap of 20 candidate partners on a generated 10M-edge follow graph: exact (DuckDB) vs MinHash.

The graph: 3,000,000 accounts; the brand has 1,000,000 followers drawn from ids [0, 2M); candidate j has
100k–400k followers drawn from a window of ids that slides across the brand's range (so overlaps vary from
large to none); background edges among random accounts bring the total to 10,000,000 follow edges.

Measured, each in a fresh child process (so peak memory is the method's own): the overlap of the 20 candidates
(exact set arithmetic in DuckDB, baseline; MinHash with 256 permutations) and greedy coverage for k = 5.
Printed: median wall time of 3 runs, ratio to the exact baseline, peak RSS above the process's baseline
(sampled every 5 ms; includes DuckDB's buffers), and
the sketch's error against the exact answer (Jaccard absolute error, shared-followers relative error, coverage
value relative error).

Run: ``python -m benchmarks bench_overlap`` (takes a few minutes; needs ~3 GB of RAM and 1 GB of disk).
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EDGES = 10_000_000
ACCOUNTS = 3_000_000
BRAND_FOLLOWERS = 1_000_000
CANDIDATES = 20
K = 5
REPEAT = 3


def _ids(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(values, type=pa.int64()), pa.string())


def build(root: Path) -> list[str]:
    """Write the generated graph into a workspace at ``root``; return the candidate ids."""
    from signalboost.store.workspace import Workspace

    rng = np.random.default_rng(42)
    followers: list[np.ndarray] = []
    followees: list[pa.Array] = []
    brand = rng.choice(2_000_000, BRAND_FOLLOWERS, replace=False)
    followers.append(brand)
    followees.append(pa.array(["brand"] * len(brand)))
    cands = [f"c{j:02d}" for j in range(CANDIDATES)]
    for j, c in enumerate(cands):
        size = int(rng.integers(100_000, 400_001))
        start = int(j * (ACCOUNTS - 600_000) / CANDIDATES)
        members = rng.choice(np.arange(start, start + 600_000), size, replace=False)
        followers.append(members)
        followees.append(pa.array([c] * size))
    used = sum(len(f) for f in followers)
    background = EDGES - used
    src = rng.integers(0, ACCOUNTS, background)
    dst = rng.integers(0, ACCOUNTS, background)
    followers.append(src)
    followees.append(_ids(dst))
    table = pa.table(
        {
            "follower_id": pa.concat_arrays([_ids(f) for f in followers]),
            "followee_id": pa.concat_arrays([a.cast(pa.string()) for a in followees]),
        }
    )
    ws = Workspace.open(root, create=True)
    with ws.transaction() as con:
        con.register("gen", table)
        con.execute("INSERT INTO follows (platform, follower_id, followee_id) SELECT 'x', * FROM gen")
        con.unregister("gen")
    return cands


def _rss_mb() -> float:
    """Current resident set size (Linux /proc; falls back to the peak from getrusage elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class _PeakRss:
    """Samples the RSS every 5 ms in a thread; ``peak`` is the largest seen."""

    def __init__(self) -> None:
        import threading

        self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, _rss_mb())

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def _child(root: str, task: str, cands: list[str], queue: Any) -> None:
    from signalboost.outreach import coverage, overlap
    from signalboost.store.workspace import Workspace

    ws = Workspace.open(root)
    with ws.connect():
        pass
    base = _rss_mb()
    sampler = _PeakRss()
    times: list[float] = []
    result: Any = None
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        if task.startswith("overlap"):
            method = task.split("-")[1]
            result = [
                o.as_dict()
                for o in overlap.audience_overlap(ws, cands, platform="x", brand=["brand"], method=method, num_perm=256)
            ]
        else:
            method = task.split("-")[1]
            r = coverage.choose_partners(ws, cands, K, platform="x", brand=["brand"], method=method)
            result = {"chosen": r.chosen, "new_reach": r.new_reach}
        times.append(time.perf_counter() - t0)
    peak = sampler.stop()
    queue.put({"task": task, "median": statistics.median(times), "rss_mb": peak - base, "result": result})


def measure(root: Path, task: str, cands: list[str]) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(str(root), task, cands, queue))
    proc.start()
    out: dict[str, Any] = queue.get()
    proc.join()
    return out


def exact_reach(root: Path, chosen: list[str]) -> float:
    """The exact new reach of a chosen set (to score the sketched choice)."""
    from signalboost.outreach import coverage

    # Greedy on exactly the chosen set with k = len(chosen) takes all of them: its value is their exact new reach.
    from signalboost.store.workspace import Workspace

    result = coverage.choose_partners(
        Workspace.open(root), chosen, len(chosen), platform="x", brand=["brand"], method="exact"
    )
    return result.new_reach


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-overlap-") as tmp:
        root = Path(tmp) / "ws"
        t0 = time.perf_counter()
        cands = build(root)
        print(f"generated {EDGES:,} follow edges, {CANDIDATES} candidates in {time.perf_counter() - t0:.1f} s")
        res = {t: measure(root, t, cands) for t in ("overlap-exact", "overlap-minhash", "cover-exact", "cover-minhash")}
        base = res["overlap-exact"]["median"]
        for name, r in res.items():
            ref = base if name.startswith("overlap") else res["cover-exact"]["median"]
            print(
                f"{name:16s} median {r['median']:7.2f} s  ratio {r['median'] / ref:5.2f}  "
                f"peak RSS +{r['rss_mb']:,.0f} MB"
            )
        exact = {o["account_id"]: o for o in res["overlap-exact"]["result"]}
        jerr, serr = [], []
        for o in res["overlap-minhash"]["result"]:
            e = exact[o["account_id"]]
            jerr.append(abs(o["jaccard"] - e["jaccard"]))
            if e["shared"] > 0:
                serr.append(abs(o["shared"] - e["shared"]) / e["shared"])
        print(
            f"minhash error vs exact: jaccard abs mean {np.mean(jerr):.4f} max {np.max(jerr):.4f}; "
            f"shared rel mean {np.mean(serr):.3f} max {np.max(serr):.3f} (over {len(serr)} candidates with overlap)"
        )
        ce, cm = res["cover-exact"]["result"], res["cover-minhash"]["result"]
        sketched_value = exact_reach(root, cm["chosen"])
        print(
            f"coverage k={K}: exact greedy {ce['chosen']} new reach {ce['new_reach']:,.0f}; sketched {cm['chosen']} "
            f"estimated {cm['new_reach']:,.0f}, true {sketched_value:,.0f} "
            f"({sketched_value / ce['new_reach']:.4f} of the exact greedy value)"
        )


if __name__ == "__main__":
    main()
