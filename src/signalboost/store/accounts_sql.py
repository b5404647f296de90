"""Reading one account: its row, whether the workspace knows it, its latest posts, and the part of the graph
around it (what a profile page or command needs without reading the whole platform).
"""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl

from signalboost.store.queries import readable_time


def account_lookup(con: duckdb.DuckDBPyConnection, platform: str, account_id: str) -> dict[str, Any] | None:
    """One account row."""
    cur = con.execute("SELECT * FROM accounts WHERE platform = ? AND account_id = ?", [platform, account_id])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return None if row is None else dict(zip(cols, row, strict=True))


def account_known(con: duckdb.DuckDBPyConnection, platform: str, account_id: str) -> bool:
    """Whether the workspace knows the account: a row in ``accounts``, an influence score, or an interaction."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE platform = $p AND account_id = $a) "
        "OR EXISTS (SELECT 1 FROM influence_scores WHERE platform = $p AND account_id = $a) "
        "OR EXISTS (SELECT 1 FROM interactions WHERE platform = $p AND (actor_id = $a OR target_account_id = $a))",
        {"p": platform, "a": account_id},
    ).fetchone()
    return bool(row and row[0])


def account_posts(
    con: duckdb.DuckDBPyConnection, platform: str, account_id: str, limit: int = 20
) -> list[dict[str, Any]]:
    """An account's latest posts."""
    cur = con.execute(
        f"SELECT post_id, {readable_time('created_at')}, format, text, url FROM posts "
        "WHERE platform = ? AND author_id = ? "
        "ORDER BY created_at DESC NULLS LAST LIMIT ?",
        [platform, account_id, limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def only_account_named(con: duckdb.DuckDBPyConnection, platform: str, account_id: str) -> bool:
    """Whether ``account_id`` names exactly one account of ``platform`` — itself, scored, and no other account
    has it as its handle — so a profile lookup by this key cannot mean another account."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM influence_scores WHERE platform = ? AND account_id = ?), "
        "(SELECT count(*) FROM accounts WHERE platform = ? AND account_id <> ? AND lower(handle) = lower(?))",
        [platform, account_id, platform, account_id, account_id.removeprefix("@")],
    ).fetchall()[0]
    return bool(row[0]) and not row[1]


def neighbourhood_frames(
    con: duckdb.DuckDBPyConnection, platform: str, account_ids: list[str]
) -> dict[str, pl.DataFrame]:
    """The part of a platform's graph that a profile of one account (with the brand) reads: the accounts
    themselves, the follows between them, the interactions they made, and the posts they wrote or acted on —
    with the columns of ``signalboost.store.influence_sql.read_platform`` (which reads the whole platform)."""
    ids = list(account_ids)
    inter = (
        f"SELECT actor_id, kind, target_post_id, target_account_id, {readable_time('occurred_at')}, weight "
        "FROM interactions WHERE platform = ? AND list_contains(?, actor_id)"
    )
    return {
        "accounts": _arrow_frame(
            con,
            "SELECT account_id, handle, followers, posts_count, is_brand FROM accounts "
            "WHERE platform = ? AND list_contains(?, account_id)",
            [platform, ids],
        ),
        "follows": _arrow_frame(
            con,
            "SELECT follower_id, followee_id, active FROM follows "
            "WHERE platform = ? AND list_contains(?, follower_id) AND list_contains(?, followee_id)",
            [platform, ids, ids],
        ),
        "interactions": _arrow_frame(con, inter, [platform, ids]),
        "posts": _arrow_frame(
            con,
            f"SELECT post_id, author_id, {readable_time('created_at')}, format, hashtags, pillars FROM posts "
            "WHERE platform = ? "
            "AND (list_contains(?, author_id) OR post_id IN (SELECT target_post_id FROM interactions "
            "WHERE platform = ? AND list_contains(?, actor_id) AND target_post_id IS NOT NULL))",
            [platform, ids, platform, ids],
        ),
    }


def _arrow_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame
