"""The influence backtest on post data with follower counts (Kim et al. Instagram), and the two rules it chose:
reach from follower counts and post metrics, topic leadership unavailable without interactions. Hand-computed
cases; metrics against scipy; the real data through the product's importer (skipped without ../shared/data)."""

from __future__ import annotations

import datetime as dt
import gzip
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.stats import rankdata, spearmanr

from signalboost.errors import InfluenceError
from signalboost.influence import components as comp
from signalboost.influence import compute_influence
from signalboost.influence.backtest import SCORE, evaluate, metrics, score_of
from signalboost.influence.backtest_posts import (
    FOLLOWERS,
    PAST_PER_POST,
    PAST_POSTS,
    PAST_TOTAL,
    PostHistory,
    make_post_cut,
)
from signalboost.influence.backtest_posts_report import BEGIN, END, main
from signalboost.influence.backtest_table import write_section
from signalboost.influence.data import InfluenceData
from signalboost.model.strategy import InfluenceSettings

T = dt.datetime(2018, 6, 1, tzinfo=dt.UTC)


def _day(d: int) -> dt.datetime:
    return T + dt.timedelta(days=d)


def _history() -> PostHistory:
    """a: 2 posts before (100+10, 300+30), 1 after (50+5); b: 1 before (1000), 2 after (2000, 0+10);
    c: only before; d: only after; e: posts before and after with no metrics at all."""
    accounts = pl.DataFrame(
        {"account_id": ["a", "b", "c", "d", "e"], "followers": [500, 100, 9000, 50, 70]}
    ).with_columns(pl.col("account_id").alias("handle"))
    rows = [
        ("p1", "a", -10, 100, 10),
        ("p2", "a", -5, 300, 30),
        ("p3", "a", 3, 50, 5),
        ("p4", "b", -2, 1000, None),
        ("p5", "b", 1, 2000, None),
        ("p6", "b", 2, None, 10),
        ("p7", "c", -1, 7, 7),
        ("p8", "d", 4, 9, 9),
        ("p9", "e", -3, None, None),
        ("p10", "e", 5, None, None),
    ]
    posts = pl.DataFrame(
        {
            "post_id": [r[0] for r in rows],
            "author_id": [r[1] for r in rows],
            "created_at": [_day(r[2]) for r in rows],
            "likes": [r[3] for r in rows],
            "comments": [r[4] for r in rows],
        },
        schema_overrides={"likes": pl.Int64, "comments": pl.Int64},
    )
    return PostHistory.from_frames("instagram", accounts, posts)


def test_a_cut_by_hand_population_target_and_baselines() -> None:
    cut = make_post_cut(_history(), T)
    # only a and b have a post with known engagement on both sides (c: none after, d: none before, e: no metrics)
    assert cut.nodes.to_list() == ["a", "b"]
    assert cut.gains.tolist() == pytest.approx([55.0, (2000 + 10) / 2])
    assert cut.baselines[FOLLOWERS].tolist() == [500.0, 100.0]
    assert cut.baselines[PAST_PER_POST].tolist() == pytest.approx([(110 + 330) / 2, 1000.0])
    assert cut.baselines[PAST_TOTAL].tolist() == pytest.approx([440.0, 1000.0])
    assert cut.baselines[PAST_POSTS].tolist() == [2.0, 1.0]
    assert cut.interactions_before == 5  # posts before the cut
    assert "topic" not in cut.pcts and "authority" in cut.unavailable
    # a window that ends before b's second post: b's target is its one post in [T, T + 1.5 days)
    short = make_post_cut(_history(), T, T + dt.timedelta(days=1, hours=12))
    assert short.nodes.to_list() == ["b"] and short.gains.tolist() == [2000.0]


def test_reach_ranks_one_plus_followers_times_one_plus_attention_per_post_by_hand() -> None:
    # reach over every account of the data, from the posts before the cut: a (1+500)(1+220), b (1+100)(1+1000),
    # c (1+9000)(1+14), d (1+50)(1+0: no post before), e (1+70)(1+0: its post has no metrics)
    cut = make_post_cut(_history(), T)
    products = np.array([501 * 221, 101 * 1001, 9001 * 15, 51 * 1, 71 * 1], dtype=float)
    expected = 100 * (rankdata(products) - 0.5) / 5
    assert cut.pcts["reach"].tolist() == pytest.approx(expected[:2].tolist())


