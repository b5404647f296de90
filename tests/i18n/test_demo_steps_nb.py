"""`signalboost --lang nb demo`: the import, analysis and influencer steps print their lines in bokmål (issue #20).

Expected Norwegian is written by hand; the English side checks that nothing changed for English readers.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace

import polars as pl
import pytest
from rich.console import Console

from signalboost import i18n
from signalboost.analytics.slot_choice import SlotChoice
from signalboost.ingest.pipeline import describe_tables
from signalboost.report.analysis_words import backtest_words
from signalboost.store.workspace import Workspace


def _lines(per_table: dict[str, tuple[int, int, int]]) -> list[str]:
    return [i18n.tr(line) for line in describe_tables(SimpleNamespace(per_table=per_table))]  # type: ignore[arg-type]


def test_import_table_lines_use_the_plural_form_of_their_count() -> None:
    per_table = {"accounts": (1, 0, 0), "posts": (500, 0, 0), "account_snapshots": (1, 2, 16)}
    i18n.set_override("nb")
    assert _lines(per_table) == [
        "accounts: 1 ny, 0 fantes fra før",
        "posts: 500 nye, 0 fantes fra før",
        "account_snapshots: 1 ny, 2 fantes fra før, 16 slått sammen (samme nøkkel i filen)",
    ]
    assert _lines({"interactions": (563_069, 1_234, 0)}) == [
        "interactions: 563\u00a0069 nye, 1\u00a0234 fantes fra før"
    ]
    i18n.set_override("en")
    assert _lines(per_table)[0] == "accounts: 1 new, 0 already there"
    assert _lines({"posts": (1_485, 0, 0)}) == ["posts: 1,485 new, 0 already there"]  # the English text as before


def test_backtest_sentence_writes_its_figures_the_norwegian_way() -> None:
    backed = SlotChoice("x", "hour", "log", True, 12.34, 3.0, 21.7, 40, 1200, 400, pl.DataFrame())
    unsure = SlotChoice("x", "block3", "rank", False, 2.0, -5.5, 9.5, 30, 200, 400, pl.DataFrame())
    i18n.set_override("nb")
    said = backtest_words(backed)
    # a decimal comma, and ';' between the interval's ends (a ',' would read as a decimal comma)
    assert "lå +12,3 persentilpoeng over de andre innleggene [+3,0; +21,7] (40 av 1\u00a0200 senere innlegg)" in said
    assert "+2,0 persentilpoeng [-5,5; +9,5], 30 av 200 senere innlegg" in backtest_words(unsure)
    assert "12.3" not in said and "[+3.0" not in said


def test_influencer_step_says_reasons_segments_and_headers_in_norwegian(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from signalboost.cli.common import console
    from signalboost.demo import DemoContext
    from signalboost.demo.influencers import demo_step

    ws = Workspace.open(tmp_path / "ws", create=True)
    with ws.transaction() as con:
        for actor in ("1", "2", "3"):
            con.execute(
                "INSERT INTO interactions (platform, actor_id, kind, target_account_id, occurred_at) "
                "VALUES ('x', ?, 'mention', '88', TIMESTAMPTZ '2012-07-01 00:00:00+00')",
                [actor],
            )
    out = io.StringIO()
    monkeypatch.setattr(console, "_width", 300)  # headers whole, whatever the terminal running the tests
    i18n.set_override("nb")
    demo_step(DemoContext(workspace=ws, console=Console(file=out, width=300)))
    text = out.getvalue() + capsys.readouterr().out  # the tables go through the CLI's own console
    # the run stores its reasons in English (data); the demo says them in the reader's words
    assert "spredning ikke tilgjengelig: ingen innlegg og ingen innleggstall importert" in text
    assert "tema ikke tilgjengelig: ingen emneknagger eller søylemerker på de importerte innleggene" in text
    assert (
        "følger merkevaren ifølge: har samhandlet med merkevaren (ingen følgerlenker til merkevaren importert)" in text
    )
    assert "Topp 10 påvirkere (Higgs, etter poeng)" in text
    for header in ("konto", "poeng", "rekkevidde", "autoritet", "følger merkevaren"):
        assert header in text
    english = ("unavailable", "no posts and no post counts", "interacted with the brand", "follows_brand")
    assert not [phrase for phrase in english if phrase in text]
    assert "interactions_with_brand" not in text and "thought_leader" not in text
    # the CSV's selection, its segments in words (the file itself holds the ids)
    assert "opptil 1\u00a0000 per segment ambassadør/uutnyttet/fan/meningsleder)" in text
