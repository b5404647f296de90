"""Tactic occurrences from their RFC 5545 RRULE (via :mod:`dateutil.rrule`).

An RRULE without a DTSTART is anchored on a fixed Monday, 1 January (2018-01-01, or 1990-01-01 for periods
before 2018), so rules that depend on their start — ``FREQ=WEEKLY;INTERVAL=2``, ``FREQ=MONTHLY`` without a
day — give the same dates whichever period is planned (re-planning stays stable). A rule may carry its own
``DTSTART:YYYYMMDDTHHMMSS`` line, which then wins.
"""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrule, rruleset, rrulestr

ANCHOR = dt.datetime(2018, 1, 1)
EARLY_ANCHOR = dt.datetime(1990, 1, 1)


def parse_rule(text: str, start: dt.date) -> rrule | rruleset:
    """The dateutil rule for ``text``, anchored as the module explains."""
    body = text.strip()
    if "DTSTART" in body.upper():
        return rrulestr(body, ignoretz=True)
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    anchor = ANCHOR if start >= ANCHOR.date() else EARLY_ANCHOR
    return rrulestr(body, dtstart=anchor, ignoretz=True)


def occurrence_dates(text: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """Dates (local) on which the rule ``text`` occurs from ``start`` (included) to ``end`` (excluded)."""
    rule = parse_rule(text, start)
    lo = dt.datetime.combine(start, dt.time())
    hi = dt.datetime.combine(end, dt.time()) - dt.timedelta(microseconds=1)
    days = sorted({d.date() for d in rule.between(lo, hi, inc=True)})
    return [d for d in days if start <= d < end]


def next_occurrence(text: str, after: dt.date) -> dt.date | None:
    """The first date on or after ``after`` on which the rule occurs (``None`` if it has ended)."""
    rule = parse_rule(text, after)
    found = rule.after(dt.datetime.combine(after, dt.time()), inc=True)
    return found.date() if found is not None else None
