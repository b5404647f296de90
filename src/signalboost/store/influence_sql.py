"""SQL of the influence subsystem: read the canonical tables of a platform, write and read scores.

``influence_scores`` holds the latest run per platform (a run replaces the platform's rows in one transaction);
``influence_runs`` keeps every run's metadata (weights, unavailable components, brand); ``influence_chart`` the
influence × engagement chart's sample of the latest run (migration 031), written with the scores.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.store.queries import has_table, readable_time

SCORE_COLUMNS: tuple[str, ...] = (
    "platform",
    "account_id",
    "computed_at",
    "score",
    "reach",
    "authority",
    "amplification",
    "topic",
    "activity",
    "engagement",
    "follows_brand",
    "segment",
    "top_topics",
    "reciprocity",
    "interactions_with_brand",
    "followers",
    "reach_in_band",
    "pagerank",
    "audience",
    "amplification_raw",
    "posts_per_day",
    "active_share",
    "attention",
)
"""Columns of ``influence_scores`` in table order."""
RAW_COLUMNS: tuple[str, ...] = ("audience", "amplification_raw", "posts_per_day", "active_share", "attention")
"""The raw values of migrations 100 and 032: a writer that does not compute them (the Spark job) stores NULL
(unknown)."""

_READS = {
    "accounts": "SELECT account_id, handle, name, followers, posts_count, is_brand FROM accounts WHERE platform = ?",
    "follows": "SELECT follower_id, followee_id, active FROM follows WHERE platform = ?",
    "interactions": (
        f"SELECT actor_id, kind, target_post_id, target_account_id, {readable_time('occurred_at')}, weight "
        "FROM interactions WHERE platform = ?"
    ),
    "posts": (
        f"SELECT p.post_id, p.author_id, {readable_time('p.created_at')}, p.format, p.hashtags, p.pillars, "
        "m.likes, m.comments, m.shares FROM posts p LEFT JOIN (SELECT post_id, likes, comments, shares "
        "FROM post_metrics WHERE platform = $1 "
        "QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY observed_at DESC) = 1) m USING (post_id) "
        "WHERE p.platform = $1"
    ),
}


def _frame(con: Any, sql: str, params: list[Any]) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(sql, params=params).to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def read_platform(con: Any, platform: str) -> dict[str, pl.DataFrame]:
    """The canonical frames the influence job reads, for one platform (columns as in :mod:`influence.data`)."""
    return {name: _frame(con, sql, [platform]) for name, sql in _READS.items()}


def platforms(con: Any) -> list[tuple[str, int]]:
    """``(platform, interactions + follows)`` for every platform with graph data, most data first."""
    rows = con.execute(
        "SELECT platform, count(*) AS n FROM (SELECT platform FROM interactions UNION ALL "
        "SELECT platform FROM follows UNION ALL SELECT platform FROM accounts) GROUP BY platform "
        "ORDER BY n DESC, platform"
    ).fetchall()
    return [(str(p), int(n)) for p, n in rows]


def brand_accounts(con: Any, platform: str) -> list[str]:
    """Account ids marked ``is_brand`` on the platform."""
    rows = con.execute(
        "SELECT account_id FROM accounts WHERE platform = ? AND is_brand ORDER BY account_id", [platform]
    ).fetchall()
    return [str(r[0]) for r in rows]


def others_engage_with(con: Any, platform: str, brand: str) -> bool:
    """Whether any account but ``brand`` interacted with it or one of its posts on ``platform`` (the whole-platform
    answer of :func:`signalboost.influence.score.engagement_seen`, for views that read a neighbourhood only)."""
    row = con.execute(
        "SELECT EXISTS (SELECT 1 FROM interactions i LEFT JOIN posts p "
        "ON p.platform = i.platform AND p.post_id = i.target_post_id "
        "WHERE i.platform = ? AND i.actor_id <> ? AND (i.target_account_id = ? OR p.author_id = ?))",
        [platform, brand, brand, brand],
    ).fetchone()
    return bool(row[0])


def find_account(con: Any, platform: str | None, handle_or_id: str) -> list[tuple[str, str]]:
    """``(platform, account_id)`` of accounts whose handle (``@`` optional, any case) or id is ``handle_or_id``.

    Accounts only known from interactions or follows are found by id.
    """
    key = handle_or_id.removeprefix("@")
    sql = (
        "SELECT DISTINCT platform, account_id FROM ("
        " SELECT platform, account_id FROM accounts WHERE lower(handle) = lower(?) OR account_id = ?"
        " UNION ALL SELECT platform, actor_id FROM interactions WHERE actor_id = ?"
        " UNION ALL SELECT platform, target_account_id FROM interactions WHERE target_account_id = ?"
        " UNION ALL SELECT platform, followee_id FROM follows WHERE followee_id = ?"
        " UNION ALL SELECT platform, follower_id FROM follows WHERE follower_id = ?"
        ") WHERE platform = coalesce(?, platform) ORDER BY platform, account_id"
    )
    rows = con.execute(sql, [key, key, key, key, key, key, platform]).fetchall()
    return [(str(p), str(a)) for p, a in rows]


def mark_brand(con: Any, platform: str, account_id: str, *, handle: str | None = None) -> None:
    """Mark ``account_id`` as the brand's account on ``platform`` (creating the account row if needed);
    any other account of the platform loses the mark."""
    con.execute("UPDATE accounts SET is_brand = FALSE WHERE platform = ? AND is_brand", [platform])
    con.execute(
        "INSERT INTO accounts (platform, account_id, handle, is_brand, source) VALUES (?, ?, ?, TRUE, 'influence') "
        "ON CONFLICT (platform, account_id) DO UPDATE SET is_brand = TRUE",
        [platform, account_id, handle],
    )


def write_scores(con: Any, table: pl.DataFrame, run: dict[str, Any]) -> int:
    """Replace the platform's rows of ``influence_scores`` with ``table`` and record the run; return rows written.

    Call inside ``Workspace.transaction()`` so a failure leaves the previous scores in place.
    """
    table = table.with_columns(pl.lit(None, pl.Float64).alias(c) for c in RAW_COLUMNS if c not in table.columns)
    missing = [c for c in SCORE_COLUMNS if c not in table.columns]
    if missing:
        raise InfluenceError(
            L_("score table lacks column(s) {choices}", choices=", ".join(missing)), where="influence_scores"
        )
    platforms_in = table["platform"].unique().to_list()
    if len(platforms_in) > 1:
        raise InfluenceError(L_("one run writes one platform"), where=f"platforms {platforms_in}")
    rows = table.select(SCORE_COLUMNS).to_arrow()  # noqa: F841  (read by DuckDB's replacement scan)
    platform = run["platform"]
    con.execute("DELETE FROM influence_scores WHERE platform = ?", [platform])
    con.execute(f"INSERT INTO influence_scores ({', '.join(SCORE_COLUMNS)}) SELECT * FROM rows")
    con.execute(
        "INSERT OR REPLACE INTO influence_runs (platform, computed_at, brand_account_id, accounts, weights, "
        "unavailable, follows_brand_from, settings, seconds, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            platform,
            run["computed_at"],
            run.get("brand_account_id"),
            table.height,
            json.dumps(run.get("weights", {})),
            json.dumps(run.get("unavailable", {})),
            run.get("follows_brand_from"),
            json.dumps(run.get("settings", {})),
            run.get("seconds"),
            json.dumps(run.get("notes", [])),
        ],
    )
    write_chart_sample(con, platform, run["computed_at"])
    return table.height


CHART_TOP = 150
"""The chart sample holds the ``CHART_TOP`` best scores, ..."""
CHART_SEGMENT_RANKS = 1000
"""... every advocate and untapped account among the first ``CHART_SEGMENT_RANKS``, ..."""
CHART_SPREAD = 250
"""... and every k-th account, k = n // ``CHART_SPREAD`` + 1 (about ``CHART_SPREAD`` across the whole range)."""

