"""Calibrate the influence score's weights on the workspace's own history.

Two temporal cuts, ``validation < reported`` (default: at 60 % and 80 % of the dated history's span):

1. **Fit** on the validation cut: components from the history before it, target = attention received between the
   two cuts (:mod:`signalboost.influence.backtest`). The weights are non-negative and sum to 1 over the components
   the data has; they maximise ``objective = ½ (NDCG@100 + Spearman over the receiving accounts)``. Search: a grid
   on the simplex (step 0.05 for up to three components, coarser for more) and then pattern moves of weight between
   two components at halving steps (Hooke & Jeeves 1961) until no move helps. The current weights are a candidate,
   so the fit is never worse than them on the validation cut.
2. **Report** on the later cut (history before it, attention after it — never seen by the fit): the calibrated
   and the current weights against every baseline, with paired bootstrap intervals of the lift.

It refuses — :class:`CalibrationRefused`, with the reason — when the history is too short or too thin to tell: fewer
than :data:`MIN_DAYS` days, fewer than :data:`MIN_INTERACTIONS` interactions before the validation cut, or fewer than
:data:`MIN_RECEIVING` accounts receiving attention after either cut.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from signalboost.errors import InfluenceError
from signalboost.i18n import L_
from signalboost.influence.backtest import (
    CALIBRATED,
    SCORE,
    Cut,
    evaluate,
    make_cut,
    metrics,
    predictions,
    score_of,
    time_cuts,
)
from signalboost.model.strategy import InfluenceSettings

MIN_DAYS = 2.0
MIN_INTERACTIONS = 1000
MIN_RECEIVING = 50
FRACTIONS = (0.6, 0.8)


class CalibrationRefused(InfluenceError):
    """The history cannot tell which weights are better (too short, too thin)."""


#: :meth:`Calibration.verdict` when the fitted weights beat the current ones on the later cut
CALIBRATION_WINS = "better"


@dataclass
class Calibration:
    """The outcome of :func:`calibrate`: fitted and current weights (over the available components, summing to
    1), the validation objective of each, and the report at the later cut (:func:`evaluate` rows)."""

    validation_cut: dt.datetime
    reported_cut: dt.datetime
    weights: dict[str, float]
    current: dict[str, float]
    objective: float
    current_objective: float
    report: pl.DataFrame
    accounts: int
    receiving: int
    validation_receiving: int

    def verdict(self) -> str:
        """The calibrated weights against the current ones on the later cut, from the paired lift intervals of the
        current score's row (lift = calibrated − current): ``better`` when both NDCG@100 and Spearman lifts are
        above 0 at their lower bound, ``worse`` when either is below 0 at its upper bound, else ``cannot tell``
        (an interval holds 0: this history does not show the fitted weights rank later attention better)."""
        cur = self.report.filter(pl.col("predictor") == SCORE)
        if cur.height == 0:
            return "cannot tell"
        row = cur.row(0, named=True)
        if min(row["d_ndcg_hi"], row["d_spearman_hi"]) < 0:
            return "worse"
        if min(row["d_ndcg_lo"], row["d_spearman_lo"]) > 0:
            return CALIBRATION_WINS
        return "cannot tell"

    def evidence(self) -> str:
        """One line of evidence for the dated comment written with ``--apply``."""
        row = self.report.filter(pl.col("predictor") == CALIBRATED).row(0, named=True)
        cur = self.report.filter(pl.col("predictor") == SCORE).row(0, named=True)
        return (
            f"fitted on the cut {self.validation_cut:%Y-%m-%d %H:%M}, tested on {self.reported_cut:%Y-%m-%d %H:%M} "
            f"UTC ({self.receiving} accounts receiving): NDCG@100 {row['ndcg']:.3f} (before {cur['ndcg']:.3f}), "
            f"Spearman {row['spearman']:.3f} (before {cur['spearman']:.3f})"
        )


def objective(values: np.ndarray, gains: np.ndarray, k: int = 100) -> float:
    """``½ (NDCG@k + Spearman over the receiving accounts)`` (NaN parts count as 0)."""
    nd, rho = metrics(values, gains, k)
    return 0.5 * (float(np.nan_to_num(nd)) + float(np.nan_to_num(rho)))


def simplex_grid(m: int, steps: int) -> list[tuple[float, ...]]:
    """Every point of the simplex in ``m`` dimensions with coordinates that are multiples of ``1/steps``."""
    out = []
    for bars in itertools.combinations(range(steps + m - 1), m - 1):
        parts = np.diff((-1, *bars, steps + m - 1)) - 1
        out.append(tuple(float(p) / steps for p in parts))
    return out


def _steps(m: int) -> int:
    return {1: 1, 2: 20, 3: 20, 4: 10}.get(m, 6)


def fit_weights(
    cut: Cut, start: Mapping[str, float], *, rule: str = "tail", k: int = 100
) -> tuple[dict[str, float], float]:
    """Non-negative weights over ``cut``'s components (summing to 1) maximising :func:`objective`; ``start`` (the
    current weights) is a candidate, so the result is never worse than it at this cut."""
    names = sorted(cut.pcts)
    if not names:
        raise CalibrationRefused("no component of the score can be computed from this history")

    def value(w: tuple[float, ...]) -> float:
        if sum(w) <= 0:
            return -np.inf
        return objective(score_of(cut, dict(zip(names, w, strict=True)), rule), cut.gains, k)

    total = sum(float(start.get(c, 0.0)) for c in names)
    first = tuple(float(start.get(c, 0.0)) / total for c in names) if total > 0 else (1.0 / len(names),) * len(names)
    best, best_val = first, value(first)
    steps = _steps(len(names))
    for w in simplex_grid(len(names), steps):
        v = value(w)
        if v > best_val + 1e-12:
            best, best_val = w, v
    delta = 1.0 / steps
    while delta >= 1.0 / (8 * steps) and len(names) > 1:
        improved = False
        for i, j in itertools.permutations(range(len(names)), 2):
            moved = min(delta, best[i])
            if moved <= 0:
                continue
            step = list(best)
            step[i] -= moved
            step[j] += moved
            v = value(tuple(step))
            if v > best_val + 1e-12:
                best, best_val, improved = tuple(step), v, True
        if not improved:
            delta /= 2
    return {c: round(w, 4) for c, w in zip(names, best, strict=True)}, best_val


def calibrate(
    interactions: pl.DataFrame,
    settings: InfluenceSettings | None = None,
    *,
    validation_cut: dt.datetime | None = None,
    reported_cut: dt.datetime | None = None,
    accounts: pl.DataFrame | None = None,
    follows: pl.DataFrame | None = None,
    posts: pl.DataFrame | None = None,
    replicates: int = 200,
    k: int = 100,
) -> Calibration:
    """Fit the weights on the validation cut, report them on the later cut (see the module docstring)."""
    settings = settings or InfluenceSettings()
    dated = interactions.filter(pl.col("occurred_at").is_not_null())
    if dated.height == 0 and (measured := _posts_with_metrics(posts)):
        raise CalibrationRefused(
            f"no dated interactions: the history holds {measured:,} dated posts with likes, comments or shares but "
            "no reposts, quotes, replies or mentions, and calibration backtests the attention accounts receive "
            "from others; calibration on post metrics is not built in (on such data, influencer posts with "
            "follower counts, the fitted weights equalled the default to the third decimal: docs/validation.md, "
            "Instagram influencers)",
            where="interactions",
            hint="Keep the default weights, or import interactions with their dates (mentions, replies, reposts)",
        )
    check_history(dated)
    default_v, default_r = time_cuts(dated, FRACTIONS)
    v_at, r_at = validation_cut or default_v, reported_cut or default_r
    if v_at >= r_at:
        raise InfluenceError(
            L_(
                "the validation cut ({v_at:%Y-%m-%d %H:%M}) must come before the reported cut ({r_at:%Y-%m-%d %H:%M})",
                v_at=v_at,
                r_at=r_at,
            ),
            where="--validation-cut / --cut",
            hint=L_("Pick an earlier validation cut"),
        )
    val = make_cut(dated, v_at, until=r_at, settings=settings, accounts=accounts, follows=follows, posts=posts)
    _check_cut(val, "validation", v_at)
    rep = make_cut(dated, r_at, settings=settings, accounts=accounts, follows=follows, posts=posts)
    _check_cut(rep, "reported", r_at)
    current = {c: float(settings.weights.model_dump()[c]) for c in val.pcts}
    total = sum(current.values())
    current = {c: (w / total if total > 0 else 0.0) for c, w in current.items()}
    weights, best = fit_weights(val, current, rule=settings.combine, k=k)
    cur_val = objective(score_of(val, current, settings.combine), val.gains, k)
    preds = predictions(rep, current, weights, rule=settings.combine)
    report = evaluate(preds, rep.gains, k=k, replicates=replicates, reference=CALIBRATED)
    return Calibration(
        v_at, r_at, weights, current, best, cur_val, report, int(rep.nodes.len()), rep.receiving, val.receiving
    )


def _posts_with_metrics(posts: pl.DataFrame | None) -> int:
    """How many dated posts carry likes, comments or shares (0 without posts or metrics)."""
    have = [c for c in ("likes", "comments", "shares") if posts is not None and c in posts.columns]
    if posts is None or not have or "created_at" not in posts.columns:
        return 0
    return posts.filter(pl.col("created_at").is_not_null() & pl.any_horizontal(pl.col(have).is_not_null())).height


def check_history(dated: pl.DataFrame) -> None:
    """Refuse a history shorter than :data:`MIN_DAYS` days (:class:`CalibrationRefused`, with the figures)."""
    if dated.height == 0:
        raise CalibrationRefused(
            "no dated interactions: nothing to backtest",
            where="interactions",
            hint="Import interactions with their dates (e.g. an export of mentions and reposts)",
        )
    lo, hi = dated["occurred_at"].min(), dated["occurred_at"].max()
    assert isinstance(lo, dt.datetime) and isinstance(hi, dt.datetime)
    days = (hi - lo).total_seconds() / 86400
    if days < MIN_DAYS:
        raise CalibrationRefused(
            f"the history spans {days:.1f} days, too short to fit on one period and test on a later one "
            f"(at least {MIN_DAYS:g} days)",
            where=f"interactions {lo:%Y-%m-%d %H:%M} – {hi:%Y-%m-%d %H:%M} UTC",
            hint="Import a longer history, then calibrate again",
        )


def thin_reason(cut: Cut, label: str) -> tuple[str, str] | None:
    """Why ``cut`` is too thin to fit (``label`` ``validation``) or report (any other label) weights on —
    ``(reason, hint)`` — or None: fewer than :data:`MIN_INTERACTIONS` interactions before a validation cut, or
    fewer than :data:`MIN_RECEIVING` accounts receiving attention after any cut."""
    if label == "validation" and cut.interactions_before < MIN_INTERACTIONS:
        return (
            f"only {cut.interactions_before} interactions before the {label} cut (at least {MIN_INTERACTIONS})",
            "Import more history, or move the cuts later with --validation-cut/--cut",
        )
    if cut.receiving < MIN_RECEIVING:
        return (
            f"only {cut.receiving} accounts receive attention after the {label} cut (at least {MIN_RECEIVING}): "
            "too thin to tell one weighting from another",
            "Import more history, or move the cut earlier with --validation-cut/--cut",
        )
    return None


def _check_cut(cut: Cut, label: str, at: dt.datetime) -> None:
    thin = thin_reason(cut, label)
    if thin is not None:
        raise CalibrationRefused(thin[0], where=f"{label} cut {at:%Y-%m-%d %H:%M} UTC", hint=thin[1])


def apply_weights(path: Path, calibration: Calibration, *, today: dt.date | None = None) -> Path:
    """Write the calibrated weights into ``influence.weights`` of the strategy file at ``path`` (round trip:
    comments and order kept), with a dated comment of the evidence. Components the history lacked keep their
    weights; the calibrated ones share the weight the available components had, so their relation to the others
    is unchanged. A comment of an earlier calibration is replaced by the new one."""
    import re

    from ruamel.yaml.comments import CommentedMap

    from signalboost.model.io import StrategyDocument

    StrategyDocument.load(path)  # the file's own errors first (empty, YAML syntax: with line:column)
    # the evidence of an earlier calibration is replaced, not stacked above the new one
    text = re.sub(
        rf"(?m)^[ \t]*# calibrated \d{{4}}-\d\d-\d\d by {re.escape(APPLIED_BY)}:.*\n",
        "",
        path.read_text(encoding="utf-8"),
    )
    doc = StrategyDocument.loads(text, source=str(path))
    data = doc.data
    if data.get("influence") is None:
        data["influence"] = CommentedMap()
    infl = data["influence"]
    if infl.get("weights") is None:
        infl["weights"] = CommentedMap()
    old = InfluenceSettings.model_validate(dict(infl) | {"weights": dict(infl["weights"])}).weights.model_dump()
    share = sum(old[c] for c in calibration.weights) or 1.0
    for c, w in calibration.weights.items():
        infl["weights"][c] = round(w * share, 4)
    stamp = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    note = f"calibrated {stamp} by {APPLIED_BY}: {calibration.evidence()}"
    infl.yaml_set_comment_before_after_key("weights", before=note, indent=2)
    doc.strategy()  # still a valid strategy
    return doc.save(path)


APPLIED_BY = "`signalboost influencers calibrate`"
"""Who wrote the dated comment above ``influence.weights`` (an earlier one is replaced by the next)."""
