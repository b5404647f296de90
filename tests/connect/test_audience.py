"""``partners fetch-audience`` against the local Bluesky network: another account's followers, as the seed made them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from signalboost.connect.accounts import connect_bluesky, open_connector
from signalboost.connect.audience import fetch_audiences
from signalboost.errors import ConnectError
from signalboost.store.workspace import Workspace

pytestmark = pytest.mark.bluesky


def test_fetch_audience_of_another_account_equals_its_followers(tmp_path: Path, bluesky_net: Any) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    connect_bluesky(ws, "user2.test", "pw-2", service=bluesky_net.pds)  # the brand is someone else here
    truth = bluesky_net.truth
    (res,) = fetch_audiences(ws, open_connector(ws, "bluesky"), ["@brand.test"], page_size=3)
    assert (res.handle, res.account_id, res.complete) == ("brand.test", truth["brand_did"], True)
    assert res.followers_fetched == res.followers_reported == len(truth["followers"])
    # one profile lookup + ceil(n / 3) pages + the empty page that ends the list (the AppView returns a cursor
    # after every non-empty page)
    assert res.requests == 1 + -(-len(truth["followers"]) // 3) + 1
    with ws.connect() as con:
        got = {
            r[0]
            for r in con.execute(
                "SELECT follower_id FROM follows WHERE followee_id = ?", [truth["brand_did"]]
            ).fetchall()
        }
        handle = con.execute("SELECT handle FROM accounts WHERE account_id = ?", [truth["brand_did"]]).fetchone()[0]
    assert got == set(truth["followers"]) and handle == "brand.test"
    # again: nothing twice
    fetch_audiences(ws, open_connector(ws, "bluesky"), ["brand.test"], page_size=50)
    with ws.connect() as con:
        n = con.execute("SELECT count(*) FROM follows WHERE followee_id = ?", [truth["brand_did"]]).fetchone()[0]
    assert n == len(truth["followers"])
    with pytest.raises(ConnectError, match=r"no bluesky account 'nobody\.test'"):
        fetch_audiences(ws, open_connector(ws, "bluesky"), ["@nobody.test"])


def _repo_posts(connector: Any, did: str) -> set[str]:
    """Every post record in an account's repository (the source of truth; no AppView indexing involved)."""
    res = connector.client.com.atproto.repo.list_records(
        {"repo": did, "collection": "app.bsky.feed.post", "limit": 100}
    )
    return {str(r.uri) for r in res.records}


def test_refresh_pulls_one_profile_and_its_recent_posts(tmp_path: Path, bluesky_net: Any) -> None:
    from signalboost.connect.audience import refresh_account

    ws = Workspace.open(tmp_path / "ws", create=True)
    connect_bluesky(ws, "user2.test", "pw-2", service=bluesky_net.pds)
    connector = open_connector(ws, "bluesky")
    brand = bluesky_net.truth["brand_did"]
    expected = _repo_posts(connector, brand)
    # at most 3 posts, 2 a page: 1 profile lookup + 2 pages
    res = refresh_account(ws, connector, "@brand.test", max_posts=3, page_size=2)
    assert (res.handle, res.account_id, res.posts_fetched, res.requests) == ("brand.test", brand, 3, 3)
    with ws.connect() as con:
        got = {r[0] for r in con.execute("SELECT post_id FROM posts WHERE author_id = ?", [brand]).fetchall()}
        snaps = con.execute("SELECT count(*) FROM account_snapshots WHERE account_id = ?", [brand]).fetchone()[0]
        status = con.execute("SELECT status FROM imports WHERE import_id = ?", [res.import_id]).fetchone()[0]
    assert len(got) == 3 and got <= expected and (snaps, status) == (1, "done")
    # every recent post, twice: each post once, with its counts as dated snapshots
    refresh_account(ws, open_connector(ws, "bluesky"), "brand.test", max_posts=100)
    res = refresh_account(ws, open_connector(ws, "bluesky"), "brand.test", max_posts=100)
    assert res.posts_fetched == len(expected)
    with ws.connect() as con:
        got = {r[0] for r in con.execute("SELECT post_id FROM posts WHERE author_id = ?", [brand]).fetchall()}
        dup = con.execute("SELECT count(*) - count(DISTINCT post_id) FROM posts").fetchone()[0]
        handle = con.execute("SELECT handle FROM accounts WHERE account_id = ?", [brand]).fetchone()[0]
    assert got == expected and dup == 0 and handle == "brand.test"


def test_refresh_of_an_unknown_account_is_refused(tmp_path: Path, bluesky_net: Any) -> None:
    from signalboost.connect.audience import refresh_account

    ws = Workspace.open(tmp_path / "ws", create=True)
    connect_bluesky(ws, "user2.test", "pw-2", service=bluesky_net.pds)
    with pytest.raises(ConnectError) as err:
        refresh_account(ws, open_connector(ws, "bluesky"), "@nobody.test")
    assert "nobody.test" in err.value.message()
    with pytest.raises(ConnectError):
        refresh_account(ws, open_connector(ws, "bluesky"), "@")
