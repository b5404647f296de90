"""KPIs against their targets, with trend, and tactics against their goals.

A KPI's value is computed over its window ``(end − window_days, end]`` where ``end`` is ``as_of`` (default: the
last post's time on the KPI's network, or on any network for a KPI over all of them); the trend compares it with
the window before, ``(end − 2·window_days, end − window_days]``.
Counts (reach, likes, interactions, …) are sums over the window's posts that report them; rates
(``engagement_rate_*``, ``click_through_rate``) are means of per-post values (see
:mod:`signalboost.analytics.metrics`); ``followers`` is the last follower snapshot in the window summed over the
brand's accounts on the network; ``follower_growth`` is ``(last − first) / first`` of that within the window.

A tactic is judged on the weekly values of the KPIs it serves (or, with none, the metric of its goal): weeks with
the tactic (a post labelled with it, or else an occurrence of its RRULE) against the other weeks, with a Welch
interval for the difference (:func:`signalboost.analytics.compare.welch_interval`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import polars as pl

from signalboost.analytics.compare import welch_interval
from signalboost.analytics.metrics import INTERACTION_METRICS, as_utc, group_bases, network_definition
from signalboost.model.strategy import Kpi, Tactic

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
NOT_AVAILABLE = "not computed by the analytics (no data source yet)"
RELATIONSHIP = "a relationship KPI, per influencer: see `signalboost outreach kpis --targets`"


def _prepare(frame: pl.DataFrame) -> pl.DataFrame:
    ctr = (
        pl.when(pl.col("impressions") > 0)
        .then(pl.col("clicks").cast(pl.Float64) / pl.col("impressions"))
        .otherwise(None)
    )
    return frame.with_columns(as_utc(pl.col("created_at"), frame.schema["created_at"]).alias("_t"), ctr.alias("_ctr"))


def metric_value(
    posts: pl.DataFrame, metric: str, snapshots: pl.DataFrame | None = None
) -> tuple[float | None, int, str]:
    """``(value, sample size, status)`` of a KPI ``metric`` over the already-windowed ``posts``."""
    if metric == "posts":
        return float(posts.height), posts.height, "ok"
    if metric in SUM_METRICS or metric in RATE_METRICS:
        col = SUM_METRICS.get(metric) or RATE_METRICS[metric]
        values = posts[col].cast(pl.Float64).drop_nulls().drop_nans()
        if values.len() == 0:
            return None, 0, "not reported"
        value = float(values.sum()) if metric in SUM_METRICS else float(values.mean())  # type: ignore[arg-type]
        return value, values.len(), "ok"
    if metric in ("followers", "follower_growth"):
        if snapshots is None or snapshots.height == 0:
            return None, 0, "no follower snapshots"
        snaps = snapshots.filter(pl.col("followers").is_not_null()).sort("observed_at")
        if snaps.height == 0:
            return None, 0, "no follower snapshots"
        last = snaps.group_by("account_id").agg(pl.col("followers").last(), pl.col("followers").first().alias("f0"))
        total, first = float(last["followers"].sum()), float(last["f0"].sum())
        if metric == "followers":
            return total, snaps.height, "ok"
        if snaps.height < 2 or first <= 0:
            return None, snaps.height, "not enough data"
        return (total - first) / first, snaps.height, "ok"
    if metric.startswith("influencer_"):
        return None, 0, RELATIONSHIP
    return None, 0, NOT_AVAILABLE


def kpi_status(
    kpis: Sequence[Kpi],
    frame: pl.DataFrame,
    snapshots: pl.DataFrame | None = None,
    *,
    as_of: dt.datetime | None = None,
) -> pl.DataFrame:
    """Each KPI vs its target over its window, with the previous window and the trend.

    ``frame`` is :func:`post_engagement` output. Columns: ``kpi, metric, network, window_days, window_start,
    window_end, value, target, direction, met, previous, change, trend, n, status``. ``met`` is ``None`` when the
    value cannot be computed (``status`` says why).
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
        "network": pl.String(),
        "window_days": pl.Int64(),
        "window_start": pl.Datetime("us", "UTC"),
        "window_end": pl.Datetime("us", "UTC"),
        "value": pl.Float64(),
        "target": pl.Float64(),
        "direction": pl.String(),
        "met": pl.Boolean(),
        "previous": pl.Float64(),
        "change": pl.Float64(),
        "trend": pl.String(),
        "n": pl.Int64(),
        "status": pl.String(),
    }
)


def _window(data: pl.DataFrame, start: dt.datetime, end: dt.datetime) -> pl.DataFrame:
    return data.filter((pl.col("_t") > start) & (pl.col("_t") <= end))


def _one_kpi(
    kpi: Kpi, data: pl.DataFrame, snapshots: pl.DataFrame | None, end: dt.datetime | None
) -> dict[str, object]:
    row: dict[str, object] = {
        "kpi": kpi.id,
        "metric": kpi.metric,
        "network": kpi.network or "all",
        "window_days": kpi.window_days,
        "target": kpi.target,
        "direction": kpi.direction,
    }
    if end is None:
        return {**row, "n": 0, "status": "no posts"}
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
    value, n, status = metric_value(cur, kpi.metric, cur_snaps)
    if value is not None:
        status = _with_basis(status, kpi.metric, cur)
    if cur.height == 0 and kpi.metric not in ("followers", "follower_growth", "posts"):
        value, n, status = None, 0, f"no posts{' on ' + kpi.network if kpi.network else ''} in the window"
    previous, _, _ = metric_value(prev, kpi.metric, prev_snaps)
    met = None if value is None else (value >= kpi.target if kpi.direction == "at_least" else value <= kpi.target)
    change = None if value is None or previous is None else value - previous
    trend = "n/a" if change is None else "up" if change > 0 else "down" if change < 0 else "flat"
    return {
        **row,
        "window_start": end - width,
        "window_end": end,
        "value": value,
        "met": met,
        "previous": previous,
        "change": change,
        "trend": trend,
        "n": n,
        "status": status,
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
        targets: list[tuple[str, str, str | None]] = [(k.id, str(k.metric), k.network) for k in served]
        targets = targets or [("(goal)", GOAL_METRIC[tactic.goal], None)]
        for kpi_id, metric, network in targets:
            scoped = frame.filter(pl.col("platform") == network) if network else frame
            if tactic.networks and not network:
                scoped = scoped.filter(pl.col("platform").is_in(tactic.networks))
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
