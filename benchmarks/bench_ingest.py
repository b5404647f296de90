"""Import speed and memory: the SNAP Higgs activity file (563k actions) and a generated 10M-row interactions CSV.

For each file, in the same run, alternating: (a) ``signalboost.ingest.import_files`` into a fresh workspace and
(b) the baseline, DuckDB's own ``CREATE TABLE bare AS SELECT * FROM read_csv(file)`` into a fresh database.
Each measurement runs in its own subprocess, so its peak memory is ``resource.getrusage(RUSAGE_SELF).ru_maxrss``.
Printed: median seconds, rows/s, the ratio baseline_time / import_time (target >= 1/3), peak RSS (target < 2 GB
for 10M rows), and the peak RSS of a 1M-row import to show memory stays flat as the file grows; also the median
CPU seconds of both (user + sys over all threads) and the load average, since wall times on a shared machine
move with the other processes' load while CPU seconds barely do.

Targets (issue 4): >= 1M rows/s, ratio >= 1/3, peak < 2 GB. Generated files go to /tmp, never the repository.
Environment: SIGNALBOOST_BENCH_ROWS (default 10_000_000), SIGNALBOOST_BENCH_REPEAT (default 3).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WORK = Path(tempfile.gettempdir()) / "signalboost-bench-ingest"

_CHILD = r"""
import json, resource, sys, time, shutil

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

from pathlib import Path
mode, data, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
shutil.rmtree(target, ignore_errors=True)
target.mkdir(parents=True)
if mode == "duckdb":
    import duckdb
    con = duckdb.connect(str(target / "bare.duckdb"))
    con.execute("SET enable_progress_bar = false")
    t, c = time.perf_counter(), cpu()
    con.execute(f"CREATE TABLE bare AS SELECT * FROM read_csv('{data}')")
    con.close()  # persisted, as an import is (its COMMIT and close are timed too)
    seconds, cpu_s = time.perf_counter() - t, cpu() - c
    rows = duckdb.connect(str(target / "bare.duckdb")).execute("SELECT count(*) FROM bare").fetchall()[0][0]
else:
    from signalboost.ingest import import_files
    from signalboost.store.workspace import Workspace
    ws = Workspace.open(target, create=True)
    with ws.connect():
        pass  # migrations are not part of the import
    t, c = time.perf_counter(), cpu()
    [res] = import_files(ws, [data], platform="x", progress=False)
    seconds, cpu_s = time.perf_counter() - t, cpu() - c
    rows = res.rows_loaded
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cpu": cpu_s, "rows": rows, "maxrss_mb": rss}))
shutil.rmtree(target, ignore_errors=True)
"""


def generate_csv(path: Path, rows: int) -> Path:
    """A reproducible interactions CSV (actor_id, target_account_id, kind, occurred_at), made by DuckDB."""
    if path.exists():
        return path
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(
        "COPY (SELECT 'u' || (hash(i) % 2000000) AS actor_id, 'u' || (hash(i * 7) % 500000) AS target_account_id, "
        "['like', 'reply', 'repost', 'quote', 'mention'][1 + (i % 5)::INT] AS kind, "
        "strftime(TIMESTAMP '2024-01-01' + to_seconds(i % 31536000), '%Y-%m-%d %H:%M:%S') AS occurred_at "
        f"FROM range({int(rows)}) t(i)) TO '{path}' (HEADER)"
    )
    con.close()
    return path


def measure(mode: str, data: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(data), str(WORK / f"run-{mode}")],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def compare(label: str, data: Path, repeat: int) -> None:
    ours: list[dict[str, float]] = []
    base: list[dict[str, float]] = []
    for _ in range(repeat):
        base.append(measure("duckdb", data))
        ours.append(measure("import", data))
    t_ours = statistics.median(r["seconds"] for r in ours)
    t_base = statistics.median(r["seconds"] for r in base)
    c_ours = statistics.median(r["cpu"] for r in ours)
    c_base = statistics.median(r["cpu"] for r in base)
    rows = ours[0]["rows"]
    print(
        f"{label}: {rows:,.0f} rows | import median {t_ours:.2f} s = {rows / t_ours:,.0f} rows/s "
        f"(target >= 1,000,000) | DuckDB read_csv median {t_base:.2f} s = {base[0]['rows'] / t_base:,.0f} rows/s | "
        f"ratio {t_base / t_ours:.2f} (target >= 0.33) | peak RSS import {max(r['maxrss_mb'] for r in ours):,.0f} MB, "
        f"baseline {max(r['maxrss_mb'] for r in base):,.0f} MB (target < 2048 MB)",
        flush=True,
    )
    print(
        f"  CPU seconds (user+sys, all threads; steadier than wall time on a shared machine): import median "
        f"{c_ours:.2f} s, DuckDB {c_base:.2f} s, CPU ratio {c_base / c_ours:.2f} | load average {_load()}",
        flush=True,
    )


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    from signalboost.demo_data import HIGGS_ACTIVITY, demo_file

    rows = int(os.environ.get("SIGNALBOOST_BENCH_ROWS", "10000000"))
    repeat = int(os.environ.get("SIGNALBOOST_BENCH_REPEAT", "3"))
    print(f"{os.cpu_count()} CPUs, load average at start {_load()}", flush=True)
    compare("Higgs activity (.gz)", demo_file(*HIGGS_ACTIVITY), repeat)
    small = generate_csv(WORK / "interactions-1M.csv", 1_000_000)
    big = generate_csv(WORK / f"interactions-{rows // 1_000_000}M.csv", rows)
    flat = measure("import", small)
    print(f"memory flatness: peak RSS of a 1M-row import {flat['maxrss_mb']:,.0f} MB", flush=True)
    compare(f"interactions CSV ({rows // 1_000_000}M rows)", big, repeat)


if __name__ == "__main__":
    main()
