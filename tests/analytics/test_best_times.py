"""Best times a person believes: robust to a few viral posts, distinguishable or not, awake hours, no hours from
dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
import pytest

from signalboost.analytics.timing import (
    active_hours,
    audience_active_hours,
    date_only_notes,
    recommend_slots,
    slot_table,
    winsorise,
)

BASE = [8.0, 9.0, 10.0, 11.0, 12.0]


def _at(weekday: int, week: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2024, 1, 1, hour, tzinfo=dt.UTC) + dt.timedelta(days=7 * week + weekday)


def _frame(viral: bool = True, good: bool = True, night_posts: int = 0) -> pl.DataFrame:
    rows: list[tuple[dt.datetime, float]] = []
    for weekday in range(7):
        for week in range(20):
            value = BASE[week % 5] + (5.0 if good and weekday == 5 else 0.0)
            rows.append((_at(weekday, week), value))
    if viral:  # three viral posts on Sundays at 10:00 (the other 20 Sunday posts are ordinary)
        rows += [(_at(6, 20 + i), 1000.0) for i in range(3)]
    rows += [(_at(i % 7, 30 + i, hour=3), 10.0) for i in range(night_posts)]
    return pl.DataFrame(
        {
            "platform": ["facebook"] * len(rows),
            "created_at": [r[0] for r in rows],
            "interactions": [r[1] for r in rows],
        },
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64},
    )


def _best(frame: pl.DataFrame, robust: bool = True, explore: int = 0) -> pl.DataFrame:
    slots = slot_table(frame, metric="interactions", robust=robust)
    return recommend_slots(slots, k=3, explore=explore)


def test_winsorise_by_hand() -> None:
    # quantiles of 1..21 at 5 % and 95 % (linear): 2 and 20
    assert winsorise([float(v) for v in range(1, 22)]).tolist() == [2.0] + [float(v) for v in range(2, 21)] + [20.0]


def test_three_viral_posts_do_not_make_a_best_slot() -> None:
    frame = _frame()
    best = _best(frame)
    assert best.filter(pl.col("kind") == "recommended")["weekday_name"].to_list() == ["sat"]  # +5 on every post
    slots = slot_table(frame, metric="interactions")
    sun = slots.filter((pl.col("weekday_name") == "sun") & (pl.col("slot_hour") == 10)).row(0, named=True)
    # its raw gain over the mean comes from the three viral posts (the 20 others sum below the mean)
    assert sun["raw_mean"] == pytest.approx((200.0 + 3000.0) / 23) and sun["top3_share"] == pytest.approx(1.0)
    assert sun["distinguishable"] is False
    # the plain (non-robust) model falls for them: Sunday 10:00 comes out on top, Saturday is lost in the noise
    plain = _best(frame, robust=False).filter(pl.col("kind") == "recommended")
    assert plain["weekday_name"].to_list() == ["sun"]


def test_nothing_distinguishable_means_no_recommended_hour() -> None:
    best = _best(_frame(viral=False, good=False), explore=0)
    assert best.filter(pl.col("kind") == "recommended").height == 0


def test_exploration_only_in_awake_hours_unless_the_data_shows_activity() -> None:
    frame = _frame(viral=False)
    slots = slot_table(frame, metric="interactions")
    assert active_hours(slots, 3) == set(range(7, 23))
    explore = recommend_slots(slots, k=0, explore=50).filter(pl.col("kind") == "explore")
    assert explore.height and explore["slot_hour"].min() >= 7  # type: ignore[operator]
    busy = slot_table(_frame(viral=False, night_posts=7), metric="interactions")
    assert 3 in active_hours(busy, 3)  # seven posts at 03:00: the audience demonstrably sees posts then


def test_date_only_posts_give_no_hours() -> None:
    days = [dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=d) for d in range(40)]
    frame = pl.DataFrame(
        {"platform": ["youtube"] * 40, "created_at": days, "interactions": [float(d % 7) for d in range(40)]},
        schema={"platform": pl.String, "created_at": pl.Datetime("us", "UTC"), "interactions": pl.Float64},
    )
    # all at 00:00:00 and no flag: detected
    assert slot_table(frame, metric="interactions").height == 0
    assert "dates only" in date_only_notes(frame)[0]
    # flagged by the importer (migration 075): the flagged posts are left out, the timed ones kept
    timed = frame.with_columns(
        (pl.col("created_at") + pl.duration(hours=pl.int_range(0, 40) % 2 * 9)).alias("created_at"),
        (pl.int_range(0, 40) % 2 == 0).alias("date_only"),
    )
    assert int(slot_table(timed, metric="interactions")["n_posts"].sum()) == 20
    assert date_only_notes(timed) == ["youtube: 20 of 40 posts have a date but no time; they are left out of the hours"]


def _interactions(per_utc_hour: dict[int, int]) -> pl.DataFrame:
    """Interactions per UTC hour on a winter day (Madrid = UTC+1), as ``audience_hours`` returns them."""
    return pl.DataFrame(
        {
            "platform": ["facebook"] * len(per_utc_hour),
            "hour_utc": [dt.datetime(2024, 1, 10, h, tzinfo=dt.UTC) for h in per_utc_hour],
            "n": list(per_utc_hour.values()),
        },
        schema={"platform": pl.String, "hour_utc": pl.Datetime("us", "UTC"), "n": pl.Int64},
    )


def test_audience_hours_by_hand() -> None:
    # 240 interactions: an even share is 10 an hour, so an hour is active with ≥ 5. UTC 02:00 (60) → 03:00 Madrid;
    # UTC 19:00 (170) → 20:00; UTC 09:00 (6) → 10:00; UTC 12:00 (4, below 5) is not active.
    hours = _interactions({2: 60, 9: 6, 12: 4, 19: 170})
    assert audience_active_hours(hours, "facebook", "Europe/Madrid") == {3, 10, 20}
    assert audience_active_hours(hours, "instagram", "Europe/Madrid") is None  # no interactions there
    assert audience_active_hours(_interactions({2: 50, 19: 49}), "facebook", "UTC") is None  # 99 < 100: cannot tell


def test_exploration_follows_the_audience_where_the_interactions_show_it() -> None:
    # the page posts at 10:00 UTC: 11:00 Madrid in winter, 12:00 in summer time (the weeks run past March 31)
    slots = slot_table(_frame(viral=False), metric="interactions", tz="Europe/Madrid")
    # the audience is active at 03:00 and 20:00 Madrid (not in the daytime otherwise): exploring goes there
    active = audience_active_hours(_interactions({2: 120, 19: 120}), "facebook", "Europe/Madrid")
    assert active == {3, 20}
    flagged = slots.with_columns(pl.col("slot_hour").is_in(sorted(active)).alias("audience_active"))
    assert active_hours(flagged, 3) == {3, 11, 12, 20}  # plus the hours the page already posts at
    explore = recommend_slots(flagged, k=0, explore=50).filter(pl.col("kind") == "explore")
    assert explore.height and set(explore["slot_hour"].to_list()) <= {3, 11, 12, 20}
    # with no interactions to go by: the daytime, never 03:00
    plain = recommend_slots(slots, k=0, explore=50).filter(pl.col("kind") == "explore")
    assert 3 not in set(plain["slot_hour"].to_list()) and 20 in set(plain["slot_hour"].to_list())


# ------------------------------------------------- boundaries and rare inputs found by mutation testing (issue #19)
def test_three_values_are_winsorised_and_fewer_are_kept_as_floats() -> None:
    # 0, 1, 10: the 5th percentile is 0 + 0.1·(1 − 0) = 0.1 and the 95th 1 + 0.9·(10 − 1) = 9.1 (linear)
    assert winsorise([0.0, 1.0, 10.0]).tolist() == pytest.approx([0.1, 1.0, 9.1])
    two = winsorise([1, 50])  # too few to have percentiles: left as they are, as floats
    assert two.tolist() == [1.0, 50.0] and two.dtype == np.float64


def test_audience_hours_at_their_boundaries() -> None:
    # exactly MIN_AUDIENCE = 100 interactions in one hour is enough; one row alone is a valid table
    assert audience_active_hours(_interactions({10: 100}), "facebook", "UTC") == {10}
    # 240 interactions: an even share is 10 an hour, half of it (5) is active, 4 is not
    assert audience_active_hours(_interactions({2: 231, 9: 5, 12: 4}), "facebook", "UTC") == {2, 9}
    # 2,400: half an even share is 2,400 / 48 = 50, so 49 is not active (it would be above 2,400 / 50 = 48)
    assert audience_active_hours(_interactions({2: 2351, 9: 49}), "facebook", "UTC") == {2}
    # a table without hour_utc (nothing to go by) or none at all
    assert audience_active_hours(pl.DataFrame({"platform": ["facebook"], "n": [500]}), "facebook", "UTC") is None
    assert audience_active_hours(None, "facebook", "UTC") is None


def _one_network(times: list[dt.datetime], date_only: list[bool | None] | None = None) -> pl.DataFrame:
    data: dict[str, object] = {
        "platform": ["x"] * len(times),
        "created_at": times,
        "interactions": [1.0] * len(times),
    }
    schema: dict[str, pl.DataType | type[pl.DataType]] = {
        "platform": pl.String,
        "created_at": pl.Datetime("us", "UTC"),
        "interactions": pl.Float64,
    }
    if date_only is not None:
        data["date_only"], schema["date_only"] = date_only, pl.Boolean
    return pl.DataFrame(data, schema=schema)


def test_one_post_at_midnight_is_a_time_not_a_date() -> None:
    # a network's posts all at 00:00:00 mean "dates only" only when there are at least two of them
    midnight = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    one = _one_network([midnight])
    assert slot_table(one, metric="interactions", all_slots=False)["n_posts"].to_list() == [1]
    assert date_only_notes(one) == []
    two = _one_network([midnight, midnight + dt.timedelta(days=1)])
    assert slot_table(two, metric="interactions").height == 0
    assert date_only_notes(two) == [
        "x: the export gives dates only (no time of day), so there is no hour advice — day-of-week figures only"
    ]
    # a post at 00:00:30 or 00:01 has a time
    seconds = _one_network([midnight + dt.timedelta(seconds=30), midnight + dt.timedelta(days=1, minutes=1)])
    assert slot_table(seconds, metric="interactions", all_slots=False)["n_posts"].to_list() == [1, 1]


def test_an_unknown_date_only_flag_means_the_time_is_known() -> None:
    times = [dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC), dt.datetime(2024, 1, 2, 10, tzinfo=dt.UTC)]
    frame = _one_network(times, date_only=[None, True])
    assert slot_table(frame, metric="interactions", all_slots=False)["slot_hour"].to_list() == [9]
    assert date_only_notes(frame) == ["x: 1 of 2 posts have a date but no time; they are left out of the hours"]
    assert date_only_notes(frame.head(0)) == [] and date_only_notes(frame.drop("created_at")) == []


def test_a_single_date_only_post_gets_its_note() -> None:
    one = _one_network([dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)], date_only=[True])
    assert date_only_notes(one) == [
        "x: the export gives dates only (no time of day), so there is no hour advice — day-of-week figures only"
    ]
