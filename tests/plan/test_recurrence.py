from __future__ import annotations

import datetime as dt

from signalboost.plan.recurrence import next_occurrence, occurrence_dates


def test_first_friday_of_the_month() -> None:
    days = occurrence_dates("FREQ=MONTHLY;BYDAY=1FR", dt.date(2026, 1, 1), dt.date(2026, 5, 1))
    assert days == [dt.date(2026, 1, 2), dt.date(2026, 2, 6), dt.date(2026, 3, 6), dt.date(2026, 4, 3)]


def test_every_other_week_is_stable_whatever_the_period() -> None:
    # anchored on Monday 2018-01-01: INTERVAL=2 weeks fall on the same Wednesdays from either start
    rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"
    a = occurrence_dates(rule, dt.date(2026, 3, 2), dt.date(2026, 4, 27))
    b = occurrence_dates(rule, dt.date(2026, 3, 9), dt.date(2026, 4, 27))
    assert set(b) <= set(a) and len(a) == 4
    assert all((d - dt.date(2018, 1, 3)).days % 14 == 0 for d in a)  # 2018-01-03 is the anchor week's Wednesday


def test_rule_with_its_own_dtstart_and_prefix() -> None:
    rule = "DTSTART:20260105T120000\nRRULE:FREQ=WEEKLY;INTERVAL=3;BYDAY=MO"
    assert occurrence_dates(rule, dt.date(2026, 1, 1), dt.date(2026, 2, 20)) == [
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 26),
        dt.date(2026, 2, 16),
    ]
    assert occurrence_dates("RRULE:FREQ=DAILY", dt.date(2026, 2, 27), dt.date(2026, 3, 2)) == [
        dt.date(2026, 2, 27),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 1),
    ]


def test_leap_day_rule_and_end_of_period() -> None:
    rule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"
    assert occurrence_dates(rule, dt.date(2026, 1, 1), dt.date(2028, 1, 1)) == []
    assert next_occurrence(rule, dt.date(2026, 1, 1)) == dt.date(2028, 2, 29)
    assert next_occurrence("FREQ=DAILY;COUNT=3", dt.date(2026, 1, 1)) is None  # ended in 2018
