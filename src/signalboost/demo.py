"""``signalboost demo``: the main job end to end on the bundled real data.

Each step is a small function taking the :class:`DemoContext`; later subsystems add their step to ``STEPS``.
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


STEPS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("workspace", step_workspace),
]


def run_demo(path: Path, *, console: Console | None = None) -> DemoContext:
    """Run every demo step on a workspace at ``path`` (created or refreshed)."""
    console = console or Console()
    ctx = DemoContext(workspace=Workspace.open(path, create=True), console=console)
    for name, step in STEPS:
        console.rule(f"[bold]{name}")
        step(ctx)
    if ctx.outputs:
        console.rule("[bold]written")
        for label, out in ctx.outputs.items():
            console.print(f"  {label}: {out}")
    return ctx
