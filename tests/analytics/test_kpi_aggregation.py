"""KPIs say how they aggregate: sum, mean/median per post, rate of totals, last, growth; verdicts with intervals."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError
from scipy import stats

from signalboost.analytics.kpis import kpi_status, median_interval, ratio_interval
from signalboost.analytics.metrics import post_engagement
from signalboost.model.strategy import Kpi
from signalboost.model.templates import template_text
from signalboost.model.validate import validate_text

from .frames import metrics, posts, t

# the demo's case: 50 Facebook posts in 30 days whose reach sums to 488,288 (mean 9,765.76)
REACH = [9000] * 25 + [10531] * 24 + [10544]


def _fifty() -> object:
    p = posts([{"post_id": str(i), "created_at": t(1 + i % 28, hour=10 + i % 5)} for i in range(50)])
    m = metrics([{"post_id": str(i), "reach": r, "likes": 1} for i, r in enumerate(REACH)])
    return post_engagement(p, m)


def test_the_demo_reach_kpi_is_missed_per_post() -> None:
    assert sum(REACH) == 488_288
    kpis = [
        Kpi(id="per-post", metric="reach", network="facebook", target=15000, aggregation="mean_per_post"),
        Kpi(id="total", metric="reach", network="facebook", target=15000, aggregation="sum"),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, _fifty()).iter_rows(named=True)}
    per = out["per-post"]
    assert per["value"] == pytest.approx(9765.76) and per["n"] == 50
    # peer: scipy's t interval of the same 50 values
    low, high = stats.t.interval(0.95, 49, loc=np.mean(REACH), scale=stats.sem(REACH))
    assert (per["low"], per["high"]) == (pytest.approx(low), pytest.approx(high))
    assert per["high"] < 15000 and per["verdict"] == "missed" and per["met"] is False
    # the same posts read as a total: 488,288 >= 15,000, met, no interval (a total is what happened)
    tot = out["total"]
    assert tot["value"] == 488_288 and tot["verdict"] == "met" and tot["low"] is None and tot["met"] is True


def test_too_early_to_tell_when_the_interval_straddles() -> None:
    kpis = [Kpi(id="k", metric="reach", network="facebook", target=9800, aggregation="mean_per_post")]
    row = kpi_status(kpis, _fifty()).row(0, named=True)
    assert row["low"] < 9800 < row["high"] and row["verdict"] == "too early to tell" and row["met"] is None
    at_most = [Kpi(id="k", metric="reach", network="facebook", target=9000, direction="at_most", aggregation="sum")]
    assert kpi_status(at_most, _fifty())["verdict"].to_list() == ["missed"]


def test_median_interval_by_hand() -> None:
    # n = 9: 2·P(B ≤ 1) = 2·10/512 = 0.039 ≤ 0.05 < 2·P(B ≤ 2) = 0.18, so r = 2: [x_(2), x_(8)]
    assert median_interval(np.arange(1.0, 10.0)) == (2.0, 8.0)
    # n = 5: even r = 1 covers only 1 − 2/32 = 0.9375 < 0.95: no interval
    assert median_interval(np.arange(1.0, 6.0)) == (None, None)


def test_median_per_post_kpi() -> None:
    p = posts([{"post_id": str(i), "created_at": t(10 + i)} for i in range(9)])
    m = metrics([{"post_id": str(i), "reach": r} for i, r in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 900])])
    kpis = [
        Kpi(id="med", metric="reach", target=1.5, aggregation="median_per_post"),
        Kpi(id="mean", metric="reach", target=1.5, aggregation="mean_per_post"),
    ]
    out = {r["kpi"]: r for r in kpi_status(kpis, post_engagement(p, m)).iter_rows(named=True)}
    assert out["med"]["value"] == 5 and (out["med"]["low"], out["med"]["high"]) == (2, 8)
    assert out["med"]["verdict"] == "met"
    # one viral post: the mean (104) has an interval reaching 0, no verdict
    assert out["mean"]["value"] == pytest.approx(936 / 9) and out["mean"]["verdict"] == "too early to tell"


def test_rate_of_totals_by_hand() -> None:
    # y = (6, 4), x = (200, 50): R = 10/250 = 0.04; residuals −2, +2: se = √(8 / (2·1)) / 125 = 0.016
    r, low, high = ratio_interval(np.array([6.0, 4.0]), np.array([200.0, 50.0]))
    assert r == pytest.approx(0.04)
    assert high == pytest.approx(0.04 + 12.7062047 * 0.016, rel=1e-6) and low == 0.0
    p = posts([{"post_id": str(i), "created_at": t(10 + i)} for i in range(3)])
    m = metrics(
        [
            {"post_id": "0", "likes": 6, "comments": 0, "shares": 0, "reach": 200},
            {"post_id": "1", "likes": 4, "comments": 0, "shares": 0, "reach": 50},
            {"post_id": "2", "likes": 9, "comments": 0, "shares": 0, "reach": None},  # no reach: left out
        ]
    )
    kpi = Kpi(id="er", metric="engagement_rate_reach", target=0.01, aggregation="rate")
    row = kpi_status([kpi], post_engagement(p, m)).row(0, named=True)
    assert row["value"] == pytest.approx(0.04) and row["n"] == 2 and row["verdict"] == "too early to tell"


def test_no_figure_is_not_measurable_yet() -> None:
    kpi = Kpi(id="m", metric="mentions", target=1)
    row = kpi_status([kpi], _fifty()).row(0, named=True)
    assert row["verdict"] == "not measurable yet" and row["met"] is None and row["aggregation"] == "sum"


def test_defaults_by_metric_and_bad_combinations() -> None:
    assert Kpi(id="a", metric="reach", target=1).how == "sum"
    assert Kpi(id="a", metric="engagement_rate_reach", target=1).how == "mean_per_post"
    assert Kpi(id="a", metric="followers", target=1).how == "last"
    assert Kpi(id="a", metric="follower_growth", target=1).how == "growth"
    with pytest.raises(ValidationError, match="does not apply to metric 'followers'"):
        Kpi(id="a", metric="followers", target=1, aggregation="mean_per_post")
    with pytest.raises(ValidationError, match="does not apply to metric 'reach'"):
        Kpi(id="a", metric="reach", target=1, aggregation="rate")


def test_validate_warns_about_a_kpi_without_aggregation() -> None:
    text = template_text("cosmetics")
    assert all(p.code != "kpi-aggregation" for p in validate_text(text).problems)
    old = text.replace("    aggregation: mean_per_post\n", "", 1)
    problems = [p for p in validate_text(old).problems if p.code == "kpi-aggregation"]
    assert len(problems) == 1 and problems[0].level == "warning"
    assert "'fb-reach'" in problems[0].message and "read as 'sum'" in problems[0].message
    assert old.splitlines()[problems[0].line - 1].strip() == "metric: reach"
    assert "mean_per_post" in problems[0].hint


def test_templates_say_how_every_kpi_aggregates() -> None:
    from signalboost.model.templates import TEMPLATES

    for name in TEMPLATES:
        assert [p for p in validate_text(template_text(name)).problems if p.code == "kpi-aggregation"] == [], name
    fb = {k.id: k for k in validate_text(template_text("cosmetics")).strategy.kpis}  # type: ignore[union-attr]
    assert fb["fb-reach"].how == "mean_per_post"


# ------------------------------------------------------------------ boundaries of the intervals (issue #19)
def test_median_interval_boundaries() -> None:
    # n = 6 at 95 %: 2·P(B ≤ 0) = 2/64 = 0.031 ≤ 0.05 < 2·P(B ≤ 1) = 14/64: r = 1, the extremes
    assert median_interval(np.array([6.0, 1.0, 5.0, 2.0, 4.0, 3.0])) == (1.0, 6.0)
    # n = 2 at 50 %: 2·P(B ≤ 0) = 2/4 = 0.5 ≤ 1 − 0.5 exactly: an interval, (x_(1), x_(2))
    assert median_interval(np.array([2.0, 1.0]), confidence=0.5) == (1.0, 2.0)
    # n = 4 at 20 %: r = 2 qualifies (2·P(B ≤ 1) = 10/16 = 0.625 ≤ 0.8): the middle pair, r may reach n/2
    assert median_interval(np.array([1.0, 2.0, 3.0, 4.0]), confidence=0.2) == (2.0, 3.0)
    assert median_interval(np.array([7.0])) == (None, None)  # one value: no interval


def test_rate_of_totals_with_one_post_zero_totals_and_three_posts() -> None:
    assert ratio_interval(np.array([3.0]), np.array([6.0])) == (0.5, None, None)  # one post: a rate, no interval
    assert ratio_interval(np.array([1.0]), np.array([0.5])) == (2.0, None, None)  # a total below 1 is still a total
    assert ratio_interval(np.array([1.0, 2.0]), np.array([0.0, 0.0])) == (None, None, None)  # no reach at all
    assert ratio_interval(np.array([]), np.array([])) == (None, None, None)
    # y = (1, 2, 6), x = (1, 1, 1): R = 3; Σ(y − 3x)² = 4 + 1 + 9 = 14; se = √(14 / (3·2)) / 1; t(0.975, 2) = 4.302653
    r, low, high = ratio_interval(np.array([1.0, 2.0, 6.0]), np.array([1.0, 1.0, 1.0]))
    assert r == pytest.approx(3.0) and low == 0.0
    assert high == pytest.approx(3 + 4.302653 * (14 / 6) ** 0.5, rel=1e-6)


def test_a_rate_without_its_denominator_column_is_not_reported() -> None:
    import polars as pl

    from signalboost.analytics.kpis import metric_value

    no_reach = pl.DataFrame({"interactions": [3, 4]})
    figure = metric_value(no_reach, "engagement_rate_reach", aggregation="rate")
    assert (figure.value, figure.n, figure.status) == (None, 0, "not reported")


def test_a_rate_of_totals_leaves_out_posts_without_a_positive_denominator() -> None:
    import polars as pl

    from signalboost.analytics.kpis import metric_value

    def rate(interactions: list[int | None], reach: list[int | None]) -> tuple[object, ...]:
        frame = pl.DataFrame(
            {"interactions": interactions, "reach": reach}, schema={"interactions": pl.Int64, "reach": pl.Int64}
        )
        f = metric_value(frame, "engagement_rate_reach", aggregation="rate")
        if f.value is not None:  # the interval is that of the posts kept (ratio_interval is checked by hand above)
            kept = frame.drop_nulls().filter(pl.col("reach") > 0)
            expected = ratio_interval(kept["interactions"].to_numpy(), kept["reach"].to_numpy())
            assert (f.low, f.high) == expected[1:]
            assert f.n < 2 or (f.low is not None and f.high is not None and f.high > f.value)
        return f.value, f.n, f.status

    assert rate([6, 5, None], [200, 0, 100]) == (pytest.approx(6 / 200), 1, "ok")  # reach 0 and no count: left out
    assert rate([6, 1], [200, 1]) == (pytest.approx(7 / 201), 2, "ok")  # a reach of 1 is a reach
    assert rate([5, 3], [0, 0]) == (None, 0, "not reported")


def test_default_aggregations_of_metric_value() -> None:
    import polars as pl

    from signalboost.analytics.kpis import metric_value

    frame = pl.DataFrame({"er_reach": [0.02, 0.04], "reach": [100, 300], "interactions": [2, 12]})
    # a rate without an aggregation: the mean of the per-post rates (0.03), not their sum and not Σ/Σ (14/400)
    rate = metric_value(frame, "engagement_rate_reach")
    assert (rate.value, rate.n, rate.status) == (pytest.approx(0.03), 2, "ok")
    posts_figure = metric_value(frame, "posts")
    assert (posts_figure.value, posts_figure.n, posts_figure.status) == (2.0, 2, "ok")
    reach = metric_value(frame, "reach")
    assert (reach.value, reach.n, reach.status) == (400, 2, "ok")


def test_metric_value_figures_on_every_branch() -> None:
    import datetime as dt

    import polars as pl

    from signalboost.analytics.kpis import NOT_AVAILABLE, RELATIONSHIP, KpiFigure, metric_value

    frame = pl.DataFrame({"reach": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    # median per post over 6 values: 3.5, interval (x_(1), x_(6)) at 95 %
    assert metric_value(frame, "reach", aggregation="median_per_post") == KpiFigure(3.5, 6, "ok", 1.0, 6.0)
    mean = metric_value(frame, "reach", aggregation="mean_per_post")
    assert (mean.value, mean.n, mean.status) == (3.5, 6, "ok") and mean.low is not None and mean.low >= 0

    def snaps(rows: list[tuple[str, int, int | None]]) -> pl.DataFrame:
        return pl.DataFrame(
            [{"account_id": a, "observed_at": dt.datetime(2024, 1, d), "followers": f} for a, d, f in rows],
            schema={"account_id": pl.String, "observed_at": pl.Datetime("us"), "followers": pl.Int64},
        )

    none = KpiFigure(None, 0, "no follower snapshots")
    assert metric_value(frame, "followers", None) == none
    assert metric_value(frame, "followers", snaps([("b", 1, None)])) == none  # only NULL readings
    assert metric_value(frame, "followers", snaps([("b", 1, 10), ("b", 2, 12)])) == KpiFigure(12.0, 2, "ok")
    # growth from 1 follower to 2 is +100 %: a start of 1 is a start
    # (its one step +1 and its start 1 are kept for the interval of a change: kpis.change_interval)
    assert metric_value(frame, "follower_growth", snaps([("b", 1, 1), ("b", 2, 2)])) == KpiFigure(
        1.0, 2, "ok", steps=(1.0,), base=1.0
    )
    assert metric_value(frame, "follower_growth", snaps([("b", 1, 5)])) == KpiFigure(None, 1, "not enough data")
    assert metric_value(frame, "influencer_interactions") == KpiFigure(None, 0, RELATIONSHIP)
    assert metric_value(frame, "mentions") == KpiFigure(None, 0, NOT_AVAILABLE)
    # one post: a mean, no interval (not an error)
    one = metric_value(pl.DataFrame({"reach": [5.0]}), "reach", aggregation="mean_per_post")
    assert (one.value, one.n, one.low, one.high) == (5.0, 1, None, None)


def test_verdicts_of_an_interval_at_its_boundaries() -> None:
    from signalboost.analytics.kpis import KpiFigure, kpi_verdict

    f = KpiFigure(5.0, 10, "ok", 4.0, 6.0)
    for how in ("mean_per_post", "median_per_post", "rate"):
        assert kpi_verdict(f, 4.0, "at_least", how) == "met"  # the whole interval at or above the target
        assert kpi_verdict(f, 6.0, "at_most", how) == "met"
        assert kpi_verdict(f, 6.0, "at_least", how) == "too early to tell"  # the interval touches the target
        assert kpi_verdict(f, 4.0, "at_most", how) == "too early to tell"
        assert kpi_verdict(f, 6.5, "at_least", how) == "missed"
        assert kpi_verdict(f, 3.5, "at_most", how) == "missed"
        assert kpi_verdict(KpiFigure(5.0, 1, "ok", None, 6.0), 1.0, "at_least", how) == "too early to tell"
        assert kpi_verdict(KpiFigure(5.0, 1, "ok", 4.0, None), 1.0, "at_least", how) == "too early to tell"
    assert kpi_verdict(KpiFigure(None, 0, "not reported"), 1.0, "at_least", "sum") == "not measurable yet"


def test_a_kpi_row_carries_its_definition() -> None:
    from signalboost.analytics.kpis import kpi_status
    from signalboost.analytics.metrics import post_engagement

    p = posts([{"post_id": "1", "created_at": t(10)}])
    frame = post_engagement(p, metrics([{"post_id": "1", "reach": 5}]))
    kpis = [
        Kpi(id="all", metric="reach", target=3, window_days=14, direction="at_most", aggregation="sum"),
        Kpi(id="fb", metric="reach", network="facebook", target=3, window_days=7, aggregation="sum"),
    ]
    rows = {r["kpi"]: r for r in kpi_status(kpis, frame).iter_rows(named=True)}
    a = rows["all"]
    assert (a["metric"], a["network"], a["window_days"], a["target"], a["direction"]) == (
        "reach",
        "all",
        14,
        3,
        "at_most",
    )
    assert (a["value"], a["n"], a["status"], a["verdict"]) == (5, 1, "ok", "missed")
    assert (rows["fb"]["network"], rows["fb"]["window_days"], rows["fb"]["verdict"]) == ("facebook", 7, "met")
    empty = kpi_status(kpis[:1], frame.head(0)).row(0, named=True)
    assert (empty["n"], empty["status"], empty["verdict"], empty["metric"]) == (
        0,
        "no posts",
        "not measurable yet",
        "reach",
    )
