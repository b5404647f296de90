"""``outreach due`` checks due dates against today, even when the imported data is years old."""

from __future__ import annotations

import datetime as dt

from signalboost.outreach import kpis
from signalboost.outreach.ledger import log_touch
from signalboost.outreach.pipeline import add_influencer
from signalboost.store.workspace import Workspace

OLD = dt.datetime(2012, 7, 1, tzinfo=dt.UTC)  # historical data, like the bundled SNAP Higgs activity


def test_follow_up_due_last_week_is_due_with_historical_data(ws: Workspace) -> None:
    today = dt.datetime.now(dt.UTC).date()
    add_influencer(ws, "x", "u1", handle="li", stage="warming", due_date=today - dt.timedelta(days=6), now=OLD)
    add_influencer(ws, "x", "u2", handle="bo", stage="identified", due_date=today + dt.timedelta(days=3), now=OLD)
    log_touch(ws, "x", "u1", "like", at=OLD)
    log_touch(ws, "x", "u1", "interaction", direction="theirs", at=OLD + dt.timedelta(hours=1))
    assert kpis.default_end(ws) < dt.datetime(2013, 1, 1, tzinfo=dt.UTC)  # KPI windows end with the data
    got = {(a.kind, a.handle) for a in kpis.due(ws)}
    # li: due 6 days ago -> follow_up_due; warming and last touched in 2012 -> no_touch; bo: due in 3 days
    assert got == {("follow_up_due", "li"), ("no_touch", "li")}
    # an explicit date still wins
    assert {(a.kind, a.handle) for a in kpis.due(ws, today=dt.date(2012, 7, 2))} == set()


def test_declined_relationship_is_not_followed_up(ws: Workspace) -> None:
    from signalboost.outreach.pipeline import move

    today = dt.date(2026, 3, 1)
    add_influencer(ws, "x", "u1", handle="li", stage="contacted", due_date=dt.date(2026, 2, 20), now=OLD)
    add_influencer(ws, "x", "u2", handle="bo", stage="contacted", due_date=dt.date(2026, 2, 20), now=OLD)
    move(ws, "x", "u2", "declined")
    end = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    got = {(a.kind, a.handle) for a in kpis.due(ws, today=today, end=end)}
    # li: due 20 Feb and contacted without a touch since 2012 -> both alerts; bo declined -> nothing
    assert got == {("follow_up_due", "li"), ("no_touch", "li")}
