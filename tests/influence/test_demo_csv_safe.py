from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.influencers import demo_step
from signalboost.store.workspace import Workspace


def test_demo_influencers_csv_neutralises_formulas(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws.transaction() as con:
        # the brand (88) is mentioned by two accounts; one has a formula as its id
        for actor in ("=HYPERLINK(1)", "7"):
            con.execute(
                "INSERT INTO interactions (platform, actor_id, kind, target_account_id, occurred_at) "
                "VALUES ('x', ?, 'mention', '88', TIMESTAMPTZ '2012-07-01 00:00:00+00')",
                [actor],
            )
    ctx = DemoContext(workspace=ws, console=Console(file=open("/dev/null", "w")))  # noqa: SIM115
    demo_step(ctx)
    with open(ctx.outputs["influencers (CSV)"], newline="", encoding="utf-8") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    assert "'=HYPERLINK(1)" in cells
    assert "=HYPERLINK(1)" not in cells
