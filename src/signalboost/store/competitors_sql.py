"""SQL of the competitors registry (table ``competitors``, migration 080).

Every function takes the workspace and returns plain rows or Polars frames; ``signalboost.competitors`` never
sees SQL. Writes run in one transaction each: an add of several accounts stores all of them or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from signalboost.store.workspace import Workspace

COMPETITOR_COLUMNS: tuple[str, ...] = ("name", "platform", "account", "added_at")


def read_competitors(ws: Workspace) -> pl.DataFrame:
    """Every registered account: ``name, platform, account, added_at`` ordered by name, platform, account."""
    return ws.query(f"SELECT {', '.join(COMPETITOR_COLUMNS)} FROM competitors ORDER BY name, platform, account")


def owners_of(ws: Workspace, platform: str, accounts: Sequence[str]) -> dict[str, str]:
    """``account -> competitor name`` for those of ``accounts`` already registered on ``platform``."""
    if not accounts:
        return {}
    marks = ", ".join("?" for _ in accounts)
    frame = ws.query(
        f"SELECT account, name FROM competitors WHERE platform = ? AND account IN ({marks})", [platform, *accounts]
    )
    return {str(a): str(n) for a, n in frame.iter_rows()}


def insert_competitor_accounts(ws: Workspace, name: str, platform: str, accounts: Sequence[str]) -> int:
    """Register ``accounts`` on ``platform`` under ``name`` (accounts already registered under it are kept as
    they are); return how many rows were added."""
    added = 0
    with ws.transaction(purpose="competitors add") as con:
        for account in accounts:
            row = con.execute(
                "SELECT 1 FROM competitors WHERE platform = ? AND account = ?", [platform, account]
            ).fetchone()
            if row is None:
                con.execute(
                    "INSERT INTO competitors (name, platform, account) VALUES (?, ?, ?)", [name, platform, account]
                )
                added += 1
    return added


def delete_competitor(ws: Workspace, name: str, *, platform: str | None = None, account: str | None = None) -> int:
    """Remove a competitor's accounts (all, those of one platform, or one account); return the rows removed."""
    where, params = ["name = ?"], [name]
    if platform is not None:
        where.append("platform = ?")
        params.append(platform)
    if account is not None:
        where.append("account = ?")
        params.append(account)
    cond = " AND ".join(where)
    with ws.transaction(purpose="competitors remove") as con:
        row = con.execute(f"SELECT count(*) FROM competitors WHERE {cond}", params).fetchone()
        n = int(row[0]) if row else 0
        con.execute(f"DELETE FROM competitors WHERE {cond}", params)
    return n


def read_benchmark_frames(ws: Workspace, *, platform: str | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``(posts, post_metrics)`` with only the columns the benchmark uses, unordered (a million posts: reading
    every column of ``posts`` in order took twice as long). Posts: ``platform, post_id, author_id, created_at,
    format, text, hashtags, pillars, date_only`` of posts with an author; metrics: every snapshot's counts."""
    from signalboost.analytics.metrics import METRIC_COLUMNS
    from signalboost.store.queries import readable_time

    where, params = ("AND platform = ?", [platform]) if platform else ("", [])
    posts = ws.query(
        f"SELECT platform, post_id, author_id, {readable_time('created_at')}, format, text, hashtags, pillars, "
        f"date_only FROM posts WHERE author_id IS NOT NULL {where}",
        params,
    )
    metrics = ws.query(
        f"SELECT platform, post_id, {readable_time('observed_at')}, {', '.join(METRIC_COLUMNS)} FROM post_metrics "
        f"WHERE TRUE {where}",
        params,
    )
    return posts, metrics
