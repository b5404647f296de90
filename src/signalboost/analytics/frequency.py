"""How often to post: engagement per post and per day against the number of posts that day.

For each network and each local day with posts (brand's time zone) we count the posts ``k`` and sum their
``metric``. Days are grouped by ``k`` (the last group is "``max_k`` or more"); each group gets the mean engagement
per post and the mean engagement per day, each with a Student-t interval. Diminishing returns show as a falling
per-post mean while the daily total rises more slowly than ``k``.

Recommendation rule (conservative on purpose): start from the current number of posts per posting day ``k₀`` (the
most common ``k``); move to the ``k`` with the highest mean daily total only if the Welch interval of its
difference from ``k₀`` lies wholly above 0 and both groups have at least ``min_days`` days. Otherwise keep
``k₀`` and say that the evidence does not support a change. Posts per week = round(posts per day × posting days
per week), posting days per week = days with posts / calendar weeks spanned (Monday–Sunday, inclusive). Days with
a post lacking the metric are left out of daily totals and counted.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from signalboost.analytics.compare import welch_interval
from signalboost.analytics.metrics import floor_at_zero, mean_interval
from signalboost.analytics.timing import with_local_time
from signalboost.i18n import _, format_number


def daily_table(frame: pl.DataFrame, *, tz: str = "UTC", metric: str = "interactions") -> pl.DataFrame:
    """One row per network and local day with posts: ``platform, local_date, n_posts, n_reposts, total, complete``.

    ``n_posts`` counts every post of the day, reposts (``repost_of`` set: retweets, boosts) included, as the
    schedule's slots do (curated slots are slots); ``n_reposts`` says how many of them were reposts. ``total`` is
    the sum of ``metric`` over the day's posts, ``None`` when any post lacks it (``complete`` false) — a repost
    carries no figure of its own, so a day with one is left out of the means.
    """
    local = with_local_time(frame.filter(pl.col("created_at").is_not_null()), tz)
    reposts = pl.col("repost_of").is_not_null().sum() if "repost_of" in local.columns else pl.lit(0, pl.UInt32)
    return (
        local.group_by("platform", "local_date")
        .agg(
            pl.len().alias("n_posts"),
            reposts.cast(pl.Int64).alias("n_reposts"),
            pl.col(metric).cast(pl.Float64).sum().alias("_sum"),
            pl.col(metric).is_null().any().alias("_missing"),
        )
        .with_columns(
            pl.when(pl.col("_missing")).then(None).otherwise(pl.col("_sum")).alias("total"),
            (~pl.col("_missing")).alias("complete"),
        )
        .drop("_sum", "_missing")
        .sort("platform", "local_date")
    )


def posts_per_day_curve(
    frame: pl.DataFrame, *, tz: str = "UTC", metric: str = "interactions", max_k: int = 4, confidence: float = 0.95
) -> pl.DataFrame:
    """The posts-per-day curve per network.

    Columns: ``platform, posts_per_day (1 … max_k; the last means "max_k or more"), label, n_days (days with
    that many posts), n_days_used (those whose every post reports ``metric``: the sample behind the means),
    n_days_incomplete (the others, left out), per_post, per_post_low, per_post_high, per_day, per_day_low,
    per_day_high, metric``.
    """
    days = daily_table(frame, tz=tz, metric=metric).with_columns(
        pl.min_horizontal(pl.col("n_posts"), pl.lit(max_k)).alias("k")
    )
    rows: list[dict[str, object]] = []
    for (platform, k), g in days.group_by(["platform", "k"], maintain_order=True):
        done = g.filter(pl.col("complete"))
        totals = done["total"].to_numpy()
        per_post = (done["total"] / done["n_posts"]).to_numpy()
        pp, pp_lo, pp_hi = mean_interval(per_post, confidence=confidence)
        pd_, pd_lo, pd_hi = mean_interval(totals, confidence=confidence)
        # no day has negative interactions: the t interval of two skewed days can reach far below 0 (−4,447 per day
        # on the s9 walk's Facebook table), truncated there as the summary's and the formats' means are
        pp_lo, pd_lo = floor_at_zero(metric, pp_lo), floor_at_zero(metric, pd_lo)
        rows.append(
            {
                "platform": platform,
                "posts_per_day": int(k),
                "label": f"{k}+" if k == max_k else str(k),
                "n_days": g.height,
                "n_days_used": done.height,
                "n_days_incomplete": g.height - done.height,
                "per_post": pp,
                "per_post_low": pp_lo,
                "per_post_high": pp_hi,
                "per_day": pd_,
                "per_day_low": pd_lo,
                "per_day_high": pd_hi,
                "metric": metric,
            }
        )
    if not rows:
        return pl.DataFrame()
    return pl.DataFrame(rows, infer_schema_length=None).sort("platform", "posts_per_day")


def recommend_frequency(
    frame: pl.DataFrame,
    *,
    tz: str = "UTC",
    metric: str = "interactions",
    max_k: int = 4,
    min_days: int = 8,
    confidence: float = 0.95,
) -> pl.DataFrame:
    """Recommended posts per day and per week per network, with the evidence (module doc gives the rule).

    Columns: ``platform, current_per_day, current_per_week (reposts included, as the schedule's slots count
    curated posts), reposts_per_week, recommended_per_day, recommended_per_week,
    posting_days_per_week, changed, diff, diff_low, diff_high, n_days_current, n_days_best, evidence``.
    """
    days = daily_table(frame, tz=tz, metric=metric).with_columns(
        pl.min_horizontal(pl.col("n_posts"), pl.lit(max_k)).alias("k")
    )
    rows: list[dict[str, object]] = []
    for (platform,), g in days.group_by(["platform"], maintain_order=True):
        rows.append(_recommend_one(str(platform), g, min_days, confidence, max_k))
    if not rows:
        return pl.DataFrame()
    return pl.DataFrame(rows, infer_schema_length=None)


def frequency_advice(row: dict[str, object] | None, strategy_per_week: int) -> tuple[int, str]:
    """The posts per week to propose and the sentence saying why, from one :func:`recommend_frequency` row.

    The one place the proposal is worded (``recommend``, the report and the dashboard all call it): the weekly
    number moves only when the row's change of posts per day is supported (``changed``); otherwise the strategy's
    number is kept and the sentence says what the data showed, without claiming more.
    """
    if row is None:
        return strategy_per_week, _("kept at {n}/week: no days with posts to compare").format(n=strategy_per_week)
    now = _("now {per_week}/week, {per_day}/day on {days} days a week").format(
        per_week=_figure(row["current_per_week"]),
        per_day=row["current_per_day"],
        days=_figure(row["posting_days_per_week"]),
    )
    if row.get("reposts_per_week"):  # the weekly rate counts reposts as the schedule's slots do: say how many
        now = _("{now} (reposts of other accounts' posts included: {reposts}/week)").format(
            now=now, reposts=_figure(row["reposts_per_week"])
        )
    if row["changed"]:
        new = int(row["recommended_per_week"])  # type: ignore[call-overload]
        return new, _("{per_day}/day on {days} posting days a week ≈ {new}/week; {now}; {evidence}").format(
            per_day=row["recommended_per_day"],
            days=_figure(row["posting_days_per_week"]),
            new=new,
            now=now,
            evidence=row["evidence"],
        )
    return strategy_per_week, _("kept at {n}/week as in strategy.yaml; {now}; {evidence}").format(
        n=strategy_per_week, now=now, evidence=row["evidence"]
    )


def _figure(x: object) -> str:
    """A figure as Python writes it in English (``3.0``), in the locale's form otherwise (``3,0``)."""
    from signalboost.i18n import DEFAULT, language

    return str(x) if language() == DEFAULT or not isinstance(x, float) else format_number(x, digits=1)


