"""Demo step "strategy": write the cosmetics strategy, validate it, and print it as a document.

The cosmetics template matches the bundled UCI Facebook metrics data (a cosmetics brand's page, 2014): its pillars
``product``, ``inspiration`` and ``action`` are the paper's post categories, so the later steps measure them.
``strategy.yaml`` is rewritten on every run so the demo is repeatable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from signalboost.i18n import N_, _

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
    said = _("Strategy written from the [bold]{template}[/] template: {path}")
    ctx.console.print(said.format(template=DEMO_TEMPLATE, path=escape(str(path))))
    report = validate_file(path)
    for line in report.lines():
        ctx.console.print(f"  {escape(line)}", highlight=False)
    strategy = strategy_or_raise(report)
    weights = ", ".join(f"{p.name} {i18n.format_percent(p.weight / 100, significant=3)}" for p in strategy.pillars)
    counts = _(
        "Validated: {summary} — {personas} personas, {networks} networks, {pillars} pillars ({weights}), "
        "{tactics} tactics, {kpis} KPIs"
    ).format(
        summary=report.summary(),
        personas=len(strategy.audience.personas),
        networks=len(strategy.ecosystem),
        pillars=len(strategy.pillars),
        weights=weights,
        tactics=len(strategy.tactics),
        kpis=len(strategy.kpis),
    )
    ctx.console.print(escape(counts), highlight=False)
    ctx.outputs[N_("strategy")] = path
    ctx.outputs[N_("strategy document (HTML)")] = write_document(strategy, ws.exports_dir / "strategy.html", fmt="html")
    ctx.outputs[N_("strategy document (PDF)")] = write_document(strategy, ws.exports_dir / "strategy.pdf", fmt="pdf")
    ctx.console.print(_("Strategy document written (HTML and PDF) to exports/"))
