"""`signalboost competitors add|list|remove` and `benchmark` on a workspace of real CSV imports.

The market: you (@threadline, the strategy's Instagram handle) 12 posts of 10 likes + 2 comments; Acme (@acme) 12
posts of 40 + 2; Tiny (@tinyshop) 3 posts of 500 + 2. Group engagement 12·12 + 12·42 + 3·502 = 2,154.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from signalboost.cli.main import main


def _page(path: Path, prefix: str, n: int, likes: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["post_id", "created_at", "text", "format", "likes", "comments"])
        for i in range(n):
            fmt = "video" if i % 2 else "photo"
            w.writerow([f"{prefix}-{i}", f"2024-01-{i + 1:02d}T12:00:00Z", "hello", fmt, likes, 2])
    return path


@pytest.fixture(scope="module")
def _market_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("market")
    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "clothing-store"]) == 0
    for prefix, n, likes, author in (
        ("me", 12, 10, "@threadline"),
        ("acme", 12, 40, "@acme"),
        ("tiny", 3, 500, "tinyshop"),
    ):
        page = _page(tmp_path / f"{prefix}.csv", prefix, n, likes)
        args = ["import", str(page), "-w", str(ws), "--map", f"platform==instagram,author_id=={author}"]
        args += ["--observed-at", "2024-02-01T00:00:00Z"]
        assert main(args) == 0
    return ws


@pytest.fixture
def market(_market_once: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A copy of the imported market per test (imports run once per module)."""
    ws = tmp_path / "ws"
    shutil.copytree(_market_once, ws)
    capsys.readouterr()
    return ws


def _bench(ws: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:  # type: ignore[type-arg]
    assert main(["benchmark", "-w", str(ws), "--format", "json", *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_registry_add_list_remove(market: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = ["-w", str(market)]
    assert main(["competitors", "add", "Acme Co", "-p", "instagram", "-a", "@ACME", "-a", "acme.two", *w]) == 0
    assert main(["competitors", "add", "Acme Co", "-p", "instagram", "-a", "@acme", *w]) == 0  # again: no change
    assert "already registered under Acme Co" in capsys.readouterr().err
    assert main(["competitors", "list", "--format", "json", *w]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["name"], r["platform"], r["account"]) for r in rows] == [
        ("Acme Co", "instagram", "acme"),
        ("Acme Co", "instagram", "acme.two"),
    ]
    # an account belongs to one competitor: refused, nothing stored
    assert main(["competitors", "add", "Other", "-p", "instagram", "-a", "@newone", "-a", "@acme", *w]) == 1
    err = capsys.readouterr().err
    assert "already registered under competitor 'Acme Co'" in err
    assert main(["competitors", "list", "--format", "json", *w]) == 0
    assert len(json.loads(capsys.readouterr().out)["rows"]) == 2
    assert main(["competitors", "remove", "Acme Co", "-a", "@acme.two", *w]) == 0
    assert main(["competitors", "remove", "Nobody", *w]) == 1
    assert "Registered competitors: Acme Co" in capsys.readouterr().err
    assert main(["competitors", "remove", "Acme Co", *w]) == 0
    assert main(["competitors", "list", "--format", "json", *w]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "myspace", "-a", "@x"], "unknown platform 'myspace'"),
        (["-p", "instagram", "-a", "@"], "is not an account id or handle"),
        (["-p", "instagram", "-a", "a b"], "is not an account id or handle"),
    ],
)
def test_add_refuses_bad_input(market: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["competitors", "add", "Acme", *args, "-w", str(market)]) == 2
    assert message in capsys.readouterr().err
    assert main(["competitors", "add", "  ", "-p", "instagram", "-a", "@x", "-w", str(market)]) == 2
    assert "name is empty" in capsys.readouterr().err


