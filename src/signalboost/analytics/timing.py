"""When to post: engagement by weekday × hour in the brand's time zone, shrunk toward the network's overall rate.

Model (normal–normal empirical Bayes, Efron & Morris 1975 "Data analysis using Stein's estimator and its
generalizations", JASA 70:311; Gelman et al., *Bayesian Data Analysis* 3rd ed., §5.4):

    y_ij ~ N(θ_s, σ²)  for post j in slot s;     θ_s ~ N(μ, τ²)

- μ is the network's overall mean of the metric (all its posts),
- σ² is the pooled within-slot variance  Σ_s Σ_j (y_sj − ȳ_s)² / (N − S)  over slots with posts,
- τ² is the one-way random-effects ANOVA (method-of-moments) estimate
  ``τ² = max(0, (MSB − MSW) / n₀)`` with ``MSB = Σ n_s (ȳ_s − ȳ)² / (S − 1)``, ``MSW = σ²`` and
  ``n₀ = (N − Σ n_s² / N) / (S − 1)`` (Searle, Casella & McCulloch, *Variance Components*, 1992, §3.5).

A slot's posterior mean is ``μ + B_s (ȳ_s − μ)`` with ``B_s = τ² / (τ² + σ²/n_s)`` and its posterior variance
``B_s σ² / n_s + (1 − B_s)² Var(μ̂)``, where ``Var(μ̂) = (τ² Σ n_s² + σ² N) / N²`` is the variance of the
grand mean under the model (Morris 1983, "Parametric empirical Bayes inference", JASA 78:47, eq. 4.1, which adds
this term so that a slot shrunk all the way to μ does not get a zero-width interval). The interval is mean ± z·sd.
So a slot with three lucky posts is pulled most of the way back to μ, while a slot with forty posts keeps nearly
its own mean. The uncertainty in σ² and τ² is still ignored (plug-in), so intervals are slightly too narrow with
few slots. When τ² = 0 no slot stands out from the network's mean: every slot is expected at μ.

Robust to a few viral posts: the model is fitted to the metric **winsorised** at the network's 5th and 95th
percentiles (Tukey 1962; Wilcox, *Introduction to Robust Estimation*, 2012, §3.3), so three viral posts count as
three good posts, not as a slot effect; ``top3_share`` says how much of a slot's raw gain over the network mean
comes from its three best posts. A slot is recommended only when its interval lies above the network mean (an
interval that includes the mean is "not distinguishable"); exploration slots are drawn only from hours with
demonstrated activity (:func:`active_hours`: the hours when the network's imported interactions show the audience
active, else 07:00–22:59 local, plus any hour where the account already has ``min_posts`` posts). Posts whose
time is unknown (``date_only``, or a network whose posts are all at 00:00:00) give no hour advice.

Which grain and outcome scale a network's model uses is chosen per account by a temporal backtest on its own
history (:mod:`signalboost.analytics.slot_choice`), and its slots are advised only when that backtest shows a gain
over keeping the current hours.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import polars as pl

from signalboost.analytics.metrics import as_utc
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_, N_

WEEKDAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOT_ENOUGH = "not enough data"
#: winsorising percentiles of the slot model's outcome (per network)
WINSOR: tuple[float, float] = (0.05, 0.95)
#: local hours where exploring needs no evidence of activity (the audience's daytime)
DAYTIME: range = range(7, 23)
#: the grains of the slot model (how posts are grouped into slots), in plain words
GRAINS: dict[str, str] = {
    "weekday_hour": N_("weekday × hour"),
    "hour": N_("hour of day (any weekday)"),
    "block3": N_("3-hour blocks of the day"),
    "weekday_hour_shrunk": N_("weekday × hour, shrunk toward its hour of day"),
}
#: the outcome scales the slot model can be fitted on, in plain words
SCALES: dict[str, str] = {
    "raw": N_("the figure itself, capped at its 5th/95th percentiles"),
    "log": N_("the logarithm of the figure"),
    "rank": N_("the figure's rank (percentile) among the posts"),
}


def time_unknown(frame: pl.DataFrame) -> pl.Expr:
    """True for posts whose time of day is unknown: ``date_only`` (set by the importers), or every post of the
    network at exactly 00:00:00 (an export with dates only, e.g. YouTube publish dates imported before the flag)."""
    flag = pl.col("date_only").fill_null(False) if "date_only" in frame.columns else pl.lit(False)
    t = pl.col("created_at")
    midnight = (t.dt.hour() == 0) & (t.dt.minute() == 0) & (t.dt.second() == 0)
    return flag | (midnight.all().over("platform") & (pl.len().over("platform") > 1))


def date_only_notes(frame: pl.DataFrame) -> list[str]:
    """A note per network whose posts carry dates only: no hour advice there."""
    if frame.height == 0 or "created_at" not in frame.columns:
        return []
    flags = frame.filter(pl.col("created_at").is_not_null()).with_columns(time_unknown(frame).alias("_u"))
    per = flags.group_by("platform").agg(pl.col("_u").sum().alias("u"), pl.len().alias("n")).sort("platform")
    out = []
    for platform, u, n in per.iter_rows():
        if u == n:
            out.append(
                f"{platform}: the export gives dates only (no time of day), so there is no hour advice — "
                "day-of-week figures only"
            )
        elif u:
            out.append(f"{platform}: {u} of {n} posts have a date but no time; they are left out of the hours")
    return out


def winsorise(values: np.ndarray, limits: tuple[float, float] = WINSOR) -> np.ndarray:
    """``values`` clipped to their ``limits`` quantiles (linear interpolation)."""
    x = np.asarray(values, dtype=float)
    if x.size < 3:
        return x
    lo, hi = np.quantile(x, limits)
    out: np.ndarray = np.clip(x, lo, hi)
    return out


#: the fewest interactions of a network that can show when its audience is active
MIN_AUDIENCE = 100


def audience_active_hours(hours: pl.DataFrame | None, platform: str, tz: str) -> set[int] | None:
    """Local hours when the network's audience is demonstrably active, from interactions per UTC hour
    (``platform, hour_utc, n``, :func:`signalboost.store.analytics_sql.audience_hours`): the hours holding at least
    half an even share (``n_h ≥ ½ · N / 24``) of at least :data:`MIN_AUDIENCE` interactions. ``None`` when the
    workspace has too few interactions on that network to tell (then :data:`DAYTIME` stands in)."""
    if hours is None or hours.height == 0 or "hour_utc" not in hours.columns:
        return None
    mine = hours.filter(pl.col("platform") == platform)
    total = int(mine["n"].sum()) if mine.height else 0
    if total < MIN_AUDIENCE:
        return None
    local = mine.with_columns(
        as_utc(pl.col("hour_utc"), mine.schema["hour_utc"]).dt.convert_time_zone(tz).dt.hour().alias("h")
    )
    per = local.group_by("h").agg(pl.col("n").sum())
    return {int(h) for h, n in per.iter_rows() if n >= 0.5 * total / 24}


def active_hours(slots: pl.DataFrame, min_posts: int) -> set[int]:
    """Local hours where exploring is sensible: the hours when the network's audience is demonstrably active
    (column ``audience_active``, from :func:`audience_active_hours`) where the workspace's interactions show it,
    else :data:`DAYTIME`; plus hours where the account already has ``min_posts`` posts. Never 00–06 without such
    evidence."""
    per_hour = slots.group_by("slot_hour").agg(pl.col("n_posts").sum())
    shown = {int(h) for h, n in per_hour.iter_rows() if n >= min_posts}
    if "audience_active" in slots.columns and slots["audience_active"].is_not_null().any():
        audience = {int(h) for h in slots.filter(pl.col("audience_active"))["slot_hour"].to_list()}
        return audience | shown
    return set(DAYTIME) | shown


@dataclass(frozen=True)
class Hyper:
    """Hyper-parameters of the shrinkage: prior mean μ, within-slot variance σ², between-slot variance τ²."""

    mu: float
    sigma2: float
    tau2: float
    n_posts: int
    n_slots: int
    mu_var: float = 0.0  # Var(μ̂) = (τ² Σ n_s² + σ² N) / N², the grand mean's own uncertainty


def with_local_time(frame: pl.DataFrame, tz: str, *, hour_block: int = 1) -> pl.DataFrame:
    """Add ``local_time, local_date, weekday (0 = Monday), hour, slot_hour`` in zone ``tz``.

    ``slot_hour`` is the hour rounded down to a block of ``hour_block`` hours (1 = plain hours; 3 = 0, 3, 6, …).
    Posts without ``created_at`` get ``None`` and are left out of timing analyses.
    """
    if not 1 <= hour_block <= 24 or 24 % hour_block:
        raise AnalyticsError(
            L_("hour block {hour_block} must divide 24", hour_block=hour_block),
            where="--hour-block",
            hint=L_("Use 1, 2, 3, 4, 6, 8, 12 or 24"),
        )
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise AnalyticsError(
            L_("unknown time zone {tz!r}", tz=tz),
            where="strategy.yaml brand.timezone",
            hint=L_("Use an IANA zone such as Europe/Madrid"),
        ) from None
    local = as_utc(pl.col("created_at"), frame.schema["created_at"]).dt.convert_time_zone(tz)
    frame = frame.with_columns(local.alias("local_time"))
    return frame.with_columns(
        pl.col("local_time").dt.date().alias("local_date"),
        (pl.col("local_time").dt.weekday() - 1).cast(pl.Int8).alias("weekday"),
        pl.col("local_time").dt.hour().cast(pl.Int8).alias("hour"),
        ((pl.col("local_time").dt.hour() // hour_block) * hour_block).cast(pl.Int8).alias("slot_hour"),
    )


def estimate_hyper(values: np.ndarray, slots: np.ndarray) -> Hyper:
    """μ, σ², τ² of the normal–normal model from per-post ``values`` and their slot labels (see module doc)."""
    y = np.asarray(values, dtype=float)
    g = np.asarray(slots)
    if y.size == 0:
        raise AnalyticsError(L_("no posts with the metric to estimate the slot model from"))
    labels, inverse = np.unique(g, return_inverse=True)
    n_s = np.bincount(inverse).astype(float)
    sums = np.bincount(inverse, weights=y)
    means = sums / n_s
    n, s = float(y.size), len(labels)
    mu = float(y.mean())
    ss_within = float(((y - means[inverse]) ** 2).sum())
    sigma2 = ss_within / (n - s) if n > s else float(y.var(ddof=1)) if y.size > 1 else 0.0
    sum_sq = float((n_s**2).sum())
    if s < 2:
        return Hyper(mu, sigma2, 0.0, int(n), s, sigma2 / n)
    msb = float((n_s * (means - mu) ** 2).sum()) / (s - 1)
    n0 = (n - sum_sq / n) / (s - 1)
    tau2 = max(0.0, (msb - sigma2) / n0) if n0 > 0 else 0.0
    return Hyper(mu, sigma2, tau2, int(n), s, (tau2 * sum_sq + sigma2 * n) / n**2)


def shrink(mean: float | None, n: int, hyper: Hyper, *, z: float = 1.96) -> tuple[float, float, float, float]:
    """Posterior ``(mean, low, high, B)`` of one slot with sample ``mean`` over ``n`` posts (module doc)."""
    if n == 0 or mean is None:
        sd = math.sqrt(hyper.tau2 + hyper.mu_var)
        return hyper.mu, hyper.mu - z * sd, hyper.mu + z * sd, 0.0
    if hyper.tau2 <= 0:
        weight = 0.0
        var = hyper.mu_var
    elif hyper.sigma2 <= 0:
        weight, var = 1.0, 0.0
    else:
        weight = hyper.tau2 / (hyper.tau2 + hyper.sigma2 / n)
        var = weight * hyper.sigma2 / n + (1 - weight) ** 2 * hyper.mu_var
    post = hyper.mu + weight * (mean - hyper.mu)
    sd = math.sqrt(var)
    return post, post - z * sd, post + z * sd, weight


def slot_table(
    frame: pl.DataFrame,
    *,
    metric: str = "er_reach",
    tz: str = "UTC",
    hour_block: int = 1,
    min_posts: int = 3,
    z: float = 1.96,
    all_slots: bool = True,
    robust: bool = True,
    grain: str = "weekday_hour",
    scale: str = "raw",
) -> pl.DataFrame:
    """Engagement by weekday × hour per network, raw and shrunk (fitted to the winsorised metric unless
    ``robust=False``, the plain model of the module docstring).

    ``grain`` (:data:`GRAINS`) groups the posts into the model's slots: weekday × hour (the default), hour of day,
    3-hour blocks, or weekday × hour shrunk toward its hour of day (two levels: the hour's estimate is the prior of
    its weekday cells). ``scale`` (:data:`SCALES`) is the outcome the model is fitted on: the winsorised figure,
    ``log(1 + x)``, or the mid-rank percentile among the network's posts. Estimates and intervals are mapped back
    to the metric's own scale (``exp(·) − 1``; the empirical quantile for ranks), a monotone map, so a slot's
    interval lies above the network's typical value on one scale exactly when it does on the other. Every
    weekday × hour cell is still one row; ``cell_group`` is the model slot it belongs to and ``group_posts`` that
    slot's posts (``status`` counts those).

    ``frame`` is :func:`signalboost.analytics.metrics.post_engagement` output (or any frame with ``platform,
    created_at`` and ``metric``). Columns: ``platform, weekday, weekday_name, slot_hour, n_posts, raw_mean,
    expected, ci_low, ci_high, shrink_weight, status, prior_mean, metric``. ``status`` is ``ok`` or
    ``not enough data`` (fewer than ``min_posts`` posts with the metric). With ``all_slots`` every one of the
    7 × 24/hour_block slots is listed, empty ones at the prior.
    """
    if metric not in frame.columns:
        raise AnalyticsError(L_("metric {metric!r} is not a column of the frame", metric=metric), where="slot_table")
    if grain not in GRAINS or scale not in SCALES:
        raise AnalyticsError(
            L_("unknown slot model {grain!r} on {scale!r}", grain=grain, scale=scale),
            where="slot_table",
            hint=L_(
                "grain: one of {grains}; scale: one of {scales}", grains=", ".join(GRAINS), scales=", ".join(SCALES)
            ),
        )
    known = frame.filter(pl.col("created_at").is_not_null())
    known = known.filter(~time_unknown(known)) if known.height else known
    local = with_local_time(known, tz, hour_block=hour_block)
    local = local.filter(
        pl.col("local_time").is_not_null() & pl.col(metric).is_not_null() & pl.col(metric).is_not_nan()
    )
    out: list[pl.DataFrame] = []
    for (platform,), group in local.group_by(["platform"], maintain_order=True):
        one = _slot_table_one(group, str(platform), metric, hour_block, min_posts, z, all_slots, robust, grain, scale)
        out.append(one)
    if not out:
        return _empty_slots()
    return pl.concat(out).sort("platform", "weekday", "slot_hour")


def _slot_table_one(
    group: pl.DataFrame,
    platform: str,
    metric: str,
    hour_block: int,
    min_posts: int,
    z: float,
    all_slots: bool,
    robust: bool = True,
    grain: str = "weekday_hour",
    scale: str = "raw",
) -> pl.DataFrame:
    raw_y = group[metric].cast(pl.Float64).to_numpy()
    forward, back = fit_scale(raw_y, scale if robust else "plain")
    y = forward(raw_y)
    weekday = group["weekday"].cast(pl.Int64).to_numpy()
    hour = group["slot_hour"].cast(pl.Int64).to_numpy()
    model = fit_slot_model(y, weekday, hour, grain, z=z)
    raw_mu = float(raw_y.mean())
    group = group.with_columns((pl.col(metric).cast(pl.Float64) - raw_mu).alias("_gain"))
    stats = group.group_by("weekday", "slot_hour").agg(
        pl.len().alias("n_posts"),
        pl.col(metric).cast(pl.Float64).mean().alias("raw_mean"),
        pl.col("_gain").sum().alias("gain"),
        pl.col("_gain").sort(descending=True).head(3).sum().alias("top3"),
    )
    found = {(int(r["weekday"]), int(r["slot_hour"])): r for r in stats.iter_rows(named=True)}
    cells = [(d, h) for d in range(7) for h in range(0, 24, hour_block)] if all_slots else sorted(found)
    prior = float(back(np.array([model.mu]))[0])
    rows = []
    for day, hour_ in cells:
        r = found.get((day, hour_))
        key = int(slot_key(np.array([day]), np.array([hour_]), grain)[0])
        n_group, post, lo, hi, weight = model.cells.get(key, model.empty)
        est = back(np.array([post, lo, hi]))
        top3 = float(r["top3"]) / float(r["gain"]) if r and float(r["gain"]) > 0 else None
        rows.append(
            {
                "platform": platform,
                "weekday": day,
                "weekday_name": WEEKDAY_NAMES[day],
                "slot_hour": hour_,
                "n_posts": int(r["n_posts"]) if r else 0,
                "raw_mean": float(r["raw_mean"]) if r else None,
                "expected": float(est[0]),
                "ci_low": float(est[1]),
                "ci_high": float(est[2]),
                "shrink_weight": weight,
                "top3_share": None if top3 is None else min(1.0, max(0.0, top3)),
                "distinguishable": n_group > 0 and (lo > model.mu or hi < model.mu),
                "status": "ok" if n_group >= min_posts else NOT_ENOUGH,
                "prior_mean": prior,
                "metric": metric,
                "cell_group": key,
                "group_posts": n_group,
                "grain": grain,
                "scale": scale if robust else "plain",
            }
        )
    return pl.DataFrame(rows, schema=_SLOT_SCHEMA)


def slot_key(weekday: np.ndarray, hour: np.ndarray, grain: str) -> np.ndarray:
    """The model slot of each post: ``weekday·100 + hour`` (weekday × hour grains), the hour, or its 3-hour block."""
    if grain == "hour":
        return np.asarray(hour, dtype=np.int64)
    if grain == "block3":
        return (np.asarray(hour, dtype=np.int64) // 3) * 3
    return np.asarray(weekday, dtype=np.int64) * 100 + np.asarray(hour, dtype=np.int64)


def fit_scale(
    y: np.ndarray, scale: str
) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """``(forward, back)`` of an outcome scale fitted on ``y`` (:data:`SCALES`; ``plain`` = no change).

    ``raw``: winsorised at ``y``'s 5th/95th percentiles, back = identity. ``log``: ``log(1 + max(x, 0))`` when no
    value is negative (else the raw scale), back = ``exp(·) − 1``. ``rank``: the mid-rank of ``x`` among ``y``
    divided by ``n`` (ties share their average rank), back = the empirical quantile of ``y``."""
    y = np.asarray(y, dtype=float)

    def same(x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=float)

    if scale == "plain" or y.size < 3:
        return same, same
    if scale == "log" and float(y.min()) >= 0:
        return (lambda x: np.log1p(np.maximum(np.asarray(x, dtype=float), 0.0))), (
            lambda v: np.expm1(np.asarray(v, dtype=float))
        )
    if scale == "rank":
        ordered = np.sort(y)

        def to_rank(x: np.ndarray) -> np.ndarray:
            x = np.asarray(x, dtype=float)
            below = np.searchsorted(ordered, x, side="left")
            upto = np.searchsorted(ordered, x, side="right")
            out: np.ndarray = (below + upto) / (2.0 * ordered.size)
            return out

        def from_rank(v: np.ndarray) -> np.ndarray:
            out: np.ndarray = np.quantile(ordered, np.clip(np.asarray(v, dtype=float), 0.0, 1.0))
            return out

        return to_rank, from_rank
    lo, hi = np.quantile(y, WINSOR)
    return (lambda x: np.clip(np.asarray(x, dtype=float), lo, hi)), same


@dataclass(frozen=True)
class SlotModel:
    """A fitted slot model: overall mean ``mu`` and per model slot ``(n, posterior mean, low, high, weight)``."""

    mu: float
    cells: dict[int, tuple[int, float, float, float, float]]
    empty: tuple[int, float, float, float, float]


def _one_level(
    y: np.ndarray, keys: np.ndarray, z: float
) -> tuple[Hyper, dict[int, tuple[int, float, float, float, float]]]:
    hyper = estimate_hyper(y, keys)
    cells = {}
    for key in np.unique(keys):
        sel = y[keys == key]
        post, lo, hi, weight = shrink(float(sel.mean()), int(sel.size), hyper, z=z)
        cells[int(key)] = (int(sel.size), post, lo, hi, weight)
    return hyper, cells


def fit_slot_model(y: np.ndarray, weekday: np.ndarray, hour: np.ndarray, grain: str, *, z: float = 1.96) -> SlotModel:
    """The shrunk slot estimates of :func:`slot_table` on outcome ``y`` (already on its scale).

    One level (module doc) for ``weekday_hour``, ``hour`` and ``block3``. ``weekday_hour_shrunk``: the hour of
    day's posterior ``θ_h`` first, then the weekday × hour cells' residuals ``y − θ_h`` shrunk toward 0 by the same
    model, so a cell is ``θ_h + B_c (r̄_c − r̄)``; its variance is the sum of both levels' (their covariance
    ignored)."""
    y = np.asarray(y, dtype=float)
    if grain != "weekday_hour_shrunk":
        hyper, cells = _one_level(y, slot_key(weekday, hour, grain), z)
        lo_hi = z * math.sqrt(hyper.tau2 + hyper.mu_var)
        return SlotModel(hyper.mu, cells, (0, hyper.mu, hyper.mu - lo_hi, hyper.mu + lo_hi, 0.0))
    h_hyper, h_cells = _one_level(y, np.asarray(hour, dtype=np.int64), z)
    theta = np.array([h_cells[int(h)][1] for h in hour])
    keys = slot_key(weekday, hour, "weekday_hour")
    r_hyper, r_cells = _one_level(y - theta, keys, z)
    cells = {}
    for key, (n, r_post, r_lo, r_hi, r_w) in r_cells.items():
        _, h_post, h_lo, h_hi, h_w = h_cells[key % 100]
        sd = math.hypot((h_hi - h_lo) / (2 * z), (r_hi - r_lo) / (2 * z))
        post = h_post + r_post - r_hyper.mu
        cells[key] = (n, post, post - z * sd, post + z * sd, 1 - (1 - h_w) * (1 - r_w))
    for h, (_, h_post, h_lo, h_hi, h_w) in h_cells.items():  # an empty cell of a known hour: the hour's estimate
        for day in range(7):
            cells.setdefault(day * 100 + h, (0, h_post, h_lo, h_hi, h_w))
    lo_hi = z * math.sqrt(h_hyper.tau2 + h_hyper.mu_var)
    return SlotModel(h_hyper.mu, cells, (0, h_hyper.mu, h_hyper.mu - lo_hi, h_hyper.mu + lo_hi, 0.0))


_SLOT_SCHEMA = {
    "platform": pl.String,
    "weekday": pl.Int64,
    "weekday_name": pl.String,
    "slot_hour": pl.Int64,
    "n_posts": pl.Int64,
    "raw_mean": pl.Float64,
    "expected": pl.Float64,
    "ci_low": pl.Float64,
    "ci_high": pl.Float64,
    "shrink_weight": pl.Float64,
    "top3_share": pl.Float64,
    "distinguishable": pl.Boolean,
    "status": pl.String,
    "prior_mean": pl.Float64,
    "metric": pl.String,
    "cell_group": pl.Int64,
    "group_posts": pl.Int64,
    "grain": pl.String,
    "scale": pl.String,
}


def _empty_slots() -> pl.DataFrame:
    return pl.DataFrame(schema=_SLOT_SCHEMA)


def is_flat(slots: pl.DataFrame) -> bool:
    """True when the network's slots with posts all have shrink weight 0 (τ² = 0: no slot differs from μ)."""
    used = slots.filter(pl.col("n_posts") > 0)
    return used.height > 0 and float(used["shrink_weight"].max()) == 0.0  # type: ignore[arg-type]


