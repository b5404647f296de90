"""``signalboost demo``: run the main job on the bundled real data."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(
        path: Path = typer.Argument(
            Path("demo-workspace"), help="Folder of the demo workspace (created or refreshed)."
        ),
        serve: bool = typer.Option(False, "--serve", help="Then open the dashboard on the demo workspace."),
    ) -> None:
        """Run the whole method on the bundled real data (UCI Facebook metrics, SNAP Higgs).

        Example: signalboost demo demo-workspace --serve
        """
        from signalboost.cli.common import console
        from signalboost.demo import run_demo

        ctx = run_demo(path, console=console)
        from signalboost.demo.dashboard import closing

        console.print()
        closing(ctx)  # the demo ends with the dashboard's address (its section is the "dashboard" step: no second one)
        if serve:
            from signalboost.web.server import run

            run(ctx.workspace, open_browser=True)
