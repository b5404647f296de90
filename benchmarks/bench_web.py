"""Dashboard speed: server time of every page on the demo workspace (UCI Facebook posts + the Higgs activity
graph: 563,069 interactions, ~300k scored accounts, 50 influencers in the pipeline, 20 partner candidates).

Server time is the app's own ``Server-Timing`` header (request in, response out, no network). Three figures per
page, medians of ``REPEAT`` requests:
- cached: the page data is in the state-keyed cache (the common case: nothing changed since the last view);
- stale: the workspace just changed; expensive pages answer from their last computation while a background
  thread recomputes (stale-while-revalidate);
- recompute: cache emptied before each request — the worst case, the whole page computed in the request.
Baseline (same process): ``/healthz``, the framework's bare round trip, and one ``Workspace.connect()`` with a
``count(*)`` (the floor of any page that reads the database). Ratios are page / baseline.

Run: ``python -m benchmarks bench_web`` (builds the demo workspace once in a temporary folder, ~1 minute).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
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
    c = TestClient(app)
    profile = _top_influencer(ws)
    pages = (*PAGES, profile) if profile else PAGES
    for p in pages:  # first visit: imports, compiled templates, cache filled
        c.get(p)
    cache.wait_idle()
    health = _median([_server_ms(c, "/healthz") for _ in range(REPEAT)])

    def db_floor() -> float:
        t = time.perf_counter()
        with ws.connect() as con:
            con.execute("SELECT count(*) FROM posts").fetchone()
        return (time.perf_counter() - t) * 1000

    floor = _median([db_floor() for _ in range(REPEAT)])
    print(f"baseline: /healthz {health:.1f} ms; Workspace.connect + count(*) {floor:.1f} ms")
    print(
        f"{'page':28s} {'cached':>9s} {'stale':>9s} {'recompute':>10s} {'vs connect':>11s}  target {TARGET_MS:.0f} ms"
    )
    worst = 0.0
    for p in pages:
        cached = _median([_server_ms(c, p) for _ in range(REPEAT)])
        stale = []
        for _ in range(REPEAT):
            os.utime(ws.db_path)  # the workspace "changed" (as after a CLI import): new state, old values kept
            stale.append(_server_ms(c, p))
            cache.wait_idle()
        recompute = []
        for _ in range(3):
            cache.clear()
            recompute.append(_server_ms(c, p))
        st, rc = _median(stale), _median(recompute)
        worst = max(worst, cached, st)
        print(f"{p[:28]:28s} {cached:8.1f}  {st:8.1f}  {rc:9.1f}  {st / floor:10.1f}x")
    verdict = "meets" if worst < TARGET_MS else "misses"
    print(f"worst cached/stale page: {worst:.1f} ms ({verdict} the {TARGET_MS:.0f} ms target)")


def _top_influencer(ws: object) -> str | None:
    from signalboost.store import web_sql

    with ws.connect() as con:  # type: ignore[attr-defined]
        plats = web_sql.score_platforms(con)
        if not plats:
            return None
        rows = web_sql.influencer_rows(con, plats[0], limit=1)
    return f"/influencers/{plats[0]}/{rows[0]['account_id']}" if rows else None


if __name__ == "__main__":
    main()
