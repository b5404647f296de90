"""``signalboost demo``: the main job end to end on the bundled real data.

One step per part of the method, each a module of this package that calls the public API of its subsystem and
defines ``demo_step(ctx)``. Steps run in the order of the method: strategy, import, plan, analytics, influencers,
outreach, dashboard. The bundled files themselves live in :mod:`signalboost.demo_data`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from signalboost.demo.context import DemoContext
from signalboost.store.workspace import Workspace

__all__ = ["STEP_MODULES", "DemoContext", "run_demo", "steps"]


def step_workspace(ctx: DemoContext) -> None:
    """Open (and migrate) the workspace database."""
    with ctx.workspace.connect(purpose="demo"):
        pass
    ctx.console.print(f"Workspace ready at [bold]{ctx.workspace.root}[/]")


STEP_MODULES: tuple[tuple[str, str], ...] = (
    ("strategy", "signalboost.demo.strategy"),
    ("import", "signalboost.demo.imports"),
    ("plan", "signalboost.demo.plan"),
    ("analytics", "signalboost.demo.analytics"),
    ("influencers", "signalboost.demo.influencers"),
    ("outreach", "signalboost.demo.outreach"),
    ("dashboard", "signalboost.demo.dashboard"),
)


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
        console.rule(f"[bold]{name}")
        step(ctx)
    if ctx.outputs:
        console.rule("[bold]written")
        for label, out in ctx.outputs.items():
            console.print(f"  {label}: {out}")
    return ctx
