"""Posts without a date (a CSV imported without its date column mapped: Kim et al.'s Instagram sample names it
``taken_at_utc``) keep their per-post figures but are left out of every analysis by time, with a note saying how to
give them one; when no post has a date, the error says so. ``analyze`` crashed with a traceback
(``'NoneType' object has no attribute 'date'``)."""

from __future__ import annotations

import pytest

from signalboost.analytics.analysis import analyze
from signalboost.analytics.kpis import tactic_weeks
from signalboost.errors import AnalyticsError
from signalboost.model import Strategy

from .frames import metrics, posts, t

STRATEGY = {
    "version": 1,
    "brand": {"name": "Shop", "timezone": "UTC"},
    "ecosystem": [{"network": "facebook", "role": "community"}],
    "tactics": [
        {
            "id": "giveaway",
            "name": "Giveaway",
            "goal": "engagement",
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
            "networks": ["facebook"],
        }
    ],
}


def _frames(dated: int, undated: int):  # type: ignore[no-untyped-def]
    rows = [{"post_id": f"d{i}", "created_at": t(1 + i, 10)} for i in range(dated)]
    rows += [{"post_id": f"u{i}", "created_at": None} for i in range(undated)]
    likes = [{"post_id": r["post_id"], "likes": 10 + i, "comments": 1, "shares": 0} for i, r in enumerate(rows)]
    return posts(rows), metrics(likes)


def test_posts_without_a_date_are_left_out_with_a_note() -> None:
    p, m = _frames(dated=4, undated=3)
    result = analyze(Strategy.model_validate(STRATEGY), p, m)
    note = (
        "facebook: 3 posts have no date and are left out of every analysis by time (map the date column: --map "
        "created_at=COLUMN)"
    )
    assert note in result.notes
    # the slots count the 4 dated posts only; per-post interactions keep all 7 (likes 10..16 + 1 comment: mean 14)
    assert int(result.slots["n_posts"].sum()) == 4
    assert result.engagement["interactions"].mean() == pytest.approx(14.0)


def test_no_post_with_a_date_is_a_clear_error_not_a_traceback() -> None:
    p, m = _frames(dated=0, undated=5)
    with pytest.raises(AnalyticsError, match="none of the 5 posts has a date") as exc:
        analyze(Strategy.model_validate(STRATEGY), p, m)
    assert exc.value.where == "posts.created_at"
    assert "--map created_at=" in str(exc.value.hint)


def test_tactic_weeks_of_undated_posts_are_none() -> None:
    p, m = _frames(dated=0, undated=3)
    tactic = Strategy.model_validate(STRATEGY).tactics[0]
    assert tactic_weeks(tactic, p.join(m, on=["platform", "post_id"], how="left")) == (set(), "rrule")
