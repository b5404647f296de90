"""``publish`` to Mastodon through the real Mastodon.py client against the local replay server: only approved due
posts, exactly once — after a crash between sending and recording, after a crash before the request left, and
when the server handled a request whose answer was lost (``Idempotency-Key``)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.accounts import connect_mastodon, open_connector
from signalboost.connect.publish import approve, publish_due
from signalboost.errors import ConnectError
from signalboost.plan.service import set_status
from signalboost.store.workspace import Workspace
from tests.connect.mastodon_replay import ReplayServer
from tests.connect.publishing import CrashAfterSend, publication_status
from tests.planned import planned, store_planned

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _workspace(tmp_path: Path, server: ReplayServer, posts: list[tuple[str, str, dt.datetime]]) -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    store_planned(ws, (planned(pid, text, when, network="mastodon") for pid, text, when in posts), NOW)
    connect_mastodon(ws, server.url, server.world.token)
    return ws


def _on_server(server: ReplayServer, text: str) -> list[Any]:
    """The brand's statuses with this text, as the server holds them."""
    w = server.world
    return [s for s in w.statuses.values() if s.account == w.brand.local_id and s.text == text]


def test_only_approved_due_posts_are_sent_once(tmp_path: Path, server: ReplayServer) -> None:
    past, future = NOW - dt.timedelta(minutes=5), NOW + dt.timedelta(days=1)
    due_text = "Linen week: see https://example.com/linen with @maker@elsewhere.example #slowfashion"
    ws = _workspace(
        tmp_path,
        server,
        [
            ("sb-due000000001", due_text, past),
            ("sb-draft0000001", "A draft, never approved", past),
            ("sb-later0000001", "Approved but due tomorrow", future),
        ],
    )
    approve(ws, "sb-due000000001")
    approve(ws, "sb-later0000001")
    connector = open_connector(ws, "mastodon")
    dry = publish_due(ws, connector, dry_run=True)
    assert [(o.plan_id, o.action) for o in dry] == [("sb-due000000001", "would-send")]
    assert server.world.posts_sent == 0  # a dry run sends nothing
    (out,) = publish_due(ws, connector)
    assert out.action == "sent"
    (sent,) = _on_server(server, due_text)
    status, state, url, post_id = publication_status(ws, "sb-due000000001")
    assert (status, state) == ("published", "sent")
    assert post_id == f"https://social.example/users/brand/statuses/{sent.local_id}"
    assert url == out.url == f"https://social.example/@brand/{sent.local_id}"
    with ws.connect() as con:  # in posts at once, with the pillar and tactic it was planned for
        assert con.execute(
            "SELECT author_id, text, url, pillars, tactic FROM posts WHERE post_id = ?", [post_id]
        ).fetchone() == ("brand@social.example", due_text, url, ["craft"], "linen-week")
    assert publish_due(ws, connector) == []  # nothing due any more: not sent twice
    assert server.world.posts_sent == 1
    assert publication_status(ws, "sb-draft0000001")[0] == "drafted"
    assert publication_status(ws, "sb-later0000001")[0] == "approved"
    # every POST carried an Idempotency-Key (the server keeps them): one key, one status
    assert list(server.world.idempotency.values()) == [sent.local_id]


class _CrashBeforeSend(CrashAfterSend):
    def publish(self, text: str, record_key: str, **kw: Any) -> Any:
        raise KeyboardInterrupt("killed before the request left")


@pytest.mark.parametrize("text", ["Crash-safe post", "Crash-safe post for @maker@elsewhere.example & co"])
def test_a_crash_between_send_and_record_does_not_post_twice(tmp_path: Path, server: ReplayServer, text: str) -> None:
    ws = _workspace(tmp_path, server, [("sb-crash0000001", text, NOW - dt.timedelta(minutes=1))])
    approve(ws, "sb-crash0000001")
    with pytest.raises(KeyboardInterrupt):
        publish_due(ws, CrashAfterSend(open_connector(ws, "mastodon")))  # type: ignore[arg-type]
    assert publication_status(ws, "sb-crash0000001")[:2] == ("approved", "sending")  # intent recorded, outcome unknown
    assert len(_on_server(server, text)) == 1
    server.world.idempotency.clear()  # the key has expired (Mastodon keeps it an hour): only reconciliation helps
    sources = len([r for r in server.requests if r[1].endswith("/source")])
    (out,) = publish_due(ws, open_connector(ws, "mastodon"))
    assert out.action == "recovered"
    (sent,) = _on_server(server, text)
    assert publication_status(ws, "sb-crash0000001")[:2] == ("published", "sent")
    assert (
        publication_status(ws, "sb-crash0000001")[3] == f"https://social.example/users/brand/statuses/{sent.local_id}"
    )
    assert server.world.posts_sent == 1
    # the rendered HTML shows a remote mention as @maker only: then the exact source text decides
    looked_up = len([r for r in server.requests if r[1].endswith("/source")]) - sources
    assert looked_up == (1 if "@maker@" in text else 0)


