"""Dashboard speed: server time of every page on the demo workspace (UCI Facebook posts + the Higgs activity
graph: 563,069 interactions, ~300k scored accounts, 50 influencers in the pipeline, 20 partner candidates).

Server time is the app's own ``Server-Timing`` header (request in, response out, no network). Two figures per
page, medians of ``REPEAT`` (>= 5) requests:
- cached: the page data is in the state-keyed cache (the common case: nothing changed since the last view);
- uncached: the cache emptied before each request — the whole page computed in the request (the figure issue 8's
  300 ms target is about: after an import or a plan from the CLI, every page is computed again).
Baseline (same process, same run): ``/healthz``, the framework's bare round trip; ratios are page / baseline.
Then the Influencers chart's sample both ways, each on a fresh connection (as an uncached request): read from
``influence_chart`` (stored with the scores, migration 031) against drawn from every scored account (what the page
did per request before, and still does for scores written before 031); ratio drawn / stored; and the whole
Influencers page uncached both ways, alternating; and strategy.yaml parsed against ``Workspace.strategy()`` kept.
The machine's load average is printed before and after (the figures are only comparable at similar load).

Run: ``python -m benchmarks bench_web`` (builds the demo workspace once in a temporary folder, ~1 minute; or set
``SIGNALBOOST_BENCH_WS`` to an existing demo workspace).
"""

from __future__ import annotations

import os
import statistics
import tempfile
from pathlib import Path

REPEAT = 7
PAGES = ("/", "/strategy", "/calendar", "/analytics", "/influencers", "/outreach", "/partners", "/imports")
TARGET_MS = 300.0


def _demo_workspace() -> Path:
    from rich.console import Console

    from signalboost.demo import run_demo

    given = os.environ.get("SIGNALBOOST_BENCH_WS")
    if given:
        return Path(given)
    root = Path(tempfile.mkdtemp(prefix="sb-bench-web-")) / "demo"
    run_demo(root, console=Console(quiet=True))
    return root


def _server_ms(client: object, path: str) -> float:
    r = client.get(path)  # type: ignore[attr-defined]
    assert r.status_code == 200, (path, r.status_code, r.text[:300])
    return float(r.headers["server-timing"].split("dur=")[1])


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> None:
    from fastapi.testclient import TestClient

    from signalboost.store.workspace import Workspace
    from signalboost.web.app import create_app

    ws = Workspace.open(_demo_workspace())
    app = create_app(ws)
    cache = app.state.ctx.cache
    c = TestClient(app, base_url="http://127.0.0.1")
    profile = _top_influencer(ws)
    pages = (*PAGES, profile) if profile else PAGES
    for p in pages:  # first visit: imports, compiled templates, cache filled
        c.get(p)
    cache.wait_idle()
    load_before = os.getloadavg()
    health = _median([_server_ms(c, "/healthz") for _ in range(REPEAT)])
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load_before)}")
    print(f"baseline: /healthz {health:.2f} ms (median of {REPEAT})")
    print(f"{'page':28s} {'cached':>9s} {'uncached':>9s} {'uncached/healthz':>17s}  target {TARGET_MS:.0f} ms")
    worst = 0.0
    for p in pages:
        cached = _median([_server_ms(c, p) for _ in range(REPEAT)])
        uncached = []
        for _ in range(REPEAT):
            cache.clear()
            uncached.append(_server_ms(c, p))
        rc = _median(uncached)
        worst = max(worst, rc)
        print(f"{p[:28]:28s} {cached:8.1f}  {rc:8.1f}  {rc / health:16.0f}x")
    _chart_sample(ws)
    _influencers_page_both_ways(c, cache)
    _strategy_parse(ws)
    verdict = "meets" if worst < TARGET_MS else "misses"
    print(f"worst uncached page: {worst:.1f} ms ({verdict} the {TARGET_MS:.0f} ms target)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _chart_sample(ws: object) -> None:
    """Median ms of the chart sample read from ``influence_chart`` and drawn from ``influence_scores``."""
    import time

    from signalboost.store import influence_sql

    with ws.connect() as con:  # type: ignore[attr-defined]
        plats = influence_sql.score_platforms(con)
        run = influence_sql.latest_run(con, plats[0]) if plats else None
    if run is None:
        print("chart sample: no scores in the workspace")
        return

    def timed(computed_at: object) -> tuple[float, int]:
        with ws.connect() as con:  # type: ignore[attr-defined]
            started = time.perf_counter()
            n = len(influence_sql.chart_points(con, plats[0], computed_at))  # type: ignore[arg-type]
            return (time.perf_counter() - started) * 1000, n

    stored = [timed(run["computed_at"]) for _ in range(REPEAT)]
    drawn = [timed(None) for _ in range(REPEAT)]
    s, d = _median([t for t, _ in stored]), _median([t for t, _ in drawn])
    print(
        f"chart sample ({stored[0][1]} of {run['accounts']:,} accounts): stored {s:.1f} ms, "
        f"drawn per request {d:.1f} ms ({d / s:.0f}x)"
    )


def _influencers_page_both_ways(client: object, cache: object) -> None:
    """The Influencers page uncached, with the stored chart sample and with it drawn per request (the page before
    migration 031: ``read_chart_sample`` answering ``None``), alternating, in this process."""
    from signalboost.store import influence_sql

    real = influence_sql.read_chart_sample
    stored: list[float] = []
    drawn: list[float] = []
    try:
        for _ in range(REPEAT):
            for sink, reader in ((stored, real), (drawn, lambda *_a, **_k: None)):
                influence_sql.read_chart_sample = reader  # type: ignore[assignment]
                cache.clear()  # type: ignore[attr-defined]
                sink.append(_server_ms(client, "/influencers"))
    finally:
        influence_sql.read_chart_sample = real  # type: ignore[assignment]
    s, d = _median(stored), _median(drawn)
    print(f"/influencers uncached: stored chart sample {s:.1f} ms, drawn per request {d:.1f} ms ({d / s:.1f}x)")


def _strategy_parse(ws: object) -> None:
    """``load_strategy`` (a validated round-trip parse) against ``Workspace.strategy()`` on an unchanged file
    (read, SHA-256, deep copy of the kept parse), medians in this process."""
    import time

    from signalboost.model.io import load_strategy

    path = ws.strategy_path  # type: ignore[attr-defined]
    if not path.exists():
        return

    def ms(fn: object, n: int) -> float:
        out = []
        for _ in range(n):
            started = time.perf_counter()
            fn()  # type: ignore[operator]
            out.append((time.perf_counter() - started) * 1000)
        return _median(out)

    ws.strategy()  # type: ignore[attr-defined]
    parse, kept = ms(lambda: load_strategy(path), REPEAT), ms(ws.strategy, 5 * REPEAT)  # type: ignore[attr-defined]
    print(
        f"strategy.yaml: parse {parse:.1f} ms, Workspace.strategy() on an unchanged file {kept:.2f} ms "
        f"({parse / kept:.0f}x)"
    )


def _top_influencer(ws: object) -> str | None:
    from signalboost.store import influence_sql

    with ws.connect() as con:  # type: ignore[attr-defined]
        plats = influence_sql.score_platforms(con)
        if not plats:
            return None
        rows = influence_sql.influencer_rows(con, plats[0], limit=1)
    return f"/influencers/{plats[0]}/{rows[0]['account_id']}" if rows else None


if __name__ == "__main__":
    main()
