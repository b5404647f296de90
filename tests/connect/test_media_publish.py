"""Images with alt text and threads, published to the real local Bluesky network and read back from the
repository and the AppView; a crash mid-thread resumes with the missing parts only."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.accounts import connect_bluesky, open_connector
from signalboost.connect.media import attach, set_thread
from signalboost.connect.publish import approve, publish_due
from signalboost.store.workspace import Workspace
from tests.connect.images import write_png
from tests.planned import planned, store_planned

pytestmark = pytest.mark.bluesky
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def _workspace(tmp_path: Path, net: Any, posts: list[tuple[str, str]]) -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    when = NOW - dt.timedelta(minutes=2)
    store_planned(ws, (planned(pid, text, when, fmt="photo", pillars=(), tactic=None) for pid, text in posts), NOW)
    connect_bluesky(ws, "user1.test", "pw-1", service=net.pds)
    return ws


def _record(connector: Any, uri: str) -> Any:
    return connector.client.com.atproto.repo.get_record(
        {"repo": connector.account_id, "collection": "app.bsky.feed.post", "rkey": uri.rsplit("/", 1)[1]}
    )


def _parts(ws: Workspace, pid: str) -> list[tuple[int, str | None, str | None]]:
    with ws.connect() as con:
        return con.execute(
            "SELECT part, post_id, cid FROM publication_parts WHERE plan_id = ? ORDER BY part", [pid]
        ).fetchall()


def test_two_images_with_alt_and_a_three_part_thread(tmp_path: Path, bluesky_net: Any) -> None:
    ws = _workspace(
        tmp_path,
        bluesky_net,
        [("sb-images000001", "Two shirts, two colours"), ("sb-thread000001", "1/ Why linen? A thread")],
    )
    red = write_png(ws.root / "media" / "red.png", rgb=(220, 30, 30))
    blue = write_png(ws.root / "media" / "blue.png", 10, 4, rgb=(20, 40, 220))
    attach(ws, "sb-images000001", red, "A red linen shirt on a hanger")
    attach(ws, "sb-images000001", blue, "A blue linen shirt, folded")
    set_thread(ws, "sb-thread000001", ["2/ It breathes", "3/ It lasts for years"])
    attach(ws, "sb-thread000001", blue, "A blue linen shirt, folded", part=2)
    approve(ws, "sb-images000001")
    approve(ws, "sb-thread000001")
    connector: Any = open_connector(ws, "bluesky")
    outcomes = {o.plan_id: o.action for o in publish_due(ws, connector)}
    assert outcomes == {"sb-images000001": "sent", "sb-thread000001": "sent"}

    with ws.connect() as con:
        image_uri = con.execute("SELECT post_id FROM publications WHERE plan_id = 'sb-images000001'").fetchone()[0]
    value = _record(connector, image_uri).value
    assert value.text == "Two shirts, two colours"
    assert [i.alt for i in value.embed.images] == ["A red linen shirt on a hanger", "A blue linen shirt, folded"]
    assert [i.image.mime_type for i in value.embed.images] == ["image/png", "image/png"]
    assert [i.image.size for i in value.embed.images] == [red.stat().st_size, blue.stat().st_size]

    parts = _parts(ws, "sb-thread000001")
    assert [p[0] for p in parts] == [0, 1, 2] and all(p[1] and p[2] for p in parts)
    (root_uri, root_cid), (mid_uri, mid_cid), (last_uri, _) = [(p[1], p[2]) for p in parts]
    root, mid, last = (_record(connector, u) for u in (root_uri, mid_uri, last_uri))
    assert (root.value.text, mid.value.text, last.value.text) == (
        "1/ Why linen? A thread",
        "2/ It breathes",
        "3/ It lasts for years",
    )
    assert root.value.reply is None and root.cid == root_cid and mid.cid == mid_cid
    assert (mid.value.reply.root.uri, mid.value.reply.root.cid) == (root_uri, root_cid)
    assert (mid.value.reply.parent.uri, mid.value.reply.parent.cid) == (root_uri, root_cid)
    assert (last.value.reply.root.uri, last.value.reply.parent.uri, last.value.reply.parent.cid) == (
        root_uri,
        mid_uri,
        mid_cid,
    )
    assert [i.alt for i in last.value.embed.images] == ["A blue linen shirt, folded"]

    # the AppView indexes them as a thread and shows the alt text
    bluesky_net.command("process")
    thread = connector.client.app.bsky.feed.get_post_thread({"uri": root_uri, "depth": 5}).thread
    (reply1,) = thread.replies
    (reply2,) = reply1.replies
    assert (reply1.post.uri, reply2.post.uri) == (mid_uri, last_uri)
    assert [i.alt for i in reply2.post.embed.images] == ["A blue linen shirt, folded"]
    (view,) = connector.client.app.bsky.feed.get_posts({"uris": [image_uri]}).posts
    assert [i.alt for i in view.embed.images] == ["A red linen shirt on a hanger", "A blue linen shirt, folded"]


class _CrashOnPart:
    """The real connector, but the process 'dies' right after the network accepted thread part ``n``."""

    def __init__(self, real: Any, n: int) -> None:
        self._real, self._n, self.calls = real, n, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def publish(self, text: str, record_key: str, **kw: Any) -> Any:
        sent = self._real.publish(text, record_key, **kw)
        self.calls += 1
        if self.calls == self._n:
            raise KeyboardInterrupt("killed between send and record")
        return sent


def test_a_crash_mid_thread_resumes_with_the_missing_parts_only(tmp_path: Path, bluesky_net: Any) -> None:
    stamp = f"mid-thread {uuid.uuid4().hex}"  # unique on the shared network
    texts = [f"A {stamp}", f"B {stamp}", f"C {stamp}"]
    ws = _workspace(tmp_path, bluesky_net, [("sb-crashthread1", texts[0])])
    set_thread(ws, "sb-crashthread1", texts[1:])
    approve(ws, "sb-crashthread1")
    with pytest.raises(KeyboardInterrupt):
        publish_due(ws, _CrashOnPart(open_connector(ws, "bluesky"), 2))  # type: ignore[arg-type]
    parts = _parts(ws, "sb-crashthread1")
    assert [(p[0], p[1] is not None) for p in parts] == [(0, True), (1, False), (2, False)]  # part 1 in flight
    resumed = _CrashOnPart(open_connector(ws, "bluesky"), 99)
    (out,) = publish_due(ws, resumed)  # type: ignore[arg-type]
    assert out.action == "sent" and resumed.calls == 1  # part 1 found by its key; only part 2 sent
    connector: Any = open_connector(ws, "bluesky")
    records = connector.client.com.atproto.repo.list_records(
        {"repo": connector.account_id, "collection": "app.bsky.feed.post", "limit": 100}
    ).records
    assert sorted(r.value.text for r in records if stamp in r.value.text) == texts  # each once
    parts = _parts(ws, "sb-crashthread1")
    last = _record(connector, parts[2][1]).value
    assert (last.reply.root.uri, last.reply.parent.uri) == (parts[0][1], parts[1][1])
    assert publish_due(ws, connector) == []
