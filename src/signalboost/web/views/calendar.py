"""The Calendar page: month and week views coloured by pillar; plan, move a planned post; ICS and CSV export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from signalboost.errors import PlanError
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import lib, unavailable

MODULE = "signalboost.plan"


def build(ws: Workspace, *, view: str = "month", day: str | None = None) -> dict[str, Any]:
    """The planned posts of the month or week containing ``day`` (today by default)."""
    listing = lib(MODULE, "planned_posts")
    if listing is None:
        return unavailable("The publishing calendar", MODULE)
    return {"available": True}


def decorate(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def plan(ws: Workspace, start: str, weeks: int) -> None:
    fn = lib(MODULE, "plan_calendar")
    if fn is None:
        raise PlanError("planning is not available yet in this installation", hint="Update Signalboost")
    fn(ws, start=dt.date.fromisoformat(start), weeks=weeks)


def move(ws: Workspace, post_id: str, when: str) -> str:
    fn = lib(MODULE, "move_post")
    if fn is None:
        raise PlanError("moving posts is not available yet in this installation", hint="Update Signalboost")
    moment = dt.datetime.fromisoformat(when)
    fn(ws, post_id, moment)
    return moment.date().isoformat()


def export(ws: Workspace, fmt: str) -> str:
    fn = lib(MODULE, "export_calendar")
    if fn is None:
        raise PlanError("calendar export is not available yet in this installation", hint="Update Signalboost")
    return str(fn(ws, fmt))


def this_week(ws: Workspace, today: dt.date) -> list[dict[str, Any]]:
    """Planned posts of the coming seven days, as to-do items (empty until the plan library lands)."""
    return []
