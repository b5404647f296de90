"""Generated workspaces for the scale tests: a small random graph with every kind of canonical row."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from signalboost.store import influence_sql
from signalboost.store.workspace import Workspace

T0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


TAGS = ("#Data", "data", "#ml", "ML", "#ai", "#python", "#rust", "#spark", "#sql", "#viz", "#ops", "#web", "#go")
"""Hashtag spellings of :func:`fill_workspace` (case and ``#`` vary: ``#Data`` and ``data`` are one tag)."""


def fill_workspace(
    ws: Workspace, n: int = 40, m: int = 120, seed: int = 0, *, hashtags: bool = False
) -> dict[str, int]:
    """Platform ``x``: accounts (follower counts and post counts, some unknown; a1 is the brand), an active and
    an inactive follow layer, posts (so reposts of a post with no target account resolve to its author),
    interactions over a ring plus random edges; platform ``ig``: a few rows, so exports hold two platforms.
    ``hashtags``: the posts carry 0–3 hashtags from :data:`TAGS` (some repeated, some empty) and some the
    pillar ``craft``. Returns the rows inserted per table (for platform x)."""
    rng = np.random.default_rng(seed)
    ids = [f"a{i}" for i in range(n)]
    followers = rng.integers(0, 10_000, n).tolist()
    accounts = pl.DataFrame(
        {
            "platform": "x",
            "account_id": ids,
            "handle": [f"user{i}" for i in range(n)],
            "followers": [None if i in (3, 7) else f for i, f in enumerate(followers)],
            "posts_count": [None if i % 5 == 0 else int(c) for i, c in enumerate(rng.integers(0, 50, n))],
            "is_brand": [i == 1 for i in range(n)],
        },
        schema_overrides={"followers": pl.Int64, "posts_count": pl.Int64},
    )
    fsrc, fdst = rng.integers(0, n, 150), rng.integers(0, n, 150)
    pairs = sorted({(int(a), int(b)) for a, b in zip(fsrc, fdst, strict=True) if a != b})
    follows = pl.DataFrame(
        {
            "platform": "x",
            "follower_id": [f"a{a}" for a, _ in pairs],
            "followee_id": [f"a{b}" for _, b in pairs],
            "active": [k % 9 != 0 for k in range(len(pairs))],
        }
    )
    posts = pl.DataFrame(
        {
            "platform": "x",
            "post_id": [f"p{k}" for k in range(30)],
            "author_id": [f"a{int(a)}" for a in rng.integers(0, n // 2, 30)],
            "created_at": [T0 + dt.timedelta(hours=3 * k) for k in range(30)],
        }
    )
    if hashtags:
        tags = [[str(t) for t in rng.choice(TAGS, int(rng.integers(0, 4)))] for _ in range(30)]
        tags[0], tags[1] = ["#Data", "data", "", "#"], None  # one tag twice, empty spellings; no list at all
        pillars = [["craft"] if k % 4 == 0 else None for k in range(30)]
        posts = posts.with_columns(
            pl.Series("hashtags", tags, dtype=pl.List(pl.String)),
            pl.Series("pillars", pillars, dtype=pl.List(pl.String)),
        )
    src = np.concatenate([np.arange(n), rng.integers(0, n, m)])
    dst = np.concatenate([(np.arange(n) + 1) % n, rng.integers(0, n, m)])
    kinds = rng.choice(["repost", "quote", "reply", "mention", "like"], src.size).tolist()
    target_post = ["" for _ in kinds]
    target_acc = [f"a{d}" for d in dst]
    for k in range(0, src.size, 7):  # a repost naming only the post: the author is resolved from posts
        target_post[k], target_acc[k], kinds[k] = f"p{k % 30}", "", "repost"
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": [f"a{i}" for i in src],
            "kind": kinds,
            "target_post_id": target_post,
            "target_account_id": target_acc,
            "occurred_at": [T0 + dt.timedelta(hours=int(h)) for h in rng.integers(0, 24 * 90, src.size)],
            "weight": 1.0,
        }
    )
    other = pl.DataFrame(
        {"platform": "ig", "actor_id": ["i1", "i2"], "kind": ["like", "reply"], "target_account_id": ["i2", "i1"]}
    )
    with ws.transaction() as con:
        for table, frame in (("accounts", accounts), ("follows", follows), ("posts", posts)):
            influence_sql.insert_frame(con, table, frame)
        influence_sql.insert_frame(con, "interactions", inter)
        influence_sql.insert_frame(con, "interactions", other)
    return {"accounts": n, "follows": len(pairs), "posts": 30, "interactions": int(src.size), "post_metrics": 0}
