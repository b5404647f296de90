"""Planned posts: the rows of the publishing calendar, their stable ids and their life cycle.

A planned post is identified by a hash of its network, its *requested* local slot (the wall-clock date and time
the schedule asked for, before any daylight-saving adjustment) and its kind, so planning the same period twice
gives the same ids, and a post moved by hand keeps its id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Literal
from zoneinfo import ZoneInfo

Kind = Literal["own", "tactic", "curated"]
Status = Literal["planned", "drafted", "approved", "scheduled", "published", "failed"]

KINDS: tuple[str, ...] = ("own", "tactic", "curated")
STATUSES: tuple[str, ...] = ("planned", "drafted", "approved", "scheduled", "published", "failed")
"""Life cycle of a planned post, in order (``failed``: publishing gave up, the reason is in ``publications``).
Any status past ``planned`` marks the post as touched by a person."""

ID_PREFIX = "sb"


def plan_id(network: str, slot: str, kind: str, tactic: str | None = None) -> str:
    """Stable id of a planned post: ``sb-`` + 12 hex digits of SHA-1(network | slot | kind | tactic).

    ``slot`` is the requested local slot as ``YYYY-MM-DDTHH:MM``. The tactic id takes part only for tactic posts,
    so two tactics adding a post at the same time stay distinct.
    """
    key = f"{network}|{slot}|{kind}|{tactic or ''}"
    return f"{ID_PREFIX}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def slot_key(day: dt.date, time: dt.time) -> str:
    """The requested local slot as text: ``YYYY-MM-DDTHH:MM``."""
    return f"{day.isoformat()}T{time.strftime('%H:%M')}"


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """One post of the calendar.

    ``scheduled_at`` is timezone-aware (UTC); ``local`` gives it in the brand's zone ``timezone``. ``pillars`` holds
    one pillar, two (the post counts half to each) or none (curated content). ``moved`` is set when a person moves
    the post; ``touched`` (status past ``planned`` or moved) protects it from re-planning. ``sequence`` is the
    iCalendar SEQUENCE, bumped by the store each time a saved post changes.
    """

    id: str
    network: str
    kind: Kind
    scheduled_at: dt.datetime
    timezone: str
    slot: str
    format: str
    pillars: tuple[str, ...] = ()
    tactic: str | None = None
    kpis: tuple[str, ...] = ()
    draft: str = ""
    status: Status = "planned"
    moved: bool = False
    sequence: int = 0
    note: str | None = None
    created_at: dt.datetime | None = field(default=None, compare=False)
    updated_at: dt.datetime | None = field(default=None, compare=False)

    @property
    def local(self) -> dt.datetime:
        """The date-time in the brand's zone."""
        return self.scheduled_at.astimezone(ZoneInfo(self.timezone))

    @property
    def touched(self) -> bool:
        """True when a person drafted, approved, scheduled, published or moved the post."""
        return self.status != "planned" or self.moved

    def content_key(self) -> tuple[object, ...]:
        """What a calendar client sees; a change here bumps the iCalendar SEQUENCE."""
        return (
            self.scheduled_at,
            self.network,
            self.kind,
            self.format,
            self.pillars,
            self.tactic,
            self.kpis,
            self.draft,
            self.status,
        )

    def with_(self, **changes: object) -> PlannedPost:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """A JSON-friendly dict (times as ISO 8601)."""
        local = self.local
        return {
            "id": self.id,
            "network": self.network,
            "kind": self.kind,
            "scheduled_at": self.scheduled_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "local": local.isoformat(),
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "timezone": self.timezone,
            "slot": self.slot,
            "format": self.format,
            "pillars": list(self.pillars),
            "tactic": self.tactic,
            "kpis": list(self.kpis),
            "draft": self.draft,
            "status": self.status,
            "moved": self.moved,
            "touched": self.touched,
            "sequence": self.sequence,
            "note": self.note,
        }
