"""The calendar in the workspace: save, load, re-plan, move and mark posts (the wiring the CLI and web call).

Re-planning a period keeps every touched post (status past ``planned``, or moved by hand), regenerates the
others, and deletes untouched posts the new plan no longer has (remembered in ``planned_posts_removed`` with a
bumped sequence, so the iCalendar export cancels them; a removed id planned again comes back with a higher
one). Saving a post whose visible content changed bumps its ``sequence`` so calendar clients (Google Calendar,
Outlook) update the event on re-import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from signalboost.errors import PlanError, SignalboostError, UsageError
from signalboost.i18n import L_
from signalboost.model.strategy import Strategy
from signalboost.plan.calendar import PlanResult, make_plan
from signalboost.plan.posts import STATUSES, PlannedPost, Status
from signalboost.plan.slots import resolve_local
from signalboost.store import plan_sql
from signalboost.store.workspace import Workspace


@dataclass
class PlanDiff:
    """What a re-plan changes: ids added, removed, changed, kept as they were, and kept because touched."""

    added: list[PlannedPost] = field(default_factory=list)
    removed: list[PlannedPost] = field(default_factory=list)
    changed: list[PlannedPost] = field(default_factory=list)
    unchanged: list[PlannedPost] = field(default_factory=list)
    touched: list[PlannedPost] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "kept_touched": len(self.touched),
        }


def _utc_bounds(start: dt.date, end: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    lo, _ = resolve_local(start, dt.time(), tz)
    hi, _ = resolve_local(end, dt.time(), tz)
    return lo.astimezone(dt.UTC), hi.astimezone(dt.UTC)


def row_to_post(row: dict[str, Any]) -> PlannedPost:
    """A ``planned_posts`` row as a :class:`PlannedPost`."""
    at = row["scheduled_at"]
    at = at.replace(tzinfo=dt.UTC) if at.tzinfo is None else at.astimezone(dt.UTC)
    return PlannedPost(
        id=row["plan_id"],
        network=row["network"],
        kind=row["kind"],
        scheduled_at=at,
        timezone=row["timezone"],
        slot=row["slot"],
        format=row["format"] or "text",
        pillars=tuple(row["pillars"] or ()),
        tactic=row["tactic"],
        kpis=tuple(row["kpis"] or ()),
        draft=row["draft"] or "",
        status=row["status"],
        moved=bool(row["moved"]),
        sequence=int(row["sequence"]),
        note=row["note"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def post_to_row(post: PlannedPost, now: dt.datetime) -> dict[str, Any]:
    return {
        "plan_id": post.id,
        "network": post.network,
        "kind": post.kind,
        "scheduled_at": post.scheduled_at,
        "local_time": post.local.replace(tzinfo=None),
        "timezone": post.timezone,
        "slot": post.slot,
        "format": post.format,
        "pillars": list(post.pillars),
        "tactic": post.tactic,
        "kpis": list(post.kpis),
        "draft": post.draft,
        "status": post.status,
        "moved": post.moved,
        "touched": post.touched,
        "sequence": post.sequence,
        "note": post.note,
        "created_at": post.created_at or now,
        "updated_at": now,
    }


def load_plan(
    workspace: Workspace,
    start: dt.date | dt.datetime | None = None,
    end: dt.date | dt.datetime | None = None,
    *,
    timezone: str | None = None,
) -> list[PlannedPost]:
    """Saved posts with ``start <= scheduled_at < end`` (``None`` = open), in time order.

    Datetimes must be aware; plain dates are local midnights in ``timezone`` (default: the strategy's zone, or
    UTC when the workspace has no valid strategy).
    """
    lo, hi = _instant(workspace, start, timezone), _instant(workspace, end, timezone)
    with workspace.connect(purpose="read") as con:
        rows = plan_sql.select_planned(con, lo, hi)
    return [row_to_post(r) for r in rows]


def load_removed(
    workspace: Workspace, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> list[PlannedPost]:
    """Posts a re-plan removed (``start <= scheduled_at < end``, aware; ``None`` = open), with the SEQUENCE their
    cancellation carries: the iCalendar export sends them as cancelled so imported events disappear."""
    with workspace.connect(purpose="read") as con:
        if not plan_sql.has_removed_table(con):
            return []
        rows = plan_sql.select_removed(con, start, end)
    return [row_to_post(r) for r in rows]


def _instant(workspace: Workspace, value: dt.date | dt.datetime | None, timezone: str | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise UsageError(L_("a naive datetime was given to load_plan"), hint=L_("Pass an aware datetime or a date"))
        return value
    if timezone is None:
        try:
            timezone = workspace.strategy().brand.timezone
        except SignalboostError:
            timezone = "UTC"
    at, _ = resolve_local(value, dt.time(), ZoneInfo(timezone))
    return at


def diff_plan(old: Sequence[PlannedPost], new: Sequence[PlannedPost]) -> PlanDiff:
    """Compare a saved period with a new plan of it (by stable id)."""
    before = {p.id: p for p in old}
    after = {p.id: p for p in new}
    out = PlanDiff()
    for pid, post in after.items():
        prev = before.get(pid)
        if prev is None:
            out.added.append(post)
        elif prev.touched:
            out.touched.append(prev)
        elif prev.content_key() != post.content_key():
            out.changed.append(post)
        else:
            out.unchanged.append(post)
    out.removed = [p for pid, p in before.items() if pid not in after and not p.touched]
    return out


def save_plan(
    workspace: Workspace,
    posts: Sequence[PlannedPost],
    *,
    replace_period: tuple[dt.date, dt.date] | None = None,
    timezone: str | None = None,
) -> PlanDiff:
    """Save ``posts``: new ids inserted, changed ones updated (SEQUENCE + 1), touched saved posts never overwritten.

    With ``replace_period`` (local dates, end excluded) and ``timezone``, untouched saved posts of that period
    that ``posts`` no longer holds are deleted (a re-plan).
    """
    now = dt.datetime.now(dt.UTC)
    with workspace.transaction(purpose="plan") as con:
        if replace_period is not None:
            lo, hi = _utc_bounds(*replace_period, ZoneInfo(timezone or "UTC"))
            old = [row_to_post(r) for r in plan_sql.select_planned(con, lo, hi)]
        else:
            old = [row_to_post(r) for r in plan_sql.select_planned(con, ids=[p.id for p in posts])]
        diff = diff_plan(old, posts)
        before = {p.id: p for p in old}
        added_ids = [q.id for q in diff.added]
        elsewhere = {p.id: p for p in map(row_to_post, plan_sql.select_planned(con, ids=added_ids))}
        returning = {p.id: p for p in map(row_to_post, plan_sql.select_removed(con, ids=added_ids))}
        rows = []
        for post in diff.added:
            saved = elsewhere.get(post.id) or returning.get(post.id)
            if saved is not None and saved.id in elsewhere and saved.touched:
                continue  # touched by a person (e.g. moved out of the period): never overwritten
            if saved is not None:  # saved outside the period, or removed earlier and cancelled in exports
                bump = saved.id in returning or saved.content_key() != post.content_key()
                post = post.with_(sequence=saved.sequence + int(bump), created_at=saved.created_at)
            rows.append(post_to_row(post, now))
        for post in diff.changed:
            prev = before[post.id]
            rows.append(post_to_row(post.with_(sequence=prev.sequence + 1, created_at=prev.created_at), now))
        plan_sql.upsert_planned(con, rows)
        plan_sql.forget_removed(con, [r["plan_id"] for r in rows])
        if replace_period is not None:
            gone = [post_to_row(p.with_(sequence=p.sequence + 1), now) for p in diff.removed]
            plan_sql.remember_removed(con, gone, now)
            plan_sql.delete_planned(con, [p.id for p in diff.removed])
        else:
            diff.removed = []
    return diff


def replan(
    workspace: Workspace,
    strategy: Strategy,
    start: dt.date,
    weeks: int,
    *,
    dry_run: bool = False,
    skip_empty_tactics: bool = False,
) -> tuple[PlanResult, PlanDiff]:
    """Plan ``weeks`` weeks from ``start`` keeping the touched posts; save unless ``dry_run``."""
    end = start + dt.timedelta(weeks=weeks)
    lo, hi = _utc_bounds(start, end, strategy.tz())
    existing = load_plan(workspace, lo, hi)
    with workspace.connect(purpose="read") as con:
        by_slot = [row_to_post(r) for r in plan_sql.select_planned(con, slots=(start.isoformat(), end.isoformat()))]
    keep = list({p.id: p for p in [*existing, *by_slot] if p.touched}.values())
    result = make_plan(strategy, start, weeks, keep=keep, skip_empty_tactics=skip_empty_tactics)
    if dry_run:
        return result, diff_plan(existing, result.posts)
    diff = save_plan(workspace, result.posts, replace_period=(start, end), timezone=strategy.brand.timezone)
    return result, diff


def resolve_id(workspace: Workspace, prefix: str) -> str:
    """The full plan id for a (possibly shortened) id; a clear error if none or several match."""
    with workspace.connect(purpose="read") as con:
        found = plan_sql.find_ids(con, prefix.strip())
    if not found:
        raise PlanError(
            L_("no planned post with id {prefix!r}", prefix=prefix),
            where="post id",
            hint=L_("List the ids with `signalboost calendar show` (or run `signalboost plan` first)"),
        )
    if len(found) > 1 and prefix not in found:
        some = ", ".join(sorted(found)[:3]) + (", …" if len(found) > 3 else "")
        raise UsageError(
            L_("id {prefix!r} matches {n} posts ({some})", prefix=prefix, n=len(found), some=some),
            where="post id",
            hint=L_("Type more characters of the id"),
        )
    return prefix if prefix in found else found[0]


def get_post(workspace: Workspace, plan_id: str) -> PlannedPost:
    """One planned post by its (possibly shortened) id; a clear error if none or several match."""
    full = resolve_id(workspace, plan_id)
    with workspace.connect(purpose="read") as con:
        return row_to_post(plan_sql.select_planned(con, ids=[full])[0])


def _update(workspace: Workspace, plan_id: str, **changes: Any) -> PlannedPost:
    full = resolve_id(workspace, plan_id)
    now = dt.datetime.now(dt.UTC)
    with workspace.transaction(purpose="plan") as con:
        rows = plan_sql.select_planned(con, ids=[full])
        post = row_to_post(rows[0])
        new = post.with_(**changes)
        if new.content_key() != post.content_key() or new.moved != post.moved:
            new = new.with_(sequence=post.sequence + 1)
        plan_sql.upsert_planned(con, [post_to_row(new, now)])
    return new


def move_post(workspace: Workspace, plan_id: str, new_dt: dt.datetime) -> PlannedPost:
    """Move a post to ``new_dt`` (aware; a naive value is read in the post's zone). Marks it moved (touched)."""
    full = resolve_id(workspace, plan_id)
    with workspace.connect(purpose="read") as con:
        post = row_to_post(plan_sql.select_planned(con, ids=[full])[0])
    if new_dt.tzinfo is None:
        new_dt, _ = resolve_local(new_dt.date(), new_dt.time(), ZoneInfo(post.timezone))
    return _update(workspace, full, scheduled_at=new_dt.astimezone(dt.UTC), moved=True)


def set_status(workspace: Workspace, plan_id: str, status: str) -> PlannedPost:
    """Set a post's status (planned, drafted, approved, scheduled, published); past ``planned`` it is kept."""
    if status not in STATUSES:
        raise UsageError(
            L_("unknown status {status!r}", status=status),
            where="status",
            hint=L_("Use one of: {choices}", choices=", ".join(STATUSES)),
        )
    st: Status = status  # type: ignore[assignment]
    return _update(workspace, plan_id, status=st)


def set_draft(workspace: Workspace, plan_id: str, text: str) -> PlannedPost:
    """Replace a post's draft text; the post becomes ``drafted`` (touched) if it was ``planned``, and also when the
    text of an ``approved`` or ``failed`` post changes: approval was given to the old text, and ``publish`` sends
    only what was approved."""
    full = resolve_id(workspace, plan_id)
    with workspace.connect(purpose="read") as con:
        post = row_to_post(plan_sql.select_planned(con, ids=[full])[0])
    reapprove = text != post.draft and post.status in ("approved", "failed")
    status: Status = "drafted" if post.status == "planned" or reapprove else post.status
    return _update(workspace, full, draft=text, status=status)
