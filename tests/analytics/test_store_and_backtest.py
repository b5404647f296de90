"""Pillar assignments in the store; the held-out backtest on the bundled UCI data."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict

import polars as pl
import pytest

from signalboost.analytics.backtest import backtest
from signalboost.analytics.metrics import post_engagement
from signalboost.demo_data import UCI_FACEBOOK, demo_file
from signalboost.errors import AnalyticsError, StoreError
from signalboost.store.analytics_sql import insert_frame, read_post_pillars, replace_post_pillars
from signalboost.store.workspace import Workspace


def test_post_pillars_round_trip_keeps_unclassified(workspace: Workspace) -> None:
    rows = pl.DataFrame(
        {
            "platform": ["x", "x"],
            "post_id": ["1", "2"],
            "pillars": [["product", "action"], []],
            "method": ["rule", "unclassified"],
            "confidence": [1.0, None],
        },
        schema={
            "platform": pl.String,
            "post_id": pl.String,
            "pillars": pl.List(pl.String),
            "method": pl.String,
            "confidence": pl.Float64,
        },
    )
    assert replace_post_pillars(workspace, rows) == 3
    assert replace_post_pillars(workspace, rows) == 3  # replacing, not appending
    back = read_post_pillars(workspace).sort("post_id")
    assert back["pillars"].to_list() == [["action", "product"], None]
    assert back["method"].to_list() == ["rule", "unclassified"]


def test_insert_refuses_foreign_tables(workspace: Workspace) -> None:
    with pytest.raises(StoreError, match="may not write"):
        insert_frame(workspace, "follows", pl.DataFrame({"platform": ["x"]}))


def _train_photo_mean_by_hand() -> dict[str, float]:
    """Mean (like + comment + share) / reach per Type over months 1-9, straight from the CSV (a peer computation)."""
    sums: dict[str, list[float]] = defaultdict(list)
    with demo_file(*UCI_FACEBOOK).open(newline="") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            if int(r["Post Month"]) >= 10 or "" in (r["like"], r["comment"], r["share"]):
                continue
            sums[r["Type"]].append(
                (int(r["like"]) + int(r["comment"]) + int(r["share"])) / int(r["Lifetime Post Total Reach"])
            )
    return {k: sum(v) / len(v) for k, v in sums.items() if len(v) >= 10}


@pytest.fixture(scope="module")
def engagement(uci_frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]) -> pl.DataFrame:
    return post_engagement(*uci_frames)


def test_backtest_on_uci(engagement: pl.DataFrame) -> None:
    split = dt.datetime(2014, 10, 1)
    result = backtest(engagement, split=split, tz="Europe/Lisbon", hour_block=3)
    assert result.n_train + result.n_test == 496  # four posts lack a share count
    by_hand = _train_photo_mean_by_hand()
    assert result.recommendations["format"] == max(by_hand, key=lambda k: by_hand[k]).lower()
    comp = {r["recommendation"]: r for r in result.comparisons.iter_rows(named=True)}
    for row in comp.values():
        assert row["n_match"] + row["n_other"] == result.n_test
    assert sum(result.by_matches["n"]) == result.n_test
    mse = {r["predictor"]: r["weighted_mse"] for r in result.shrinkage.iter_rows(named=True)}
    # shrinkage must predict held-out slot means better than the raw training means
    assert mse["shrunk (empirical Bayes)"] < mse["raw training mean"]


def test_backtest_refuses_a_split_with_no_test_posts(engagement: pl.DataFrame) -> None:
    with pytest.raises(AnalyticsError, match="too few posts"):
        backtest(engagement, split=dt.datetime(2015, 6, 1))


def test_backtest_robust_rule_beside_the_former(engagement: pl.DataFrame) -> None:
    split = dt.datetime(2014, 10, 1)
    former = backtest(engagement, split=split, tz="Europe/Lisbon", hour_block=3, method="plain")
    robust = backtest(engagement, split=split, tz="Europe/Lisbon", hour_block=3, method="robust")
    # the former rule names five slots that did no better on the held-out months; the robust rule names none
    slot_former = former.comparisons.row(0, named=True)
    assert len(former.recommendations["slot"].split(", ")) == 5
    assert slot_former["welch_low"] < 0 < slot_former["welch_high"]
    assert robust.recommendations["slot"] == "(none: keep the current hours)"
    # both keep photos on the rate by reach, which held: its interval lies above 0
    assert former.recommendations["format"] == robust.recommendations["format"] == "photo"
    assert robust.comparisons.row(1, named=True)["welch_low"] > 0
    # on raw interactions the robust rule advises no format (the former's photo did worse, interval across 0)
    plain_i = backtest(engagement, split=split, tz="Europe/Lisbon", metric="interactions", method="plain")
    robust_i = backtest(engagement, split=split, tz="Europe/Lisbon", metric="interactions", method="robust")
    assert plain_i.recommendations["format"] == "photo" and robust_i.recommendations["format"] == "(none)"
