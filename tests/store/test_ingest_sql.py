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


def test_only_repeated_keys_are_folded_and_the_counts_add_up(workspace: Workspace) -> None:
    """A file of unique rows around a few repeated keys: each key stored once with the fold rules (max weight,
    a NULL weight loses to 0.5, an unknown target is ''), counts as a Python de-duplication computes them."""
    base = {"platform": "x", "kind": "like", "occurred_at": T}
    rows = [{**base, "actor_id": f"u{i}", "target_account_id": "b", "weight": None} for i in range(50)]
    rows += [
        {**base, "actor_id": "r1", "target_account_id": "b", "weight": 0.5},
        {**base, "actor_id": "r1", "target_account_id": "b", "weight": None},
        {**base, "actor_id": "r2", "target_post_id": None, "weight": 2.0},
        {**base, "actor_id": "r2", "target_post_id": None, "weight": 3.0},
        {**base, "actor_id": "r2", "target_post_id": None, "weight": 1.0},
    ]
    keys = {(r["actor_id"], r.get("target_account_id") or "") for r in rows}
    loaded, duplicate, merged = _merge(workspace, "interactions", rows)
    assert (loaded, duplicate, merged) == (len(keys), 0, len(rows) - len(keys)) == (52, 0, 3)
    got = dict(_rows(workspace, "SELECT actor_id, weight FROM interactions WHERE actor_id LIKE 'r%'"))
    assert got == {"r1": 0.5, "r2": 3.0}
    assert _rows(workspace, "SELECT count(*), count(DISTINCT actor_id) FROM interactions") == [(52, 52)]
    assert _rows(workspace, "SELECT target_post_id, target_account_id FROM interactions WHERE actor_id = 'r2'") == [
        ("", "")
    ]
    # the same file again: every key already there, nothing added (idempotent)
    assert _merge(workspace, "interactions", rows) == (0, 52, 3)


def test_repeated_follows_and_posts_of_a_first_import_are_folded(workspace: Workspace) -> None:
    edges = [{"platform": "x", "follower_id": str(i % 7), "followee_id": "z", "observed_at": T} for i in range(20)]
    assert _merge(workspace, "follows", edges) == (7, 0, 13)
    assert _rows(workspace, "SELECT count(*), min(first_seen), bool_and(active) FROM follows") == [(7, T, True)]
    posts = [{"platform": "x", "post_id": "p1", "text": None}, {"platform": "x", "post_id": "p1", "text": "hi"}]
    posts.append({"platform": "x", "post_id": "p2", "text": "other"})
    assert _merge(workspace, "posts", posts) == (2, 0, 1)
    assert _rows(workspace, "SELECT post_id, text FROM posts ORDER BY 1") == [("p1", "hi"), ("p2", "other")]


def test_merges_into_keyed_tables_get_the_fixed_memory_cap(workspace: Workspace, monkeypatch: Any) -> None:
    """A cap sized to a small file is raised to the fixed one (1 GB) before rows go into a table with a PRIMARY
    KEY (DuckDB cannot spill its ART index: a 2M-post import ran out of memory under a 256 MB cap) or holding
    rows of the platform already (updates grow with the table); a first import of follows keeps the sized cap."""
    monkeypatch.delenv("SIGNALBOOST_IMPORT_MEMORY", raising=False)
    edge = {"platform": "x", "follower_id": "a", "followee_id": "b", "observed_at": T}
    post = {"platform": "x", "post_id": "p1", "created_at": T}
    caps = {}
    for table, row in (("follows", edge), ("posts", post)):
        schema = SCHEMAS[table]
        data = pa.Table.from_pylist([{f.name: row.get(f.name) for f in schema}], schema=schema)
        with workspace.transaction() as con:
            q.create_stages(con, memory=256_000_000)
            q.append_arrow(con, table, data)
            q.merge(con, table, "test")
            caps[table] = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
            q.drop_stages(con)
    assert caps == {"follows": "244.1 MiB", "posts": "953.6 MiB"}  # 256e6 and 1e9 bytes in MiB
    # follows again: stored edges are updated, which grows with the table: the fixed cap too
    schema = SCHEMAS["follows"]
    with workspace.transaction() as con:
        q.create_stages(con, memory=256_000_000)
        q.append_arrow(con, "follows", pa.Table.from_pylist([edge], schema=schema))
        assert q.merge(con, "follows", "again") == (0, 1, 0)
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == "953.6 MiB"
        q.drop_stages(con)
