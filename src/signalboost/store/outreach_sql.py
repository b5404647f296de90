"""SQL of the outreach subsystem: pipeline, ledger, relationship KPIs' inputs and partner audience overlap.

Every function takes an open DuckDB connection (from ``Workspace.connect``/``transaction``) and returns plain
Python rows or Polars frames; the algorithms in ``signalboost.outreach`` never see SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from signalboost.store.queries import dict_rows, has_table, readable, readable_value

if TYPE_CHECKING:  # polars is imported where it is used: importing it costs every command ~25 MB
    import polars as pl

OUTREACH_COLUMNS: tuple[str, ...] = (
    "platform",
    "account_id",
    "handle",
    "stage",
    "mode",
    "offer_kind",
    "offer",
    "cost",
    "owner",
    "next_step",
    "due_date",
    "notes",
    "source",
    "created_at",
    "updated_at",
)
_COLS = ", ".join(OUTREACH_COLUMNS)


def frame(con: Any, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> pl.DataFrame:
    """Run a read query and return a Polars frame (through Arrow, no extra copy)."""
    import polars as pl

    rel = con.sql(query, params=params if params is not None else [])
    out = pl.from_arrow(rel.to_arrow_table())
    assert isinstance(out, pl.DataFrame)
    return out


def quiet(con: Any) -> None:
    """Turn off DuckDB's progress bar on this connection: it prints to stdout and would break ``--format json``."""
    con.execute("SET enable_progress_bar = false")


def has_influence_scores(con: Any) -> bool:
    """Whether table ``influence_scores`` (migration 030) exists and holds at least one row."""
    if not has_table(con, "influence_scores"):
        return False
    return bool(con.execute("SELECT count(*) > 0 FROM influence_scores").fetchall()[0][0])


# ---------------------------------------------------------------------------------------------- pipeline
def fetch_outreach(con: Any, platform: str, account_id: str) -> dict[str, Any] | None:
    rows = dict_rows(
        con.execute(f"SELECT {_COLS} FROM outreach WHERE platform = ? AND account_id = ?", [platform, account_id])
    )
    return rows[0] if rows else None


def list_outreach(con: Any, *, stage: str | None = None, platform: str | None = None) -> list[dict[str, Any]]:
    where, params = ["TRUE"], []
    if stage is not None:
        where.append("stage = ?")
        params.append(stage)
    if platform is not None:
        where.append("platform = ?")
        params.append(platform)
    query = (
        f"SELECT {_COLS} FROM outreach WHERE {' AND '.join(where)} "
        "ORDER BY due_date NULLS LAST, lower(coalesce(handle, account_id)), platform"
    )
    return dict_rows(con.execute(query, params))


def insert_outreach(con: Any, row: Mapping[str, Any]) -> None:
    marks = ", ".join("?" for _ in OUTREACH_COLUMNS)
    con.execute(f"INSERT INTO outreach ({_COLS}) VALUES ({marks})", [row.get(c) for c in OUTREACH_COLUMNS])


def update_outreach(con: Any, platform: str, account_id: str, changes: Mapping[str, Any]) -> None:
    cols = [c for c in changes if c in OUTREACH_COLUMNS and c not in ("platform", "account_id")]
    if not cols:
        return
    sets = ", ".join(f"{c} = ?" for c in cols)
    con.execute(
        f"UPDATE outreach SET {sets} WHERE platform = ? AND account_id = ?",
        [changes[c] for c in cols] + [platform, account_id],
    )


def insert_history(
    con: Any,
    platform: str,
    account_id: str,
    from_stage: str | None,
    to_stage: str,
    moved_at: Any,
    moved_by: str | None,
    note: str | None,
) -> None:
    con.execute(
        "INSERT INTO outreach_stage_history (platform, account_id, from_stage, to_stage, moved_at, moved_by, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [platform, account_id, from_stage, to_stage, moved_at, moved_by, note],
    )


