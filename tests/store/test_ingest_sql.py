"""The merge rules of the importers' SQL (store/ingest_sql.py): repeats, newer-wins, fill-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from signalboost.ingest.base import SCHEMAS
from signalboost.store import ingest_sql as q
from signalboost.store.workspace import Workspace

T = dt.datetime(2024, 5, 1, 10, tzinfo=dt.UTC)


def _merge(ws: Workspace, table: str, rows: list[dict[str, Any]], source: str = "test") -> tuple[int, int, int]:
    """Stage ``rows`` (missing columns NULL) and merge them into ``table`` in one transaction."""
    schema = SCHEMAS[table]
    data = pa.Table.from_pylist([{f.name: r.get(f.name) for f in schema} for r in rows], schema=schema)
    with ws.transaction() as con:
        q.create_stages(con)
        q.append_arrow(con, table, data)
        counts = q.merge(con, table, source)
        q.drop_stages(con)
    return counts


def _rows(ws: Workspace, sql: str) -> list[tuple[Any, ...]]:
    with ws.connect(purpose="read") as con:
        return [tuple(r) for r in con.execute(sql).fetchall()]


def test_an_interaction_repeated_in_a_file_keeps_its_largest_weight(workspace: Workspace) -> None:
    one = {"platform": "x", "actor_id": "a", "kind": "mention", "target_account_id": "b", "occurred_at": T}
    loaded, duplicate, merged = _merge(workspace, "interactions", [{**one, "weight": 2.0}, {**one, "weight": 3.0}])
    assert (loaded, duplicate, merged) == (1, 0, 1)
    assert _rows(workspace, "SELECT actor_id, weight FROM interactions") == [("a", 3.0)]  # max, not 2 + 3


def test_a_newer_accounts_export_wins(workspace: Workspace) -> None:
    old = {
        "platform": "x",
        "account_id": "u1",
        "handle": "maria",
        "followers": 100,
        "is_brand": False,
        "observed_at": T,
    }
    new = {**old, "handle": "maria_new", "followers": 150, "observed_at": T + dt.timedelta(days=30)}
    _merge(workspace, "accounts", [old])
    _merge(workspace, "accounts", [new])
    assert _rows(workspace, "SELECT handle, followers FROM accounts") == [("maria_new", 150)]


def test_an_older_accounts_export_only_fills_gaps(workspace: Workspace) -> None:
    new = {
        "platform": "x",
        "account_id": "u1",
        "handle": "maria_new",
        "followers": 150,
        "is_brand": False,
        "observed_at": T,
    }
    old = {**new, "handle": "maria", "followers": 100, "bio": "hi", "observed_at": T - dt.timedelta(days=30)}
    _merge(workspace, "accounts", [new])
    _merge(workspace, "accounts", [old])
    assert _rows(workspace, "SELECT handle, followers, bio FROM accounts") == [("maria_new", 150, "hi")]


def test_a_later_posts_import_fills_gaps_but_never_overwrites(workspace: Workspace) -> None:
    first = {"platform": "x", "post_id": "p1", "author_id": "b", "created_at": T, "text": "first"}
    later = {**first, "text": "edited", "language": "en"}
    _merge(workspace, "posts", [first])
    loaded, duplicate, _ = _merge(workspace, "posts", [later])
    assert (loaded, duplicate) == (0, 1)
    assert _rows(workspace, "SELECT text, language FROM posts") == [("first", "en")]


def test_a_follow_seen_again_keeps_its_first_sighting_and_extends_its_last(workspace: Workspace) -> None:
    edge = {"platform": "x", "follower_id": "a", "followee_id": "b"}
    later = T + dt.timedelta(days=10)
    _merge(workspace, "follows", [{**edge, "observed_at": T}])
    loaded, duplicate, _ = _merge(workspace, "follows", [{**edge, "observed_at": later}])
    assert (loaded, duplicate) == (0, 1)
    assert _rows(workspace, "SELECT first_seen, last_seen, active FROM follows") == [(T, later, True)]
    _merge(workspace, "follows", [{**edge, "observed_at": T - dt.timedelta(days=5)}])  # an older export
    assert _rows(workspace, "SELECT first_seen, last_seen FROM follows") == [(T - dt.timedelta(days=5), later)]


def test_sql_literals_and_identifiers_are_quoted() -> None:
    assert q.lit("O'Brien") == "'O''Brien'"
    assert q.ident('we"ird') == '"we""ird"'
