from __future__ import annotations

import io
from pathlib import Path

import icalendar
from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.plan import demo_step
from signalboost.model.templates import write_template
from signalboost.store.workspace import Workspace


def test_demo_step_plans_four_weeks_and_writes_exports(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path / "demo", create=True)
    write_template("cosmetics", ws.strategy_path, force=True)
    out = io.StringIO()
    ctx = DemoContext(workspace=ws, console=Console(file=out, width=120))
    demo_step(ctx)
    ics = ctx.outputs["calendar (iCalendar)"]
    page = ctx.outputs["calendar (HTML)"]
    events = icalendar.Calendar.from_ical(ics.read_text(encoding="utf-8")).walk("VEVENT")
    strategy = ws.strategy()
    per_week = sum(s.slots_per_week() for s in strategy.schedule.networks.values())
    assert len(events) >= 4 * per_week  # every slot planned; add-slot tactics may add more
    assert '<table class="month">' in page.read_text(encoding="utf-8")
    assert str(ics) in out.getvalue().replace("\n", "")
    demo_step(ctx)  # re-running keeps the same ids
    again = icalendar.Calendar.from_ical(ics.read_text(encoding="utf-8")).walk("VEVENT")
    assert {str(e["UID"]) for e in again} == {str(e["UID"]) for e in events}