def stage_history(con: Any, platform: str, account_id: str) -> list[dict[str, Any]]:
    return dict_rows(
        con.execute(
            "SELECT platform, account_id, from_stage, to_stage, moved_at, moved_by, note FROM outreach_stage_history "
            "WHERE platform = ? AND account_id = ? ORDER BY moved_at, history_id",
            [platform, account_id],
        )
    )


def find_account(con: Any, text: str, *, platform: str | None = None) -> list[tuple[str, str, str | None]]:
    """``(platform, account_id, handle)`` of accounts whose handle (case-insensitive) or id is ``text``: in the
    pipeline, the imported accounts, or — by id only, handle None — the scored, interacting, interacted-with or
    follow-graph accounts (an account known only from interactions or the imported follow graph has no
    ``accounts`` row, yet ``influencers`` finds it as the brand)."""
    query = """
        SELECT platform, account_id, handle FROM outreach
        WHERE (lower(handle) = lower($t) OR account_id = $t) AND ($p IS NULL OR platform = $p)
        UNION
        SELECT platform, account_id, handle FROM accounts
        WHERE (lower(handle) = lower($t) OR account_id = $t) AND ($p IS NULL OR platform = $p)
        UNION
        SELECT DISTINCT platform, account_id, NULL FROM influence_scores
        WHERE account_id = $t AND ($p IS NULL OR platform = $p)
        UNION
        SELECT DISTINCT platform, actor_id, NULL FROM interactions
        WHERE actor_id = $t AND ($p IS NULL OR platform = $p)
        UNION
        SELECT DISTINCT platform, target_account_id, NULL FROM interactions
        WHERE target_account_id = $t AND ($p IS NULL OR platform = $p)
        UNION
        SELECT DISTINCT platform, followee_id, NULL FROM follows
        WHERE followee_id = $t AND ($p IS NULL OR platform = $p)
        UNION
        SELECT DISTINCT platform, follower_id, NULL FROM follows
        WHERE follower_id = $t AND ($p IS NULL OR platform = $p)
        ORDER BY 1, 2
    """
    rows = con.execute(query, {"t": text, "p": platform}).fetchall()
    seen: dict[tuple[str, str], str | None] = {}
    for p, a, h in rows:
        if (p, a) not in seen or seen[(p, a)] is None:
            seen[(p, a)] = h
    return [(p, a, h) for (p, a), h in seen.items()]


def due_records(con: Any, today: Any) -> list[dict[str, Any]]:
    return dict_rows(
        con.execute(
            f"SELECT {_COLS} FROM outreach WHERE due_date IS NOT NULL AND due_date <= ? ORDER BY due_date", [today]
        )
    )


# ------------------------------------------------------------------------------------------------ brand
def brand_account_ids(con: Any, platform: str | None, handles: Sequence[str]) -> list[tuple[str, str]]:
    """``(platform, account_id)`` of the brand: accounts flagged ``is_brand`` or named by the strategy's handles."""
    names = [h.strip().lstrip("@").lower() for h in handles if h.strip()]
    rows = con.execute(
        """
        SELECT DISTINCT platform, account_id FROM accounts
        WHERE ($p IS NULL OR platform = $p)
          AND (is_brand OR list_contains($names, lower(handle)) OR list_contains($names, lower(account_id)))
        ORDER BY 1, 2
        """,
        {"p": platform, "names": names},
    ).fetchall()
    return [(str(p), str(a)) for p, a in rows]


# ----------------------------------------------------------------------------------------------- ledger
EVENT_COLUMNS: tuple[str, ...] = (
    "event_key",
    "platform",
    "account_id",
    "direction",
    "kind",
    "detail",
    "is_ask",
    "post_id",
    "occurred_at",
    "note",
    "source",
)

#: The natural key of a touch, as SQL; ledger.event_key computes the same string in Python.
EVENT_KEY_SQL = "md5(concat_ws('|', {p}, {a}, {d}, {k}, {post}, CAST(epoch_us({t}) AS VARCHAR)))"


def event_count(con: Any) -> int:
    rows = con.execute("SELECT count(*) FROM outreach_events").fetchall()
    return int(rows[0][0])


