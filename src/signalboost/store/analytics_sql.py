"""SQL of the analytics subsystem: read the canonical frames it needs, store pillar assignments.

The analytics algorithms take plain Polars frames; this module is the only place that talks to the database for
them. ``insert_frame`` is also what the tests use to put hand-made rows into a temporary workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

from signalboost.errors import StoreError
from signalboost.i18n import L_
from signalboost.store.queries import has_table

if TYPE_CHECKING:
    from signalboost.store.workspace import Workspace

_WRITABLE = {"posts", "post_metrics", "account_snapshots", "accounts", "post_pillars", "interactions"}


@dataclass(frozen=True)
class AnalyticsFrames:
    """The canonical tables the analytics read, as Polars frames (one workspace, all platforms)."""

    posts: pl.DataFrame
    post_metrics: pl.DataFrame
    account_snapshots: pl.DataFrame
    accounts: pl.DataFrame
    audience_hours: pl.DataFrame = field(default_factory=pl.DataFrame)
    """Interactions per platform and UTC hour (:func:`audience_hours`): when the audience is active."""


def read_analytics_frames(ws: Workspace, *, platform: str | None = None) -> AnalyticsFrames:
    """Read posts, metrics snapshots, follower snapshots and accounts (optionally one platform)."""
    return AnalyticsFrames(
        posts=ws.table("posts", platform=platform),
        post_metrics=ws.table("post_metrics", platform=platform),
        account_snapshots=ws.table("account_snapshots", platform=platform),
        accounts=post_authors(ws, platform=platform),
        audience_hours=audience_hours(ws, platform=platform),
    )


def audience_hours(ws: Workspace, *, platform: str | None = None) -> pl.DataFrame:
    """``platform, hour_utc, n``: the imported interactions (likes, replies, reposts, mentions) counted per platform
    and UTC hour — when the networks' audience is demonstrably active. Interactions with a date only are left out.
    At most one row per platform and hour of the data's span (a week of Higgs: 168 rows)."""
    where = "AND platform = ?" if platform else ""
    sql = f"""
        SELECT platform, date_trunc('hour', occurred_at) AS hour_utc, count(*) AS n
        FROM interactions
        WHERE occurred_at IS NOT NULL AND NOT coalesce(date_only, FALSE) {where}
        GROUP BY ALL ORDER BY ALL
    """
    return ws.query(sql, [platform] if platform else None)


def post_authors(ws: Workspace, *, platform: str | None = None) -> pl.DataFrame:
    """The accounts the analytics need: the posts' authors and the accounts marked as the brand's (not the
    hundreds of thousands of accounts an interaction graph brings), with ``is_competitor`` TRUE for the accounts
    registered as a competitor's (``signalboost competitors add``; a row is added for such an author that has no
    accounts row, e.g. a CSV import tagged ``author_id==@acme``), so no analysis takes them for the brand's."""
    where = "WHERE a.platform = ?" if platform else ""
    sql = f"""
        SELECT a.*, EXISTS (
            SELECT 1 FROM competitors c WHERE c.platform = a.platform
              AND c.account IN (lower(ltrim(a.account_id, '@')), lower(ltrim(coalesce(a.handle, ''), '@')))
        ) AS is_competitor
        FROM accounts a
        WHERE (a.is_brand
               OR EXISTS (SELECT 1 FROM posts p WHERE p.platform = a.platform AND p.author_id = a.account_id))
        {where.replace("WHERE", "AND")}
        UNION ALL BY NAME
        SELECT DISTINCT p.platform, p.author_id AS account_id, FALSE AS is_brand, TRUE AS is_competitor
        FROM posts p JOIN competitors c ON c.platform = p.platform AND c.account = lower(ltrim(p.author_id, '@'))
        WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.platform = p.platform AND a.account_id = p.author_id)
        {where.replace("WHERE", "AND").replace("a.platform", "p.platform")}
        ORDER BY platform, account_id
    """
    return ws.query(sql, [platform, platform] if platform else None)


