"""Demo step: plan four weeks from the next Monday, save them, write the ICS and HTML calendar."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rich.markup import escape

from signalboost import i18n
from signalboost.i18n import N_, _

if TYPE_CHECKING:
    from signalboost.demo.context import DemoContext


def demo_step(ctx: DemoContext) -> None:
    """Plan 4 weeks of the workspace's strategy, save them and export ``exports/calendar.ics`` and ``.html``."""
    from signalboost.outfiles import write_output
    from signalboost.plan.export import to_html_month, to_ics
    from signalboost.plan.service import replan
    from signalboost.plan.view import mix_table
    from signalboost.report.words import pillar_names, tactic_names

    ws = ctx.workspace
    strategy = ws.strategy()
    today = dt.date.today()
    start = today + dt.timedelta(days=7 - today.weekday())
    result, diff = replan(ws, strategy, start, 4, skip_empty_tactics=True)
    name = strategy.brand.name
    ics = ws.exports_dir / "calendar.ics"
    page = ws.exports_dir / "calendar.html"
    title = _("{brand} publishing calendar").format(brand=name)
    tactics = tactic_names(strategy)
    write_output(ics, to_ics(result.posts, name=title, tactics=tactics, names=pillar_names(strategy)))
    pillars = [p.id for p in strategy.pillars]
    write_output(
        page,
        to_html_month(
            result.posts,
            pillars=pillars,
            title=title,
            period=(result.start, result.end),
            tactics=tactics,
            names=pillar_names(strategy),
        ),
    )
    ctx.outputs[N_("calendar (iCalendar)")] = ics
    ctx.outputs[N_("calendar (HTML)")] = page
    s = diff.summary()
    planned = _("Planned {n} posts from {start} to {end} ({added} new, {kept} kept)").format(
        n=len(result.posts),
        start=i18n.format_date(result.start),
        end=i18n.format_date(result.end - dt.timedelta(days=1)),
        added=s["added"],
        kept=s["kept_touched"],
    )
    ctx.console.print(planned)
    ctx.console.print(mix_table(result.posts, strategy.pillar_weights(), pillar_names(strategy)))
    for note in result.notes:
        ctx.console.print(f"[yellow]{_('note')}[/] {escape(str(note))}", highlight=False)
    written = _("Calendar written to [bold]{ics}[/] and [bold]{page}[/]")
    ctx.console.print(written.format(ics=escape(str(ics)), page=escape(str(page))))
