"""A workspace of posts only (a CSV of influencers' posts, such as Kim et al.'s Instagram sample, imported with the
generic importer): influence cannot be computed from posts alone. The error said to import the Higgs file of the
demo; it now says what is missing and how to import it on the user's own network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from signalboost.cli.main import main
from signalboost.errors import InfluenceError
from signalboost.influence.job import run_influence
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace


def _posts_only(tmp_path: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "ws", create=True)
    posts = pl.DataFrame(
        {
            "platform": "instagram",
            "post_id": ["p1", "p2"],
            "author_id": ["anna", "ben"],
            "created_at": [dt.datetime(2019, 1, d, tzinfo=dt.UTC) for d in (1, 2)],
        }
    )
    with ws.transaction() as con:
        sql.insert_frame(con, "posts", posts)
    return ws


def test_posts_alone_give_an_error_that_says_what_is_missing(tmp_path: Path) -> None:
    ws = _posts_only(tmp_path)
    with pytest.raises(InfluenceError, match="no accounts, follows or interactions") as exc:
        run_influence(ws)
    hint = str(exc.value.hint)
    assert "posts alone" in hint and "--kind follows" in hint and "higgs" not in hint.lower()


def test_the_cli_says_it_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _posts_only(tmp_path)
    assert main(["influencers", "-w", str(ws.root)]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "posts alone" in err and "Traceback" not in err
