"""The slot model chosen per account by a temporal backtest (grain and outcome scale), with hand-computed cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from signalboost.analytics.slot_choice import _percentiles, candidates, choose_slot_model
from signalboost.analytics.timing import fit_scale, fit_slot_model, slot_table

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)  # a Monday
KW = {"metric": "interactions", "tz": "UTC"}


def _frame(rows: list[tuple[dt.datetime, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "platform": ["facebook"] * len(rows),
            "created_at": [r[0] for r in rows],
            "interactions": [r[1] for r in rows],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64},
    )


def _two_hours(days: int = 50) -> pl.DataFrame:
    """Every day a post at 10:00 (always better: 100–106) and one at 15:00 (10–14), 2 × ``days`` posts."""
    rows = []
    for k in range(days):
        day = START + dt.timedelta(days=k)
        rows += [(day.replace(hour=10), 100.0 + k % 7), (day.replace(hour=15), 10.0 + k % 5)]
    return _frame(rows)


def test_percentiles_by_hand() -> None:
    # ranks 1, 2.5, 2.5, 4 (ties share their average) → (r − ½) / 4 × 100
    assert _percentiles(np.array([10.0, 20.0, 20.0, 40.0])).tolist() == [12.5, 50.0, 50.0, 87.5]


def test_hour_of_day_beats_weekday_x_hour_when_the_hour_is_what_matters() -> None:
    """100 posts, 10:00 always above 15:00. Folds of 10 later posts hold 5 of each; the 10:00 posts are the top five,
    percentiles (5.5 … 9.5)/10 → mean 75 against 25: a gain of exactly 50 points, 25 advised of 50 held out. The
    weekday × hour models advise at most 5 of the 7 weekday cells at 10:00, so they hold fewer later posts and gain
    less: the hour of day is chosen."""
    choice = choose_slot_model(_two_hours(), "facebook", metric="interactions", tz="UTC")
    assert (choice.grain, choice.scale, choice.backed) == ("hour", "raw", True)
    assert choice.gain == pytest.approx(50.0) and (choice.n_match, choice.n_test, choice.n_posts) == (25, 50, 100)
    assert choice.low is not None and choice.low > 0
    table = choice.candidates
    assert table.height == len(candidates()) == 12
    weekday = table.filter(pl.col("grain") == "weekday_hour")
    assert (weekday["n_match"] < 25).all() and (weekday["gain"] < 50).all()
    assert "hour of day" in choice.sentence() and "+50.0 percentile points" in choice.sentence()


def test_no_slot_effect_is_not_backed_and_keeps_the_hours() -> None:
    rng = np.random.default_rng(7)
    rows = [
        (START + dt.timedelta(days=k, hours=int(h)), float(v))
        for k, (h, v) in enumerate(zip(rng.integers(8, 21, 200), rng.lognormal(3, 1, 200), strict=True))
    ]
    choice = choose_slot_model(_frame(rows), "facebook", metric="interactions", tz="UTC")
    assert not choice.backed
    assert choice.sentence().endswith("so keep the current hours")


def test_a_short_history_cannot_be_backtested() -> None:
    choice = choose_slot_model(_two_hours(days=29), "facebook", metric="interactions", tz="UTC")
    assert (choice.backed, choice.gain, choice.n_posts) == (False, None, 58)
    assert "only 58 posts with a known time and a figure to judge (a backtest needs 60)" in choice.sentence()
    none = choose_slot_model(_two_hours().with_columns(pl.lit(None, pl.Float64).alias("interactions")), "ma", **KW)
    assert (none.n_posts, none.backed) == (0, False) and "no post has a time and a figure to judge" in none.sentence()


def test_scales_by_hand() -> None:
    y = np.array([0.0, 1.0, 3.0, 7.0, 100.0])
    fwd, back = fit_scale(y, "log")
    assert fwd(np.array([3.0]))[0] == pytest.approx(np.log(4.0)) and back(fwd(y)) == pytest.approx(y)
    fwd, back = fit_scale(y, "rank")
    assert fwd(np.array([3.0, 50.0]))[0] == pytest.approx(0.5)  # mid-rank 3 of 5 → (2 + 3) / (2 · 5)
    assert fwd(np.array([50.0]))[0] == pytest.approx(0.8)  # between 7 and 100: 4 values below
    assert back(np.array([0.5]))[0] == pytest.approx(3.0)  # the median
    fwd, _ = fit_scale(np.arange(101.0), "raw")
    assert fwd(np.array([-10.0, 50.0, 1000.0])).tolist() == [5.0, 50.0, 95.0]  # capped at the 5th/95th percentiles
    fwd, _ = fit_scale(np.array([-1.0, 0.0, 2.0, 3.0]), "log")  # negative values (z-scores): the capped raw scale
    assert fwd(np.array([-1.0]))[0] == pytest.approx(-0.85)  # 5th percentile: −1 + 0.05 · 3 · (0 − (−1))


def test_weekday_cells_equal_their_hour_when_weekdays_do_not_differ() -> None:
    """Two levels: when every weekday cell of an hour has the same mean, the cells' residual variance is 0 and each
    cell is its hour's estimate — the one-level hour-of-day model's (a peer computation)."""
    weekday = np.repeat(np.arange(7), 6)
    hour = np.tile([9, 9, 14, 14, 20, 20], 7)
    y = np.tile([1.0, 3.0, 5.0, 7.0, 2.0, 2.0], 7)
    two = fit_slot_model(y, weekday, hour, "weekday_hour_shrunk")
    one = fit_slot_model(y, weekday, hour, "hour")
    for day in range(7):
        for h in (9, 14, 20):
            assert two.cells[day * 100 + h][1] == pytest.approx(one.cells[h][1])
    assert one.cells[14][1] > one.mu > one.cells[9][1]  # hour 14 (mean 6) above the mean, hour 9 (mean 2) below


def test_the_table_keeps_every_weekday_cell_and_the_metric_scale() -> None:
    frame = _two_hours()
    table = slot_table(frame, metric="interactions", tz="UTC", grain="hour", scale="rank")
    assert table.height == 7 * 24 and set(table["grain"]) == {"hour"}
    ten = table.filter(pl.col("slot_hour") == 10)
    assert ten["group_posts"].to_list() == [50] * 7 and ten["cell_group"].to_list() == [10] * 7
    # back on the metric's scale: a 10:00 cell's estimate is one of the 10:00 figures' range, not a percentile
    assert 100 <= float(ten["expected"][0]) <= 106 and float(ten["prior_mean"][0]) == pytest.approx(57.0)


def test_audience_hours_counts_interactions_per_utc_hour(workspace) -> None:  # type: ignore[no-untyped-def]
    from signalboost.store.analytics_sql import audience_hours, insert_frame

    at = [
        dt.datetime(2024, 1, 10, 19, 5, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 10, 19, 55, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 10, 2, 30, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 11, 0, 0, tzinfo=dt.UTC),  # a date without a time: left out
        None,  # no time at all: left out
    ]
    insert_frame(
        workspace,
        "interactions",
        pl.DataFrame(
            {
                "platform": ["x"] * 5,
                "actor_id": ["a", "b", "c", "d", "e"],
                "kind": ["like"] * 5,
                "occurred_at": at,
                "date_only": [False, None, False, True, False],
            },
            schema={
                "platform": pl.String,
                "actor_id": pl.String,
                "kind": pl.String,
                "occurred_at": pl.Datetime("us", "UTC"),
                "date_only": pl.Boolean,
            },
        ),
    )
    rows = audience_hours(workspace).sort("hour_utc")
    assert rows["n"].to_list() == [1, 2]
    assert [h.astimezone(dt.UTC).hour for h in rows["hour_utc"].to_list()] == [2, 19]
    assert audience_hours(workspace, platform="mastodon").height == 0


def test_on_the_uci_page_nothing_is_backed_and_the_former_rule_did_not_beat_the_other_hours(uci_frames) -> None:  # type: ignore[no-untyped-def]
    """docs/validation.md: on the bundled page no candidate's advice is borne out by later posts, and the former rule
    (top 5 weekday × hour slots whatever their interval) had an interval including 0 on the same folds."""
    from signalboost.analytics.metrics import post_engagement
    from signalboost.analytics.slot_choice import backtest_candidates

    eng = post_engagement(*uci_frames)
    assert not choose_slot_model(eng, "facebook", metric="er_reach", tz="Europe/Lisbon").backed
    rows, n = backtest_candidates(eng, metric="er_reach", tz="Europe/Lisbon", former=True)
    assert n == 496 and rows["n_test"].to_list() == [248] * 13  # 5 folds of 10 % of 496 posts (50+49+50+49+50)
    former = rows.filter(pl.col("rule") == "former").row(0, named=True)
    assert former["n_match"] > 0 and former["low"] < 0 < former["high"]


def _four_hours(days: int = 50) -> pl.DataFrame:
    """Every day posts at 09:00 (100–104), 11:00 (90–94), 14:00 (12–16) and 16:00 (10–14): two hours clearly above
    the account's mean (about 54), two below it."""
    rows = []
    for k in range(days):
        day = START + dt.timedelta(days=k)
        for hour, base in ((9, 100.0), (11, 90.0), (14, 12.0), (16, 10.0)):
            rows.append((day.replace(hour=hour), base + k % 5))
    return _frame(rows)


