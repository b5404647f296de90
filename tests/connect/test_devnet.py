"""The local Bluesky network itself: it starts, is seeded as the seed says, and the atproto SDK can log in."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.bluesky


def test_network_is_seeded_and_sdk_logs_in(bluesky_net) -> None:  # type: ignore[no-untyped-def]
    from atproto import Client

    truth = bluesky_net.truth
    # the AppView's profile counts equal the seed's own bookkeeping (two independent sides)
    assert truth["profile"]["followers"] == len(truth["followers"]) > 0
    assert truth["profile"]["follows"] == len(truth["follows"]) > 0
    assert truth["profile"]["posts"] == len(truth["brand_posts"]) == 8
    client = Client(base_url=bluesky_net.pds)
    profile = client.login(bluesky_net.brand["handle"], bluesky_net.brand["app_password"])
    assert profile.did == bluesky_net.brand["did"]
    assert profile.followers_count == len(truth["followers"])
    assert bluesky_net.pds.startswith("http://127.0.0.1:")
