"""The advice reads a recent window of a long history (the last 12 months, widened to 60 posts with a figure), says
which, and its backtest judges the same window; ``--window`` / ``--since`` change it.

Expected values are worked out by hand from the generated histories below.
"""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from signalboost import i18n
from signalboost.analytics.analysis import AnalysisOptions, analyze
from signalboost.analytics.history import history_windows, in_windows
from signalboost.analytics.recommend import propose_schedule
from signalboost.cli.main import main
from signalboost.model.io import StrategyDocument
from signalboost.store.analytics_sql import insert_frame
from signalboost.store.workspace import Workspace

from .frames import metrics, posts

YAML = """\
version: 1
brand:
  name: Tiny
  timezone: Europe/Madrid
ecosystem:
  - network: facebook
    role: community
schedule:
  networks:
    facebook:
      min_posts_per_week: 1
      slots:
        mon: ["09:00"]
"""
MADRID = ZoneInfo("Europe/Madrid")
SLOTS = ((1, 10), (3, 18), (5, 12))  # Tuesday 10:00, Thursday 18:00, Saturday 12:00 (Madrid)


def _weeks(first_monday: dt.date, weeks: int, rates: dict[int, float], tag: str) -> tuple[list[dict], list[dict]]:
    p_rows, m_rows = [], []
    for week in range(weeks):
        for day, hour in SLOTS:
            pid = f"{tag}{week}-{day}"
            local = dt.datetime.combine(first_monday, dt.time(hour), tzinfo=MADRID) + dt.timedelta(days=7 * week + day)
            wobble = 0.002 * ((week % 3) - 1)
            p_rows.append({"post_id": pid, "created_at": local.astimezone(dt.UTC)})
            m_rows.append(
                {
                    "post_id": pid,
                    "reach": 1000,
                    "likes": round((rates[day] + wobble) * 1000),
                    "comments": 0,
                    "shares": 0,
                }
            )
    return p_rows, m_rows


