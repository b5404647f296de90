"""The demo's last step: say where the dashboard is and how to open it on the demo workspace."""

from __future__ import annotations

from signalboost.demo.context import DemoContext
from signalboost.i18n import _
from signalboost.web.server import url_for

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def demo_step(ctx: DemoContext) -> None:
    """Say what the dashboard shows; ``signalboost demo`` ends with its address (:func:`closing`)."""
    from signalboost.web.app import NAV

    pages = ", ".join(_(label) for _path, label in NAV)
    shows = _("The dashboard shows this workspace: {pages} (each page also as JSON).").format(pages=pages)
    ctx.console.print(shows, soft_wrap=True)


def closing(ctx: DemoContext) -> None:
    """``Dashboard: <url>`` and the commands that open it on the demo workspace."""
    root = ctx.workspace.root
    address = _("Dashboard: [bold]{url}[/]").format(url=url_for(DEFAULT_HOST, DEFAULT_PORT))
    ctx.console.print(address, soft_wrap=True)
    ctx.console.print(
        "  " + _("open it with:  {command}").format(command=f"signalboost serve -w {root}"), soft_wrap=True
    )
    again = _("or run again:  {command}").format(command=f"signalboost demo {root} --serve")
    ctx.console.print(f"  {again}", soft_wrap=True)
