"""All SQL of live accounts: connections, the sync streams' state, writing synced rows, publish state.

Synced rows go through the importers' staging and merge (:mod:`signalboost.store.ingest_sql`), so a sync writes
the canonical tables exactly as an import does (same de-duplication, same ``imports`` log).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from signalboost.ingest.base import SCHEMAS, FollowSnapshot
from signalboost.store import ingest_sql as q

_STATE_COLS = (
    "head",
    "cursor",
    "run_head",
    "run_started",
    "run_observed_at",
    "run_import_id",
    "pages",
)


# ---------------------------------------------------------------------------------------------- connections
def put_connection(con: Any, platform: str, account_id: str, handle: str, service: str) -> None:
    con.execute(
        "INSERT INTO connections (platform, account_id, handle, service, connected_at) VALUES (?, ?, ?, ?, now()) "
        "ON CONFLICT (platform) DO UPDATE SET account_id = excluded.account_id, handle = excluded.handle, "
        "service = excluded.service, connected_at = excluded.connected_at",
        [platform, account_id, handle, service],
    )


def connection_rows(con: Any) -> list[dict[str, Any]]:
    cur = con.execute(
        "SELECT platform, handle, account_id, service, connected_at, last_sync_at, last_import "
        "FROM connections ORDER BY platform"
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def delete_connection(con: Any, platform: str) -> int:
    n = con.execute("SELECT count(*) FROM connections WHERE platform = ?", [platform]).fetchone()[0]
    con.execute("DELETE FROM connections WHERE platform = ?", [platform])
    con.execute("DELETE FROM sync_state WHERE platform = ?", [platform])
    return int(n)


# ---------------------------------------------------------------------------------------------- stream state
def get_state(con: Any, platform: str, account_id: str, stream: str) -> dict[str, Any]:
    """The state of one stream (defaults when it never ran)."""
    row = con.execute(
        f"SELECT {', '.join(_STATE_COLS)} FROM sync_state WHERE platform = ? AND account_id = ? AND stream = ?",
        [platform, account_id, stream],
    ).fetchone()
    if row is None:
        return {c: None for c in _STATE_COLS} | {"run_started": False, "pages": 0}
    return dict(zip(_STATE_COLS, row, strict=True))


def put_state(con: Any, platform: str, account_id: str, stream: str, state: dict[str, Any]) -> None:
    cols = ", ".join(_STATE_COLS)
    marks = ", ".join("?" for _ in _STATE_COLS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in _STATE_COLS)
    con.execute(
        f"INSERT INTO sync_state (platform, account_id, stream, {cols}, updated_at) VALUES (?, ?, ?, {marks}, now()) "
        f"ON CONFLICT (platform, account_id, stream) DO UPDATE SET {updates}, updated_at = now()",
        [platform, account_id, stream, *(state[c] for c in _STATE_COLS)],
    )


def delete_state(con: Any, platform: str, account_id: str, stream: str) -> None:
    con.execute(
        "DELETE FROM sync_state WHERE platform = ? AND account_id = ? AND stream = ?", [platform, account_id, stream]
    )


# ---------------------------------------------------------------------------------------------- the imports log
def start_import(con: Any, *, file: str, platform: str, started_at: dt.datetime) -> int:
    import_id = q.new_import_id(con)
    q.record_import(
        con,
        {
            "import_id": import_id,
            "file": file,
            "format": f"{platform}-api",
            "platform": platform,
            "started_at": started_at,
            "rows_read": 0,
            "rows_loaded": 0,
            "rows_duplicate": 0,
            "rows_rejected": 0,
            "rows_merged": 0,
            "status": "running",
        },
    )
    return import_id


def count_import(con: Any, import_id: int, read: int, loaded: int, duplicate: int, merged: int) -> None:
    con.execute(
        "UPDATE imports SET rows_read = rows_read + ?, rows_loaded = rows_loaded + ?, "
        "rows_duplicate = rows_duplicate + ?, rows_merged = rows_merged + ? WHERE import_id = ?",
        [read, loaded, duplicate, merged, import_id],
    )


def close_import(con: Any, import_id: int) -> None:
    """Mark the ``imports`` row done, now."""
    con.execute("UPDATE imports SET finished_at = now(), status = 'done' WHERE import_id = ?", [import_id])


def finish_import(con: Any, import_id: int, platform: str) -> None:
    """Mark the ``imports`` row of a sync done and record it as the connection's last sync."""
    close_import(con, import_id)
    con.execute(
        "UPDATE connections SET last_sync_at = now(), last_import = ? WHERE platform = ?", [import_id, platform]
    )


def import_row(con: Any, import_id: int) -> dict[str, Any]:
    cur = con.execute("SELECT * FROM imports WHERE import_id = ?", [import_id])
    cols = [d[0] for d in cur.description]
    return dict(zip(cols, cur.fetchone(), strict=True))