def test_the_backtest_judges_the_advice_a_user_gets_top_slots_and_only_hours_above_the_mean() -> None:
    """200 posts, 4 a day: folds of 20 later posts (5 days) hold 5 posts of each hour, 100 held out in all. The
    advice lists ``top_slots`` weekday × hour cells; on the hour-of-day model the 7 cells of 09:00 come first, then
    the 7 of 11:00. Mid-rank percentiles within a fold: the 09:00 posts rank 16–20 (mean (18 − ½)/20 = 87.5), the
    rest 1–15 (37.5): advising 09:00 gains 50 points on 25 posts. With 09:00 and 11:00 (8 to 14 cells) they rank
    11–20 (75) against 1–10 (25): 50 points on 50 posts. A 15th cell adds no hour: 14:00 lies below the account's
    mean (about 55), so it is never advised."""
    from signalboost.analytics.slot_choice import backtest_candidates

    def hour_row(top: int) -> dict[str, object]:
        table, n = backtest_candidates(_four_hours(), metric="interactions", tz="UTC", top_slots=top)
        assert n == 200
        row = table.filter((pl.col("grain") == "hour") & (pl.col("scale") == "raw")).row(0, named=True)
        return {k: row[k] for k in ("n_match", "n_test", "gain")}

    nine = {"n_match": 25, "n_test": 100, "gain": pytest.approx(50.0)}
    nine_and_eleven = {"n_match": 50, "n_test": 100, "gain": pytest.approx(50.0)}
    assert [hour_row(top) for top in (7, 8, 15)] == [nine, nine_and_eleven, nine_and_eleven]


