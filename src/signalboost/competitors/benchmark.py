"""The benchmark: the brand and its competitors side by side, one row per account, never pooled.

Input is a plain frame with one row per post: ``account`` (a label), ``created_at``, ``format``,
``interactions`` (``None`` when the network did not report it, never 0), optionally ``platform``,
``er_followers`` (interactions / followers at posting time, see :mod:`signalboost.analytics.metrics`) and
``is_brand``. Each network is its own group (an X like and an Instagram like are different currencies):

- ``posts_per_week = n_posts / (window days / 7)`` over the same window for every account (the period asked
  for, else the group's first to last post), so a page with an older archive does not look more regular;
- ``format mix`` = share of the account's posts of each format;
- ``engagement per post`` = mean interactions per post with the Student-t interval ``mean ± t_{n-1}·s/√n``
  (floored at 0), and ``n`` = posts whose interactions are known; ``engagement per follower`` likewise over the
  posts whose follower count at posting time is known (``er_followers``);
- ``share of voice`` = the account's Σ interactions / the group's Σ interactions (posts with interactions known),
  and ``share of posts`` = its posts / the group's. Share of voice carries a delta-method interval for the
  variation of the posts behind it (:func:`signalboost.competitors.profile.share_of_voice_interval`). (Share of
  voice as "share of the group's engagement": Rival IQ, Sprout Social.)
- a ranking per figure (1 = highest; ties share the lower rank). An account with fewer than ``min_posts`` posts
  behind the figure is labelled ``too thin`` and not ranked, so a page with three lucky posts is never first.

Findings are plain sentences, each with its n and interval. A claim that one page beats another is made only when
their 95 % intervals do not overlap (a conservative test: non-overlap implies p < 0.01 for two means, Schenker &
Gentleman 2001); otherwise the finding says they cannot be told apart.

What each page does beyond its averages (cadence trend, best days and hours, hashtags and topics it owns, top
posts, follower growth, the share of voice interval) is in :mod:`signalboost.competitors.profile`.

Format effects are measured within accounts: each post's interactions are divided by its own account's mean
(``relative = x / mean_account``), so a big page's posts do not decide which format works for the group; the
mean relative engagement of a format, with its t interval, says "video posts get 2.3× an account's average".
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from signalboost.competitors import profile
from signalboost.errors import AnalyticsError
from signalboost.i18n import L_, N_, _, format_number, format_percent, format_significant

MIN_POSTS = 10
"""Posts an account needs behind a figure to be ranked on it (fewer: ``too thin``)."""

FIGURES: dict[str, str] = {
    "posts_per_week": N_("posts per week"),
    "engagement_per_post": N_("engagement per post"),
    "engagement_per_follower": N_("engagement per follower"),
    "share_of_voice": N_("share of voice"),
}
"""Figures ranked, with the words used for them in findings (msgids: translate with :func:`figure_words`)."""


def figure_words(figure: str) -> str:
    """A ranked figure (``engagement_per_post``) in words in the active language (``engasjement per innlegg``)."""
    return _(FIGURES[figure]) if figure in FIGURES else figure.replace("_", " ")


def rank_label(label: str | None, n: Any, min_posts: int) -> str:
    """A ranking's ``label`` (stored as the identifiers ``no data`` / ``too thin (n=3 < 10)``) in words in the active
    language."""
    if not label:
        return ""
    if label.startswith("too thin"):
        return _("too thin (n={n} < {min})").format(n=format_number(n), min=format_number(min_posts))
    return _(label) if label == "no data" else label


def confidence_words(confidence: float) -> str:
    """``95 %`` / ``95%``: the confidence level of the intervals in the active locale."""
    return format_percent(confidence)


_N_OF = {
    "posts_per_week": "n_posts",
    "engagement_per_post": "n_engagement",
    "engagement_per_follower": "n_per_follower",
    "share_of_voice": "n_engagement",
}


@dataclass
class Benchmark:
    """The benchmark of one group of accounts (one row per network and account).

    ``accounts``: ``platform, account, role, n_posts, weeks, posts_per_week, trend_weeks, trend, trend_low,
    trend_high, trend_note,
    engagement_per_post, ep_low, ep_high, n_engagement, engagement_per_follower, ef_low, ef_high,
    n_per_follower, total_engagement, share_of_voice, sov_low, sov_high, share_of_posts, n_snapshots,
    followers_first, followers_last, growth, growth_pct, growth_per_week``. ``formats``: ``platform, account,
    format, n_posts, share``. ``rankings``: ``platform, figure, account, value, n, rank, label`` (``rank`` is
    ``None`` and ``label`` says why for a thin account or a missing figure). ``findings``: dicts with
    ``platform, figure, text, n, value, low, high``. The rest come from :mod:`~signalboost.competitors.profile`:
    ``hours`` (posts per weekday × hour), ``best_times``, ``hashtags`` and ``topics`` each page owns,
    ``top_posts``, and ``timeline`` (``platform, account, month, n_posts, engagement_per_post``).
    """

    accounts: pl.DataFrame
    formats: pl.DataFrame
    rankings: pl.DataFrame
    findings: list[dict[str, Any]] = field(default_factory=list)
    min_posts: int = MIN_POSTS
    confidence: float = 0.95
    hours: pl.DataFrame = field(default_factory=pl.DataFrame)
    best_times: pl.DataFrame = field(default_factory=pl.DataFrame)
    hashtags: pl.DataFrame = field(default_factory=pl.DataFrame)
    topics: pl.DataFrame = field(default_factory=pl.DataFrame)
    top_posts: pl.DataFrame = field(default_factory=pl.DataFrame)
    timeline: pl.DataFrame = field(default_factory=pl.DataFrame)
    timezone: str = "UTC"

    TABLES = ("accounts", "formats", "rankings", "hours", "best_times", "hashtags", "topics", "top_posts", "timeline")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document (datetimes stay datetimes; the JSON writers turn them into ISO text)."""
        out: dict[str, Any] = {"min_posts": self.min_posts, "confidence": self.confidence, "timezone": self.timezone}
        for name in self.TABLES:
            out[name] = getattr(self, name).to_dicts()
        out["findings"] = self.findings
        return out


