"""Which slot model to trust for one account: chosen by a temporal backtest on the account's own history.

Candidates: every grain of :data:`signalboost.analytics.timing.GRAINS` (weekday × hour, hour of day, 3-hour blocks,
weekday × hour shrunk toward the hour) on every outcome scale of :data:`~signalboost.analytics.timing.SCALES`
(the winsorised figure, its logarithm, its rank).

Backtest (rolling origin, Tashman 2000, "Out-of-sample tests of forecasting accuracy", IJF 16:437): the posts with a
known time, in time order, are cut at 50 %, 60 %, 70 %, 80 % and 90 %; at each cut a candidate is fitted on the
posts before it and advises its slots exactly as the product would (:func:`~signalboost.analytics.timing.
recommend_slots`: slots whose interval lies above the network mean); the next 10 % of the posts are held out.
Each held-out post's outcome is its **percentile among the posts of its fold** (0–100, so a few viral posts
weigh no more than any other good post, and folds of different levels compare). A candidate's gain is

    gain = mean percentile of held-out posts in an advised slot − mean percentile of the other held-out posts

("keep the current hours" is the other posts: what the account does anyway), with a Welch t interval
(Welch–Satterthwaite degrees of freedom) whose level is Bonferroni-corrected for the number of candidates
(1 − 0.05 / m), so the interval of the candidate picked as the best is still honest (Dunn 1961, "Multiple
comparisons among means", JASA 56:52). The chosen candidate is the one with the highest gain among those with at
least ``min_matched`` advised held-out posts (ties: the first in :func:`candidates`' order, weekday × hour on the
capped figure first); its advice is **backed** only when its interval lies above 0, otherwise the product says it
cannot tell and keeps the current hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import stats

from signalboost.analytics.timing import GRAINS, SCALES, recommend_slots, slot_key, slot_table
from signalboost.i18n import _, format_number

#: where the history is cut (share of the posts, in time order); each cut holds out the next ``FOLD_WIDTH``
CUTS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9)
FOLD_WIDTH = 0.1
#: fewer posts with a known time than this: no backtest (too few held-out posts to judge)
MIN_POSTS = 60
DEFAULT = ("weekday_hour", "raw")


@dataclass(frozen=True)
class SlotChoice:
    """The slot model chosen for one network's account, and what its backtest showed (percentile points)."""

    platform: str
    grain: str
    scale: str
    backed: bool
    gain: float | None
    low: float | None
    high: float | None
    n_match: int
    n_test: int
    n_posts: int
    candidates: pl.DataFrame

    def sentence(self) -> str:
        """The backtest in one plain sentence (what the report, the CLI and the dashboard say)."""
        model = _("{grain}, on {scale}").format(grain=_(GRAINS[self.grain]), scale=_(SCALES[self.scale]))
        if self.gain is None:
            if self.n_posts == 0:
                why = _("no post has a time and a figure to judge (the export reports no engagement counts)")
            elif self.n_posts < MIN_POSTS:
                why = _("only {n} posts with a known time and a figure to judge (a backtest needs {needed})").format(
                    n=self.n_posts, needed=MIN_POSTS
                )
            else:
                why = _("no candidate model found a slot that stands out on the earlier posts (nothing to test)")
            return _("{platform}: best times cannot be backtested — {why}, so keep the current hours").format(
                platform=self.platform, why=why
            )
        figure = _(
            "posts at the advised hours ranked {gain} percentile points against the other posts [{low}, {high}] "
            "({n_match} of {n_test} later posts)"
        ).format(
            gain=_signed(self.gain),
            low=_signed(self.low),
            high=_signed(self.high),
            n_match=self.n_match,
            n_test=self.n_test,
        )
        if self.backed:
            return _(
                "{platform}: best times by {model}, chosen by a backtest on the account's history: {figure}"
            ).format(platform=self.platform, model=model, figure=figure)
        return _(
            "{platform}: the backtest cannot tell whether any hour beats the current ones — the best model "
            "({model}): {figure}, an interval that includes 0, so keep the current hours"
        ).format(platform=self.platform, model=model, figure=figure)


def _signed(x: float | None) -> str:
    """``+1.5`` / ``-0.3`` (one decimal) in the active language; ``—`` for none."""
    if x is None:
        return "—"
    return ("+" if x >= 0 else "") + format_number(x, digits=1)


def candidates(hour_block: int = 1) -> list[tuple[str, str]]:
    """Every (grain, scale) pair; with ``hour_block`` 3 the 3-hour blocks are the hours (not listed twice), and
    with blocks that 3 does not divide into there are no 3-hour blocks."""
    grains = [g for g in GRAINS if g != "block3" or hour_block == 1]
    return [(g, s) for g in grains for s in SCALES]


def _percentiles(y: np.ndarray) -> np.ndarray:
    """Mid-rank percentile (0–100) of each value among ``y`` (ties share their average rank)."""
    out: np.ndarray = (stats.rankdata(y) - 0.5) / y.size * 100.0
    return out


