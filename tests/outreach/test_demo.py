from __future__ import annotations

import csv
import datetime as dt

from rich.console import Console

from signalboost.demo import DemoContext
from signalboost.demo.outreach import demo_step
from signalboost.outreach import pipeline
from signalboost.store.workspace import Workspace

from .conftest import T0, add_interactions, add_scores


def _console() -> Console:
    return Console(record=True, width=160)


def test_demo_skips_clearly_without_scores_or_interactions(workspace: Workspace) -> None:
    console = _console()
    demo_step(DemoContext(workspace, console))
    text = console.export_text()
    assert "Pipeline: skipped" in text and "signalboost influencers`" in text
    assert "Partners: skipped — no interactions imported" in text


def test_demo_enters_untapped_and_ranks_partners(ws: Workspace) -> None:
    add_scores(ws, [("u1", 90, "untapped", True), ("u2", 80, "untapped", True), ("u3", 95, "advocate", True)])
    t = [T0 + dt.timedelta(minutes=i) for i in range(20)]
    # Audiences from interactions: brand b1 <- {a, b}; p1 <- {a, c, d}; p2 <- {e}.
    rows = [("a", "mention", "", "b1", t[0]), ("b", "repost", "", "b1", t[1]), ("a", "reply", "", "p1", t[2])]
    rows += [("c", "mention", "", "p1", t[3]), ("d", "repost", "", "p1", t[4]), ("e", "mention", "", "p2", t[5])]
    add_interactions(ws, rows)
    console = _console()
    ctx = DemoContext(ws, console)
    demo_step(ctx)
    text = console.export_text()
    assert [r.account_id for r in pipeline.list_records(ws, stage="identified")] == ["u2", "u1"]  # by handle
    assert "2 untapped influencers entered as identified" in text
    assert "brand account b1" in text
    # p1 adds {c, d} (a is ours), p2 adds {e}: greedy takes both, which is optimal.
    assert "Chosen 2 partners (greedy maximum coverage): p1 (+2), p2 (+1); new reach 3 of at most 3" in text
    with ctx.outputs["partner ranking"].open() as fh:
        got = list(csv.DictReader(fh))
    assert [(r["rank"], r["account_id"], r["audience"], r["shared"], r["unique_reach"]) for r in got] == [
        ("1", "p1", "3", "1", "2"),
        ("2", "p2", "1", "0", "1"),
    ]
    assert float(got[0]["jaccard"]) == 1 / 4 and got[0]["bridges"] == "0"
    # Re-running adds nobody twice.
    demo_step(DemoContext(ws, _console()))
    assert len(pipeline.list_records(ws)) == 2


def test_demo_says_stage_and_guarantee_in_norwegian(ws: Workspace) -> None:
    from signalboost import i18n

    add_scores(ws, [("u1", 90, "untapped", True), ("u2", 80, "untapped", True)])
    t = [T0 + dt.timedelta(minutes=i) for i in range(4)]
    rows = [("a", "mention", "", "b1", t[0]), ("a", "reply", "", "p1", t[1]), ("c", "mention", "", "p1", t[2])]
    add_interactions(ws, rows)
    console = _console()
    i18n.set_override("nb")
    demo_step(DemoContext(ws, console))
    text = console.export_text()
    assert "Løpet: 2 uutnyttede påvirkere lagt inn som identifisert (de 2 med høyest poeng av 2 uutnyttede" in text
    assert "│ identifisert │" in text  # the table's stage cell
    assert "Garanti: grådig maksimal dekning: ny rekkevidde ≥ (1 − 1/e) ≈ 63,2 % av de best mulige k partnerne" in text
    assert "identified" not in text and "greedy maximum coverage" not in text
    assert [r.stage for r in pipeline.list_records(ws)] == ["identified", "identified"]  # stored: the identifier


def _ranked_demo_text(ws: Workspace, width: int) -> str:
    t = [T0 + dt.timedelta(minutes=i) for i in range(6)]
    rows = [("a", "mention", "", "b1", t[0]), ("b", "repost", "", "b1", t[1]), ("a", "reply", "", "p1", t[2])]
    rows += [("c", "mention", "", "p1", t[3]), ("d", "repost", "", "p1", t[4]), ("e", "mention", "", "p2", t[5])]
    add_interactions(ws, rows)
    console = Console(record=True, width=width)
    demo_step(DemoContext(ws, console))
    return console.export_text()


def test_demo_partner_table_is_the_clis_narrow_one_at_80_columns(ws: Workspace) -> None:
    text = _ranked_demo_text(ws, 80)
    # The CLI's narrow `partners rank` table: whole headers (the demo's own table cut "overlap/smaller" to
    # "overlap…" at 80 columns), one line per candidate, and its legend.
    assert "┃ rank ┃ account ┃ audience ┃ shared ┃ unique ┃ bridges ┃" in text
    assert (
        "│ 1    │ p1      │ 3        │ 1      │ 2      │ —       │" in text
    )  # p1: {a, c, d}, a is ours; no scores: no bridges
    assert "│ 2    │ p2      │ 1        │ 0      │ 1      │ —       │" in text
    assert "…" not in text.split("Partner candidates ranked")[1].split("Chosen")[0]
    assert "bridges = influential accounts" in " ".join(text.split())
    # the demo's audiences come from interactions: the legend says so (it said "the candidate's followers")
    assert "audience = the accounts that interacted with the candidate" in " ".join(text.split())
    assert "followers" not in " ".join(text.split()).split("audience = ")[1].split("Jaccard")[0]


def test_demo_partner_table_is_the_clis_wide_one_at_160_columns(ws: Workspace) -> None:
    text = _ranked_demo_text(ws, 160)
    assert "┃ rank ┃ handle ┃ account id ┃ audience ┃ our audience ┃ shared ┃ Jaccard ┃ Jaccard s.e. ┃" in text
    # p1: audience {a, c, d} vs ours {a, b}: shared 1, Jaccard 1/4, overlap/smaller 1/2, unique 2.
    assert "│ p1         │ 3        │ 2            │ 1      │ 0.25    │ —            │ 0.5             │ 2  " in text
    assert "bridges = influential accounts" not in " ".join(text.split())
