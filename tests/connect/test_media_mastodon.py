"""Images with alt text on Mastodon through the real Mastodon.py client against the replay server:
``POST /api/v2/media`` with the alt text as ``description``, then the status with the media ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from signalboost.connect.accounts import connect_mastodon, open_connector
from signalboost.connect.media import attach
from signalboost.connect.publish import approve, publish_due
from signalboost.plan.posts import PlannedPost
from signalboost.plan.service import post_to_row
from signalboost.store import plan_sql
from signalboost.store.workspace import Workspace
from tests.connect.images import write_png
from tests.connect.mastodon_replay import ReplayServer


def test_a_status_with_two_images_and_their_alt_text(tmp_path: Path, server: ReplayServer) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    post = PlannedPost(
        id="sb-mastoimg0001",
        network="mastodon",
        kind="own",
        scheduled_at=when,
        timezone="UTC",
        slot=when.strftime("%Y-%m-%dT%H:%M"),
        format="photo",
        draft="Linen in two colours",
        status="drafted",
    )
    with ws.transaction() as con:
        plan_sql.upsert_planned(con, [post_to_row(post, when)])
    connect_mastodon(ws, server.url, server.world.token)
    red = write_png(ws.root / "media" / "red.png", 12, 5)
    blue = write_png(ws.root / "media" / "blue.png", 7, 9, rgb=(0, 0, 255))
    attach(ws, "sb-mastoimg0001", red, "A red linen shirt")
    attach(ws, "sb-mastoimg0001", blue, "A blue linen shirt")
    approve(ws, "sb-mastoimg0001")
    (out,) = publish_due(ws, open_connector(ws, "mastodon"))
    assert out.action == "sent"
    w = server.world
    (status,) = [s for s in w.statuses.values() if s.text == "Linen in two colours"]
    media = [w.media[m] for m in status.media]
    assert [(m["description"], m["_bytes"]) for m in media] == [
        ("A red linen shirt", red.stat().st_size),
        ("A blue linen shirt", blue.stat().st_size),
    ]
    assert [(m["meta"]["original"]["width"], m["meta"]["original"]["height"]) for m in media] == [(12, 5), (7, 9)]
    assert [path for method, path in server.requests if method == "POST"].count("/api/v2/media") == 2
    with ws.connect() as con:  # in posts at once as a photo post (analytics by format see it so before a sync)
        assert con.execute("SELECT format FROM posts WHERE source = 'publish'").fetchall() == [("photo",)]
    # the status as the API returns it carries them, in order
    shown = w.status_json(status)["media_attachments"]
    assert [m["description"] for m in shown] == ["A red linen shirt", "A blue linen shirt"]


def test_an_image_gone_after_approval_fails_the_post_before_anything_is_sent(
    tmp_path: Path, server: ReplayServer
) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    post = PlannedPost(
        id="sb-mastogone001",
        network="mastodon",
        kind="own",
        scheduled_at=when,
        timezone="UTC",
        slot=when.strftime("%Y-%m-%dT%H:%M"),
        format="photo",
        draft="Linen, soon",
        status="drafted",
    )
    with ws.transaction() as con:
        plan_sql.upsert_planned(con, [post_to_row(post, when)])
    connect_mastodon(ws, server.url, server.world.token)
    png = write_png(ws.root / "media" / "soon.png")
    attach(ws, "sb-mastogone001", png, "A linen shirt")
    approve(ws, "sb-mastogone001")
    png.unlink()
    before = len(server.requests)
    (out,) = publish_due(ws, open_connector(ws, "mastodon"))
    assert out.action == "failed" and "image media/soon.png: no such file in the workspace" in (out.error or "")
    assert not any(method == "POST" for method, _ in server.requests[before:])  # nothing uploaded, nothing posted
    with ws.connect() as con:
        assert con.execute(
            "SELECT p.status, u.state FROM planned_posts p JOIN publications u USING (plan_id)"
        ).fetchone() == ("failed", "failed")