def test_the_backtest_interval_is_bonferroni_corrected_over_the_twelve_candidates() -> None:
    """The four-hours account, 8 cells advised (09:00 and 11:00). Per fold of 20: advised posts rank 11–20,
    percentiles 52.5 … 97.5 (sum of squared deviations from 75: 2 × (2.5² + 7.5² + 12.5² + 17.5² + 22.5²) =
    2,062.5); the others tie pairwise (14:00 holds 12–16, 16:00 10–14): mid-ranks 1, 2, 3.5, 3.5, 5.5, 5.5, 7.5, 7.5,
    9, 10, percentiles 2.5 … 47.5 around 25 (squares 2,025). Over 5 folds, 50 posts a side: variances 10,312.5/49
    and 10,125/49, se = √((210.459 + 206.633)/50) = 2.8882, Welch ν = se⁴ / ((4.2092² + 4.1327²)/49) = 97.99. The
    interval is at 1 − 0.05/12 (12 candidates), so whichever is picked stays a 95 % statement: 50 ± t(ν) · se."""
    from scipy import stats

    from signalboost.analytics.slot_choice import backtest_candidates

    table, _ = backtest_candidates(_four_hours(), metric="interactions", tz="UTC", top_slots=8)
    row = table.filter((pl.col("grain") == "hour") & (pl.col("scale") == "raw")).row(0, named=True)
    va, vb = 10312.5 / 49 / 50, 10125 / 49 / 50
    se = (va + vb) ** 0.5
    nu = (va + vb) ** 2 / ((va**2 + vb**2) / 49)
    assert se == pytest.approx(2.8882, abs=1e-4) and nu == pytest.approx(97.99, abs=0.01)
    half = float(stats.t.ppf(1 - 0.025 / 12, nu)) * se
    assert (row["gain"], row["low"], row["high"]) == (
        pytest.approx(50.0),
        pytest.approx(50.0 - half),
        pytest.approx(50.0 + half),
    )
    assert half == pytest.approx(8.47, abs=0.01)  # at a plain 95 % it would be 5.73


def test_a_candidate_without_an_interval_has_empty_gain_low_and_high() -> None:
    """The same figure every day: most candidates advise no held-out post, so they have no interval — every row
    still has the same columns, and where gain is empty so are low and high."""
    rows = [(START + dt.timedelta(days=k, hours=9 + k % 5), 10.0) for k in range(80)]
    table, n = backtest_candidates_for(rows)
    assert n == 80 and table.height == 12
    assert table.columns == ["rule", "grain", "scale", "n_match", "n_test", "gain", "low", "high"]
    empty = table.filter(pl.col("gain").is_null())
    assert empty.height >= 1 and empty["low"].is_null().all() and empty["high"].is_null().all()


def backtest_candidates_for(rows: list[tuple[dt.datetime, float]]) -> tuple[pl.DataFrame, int]:
    from signalboost.analytics.slot_choice import backtest_candidates

    return backtest_candidates(_frame(rows), metric="interactions", tz="UTC")


