"""Hashtags with æ, ø, å (and other letters outside ASCII) survive a generic CSV import whole (issue #20): RE2's
``\\w`` in DuckDB is ASCII only, so ``#glød`` used to be stored as ``gl``."""

from __future__ import annotations

from pathlib import Path

from signalboost.cli.main import main
from signalboost.store.workspace import Workspace


def test_norwegian_hashtags_are_kept_whole(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "cafe"]) == 0
    page = tmp_path / "page.csv"
    page.write_text(
        "post_id,created_at,text,likes\n"
        "p1,2024-01-01T12:00:00Z,Nytt fra oss #glød #Kanelbolle_2,5\n"
        "p2,2024-01-02T12:00:00Z,#ÆØÅ og #café i dag,3\n",
        encoding="utf-8",
    )
    assert main(["import", str(page), "-w", str(ws), "--map", "platform==instagram,author_id==@kafe"]) == 0
    with Workspace.open(ws).connect() as con:
        rows = dict(con.execute("SELECT post_id, hashtags FROM posts ORDER BY post_id").fetchall())
    assert rows == {"p1": ["glød", "kanelbolle_2"], "p2": ["æøå", "café"]}
