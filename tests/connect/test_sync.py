"""``connect`` + ``sync`` against the real local Bluesky network (tests/connect/devnet).

Expected values come from the seed's own bookkeeping (``truth``: who follows whom, which posts, how many likes,
reposts, replies and quotes each brand post was given), never from this code's output. The tests run in file
order: the last ones add a second round of writes to the network (``phase2``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.accounts import connect_bluesky, disconnect, list_connections, open_connector
from signalboost.connect.sync import sync_account
from signalboost.errors import ConnectError
from signalboost.store.workspace import Workspace

pytestmark = pytest.mark.bluesky
ROOT = Path(__file__).resolve().parents[2]


def _ws(tmp_path: Path, name: str) -> Workspace:
    ws = Workspace.open(tmp_path / name, create=True)
    with ws.connect():
        pass
    return ws


def _connect(ws: Workspace, net: Any) -> None:
    connect_bluesky(ws, net.brand["handle"], net.brand["app_password"], service=net.pds)


def _sync(ws: Workspace, *, page_size: int = 4) -> Any:
    return sync_account(ws, open_connector(ws, "bluesky"), page_size=page_size)


def _snapshot(ws: Workspace) -> dict[str, Any]:
    """The workspace's synced content, without observation times and sources (they differ between runs)."""
    with ws.connect() as con:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return sorted(con.execute(sql).fetchall(), key=repr)

        latest = (
            "SELECT post_id, likes, comments, shares, quotes FROM post_metrics m WHERE observed_at = "
            "(SELECT max(observed_at) FROM post_metrics n WHERE n.post_id = m.post_id)"
        )
        return {
            # other accounts' counts are those of their first look (a full sync refreshes them): not compared
            "accounts": rows(
                "SELECT account_id, handle, name, bio, CASE WHEN is_brand THEN followers END, "
                "CASE WHEN is_brand THEN following END, CASE WHEN is_brand THEN posts_count END FROM accounts"
            ),
            "follows": rows("SELECT follower_id, followee_id, active FROM follows"),
            "posts": rows("SELECT post_id, author_id, created_at, text, reply_to, quote_of, url FROM posts"),
            "metrics": rows(latest),
            "interactions": rows(
                "SELECT actor_id, kind, target_post_id, target_account_id, occurred_at FROM interactions"
            ),
        }


def _check_against_truth(ws: Workspace, truth: dict[str, Any]) -> None:
    brand = truth["brand_did"]
    with ws.connect() as con:
        followers = {
            r[0]
            for r in con.execute("SELECT follower_id FROM follows WHERE followee_id = ? AND active", [brand]).fetchall()
        }
        follows = {
            r[0]
            for r in con.execute("SELECT followee_id FROM follows WHERE follower_id = ? AND active", [brand]).fetchall()
        }
        posts = {r[0] for r in con.execute("SELECT post_id FROM posts WHERE author_id = ?", [brand]).fetchall()}
        snap = con.execute(
            "SELECT followers, following, posts_count FROM account_snapshots WHERE account_id = ? "
            "ORDER BY observed_at DESC LIMIT 1",
            [brand],
        ).fetchone()
        metrics = {
            r[0]: {"likes": r[1], "replies": r[2], "reposts": r[3], "quotes": r[4]}
            for r in con.execute(
                "SELECT post_id, likes, comments, shares, quotes FROM post_metrics m WHERE observed_at = "
                "(SELECT max(observed_at) FROM post_metrics n WHERE n.post_id = m.post_id)"
            ).fetchall()
        }
        kinds = dict(con.execute("SELECT kind, count(*) FROM interactions GROUP BY kind").fetchall())
        unnamed = con.execute("SELECT count(*) FROM accounts WHERE handle IS NULL OR followers IS NULL").fetchone()[0]
    assert followers == set(truth["followers"])
    assert follows == set(truth["follows"])
    assert posts == set(truth["brand_posts"])
    assert snap == (len(truth["followers"]), len(truth["follows"]), len(truth["brand_posts"]))
    # the counts are the network's: what its AppView serves (its aggregates can miss one of two likes indexed at
    # once), which may differ from the seeded ones by that one; the interactions below are counted from the records
    served = truth["served"]
    assert {p: metrics[p] for p in served} == served
    assert all(abs(served[p][k] - e[k]) <= 1 for p, e in truth["engagement"].items() for k in e)
    engagement = truth["engagement"].values()
    assert kinds.get("like", 0) == sum(e["likes"] for e in engagement)
    assert kinds.get("repost", 0) == sum(e["reposts"] for e in engagement)
    assert kinds.get("reply", 0) == sum(e["replies"] for e in engagement)
    assert kinds.get("quote", 0) == sum(e["quotes"] for e in engagement)
    assert kinds.get("mention", 0) == truth["mentions"]
    assert unnamed == 0  # every account seen has its handle and counts