_CHART_SAMPLE = (
    "WITH ranked AS (SELECT account_id, score, CAST(interactions_with_brand AS DOUBLE) AS engagement, segment, "
    "row_number() OVER (ORDER BY score DESC, account_id) AS rn "
    "FROM influence_scores WHERE platform = ? AND score IS NOT NULL), "
    "total AS (SELECT count(*) AS n FROM influence_scores WHERE platform = ? AND score IS NOT NULL) "
    "SELECT r.rn, r.account_id, r.score, r.engagement, r.segment FROM ranked r, total t WHERE r.rn <= ? "
    "OR (r.rn <= ? AND r.segment IN ('advocate', 'untapped')) OR r.rn % (t.n // ? + 1) = 0"
)


def chart_sample_sql(platform: str, top: int = CHART_TOP, spread: int = CHART_SPREAD) -> tuple[str, list[Any]]:
    """The query drawing the chart's sample from ``influence_scores``: columns ``rn, account_id, score, engagement,
    segment`` — ``engagement`` here is the count of interactions with the brand in the engagement window, the
    quantity the segments' threshold applies to (rank by score DESC then account_id; the three rules of
    :data:`CHART_TOP`, :data:`CHART_SEGMENT_RANKS` and :data:`CHART_SPREAD`), unordered."""
    return _CHART_SAMPLE, [platform, platform, top, CHART_SEGMENT_RANKS, spread]


