"""The ``posts`` KPI counts the brand's own posts: reposts (retweets, boosts: other accounts' posts shared) are left
out and counted, as in the pillar mix, unless the KPI says ``include_reposts: true``.

Expected values are counted by hand from the frames below.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from pydantic import ValidationError

from signalboost import i18n
from signalboost.analytics.frequency import frequency_advice, recommend_frequency
from signalboost.analytics.kpis import kpi_status, tactic_effects
from signalboost.analytics.metrics import post_engagement
from signalboost.model.io import StrategyDocument
from signalboost.model.strategy import Kpi, Tactic

from .frames import metrics, posts, t


def _history() -> pl.DataFrame:
    """Mastodon, January 2024. The 30-day window ending 31 Jan 12:00 is (1 Jan 12:00, 31 Jan 12:00]: own posts on
    the 5th, 10th, 15th, 20th and 31st (5) and boosts on the 11th and 21st (2). The window before it holds one own
    post (Dec 20) and one boost (Dec 22)."""
    own = [t(5), t(10), t(15), t(20), t(31)]
    boosts = [t(11), t(21)]
    before = [dt.datetime(2023, 12, 20, 12, tzinfo=dt.UTC), dt.datetime(2023, 12, 22, 12, tzinfo=dt.UTC)]
    rows = [{"platform": "mastodon", "post_id": f"o{i}", "created_at": c} for i, c in enumerate(own)]
    rows += [{"platform": "mastodon", "post_id": f"b{i}", "created_at": c} for i, c in enumerate(boosts)]
    rows += [{"platform": "mastodon", "post_id": "o-dec", "created_at": before[0]}]
    rows += [{"platform": "mastodon", "post_id": "b-dec", "created_at": before[1]}]
    repost_of = [None] * 5 + ["https://example.social/1", "https://example.social/2", None, ""]
    frame = posts(rows).with_columns(pl.Series("repost_of", repost_of, dtype=pl.String))
    return post_engagement(frame, metrics([]).head(0))


def _kpi(**extra: object) -> Kpi:
    return Kpi(id="posts-30d", metric="posts", network="mastodon", target=5, window_days=30, **extra)  # type: ignore[arg-type]


def test_the_posts_kpi_counts_own_posts_and_says_how_many_reposts_it_left_out() -> None:
    row = kpi_status([_kpi()], _history()).row(0, named=True)
    # 5 own posts in the window (the 2 boosts left out); before it, 1 own post (the boost "" is a repost too)
    assert row["value"] == 5 and row["n"] == 5 and row["reposts_left_out"] == 2
    assert row["previous"] == 1 and row["change"] == 4
    assert row["verdict"] == "met"  # 5 ≥ 5; with the boosts it would have read 7


def test_include_reposts_counts_them_as_before() -> None:
    row = kpi_status([_kpi(include_reposts=True)], _history()).row(0, named=True)
    assert row["value"] == 7 and row["n"] == 7 and row["previous"] == 2
    assert row["reposts_left_out"] is None


def test_other_kpis_and_frames_without_reposts_say_nothing_left_out() -> None:
    history = _history()
    likes = Kpi(id="likes", metric="likes", network="mastodon", target=1, window_days=30)
    assert kpi_status([likes], history)["reposts_left_out"].to_list() == [None]
    own_only = history.filter(pl.col("repost_of").is_null())
    row = kpi_status([_kpi()], own_only).row(0, named=True)
    assert row["value"] == 5 and row["reposts_left_out"] == 0
    no_column = history.drop("repost_of")  # a frame from before the column existed: every post counts
    assert kpi_status([_kpi()], no_column)["value"].to_list() == [7.0]


def test_include_reposts_is_refused_on_a_metric_other_than_posts() -> None:
    with pytest.raises(ValidationError, match="include_reposts applies to metric 'posts' only, not 'likes'"):
        Kpi(id="likes", metric="likes", target=1, include_reposts=True)


YAML_KPIS = """\
kpis:
  - id: posts-30d
    metric: posts
    network: mastodon
    target: 30
    include_reposts: true   # boosts count as posts here
  - id: likes
    metric: likes
    target: 10
    include_reposts: true