def test_reach_from_post_metrics_in_the_component_and_its_raw_values() -> None:
    data = InfluenceData.from_frames(
        "instagram",
        accounts=pl.DataFrame({"account_id": ["a", "b", "c"], "followers": [100, 1000, 10]}),
        posts=pl.DataFrame(
            {
                "post_id": ["1", "2", "3", "4"],
                "author_id": ["a", "a", "c", "c"],
                "likes": [40, 60, 1000, None],
                "comments": [0, 0, None, None],
                "shares": [None, None, 1000, None],
            }
        ),
    )
    r = comp.reach(data)
    assert r.source == comp.REACH_FROM_FOLLOWERS_POSTS
    # a: 101 · 51 = 5151; b: 1001 · 1 (no posts); c: 11 · (1 + 2000 / 1: the post without any metric is not counted)
    assert r.extra["attention"].tolist() == [50.0, 0.0, 2000.0]
    assert r.pct.tolist() == pytest.approx([50.0, 100 / 6, 500 / 6])
    assert r.raw.tolist() == pytest.approx([0.5 * math.log10(5151), 0.5 * math.log10(1001), 0.5 * math.log10(22011)])
    assert r.extra["followers"].tolist() == [100.0, 1000.0, 10.0]


def test_reach_without_post_metrics_or_with_the_brands_only_is_the_follower_count() -> None:
    accounts = pl.DataFrame({"account_id": ["a", "b", "me"], "followers": [100, 1000, 5], "is_brand": [0, 0, 1]})
    no_metrics = InfluenceData.from_frames(
        "x", accounts=accounts, posts=pl.DataFrame({"post_id": ["1"], "author_id": ["a"]})
    )
    brand_only = InfluenceData.from_frames(
        "x",
        accounts=accounts.with_columns(pl.col("is_brand").cast(pl.Boolean)),
        posts=pl.DataFrame({"post_id": ["1"], "author_id": ["me"], "likes": [10**6]}),
    )
    for data in (no_metrics, brand_only):
        r = comp.reach(data)
        assert r.source == comp.REACH_FROM_FOLLOWERS
        assert r.pct.tolist() == pytest.approx([50.0, 500 / 6, 100 / 6])


def test_topic_leadership_needs_interactions_between_accounts() -> None:
    accounts = pl.DataFrame({"account_id": ["a", "b"], "followers": [10, 20]})
    posts = pl.DataFrame({"post_id": ["1", "2"], "author_id": ["a", "b"], "hashtags": [["cats"], ["cats", "dogs"]]})
    alone = compute_influence(InfluenceData.from_frames("instagram", accounts=accounts, posts=posts))
    assert alone.unavailable["topic"] == comp.TOPIC_WITHOUT_EDGES
    assert alone.weights["topic"] == 0.0
    inter = pl.DataFrame({"actor_id": ["a"], "kind": ["mention"], "target_account_id": ["b"]})
    linked = compute_influence(
        InfluenceData.from_frames("instagram", accounts=accounts, posts=posts, interactions=inter)
    )
    assert "topic" not in linked.unavailable


def test_amplification_is_unavailable_when_nobody_is_reposted_or_quoted() -> None:
    accounts = pl.DataFrame({"account_id": ["a", "b", "c"], "followers": [10, 20, 30], "posts_count": [5, 6, 7]})
    mention = pl.DataFrame({"actor_id": ["a"], "kind": ["mention"], "target_account_id": ["b"]})
    data = InfluenceData.from_frames("instagram", accounts=accounts, interactions=mention)
    amp = comp.amplification(data)
    assert not amp.available and amp.reason == comp.AMPLIFICATION_WITHOUT_REPOSTS
    # reach (the follower count) is then the only weighted component: each account scores its reach percentile
    # (a constant amplification at the 50th percentile with weight 0.25 would pull c's 83.3 down to 76.5)
    result = compute_influence(data)
    scores = dict(result.table.select("account_id", "score").iter_rows())
    assert result.weights["amplification"] == 0.0
    repost = pl.DataFrame({"actor_id": ["a"], "kind": ["repost"], "target_account_id": ["b"]})
    assert comp.amplification(InfluenceData.from_frames("x", accounts=accounts, interactions=repost)).available
    assert [scores[k] for k in "abc"] == pytest.approx([100 / 6, 50.0, 500 / 6])


def test_the_backtest_score_is_the_score_the_product_computes() -> None:
    history = _history()
    cut = make_post_cut(history, T)
    before = history.posts.filter(pl.col("created_at") < T).drop("engagement")
    product = compute_influence(InfluenceData.from_frames("instagram", accounts=history.accounts, posts=before))
    got = dict(product.table.select("account_id", "score").iter_rows())
    weights = InfluenceSettings().weights.model_dump()
    assert score_of(cut, weights).tolist() == pytest.approx([got["a"], got["b"]])
    assert any(n.startswith("reach from follower counts (F)") for n in product.notes)


