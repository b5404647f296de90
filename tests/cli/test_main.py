from __future__ import annotations

import subprocess
import sys

import signalboost
from signalboost.cli.main import main


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"signalboost {signalboost.__version__}"


def test_help_lists_commands(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--help"]) == 0
    assert "demo" in capsys.readouterr().out


def test_unknown_command_is_usage_error() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "no-such-command"], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_help_paragraphs_are_reflowed_but_examples_and_lists_keep_their_lines() -> None:
    from signalboost.cli.main import reflow_help

    text = """Summary line.

    A sentence wrapped
    by hand in the source
    (with a remark) and
    --an-option named.
    Errors: one kind
    of problem.
    - an item
    - another

    Example: signalboost x     (look)
             signalboost x -a  (act)
    (a note under the example)
    """
    assert reflow_help(text) == (
        "Summary line.\n\n"
        "A sentence wrapped by hand in the source (with a remark) and --an-option named.\n"
        "Errors: one kind of problem.\n"
        "- an item\n"
        "- another\n\n"
        "Example: signalboost x     (look)\n"
        "         signalboost x -a  (act)\n"
        "(a note under the example)"
    )


def _options() -> list[tuple[str, list[str]]]:
    import typer.main

    from signalboost.cli.main import app

    found: list[tuple[str, list[str]]] = []

    def walk(cmd: object, path: list[str]) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])
        for param in getattr(cmd, "params", []):
            found.append((" ".join(path), list(param.opts) + list(param.secondary_opts)))

    walk(typer.main.get_command(app), [])
    return found


def test_a_short_option_means_the_same_everywhere() -> None:
    """``-p`` is the platform, ``-w`` the workspace, ``-f`` the output format, ``-h`` help, in every command."""
    meaning = {"-p": "--platform", "-w": "--workspace", "-f": "--format", "-h": "--help"}
    for command, opts in _options():
        for short, long in meaning.items():
            if short in opts:
                assert long in opts, (command, opts)
    serve = [opts for command, opts in _options() if command == "serve"]
    assert ["--port"] in serve  # serve's port has no short form (-p would read as the platform)


def test_command_path_is_the_leading_command_words() -> None:
    from signalboost.cli.main import command_path

    assert command_path(["calendar", "move", "sb-1", "--to", "x"]) == "calendar move"
    assert command_path(["stats", "-w", "calendar"]) == "stats"
    assert command_path(["--version"]) == ""
    assert command_path(["no-such", "stats"]) == ""


def test_an_error_without_a_place_names_the_command(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    import signalboost.ingest.queries as queries
    from signalboost.errors import StoreError

    def fail(ws: object) -> None:
        raise StoreError("the table is unreadable", hint="Run it again")

    assert main(["init", str(tmp_path), "--template", "blank"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(queries, "workspace_stats", fail)
    assert main(["stats", "-w", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip() == "Error: stats: the table is unreadable. Run it again"


def test_a_flag_shows_no_value_type_in_help(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "200")  # one line per option, whatever the terminal
    assert main(["influencers", "--help"]) == 0
    out = capsys.readouterr().out
    stored = next(line for line in out.splitlines() if "--stored" in line)
    assert "<bool>" not in stored and "bool" not in stored.lower().split("show")[0]
    assert "<bool>" not in out  # no flag of the command (--help included) shows a type
    top = next(line for line in out.splitlines() if "--top" in line and "│" in line)
    assert "<str>" in top  # an option with a value still shows its type (a number or 'all')
