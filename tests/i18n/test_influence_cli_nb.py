"""The real CLI in bokmål for influencers, outreach/partners, audience and competitors: Norwegian words, none of
the known English sentences, numbers in the form Babel (CLDR) gives for ``nb`` (compared with Babel itself), and
the 80-column tables still whole. JSON keeps its English field names and raw values."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.numbers import format_decimal, format_percent

from signalboost.cli.main import main
from signalboost.store.workspace import Workspace
from tests.influence.test_store_cli import fill as fill_influence


def _table_lines(out: str) -> list[str]:
    return [ln for ln in out.splitlines() if ln[:1] in "┏┃┡│└"]


def test_influencers_in_norwegian_at_80_columns(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_influence(workspace)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--lang", "nb", "influencers", "-w", str(workspace.root), "--top", "all"]) == 0
    out = capsys.readouterr().out
    table = _table_lines(out)
    assert table and all(len(ln) <= 80 for ln in table)  # the narrow table still fits, nothing folded
    rows = [[x.strip() for x in ln.strip("│").split("│")] for ln in table if ln.startswith("│")]
    cells = {c[0]: c for c in rows if c[1]}  # the formula-like handle of fill() folds (as in English); cells whole
    # @leader: the thought leader, score percentile 91.7 (hand-checked in tests/influence), engagement 0.00, no
    assert cells["@leader"][1:] == ["meningsleder", format_decimal(91.7, locale="nb"), "1", "0", "0,00", "nei"]
    assert cells["@fan"][1] == "fan" and cells["@fan"][-1] == "ja"
    assert "Påvirkere på x" in out
    assert re.search(r"┃ konto +┃ segment +┃ poeng +┃ plass +┃ inter +┃ eng +┃ følger +┃", out)
    assert "inter = interaksjoner med merkevaren" in out
    assert "Poeng = persentiler slått sammen" in out and "Segmenter: uutnyttet" in out
    for english in ("Influencers on", "inter = interactions", "Score = percentiles", "Segments:", "follows you"):
        assert english not in out
    # JSON: English field names and identifiers, raw numbers
    assert main(["--lang", "nb", "influencers", "-w", str(workspace.root), "--stored", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    leader = next(r for r in doc["rows"] if r["handle"] == "leader")
    assert leader["segment"] == "thought_leader" and isinstance(leader["score"], float)


def test_influencers_wide_table_and_profile_in_norwegian(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_influence(workspace)
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["--lang", "nb", "influencers", "-w", str(workspace.root), "--top", "all"]) == 0
    out = capsys.readouterr().out
    assert "autoritet" in out and "følger merkevaren" in out and "authority" not in out
    # @leader ranks 1 of 5: "topp 20 %" with nb's percent sign from Babel
    assert "1 (" + "topp " + format_percent(0.2, locale="nb") + ")" in out
    assert main(["--lang", "nb", "influencer", "@leader", "-w", str(workspace.root)]) == 0
    out = capsys.readouterr().out
    first = out.splitlines()[1]
    assert first.startswith("Poeng ") and f"plass 1 av 5 (topp {format_percent(0.2, locale='nb')})" in first
    assert "segment meningsleder" in first
    # @leader has no posts in the data: no weekday × hour grid of zeros, a sentence instead
    assert "Persentiler: rekkevidde " in out and "Ingen innlegg fra dem i dataene" in out
    for english in ("Score ", "rank 1 of 5", "Percentiles:", "Posts observed", "Not enough data"):
        assert english not in out


def test_influencers_english_unchanged(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    fill_influence(workspace)
    assert main(["--lang", "en", "influencers", "-w", str(workspace.root), "--top", "all"]) == 0
    out = capsys.readouterr().out
    assert "Score = percentiles combined by" in out and "Påvirkere" not in out


@pytest.fixture
def market(tmp_path: Path) -> Path:
    """tests/competitors/test_cli.py's market (you 12 posts, Acme 12, Tiny 3 on Instagram), registered."""
    from tests.competitors.test_cli import _page

    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "clothing-store"]) == 0
    for prefix, n, likes, author in (
        ("me", 12, 10, "@threadline"),
        ("acme", 12, 40, "@acme"),
        ("tiny", 3, 500, "tinyshop"),
    ):
        page = _page(tmp_path / f"{prefix}.csv", prefix, n, likes)
        args = ["import", str(page), "-w", str(ws), "--map", f"platform==instagram,author_id=={author}"]
        assert main([*args, "--observed-at", "2024-02-01T00:00:00Z"]) == 0
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", "-w", str(ws)]) == 0
    assert main(["competitors", "add", "Tiny", "-p", "instagram", "-a", "@tinyshop", "-w", str(ws)]) == 0
    return ws


