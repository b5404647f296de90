"""The local Bluesky network (PDS, AppView, PLC) for the connect tests: started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.connect.devnet.launcher import BlueskyNetwork, missing_reason
from tests.connect.mastodon_replay import ReplayServer


@pytest.fixture(scope="session")
def bluesky_net() -> Iterator[BlueskyNetwork]:
    """A real local Bluesky network, seeded deterministically (14 accounts around ``brand.test``).

    Skips when Node/@atproto/dev-env/PostgreSQL are missing — except on CI (``CI`` set), where that is a failure:
    ``make test`` installs them."""
    import os

    reason = missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the local Bluesky network cannot start: {reason}")
        pytest.skip(reason)
    net = BlueskyNetwork()
    try:
        yield net
    finally:
        net.close()


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    """A fresh Mastodon replay server (tests/connect/mastodon_replay.py) on 127.0.0.1, its world unchanged."""
    srv = ReplayServer()
    yield srv
    srv.close()