"""


def test_include_reposts_round_trips_and_a_misplaced_one_is_reported_at_its_line() -> None:
    from signalboost.model.validate import validate_data

    doc = StrategyDocument.loads(YAML_KPIS)
    assert doc.dumps() == YAML_KPIS  # the comment and the key survive a save
    report = validate_data(doc.data, source="strategy.yaml")
    problems = [p for p in report.errors if "include_reposts" in p.message]
    assert len(problems) == 1, [p.message for p in report.errors]
    assert problems[0].where("strategy.yaml").startswith("strategy.yaml:7:")  # the second KPI's entry


def test_the_schema_documents_include_reposts() -> None:
    from signalboost.model.schema import strategy_schema

    kpi = strategy_schema()["$defs"]["Kpi"]["properties"]["include_reposts"]
    assert kpi["type"] == "boolean" and kpi["default"] is False and "own posts" in kpi["description"]


def test_a_tactic_judged_on_a_posts_kpi_counts_own_posts_too() -> None:
    """Four weeks (Mondays 1, 8, 15, 22 Jan 2024): one own post a week, labelled with the tactic in weeks 1 and 3;
    weeks 2 and 4 also hold two boosts each. Own posts per week: 1 with the tactic, 1 without (difference 0);
    counting the boosts the weeks without would have read 3 (a difference of −2)."""
    rows = [
        {"platform": "mastodon", "post_id": "w1", "created_at": t(2), "tactic": "giveaway"},
        {"platform": "mastodon", "post_id": "w2", "created_at": t(9)},
        {"platform": "mastodon", "post_id": "w3", "created_at": t(16), "tactic": "giveaway"},
        {"platform": "mastodon", "post_id": "w4", "created_at": t(23)},
    ]
    rows += [{"platform": "mastodon", "post_id": f"b{d}", "created_at": t(d)} for d in (10, 11, 24, 25)]
    repost_of = [None] * 4 + ["x"] * 4
    frame = post_engagement(
        posts(rows).with_columns(pl.Series("repost_of", repost_of, dtype=pl.String)), metrics([]).head(0)
    )
    tactic = Tactic(id="giveaway", name="Giveaway", goal="engagement", rrule="FREQ=MONTHLY", kpis=["posts-30d"])
    row = tactic_effects([tactic], [_kpi()], frame).row(0, named=True)
    assert row["mean_with"] == 1 and row["mean_without"] == 1 and row["diff"] == 0
    row = tactic_effects([tactic], [_kpi(include_reposts=True)], frame).row(0, named=True)
    assert row["mean_without"] == 3


def test_frequency_advice_says_how_many_of_the_weekly_posts_are_reposts() -> None:
    """One week (Mon 1 – Sun 7 Jan 2024): Monday 1 own post + 1 boost, Tuesday 1 own post, Wednesday 1 own post.
    4 posts a week, 1 of them a repost; the schedule's slots count curated posts, so the weekly rate keeps them."""
    rows = [
        {"platform": "mastodon", "post_id": "a", "created_at": t(1, 9)},
        {"platform": "mastodon", "post_id": "b", "created_at": t(1, 15)},
        {"platform": "mastodon", "post_id": "c", "created_at": t(2)},
        {"platform": "mastodon", "post_id": "d", "created_at": t(3)},
    ]
    frame = post_engagement(
        posts(rows).with_columns(pl.Series("repost_of", [None, "z", None, None], dtype=pl.String)),
        metrics([]).head(0),
    )
    row = recommend_frequency(frame).row(0, named=True)
    assert row["current_per_week"] == 4.0 and row["reposts_per_week"] == 1.0
    with i18n.use_language("en"):
        _n, why = frequency_advice(row, 3)
    assert "now 4.0/week, 1/day on 3.0 days a week (reposts of other accounts' posts included: 1.0/week)" in why


def test_the_cli_and_report_kpi_rows_say_what_was_left_out() -> None:
    from signalboost.cli.analytics_tables import kpi_rows

    status = kpi_status([_kpi()], _history())
    with i18n.use_language("en"):
        row = kpi_rows(status)[0]
    assert row["verdict"] == "met; 2 reposts left out (other accounts' posts shared)" and row["n"] == "5"
    with i18n.use_language("nb"):
        row = kpi_rows(status)[0]
    assert any(str(v).endswith("; 2 delinger utelatt (andre kontoers innlegg delt videre)") for v in row.values()), row


def test_the_reports_kpi_table_notes_the_reposts_left_out() -> None:
    from types import SimpleNamespace

    from signalboost.report.analytics_report import _kpi_section

    a = SimpleNamespace(kpis=kpi_status([_kpi()], _history()), tactics=pl.DataFrame())
    with i18n.use_language("en"):
        table = _kpi_section(a).tables[0]  # type: ignore[arg-type]
    assert table.rows[0][-1] == "2 reposts left out (other accounts' posts shared)"
    assert table.rows[0][-3] == "5"  # n: the own posts


