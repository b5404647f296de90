"""The merge rules of the importers' SQL (store/ingest_sql.py): repeats, newer-wins, fill-only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest

from signalboost.ingest.base import LOAD_TABLES, SCHEMAS, FollowSnapshot, Reject
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


def test_merges_into_keyed_tables_get_room_for_their_index(workspace: Workspace, monkeypatch: Any) -> None:
    """A cap sized to a small file (here 64 MB) is raised before rows go into a table with a PRIMARY KEY by what
    its ART index needs (DuckDB cannot spill it: a 2M-post import ran out of memory under a 256 MB cap), and to
    the fixed cap (1 GB) for a table holding rows of the platform already (updates grow with the table); a first
    import of follows keeps the sized cap. Before the commit: twice the index in memory + 128 MB."""
    monkeypatch.delenv("SIGNALBOOST_IMPORT_MEMORY", raising=False)
    edge = {"platform": "x", "follower_id": "a", "followee_id": "b", "observed_at": T}
    post = {"platform": "x", "post_id": "p1", "created_at": T}
    caps, art = {}, {}
    for table, row in (("follows", edge), ("posts", post)):
        schema = SCHEMAS[table]
        data = pa.Table.from_pylist([{f.name: row.get(f.name) for f in schema} for _ in range(2)], schema=schema)
        with workspace.transaction() as con:
            q.create_stages(con, memory=64_000_000)
            q.append_arrow(con, table, data)
            q.merge(con, table, "test")
            caps[table] = q._memory_limit(con)
            art[table] = q._art_memory(con)
            q.prepare_commit(con)
            caps[table + " commit"] = q._memory_limit(con)
            q.drop_stages(con)
    mib = 0.1 * 2**20  # DuckDB shows the cap in MiB to one decimal (truncated)
    assert abs(caps["follows"] - 64_000_000) < mib and abs(caps["follows commit"] - 64_000_000) < mib
    # two rows of one key of 3 bytes ('x' + 'p1'), no index in memory before: 2 * (80 + 1.5 * 3) bytes + 128 MB
    assert abs(caps["posts"] - (128_000_000 + 2 * 84.5)) < mib
    assert art["follows"] == 0 and art["posts"] > 0
    assert abs(caps["posts commit"] - max(2 * art["posts"] + 128_000_000, caps["posts"])) < mib
    # follows again: stored edges are updated, which grows with the table: the fixed cap
    schema = SCHEMAS["follows"]
    with workspace.transaction() as con:
        q.create_stages(con, memory=256_000_000)
        q.append_arrow(con, "follows", pa.Table.from_pylist([edge], schema=schema))
        assert q.merge(con, "follows", "again") == (0, 1, 0)
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == "953.6 MiB"
        q.drop_stages(con)


# ------------------------------------------------------------------ staging, rejects and the log (issue #19, mutmut)
def _stage(con: Any, rows: list[tuple[str, str | None]]) -> tuple[str, str]:
    """A ``SELECT`` of ``post_id, _reason`` rows and its line-numbered twin (``_line``, ``_raw``), as the readers
    build them."""
    values = ", ".join(f"({q.lit(p)}, {q.lit(r) if r is not None else 'NULL'})" for p, r in rows)
    select = f"SELECT * FROM (VALUES {values}) v(post_id, _reason)"
    line_select = (
        f"SELECT post_id, _reason, row_number() OVER () + 1 AS _line, 'raw ' || post_id AS _raw FROM ({select})"
    )
    return select, line_select


ROWS = [("p1", None), ("p2", "bad date"), ("p3", "skip:summary rows"), ("p4", "bad count"), ("p5", None)]


def test_stage_sql_counts_rows_and_rejects_and_keeps_each_reject_with_its_line(workspace: Workspace) -> None:
    """5 rows read; 2 invalid (the ``skip:`` row is neither loaded nor rejected, only counted as skipped); each
    reject staged with its source line (header = line 1) and raw record; the ``fixed`` columns join every row."""
    with workspace.transaction() as con:
        q.create_stages(con)
        select, line_select = _stage(con, ROWS)
        assert q.stage_sql(con, select, line_select, fixed="'x' AS platform") == (5, 2, 2)
        assert con.execute("SELECT * FROM _stage_rejects ORDER BY line").fetchall() == [
            (None, 3, "raw p2", "bad date"),
            (None, 5, "raw p4", "bad count"),
        ]
        assert q.stage_skips(con) == {"summary rows": 1}
        staged = con.execute(f"SELECT post_id, platform FROM {q.SQL_STAGE} ORDER BY 1").fetchall()
        assert staged == [("p1", "x"), ("p5", "x")]


def test_stage_sql_keeps_at_most_keep_rejects_the_first_lines(workspace: Workspace) -> None:
    with workspace.transaction() as con:
        q.create_stages(con)
        select, line_select = _stage(con, ROWS)
        assert q.stage_sql(con, select, line_select, keep=1) == (5, 2, 1)
        assert con.execute("SELECT line, reason FROM _stage_rejects").fetchall() == [(3, "bad date")]


def test_stage_sql_reads_lines_only_when_a_reject_is_to_be_kept(workspace: Workspace) -> None:
    """The line-numbered read (a second pass over the file) runs only when some rows are invalid and rejects are
    kept: here it is invalid SQL, so running it would fail."""
    broken = "SELECT no_such_column FROM no_such_table"
    with workspace.transaction() as con:
        q.create_stages(con)
        select, _ = _stage(con, ROWS)
        assert q.stage_sql(con, select, broken, keep=0) == (5, 2, 0)
        clean, _ = _stage(con, [("p1", None), ("p2", "skip:blank lines")])
        assert q.stage_sql(con, clean, broken) == (2, 0, 0)
        assert q.stage_skips(con) == {"blank lines": 1}
        assert con.execute("SELECT count(*) FROM _stage_rejects").fetchall() == [(0,)]
        # no fixed columns: the view is the staged rows as they are
        assert con.execute("SELECT post_id, _reason FROM _staged").fetchall() == [
            ("p1", None),
            ("p2", "skip:blank lines"),
        ]


def test_a_reject_keeps_its_member_line_reason_and_at_most_2000_characters_of_raw(workspace: Workspace) -> None:
    raw = "x" * 1999 + "yz" + "tail"  # 2005 characters: the first 2000 end in "y"
    rejects = [Reject(7, raw, "too long", member="data/posts.js"), Reject(None, "short", "no line")]
    with workspace.transaction() as con:
        q.create_stages(con)
        q.append_rejects(con, [])  # nothing to add is no error
        q.append_rejects(con, rejects)
        got = con.execute("SELECT member, line, raw, reason FROM _stage_rejects ORDER BY reason DESC").fetchall()
    assert got == [("data/posts.js", 7, "x" * 1999 + "y", "too long"), (None, None, "short", "no line")]
    assert len(got[0][2]) == 2000


def test_csv_rows_duckdb_set_aside_become_one_reject_per_line_once(workspace: Workspace, tmp_path: Any) -> None:
    """DuckDB's ``store_rejects`` lines become rejects ("malformed CSV row: <DuckDB's message>"), first lines first
    up to ``keep``; a second scan of the same file does not add them again; no reader table, nothing to move."""
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2\n3,4,5\n6,7\n8\n", encoding="utf-8")
    read = f"SELECT * FROM read_csv({q.lit(str(path))}, header=true, store_rejects=true)"
    with workspace.transaction() as con:
        q.create_stages(con)
        assert q.duckdb_rejects(con) == (0, 0)  # no CSV read yet: no reject_errors table
        con.execute(read).fetchall()
        assert q.duckdb_rejects(con, keep=1) == (2, 1)
        assert con.execute("SELECT member, line, raw, reason FROM _stage_rejects").fetchall() == [
            (None, 3, "3,4,5", "malformed CSV row: Expected Number of Columns: 2 Found: 3")
        ]
        con.execute(read).fetchall()  # the file scanned again: the same two lines, already counted
        assert q.duckdb_rejects(con) == (0, 0)
        assert con.execute("SELECT count(*) FROM reject_errors").fetchall() == [(0,)]


def test_stages_are_empty_on_creation_and_gone_after_dropping(workspace: Workspace) -> None:
    with workspace.transaction() as con:
        q.create_stages(con)
        q.create_stages(con)  # twice on one connection (a second file): no error
        q.register_functions(con)
        q.register_functions(con)  # twice (a second file with text): no error, the repair function kept
        assert con.execute("SELECT sb_fix_mojibake('caf\u00c3\u00a9')").fetchall() == [("café",)]
        assert con.execute("SELECT current_setting('enable_progress_bar')").fetchall() == [(False,)]
        assert con.execute("SELECT current_setting('memory_limit')").fetchall() == [("953.6 MiB",)]  # 1e9 bytes
        temps = "SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY 1"
        stages = [f"_stage_{t}" for t in LOAD_TABLES]
        assert [r[0] for r in con.execute(temps).fetchall()] == sorted([*stages, "_csv_reject_lines", "_stage_rejects"])
        for table in [*stages, "_stage_rejects", "_csv_reject_lines"]:
            assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]
        assert [c[0] for c in con.execute("DESCRIBE _stage_rejects").fetchall()] == ["member", "line", "raw", "reason"]
        select, line_select = _stage(con, ROWS)
        q.stage_sql(con, select, line_select)
        q.drop_stages(con)
        assert con.execute(temps).fetchall() == []
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = '_staged'").fetchall() == [(0,)]


def test_a_merge_empties_its_stage_and_leaves_no_working_tables(workspace: Workspace) -> None:
    """After a merge from ``_stage_<table>`` the stage is empty (the next file starts clean) and the keyed copies
    (``_dedup``, ``_fold``, ``_repeats``) are dropped (they would hold a copy of the file until the connection
    closes); a merge from another relation leaves that relation alone."""
    post = {"platform": "x", "post_id": "p1", "created_at": T}
    schema = SCHEMAS["posts"]
    rows = pa.Table.from_pylist([post, {**post, "text": "hi"}, {**post, "post_id": "p2"}], schema=schema)
    working = "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('_dedup', '_fold', '_repeats')"
    with workspace.transaction() as con:
        q.create_stages(con)
        q.append_arrow(con, "posts", rows)
        assert q.merge(con, "posts", "first") == (2, 0, 1)  # _repeats and _fold used
        assert con.execute(working).fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM _stage_posts").fetchall() == [(0,)]
        q.append_arrow(con, "posts", rows)
        assert q.merge(con, "posts", "again") == (0, 2, 1)  # _dedup used
        assert con.execute(working).fetchall() == [(0,)]
        con.execute("CREATE TEMP TABLE my_rows AS SELECT * FROM _stage_posts")
        con.execute("INSERT INTO my_rows SELECT 'x', 'p3', " + ", ".join(["NULL"] * (len(schema) - 2)))
        assert q.merge(con, "posts", "mine", origin="my_rows") == (1, 0, 0)
        assert con.execute("SELECT count(*) FROM my_rows").fetchall() == [(1,)]
        q.drop_stages(con)
    assert _rows(workspace, "SELECT post_id, text, source FROM posts ORDER BY 1") == [
        ("p1", "hi", "first"),
        ("p2", None, "first"),
        ("p3", None, "mine"),
    ]


def test_one_staged_row_is_merged_and_an_empty_stage_is_nothing(workspace: Workspace) -> None:
    assert _merge(workspace, "interactions", []) == (0, 0, 0)
    one = {"platform": "x", "actor_id": "a", "kind": "like", "target_post_id": "p1", "occurred_at": None}
    assert _merge(workspace, "interactions", [one]) == (1, 0, 0)
    # the unknown target account is '' and a missing weight 1, as the table stores them
    assert _rows(workspace, "SELECT target_account_id, weight, source FROM interactions") == [("", 1.0, "test")]
    # the same interaction again (a NULL time equals a NULL time): a duplicate, not a second row
    assert _merge(workspace, "interactions", [one]) == (0, 1, 0)


def test_a_follow_seen_again_after_an_unfollow_is_active_again_but_not_from_an_older_export(
    workspace: Workspace,
) -> None:
    edge = {"platform": "x", "follower_id": "a", "followee_id": "b"}
    _merge(workspace, "follows", [{**edge, "observed_at": T}])
    with workspace.transaction() as con:
        snap = FollowSnapshot("x", "b", "followee", T + dt.timedelta(days=1))
        assert q.mark_unfollows(con, snap) == 1
    assert _rows(workspace, "SELECT active FROM follows") == [(False,)]
    _merge(workspace, "follows", [{**edge, "observed_at": T - dt.timedelta(days=1)}])  # older than last_seen
    assert _rows(workspace, "SELECT active, observed_at FROM follows") == [(False, T)]
    later = T + dt.timedelta(days=2)
    _merge(workspace, "follows", [{**edge, "observed_at": later}])
    assert _rows(workspace, "SELECT active, first_seen, last_seen, observed_at FROM follows") == [
        (True, T - dt.timedelta(days=1), later, later)
    ]


def test_a_follow_first_seen_without_a_time_takes_the_first_time_it_is_seen_with_one(workspace: Workspace) -> None:
    edge = {"platform": "x", "follower_id": "a", "followee_id": "b"}
    _merge(workspace, "follows", [{**edge, "observed_at": None}])
    assert _rows(workspace, "SELECT first_seen, last_seen, active FROM follows") == [(None, None, True)]
    _merge(workspace, "follows", [{**edge, "observed_at": T}])
    assert _rows(workspace, "SELECT first_seen, last_seen, observed_at, active FROM follows") == [(T, T, T, True)]


def test_an_unfollow_marks_only_the_edges_of_that_side_not_seen_since(workspace: Workspace) -> None:
    """A complete followers list of b at T+1 that no longer lists a: a->b inactive; b's own follows (b->c),
    edges of another platform and edges seen at or after the list stay active."""
    edges = [
        {"platform": "x", "follower_id": "a", "followee_id": "b", "observed_at": T},
        {"platform": "x", "follower_id": "b", "followee_id": "c", "observed_at": T},
        {"platform": "x", "follower_id": "d", "followee_id": "b", "observed_at": T + dt.timedelta(days=1)},
        {"platform": "mastodon", "follower_id": "a", "followee_id": "b", "observed_at": T},
    ]
    _merge(workspace, "follows", edges)
    with workspace.transaction() as con:
        assert q.mark_unfollows(con, FollowSnapshot("x", "b", "followee", T + dt.timedelta(days=1))) == 1
    active = "SELECT platform, follower_id, followee_id FROM follows WHERE NOT active"
    assert _rows(workspace, active) == [("x", "a", "b")]
    with workspace.transaction() as con:  # b's following list at T+1 no longer lists c
        assert q.mark_unfollows(con, FollowSnapshot("x", "b", "follower", T + dt.timedelta(days=1))) == 1
        assert q.mark_unfollows(con, FollowSnapshot("x", "b", "follower", T + dt.timedelta(days=1))) == 0
    assert sorted(_rows(workspace, active)) == [("x", "a", "b"), ("x", "b", "c")]


def test_the_brand_flag_once_set_stays_set_whichever_export_is_newer(workspace: Workspace) -> None:
    acct = {"platform": "x", "account_id": "u1", "handle": "shop", "is_brand": True, "observed_at": T}
    _merge(workspace, "accounts", [acct])
    _merge(workspace, "accounts", [{**acct, "is_brand": False, "observed_at": T + dt.timedelta(days=1)}])
    assert _rows(workspace, "SELECT is_brand FROM accounts") == [(True,)]
    other = {"platform": "x", "account_id": "u2", "handle": "fan", "is_brand": False, "observed_at": T}
    _merge(workspace, "accounts", [other])
    _merge(workspace, "accounts", [{**other, "is_brand": True, "observed_at": T - dt.timedelta(days=1)}])
    assert _rows(workspace, "SELECT account_id, is_brand FROM accounts ORDER BY 1") == [("u1", True), ("u2", True)]


def test_a_newer_accounts_export_with_the_same_values_moves_the_observation_time(workspace: Workspace) -> None:
    acct = {"platform": "x", "account_id": "u1", "handle": "shop", "followers": 10, "is_brand": False}
    _merge(workspace, "accounts", [{**acct, "observed_at": T}])
    _merge(workspace, "accounts", [{**acct, "observed_at": T + dt.timedelta(days=3)}])
    assert _rows(workspace, "SELECT followers, observed_at FROM accounts") == [(10, T + dt.timedelta(days=3))]


def test_an_accounts_export_observed_at_the_same_time_only_fills_gaps(workspace: Workspace) -> None:
    """Two exports of one time that disagree: the stored values stay whether or not the second export also fills
    a gap (it used to overwrite every column only when it filled one: the bio decided the follower count)."""
    acct = {"platform": "x", "account_id": "u1", "handle": "shop", "followers": 10, "is_brand": False, "observed_at": T}
    _merge(workspace, "accounts", [acct])
    _merge(workspace, "accounts", [{**acct, "followers": 12}])
    assert _rows(workspace, "SELECT followers, bio FROM accounts") == [(10, None)]
    _merge(workspace, "accounts", [{**acct, "followers": 12, "bio": "hi"}])
    assert _rows(workspace, "SELECT followers, bio FROM accounts") == [(10, "hi")]
    # the same with no observation time on either side
    timeless = {**acct, "account_id": "u2", "observed_at": None}
    _merge(workspace, "accounts", [timeless])
    _merge(workspace, "accounts", [{**timeless, "followers": 12, "bio": "hi"}])
    assert _rows(workspace, "SELECT followers, bio FROM accounts WHERE account_id = 'u2'") == [(10, "hi")]
    # a first time given later is newer than none: its values win
    _merge(workspace, "accounts", [{**timeless, "followers": 14, "observed_at": T}])
    assert _rows(workspace, "SELECT followers, observed_at FROM accounts WHERE account_id = 'u2'") == [(14, T)]


def _log(con: Any, file: str, status: str = "done") -> int:
    import_id = q.new_import_id(con)
    q.record_import(con, {"import_id": import_id, "file": file, "format": "generic", "platform": "x", "status": status})
    return import_id


def test_rejects_go_to_the_log_under_their_file_or_archive_member(workspace: Workspace) -> None:
    with workspace.transaction() as con:
        q.create_stages(con)
        first = _log(con, "a.zip")
        q.append_rejects(con, [Reject(2, "r1", "bad", member="data/posts.js"), Reject(3, "r2", "worse")])
        assert q.flush_rejects(con, first, "a.zip") == 2
        assert q.flush_rejects(con, first, "a.zip") == 0  # flushed once
        second = _log(con, "dir")
        q.append_rejects(con, [Reject(4, "r3", "bad", member="posts.csv")])
        assert q.flush_rejects(con, second, "dir", sep="/") == 1
        q.drop_stages(con)
        assert (first, second) == (1, 2)  # the sequence starts at 1
    assert _rows(workspace, "SELECT import_id, file, line, raw, reason FROM rejects ORDER BY line") == [
        (1, "a.zip!data/posts.js", 2, "r1", "bad"),
        (1, "a.zip", 3, "r2", "worse"),
        (2, "dir/posts.csv", 4, "r3", "bad"),
    ]


def test_rejects_rows_lists_one_import_or_the_latest_import_of_each_file(workspace: Workspace) -> None:
    from signalboost.errors import IngestError

    with workspace.transaction() as con:
        q.create_stages(con)
        for file, lines in (("a.csv", (5, None, 2)), ("b.csv", (1,)), ("a.csv", (9,))):
            import_id = _log(con, file)
            q.append_rejects(con, [Reject(n, f"raw {n}", f"reason {n}") for n in lines])
            q.flush_rejects(con, import_id, file)
        q.drop_stages(con)
    with workspace.connect() as con:
        row = {"import_id": 1, "file": "a.csv", "line": 2, "reason": "reason 2", "raw": "raw 2"}
        one = q.rejects_rows(con, import_id=1)
        assert one[0] == row and [r["line"] for r in one] == [2, 5, None]  # by line, unknown lines last
        assert [r["line"] for r in q.rejects_rows(con, import_id=1, limit=2)] == [2, 5]
        latest = q.rejects_rows(con)  # a.csv's import 3 replaced its import 1
        assert [(r["import_id"], r["file"], r["line"]) for r in latest] == [(2, "b.csv", 1), (3, "a.csv", 9)]
        with pytest.raises(IngestError) as info:
            q.rejects_rows(con, import_id=4)
        assert (info.value.what, info.value.where) == ("no import 4", "--import")


def test_imports_rows_are_newest_first_and_import_row_reads_one(workspace: Workspace) -> None:
    with workspace.transaction() as con:
        for file in ("a.csv", "b.csv", "c.csv"):
            _log(con, file)
    with workspace.connect() as con:
        rows = q.imports_rows(con)
        assert [(r["import_id"], r["file"]) for r in rows] == [(3, "c.csv"), (2, "b.csv"), (1, "a.csv")]
        assert set(rows[0]) == {
            "import_id", "file", "format", "platform", "status", "rows_read", "rows_loaded", "rows_duplicate",
            "rows_merged", "rows_rejected", "finished_at",
        }  # fmt: skip
        assert [r["import_id"] for r in q.imports_rows(con, limit=1)] == [3]
        row = q.import_row(con, 2)
        assert row is not None and (row["file"], row["format"], row["status"]) == ("b.csv", "generic", "done")
        assert q.import_row(con, 9) is None


def test_stats_and_counts_per_platform_and_table(workspace: Workspace) -> None:
    later = T + dt.timedelta(days=2)
    _merge(workspace, "posts", [{"platform": "x", "post_id": "p1", "created_at": later}])
    _merge(workspace, "posts", [{"platform": "x", "post_id": "p2", "created_at": T}])
    _merge(workspace, "posts", [{"platform": "mastodon", "post_id": "p1", "created_at": T}])
    _merge(workspace, "follows", [{"platform": "x", "follower_id": "a", "followee_id": "b", "observed_at": later}])
    with workspace.connect() as con:
        stats = q.stats_rows(con)
        counts = q.table_counts(con)
    assert [(s["platform"], s["table"], s["rows"], s["first"], s["last"]) for s in stats] == [
        ("mastodon", "posts", 1, T, T),
        ("x", "follows", 1, later, later),
        ("x", "posts", 2, T, later),
    ]
    assert counts == {t: {"posts": 3, "follows": 1}.get(t, 0) for t in LOAD_TABLES}


def test_an_arrow_batch_is_not_left_registered_after_it_is_staged(workspace: Workspace) -> None:
    """The registered batch pins the Arrow table in memory until the connection closes: it is dropped once its
    rows are in the stage."""
    import duckdb

    data = pa.Table.from_pylist([{"platform": "x", "post_id": "p1"}], schema=SCHEMAS["posts"])
    with workspace.connect() as con:  # no transaction: the failing look-up below must not abort one
        q.create_stages(con)
        q.append_arrow(con, "posts", data)
        assert con.execute("SELECT post_id FROM _stage_posts").fetchall() == [("p1",)]
        with pytest.raises(duckdb.CatalogException):
            con.execute("SELECT * FROM _batch")
        q.drop_stages(con)


def test_an_interaction_repeated_with_an_unknown_and_an_empty_target_is_one_row(workspace: Workspace) -> None:
    """An unknown target is stored as '', so a row with NULL and a row with '' are the same interaction (also
    when the time is unknown: a NULL time equals a NULL time)."""
    one = {"platform": "x", "actor_id": "a", "kind": "like", "target_post_id": "p1", "occurred_at": None}
    rows = [{**one, "target_account_id": None}, {**one, "target_account_id": ""}, {**one, "actor_id": "b"}]
    mention = {**one, "actor_id": "c", "kind": "mention", "target_account_id": "u9"}
    rows += [{**mention, "target_post_id": None}, {**mention, "target_post_id": ""}]
    assert _merge(workspace, "interactions", rows) == (3, 0, 2)
    got = _rows(
        workspace, "SELECT actor_id, target_post_id, target_account_id, occurred_at FROM interactions ORDER BY 1"
    )
    assert got == [("a", "p1", "", None), ("b", "p1", "", None), ("c", "", "u9", None)]


def test_rejects_are_unregistered_once_staged_and_the_listings_have_default_limits(workspace: Workspace) -> None:
    """The Arrow table of rejects is not left registered; the rejects listing shows 1,000 rows and the imports
    listing 100 imports unless told otherwise."""
    import duckdb

    with workspace.connect() as con:  # no transaction: the failing look-up below must not abort one
        q.create_stages(con)
        import_id = _log(con, "big.csv")
        for i in range(101):
            if i:
                _log(con, f"f{i}.csv")
        q.append_rejects(con, [Reject(n, "raw", "bad") for n in range(1001)])
        with pytest.raises(duckdb.CatalogException):
            con.execute("SELECT * FROM _rej")
        q.flush_rejects(con, import_id, "big.csv")
        q.drop_stages(con)
        assert len(q.rejects_rows(con, import_id=import_id)) == 1000
        assert len(q.imports_rows(con)) == 100


def _staged_posts(con: Any, n: int) -> None:
    """``n`` posts staged by SQL (as a CSV import stages them) and merged; the stage then dropped, inside the
    import's transaction (so it keeps its memory until the commit)."""
    q.stage_sql(
        con,
        f"SELECT 'x' AS platform, 'p' || i AS post_id, repeat('text of a post ', 4) || i AS text, NULL AS _reason "
        f"FROM range({n}) r(i)",
        "SELECT 1 AS _line, '' AS _raw, NULL AS _reason",
        fixed=", ".join(
            f"NULL::{q.duck_type('posts', c)} AS {c}"
            for c in q.columns("posts")
            if c not in ("platform", "post_id", "text")
        ),
    )
    q.merge(con, "posts", "test", q.SQL_STAGE, n)
    q.drop_stages(con)