def _advised_groups(slots: pl.DataFrame, top_slots: int, min_posts: int, *, former: bool = False) -> set[int]:
    """The model slots the product would advise (``former``: the rule before issue #14, the top shrunk slots
    whatever their interval)."""
    best = recommend_slots(slots, k=top_slots, explore=0, min_posts=min_posts, distinguishable=not former)
    return {int(g) for g in best.filter(pl.col("kind") == "recommended")["cell_group"].to_list()}


def backtest_candidates(
    frame: pl.DataFrame,
    *,
    metric: str,
    tz: str,
    hour_block: int = 1,
    min_posts: int = 3,
    top_slots: int = 5,
    former: bool = False,
) -> tuple[pl.DataFrame, int]:
    """One row per candidate: ``rule, grain, scale, n_match, n_test, gain, low, high`` (module doc), and the number
    of posts with a known time. ``frame``: one network's posts with ``created_at`` and ``metric``. ``former`` adds
    the rule before issue #14 as a reference row (``rule = former``: weekday × hour on the raw figure, the top
    slots whatever their interval), judged on the same folds (docs/validation.md); it is never chosen."""
    from signalboost.analytics.timing import time_unknown, with_local_time

    data = frame.filter(pl.col("created_at").is_not_null() & pl.col(metric).is_not_null())
    data = data.filter(~time_unknown(data)) if data.height else data
    data = with_local_time(data, tz, hour_block=hour_block).sort("created_at")
    n = data.height
    if n < MIN_POSTS:
        return pl.DataFrame(), n
    folds = []
    for cut in CUTS:
        start, stop = round(n * cut), min(n, round(n * (cut + FOLD_WIDTH)))
        test = data.slice(start, stop - start)
        if test.height < 2:
            continue
        y = test[metric].cast(pl.Float64).to_numpy()
        folds.append((data.head(start), test, _percentiles(y)))
    pairs = candidates(hour_block)
    level = 1 - 0.05 / len(pairs)  # Bonferroni: the interval of whichever candidate is picked stays honest
    rows = []
    runs = [(g, s, "candidate") for g, s in pairs] + ([("weekday_hour", "plain", "former")] if former else [])
    for grain, scale, rule in runs:
        hits: list[np.ndarray] = []
        pct: list[np.ndarray] = []
        for train, test, p in folds:
            slots = slot_table(
                train,
                metric=metric,
                tz=tz,
                hour_block=hour_block,
                min_posts=min_posts,
                grain=grain,
                scale="raw" if scale == "plain" else scale,
                robust=scale != "plain",
            )
            advised = _advised_groups(slots, top_slots, min_posts, former=rule == "former")
            keys = slot_key(test["weekday"].to_numpy(), test["slot_hour"].to_numpy(), grain)
            hits.append(np.isin(keys, list(advised)))
            pct.append(p)
        hit, u = np.concatenate(hits), np.concatenate(pct)
        rows.append({"rule": rule, "grain": grain, "scale": scale, **_gain(u[hit], u[~hit], level)})
    return pl.DataFrame(rows, infer_schema_length=None), n


def _gain(a: np.ndarray, b: np.ndarray, level: float) -> dict[str, object]:
    """Difference of means with its Welch interval at ``level`` (Welch–Satterthwaite degrees of freedom)."""
    from signalboost.analytics.compare import welch_interval

    out: dict[str, object] = {"n_match": int(a.size), "n_test": int(a.size + b.size)}
    w = welch_interval(a, b, confidence=level)
    if w is None:
        return out | {"gain": None, "low": None, "high": None}
    return out | {"gain": w[0], "low": w[1], "high": w[2]}


def choose_slot_model(
    frame: pl.DataFrame,
    platform: str,
    *,
    metric: str,
    tz: str,
    hour_block: int = 1,
    min_posts: int = 3,
    top_slots: int = 5,
    min_matched: int = 5,
) -> SlotChoice:
    """The :class:`SlotChoice` for one network's posts (module doc); the default model, not backed, when the
    history is too short or no candidate advised ``min_matched`` held-out posts."""
    table, n = backtest_candidates(
        frame, metric=metric, tz=tz, hour_block=hour_block, min_posts=min_posts, top_slots=top_slots
    )
    usable = (
        table.filter(
            (pl.col("rule") == "candidate") & (pl.col("n_match") >= min_matched) & pl.col("gain").is_not_null()
        )
        if table.height
        else table
    )
    if usable.height == 0:
        n_test = int(table["n_test"].max()) if table.height else 0  # type: ignore[arg-type]
        return SlotChoice(platform, *DEFAULT, False, None, None, None, 0, n_test, n, table)
    best = usable.sort(["gain", "n_match"], descending=[True, True], maintain_order=True).row(0, named=True)
    return SlotChoice(
        platform,
        str(best["grain"]),
        str(best["scale"]),
        float(best["low"]) > 0,
        float(best["gain"]),
        float(best["low"]),
        float(best["high"]),
        int(best["n_match"]),
        int(best["n_test"]),
        n,
        table,
    )