def insert_events(con: Any, rows: Sequence[Mapping[str, Any]]) -> int:
    """Insert touches, ignoring those whose natural key is already stored; return how many were new."""
    before = event_count(con)
    marks = ", ".join("?" for _ in EVENT_COLUMNS)
    cols = ", ".join(EVENT_COLUMNS)
    for row in rows:
        con.execute(
            f"INSERT INTO outreach_events ({cols}) VALUES ({marks}) ON CONFLICT DO NOTHING",
            [row.get(c) for c in EVENT_COLUMNS],
        )
    return event_count(con) - before


_SYNC_SQL = """
INSERT INTO outreach_events ({cols})
WITH brand AS (SELECT unnest($brand) AS account_id),
ours_posts AS (
    SELECT p.post_id FROM posts p WHERE p.platform = $platform AND p.author_id IN (SELECT account_id FROM brand)
),
theirs AS (
    SELECT i.platform, i.actor_id AS account_id, 'theirs' AS direction,
           CASE WHEN i.kind IN ('repost', 'quote') THEN 'amplification' ELSE 'interaction' END AS kind,
           i.kind AS detail, FALSE AS is_ask, i.target_post_id AS post_id, i.occurred_at
    FROM interactions i JOIN outreach o ON o.platform = i.platform AND o.account_id = i.actor_id
    WHERE i.platform = $platform AND READABLE_OCCURRED
      AND (i.target_account_id IN (SELECT account_id FROM brand)
           OR i.target_post_id IN (SELECT post_id FROM ours_posts))
),
their_posts AS (
    SELECT p.post_id, p.author_id FROM posts p JOIN outreach o ON o.platform = p.platform AND o.account_id = p.author_id
    WHERE p.platform = $platform
),
ours AS (
    SELECT i.platform, coalesce(tp.author_id, i.target_account_id) AS account_id, 'ours' AS direction,
           CASE i.kind WHEN 'like' THEN 'like' WHEN 'reply' THEN 'reply' ELSE 'share' END AS kind,
           i.kind AS detail, FALSE AS is_ask, i.target_post_id AS post_id, i.occurred_at
    FROM interactions i LEFT JOIN their_posts tp ON tp.post_id = i.target_post_id AND i.target_post_id <> ''
    WHERE i.platform = $platform AND READABLE_OCCURRED
      AND i.actor_id IN (SELECT account_id FROM brand)
      AND coalesce(tp.author_id, i.target_account_id) IN
          (SELECT account_id FROM outreach WHERE platform = $platform)
),
touches AS (SELECT * FROM theirs UNION ALL SELECT * FROM ours)
SELECT DISTINCT {key} AS event_key, platform, account_id, direction, kind, detail, is_ask, post_id, occurred_at,
       NULL AS note, 'import' AS source
FROM touches
ON CONFLICT DO NOTHING
""".replace("READABLE_OCCURRED", readable("i.occurred_at"))  # times a reader can hold (issue 18)


def sync_events_from_interactions(con: Any, platform: str, brand_ids: Sequence[str]) -> int:
    """Fill the ledger from imported interactions between the brand and pipeline accounts; return new touches.

    Theirs: their like/reply/mention of the brand or its posts (``interaction``), repost/quote (``amplification``).
    Ours: the brand's like → like, reply → reply, repost/quote/mention → share, on their posts or account.
    """
    quiet(con)
    key = EVENT_KEY_SQL.format(p="platform", a="account_id", d="direction", k="kind", post="post_id", t="occurred_at")
    query = _SYNC_SQL.format(cols=", ".join(EVENT_COLUMNS), key=key)
    before = event_count(con)
    con.execute(query, {"brand": list(brand_ids), "platform": platform})
    return event_count(con) - before


def events_frame(
    con: Any, *, platform: str | None = None, account_id: str | None = None, since: Any = None, until: Any = None
) -> pl.DataFrame:
    """Touches as a frame, filtered by platform, account and time [since, until)."""
    return _events(con, platform, account_id, since, until)


