"""The audience job on a workspace and `signalboost audience segments|personas` (migration 090)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from signalboost.audience.job import run_segments, stored_run
from signalboost.cli.main import main
from signalboost.errors import AudienceError
from signalboost.model.io import load_strategy
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace
from tests.audience.test_text import BIOS_EN, BIOS_NO

T = dt.datetime(2026, 11, 2, 7, tzinfo=dt.UTC)
RUNNERS = [f"r{i}" for i in range(6)]
BAKERS = [f"k{i}" for i in range(6)]
STRATEGY = """version: 1
brand:
  name: Brand
  handles: {x: brand}
# the people we write for
audience:
  personas:
    - id: home-bakers   # ours
      name: Home bakers
      summary: People who bake bread at home.
      interests: [sourdough, baking]
    - id: gamers
      name: Gamers
      interests: [esports, consoles]
"""


def fill(ws: Workspace) -> None:
    """Brand B; two planted groups of followers (runners with Norwegian bios, bakers with English bios), each a
    clique of follows; runners like the brand's video post at 07h, bakers its photo post at 19h."""
    follows = [(a, b) for g in (RUNNERS, BAKERS) for a in g for b in g if a != b]
    follows += [(a, "B") for a in RUNNERS + BAKERS]
    inter = [(a, "p1", T + dt.timedelta(days=i)) for i, a in enumerate(RUNNERS)]
    inter += [(a, "p2", T + dt.timedelta(hours=12, days=i)) for i, a in enumerate(BAKERS)]
    with ws.transaction() as con:
        sql.insert_frame(con, "follows", pl.DataFrame({"platform": "x", "follower_id": [a for a, _ in follows],
                                                       "followee_id": [b for _, b in follows]}))  # fmt: skip
        sql.insert_frame(
            con,
            "accounts",
            pl.DataFrame(
                {
                    "platform": "x",
                    "account_id": ["B", *RUNNERS, *BAKERS],
                    "handle": ["brand", *RUNNERS, *[f"=cmd{b}" for b in BAKERS]],
                    "bio": ["The brand", *BIOS_NO, *BIOS_EN],
                }
            ),
        )
        sql.insert_frame(
            con,
            "posts",
            pl.DataFrame(
                {
                    "platform": "x",
                    "post_id": ["p1", "p2"],
                    "author_id": "B",
                    "text": ["Trail video", "Bread photo"],
                    "format": ["video", "photo"],
                    "pillars": [["trail"], ["recipes"]],
                }
            ),
        )
        sql.insert_frame(
            con,
            "interactions",
            pl.DataFrame(
                {
                    "platform": "x",
                    "actor_id": [a for a, _, _ in inter],
                    "kind": "like",
                    "target_post_id": [p for _, p, _ in inter],
                    "target_account_id": "B",
                    "occurred_at": [t for _, _, t in inter],
                }
            ),
        )


def test_segments_cards_and_store(workspace: Workspace) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    res = run_segments(workspace, min_share=0.0)
    assert res.audience_from.startswith("follow graph")
    seg = dict(res.segmentation.table.iter_rows())
    assert len({seg[a] for a in RUNNERS}) == 1 and len({seg[a] for a in BAKERS}) == 1
    assert seg["r0"] != seg["k0"] and "B" not in seg
    by_size = {c.segment: c for c in res.cards}
    runners, bakers = by_size[seg["r0"]], by_size[seg["k0"]]
    assert runners.size == 6 and runners.share == 0.5 and runners.engagement_share == 0.5
    assert runners.formats == [{"value": "video", "n": 6, "share": 1.0}]
    assert bakers.pillars == [{"value": "recipes", "n": 6, "share": 1.0}]
    assert runners.active_hours == [7] and bakers.active_hours == [19]
    assert {"fjellet", "trener"} <= set(runners.keywords) and "sourdough" in bakers.keywords
    assert bakers.example_posts[0]["post_id"] == "p2"
    run = stored_run(workspace)
    assert run is not None and run["segments"] == 2 and len(run["cards"]) == 2
    # same seed, same segments
    again = run_segments(workspace, min_share=0.0, write=False)
    assert again.segmentation.table.equals(res.segmentation.table)