def test_dropped_stages_leave_memory_before_the_commit_and_nothing_stored_changes(
    workspace: Workspace, monkeypatch: Any
) -> None:
    """The dropped staging tables (~30 MB here) go to DuckDB's temporary file before the commit: the in-memory
    tables shrink by what ``release_stages`` reports, the cap is as it was, and every row is stored."""
    monkeypatch.setattr(q, "RELEASE_MIN", 1 << 20)
    monkeypatch.setattr(q, "RELEASE_ROOM", 2 << 20)
    memory = "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'"
    with workspace.transaction() as con:
        q.create_stages(con, memory=900_000_000)
        _staged_posts(con, 300_000)
        before = con.execute(memory).fetchall()[0][0]
        cap = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        moved = q.release_stages(con)
        after = con.execute(memory).fetchall()[0][0]
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == cap
    assert before > 16 << 20 and moved > 0.5 * before and after == before - moved
    with workspace.connect() as con:
        assert con.execute("SELECT count(*), count(DISTINCT post_id) FROM posts").fetchall()[0] == (300_000, 300_000)


def test_a_release_duckdb_refuses_leaves_the_import_untouched(workspace: Workspace, monkeypatch: Any) -> None:
    """When DuckDB cannot free the memory asked for (room below what its index needs), it refuses the lower cap on
    the side cursor; the import's transaction goes on and commits (the same SET on its own connection aborts it).
    The cap asked for is 1,000 bytes with no room in the temporary directory to move the tables to, so DuckDB must
    refuse it. (The test used a negative room before: DuckDB reads a negative memory_limit as no limit at all, so
    nothing was refused and dropping the guard went unnoticed.)"""
    monkeypatch.setattr(q, "RELEASE_MIN", 0)
    memory = (
        "SELECT coalesce(sum(memory_usage_bytes), 0), "
        "coalesce(sum(memory_usage_bytes) FILTER (WHERE tag = 'IN_MEMORY_TABLE'), 0) FROM duckdb_memory()"
    )
    with workspace.transaction() as con:
        q.create_stages(con)
        _staged_posts(con, 20_000)
        total, staged = con.execute(memory).fetchall()[0]
        monkeypatch.setattr(q, "RELEASE_ROOM", 1000 - (int(total) - int(staged)))  # target: 1,000 bytes
        con.execute("SET max_temp_directory_size = '0KiB'")  # nowhere to move the tables to: the cap is refused
        cap = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        assert q.release_stages(con) == 0
        assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] == cap
        con.execute("INSERT INTO posts (platform, post_id, source) VALUES ('x', 'after', 'test')")
    with workspace.connect() as con:
        assert con.execute("SELECT count(*) FROM posts").fetchall()[0][0] == 20_001


