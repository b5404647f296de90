"""Sync of a seeded local Bluesky network: counts against the network's, throughput, requests per 1,000 followers.

Needs the local network (tests/connect/devnet: `make system-test` installs Node packages and PostgreSQL).
Seed: 220 accounts around ``brand.test``, ~10 follows each, 4 posts each + 60 brand posts, with likes, reposts,
replies, quotes and mentions. Prints one JSON document of figures.

    python -m benchmarks bench_connect_sync
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path

from signalboost.connect.accounts import connect_bluesky, open_connector
from signalboost.connect.sync import sync_account
from signalboost.store.workspace import Workspace


def main() -> None:
    from tests.connect.devnet.launcher import BlueskyNetwork, missing_reason

    reason = missing_reason()
    if reason:
        print(json.dumps({"skipped": reason}))
        return
    t0 = time.perf_counter()
    net = BlueskyNetwork(
        accounts=220, brand_posts=60, posts_per_account=4, follows_min=6, follows_spread=9, ready_timeout=3000
    )
    ready = time.perf_counter() - t0
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ws = Workspace.open(Path(tmp) / "ws", create=True)
            connect_bluesky(ws, net.brand["handle"], net.brand["app_password"], service=net.pds)
            connector = open_connector(ws, "bluesky")
            t1 = time.perf_counter()
            first = sync_account(ws, connector, page_size=100)
            first_s = time.perf_counter() - t1
            t2 = time.perf_counter()
            again = sync_account(ws, open_connector(ws, "bluesky"), page_size=100)
            again_s = time.perf_counter() - t2
            truth = net.truth
            brand = truth["brand_did"]
            with ws.connect() as con:
                got_followers = con.execute(
                    "SELECT count(*) FROM follows WHERE followee_id = ? AND active", [brand]
                ).fetchone()[0]
                got_follows = con.execute(
                    "SELECT count(*) FROM follows WHERE follower_id = ? AND active", [brand]
                ).fetchone()[0]
                got_posts = con.execute("SELECT count(*) FROM posts WHERE author_id = ?", [brand]).fetchone()[0]
                kinds = dict(con.execute("SELECT kind, count(*) FROM interactions GROUP BY 1").fetchall())
                accounts = con.execute("SELECT count(*) FROM accounts").fetchone()[0]
                reply_counts = con.execute(
                    "SELECT sum(comments) FROM post_metrics m JOIN posts p USING (platform, post_id) "
                    "WHERE p.author_id = ? AND m.observed_at = (SELECT max(observed_at) FROM post_metrics)",
                    [brand],
                ).fetchone()[0]
            eng = truth["engagement"].values()
            expected = {
                "followers": len(truth["followers"]),
                "follows": len(truth["follows"]),
                "brand_posts": len(truth["brand_posts"]),
                "like": sum(e["likes"] for e in eng),
                "repost": sum(e["reposts"] for e in eng),
                "reply": sum(e["replies"] for e in eng),
                "quote": sum(e["quotes"] for e in eng),
                "mention": truth["mentions"],
            }
            got = {
                "followers": got_followers,
                "follows": got_follows,
                "brand_posts": got_posts,
                **{k: kinds.get(k, 0) for k in ("like", "repost", "reply", "quote", "mention")},
            }
            items = sum(first.items.values())
            follower_requests = first.pages.get("followers", 0)
            profile_requests = -(-first.items.get("profiles", 0) // 25)
            print(
                json.dumps(
                    {
                        "network": truth["network"],
                        "network_ready_s": round(ready, 1),
                        "network_startup_ms": net.info["startup_ms"],
                        "network_seed_ms": net.info["seed_ms"],
                        "network_rss_mb": net.command("rss")["rss_mb"],
                        "expected": expected,
                        "synced": got,
                        "equal": expected == got,
                        "accounts_in_workspace": accounts,
                        "brand_reply_count_reported": reply_counts,
                        "threads_read_for_missing_replies": first.items.get("threads", 0),
                        "first_sync": {
                            "seconds": round(first_s, 2),
                            "requests": first.requests,
                            "items": items,
                            "items_per_s": round(items / first_s, 1),
                            "rows_loaded": first.rows_loaded,
                            "pages": first.pages,
                        },
                        "incremental_sync": {"seconds": round(again_s, 2), "requests": again.requests},
                        "requests_per_1000_followers": {
                            "list_only": round(1000 * follower_requests / max(1, got_followers), 1),
                            "with_profiles": round(
                                1000 * (follower_requests + profile_requests) / max(1, got_followers), 1
                            ),
                        },
                        "python_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                    },
                    indent=2,
                )
            )
    finally:
        net.close()


if __name__ == "__main__":
    main()
