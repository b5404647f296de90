"""The profile of one influencer: what they share (formats, topics, hashtags), when (weekday × hour), their
engagement with the brand over time, and which content to make to reach them.

Posts are the account's rows in the posts table; when none were imported, the account's own reposts, quotes,
replies and mentions stand in (each is a post on X). Advice is only given from at least
:data:`MIN_POSTS_FOR_ADVICE` observed posts; otherwise it says "not enough data" and the sample size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from signalboost.i18n import L_
from signalboost.influence.data import InfluenceData
from signalboost.influence.engagement import engagement_over_time

MIN_POSTS_FOR_ADVICE = 10
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass
class Profile:
    """One account's profile (see the module docstring). ``weekday_hour[d, h]``: posts on weekday ``d`` (0 = Monday)
    at hour ``h`` in ``timezone``."""

    platform: str
    account_id: str
    handle: str | None
    posts_observed: int
    posts_source: str
    formats: list[tuple[str, int]]
    shared_formats: list[tuple[str, int]]
    hashtags: list[tuple[str, int]]
    topics: list[tuple[str, int]]
    weekday_hour: np.ndarray
    timezone: str
    engagement: pl.DataFrame
    advice: list[str]
    score: dict[str, Any] = field(default_factory=dict)
    engagement_seen: bool = True
    """Whether any other account's interaction with the brand is in the data (an account export has none)."""
    brand_id: str | None = None
    """The brand's account (None: none set, so no engagement with it and no segment)."""
    name: str | None = None
    """The account's display name, when the data has one."""

    def best_slot(self) -> tuple[str, int, int] | None:
        """``(weekday, hour, posts)`` of the busiest weekday × hour cell, or None without dated posts."""
        if self.weekday_hour.sum() == 0:
            return None
        d, h = np.unravel_index(int(np.argmax(self.weekday_hour)), self.weekday_hour.shape)
        return WEEKDAYS[int(d)], int(h), int(self.weekday_hour[d, h])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``--format json`` and the dashboard's JSON twin)."""
        slot = self.best_slot()
        return {
            "platform": self.platform,
            "account_id": self.account_id,
            "handle": self.handle,
            "name": self.name,
            "score": self.score,
            "posts_observed": self.posts_observed,
            "posts_source": self.posts_source,
            "formats": [{"format": f, "posts": n} for f, n in self.formats],
            "shared_formats": [{"format": f, "posts": n} for f, n in self.shared_formats],
            "hashtags": [{"hashtag": t, "posts": n} for t, n in self.hashtags],
            "topics": [{"topic": t, "posts": n} for t, n in self.topics],
            "weekday_hour": self.weekday_hour.astype(int).tolist(),
            "timezone": self.timezone,
            "busiest_slot": None if slot is None else {"weekday": slot[0], "hour": slot[1], "posts": slot[2]},
            "engagement_over_time": [
                {k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in row.items()}
                for row in self.engagement.iter_rows(named=True)
            ],
            "advice": self.advice,
            "engagement_seen": self.engagement_seen,
            "brand_account_id": self.brand_id,
        }


def _engagement_seen(data: InfluenceData, brand_id: str | None) -> bool:
    from signalboost.influence.score import engagement_seen

    b = data.index(brand_id)
    return b < 0 or engagement_seen(data, b)


def _counts(series: pl.Series, top: int) -> list[tuple[str, int]]:
    s = series.drop_nulls()
    if s.len() == 0:
        return []
    vc = s.value_counts(name="n").sort(["n", s.name], descending=[True, False]).head(top)
    return [(str(a), int(b)) for a, b in vc.iter_rows()]


