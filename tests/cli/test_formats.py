"""Every command's --help has a one-line summary and an example; --format json prints exactly one JSON document."""

from __future__ import annotations

import csv
import io
import json
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from signalboost.cli.main import app, main

SKIP: set[str] = set()  # every command, whoever owns it


def _commands() -> Iterator[tuple[str, Any]]:
    import typer.main

    def walk(cmd: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                if not path and name in SKIP:
                    continue
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), cmd

    yield from walk(typer.main.get_command(app), [])


COMMANDS = dict(_commands())
#: Commands that write files or change state without printing a table take no --format.
NO_FORMAT = {"demo", "init", "schema", "doc", "report", "calendar export", "import", "validate", "serve"}
NO_FORMAT |= {"user add", "user remove"}
NO_FORMAT |= {"connect bluesky", "connect mastodon", "disconnect"}  # one status line, no result rows
NO_FORMAT |= {"calendar attach", "calendar detach", "calendar thread"}  # the post's parts and images, as lines
NO_FORMAT |= {"competitors add", "competitors remove"}  # a confirmation line on stderr, no result rows


def test_the_finished_commands_are_all_seen() -> None:
    for name in ("analyze", "plan", "calendar move", "outreach due", "partners choose", "stats", "doc"):
        assert name in COMMANDS


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_has_summary_and_example(name: str, capsys) -> None:  # type: ignore[no-untyped-def]
    help_text = COMMANDS[name].help or ""
    summary = help_text.strip().split("\n\n")[0]
    assert summary and "\n" not in summary.strip(), f"{name}: the summary is not one line: {summary!r}"
    assert summary.rstrip().endswith((".", ")")), summary
    assert "Example" in help_text and f"signalboost {name}" in help_text, name
    assert main([*name.split(), "--help"]) == 0
    assert "Example" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(set(COMMANDS) - NO_FORMAT))
def test_result_commands_take_format_table_json_csv(name: str) -> None:
    opt = next((p for p in COMMANDS[name].params if "--format" in p.opts), None)
    assert opt is not None, f"{name} prints results but has no --format"
    assert "table, json or csv" in (opt.help or "")


READ_ONLY = [
    "formats",
    "analyze",
    "analyze --section best",
    "recommend",
    "rejects",
    "imports",
    "stats",
    "plan --from 2026-03-02 --dry-run",
    "calendar show",
    "outreach list",
    "outreach ledger",
    "outreach due",
    "outreach kpis",
    "outreach kpis --trend",
    "outreach value",
    "outreach curate",
    "partners rank --platform x --top 5 --audience interactions",
    "partners overlap 677 --platform x --audience interactions",
]

#: In order, on a copy of the demo workspace: each one changes something the next may need.
CHANGING = [
    "outreach identify --limit 3",
    "outreach add @fan304000 --platform x --account-id 304000",
    "outreach move @fan304000 warming",
    "outreach update @fan304000 --owner ana",
    "outreach log @fan304000 like",
    "outreach show @fan304000",
    "outreach sync",
    "partners choose --platform x -k 2 --top 5 --audience interactions --save",
    "partners status 677 active --platform x",
    "partners monitor",
    "calendar status {post} approved",
    "calendar draft {post} '=HYPERLINK(\"http://x\") <b>new</b>'",
    "calendar move {post} --to 2026-12-01T09:30",
]


def _run(argv: list[str], capsys) -> str:  # type: ignore[no-untyped-def]
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def _one_json(out: str) -> Any:
    doc = json.loads(out)  # raises on anything else on stdout (a second document, a progress line)
    assert isinstance(doc, dict) and "rows" in doc
    return doc


@pytest.mark.parametrize("line", READ_ONLY)
def test_json_is_one_document_and_csv_parses(line: str, demo_ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    argv = [*shlex.split(line), *([] if line == "formats" else ["-w", str(demo_ws)])]
    doc = _one_json(_run([*argv, "--format", "json"], capsys))
    if line == "analyze":
        return  # several tables: JSON only (CSV needs --section, tested below)
    rows = list(csv.reader(io.StringIO(_run([*argv, "--format", "csv"], capsys))))
    if doc["rows"]:
        assert len(rows) == len(doc["rows"]) + 1  # header + one line per row


def test_changing_commands_print_one_json_document(demo_ws: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = tmp_path / "ws"
    shutil.copytree(demo_ws, ws)
    post = _one_json(_run(["calendar", "show", "-w", str(ws), "--format", "json"], capsys))["rows"][0]["id"]
    for line in CHANGING:
        argv = [*shlex.split(line.replace("{post}", post)), "-w", str(ws), "--format", "json"]
        _one_json(_run(argv, capsys))
    shown = _one_json(_run(["calendar", "show", "-w", str(ws), "--format", "json"], capsys))
    moved = next(r for r in shown["rows"] if r["id"] == post)
    # approved before the new draft: the changed text goes back to 'drafted' (publish sends only what was approved)
    assert (moved["date"], moved["time"], moved["status"]) == ("2026-12-01", "09:30", "drafted")
    assert moved["draft"] == '=HYPERLINK("http://x") <b>new</b>'  # JSON keeps the text as typed


def _groups() -> Iterator[tuple[str, Any]]:
    import typer.main

    for name, cmd in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            yield name, cmd


@pytest.mark.parametrize(("name", "group"), list(_groups()))
def test_command_groups_have_an_example(name: str, group: Any, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main([name, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"signalboost {name} " in out and ("Example" in out or "Start with" in out), out[:300]
