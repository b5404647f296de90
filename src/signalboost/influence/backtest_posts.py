"""Temporal backtest of the influence score on post data with follower counts (Instagram influencers).

Data: the Kim et al. (2020) Instagram influencer sample (*Multimodal Post Attentive Profiling for Influencer
Marketing*, WWW 2020; ``../shared/data/instagram-influencers-kim2020``): 33,935 influencers with follower counts
(one snapshot, about 2019) and 39,907 of their posts (2012–2019, 1–8 per influencer) with likes, comments and the
time posted. Both files are loaded by the product's own importer into a workspace and the score is computed from
that workspace as ``signalboost influencers`` computes it (:func:`signalboost.influence.score.compute_components`,
:func:`~signalboost.influence.score.combine` with the strategy's weights and rule).

At a cut ``T`` with a target window ``[T, U)``, over the influencers with at least one post before ``T`` and one
in the window (the sample holds a varying number of posts per influencer, so attention is taken *per post*):

- target: ``y = Σ_{posts in [T, U)} (likes + comments) / #posts in [T, U)``;
- predictors from what is known before ``T``: the default score (components from the posts before ``T`` and the
  accounts table), the score with weights calibrated on an earlier cut, and the baselines follower count ``F``,
  past engagement per post ``E = Σ_{posts < T} (likes + comments) / #posts < T``, past engagement in total, and
  the number of past posts.

Metrics, intervals and paired differences are those of :func:`signalboost.influence.backtest.evaluate` (NDCG@100
with linear gains, Järvelin & Kekäläinen 2002; Spearman over the accounts receiving attention; Poisson bootstrap
over accounts, the same counts for every predictor). Beware two leaks the data imposes on every predictor alike:
the follower counts are a snapshot taken after every cut, and likes and comments are counted at the crawl, not
at the cut.

``python -m signalboost.influence.backtest_posts --write docs/validation.md`` regenerates the table of
docs/validation.md ("Influence backtest on Instagram influencers").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from signalboost.influence.backtest import Cut
from signalboost.influence.data import InfluenceData
from signalboost.influence.score import combine, compute_components
from signalboost.model.strategy import InfluenceSettings
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace

DATASET = "instagram-influencers-kim2020"
POSTS_FILE = "instagram_influencer_posts.csv.gz"
ACCOUNTS_FILE = "influencers.txt"
PLATFORM = "instagram"
MAPPING = {"created_at": "taken_at_utc", "likes": "like_count", "comments": "comment_count", "author_id": "username"}
"""The importer's column mapping for the posts file (``signalboost import … --map created_at=taken_at_utc,…``)."""

FOLLOWERS = "follower count"
PAST_PER_POST = "past engagement per post"
PAST_TOTAL = "past engagement, total"
PAST_POSTS = "past posts"
BASELINES = (FOLLOWERS, PAST_PER_POST, PAST_TOTAL, PAST_POSTS)


