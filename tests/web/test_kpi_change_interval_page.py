"""The Analytics page and the report say the 95 % interval of a KPI total's change beside its trend (the s9 walk:
totals said the sign of any change; the figures by hand are in tests/analytics/test_kpi_change_interval.py)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from signalboost.i18n import use_language
from signalboost.model.io import StrategyDocument
from signalboost.report.analytics_report import _num, _trend_cell
from signalboost.store.workspace import Workspace
from signalboost.web.app import create_app

DATA = Path(__file__).resolve().parents[1] / "data" / "web"


def _workspace(tmp_path: Path) -> Workspace:
    """A reach KPI on x (sum, 7 days): 10 own posts of reach 100 on 20 March 2024 01:00–10:00, 2 on 10 and 11 March:
    1,000 against 200, change 800 ± 1.96·√(12·100²) = 800 ± 678.95 → [121.05, 1,478.95], up."""
    ws = Workspace.open(tmp_path / "ws", create=True)
    shutil.copy(DATA / "strategy.yaml", ws.strategy_path)
    doc = StrategyDocument.load(ws.strategy_path)
    doc.data["kpis"] = [
        {"id": "x-reach", "metric": "reach", "network": "x", "target": 500, "window_days": 7, "aggregation": "sum"}
    ]
    doc.save()
    times = [f"2024-03-20 {h:02d}:00:00+00" for h in range(1, 11)] + [
        "2024-03-10 10:00:00+00",
        "2024-03-11 10:00:00+00",
    ]
    with ws.transaction() as con:
        con.execute("INSERT INTO accounts (platform, account_id, handle) VALUES ('x', '1', 'andreruffert')")
        for i, when in enumerate(times):
            con.execute(
                "INSERT INTO posts (platform, post_id, author_id, created_at, text, format) "
                "VALUES ('x', ?, '1', ?, 'hello', 'text')",
                [f"p{i}", when],
            )
            con.execute(
                "INSERT INTO post_metrics (platform, post_id, observed_at, reach, likes) VALUES ('x', ?, ?, 100, 1)",
                [f"p{i}", "2024-04-01 00:00:00+00"],
            )
    return ws


def test_the_analytics_page_says_the_interval_of_the_change(tmp_path: Path) -> None:
    client = TestClient(create_app(_workspace(tmp_path)), base_url="http://127.0.0.1")
    html = client.get("/analytics?lang=en").text
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert "up (change 800, 95 % interval 121 – 1,479)" in text, text
    html = client.get("/analytics?lang=nb").text
    text = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
    assert "(endring 800, 95 %-intervall 121 – 1 479)" in text.replace("\xa0", " "), text


def test_the_report_trend_cell() -> None:
    row = {"trend": "no clear change", "previous": 30.0, "change": 970.0, "change_low": -990.26, "change_high": 2930.26}
    with use_language("en"):
        assert _trend_cell(row, _num) == "no clear change (was 30; change 970, 95% interval -990 – 2,930)"
        assert _trend_cell({**row, "change_low": None}, _num) == "no clear change (was 30)"
