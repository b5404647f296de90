"""``signalboost demo``: the main job end to end on the bundled real data.

Each subsystem contributes one step: a module listed in ``STEP_MODULES`` that defines ``demo_step(ctx)``.
Steps run in the order of the method: strategy, import, plan, analytics, influencers, outreach, dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from signalboost.store.workspace import Workspace


@dataclass
class DemoContext:
    """What the demo steps share: the workspace, the console and the files written so far."""

    workspace: Workspace
    console: Console
    outputs: dict[str, Path] = field(default_factory=dict)


def step_workspace(ctx: DemoContext) -> None:
    """Open (and migrate) the workspace database."""
    with ctx.workspace.connect(purpose="demo"):
        pass
    ctx.console.print(f"Workspace ready at [bold]{ctx.workspace.root}[/]")


STEP_MODULES: tuple[tuple[str, str], ...] = (
    ("strategy", "signalboost.model.demo"),
    ("import", "signalboost.ingest.demo"),
    ("plan", "signalboost.plan.demo"),
    ("analytics", "signalboost.analytics.demo"),
    ("influencers", "signalboost.influence.demo"),
    ("outreach", "signalboost.outreach.demo"),
    ("dashboard", "signalboost.web.demo"),
)


def steps() -> list[tuple[str, Callable[[DemoContext], None]]]:
    """The demo steps present in this installation, in order."""
    import importlib
    import importlib.util

    found: list[tuple[str, Callable[[DemoContext], None]]] = [("workspace", step_workspace)]
    for label, module_name in STEP_MODULES:
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        found.append((label, module.demo_step))
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
