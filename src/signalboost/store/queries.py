"""Read queries over the canonical tables. All SQL of the package lives under ``signalboost.store``."""

from __future__ import annotations

from typing import Any

from signalboost.errors import StoreError
from signalboost.i18n import L_

CANONICAL_TABLES: tuple[str, ...] = (
    "accounts",
    "account_snapshots",
    "posts",
    "post_metrics",
    "follows",
    "interactions",
    "imports",
    "rejects",
)

_ORDER = {
    "posts": "platform, created_at, post_id",
    "post_metrics": "platform, post_id, observed_at",
    "accounts": "platform, account_id",
    "account_snapshots": "platform, account_id, observed_at",
    "follows": "platform, follower_id, followee_id",
    "interactions": "platform, occurred_at, actor_id",
    "imports": "import_id",
    "rejects": "import_id, line",
}


#: The time columns of each canonical table (what :func:`readable_time` guards in every read).
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "accounts": ("created_at", "observed_at"),
    "account_snapshots": ("observed_at",),
    "posts": ("created_at",),
    "post_metrics": ("observed_at",),
    "follows": ("observed_at", "first_seen", "last_seen"),
    "interactions": ("occurred_at",),
}

#: Times a reader can turn into Python values in any time zone (Python's ``datetime`` stops at year 9999; DuckDB
#: stores up to year 294247). A day of margin either side for the conversion to local time.
READABLE_FROM = "0001-01-02 00:00:00+00"
READABLE_UNTIL = "9999-12-30 00:00:00+00"


def readable(column: str) -> str:
    """SQL predicate: the time ``column`` is one a reader can represent (see :data:`READABLE_UNTIL`)."""
    return f"({column} >= TIMESTAMPTZ '{READABLE_FROM}' AND {column} < TIMESTAMPTZ '{READABLE_UNTIL}')"


def readable_value(column: str) -> str:
    """SQL expression: ``column`` when :func:`readable`, else NULL (an unknown time)."""
    return f"CASE WHEN {readable(column)} THEN {column} END"


def readable_time(column: str, alias: str | None = None) -> str:
    """SQL select item: ``column`` when a reader can represent it, else NULL (an unknown time) — so a year-10000
    date already stored (imports refuse them now) never crashes ``analyze``, ``influencers`` or a dashboard page."""
    return f"{readable_value(column)} AS {alias or column.rsplit('.', 1)[-1]}"


def table_sql(name: str, *, platform: str | None = None) -> tuple[str, list[Any]]:
    """``SELECT *`` of one canonical table, filtered by platform when given (times out of a reader's range read as
    NULL, see :func:`readable_time`)."""
    if name not in CANONICAL_TABLES:
        raise StoreError(
            L_("unknown table {name!r}", name=name),
            hint=L_("Use one of: {choices}", choices=", ".join(CANONICAL_TABLES)),
        )
    where, params = "", []
    if platform is not None and name not in ("imports", "rejects"):
        where, params = " WHERE platform = ?", [platform]
    times = TIME_COLUMNS.get(name, ())
    star = f"* REPLACE ({', '.join(readable_time(c) for c in times)})" if times else "*"
    return f"SELECT {star} FROM {name}{where} ORDER BY {_ORDER[name]}", params


def has_table(con: Any, name: str) -> bool:
    """Whether table ``name`` exists in the main schema (a subsystem's migration may not have run yet)."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
    ).fetchone()
    return bool(row and row[0])


def dict_rows(cur: Any) -> list[dict[str, Any]]:
    """The remaining rows of a DuckDB cursor as dicts keyed by column name."""
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def table_counts(con: Any) -> dict[str, int]:
    """Row count of each canonical table (one query)."""
    parts = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in _COUNT_TABLES)
    return {str(t): int(n) for t, n in con.execute(parts).fetchall()}


def platform_summary(con: Any) -> list[dict[str, Any]]:
    """Per platform: posts, first and last post time, accounts."""
    rows = con.execute(
        f"SELECT p.platform, count(*) AS posts, min({readable_value('created_at')}) AS first_post, "
        f"max({readable_value('created_at')}) AS last_post, "
        "(SELECT count(*) FROM accounts a WHERE a.platform = p.platform) AS accounts "
        "FROM posts p GROUP BY p.platform ORDER BY posts DESC"
    ).fetchall()
    cols = ("platform", "posts", "first_post", "last_post", "accounts")
    return [dict(zip(cols, r, strict=True)) for r in rows]


_COUNT_TABLES: tuple[str, ...] = ("accounts", "posts", "post_metrics", "follows", "interactions", "imports", "rejects")