def test_benchmark_side_by_side(market: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = ["-w", str(market)]
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", "-a", "@acme.two", *w]) == 0
    assert main(["competitors", "add", "Tiny", "-p", "instagram", "-a", "@TinyShop", *w]) == 0
    capsys.readouterr()
    doc = _bench(market, capsys)
    acc = {r["account"]: r for r in doc["accounts"]}
    assert set(acc) == {"you (@threadline)", "Acme (@acme)", "Tiny (@tinyshop)"}
    assert acc["you (@threadline)"]["role"] == "brand" and acc["Acme (@acme)"]["role"] == "competitor"
    assert acc["you (@threadline)"]["engagement_per_post"] == pytest.approx(12.0)
    assert acc["Acme (@acme)"]["engagement_per_post"] == pytest.approx(42.0)
    assert acc["you (@threadline)"]["share_of_voice"] == pytest.approx(144 / 2154)
    assert acc["Tiny (@tinyshop)"]["share_of_voice"] == pytest.approx(1506 / 2154)
    assert acc["Acme (@acme)"]["share_of_posts"] == pytest.approx(12 / 27)
    ranks = {(r["figure"], r["account"]): r for r in doc["rankings"]}
    assert ranks[("engagement_per_post", "Acme (@acme)")]["rank"] == 1
    assert ranks[("engagement_per_post", "you (@threadline)")]["rank"] == 2
    assert ranks[("engagement_per_post", "Tiny (@tinyshop)")]["rank"] is None
    assert ranks[("engagement_per_post", "Tiny (@tinyshop)")]["label"] == "too thin (n=3 < 10)"
    assert any("no imported post is by @acme.two on instagram" in n for n in doc["notes"])
    assert any("clearly below 1 of 1 competitors" in f["text"] for f in doc["findings"])


def test_competitors_never_count_as_the_brand(market: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", "-w", str(market)]) == 0
    assert main(["analyze", "-w", str(market), "--format", "json", "--section", "summary"]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert {r["n_posts"] for r in summary if r["platform"] == "instagram"} == {12}  # your 12, not 27


def test_period_filters_posts(market: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", "-w", str(market)]) == 0
    capsys.readouterr()
    doc = _bench(market, capsys, "--since", "2024-01-01", "--until", "2024-01-07")
    acc = {r["account"]: r for r in doc["accounts"]}
    assert acc["Acme (@acme)"]["n_posts"] == 7
    assert acc["Acme (@acme)"]["posts_per_week"] == pytest.approx(7.0)  # 7 posts in 7 days
    assert ("too thin (n=7 < 10)") in {r["label"] for r in doc["rankings"]}


def test_benchmark_bad_input(market: Path, capsys: pytest.CaptureFixture[str]) -> None:
    w = ["-w", str(market)]
    assert main(["benchmark", *w]) == 1
    assert "no competitor is registered" in capsys.readouterr().err
    assert main(["competitors", "add", "Ghost", "-p", "x", "-a", "@ghost", *w]) == 0
    assert main(["benchmark", *w]) == 1
    assert "no imported post is by a registered competitor account" in capsys.readouterr().err
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", *w]) == 0
    assert main(["benchmark", "--since", "2024-02-01", "--until", "2024-01-01", *w]) == 1
    assert "is before --since" in capsys.readouterr().err
    assert main(["benchmark", "--since", "yesterday", *w]) == 2
    assert main(["benchmark", "--format", "csv", *w]) == 2
    assert "--section" in capsys.readouterr().err
    assert main(["benchmark", "--format", "csv", "--section", "accounts", *w]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["account"] for r in rows} == {"you (@threadline)", "Acme (@acme)"}
    assert main(["benchmark", *w]) == 0  # the table view runs
    out = capsys.readouterr().out
    assert "Acme (@acme) leads on engagement per post" in out


def test_without_a_brand_handle_a_competitor_is_not_taken_for_the_brand(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # no imported brand handle: analytics fall back to the account with the most posts (Acme and you tie at 12, Acme's
    # id sorts first) — unless Acme is registered as a competitor
    strategy = market / "strategy.yaml"
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("threadline", "not-imported-yet"))
    assert main(["analyze", "-w", str(market), "--format", "json", "--section", "summary"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("analysed @acme" in n for n in notes), notes
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", "-w", str(market)]) == 0
    capsys.readouterr()
    assert main(["analyze", "-w", str(market), "--format", "json", "--section", "summary"]) == 0
    notes = json.loads(capsys.readouterr().out)["notes"]
    assert any("analysed @threadline" in n and "not registered as competitors" in n for n in notes), notes


def test_report_and_benchmark_output_carry_the_competitors_section(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = ["-w", str(market)]
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", *w]) == 0
    out = market / "bench.html"
    assert main(["benchmark", "-o", str(out), "--section", "findings", *w]) == 0
    assert "Competitors: the market" in out.read_text(encoding="utf-8")
    assert main(["benchmark", "-o", str(market / "bench.txt"), *w]) == 1
    assert "End it in .html or .pdf" in capsys.readouterr().err
    report = market / "report.html"
    assert main(["report", "-f", "html", "-o", str(report), *w]) == 0
    text = report.read_text(encoding="utf-8")
    assert "Competitors: the market" in text and "Acme (@acme)" in text


def test_recommend_adds_no_market_row_the_group_cannot_support(
    market: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    w = ["-w", str(market)]
    assert main(["competitors", "add", "Acme", "-p", "instagram", "-a", "@acme", *w]) == 0
    assert main(["competitors", "add", "Tiny", "-p", "instagram", "-a", "@tinyshop", *w]) == 0
    capsys.readouterr()
    assert main(["recommend", "--format", "json", *w]) == 0
    changes = json.loads(capsys.readouterr().out)["changes"]
    # one competitor with 10+ posts (Tiny has 3) is no market cadence; you and Acme post the same format mix
    assert [r for r in changes if r["kind"] == "market"] == []
    assert any(r["kind"] == "frequency" for r in changes)  # the brand's own rows are still there


def _spaced(path: Path, prefix: str, n: int, every_hours: float, likes: int) -> Path:
    import datetime as dt

    start = dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["post_id", "created_at", "text", "format", "likes", "comments"])
        for i in range(n):
            when = start + dt.timedelta(hours=every_hours * i)
            w.writerow([f"{prefix}-{i}", when.strftime("%Y-%m-%dT%H:%M:%SZ"), "hello", "photo", likes + i % 5, 1])
    return path


def test_recommend_market_folds_the_market_cadence_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # you (@threadline): 8 posts in 4 weeks (2/week, Garwood 95 % CI 0.86–3.9); two rivals: 40 posts each
    # (≈ 10/week): the market's median lies above your interval. Your own 8 posts cannot move the schedule (5/week).
    ws = tmp_path / "ws"
    assert main(["init", str(ws), "--template", "clothing-store"]) == 0
    for prefix, n, every, author in (("me", 8, 84.0, "@threadline"), ("a", 40, 16.8, "@a"), ("b", 40, 16.8, "@b")):
        page = _spaced(tmp_path / f"{prefix}.csv", prefix, n, every, 50)
        args = ["import", str(page), "-w", str(ws), "--map", f"platform==instagram,author_id=={author}"]
        assert main([*args, "--observed-at", "2024-05-01T00:00:00Z"]) == 0
    w = ["-w", str(ws)]
    assert main(["competitors", "add", "A", "-p", "instagram", "-a", "@a", *w]) == 0
    assert main(["competitors", "add", "B", "-p", "instagram", "-a", "@b", *w]) == 0
    capsys.readouterr()
    assert main(["recommend", "--format", "json", *w]) == 0
    plain = json.loads(capsys.readouterr().out)
    cadence = [r for r in plain["changes"] if r["kind"] == "market"]
    assert [r["value"] for r in cadence] == ["competitors post more"]
    assert "suggested_per_week" not in cadence[0]
    assert "from the market" not in plain["diff"]  # only evidence unless asked
    assert main(["recommend", "--market", "--format", "json", *w]) == 0
    folded = json.loads(capsys.readouterr().out)
    freq = next(r for r in folded["changes"] if r["kind"] == "frequency" and r["network"] == "instagram")
    assert freq["value"] == "5 -> 10"
    # the window is the group's first to last post, 27.3 days: 8 posts = 2.1/week, 40 posts = 10.3/week
    assert freq["evidence"].startswith(
        "from the market: you post 2.1 a week (95% CI 0.89–4, n=8 posts), below the market: the median of 2 "
        "competitors with 10+ posts is 10 a week"
    )
    assert "(your own data: kept at 5/week" in freq["evidence"]
    assert "+      min_posts_per_week: 10" in folded["diff"]
    assert (
        "strategy.yaml" in str(ws / "strategy.yaml") and "min_posts_per_week: 5" in (ws / "strategy.yaml").read_text()
    )
