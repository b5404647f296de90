"""Temporal backtest of the influence score: score from the history before a cut, then measure how well the scores
rank accounts by the attention they receive after it — against the simple counts a user could use instead.

Target: the reposts, quotes, replies and mentions each account receives from other accounts from the cut on (until
``until`` when given). Metrics (each with a bootstrap interval):

- NDCG@k with linear gains (Järvelin & Kekäläinen 2002, *Cumulated gain-based evaluation of IR techniques*, ACM
  TOIS): ``DCG@k = Σ_{i≤k} gain_i / log2(i + 1)``, ``NDCG@k = DCG@k / ideal DCG@k`` — does the top k hold the
  accounts that get most attention later?
- Spearman's ρ (mean ranks for ties) over the accounts that receive attention later — does the score order them?

Baselines (Cha et al. 2010, *Measuring User Influence in Twitter: The Million Follower Fallacy*, ICWSM), all from
the same history: in-degree (distinct accounts interacting with the account), interactions received, plain
(unweighted) PageRank of the interaction graph, and follower count where the data has follower counts or a follow
graph.

Intervals: the Poisson bootstrap (Hanley & MacGibbon 2006; Chamandy et al. 2012, *Estimating uncertainty for
massive data streams*): each replicate weights every account by an independent Poisson(1) count — the same counts
for every predictor, so differences between predictors are paired; 95 % percentile intervals.

``python -m signalboost.influence.backtest --write docs/validation.md`` regenerates the table of docs/validation.md
("Influence backtest") on the bundled Higgs data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from signalboost.influence.components import distinct_interactors, interaction_graph
from signalboost.influence.data import InfluenceData
from signalboost.influence.pagerank import pagerank
from signalboost.influence.score import combine, compute_components
from signalboost.model.strategy import InfluenceSettings

ATTENTION_KINDS = ("repost", "quote", "reply", "mention")
"""Interaction kinds that count as attention received (likes are left out: many exports do not carry them)."""
SCORE = "influence score (default weights)"
CALIBRATED = "influence score (calibrated weights)"
BASELINES = (
    "in-degree (distinct accounts interacting)",
    "interactions received",
    "plain PageRank",
    "follower count",
)
DEFAULT_REPLICATES = 200


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """Spearman's ρ: Pearson correlation of the mean ranks (NaN when either side is constant)."""
    from scipy.stats import rankdata

    rx, ry = rankdata(x), rankdata(y)
    if rx.size < 2 or rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def ndcg_at_k(predicted: np.ndarray, gains: np.ndarray, k: int = 100) -> float:
    """NDCG@k of the ranking by ``predicted`` (descending; ties by position) against ``gains``."""
    order = top_order(np.asarray(predicted, dtype=np.float64), k)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = float((np.asarray(gains, dtype=np.float64)[order] * discounts[: order.size]).sum())
    ideal = np.sort(np.asarray(gains, dtype=np.float64))[::-1][:k]
    idcg = float((ideal * discounts[: ideal.size]).sum())
    return dcg / idcg if idcg > 0 else float("nan")


def top_order(values: np.ndarray, m: int) -> np.ndarray:
    """The positions of the ``m`` largest ``values`` in descending order (ties by position), sorting only them."""
    n = values.size
    if m >= n:
        return np.lexsort((np.arange(n), -values))
    cut = np.partition(values, n - m)[n - m]  # the m-th largest value: everything above it, and its ties
    cand = np.flatnonzero(values >= cut)
    out: np.ndarray = cand[np.lexsort((cand, -values[cand]))][:m]
    return out


# ---------------------------------------------------------------------------------------------------- the cut


@dataclass
class Cut:
    """One temporal split: what the scores and baselines see (before ``at``) and the attention after it.

    ``pcts``: component -> percentiles (available components only); ``baselines``: name -> raw values (follower
    count only when the data has it); ``gains``: attention received in ``[at, until)`` per account.
    """

    at: dt.datetime
    until: dt.datetime | None
    nodes: pl.Series
    pcts: dict[str, np.ndarray]
    baselines: dict[str, np.ndarray]
    gains: np.ndarray
    interactions_before: int
    unavailable: dict[str, str] = field(default_factory=dict)

    @property
    def receiving(self) -> int:
        """Accounts seen before the cut that receive attention after it."""
        return int((self.gains > 0).sum())


