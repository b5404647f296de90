"""When most of a network's posts match no pillar, every pillar looks far under its weight whatever was posted (the
s9 walk's Mastodon export: 599 of 659 posts unclassified, all four pillars "drifting"). Such flags measure the
classifier, not the posting: ``pillar_mix`` withholds them (``drift`` false, ``drift_withheld`` true) and the note
says "pillar drift not judged — not enough classified posts: N of M", the same words in the CLI, the report, the
Overview and the Analytics page."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import polars as pl
import pytest

from signalboost.analytics.pillars import pillar_mix, unclassified_notes
from signalboost.cli.main import main
from signalboost.i18n import use_language
from signalboost.model.io import StrategyDocument
from signalboost.report.analysis_words import translated_note
from signalboost.store.workspace import Workspace

WEIGHTS = {"edu": 0.5, "fun": 0.5}
WEB = Path(__file__).resolve().parents[1] / "data" / "web"


def _posts(unclassified: int, classified: int, start: dt.date = dt.date(2024, 5, 1)) -> pl.DataFrame:
    t0 = dt.datetime(start.year, start.month, start.day, 9, tzinfo=dt.UTC)
    pillars: list[list[str]] = [[]] * unclassified + [["edu"]] * classified
    return pl.DataFrame(
        {
            "platform": "mastodon",
            "created_at": [t0 + dt.timedelta(hours=i) for i in range(len(pillars))],
            "pillars": pillars,
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "pillars": pl.List(pl.String)},
    )


def _flags(mix: pl.DataFrame) -> dict[str, tuple[bool, bool]]:
    return {r["pillar"]: (r["drift"], r["drift_withheld"]) for r in mix.iter_rows(named=True)}


def test_a_network_mostly_unclassified_has_its_flags_withheld() -> None:
    mix = pillar_mix(_posts(6, 4), WEIGHTS, per_month=False)
    # 6 of 10 unclassified (60 % > 50 %): fun 0 of 10 with 5 due would drift, but the 4 classified posts are too
    # few to tell what was posted; nothing is flagged and every row says it was withheld
    assert _flags(mix) == {"edu": (False, True), "fun": (False, True), "unclassified": (False, True)}
    assert unclassified_notes(mix) == [
        "mastodon: pillar drift not judged — not enough classified posts: 4 of 10 match a pillar (add keywords, "
        "hashtags or example posts to the pillars, or label posts)"
    ]


def test_half_or_less_unclassified_keeps_its_flags() -> None:
    # 5 of 10 unclassified (exactly 50 %, not above): fun 0 of 10 with 5 due drifts as before
    mix = pillar_mix(_posts(5, 5), WEIGHTS, per_month=False)
    assert _flags(mix) == {"edu": (False, False), "fun": (True, False), "unclassified": (False, False)}
    assert unclassified_notes(mix) == []
    assert unclassified_notes(pillar_mix(_posts(0, 5), WEIGHTS, per_month=False)) == []


def test_each_month_is_judged_on_its_own_classified_posts() -> None:
    # May: 6 unclassified + 4 edu (60 % unclassified) → withheld; June: 6 edu, 0 fun → fun drifts (3 due, Wilson
    # of 0/6 is [0, 39 %], below 50 %) and so does edu (Wilson of 6/6 is [61 %, 100 %], above 50 %)
    frame = pl.concat([_posts(6, 4), _posts(0, 6, dt.date(2024, 6, 3))])
    mix = pillar_mix(frame, WEIGHTS, per_month=True)
    got = {(r["month"], r["pillar"]): (r["drift"], r["drift_withheld"]) for r in mix.iter_rows(named=True)}
    assert got[("2024-05", "fun")] == (False, True)
    assert got[("2024-06", "fun")] == (True, False)
    assert got[("2024-06", "edu")] == (True, False)


def test_the_note_is_said_in_norwegian() -> None:
    [note] = unclassified_notes(pillar_mix(_posts(599, 60), WEIGHTS, per_month=False))
    assert note.startswith("mastodon: pillar drift not judged — not enough classified posts: 60 of 659 match")
    with use_language("nb"):
        said = translated_note(note)
    assert said.startswith("mastodon: søyleavvik ikke vurdert — for få klassifiserte innlegg: 60 av 659"), said


def _unclassified_workspace(root: Path) -> Workspace:
    """20 own x posts: 3 labelled ``brand`` by a person, 17 saying "hello" (no example posts, so nothing classifies
    them): 17 of 20 unclassified (85 %). Without withholding all four pillars would be flagged: brand 3 of 20
    (Wilson [5 %, 36 %] excludes its 40 %), fashion, beauty and wellness 0 of 20 with 6, 4 and 2 due."""
    ws = Workspace.open(root, create=True)
    shutil.copy(WEB / "strategy.yaml", ws.strategy_path)
    doc = StrategyDocument.load(ws.strategy_path)
    doc.data["examples"] = []
    doc.save()
    with ws.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', '1', 'andreruffert')")
        for day in range(1, 21):
            con.execute(
                "INSERT INTO posts (platform, post_id, author_id, created_at, text, format, pillars) "
                "VALUES ('x', ?, '1', ?, 'hello', 'text', ?)",
                [f"p{day}", f"2024-03-{day:02d} 10:00:00+00", ["brand"] if day <= 3 else None],
            )
    return ws


def test_analyze_says_not_judged_in_the_table_and_the_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ws = _unclassified_workspace(tmp_path / "ws")
    assert main(["analyze", "-w", str(ws.root)]) == 0
    out = capsys.readouterr().out
    assert "x: pillar drift not judged — not enough classified posts: 3 of 20 match a pillar" in " ".join(out.split())
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in out.splitlines() if line.startswith("│")]
    mix = {c[0]: c[-1] for c in cells if c and c[0] in ("Brand", "Fashion", "Beauty", "Wellness")}
    assert mix == dict.fromkeys(("Brand", "Fashion", "Beauty", "Wellness"), "not judged"), out
    assert main(["analyze", "-w", str(ws.root), "-f", "json"]) == 0
    import json

    doc = json.loads(capsys.readouterr().out)
    mix = [r for r in doc["mix"] if r["pillar"] != "unclassified"]
    assert len(mix) == 4 and not any(r["drift"] for r in mix) and all(r["drift_withheld"] for r in mix)
