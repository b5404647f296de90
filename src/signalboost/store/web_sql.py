"""SQL of the dashboard: logins (``web_users``) and the small read queries its pages need.

Every function takes an open connection from :meth:`Workspace.connect` (which holds the workspace lock).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import polars as pl

from signalboost.store.queries import readable_time, readable_value

_COUNT_TABLES: tuple[str, ...] = ("accounts", "posts", "post_metrics", "follows", "interactions", "imports", "rejects")


def upsert_user(con: duckdb.DuckDBPyConnection, username: str, password_hash: str) -> None:
    """Create the login ``username`` or replace its password hash."""
    con.execute(
        "INSERT INTO web_users (username, password_hash) VALUES (?, ?) "
        "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
        [username, password_hash],
    )


def user_hash(con: duckdb.DuckDBPyConnection, username: str) -> str | None:
    """The stored argon2 hash of ``username``, or ``None`` when there is no such login."""
    row = con.execute("SELECT password_hash FROM web_users WHERE username = ?", [username]).fetchone()
    return None if row is None else str(row[0])


def touch_login(con: duckdb.DuckDBPyConnection, username: str) -> None:
    """Record a successful login."""
    con.execute("UPDATE web_users SET last_login_at = now() WHERE username = ?", [username])


def delete_user(con: duckdb.DuckDBPyConnection, username: str) -> bool:
    """Remove a login; ``True`` if it existed."""
    existed = user_hash(con, username) is not None
    con.execute("DELETE FROM web_users WHERE username = ?", [username])
    return existed


def list_users(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every login (without hashes)."""
    rows = con.execute("SELECT username, created_at, last_login_at FROM web_users ORDER BY username").fetchall()
    return [{"username": r[0], "created_at": r[1], "last_login_at": r[2]} for r in rows]


