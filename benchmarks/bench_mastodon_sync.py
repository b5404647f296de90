"""Sync of a Mastodon account through Mastodon.py against the local replay server (tests/connect/mastodon_replay.py):
counts against the replay world's, throughput, requests per 1,000 followers.

World: a brand with 2,000 followers and 300 follows among 2,400 made-up accounts, 200 brand statuses with
favourites, reblogs, replies, quotes and mentions (their notifications). The server runs in threads of the same
process: the client's CPU is measured with ``time.thread_time()`` of the syncing thread. Prints one JSON document.

    python -m benchmarks bench_mastodon_sync
"""

from __future__ import annotations

import json
import os
import resource
import tempfile
import time
from pathlib import Path

from signalboost.connect.accounts import connect_mastodon, open_connector
from signalboost.connect.sync import sync_account
from signalboost.store.workspace import Workspace


def main() -> None:
    from tests.connect.mastodon_replay import ReplayServer, World

    t0 = time.perf_counter()
    world = World(seed=11, n_accounts=2400, n_posts=200, n_followers=2000, n_follows=300)
    server = ReplayServer(world)
    built = time.perf_counter() - t0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace.open(Path(tmp) / "ws", create=True)
            connect_mastodon(ws, server.url, world.token)
            w1, c1 = time.perf_counter(), time.thread_time()
            first = sync_account(ws, open_connector(ws, "mastodon"), page_size=100)
            first_s, first_cpu = time.perf_counter() - w1, time.thread_time() - c1
            w2, c2 = time.perf_counter(), time.thread_time()
            again = sync_account(ws, open_connector(ws, "mastodon"), page_size=100)
            again_s, again_cpu = time.perf_counter() - w2, time.thread_time() - c2
            truth = world.truth()
            brand = truth["brand"]
            with ws.connect() as con:
                followers = {
                    r[0]
                    for r in con.execute(
                        "SELECT follower_id FROM follows WHERE followee_id = ? AND active", [brand]
                    ).fetchall()
                }
                follows = {
                    r[0]
                    for r in con.execute(
                        "SELECT followee_id FROM follows WHERE follower_id = ? AND active", [brand]
                    ).fetchall()
                }
                posts = {r[0] for r in con.execute("SELECT post_id FROM posts WHERE author_id = ?", [brand]).fetchall()}
                kinds = dict(con.execute("SELECT kind, count(*) FROM interactions GROUP BY 1").fetchall())
                accounts = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
            got_kinds = {k: kinds.get(k, 0) for k in truth["interactions"]}
            items = sum(first.items.values())
            figures = {
                "world": {
                    "accounts": len(world.accounts),
                    "followers": len(truth["followers"]),
                    "follows": len(truth["follows"]),
                    "brand_statuses": len(truth["posts"]),
                    "notifications": len(world.notes),
                    "interactions": truth["interactions"],
                    "built_s": round(built, 2),
                },
                "synced": {
                    "followers": len(followers),
                    "follows": len(follows),
                    "brand_statuses": len(posts),
                    "interactions": got_kinds,
                    "accounts": accounts,
                },
                "equal": followers == truth["followers"]
                and follows == truth["follows"]
                and posts == truth["posts"]
                and got_kinds == truth["interactions"],
                "first_sync": {
                    "wall_s": round(first_s, 2),
                    "client_cpu_s": round(first_cpu, 2),
                    "requests": first.requests,
                    "pages": first.pages,
                    "items": items,
                    "items_per_s": round(items / first_s, 1),
                    "rows_loaded": first.rows_loaded,
                },
                "incremental_sync": {
                    "wall_s": round(again_s, 2),
                    "client_cpu_s": round(again_cpu, 2),
                    "requests": again.requests,
                },
                "requests_per_1000_followers": round(first.pages["followers"] / len(followers) * 1000, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "load_average": os.getloadavg()[0],
            }
            print(json.dumps(figures, indent=2))
    finally:
        server.close()


if __name__ == "__main__":
    main()
