"""Calibration of the influence weights: recovery of a known mix, never worse than the current weights on the
validation cut, refusals, ``--apply`` round trip, and the bootstrap intervals."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from scipy.stats import rankdata

from signalboost.influence.backtest import BASELINES, CALIBRATED, SCORE, evaluate, make_cut, ndcg_at_k
from signalboost.influence.calibrate import (
    Calibration,
    CalibrationRefused,
    apply_weights,
    calibrate,
    fit_weights,
    simplex_grid,
)
from signalboost.influence.components import AMPLIFICATION_WITHOUT_REPOSTS
from signalboost.model.io import load_strategy
from signalboost.store.workspace import Workspace

T0 = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
TRUE = {"reach": 0.7, "activity": 0.3}


def _pct(values: np.ndarray) -> np.ndarray:
    """Mean-rank percentile, written here from scipy's ranks (a peer of the code's own)."""
    return 100.0 * (rankdata(values) - 0.5) / values.size


def synthetic(n: int = 200, seed: int = 7, future_at: dt.datetime | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A history of ``n`` accounts: account t_i is mentioned by d_i distinct fresh accounts and posts on k_i
    distinct days (d, k independent). After day 10, each t_i is mentioned by as many accounts as its true score
    ``100 (1 − (1−p_d)^0.7 (1−p_k)^0.3)`` says, percentiles taken as the scoring job sees them (reach among every
    account, activity among the accounts that post)."""
    rng = np.random.default_rng(seed)
    d = rng.permutation(np.arange(1, n + 1))  # distinct values: no ties to blur the recovery
    k = rng.integers(1, 11, n)
    inter: list[tuple[str, str, str, dt.datetime]] = []
    posts: list[tuple[str, str, dt.datetime]] = []
    for i in range(n):
        inter += [(f"a{i}_{j}", "mention", f"t{i}", T0 + j % 10 * DAY) for j in range(int(d[i]))]
        posts += [(f"p{i}_{j}", f"t{i}", T0 + j * DAY + dt.timedelta(hours=1)) for j in range(int(k[i]))]
    actors = int(d.sum())
    reach_all = _pct(np.concatenate([d, np.zeros(actors)]))[:n]
    act = _pct(k.astype(float))
    true = 100 * (1 - (1 - reach_all / 100) ** TRUE["reach"] * (1 - act / 100) ** TRUE["activity"])
    when = future_at or T0 + 10.5 * DAY
    for i in range(n):
        inter += [(f"z{i}_{j}", "mention", f"t{i}", when) for j in range(round(true[i] / 2))]
    frame = pl.DataFrame(inter, schema=["actor_id", "kind", "target_account_id", "occurred_at"], orient="row")
    post_frame = pl.DataFrame(posts, schema=["post_id", "author_id", "created_at"], orient="row")
    return frame.with_columns(pl.lit("").alias("target_post_id")), post_frame


def test_simplex_grid_covers_the_simplex() -> None:
    grid = simplex_grid(3, 4)
    assert len(grid) == math.comb(4 + 2, 2) == 15
    assert all(abs(sum(w) - 1) < 1e-12 and min(w) >= 0 for w in grid)
    assert (1.0, 0.0, 0.0) in grid and (0.25, 0.25, 0.5) in grid


def test_fit_recovers_the_known_mix() -> None:
    inter, posts = synthetic()
    cut = make_cut(inter, T0 + 10.2 * DAY, posts=posts)
    # nobody is reposted or quoted: amplification would be 0 for all, so it is unavailable (it orders nothing)
    assert set(cut.pcts) == {"reach", "authority", "activity"}
    assert cut.unavailable["amplification"] == AMPLIFICATION_WITHOUT_REPOSTS
    start = {"reach": 0.25, "authority": 0.25, "amplification": 0.25, "activity": 0.25}
    weights, value = fit_weights(cut, start)
    assert min(weights.values()) >= 0 and sum(weights.values()) == pytest.approx(1.0, abs=1e-3)
    # among the accounts that receive attention, authority ranks as reach does here (each mention comes from a
    # fresh account): only the share of activity in the ranking weight reach + authority + activity is identified
    ranking = weights["reach"] + weights["authority"] + weights["activity"]
    assert weights["activity"] / ranking == pytest.approx(TRUE["activity"], abs=0.06)
    receiving = cut.gains > 0
    assert receiving.sum() == 200 and value > 0.9


