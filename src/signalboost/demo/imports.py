"""Demo step: import the bundled UCI Facebook metrics and SNAP Higgs activity into the demo workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.markup import escape

from signalboost.demo_data import HIGGS_ACTIVITY, UCI_FACEBOOK, demo_file
from signalboost.i18n import _, tr
from signalboost.ingest.pipeline import describe, describe_tables, import_files

if TYPE_CHECKING:
    from signalboost.demo.context import DemoContext


def demo_step(ctx: DemoContext) -> None:
    """Import both bundled files (idempotent: a re-run reports them as already in the workspace and changes nothing)."""
    paths = [demo_file(*UCI_FACEBOOK), demo_file(*HIGGS_ACTIVITY)]
    results = import_files(ctx.workspace, paths, progress=False, console=ctx.console)
    for r in results:
        said = tr(describe(r))  # in the reader's language first: a LazyText's str methods see its English
        ctx.console.print(escape(said.removeprefix(str(Path(r.file).parent) + "/")), highlight=False)
        for line in describe_tables(r):
            ctx.console.print(f"    {escape(tr(line))}", highlight=False)
    ctx.console.print(
        _(
            "UCI post dates are reconstructed from month/weekday/hour (see `signalboost formats`); "
            "Higgs actions are platform 'x'."
        ),
        highlight=False,
    )
