from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from signalboost.plan.slots import resolve_local, weekly_slots

OSLO = ZoneInfo("Europe/Oslo")
NY = ZoneInfo("America/New_York")


def test_oslo_spring_forward_shifts_by_the_gap() -> None:
    # 2026-03-29: clocks go 02:00 CET -> 03:00 CEST; 02:30 does not exist, becomes 03:30 CEST = 01:30 UTC.
    at, case = resolve_local(dt.date(2026, 3, 29), dt.time(2, 30), OSLO)
    assert case == "nonexistent"
    assert (at.hour, at.minute) == (3, 30)
    assert at.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)


def test_oslo_fall_back_takes_the_first_occurrence() -> None:
    # 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET).
    at, case = resolve_local(dt.date(2026, 10, 25), dt.time(2, 30), OSLO)
    assert case == "ambiguous"
    assert at.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)


def test_new_york_dst_both_ways() -> None:
    # 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
    gap, case = resolve_local(dt.date(2026, 3, 8), dt.time(2, 15), NY)
    assert case == "nonexistent" and gap.astimezone(dt.UTC) == dt.datetime(2026, 3, 8, 7, 15, tzinfo=dt.UTC)
    fold, case = resolve_local(dt.date(2026, 11, 1), dt.time(1, 30), NY)
    assert case == "ambiguous" and fold.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)
    normal, case = resolve_local(dt.date(2026, 11, 1), dt.time(9, 0), NY)
    assert case is None and normal.astimezone(dt.UTC) == dt.datetime(2026, 11, 1, 14, 0, tzinfo=dt.UTC)


def test_nine_stays_nine_local_across_dst() -> None:
    slots, notes = weekly_slots("x", {"sun": [dt.time(9)]}, OSLO, dt.date(2026, 3, 22), dt.date(2026, 4, 6))
    assert [s.at.hour for s in slots] == [9, 9, 9]
    assert [s.at.astimezone(dt.UTC).hour for s in slots] == [8, 7, 7]  # CET then CEST
    assert notes == []


def test_notes_report_dst_cases() -> None:
    _slots, notes = weekly_slots("ig", {"sun": [dt.time(2, 30)]}, OSLO, dt.date(2026, 3, 23), dt.date(2026, 11, 1))
    cases = [(n.requested.date(), n.case) for n in notes]
    assert cases == [(dt.date(2026, 3, 29), "nonexistent"), (dt.date(2026, 10, 25), "ambiguous")]
    assert "spring forward" in notes[0].message() and "03:30" in notes[0].message()


def test_leap_day_and_year_boundary() -> None:
    slots, _ = weekly_slots("x", {"tue": [dt.time(10)]}, NY, dt.date(2028, 2, 28), dt.date(2028, 3, 3))
    assert [s.day for s in slots] == [dt.date(2028, 2, 29)]  # 2028-02-29 is a Tuesday (1 Jan 2028 is a Saturday)
    slots, _ = weekly_slots(
        "x",
        {d: [dt.time(23, 30)] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        OSLO,
        dt.date(2026, 12, 30),
        dt.date(2027, 1, 3),
    )
    assert [s.day for s in slots] == [
        dt.date(2026, 12, 30),
        dt.date(2026, 12, 31),
        dt.date(2027, 1, 1),
        dt.date(2027, 1, 2),
    ]
    assert slots[1].at.astimezone(dt.UTC) == dt.datetime(2026, 12, 31, 22, 30, tzinfo=dt.UTC)
