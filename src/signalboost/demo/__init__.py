"""``signalboost demo``: the main job end to end on the bundled real data.

One step per part of the method, each a module of this package that calls the public API of its subsystem and
defines ``demo_step(ctx)``. Steps run in the order of the method: strategy, import, plan, analytics, influencers,
outreach, dashboard. The bundled files themselves live in :mod:`signalboost.demo_data`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from signalboost.demo.context import DemoContext
from signalboost.i18n import NP_, _, pgettext
from signalboost.store.workspace import Workspace

__all__ = ["STEP_MODULES", "DemoContext", "run_demo", "steps"]


def step_workspace(ctx: DemoContext) -> None:
    """Open (and migrate) the workspace database."""
    with ctx.workspace.connect(purpose="demo"):
        pass
    ctx.console.print(_("Workspace ready at [bold]{path}[/]").format(path=escape(str(ctx.workspace.root))))


#: (step name, module); the name is shown as the step's heading in the reader's language (``pgettext("demo step")``)
STEP_MODULES: tuple[tuple[str, str], ...] = (
    (NP_("demo step", "strategy"), "signalboost.demo.strategy"),
    (NP_("demo step", "import"), "signalboost.demo.imports"),
    (NP_("demo step", "plan"), "signalboost.demo.plan"),
    (NP_("demo step", "analytics"), "signalboost.demo.analytics"),
    (NP_("demo step", "influencers"), "signalboost.demo.influencers"),
    (NP_("demo step", "outreach"), "signalboost.demo.outreach"),
    (NP_("demo step", "dashboard"), "signalboost.demo.dashboard"),
)
_OTHER_STEPS = (NP_("demo step", "workspace"), NP_("demo step", "written"))


def steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """The demo steps in order (imported when asked for: each pulls in its whole subsystem)."""
    import importlib

    found: list[tuple[str, Callable[[DemoContext], None]]] = [("workspace", step_workspace)]
    for label, module_name in STEP_MODULES:
        found.append((label, importlib.import_module(module_name).demo_step))
    return found


def run_demo(path: Path, *, console: Console | None = None) -> DemoContext:
    """Run every demo step on a workspace at ``path`` (created or refreshed)."""
    console = console or Console()
    ctx = DemoContext(workspace=Workspace.open(path, create=True), console=console)
    for name, step in steps():
        console.rule(f"[bold]{pgettext('demo step', name)}")
        step(ctx)
    if ctx.outputs:
        console.rule(f"[bold]{pgettext('demo step', 'written')}")
        for label, out in ctx.outputs.items():  # labels are N_() marked where they are set
            console.print(f"  {escape(_(label))}: {escape(str(out))}")
    return ctx
