"""The demo's last step: say where the dashboard is and how to open it on the demo workspace."""

from __future__ import annotations

from signalboost.demo import DemoContext
from signalboost.web.server import url_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def demo_step(ctx: DemoContext) -> None:
    """Print the dashboard's address and the command that serves it."""
    root = ctx.workspace.root
    url = url_for(DEFAULT_HOST, DEFAULT_PORT)
    ctx.console.print(f"Dashboard: [bold]{url}[/]")
    ctx.console.print(f"  open it with:  signalboost serve -w {root}", soft_wrap=True)
    ctx.console.print(f"  or run again:  signalboost demo {root} --serve", soft_wrap=True)
