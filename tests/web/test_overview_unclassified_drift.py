"""The Overview's drift alerts when most of a network's posts match no pillar: every pillar would "drift" whatever
was posted (the s9 walk's Mastodon export, 599 of 659 posts unclassified), so that network's flags are withheld and
one alert says "pillar drift not judged — not enough classified posts: N of M", as the CLI and the Analytics page
say it (the rule: ``analytics.pillars.pillar_mix``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient

from signalboost.i18n import use_language
from signalboost.model.io import StrategyDocument
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app
from signalboost.web.views.analytics import drift_alerts

DATA = Path(__file__).resolve().parents[1] / "data" / "web"


def _row(platform: str, pillar: str, posts: float, n: int, target: float, drift: bool) -> dict[str, object]:
    return {
        "platform": platform,
        "month": "all",
        "pillar": pillar,
        "posts": posts,
        "n_posts": n,
        "share": posts / n,
        "target": target,
        "expected": target * n,
        "posts_off": posts - target * n,
        "drift": drift,
    }


def test_a_mostly_unclassified_network_gets_one_caveat_alert_the_others_keep_theirs() -> None:
    mix = [
        # mastodon: 599 of 659 unclassified (90.9 %); both pillars flagged
        _row("mastodon", "edu", 20, 659, 0.5, True),
        _row("mastodon", "fun", 40, 659, 0.5, True),
        _row("mastodon", "unclassified", 599, 659, 0.0, False),
        # x: 2 of 10 unclassified (20 %); fun 0 of 10 with 5 due is a real drift
        _row("x", "edu", 8, 10, 0.5, False),
        _row("x", "fun", 0, 10, 0.5, True),
        _row("x", "unclassified", 2, 10, 0.0, False),
    ]
    with use_language("en"):
        texts = [a["text"] for a in drift_alerts({"pillar_mix": mix}, {"edu": "Education", "fun": "Fun"})]
    assert texts == [
        "Drifting on x: Fun: 0 of 10 posts (0%), 5 were due (50%) — 5 posts too few.",
        "mastodon: pillar drift not judged — not enough classified posts: 60 of 659 match a pillar (add keywords, "
        "hashtags or example posts to the pillars, or label posts).",
    ]


def test_exactly_half_unclassified_keeps_the_alerts_per_pillar() -> None:
    mix = [_row("x", "fun", 0, 10, 0.5, True), _row("x", "unclassified", 5, 10, 0.0, False)]
    with use_language("en"):
        [alert] = drift_alerts({"pillar_mix": mix})
    assert alert["text"].startswith("Drifting on x: fun: 0 of 10 posts")


def test_the_overview_of_posts_matching_no_pillar(tmp_path: Path) -> None:
    """20 own x posts saying "hello" (no example posts in the strategy) match none of the web strategy's pillars
    (brand 40 %, fashion 30 %, beauty 20 %, wellness 10 %: 8, 6, 4 and 2 posts due, each ≥ 2 with none posted, so
    all four flagged)."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    doc = StrategyDocument.load(ws.strategy_path)
    doc.data["examples"] = []  # no example posts: the classifier has nothing to match "hello" with
    doc.save()
    with ws.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', '1', 'brand')")
        for day in range(1, 21):
            con.execute(
                "INSERT INTO posts (platform, post_id, author_id, created_at, text, format) "
                "VALUES ('x', ?, '1', ?, 'hello', 'text')",
                [f"p{day}", f"2024-03-{day:02d} 10:00:00+00"],
            )
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    drift = [a["text"] for a in client.get("/overview.json?lang=en").json()["alerts"] if a["href"].startswith("/an")]
    assert drift == [
        "x: pillar drift not judged — not enough classified posts: 0 of 20 match a pillar (add keywords, hashtags or "
        "example posts to the pillars, or label posts)."
    ]
    html = client.get("/?lang=nb").text
    assert "Drifting on" not in html and "Driver av på" not in html
    assert "x: søyleavvik ikke vurdert — for få klassifiserte innlegg: 0 av 20 passer i en søyle" in html, html
    page = client.get("/analytics?lang=en").text
    assert "Drift: " not in page
    assert "Drift not judged: not enough classified posts: 0 of 20 match a pillar." in page, page
