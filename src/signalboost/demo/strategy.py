"""Demo step "strategy": write the cosmetics strategy, validate it, and print it as a document.

The cosmetics template matches the bundled UCI Facebook metrics data (a cosmetics brand's page, 2014): its pillars
``product``, ``inspiration`` and ``action`` are the paper's post categories, so the later steps measure them.
``strategy.yaml`` is rewritten on every run so the demo is repeatable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from signalboost.demo.context import DemoContext

DEMO_TEMPLATE = "cosmetics"


def demo_step(ctx: DemoContext) -> None:
    """init -> validate -> doc (HTML and PDF into exports/)."""
    from rich.markup import escape

    from signalboost.model.io import strategy_or_raise
    from signalboost.model.templates import write_template
    from signalboost.model.validate import validate_file
    from signalboost.report.strategy_doc import write_document

    ws = ctx.workspace
    from signalboost import i18n

    # `signalboost --lang nb demo`: the Norwegian cosmetics strategy (same pillar ids, so the data still measure it)
    path = write_template(DEMO_TEMPLATE, ws.strategy_path, force=True, lang=i18n.override() or "en")
    ctx.console.print(f"Strategy written from the [bold]{DEMO_TEMPLATE}[/] template: {escape(str(path))}")
    report = validate_file(path)
    for line in report.lines():
        ctx.console.print(f"  {escape(line)}", highlight=False)
    strategy = strategy_or_raise(report)
    ctx.console.print(
        f"Validated: {report.summary()} — {len(strategy.audience.personas)} personas, {len(strategy.ecosystem)} "
        f"networks, {len(strategy.pillars)} pillars "
        f"({', '.join(f'{p.id} {p.weight:g}%' for p in strategy.pillars)}), {len(strategy.tactics)} tactics, "
        f"{len(strategy.kpis)} KPIs",
        highlight=False,
    )
    ctx.outputs["strategy"] = path
    ctx.outputs["strategy document (HTML)"] = write_document(strategy, ws.exports_dir / "strategy.html", fmt="html")
    ctx.outputs["strategy document (PDF)"] = write_document(strategy, ws.exports_dir / "strategy.pdf", fmt="pdf")
    ctx.console.print("Strategy document written (HTML and PDF) to exports/")
