"""What each page of the benchmark does, beyond its averages: cadence trend, best days and hours, the hashtags
and topics it owns, its top posts, its follower growth, and an interval for its share of voice.

All functions take the benchmark's prepared per-post frame (``platform, account, created_at, format,
interactions, …``; see :mod:`signalboost.competitors.benchmark`) and return plain frames, one row per account
(or per account and item), vectorised over accounts so 100 pages × 10,000 posts stay fast.

- **Cadence trend** — posts per week regressed on the week number over the shared window's full weeks (weeks
  without posts count as 0): the OLS slope ``b = S_xy / S_xx`` in posts/week per week, with the t interval
  ``b ± t_{W−2} · sqrt(SSE / (W−2) / S_xx)`` (any regression text, e.g. Montgomery, Peck & Vining,
  *Introduction to Linear Regression Analysis*, §2.3). The sums are taken over the weeks with posts only, since a
  zero week adds nothing to ``Σxy`` or ``Σy²``; ``W`` < 4 full weeks gives no trend. Nor does a page whose posts
  start more than a quarter of the window after its start (or end that long before its end): weeks without its
  posts there may be weeks not imported (a sample of its last posts, a new page), and would read as a rising
  cadence; ``trend_note`` says why.
- **Best days and hours** — the empirical-Bayes slot model of :mod:`signalboost.analytics.timing`
  (:func:`~signalboost.analytics.timing.estimate_hyper`, :func:`~signalboost.analytics.timing.shrink`, fitted
  to winsorised interactions) applied per page, once with the weekday and once with the hour as the slot. A day
  or hour is called best only when its interval lies above the page's own mean.
- **Hashtags and topics a page owns** — the weighted log-odds ratio with an informative Dirichlet prior
  (Monroe, Colaresi & Quinn 2008, "Fightin' Words", *Political Analysis* 16:372, eq. 22): for tag ``w``, page
  ``i`` and the rest of its group ``j``,
  ``δ = log((y_iw+α_w)/(n_i+α_0−y_iw−α_w)) − log((y_jw+α_w)/(n_j+α_0−y_jw−α_w))``,
  ``σ² ≈ 1/(y_iw+α_w) + 1/(y_jw+α_w)``, ``z = δ/σ``, with ``α_w = α_0 · y_w / n`` (the group's own counts as the
  prior, ``α_0`` = :data:`PRIOR_SIZE`). A tag is owned when ``z`` > 1.96 and the page used it at least
  :data:`MIN_TAG_USES` times.
- **Share of voice interval** — delta method for ``S_a = T_a / Σ_b T_b`` with ``Var(T_a) = n_a s_a²`` (the sum of
  ``n_a`` posts): ``Var(S_a) ≈ [(1−S_a)² Var(T_a) + S_a² Σ_{b≠a} Var(T_b)] / (Σ_b T_b)²``; the bounds are
  ``S_a ± z·sd`` clipped to [0, 1] (checked against a bootstrap over posts in the tests).
- **Follower growth** — from the follower snapshots inside the window: last − first, as a share of the first and
  per week between them; fewer than two snapshots gives no growth (never 0).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import polars as pl
from scipy import stats

from signalboost.analytics.timing import WEEKDAY_NAMES, estimate_hyper, shrink, time_unknown, winsorise, with_local_time
from signalboost.i18n import N_, _, format_date, format_number

MIN_TREND_WEEKS = 4
"""Full weeks a window needs before a cadence trend is estimated."""
PRIOR_SIZE = 100.0
"""``α_0`` of the log-odds prior: the group's tag frequencies, worth this many uses."""
MIN_TAG_USES = 3
"""Uses of a tag a page needs before it can own it."""
TOP_POSTS = 3
"""Top posts listed per page."""
MIN_SLOT_POSTS = 3
"""Posts a day or hour needs before it is named a page's best."""


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


# ------------------------------------------------------------------------------------------- cadence trend


