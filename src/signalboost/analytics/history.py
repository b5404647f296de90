"""Which part of a network's history the advice reads: a recent window, so 12 years of archive do not speak for
habits the account dropped long ago.

Per network, the window ends at the network's last post (``end``) and starts ``months`` calendar months earlier
(``[end − months, end]``, the start included). When that window holds fewer than ``min_posts`` posts *with a
figure* (the metric the network is ranked on), it is widened back to the ``min_posts``-th most recent such post, so
the advice never rests on fewer posts than its own backtest needs: ``min_posts`` defaults to
:data:`signalboost.analytics.slot_choice.MIN_POSTS` (60 posts with a known time and a figure, below which the best
times cannot be backtested). A network with fewer such posts in its whole history reads all of it. ``since`` (a
date, the brand's calendar) replaces the rule: the window is ``[since, end]``, never widened. ``months`` 0 (or
``None``) reads the whole history.

Only the advice reads the window — best times and their backtest, posts per day and the weekly proposal, formats,
paid vs organic, pillar performance; the engagement summary, the pillar mix and the KPIs (each over its own window)
read every post, as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from dateutil.relativedelta import relativedelta

from signalboost.analytics.metrics import as_utc
from signalboost.analytics.slot_choice import MIN_POSTS
from signalboost.i18n import _, format_number, ngettext

#: the default window of the advice: the last twelve months (widened to :data:`MIN_POSTS` posts with a figure)
DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class HistoryWindow:
    """The part of one network's history the advice reads.

    ``how``: ``months`` (the last ``months`` months held ``min_posts`` posts with a figure), ``widened`` (widened
    back to the ``min_posts``-th most recent post with a figure), ``whole`` (fewer than ``min_posts`` such posts in
    the whole history: all of it), ``all`` (``months`` 0: the whole history asked for), ``since`` (from ``since``).
    ``n_posts`` / ``n_judged``: the window's posts / those with a figure; ``n_left_out``: earlier posts."""

    platform: str
    start: dt.datetime
    end: dt.datetime
    how: str
    months: int | None
    min_posts: int
    n_posts: int
    n_judged: int
    n_left_out: int

    def note(self) -> str:
        """The window in one English sentence with ISO dates (``report.analysis_words.plain_note`` says it in the
        reader's language); empty when the window reads every post."""
        if self.n_left_out == 0:
            return ""
        return (
            f"{self.platform}: the advice reads the posts of {self.start.date().isoformat()} to "
            f"{self.end.date().isoformat()} ({self.reason()}; {self.n_posts} posts, {self.n_judged} with a figure); "
            f"{self.n_left_out} earlier posts are left out of the best times, posts per day and formats"
        )

    def reason(self) -> str:
        """Why the window starts where it does, in English (see :meth:`note`)."""
        if self.how == "months":
            return f"the last {self.months} months"
        if self.how == "widened":
            return f"the last {self.months} months, widened to reach {self.min_posts} posts with a figure"
        if self.how == "since":
            return "since the date asked for"
        if self.how == "whole":
            return f"the whole history: fewer than {self.min_posts} posts with a figure"
        return "the whole history"