def test_cli_segments_json_and_csv(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    assert main(["audience", "segments", "-w", str(workspace.root), "--min-share", "0", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["segments"] == 2 and len(doc["rows"]) == 2
    assert doc["summary"]["stability"]["seed_ari"] == 1.0
    assert main(["audience", "segments", "-w", str(workspace.root), "--stored", "-f", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("segment,name,size")
    assert ",'@=cmdk0;@=cmdk1" in out  # a cell starting like a formula is neutralised


def test_personas_verdicts_and_apply(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    run_segments(workspace, min_share=0.0)
    w = str(workspace.root)
    assert main(["audience", "personas", "-w", w, "-f", "json"]) == 0
    rows = {r["persona"]: r for r in json.loads(capsys.readouterr().out)["rows"]}
    assert rows["home-bakers"]["verdict"].startswith("matches a segment of 50% of the audience")
    assert rows["gamers"]["verdict"] == "no segment matches: review it"
    proposed = [p for p in rows if p.startswith("(proposed)")]
    assert len(proposed) == 1  # the runners: 50% of the audience, no persona
    assert main(["audience", "personas", "-w", w, "--apply", "-f", "json"]) == 0
    applied = json.loads(capsys.readouterr().out)["applied"]
    assert [a["action"] for a in applied] == ["kept", "added"]
    text = workspace.strategy_path.read_text()
    assert "# the people we write for" in text and "id: home-bakers   # ours" in text  # comments kept
    assert "summary: People who bake bread at home." in text  # the user's text untouched
    strategy = load_strategy(workspace.strategy_path)
    draft = strategy.audience.personas[-1]
    assert draft.draft and draft.last_reviewed == dt.date.today() and "fjellet" in draft.interests
    # a second --apply refreshes the draft instead of adding it again; --force rewrites the user's persona
    assert main(["audience", "personas", "-w", w, "--apply", "--force", "-f", "json"]) == 0
    applied = json.loads(capsys.readouterr().out)["applied"]
    assert [a["action"] for a in applied] == ["refreshed", "refreshed"]
    strategy = load_strategy(workspace.strategy_path)
    assert len(strategy.audience.personas) == 3
    assert "sourdough" in strategy.audience.personas[0].interests


def test_errors_are_clear(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Exception, match="no accounts, follows or interactions"):
        run_segments(workspace)
    fill(workspace)
    w = str(workspace.root)
    assert main(["audience", "personas", "-w", w]) == 1
    assert "no stored segments" in capsys.readouterr().err
    assert main(["audience", "personas", "-w", w, "--force"]) == 2
    assert "--apply" in capsys.readouterr().err
    run_segments(workspace, min_share=0.0)
    assert main(["audience", "personas", "-w", w, "--apply"]) == 1  # no strategy.yaml to write into
    assert "strategy.yaml" in capsys.readouterr().err
    with pytest.raises(AudienceError, match="no audience"):
        run_segments(workspace, platform="mastodon")


def test_validate_warns_when_a_draft_is_past_its_review_date(tmp_path: pytest.TempPathFactory) -> None:
    from signalboost.model.validate import validate_file

    path = tmp_path / "strategy.yaml"  # type: ignore[operator]
    path.write_text(
        "version: 1\nbrand:\n  name: B\naudience:\n  personas:\n    - id: runners\n      name: Runners\n"
        "      draft: true\n      last_reviewed: 2026-01-01\n      review_every_days: 30\n"
    )
    late = validate_file(path, today=dt.date(2026, 3, 1))
    assert any("past its review date 2026-01-31" in w.message for w in late.warnings)
    on_time = validate_file(path, today=dt.date(2026, 1, 20))
    assert not any("review" in w.message for w in on_time.warnings)


def test_the_accounts_in_no_segment_are_counted_and_said(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three followers with no edge, bio or interaction fall in "other", which has no card: the summary counts
    them (SNAP ego 0: 6 segments shown held 322 of 347 accounts, and nothing said where the 25 others were)."""
    fill(workspace)
    with workspace.transaction() as con:
        sql.insert_frame(con, "follows", pl.DataFrame({"platform": "x", "follower_id": ["o1", "o2", "o3"],
                                                       "followee_id": "B"}))  # fmt: skip
    workspace.strategy_path.write_text(STRATEGY)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["audience", "segments", "-w", str(workspace.root), "--min-share", "0", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["summary"]["accounts"], doc["summary"]["other"]) == (15, 3)
    assert sum(r["size"] for r in doc["rows"]) == 12
    assert main(["audience", "segments", "-w", str(workspace.root), "--stored"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "3 accounts (20%) are in no segment" in out


def test_segments_without_any_interaction_have_unknown_engagement_not_zero(
    workspace: Workspace, tmp_path: Path
) -> None:
    """A follow graph and bios but no interaction imported (SNAP ego-Facebook): nobody's engagement can be seen, so
    each segment's engagement is unknown (None, "—"), not 0 — and the JSON says so."""
    fill(workspace)
    with workspace.transaction() as con:
        con.execute("DELETE FROM interactions")
    res = run_segments(workspace, min_share=0.0)
    assert len(res.cards) == 2
    assert all(c.engagement is None and c.engagement_share is None for c in res.cards)
    fill_again = Workspace.open(tmp_path / "with", create=True)
    fill(fill_again)
    known = run_segments(fill_again, min_share=0.0)
    assert sorted(c.engagement for c in known.cards if c.engagement is not None) == [6, 6]  # 6 likes each