def recommend_slots(
    slots: pl.DataFrame,
    *,
    k: int = 5,
    explore: int = 2,
    seed: int = 0,
    min_posts: int = 3,
    distinguishable: bool = True,
) -> pl.DataFrame:
    """The best ``k`` slots per network by shrunk expectation, plus ``explore`` exploration slots.

    ``distinguishable=False`` is the former rule (the best ``ok`` slots whatever their interval), kept for the
    backtest that compares both.

    A slot is recommended only when its status is ``ok`` and its interval lies above the network mean
    (``ci_low > prior_mean``), and, where the table has a ``backed`` column (:mod:`.slot_choice`), only when the
    account's backtest showed its advice beats the current hours; exploration slots only in :func:`active_hours`.

    Only slots with status ``ok`` can be recommended, and none on a network where no slot stands out from the mean
    (:func:`is_flat`: τ² = 0, every slot shrunk all the way, so the order would only be that of sample sizes).
    Exploration slots are drawn from the slots marked
    ``not enough data`` whose interval's upper bound reaches the weakest recommended slot's expectation (they
    might be as good, we just do not know), highest upper bound first, ties broken by a seeded shuffle — so the
    schedule keeps learning. Columns: the slot columns plus ``kind`` (``recommended``/``explore``), ``rank`` and
    ``reason``.
    """
    rng = np.random.default_rng(seed)
    out: list[pl.DataFrame] = []
    if "top3_share" not in slots.columns:  # a slot table from elsewhere (or older code): no top-3 figure
        slots = slots.with_columns(pl.lit(None, pl.Float64).alias("top3_share"))
    for (_platform,), group in slots.group_by(["platform"], maintain_order=True):
        above = (pl.col("ci_low") > pl.col("prior_mean")) if distinguishable else pl.lit(True)
        if distinguishable and "backed" in group.columns:  # the account's backtest could not tell: no advice
            above = above & pl.col("backed").fill_null(False)
        ok = group.filter((pl.col("status") == "ok") & above)
        ok = ok.sort(["expected", "n_posts"], descending=[True, True]).head(k)
        if is_flat(group):  # τ² = 0: every slot is expected at μ, so ranking them would only rank the sample sizes
            ok = ok.head(0)
        ok = ok.with_columns(
            pl.lit("recommended").alias("kind"),
            pl.format(
                "expected {} ({} posts; shrunk {}% toward the network mean{})",
                pl.col("expected").round(4),
                pl.col("n_posts"),
                (100 * (1 - pl.col("shrink_weight"))).round(0),
                pl.when(pl.col("top3_share").is_not_null())
                .then(pl.format("; {}% of its gain from its top 3 posts", (100 * pl.col("top3_share")).round(0)))
                .otherwise(pl.lit("")),
            ).alias("reason"),
        )
        floor = float(ok["expected"].to_numpy().min()) if ok.height else float(group["prior_mean"].to_numpy()[0])
        awake = sorted(active_hours(group, min_posts))
        cand = group.filter(
            (pl.col("status") != "ok") & (pl.col("ci_high") >= floor) & pl.col("slot_hour").is_in(awake)
        )
        cand = cand.with_columns(pl.Series("_tie", rng.random(cand.height)))
        picked = cand.sort(["ci_high", "_tie"], descending=[True, True]).head(explore).drop("_tie")
        picked = picked.with_columns(
            pl.lit("explore").alias("kind"),
            pl.format(
                "exploration: only {} post(s) so far; could reach {}", pl.col("n_posts"), pl.col("ci_high").round(4)
            ).alias("reason"),
        )
        both = pl.concat([ok, picked])
        out.append(both.with_columns(pl.int_range(1, both.height + 1).alias("rank")))
    if not out:
        return _empty_slots().with_columns(
            pl.lit(None, pl.String).alias("kind"),
            pl.lit(None, pl.String).alias("reason"),
            pl.lit(None, pl.Int64).alias("rank"),
        )
    return pl.concat(out)