def write_chart_sample(con: Any, platform: str, computed_at: Any) -> int:
    """Replace the platform's rows of ``influence_chart`` with the sample of its stored scores; return its size.

    Called by :func:`write_scores` (same transaction), so every run — single machine or Spark — stores its sample
    and the dashboard reads a few hundred rows instead of ranking all scored accounts per request.
    """
    sql, params = chart_sample_sql(platform)
    con.execute("DELETE FROM influence_chart WHERE platform = ?", [platform])
    con.execute(
        "INSERT INTO influence_chart (platform, computed_at, rn, account_id, score, engagement, segment) "
        f"SELECT ?, ?, rn, account_id, score, engagement, segment FROM ({sql})",
        [platform, computed_at, *params],
    )
    row = con.execute("SELECT count(*) FROM influence_chart WHERE platform = ?", [platform]).fetchone()
    return int(row[0]) if row else 0


def read_chart_sample(con: Any, platform: str, computed_at: Any) -> list[dict[str, Any]] | None:
    """The stored chart sample of the run ``computed_at`` (best score first, with the account's current handle),
    or ``None`` when none is stored for that run (scores written before migration 031): then compute it with
    :func:`chart_sample_sql`."""
    cur = con.execute(
        "SELECT c.account_id, a.handle, c.score, c.engagement, c.segment FROM influence_chart c "
        "LEFT JOIN accounts a ON a.platform = c.platform AND a.account_id = c.account_id "
        "WHERE c.platform = ? AND c.computed_at = ? ORDER BY c.rn",
        [platform, computed_at],
    )
    rows = cur.fetchall()
    if not rows:
        return None
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in rows]