def benchmark(
    posts: pl.DataFrame,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    min_posts: int = MIN_POSTS,
    confidence: float = 0.95,
    snapshots: pl.DataFrame | None = None,
    tz: str = "UTC",
) -> Benchmark:
    """Benchmark every account of ``posts`` against the others of its network (module docstring: formulas).

    ``start``/``end``: the period the posts were taken from (its length sets posts per week); default the
    group's first and last post. ``snapshots`` (``platform, account, observed_at, followers``): follower counts
    over time, for follower growth. ``tz``: the zone of days and hours. Raises :class:`AnalyticsError` when a
    required column is missing.

    Example::

        b = benchmark(frame)          # frame: account, created_at, format, interactions[, er_followers, ...]
        b.rankings.filter(pl.col("figure") == "share_of_voice")
    """
    frame = _prepared(posts)
    if not 0 < confidence < 1:
        raise AnalyticsError(
            L_("confidence {confidence} is not between 0 and 1", confidence=confidence), where="confidence"
        )
    if min_posts < 2:
        raise AnalyticsError(
            L_("min_posts {min_posts} is below 2", min_posts=min_posts),
            where="min_posts",
            hint=L_("Use 10 (the default)"),
        )
    accounts = _account_figures(frame, start=start, end=end, confidence=confidence)
    windows = _windows(frame, start, end)
    accounts = _with_profile(accounts, frame, windows, snapshots, start=start, end=end, confidence=confidence)
    formats = _format_mix(frame)
    rankings = _rankings(accounts, min_posts)
    timed = profile.timed(frame, tz)
    result = Benchmark(
        accounts,
        formats,
        rankings,
        [],
        min_posts=min_posts,
        confidence=confidence,
        hours=profile.posting_hours(timed),
        best_times=profile.best_times(timed, confidence=confidence),
        hashtags=profile.owned_terms(frame, "hashtags", confidence=confidence),
        topics=profile.owned_terms(frame, "pillars", confidence=confidence),
        top_posts=profile.top_posts(frame),
        timeline=_timeline(frame),
        timezone=tz,
    )
    result.findings = _findings(frame, accounts, formats, rankings, min_posts=min_posts, confidence=confidence)
    from signalboost.competitors.insights import profile_findings

    result.findings.extend(profile_findings(result))
    return result


