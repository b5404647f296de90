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
