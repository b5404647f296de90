"""The demo step (idempotent) and the progress bar path."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.imports import demo_step
from signalboost.ingest import import_files
from signalboost.store.workspace import Workspace

from .conftest import counts


@pytest.mark.slow
def test_demo_step_is_idempotent(workspace: Workspace) -> None:
    out = io.StringIO()
    ctx = DemoContext(workspace=workspace, console=Console(file=out, width=200))
    demo_step(ctx)
    first = counts(workspace)
    assert (first["posts"], first["interactions"]) == (500, 563_069)
    demo_step(ctx)
    assert counts(workspace) == first
    text = out.getvalue()
    assert "loaded 0" in text and "already in the workspace 563,069" in text


def test_progress_bar_goes_to_the_given_console(workspace: Workspace, ingest_data: Path) -> None:
    err = io.StringIO()
    console = Console(file=err, force_terminal=True, width=120)
    [res] = import_files(workspace, [ingest_data / "higgs_small.txt"], progress=True, console=console)
    assert res.rows_loaded == 3
    assert "importing higgs_small.txt" in err.getvalue()


def test_no_progress_bar_when_the_console_is_not_a_terminal(workspace: Workspace, ingest_data: Path) -> None:
    # a pipe or a log gets no bar (Rich would leave an empty line behind), only what the command prints itself
    err = io.StringIO()
    console = Console(file=err, force_terminal=False, width=120)
    [res] = import_files(workspace, [ingest_data / "higgs_small.txt"], progress=True, console=console)
    assert res.rows_loaded == 3
    assert err.getvalue() == ""
