"""The Bluesky repository export (``bluesky-car``) read from a real PDS: the local network's ``getRepo``.

The corpus files of ``tests/ingest/test_bluesky_car.py`` are written by our own test code; this test imports the
``.car`` that a real PDS (``@atproto/pds`` of tests/connect/devnet) serves for the brand's repository, as a user's
"Export my data" gives it. Expected values are the seed's own bookkeeping (``truth``), never this code's output.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from signalboost.ingest.pipeline import import_files
from signalboost.store.workspace import Workspace

pytestmark = pytest.mark.bluesky


def _repo_car(net: Any, did: str, target: Path) -> Path:
    query = urllib.parse.urlencode({"did": did})
    with urllib.request.urlopen(f"{net.pds}/xrpc/com.atproto.sync.getRepo?{query}", timeout=60) as response:
        target.write_bytes(response.read())
    return target


def test_the_pds_export_of_the_brand_loads_its_posts_follows_and_profile(tmp_path: Path, bluesky_net: Any) -> None:
    truth = bluesky_net.command("truth")["truth"]
    did = truth["brand_did"]
    car = _repo_car(bluesky_net, did, tmp_path / "brand.car")
    ws = Workspace.open(tmp_path / "ws", create=True)

    (result,) = import_files(ws, [car], progress=False)
    assert result.format == "bluesky-car"
    with ws.connect() as con:
        posts = {r[0] for r in con.execute("SELECT post_id FROM posts WHERE author_id = ?", [did]).fetchall()}
        follows = {
            r[0]
            for r in con.execute("SELECT followee_id FROM follows WHERE follower_id = ? AND active", [did]).fetchall()
        }
        brand = con.execute(
            "SELECT platform, account_id, is_brand FROM accounts WHERE account_id = ?", [did]
        ).fetchall()
        others = con.execute("SELECT count(*) FROM posts WHERE author_id <> ?", [did]).fetchone()[0]
    # the brand's own posts (replies are the brand's posts too: the seed's brand_posts are its top-level posts)
    assert set(truth["brand_posts"]) <= posts
    assert follows == set(truth["follows"])
    assert brand == [("bluesky", did, True)]
    assert others == 0  # a repository holds its owner's records only

    # a second import of the same export adds nothing
    import_files(ws, [car], progress=False)
    with ws.connect() as con:
        assert {r[0] for r in con.execute("SELECT post_id FROM posts").fetchall()} == posts


def test_the_export_agrees_with_the_live_sync_on_the_brand_posts(tmp_path: Path, bluesky_net: Any) -> None:
    """The same posts, read once from the repository export and once through the API, are stored alike."""
    from signalboost.connect.accounts import connect_bluesky, open_connector
    from signalboost.connect.sync import sync_account

    truth = bluesky_net.command("truth")["truth"]
    did = truth["brand_did"]
    exported = Workspace.open(tmp_path / "exported", create=True)
    import_files(exported, [_repo_car(bluesky_net, did, tmp_path / "brand.car")], progress=False)
    synced = Workspace.open(tmp_path / "synced", create=True)
    with synced.connect():
        pass
    connect_bluesky(synced, bluesky_net.brand["handle"], bluesky_net.brand["app_password"], service=bluesky_net.pds)
    sync_account(synced, open_connector(synced, "bluesky"), page_size=20)

    sql = "SELECT post_id, author_id, created_at, text, reply_to, quote_of FROM posts WHERE author_id = ?"

    def rows(ws: Workspace) -> set[tuple[Any, ...]]:
        with ws.connect() as con:
            return set(con.execute(sql, [did]).fetchall())

    assert rows(exported) == rows(synced)
    assert len(rows(exported)) >= len(truth["brand_posts"])