def _signed(x: float) -> str:
    """``+279.6`` / ``-67.8`` (one decimal, grouped) in the active language."""
    return ("+" if x >= 0 else "") + format_number(x, digits=1)


def _span_weeks(g: pl.DataFrame) -> float:
    """Calendar weeks (Monday to Sunday) from the first posting day's week to the last one's, inclusive."""
    dates: list[dt.date] = g["local_date"].to_list()
    first, last = min(dates), max(dates)
    monday0 = first - dt.timedelta(days=first.weekday())
    monday1 = last - dt.timedelta(days=last.weekday())
    return (monday1 - monday0).days / 7.0 + 1.0


def _posting_days_per_week(g: pl.DataFrame) -> float:
    return min(7.0, g.height / _span_weeks(g))


def _recommend_one(platform: str, g: pl.DataFrame, min_days: int, confidence: float, max_k: int) -> dict[str, object]:
    k_counts = g.group_by("k").len().sort(["len", "k"], descending=[True, False])
    k0 = int(k_counts["k"][0])
    done = g.filter(pl.col("complete"))
    totals = {int(k): sub["total"].to_numpy() for (k,), sub in done.group_by(["k"])}
    means = {k: float(v.mean()) for k, v in totals.items() if v.size >= min_days}
    days_week = _posting_days_per_week(g)
    best, diff = k0, None
    if means and k0 in means:
        cand = max(means, key=lambda k: means[k])
        if cand != k0:
            diff = welch_interval(totals[cand], totals[k0], confidence=confidence)
            if diff is not None and diff[1] > 0:
                best = cand
    per_week_now = float(g["n_posts"].sum()) / _span_weeks(g)
    reposts_week = float(g["n_reposts"].sum()) / _span_weeks(g)
    lbl = f"{max_k}+" if best == max_k else str(best)
    if k0 not in means:
        evidence = _("not enough data: fewer than {0} complete days with {1} post(s)").format(min_days, k0)
    elif best != k0 and diff is not None:
        evidence = _(
            "days with {label} posts totalled {diff} more than days with {k0} [{low}, {high}], {n_best} vs {n_k0} days"
        ).format(
            label=lbl,
            diff=_signed(diff[0]),
            k0=k0,
            low=_signed(diff[1]),
            high=_signed(diff[2]),
            n_best=totals[best].size,
            n_k0=totals[k0].size,
        )
    elif diff is not None:
        cand = max(means, key=lambda k: means[k])
        c_lbl = f"{max_k}+" if cand == max_k else str(cand)
        evidence = _(
            "days with {label} posts totalled {diff} vs days with {k0} [{low}, {high}], {n_cand} vs {n_k0} days: "
            "not distinguishable (the interval includes 0)"
        ).format(
            label=c_lbl,
            diff=_signed(diff[0]),
            k0=k0,
            low=_signed(diff[1]),
            high=_signed(diff[2]),
            n_cand=totals[cand].size,
            n_k0=totals[k0].size,
        )
    else:
        evidence = _("no other number of posts a day did better than {0}/day ({1} days)").format(k0, totals[k0].size)
    return {
        "platform": platform,
        "current_per_day": k0,
        "current_per_week": round(per_week_now, 1),
        "reposts_per_week": round(reposts_week, 1),
        "recommended_per_day": best,
        "recommended_per_week": max(1, round(best * days_week)),
        "posting_days_per_week": round(days_week, 2),
        "changed": best != k0,
        "diff": diff[0] if diff else None,
        "diff_low": diff[1] if diff else None,
        "diff_high": diff[2] if diff else None,
        "n_days_current": int(totals[k0].size) if k0 in totals else 0,
        "n_days_best": int(totals[best].size) if best in totals else 0,
        "evidence": evidence,
    }
