"""Relationship KPIs over time, per influencer (or partner), and the alerts of ``signalboost outreach due``.

Per account and window ``[start, end)`` of ``window_days`` days (the last window ends at ``end``):

    interacts        = at least one touch of theirs in the window
    interactions     = their touches in the window (likes, replies, mentions, reposts, quotes of us)
    amplifications   = their reposts/quotes of our content in the window
    our_posts        = our posts published in the window
    engaged_posts    = our posts published in the window that they engaged with (at any time before ``end``)
    engagement_rate  = engaged_posts / our_posts   (None when we published nothing: not 0)

On a network where no one's touches of the brand are in the data (no like, reply, mention, repost or quote of the
brand by another account imported, and none logged in the ledger — an X archive or a Mastodon export holds only
the brand's own), their side cannot be seen: ``interacts``, ``interactions``, ``amplifications``,
``engaged_posts`` and ``engagement_rate`` are None (unknown), never 0 or False.

The *trend* compares the last window with the one before: the engagement rate when both windows have our posts,
else the number of interactions. Alerts (method: *connect* — track your content's engagement with them):

- ``engagement_drop``: the measure fell by more than ``engagement_drop_alert`` (strategy, default 0.5) of its
  previous value: ``(prev − last) / prev > drop`` with ``prev > 0``;
- ``follow_up_due``: the record's due date is today or past (not for a ``declined`` relationship: nothing to
  follow up until it is identified again);
- ``no_touch``: an active relationship (warming … retained) had no touch from us in ``follow_up_days``
  (strategy, default 14) — give more than you ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from signalboost.i18n import _, format_date, format_percent, format_significant
from signalboost.outreach.ledger import Balance, as_utc
from signalboost.outreach.pipeline import ACTIVE_STAGES, OutreachRecord
from signalboost.store.workspace import Workspace

if TYPE_CHECKING:  # polars is imported where it is used: importing it costs every command ~25 MB
    import polars as pl

DEFAULT_WINDOW_DAYS = 30
DEFAULT_WINDOWS = 4


@dataclass(frozen=True)
class WindowKpi:
    """The relationship KPIs of one account in one window."""

    platform: str
    account_id: str
    window_start: dt.datetime
    window_end: dt.datetime
    interacts: bool | None
    interactions: int | None
    amplifications: int | None
    our_posts: int
    engaged_posts: int | None
    engagement_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Trend:
    """Last window against the previous one, for one account."""

    platform: str
    account_id: str
    measure: str  # engagement_rate | interactions
    previous: float | None
    last: float | None
    change: float | None  # relative change (last − previous) / previous; None when previous is 0 or unknown
    direction: str  # up | down | flat | not enough data

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Alert:
    """Something to act on for one relationship."""

    platform: str
    account_id: str
    handle: str | None
    kind: str  # engagement_drop | follow_up_due | no_touch
    message: str
    due_date: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def windows(end: dt.datetime, window_days: int, count: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """``count`` consecutive windows of ``window_days`` days, oldest first, the last ending at ``end``."""
    if window_days < 1 or count < 1:
        raise ValueError("window_days and count must be at least 1")
    end = as_utc(end)
    step = dt.timedelta(days=window_days)
    return [(end - step * (count - i), end - step * (count - i - 1)) for i in range(count)]


def window_kpis(
    their: pl.DataFrame,
    our_posts: pl.DataFrame,
    accounts: Sequence[tuple[str, str]],
    *,
    end: dt.datetime,
    window_days: int = DEFAULT_WINDOW_DAYS,
    count: int = DEFAULT_WINDOWS,
    observed: Collection[str] | None = None,
) -> list[WindowKpi]:
    """KPIs per account and window.

    ``their``: touches of theirs (platform, account_id, kind, post_id, occurred_at); ``our_posts``: the brand's
    posts (platform, post_id, created_at). Accounts with no touches get rows too (interacts = False).
    ``observed``: the platforms where other accounts' touches of the brand can be seen (None: every platform); on
    the others their side of each window is None (module docstring).
    """
    spans = windows(end, window_days, count)
    end_utc = as_utc(end)
    posts = [
        (str(p), str(i), as_utc(t)) for p, i, t in our_posts.select("platform", "post_id", "created_at").iter_rows()
    ]
    touches: dict[tuple[str, str], list[tuple[str, str, dt.datetime]]] = {}
    for p, a, k, post, t in their.select("platform", "account_id", "kind", "post_id", "occurred_at").iter_rows():
        touches.setdefault((p, a), []).append((k, post, as_utc(t)))
    published_in: dict[tuple[str, int], list[str]] = {}
    for p, i, t in posts:
        for w, (start, stop) in enumerate(spans):
            if start <= t < stop:
                published_in.setdefault((p, w), []).append(i)
    out: list[WindowKpi] = []
    for platform, account_id in accounts:
        if observed is not None and platform not in observed:
            out += [_unseen(platform, account_id, w, span, published_in) for w, span in enumerate(spans)]
            continue
        mine = [x for x in touches.get((platform, account_id), []) if x[2] < end_utc]
        engaged_ids = {post for _, post, _ in mine if post}
        for w, (start, stop) in enumerate(spans):
            inside = [x for x in mine if start <= x[2] < stop]
            published = published_in.get((platform, w), [])
            engaged = sum(1 for i in published if i in engaged_ids)
            out.append(
                WindowKpi(
                    platform=platform,
                    account_id=account_id,
                    window_start=start,
                    window_end=stop,
                    interacts=bool(inside),
                    interactions=len(inside),
                    amplifications=sum(1 for k, _, _ in inside if k == "amplification"),
                    our_posts=len(published),
                    engaged_posts=engaged,
                    engagement_rate=(engaged / len(published)) if published else None,
                )
            )
    return out


def _unseen(
    platform: str,
    account_id: str,
    w: int,
    span: tuple[dt.datetime, dt.datetime],
    published_in: Mapping[tuple[str, int], list[str]],
) -> WindowKpi:
    """A window on a network where their touches cannot be seen: our posts counted, their side unknown."""
    ours = len(published_in.get((platform, w), []))
    return WindowKpi(platform, account_id, span[0], span[1], None, None, None, ours, None, None)


def trends(kpis: Sequence[WindowKpi]) -> list[Trend]:
    """Per account: last window against the previous one (engagement rate when measurable, else interactions)."""
    by_account: dict[tuple[str, str], list[WindowKpi]] = {}
    for k in kpis:
        by_account.setdefault((k.platform, k.account_id), []).append(k)
    out = []
    for (platform, account_id), rows in by_account.items():
        rows.sort(key=lambda r: r.window_start)
        if len(rows) < 2:
            out.append(Trend(platform, account_id, "interactions", None, None, None, "not enough data"))
            continue
        prev, last = rows[-2], rows[-1]
        if prev.interactions is None or last.interactions is None:
            out.append(Trend(platform, account_id, "interactions", None, None, None, "not enough data"))
            continue
        if prev.engagement_rate is not None and last.engagement_rate is not None:
            measure, a, b = "engagement_rate", prev.engagement_rate, last.engagement_rate
        else:
            measure, a, b = "interactions", float(prev.interactions), float(last.interactions)
        change = (b - a) / a if a > 0 else None
        direction = "up" if b > a else "down" if b < a else "flat"
        out.append(Trend(platform, account_id, measure, a, b, change, direction))
    return out


def alerts(
    trend_rows: Sequence[Trend],
    records: Sequence[OutreachRecord],
    balances: Mapping[tuple[str, str], Balance],
    *,
    today: dt.date,
    drop: float = 0.5,
    follow_up_days: int = 14,
) -> list[Alert]:
    """The alerts of the module docstring, sorted by kind then account."""
    handles = {(r.platform, r.account_id): r.handle for r in records}
    out: list[Alert] = []
    for t in trend_rows:
        key = (t.platform, t.account_id)
        if t.previous and t.last is not None and (t.previous - t.last) / t.previous > drop:
            share = (t.previous - t.last) / t.previous
            out.append(
                Alert(
                    t.platform,
                    t.account_id,
                    handles.get(key),
                    "engagement_drop",
                    (
                        _("engagement rate fell {share} (from {before} to {after}), more than the {drop} alert share")
                        if t.measure == "engagement_rate"
                        else _("interactions fell {share} (from {before} to {after}), more than the {drop} alert share")
                    ).format(
                        share=format_percent(share),
                        before=format_significant(t.previous, digits=3),
                        after=format_significant(t.last, digits=3),
                        drop=format_percent(drop),
                    ),
                )
            )
    for r in records:
        key = (r.platform, r.account_id)
        if r.due_date is not None and r.due_date <= today and r.stage != "declined":
            said = (
                _("due {date}: {step}").format(date=format_date(r.due_date), step=r.next_step)
                if r.next_step
                else _("due {date}").format(date=format_date(r.due_date))
            )
            out.append(Alert(r.platform, r.account_id, r.handle, "follow_up_due", said, r.due_date))
        if r.stage in ACTIVE_STAGES:
            b = balances.get(key)
            last = b.last_ours.date() if b is not None and b.last_ours is not None else None
            since = last or as_utc(r.created_at).date()
            if (today - since).days >= follow_up_days:
                what = (
                    _("no touch from us since {date}").format(date=format_date(last))
                    if last
                    else _("no touch from us since added on {date}").format(date=format_date(since))
                )
                said = _("{what} ({stage}); give before you ask").format(what=what, stage=stage_words(r.stage))
                out.append(Alert(r.platform, r.account_id, r.handle, "no_touch", said))
    return sorted(out, key=lambda a: (a.kind, a.handle or a.account_id))


# ------------------------------------------------------------------------------------------ workspace calls
def _settings(ws: Workspace) -> tuple[float, int]:
    if ws.has_strategy():
        s = ws.strategy().influence
        return float(s.engagement_drop_alert), int(s.follow_up_days)
    return 0.5, 14


def default_end(ws: Workspace) -> dt.datetime:
    """Now — or, when every touch (else every post) is older than a window ago (historical data), the latest."""
    from signalboost.store import outreach_sql as sql

    now = dt.datetime.now(dt.UTC)
    with ws.connect(purpose="read") as con:
        latest = sql.latest_activity(con)
    if latest is None:
        return now
    latest = as_utc(latest) + dt.timedelta(seconds=1)
    return latest if latest < now - dt.timedelta(days=DEFAULT_WINDOW_DAYS) else now


def relationship_kpis(
    ws: Workspace,
    accounts: Sequence[tuple[str, str]] | None = None,
    *,
    end: dt.datetime | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    count: int = DEFAULT_WINDOWS,
) -> tuple[list[WindowKpi], list[Trend]]:
    """KPIs per window and trends for ``accounts`` (default: everyone in the pipeline)."""
    their, posts, accounts = _ledger(ws, accounts)
    rows = window_kpis(
        their,
        posts,
        accounts,
        end=end or default_end(ws),
        window_days=window_days,
        count=count,
        observed=observed_platforms(ws),
    )
    return rows, trends(rows)


def observed_platforms(ws: Workspace) -> set[str]:
    """The platforms where other accounts' touches of the brand can be seen: an imported interaction of another
    account with the brand or its posts, or a touch of theirs in the ledger (logged by hand or synced)."""
    from signalboost.outreach.ledger import brand_ids
    from signalboost.store import outreach_sql as sql

    brand = [a for _, a in brand_ids(ws)]
    with ws.connect(purpose="read") as con:
        return sql.platforms_with_their_touches(con, brand)


def _ledger(
    ws: Workspace, accounts: Sequence[tuple[str, str]] | None
) -> tuple[pl.DataFrame, pl.DataFrame, Sequence[tuple[str, str]]]:
    """``(their ledger events, the brand's posts, accounts)`` — accounts default to everyone in the pipeline."""
    import polars as pl

    from signalboost.outreach.ledger import brand_ids
    from signalboost.store import outreach_sql as sql

    brand = [a for _, a in brand_ids(ws)]
    with ws.connect(purpose="read") as con:
        if accounts is None:
            accounts = [(r["platform"], r["account_id"]) for r in sql.list_outreach(con)]
        events = sql.events_frame(con)
        posts = sql.our_posts(con, None, brand)
    return events.filter(pl.col("direction") == "theirs"), posts, accounts


def due(
    ws: Workspace,
    *,
    today: dt.date | None = None,
    end: dt.datetime | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> list[Alert]:
    """Every alert now: follow-ups due, relationships without a touch from us, engagement drops.

    ``today`` (default: today's date in UTC, whatever the age of the data) is what due dates and silence are
    checked against; ``end`` (default :func:`default_end`, the last activity when the data is historical) ends
    the KPI windows of the engagement trend. A follow-up due last week is due even when the imported data
    stops years ago.
    """
    from signalboost.outreach.ledger import ledger_balances
    from signalboost.outreach.pipeline import list_records

    drop, follow_up_days = _settings(ws)
    end = end or default_end(ws)
    records = list_records(ws)
    _, trend_rows = relationship_kpis(ws, end=end, window_days=window_days, count=2)
    balances = {(b.platform, b.account_id): b for b in ledger_balances(ws)}
    return alerts(
        trend_rows,
        records,
        balances,
        today=today or dt.datetime.now(dt.UTC).date(),
        drop=drop,
        follow_up_days=follow_up_days,
    )


# ------------------------------------------------------------------------------- the strategy's relationship KPIs
RELATIONSHIP_METRICS: Mapping[str, str] = {
    "influencer_interactions": "interactions",
    "influencer_amplifications": "amplifications",
    "influencer_engagement_rate": "engagement_rate",
}
"""Strategy KPI metric -> the :class:`WindowKpi` field that measures it for one relationship."""


@dataclass(frozen=True)
class TargetCheck:
    """One relationship KPI of the strategy (``kpis:`` with an ``influencer_*`` metric) for one account.

    ``value`` is measured over the KPI's own ``window_days`` ending at ``window_end``; ``previous`` over the
    window before. ``met`` is None when the value is unknown (engagement rate with none of our posts published).
    """

    platform: str
    account_id: str
    kpi: str
    metric: str
    window_days: int
    window_end: dt.datetime
    target: float
    direction: str
    value: float | None
    previous: float | None
    met: bool | None
    trend: str  # up | down | flat | not enough data
    status: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def target_checks(
    their: pl.DataFrame,
    our_posts: pl.DataFrame,
    accounts: Sequence[tuple[str, str]],
    strategy_kpis: Sequence[Any],
    *,
    end: dt.datetime,
    observed: Collection[str] | None = None,
) -> list[TargetCheck]:
    """Each strategy KPI whose metric is in :data:`RELATIONSHIP_METRICS`, for each account on its network (all
    accounts when the KPI has no network): value over the KPI's window, previous window, target met or not.

    ``met = value ≥ target`` (``at_least``) or ``value ≤ target`` (``at_most``); None when value is None.
    ``observed``: as in :func:`window_kpis` (on a network where their touches cannot be seen, nothing is met).
    """
    out: list[TargetCheck] = []
    for kpi in strategy_kpis:
        field_name = RELATIONSHIP_METRICS.get(str(kpi.metric))
        if field_name is None:
            continue
        scoped = [a for a in accounts if kpi.network in (None, a[0])]
        rows = window_kpis(their, our_posts, scoped, end=end, window_days=kpi.window_days, count=2, observed=observed)
        for prev, last in zip(rows[::2], rows[1::2], strict=True):
            value, before = _measure(last, field_name), _measure(prev, field_name)
            met = (
                None if value is None else (value >= kpi.target if kpi.direction == "at_least" else value <= kpi.target)
            )
            trend = (
                "not enough data"
                if value is None or before is None
                else "up"
                if value > before
                else "down"
                if value < before
                else "flat"
            )
            status = (
                "ok"
                if value is not None
                else UNSEEN
                if last.interactions is None
                else "none of our posts published in the window: not measurable"
            )
            out.append(
                TargetCheck(
                    last.platform,
                    last.account_id,
                    kpi.id,
                    str(kpi.metric),
                    kpi.window_days,
                    last.window_end,
                    float(kpi.target),
                    kpi.direction,
                    value,
                    before,
                    met,
                    trend,
                    status,
                )
            )
    return out


UNSEEN = "no one's touches of the brand are in the data on this network: not measurable"
"""The status of a relationship KPI on a network whose imported data holds only the brand's own touches."""


def _measure(row: WindowKpi, field_name: str) -> float | None:
    value = getattr(row, field_name)
    return None if value is None else float(value)


def relationship_targets(
    ws: Workspace, accounts: Sequence[tuple[str, str]] | None = None, *, end: dt.datetime | None = None
) -> list[TargetCheck]:
    """:func:`target_checks` for the strategy's ``influencer_*`` KPIs and ``accounts`` (default: the pipeline).

    Empty when the workspace has no strategy or the strategy sets no relationship KPI.
    """
    if not ws.has_strategy():
        return []
    wanted = [k for k in ws.strategy().kpis if k.metric in RELATIONSHIP_METRICS]
    if not wanted:
        return []
    their, posts, accounts = _ledger(ws, accounts)
    end = end or default_end(ws)
    return target_checks(their, posts, accounts, wanted, end=end, observed=observed_platforms(ws))


def stage_words(stage: str) -> str:
    """A pipeline stage id in the reader's language (the CLI's and the dashboard's tables say the same)."""
    from signalboost.outreach.words import value_words

    return str(value_words(stage))