def build_profile(
    data: InfluenceData,
    account_id: str,
    *,
    brand_id: str | None = None,
    timezone: str = "UTC",
    top: int = 5,
    every: str = "1w",
) -> Profile:
    """Profile ``account_id`` from ``data`` (see the module docstring); times are shown in ``timezone``."""
    import re

    from signalboost.errors import InfluenceError

    if not re.fullmatch(r"[1-9][0-9]*(h|d|w|mo|y)", every):
        raise InfluenceError(
            L_("period {every!r} is not a duration", every=every),
            where="--every",
            hint=L_("Use e.g. 1d, 1w, 2w or 1mo"),
        )
    a = data.index(account_id)
    own = data.posts.filter(pl.col("ix") == a)
    acts = data.interactions.filter((pl.col("src") == a) & (pl.col("kind") != "like"))
    if own.height:
        source, stamps, formats = "posts", own["created_at"], _counts(own["format"], top)
    else:
        source, stamps, formats = "interactions", acts["occurred_at"], _counts(acts["kind"], top)
    shared = acts.join(
        data.posts.select(pl.col("post_id").alias("target_post_id"), "format"), on="target_post_id", how="inner"
    )
    tags = own["hashtags"].explode().drop_nulls().str.strip_prefix("#").str.to_lowercase() if own.height else None
    grid = np.zeros((7, 24), dtype=np.int64)
    local = stamps.drop_nulls().dt.convert_time_zone(timezone)
    if local.len():
        np.add.at(grid, (local.dt.weekday().to_numpy() - 1, local.dt.hour().to_numpy()), 1)
    eng = (
        engagement_over_time(data, account_id, brand_id, every=every)
        if brand_id and brand_id != account_id
        else pl.DataFrame()
    )
    mine = data.accounts.filter(pl.col("ix") == a)
    handle = mine["handle"].drop_nulls().to_list()
    name = mine["name"].drop_nulls().to_list() if "name" in mine.columns else []
    prof = Profile(
        platform=data.platform,
        account_id=account_id,
        handle=handle[0] if handle else None,
        name=name[0] if name else None,
        posts_observed=int(stamps.len()),
        posts_source=source,
        formats=formats,
        shared_formats=_counts(shared["format"], top),
        hashtags=_counts(tags, top) if tags is not None else [],
        topics=_counts(own["pillars"].explode(), top) if own.height else [],
        weekday_hour=grid,
        timezone=timezone,
        engagement=eng,
        advice=[],
        engagement_seen=_engagement_seen(data, brand_id),
        brand_id=brand_id,
    )
    prof.advice = advise(prof)
    return prof


def advise(p: Profile) -> list[str]:
    """Which content to make to reach the account, with the sample it rests on (or "not enough data"), in the
    active language (the CLI's profile and the dashboard's say the same)."""
    from signalboost.competitors.benchmark import format_words
    from signalboost.i18n import _, day_word, format_number, format_percent, ngettext

    n = p.posts_observed
    if n < MIN_POSTS_FOR_ADVICE:
        return [
            _("Not enough data: {n} post(s) observed (at least {min} needed for advice).").format(
                n=format_number(n), min=format_number(MIN_POSTS_FOR_ADVICE)
            )
        ]
    out = []
    fmt = p.shared_formats or p.formats
    if fmt:
        total = sum(c for _f, c in fmt)
        share = fmt[0][1] / max(1, total)
        text = (
            _("Format: {format} — {share} of what they share (n={n}).")
            if p.shared_formats
            else _("Format: {format} — {share} of what they post (n={n}).")
        )
        out.append(
            text.format(format=format_words(str(fmt[0][0])), share=format_percent(share), n=format_number(total))
        )
    if p.hashtags or p.topics:
        tag, k = (p.topics or p.hashtags)[0]
        out.append(
            _("Topic: {topic} — in {k} of their {n} posts; make content on it and tag them when it is theirs.").format(
                topic=tag, k=format_number(k), n=format_number(n)
            )
        )
    else:
        out.append(_("Topic: no hashtags or pillar labels on their posts — topics unknown."))
    slot = p.best_slot()
    if slot:
        day, hour, k = slot
        out.append(
            _(
                "Timing: publish {day} around {hour} ({zone}) — their busiest hour, {k} of {n} posts (a single cell "
                "of 168, so treat it as a hint)."
            ).format(
                day=day_word(day, "wide"),
                hour=f"{hour:02d}:00",
                zone=p.timezone,
                k=format_number(k),
                n=format_number(n),
            )
        )
    if p.engagement.height:
        total = int(p.engagement["interactions"].sum())
        periods = p.engagement.height
        out.append(
            ngettext(
                "Engagement with you: {n} interaction(s) over {periods} period.",
                "Engagement with you: {n} interaction(s) over {periods} periods.",
                periods,
            ).format(n=format_number(total), periods=format_number(periods))
        )
    return out
