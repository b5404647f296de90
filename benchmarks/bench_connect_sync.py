"""Sync of a seeded local Bluesky network: counts against the network's, throughput, requests per 1,000 followers.

Needs the local network (tests/connect/devnet: `make system-test` installs Node packages and PostgreSQL).
Seed: 220 accounts around ``brand.test``, ~10 follows each, 4 posts each + 60 brand posts, with likes, reposts,
replies, quotes and mentions. Then the whole method on the synced workspace, through the CLI as a user runs it:
``analyze``, ``influencers`` (top rows named by handle), ``partners fetch-audience`` for three accounts then
``partners rank`` (overlap from the fetched audiences), ``plan`` of last week with a Bluesky schedule,
``calendar draft`` + ``calendar approve`` of its Bluesky posts (all due), ``publish``, and the brand's author feed
read back from the AppView: every published post must appear exactly once. Prints one JSON document of figures.

    python -m benchmarks bench_connect_sync
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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
    method: dict[str, Any] = {"problems": ["not run"]}
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
            method = whole_method(ws, net, connector, expected)
            if expected != got:
                method["problems"].append(f"synced {got} != network {expected}")
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
                        "whole_method": method,
                        "python_max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                    },
                    indent=2,
                )
            )
    finally:
        net.close()
    if method["problems"]:
        raise SystemExit("whole method: " + "; ".join(method["problems"]))


def _cli(ws: Workspace, *args: str) -> Any:
    """Run one ``signalboost`` command on the workspace as a user would (a new process), return its JSON output."""
    cmd = [sys.executable, "-m", "signalboost.cli.main", *args, "--workspace", str(ws.root), "--format", "json"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def _bluesky_strategy(ws: Workspace, handle: str) -> None:
    """A real template strategy (``init --template clothing-store``) with Bluesky added: ecosystem, handle, slots."""
    init = [sys.executable, "-m", "signalboost.cli.main", "init", str(ws.root), "--template", "clothing-store"]
    subprocess.run([*init, "--force"], capture_output=True, check=True)
    path = ws.root / "strategy.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  handles:\n", f"  handles:\n    bluesky: {handle}\n", 1)
    text = text.replace(
        "ecosystem:\n",
        'ecosystem:\n  - network: bluesky\n    role: "Conversation with the community."\n'
        f"    personas: [urban-professional]\n    formats: [text, link]\n    handle: {handle}\n",
        1,
    )
    slots = "".join(
        f'        {day}: ["{hour}"]\n' for day, hour in zip(("mon", "tue", "wed", "thu", "fri"), _HOURS, strict=True)
    )
    text = text.replace(
        "  networks:\n    instagram:\n",
        f"  networks:\n    bluesky:\n      min_posts_per_week: 5\n      slots:\n{slots}    instagram:\n",
        1,
    )
    path.write_text(text, encoding="utf-8")


_HOURS = ("09:00", "12:00", "09:00", "12:00", "17:00")


def whole_method(ws: Workspace, net: Any, connector: Any, expected: dict[str, int]) -> dict[str, Any]:
    """Analytics, influencers, partners from fetched audiences and a published week, on the synced workspace.

    ``expected`` holds the network's own figures (brand posts, likes, reposts, replies); every check that fails is
    listed under ``problems`` (the caller prints the figures, then fails).
    """
    handle = net.brand["handle"]
    _bluesky_strategy(ws, handle)
    problems: list[str] = []
    figures: dict[str, Any] = {"problems": problems}
    t = time.perf_counter()
    summary = _cli(ws, "analyze", "--section", "summary")["summary"]
    per_post = next(r for r in summary if r["platform"] == "bluesky" and r["metric"] == "interactions")
    interactions = round(per_post["value"] * per_post["n_posts"])
    want = expected["like"] + expected["repost"] + expected["reply"]
    if per_post["n_posts"] != expected["brand_posts"] or interactions != want:
        problems.append(f"analyze: {per_post['n_posts']} posts, {interactions} interactions; network: {want}")
    figures["analyze"] = {
        "seconds": round(time.perf_counter() - t, 2),
        "posts": per_post["n_posts"],
        "interactions_per_post": per_post["value"],
        "ci95": [per_post["ci_low"], per_post["ci_high"]],
        "interactions_total": interactions,
        "network_interactions_total": want,
        **{
            r["metric"]: r["value"]
            for r in summary
            if r["platform"] == "bluesky" and r["metric"].startswith("er_") and r["value"] is not None
        },
    }

    t = time.perf_counter()
    rows = _cli(ws, "influencers", "--top", "10", "--platform", "bluesky", "--brand", handle)["rows"]
    handles = [str(r.get("handle") or "") for r in rows]
    named = sum(1 for h in handles if h and not h.startswith("did:"))
    if not rows or named != len(rows):
        problems.append(f"influencers without handles: {handles}")
    figures["influencers"] = {
        "seconds": round(time.perf_counter() - t, 2),
        "top": [
            {"handle": r.get("handle"), "score": round(r["score"], 1), "segment": r.get("segment")} for r in rows[:5]
        ],
        "rows_with_handle": f"{named}/{len(rows)}",
    }

    candidates = [h for h in handles if h != handle][:3]
    t = time.perf_counter()
    fetched = _cli(ws, "partners", "fetch-audience", *candidates)["rows"]
    fetch_s = time.perf_counter() - t
    t = time.perf_counter()
    rank = _cli(ws, "partners", "rank", *candidates, "--brand", handle, "--platform", "bluesky")["rows"]
    rank_s = time.perf_counter() - t
    followers = sum(r["followers_fetched"] for r in fetched)
    requests = sum(r["requests"] for r in fetched)
    if len(rank) != len(candidates) or any(not r["audience"] for r in rank):
        problems.append(f"partners rank: {rank}")
    if any(r["followers_fetched"] != r["followers_reported"] for r in fetched):
        problems.append(f"fetch-audience incomplete: {fetched}")
    keep = ("handle", "audience", "our_audience", "shared", "jaccard", "unique_reach", "bridges", "method")
    figures["partners"] = {
        "fetched": [
            {k: r[k] for k in ("handle", "followers_reported", "followers_fetched", "requests")} for r in fetched
        ],
        "fetch_seconds": round(fetch_s, 2),
        "fetch_requests_per_1000_followers": round(1000 * requests / max(1, followers), 1),
        "rank": [{k: r.get(k) for k in keep} for r in rank],
        "rank_seconds": round(rank_s, 2),
    }
    figures["publish"] = _publish_week(ws, net, connector, handle, problems)
    return figures


def _publish_week(ws: Workspace, net: Any, connector: Any, handle: str, problems: list[str]) -> dict[str, Any]:
    """Plan last week (every post already due), draft + approve its Bluesky posts, publish, read the author feed."""
    today = dt.datetime.now(dt.UTC).date()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    plan = _cli(ws, "plan", "--from", monday.isoformat(), "--weeks", "1", "--skip-empty-tactics")
    ours = [r for r in plan["rows"] if r["network"] == "bluesky"]
    for i, row in enumerate(ours, start=1):
        text = f"Week of {monday:%d %b}, post {i} of {len(ours)}: {row.get('draft') or 'new linen in store'}"[:280]
        _cli(ws, "calendar", "draft", row["id"], text)
        _cli(ws, "calendar", "approve", row["id"])
    t = time.perf_counter()
    sent = _cli(ws, "publish", "--platform", "bluesky")["rows"]
    publish_s = time.perf_counter() - t
    again = _cli(ws, "publish", "--platform", "bluesky")["rows"]
    ids = [r["id"] for r in ours]
    with ws.connect() as con:
        uris = [
            u
            for (u,) in con.execute(
                "SELECT post_id FROM publications WHERE plan_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
            ).fetchall()
        ]
    net.command("process")
    seen: dict[str, int] = {}
    cursor = None
    while True:
        params = {"actor": handle, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = connector.client.app.bsky.feed.get_author_feed(params)
        for item in page.feed:
            seen[item.post.uri] = seen.get(item.post.uri, 0) + 1
        cursor = page.cursor
        if not cursor or not page.feed:
            break
    once = sum(1 for u in uris if seen.get(u) == 1)
    if not ours or len(uris) != len(ours) or once != len(ours) or again:
        problems.append(f"publish: {len(ours)} planned, {len(uris)} published, {once} once in feed, rerun {again}")
    return {
        "week": monday.isoformat(),
        "planned_bluesky_posts": len(ours),
        "sent": sum(1 for r in sent if r["action"] == "sent"),
        "publish_seconds": round(publish_s, 2),
        "second_run_sent": len(again),
        "in_author_feed_exactly_once": f"{once}/{len(ours)}",
        "author_feed_items": sum(seen.values()),
    }


if __name__ == "__main__":
    main()
