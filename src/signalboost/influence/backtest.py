"""Temporal backtest of the influence score: score from the first part of a period, then measure how well the
scores rank accounts by the reposts and mentions they receive afterwards.

Metrics: Spearman's rank correlation (ties share their mean rank) and NDCG@k with linear gains
(Järvelin & Kekäläinen 2002, *Cumulated gain-based evaluation of IR techniques*, ACM TOIS)::

    DCG@k = Σ_{i=1..k} gain_i / log2(i + 1),   NDCG@k = DCG@k / ideal DCG@k

Baselines (Cha et al. 2010, *Measuring User Influence in Twitter: The Million Follower Fallacy*): in-degree
(accounts that interacted with the account — the follower-count stand-in when no follow graph exists), reposts
received, and plain (unweighted) PageRank. Run ``python -m signalboost.influence.backtest [FILE]`` for the
figures quoted in docs/validation.md.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import polars as pl

from signalboost.influence.components import interaction_graph
from signalboost.influence.data import InfluenceData
from signalboost.influence.pagerank import pagerank
from signalboost.influence.score import combine, compute_components
from signalboost.model.strategy import InfluenceSettings


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ: Pearson correlation of the mean ranks (NaN when either side is constant)."""
    from scipy.stats import rankdata

    rx, ry = rankdata(x), rankdata(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def ndcg_at_k(predicted: np.ndarray, gains: np.ndarray, k: int = 100) -> float:
    """NDCG@k of the ranking by ``predicted`` (descending; ties by position) against ``gains``."""
    order = np.lexsort((np.arange(len(predicted)), -np.asarray(predicted, dtype=np.float64)))[:k]
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((np.asarray(gains, dtype=np.float64)[order] * discounts[: order.size]).sum())
    ideal = np.sort(np.asarray(gains, dtype=np.float64))[::-1][:k]
    idcg = float((ideal * discounts[: ideal.size]).sum())
    return dcg / idcg if idcg > 0 else float("nan")


def predictors(
    train: pl.DataFrame, settings: InfluenceSettings | None = None
) -> tuple[pl.Series, dict[str, np.ndarray]]:
    """Every predictor computed from ``train`` interactions only: node ids and predictor -> values."""
    settings = settings or InfluenceSettings()
    data = InfluenceData.from_frames("x", interactions=train)
    parts = compute_components(data, settings)
    pcts = {c: part.pct for c, part in parts.items() if part.available}
    weights = settings.weights.model_dump()
    other = "mean" if settings.combine == "tail" else "tail"
    edges = data.edges().filter(pl.col("src") != pl.col("dst"))
    n = data.n
    indeg = np.zeros(n)
    distinct = edges.select("src", "dst").unique()
    np.add.at(indeg, distinct["dst"].to_numpy(), 1.0)
    reposts = np.bincount(edges.filter(pl.col("kind") == "repost")["dst"].to_numpy(), minlength=n).astype(float)
    plain = pagerank(interaction_graph(data, {k: 1.0 for k in ("repost", "quote", "reply", "mention", "like")}))
    rng = np.random.default_rng(0)
    out = {
        "influence score": _filled(combine(pcts, weights, rule=settings.combine)),
        f"influence score, rule {other}": _filled(combine(pcts, weights, rule=other)),
        "authority (weighted PageRank)": _filled(parts["authority"].pct),
        "plain PageRank": plain,
        "in-degree (distinct accounts interacting)": indeg,
        "reposts received": reposts,
        "activity": _filled(parts["activity"].pct),
        "random": rng.random(n),
    }
    return data.nodes, out


def _filled(values: np.ndarray) -> np.ndarray:
    """Unknown (NaN) ranks last: as 0."""
    return np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0)