def _utc(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


REPORTED_CUTS: tuple[dt.datetime, ...] = (
    _utc(2018, 1, 1),
    _utc(2018, 5, 1),
    _utc(2018, 7, 1),
    _utc(2018, 10, 1),
    _utc(2019, 1, 1),
)
"""Reported cuts; each target window runs from the cut to the end of the data."""
SELECTION_CUTS: tuple[dt.datetime, ...] = (_utc(2017, 10, 1), _utc(2018, 3, 1), _utc(2018, 8, 1), _utc(2018, 12, 1))
"""Cuts a change of the score may be chosen on (target window: :data:`SELECTION_HORIZON`); never reported cuts."""
SELECTION_HORIZON = dt.timedelta(days=90)
VALIDATION_LAG = dt.timedelta(days=180)
"""The calibrated score is fitted on the cut this long before the reported one, target = the posts in between."""


@dataclass(frozen=True)
class PostHistory:
    """What the backtest reads from a workspace: the platform's accounts and posts (the frames the influence job
    reads, posts with their latest metrics) and, per post, its engagement ``likes + comments``."""

    platform: str
    accounts: pl.DataFrame
    posts: pl.DataFrame

    @classmethod
    def from_workspace(cls, ws: Workspace, platform: str = PLATFORM) -> PostHistory:
        """Read the frames of ``platform`` as the influence job reads them (posts with their latest metrics)."""
        with ws.connect(purpose="read") as con:
            frames = sql.read_platform(con, platform)
        return cls.from_frames(platform, frames["accounts"], frames["posts"])

    @classmethod
    def from_frames(cls, platform: str, accounts: pl.DataFrame, posts: pl.DataFrame) -> PostHistory:
        """``posts`` (with ``likes``, ``comments``) and column ``engagement = likes + comments`` (an unreported
        one counts 0; NULL when neither is reported)."""
        eng = (
            pl.when(pl.col("likes").is_null() & pl.col("comments").is_null())
            .then(None)
            .otherwise(pl.col("likes").fill_null(0) + pl.col("comments").fill_null(0))
            .cast(pl.Float64)
        )
        return cls(platform, accounts, posts.with_columns(eng.alias("engagement")))


def _per_author(posts: pl.DataFrame, ids: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """``(posts with known engagement, their total engagement)`` per id of ``ids`` (0 where none)."""
    agg = (
        posts.filter(pl.col("engagement").is_not_null())
        .group_by("author_id")
        .agg(pl.len().cast(pl.Float64).alias("n"), pl.col("engagement").sum().alias("total"))
    )
    got = ids.to_frame("author_id").join(agg, on="author_id", how="left", maintain_order="left")
    return got["n"].fill_null(0.0).to_numpy(), got["total"].fill_null(0.0).to_numpy()


def _split(
    history: PostHistory, at: dt.datetime, until: dt.datetime | None
) -> tuple[InfluenceData, pl.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """The data the product sees at ``at`` (accounts, posts before it with their metrics), the posts before, the
    population (node indices with a post of known engagement on both sides) and, per node, the posts and the
    engagement in the target window."""
    dated = history.posts.filter(pl.col("created_at").is_not_null())
    before = dated.filter(pl.col("created_at") < at)
    window = dated.filter(pl.col("created_at") >= at)
    if until is not None:
        window = window.filter(pl.col("created_at") < until)
    data = InfluenceData.from_frames(history.platform, accounts=history.accounts, posts=before.drop("engagement"))
    n_before, _ = _per_author(before, data.nodes)
    n_after, later = _per_author(window, data.nodes)
    pop = np.flatnonzero((n_before > 0) & (n_after > 0))
    return data, before, pop, n_after, later


def make_post_cut(
    history: PostHistory,
    at: dt.datetime,
    until: dt.datetime | None = None,
    *,
    settings: InfluenceSettings | None = None,
) -> Cut:
    """The components (from the accounts and the posts before ``at``), the baselines and the target at one cut,
    over the accounts with a post of known engagement on both sides (see the module docstring).

    ``Cut.pcts`` are the product's percentiles (ranked among every account of the workspace, as
    ``signalboost influencers`` ranks them) restricted to that population; ``Cut.interactions_before`` holds
    the number of posts before the cut.
    """
    settings = settings or InfluenceSettings()
    data, before, pop, n_after, later = _split(history, at, until)
    parts = compute_components(data, settings)
    n_before, past = _per_author(before, data.nodes)
    followers = np.full(data.n, np.nan)
    acc = data.accounts.filter(pl.col("followers").is_not_null())
    followers[acc["ix"].to_numpy()] = acc["followers"].cast(pl.Float64).to_numpy()
    baselines = {
        FOLLOWERS: np.nan_to_num(followers[pop], nan=0.0),
        PAST_PER_POST: past[pop] / n_before[pop],
        PAST_TOTAL: past[pop],
        PAST_POSTS: n_before[pop],
    }
    pcts = {c: p.pct[pop] for c, p in parts.items() if p.available}
    unavailable = {c: p.reason or "" for c, p in parts.items() if not p.available}
    gains = later[pop] / n_after[pop]
    return Cut(at, until, data.nodes.gather(pop), pcts, baselines, gains, before.height, unavailable)


def previous_default(
    history: PostHistory,
    at: dt.datetime,
    until: dt.datetime | None = None,
    *,
    settings: InfluenceSettings | None = None,
) -> np.ndarray:
    """The score as it was before issue 13's change on post data, over :func:`make_post_cut`'s population: reach
    = the follower count's percentile alone, and topic leadership = the PageRank of the edgeless interaction
    graph, i.e. its teleport (each account's share of the posts on the top hashtags). Kept to report the change."""
    from signalboost.influence import components as comp

    settings = settings or InfluenceSettings()
    data, _, pop, _, _ = _split(history, at, until)
    parts = compute_components(data, settings)
    pcts = {c: p.pct for c, p in parts.items() if p.available}
    reach = parts["reach"]
    if "followers" in reach.extra:
        pcts["reach"] = comp.percentile_rank(np.log10(1.0 + reach.extra["followers"]))
    inter = comp.interaction_transition(data, settings.interaction_weights.model_dump())
    topic = comp.topic_leadership(inter, comp.topic_counts(data, None))
    if topic.available:
        pcts["topic"] = topic.pct
    score: np.ndarray = np.nan_to_num(
        combine({c: v[pop] for c, v in pcts.items()}, settings.weights.model_dump(), rule=settings.combine), nan=0.0
    )
    return score


# ------------------------------------------------------------------------------------------- loading the data


def load_workspace(ws: Workspace, folder: Path) -> None:
    """Import the Kim et al. data into ``ws`` with the product's importer, as a user would::

        signalboost import influencers.txt -p instagram            # accounts with their follower counts
        signalboost import instagram_influencer_posts.csv.gz -p instagram --map created_at=taken_at_utc,…

    (the posts' mapping :data:`MAPPING` is given explicitly: ``username``, the key into ``influencers.txt``, is the
    author, not ``owner_username``, which differs for 837 posts)."""
    from signalboost.ingest.pipeline import import_files

    import_files(ws, [folder / ACCOUNTS_FILE], platform=PLATFORM, progress=False)
    import_files(ws, [folder / POSTS_FILE], mapping=dict(MAPPING), platform=PLATFORM, progress=False)


if __name__ == "__main__":
    import sys

    from signalboost.influence.backtest_posts_report import main

    sys.exit(main())
