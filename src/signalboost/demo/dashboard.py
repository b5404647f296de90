"""The demo's last step: say where the dashboard is and how to open it on the demo workspace."""

from __future__ import annotations

from signalboost.demo.context import DemoContext
from signalboost.web.server import url_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def demo_step(ctx: DemoContext) -> None:
    """Say what the dashboard shows; ``signalboost demo`` ends with its address (:func:`closing`)."""
    from signalboost.web.app import NAV

    pages = ", ".join(label for _, label in NAV)
    ctx.console.print(f"The dashboard shows this workspace: {pages} (each page also as JSON).", soft_wrap=True)


def closing(ctx: DemoContext) -> None:
    """``Dashboard: <url>`` and the commands that open it on the demo workspace."""
    root = ctx.workspace.root
    ctx.console.print(f"Dashboard: [bold]{url_for(DEFAULT_HOST, DEFAULT_PORT)}[/]", soft_wrap=True)
    ctx.console.print(f"  open it with:  signalboost serve -w {root}", soft_wrap=True)
    ctx.console.print(f"  or run again:  signalboost demo {root} --serve", soft_wrap=True)
