"""Weekly timetables turned into concrete slots in the brand's time zone, correct across daylight-saving changes.

A slot is a wall-clock time ("09:00 on Mondays") in the brand's IANA zone, so it stays 09:00 local when the
clocks change. Two local times need a rule (PEP 495 semantics, as :mod:`zoneinfo` implements them):

* **nonexistent** (spring forward: 02:30 on the night clocks jump from 02:00 to 03:00) — the slot is shifted
  forward by the length of the gap (02:30 becomes 03:30), the reading of the time with the offset in force
  before the change; this is what RFC 5545 §3.3.5 prescribes for a DATE-TIME that falls in a gap.
* **ambiguous** (fall back: 02:30 happens twice) — the first occurrence is taken (``fold=0``, the earlier
  instant, still on summer time), also as RFC 5545 §3.3.5 prescribes.

Both cases are reported as :class:`SlotNote` so a person can see them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from signalboost.i18n import L_
from signalboost.model.vocab import WEEKDAYS

DstCase = Literal["nonexistent", "ambiguous"]


@dataclass(frozen=True, slots=True)
class Slot:
    """A concrete slot: the requested local date and time, and the instant it resolves to."""

    network: str
    day: dt.date
    time: dt.time
    at: dt.datetime
    """The resolved instant, aware, in the brand's zone."""
    dst: DstCase | None = None


@dataclass(frozen=True, slots=True)
class SlotNote:
    """A slot whose local time needed the daylight-saving rule."""

    network: str
    requested: dt.datetime
    resolved: dt.datetime
    case: DstCase

    def message(self) -> str:
        when = self.requested.strftime("%Y-%m-%d %H:%M")
        if self.case == "nonexistent":
            return L_(
                "{network}: {when} does not exist in {zone} (clocks spring forward); planned at {time}",
                network=self.network,
                when=when,
                zone=self.resolved.tzname(),
                time=self.resolved.strftime("%H:%M"),
            )
        return L_(
            "{network}: {when} happens twice (clocks fall back); planned at the first one ({time}, UTC{offset})",
            network=self.network,
            when=when,
            time=self.resolved.strftime("%H:%M %Z"),
            offset=_offset(self.resolved),
        )


def _offset(value: dt.datetime) -> str:
    off = value.utcoffset() or dt.timedelta(0)
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def resolve_local(day: dt.date, time: dt.time, tz: ZoneInfo) -> tuple[dt.datetime, DstCase | None]:
    """The instant of wall-clock ``day time`` in ``tz`` and which DST rule applied (``None`` if none).

    Nonexistent times shift forward by the gap; ambiguous ones take the first occurrence (``fold=0``).
    """
    naive = dt.datetime.combine(day, time)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first, None
    normalised = first.astimezone(dt.UTC).astimezone(tz)
    if normalised.replace(tzinfo=None) != naive:
        return normalised, "nonexistent"
    return first, "ambiguous"


def daterange(start: dt.date, end: dt.date) -> list[dt.date]:
    """Days from ``start`` (included) to ``end`` (excluded)."""
    return [start + dt.timedelta(days=i) for i in range((end - start).days)]


def weekly_slots(
    network: str, timetable: dict[str, list[dt.time]], tz: ZoneInfo, start: dt.date, end: dt.date
) -> tuple[list[Slot], list[SlotNote]]:
    """Every slot of a weekly ``timetable`` ({"mon": [09:00, ...]}) between ``start`` and ``end`` (excluded).

    Returns the slots in time order and a note for each slot resolved by a daylight-saving rule.
    """
    slots: list[Slot] = []
    notes: list[SlotNote] = []
    for day in daterange(start, end):
        for time in timetable.get(WEEKDAYS[day.weekday()], []):
            at, case = resolve_local(day, time, tz)
            slots.append(Slot(network, day, time, at, case))
            if case is not None:
                notes.append(SlotNote(network, dt.datetime.combine(day, time), at, case))
    slots.sort(key=lambda s: (s.at, s.time))
    return slots, notes