def _events(con: Any, platform: str | None, account_id: str | None, since: Any, until: Any) -> pl.DataFrame:
    query = f"""
        SELECT {", ".join(EVENT_COLUMNS)} FROM outreach_events
        WHERE ($p IS NULL OR platform = $p) AND ($a IS NULL OR account_id = $a)
          AND ($s IS NULL OR occurred_at >= $s) AND ($u IS NULL OR occurred_at < $u)
        ORDER BY occurred_at, event_key
    """
    params = {"p": platform, "a": account_id, "s": since, "u": until}
    return frame(con, query, params)


# ------------------------------------------------------------------------------------ audiences and overlap
#: Audiences, as edges (member_id, owner_id): "member_id is in owner_id's audience".
#: follows: the follower graph (active edges). interactions: who interacted with the owner (directly or with one of
#: the owner's posts) — the stand-in when no follow graph was imported (e.g. the SNAP Higgs activity data).
AUDIENCE_SOURCES: tuple[str, ...] = ("follows", "interactions")

_AUDIENCE = {
    "follows": """
        SELECT follower_id AS member_id, followee_id AS owner_id FROM follows
        WHERE platform = $platform AND active
    """,
    "interactions": """
        SELECT i.actor_id AS member_id,
               CASE WHEN i.target_account_id <> '' THEN i.target_account_id ELSE p.author_id END AS owner_id
        FROM interactions i LEFT JOIN posts p
          ON p.platform = i.platform AND p.post_id = i.target_post_id AND i.target_account_id = ''
        WHERE i.platform = $platform AND (i.target_account_id <> '' OR p.author_id IS NOT NULL)
          AND i.actor_id <> CASE WHEN i.target_account_id <> '' THEN i.target_account_id ELSE p.author_id END
    """,
}


def _audience_cte(source: str) -> str:
    if source not in _AUDIENCE:
        raise ValueError(f"unknown audience source {source!r}")
    return f"audience AS ({_AUDIENCE[source]})"


_INFLUENTIAL = """
    influential AS (
        SELECT account_id, arg_max(score, computed_at) AS score FROM influence_scores
        WHERE platform = $platform GROUP BY account_id HAVING arg_max(score, computed_at) >= $threshold
    )
"""


def exact_overlap(
    con: Any,
    platform: str,
    brand_ids: Sequence[str],
    candidate_ids: Sequence[str],
    *,
    source: str = "follows",
    threshold: float | None = None,
) -> pl.DataFrame:
    """Exact audience overlap of each candidate with the brand, by set arithmetic in DuckDB.

    Columns: account_id, audience, our_audience, shared, bridges (NULL when ``threshold`` is None, i.e. no
    influence scores). Candidates with an empty audience are absent (the caller fills them in).
    Bridges: members of the candidate's audience with influence score ≥ threshold that are outside our network
    (not in our audience, not an account we are in the audience of, not the brand itself).
    """
    quiet(con)
    bridges_cte = ""
    bridges_sel = "CAST(NULL AS BIGINT) AS bridges"
    bridges_join = ""
    if threshold is not None:
        bridges_cte = (
            ","
            + _INFLUENTIAL
            + """,
            network AS (
                SELECT member_id AS account_id FROM ours
                UNION SELECT owner_id FROM audience WHERE member_id IN (SELECT unnest($brand))
                UNION SELECT unnest($brand)
            ),
            bridge_counts AS (
                SELECT c.owner_id, count(*) AS bridges FROM cand c JOIN influential s ON s.account_id = c.member_id
                WHERE c.member_id NOT IN (SELECT account_id FROM network) GROUP BY c.owner_id
            )"""
        )
        bridges_sel = "coalesce(b.bridges, 0) AS bridges"
        bridges_join = "LEFT JOIN bridge_counts b ON b.owner_id = s.owner_id"
    query = f"""
        WITH {_audience_cte(source)},
        ours AS (SELECT DISTINCT member_id FROM audience WHERE owner_id IN (SELECT unnest($brand))),
        cand AS (
            SELECT DISTINCT owner_id, member_id FROM audience
            WHERE owner_id IN (SELECT unnest($cands)) AND member_id NOT IN (SELECT unnest($brand))
        ),
        stats AS (
            SELECT c.owner_id, count(*) AS audience, count(o.member_id) AS shared
            FROM cand c LEFT JOIN ours o ON o.member_id = c.member_id GROUP BY c.owner_id
        ){bridges_cte}
        SELECT s.owner_id AS account_id, s.audience, (SELECT count(*) FROM ours) AS our_audience, s.shared,
               {bridges_sel}
        FROM stats s {bridges_join}
        ORDER BY s.owner_id
    """
    params: dict[str, Any] = {"platform": platform, "brand": list(brand_ids), "cands": list(candidate_ids)}
    if threshold is not None:
        params["threshold"] = threshold
    return frame(con, query, params)