def test_best_times_and_formats_leave_out_reposts_that_carry_the_shared_posts_figures() -> None:
    """Six own photo posts on x at 10:00 (1 like each) and two reposts at 20:00 whose export gave them the
    shared posts' 500 likes (a generic CSV can): the slots and formats are the brand's own 6 posts."""
    from signalboost.analytics.analysis import analyze

    rows = [{"platform": "x", "post_id": f"o{d}", "created_at": t(d, 10), "format": "photo"} for d in range(1, 7)]
    rows += [{"platform": "x", "post_id": f"r{d}", "created_at": t(d, 20), "format": "video"} for d in (2, 4)]
    frame = posts(rows).with_columns(pl.Series("repost_of", [None] * 6 + ["s1", "s2"], dtype=pl.String))
    m = metrics(
        [{"platform": "x", "post_id": f"o{d}", "likes": 1, "comments": 0, "shares": 0} for d in range(1, 7)]
        + [{"platform": "x", "post_id": f"r{d}", "likes": 500, "comments": 0, "shares": 0} for d in (2, 4)]
    )
    result = analyze(None, frame, m)
    used = result.slots.filter(pl.col("n_posts") > 0)
    assert int(used["n_posts"].sum()) == 6 and set(used["slot_hour"].to_list()) == {10}
    assert result.formats["group"].to_list() == ["photo"] and result.formats["n_used"].to_list() == [6]


def test_own_posts_only_on_a_single_repost_an_empty_frame_and_a_frame_without_the_column() -> None:
    from signalboost.analytics.kpis import own_posts_only

    one = pl.DataFrame({"post_id": ["b"], "repost_of": ["https://example.social/1"]})
    kept, left_out = own_posts_only(one)
    assert (kept.height, left_out) == (0, 1)  # a window holding one boost: no own post, one left out
    empty = one.head(0)
    assert own_posts_only(empty)[1] == 0
    kept, left_out = own_posts_only(one.drop("repost_of"))
    assert (kept.height, left_out) == (1, 0)  # no column: every post is the brand's own
    row = kpi_status([_kpi()], _history().drop("repost_of")).row(0, named=True)
    assert row["reposts_left_out"] == 0  # a frame from before the column existed: nothing left out


def _tactic_frame_with_x_posts() -> pl.DataFrame:
    """The four Mastodon weeks of the test above (one own post a week, the tactic in weeks 1 and 3, no boosts) and
    three X posts in week 2 that must not count on Mastodon: own posts per week on Mastodon 1 with and 1 without
    (difference 0); counting X too, week 2 would read 4 (without 2.5, difference −1.5)."""
    rows = [
        {"platform": "mastodon", "post_id": "w1", "created_at": t(2), "tactic": "giveaway"},
        {"platform": "mastodon", "post_id": "w2", "created_at": t(9)},
        {"platform": "mastodon", "post_id": "w3", "created_at": t(16), "tactic": "giveaway"},
        {"platform": "mastodon", "post_id": "w4", "created_at": t(23)},
    ]
    rows += [{"platform": "x", "post_id": f"x{d}", "created_at": t(d)} for d in (9, 10, 11)]
    frame = posts(rows).with_columns(pl.Series("repost_of", [None] * 7, dtype=pl.String))
    return post_engagement(frame, metrics([]).head(0))


def test_a_tactic_judged_on_a_network_kpi_counts_that_networks_posts_only() -> None:
    tactic = Tactic(id="giveaway", name="Giveaway", goal="engagement", rrule="FREQ=MONTHLY", kpis=["posts-30d"])
    row = tactic_effects([tactic], [_kpi()], _tactic_frame_with_x_posts()).row(0, named=True)
    assert row["mean_with"] == 1 and row["mean_without"] == 1 and row["diff"] == 0


def test_a_tactic_on_some_networks_judged_on_a_kpi_of_every_network_counts_its_networks_only() -> None:
    every = Kpi(id="posts-30d", metric="posts", target=5, window_days=30)  # no network: every network
    tactic = Tactic(
        id="giveaway",
        name="Giveaway",
        goal="engagement",
        rrule="FREQ=MONTHLY",
        kpis=["posts-30d"],
        networks=["mastodon"],
    )
    row = tactic_effects([tactic], [every], _tactic_frame_with_x_posts()).row(0, named=True)
    assert row["mean_with"] == 1 and row["mean_without"] == 1 and row["diff"] == 0


def test_reposts_per_week_is_a_rate_over_the_weeks_posted() -> None:
    """Two calendar weeks (Mon 1 – Sun 14 Jan 2024): week 1 has 2 own posts and 1 boost, week 2 has 1 own post and
    2 boosts. 6 posts and 3 reposts over 2 weeks: 3.0 posts and 1.5 reposts a week (not 3, the total)."""
    rows = [
        {"platform": "mastodon", "post_id": p, "created_at": c}
        for p, c in [("a", t(1)), ("b", t(2)), ("z1", t(3)), ("c", t(8)), ("z2", t(9)), ("z3", t(14))]
    ]
    repost_of = [None, None, "x", None, "y", "w"]
    frame = post_engagement(
        posts(rows).with_columns(pl.Series("repost_of", repost_of, dtype=pl.String)), metrics([]).head(0)
    )
    row = recommend_frequency(frame).row(0, named=True)
    assert row["current_per_week"] == 3.0 and row["reposts_per_week"] == 1.5