def split_history(
    interactions: pl.DataFrame, at: dt.datetime, until: dt.datetime | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The history before ``at`` and the attention rows (:data:`ATTENTION_KINDS`, self excluded) in
    ``[at, until)``. Undated interactions belong to neither."""
    dated = interactions.filter(pl.col("occurred_at").is_not_null())
    train = dated.filter(pl.col("occurred_at") < at)
    test = dated.filter((pl.col("occurred_at") >= at) & pl.col("kind").is_in(ATTENTION_KINDS))
    if until is not None:
        test = test.filter(pl.col("occurred_at") < until)
    return train, test.filter(pl.col("actor_id") != pl.col("target_account_id"))


def make_cut(
    interactions: pl.DataFrame,
    at: dt.datetime,
    *,
    until: dt.datetime | None = None,
    settings: InfluenceSettings | None = None,
    accounts: pl.DataFrame | None = None,
    follows: pl.DataFrame | None = None,
    posts: pl.DataFrame | None = None,
) -> Cut:
    """Components and baselines from the history before ``at``; the attention in ``[at, until)``.

    ``accounts`` and ``follows`` (follower counts, the follow graph) have no dates: they are used as they are —
    say so when reporting, since they may include what happened after the cut. Posts are cut at ``at``.
    """
    settings = settings or InfluenceSettings()
    train, test = split_history(interactions, at, until)
    if posts is not None and posts.height and "created_at" in posts.columns:
        posts = posts.filter(pl.col("created_at") < at)
    data = InfluenceData.from_frames("x", accounts=accounts, follows=follows, interactions=train, posts=posts)
    parts = compute_components(data, settings)
    pcts = {c: p.pct for c, p in parts.items() if p.available}
    unavailable = {c: p.reason or "" for c, p in parts.items() if not p.available}
    edges = data.edges().filter(pl.col("src") != pl.col("dst"))
    n = data.n
    indeg = distinct_interactors(data)
    plain = pagerank(interaction_graph(data, {k: 1.0 for k in ("repost", "quote", "reply", "mention", "like")}))
    base = {
        BASELINES[0]: np.zeros(n) if indeg is None else indeg,
        BASELINES[1]: np.bincount(edges["dst"].to_numpy(), minlength=n).astype(np.float64),
        BASELINES[2]: plain,
    }
    reach = parts["reach"]
    if "followers" in reach.extra:
        base[BASELINES[3]] = np.nan_to_num(reach.extra["followers"], nan=0.0)
    received = test.group_by("target_account_id").len()
    gains = (
        data.nodes.to_frame("target_account_id")
        .join(received, on="target_account_id", how="left", maintain_order="left")["len"]
        .fill_null(0)
        .to_numpy()
        .astype(np.float64)
    )
    return Cut(at, until, data.nodes, pcts, base, gains, train.height, unavailable)


def score_of(cut: Cut, weights: Mapping[str, float], rule: str = "tail") -> np.ndarray:
    """The influence score at ``cut`` with ``weights`` (accounts without a known component rank last: 0)."""
    out: np.ndarray = np.nan_to_num(combine(cut.pcts, weights, rule=rule), nan=0.0)
    return out


# ------------------------------------------------------------------------------------------------ evaluation


def metrics(values: np.ndarray, gains: np.ndarray, k: int = 100) -> tuple[float, float]:
    """``(NDCG@k, Spearman over the receiving accounts)`` of one predictor."""
    active = gains > 0
    return ndcg_at_k(values, gains, k), spearman(values[active], gains[active])


def _boot_ndcg(order: np.ndarray, ideal: np.ndarray, gains: np.ndarray, counts: np.ndarray, k: int) -> float:
    """NDCG@k when account i appears ``counts[i]`` times: copies of an account sit together in the ranking."""
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    top = np.repeat(order, counts[order])[:k]
    best = np.repeat(ideal, counts[ideal])[:k]
    idcg = float((gains[best] * disc[: best.size]).sum())
    return float((gains[top] * disc[: top.size]).sum()) / idcg if idcg > 0 else float("nan")


def evaluate(
    predictions: Mapping[str, np.ndarray],
    gains: np.ndarray,
    *,
    k: int = 100,
    replicates: int = DEFAULT_REPLICATES,
    seed: int = 0,
    reference: str | None = None,
) -> pl.DataFrame:
    """One row per predictor: NDCG@k and Spearman (receiving accounts) with 95 % Poisson-bootstrap intervals and,
    against ``reference``, the paired difference ``reference − predictor`` with its interval.

    Columns: ``predictor, ndcg, ndcg_lo, ndcg_hi, spearman, spearman_lo, spearman_hi`` and, with a reference,
    ``d_ndcg, d_ndcg_lo, d_ndcg_hi, d_spearman, d_spearman_lo, d_spearman_hi``.
    """
    rng = np.random.default_rng(seed)
    n = gains.size
    active = np.flatnonzero(gains > 0)
    m = min(n, 30 * k)  # with Poisson(1) counts, 30k accounts hold ≥ k copies but with negligible probability
    orders = {name: top_order(np.asarray(v, dtype=np.float64), m) for name, v in predictions.items()}
    ideal = top_order(gains, m)
    boot: dict[str, np.ndarray] = {name: np.empty((replicates, 2)) for name in predictions}
    for r in range(replicates):
        counts = rng.poisson(1.0, n)
        rep = np.repeat(active, counts[active])
        for name, v in predictions.items():
            boot[name][r] = (_boot_ndcg(orders[name], ideal, gains, counts, k), spearman(v[rep], gains[rep]))
    rows = []
    for name, v in predictions.items():
        point = metrics(v, gains, k)
        lo, hi = np.nanpercentile(boot[name], [2.5, 97.5], axis=0)
        row: dict[str, object] = {"predictor": name}
        for j, metric in enumerate(("ndcg", "spearman")):
            row |= {metric: point[j], f"{metric}_lo": lo[j], f"{metric}_hi": hi[j]}
        if reference is not None:
            ref_point = metrics(predictions[reference], gains, k)
            diff = boot[reference] - boot[name]
            dlo, dhi = np.nanpercentile(diff, [2.5, 97.5], axis=0)
            for j, metric in enumerate(("ndcg", "spearman")):
                row |= {f"d_{metric}": ref_point[j] - point[j], f"d_{metric}_lo": dlo[j], f"d_{metric}_hi": dhi[j]}
        rows.append(row)
    return pl.DataFrame(rows)


def backtest(
    interactions: pl.DataFrame,
    at: dt.datetime,
    *,
    until: dt.datetime | None = None,
    k: int = 100,
    settings: InfluenceSettings | None = None,
    calibrated: Mapping[str, float] | None = None,
    replicates: int = DEFAULT_REPLICATES,
    accounts: pl.DataFrame | None = None,
    follows: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The score (and ``calibrated`` weights when given) against every baseline at one cut: :func:`evaluate`'s
    rows, the score as reference, plus ``accounts`` and ``accounts_receiving``."""
    settings = settings or InfluenceSettings()
    cut = make_cut(interactions, at, until=until, settings=settings, accounts=accounts, follows=follows)
    preds = predictions(cut, settings.weights.model_dump(), calibrated, rule=settings.combine)
    res = evaluate(preds, cut.gains, k=k, replicates=replicates, reference=SCORE)
    return res.with_columns(
        pl.lit(cut.nodes.len()).alias("accounts"), pl.lit(cut.receiving).alias("accounts_receiving")
    )


def predictions(
    cut: Cut, weights: Mapping[str, float], calibrated: Mapping[str, float] | None = None, *, rule: str = "tail"
) -> dict[str, np.ndarray]:
    """The score, the calibrated score (when given) and the baselines at ``cut``."""
    out = {SCORE: score_of(cut, weights, rule)}
    if calibrated is not None:
        out[CALIBRATED] = score_of(cut, calibrated, rule)
    return out | cut.baselines


def time_cuts(interactions: pl.DataFrame, fractions: Sequence[float]) -> list[dt.datetime]:
    """Cut points at the given fractions of the dated history's time span (rounded down to the minute)."""
    stamps = interactions["occurred_at"].drop_nulls()
    if stamps.len() == 0:
        return []
    lo, hi = stamps.min(), stamps.max()
    assert isinstance(lo, dt.datetime) and isinstance(hi, dt.datetime)
    return [(lo + (hi - lo) * f).replace(second=0, microsecond=0) for f in fractions]


if __name__ == "__main__":
    import sys

    from signalboost.influence.backtest_report import main

    sys.exit(main())
