"""Stored post languages (migration 130) and `signalboost languages`: detection once, network tags kept."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from signalboost.cli.main import main
from signalboost.store import influence_sql
from signalboost.store.workspace import Workspace
from signalboost.text.job import account_languages, detect_stored_languages

POSTS = [  # platform, post_id, author, text, network tag
    ("instagram", "1", "cafe", "Kanelbollene er ute av ovnen nå, kom innom!", None),
    ("instagram", "2", "cafe", "Fresh cinnamon buns are out of the oven, come by!", None),
    ("instagram", "3", "cafe", "Vi har åpent hele helgen. We are open all weekend, see you there!", None),
    ("instagram", "4", "cafe", "Ny uke, nye muligheter for en god kopp kaffe", None),
    ("instagram", "5", "cafe", "😍🔥", None),
    ("instagram", "6", "cafe", None, None),
    ("mastodon", "7", "fan", "Tusen takk for en fin kveld på kafeen", "en"),  # the author's (wrong) tag is kept
]


def _workspace(tmp_path: Path) -> Workspace:
    (tmp_path / "strategy.yaml").write_text("version: 1\nbrand:\n  name: Kafé\n", encoding="utf-8")
    ws = Workspace.open(tmp_path)
    frame = pl.DataFrame(POSTS, schema=["platform", "post_id", "author_id", "text", "language"], orient="row")
    with ws.transaction() as con:
        influence_sql.insert_frame(con, "posts", frame)
    return ws


def _stored(ws: Workspace) -> dict[str, tuple[object, object]]:
    frame = ws.query("SELECT post_id, detected_language, detected_languages FROM posts ORDER BY post_id")
    return {r[0]: (r[1], r[2]) for r in frame.iter_rows()}


def test_languages_are_detected_once_and_stored(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    run = detect_stored_languages(ws, batch=2)  # several batches
    assert (run.posts, run.detected, run.unknown, run.mixed) == (6, 5, 1, 1)  # post 6 has no text: not read
    assert _stored(ws) == {
        "1": ("nb", ["nb"]),
        "2": ("en", ["en"]),
        "3": ("en", ["en", "nb"]),  # 8 English words vs 5 Norwegian
        "4": ("nb", ["nb"]),
        "5": (None, []),  # detected: unknown (not NULL: it is not read again)
        "6": (None, None),
        "7": ("nb", ["nb"]),
    }
    assert detect_stored_languages(ws).posts == 0  # nothing new
    assert detect_stored_languages(ws, redetect=True).posts == 6
    assert detect_stored_languages(ws, platform="mastodon", redetect=True).posts == 1


def test_the_language_mix_per_account_keeps_the_network_tag(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    detect_stored_languages(ws)
    mix = account_languages(ws)
    rows = [(r["account_id"], r["language"], r["posts"], r["mixed_posts"], r["source"]) for r in mix.to_dicts()]
    # cafe: 5 posts with text: nb 2, en 2 (one of them mixed), unknown 1; fan: tagged "en" by the network
    assert rows == [
        ("cafe", "en", 2, 1, "detected"),
        ("cafe", "nb", 2, 0, "detected"),
        ("cafe", None, 1, 0, "unknown"),
        ("fan", "en", 1, 0, "network"),
    ]
    assert mix.filter(pl.col("account_id") == "cafe")["share"].to_list() == pytest.approx([0.4, 0.4, 0.2])


def test_languages_command_json_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _workspace(tmp_path)
    assert main(["languages", "-w", str(tmp_path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["detected"] == {"posts": 6, "with_language": 5, "unknown": 1, "mixed": 1}
    assert [(r["account_id"], r["language"], r["posts"]) for r in doc["rows"]][:2] == [
        ("cafe", "en", 2),
        ("cafe", "nb", 2),
    ]
    assert main(["languages", "-w", str(tmp_path), "-p", "mastodon", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("platform,handle,account_id,language") and len(out) == 2


def test_languages_outside_a_workspace_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["languages", "-w", str(tmp_path)]) == 1
    assert "not a Signalboost workspace" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_languages_table_shows_one_account_column_and_unknown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _workspace(tmp_path)
    assert main(["languages", "-w", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    lines = [line for line in captured.out.splitlines() if "cafe" in line or "fan" in line]
    assert len(lines) == 4 and all(len(line) <= 80 for line in captured.out.splitlines())
    assert "unknown" in lines[2] and "network" in lines[3]
    assert "Detected now: 6 posts (5 with a language, 1 unknown, 1 mixing languages)." in captured.err