def read_scores(
    con: Any,
    platform: str,
    *,
    segment: str | None = None,
    limit: int | None = None,
    account_ids: list[str] | None = None,
) -> pl.DataFrame:
    """Stored scores of a platform, listing order (untapped first, then by score), optionally filtered; with the
    account's handle and display name, ``rank`` by score among the platform's scored accounts (1 = best, ties share;
    NULL without a score) and ``ranked`` (how many have a score)."""
    where, params = ["TRUE"], [platform]
    if segment is not None:
        where.append("s.segment = ?")
        params.append(segment)
    if account_ids is not None:
        where.append("list_contains(?, s.account_id)")
        params.append(account_ids)  # type: ignore[arg-type]
    sql = (
        "SELECT * FROM (SELECT s.*, a.handle, a.name, CASE WHEN s.score IS NULL THEN NULL ELSE "
        "rank() OVER (ORDER BY s.score DESC NULLS LAST) END AS rank, count(s.score) OVER () AS ranked "
        "FROM influence_scores s LEFT JOIN accounts a ON a.platform = s.platform AND a.account_id = s.account_id "
        f"WHERE s.platform = ?) s WHERE {' AND '.join(where)} ORDER BY "
        "CASE s.segment WHEN 'untapped' THEN 0 WHEN 'advocate' THEN 1 WHEN 'thought_leader' THEN 2 "
        "WHEN 'fan' THEN 3 ELSE 4 END, s.score DESC NULLS LAST, s.account_id"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return _frame(con, sql, params)


def latest_run(con: Any, platform: str) -> dict[str, Any] | None:
    """The metadata of the platform's latest run (weights and unavailable components decoded), or None."""
    row = con.execute(
        "SELECT platform, computed_at, brand_account_id, accounts, weights, unavailable, follows_brand_from, "
        "settings, seconds, notes FROM influence_runs WHERE platform = ? ORDER BY computed_at DESC LIMIT 1",
        [platform],
    ).fetchone()
    if row is None:
        return None
    keys = ("platform", "computed_at", "brand_account_id", "accounts", "weights", "unavailable")
    out = dict(zip(keys, row[:6], strict=True))
    out["weights"] = json.loads(row[4])
    out["unavailable"] = json.loads(row[5])
    out.update(follows_brand_from=row[6], settings=json.loads(row[7] or "{}"), seconds=row[8])
    out["notes"] = json.loads(row[9] or "[]")
    return out


def segment_counts(con: Any, platform: str) -> dict[str, int]:
    """Accounts per segment in the platform's stored scores."""
    rows = con.execute(
        "SELECT segment, count(*) FROM influence_scores WHERE platform = ? GROUP BY segment", [platform]
    ).fetchall()
    return {str(s): int(n) for s, n in rows}


def insert_frame(con: Any, table: str, frame: pl.DataFrame) -> int:
    """Append ``frame`` to a canonical table by column name (for tests, benchmarks and the demo's fallback
    loader — importers own real imports)."""
    if table not in {"accounts", "follows", "interactions", "posts"}:
        raise InfluenceError(L_("insert_frame does not write table {table!r}", table=table))
    data = frame.to_arrow()  # noqa: F841
    cols = ", ".join(frame.columns)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM data")
    return frame.height


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


def score_platforms(con: Any) -> list[str]:
    """Platforms that have stored influence scores, most accounts first."""
    if not has_table(con, "influence_scores"):
        return []
    rows = con.execute(
        "SELECT platform FROM influence_scores GROUP BY platform ORDER BY count(*) DESC, platform"
    ).fetchall()
    return [str(r[0]) for r in rows]


def influencer_rows(
    con: Any,
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


def chart_points(con: Any, platform: str, computed_at: Any = None) -> list[dict[str, Any]]:
    """Accounts for the influence × engagement chart (:func:`signalboost.store.chart_sample_sql`: the
    best scores, every advocate and untapped account among the first thousand, an even sample across the range),
    best first: the sample stored with the run ``computed_at`` (a read of a few hundred rows), else — scores
    written before migration 031 — drawn from ``influence_scores`` now (a rank over every scored account)."""
    if computed_at is not None and has_table(con, "influence_chart"):
        stored = read_chart_sample(con, platform, computed_at)
        if stored is not None:
            return stored
    sql, params = chart_sample_sql(platform)
    cur = con.execute(
        f"SELECT p.account_id, a.handle, p.score, p.engagement, p.segment FROM ({sql}) p "
        "LEFT JOIN accounts a ON a.platform = ? AND a.account_id = p.account_id ORDER BY p.rn",
        [*params, platform],
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
