"""The demo's last step prints the dashboard's address and the command that opens it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from signalboost.demo import DemoContext, steps
from signalboost.demo.dashboard import closing, demo_step
from signalboost.store.workspace import Workspace
from signalboost.web.server import url_for


def test_demo_step_prints_address_and_command(tmp_path: Path) -> None:
    console = Console(record=True, width=200)
    ws = Workspace.open(tmp_path / "demo", create=True)
    ctx = DemoContext(workspace=ws, console=console)
    demo_step(ctx)
    assert (
        "Overview, Strategy, Calendar, Analytics, Influencers, Audience, Competitors, Outreach, Partners, Imports"
        in console.export_text()
    )
    closing(ctx)
    text = console.export_text()
    assert "Dashboard: http://127.0.0.1:8765/" in text
    assert f"signalboost serve -w {ws.root}" in text
    assert f"signalboost demo {ws.root} --serve" in text


def test_dashboard_is_the_last_demo_step() -> None:
    assert steps()[-1][0] == "dashboard"


def test_url_for() -> None:
    assert url_for("127.0.0.1", 8765) == "http://127.0.0.1:8765/"
    assert url_for("0.0.0.0", 80) == "http://127.0.0.1:80/"
    assert url_for("::1", 8000) == "http://[::1]:8000/"


def test_demo_ends_with_the_dashboard_address(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import signalboost.demo as demo_module
    from signalboost.cli.main import main

    monkeypatch.setattr(demo_module, "steps", lambda: [("workspace", demo_module.step_workspace)])
    import io

    from signalboost.cli import common

    out = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=out, width=200))
    assert main(["demo", str(tmp_path / "d")]) == 0
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    assert lines[-3].startswith("Dashboard: http://127.0.0.1:8765/")
    assert lines[-1].strip().endswith("--serve")


def test_demo_prints_one_dashboard_section(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io

    import signalboost.demo as demo_module
    from signalboost.cli import common
    from signalboost.cli.main import main

    monkeypatch.setattr(
        demo_module, "steps", lambda: [("workspace", demo_module.step_workspace), ("dashboard", demo_step)]
    )
    out = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=out, width=100))
    assert main(["demo", str(tmp_path / "d")]) == 0
    rules = [line for line in out.getvalue().splitlines() if line.startswith("─") and "dashboard" in line]
    assert len(rules) == 1, out.getvalue()
    assert out.getvalue().count("Dashboard: http://127.0.0.1:8765/") == 1


def test_demo_has_a_serve_flag() -> None:
    from typer.testing import CliRunner

    from signalboost.cli.main import app

    result = CliRunner().invoke(app, ["demo", "--help"])
    assert result.exit_code == 0
    assert "--serve" in result.output