def test_benchmark_in_norwegian(
    market: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    capsys.readouterr()
    assert main(["--lang", "nb", "benchmark", "-w", str(market)]) == 0
    out = capsys.readouterr().out
    assert "Sammenligning" in out and "Rangeringer" in out and "for tynt (n=3 < 10)" in out
    # group engagement 12·12 + 12·42 + 3·502 = 2,154 (tests/competitors/test_cli.py); Acme's share 504 / 2,154
    assert format_percent(504 / 2154, format="#,##0.0 %", locale="nb").replace(" ", "\u00a0") in out
    findings = [ln for ln in out.splitlines() if ln.startswith("• ")]
    assert findings and all(re.search(r"[æøå]|innlegg|dere|konkurrent", ln) for ln in findings)
    for english in ("Rankings", "too thin", "leads on", "posts a week", "share of voice", "competitors"):
        assert english not in out
    assert main(["--lang", "nb", "competitors", "list", "-w", str(market)]) == 0
    listed = capsys.readouterr().out
    assert "Konkurrenter" in listed and "navn" in listed and "lagt til" in listed


def test_outreach_and_partners_in_norwegian(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_influence(workspace)
    w = ["-w", str(workspace.root)]
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["--lang", "nb", "outreach", "add", "@leader", "--cost", "1500.5", "--due", "2026-12-04", *w]) == 0
    out = capsys.readouterr().out
    assert "Lagt til" in out and "identifisert" in out and "organisk" in out
    assert format_decimal(1500.5, locale="nb").split(",")[0] in out  # '1 500' (no-break space), Babel's grouping
    assert "4. des. 2026" in out  # the due date in CLDR's medium nb form
    assert main(["--lang", "nb", "outreach", "due", "--today", "2026-12-05", *w]) == 0
    due = capsys.readouterr().out
    assert "Til oppfølging" in due and "frist 4. des. 2026" in due and "oppfølging forfaller" in due
    assert "due 2026" not in due and "follow_up_due" not in due
    assert main(["--lang", "nb", "outreach", "list", *w]) == 0
    listed = capsys.readouterr().out
    assert "steg" in listed and "neste steg" in listed and "stage" not in listed
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["--lang", "nb", "partners", "rank", "--top", "3", "--audience", "interactions", *w]) == 0
    ranked = capsys.readouterr().out
    assert "Partnerkandidater" in ranked and "publikum = kontoene som har samhandlet med kandidaten" in ranked
    assert all(len(ln) <= 80 for ln in _table_lines(ranked))


def test_audience_in_norwegian(workspace: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.audience.test_job_cli import STRATEGY
    from tests.audience.test_job_cli import fill as fill_audience

    fill_audience(workspace)
    workspace.strategy_path.write_text(STRATEGY)
    w = ["-w", str(workspace.root)]
    assert main(["--lang", "nb", "audience", "segments", "--min-share", "0", *w]) == 0
    out = capsys.readouterr().out
    assert "Publikumssegmenter" in out and "12 kontoer i publikummet (følgergrafen) på x" in out
    assert format_percent(0.5, locale="nb") in out and "Grunnlag:" in out
    assert main(["--lang", "nb", "audience", "personas", *w]) == 0
    out = re.sub(r"[│\s]+", " ", capsys.readouterr().out)  # the table folds long verdicts
    assert "ingen segmenter passer: se over personaen" in out and "vurdering" in out
    for english in ("accounts in the audience", "Evidence:", "no segment matches", "verdict"):
        assert english not in out


def test_the_real_cli_in_a_subprocess(workspace: Workspace) -> None:
    """The installed entry point with brand.language nb (no --lang): the workspace's language is used."""
    fill_influence(workspace)
    text = workspace.strategy_path.read_text().replace("  name: Brand\n", "  name: Brand\n  language: nb\n")
    workspace.strategy_path.write_text(text)
    run = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "influencers", "-w", str(workspace.root)],
        capture_output=True,
        text=True,
        env={"COLUMNS": "80", "PATH": "/usr/bin:/bin", **_pythonpath()},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Påvirkere på x" in run.stdout and "meningsleder" in run.stdout and "Influencers on" not in run.stdout


def _pythonpath() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k in ("PYTHONPATH", "HOME", "SIGNALBOOST_SHARED_DATA")}