def _split(interactions: pl.DataFrame, split: dt.datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Training interactions (before ``split``) and the target's: reposts and mentions of others from it on."""
    train = interactions.filter(pl.col("occurred_at") < split)
    test = interactions.filter((pl.col("occurred_at") >= split) & pl.col("kind").is_in(["repost", "mention"]))
    return train, test.filter(pl.col("actor_id") != pl.col("target_account_id"))


def _gains(nodes: pl.Series, test: pl.DataFrame) -> np.ndarray:
    """Reposts + mentions received in ``test`` per node (0 for none)."""
    received = test.group_by("target_account_id").len()
    return (
        nodes.to_frame("target_account_id")
        .join(received, on="target_account_id", how="left", maintain_order="left")["len"]
        .fill_null(0)
        .to_numpy()
        .astype(float)
    )


def _metrics(values: np.ndarray, gains: np.ndarray, k: int) -> dict[str, float]:
    active = gains > 0
    return {
        "spearman_all": spearman(values, gains),
        "spearman_received": spearman(values[active], gains[active]),
        f"ndcg@{k}": ndcg_at_k(values, gains, k),
    }


def backtest(
    interactions: pl.DataFrame, split: dt.datetime, *, k: int = 100, settings: InfluenceSettings | None = None
) -> pl.DataFrame:
    """Score on interactions before ``split``; target = reposts + mentions received from ``split`` on.

    One row per predictor: Spearman over every account seen before the split, Spearman over those that also
    received something afterwards, NDCG@k, and the numbers of accounts.
    """
    train, test = _split(interactions, split)
    nodes, preds = predictors(train, settings)
    gains = _gains(nodes, test)
    counts = {"accounts": int(nodes.len()), "accounts_receiving": int((gains > 0).sum())}
    return pl.DataFrame([{"predictor": name, **_metrics(v, gains, k), **counts} for name, v in preds.items()])


# ------------------------------------------------------------------------------------- combination rules compared


def _weighted(
    pcts: Mapping[str, np.ndarray], weights: Mapping[str, float], f: Callable[[np.ndarray], np.ndarray]
) -> np.ndarray:
    """``Σ w_c f(p_c / 100) / Σ w_c`` over the known components (as :func:`combine`, for the comparison only)."""
    n = len(next(iter(pcts.values())))
    num, den = np.zeros(n), np.zeros(n)
    for c, p in pcts.items():
        known = ~np.isnan(p)
        num += np.where(known, weights.get(c, 0.0) * f(np.where(known, p, 50.0) / 100.0), 0.0)
        den += weights.get(c, 0.0) * known
    with np.errstate(invalid="ignore", divide="ignore"):
        out: np.ndarray = num / den
    return out


def logit_rule(pcts: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """``100 · σ(Σ w_c logit(p_c/100) / Σ w_c)``: the weighted mean log-odds (logit pooling of probabilities,
    Genest & Zidek 1986, *Combining probability distributions*, Statistical Science 1:114)."""
    s = _weighted(pcts, weights, lambda x: np.log(x) - np.log1p(-x))
    out: np.ndarray = 100.0 / (1.0 + np.exp(-s))
    return out


def probit_rule(pcts: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """``100 · Φ(Σ w_c Φ⁻¹(p_c/100) / Σ w_c)``: the weighted mean normal score (Stouffer's z, weighted as in
    Lipták 1958, *On the combination of independent tests*)."""
    from scipy.special import ndtr, ndtri

    out: np.ndarray = 100.0 * ndtr(_weighted(pcts, weights, ndtri))
    return out


RULES: Mapping[str, Callable[[Mapping[str, np.ndarray], Mapping[str, float]], np.ndarray]] = {
    "mean (weighted mean of percentiles)": lambda p, w: combine(p, w, rule="mean"),
    "tail (1 − weighted geometric mean of tail shares)": lambda p, w: combine(p, w, rule="tail"),
    "logit (weighted mean log-odds)": logit_rule,
    "probit (weighted mean normal score)": probit_rule,
}


def compare_rules(
    interactions: pl.DataFrame,
    split: dt.datetime,
    weightings: Mapping[str, Mapping[str, float]],
    *,
    k: int = 100,
    threshold: float = 70.0,
) -> pl.DataFrame:
    """Each rule of :data:`RULES` under each weighting (name -> ``influence.weights``): the backtest's metrics and
    how many accounts score at least ``threshold`` ("influential"). The components are computed once."""
    train, test = _split(interactions, split)
    data = InfluenceData.from_frames("x", interactions=train)
    parts = compute_components(data, InfluenceSettings())
    pcts = {c: part.pct for c, part in parts.items() if part.available}
    gains = _gains(data.nodes, test)
    rows = []
    for wname, weights in weightings.items():
        for rule, f in RULES.items():
            score = _filled(f(pcts, weights))
            influential = int((score >= threshold).sum())
            rows.append({"weights": wname, "rule": rule, **_metrics(score, gains, k), "influential": influential})
    return pl.DataFrame(rows)


WEIGHTINGS: Mapping[str, Mapping[str, float]] = {
    "default": InfluenceSettings().weights.model_dump(),
    "activity 5 %": {**InfluenceSettings().weights.model_dump(), "activity": 0.30 * 5 / 95},
}
"""The default weights (on Higgs: authority 75 %, activity 25 % once renormalised) and activity at 5 % of the
renormalised weight (authority 95 %)."""


def main(argv: list[str] | None = None) -> int:
    """Print the Higgs backtest for a few splits (the figures of docs/validation.md)."""
    from signalboost.demo_data import HIGGS_ACTIVITY, demo_file
    from signalboost.influence.demo import read_higgs_activity

    args = argv if argv is not None else sys.argv[1:]
    path = Path(args[0]) if args else demo_file(*HIGGS_ACTIVITY)
    frame = read_higgs_activity(path)
    pl.Config.set_tbl_rows(20)
    pl.Config.set_tbl_width_chars(160)
    pl.Config.set_float_precision(3)
    pl.Config.set_fmt_str_lengths(60)
    for label, split in SPLITS.items():
        res = backtest(frame, split)
        print(f"\n== train before {split:%Y-%m-%d %H:%M} UTC ({label})")
        print(res)
        print("combination rules (influential: score ≥ 70)")
        print(compare_rules(frame, split, WEIGHTINGS))
    return 0


SPLITS: Mapping[str, dt.datetime] = {
    "3 days before the announcement, 4 days after": dt.datetime(2012, 7, 4, tzinfo=dt.UTC),
    "first 5 days, last 2": dt.datetime(2012, 7, 6, tzinfo=dt.UTC),
}


if __name__ == "__main__":
    sys.exit(main())
