"""partner-ranking.csv writes account counts as whole numbers (1715, not 1715.0)."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.outreach import _write_csv
from signalboost.outreach.overlap import Overlap
from signalboost.store.workspace import Workspace


def test_counts_are_integers(tmp_path: Path) -> None:
    ctx = DemoContext(workspace=Workspace.open(tmp_path / "ws", create=True), console=Console(record=True))
    ranked = [
        Overlap("p1", 2000, 500, 285.0, 0.1285, 0.57, 1715.0, 3, "exact"),
        Overlap("p2", 90, 500, 10.6, None, None, 79.4, None, "minhash", 0.01),
    ]
    _write_csv(ctx, ranked)
    with open(ctx.outputs["partner ranking"], newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["rank"], r["shared"], r["unique_reach"], r["audience"]) for r in rows] == [
        ("1", "285", "1715", "2000"),
        ("2", "11", "79", "90"),
    ]
    assert rows[0]["jaccard"] == "0.1285" and rows[1]["jaccard"] == "" and rows[1]["jaccard_se"] == "0.01"
