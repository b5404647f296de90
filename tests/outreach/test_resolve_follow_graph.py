"""`partners rank --brand B` finds an account present only in the imported follow graph."""

from __future__ import annotations

from pathlib import Path

import pytest

from signalboost.errors import OutreachError
from signalboost.outreach.pipeline import resolve_account
from signalboost.store.workspace import Workspace


def test_an_account_only_in_the_follow_graph_resolves(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws.transaction() as con:
        con.execute("INSERT INTO follows (platform, follower_id, followee_id) VALUES ('x', 'fan1', 'brand42')")
        con.execute(
            "INSERT INTO interactions (platform, actor_id, kind, target_account_id) VALUES ('x', 'fan2', 'like', 'b7')"
        )
    assert resolve_account(ws, "brand42") == ("x", "brand42", None)  # followed, never interacting
    assert resolve_account(ws, "fan1") == ("x", "fan1", None)  # a follower only
    assert resolve_account(ws, "b7") == ("x", "b7", None)  # only interacted with
    with pytest.raises(OutreachError, match="no account 'nobody'"):
        resolve_account(ws, "nobody")