# ---------------------------------------------------------------------------------------------- writing rows
def write_rows(con: Any, rows: dict[str, list[dict[str, Any]]], import_id: int) -> tuple[int, int, int, int]:
    """Merge canonical rows into their tables as an import does: ``(read, loaded, duplicate, merged)``."""
    q.create_stages(con)
    read = loaded = duplicate = merged = 0
    try:
        for table in ("accounts", "account_snapshots", "posts", "post_metrics", "follows", "interactions"):
            batch = rows.get(table) or []
            if not batch:
                continue
            q.append_arrow(con, table, pa.Table.from_pylist(batch, schema=SCHEMAS[table]))
            got = q.merge(con, table, str(import_id))
            read += len(batch)
            loaded, duplicate, merged = loaded + got[0], duplicate + got[1], merged + got[2]
    finally:
        q.drop_stages(con)
    return read, loaded, duplicate, merged


def mark_unfollows(con: Any, platform: str, account_id: str, side: str, observed_at: dt.datetime) -> int:
    """After a complete pass of an account's followers (``side='followee'``) or follows (``'follower'``)."""
    return q.mark_unfollows(con, FollowSnapshot(platform, account_id, side, observed_at))


def accounts_to_profile(
    con: Any, platform: str, *, after: str = "", everyone: bool = False, limit: int = 100
) -> list[str]:
    """The next ``limit`` accounts (by id, after ``after``) whose full profile is fetched: those seen in lists
    without a follower count yet, or with ``everyone`` every account of the platform (a full refresh)."""
    missing = "" if everyone else " AND followers IS NULL"
    return [
        str(r[0])
        for r in con.execute(
            f"SELECT account_id FROM accounts WHERE platform = ? AND account_id > ?{missing} "
            "ORDER BY account_id LIMIT ?",
            [platform, after, limit],
        ).fetchall()
    ]


def refresh_accounts(con: Any, rows: list[dict[str, Any]], import_id: int) -> int:
    """Full profiles looked up this run: their values replace the stored ones (a merge would keep the counts
    of an earlier look when this run already saw the account in a list at the same ``observed_at``)."""
    if not rows:
        return 0
    con.register("_profiles", pa.Table.from_pylist(rows, schema=SCHEMAS["accounts"]))
    try:
        con.execute(
            "UPDATE accounts AS t SET handle = coalesce(p.handle, t.handle), name = coalesce(p.name, t.name), "
            "bio = coalesce(p.bio, t.bio), followers = p.followers, following = p.following, "
            "posts_count = p.posts_count, created_at = coalesce(p.created_at, t.created_at), "
            "observed_at = p.observed_at, source = ? "
            "FROM _profiles p WHERE t.platform = p.platform AND t.account_id = p.account_id",
            [str(import_id)],
        )
    finally:
        con.unregister("_profiles")
    return len(rows)


# ---------------------------------------------------------------------------------------------- publications
_PUB_COLS = (
    "plan_id",
    "platform",
    "text",
    "record_key",
    "state",
    "attempts",
    "intent_at",
    "post_id",
    "url",
    "published_at",
    "error",
)


def due_posts(con: Any, network: str, now: dt.datetime) -> list[dict[str, Any]]:
    """Approved posts of ``network`` due at ``now`` not yet sent, and posts whose send was interrupted."""
    cur = con.execute(
        "SELECT p.plan_id, p.scheduled_at, p.draft, p.status, u.state, u.record_key, u.attempts, u.intent_at "
        "FROM planned_posts p LEFT JOIN publications u USING (plan_id) "
        "WHERE p.network = ? AND ((p.status = 'approved' AND p.scheduled_at <= ? "
        "AND coalesce(u.state, '') NOT IN ('sent', 'failed')) OR u.state = 'sending') "
        "ORDER BY p.scheduled_at, p.plan_id",
        [network, now],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def put_publication(con: Any, values: dict[str, Any]) -> None:
    cols = [c for c in _PUB_COLS if c in values]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c != "plan_id")
    con.execute(
        f"INSERT INTO publications ({', '.join(cols)}, updated_at) VALUES ({', '.join('?' for _ in cols)}, now()) "
        f"ON CONFLICT (plan_id) DO UPDATE SET {updates}, updated_at = now()",
        [values[c] for c in cols],
    )


def set_plan_status(con: Any, plan_id: str, status: str) -> None:
    con.execute(
        "UPDATE planned_posts SET status = ?, sequence = sequence + 1, touched = TRUE, updated_at = now() "
        "WHERE plan_id = ?",
        [status, plan_id],
    )


