"""The outreach and partners commands, through the real CLI entry point."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from signalboost.cli.main import main
from signalboost.store.workspace import Workspace

from .conftest import T0, add_follows, add_interactions, add_scores


def run(capsys: pytest.CaptureFixture[str], ws: Workspace, *args: str) -> tuple[int, str, str]:
    code = main([*args[:2], *args[2:], "-w", str(ws.root)] if len(args) >= 2 else list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def js(capsys: pytest.CaptureFixture[str], ws: Workspace, *args: str) -> dict:  # type: ignore[type-arg]
    code, out, err = run(capsys, ws, *args, "-f", "json")
    assert code == 0, err
    return json.loads(out)  # type: ignore[no-any-return]


def test_pipeline_commands(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    doc = js(capsys, ws, "outreach", "add", "@maria", "--owner", "ana", "--due", "2026-01-10", "--next-step", "DM")
    assert doc["rows"][0]["stage"] == "identified"
    code, _, err = run(capsys, ws, "outreach", "move", "maria", "collaborating")
    assert code == 1
    assert "Allowed moves from identified: warming, contacted, paused, declined" in err
    assert "Traceback" not in err
    assert js(capsys, ws, "outreach", "move", "maria", "warming", "--note", "liked")["rows"][0]["stage"] == "warming"
    rows = js(capsys, ws, "outreach", "list", "--stage", "warming")["rows"]
    assert [r["handle"] for r in rows] == ["maria"]
    show = js(capsys, ws, "outreach", "show", "maria")
    assert [h["to_stage"] for h in show["history"]] == ["identified", "warming"]


def test_log_twice_and_ledger_flag(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    js(capsys, ws, "outreach", "add", "li")
    first = js(capsys, ws, "outreach", "log", "li", "message", "--ask", "--on", "2026-01-02")
    again = js(capsys, ws, "outreach", "log", "li", "message", "--ask", "--on", "2026-01-02")
    assert first["rows"][0]["status"] == "logged"
    assert again["rows"][0]["status"].startswith("already in the ledger")
    js(capsys, ws, "outreach", "log", "li", "like", "--on", "2026-01-03")
    js(capsys, ws, "outreach", "log", "li", "message", "--ask", "--on", "2026-01-04")
    code, out, _ = run(capsys, ws, "outreach", "ledger", "--flagged", "-f", "csv")
    assert code == 0
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert (row["handle"], row["gives"], row["asks"], row["give_ask_ratio"], row["flagged"]) == (
        "li",
        "1",
        "2",
        "0.5",
        "True",
    )


def test_bad_input_is_a_clear_error(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    code, _, err = run(capsys, ws, "outreach", "add", "nobody")
    assert code == 1 and "no account 'nobody'" in err
    code, _, err = run(capsys, ws, "outreach", "add", "maria", "--due", "soon")
    assert code == 2 and "--due" in err and "YYYY-MM-DD" in err
    code, _, err = run(capsys, ws, "outreach", "add", "z", "--account-id", "z9")
    assert code == 2 and "--platform" in err
    js(capsys, ws, "outreach", "add", "maria")
    code, _, err = run(capsys, ws, "outreach", "log", "maria", "hug")
    assert code == 1 and "like, reply, share, message, gift" in err


def test_add_an_account_known_only_from_scores_or_interactions(
    capsys: pytest.CaptureFixture[str], ws: Workspace
) -> None:
    add_scores(ws, [("64911", 80.0, "untapped", True)])  # scored, no accounts row
    add_interactions(ws, [("777", "like", "p1", "b1", T0)])  # only an interaction actor
    row = js(capsys, ws, "outreach", "add", "64911", "-p", "x")["rows"][0]
    assert (row["platform"], row["account_id"], row["handle"]) == ("x", "64911", None)
    row = js(capsys, ws, "outreach", "add", "777", "-p", "x")["rows"][0]
    assert (row["account_id"], row["handle"]) == ("777", None)
    code, _, err = run(capsys, ws, "outreach", "add", "64911", "-p", "ig")
    assert code == 1 and "no account '64911' on ig" in err
    # --account-id: the positional is the id itself, not a handle; a real handle is kept
    row = js(capsys, ws, "outreach", "add", "555", "-p", "x", "--account-id", "555")["rows"][0]
    assert (row["account_id"], row["handle"]) == ("555", None)
    row = js(capsys, ws, "outreach", "add", "@newbie", "-p", "x", "--account-id", "556")["rows"][0]
    assert (row["account_id"], row["handle"]) == ("556", "newbie")


def test_csv_output_is_formula_safe(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    js(capsys, ws, "outreach", "add", "maria", "--next-step", "=HYPERLINK(1)")
    code, out, _ = run(capsys, ws, "outreach", "list", "-f", "csv")
    assert code == 0 and "'=HYPERLINK(1)" in out


def test_partners_rank_choose_overlap_monitor(
    capsys: pytest.CaptureFixture[str], ws: Workspace, tmp_path: Path
) -> None:
    from .test_overlap_coverage import OURS, THEIRS

    add_follows(ws, [(m, "b1") for m in OURS] + [(m, c) for c, s in THEIRS.items() for m in s])
    add_scores(ws, [("n1", 90, "other", False)])
    rows = js(capsys, ws, "partners", "rank", "c1", "c2", "c3")["rows"]
    assert [(r["rank"], r["account_id"], r["unique_reach"], r["bridges"]) for r in rows] == [
        (1, "c1", 3, 1),
        (2, "c2", 2, 0),
        (3, "c3", 1, 0),
    ]
    top = js(capsys, ws, "partners", "rank", "--top", "2")["rows"]
    assert [r["account_id"] for r in top] == ["c1", "c2"]  # the two largest audiences
    doc = js(capsys, ws, "partners", "choose", "c1", "c2", "c3", "--k", "2", "--save")
    assert [r["account_id"] for r in doc["rows"]] == ["c1", "c2"]
    assert doc["new_reach"] == 4 and "1 − 1/e" in doc["guarantee"]
    one = js(capsys, ws, "partners", "overlap", "c1")
    assert one["overlap"]["shared"] == 2 and [b["account_id"] for b in one["bridges"]] == ["n1"]
    mon = js(capsys, ws, "partners", "monitor", "--windows", "2")
    assert sorted({r["account_id"] for r in mon["rows"]}) == ["c1", "c2"]


def test_partners_without_brand_explains(capsys: pytest.CaptureFixture[str], workspace: Workspace) -> None:
    code, _, err = run(capsys, workspace, "partners", "rank", "c1")
    assert code == 1 and "brand.handles" in err
    code, _, err = run(capsys, workspace, "partners", "monitor")
    assert code == 1 and "partners choose --save" in err


def test_identify_enters_untapped(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    code, _, err = run(capsys, ws, "outreach", "identify")
    assert code == 1 and "signalboost influencers" in err
    add_scores(ws, [("u1", 90, "untapped", True), ("u2", 99, "untapped", True), ("u3", 95, "advocate", True)])
    doc = js(capsys, ws, "outreach", "identify", "--limit", "1")
    assert (doc["added"], doc["untapped"], [r["account_id"] for r in doc["rows"]]) == (1, 2, ["u2"])
    doc = js(capsys, ws, "outreach", "identify")
    assert (doc["added"], doc["untapped"]) == (1, 2)  # u2 was already there
    assert sorted(r["stage"] for r in js(capsys, ws, "outreach", "list")["rows"]) == ["identified", "identified"]


def test_untapped_note_states_the_engagement(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    add_scores(ws, [("u1", 90, "untapped", True)])
    with ws.transaction() as con:  # u1 interacted once, within the run's tolerance of 1 over 30 days
        con.execute("UPDATE influence_scores SET engagement = 0.4, interactions_with_brand = 1 WHERE account_id = 'u1'")
        con.execute(
            "INSERT INTO influence_runs (platform, computed_at, accounts, weights, unavailable, settings) "
            "VALUES ('x', ?, 1, '{}', '{}', ?)",
            [T0, json.dumps({"engagement_threshold": 2, "untapped_tolerance": 1, "engagement_window_days": 30})],
        )
    js(capsys, ws, "outreach", "identify")
    [hist] = js(capsys, ws, "outreach", "show", "maria")["history"]
    assert (
        hist["note"]
        == "untapped: influential follower, 1 interaction(s) with the brand in the last 30 days (untapped at ≤ 1)"
    )


def test_partners_bad_options(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    add_follows(ws, [("f1", "b1"), ("f2", "c1")])
    code, _, err = run(capsys, ws, "partners", "rank", "c1", "--audience", "likes")
    assert code == 1 and "unknown audience source 'likes'" in err and "follows or interactions" in err
    code, _, err = run(capsys, ws, "partners", "rank", "c1", "--method", "fast")
    assert code == 1 and "unknown method 'fast'" in err
    code, _, err = run(capsys, ws, "partners", "choose", "c1", "--k", "0")
    assert code == 2 and "Traceback" not in err


def test_sync_kpis_value_curate_print_json(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    import datetime as dt

    from .conftest import T0, add_interactions

    js(capsys, ws, "outreach", "add", "maria", "--mode", "paid", "--offer-kind", "fee", "--cost", "100")
    add_interactions(ws, [("u1", "repost", "", "b1", T0), ("u1", "mention", "", "b1", T0 + dt.timedelta(days=1))])
    assert js(capsys, ws, "outreach", "sync")["rows"] == [{"new_touches": 2}]
    assert js(capsys, ws, "outreach", "sync")["rows"] == [{"new_touches": 0}]
    rows = js(capsys, ws, "outreach", "kpis", "maria", "--until", "2026-01-31", "--windows", "1")["rows"]
    assert [(r["interactions"], r["amplifications"], r["engagement_rate"]) for r in rows] == [(2, 1, None)]
    value = {r["label"]: r for r in js(capsys, ws, "outreach", "value")["rows"]}
    # 2 touches for a fee of 100; 1 amplification × 5000 followers of maria = 5000 potential reach.
    assert (value["@maria"]["engagement_per_cost"], value["@maria"]["reach_per_cost"]) == (0.02, 50.0)
    assert js(capsys, ws, "outreach", "curate")["rows"] == []  # no strategy: no pillars


def test_ledger_reads_new_imports_and_partner_status(capsys: pytest.CaptureFixture[str], ws: Workspace) -> None:
    from .conftest import T0, add_interactions

    js(capsys, ws, "outreach", "add", "maria")
    add_interactions(ws, [("u1", "repost", "", "b1", T0)])
    (row,) = js(capsys, ws, "outreach", "ledger")["rows"]  # synced on the way: no `outreach sync` needed
    assert (row["handle"], row["their_amplifications"]) == ("maria", 1)
    code, _, err = run(capsys, ws, "partners", "status", "maria", "active")
    assert code == 1 and "not a recorded partner" in err
    add_follows(ws, [("f1", "b1"), ("f2", "u1")])
    js(capsys, ws, "partners", "choose", "maria", "--k", "1", "--save")
    assert js(capsys, ws, "partners", "status", "maria", "active")["rows"][0]["status"] == "active"
    code, _, err = run(capsys, ws, "partners", "status", "maria", "married")
    assert code == 1 and "candidate, chosen, active, ended" in err


def test_partners_rank_fits_80_columns(
    capsys: pytest.CaptureFixture[str], ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue #14: 12 columns folded every cell at 80 columns; the narrow table keeps one line per candidate
    from .test_overlap_coverage import OURS, THEIRS

    add_follows(ws, [(m, "b1") for m in OURS] + [(m, c) for c, s in THEIRS.items() for m in s])
    add_scores(ws, [("n1", 90, "other", False)])
    expected = {r["account_id"]: r for r in js(capsys, ws, "partners", "rank", "c1", "c2", "c3")["rows"]}
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(capsys, ws, "partners", "rank", "c1", "c2", "c3")
    assert code == 0
    table = [ln for ln in out.splitlines() if ln[:1] in "┏┃┡│└"]
    assert table and all(len(ln) <= 80 for ln in table)
    cells = [[c.strip() for c in ln.strip("│").split("│")] for ln in table if ln.startswith("│")]
    assert [c[:2] for c in cells] == [["1", "c1"], ["2", "c2"], ["3", "c3"]]  # no handles in this data: ids
    for c in cells:
        r = expected[c[1]]
        assert c[2:] == [str(int(r["audience"])), str(int(r["shared"])), str(int(r["unique_reach"])), str(r["bridges"])]
    assert "unique = those you do not reach yet" in out


def test_partners_rank_says_when_no_candidate_adds_new_reach(
    capsys: pytest.CaptureFixture[str], ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ego network (SNAP ego-Facebook: every account is the brand's friend): each candidate's followers all
    follow the brand already, so every unique reach is 0 and the order says nothing about new reach — said so."""
    ours = [(m, "b1") for m in ("f1", "f2", "f3", "f4")]
    add_follows(ws, [*ours, ("f1", "c1"), ("f2", "c1"), ("f3", "c2")])
    for width in ("200", "80"):  # the wide and the narrow table
        monkeypatch.setenv("COLUMNS", width)
        code, out, _ = run(capsys, ws, "partners", "rank", "c1", "c2")
        flat = " ".join(out.split())
        assert code == 0 and "No candidate adds new reach: every known follower of the 2 candidates already" in flat
    rows = js(capsys, ws, "partners", "rank", "c1", "c2")["rows"]
    assert [(r["account_id"], r["audience"], r["unique_reach"]) for r in rows] == [("c2", 1, 0), ("c1", 2, 0)]
    add_follows(ws, [("n5", "c3")])  # one candidate with a follower the brand does not reach: no such line
    code, out, _ = run(capsys, ws, "partners", "rank", "c1", "c2", "c3")
    assert code == 0 and "No candidate adds new reach" not in " ".join(out.split())
