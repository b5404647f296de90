"""Read queries over the canonical tables. All SQL of the package lives under ``signalboost.store``."""

from __future__ import annotations

from typing import Any

from signalboost.errors import StoreError

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


def table_sql(name: str, *, platform: str | None = None) -> tuple[str, list[Any]]:
    """``SELECT *`` of one canonical table, filtered by platform when given."""
    if name not in CANONICAL_TABLES:
        raise StoreError(f"unknown table {name!r}", hint=f"Use one of: {', '.join(CANONICAL_TABLES)}")
    where, params = "", []
    if platform is not None and name not in ("imports", "rejects"):
        where, params = " WHERE platform = ?", [platform]
    return f"SELECT * FROM {name}{where} ORDER BY {_ORDER[name]}", params
