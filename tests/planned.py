"""Planned posts stored straight into a workspace, for tests of what happens to them (publishing, the editor,
calendar states): one builder instead of a ``PlannedPost(...)`` literal per test file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from signalboost.plan.posts import PlannedPost
from signalboost.plan.service import post_to_row
from signalboost.store import plan_sql
from signalboost.store.workspace import Workspace


def planned(
    pid: str,
    draft: str,
    when: dt.datetime,
    *,
    network: str = "bluesky",
    status: str = "drafted",
    fmt: str = "text",
    pillars: tuple[str, ...] = ("craft",),
    tactic: str | None = "linen-week",
) -> PlannedPost:
    """One of the brand's own posts at ``when`` (UTC), its slot the minute of ``when``."""
    status_: Any = status
    return PlannedPost(
        id=pid,
        network=network,
        kind="own",
        scheduled_at=when,
        timezone="UTC",
        slot=when.strftime("%Y-%m-%dT%H:%M"),
        format=fmt,
        pillars=pillars,
        tactic=tactic,
        draft=draft,
        status=status_,
    )


def store_planned(ws: Workspace, posts: Iterable[PlannedPost], now: dt.datetime) -> None:
    """Store the posts as the planner would (``created_at``/``updated_at`` = ``now``), in one transaction."""
    rows = [post_to_row(post, now) for post in posts]
    with ws.transaction() as con:
        plan_sql.upsert_planned(con, rows)
