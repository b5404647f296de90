"""`signalboost analyze`, `recommend [--apply]` and `report` on a workspace holding the UCI posts."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from signalboost.cli.main import main
from signalboost.model.io import load_strategy
from signalboost.store.analytics_sql import insert_frame, read_post_pillars
from signalboost.store.workspace import Workspace

from .frames import metrics, posts, t


def test_analyze_json_is_one_document_and_stores_pillars(
    uci_workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["analyze", "-w", str(uci_workspace.root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["timezone"] == "Europe/Lisbon"
    reach = next(r for r in doc["summary"] if r["metric"] == "er_reach")
    assert (reach["n_posts"], reach["n_used"], reach["n_excluded"]) == (500, 496, 4)
    # no UCI slot's interval lies above the page's mean: no hour is recommended, only exploration
    assert {r["kind"] for r in doc["best"]} == {"explore"}
    # said once, by the backtest that chose the page's slot model (not twice by two rules)
    [hours] = [n for n in doc["notes"] if "keep the current hours" in n]
    assert hours.startswith("facebook: best times cannot be backtested — no candidate model found a slot")
    stored = read_post_pillars(uci_workspace)
    assert stored.height == 500 and set(stored["method"]) == {"label"}


def test_analyze_csv_needs_one_section(uci_workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "-w", str(uci_workspace.root), "--format", "csv"]) == 2
    assert "--section" in capsys.readouterr().err
    assert main(["analyze", "-w", str(uci_workspace.root), "--format", "csv", "--section", "formats"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["group"] for r in rows} == {"photo", "text", "link", "video"}
    assert sum(int(r["n_posts"]) for r in rows) == 500


def test_csv_neutralises_formulas_from_imported_text(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    p = posts([{"post_id": str(i), "created_at": t(i + 1), "format": "=HYPERLINK(1)"} for i in range(3)])
    m = metrics([{"post_id": str(i), "likes": i, "comments": 0, "shares": 0, "reach": 10} for i in range(3)])
    insert_frame(workspace, "posts", p)
    insert_frame(workspace, "post_metrics", m)
    assert main(["analyze", "-w", str(workspace.root), "-f", "csv", "-s", "formats"]) == 0
    assert "'=HYPERLINK(1)" in capsys.readouterr().out


def test_recommend_shows_a_diff_and_apply_keeps_comments(
    uci_workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    before = uci_workspace.strategy_path.read_text()
    assert main(["recommend", "-w", str(uci_workspace.root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["diff"].startswith("--- strategy.yaml") and doc["applied"] is False
    assert "#   why" in doc["diff"]
    assert uci_workspace.strategy_path.read_text() == before  # nothing written without --apply
    kinds = {r["kind"] for r in doc["changes"]}
    assert {"frequency", "kept"} <= kinds and "recommended" not in kinds  # nothing stands out: keep the hours
    assert main(["recommend", "-w", str(uci_workspace.root), "--apply", "--format", "json"]) == 0
    after = uci_workspace.strategy_path.read_text()
    assert "# start with two posts a day on weekdays" in after and "# the page's zone" in after
    strategy = load_strategy(uci_workspace.strategy_path)
    slots = strategy.schedule.networks["facebook"].slots
    proposed = [r for r in doc["changes"] if r["kind"] in ("recommended", "explore", "kept")]
    assert sum(len(v) for v in slots.values()) == len(proposed)
    for r in proposed:
        assert r["value"] in slots[r["what"].split()[1]]


def test_recommend_without_strategy_is_a_clear_error(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "-w", str(workspace.root)]) == 1
    assert "strategy.yaml" in capsys.readouterr().err


def test_analyze_with_no_posts_says_what_to_do(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "-w", str(workspace.root)]) == 1
    assert "signalboost import" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_report_formats(uci_workspace: Workspace, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"r.{fmt}"
    assert main(["report", "-w", str(uci_workspace.root), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text()
    for heading in (
        "KPIs against their targets",
        "Best times to post",
        "How many posts a day",
        "Paid vs organic",
        "Pillar mix against the strategy",
        "Formats",
        "Recommended schedule change",
    ):
        assert heading in text
    if fmt == "md":
        assert (tmp_path / "r_files").is_dir() and "![" in text


def test_report_escapes_untrusted_text(workspace: Workspace, tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    p = posts([{"post_id": str(i), "created_at": t(i + 1), "format": evil, "pillars": [evil]} for i in range(4)])
    m = metrics([{"post_id": str(i), "likes": i, "comments": 1, "shares": 0, "reach": 10} for i in range(4)])
    insert_frame(workspace, "posts", p)
    insert_frame(workspace, "post_metrics", m)
    out = tmp_path / "r.html"
    assert main(["report", "-w", str(workspace.root), "-o", str(out)]) == 0
    html = out.read_text()
    assert evil not in html and "&lt;script&gt;" in html


def test_report_pdf(uci_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", "-w", str(uci_workspace.root), "--format", "pdf", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000


def test_unknown_metric_is_a_clear_error(uci_workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "-w", str(uci_workspace.root), "--metric", "virality"]) == 1
    assert "unknown metric 'virality'" in capsys.readouterr().err


def test_demo_step_writes_both_reports(uci_workspace: Workspace) -> None:
    from rich.console import Console

    from signalboost.demo import DemoContext
    from signalboost.demo.analytics import demo_step

    ctx = DemoContext(workspace=uci_workspace, console=Console(file=io.StringIO()))
    demo_step(ctx)
    html, pdf = ctx.outputs["analytics report (HTML)"], ctx.outputs["analytics report (PDF)"]
    assert html == uci_workspace.exports_dir / "report.html" and "Best times to post" in html.read_text()
    assert pdf.read_bytes().startswith(b"%PDF")


def test_demo_step_without_posts_skips(workspace: Workspace) -> None:
    from rich.console import Console

    from signalboost.demo import DemoContext
    from signalboost.demo.analytics import demo_step

    out = io.StringIO()
    ctx = DemoContext(workspace=workspace, console=Console(file=out))
    demo_step(ctx)
    assert ctx.outputs == {} and "No posts imported" in out.getvalue()


def test_recommend_diff_is_not_cut_at_a_narrow_terminal(
    uci_workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    assert main(["recommend", "-w", str(uci_workspace.root)]) == 0
    out = capsys.readouterr().out
    why = [line for line in out.splitlines() if line.startswith("#   why ")]
    assert why, out
    # every evidence line is whole: a kept hour ends with its advice, an exploration slot with its range
    kept = [line for line in why if "(kept)" in line]
    assert kept and all(line.endswith("so keep the current hours") for line in kept), kept
    pattern = re.compile(r"^#   why \w{3} \d\d:00 \(explore\): .+ plausible .+–.+%$")
    explore = [line for line in why if "(explore)" in line]
    assert all(pattern.match(line) for line in explore), explore


def test_dashboard_and_recommend_give_one_posts_per_week_answer(
    uci_workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    from signalboost.web.views import analytics as page

    assert main(["recommend", "-w", str(uci_workspace.root), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["changes"]
    cli = {r["network"]: r for r in rows if r["what"] == "min_posts_per_week"}
    advice = page.build(uci_workspace)["schedule_advice"]
    assert set(cli) == {n for n, a in advice.items() if "why" in a} == {"facebook"}
    a = advice["facebook"]
    assert cli["facebook"]["value"] == f"{a['old']} -> {a['new']}" and cli["facebook"]["evidence"] == a["why"]


def test_analyze_table_is_plain_and_fits_80_columns(
    uci_workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["analyze", "-w", str(uci_workspace.root)]) == 0
    out = capsys.readouterr().out
    for word in ("True", "False", "weekday_name", "slot_hour", "n_posts"):
        assert word not in out, word
    table_lines = [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]
    assert table_lines and max(len(line) for line in table_lines) <= 80
    assert "…" not in out  # nothing cut: figures and their intervals share a cell, long words fold
    assert "Engagement (mean per post, 95% interval) — facebook" in out  # one network: named once, in the title
    # a rate as %, its interval beside it in the same cell
    assert re.search(r"│ Engagement rate by reach +│ \d\.\d\d% \[\d\.\d\d%, \d\.\d\d%\] +│", out)
    assert "Compared by: engagement rate by reach (er_reach)" in out and "metric auto" not in out
    assert main(["analyze", "-w", str(uci_workspace.root), "-s", "mix"]) == 0
    mix = capsys.readouterr().out
    assert "drifting" in mix and "%" in mix and (" yes " in mix or " no " in mix)


def test_report_has_format_advice_and_a_glossary(uci_workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    assert main(["report", "-w", str(uci_workspace.root), "-f", "md", "-o", str(out)]) == 0
    text = out.read_text()
    assert "Appendix: glossary" in text and "engagement rate by reach" in text
    # the best-times section says what the per-account backtest found, with the terms in the glossary
    assert "facebook: a backtest on the account's own history found no hour that stands out (496 posts" in text
    assert "| backtest |" in text and "| percentile points |" in text
    assert "best times cannot be backtested" not in text  # said in its section, not again among the notes
    assert "weeks (by its calendar rule)" in text and "(rrule)" not in text
    assert "facebook: format photo: more of it — +" in text  # ranked by effect, with its interval


def test_backtest_words_by_hand() -> None:
    import polars as pl

    from signalboost.analytics.slot_choice import SlotChoice
    from signalboost.report.analysis_words import backtest_words
    from signalboost.report.analytics_charts import metric_words

    backed = SlotChoice("x", "hour", "log", True, 12.34, 3.0, 21.7, 40, 200, 400, pl.DataFrame())
    assert backtest_words(backed) == (
        "x: hours chosen by hour of day (any weekday), on the logarithm of the figure, the model a backtest on the "
        "account's own history picked: posts at the advised hours ranked +12.3 percentile points against the other "
        "posts [+3.0, +21.7] (40 of 200 later posts)."
    )
    unsure = SlotChoice("x", "block3", "rank", False, 2.0, -5.5, 9.5, 30, 200, 400, pl.DataFrame())
    assert "cannot tell" in backtest_words(unsure) and "[-5.5, +9.5]" in backtest_words(unsure)
    assert metric_words("er_reach") == "engagement rate by reach" and metric_words("likes") == "likes"
