"""The Overview's KPI table says how many reposts a ``posts`` KPI left out (the brand's own posts are counted)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from signalboost.model.io import StrategyDocument
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "data" / "web"


def _workspace(tmp_path: Path) -> Workspace:
    """The web strategy with a posts KPI on x (30 days, at least 3), and on x four own posts and two retweets
    (``repost_of`` '' as the X archive stores them) between 1 and 6 March 2024."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    doc = StrategyDocument.load(ws.strategy_path)
    doc.data["kpis"].append({"id": "x-posts", "metric": "posts", "network": "x", "target": 3, "window_days": 30})
    doc.save()
    with ws.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', '1', 'brand')")
        for day, repost in ((1, None), (2, ""), (3, None), (4, None), (5, ""), (6, None)):
            con.execute(
                "INSERT INTO posts (platform, post_id, author_id, created_at, text, format, repost_of) "
                "VALUES ('x', ?, '1', ?, 'hello', 'text', ?)",
                [f"p{day}", f"2024-03-0{day} 10:00:00+00", repost],
            )
    return ws


def test_the_overview_counts_own_posts_and_says_how_many_reposts_were_left_out(tmp_path: Path) -> None:
    client = TestClient(create_app(_workspace(tmp_path)), base_url="http://127.0.0.1")
    kpis = {k["id"]: k for k in client.get("/overview.json").json()["kpis"]}
    assert kpis["x-posts"]["value"] == 4 and kpis["x-posts"]["n"] == 4 and kpis["x-posts"]["reposts_left_out"] == 2
    html = client.get("/?lang=en").text
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert "4 (2 reposts left out (other accounts' posts shared))" in text, text
    html = client.get("/?lang=nb").text
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert "4 (2 delinger utelatt (andre kontoers innlegg delt videre))" in text
