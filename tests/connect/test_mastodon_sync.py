"""``sync`` of a Mastodon account through the real Mastodon.py client against the local replay server.

Expected values come from the replay world's own bookkeeping (``World.truth()``: who follows whom, which statuses,
how many favourites, reblogs, replies and quotes each was given, which mentions), never from this code's output.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.accounts import connect_mastodon, open_connector
from signalboost.connect.sync import sync_account
from signalboost.store.workspace import Workspace
from tests.connect.mastodon_replay import ReplayServer

ROOT = Path(__file__).resolve().parents[2]


def _ws(tmp_path: Path, name: str, server: ReplayServer) -> Workspace:
    ws = Workspace.open(tmp_path / name, create=True)
    with ws.connect():
        pass
    connect_mastodon(ws, server.url, server.world.token)
    return ws


def _sync(ws: Workspace, *, page_size: int = 7, full: bool = False) -> Any:
    return sync_account(ws, open_connector(ws, "mastodon"), page_size=page_size, full=full)


def _snapshot(ws: Workspace) -> dict[str, Any]:
    """The synced content without observation times and sources; other accounts' counts are those of their
    first look (not compared); follows as the set of active edges."""
    with ws.connect() as con:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(con.execute(sql).fetchall(), key=repr)

        return {
            "accounts": rows(
                "SELECT account_id, handle, name, bio, CASE WHEN is_brand THEN followers END, "
                "CASE WHEN is_brand THEN following END, CASE WHEN is_brand THEN posts_count END FROM accounts"
            ),
            "follows": rows("SELECT follower_id, followee_id FROM follows WHERE active"),
            "posts": rows("SELECT post_id, author_id, created_at, text, hashtags, reply_to, quote_of, url FROM posts"),
            "metrics": rows(
                "SELECT post_id, likes, comments, shares, quotes FROM post_metrics m WHERE observed_at = "
                "(SELECT max(observed_at) FROM post_metrics n WHERE n.post_id = m.post_id)"
            ),
            "interactions": rows(
                "SELECT actor_id, kind, target_post_id, target_account_id, occurred_at FROM interactions"
            ),
        }


def _check_against_truth(ws: Workspace, truth: dict[str, Any]) -> None:
    brand = truth["brand"]
    with ws.connect() as con:

        def ids(sql: str) -> set[str]:
            return {r[0] for r in con.execute(sql, [brand]).fetchall()}

        followers = ids("SELECT follower_id FROM follows WHERE followee_id = ? AND active")
        follows = ids("SELECT followee_id FROM follows WHERE follower_id = ? AND active")
        posts = ids("SELECT post_id FROM posts WHERE author_id = ?")
        snap = con.execute(
            "SELECT followers, following, posts_count FROM account_snapshots WHERE account_id = ? "
            "ORDER BY observed_at DESC LIMIT 1",
            [brand],
        ).fetchone()
        metrics = {
            r[0]: tuple(r[1:])
            for r in con.execute(
                "SELECT post_id, likes, comments, shares, quotes FROM post_metrics m WHERE observed_at = "
                "(SELECT max(observed_at) FROM post_metrics n WHERE n.post_id = m.post_id)"
            ).fetchall()
        }
        kinds = dict(con.execute("SELECT kind, count(*) FROM interactions GROUP BY kind").fetchall())
        warnings = dict(
            con.execute("SELECT post_id, content_warning FROM posts WHERE content_warning IS NOT NULL").fetchall()
        )
        unnamed = con.execute("SELECT count(*) FROM accounts WHERE handle IS NULL OR followers IS NULL").fetchone()[0]
        targets = con.execute(
            "SELECT count(*) FROM interactions WHERE kind IN ('like', 'repost', 'reply', 'quote') "
            "AND target_post_id NOT IN (SELECT post_id FROM posts)"
        ).fetchone()[0]
    assert followers == truth["followers"]
    assert follows == truth["follows"]
    assert posts == truth["posts"]
    assert snap == truth["profile"]
    assert metrics == truth["metrics"]
    assert {k: kinds.get(k, 0) for k in truth["interactions"]} == truth["interactions"]
    assert warnings == truth["content_warnings"]  # the CW apart from the text
    # by hand: post 1's warning, post 3's without its blanks; post 2's "   " is no warning (NULL, not " ")
    assert sorted(warnings.values()) == ["Long read: washing linen", "Spoilers: the new weave"]
    assert unnamed == 0  # every account seen has its address and counts
    assert targets == 0  # every like/repost/reply/quote points at a synced own post


def test_first_sync_equals_the_server_and_survives_429s(tmp_path: Path, server: ReplayServer) -> None:
    ws = _ws(tmp_path, "ws", server)
    base = len(server.requests)
    server.fail_429 = {base + 3, base + 12}  # two refusals in the middle of the run
    result = _sync(ws)
    truth = server.world.truth()
    _check_against_truth(ws, truth)
    assert truth["interactions"]["like"] > 50 and truth["interactions"]["quote"] > 0  # the world is not trivial
    # requests = profile + pages (Link headers: a full last page is followed by an empty one) + 2 repeats
    pages = sum(result.pages.values())
    assert result.requests == 1 + pages + 2
    assert result.pages["followers"] == len(truth["followers"]) // 7 + 1
    assert "threads" not in result.items  # every reply came with its notification
    with ws.connect() as con:
        assert con.execute("SELECT format, status FROM imports").fetchall() == [("mastodon-api", "done")]


def test_first_plus_incremental_sync_equals_one_full_sync(tmp_path: Path, server: ReplayServer) -> None:
    early = _ws(tmp_path, "early", server)
    _sync(early)
    notes = len(server.world.notes)
    server.world.phase2()
    new_notes = len(server.world.notes) - notes
    before = len(server.requests)
    second = _sync(early)
    # incremental: followers and notifications stop at the page holding the previous run's newest item (the
    # 5 new followers and the new notifications come first, 7 a page)
    assert second.pages["followers"] == 1 and second.pages["notifications"] == new_notes // 7 + 1
    late = _ws(tmp_path, "late", server)
    _sync(late)
    truth = server.world.truth()
    _check_against_truth(late, truth)
    a, b = _snapshot(early), _snapshot(late)
    # an incremental pass cannot see an unfollow (it never reaches the old end of the list) …
    gone = set(a["follows"]) - set(b["follows"])
    assert len(gone) == 1 and next(iter(gone))[1] == truth["brand"]
    assert {k: v for k, v in a.items() if k != "follows"} == {k: v for k, v in b.items() if k != "follows"}
    # … a full pass does, and then the two workspaces hold the same
    _sync(early, full=True)
    assert _snapshot(early) == _snapshot(late)
    assert len(server.requests) > before


def test_kill_9_mid_sync_resumes_with_nothing_lost_or_twice(
    tmp_path: Path, server: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    whole = _ws(tmp_path, "whole", server)
    _sync(whole, page_size=5)
    killed = _ws(tmp_path, "killed", server)
    reached, release = threading.Event(), threading.Event()
    seen_notifications = []

    def hold(n: int, path: str) -> None:
        if path.endswith("/notifications"):
            seen_notifications.append(n)
            if len(seen_notifications) == 4:  # three notification pages are committed: stop in the fourth
                reached.set()
                release.wait(30)

    server.on_request = hold
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "signalboost.cli.main", "sync", "-w", str(killed.root), "--page-size", "5"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert reached.wait(120), "the sync never reached its fourth notifications page"
        os.kill(proc.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    finally:
        release.set()
        server.on_request = None
    assert proc.returncode == -signal.SIGKILL
    with killed.connect() as con:
        assert con.execute("SELECT status FROM imports").fetchone()[0] == "running"
        assert con.execute("SELECT count(*) FROM interactions").fetchone()[0] > 0  # pages before the kill are kept
    rerun = subprocess.run([*cmd, "--format", "json"], capture_output=True, text=True, env=env, check=True)
    (row,) = json.loads(rerun.stdout)["rows"]
    assert row["resumed"] is True and row["platform"] == "mastodon"
    assert _snapshot(killed) == _snapshot(whole)
    _check_against_truth(killed, server.world.truth())
    with killed.connect() as con:
        assert con.execute("SELECT count(*), min(status) FROM imports").fetchone() == (1, "done")
        # one snapshot per post and run: the page fetched again after the kill wrote nothing twice
        assert con.execute("SELECT count(*) = count(DISTINCT post_id) FROM post_metrics").fetchone()[0]
    token = server.world.token
    assert token not in out + err + rerun.stdout + rerun.stderr + caplog.text
    assert token.encode() not in killed.db_path.read_bytes()


def test_the_token_appears_in_no_output_database_or_export(
    tmp_path: Path, server: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's included
    ws = _ws(tmp_path, "ws", server)
    _sync(ws)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    outputs = []
    for args in (
        ["sync", "--format", "json"],
        ["connections", "--format", "csv"],
        ["imports", "--format", "json"],
        ["export", "--parquet", str(tmp_path / "parquet")],
    ):
        res = subprocess.run(
            [sys.executable, "-m", "signalboost.cli.main", *args, "-w", str(ws.root)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert res.returncode == 0, res.stderr
        outputs.append(res.stdout + res.stderr)
    token = server.world.token
    assert token not in "".join(outputs) + caplog.text
    assert token.encode() not in ws.db_path.read_bytes()
    for path in (tmp_path / "parquet").rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
    with ws.connect() as con:
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            assert token not in repr(con.execute(f'SELECT * FROM "{table}"').fetchall()), table


def test_fetch_audience_reads_other_accounts_followers(tmp_path: Path, server: ReplayServer) -> None:
    from signalboost.connect.audience import fetch_audiences

    ws = _ws(tmp_path, "ws", server)
    w = server.world
    # the account with most followers in the world (besides the brand), named as a user would: @user@domain
    counts = {a: w.count(a, "followers") for a in w.accounts if a != w.brand.local_id}
    target = w.accounts[max(counts, key=lambda a: (counts[a], a))]
    expected = {w.accounts[f[1]].canonical for f in w.follows if f[2] == target.local_id}
    assert len(expected) >= 2
    (result,) = fetch_audiences(ws, open_connector(ws, "mastodon"), [f"@{target.canonical}"], page_size=1)
    assert (result.handle, result.followers_fetched, result.complete) == (target.canonical, len(expected), True)
    with ws.connect() as con:
        got = {
            r[0]
            for r in con.execute(
                "SELECT follower_id FROM follows WHERE followee_id = ? AND active", [target.canonical]
            ).fetchall()
        }
    assert got == expected
    # one lookup, one request per follower (page size 1), and the empty page that ends the list
    assert result.requests == 1 + len(expected) + 1
    with pytest.raises(Exception, match="no mastodon account"):
        fetch_audiences(ws, open_connector(ws, "mastodon"), ["@nobody@nowhere.example"])


def test_refresh_pulls_another_accounts_profile_and_recent_statuses(tmp_path: Path, server: ReplayServer) -> None:
    from signalboost.connect.audience import refresh_account

    ws = _ws(tmp_path, "ws", server)
    w = server.world
    # the non-brand account with most statuses in the world, named as a user would: @user@domain
    counts = {a: sum(1 for s in w.statuses.values() if s.account == a) for a in w.accounts if a != w.brand.local_id}
    target = w.accounts[max(counts, key=lambda a: (counts[a], a))]
    expected = {w.status_uri(s): s for s in w.statuses.values() if s.account == target.local_id}
    assert len(expected) >= 2
    res = refresh_account(ws, open_connector(ws, "mastodon"), f"@{target.canonical}", page_size=1)
    assert (res.account_id, res.posts_fetched) == (target.canonical, len(expected))
    assert res.followers == w.count(target.local_id, "followers")
    # one lookup, one request per status (page size 1), and the empty page that ends the list
    assert res.requests == 1 + len(expected) + 1
    with ws.connect() as con:
        posts = dict(
            con.execute("SELECT post_id, author_id FROM posts WHERE author_id = ?", [target.canonical]).fetchall()
        )
        likes = dict(
            con.execute(
                "SELECT post_id, likes FROM post_metrics WHERE post_id IN (SELECT unnest(?))", [list(expected)]
            ).fetchall()
        )
        snaps = con.execute(
            "SELECT followers FROM account_snapshots WHERE account_id = ?", [target.canonical]
        ).fetchall()
    assert set(posts) == set(expected)
    assert likes == {uri: len(s.favourites) for uri, s in expected.items()}
    assert snaps == [(w.count(target.local_id, "followers"),)]
    # a second refresh adds a dated snapshot and metrics, never a second copy of a post
    refresh_account(ws, open_connector(ws, "mastodon"), target.canonical)
    with ws.connect() as con:
        n_posts = con.execute("SELECT count(*) FROM posts WHERE author_id = ?", [target.canonical]).fetchone()[0]
    assert n_posts == len(expected)
