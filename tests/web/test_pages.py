"""Every page renders, has a JSON twin, and behaves on an empty workspace; the strategy editor validates."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from signalboost.web.wiring import unavailable
from tests.web.conftest import csrf

TWINS = [
    ("/", "/overview.json"),
    ("/strategy", "/strategy.json"),
    ("/calendar", "/calendar.json"),
    ("/analytics", "/analytics.json"),
    ("/influencers", "/influencers.json"),
    ("/outreach", "/outreach.json"),
    ("/partners", "/partners.json"),
    ("/imports", "/imports.json"),
    ("/connections", "/connections.json"),
]


@pytest.mark.parametrize(("page", "twin"), TWINS)
def test_page_and_json_twin(client: TestClient, page: str, twin: str) -> None:
    html = client.get(page)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert '<main id="main"' in html.text
    assert f'href="{twin}"' in html.text  # the page links its twin
    data = client.get(twin)
    assert data.status_code == 200
    assert isinstance(data.json(), dict)


@pytest.mark.parametrize(("page", "twin"), TWINS)
def test_pages_on_an_empty_workspace(tmp_path: Path, page: str, twin: str) -> None:
    c = TestClient(create_app(Workspace.open(tmp_path / "empty", create=True)), base_url="http://127.0.0.1")
    assert c.get(page).status_code == 200
    assert c.get(twin).status_code == 200


def test_overview_counts(client: TestClient) -> None:
    data = client.get("/overview.json").json()
    assert data["counts"]["accounts"] == 2
    assert data["counts"]["posts"] == 2
    assert data["brand"] == "Threadline"
    assert [k["id"] for k in data["kpis"]] == ["er"]
    assert data["kpis"][0]["target"] == 0.05
    # the persona was last reviewed 2024-01-10 with a 90-day interval: due since 2024-04-09 (CLDR's English date)
    assert any("Urban maker is due for review (since Apr 9, 2024)" in a["text"] for a in data["alerts"])


def test_overview_of_empty_workspace_invites_an_import(tmp_path: Path) -> None:
    c = TestClient(create_app(Workspace.open(tmp_path / "e", create=True)), base_url="http://127.0.0.1")
    assert "This workspace has no data yet" in c.get("/").text


def test_unavailable_panel_says_what_is_missing() -> None:
    panel = unavailable("Influencer scores", "signalboost.influence")
    assert panel["available"] is False
    assert "not available yet" in panel["message"] and "signalboost.influence" in panel["message"]


def test_unknown_import_is_a_404_with_a_message(client: TestClient) -> None:
    r = client.get("/imports/999.json")
    assert r.status_code == 404
    assert r.json()["error"].startswith("imports: no import #999")
    page = client.get("/imports/999")
    assert page.status_code == 404 and "Error: imports: no import #999" in page.text


def test_unknown_account_profile_is_a_404(client: TestClient) -> None:
    assert client.get("/influencers/x/nobody.json").status_code == 404


def test_bad_query_is_a_422_not_a_crash(client: TestClient) -> None:
    assert client.get("/calendar.json?view=year").status_code == 422
    assert client.get("/influencers.json?limit=0").status_code == 422
    assert client.get("/imports/abc.json").status_code == 422


# ----------------------------------------------------------------------------------------- strategy editor
def test_strategy_page_shows_factors_checklist_and_matrix(client: TestClient) -> None:
    data = client.get("/strategy.json").json()
    assert [f["id"] for f in data["factors"]] == [
        "audience",
        "personality",
        "ecosystem",
        "schedule",
        "pillars",
        "tactics",
        "examples",
    ]
    # 4 pillars x 2 networks = 8 cells, 2 examples given -> 6 gaps
    assert data["matrix"]["networks"] == ["x", "facebook"]
    assert data["matrix"]["gaps"] == 6
    cells = {r["pillar"]: r["cells"] for r in data["matrix"]["rows"]}
    assert cells["brand"][0]["text"] == "Meet the people who cut your jacket."
    assert cells["brand"][1] is None
    assert data["matrix"]["tactics"] == [{"tactic": "giveaway", "name": "Monthly giveaway", "has_example": False}]
    checks = {c["check"]: (c["done"], c["detail"]) for c in data["checklist"]}
    assert checks["Weights sum to 100"] == (True, "sum is 100")
    done, detail = checks["An example for every pillar on every network (2/8)"]
    assert done is False and detail.startswith("missing: brand on facebook, fashion on x")
    assert [p["weight"] for p in data["pillars"]] == [40, 30, 20, 10]


def test_pillar_weight_edit_that_breaks_the_sum_is_refused(client: TestClient, web_ws: Workspace) -> None:
    before = web_ws.strategy_path.read_text()
    r = client.post(
        "/strategy/pillars",
        data={
            "csrf_token": csrf(client),
            "pillar": ["brand", "fashion", "beauty", "wellness"],
            "weight": ["45", "30", "20", "10"],
        },
    )
    assert r.status_code == 422
    assert "Not saved" in r.text
    # the same message as `signalboost validate`, with the line:column of the pillars section
    assert "strategy.yaml:42:1 [pillars]</code>: pillar weights sum to 105, not 100" in r.text
    assert web_ws.strategy_path.read_text() == before


def test_pillar_weight_edit_saves_one_line_and_keeps_comments(client: TestClient, web_ws: Workspace) -> None:
    before = web_ws.strategy_path.read_text()
    r = client.post(
        "/strategy/pillars",
        data={
            "csrf_token": csrf(client),
            "pillar": ["brand", "fashion", "beauty", "wellness"],
            "weight": ["35", "35", "20", "10"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/strategy?done=saved"
    after = web_ws.strategy_path.read_text()
    changed = [
        d
        for d in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if d[:1] in "+-" and not d.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        ["-    weight: 40   # who we are", "-    weight: 30", "+    weight: 35   # who we are", "+    weight: 35"]
    )
    assert "# The weights must sum to 100." in after
    assert web_ws.strategy().pillar_weights()["brand"] == pytest.approx(0.35)


def test_pillar_weight_not_a_number(client: TestClient) -> None:
    r = client.post("/strategy/pillars", data={"csrf_token": csrf(client), "pillar": ["brand"], "weight": ["lots"]})
    assert r.status_code == 422
    assert "weight &#39;lots&#39; is not a number" in r.text


def test_section_edit_with_bad_yaml_reports_line_and_column(client: TestClient) -> None:
    r = client.post(
        "/strategy/section",
        data={"csrf_token": csrf(client), "section": "brand", "content": "name: X\n  bad: [unclosed\n"},
    )
    assert r.status_code == 422
    assert "invalid YAML" in r.text
    assert "brand:2:" in r.text


def test_section_edit_with_wrong_field_is_refused(client: TestClient, web_ws: Workspace) -> None:
    before = web_ws.strategy_path.read_text()
    r = client.post(
        "/strategy/section",
        data={"csrf_token": csrf(client), "section": "brand", "content": "name: X\ntimezone: Mars/Olympus\n"},
    )
    assert r.status_code == 422
    assert "unknown time zone" in r.text
    assert web_ws.strategy_path.read_text() == before


def test_section_edit_saves_valid_yaml(client: TestClient, web_ws: Workspace) -> None:
    r = client.post(
        "/strategy/section",
        data={
            "csrf_token": csrf(client),
            "section": "brand",
            "content": "name: Threadline Studio  # renamed\ntimezone: UTC\n",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert web_ws.strategy().brand.name == "Threadline Studio"
    text = web_ws.strategy_path.read_text()
    assert "# renamed" in text and "# The weights must sum to 100." in text


def test_unknown_section_is_refused(client: TestClient) -> None:
    r = client.post("/strategy/section", data={"csrf_token": csrf(client), "section": "../etc", "content": "x: 1"})
    assert r.status_code == 422
    assert "unknown section" in r.text


def test_strategy_page_without_a_strategy(tmp_path: Path) -> None:
    c = TestClient(create_app(Workspace.open(tmp_path / "e", create=True)), base_url="http://127.0.0.1")
    data = c.get("/strategy.json").json()
    assert data["available"] is False and "no strategy.yaml" in data["message"]


def test_openapi_lists_every_json_twin(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for _, twin in TWINS:
        assert twin in paths
    assert "/imports" in paths and "post" in paths["/imports"]
    assert "/strategy" not in paths  # HTML pages are not part of the API schema


def test_busy_workspace_shows_last_figures_or_a_clear_503(client: TestClient, web_ws: Workspace, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import time

    from signalboost.store.lock import workspace_lock
    from signalboost.web import context

    monkeypatch.setattr(context, "READ_TIMEOUT", 0.3)
    for mod in ("overview", "imports"):
        monkeypatch.setattr(f"signalboost.web.views.{mod}.READ_TIMEOUT", 0.3)
    first = client.get("/overview.json").json()
    with workspace_lock(web_ws.root, purpose="import a big file"):  # as a long CLI import would
        web_ws.db_path.touch()  # the import changes the database
        t = time.monotonic()
        again = client.get("/overview.json")
        assert again.status_code == 200 and again.json()["counts"] == first["counts"]
        assert time.monotonic() - t < 5
        busy = client.get("/imports/1.json")
        assert busy.status_code == 503
        assert "the workspace is busy" in busy.json()["error"] and "import a big file" in busy.json()["error"]


def test_calendar_plan_move_and_exports(client: TestClient) -> None:
    import icalendar

    token = csrf(client)
    r = client.post(
        "/calendar/plan", data={"csrf_token": token, "start": "2030-01-07", "weeks": "1"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/calendar?date=2030-01-07&done=planned"
    week = client.get("/calendar.json?view=week&date=2030-01-07").json()
    # x: mon/wed 09:00 + fri 18:00, facebook: tue/thu 12:00, in Europe/Madrid (tests/data/web/strategy.yaml)
    assert sorted((p["date"], p["time"], p["network"]) for p in week["posts"]) == [
        ("2030-01-07", "09:00", "x"),
        ("2030-01-08", "12:00", "facebook"),
        ("2030-01-09", "09:00", "x"),
        ("2030-01-10", "12:00", "facebook"),
        ("2030-01-11", "18:00", "x"),
    ]
    first = next(p for p in week["posts"] if p["date"] == "2030-01-07")
    r = client.post(
        "/calendar/move",
        data={"csrf_token": token, "post_id": first["id"], "when": "2030-01-12T10:30"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    moved = next(
        p for p in client.get("/calendar.json?view=week&date=2030-01-07").json()["posts"] if p["id"] == first["id"]
    )
    assert (moved["date"], moved["time"], moved["moved"]) == ("2030-01-12", "10:30", True)
    cal = icalendar.Calendar.from_ical(client.get("/calendar.ics").text)
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == 5
    ev = next(e for e in events if first["id"] in str(e["UID"]))
    assert ev.decoded("DTSTART").strftime("%Y-%m-%d %H:%M") == "2030-01-12 09:30"  # 10:30 Madrid = 09:30 UTC
    csv_text = client.get("/calendar.csv").text
    assert csv_text.count("\n") == 6 and "2030-01-12" in csv_text


def test_calendar_ics_cancels_what_a_replan_removed(client: TestClient, web_ws: Workspace) -> None:
    import icalendar

    token = csrf(client)
    plan = {"csrf_token": token, "start": "2030-01-07", "weeks": "1"}
    assert client.post("/calendar/plan", data=plan, follow_redirects=False).status_code == 303
    before = {str(e["UID"]) for e in icalendar.Calendar.from_ical(client.get("/calendar.ics").text).walk("VEVENT")}
    # x's Friday 18:00 slot moves to 19:00 (tests/data/web/strategy.yaml): the re-plan removes the 18:00 post
    path = web_ws.root / "strategy.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count('"18:00"') == 1
    path.write_text(text.replace('"18:00"', '"19:00"'), encoding="utf-8")
    assert client.post("/calendar/plan", data=plan, follow_redirects=False).status_code == 303
    events = icalendar.Calendar.from_ical(client.get("/calendar.ics").text).walk("VEVENT")
    status = {str(e["UID"]): str(e["STATUS"]) for e in events}
    cancelled = {uid for uid, s in status.items() if s == "CANCELLED"}
    assert len(cancelled) == 1 and cancelled < before  # the old Friday event, cancelled for calendar apps
    assert sum(s != "CANCELLED" for s in status.values()) == 5


def test_calendar_move_refuses_bad_input(client: TestClient) -> None:
    token = csrf(client)
    r = client.post("/calendar/move", data={"csrf_token": token, "post_id": "nope", "when": "2030-01-12T10:30"})
    assert r.status_code == 400 and "no planned post with id" in r.text
    r = client.post("/calendar/move", data={"csrf_token": token, "post_id": "x", "when": "12/01/2030"})
    assert r.status_code == 422
