"""KPIs against their targets, with trend, and tactics against their goals.

A KPI's value is computed over its window ``(end − window_days, end]`` where ``end`` is ``as_of`` (default: the
last post's time on the KPI's network, or on any network for a KPI over all of them); the trend compares it with
the window before, ``(end − 2·window_days, end − window_days]``, computed the same way.

How the window becomes one figure is the KPI's ``aggregation`` (default by metric, see
:func:`signalboost.model.vocab.default_aggregation`):

- ``sum``: the total of the posts that report the metric (no interval of its own: it is what happened; its change
  from the previous window has one, :func:`change_interval`);
- ``mean_per_post``: the mean of per-post values, Student-t interval ``x̄ ± t_{n−1}·s/√n``;
- ``median_per_post``: the median, distribution-free interval ``[x_(r), x_(n−r+1)]`` with the largest ``r`` such
  that ``2·P(B ≤ r−1) ≤ α``, ``B ~ Binomial(n, ½)`` (Conover 1999, §3.2);
- ``rate``: the ratio of totals ``R = Σy/Σx`` (e.g. interactions / reach over posts reporting both), with the ratio
  estimator's standard error ``√(Σ(yᵢ − R·xᵢ)² / (n(n−1))) / x̄`` and a t interval (Cochran 1977, §6.4);
- ``last`` / ``growth``: the last follower snapshot in the window summed over the brand's accounts on the network,
  and ``(last − first) / first`` of that (the change of either has an interval from the steps between
  snapshots, :func:`change_interval`).

The ``posts`` KPI counts the brand's own posts: reposts (``repost_of`` set: X retweets, Mastodon boosts, other
accounts' posts shared) are left out and counted in ``reposts_left_out``, unless the KPI says ``include_reposts``.

The verdict is ``met`` / ``missed`` when the figure (or, for means, medians and rates, its whole interval) is on
one side of the target, ``too early to tell`` when the interval straddles it (or has fewer than 2 posts), and
``not measurable yet`` when there is no figure (the ``status`` says why). A count of interactions that leaves parts
out (``status`` ``ok — partial: shares not in the export``, or ``mixed``) is a lower bound of the full count: it can
show that an ``at_least`` target is met (or an ``at_most`` one missed), never the opposite — that verdict becomes
``cannot tell`` (:func:`under_count_verdict`).

A tactic is judged on the weekly values of the KPIs it serves (or, with none, the metric of its goal): weeks with
the tactic (a post labelled with it, or else an occurrence of its RRULE) against the other weeks, with a Welch
interval for the difference (:func:`signalboost.analytics.compare.welch_interval`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import polars as pl
from scipy import stats

from signalboost.analytics.compare import welch_interval
from signalboost.analytics.metrics import (
    INTERACTION_METRICS,
    as_utc,
    group_bases,
    mean_interval,
    network_definition,
)
from signalboost.model.strategy import Kpi, Tactic
from signalboost.model.vocab import default_aggregation

SUM_METRICS: dict[str, str] = {
    "reach": "reach",
    "impressions": "impressions",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "clicks": "clicks",
    "views": "views",
    "interactions": "interactions",
}
RATE_METRICS: dict[str, str] = {
    "engagement_rate_reach": "er_reach",
    "engagement_rate_impressions": "er_impressions",
    "engagement_rate_followers": "er_followers",
    "click_through_rate": "_ctr",
}
GOAL_METRIC: dict[str, str] = {
    "awareness": "impressions",
    "reach": "reach",
    "engagement": "interactions",
    "traffic": "clicks",
    "conversions": "clicks",
    "community": "comments",
    "loyalty": "interactions",
    "leads": "clicks",
}
# numerator and denominator of each rate, for ``aggregation: rate`` (ratio of the window's totals)
RATE_PARTS: dict[str, tuple[str, str]] = {
    "er_reach": ("interactions", "reach"),
    "er_impressions": ("interactions", "impressions"),
    "er_followers": ("interactions", "followers_at_post"),
    "_ctr": ("clicks", "impressions"),
}
NOT_AVAILABLE = "not computed by the analytics (no data source yet)"
RELATIONSHIP = "a relationship KPI, per influencer: see `signalboost outreach kpis --targets`"


def _prepare(frame: pl.DataFrame) -> pl.DataFrame:
    ctr = (
        pl.when(pl.col("impressions") > 0)
        .then(pl.col("clicks").cast(pl.Float64) / pl.col("impressions"))
        .otherwise(None)
    )
    return frame.with_columns(as_utc(pl.col("created_at"), frame.schema["created_at"]).alias("_t"), ctr.alias("_ctr"))


@dataclass(frozen=True)
class KpiFigure:
    """One KPI figure: ``value`` with its interval (``low``/``high``, ``None`` when the aggregation has none or
    n < 2) over ``n`` posts or snapshots, and ``status`` (``ok`` or why there is no value)."""

    value: float | None
    n: int
    status: str
    low: float | None = None
    high: float | None = None
    #: a ``sum``'s ``Σxᵢ²`` over the summed per-post values: the variance estimate of a total of a random number of
    #: posts (compound Poisson, ``Var(T) = λ·E[X²]``), which :func:`change_interval` tests a change of totals with
    sum_sq: float | None = None
    #: a follower figure's steps: the changes between consecutive snapshots of each account (for ``followers``
    #: those whose later snapshot is in the window, from the previous window on; for ``follower_growth`` those
    #: inside the window), which :func:`change_interval` reads as draws of the day-to-day churn
    steps: tuple[float, ...] | None = None
    #: ``follower_growth``'s denominator: the window's first follower count (summed over the accounts)
    base: float | None = None


def median_interval(values: np.ndarray, *, confidence: float = 0.95) -> tuple[float | None, float | None]:
    """Distribution-free interval of the median: ``[x_(r), x_(n−r+1)]`` (1-based order statistics) with the largest
    ``r`` such that ``2·P(B ≤ r−1) ≤ 1 − confidence``, ``B ~ Binomial(n, ½)``; ``(None, None)`` when no ``r``
    qualifies (fewer than 6 values at 95 %)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    if n < 2:
        return None, None
    r = np.arange(1, n // 2 + 1)
    ok = r[2 * stats.binom.cdf(r - 1, n, 0.5) <= 1 - confidence]
    if ok.size == 0:
        return None, None
    k = int(ok.max())
    return float(x[k - 1]), float(x[n - k])


def ratio_interval(
    y: np.ndarray, x: np.ndarray, *, confidence: float = 0.95
) -> tuple[float | None, float | None, float | None]:
    """``R = Σy/Σx`` and its t interval with the ratio estimator's standard error
    ``√(Σ(yᵢ − R·xᵢ)² / (n(n−1))) / x̄`` (Cochran 1977, Sampling Techniques, §6.4)."""
    y = np.asarray(y, dtype=float)
    x = np.asarray(x, dtype=float)
    if y.size == 0 or x.sum() <= 0:
        return None, None, None
    r = float(y.sum() / x.sum())
    n = y.size
    if n < 2:
        return r, None, None
    se = math.sqrt(float(((y - r * x) ** 2).sum()) / (n * (n - 1))) / float(x.mean())
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * se
    return r, max(0.0, r - half), r + half


def metric_value(
    posts: pl.DataFrame, metric: str, snapshots: pl.DataFrame | None = None, aggregation: str | None = None
) -> KpiFigure:
    """The KPI ``metric`` over the already-windowed ``posts`` by ``aggregation`` (default by metric)."""
    how = aggregation or default_aggregation(metric)
    if metric == "posts":
        return KpiFigure(float(posts.height), posts.height, "ok")
    col = SUM_METRICS.get(metric) or RATE_METRICS.get(metric)
    if col is not None:
        if how == "rate":
            return _rate(posts, col)
        values = posts[col].cast(pl.Float64).drop_nulls().drop_nans().to_numpy()
        if values.size == 0:
            return KpiFigure(None, 0, "not reported")
        if how == "mean_per_post":
            mean, low, high = mean_interval(values)
            return KpiFigure(mean, int(values.size), "ok", None if low is None else max(0.0, low), high)
        if how == "median_per_post":
            low, high = median_interval(values)
            return KpiFigure(float(np.median(values)), int(values.size), "ok", low, high)
        return KpiFigure(float(values.sum()), int(values.size), "ok", sum_sq=float((values**2).sum()))
    if metric in ("followers", "follower_growth"):
        if snapshots is None or snapshots.height == 0:
            return KpiFigure(None, 0, "no follower snapshots")
        snaps = snapshots.filter(pl.col("followers").is_not_null()).sort("observed_at")
        if snaps.height == 0:
            return KpiFigure(None, 0, "no follower snapshots")
        last = snaps.group_by("account_id").agg(pl.col("followers").last(), pl.col("followers").first().alias("f0"))
        total, first = float(last["followers"].sum()), float(last["f0"].sum())
        if metric == "followers":
            return KpiFigure(total, snaps.height, "ok")
        if snaps.height < 2 or first <= 0:
            return KpiFigure(None, snaps.height, "not enough data")
        steps = follower_steps(snaps)
        return KpiFigure((total - first) / first, snaps.height, "ok", steps=steps, base=first)
    if metric.startswith("influencer_"):
        return KpiFigure(None, 0, RELATIONSHIP)
    return KpiFigure(None, 0, NOT_AVAILABLE)


def follower_steps(snaps: pl.DataFrame, *, after: dt.datetime | None = None) -> tuple[float, ...]:
    """The changes between consecutive follower snapshots of each account (``account_id, observed_at,
    followers``), in time order per account, those whose later snapshot is after ``after`` (all when ``None``).
    Each account's first snapshot starts none."""
    known = snaps.filter(pl.col("followers").is_not_null()).sort("observed_at")
    pairs = known.with_columns(pl.col("followers").shift(1).over("account_id").alias("_f0"))
    pairs = pairs.filter(pl.col("_f0").is_not_null())
    if after is not None:
        pairs = pairs.filter(pl.col("observed_at") > after)
    diffs = pairs.select((pl.col("followers").cast(pl.Float64) - pl.col("_f0")).alias("d"))["d"]
    return tuple(float(d) for d in diffs)


def _rate(posts: pl.DataFrame, col: str) -> KpiFigure:
    num, den = RATE_PARTS[col]
    if num not in posts.columns or den not in posts.columns:
        return KpiFigure(None, 0, "not reported")
    both = posts.select(pl.col(num).cast(pl.Float64), pl.col(den).cast(pl.Float64)).drop_nulls()
    both = both.filter(pl.col(den) > 0)
    if both.height == 0:
        return KpiFigure(None, 0, "not reported")
    r, low, high = ratio_interval(both[num].to_numpy(), both[den].to_numpy())
    return KpiFigure(r, both.height, "ok" if r is not None else "not reported", low, high)


#: the markers :func:`_with_basis` puts in a status when the interactions leave parts out (a lower bound)
UNDER_COUNT_MARKERS = (" — partial: ", " — mixed: ")
CANNOT_TELL = "cannot tell"


def under_count_verdict(verdict: str, status: str, direction: str) -> str:
    """``verdict`` of a figure whose interactions leave parts out (``status`` with a marker of
    :data:`UNDER_COUNT_MARKERS`): the full figure is at least the one shown, so ``missed`` for an ``at_least``
    target and ``met`` for an ``at_most`` one cannot be told (:data:`CANNOT_TELL`); the other verdicts stand."""
    if not any(m in status for m in UNDER_COUNT_MARKERS):
        return verdict
    at_least = direction == "at_least"
    if (verdict == "missed" and at_least) or (verdict == "met" and not at_least):
        return CANNOT_TELL
    return verdict


NO_CLEAR_CHANGE = "no clear change"


def _spread(steps: Sequence[float]) -> tuple[int, float]:
    """``m`` and the sample variance ``s²`` (``ddof = 1``) of follower steps."""
    return len(steps), float(np.var(steps, ddof=1))


def change_interval(
    now: KpiFigure, before: KpiFigure, metric: str, aggregation: str, *, confidence: float = 0.95
) -> tuple[float, float] | None:
    """The interval of the change ``now − before`` of a total or a follower figure, or ``None`` when the figures
    do not carry what it needs (then no change can be shown).

    - a ``sum`` of per-post values (interactions, views, reach…): each window's total is a random number of posts
      with random values, a compound Poisson sum whose variance is estimated by ``Σxᵢ²`` (``Var(T) = λ·E[X²]``; Cox &
      Lewis 1966, §2.6): ``(T₁ − T₀) ± z·√(Σx₁ᵢ² + Σx₀ᵢ²)``, ``z`` the normal quantile (1.96 at 95 %);
    - ``followers`` (the last count): the change is the sum of the ``m`` steps between consecutive snapshots whose
      later one is in the window (the first from the previous window's last count); read as draws of the day-to-day
      churn with mean ``μ``, the expected change ``m·μ`` has the t interval ``Σdᵢ ± t_{m−1}·√m·s`` (``s`` the steps'
      standard deviation; Student 1908). Steps that do not add up to the change (an account counted in one window
      only) or fewer than 2 give none;
    - ``follower_growth``: each window's growth is ``Σdᵢ / F₀`` over its inside steps, with variance ``m·s² / F₀²``;
      the difference ``g₁ − g₀`` has ``± t_ν·√(m₁s₁²/F₀₁² + m₀s₀²/F₀₀²)``, ``ν = min(m₁, m₀) − 1`` (Welch's
      conservative degrees of freedom); each window needs 2 steps or more.
    """
    if now.value is None or before.value is None:
        return None
    change = now.value - before.value
    level = 0.5 + confidence / 2
    if metric in ("followers", "follower_growth"):
        if metric == "followers":
            # follower counts are whole numbers: their sums are exact in floating point
            if now.steps is None or len(now.steps) < 2 or sum(now.steps) != change:
                return None
            m, var = _spread(now.steps)
            half = float(stats.t.ppf(level, m - 1)) * math.sqrt(m * var)
        else:
            parts: list[tuple[int, float]] = []  # each window's m and s² / F₀²
            for f in (now, before):
                if f.steps is None or len(f.steps) < 2 or not f.base:
                    return None
                m, var = _spread(f.steps)
                parts.append((m, var / f.base**2))
            total = sum(m * v for m, v in parts)
            half = float(stats.t.ppf(level, min(m for m, _ in parts) - 1)) * math.sqrt(total)
        return change - half, change + half
    if aggregation == "sum":  # the posts count has no Σxᵢ² (metric_value): its binomial test is kpi_trend's
        if now.sum_sq is None or before.sum_sq is None:
            return None
        half = float(stats.norm.ppf(level)) * math.sqrt(now.sum_sq + before.sum_sq)
        return change - half, change + half
    return None


def kpi_trend(now: KpiFigure, before: KpiFigure, metric: str, aggregation: str) -> str:
    """``up`` / ``down`` only when the change from the previous window is more than noise, else
    ``no clear change`` (``flat`` when equal, ``n/a`` without both figures).

    - mean, median or rate (figures with 95 % intervals): the two windows' intervals do not overlap (a conservative
      test: non-overlapping 95 % intervals mean p well below 0.05, about 0.006 for equal standard errors — Schenker &
      Gentleman 2001); a window without an interval
      (under 2 posts) cannot show a change;
    - the ``posts`` count: an exact two-sided binomial test of ``now`` among ``now + before`` posts at p = ½ (equal
      rates in two windows of the same length), significant at 0.05;
    - other totals (``sum`` of interactions, views, reach…) and follower figures: the 95 % interval of the change
      (:func:`change_interval`) must not hold 0; without one no change can be shown. For a total this is
      ``|z| > 1.96`` with ``z = (T₁ − T₀) / √(Σx₁ᵢ² + Σx₀ᵢ²)`` (with every value 1, the normal form of the posts
      count's test).
    """
    if now.value is None or before.value is None:
        return "n/a"
    change = now.value - before.value
    if change == 0:
        return "flat"
    way = "up" if change > 0 else "down"
    if aggregation in ("mean_per_post", "median_per_post", "rate"):
        if None in (now.low, now.high, before.low, before.high):
            return NO_CLEAR_CHANGE
        apart = now.low > before.high or now.high < before.low  # type: ignore[operator]
        return way if apart else NO_CLEAR_CHANGE
    if metric == "posts":
        from scipy.stats import binomtest

        k, n = round(now.value), round(now.value) + round(before.value)
        return way if n and binomtest(k, n, 0.5).pvalue < 0.05 else NO_CLEAR_CHANGE
    bounds = change_interval(now, before, metric, aggregation)
    if bounds is None:
        return NO_CLEAR_CHANGE
    return way if bounds[0] > 0 or bounds[1] < 0 else NO_CLEAR_CHANGE


def kpi_verdict(figure: KpiFigure, target: float, direction: str, aggregation: str) -> str:
    """``met``, ``missed``, ``too early to tell`` or ``not measurable yet`` (module docstring)."""
    if figure.value is None:
        return "not measurable yet"
    at_least = direction == "at_least"
    if aggregation in ("mean_per_post", "median_per_post", "rate"):
        if figure.low is None or figure.high is None:
            return "too early to tell"
        if (figure.low >= target) if at_least else (figure.high <= target):
            return "met"
        if (figure.high < target) if at_least else (figure.low > target):
            return "missed"
        return "too early to tell"
    return "met" if (figure.value >= target if at_least else figure.value <= target) else "missed"


def kpi_status(
    kpis: Sequence[Kpi],
    frame: pl.DataFrame,
    snapshots: pl.DataFrame | None = None,
    *,
    as_of: dt.datetime | None = None,
) -> pl.DataFrame:
    """Each KPI vs its target over its window, with the previous window and the trend.

    ``frame`` is :func:`post_engagement` output. Columns: ``kpi, metric, aggregation, network, window_days,
    window_start, window_end, value, low, high, target, direction, verdict, met, previous, change, change_low,
    change_high, trend, n, status, reposts_left_out`` (``change_low``/``change_high``: the 95 % interval of the
    change of a total or a follower figure, :func:`change_interval`; ``reposts_left_out``: for a ``posts`` KPI of
    the brand's own posts, the reposts in the window it left out; ``None`` for other KPIs and with
    ``include_reposts``). ``verdict`` is ``met``, ``missed``, ``too early to
    tell`` or ``not measurable yet``; ``met`` is ``True``/``False`` for the first two and ``None`` otherwise
    (``status`` says why there is no value).
    """
    data = _prepare(frame)
    rows: list[dict[str, object]] = []
    for kpi in kpis:
        scoped = data.filter(pl.col("platform") == kpi.network) if kpi.network else data
        # each KPI's window ends at the last post on its own network: a Facebook KPI is not judged on the weeks
        # after the last Facebook post just because another network's posts run later
        end = as_of or (scoped["_t"].max() if scoped.height else data["_t"].max() if data.height else None)
        rows.append(_one_kpi(kpi, data, snapshots, end))  # type: ignore[arg-type]
    return pl.DataFrame(rows, schema=_KPI_SCHEMA)


_KPI_SCHEMA = pl.Schema(
    {
        "kpi": pl.String(),
        "metric": pl.String(),
        "aggregation": pl.String(),
        "network": pl.String(),
        "window_days": pl.Int64(),
        "window_start": pl.Datetime("us", "UTC"),
        "window_end": pl.Datetime("us", "UTC"),
        "value": pl.Float64(),
        "low": pl.Float64(),
        "high": pl.Float64(),
        "target": pl.Float64(),
        "direction": pl.String(),
        "verdict": pl.String(),
        "met": pl.Boolean(),
        "previous": pl.Float64(),
        "change": pl.Float64(),
        "change_low": pl.Float64(),
        "change_high": pl.Float64(),
        "trend": pl.String(),
        "n": pl.Int64(),
        "status": pl.String(),
        "reposts_left_out": pl.Int64(),
    }
)


def _window(data: pl.DataFrame, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    return data.filter((pl.col("_t") > start) & (pl.col("_t") <= end))


def is_repost() -> pl.Expr:
    """True for a repost (``repost_of`` set: a retweet, a boost — another account's post shared)."""
    return pl.col("repost_of").is_not_null()


def own_posts_only(frame: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """The brand's own posts of ``frame`` and how many reposts were left out (0 when it has no ``repost_of``)."""
    if "repost_of" not in frame.columns or frame.height == 0:
        return frame, 0
    shared = int(frame.select(is_repost().sum()).item())
    return (frame.filter(~is_repost()), shared) if shared else (frame, 0)


def _one_kpi(
    kpi: Kpi, data: pl.DataFrame, snapshots: pl.DataFrame | None, end: dt.datetime | None
) -> dict[str, object]:
    row: dict[str, object] = {
        "kpi": kpi.id,
        "metric": kpi.metric,
        "aggregation": kpi.how,
        "network": kpi.network or "all",
        "window_days": kpi.window_days,
        "target": kpi.target,
        "direction": kpi.direction,
    }
    if end is None:
        return {**row, "n": 0, "status": "no posts", "verdict": "not measurable yet"}
    end = end if end.tzinfo else end.replace(tzinfo=dt.UTC)
    width = dt.timedelta(days=kpi.window_days)
    scoped = data.filter(pl.col("platform") == kpi.network) if kpi.network else data
    snaps = snapshots
    if snaps is not None and snaps.height:
        snaps = snaps.with_columns(as_utc(pl.col("observed_at"), snaps.schema["observed_at"]).alias("observed_at"))
        authors = scoped["author_id"].drop_nulls().unique().to_list()
        snaps = snaps.filter(pl.col("account_id").is_in(authors))
        if kpi.network:
            snaps = snaps.filter(pl.col("platform") == kpi.network)
    cur = _window(scoped, end - width, end)
    prev = _window(scoped, end - 2 * width, end - width)
    left_out: int | None = None
    if kpi.metric == "posts" and not kpi.include_reposts:  # the brand's own posts; the reposts are counted
        cur, left_out = own_posts_only(cur)
        prev, _prev_left_out = own_posts_only(prev)
    cur_snaps = (
        snaps.filter((pl.col("observed_at") > end - width) & (pl.col("observed_at") <= end))
        if snaps is not None
        else None
    )
    prev_snaps = (
        snaps.filter((pl.col("observed_at") > end - 2 * width) & (pl.col("observed_at") <= end - width))
        if snaps is not None
        else None
    )
    fig = metric_value(cur, kpi.metric, cur_snaps, kpi.how)
    if fig.value is not None:
        steps = fig.steps
        if kpi.metric == "followers" and snaps is not None:  # the steps since the previous window's last count
            steps = follower_steps(snaps.filter(pl.col("observed_at") <= end), after=end - width)
        fig = replace(fig, status=_with_basis(fig.status, kpi.metric, cur), steps=steps)
    if cur.height == 0 and kpi.metric not in ("followers", "follower_growth", "posts"):
        fig = KpiFigure(None, 0, f"no posts{' on ' + kpi.network if kpi.network else ''} in the window")
    before = metric_value(prev, kpi.metric, prev_snaps, kpi.how)
    previous = before.value
    verdict = under_count_verdict(kpi_verdict(fig, kpi.target, kpi.direction, kpi.how), fig.status, kpi.direction)
    met = {"met": True, "missed": False}.get(verdict)
    change = None if fig.value is None or previous is None else fig.value - previous
    trend = kpi_trend(fig, before, kpi.metric, kpi.how)
    bounds = change_interval(fig, before, kpi.metric, kpi.how)
    return {
        **row,
        "window_start": end - width,
        "window_end": end,
        "value": fig.value,
        "low": fig.low,
        "high": fig.high,
        "verdict": verdict,
        "met": met,
        "previous": previous,
        "change": change,
        "change_low": None if bounds is None else bounds[0],
        "change_high": None if bounds is None else bounds[1],
        "trend": trend,
        "n": fig.n,
        "status": fig.status,
        "reposts_left_out": left_out,
    }


def _with_basis(status: str, metric: str, posts: pl.DataFrame) -> str:
    """Append what interactions mean in the window when it is not the full likes + comments + shares.

    E.g. ``ok — partial: replies not in the export`` on X, or ``ok — mixed: facebook …; x …`` for a KPI over all
    networks whose exports report different parts (such a sum adds a partial count to a full one: it is flagged).
    """
    col = SUM_METRICS.get(metric) or RATE_METRICS.get(metric)
    if col not in INTERACTION_METRICS:
        return status
    d = network_definition(str(col), group_bases(posts.filter(pl.col(col).is_not_null())))
    for marker in (" — partial: ", " — mixed: "):
        if marker in d.formula:
            return f"{status}{marker}{d.formula.split(marker, 1)[1]}"
    return status


# ------------------------------------------------------------------------------------------------ tactics


def _period_start(expr: pl.Expr, unit: str) -> pl.Expr:
    return expr.dt.truncate("1w").dt.date() if unit == "week" else expr.dt.date()


def tactic_weeks(
    tactic: Tactic, frame: pl.DataFrame, *, tz: str = "UTC", unit: str = "week"
) -> tuple[set[dt.date], str]:
    """Start dates of the weeks (Mondays; or days with ``unit="day"``) with the tactic, and how they were found.

    ``labelled`` when posts carry ``tactic = <id>``, else ``rrule`` (the tactic's occurrences over the data's span).
    """
    data = _prepare(frame).with_columns(pl.col("_t").dt.convert_time_zone(tz).alias("_local"))
    if "tactic" in data.columns:
        tagged = data.filter(pl.col("tactic") == tactic.id)
        if tagged.height:
            return set(tagged.select(_period_start(pl.col("_local"), unit))["_local"].to_list()), "labelled"
    data = data.filter(pl.col("_local").is_not_null())  # an undated post has no week
    if data.height == 0:
        return set(), "rrule"
    from dateutil.rrule import rrulestr

    body = tactic.rrule[6:] if tactic.rrule.upper().startswith("RRULE:") else tactic.rrule
    first = data["_local"].min()
    last = data["_local"].max()
    start = dt.datetime.combine(first.date(), dt.time(0))  # type: ignore[union-attr]
    stop = dt.datetime.combine(last.date(), dt.time(23, 59))  # type: ignore[union-attr]
    days = [d.date() for d in rrulestr(body, dtstart=start).between(start, stop, inc=True)]
    if unit == "day":
        return set(days), "rrule"
    return {d - dt.timedelta(days=d.weekday()) for d in days}, "rrule"


def tactic_effects(
    tactics: Sequence[Tactic], kpis: Sequence[Kpi], frame: pl.DataFrame, *, tz: str = "UTC", confidence: float = 0.95
) -> pl.DataFrame:
    """Each tactic against its goal: weekly KPI values in tactic weeks vs other weeks.

    When that cannot be judged (a weekly tactic leaves no week without it), posting days with the tactic are
    compared with the other posting days. Columns: ``tactic, goal, kpi, metric, found_by, unit (week/day),
    n_with, n_without, mean_with, mean_without, diff, diff_low, diff_high, verdict``.
    """
    by_id = {k.id: k for k in kpis}
    rows: list[dict[str, object]] = []
    for tactic in tactics:
        served = [by_id[k] for k in tactic.kpis if k in by_id]
        targets: list[tuple[str, str, str | None, bool]] = [
            (k.id, str(k.metric), k.network, k.include_reposts) for k in served
        ]
        targets = targets or [("(goal)", GOAL_METRIC[tactic.goal], None, False)]
        for kpi_id, metric, network, reposts in targets:
            scoped = frame.filter(pl.col("platform") == network) if network else frame
            if tactic.networks and not network:
                scoped = scoped.filter(pl.col("platform").is_in(tactic.networks))
            if metric == "posts" and not reposts:  # as the KPI counts them: the brand's own posts
                scoped, _left_out = own_posts_only(scoped)
            row = _tactic_row(tactic, kpi_id, metric, scoped, "week", tz, confidence)
            if row["diff"] is None:  # e.g. a weekly tactic: every week has it, so compare days instead
                by_day = _tactic_row(tactic, kpi_id, metric, scoped, "day", tz, confidence)
                row = by_day if by_day["diff"] is not None else row
            rows.append(row)
    return pl.DataFrame(rows, schema=_TACTIC_SCHEMA)


_TACTIC_SCHEMA = pl.Schema(
    {
        "tactic": pl.String,
        "goal": pl.String,
        "kpi": pl.String,
        "metric": pl.String,
        "found_by": pl.String,
        "unit": pl.String,
        "n_with": pl.Int64,
        "n_without": pl.Int64,
        "mean_with": pl.Float64,
        "mean_without": pl.Float64,
        "diff": pl.Float64,
        "diff_low": pl.Float64,
        "diff_high": pl.Float64,
        "verdict": pl.String,
    }
)


def weekly_series(frame: pl.DataFrame, metric: str, *, tz: str = "UTC", unit: str = "week") -> pl.DataFrame:
    """``week, value, n``: the KPI metric per local week — or per day with ``unit="day"`` (the column is still
    called ``week``) — as sums for counts, means for rates, the count for posts."""
    col = SUM_METRICS.get(metric) or RATE_METRICS.get(metric)
    data = _prepare(frame).with_columns(_period_start(pl.col("_t").dt.convert_time_zone(tz), unit).alias("week"))
    if metric == "posts":
        return data.group_by("week").agg(pl.len().cast(pl.Float64).alias("value"), pl.len().alias("n")).sort("week")
    if col is None:
        return pl.DataFrame(schema={"week": pl.Date, "value": pl.Float64, "n": pl.UInt32})
    agg = pl.col(col).cast(pl.Float64).sum() if metric in SUM_METRICS else pl.col(col).cast(pl.Float64).mean()
    return (
        data.filter(pl.col(col).is_not_null())
        .group_by("week")
        .agg(agg.alias("value"), pl.len().alias("n"))
        .sort("week")
    )


def _tactic_row(
    tactic: Tactic, kpi_id: str, metric: str, frame: pl.DataFrame, unit: str, tz: str, confidence: float
) -> dict[str, object]:
    periods, found_by = tactic_weeks(tactic, frame, tz=tz, unit=unit)
    series = weekly_series(frame, metric, tz=tz, unit=unit)
    is_with = series["week"].is_in(sorted(periods)) if periods else pl.Series([False] * series.height, dtype=pl.Boolean)
    with_v = series.filter(is_with)["value"].to_numpy()
    without_v = series.filter(~is_with)["value"].to_numpy()
    diff = welch_interval(with_v, without_v, confidence=confidence)
    if diff is None:
        verdict = f"not enough data (need 2+ {unit}s with and without the tactic)"
    elif diff[1] > 0:
        verdict = f"tactic {unit}s did better"
    elif diff[2] < 0:
        verdict = f"tactic {unit}s did worse"
    else:
        verdict = "no clear difference"
    return {
        "tactic": tactic.id,
        "goal": tactic.goal,
        "kpi": kpi_id,
        "metric": metric,
        "found_by": found_by,
        "unit": unit,
        "n_with": int(with_v.size),
        "n_without": int(without_v.size),
        "mean_with": float(np.mean(with_v)) if with_v.size else None,
        "mean_without": float(np.mean(without_v)) if without_v.size else None,
        "diff": diff[0] if diff else None,
        "diff_low": diff[1] if diff else None,
        "diff_high": diff[2] if diff else None,
        "verdict": verdict,
    }
