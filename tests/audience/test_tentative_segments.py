"""Segments whose two disjoint halves barely agree (split-half ARI below 0.5) are said to be tentative, in the CLI's
and the report's summary and on the dashboard (the s9 walk: a Higgs audience of 3,245 accounts with 3,246 links gave
8 segments at split-half ARI 0.055, shown as a bare number beside the cards)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from signalboost.audience.job import run_segments
from signalboost.report.audience_section import summary_words, tentative_words
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from tests.audience.test_web import STRATEGY, fill

SUMMARY = {"accounts": 3245, "audience_from": "follow graph", "segments": 8, "resolution": 0.5, "other": 0}


def _with(split: float | None) -> dict[str, object]:
    return {**SUMMARY, "stability": {"seed_ari": 0.951, "split_ari": split}}


def test_a_low_split_half_ari_makes_the_segments_tentative() -> None:
    words = summary_words(_with(0.055), "x")
    assert "between two disjoint halves 0.055)" in words
    assert "Tentative: the segments of two disjoint halves of the audience barely agree (ARI 0.055, below 0.5)" in words
    # at the bar and above (ego 0 of SNAP ego-Facebook: 0.662), and when the halves could not be scored: no caution
    assert (
        tentative_words(_with(0.5)) == "" and tentative_words(_with(0.662)) == "" and tentative_words(_with(None)) == ""
    )
    assert tentative_words(_with(0.4999)) != ""
    assert "Tentative" not in summary_words(_with(0.662), "x")


def test_the_dashboard_says_it_above_the_cards(workspace: Workspace) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    run_segments(workspace, min_share=0.0)
    c = TestClient(create_app(workspace), base_url="http://127.0.0.1")
    assert c.get("/audience.json").json()["summary"]["tentative"] == ""  # the planted segments replicate
    with workspace.transaction() as con:  # the same run as if its halves had disagreed
        [(raw,)] = con.execute("SELECT summary FROM audience_runs").fetchall()
        summary = json.loads(raw)
        summary["stability"]["split_ari"] = 0.12
        con.execute("UPDATE audience_runs SET summary = ?", [json.dumps(summary)])
    c = TestClient(create_app(workspace), base_url="http://127.0.0.1")
    assert c.get("/audience.json").json()["summary"]["tentative"].startswith("Tentative: ")
    text = " ".join(c.get("/audience").text.split())
    assert '<p class="callout" id="tentative">Tentative: the segments of two disjoint halves' in text
    assert "(ARI 0.12, below 0.5)" in text
