"""`signalboost influencers calibrate` on the bundled Higgs week (issue 13: under a minute).

The whole CLI command on a workspace holding the 563,069 Higgs interactions: load, two temporal cuts (components
of the score and the baselines at each), the weight fit on the validation cut, 200 bootstrap replicates on the
reported cut. Wall time of a child process (Python start-up included) and its CPU time, median of three.

Run: `python -m benchmarks bench_calibrate` (about a minute on 2 cores).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main(repeats: int = 3) -> None:
    from signalboost.demo_data.higgs import ensure_higgs
    from signalboost.store.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "ws", create=True)
        ensure_higgs(ws)
        walls, cpus = [], []
        for _ in range(repeats):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            cmd = [sys.executable, "-m", "signalboost.cli.main", "influencers", "calibrate", "-w", str(ws.root)]
            subprocess.run(cmd, check=True, capture_output=True)
            walls.append(time.perf_counter() - t)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(
            f"influencers calibrate on Higgs (563,069 interactions, 200 replicates): wall median "
            f"{statistics.median(walls):.1f} s (runs {', '.join(f'{w:.1f}' for w in walls)}), CPU median "
            f"{statistics.median(cpus):.1f} s (target: under 60 s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
