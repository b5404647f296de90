"""Demo step: analyse the imported UCI Facebook posts and write ``exports/report.html`` and ``report.pdf``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape

from signalboost import i18n
from signalboost.i18n import N_, _

if TYPE_CHECKING:
    from signalboost.demo.context import DemoContext


def demo_step(ctx: DemoContext) -> None:
    """Analyse whatever the import step loaded; write the HTML and PDF reports and store pillar assignments."""
    from signalboost.analytics.analysis import analyze
    from signalboost.report.analytics_report import write_report
    from signalboost.store.analytics_sql import count_rows, read_analytics_frames, replace_post_pillars

    ws = ctx.workspace
    if count_rows(ws, "posts") == 0:
        ctx.console.print(f"[yellow]{_('No posts imported yet: skipping the analytics report.')}[/]")
        return
    strategy = ws.strategy() if ws.has_strategy() else None
    frames = read_analytics_frames(ws)
    with ctx.console.status(_("Analysing the imported posts…")):
        result = analyze(
            strategy,
            frames.posts,
            frames.post_metrics,
            frames.account_snapshots,
            accounts=frames.accounts,
            audience_hours=frames.audience_hours,
        )
        replace_post_pillars(ws, result.pillar_assignments)
    best = result.recommended_slots.filter(result.recommended_slots["kind"] == "recommended").head(3)
    for row in best.iter_rows(named=True):
        best_slot = _("best slot on {network}: {weekday} {hour:02d}:00 (expected {metric} {expected}, {n} posts)")
        said = best_slot.format(
            network=row["platform"],
            weekday=i18n.day_word(row["weekday_name"], "wide"),
            hour=row["slot_hour"],
            metric=row["metric"],
            expected=i18n.format_number(row["expected"], digits=4),
            n=row["n_posts"],
        )
        ctx.console.print(f"  {said}")
    if best.is_empty():  # no slot beats its network's average: say what the backtest found instead of nothing
        from signalboost.report.analysis_words import backtest_words

        for _network, choice in sorted(result.slot_choices.items()):
            ctx.console.print(f"  {escape(backtest_words(choice))}", highlight=False)
    with ctx.console.status(_("Rendering the report (HTML and PDF)…")):
        html = write_report(result, strategy, ws.exports_dir / "report.html", fmt="html")
        pdf = write_report(result, strategy, ws.exports_dir / "report.pdf", fmt="pdf")
    ctx.outputs[N_("analytics report (HTML)")] = html
    ctx.outputs[N_("analytics report (PDF)")] = pdf
