"""`signalboost outreach add --segment …`: the accounts the brand engages with (or an influence segment) entered
into the pipeline in one step, idempotent (a second run adds nothing, stages already set are kept). Before, only
`outreach add HANDLE` one at a time (the s9 walk on an X archive and a Mastodon export)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from signalboost.cli.main import main
from signalboost.influence import job
from signalboost.outreach import pipeline
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace
from tests.influence.test_own_export_default_weights import _own_export

T = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC)


def _archive(tmp_path: Path) -> Workspace:
    """The brand B reposts and replies to r1 (2 interactions, T−4 d and T−3.5 d), replies to c1 (T−3 d), likes post
    q1 of a9 (the like names the post only: its author is a9, T−2 d) and mentions itself; X1 likes B's post p1 (not
    the brand's engagement). Engaged by the brand: r1 (2), then by the latest: a9 (T−2 d), c1 (T−3 d)."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    ws.strategy_path.write_text("version: 1\nbrand:\n  name: Brand\n")
    inter = pl.DataFrame(
        {
            "platform": "x",
            "actor_id": ["B", "B", "B", "B", "B", "X1"],
            "kind": ["repost", "reply", "reply", "like", "mention", "like"],
            "target_post_id": ["", "", "", "q1", "", "p1"],
            "target_account_id": ["r1", "r1", "c1", "", "B", "B"],
            "occurred_at": [T - dt.timedelta(days=d) for d in (4, 3.5, 3, 2, 1, 1)],
        }
    )
    posts = pl.DataFrame(
        {"platform": "x", "post_id": ["p1", "q1"], "author_id": ["B", "a9"], "created_at": [T, T - dt.timedelta(5)]}
    )
    accounts = pl.DataFrame(
        {"platform": "x", "account_id": ["B", "r1"], "handle": ["brand", "rita"], "is_brand": [True, False]}
    )
    with ws.transaction() as con:
        sql.insert_frame(con, "interactions", inter)
        sql.insert_frame(con, "posts", posts)
        sql.insert_frame(con, "accounts", accounts)
    return ws


def _pipeline(ws: Workspace) -> dict[str, str]:
    return {r.account_id: r.stage for r in pipeline.list_records(ws)}


def test_the_accounts_the_brand_engages_with_in_one_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _archive(tmp_path)
    assert (
        main(["outreach", "add", "--segment", "engaged-by-brand", "--top", "2", "-w", str(ws.root), "-f", "json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert [(r["account_id"], r["handle"], r["interactions"]) for r in doc["rows"]] == [
        ("r1", "rita", 2),
        ("a9", None, 1),
    ]
    assert (doc["added"], doc["taken"], doc["in_segment"]) == (2, 2, 3)
    assert _pipeline(ws) == {"r1": "identified", "a9": "identified"}
    [note] = [h.note for h in pipeline.history(ws, "x", "r1")]
    assert note == "segment engaged-by-brand: the brand interacted with it 2 time(s)"

    # r1 moves on; the whole segment again: only c1 is new, r1 keeps its stage
    pipeline.move(ws, "x", "r1", "warming")
    assert main(["outreach", "add", "--segment", "engaged-by-brand", "--top", "0", "-w", str(ws.root)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "1 added as identified (3 best of 3 in engaged-by-brand; 2 already in the pipeline kept their stage)" in err
    assert _pipeline(ws) == {"r1": "warming", "a9": "identified", "c1": "identified"}
    # and once more: nothing added, nothing changed
    assert main(["outreach", "add", "-s", "engaged-by-brand", "-n", "0", "-w", str(ws.root), "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 0
    assert _pipeline(ws) == {"r1": "warming", "a9": "identified", "c1": "identified"}


def test_an_influence_segment_best_scores_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _own_export(tmp_path)  # every account in "other", scores by the brand's repost 4 > reply 2 > mention 1 > like
    job.run_influence(ws, platform="x")
    assert main(["outreach", "add", "--segment", "other", "--top", "2", "--stage", "warming", "-w", str(ws.root)]) == 0
    assert _pipeline(ws) == {"r1": "warming", "c1": "warming"}
    err = " ".join(capsys.readouterr().err.split())
    assert "2 added as warming (2 best of 4 in other; 0 already in the pipeline kept their stage)" in err
    # nobody is a fan: says so
    assert main(["outreach", "add", "--segment", "fan", "-w", str(ws.root)]) == 0
    assert "No account of the latest influence run is in segment fan" in " ".join(capsys.readouterr().err.split())


def test_the_segment_is_said_in_norwegian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _archive(tmp_path)
    monkeypatch.setenv("SIGNALBOOST_LANG", "nb")
    assert main(["outreach", "add", "--segment", "engaged-by-brand", "-w", str(ws.root)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "3 lagt til som identifisert (3 beste av 3 i engaged-by-brand; 0 som alt var i løpet beholdt" in err, err


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        ([], 2, "give a HANDLE or --segment"),
        (["--segment", "bogus"], 2, "unknown segment 'bogus'"),
        (["--segment", "advocate", "--owner", "ana"], 2, "--owner cannot be used with --segment"),
        (["@rita", "--segment", "advocate"], 2, "HANDLE cannot be used with --segment"),
        (["--segment", "advocate", "--stage", "paused"], 1, "cannot start in stage 'paused'"),
        (["--segment", "advocate"], 1, "no influence scores yet"),
    ],
)
def test_bad_use_is_refused_and_nothing_is_added(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, said: str
) -> None:
    ws = _archive(tmp_path)
    assert main(["outreach", "add", *args, "-w", str(ws.root)]) == code
    assert said in " ".join(capsys.readouterr().err.split())
    assert _pipeline(ws) == {}


def test_engaged_by_brand_needs_the_brand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _archive(tmp_path)
    with ws.transaction() as con:
        con.execute("UPDATE accounts SET is_brand = false")
    assert main(["outreach", "add", "--segment", "engaged-by-brand", "-w", str(ws.root)]) == 1
    assert "the brand's own account is unknown" in capsys.readouterr().err
