"""A segment without keywords: its name is stored as a language-neutral marker and said in the reader's language
(issue #20's leftovers). Workspaces stored by older versions, which wrote the name in the language of the run
("Unnamed segment" or "Segment uten navn"), read the same way.

Expected words are written by hand: the bokmål catalog's "Segment uten navn".
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from signalboost import i18n
from signalboost.cli.main import main
from signalboost.store.workspace import Workspace

NB_UNNAMED = "Segment uten navn"


def _card(segment: int, name: str, keywords: list[str]) -> dict[str, Any]:
    return {
        "segment": segment,
        "id": f"seg-{segment}",
        "name": name,
        "description": "",
        "size": 10 - segment,
        "share": (10 - segment) / 19,
        "engagement": 3,
        "engagement_share": 0.5,
        "keywords": keywords,
        "weights": [1.0] * len(keywords),
        "handles": [f"acct{segment}"],
        "active_hours": [9],
        "formats": [],
        "pillars": [],
        "example_posts": [],
        "influence_mix": None,
        "networks": ["x"],
    }


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A stored run of two keyword-less segments: one named by this version (the marker), one by an older version
    run in Norwegian (the translation), and a segment named by its keywords."""
    from signalboost.store import audience_sql

    ws = Workspace.open(tmp_path / "ws", create=True)
    cards = [_card(0, "Unnamed segment", []), _card(1, NB_UNNAMED, []), _card(2, "Surf & Wax", ["surf", "wax"])]
    table = pl.DataFrame({"account_id": [str(i) for i in range(3)], "segment": [0, 1, 2]})
    run = {
        "computed_at": dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC),
        "segments": 3,
        "summary": {
            "accounts": 3,
            "segments": 3,
            "resolution": 0.5,
            "stability": {"seed_ari": 0.9, "split_ari": 0.5},
            "evidence": {"links": 4, "shared_followees": 0, "texts": 1},
            "audience_from": "interacted with the brand (no follow edges to the brand imported)",
            "notes": [],
            "notes_run": [],
        },
        "cards": cards,
    }
    with ws.transaction() as con:
        audience_sql.write_segments(con, "x", table, run)
    return ws


def test_a_run_stores_the_neutral_marker_in_any_language() -> None:
    from signalboost.audience.personas import suggest

    with i18n.use_language("nb"):
        name, description = suggest([], 5, 0.25, {})
    assert name == "Unnamed segment"  # stored: the reader's language decides how it is said
    assert description.startswith("5 kontoer")  # the description is still said in the run's language


@pytest.mark.parametrize(
    ("lang", "unnamed"),
    [("nb", NB_UNNAMED), ("en", "Unnamed segment")],
)
def test_the_name_is_said_in_the_readers_language(ws: Workspace, lang: str, unnamed: str) -> None:
    from signalboost.audience.personas import card_name
    from signalboost.report.audience_section import audience_section
    from signalboost.web.views.audience import build

    with i18n.use_language(lang):
        assert [card_name(n) for n in ("Unnamed segment", NB_UNNAMED, "Surf & Wax")] == [unnamed, unnamed, "Surf & Wax"]
        page = build(ws, "x")
        assert [c["name"] for c in page["cards"]] == [unnamed, unnamed, "Surf & Wax"]
        from signalboost.audience.job import stored_run

        section = audience_section(stored_run(ws, "x"))  # type: ignore[arg-type]
        table = next(t for t in section.tables if len(t.rows) == 3)
        assert [row[1] for row in table.rows] == [unnamed, unnamed, "Surf & Wax"]
    other = "Unnamed segment" if lang == "nb" else NB_UNNAMED
    assert other not in json.dumps(page, ensure_ascii=False)


def test_the_cli_table_says_it_in_norwegian_and_json_keeps_what_is_stored(
    ws: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    root = str(ws.root)
    assert main(["--lang", "nb", "audience", "segments", "--stored", "-p", "x", "-w", root]) == 0
    out = capsys.readouterr().out
    assert out.count(NB_UNNAMED) == 2 and "Unnamed segment" not in out
    assert main(["--lang", "en", "audience", "segments", "--stored", "-p", "x", "-w", root]) == 0
    out = capsys.readouterr().out
    assert out.count("Unnamed segment") == 2 and NB_UNNAMED not in out
    assert main(["--lang", "nb", "audience", "segments", "--stored", "-p", "x", "-w", root, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["name"] for r in rows] == ["Unnamed segment", NB_UNNAMED, "Surf & Wax"]  # as stored: data
