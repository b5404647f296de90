"""The demo's influencer tables in an 80-column terminal: the narrow table, no number wrapped over two lines."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

import pytest


def _table_rows(text: str) -> list[list[str]]:
    """The body rows of every Rich table in ``text``, as lists of stripped cells."""
    return [[c.strip() for c in line.split("│")[1:-1]] for line in text.splitlines() if line.startswith("│")]


@pytest.mark.parametrize("width", [80, 140])
def test_demo_influencer_tables_fit_the_terminal(
    demo_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], width: int
) -> None:
    from signalboost.cli.common import console
    from signalboost.demo.context import DemoContext
    from signalboost.demo.influencers import demo_step
    from signalboost.store.workspace import Workspace

    monkeypatch.setenv("COLUMNS", str(width))
    copy = tmp_path / "ws"
    shutil.copytree(demo_ws, copy)
    demo_step(DemoContext(workspace=Workspace.open(copy), console=console))
    out = capsys.readouterr().out
    rows = _table_rows(out)
    assert len(rows) >= 20, out  # the top 10 and the thought leaders beyond
    # A row whose account cell is blank continues the row above; a number must not go on in it.
    broken = [
        (above[j], cell)
        for above, row in itertools.pairwise(rows)
        if not row[0]
        for j, cell in enumerate(row)
        if above[j][-1:].isdigit() and cell[:1].isdigit()
    ]
    assert not broken, out
    if width < 120:
        assert all(row[0] for row in rows), out  # the narrow table wraps nothing
    tables = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert all(len(line) <= width for line in tables), out
    scores, ranks = [row[2] for row in rows if row[0]], [row[3] for row in rows if row[0]]
    assert all(re.fullmatch(r"\d{2,3}[.,]\d+|100", s) for s in scores), scores
    # every row has its rank (the top 10 used to show "—": it came from the unstored result)
    assert all(re.match(r"\d+", r) for r in ranks), ranks
    narrow = width < 120
    assert ("inter = interactions with the brand" in out) is narrow
    assert ("┃ reach" in out) is not narrow