def count_users(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM web_users").fetchone()
    return int(row[0]) if row else 0


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of each canonical table (one query)."""
    parts = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in _COUNT_TABLES)
    return {str(t): int(n) for t, n in con.execute(parts).fetchall()}


def platform_summary(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Per platform: posts, first and last post time, accounts."""
    rows = con.execute(
        f"SELECT p.platform, count(*) AS posts, min({readable_value('created_at')}) AS first_post, "
        f"max({readable_value('created_at')}) AS last_post, "
        "(SELECT count(*) FROM accounts a WHERE a.platform = p.platform) AS accounts "
        "FROM posts p GROUP BY p.platform ORDER BY posts DESC"
    ).fetchall()
    cols = ("platform", "posts", "first_post", "last_post", "accounts")
    return [dict(zip(cols, r, strict=True)) for r in rows]


def recent_imports(con: duckdb.DuckDBPyConnection, limit: int = 50) -> list[dict[str, Any]]:
    """The latest imports, newest first."""
    cur = con.execute(
        "SELECT import_id, file, format, platform, started_at, finished_at, rows_read, rows_loaded, "
        "rows_duplicate, rows_merged, rows_rejected, status FROM imports ORDER BY import_id DESC LIMIT ?",
        [limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def import_rejects(con: duckdb.DuckDBPyConnection, import_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Rejected rows of one import: line, reason and the raw row."""
    cur = con.execute(
        "SELECT import_id, file, line, reason, raw FROM rejects WHERE import_id = ? ORDER BY line LIMIT ?",
        [import_id, limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def import_row(con: duckdb.DuckDBPyConnection, import_id: int) -> dict[str, Any] | None:
    cur = con.execute("SELECT * FROM imports WHERE import_id = ?", [import_id])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return None if row is None else dict(zip(cols, row, strict=True))


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a table exists (a subsystem's migration may not have landed yet)."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
    ).fetchone()
    return bool(row and row[0])


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


INFLUENCER_SORTS: dict[str, str] = {
    "score": "s.score",
    "reach": "s.reach",
    "authority": "s.authority",
    "amplification": "s.amplification",
    "topic": "s.topic",
    "activity": "s.activity",
    "engagement": "s.engagement",
    "followers": "s.followers",
    "handle": "coalesce(a.handle, s.account_id)",
    "segment": "s.segment",
}
"""Columns the Influencers table sorts by (a whitelist: the name never reaches SQL unchecked)."""


def score_platforms(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Platforms that have stored influence scores, most accounts first."""
    if not has_table(con, "influence_scores"):
        return []
    rows = con.execute(
        "SELECT platform FROM influence_scores GROUP BY platform ORDER BY count(*) DESC, platform"
    ).fetchall()
    return [str(r[0]) for r in rows]


def influencer_rows(
    con: duckdb.DuckDBPyConnection,
    platform: str,
    *,
    sort: str = "score",
    descending: bool = True,
    segment: str | None = None,
    q: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Stored influence scores joined with the account (handle, name, bio), sorted, filtered and limited."""
    order = INFLUENCER_SORTS.get(sort, "s.score")
    where, params = ["s.platform = ?"], [platform]
    if segment:
        where.append("s.segment = ?")
        params.append(segment)
    if q:
        where.append("(a.handle ILIKE ? OR a.name ILIKE ? OR a.bio ILIKE ? OR s.account_id = ?)")
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like, like, q]
    stage, join = "NULL", ""
    if has_table(con, "outreach"):
        stage, join = "o.stage", " LEFT JOIN outreach o ON o.platform = s.platform AND o.account_id = s.account_id"
    cur = con.execute(
        "SELECT s.account_id, a.handle, a.name, a.bio, s.score, s.reach, s.authority, s.amplification, s.topic, "
        f"s.activity, s.engagement, s.follows_brand, s.segment, s.top_topics, s.followers, {stage} AS stage, "
        "s.interactions_with_brand FROM influence_scores s LEFT JOIN accounts a "
        f"ON a.platform = s.platform AND a.account_id = s.account_id{join} "
        f"WHERE {' AND '.join(where)} ORDER BY {order} {'DESC' if descending else 'ASC'} NULLS LAST, s.account_id "
        "LIMIT ?",
        [*params, limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def segment_counts(con: duckdb.DuckDBPyConnection, platform: str) -> dict[str, int]:
    """Accounts per segment."""
    rows = con.execute(
        "SELECT segment, count(*) FROM influence_scores WHERE platform = ? GROUP BY segment", [platform]
    ).fetchall()
    return {str(s): int(n) for s, n in rows}


def chart_points(
    con: duckdb.DuckDBPyConnection, platform: str, computed_at: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Accounts for the influence × engagement chart (:func:`signalboost.store.influence_sql.chart_sample_sql`: the
    best scores, every advocate and untapped account among the first thousand, an even sample across the range),
    best first: the sample stored with the run ``computed_at`` (a read of a few hundred rows), else — scores
    written before migration 031 — drawn from ``influence_scores`` now (a rank over every scored account)."""
    from signalboost.store import influence_sql

    if computed_at is not None and has_table(con, "influence_chart"):
        stored = influence_sql.read_chart_sample(con, platform, computed_at)
        if stored is not None:
            return stored
    sql, params = influence_sql.chart_sample_sql(platform)
    cur = con.execute(
        f"SELECT p.account_id, a.handle, p.score, p.engagement, p.segment FROM ({sql}) p "
        "LEFT JOIN accounts a ON a.platform = ? AND a.account_id = p.account_id ORDER BY p.rn",
        [*params, platform],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def recent_touches(con: duckdb.DuckDBPyConnection, limit: int = 15) -> list[dict[str, Any]]:
    """The ledger's latest touches (table ``outreach_events``), newest first: who, which way, what, the note."""
    if not has_table(con, "outreach_events"):
        return []
    cur = con.execute(
        "SELECT occurred_at, platform, account_id, direction, kind, detail, is_ask, note, source "
        "FROM outreach_events ORDER BY occurred_at DESC, event_key LIMIT ?",
        [limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def partner_overlap_rows(con: duckdb.DuckDBPyConnection, limit: int = 100) -> list[dict[str, Any]]:
    """The stored partner overlap (table ``partner_overlap``), best first: most unique reach, most bridges,
    least Jaccard (the order of ``signalboost partners rank``)."""
    if not has_table(con, "partner_overlap"):
        return []
    cur = con.execute(
        "SELECT o.platform, o.account_id, a.handle, a.name, o.computed_at, o.method, o.audience_source, o.audience, "
        "o.our_audience, o.shared, o.jaccard, o.overlap_smaller, o.unique_reach, o.bridges, p.status "
        "FROM partner_overlap o LEFT JOIN accounts a ON a.platform = o.platform AND a.account_id = o.account_id "
        "LEFT JOIN partners p ON p.platform = o.platform AND p.account_id = o.account_id "
        "ORDER BY o.unique_reach DESC NULLS LAST, coalesce(o.bridges, 0) DESC, coalesce(o.jaccard, 0), o.account_id "
        "LIMIT ?",
        [limit],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def stored_pillar_assignments(con: duckdb.DuckDBPyConnection, not_before: dt.datetime) -> pl.DataFrame | None:
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


def only_account_named(con: duckdb.DuckDBPyConnection, platform: str, account_id: str) -> bool:
    """Whether ``account_id`` names exactly one account of ``platform`` — itself, scored, and no other account
    has it as its handle — so a profile lookup by this key cannot mean another account."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM influence_scores WHERE platform = ? AND account_id = ?), "
        "(SELECT count(*) FROM accounts WHERE platform = ? AND account_id <> ? AND lower(handle) = lower(?))",
        [platform, account_id, platform, account_id, account_id.removeprefix("@")],
    ).fetchall()[0]
    return bool(row[0]) and not row[1]


def _arrow_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


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


def bridge_rows(
    con: duckdb.DuckDBPyConnection,
    platform: str,
    brand_ids: list[str],
    candidate_id: str,
    *,
    source: str = "follows",
    threshold: float,
    limit: int = 10,
) -> list[dict[str, Any]]:
    """The bridge influencers of one candidate — account_id, handle, score, best first — as
    ``signalboost.store.outreach_sql.bridge_accounts`` defines them (members of the candidate's audience scoring at
    least ``threshold``, outside our network: our audience, the accounts in whose audience we are, and us), but
    reading only the audience edges that touch the candidate or the brand instead of the whole platform's."""
    owners = [candidate_id, *brand_ids]
    if source == "follows":
        audience = (
            "SELECT follower_id AS member_id, followee_id AS owner_id FROM follows WHERE platform = $platform AND "
            "active AND (list_contains($owners, followee_id) OR list_contains($brand, follower_id))"
        )
    elif source == "interactions":
        audience = (
            "SELECT i.actor_id AS member_id, "
            "CASE WHEN i.target_account_id <> '' THEN i.target_account_id ELSE p.author_id END AS owner_id "
            "FROM (SELECT * FROM interactions WHERE platform = $platform "
            "AND (list_contains($owners, target_account_id) OR list_contains($brand, actor_id) "
            "OR target_post_id IN (SELECT post_id FROM posts "
            "WHERE platform = $platform AND list_contains($owners, author_id)))) i LEFT JOIN posts p "
            "ON p.platform = i.platform AND p.post_id = i.target_post_id AND i.target_account_id = '' "
            "WHERE (i.target_account_id <> '' OR p.author_id IS NOT NULL) "
            "AND i.actor_id <> CASE WHEN i.target_account_id <> '' THEN i.target_account_id ELSE p.author_id END"
        )
    else:
        raise ValueError(f"unknown audience source {source!r}")
    cur = con.execute(
        f"WITH audience AS MATERIALIZED ({audience}), "  # read once, used four times
        "ours AS (SELECT DISTINCT member_id FROM audience WHERE list_contains($brand, owner_id)), "
        "influential AS (SELECT account_id, arg_max(score, computed_at) AS score FROM influence_scores "
        "WHERE platform = $platform AND account_id IN (SELECT member_id FROM audience WHERE owner_id = $cand) "
        "GROUP BY account_id HAVING arg_max(score, computed_at) >= $threshold), "
        "network AS (SELECT member_id AS account_id FROM ours "
        "UNION SELECT owner_id FROM audience WHERE list_contains($brand, member_id) UNION SELECT unnest($brand)) "
        "SELECT DISTINCT a.member_id AS account_id, acc.handle, s.score "
        "FROM audience a JOIN influential s ON s.account_id = a.member_id "
        "LEFT JOIN accounts acc ON acc.platform = $platform AND acc.account_id = a.member_id "
        "WHERE a.owner_id = $cand AND a.member_id NOT IN (SELECT account_id FROM network) "
        "ORDER BY s.score DESC, account_id LIMIT $limit",
        {
            "platform": platform,
            "owners": owners,
            "brand": list(brand_ids),
            "cand": candidate_id,
            "threshold": threshold,
            "limit": limit,
        },
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