def test_a_small_import_is_left_in_memory(workspace: Workspace, monkeypatch: Any) -> None:
    """Below RELEASE_MIN (64 MiB) of staged rows nothing is moved, however little room is asked for above the rest
    (1 MiB here): release_stages returns 0 and the in-memory tables keep their bytes (moving a few MB out would cost
    more than it saves)."""
    monkeypatch.setattr(q, "RELEASE_ROOM", 1 << 20)
    memory = "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'"
    with workspace.transaction() as con:
        q.create_stages(con)
        _staged_posts(con, 20_000)
        before = con.execute(memory).fetchall()[0][0]
        assert 0 < before < q.RELEASE_MIN
        assert q.release_stages(con) == 0
        assert con.execute(memory).fetchall()[0][0] == before


def test_fixed_names_are_the_column_names_of_a_fixed_select_list() -> None:
    fixed = '\'x\' AS platform, NULL::VARCHAR AS "url", NULL::TIMESTAMPTZ AS "odd ""name"""'
    assert q.fixed_names(fixed) == {"platform", "url", 'odd "name"'}
    assert q.fixed_names("") == set()


def test_the_staged_key_hash_leaves_out_the_fixed_columns_and_reads_unknown_targets_as_stored() -> None:
    assert q.staged_key_hash("follows", "'x' AS platform") == 'hash("follower_id", "followee_id")'
    assert q.staged_key_hash("follows") == 'hash("platform", "follower_id", "followee_id")'
    fixed = "'x' AS platform, NULL::VARCHAR AS \"target_post_id\""
    assert q.staged_key_hash("interactions", fixed) == (
        'hash("actor_id", "kind", coalesce("target_account_id", \'\'), "occurred_at")'
    )
    every_key = ", ".join(f"NULL AS {k}" for k in ("platform", "post_id"))
    assert q.staged_key_hash("posts", every_key) == "0::UBIGINT"  # every row one group: still exact


