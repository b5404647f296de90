"""Demo step: plan four weeks from the next Monday, save them, write the ICS and HTML calendar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signalboost.demo.context import DemoContext


def demo_step(ctx: DemoContext) -> None:
    """Plan 4 weeks of the workspace's strategy, save them and export ``exports/calendar.ics`` and ``.html``."""
    from signalboost.outfiles import write_output
    from signalboost.plan.export import to_html_month, to_ics
    from signalboost.plan.service import replan
    from signalboost.plan.view import mix_table

    ws = ctx.workspace
    strategy = ws.strategy()
    today = dt.date.today()
    start = today + dt.timedelta(days=7 - today.weekday())
    result, diff = replan(ws, strategy, start, 4, skip_empty_tactics=True)
    name = strategy.brand.name
    ics = ws.exports_dir / "calendar.ics"
    page = ws.exports_dir / "calendar.html"
    write_output(ics, to_ics(result.posts, name=f"{name} publishing calendar"))
    pillars = [p.id for p in strategy.pillars]
    title = f"{name} publishing calendar"
    write_output(page, to_html_month(result.posts, pillars=pillars, title=title, period=(result.start, result.end)))
    ctx.outputs["calendar (iCalendar)"] = ics
    ctx.outputs["calendar (HTML)"] = page
    s = diff.summary()
    ctx.console.print(
        f"Planned {len(result.posts)} posts from {result.start} to {result.end - dt.timedelta(days=1)} "
        f"({s['added']} new, {s['kept_touched']} kept)"
    )
    ctx.console.print(mix_table(result.posts, strategy.pillar_weights()))
    for note in result.notes:
        ctx.console.print(f"[yellow]note[/] {note}", highlight=False)
    ctx.console.print(f"Calendar written to [bold]{ics}[/] and [bold]{page}[/]")