def insert_frame(ws: Workspace, table: str, frame: pl.DataFrame) -> int:
    """Append the rows of ``frame`` to ``table`` (columns by name); return the number of rows written."""
    if table not in _WRITABLE:
        raise StoreError(
            L_("analytics may not write table {table!r}", table=table),
            hint=L_("Use one of: {choices}", choices=", ".join(sorted(_WRITABLE))),
        )
    if frame.height == 0:
        return 0
    cols = ", ".join(frame.columns)
    with ws.transaction(purpose="analytics insert") as con:
        con.register("_incoming", frame.to_arrow())
        try:
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            con.unregister("_incoming")
    return frame.height


def replace_post_pillars(ws: Workspace, assignments: pl.DataFrame) -> int:
    """Replace the stored pillar assignments of the posts in ``assignments``.

    ``assignments`` has one row per post: ``platform, post_id, pillars (list), method, confidence``; a post with
    no pillar is stored as one row with ``pillar = ''`` so "unclassified" is kept, not lost.
    """
    if assignments.height == 0:
        return 0
    rows = (
        assignments.select("platform", "post_id", "pillars", "method", "confidence")
        .with_columns(
            pl.when(pl.col("pillars").list.len() == 0)
            .then(pl.lit([""], dtype=pl.List(pl.String)))
            .otherwise(pl.col("pillars"))
            .alias("pillar")
        )
        .explode("pillar")
        .select("platform", "post_id", "pillar", "method", "confidence")
        .unique(subset=["platform", "post_id", "pillar"], keep="first", maintain_order=True)
    )
    keys = assignments.select("platform", "post_id").unique()
    with ws.transaction(purpose="analytics pillars") as con:
        con.register("_keys", keys.to_arrow())
        con.register("_rows", rows.to_arrow())
        try:
            con.execute(
                "DELETE FROM post_pillars p USING _keys k WHERE p.platform = k.platform AND p.post_id = k.post_id"
            )
            con.execute(
                "INSERT INTO post_pillars (platform, post_id, pillar, method, confidence) "
                "SELECT platform, post_id, pillar, method, confidence FROM _rows"
            )
        finally:
            con.unregister("_keys")
            con.unregister("_rows")
    return rows.height


def read_post_pillars(ws: Workspace, *, platform: str | None = None) -> pl.DataFrame:
    """Stored assignments as one row per post: ``platform, post_id, pillars, method, confidence``."""
    where, params = "", []
    if platform is not None:
        where, params = " WHERE platform = ?", [platform]
    sql = (
        "SELECT platform, post_id, list(pillar ORDER BY pillar) FILTER (WHERE pillar <> '') AS pillars, "
        "min(method) AS method, min(confidence) AS confidence "
        f"FROM post_pillars{where} GROUP BY platform, post_id ORDER BY platform, post_id"
    )
    return ws.query(sql, params)


def count_rows(ws: Workspace, table: str) -> int:
    """Row count of one table (used by the demo step to check something was imported)."""
    if table not in _WRITABLE:
        raise StoreError(L_("unknown analytics table {table!r}", table=table))
    frame = ws.query(f"SELECT count(*) AS n FROM {table}")
    value: Any = frame["n"][0]
    return int(value)


def stored_pillar_assignments(con: Any, not_before: Any) -> pl.DataFrame | None:
    """The stored pillar assignments (table ``post_pillars``, written by ``signalboost analytics`` and the demo) in
    the shape of :func:`signalboost.analytics.pillars.assign_pillars` — ``platform, post_id, pillars, method,
    confidence`` — or ``None`` unless every post has one and all were assigned at or after ``not_before`` (the
    last change of ``strategy.yaml``): then they are exactly what ``assign_pillars`` would compute again."""
    if not has_table(con, "post_pillars"):
        return None
    row = con.execute(
        "SELECT (SELECT count(*) FROM posts), count(DISTINCT (p.platform, p.post_id)), min(p.assigned_at) "
        "FROM post_pillars p JOIN posts USING (platform, post_id)"
    ).fetchall()[0]
    if row is None or not row[0] or row[0] != row[1] or row[2] is None or row[2] < not_before:
        return None
    table = con.sql(
        "SELECT platform, post_id, coalesce(list(pillar ORDER BY pillar) FILTER (WHERE pillar <> ''), []) AS pillars, "
        "any_value(method) AS method, max(confidence) AS confidence FROM post_pillars "
        "GROUP BY platform, post_id"
    ).to_arrow_table()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame
