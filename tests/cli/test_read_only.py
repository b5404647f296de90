"""Commands that only look (or change rows that must already exist) never create a workspace database.

Outside a workspace they fail with one clear line (exit 1) and leave the folder exactly as it was; in a workspace
that has a strategy but no database yet they read empty tables and still create nothing. Every command of the app
is classified below, so a new command cannot slip through unclassified.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from signalboost.cli.main import app, main

#: Commands that must never create the database: the words of the command, then its required arguments.
READ_ONLY: dict[str, list[str]] = {
    "validate": [],
    "doc": [],
    "stats": [],
    "imports": [],
    "rejects": [],
    "analyze": [],
    "recommend": [],
    "report": [],
    "influencers --stored": [],
    "influencer": ["@maria"],
    "export": ["--parquet", "out"],
    "calendar show": [],
    "calendar export": ["--ics", "-o", "out.ics"],
    "calendar move": ["sb-1", "--to", "2026-03-04T18:30"],
    "calendar status": ["sb-1", "approved"],
    "calendar draft": ["sb-1", "hello"],
    "calendar edit": ["sb-1", "hello"],
    "calendar attach": ["sb-1", "photo.png", "--alt", "a photo"],
    "calendar detach": ["sb-1"],
    "calendar thread": ["sb-1", "2/ more"],
    "calendar approve": ["sb-1"],
    "connections": [],
    "outreach move": ["@maria", "warming"],
    "outreach update": ["@maria", "--owner", "ana"],
    "outreach sync": [],
    "outreach list": [],
    "outreach show": ["@maria"],
    "outreach ledger": [],
    "outreach due": [],
    "outreach kpis": [],
    "outreach value": [],
    "outreach curate": [],
    "partners rank": [],
    "partners choose": [],
    "partners overlap": ["@knitco"],
    "partners status": ["@knitco", "active"],
    "partners monitor": [],
    "user list": [],
    "user remove": ["bob"],
    "competitors list": [],
    "competitors remove": ["Acme"],
    "benchmark": [],
}

#: Commands that write (they may create the database), or touch no workspace at all.
WRITERS_OR_NO_WORKSPACE = {
    "init",
    "schema",
    "formats",
    "import",
    "plan",
    "influencers",
    "influencers calibrate",
    "audience segments",
    "audience personas",
    "languages",
    "outreach add",
    "outreach identify",
    "outreach log",
    "serve",
    "demo",
    "user add",
    "scale influence",
    "scale overlap",
    "connect bluesky",
    "connect mastodon",
    "disconnect",
    "sync",
    "publish",
    "run",
    "partners fetch-audience",
    "competitors add",
}

#: Writers that can only fail outside a workspace refuse there before creating anything.
NEED_A_WORKSPACE: dict[str, list[str]] = {
    "influencers": [],
    "outreach identify": [],
    "outreach log": ["@maria", "gift"],
    "outreach add": ["@maria"],  # without --account-id it needs an imported account
    "partners rank --save": [],
    "partners choose --save": [],
    "serve": [],
    "connect bluesky": ["--handle", "brand.test"],
    "connect mastodon": ["--instance", "social.example"],
    "disconnect": ["bluesky"],
    "sync": [],
    "publish": [],
    "run": ["--once"],
    "partners fetch-audience": ["@knitco"],
    "languages": [],
    "competitors add": ["Acme", "-p", "instagram", "-a", "@acme"],
}


def _all_commands() -> set[str]:
    import typer

    def walk(cmd: object, path: list[str]) -> list[str]:
        subs = getattr(cmd, "commands", None)
        if subs is None:
            return [" ".join(path)]
        own = [" ".join(path)] if getattr(cmd, "invoke_without_command", False) and path else []  # a group that runs
        return own + [name for key, sub in subs.items() for name in walk(sub, [*path, key])]

    return set(walk(typer.main.get_command(app), []))


def test_every_command_is_classified() -> None:
    read_only = {line.split(" --")[0] for line in READ_ONLY}
    assert _all_commands() == read_only | WRITERS_OR_NO_WORKSPACE


def _line(command: str, args: list[str], folder: Path) -> list[str]:
    return [*command.split(), *args, "-w", str(folder)]


@pytest.mark.parametrize("command", [*READ_ONLY, *NEED_A_WORKSPACE])
def test_outside_a_workspace_fails_clearly_and_creates_nothing(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "not-a-workspace"
    folder.mkdir()
    monkeypatch.chdir(folder)  # relative outputs (out.ics, out/) would land here too
    args = READ_ONLY.get(command, NEED_A_WORKSPACE.get(command, []))
    assert main(_line(command, args, folder)) == 1
    captured = capsys.readouterr()
    err = " ".join(captured.err.split())
    assert err.startswith(f"Error: {folder}: ")
    assert "signalboost init" in err and "-w/--workspace" in err
    assert "Traceback" not in captured.err and captured.out == ""
    assert sorted(p.name for p in folder.iterdir()) == []  # no signalboost.duckdb, no .signalboost.lock


@pytest.fixture(scope="module")
def strategy_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with a valid strategy.yaml and nothing imported (no database yet)."""
    folder = tmp_path_factory.mktemp("strategy-only") / "ws"
    assert main(["init", str(folder), "--template", "clothing-store"]) == 0
    return folder


@pytest.mark.parametrize("command", list(READ_ONLY))
def test_a_workspace_without_a_database_gets_none(
    command: str, strategy_only: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(strategy_only)
    code = main(_line(command, READ_ONLY[command], strategy_only))
    captured = capsys.readouterr()
    assert code in (0, 1), captured.err
    assert "Traceback" not in captured.err
    assert code == 0 or captured.err.startswith("Error: ")
    names = {p.name for p in strategy_only.iterdir()}
    assert "signalboost.duckdb" not in names and ".signalboost.lock" not in names


def test_a_read_only_view_reads_an_existing_database(tmp_path: Path) -> None:
    """Read-only opening changes nothing for a workspace that has a database: its rows are seen."""
    from signalboost.store.workspace import Workspace

    writer = Workspace.open(tmp_path, create=True)
    with writer.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', '1', 'a')")
    reader = Workspace.open(tmp_path, read_only=True)
    assert reader.accounts()["handle"].to_list() == ["a"]


def test_read_only_handle_on_a_fresh_folder_reads_empty_tables(tmp_path: Path) -> None:
    import signalboost

    ws = signalboost.open_workspace(tmp_path, read_only=True)
    assert ws.posts().height == 0 and "post_id" in ws.posts().columns
    assert list(tmp_path.iterdir()) == []
