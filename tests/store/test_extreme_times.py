"""Issue 18, item 12: a year-10000 time already stored never crashes a reader; the Higgs time 253402300800 is refused.

DuckDB stores times up to year 294247, Python's ``datetime`` only to 9999: before the fix ``analyze`` and
``recommend`` raised "year 10000 is out of range", ``influencers`` "date value out of range", and the dashboard's
``/``, ``/outreach``, ``/outreach.json`` and ``/overview.json`` answered 500. The rows are put in with SQL,
as an older version (or another tool) could have stored them.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from signalboost.cli.main import main
from signalboost.ingest import import_files
from signalboost.store.queries import readable_time
from signalboost.store.workspace import Workspace

INGEST = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture
def far_future(tmp_path: Path) -> Path:
    """A workspace (clothing-store strategy, X archive + Higgs + UCI) with year-10000 rows in posts, metrics and
    interactions."""
    root = tmp_path / "ws"
    assert main(["init", str(root), "--template", "clothing-store"]) == 0
    ws = Workspace.open(root)
    import_files(ws, [INGEST / "x-archive", INGEST / "higgs_small.txt", INGEST / "uci_small.csv"], progress=False)
    with ws.transaction(purpose="test") as con:
        con.execute(
            "INSERT INTO posts (platform, post_id, author_id, created_at, text, format, source) "
            "SELECT platform, 'future', author_id, TIMESTAMPTZ '10000-01-01 00:00:00+00', 'far', 'photo', source "
            "FROM posts WHERE platform = 'facebook' LIMIT 1"
        )
        con.execute(
            "INSERT INTO post_metrics (platform, post_id, observed_at, likes, source) "
            "SELECT platform, 'future', TIMESTAMPTZ '10000-01-02 00:00:00+00', 5, source FROM posts "
            "WHERE post_id = 'future'"
        )
        con.execute(
            "INSERT INTO interactions (platform, actor_id, kind, target_post_id, target_account_id, occurred_at, "
            "weight, source) SELECT platform, actor_id, kind, '', target_account_id, to_timestamp(253402300800), "
            "1.0, source FROM interactions WHERE platform = 'x' LIMIT 1"
        )
    return root


@pytest.mark.parametrize(
    "command", [["analyze"], ["recommend"], ["influencers"], ["stats"], ["report", "-o", "{tmp}/r.html"]]
)
def test_commands_read_a_year_10000_time(
    far_future: Path, tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    code = main([*args, "-w", str(far_future)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "out of range" not in err
    assert code == 0, err


def test_dashboard_pages_read_a_year_10000_time(far_future: Path) -> None:
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from fastapi.testclient import TestClient

    from signalboost.web.app import create_app

    app = create_app(Workspace.open(far_future), require_login=False)
    client = TestClient(app, raise_server_exceptions=False)
    pages = sorted({r.path for r in app.routes if "GET" in getattr(r, "methods", set()) and "{" not in r.path})
    assert {"/", "/outreach", "/outreach.json", "/overview.json", "/analytics"} <= set(pages)
    failed = {p: r.status_code for p in pages if (r := client.get(p, headers={"host": "localhost"})).status_code >= 500}
    assert failed == {}


def test_readers_see_an_unreadable_time_as_unknown(far_future: Path) -> None:
    ws = Workspace.open(far_future)
    posts = ws.table("posts")
    assert posts.filter(posts["post_id"] == "future")["created_at"].to_list() == [None]
    # times a reader can hold are untouched
    sql = f"SELECT {readable_time('t')} FROM (SELECT TIMESTAMPTZ '2012-07-04 09:00:00+00' AS t)"
    assert str(ws.query(sql)["t"][0]) == "2012-07-04 09:00:00+00:00"


def test_higgs_time_in_year_10000_is_a_reject(workspace: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "higgs.txt"
    f.write_text("1 2 1341100972 RT\n3 4 253402300800 MT\n5 6 -1 RE\n7 8 99999999999999999 RT\n")
    [res] = import_files(workspace, [f], progress=False, format="higgs-activity")
    assert workspace.query("SELECT actor_id FROM interactions")["actor_id"].to_list() == ["1"]
    rejects = workspace.query("SELECT line, reason FROM rejects ORDER BY line").rows()
    assert rejects == [
        (2, "timestamp 253402300800 is out of range (a Unix time from 1970 to 9999)"),
        (3, "timestamp -1 is out of range (a Unix time from 1970 to 9999)"),
        (4, "timestamp 99999999999999999 is out of range (a Unix time from 1970 to 9999)"),
    ]
    assert res.rows_rejected == 3
