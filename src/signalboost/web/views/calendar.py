"""The Calendar page: month and week views coloured by pillar; plan a period, move a planned post; ICS and CSV.

Thin calls into :mod:`signalboost.plan.service` (``replan``, ``load_plan``, ``move_post``) and
:mod:`signalboost.plan.export` (``to_ics``, ``to_csv``, ``pillar_colours``). A moved post is "touched", so a later
re-plan keeps it where the person put it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from signalboost.errors import PlanError, SignalboostError, UsageError
from signalboost.i18n import L_, _
from signalboost.model.strategy import EARLIEST_DATE, LATEST_DATE, Strategy
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import jsonable_dict, lib, strategy_of, unavailable

SERVICE = "signalboost.plan.service"
EXPORT = "signalboost.plan.export"
PALETTE_SIZE = 8
"""Pillar colours are CSS classes ``pillar-0`` … ``pillar-7`` (the strict Content-Security-Policy forbids inline
styles), in the order of the strategy's pillars; curated posts are ``pillar-curated`` (grey)."""


def _strategy(ws: Workspace) -> Strategy | None:
    try:
        return strategy_of(ws) if ws.has_strategy() else None
    except SignalboostError:
        return None


def period_of(view: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last+1 local dates shown: whole Monday-to-Sunday weeks covering the month, or one week."""
    if view == "week":
        start = day - dt.timedelta(days=day.weekday())
        return start, start + dt.timedelta(days=7)
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    start = first - dt.timedelta(days=first.weekday())
    end = nxt + dt.timedelta(days=(7 - nxt.weekday()) % 7)
    return start, end


def _shift(view: str, day: dt.date, step: int) -> dt.date:
    if view == "week":
        return day + dt.timedelta(days=7 * step)
    month = day.month - 1 + step
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def build(ws: Workspace, *, view: str = "month", day: str | None = None) -> dict[str, Any]:
    """The planned posts of the month or week containing ``day`` (today by default), by local day."""
    load = lib(SERVICE, "load_plan")
    if load is None:
        return unavailable("The publishing calendar", "signalboost.plan")
    strategy = _strategy(ws)
    if strategy is None:
        return {
            "available": False,
            "message": "The calendar is planned from strategy.yaml, which is missing or does not validate.",
            "hint": "Fix it on the Strategy page.",
        }
    tz = strategy.tz()
    today = dt.datetime.now(tz).date()
    try:
        focus = dt.date.fromisoformat(day) if day else today
        if not EARLIEST_DATE <= focus <= LATEST_DATE:
            raise ValueError(f"{focus} is out of range")
        start, end = period_of(view, focus)
        prev, nxt = _shift(view, focus, -1), _shift(view, focus, 1)
    except (ValueError, OverflowError) as exc:
        raise UsageError(
            L_("{day!r} is not a day the calendar can show", day=day), where="date", hint=L_("Use YYYY-MM-DD")
        ) from exc
    lo = dt.datetime.combine(start, dt.time(0), tz)
    hi = dt.datetime.combine(end, dt.time(0), tz)
    posts = [p.as_dict() for p in load(ws, lo, hi)]
    index = {p.id: i % PALETTE_SIZE for i, p in enumerate(strategy.pillars)}
    names = {p.id: p.name for p in strategy.pillars}
    tactics = {t.id: t.name for t in strategy.tactics}
    by_day: dict[str, list[dict[str, Any]]] = {}
    for p in posts:
        pillars = p.get("pillars") or []
        p["cls"] = f"pillar-{index[pillars[0]]}" if pillars and pillars[0] in index else "pillar-curated"
        p["pillar_names"] = [names.get(x, x) for x in pillars]  # as the strategy names them (ids in "pillars")
        p["tactic_name"] = tactics.get(p["tactic"], p["tactic"]) if p.get("tactic") else None  # id in "tactic"
        p["first_line"] = first_line(str(p.get("draft") or ""))
        by_day.setdefault(str(p["date"]), []).append(p)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days)]
    weeks = [
        [
            {
                "date": d.isoformat(),
                "day": d.day,
                "in_period": view == "week" or d.month == focus.month,
                "today": d == today,
                "posts": by_day.get(d.isoformat(), []),
            }
            for d in days[i : i + 7]
        ]
        for i in range(0, len(days), 7)
    ]
    return jsonable_dict(
        {
            "available": True,
            "view": view,
            "date": focus,
            "timezone": strategy.brand.timezone,
            "title": _period_title(view, focus, start),
            "prev": prev,
            "next": nxt,
            "today": today,
            "start": start,
            "end": end,
            "weeks": weeks,
            "posts": posts,
            "count": len(posts),
            "legend": [{"pillar": p.id, "name": p.name, "cls": f"pillar-{index[p.id]}"} for p in strategy.pillars]
            + [{"pillar": "", "name": _("curated"), "cls": "pillar-curated"}],
            "next_monday": today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7),
        }
    )


def decorate(data: dict[str, Any]) -> dict[str, Any]:
    return {}


def _need(module: str, name: str, what: str) -> Any:
    fn = lib(module, name)
    if fn is None:
        raise PlanError(
            L_("{what} is not available yet in this installation", what=what), hint=L_("Update Signalboost")
        )
    return fn


def check_period(start: str, weeks: int) -> dt.date:
    """The first day of a period to plan, refused (422, naming the field) unless the whole period lies between
    :data:`~signalboost.model.strategy.EARLIEST_DATE` and :data:`~signalboost.model.strategy.LATEST_DATE`."""
    from fastapi import HTTPException

    try:
        first = dt.date.fromisoformat(start)
    except ValueError as exc:
        raise HTTPException(422, f"start: {start[:40]!r} is not a date (use YYYY-MM-DD)") from exc
    last = first.toordinal() + 7 * weeks
    if first < EARLIEST_DATE or last > LATEST_DATE.toordinal():
        raise HTTPException(
            422,
            f"start: {weeks} weeks from {first.isoformat()} are not all between {EARLIEST_DATE} and {LATEST_DATE}; "
            "plan a period in that range",
        )
    return first


def check_moment(when: str) -> dt.datetime:
    """A local date-time to move a post to, refused (422, naming the field) when it is not a real date-time or lies
    outside :data:`~signalboost.model.strategy.EARLIEST_DATE` … :data:`~signalboost.model.strategy.LATEST_DATE`."""
    from fastapi import HTTPException

    try:
        moment = dt.datetime.fromisoformat(when)
    except ValueError as exc:
        raise HTTPException(422, f"when: {when[:40]!r} is not a date and time (use YYYY-MM-DDTHH:MM)") from exc
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        raise HTTPException(422, f"when: {moment.date()} is not between {EARLIEST_DATE} and {LATEST_DATE}")
    return moment


def plan(ws: Workspace, start: str, weeks: int) -> dict[str, int]:
    """Plan ``weeks`` weeks from ``start`` (keeping touched posts); returns the counts of the change."""
    replan = _need(SERVICE, "replan", "planning")
    try:
        first = dt.date.fromisoformat(start)
    except ValueError as exc:
        raise PlanError(L_("{start!r} is not a date", start=start), where="start", hint=L_("Use YYYY-MM-DD")) from exc
    _, diff = replan(ws, strategy_of(ws), first, weeks, skip_empty_tactics=True)
    return {"added": len(diff.added), "changed": len(diff.changed), "removed": len(diff.removed)}


def move(ws: Workspace, post_id: str, when: str) -> str:
    """Move a planned post to a local date-time (``YYYY-MM-DDTHH:MM``); returns the new local date."""
    move_post = _need(SERVICE, "move_post", "moving posts")
    try:
        moment = dt.datetime.fromisoformat(when)
    except ValueError as exc:
        raise PlanError(
            L_("{when!r} is not a date and time", when=when), where="when", hint=L_("Use YYYY-MM-DDTHH:MM")
        ) from exc
    post = move_post(ws, post_id, moment.replace(tzinfo=None))
    return str(post.local.date().isoformat())


def export(ws: Workspace, fmt: str) -> str:
    """The whole saved calendar as iCalendar (``ics``) or formula-safe CSV (``csv``).

    The iCalendar file also lists the posts re-plans removed, as cancelled events, so a calendar app that
    imported an earlier export drops them (as ``signalboost calendar export --ics`` does)."""
    load = _need(SERVICE, "load_plan", "the calendar export")
    posts = load(ws)
    if fmt == "ics":
        strategy = _strategy(ws)
        name = f"{strategy.brand.name} — Signalboost" if strategy else "Signalboost calendar"
        cancelled = _need(SERVICE, "load_removed", "the calendar export")(ws)
        from signalboost.report.words import pillar_names, tactic_names

        to_ics = _need(EXPORT, "to_ics", "iCalendar export")
        return str(
            to_ics(posts, name=name, cancelled=cancelled, tactics=tactic_names(strategy), names=pillar_names(strategy))
        )
    return str(_need(EXPORT, "to_csv", "CSV export")(posts))


def this_week(ws: Workspace, today: dt.date) -> list[dict[str, Any]]:
    """Planned posts of the next seven days, as to-do items."""
    load = lib(SERVICE, "load_plan")
    if load is None:
        return []
    strategy = _strategy(ws)
    tz = strategy.tz() if strategy else ZoneInfo("UTC")
    lo = dt.datetime.combine(today, dt.time(0), tz)
    try:
        posts = load(ws, lo, lo + dt.timedelta(days=7))
    except SignalboostError:
        return []
    from signalboost.plan.view import KIND_WORDS, day_and_date, format_words, status_words
    from signalboost.report.words import pillar_names, pillar_word

    names = pillar_names(strategy)

    def what(p: Any) -> str:
        """The post's pillars by the strategy's names, else its kind, in words."""
        if p.pillars:
            return ", ".join(pillar_word(x, names) for x in p.pillars)
        return _(KIND_WORDS[p.kind]) if p.kind in KIND_WORDS else str(p.kind)

    return [
        {
            "kind": "post",
            # "Mon, Dec 7 10:00" / "man. 7. des. 10:00": CLDR's weekday, day and month in the page's language
            "text": f"{day_and_date(p.local)} {p.local:%H:%M} · {p.network} · {what(p)} · "
            f"{format_words(p.format)} · {status_words(p)}{draft_excerpt(p.draft)}",
            "href": f"/calendar?view=week&date={p.local.date().isoformat()}",
        }
        for p in posts
    ]


def first_line(draft: str, width: int = 60) -> str:
    """The draft's first non-blank line, cut at ``width`` characters with an ellipsis ('' without a draft)."""
    line = next((ln.strip() for ln in draft.splitlines() if ln.strip()), "")
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def draft_excerpt(draft: str, width: int = 80) -> str:
    """``: <the draft>`` (cut at ``width`` characters with an ellipsis), or ``, no draft yet`` — never a bare colon."""
    text = " ".join(draft.split())
    if not text:
        return _(", no draft yet")
    return ": " + (text if len(text) <= width else text[: width - 1].rstrip() + "…")


def _period_title(view: str, focus: dt.date, start: dt.date) -> str:
    """``December 2026`` / ``Desember 2026``, or ``Week of Nov 30, 2026`` / ``Uke fra 30. nov. 2026`` (CLDR names)."""
    from signalboost.i18n import _, format_date

    if view == "month":
        title = format_date(focus, "LLLL y")
        return title[:1].upper() + title[1:]
    return _("Week of {date}").format(date=format_date(start))