# ---------------------------------------------------------------------------------------------- preparation


def _prepared(posts: pl.DataFrame) -> pl.DataFrame:
    missing = [c for c in ("account", "created_at", "interactions") if c not in posts.columns]
    if missing:
        raise AnalyticsError(
            L_("column(s) {choices} missing", choices=", ".join(missing)),
            where="benchmark frame",
            hint=L_("Pass one row per post"),
        )
    extra: list[pl.Expr] = []
    if "platform" not in posts.columns:
        extra.append(pl.lit("all").alias("platform"))
    if "format" not in posts.columns:
        extra.append(pl.lit(None, dtype=pl.String).alias("format"))
    if "er_followers" not in posts.columns:
        extra.append(pl.lit(None, dtype=pl.Float64).alias("er_followers"))
    if "is_brand" not in posts.columns:
        extra.append(pl.lit(False).alias("is_brand"))
    for col in ("post_id", "text", "url"):
        if col not in posts.columns:
            extra.append(pl.lit(None, dtype=pl.String).alias(col))
    for col in ("hashtags", "pillars"):
        if col not in posts.columns:
            extra.append(pl.lit(None, dtype=pl.List(pl.String)).alias(col))
    frame = posts.with_columns(extra) if extra else posts
    optional = [c for c in ("date_only",) if c in frame.columns]
    return frame.filter(pl.col("account").is_not_null()).select(
        pl.col("platform").cast(pl.String),
        pl.col("account").cast(pl.String),
        pl.col("created_at"),
        pl.col("format").cast(pl.String).fill_null("unknown"),
        pl.col("interactions").cast(pl.Float64).fill_nan(None),
        pl.col("er_followers").cast(pl.Float64).fill_nan(None),
        pl.col("is_brand").cast(pl.Boolean).fill_null(False),
        pl.col("post_id").cast(pl.String),
        pl.col("text").cast(pl.String),
        pl.col("url").cast(pl.String),
        _as_list("hashtags", frame),
        _as_list("pillars", frame),
        *optional,
    )


def _as_list(col: str, frame: pl.DataFrame) -> pl.Expr:
    """``col`` as a list of strings (a null column of another type becomes an empty-list-typed null)."""
    if isinstance(frame.schema[col], pl.List):
        return pl.col(col).cast(pl.List(pl.String))
    return pl.lit(None, dtype=pl.List(pl.String)).alias(col)


def _windows(frame: pl.DataFrame, start: dt.datetime | None, end: dt.datetime | None) -> pl.DataFrame:
    """``platform, start, end``: the shared window per network (the period asked for, else first to last post)."""
    w = frame.group_by("platform").agg(
        pl.col("created_at").min().alias("start"), pl.col("created_at").max().alias("end")
    )
    if start is not None:
        w = w.with_columns(pl.lit(start).cast(w.schema["start"]).alias("start"))
    if end is not None:
        w = w.with_columns(pl.lit(end).cast(w.schema["end"]).alias("end"))
    return w


def _with_profile(
    accounts: pl.DataFrame,
    frame: pl.DataFrame,
    windows: pl.DataFrame,
    snapshots: pl.DataFrame | None,
    *,
    start: dt.datetime | None,
    end: dt.datetime | None,
    confidence: float,
) -> pl.DataFrame:
    """The account figures with the cadence trend, the share of voice interval and the follower growth."""
    keys = ["platform", "account"]
    trend = profile.cadence_trend(frame, windows, confidence=confidence)
    sov = profile.share_of_voice_interval(frame, confidence=confidence)
    growth = profile.follower_growth(snapshots, start=start, end=end)
    out = accounts.join(trend, on=keys, how="left").join(sov, on=keys, how="left").join(growth, on=keys, how="left")
    out = out.with_columns(
        pl.when(pl.col("share_of_voice").is_null()).then(None).otherwise(pl.col(c)).alias(c)
        for c in ("sov_low", "sov_high")
    )
    first = [
        "platform",
        "account",
        "role",
        "n_posts",
        "weeks",
        "posts_per_week",
        "trend_weeks",
        "trend",
        "trend_low",
        "trend_high",
        "trend_note",
    ]
    sov_cols = ["share_of_voice", "sov_low", "sov_high", "share_of_posts"]
    rest = [c for c in out.columns if c not in first and c not in sov_cols and c not in _GROWTH]
    middle = [c for c in rest if c != "total_engagement"] + ["total_engagement"]
    return out.select(*first, *middle, *sov_cols, *_GROWTH).sort(keys)