def publication_outcomes(con: Any, plan_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Per planned post: its publication's state, attempts, last error (why it failed or is retried; never a
    credential), URL and time — what the calendar, the CLI and the dashboard show beside the post."""
    if not plan_ids:
        return {}
    cur = con.execute(
        "SELECT plan_id, state, attempts, error, url, published_at FROM publications WHERE list_contains(?, plan_id)",
        [plan_ids],
    )
    cols = [d[0] for d in cur.description]
    return {str(r[0]): dict(zip(cols, r, strict=True)) for r in cur.fetchall()}


def publication_rows(con: Any) -> list[dict[str, Any]]:
    cur = con.execute(f"SELECT {', '.join(_PUB_COLS)}, updated_at FROM publications ORDER BY intent_at")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def posts_missing_replies(con: Any, platform: str, account_id: str, observed_at: dt.datetime) -> list[str]:
    """Own posts whose reply count observed at ``observed_at`` exceeds the replies stored for them."""
    return [
        str(r[0])
        for r in con.execute(
            "SELECT m.post_id FROM post_metrics m JOIN posts p USING (platform, post_id) "
            "WHERE m.platform = ? AND p.author_id = ? AND m.observed_at = ? AND m.comments > "
            "(SELECT count(*) FROM interactions i WHERE i.platform = m.platform AND i.kind = 'reply' "
            "AND i.target_post_id = m.post_id) ORDER BY m.post_id",
            [platform, account_id, observed_at],
        ).fetchall()
    ]


def record_published_post(
    con: Any, platform: str, post_id: str, author_id: str, created_at: dt.datetime, url: str, plan_id: str
) -> None:
    """The published post into ``posts`` at once, carrying its planned pillars and tactic (so analytics per
    pillar see it; a later sync completes it and never erases them); ``photo`` when it carries images (migration
    140), as a sync reads an image embed, else ``text``."""
    con.execute(
        "INSERT INTO posts (platform, post_id, author_id, created_at, text, format, url, pillars, tactic, source) "
        "SELECT ?, ?, ?, ?, draft, CASE WHEN EXISTS (SELECT 1 FROM planned_media m "
        "WHERE m.plan_id = planned_posts.plan_id AND m.part = 0) THEN 'photo' ELSE 'text' END, "
        "?, pillars, tactic, 'publish' FROM planned_posts WHERE plan_id = ? "
        "ON CONFLICT (platform, post_id) DO UPDATE SET pillars = coalesce(posts.pillars, excluded.pillars), "
        "tactic = coalesce(posts.tactic, excluded.tactic)",
        [platform, post_id, author_id, created_at, url, plan_id],
    )


def next_approved_at(con: Any, networks: list[str]) -> dt.datetime | None:
    """The earliest scheduled time of an approved post of ``networks`` not yet sent or failed (the scheduler
    wakes then), or ``None``."""
    if not networks:
        return None
    marks = ", ".join("?" for _ in networks)
    row = con.execute(
        "SELECT min(p.scheduled_at) FROM planned_posts p LEFT JOIN publications u USING (plan_id) "
        f"WHERE p.network IN ({marks}) AND p.status = 'approved' AND coalesce(u.state, '') NOT IN ('sent', 'failed')",
        networks,
    ).fetchone()
    return None if row is None or row[0] is None else row[0].astimezone(dt.UTC)


def stream_rows(con: Any, platform: str, account_id: str) -> list[dict[str, Any]]:
    """Each stream's sync state for the Connections page: when its last complete pass observed the account
    (``last_pass_at``), whether a pass is in progress (interrupted or running) and its pages, when last written."""
    cur = con.execute(
        "SELECT stream, run_started AS in_progress, run_observed_at, pages, updated_at FROM sync_state "
        "WHERE platform = ? AND account_id = ? AND stream <> 'run' ORDER BY stream",
        [platform, account_id],
    )
    cols = [d[0] for d in cur.description]
    out = []
    for r in cur.fetchall():
        row = dict(zip(cols, r, strict=True))
        row["last_pass_at"] = None if row["in_progress"] else row["run_observed_at"]
        out.append(row)
    return out


def account_counts(con: Any, platform: str, account_id: str) -> dict[str, Any]:
    """What the workspace holds of one connected account: active followers and follows, own posts,
    interactions with it or its posts, and its latest profile snapshot (counts as the network reported them)."""
    followers, follows = con.execute(
        "SELECT count(*) FILTER (WHERE followee_id = ?), count(*) FILTER (WHERE follower_id = ?) FROM follows "
        "WHERE platform = ? AND active AND (followee_id = ? OR follower_id = ?)",
        [account_id, account_id, platform, account_id, account_id],
    ).fetchone()
    posts = con.execute(
        "SELECT count(*) FROM posts WHERE platform = ? AND author_id = ?", [platform, account_id]
    ).fetchone()[0]
    interactions = con.execute(
        "SELECT count(*) FROM interactions i WHERE i.platform = ? AND (i.target_account_id = ? OR i.target_post_id "
        "IN (SELECT post_id FROM posts WHERE platform = ? AND author_id = ?))",
        [platform, account_id, platform, account_id],
    ).fetchone()[0]
    snap = con.execute(
        "SELECT observed_at, followers, following, posts_count FROM account_snapshots "
        "WHERE platform = ? AND account_id = ? ORDER BY observed_at DESC LIMIT 1",
        [platform, account_id],
    ).fetchone()
    return {
        "followers_stored": int(followers),
        "follows_stored": int(follows),
        "posts_stored": int(posts),
        "interactions_stored": int(interactions),
        "snapshot_at": snap[0] if snap else None,
        "followers_reported": snap[1] if snap else None,
        "following_reported": snap[2] if snap else None,
        "posts_reported": snap[3] if snap else None,
    }
