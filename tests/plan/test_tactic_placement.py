"""Tactic placement: a nearest slot must be near; an added slot at a daylight-saving gap or overlap is reported."""

from __future__ import annotations

import datetime as dt
from typing import Any

from signalboost.plan.calendar import make_plan

from .helpers import strategy

UTC = dt.UTC


def _tactic(**over: Any) -> dict[str, Any]:
    t = {"id": "t", "name": "Tactic", "goal": "reach", "rrule": "FREQ=WEEKLY;BYDAY=SU", "time": "12:00"}
    t.update(over)
    return t


def test_nearest_slot_is_never_more_than_half_a_week_away() -> None:
    s = strategy(
        schedule={"networks": {"x": {"min_posts_per_week": 1, "slots": {"mon": ["09:00"]}}}},
        tactics=[_tactic(networks=["x"])],
    )
    result = make_plan(s, dt.date(2026, 3, 2), 2)  # Sundays 8 and 15 March; Monday slots 2 and 9 March
    tactic = [p for p in result.posts if p.kind == "tactic"]
    # Sun 8 12:00 -> Mon 9 09:00 (21 h later). Sun 15: Mon 16 is outside the period, Mon 9 is taken and
    # Mon 2 is 13 days earlier: a slot is added on Sunday 15 at the tactic's time instead.
    assert [p.local.strftime("%Y-%m-%d %H:%M") for p in tactic] == ["2026-03-09 09:00", "2026-03-15 12:00"]
    assert len(result.posts) == 3
    assert any("no free slot within 3½ days of tactic t on 2026-03-15" in n for n in result.notes)


def test_added_tactic_slot_in_a_spring_forward_gap_is_shifted_and_reported() -> None:
    s = strategy(tactics=[_tactic(time="02:30", placement="add-slot", networks=["x"])])
    result = make_plan(s, dt.date(2026, 3, 23), 1)  # Oslo springs forward on Sunday 29 March at 02:00
    (post,) = [p for p in result.posts if p.kind == "tactic"]
    assert post.scheduled_at == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST (UTC+2)
    assert post.local.strftime("%H:%M") == "03:30" and post.note == "daylight saving: nonexistent local time"
    assert [(d.network, d.case) for d in result.dst] == [("x", "nonexistent")]
    assert any("2026-03-29 02:30 does not exist" in n for n in result.notes)


def test_added_tactic_slot_in_a_fall_back_overlap_takes_the_first_and_is_reported() -> None:
    s = strategy(tactics=[_tactic(time="02:30", placement="add-slot", networks=["x"])])
    result = make_plan(s, dt.date(2026, 10, 19), 1)  # Oslo falls back on Sunday 25 October at 03:00
    (post,) = [p for p in result.posts if p.kind == "tactic"]
    assert post.scheduled_at == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30, CEST (UTC+2)
    assert any("2026-10-25 02:30 happens twice" in n for n in result.notes)


def test_tactic_on_a_network_without_schedule_is_noted_once() -> None:
    s = strategy(tactics=[_tactic(networks=["tiktok"])])
    result = make_plan(s, dt.date(2026, 3, 2), 2)
    tiktok = [p for p in result.posts if p.network == "tiktok"]
    assert [p.local.strftime("%Y-%m-%d %H:%M") for p in tiktok] == ["2026-03-08 12:00", "2026-03-15 12:00"]
    assert sum("tiktok: tactic t runs there but the network has no schedule" in n for n in result.notes) == 1
