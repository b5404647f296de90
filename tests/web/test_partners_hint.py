"""The Partners page's hint names the command that fills it, with the --save it needs."""

from __future__ import annotations

from pathlib import Path

from signalboost.store.workspace import Workspace
from signalboost.web.views import partners


def test_empty_partners_page_hint_includes_save(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    out = partners.build(ws)
    assert out["partners"] == [] and "signalboost partners rank" in out["message"] and "--save" in out["message"]