def test_sixty_posts_are_enough_for_a_backtest_and_hour_blocks_are_matched_as_blocks() -> None:
    """The floor is 60 posts (MIN_POSTS): 30 days of the two-hours account are backtested, 29 days are not. With
    3-hour blocks, 10:00 is the block 09:00–11:59 and 15:00 the block 15:00–17:59: the held-out posts are matched by
    block, so the hour-of-day model still advises 25 of the 50 held-out posts of 100 and gains 50 points."""
    from signalboost.analytics.slot_choice import backtest_candidates

    table, n = backtest_candidates(_two_hours(days=30), metric="interactions", tz="UTC")
    assert (n, table.height) == (60, 12)
    table, n = backtest_candidates(_two_hours(), metric="interactions", tz="UTC", hour_block=3)
    assert table.height == len(candidates(3)) == 9  # no separate 3-hour grain when the hours are blocks already
    row = table.filter((pl.col("grain") == "hour") & (pl.col("scale") == "raw")).row(0, named=True)
    assert (row["n_match"], row["n_test"], row["gain"]) == (25, 50, pytest.approx(50.0))


def _hour_row(choice_or_table: pl.DataFrame) -> tuple[object, object, object]:
    row = choice_or_table.filter((pl.col("grain") == "hour") & (pl.col("scale") == "raw")).row(0, named=True)
    return row["n_match"], row["n_test"], row["gain"]


def test_the_backtest_fits_each_fold_as_the_advice_is_fitted() -> None:
    """The settings of the advice reach every fold's model (the two-hours account: 25 of 50 held-out posts, +50):
    - in Tokyo (UTC+9) 10:00 UTC is 19:00 there: fitted and matched in local hours, the same 25 posts;
    - the outlier of a viral post (1,000,000 at 15:00 on the first day, in every fold's training posts) is capped at
      the 95th percentile, so 15:00 stays the weak hour and the figures do not move;
    - min_posts = 30: the first fold trains on 25 posts per hour, too few for any advice, so its 5 posts at 10:00
      go unadvised; the other 4 folds advise 10:00: 20 posts matched, percentiles 55 … 95 (mean 75) against the
      25 posts at 15:00 (mean 25) and the first fold's 5 at 10:00 (mean 75): (25·25 + 5·75)/30 = 33.33, a gain of
      41.67;
    - 3-hour blocks: 9 candidates, not 12."""
    assert _hour_row(choose_slot_model(_two_hours(), "f", metric="interactions", tz="Asia/Tokyo").candidates) == (
        25,
        50,
        pytest.approx(50.0),
    )
    viral = (
        _two_hours()
        .with_row_index()
        .with_columns(
            pl.when(pl.col("index") == 1).then(1_000_000.0).otherwise(pl.col("interactions")).alias("interactions")
        )
    )
    assert viral["interactions"][1] == 1_000_000.0 and viral["created_at"][1].hour == 15
    assert _hour_row(choose_slot_model(viral.drop("index"), "f", **KW).candidates) == (25, 50, pytest.approx(50.0))
    few = choose_slot_model(_two_hours(), "f", **KW, min_posts=30).candidates
    assert _hour_row(few) == (20, 50, pytest.approx(75.0 - (25 * 25 + 5 * 75) / 30))
    assert choose_slot_model(_two_hours(), "f", **KW, hour_block=3).candidates.height == 9


def test_the_choice_says_which_account_and_what_it_rests_on_or_why_it_has_nothing() -> None:
    """The chosen model carries the platform and its whole interval; top_slots reaches the backtest (8 cells of the
    four-hours account: 09:00 and 11:00, 50 held-out posts matched). With no usable candidate the default model is
    kept, with 0 matched posts, the held-out count of the backtest and its table; with no backtest at all (58 posts)
    nothing was held out."""
    choice = choose_slot_model(_four_hours(), "facebook", **KW, top_slots=8)
    assert choice.platform == "facebook" and choice.grain == "hour" and choice.n_match == 50
    assert choice.low is not None and choice.high is not None and choice.low < choice.gain < choice.high  # type: ignore[operator]
    # the same figure every day (80 posts: 5 folds of 8 held out), and no candidate may count with < 1,000 matched
    flat = [(START + dt.timedelta(days=k, hours=9 + k % 5), 10.0) for k in range(80)]
    none = choose_slot_model(_frame(flat), "mastodon", **KW, min_matched=1000)
    assert (none.platform, none.grain, none.scale, none.backed, none.gain) == (
        "mastodon",
        "weekday_hour",
        "raw",
        False,
        None,
    )
    assert (none.n_match, none.n_test, none.n_posts, none.candidates.height) == (0, 40, 80, 12)
    short = choose_slot_model(_two_hours(days=29), "facebook", **KW)
    assert (short.platform, short.n_match, short.n_test, short.candidates.height) == ("facebook", 0, 0, 0)
