"""The strategy step of `signalboost demo`."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.strategy import demo_step
from signalboost.model.io import load_strategy
from signalboost.store.workspace import Workspace


def test_demo_step_writes_strategy_and_documents(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "demo", create=True)
    console = Console(record=True, width=200)
    ctx = DemoContext(workspace=ws, console=console)
    demo_step(ctx)
    strategy = load_strategy(ws.strategy_path)
    assert strategy.brand.name == "Lumina Cosmetics"
    assert [p.id for p in strategy.pillars] == ["product", "inspiration", "action", "education"]
    html = ctx.outputs["strategy document (HTML)"]
    pdf = ctx.outputs["strategy document (PDF)"]
    assert html == ws.root / "exports" / "strategy.html" and "Lumina Cosmetics" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "Validated: valid, no problems" in console.export_text()

    # repeatable: a second run restores an edited strategy.yaml
    ws.strategy_path.write_text("brand:\n  name: Edited\n", encoding="utf-8")
    demo_step(DemoContext(workspace=ws, console=Console(record=True)))
    assert load_strategy(ws.strategy_path).brand.name == "Lumina Cosmetics"