def cadence_trend(
    frame: pl.DataFrame, windows: pl.DataFrame, *, confidence: float = 0.95, min_weeks: int = MIN_TREND_WEEKS
) -> pl.DataFrame:
    """``platform, account, trend_weeks, trend, trend_low, trend_high, trend_note``: the slope of weekly post
    counts (``trend_note`` says why a page has none).

    ``windows`` has ``platform, start, end`` (the shared window per network). Only full weeks from ``start`` are
    used; a window of fewer than ``min_weeks`` full weeks gives ``None`` (module docstring: formula).
    """
    w = frame.join(windows, on="platform", how="left").with_columns(
        W=((pl.col("end") - pl.col("start")).dt.total_seconds() // (7 * 86400)).cast(pl.Int64),
        week=((pl.col("created_at") - pl.col("start")).dt.total_seconds() // (7 * 86400)).cast(pl.Int64),
    )
    inside = w.filter((pl.col("week") >= 0) & (pl.col("week") < pl.col("W")))
    weekly = inside.group_by("platform", "account", "week").agg(pl.len().cast(pl.Float64).alias("y"), pl.first("W"))
    sums = weekly.group_by("platform", "account").agg(
        pl.first("W"),
        pl.col("y").sum().alias("sy"),
        (pl.col("y") * pl.col("week")).sum().alias("sxy"),
        (pl.col("y") ** 2).sum().alias("syy"),
    )
    spans = frame.group_by("platform", "account").agg(
        pl.col("created_at").min().alias("_first"), pl.col("created_at").max().alias("_last")
    )
    accounts = spans.join(windows, on="platform", how="left")
    quarter = (pl.col("end") - pl.col("start")) / 4
    accounts = accounts.with_columns(
        W=((pl.col("end") - pl.col("start")).dt.total_seconds() // (7 * 86400)).cast(pl.Int64),
        _covers=(pl.col("_first") <= pl.col("start") + quarter) & (pl.col("_last") >= pl.col("end") - quarter),
    ).select("platform", "account", "W", "_covers", "_first", "_last")
    s = accounts.join(sums.drop("W"), on=["platform", "account"], how="left").with_columns(
        pl.col("sy", "sxy", "syy").fill_null(0.0)
    )
    n = pl.col("W").cast(pl.Float64)
    xbar = (n - 1) / 2
    sxx = n * (n * n - 1) / 12  # Σ (x − x̄)² over x = 0 … W−1
    sxy = pl.col("sxy") - n * xbar * (pl.col("sy") / n)
    syy = pl.col("syy") - pl.col("sy") ** 2 / n
    s = s.with_columns(_sxx=sxx, _sxy=sxy, _syy=syy)
    s = s.with_columns(trend=pl.col("_sxy") / pl.col("_sxx"))
    s = s.with_columns(_sse=pl.max_horizontal(pl.col("_syy") - pl.col("trend") * pl.col("_sxy"), pl.lit(0.0)))
    ok = (pl.col("W") >= min_weeks) & pl.col("_covers")
    tq = pl.Series([float(stats.t.ppf(0.5 + confidence / 2, max(int(k) - 2, 1))) for k in s["W"].to_list()])
    s = s.with_columns(_tq=tq, _se=(pl.col("_sse") / (n - 2) / pl.col("_sxx")).sqrt())
    return s.select(
        "platform",
        "account",
        pl.when(ok).then(pl.col("W")).otherwise(None).alias("trend_weeks"),
        pl.when(ok).then(pl.col("trend")).otherwise(None).alias("trend"),
        pl.when(ok).then(pl.col("trend") - pl.col("_tq") * pl.col("_se")).otherwise(None).alias("trend_low"),
        pl.when(ok).then(pl.col("trend") + pl.col("_tq") * pl.col("_se")).otherwise(None).alias("trend_high"),
        # said here, in this thread's language (a polars worker thread would not have the reader's language)
        pl.Series(
            "trend_note",
            [trend_note(r, min_weeks) for r in s.select("W", "_covers", "_first", "_last").iter_rows(named=True)],
            dtype=pl.String,
        ),
    )


SHORT_NOTE = N_("period of {weeks} full weeks, fewer than {min}")
PARTIAL_NOTE = N_("posts cover only {first} to {last} of the period")


def trend_note(row: dict[str, Any], min_weeks: int) -> str | None:
    """Why a page has no cadence trend, in the active language (``None`` when it has one): the period is too short,
    or its posts cover only part of it (dates in the locale's form)."""
    if row["W"] < min_weeks:
        return _(SHORT_NOTE).format(weeks=format_number(row["W"]), min=format_number(min_weeks))
    if not row["_covers"]:
        return _(PARTIAL_NOTE).format(first=format_date(row["_first"]), last=format_date(row["_last"]))
    return None


def is_partial_note(note: str | None) -> bool:
    """``note`` (from :func:`trend_note`, in the active language) says the posts cover only part of the period."""
    return bool(note) and str(note).startswith(_(PARTIAL_NOTE).split("{", 1)[0])


# ------------------------------------------------------------------------------------- share of voice interval


def share_of_voice_interval(frame: pl.DataFrame, *, confidence: float = 0.95) -> pl.DataFrame:
    """``platform, account, sov_low, sov_high`` by the delta method (module docstring)."""
    known = frame.filter(pl.col("interactions").is_not_null())
    per = known.group_by("platform", "account").agg(
        pl.col("interactions").sum().alias("_t"),
        (pl.len() * pl.col("interactions").var(ddof=1).fill_null(0.0)).alias("_v"),
    )
    total = pl.col("_t").sum().over("platform")
    var_all = pl.col("_v").sum().over("platform")
    share = pl.col("_t") / total
    var = ((1 - share) ** 2 * pl.col("_v") + share**2 * (var_all - pl.col("_v"))) / total**2
    z = _z(confidence)
    ok = total > 0
    sd = var.sqrt()
    return per.select(
        "platform",
        "account",
        pl.when(ok).then(pl.max_horizontal(share - z * sd, pl.lit(0.0))).otherwise(None).alias("sov_low"),
        pl.when(ok).then(pl.min_horizontal(share + z * sd, pl.lit(1.0))).otherwise(None).alias("sov_high"),
    )


# ------------------------------------------------------------------------------------- days and hours


def posting_hours(timed: pl.DataFrame) -> pl.DataFrame:
    """``platform, account, weekday, hour, n_posts``: when each page posts, for a heatmap. ``timed`` is
    :func:`timed` output (local time; posts whose time of day is unknown left out)."""
    return (
        timed.group_by("platform", "account", "weekday", "hour")
        .agg(pl.len().alias("n_posts"))
        .with_columns(pl.col("weekday").cast(pl.Int64), pl.col("hour").cast(pl.Int64))
        .sort("platform", "account", "weekday", "hour")
    )


def timed(frame: pl.DataFrame, tz: str = "UTC") -> pl.DataFrame:
    """The posts whose time of day is known, with ``weekday`` (0 = Monday) and ``hour`` in zone ``tz``
    (:func:`signalboost.analytics.timing.with_local_time`)."""
    known = frame.filter(pl.col("created_at").is_not_null())
    if known.height:
        known = known.filter(~time_unknown(known))
    return with_local_time(known, tz)


def best_times(timed: pl.DataFrame, *, confidence: float = 0.95) -> pl.DataFrame:
    """``platform, account, dimension (day|hour), slot, label, n_posts, raw_mean, expected, low, high, best``
    from :func:`timed` posts.

    Per page, the timing module's shrinkage model with the weekday or the hour as the slot; ``best`` is True for
    the slot with the highest expected interactions when its interval lies wholly above the page's mean and it
    has at least :data:`MIN_SLOT_POSTS` posts (else no slot of that page is best).
    """
    z = _z(confidence)
    rows: list[dict[str, object]] = []
    known = timed.filter(pl.col("interactions").is_not_null())
    for g in known.partition_by(["platform", "account"], maintain_order=True):
        if g.height < 2:
            continue
        platform, account = g["platform"][0], g["account"][0]
        raw = g["interactions"].to_numpy().astype(float)
        y = winsorise(raw)
        for dim, col in (("day", "weekday"), ("hour", "hour")):
            keys = g[col].to_numpy().astype(int)
            hyper = estimate_hyper(y, keys)
            counts = np.bincount(keys, minlength=24)
            sums, raw_sums = np.bincount(keys, weights=y, minlength=24), np.bincount(keys, weights=raw, minlength=24)
            cand: list[dict[str, object]] = []
            for k in np.flatnonzero(counts):
                n = int(counts[k])
                post, lo, hi, _ = shrink(float(sums[k] / n), n, hyper, z=z)
                label = WEEKDAY_NAMES[int(k)] if dim == "day" else f"{int(k):02d}:00"
                cand.append(
                    {
                        "platform": str(platform),
                        "account": str(account),
                        "dimension": dim,
                        "slot": int(k),
                        "label": label,
                        "n_posts": n,
                        "raw_mean": float(raw_sums[k] / n),
                        "expected": post,
                        "low": max(lo, 0.0),
                        "high": hi,
                        "best": False,
                        "_above": lo > hyper.mu and n >= MIN_SLOT_POSTS,
                    }
                )
            top = max(cand, key=lambda r: float(r["expected"]))  # type: ignore[arg-type]
            top["best"] = bool(top["_above"])
            rows.extend({k: v for k, v in r.items() if k != "_above"} for r in cand)
    return pl.DataFrame(rows, schema=_BEST_SCHEMA)


_BEST_SCHEMA = {
    "platform": pl.String,
    "account": pl.String,
    "dimension": pl.String,
    "slot": pl.Int64,
    "label": pl.String,
    "n_posts": pl.Int64,
    "raw_mean": pl.Float64,
    "expected": pl.Float64,
    "low": pl.Float64,
    "high": pl.Float64,
    "best": pl.Boolean,
}


# ------------------------------------------------------------------------------------ hashtags and topics


def owned_terms(
    frame: pl.DataFrame,
    column: str = "hashtags",
    *,
    prior_size: float = PRIOR_SIZE,
    min_uses: int = MIN_TAG_USES,
    confidence: float = 0.95,
    top: int = 5,
) -> pl.DataFrame:
    """``platform, account, term, uses, group_uses, share_of_posts, log_odds, z``: the terms (hashtags, or
    pillars/topics) each page uses distinctly more than the rest of its group, at most ``top`` per page, by
    ``z`` (module docstring: the weighted log-odds of Monroe et al. 2008)."""
    schema = {
        "platform": pl.String,
        "account": pl.String,
        "term": pl.String,
        "uses": pl.Int64,
        "group_uses": pl.Int64,
        "share_of_posts": pl.Float64,
        "log_odds": pl.Float64,
        "z": pl.Float64,
    }
    if column not in frame.columns or frame.height == 0:
        return pl.DataFrame(schema=schema)
    posts_of = frame.group_by("platform", "account").agg(pl.len().alias("_posts"))
    terms = (
        frame.select("platform", "account", pl.col(column).alias("term"))
        .explode("term")
        .filter(pl.col("term").is_not_null())
        .with_columns(pl.col("term").cast(pl.String).str.strip_chars_start("#").str.to_lowercase())
        .filter(pl.col("term") != "")
    )
    if terms.height == 0:
        return pl.DataFrame(schema=schema)
    y = terms.group_by("platform", "account", "term").agg(pl.len().alias("uses"))
    y = y.with_columns(
        group_uses=pl.col("uses").sum().over("platform", "term"),
        n_i=pl.col("uses").sum().over("platform", "account"),
        n=pl.col("uses").sum().over("platform"),
    )
    a0 = prior_size
    yi, yw = pl.col("uses").cast(pl.Float64), pl.col("group_uses").cast(pl.Float64)
    yj, nj = yw - yi, (pl.col("n") - pl.col("n_i")).cast(pl.Float64)
    ni = pl.col("n_i").cast(pl.Float64)
    aw = a0 * yw / pl.col("n").cast(pl.Float64)
    delta = ((yi + aw) / (ni + a0 - yi - aw)).log() - ((yj + aw) / (nj + a0 - yj - aw)).log()
    var = 1 / (yi + aw) + 1 / (yj + aw)
    y = y.with_columns(log_odds=delta, z=delta / var.sqrt())
    cut = _z(confidence)
    owned = y.filter((pl.col("z") > cut) & (pl.col("uses") >= min_uses) & (pl.col("n_i") < pl.col("n")))
    owned = owned.join(posts_of, on=["platform", "account"], how="left").with_columns(
        share_of_posts=pl.col("uses") / pl.col("_posts")
    )
    owned = owned.sort(["platform", "account", "z", "term"], descending=[False, False, True, False])
    return owned.group_by("platform", "account", maintain_order=True).head(top).select(list(schema)).cast(schema)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------- top posts


def top_posts(frame: pl.DataFrame, *, k: int = TOP_POSTS) -> pl.DataFrame:
    """``platform, account, rank, post_id, created_at, format, interactions, er_followers, text, url``: each
    page's ``k`` posts with the most interactions (posts whose interactions are unknown are never listed)."""
    absent = {"post_id": pl.String, "text": pl.String, "url": pl.String, "er_followers": pl.Float64}
    f = frame.with_columns(pl.lit(None, dtype=t).alias(c) for c, t in absent.items() if c not in frame.columns)
    known = f.filter(pl.col("interactions").is_not_null())
    # the k-th best per page first, so only a few rows per page are sorted (not a million)
    cut = pl.col("interactions").top_k(k).min().over("platform", "account")
    known = known.filter(pl.col("interactions") >= cut)
    ranked = (
        known.sort(["platform", "account", "interactions", "created_at"], descending=[False, False, True, False])
        .group_by("platform", "account", maintain_order=True)
        .head(k)
    )
    return ranked.with_columns(rank=pl.int_range(1, pl.len() + 1).over("platform", "account")).select(
        "platform",
        "account",
        "rank",
        pl.col("post_id").cast(pl.String),
        "created_at",
        "format",
        "interactions",
        "er_followers",
        pl.col("text").cast(pl.String),
        pl.col("url").cast(pl.String),
    )


# --------------------------------------------------------------------------------------- follower growth


def follower_growth(
    snapshots: pl.DataFrame | None, *, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> pl.DataFrame:
    """``platform, account, n_snapshots, followers_first, followers_last, growth, growth_pct, growth_per_week``
    from follower snapshots (``platform, account, observed_at, followers``) inside ``[start, end)``; a page with
    fewer than two snapshots gets ``None`` growth."""
    schema = {
        "platform": pl.String,
        "account": pl.String,
        "n_snapshots": pl.Int64,
        "followers_first": pl.Int64,
        "followers_last": pl.Int64,
        "growth": pl.Int64,
        "growth_pct": pl.Float64,
        "growth_per_week": pl.Float64,
    }
    if snapshots is None or snapshots.height == 0:
        return pl.DataFrame(schema=schema)
    s = snapshots.filter(pl.col("followers").is_not_null() & pl.col("observed_at").is_not_null())
    if start is not None:
        s = s.filter(pl.col("observed_at") >= start)
    if end is not None:
        s = s.filter(pl.col("observed_at") < end)
    s = s.sort("observed_at")
    per = s.group_by("platform", "account").agg(
        pl.len().alias("n_snapshots"),
        pl.col("followers").first().cast(pl.Int64).alias("followers_first"),
        pl.col("followers").last().cast(pl.Int64).alias("followers_last"),
        ((pl.col("observed_at").last() - pl.col("observed_at").first()).dt.total_seconds() / (7 * 86400.0)).alias(
            "_weeks"
        ),
    )
    ok = pl.col("n_snapshots") >= 2
    growth = pl.col("followers_last") - pl.col("followers_first")
    return per.select(
        "platform",
        "account",
        "n_snapshots",
        "followers_first",
        "followers_last",
        pl.when(ok).then(growth).otherwise(None).alias("growth"),
        pl.when(ok & (pl.col("followers_first") > 0))
        .then(growth / pl.col("followers_first"))
        .otherwise(None)
        .alias("growth_pct"),
        pl.when(ok & (pl.col("_weeks") > 0)).then(growth / pl.col("_weeks")).otherwise(None).alias("growth_per_week"),
    ).sort("platform", "account")


def clip_text(text: str | None, limit: int = 140) -> str | None:
    """``text`` shortened to ``limit`` characters with an ellipsis (``None`` stays ``None``)."""
    if text is None:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


__all__ = [
    "best_times",
    "cadence_trend",
    "clip_text",
    "follower_growth",
    "owned_terms",
    "posting_hours",
    "share_of_voice_interval",
    "timed",
    "top_posts",
]