def bridge_accounts(
    con: Any,
    platform: str,
    brand_ids: Sequence[str],
    candidate_id: str,
    *,
    source: str = "follows",
    threshold: float,
    limit: int = 20,
) -> pl.DataFrame:
    """The bridge influencers of one candidate (account_id, handle, score), best score first."""
    quiet(con)
    query = f"""
        WITH {_audience_cte(source)},
        ours AS (SELECT DISTINCT member_id FROM audience WHERE owner_id IN (SELECT unnest($brand))),
        {_INFLUENTIAL.strip()},
        network AS (
            SELECT member_id AS account_id FROM ours
            UNION SELECT owner_id FROM audience WHERE member_id IN (SELECT unnest($brand))
            UNION SELECT unnest($brand)
        )
        SELECT DISTINCT a.member_id AS account_id, acc.handle, s.score
        FROM audience a JOIN influential s ON s.account_id = a.member_id
        LEFT JOIN accounts acc ON acc.platform = $platform AND acc.account_id = a.member_id
        WHERE a.owner_id = $cand AND a.member_id NOT IN (SELECT account_id FROM network)
        ORDER BY s.score DESC, account_id LIMIT $limit
    """
    params = {
        "platform": platform,
        "brand": list(brand_ids),
        "cand": candidate_id,
        "threshold": threshold,
        "limit": limit,
    }
    return frame(con, query, params)


def audience_sizes(con: Any, platform: str, owner_ids: Sequence[str], *, source: str = "follows") -> dict[str, int]:
    """Exact audience size of each owner (count of distinct members)."""
    quiet(con)
    query = f"""
        WITH {_audience_cte(source)}
        SELECT owner_id, count(DISTINCT member_id) FROM audience WHERE owner_id IN (SELECT unnest($owners))
        GROUP BY owner_id
    """
    rows = con.execute(query, {"platform": platform, "owners": list(owner_ids)}).fetchall()
    return {str(o): int(n) for o, n in rows}


def audience_hashes(
    con: Any, platform: str, owner_ids: Sequence[str], *, source: str = "follows", exclude: Sequence[str] = ()
) -> pl.DataFrame:
    """(owner, h): ``owner`` the 0-based position of the owner in ``owner_ids``, ``h`` the 64-bit hash of each
    member of its audience (``exclude`` left out). Unordered and not de-duplicated (the caller does it on the
    hashes, ~4x faster than DISTINCT on the id strings): the input of MinHash."""
    quiet(con)
    query = f"""
        WITH {_audience_cte(source)}
        SELECT CAST(list_position($owners, owner_id) - 1 AS INTEGER) AS owner, hash(member_id) AS h
        FROM audience
        WHERE owner_id IN (SELECT unnest($owners)) AND member_id NOT IN (SELECT unnest($exclude))
    """
    return frame(con, query, {"platform": platform, "owners": list(owner_ids), "exclude": list(exclude)})


def union_audience_size(con: Any, platform: str, owner_ids: Sequence[str], *, source: str = "follows") -> int:
    """Exact size of the union of the audiences of ``owner_ids`` (the brand's accounts), the owners left out."""
    quiet(con)
    query = f"""
        WITH {_audience_cte(source)}
        SELECT count(DISTINCT member_id) FROM audience
        WHERE owner_id IN (SELECT unnest($owners)) AND member_id NOT IN (SELECT unnest($owners))
    """
    return int(con.execute(query, {"platform": platform, "owners": list(owner_ids)}).fetchall()[0][0])