def history() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Old habits, 150 weeks from Mon 6 Jan 2020 (450 posts): Tuesday 10:00 does best (5 %), Thursday 18:00 worst
    (1 %). Recent, 40 weeks from Mon 4 Mar 2024 (120 posts, the last on Sat 7 Dec 2024 12:00): the reverse —
    Thursday 18:00 best (5 %), Tuesday 10:00 worst (1 %). Saturday 12:00 is 3 % throughout.

    The 12 months before the last post start on 7 Dec 2023: they hold the 120 recent posts (≥ 60) and none of
    the old ones (the last old post is Sat 23 Nov 2022)."""
    old_p, old_m = _weeks(dt.date(2020, 1, 6), 150, {1: 0.05, 3: 0.01, 5: 0.03}, "old")
    new_p, new_m = _weeks(dt.date(2024, 3, 4), 40, {1: 0.01, 3: 0.05, 5: 0.03}, "new")
    return posts(old_p + new_p), metrics(old_m + new_m)


def test_recommend_reads_the_last_12_months_and_says_so() -> None:
    doc = StrategyDocument.loads(YAML)
    p, m = history()
    result = analyze(doc.strategy(), p, m, None, options=AnalysisOptions(explore=0))
    w = result.windows["facebook"]
    assert (w.how, w.n_posts, w.n_judged, w.n_left_out) == ("months", 120, 120, 450)
    assert w.start == dt.datetime(2023, 12, 7, 11, tzinfo=dt.UTC)  # Sat 7 Dec 2024 12:00 Madrid = 11:00 UTC
    # the backtest judged the same 120 posts, and it backs the recent best hour
    choice = result.slot_choices["facebook"]
    assert choice.n_posts == 120 and choice.backed, choice.sentence()
    proposal = propose_schedule(doc.strategy(), result, explore=0)
    assert proposal.networks[0].new_slots() == {"thu": ["18:00"]}
    with i18n.use_language("en"):
        rows = propose_schedule(doc.strategy(), result, explore=0).evidence_rows()
    assert rows[0] == {
        "network": "facebook",
        "what": "history",
        "value": "2023-12-07/2024-12-07",
        "kind": "window",
        "evidence": "the last 12 months: 120 posts, 120 with a figure; 450 earlier posts left out (change it with "
        "--window or --since)",
    }
    # the frequency evidence reads the window too: 40 weeks of 3 posts, one a day
    assert result.frequency.row(0, named=True)["current_per_week"] == 3.0
    assert result.frequency_curve["n_days"].sum() == 120


def test_the_whole_history_gives_the_old_habits_advice() -> None:
    doc = StrategyDocument.loads(YAML)
    p, m = history()
    result = analyze(doc.strategy(), p, m, None, options=AnalysisOptions(explore=0, window_months=0))
    w = result.windows["facebook"]
    assert (w.how, w.n_posts, w.n_left_out) == ("all", 570, 0)
    assert result.slot_choices["facebook"].n_posts == 570
    # 450 old posts against 120 recent: over the whole history Tuesday 10:00 has the best mean
    # ((450/3·5 % + 120/3·1 %) / 190 = 4.2 % against 1.8 % for Thursday 18:00)
    best = result.slots.filter(pl.col("n_posts") > 0).sort("raw_mean", descending=True).row(0, named=True)
    assert (best["weekday"], best["slot_hour"]) == (1, 10)
    with i18n.use_language("en"):
        row = propose_schedule(doc.strategy(), result, explore=0).evidence_rows()[0]
    assert row["evidence"] == "the whole history: 570 posts, 570 with a figure; every post of the history"
    assert not any("the advice reads the posts of" in n for n in result.notes)  # nothing left out: no note


def test_since_reads_from_that_date_without_widening() -> None:
    doc = StrategyDocument.loads(YAML)
    p, m = history()
    # from 1 Nov 2024 (Madrid): Sat 2 Nov, then the 5 weeks of 4 Nov – 7 Dec (3 posts each) = 16 posts, under 60,
    # not widened
    result = analyze(doc.strategy(), p, m, None, options=AnalysisOptions(since=dt.date(2024, 11, 1)))
    w = result.windows["facebook"]
    assert (w.how, w.n_posts, w.n_left_out) == ("since", 16, 554)
    assert w.start == dt.datetime(2024, 10, 31, 23, tzinfo=dt.UTC)  # midnight in Madrid (CET)
    assert result.slot_choices["facebook"].n_posts == 16  # too few to backtest: it says so
    assert "only 16 posts with a known time" in result.slot_choices["facebook"].sentence()


def _frame(times: list[dt.datetime], judged: list[bool]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "platform": ["x"] * len(times),
            "created_at": times,
            "interactions": [1.0 if j else None for j in judged],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64},
    )


def test_the_window_widens_to_the_nth_most_recent_post_with_a_figure() -> None:
    """Last post 1 Jun 2024; the 3 months before it start 1 Mar 2024 and hold 2 judged posts (May, Apr) and one
    without a figure (20 May). With min_posts 4 the window widens back to the 4th most recent judged post
    (1 Dec 2023); the post of 1 Nov 2023 is left out."""
    d = [dt.datetime(2024, mo, dd, tzinfo=dt.UTC) for mo, dd in ((6, 1), (5, 20), (4, 1))]
    d += [dt.datetime(2024, 1, 1, tzinfo=dt.UTC), dt.datetime(2023, 12, 1, tzinfo=dt.UTC)]
    d += [dt.datetime(2023, 11, 1, tzinfo=dt.UTC)]
    frame = _frame(d, [True, False, True, True, True, True])
    w = history_windows(frame, {"x": "interactions"}, months=3, min_posts=4)["x"]
    assert (w.how, w.start, w.n_posts, w.n_judged, w.n_left_out) == (
        "widened",
        dt.datetime(2023, 12, 1, tzinfo=dt.UTC),
        5,
        4,
        1,
    )
    assert in_windows(frame, {"x": w})["created_at"].min() == dt.datetime(2023, 12, 1, tzinfo=dt.UTC)
    # exactly min_posts judged posts in the 3 months: not widened (the start, 1 Mar, is included)
    w = history_windows(frame, {"x": "interactions"}, months=3, min_posts=2)["x"]
    assert (w.how, w.start, w.n_left_out) == ("months", dt.datetime(2024, 3, 1, tzinfo=dt.UTC), 3)
    # a window reaching back before year 1 holds the whole history (no overflow)
    w = history_windows(frame, {"x": "interactions"}, months=12 * 3000, min_posts=2)["x"]
    assert (w.how, w.start, w.n_left_out) == ("months", dt.datetime(2023, 11, 1, tzinfo=dt.UTC), 0)
    # fewer judged posts than min_posts in the whole history: all of it
    w = history_windows(frame, {"x": "interactions"}, months=3, min_posts=9)["x"]
    assert (w.how, w.n_posts, w.n_left_out) == ("whole", 6, 0)


def test_the_note_and_the_evidence_say_the_window_in_the_readers_language() -> None:
    from signalboost.report.analysis_words import plain_note

    doc = StrategyDocument.loads(YAML)
    p, m = history()
    result = analyze(doc.strategy(), p, m, None, options=AnalysisOptions(explore=0))
    [note] = [n for n in result.notes if "the advice reads the posts of" in n]
    with i18n.use_language("en"):
        assert plain_note(note) == (
            "facebook: the advice reads the posts of Dec 7, 2023 to Dec 7, 2024 (the last 12 months; 120 posts, 120 "
            "with a figure); 450 earlier posts are left out of the best times, posts per day and formats"
        )
    with i18n.use_language("nb"):
        said = plain_note(note)
    assert said.startswith("facebook: rådene bygger på innleggene fra 7. des. 2023 til 7. des. 2024 (de siste 12")


@pytest.fixture
def long_workspace(workspace: Workspace) -> Workspace:
    p, m = history()
    insert_frame(workspace, "posts", p)
    insert_frame(workspace, "post_metrics", m)
    workspace.strategy_path.write_text(YAML)
    return workspace


def test_recommend_cli_window_options(long_workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(long_workspace.root)
    assert main(["recommend", "-w", root, "-f", "json", "--explore", "0"]) == 0
    rows = json.loads(capsys.readouterr().out)["changes"]
    assert rows[0]["kind"] == "window" and rows[0]["value"] == "2023-12-07/2024-12-07"
    assert main(["recommend", "-w", root, "-f", "json", "--window", "0"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"][0]["value"] == "2020-01-07/2024-12-07"
    assert main(["recommend", "-w", root, "-f", "json", "--since", "2024-11-01"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"][0]["value"] == "2024-10-31/2024-12-07"
    assert main(["recommend", "-w", root, "--since", "2024-13-01"]) == 2
    err = capsys.readouterr().err
    assert "'2024-13-01' is not a date" in err and "--since" in err
    assert main(["recommend", "-w", root, "--window", "-1"]) == 2
    capsys.readouterr()
    assert main(["recommend", "-w", root]) == 0
    out = capsys.readouterr().out
    assert "history read" in out and "Dec 7, 2023 –" in out and "the last 12" in out  # the table wraps cells