_GROWTH = ["n_snapshots", "followers_first", "followers_last", "growth", "growth_pct", "growth_per_week"]


def _timeline(frame: pl.DataFrame) -> pl.DataFrame:
    """``platform, account, month, n_posts, engagement_per_post``: each page's mean interactions per calendar
    month (UTC), for the chart of engagement over time; ``n_posts`` counts the posts with interactions known."""
    known = frame.filter(pl.col("interactions").is_not_null() & pl.col("created_at").is_not_null())
    month = pl.col("created_at").dt.truncate("1mo").dt.date().alias("month")
    return (
        known.group_by("platform", "account", month)
        .agg(pl.len().alias("n_posts"), pl.col("interactions").mean().alias("engagement_per_post"))
        .sort("platform", "account", "month")
    )


def _t_bounds(mean: pl.Expr, sd: pl.Expr, n: pl.Expr, tq: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    half = tq * sd / n.cast(pl.Float64).sqrt()
    ok = n >= 2
    low = pl.when(ok).then(pl.max_horizontal(mean - half, pl.lit(0.0))).otherwise(None)
    return low, pl.when(ok).then(mean + half).otherwise(None)


def _t_quantiles(ns: pl.Series, confidence: float) -> pl.Series:
    arr = ns.cast(pl.Float64).to_numpy()
    q = np.full(arr.shape, np.nan)
    ok = arr >= 2
    q[ok] = stats.t.ppf(0.5 + confidence / 2, arr[ok] - 1)
    return pl.Series(q).fill_nan(None)


def _account_figures(
    frame: pl.DataFrame, *, start: dt.datetime | None, end: dt.datetime | None, confidence: float
) -> pl.DataFrame:
    windows = frame.group_by("platform").agg(
        pl.col("created_at").min().alias("_first"), pl.col("created_at").max().alias("_last")
    )
    per = frame.group_by("platform", "account").agg(
        pl.col("is_brand").any().alias("_brand"),
        pl.len().alias("n_posts"),
        pl.col("interactions").mean().alias("engagement_per_post"),
        pl.col("interactions").std(ddof=1).alias("_ep_sd"),
        pl.col("interactions").count().alias("n_engagement"),
        pl.col("interactions").sum().alias("total_engagement"),
        pl.col("er_followers").mean().alias("engagement_per_follower"),
        pl.col("er_followers").std(ddof=1).alias("_ef_sd"),
        pl.col("er_followers").count().alias("n_per_follower"),
    )
    per = per.join(windows, on="platform", how="left")
    days = _window_days(per, start, end)
    per = per.with_columns(
        weeks=days / 7.0,
        _tq_ep=_t_quantiles(per["n_engagement"], confidence),
        _tq_ef=_t_quantiles(per["n_per_follower"], confidence),
    )
    ep_low, ep_high = _t_bounds(
        pl.col("engagement_per_post"), pl.col("_ep_sd"), pl.col("n_engagement"), pl.col("_tq_ep")
    )
    ef_low, ef_high = _t_bounds(
        pl.col("engagement_per_follower"), pl.col("_ef_sd"), pl.col("n_per_follower"), pl.col("_tq_ef")
    )
    group_eng = pl.col("total_engagement").sum().over("platform")
    has_eng = pl.col("n_engagement") > 0
    per = per.with_columns(
        role=pl.when(pl.col("_brand")).then(pl.lit("brand")).otherwise(pl.lit("competitor")),
        posts_per_week=pl.col("n_posts") / pl.col("weeks"),
        ep_low=ep_low,
        ep_high=ep_high,
        ef_low=ef_low,
        ef_high=ef_high,
        total_engagement=pl.when(has_eng).then(pl.col("total_engagement")).otherwise(None),
        share_of_voice=pl.when(has_eng & (group_eng > 0)).then(pl.col("total_engagement") / group_eng).otherwise(None),
        share_of_posts=pl.col("n_posts") / pl.col("n_posts").sum().over("platform"),
    )
    return per.select(
        "platform",
        "account",
        "role",
        "n_posts",
        "weeks",
        "posts_per_week",
        "engagement_per_post",
        "ep_low",
        "ep_high",
        "n_engagement",
        "engagement_per_follower",
        "ef_low",
        "ef_high",
        "n_per_follower",
        "total_engagement",
        "share_of_voice",
        "share_of_posts",
    ).sort("platform", "account")


def _window_days(per: pl.DataFrame, start: dt.datetime | None, end: dt.datetime | None) -> pl.Expr:
    """The period's length in days (at least 1): ``end - start`` when given, else the group's first to last post."""
    lo: pl.Expr = pl.lit(start) if start is not None else pl.col("_first")
    hi: pl.Expr = pl.lit(end) if end is not None else pl.col("_last")
    if start is not None and end is not None and end <= start:
        raise AnalyticsError(L_("the period ends before it starts"), where="--since/--until")
    seconds = (hi - lo).dt.total_seconds().cast(pl.Float64)
    return pl.max_horizontal(seconds / 86400.0, pl.lit(1.0))


def _format_mix(frame: pl.DataFrame) -> pl.DataFrame:
    counts = frame.group_by("platform", "account", "format").agg(pl.len().alias("n_posts"))
    return counts.with_columns(share=pl.col("n_posts") / pl.col("n_posts").sum().over("platform", "account")).sort(
        "platform", "account", "n_posts", "format", descending=[False, False, True, False]
    )


# ------------------------------------------------------------------------------------------------ rankings


def _rankings(accounts: pl.DataFrame, min_posts: int) -> pl.DataFrame:
    parts = []
    for figure, n_col in _N_OF.items():
        part = accounts.select(
            "platform",
            "account",
            pl.lit(figure).alias("figure"),
            pl.col(figure).alias("value"),
            pl.col(n_col).alias("n"),
        )
        rankable = pl.col("value").is_not_null() & (pl.col("n") >= min_posts)
        rank = (
            pl.when(rankable).then(pl.col("value")).otherwise(None).rank(method="min", descending=True).over("platform")
        )
        label = (
            pl.when(pl.col("value").is_null())
            .then(pl.lit("no data"))
            .when(pl.col("n") < min_posts)
            .then(pl.format("too thin (n={} < {})", pl.col("n"), pl.lit(min_posts)))
            .otherwise(pl.lit(""))
        )
        parts.append(part.with_columns(rank=pl.when(rankable).then(rank).otherwise(None).cast(pl.Int64), label=label))
    out = pl.concat(parts)
    return out.sort("platform", "figure", pl.col("rank").fill_null(10**9), "account")


# ------------------------------------------------------------------------------------------------ findings


def _fmt(value: float, figure: str) -> str:
    """A figure's value in the active locale: shares as percentages, other values to three significant digits."""
    if figure in {"share_of_voice", "share_of_posts", "engagement_per_follower"}:
        return format_percent(value, significant=3)
    return format_significant(value, digits=3)


def ci_words(level: str, low: str, high: str, n: str) -> str:
    """``95% CI 1.2–3.4, n=20`` in the active language (``level``, ``low``, ``high`` and ``n`` already formatted)."""
    return _("{level} CI {low}–{high}, n={n}").format(level=level, low=low, high=high, n=n)


def _interval(row: dict[str, Any], figure: str, confidence: float) -> str:
    lo, hi = {"engagement_per_post": ("ep_low", "ep_high"), "engagement_per_follower": ("ef_low", "ef_high")}[figure]
    n = row[_N_OF[figure]]
    if row[lo] is None or row[hi] is None:
        return _("n={n}, no interval").format(n=format_number(n))
    return ci_words(confidence_words(confidence), _fmt(row[lo], figure), _fmt(row[hi], figure), format_number(n))


def _finding(platform: str, figure: str, text: str, row: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"platform": platform, "figure": figure, "text": text, "n": None, "value": None}
    out["low"] = out["high"] = None
    if row is not None and figure in _N_OF:
        out["n"] = row[_N_OF[figure]]
        out["value"] = row[figure]
        if figure == "engagement_per_post":
            out["low"], out["high"] = row["ep_low"], row["ep_high"]
        elif figure == "engagement_per_follower":
            out["low"], out["high"] = row["ef_low"], row["ef_high"]
    out.update(extra)
    return out


def _findings(
    frame: pl.DataFrame,
    accounts: pl.DataFrame,
    formats: pl.DataFrame,
    rankings: pl.DataFrame,
    *,
    min_posts: int,
    confidence: float,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for (platform,), group in accounts.group_by(["platform"], maintain_order=True):
        p = str(platform)
        rows = {str(r["account"]): r for r in group.to_dicts()}
        ranks = rankings.filter(pl.col("platform") == p)
        for figure in ("engagement_per_post", "engagement_per_follower"):
            out.extend(_leader(p, figure, rows, ranks, min_posts, confidence))
        out.extend(_share_of_voice(p, rows, ranks))
        brand = [r for r in rows.values() if r["role"] == "brand"]
        if brand:
            out.extend(_brand_vs_group(p, brand[0], rows, min_posts, confidence))
        out.extend(
            _format_effects(
                p,
                frame.filter(pl.col("platform") == p),
                formats.filter(pl.col("platform") == p),
                rows,
                min_posts,
                confidence,
            )
        )
    return out


def _ranked(ranks: pl.DataFrame, figure: str) -> list[str]:
    sub = ranks.filter((pl.col("figure") == figure) & pl.col("rank").is_not_null()).sort("rank", "account")
    return [str(a) for a in sub["account"].to_list()]


def _thin(ranks: pl.DataFrame, figure: str) -> list[str]:
    sub = ranks.filter((pl.col("figure") == figure) & pl.col("label").str.starts_with("too thin"))
    return [f"{a} (n={format_number(n)})" for a, n in sub.select("account", "n").iter_rows()]


def _leader(
    p: str, figure: str, rows: dict[str, dict[str, Any]], ranks: pl.DataFrame, min_posts: int, confidence: float
) -> list[dict[str, Any]]:
    words = figure_words(figure)
    order = _ranked(ranks, figure)
    thin = _thin(ranks, figure)
    n_min = format_number(min_posts)
    tail = " " + _("Not ranked, fewer than {n} posts: {pages}.").format(n=n_min, pages=", ".join(thin)) if thin else ""
    if not order:
        if not thin:
            return []
        text = _("{platform}: no account has {n} posts with {figure} to rank.")
        text = text.format(platform=p, n=n_min, figure=words)
        return [_finding(p, figure, text + tail)]
    first = rows[order[0]]
    if len(order) == 1:
        text = _("{platform}: only {page} has enough posts to rank on {figure}: {value} ({interval}).").format(
            platform=p,
            page=order[0],
            figure=words,
            value=_fmt(first[figure], figure),
            interval=_interval(first, figure, confidence),
        )
        return [_finding(p, figure, text + tail, first)]
    second = rows[order[1]]
    lo_key = "ep_low" if figure == "engagement_per_post" else "ef_low"
    hi_key = "ep_high" if figure == "engagement_per_post" else "ef_high"
    a = f"{_fmt(first[figure], figure)} ({_interval(first, figure, confidence)})"
    b = f"{_fmt(second[figure], figure)} ({_interval(second, figure, confidence)})"
    if first[lo_key] is not None and second[hi_key] is not None and first[lo_key] > second[hi_key]:
        text = _("{platform}: {first} leads on {figure} with {a}, clearly ahead of {second} with {b}.")
    else:
        text = _(
            "{platform}: no page clearly leads on {figure}: {first} has {a} and {second} {b}; "
            "the intervals overlap, so their order may be chance."
        )
    text = text.format(platform=p, first=order[0], second=order[1], figure=words, a=a, b=b)
    return [_finding(p, figure, text + tail, first)]


def _share_of_voice(p: str, rows: dict[str, dict[str, Any]], ranks: pl.DataFrame) -> list[dict[str, Any]]:
    order = _ranked(ranks, "share_of_voice")
    if not order:
        return []
    top = rows[order[0]]
    text = _(
        "{platform}: among pages with enough posts, {page} holds the largest share of voice, {share} of the "
        "group's engagement{interval} ({interactions} interactions on {n} posts) with {posts_share} of its posts"
    ).format(
        platform=p,
        page=order[0],
        share=_fmt(top["share_of_voice"], "share_of_voice"),
        interval=_sov_ci(top),
        interactions=format_number(round(top["total_engagement"])),
        n=format_number(top["n_engagement"]),
        posts_share=_fmt(top["share_of_posts"], "share_of_posts"),
    )
    thin = ranks.filter(
        (pl.col("figure") == "share_of_voice") & pl.col("rank").is_null() & pl.col("value").is_not_null()
    ).filter(pl.col("value") > top["share_of_voice"])
    if thin.height:
        more = ", ".join(
            _("{page} holds {share} from only {n} posts").format(
                page=a, share=_fmt(v, "share_of_voice"), n=format_number(n)
            )
            for a, v, n in thin.select("account", "value", "n").iter_rows()
        )
        text += _("; {pages} (too few to rank)").format(pages=more)
    return [_finding(p, "share_of_voice", text + ".", top, low=top.get("sov_low"), high=top.get("sov_high"))]


def _sov_ci(row: dict[str, Any]) -> str:
    lo, hi = row.get("sov_low"), row.get("sov_high")
    if lo is None or hi is None:
        return ""
    return _(" ({level} CI {low}–{high})").format(
        level=confidence_words(0.95), low=_fmt(lo, "share_of_voice"), high=_fmt(hi, "share_of_voice")
    )


def _brand_vs_group(
    p: str, brand: dict[str, Any], rows: dict[str, dict[str, Any]], min_posts: int, confidence: float
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    others = [r for r in rows.values() if r["role"] != "brand"]
    name = brand["account"]
    if not others:
        return out
    rates = sorted(r["posts_per_week"] for r in others)
    median = float(np.median(rates))
    out.append(
        _finding(
            p,
            "posts_per_week",
            _(
                "{platform}: {you} post {rate} times a week ({n} posts in {weeks} weeks); the median competitor "
                "posts {median} ({competitors} competitors)."
            ).format(
                platform=p,
                you=_you(name),
                rate=format_significant(brand["posts_per_week"], digits=3),
                n=format_number(brand["n_posts"]),
                weeks=format_significant(brand["weeks"], digits=3),
                median=format_significant(median, digits=3),
                competitors=format_number(len(others)),
            ),
            brand,
        )
    )
    if brand["n_engagement"] < min_posts or brand["ep_low"] is None:
        out.append(
            _finding(
                p,
                "engagement_per_post",
                _(
                    "{platform}: your engagement per post cannot be compared yet: {n} posts with interactions, "
                    "fewer than {min}."
                ).format(platform=p, n=format_number(brand["n_engagement"]), min=format_number(min_posts)),
                brand,
            )
        )
        return out
    comparable = [r for r in others if r["n_engagement"] >= min_posts and r["ep_low"] is not None]
    above = [r["account"] for r in comparable if brand["ep_low"] > r["ep_high"]]
    below = [r["account"] for r in comparable if brand["ep_high"] < r["ep_low"]]
    same = len(comparable) - len(above) - len(below)
    text = _(
        "{platform}: your engagement per post, {value} ({interval}), is clearly above {above} and clearly below "
        "{below} of {n} competitors with enough posts"
    ).format(
        platform=p,
        value=_fmt(brand["engagement_per_post"], "engagement_per_post"),
        interval=_interval(brand, "engagement_per_post", confidence),
        above=format_number(len(above)),
        below=format_number(len(below)),
        n=format_number(len(comparable)),
    )
    if below:
        text += _(" (below: {pages})").format(pages=", ".join(below))
    if same:
        text += _("; {n} cannot be told apart from yours").format(n=format_number(same))
    out.append(_finding(p, "engagement_per_post", text + ".", brand, above=above, below=below))
    return out


def _you(name: str) -> str:
    """The brand's label as the subject of a sentence: itself when it already says "you (@handle)"."""
    own = _("you (@{})").split("(", 1)[0].strip().lower()
    return name if name.lower().startswith(("you", own)) else _("you ({page})").format(page=name)


def _format_effects(
    p: str,
    frame: pl.DataFrame,
    formats: pl.DataFrame,
    rows: dict[str, dict[str, Any]],
    min_posts: int,
    confidence: float,
) -> list[dict[str, Any]]:
    """Relative engagement per format within accounts (``x / account mean``), the formats with a clear effect."""
    known = frame.filter(pl.col("interactions").is_not_null() & (pl.col("format") != "unknown"))
    known = known.with_columns(_m=pl.col("interactions").mean().over("account")).filter(pl.col("_m") > 0)
    if known["format"].n_unique() < 2:
        return []
    rel = known.with_columns(_r=pl.col("interactions") / pl.col("_m"))
    per = rel.group_by("format").agg(
        pl.col("_r").mean().alias("mean"),
        pl.col("_r").std(ddof=1).alias("sd"),
        pl.len().alias("n"),
        pl.col("account").n_unique().alias("accounts"),
    )
    per = per.filter((pl.col("n") >= min_posts) & (pl.col("accounts") >= 2)).sort(
        "mean", "format", descending=[True, False]
    )
    out: list[dict[str, Any]] = []
    brand = next((r["account"] for r in rows.values() if r["role"] == "brand"), None)
    for fmt_name, mean, sd, n, n_acc in per.iter_rows():
        half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * float(sd) / math.sqrt(n)
        lo, hi = max(mean - half, 0.0), mean + half
        ci = _("{level} CI {low}–{high}×, n={n} posts of {accounts} accounts").format(
            level=confidence_words(confidence),
            low=format_significant(lo, digits=2),
            high=format_significant(hi, digits=2),
            n=format_number(n),
            accounts=format_number(n_acc),
        )
        words = {"format": format_words(str(fmt_name)), "times": format_significant(mean, digits=2), "ci": ci}
        if lo > 1:
            verdict = _("{format} posts get {times}× an account's average engagement across the group ({ci})")
        elif hi < 1:
            verdict = _("{format} posts get only {times}× an account's average engagement across the group ({ci})")
        else:
            continue
        verdict = verdict.format(**words)
        if brand is not None:
            verdict += _mix_gap(formats, brand, str(fmt_name))
        out.append(
            {"platform": p, "figure": "format", "format": fmt_name, "text": f"{p}: {verdict}.", "n": n, "value": mean}
            | {"low": lo, "high": hi}
        )
    return out


def _mix_gap(formats: pl.DataFrame, brand: str, fmt_name: str) -> str:
    shares = formats.filter(pl.col("format") == fmt_name)
    accounts = formats.select("account").unique()
    per = accounts.join(shares.select("account", "share"), on="account", how="left").fill_null(0.0)
    mine = per.filter(pl.col("account") == brand)["share"]
    others = per.filter(pl.col("account") != brand)["share"].to_numpy()
    if mine.len() == 0 or others.size == 0:
        return ""
    return _("; you post {yours} {format} against {theirs} for the average competitor").format(
        yours=format_percent(float(mine[0])), format=format_words(fmt_name), theirs=format_percent(float(others.mean()))
    )


def format_words(fmt_name: str) -> str:
    """A post format (``video``, ``photo``) in the active language (the analytics report's words for formats)."""
    return _(fmt_name) if fmt_name in _FORMAT_WORDS else fmt_name


_FORMAT_WORDS = {N_("photo"), N_("video"), N_("link"), N_("text"), N_("status"), N_("carousel"), N_("story")}
_FORMAT_WORDS.add(N_("reel"))