def top_audiences(
    con: Any, platform: str, *, source: str = "follows", exclude: Sequence[str] = (), limit: int = 20
) -> list[tuple[str, int]]:
    """The ``limit`` accounts with the largest audiences (default candidates when none are given).

    The accounts in ``exclude`` (the brand) are left out as owners and as members: the brand is never counted in a
    candidate's audience, so an account whose only known member is the brand (an account the brand follows, in the
    brand's own export) has no known audience and is no candidate.
    """
    quiet(con)
    query = f"""
        WITH {_audience_cte(source)}
        SELECT owner_id, count(DISTINCT member_id) AS n FROM audience
        WHERE owner_id NOT IN (SELECT unnest($exclude)) AND member_id NOT IN (SELECT unnest($exclude))
        GROUP BY owner_id ORDER BY n DESC, owner_id LIMIT $limit
    """
    rows = con.execute(query, {"platform": platform, "exclude": list(exclude), "limit": limit}).fetchall()
    return [(str(o), int(n)) for o, n in rows]


def has_audience(con: Any, platform: str, *, source: str = "follows") -> bool:
    """Whether any audience edge of ``source`` exists on ``platform`` (the brand's own included)."""
    quiet(con)
    query = f"WITH {_audience_cte(source)} SELECT 1 FROM audience LIMIT 1"
    return con.execute(query, {"platform": platform}).fetchone() is not None


def greedy_coverage_step_gains(
    con: Any, platform: str, candidate_ids: Sequence[str], *, source: str = "follows"
) -> list[tuple[str, int]]:
    """Marginal gain of each candidate: members of its audience not yet in temp table ``_covered``."""
    quiet(con)
    query = f"""
        WITH {_audience_cte(source)},
        cand AS (SELECT DISTINCT owner_id, member_id FROM audience WHERE owner_id IN (SELECT unnest($cands)))
        SELECT owner_id, count(*) FROM cand c
        WHERE NOT EXISTS (SELECT 1 FROM _covered v WHERE v.member_id = c.member_id)
        GROUP BY owner_id
    """
    rows = con.execute(query, {"platform": platform, "cands": list(candidate_ids)}).fetchall()
    return [(str(o), int(n)) for o, n in rows]


def init_covered(con: Any, platform: str, owner_ids: Sequence[str], *, source: str = "follows") -> None:
    """(Re)create temp table ``_covered`` with the brand accounts ``owner_ids`` and their audience."""
    quiet(con)
    con.execute("CREATE OR REPLACE TEMP TABLE _covered (member_id VARCHAR)")
    add_covered(con, platform, owner_ids, source=source)
    # The brand itself is never new reach.
    con.execute(
        "INSERT INTO _covered SELECT DISTINCT m FROM (SELECT unnest($o) AS m) "
        "WHERE m NOT IN (SELECT member_id FROM _covered)",
        {"o": list(owner_ids)},
    )


def add_covered(con: Any, platform: str, owner_ids: Sequence[str], *, source: str = "follows") -> None:
    """Add the audience of ``owner_ids`` to temp table ``_covered``."""
    query = f"""
        INSERT INTO _covered
        WITH {_audience_cte(source)}
        SELECT DISTINCT member_id FROM audience a WHERE owner_id IN (SELECT unnest($owners))
          AND NOT EXISTS (SELECT 1 FROM _covered v WHERE v.member_id = a.member_id)
    """
    con.execute(query, {"platform": platform, "owners": list(owner_ids)})


def save_partner_overlap(con: Any, platform: str, source: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Replace the stored overlap of each candidate in ``partner_overlap``."""
    for r in rows:
        con.execute(
            """
            INSERT OR REPLACE INTO partner_overlap (platform, account_id, computed_at, method, audience_source,
                audience, our_audience, shared, jaccard, overlap_smaller, unique_reach, bridges)
            VALUES (?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                platform,
                r["account_id"],
                r["method"],
                source,
                r["audience"],
                r["our_audience"],
                r["shared"],
                r["jaccard"],
                r["overlap_smaller"],
                r["unique_reach"],
                r["bridges"],
            ],
        )


