"""`analyze` and `recommend` in Norwegian: table titles, headers, values, verdicts and notes in bokmål, numbers in
Babel's (CLDR's) Norwegian form, tables within 80 columns in both languages, JSON keys unchanged."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel import Locale
from babel.numbers import format_decimal, format_percent

from signalboost.cli.main import main
from signalboost.store.workspace import Workspace

NB = "nb"


def nb_pct(value: float) -> str:
    """A share with two decimals in CLDR's own Norwegian percent pattern (``#,##0 %`` → ``#,##0.00 %``)."""
    pattern = str(Locale.parse(NB).percent_formats[None].pattern)
    return str(format_percent(value, format=pattern.replace("0", "0.00", 1), locale=NB))


@pytest.fixture(scope="module")
def ws_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from signalboost.demo_data import UCI_FACEBOOK, demo_file
    from signalboost.ingest.pipeline import import_files
    from signalboost.model.templates import write_template

    root = tmp_path_factory.mktemp("nbcli") / "ws"
    ws = Workspace.open(root, create=True)
    write_template("cosmetics", ws.strategy_path, force=True)  # English strategy: --lang nb must win
    import_files(ws, [demo_file(*UCI_FACEBOOK)], progress=False)
    return root


@pytest.fixture
def ws(ws_root: Path, tmp_path: Path) -> Path:
    """A copy per test (analyze stores pillar assignments; recommend must not see another test's changes)."""
    copy = tmp_path / "ws"
    shutil.copytree(ws_root, copy)
    return copy


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    captured = capsys.readouterr()
    return captured.out + captured.err


def _table_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line[:1] in "┏┃┡│└"]


def test_analyze_in_norwegian(ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _run(capsys, "--lang", NB, "analyze", "-w", str(ws))
    for norwegian in (
        "Engasjement (snitt per innlegg, 95 %-intervall) — facebook",
        "innlegg brukt",
        "Formater — facebook",
        "Søylefordeling mot mål",
        "KPI-er mot mål",
        "Taktikker mot mål",
        "mer av det",  # format advice
        "driver av",
        "Sammenlignet etter: engasjementsrate etter rekkevidde (er_reach)",
        "Merk:",
        "de beste tidspunktene kan ikke tilbaketestes",  # the backtest sentence
    ):
        assert norwegian in out, norwegian
    for english in (
        "Engagement (mean per post",
        "posts used",
        "left out",
        "Compared by",
        "Note:",
        "more of it",
        "less of it",
        "drifting",
        "best times cannot be backtested",
        "keep the current hours",
        "not enough data",
        "missed",
        "weeks",
        " yes ",
        " no ",
    ):
        assert english not in out, english
    lines = _table_lines(out)
    assert lines and max(len(line) for line in lines) <= 80
    assert "…" not in out


def test_analyze_numbers_are_babels_norwegian_form(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per row: every cell whole
    doc = json.loads(_run(capsys, "analyze", "-w", str(ws), "-f", "json"))
    out = _run(capsys, "--lang", NB, "analyze", "-w", str(ws))
    reach = next(r for r in doc["summary"] if r["metric"] == "er_reach")
    expected = f"{nb_pct(reach['value'])} [{nb_pct(reach['ci_low'])}; {nb_pct(reach['ci_high'])}]"
    assert expected in out, expected
    assert "\u00a0%" in expected and "," in expected  # decimal comma, no-break space before % (CLDR nb)
    big = [r for r in doc["kpis"] if r["value"] is not None and r["value"] >= 1000]
    assert big, "the UCI page's reach KPI is in the thousands"
    shown = format_decimal(round(big[0]["value"]), format="#,##0", locale=NB)
    assert "\u00a0" in shown and f"│ {shown} " in out.replace("[", " ").replace("\n", " ")
    # English keeps its own form
    out_en = _run(capsys, "--lang", "en", "analyze", "-w", str(ws))
    assert f"{100 * reach['value']:.2f}% [{100 * reach['ci_low']:.2f}%, {100 * reach['ci_high']:.2f}%]" in out_en


def test_analyze_english_still_fits_80_columns(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _run(capsys, "--lang", "en", "analyze", "-w", str(ws))
    lines = _table_lines(out)
    assert lines and max(len(line) for line in lines) <= 80
    assert "Engagement (mean per post, 95% interval) — facebook" in out and "Compared by:" in out
    assert "innlegg" not in out


def test_numbers_never_break_inside(capsys: pytest.CaptureFixture[str]) -> None:
    """Norwegian groups thousands with a no-break space; a narrow table must not wrap there."""
    from signalboost.cli.analytics_tables import print_table, with_interval
    from signalboost.i18n import use_language

    with use_language(NB):
        cell = with_interval(2151.0, -7264.0, 11565.0, False, signed=True)
        print_table([{"taktikk": "torsdagstips med en lang forklaring", "forskjell": cell}], "t", width=30)
    out = capsys.readouterr().out
    for number in ("+2\u00a0151", "−7\u00a0264", "+11\u00a0565"):
        assert number in out, out


def test_json_keys_stay_english(ws: Path, capsys: pytest.CaptureFixture[str]) -> None:
    en = json.loads(_run(capsys, "analyze", "-w", str(ws), "-f", "json"))
    nb = json.loads(_run(capsys, "--lang", NB, "analyze", "-w", str(ws), "-f", "json"))
    assert set(en) == set(nb)
    for key in ("summary", "kpis", "pillar_mix" if "pillar_mix" in en else "mix"):
        assert [sorted(r) for r in en[key]] == [sorted(r) for r in nb[key]]
    assert {r["verdict"] for r in nb["kpis"]} <= {"met", "missed", "too early to tell", "not measurable yet"}


def test_recommend_in_norwegian(ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _run(capsys, "--lang", NB, "recommend", "-w", str(ws))
    for norwegian in ("Grunnlag for hver foreslåtte linje", "Ingenting er skrevet", "tidspunkt man.", "grunnlag"):
        assert norwegian in out, norwegian
    for english in ("Evidence for each", "Nothing written", "slot mon", "more of it", "kept at"):
        assert english not in out, english
    assert re.search(r"\d,\d", out)  # decimals with a comma in the evidence


def test_brand_language_nb_without_flag(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    strategy = ws / "strategy.yaml"
    text = strategy.read_text()
    if re.search(r"(?m)^  language:", text):
        text = re.sub(r"(?m)^  language: \S+", "  language: nb", text, count=1)
    else:
        text = re.sub(r"(?m)^brand:\n", "brand:\n  language: nb\n", text, count=1)
    strategy.write_text(text)
    out = _run(capsys, "analyze", "-w", str(ws), "-s", "formats")
    assert "Formater — facebook" in out and "mer av det" in out and "Compared by" not in out