#: Interactions as a CSV stages them (platform fixed): a repeat, a repeat whose unknown target is NULL in one row
#: and '' in the other (stored as '' both: one key), and rows differing in one key column each.
_INTERACTIONS = [
    ("a", "like", "t1", "2024-05-01 10:00:00", 1.0),
    ("a", "like", "t1", "2024-05-01 10:00:00", 2.0),  # repeat: folded, weight 2
    ("b", "reply", None, "2024-05-01 10:00:00", 1.0),
    ("b", "reply", "", "2024-05-01 10:00:00", 1.0),  # same key as the row above once stored
    ("b", "reply", "t2", "2024-05-01 10:00:00", 1.0),
    ("c", "like", "t1", None, 1.0),
    ("c", "like", "t1", None, 1.0),  # repeat with an unknown time (IS NOT DISTINCT FROM)
    ("c", "like", "t1", "2024-05-02 10:00:00", 1.0),
]


@pytest.mark.parametrize("hashed", ["staged", "all in one group", "hashed by the merge"])
def test_a_merge_from_the_hashed_stage_folds_exactly_the_repeated_keys(workspace: Workspace, hashed: str) -> None:
    """The stage's key hash (``stage_sql(..., table=)``, merged with ``key_hash=STAGE_HASH``) finds the same
    repeats as the merge's own hash, and the result does not depend on the hash: all rows under one hash value
    (as if every key collided) give the same rows. By hand: 8 rows, 3 repeats folded, 5 keys."""
    values = ", ".join(
        "({}, {}, {}, {}, {})".format(
            q.lit(a), q.lit(k), "NULL" if t is None else q.lit(t), "NULL" if o is None else f"'{o}+00'", w
        )
        for a, k, t, o, w in _INTERACTIONS
    )
    select = (
        "SELECT actor_id, kind, target_account_id, occurred_at::TIMESTAMPTZ AS occurred_at, weight, "
        f"NULL AS _reason FROM (VALUES {values}) v(actor_id, kind, target_account_id, occurred_at, weight)"
    )
    given = ("platform", "actor_id", "kind", "target_account_id", "occurred_at", "weight")
    nulls = [f"NULL::{q.duck_type('interactions', c)} AS {c}" for c in q.columns("interactions") if c not in given]
    fixed = ", ".join(["'x' AS platform", *nulls])  # target_post_id among them: unknown in every row
    with workspace.transaction() as con:
        q.create_stages(con)
        q.stage_sql(con, select, "SELECT 1 AS _line", fixed=fixed, table=None if hashed != "staged" else "interactions")
        key_hash = {"staged": q.STAGE_HASH, "all in one group": "0::UBIGINT", "hashed by the merge": None}[hashed]
        assert q.merge(con, "interactions", "test", q.SQL_STAGE, 8, key_hash=key_hash) == (5, 0, 3)
        q.drop_stages(con)
    got = _rows(
        workspace,
        "SELECT actor_id, kind, target_post_id, target_account_id, occurred_at IS NULL, weight FROM interactions "
        "ORDER BY ALL",
    )
    assert got == [
        ("a", "like", "", "t1", False, 2.0),
        ("b", "reply", "", "", False, 1.0),
        ("b", "reply", "", "t2", False, 1.0),
        ("c", "like", "", "t1", False, 1.0),
        ("c", "like", "", "t1", True, 1.0),
    ]