def test_connect_keeps_the_credential_out_of_the_database(tmp_path: Path, bluesky_net: Any) -> None:
    ws = _ws(tmp_path, "ws")
    _connect(ws, bluesky_net)
    (row,) = list_connections(ws)
    assert (row["platform"], row["handle"], row["account_id"]) == ("bluesky", "brand.test", bluesky_net.brand["did"])
    assert row["credential"] == "stored" and row["last_sync_at"] is None
    assert (ws.root / "secrets.json").stat().st_mode & 0o077 == 0
    password = bluesky_net.brand["app_password"].encode()
    assert password not in ws.db_path.read_bytes()
    assert disconnect(ws, "bluesky") and list_connections(ws) == []
    assert password not in (ws.root / "secrets.json").read_bytes()
    with pytest.raises(ConnectError, match="no bluesky account is connected"):
        open_connector(ws, "bluesky")


def test_a_wrong_app_password_is_refused_without_echoing_it(tmp_path: Path, bluesky_net: Any) -> None:
    ws = _ws(tmp_path, "ws")
    with pytest.raises(ConnectError, match="refused the handle or app password") as info:
        connect_bluesky(ws, "brand.test", "wrong-pass-1234", service=bluesky_net.pds)
    assert "wrong-pass-1234" not in str(info.value)
    assert not (ws.root / "secrets.json").exists()


def test_first_sync_equals_the_network(tmp_path: Path, bluesky_net: Any) -> None:
    ws = _ws(tmp_path, "ws")
    _connect(ws, bluesky_net)
    result = _sync(ws)
    _check_against_truth(ws, bluesky_net.truth)
    assert result.items["followers"] == len(bluesky_net.truth["followers"])
    # pages of 4: ceil(n / 4) pages, +1 when n is a multiple of 4 and the server only then says "the end"
    assert result.pages["followers"] >= -(-len(bluesky_net.truth["followers"]) // 4)
    with ws.connect() as con:
        status, loaded = con.execute("SELECT status, rows_loaded FROM imports").fetchone()
        last = con.execute("SELECT last_sync_at FROM connections").fetchone()[0]
    assert status == "done" and loaded > 0 and last is not None
    # a second run at once adds no follower, post or interaction, only the new dated snapshots
    before = _snapshot(ws)
    again = _sync(ws)
    assert _snapshot(ws) == before
    assert again.items["followers"] <= 4 and again.pages["followers"] == 1  # stopped at the known head
    with ws.connect() as con:
        assert con.execute("SELECT count(DISTINCT observed_at) FROM post_metrics").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM account_snapshots").fetchone()[0] == 2


def test_replies_the_notifications_missed_are_read_from_the_threads(tmp_path: Path, bluesky_net: Any) -> None:
    ws = _ws(tmp_path, "ws")
    _connect(ws, bluesky_net)
    _sync(ws)
    engagement = bluesky_net.truth["served"].values()  # the reply counts the posts show
    with ws.transaction() as con:  # as if the notifications' paging had skipped every reply
        con.execute("DELETE FROM interactions WHERE kind = 'reply'")
    result = _sync(ws)  # the incremental notifications pass brings none back: the posts' reply counts do
    assert result.items["threads"] == sum(1 for e in engagement if e["replies"]) > 0
    _check_against_truth(ws, bluesky_net.truth)
    assert "threads" not in _sync(ws).items  # nothing missing any more: no thread is read


def test_first_plus_incremental_sync_equals_one_full_sync_and_kill_9_resumes(tmp_path: Path, bluesky_net: Any) -> None:
    early = _ws(tmp_path, "early")
    _connect(early, bluesky_net)
    _sync(early)
    truth = bluesky_net.command("phase2")["truth"]  # new followers, follows, posts, likes, mentions
    bluesky_net.truth = truth
    incremental = _sync(early)
    assert incremental.pages["followers"] < 5
    late = _ws(tmp_path, "late")
    _connect(late, bluesky_net)
    _sync(late)
    _check_against_truth(late, truth)
    _check_against_truth(early, truth)
    assert _snapshot(early) == _snapshot(late)
    # --full refreshes every profile: then even other accounts' counts are equal
    sync_account(early, open_connector(early, "bluesky"), page_size=50, full=True)
    counts = "SELECT account_id, followers, following, posts_count FROM accounts ORDER BY 1"
    with early.connect() as a, late.connect() as b:
        assert a.execute(counts).fetchall() == b.execute(counts).fetchall()

    # kill -9 in the middle of a sync run by the CLI, then run it again: the same content, nothing twice
    killed = _ws(tmp_path, "killed")
    _connect(killed, bluesky_net)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "signalboost.cli.main", "sync", "-w", str(killed.root), "--page-size", "2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "notifications" in line and "page 3" in line:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    with killed.connect() as con:
        assert con.execute("SELECT status FROM imports").fetchone()[0] == "running"
    rerun = subprocess.run([*cmd, "--format", "json"], capture_output=True, text=True, env=env, check=True)
    assert '"resumed": true' in rerun.stdout
    assert _snapshot(killed) == _snapshot(late)
    with killed.connect() as con:
        assert con.execute("SELECT count(*), min(status) FROM imports").fetchone() == (1, "done")
        # one snapshot per post and run: the page fetched again after the kill wrote nothing twice
        assert con.execute("SELECT count(*) = count(DISTINCT post_id) FROM post_metrics").fetchone()[0]
    secret = bluesky_net.brand["app_password"]
    assert secret not in rerun.stdout + rerun.stderr + "".join(seen)
    assert secret.encode() not in killed.db_path.read_bytes()
