"""When most of a network's posts match no pillar, every pillar looks far under its weight whatever was posted (the
s9 walk's Mastodon export: 599 of 659 posts unclassified, all four pillars "drifting"); the analysis says how to read
the flags and what to do."""

from __future__ import annotations

import datetime as dt

import polars as pl

from signalboost.analytics.pillars import pillar_mix, unclassified_notes
from signalboost.i18n import use_language
from signalboost.report.analysis_words import translated_note

WEIGHTS = {"edu": 0.5, "fun": 0.5}


def _posts(unclassified: int, classified: int) -> pl.DataFrame:
    t0 = dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC)
    pillars: list[list[str]] = [[]] * unclassified + [["edu"]] * classified
    return pl.DataFrame(
        {
            "platform": "mastodon",
            "created_at": [t0 + dt.timedelta(days=i) for i in range(len(pillars))],
            "pillars": pillars,
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "pillars": pl.List(pl.String)},
    )


def test_a_network_mostly_unclassified_gets_a_note() -> None:
    mix = pillar_mix(_posts(6, 4), WEIGHTS, per_month=False)
    # 6 of 10 unclassified (60 %): fun 0 of 10 with 5 due drifts, edu 4 of 10 (Wilson [17 %, 69 %] holds 50 %) not
    assert dict(zip(mix["pillar"], mix["drift"], strict=True)) == {"edu": False, "fun": True, "unclassified": False}
    assert unclassified_notes(mix) == [
        "mastodon: 6 of 10 posts (60%) match no pillar, so the pillars' drift says as much about how the posts were "
        "classified as about what was posted (add keywords, hashtags or example posts to the pillars, or label posts)"
    ]


def test_half_or_less_unclassified_gets_none() -> None:
    assert unclassified_notes(pillar_mix(_posts(5, 5), WEIGHTS, per_month=False)) == []
    assert unclassified_notes(pillar_mix(_posts(0, 5), WEIGHTS, per_month=False)) == []


def test_the_note_is_said_in_norwegian() -> None:
    [note] = unclassified_notes(pillar_mix(_posts(599, 60), WEIGHTS, per_month=False))
    assert note.startswith("mastodon: 599 of 659 posts (91%) match no pillar")
    with use_language("nb"):
        said = translated_note(note)
    assert said != note and "599" in said and "659" in said and "91" in said, said