def test_metrics_of_a_cut_against_scipy_and_by_hand() -> None:
    rng = np.random.default_rng(3)
    gains = rng.lognormal(5, 2, 400)
    pred = gains * rng.lognormal(0, 1, 400)
    nd, rho = metrics(pred, gains)
    assert rho == pytest.approx(spearmanr(pred, gains).statistic, abs=1e-12)
    order = np.argsort(-pred)[:100]
    disc = 1 / np.log2(np.arange(2, 102))
    assert nd == pytest.approx((gains[order] * disc).sum() / (np.sort(gains)[::-1][:100] * disc).sum())
    res = evaluate({SCORE: pred, "noise": rng.random(400)}, gains, replicates=50, reference=SCORE)
    row = res.filter(pl.col("predictor") == "noise").row(0, named=True)
    assert row["d_spearman"] == pytest.approx(rho - row["spearman"])
    assert row["d_spearman_lo"] > 0  # the paired interval of a predictor against noise lies above 0


def test_the_generated_section_goes_between_its_own_markers(tmp_path: Path) -> None:
    doc = tmp_path / "validation.md"
    doc.write_text(f"# V\n\n{BEGIN}\nold\n{END}\n\n<!-- influence-backtest:begin x -->\nhiggs\n")
    write_section(doc, "new table", begin=BEGIN, end=END)
    assert doc.read_text() == f"# V\n\n{BEGIN}\n\nnew table\n\n{END}\n\n<!-- influence-backtest:begin x -->\nhiggs\n"
    (tmp_path / "plain.md").write_text("no markers\n")
    with pytest.raises(InfluenceError, match="markers are missing"):
        write_section(tmp_path / "plain.md", "t", begin=BEGIN, end=END)


def test_the_command_says_where_the_data_is_missing(tmp_path: Path) -> None:
    with pytest.raises(InfluenceError, match="is not there") as exc:
        main(["--data", str(tmp_path / "nowhere")])
    assert "--data" in str(exc.value.hint)


# ------------------------------------------------------------------------------------------ the real data


@pytest.fixture(scope="module")
def kim(tmp_path_factory: pytest.TempPathFactory) -> tuple[PostHistory, Path]:
    from tests.conftest import SHARED_DATA

    folder = SHARED_DATA / "instagram-influencers-kim2020"
    if not folder.is_dir():
        pytest.skip("../shared/data is not present (a user's clone); this test needs the real datasets")
    from signalboost.influence.backtest_posts import load_workspace
    from signalboost.store.workspace import Workspace

    ws = Workspace.open(tmp_path_factory.mktemp("kim") / "ws", create=True)
    load_workspace(ws, folder)
    return PostHistory.from_workspace(ws), folder


def test_real_cut_matches_a_direct_computation_from_the_csv(kim: tuple[PostHistory, Path]) -> None:
    history, folder = kim
    # influencers.txt through the accounts-list import: every influencer with the counts of the file
    assert history.accounts.height == 33_935 and history.accounts["followers"].null_count() == 0
    assert history.accounts["followers"].max() == 96_476_007
    at = dt.datetime(2018, 7, 1, tzinfo=dt.UTC)
    cut = make_post_cut(history, at)
    with gzip.open(folder / "instagram_influencer_posts.csv.gz", "rb") as fh:
        raw = pl.read_csv(fh, columns=["post_id", "username", "taken_at_timestamp", "like_count", "comment_count"])
    twice = raw.filter(pl.col("post_id").is_duplicated())["username"].unique()  # merged by the importer
    raw = raw.filter(~pl.col("username").is_in(twice.implode())).with_columns(
        (pl.col("like_count") + pl.col("comment_count")).cast(pl.Float64).alias("y"),
        (pl.col("taken_at_timestamp") >= int(at.timestamp())).alias("after"),
    )
    peer = (
        raw.group_by("username")
        .agg(
            pl.col("y").filter(~pl.col("after")).mean().alias("past"),
            pl.col("y").filter(pl.col("after")).mean().alias("target"),
        )
        .drop_nulls()
    )
    got = pl.DataFrame({"username": cut.nodes, "past_b": cut.baselines[PAST_PER_POST], "target_b": cut.gains}).join(
        peer, on="username", how="inner"
    )
    assert got.height == peer.height > 4000
    assert got["past_b"].to_list() == pytest.approx(got["past"].to_list())
    assert got["target_b"].to_list() == pytest.approx(got["target"].to_list())


def test_on_real_data_the_default_ranks_later_attention_above_followers_and_past_engagement(
    kim: tuple[PostHistory, Path],
) -> None:
    history, _ = kim
    cut = make_post_cut(history, dt.datetime(2018, 7, 1, tzinfo=dt.UTC))
    default = score_of(cut, InfluenceSettings().weights.model_dump())
    _, rho = metrics(default, cut.gains)
    for name in (FOLLOWERS, PAST_PER_POST, PAST_TOTAL):
        assert rho > metrics(cut.baselines[name], cut.gains)[1] + 0.01, name
    assert rho == pytest.approx(spearmanr(default, cut.gains).statistic, abs=1e-12)
