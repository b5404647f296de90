"""The dashboard's calendar.ics names a pillar as the strategy does (CATEGORIES), not by its id."""

from __future__ import annotations

import icalendar
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from tests.web.conftest import csrf


def test_dashboard_calendar_ics_names_the_pillars(client: TestClient, web_ws: Workspace) -> None:
    path = web_ws.root / "strategy.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("name: Fashion") == 1
    path.write_text(text.replace("name: Fashion", 'name: "Style, fit & care"'), encoding="utf-8")
    token = csrf(client)
    plan = {"csrf_token": token, "start": "2030-01-07", "weeks": "2"}
    assert client.post("/calendar/plan", data=plan, follow_redirects=False).status_code == 303
    events = icalendar.Calendar.from_ical(client.get("/calendar.ics").text).walk("VEVENT")
    cats = [c for ev in events for c in [str(c) for block in _blocks(ev) for c in block.cats][2:]]
    assert "Style, fit & care" in cats and "fashion" not in cats, cats
    assert set(cats) <= {"Brand", "Style, fit & care", "Beauty", "Wellness"}, cats


def _blocks(ev: icalendar.Event) -> list[icalendar.prop.vCategory]:
    cats = ev.get("CATEGORIES")
    return cats if isinstance(cats, list) else [cats]