def history_windows(
    frame: pl.DataFrame,
    metrics: dict[str, str],
    *,
    months: int | None = DEFAULT_MONTHS,
    min_posts: int = MIN_POSTS,
    since: dt.date | None = None,
    tz: str = "UTC",
) -> dict[str, HistoryWindow]:
    """Per network of ``frame`` (``platform, created_at`` and each network's metric column of ``metrics``), the
    :class:`HistoryWindow` of the advice (module doc gives the rule)."""
    data = frame.filter(pl.col("created_at").is_not_null())
    data = data.with_columns(as_utc(pl.col("created_at"), data.schema["created_at"]).alias("_t"))
    out: dict[str, HistoryWindow] = {}
    for (platform,), g in data.group_by(["platform"], maintain_order=True):
        metric = metrics.get(str(platform), "interactions")
        judged = g.filter(pl.col(metric).is_not_null()) if metric in g.columns else g.head(0)
        end: dt.datetime = g["_t"].max()  # type: ignore[assignment]
        first: dt.datetime = g["_t"].min()  # type: ignore[assignment]
        if since is not None:
            start = dt.datetime.combine(since, dt.time(0), tzinfo=_zone(tz)).astimezone(dt.UTC)
            how = "since"
        elif not months:
            start, how = first, "all"
        else:
            try:
                start, how = end - relativedelta(months=months), "months"
            except (OverflowError, ValueError):  # before year 1: the window holds the whole history
                start, how = first, "months"
            n_in = judged.filter(pl.col("_t") >= start).height
            if n_in < min_posts:
                times = judged["_t"].sort(descending=True)
                if times.len() >= min_posts:
                    start, how = times[min_posts - 1], "widened"
                else:
                    start, how = first, "whole"
        start = max(start, first) if how != "since" else start
        inside = g.filter(pl.col("_t") >= start)
        out[str(platform)] = HistoryWindow(
            platform=str(platform),
            start=start,
            end=end,
            how=how,
            months=months or None,
            min_posts=min_posts,
            n_posts=inside.height,
            n_judged=judged.filter(pl.col("_t") >= start).height,
            n_left_out=g.height - inside.height,
        )
    return out


def in_windows(frame: pl.DataFrame, windows: dict[str, HistoryWindow]) -> pl.DataFrame:
    """The rows of ``frame`` inside their network's window (a network without a window keeps every row; rows
    without a time are kept only where the window reads the whole history)."""
    if not windows or frame.height == 0:
        return frame
    t = as_utc(pl.col("created_at"), frame.schema["created_at"])
    keep: pl.Expr = pl.lit(False)
    for platform, w in windows.items():
        whole = w.n_left_out == 0 and w.how != "since"
        inside = pl.lit(True) if whole else t.is_not_null() & (t >= w.start) & (t <= w.end)
        keep = keep | ((pl.col("platform") == platform) & inside)
    keep = keep | ~pl.col("platform").is_in(list(windows))
    return frame.filter(keep)


def window_reason(how: str, months: int | None, min_posts: int) -> str:
    """Why the advice's window starts where it does (:attr:`HistoryWindow.how`), in the reader's words."""
    if how == "months":
        return ngettext("the last {n} month", "the last {n} months", months or 0).format(n=months)
    if how == "widened":
        return ngettext(
            "the last {n} month, widened to reach {k} posts with a figure",
            "the last {n} months, widened to reach {k} posts with a figure",
            months or 0,
        ).format(n=months, k=format_number(min_posts))
    if how == "since":
        return _("since the date asked for")
    if how == "whole":
        return _("the whole history: fewer than {k} posts with a figure").format(k=format_number(min_posts))
    return _("the whole history")


def window_sentence(window: HistoryWindow) -> str:
    """The history the advice read on one network, in the reader's words and dates: ``x: the advice reads the
    posts of Nov 4, 2021 to Nov 3, 2022 (the last 12 months; 75 posts, 75 with a figure); 1,911 earlier posts are
    left out of the best times, posts per day and formats``."""
    from signalboost.i18n import format_day

    return _(
        "{platform}: the advice reads the posts of {start} to {end} ({reason}; {n} posts, {judged} with a figure); "
        "{left_out} earlier posts are left out of the best times, posts per day and formats"
    ).format(
        platform=window.platform,
        start=format_day(window.start),
        end=format_day(window.end),
        reason=window_reason(window.how, window.months, window.min_posts),
        n=format_number(window.n_posts),
        judged=format_number(window.n_judged),
        left_out=format_number(window.n_left_out),
    )


def window_evidence(window: HistoryWindow) -> str:
    """``recommend``'s evidence for the window: why it starts there, what it holds and what it leaves out."""
    reason = window_reason(window.how, window.months, window.min_posts)
    held = _("{n} posts, {judged} with a figure").format(
        n=format_number(window.n_posts), judged=format_number(window.n_judged)
    )
    if window.n_left_out == 0:
        return _("{reason}: {held}; every post of the history").format(reason=reason, held=held)
    return _("{reason}: {held}; {left_out} earlier posts left out (change it with --window or --since)").format(
        reason=reason, held=held, left_out=format_number(window.n_left_out)
    )


def _zone(tz: str) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(tz)