def test_the_stage_hash_is_computed_in_the_staging_pass(workspace: Workspace) -> None:
    """With ``table`` the stage holds ``_h``, DuckDB's hash of the varying key columns (checked against ``hash``
    of the same values); without it, the stage is the SELECT's columns only."""
    select = "SELECT 'u1' AS follower_id, 'u2' AS followee_id, NULL AS _reason"
    with workspace.transaction() as con:
        q.create_stages(con)
        q.stage_sql(con, select, "SELECT 1 AS _line", fixed="'x' AS platform", table="follows")
        assert con.execute("SELECT _h = hash('u1', 'u2') FROM _stage_sql").fetchall() == [(True,)]
        q.stage_sql(con, select, "SELECT 1 AS _line", fixed="'x' AS platform")
        assert [c[0] for c in con.execute("DESCRIBE _stage_sql").fetchall()] == [
            "follower_id",
            "followee_id",
            "_reason",
        ]


@pytest.mark.parametrize(
    ("tables", "worth"),
    [
        ({"follows": (5, 0, 0)}, False),
        ({"interactions": (5, 0, 0)}, False),
        ({"posts": (5, 0, 0), "post_metrics": (5, 0, 0)}, True),
        ({"interactions": (5, 0, 0), "accounts": (1, 0, 0)}, True),
        ({"account_snapshots": (0, 3, 0)}, True),
        ({}, False),
    ],
)
def test_the_stage_leaves_memory_before_the_commit_only_when_a_keyed_table_was_loaded(
    tables: dict[str, tuple[int, int, int]], worth: bool
) -> None:
    """Only a commit that merges a PRIMARY KEY's index (posts, post_metrics, accounts, account_snapshots) grows
    past the merge's peak: releasing the stage there is worth its CPU; for follows or interactions alone it is not."""
    from signalboost.ingest.base import ImportResult
    from signalboost.ingest.pipeline import release_worth_it

    result = ImportResult(import_id=1, file="f.csv", format="generic")
    result.per_table = dict(tables)
    assert release_worth_it(result) is worth