# ------------------------------------------------------------------------------------------------ partners
def upsert_partner(
    con: Any, platform: str, account_id: str, handle: str | None, status: str, notes: str | None
) -> None:
    con.execute(
        """
        INSERT INTO partners (platform, account_id, handle, status, started_at, notes, updated_at)
        VALUES (?, ?, ?, ?, current_date, ?, now())
        ON CONFLICT (platform, account_id) DO UPDATE SET status = excluded.status,
            handle = coalesce(excluded.handle, partners.handle),
            notes = coalesce(excluded.notes, partners.notes), updated_at = now()
        """,
        [platform, account_id, handle, status, notes],
    )


def list_partners(con: Any, *, platform: str | None = None) -> list[dict[str, Any]]:
    return dict_rows(
        con.execute(
            "SELECT platform, account_id, handle, status, started_at, notes, updated_at FROM partners "
            "WHERE ($p IS NULL OR platform = $p) ORDER BY platform, lower(coalesce(handle, account_id))",
            {"p": platform},
        )
    )


# ------------------------------------------------------------------------------------- KPIs, value, curation
def platforms_with_their_touches(con: Any, brand_ids: Sequence[str]) -> set[str]:
    """The platforms with a touch of the brand by another account: an imported interaction with a brand account or
    one of its posts, or a touch of theirs in the ledger."""
    query = """
        SELECT DISTINCT i.platform FROM interactions i
        LEFT JOIN posts p ON p.platform = i.platform AND p.post_id = i.target_post_id AND i.target_post_id <> ''
        WHERE i.actor_id NOT IN (SELECT unnest($b))
          AND (i.target_account_id IN (SELECT unnest($b)) OR p.author_id IN (SELECT unnest($b)))
        UNION
        SELECT DISTINCT platform FROM outreach_events WHERE direction = 'theirs'
    """
    return {str(r[0]) for r in con.execute(query, {"b": list(brand_ids)}).fetchall()}


def our_posts(con: Any, platform: str | None, brand_ids: Sequence[str]) -> pl.DataFrame:
    """The brand's posts: platform, post_id, created_at."""
    return frame(
        con,
        "SELECT platform, post_id, created_at FROM posts WHERE ($p IS NULL OR platform = $p) "
        f"AND author_id IN (SELECT unnest($b)) AND {readable('created_at')} ORDER BY created_at",
        {"p": platform, "b": list(brand_ids)},
    )


def follower_counts(con: Any) -> dict[tuple[str, str], int | None]:
    """Follower count of every pipeline account (None when not reported)."""
    rows = con.execute(
        "SELECT o.platform, o.account_id, a.followers FROM outreach o "
        "LEFT JOIN accounts a ON a.platform = o.platform AND a.account_id = o.account_id"
    ).fetchall()
    return {(str(p), str(a)): (int(f) if f is not None else None) for p, a, f in rows}


def recent_posts_of_pipeline(con: Any, since: Any, stages: Sequence[str]) -> pl.DataFrame:
    """Posts since ``since`` by accounts in the pipeline at one of ``stages`` (newest first)."""
    return frame(
        con,
        """
        SELECT p.platform, p.post_id, p.author_id, o.handle, p.created_at, p.text, p.hashtags, p.url
        FROM posts p JOIN outreach o ON o.platform = p.platform AND o.account_id = p.author_id
        WHERE p.created_at >= $since AND o.stage IN (SELECT unnest($stages))
          AND p.repost_of IS NULL AND p.reply_to IS NULL AND READABLE
        ORDER BY p.created_at DESC
        """.replace("READABLE", readable("p.created_at")),
        {"since": since, "stages": list(stages)},
    )


def latest_activity(con: Any) -> Any:
    """The latest touch in the ledger, else the latest post (None when both are empty)."""
    row = con.execute(
        f"SELECT coalesce((SELECT max({readable_value('occurred_at')}) FROM outreach_events), "
        f"(SELECT max({readable_value('created_at')}) FROM posts))"
    ).fetchall()
    return row[0][0]


