"""Demo step: analyse the imported UCI Facebook posts and write ``exports/report.html`` and ``report.pdf``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signalboost.demo.context import DemoContext


def demo_step(ctx: DemoContext) -> None:
    """Analyse whatever the import step loaded; write the HTML and PDF reports and store pillar assignments."""
    from signalboost.analytics.analysis import analyze
    from signalboost.report.analytics_report import write_report
    from signalboost.store.analytics_sql import count_rows, read_analytics_frames, replace_post_pillars

    ws = ctx.workspace
    if count_rows(ws, "posts") == 0:
        ctx.console.print("[yellow]No posts imported yet: skipping the analytics report.[/]")
        return
    strategy = ws.strategy() if ws.has_strategy() else None
    frames = read_analytics_frames(ws)
    with ctx.console.status("Analysing the imported posts…"):
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
        ctx.console.print(
            f"  best slot on {row['platform']}: {row['weekday_name']} {row['slot_hour']:02d}:00 "
            f"(expected {row['metric']} {row['expected']:.4f}, {row['n_posts']} posts)"
        )
    with ctx.console.status("Rendering the report (HTML and PDF)…"):
        html = write_report(result, strategy, ws.exports_dir / "report.html", fmt="html")
        pdf = write_report(result, strategy, ws.exports_dir / "report.pdf", fmt="pdf")
    ctx.outputs["analytics report (HTML)"] = html
    ctx.outputs["analytics report (PDF)"] = pdf