def test_calibrated_never_worse_than_current_on_the_validation_cut() -> None:
    inter, posts = synthetic()
    later, _ = synthetic(future_at=T0 + 12.5 * DAY)
    history = pl.concat([inter, later.filter(pl.col("occurred_at") > T0 + 11 * DAY)])
    for current in ({"authority": 1.0}, {"reach": 0.2, "activity": 0.8}):
        settings_weights = {"reach": 0, "authority": 0, "amplification": 0, "topic": 0, "activity": 0} | current
        from signalboost.model.strategy import InfluenceSettings

        settings = InfluenceSettings.model_validate({"weights": settings_weights})
        cal = calibrate(
            history,
            settings,
            validation_cut=T0 + 10.2 * DAY,
            reported_cut=T0 + 12 * DAY,
            posts=posts,
            replicates=20,
        )
        assert cal.objective >= cal.current_objective - 1e-12
        assert set(cal.report["predictor"]) == {CALIBRATED, SCORE, *BASELINES[:3]}
        own = cal.report.filter(pl.col("predictor") == CALIBRATED).row(0, named=True)
        assert own["d_ndcg"] == 0 and own["ndcg_lo"] <= own["ndcg"] <= own["ndcg_hi"]


def test_refuses_short_or_thin_history() -> None:
    short = pl.DataFrame(
        {
            "actor_id": [f"a{i}" for i in range(2000)],
            "kind": ["mention"] * 2000,
            "target_account_id": [f"t{i % 40}" for i in range(2000)],
            "occurred_at": [T0 + dt.timedelta(minutes=i // 2) for i in range(2000)],
        }
    )
    with pytest.raises(CalibrationRefused, match=r"spans 0\.7 days, too short"):
        calibrate(short)
    thin = short.with_columns(pl.Series("occurred_at", [T0 + dt.timedelta(hours=i // 20) for i in range(2000)]))
    with pytest.raises(CalibrationRefused, match="accounts receive attention after the validation cut"):
        calibrate(thin)  # 40 accounts receive attention at most: too few to tell
    with pytest.raises(CalibrationRefused, match="no dated interactions"):
        calibrate(short.with_columns(pl.lit(None, pl.Datetime("us", "UTC")).alias("occurred_at")))


def _fitted() -> Calibration:
    """A calibration that ranks better than the weights it started from (NDCG@100 0.8 against 0.7)."""
    return Calibration(
        validation_cut=T0,
        reported_cut=T0 + DAY,
        weights={"reach": 0.75, "authority": 0.25},
        current={"reach": 1.0, "authority": 0.0},
        objective=0.6,
        current_objective=0.5,
        report=pl.DataFrame(
            [
                {"predictor": CALIBRATED, "ndcg": 0.8, "spearman": 0.4},
                {"predictor": SCORE, "ndcg": 0.7, "spearman": 0.38},
            ]
        ),
        accounts=100,
        receiving=40,
        validation_receiving=30,
    )


def test_apply_writes_weights_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text(
        "version: 1  # keep me\nbrand:\n  name: Brand\ninfluence:\n  influence_threshold: 65  # ours\n"
        "  weights:\n    reach: 0.5\n    topic: 0.3\n"
    )
    cal = _fitted()
    apply_weights(path, cal, today=dt.date(2026, 12, 5))
    text = path.read_text()
    assert "# keep me" in text and "# ours" in text
    assert "calibrated 2026-12-05" in text and "NDCG@100 0.800 (before 0.700)" in text
    w = load_strategy(path).influence.weights
    # reach and authority share the weight they had (0.5 + 0 default) 3:1; topic keeps its 0.3
    assert w.reach == pytest.approx(0.375) and w.authority == pytest.approx(0.125) and w.topic == 0.3


def test_bootstrap_intervals_and_paired_differences() -> None:
    rng = np.random.default_rng(3)
    gains = np.concatenate([rng.integers(1, 50, 300), np.zeros(700)]).astype(float)
    good = gains + rng.normal(0, 5, gains.size)
    bad = rng.random(gains.size)
    res = evaluate({"good": good, "bad": bad}, gains, replicates=100, reference="good")
    g, b = (res.filter(pl.col("predictor") == p).row(0, named=True) for p in ("good", "bad"))
    assert g["ndcg"] == pytest.approx(ndcg_at_k(good, gains))
    assert g["ndcg_lo"] <= g["ndcg"] <= g["ndcg_hi"] and g["spearman_lo"] <= g["spearman"] <= g["spearman_hi"]
    assert b["d_ndcg_lo"] > 0 and b["d_spearman_lo"] > 0  # the good predictor wins, and the interval says so
    assert g["d_ndcg"] == 0 and g["d_ndcg_lo"] == g["d_ndcg_hi"] == 0


def test_cli_calibrate_reports_refuses_and_applies(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from signalboost.cli.main import main
    from signalboost.store import influence_sql as sql

    w = str(workspace.root)
    workspace.strategy_path.write_text("version: 1  # ours\nbrand:\n  name: Brand\n")
    inter, posts = synthetic(n=120)
    with workspace.transaction() as con:  # one day of history only: refused, nothing written
        sql.insert_frame(
            con, "interactions", inter.filter(pl.col("occurred_at") < T0 + DAY).with_columns(platform=pl.lit("x"))
        )
    assert main(["influencers", "calibrate", "-w", w, "--apply"]) == 1
    assert "too short to fit on one period and test on a later one" in capsys.readouterr().err
    assert "calibrated" not in workspace.strategy_path.read_text()
    later, _ = synthetic(n=120, future_at=T0 + 12.5 * DAY)
    with workspace.transaction() as con:
        rest = pl.concat(
            [inter.filter(pl.col("occurred_at") >= T0 + DAY), later.filter(pl.col("occurred_at") > T0 + 11 * DAY)]
        )
        sql.insert_frame(con, "interactions", rest.with_columns(platform=pl.lit("x")))
        sql.insert_frame(con, "posts", posts.with_columns(platform=pl.lit("x")))
    args = ["influencers", "calibrate", "-w", w, "--validation-cut", "2024-03-11T04:00", "--cut", "2024-03-13T00:00"]
    assert main([*args, "--replicates", "20", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["validation_cut"].startswith("2024-03-11T04:00") and doc["accounts_receiving"] == 120
    assert {r["predictor"] for r in doc["rows"]} == {CALIBRATED, SCORE, *BASELINES[:3]}
    assert doc["validation_objective"]["calibrated"] >= doc["validation_objective"]["current"]
    assert main([*args, "--replicates", "20", "--apply"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Calibrated weights:" in out and "follower count: n/a" in out and "Weights written to" in out
    text = workspace.strategy_path.read_text()
    assert "# ours" in text and "# calibrated " in text and "influencers calibrate" in text
    assert load_strategy(workspace.strategy_path).influence.weights.activity > 0  # activity drives attention here
    # again on the same history: the weights just written are now the current ones, and the fit cannot show
    # better than itself on the later cut — so --apply writes nothing and says why (exit 1); --force writes
    applied = workspace.strategy_path.read_text()
    assert main([*args, "--replicates", "20", "--apply"]) == 1
    captured = capsys.readouterr()
    assert "Verdict: cannot tell" in " ".join(captured.out.split())
    err = " ".join(captured.err.split())
    assert "weights not written: the verdict on the later cut is 'cannot tell', not 'better'" in err
    assert "--force writes them anyway" in err
    assert workspace.strategy_path.read_text() == applied
    assert main([*args, "--replicates", "20", "--apply", "--force"]) == 0
    assert "Weights written to" in " ".join(capsys.readouterr().out.split())
    assert workspace.strategy_path.read_text().count("# calibrated ") == 1
    assert (
        main(["influencers", "calibrate", "-w", w, "--cut", "2024-03-01T00:00", "--validation-cut", "2024-03-02"]) == 1
    )
    assert "must come before the reported cut" in capsys.readouterr().err


def test_apply_again_replaces_the_dated_comment_instead_of_stacking_it(tmp_path: Path) -> None:
    path = tmp_path / "strategy.yaml"
    path.write_text("version: 1\nbrand:\n  name: Brand\ninfluence:\n  # ours, kept\n  weights:\n    reach: 0.5\n")
    cal = _fitted()
    apply_weights(path, cal, today=dt.date(2026, 12, 5))
    apply_weights(path, cal, today=dt.date(2026, 12, 6))
    lines = path.read_text().splitlines()
    assert [ln.strip()[:34] for ln in lines if "influencers calibrate" in ln] == ["# calibrated 2026-12-06 by `signal"]
    assert "  # ours, kept" in lines
    # the weights as applied the first time: reach and authority share reach's 0.5 (0 default authority) 3:1
    w = load_strategy(path).influence.weights
    assert w.reach == pytest.approx(0.375) and w.authority == pytest.approx(0.125)


def test_a_history_of_posts_with_metrics_but_no_interactions_is_refused_with_what_it_holds() -> None:
    """An influencer list and their posts (Kim et al.'s shape): "Import interactions" alone would not say that the
    posts' likes were seen and why they do not count."""
    posts = pl.DataFrame(
        {
            "post_id": ["p1", "p2", "p3"],
            "author_id": ["a", "a", "b"],
            "created_at": [T0, T0 + DAY, None],  # the undated one is not counted
            "likes": [10, None, 5],
            "comments": [None, 3, None],
        }
    )
    none = pl.DataFrame(
        schema={"actor_id": pl.String, "kind": pl.String, "target_account_id": pl.String,
                "target_post_id": pl.String, "occurred_at": pl.Datetime("us", "UTC")}
    )  # fmt: skip
    with pytest.raises(CalibrationRefused) as info:
        calibrate(none, posts=posts)
    assert str(info.value).startswith("interactions: no dated interactions: the history holds 2 dated posts with likes")
    assert "calibration on post metrics is not built in" in str(info.value)
    with pytest.raises(CalibrationRefused, match=r"^interactions: no dated interactions: nothing to backtest"):
        calibrate(none, posts=posts.with_columns(pl.lit(None, pl.Int64).alias("likes"), pl.lit(None).alias("comments")))


def test_fit_recovers_a_known_mix_of_reach_authority_and_activity() -> None:
    """Reach, authority and activity all present and told apart: 150 targets, each mentioned by d_i fresh accounts
    (1–40) and by e_i of 12 hubs (0–12), and posting on k_i days (1–10). Each hub is mentioned by 3,000 fresh
    accounts, so a hub's mention carries far more PageRank than a fresh account's: authority follows e, reach
    (distinct interactors × attention) follows d + e (rank correlation of their percentiles 0.25 here). The
    attention after the cut is the rank of the true score ``100 (1 − Π (1 − p_c/100)^w_c)`` with w = reach 0.5,
    authority 0.3, activity 0.2, the percentiles computed by peers — networkx's PageRank, scipy's ranks — never by
    the code under test (they agree with it exactly, checked). The fit must find w."""
    import networkx as nx

    true_w = {"reach": 0.5, "authority": 0.3, "activity": 0.2}
    rng = np.random.default_rng(5)
    n, hubs = 150, 12
    d, e, k = rng.integers(1, 41, n), rng.integers(0, hubs + 1, n), rng.integers(1, 11, n)
    inter = [(f"l{h}_{j}", f"h{h}", T0 + j % 10 * DAY) for h in range(hubs) for j in range(3000)]
    posts = []
    for i in range(n):
        inter += [(f"a{i}_{j}", f"t{i}", T0 + j % 10 * DAY) for j in range(int(d[i]))]
        inter += [(f"h{h}", f"t{i}", T0 + h % 10 * DAY) for h in rng.choice(hubs, int(e[i]), replace=False)]
        posts += [(f"p{i}_{j}", f"t{i}", T0 + j * DAY + dt.timedelta(hours=1)) for j in range(int(k[i]))]
    before = pl.DataFrame(inter, schema=["actor_id", "target_account_id", "occurred_at"], orient="row")
    # peers: PageRank of the mention graph (networkx), reach = (1 + D)(1 + A) with A = 2 × mentions, activity = the
    # number of posting days among the accounts that post; percentiles = mean ranks (scipy)
    graph = nx.DiGraph()
    for a, b, c in before.group_by("actor_id", "target_account_id").len().iter_rows():
        graph.add_edge(a, b, weight=float(c))
    rank = nx.pagerank(graph, alpha=0.85, tol=1e-12)
    nodes = sorted(graph.nodes)
    received = before.group_by("target_account_id").agg(pl.col("actor_id").n_unique().alias("d"), pl.len().alias("m"))
    got = {a: (1 + dd) * (1 + 2 * m) for a, dd, m in received.iter_rows()}
    targets = [nodes.index(f"t{i}") for i in range(n)]
    pcts = {
        "authority": _pct(np.array([rank[a] for a in nodes]))[targets],
        "reach": _pct(np.array([float(got.get(a, 1)) for a in nodes]))[targets],
        "activity": _pct(k.astype(float)),
    }
    true = 100 * (1 - np.prod([(1 - pcts[c] / 100) ** w for c, w in true_w.items()], axis=0))
    after = [(f"z{i}_{j}", f"t{i}", T0 + 10.5 * DAY) for i, r in enumerate(rankdata(true, "ordinal")) for j in range(r)]
    history = pl.concat([before, pl.DataFrame(after, schema=before.columns, orient="row")]).with_columns(
        pl.lit("mention").alias("kind"), pl.lit("").alias("target_post_id")
    )
    post_frame = pl.DataFrame(posts, schema=["post_id", "author_id", "created_at"], orient="row")
    cut = make_cut(history, T0 + 10.2 * DAY, posts=post_frame)
    ix = [cut.nodes.to_list().index(f"t{i}") for i in range(n)]
    for c, peer in pcts.items():  # the peers are the product's percentiles
        assert np.allclose(cut.pcts[c][ix], peer), c
    weights, value = fit_weights(cut, {"reach": 1 / 3, "authority": 1 / 3, "activity": 1 / 3})
    assert weights == pytest.approx(true_w, abs=0.05)
    assert value > 0.85  # Spearman 1 over the receiving targets; NDCG@100 over every account
