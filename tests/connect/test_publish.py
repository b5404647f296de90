"""``publish`` against the real local Bluesky network: only approved due posts, exactly once, even after a crash
between sending and recording. Posts are published as ``user1.test`` so the brand's counts stay the seed's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.accounts import connect_bluesky, open_connector
from signalboost.connect.publish import approve, publish_due
from signalboost.errors import ConnectError
from signalboost.plan.service import set_status
from signalboost.store.workspace import Workspace
from tests.connect.publishing import CrashAfterSend, publication_status
from tests.planned import planned, store_planned

pytestmark = pytest.mark.bluesky
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _workspace(tmp_path: Path, net: Any, posts: list[tuple[str, str, dt.datetime]]) -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    store_planned(ws, (planned(pid, text, when) for pid, text, when in posts), NOW)
    connect_bluesky(ws, "user1.test", "pw-1", service=net.pds)
    return ws


def _own_posts(ws: Workspace) -> list[dict[str, Any]]:
    """Every post record in user1's repository (the source of truth, no indexing involved)."""
    connector: Any = open_connector(ws, "bluesky")
    res = connector.client.com.atproto.repo.list_records(
        {"repo": connector.account_id, "collection": "app.bsky.feed.post", "limit": 100}
    )
    return [{"uri": r.uri, "text": r.value.text, "facets": r.value.facets} for r in res.records]


def test_only_approved_due_posts_are_sent_once_with_facets(tmp_path: Path, bluesky_net: Any) -> None:
    past, future = NOW - dt.timedelta(minutes=5), NOW + dt.timedelta(days=1)
    due_text = "Linen week: see https://example.com/linen with @user2.test #slowfashion"
    ws = _workspace(
        tmp_path,
        bluesky_net,
        [
            ("sb-due000000001", due_text, past),
            ("sb-draft0000001", "A draft, never approved", past),
            ("sb-later0000001", "Approved but due tomorrow", future),
        ],
    )
    before = len(_own_posts(ws))
    approve(ws, "sb-due000000001")
    approve(ws, "sb-later0000001")
    connector = open_connector(ws, "bluesky")
    dry = publish_due(ws, connector, dry_run=True)
    assert [(o.plan_id, o.action) for o in dry] == [("sb-due000000001", "would-send")]
    assert len(_own_posts(ws)) == before  # a dry run sends nothing
    (out,) = publish_due(ws, connector)
    assert out.action == "sent" and out.url is not None
    status, state, url, post_id = publication_status(ws, "sb-due000000001")
    assert (status, state) == ("published", "sent")
    assert url == f"https://bsky.app/profile/user1.test/post/{post_id.rsplit('/', 1)[1]}"
    records = _own_posts(ws)
    assert len(records) == before + 1
    (mine,) = [r for r in records if r["uri"] == post_id]
    assert mine["text"] == due_text
    raw = due_text.encode()
    spans = sorted((raw[f.index.byte_start : f.index.byte_end].decode(), f.features[0].py_type) for f in mine["facets"])
    assert spans == [
        ("#slowfashion", "app.bsky.richtext.facet#tag"),
        ("@user2.test", "app.bsky.richtext.facet#mention"),
        ("https://example.com/linen", "app.bsky.richtext.facet#link"),
    ]
    with ws.connect() as con:  # in posts at once, with the pillar and tactic it was planned for
        assert con.execute(
            "SELECT author_id, text, url, pillars, tactic FROM posts WHERE post_id = ?", [post_id]
        ).fetchone() == (connector.account_id, due_text, url, ["craft"], "linen-week")
    assert publish_due(ws, connector) == []  # nothing due any more: not sent twice
    assert publication_status(ws, "sb-draft0000001")[0] == "drafted"
    assert publication_status(ws, "sb-later0000001")[0] == "approved"
    # and the AppView shows it in the author feed
    bluesky_net.command("process")
    feed = connector.client.app.bsky.feed.get_author_feed({"actor": "user1.test", "limit": 10})  # type: ignore[attr-defined]
    assert sum(1 for item in feed.feed if item.post.uri == post_id) == 1


def test_a_crash_between_send_and_record_does_not_post_twice(tmp_path: Path, bluesky_net: Any) -> None:
    text = f"Crash-safe post {NOW.isoformat()}"
    ws = _workspace(tmp_path, bluesky_net, [("sb-crash0000001", text, NOW - dt.timedelta(minutes=1))])
    approve(ws, "sb-crash0000001")
    with pytest.raises(KeyboardInterrupt):
        publish_due(ws, CrashAfterSend(open_connector(ws, "bluesky")))  # type: ignore[arg-type]
    assert publication_status(ws, "sb-crash0000001")[:2] == ("approved", "sending")  # intent recorded, outcome unknown
    (out,) = publish_due(ws, open_connector(ws, "bluesky"))
    assert out.action == "recovered"
    assert publication_status(ws, "sb-crash0000001")[:2] == ("published", "sent")
    assert sum(1 for r in _own_posts(ws) if r["text"] == text) == 1


def test_text_past_the_limit_is_refused_at_approval_and_never_sent(tmp_path: Path, bluesky_net: Any) -> None:
    long = "x" * 301
    ws = _workspace(tmp_path, bluesky_net, [("sb-long00000001", long, NOW - dt.timedelta(minutes=1))])
    with pytest.raises(ConnectError, match="301 characters long; bluesky allows 300"):
        approve(ws, "sb-long00000001")
    set_status(ws, "sb-long00000001", "approved")  # approved by another way: publish still refuses it
    (out,) = publish_due(ws, open_connector(ws, "bluesky"))
    assert out.action == "failed" and "bluesky allows 300" in (out.error or "")
    assert publication_status(ws, "sb-long00000001")[:2] == ("failed", "failed")
    assert not any(r["text"] == long for r in _own_posts(ws))