def edge_count(con: Any, platform: str, source: str) -> int:
    """Number of audience edges (rows of follows or interactions) on ``platform``."""
    table = "follows" if source == "follows" else "interactions"
    return int(con.execute(f"SELECT count(*) FROM {table} WHERE platform = ?", [platform]).fetchall()[0][0])


def untapped_influencers(con: Any, *, platform: str | None = None) -> pl.DataFrame:
    """Accounts of segment ``untapped`` in the latest influence run per platform (:func:`segment_influencers`)."""
    return segment_influencers(con, "untapped", platform=platform)


def segment_influencers(con: Any, segment: str, *, platform: str | None = None) -> pl.DataFrame:
    """Accounts of ``segment`` in the latest influence run per platform, best score first.

    Columns: platform, account_id, handle, score, engagement, interactions_with_brand (in the engagement window),
    settings (JSON ``strategy.influence`` of the run, or None). Reads tables ``influence_scores`` and
    ``influence_runs`` (migration 030).
    """
    return frame(
        con,
        """
        WITH latest AS (SELECT platform, max(computed_at) AS computed_at FROM influence_scores GROUP BY platform)
        SELECT s.platform, s.account_id, a.handle, s.score, s.engagement, s.interactions_with_brand, r.settings
        FROM influence_scores s JOIN latest l ON l.platform = s.platform AND l.computed_at = s.computed_at
        LEFT JOIN accounts a ON a.platform = s.platform AND a.account_id = s.account_id
        LEFT JOIN influence_runs r ON r.platform = s.platform AND r.computed_at = s.computed_at
        WHERE s.segment = $segment AND ($p IS NULL OR s.platform = $p)
        ORDER BY s.score DESC NULLS LAST, s.platform, s.account_id
        """,
        {"p": platform, "segment": segment},
    )


def engaged_by_brand(con: Any, brand: Sequence[tuple[str, str]], *, platform: str | None = None) -> pl.DataFrame:
    """The accounts the brand's own accounts (``brand``: ``(platform, account_id)``) liked, reposted, quoted,
    replied to or mentioned (table ``interactions``; the target of an interaction with a post is the post's author,
    table ``posts``), most interactions first, then the latest. The brand's accounts are not listed.

    Columns: platform, account_id, handle, interactions, last_at."""
    keys = [f"{p}:{a}" for p, a in brand]
    return frame(
        con,
        """
        WITH mine AS (
            SELECT i.platform, coalesce(nullif(i.target_account_id, ''), p.author_id) AS account_id, i.occurred_at
            FROM interactions i
            LEFT JOIN posts p ON p.platform = i.platform AND p.post_id = i.target_post_id AND i.target_post_id <> ''
            WHERE list_contains($brand, i.platform || ':' || i.actor_id) AND ($p IS NULL OR i.platform = $p)
        )
        SELECT m.platform, m.account_id, a.handle, count(*) AS interactions, max(m.occurred_at) AS last_at
        FROM mine m LEFT JOIN accounts a ON a.platform = m.platform AND a.account_id = m.account_id
        WHERE m.account_id IS NOT NULL AND m.account_id <> ''
          AND NOT list_contains($brand, m.platform || ':' || m.account_id)
        GROUP BY m.platform, m.account_id, a.handle
        ORDER BY interactions DESC, last_at DESC NULLS LAST, m.platform, m.account_id
        """,
        {"p": platform, "brand": keys},
    )


def busiest_platform(con: Any, source: str) -> str | None:
    """The platform with the most audience edges (follows or interactions), or None when there are none."""
    table = "follows" if source == "follows" else "interactions"
    rows = con.execute(
        f"SELECT platform FROM {table} GROUP BY platform ORDER BY count(*) DESC, platform LIMIT 1"
    ).fetchall()
    return str(rows[0][0]) if rows else None


def recent_touches(con: Any, limit: int = 15) -> list[dict[str, Any]]:
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


def partner_overlap_rows(con: Any, limit: int = 100) -> list[dict[str, Any]]:
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


def bridge_rows(
    con: Any,
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
