"""Fixtures of the outreach tests: a workspace with a few accounts, posts, follows and interactions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import pytest

from signalboost.store.workspace import Workspace

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def add_accounts(ws: Workspace, rows: Iterable[tuple[str, str, str | None, int | None, bool]]) -> None:
    """Insert ``(platform, account_id, handle, followers, is_brand)`` accounts."""
    with ws.transaction() as con:
        for platform, account_id, handle, followers, is_brand in rows:
            con.execute(
                "INSERT INTO accounts (platform, account_id, handle, followers, is_brand) VALUES (?, ?, ?, ?, ?)",
                [platform, account_id, handle, followers, is_brand],
            )


def add_follows(ws: Workspace, edges: Iterable[tuple[str, str]], platform: str = "x") -> None:
    """Insert ``(follower, followee)`` edges."""
    import polars as pl

    pairs = list(edges)
    new = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]}, schema={"a": pl.Utf8, "b": pl.Utf8})
    with ws.transaction() as con:
        con.register("new_edges", new.to_arrow())
        con.execute(
            "INSERT INTO follows (platform, follower_id, followee_id) SELECT ?, a, b FROM new_edges", [platform]
        )
        con.unregister("new_edges")


def add_posts(ws: Workspace, rows: Sequence[dict[str, Any]], platform: str = "x") -> None:
    with ws.transaction() as con:
        for r in rows:
            con.execute(
                "INSERT INTO posts (platform, post_id, author_id, created_at, text, hashtags) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [platform, r["post_id"], r["author_id"], r["created_at"], r.get("text"), r.get("hashtags")],
            )


def add_interactions(ws: Workspace, rows: Iterable[tuple[str, str, str, str, dt.datetime | None]]) -> None:
    """Insert ``(actor, kind, target_post_id, target_account_id, occurred_at)`` interactions on platform x."""
    with ws.transaction() as con:
        con.executemany(
            "INSERT INTO interactions (platform, actor_id, kind, target_post_id, target_account_id, occurred_at) "
            "VALUES ('x', ?, ?, ?, ?, ?)",
            [list(r) for r in rows],
        )


def add_scores(ws: Workspace, rows: Iterable[tuple[str, float, str, bool]], platform: str = "x") -> None:
    """Insert ``(account_id, score, segment, follows_brand)`` rows of ``influence_scores`` (migration 030)."""
    with ws.transaction() as con:
        for account_id, score, segment, follows in rows:
            con.execute(
                "INSERT INTO influence_scores (platform, account_id, computed_at, score, follows_brand, segment) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [platform, account_id, T0, score, follows, segment],
            )


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    add_accounts(
        workspace,
        [
            ("x", "b1", "brand", 1000, True),
            ("x", "u1", "maria", 5000, False),
            ("x", "u2", "li", 200, False),
            ("x", "u3", "sam", None, False),
            ("ig", "u9", "sam", 100, False),
        ],
    )
    return workspace