def test_a_crash_before_the_request_left_sends_it_on_the_next_run(tmp_path: Path, server: ReplayServer) -> None:
    text = "Sent on the second run"
    ws = _workspace(tmp_path, server, [("sb-crash0000002", text, NOW - dt.timedelta(minutes=1))])
    approve(ws, "sb-crash0000002")
    with pytest.raises(KeyboardInterrupt):
        publish_due(ws, _CrashBeforeSend(open_connector(ws, "mastodon")))  # type: ignore[arg-type]
    assert server.world.posts_sent == 0
    (out,) = publish_due(ws, open_connector(ws, "mastodon"))
    assert out.action == "sent" and len(_on_server(server, text)) == 1


def test_a_lost_answer_is_retried_under_the_same_idempotency_key(tmp_path: Path, server: ReplayServer) -> None:
    text = "The proxy timed out, the server did not"
    ws = _workspace(tmp_path, server, [("sb-lost00000001", text, NOW - dt.timedelta(minutes=1))])
    approve(ws, "sb-lost00000001")
    connector = open_connector(ws, "mastodon")
    server.lose_response = {len(server.requests) + 1}  # the POST is handled, its answer replaced by a 502
    (out,) = publish_due(ws, connector)
    assert out.action == "sent"
    posts = [r for r in server.requests if r == ("POST", "/api/v1/statuses")]
    assert len(posts) == 2 and len(_on_server(server, text)) == 1 and server.world.posts_sent == 1


def test_text_past_the_limit_is_refused_at_approval_and_never_sent(tmp_path: Path, server: ReplayServer) -> None:
    long = "x" * 480 + " https://example.com/" + "y" * 40  # 480 + 1 + 23 (any URL) = 504
    ws = _workspace(tmp_path, server, [("sb-long00000001", long, NOW - dt.timedelta(minutes=1))])
    with pytest.raises(ConnectError, match="504 characters long; mastodon allows 500"):
        approve(ws, "sb-long00000001")
    set_status(ws, "sb-long00000001", "approved")  # approved by another way: publish still refuses it
    (out,) = publish_due(ws, open_connector(ws, "mastodon"))
    assert out.action == "failed" and "mastodon allows 500" in (out.error or "")
    assert publication_status(ws, "sb-long00000001")[:2] == ("failed", "failed")
    assert server.world.posts_sent == 0


def test_cli_publish_sends_and_never_prints_the_token(tmp_path: Path, server: ReplayServer) -> None:
    text = "From the command line"
    ws = _workspace(tmp_path, server, [("sb-cli000000001", text, NOW - dt.timedelta(minutes=1))])
    approve(ws, "sb-cli000000001")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "signalboost.cli.main", "publish", "-p", "mastodon", "-w", str(ws.root)]
    dry = subprocess.run([*cmd, "--dry-run", "--format", "json"], capture_output=True, text=True, env=env, check=True)
    assert [r["action"] for r in json.loads(dry.stdout)["rows"]] == ["would-send"]
    real = subprocess.run([*cmd, "--format", "json"], capture_output=True, text=True, env=env, check=True)
    (row,) = json.loads(real.stdout)["rows"]
    assert (row["action"], row["network"]) == ("sent", "mastodon") and row["url"].startswith(
        "https://social.example/@brand/"
    )
    assert server.world.posts_sent == 1
    assert server.world.token not in dry.stdout + dry.stderr + real.stdout + real.stderr
