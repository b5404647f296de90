"""A draft or name of ``=HYPERLINK("http://x")`` and ``<script>`` is neutralised in every CSV, HTML and Markdown file.

Checked end to end through the CLI on a copy of the demo workspace: the calendar (show --format csv, export
--csv / --hootsuite-csv / --html / --md), the analytics report (HTML, Markdown) and the strategy document.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from signalboost.cli.main import main
from signalboost.textsafe import FORMULA_PREFIXES, csv_safe, csv_text, md_escape

FORMULA = '=HYPERLINK("http://x","click")'
SCRIPT = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2+3", "'-2+3"),
        ("-2", "-2"),  # one signed number is read as a number, not a formula: left as it is
        ("+3.5e2", "+3.5e2"),
        ("-.5", "-.5"),
        ("-1e", "'-1e"),
        ("-2\n=1+1", "'-2\n=1+1"),  # fullmatch: a number followed by anything else is neutralised
        ("--platform", "'--platform"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        ("", ""),
        (-2, -2),  # a number is not a formula
        (None, None),
    ],
)
def test_csv_safe(value: object, expected: object) -> None:
    assert csv_safe(value) == expected


def test_csv_text_quotes_and_neutralises_every_cell() -> None:
    text = csv_text([[FORMULA, None, 3, "a,b"]], header=["=h", "b", "c", "d"])
    assert text == "=h,b,c,d\r\n" + '"\'=HYPERLINK(""http://x"",""click"")",,3,"a,b"\r\n'
    assert FORMULA_PREFIXES[0] == "="


def test_md_escape_leaves_no_raw_html() -> None:
    assert md_escape(SCRIPT) == r"\<script\>alert(1)\</script\>"
    assert md_escape("a|b\nc") == r"a\|b c"


def _no_raw_html(markdown: str) -> None:
    """Markdown shows ``\\<script\\>`` as text; an unescaped ``<script`` would be raw HTML."""
    assert re.search(r"\\<script\\>", markdown), "the payload should be in the file, escaped"
    assert not re.search(r"(?<!\\)<script", markdown)


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _no_live_formula(cells: list[str]) -> None:
    assert any(FORMULA in c for c in cells), "the payload should be in the file"
    assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)], cells


@pytest.fixture(scope="module")
def hostile_ws(demo_ws: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo workspace with one draft holding a formula and a script tag, and a brand name holding a script."""
    ws = tmp_path_factory.mktemp("hostile") / "ws"
    shutil.copytree(demo_ws, ws)
    strategy = ws / "strategy.yaml"
    text = strategy.read_text(encoding="utf-8")
    strategy.write_text(text.replace("name: Lumina Cosmetics", f"name: 'Lumina {SCRIPT}'", 1), encoding="utf-8")
    assert main(["calendar", "show", "-w", str(ws), "--format", "json"]) == 0
    return ws, ""


def _draft(ws: Path, capsys) -> str:  # type: ignore[no-untyped-def]
    assert main(["calendar", "show", "-w", str(ws), "--format", "json"]) == 0
    post = json.loads(capsys.readouterr().out)["rows"][0]
    assert main(["calendar", "draft", post["id"], f"{FORMULA} {SCRIPT}", "-w", str(ws)]) == 0
    capsys.readouterr()
    return str(post["network"])


def test_calendar_csv_outputs(hostile_ws: tuple[Path, str], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws, _ = hostile_ws
    network = _draft(ws, capsys)
    assert main(["calendar", "show", "-w", str(ws), "--format", "csv"]) == 0
    _no_live_formula(_cells(capsys.readouterr().out))
    assert main(["calendar", "export", "--csv", "-o", str(tmp_path / "c.csv"), "-w", str(ws)]) == 0
    _no_live_formula(_cells((tmp_path / "c.csv").read_text(encoding="utf-8")))
    out = tmp_path / "h.csv"
    assert main(["calendar", "export", "--hootsuite-csv", "--network", network, "-o", str(out), "-w", str(ws)]) == 0
    _no_live_formula(_cells(out.read_text(encoding="utf-8")))


def test_calendar_html_and_markdown(hostile_ws: tuple[Path, str], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws, _ = hostile_ws
    _draft(ws, capsys)
    assert main(["calendar", "export", "--html", "-o", str(tmp_path / "c.html"), "-w", str(ws)]) == 0
    page = (tmp_path / "c.html").read_text(encoding="utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert main(["calendar", "export", "--md", "-o", str(tmp_path / "c.md"), "-w", str(ws)]) == 0
    _no_raw_html((tmp_path / "c.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_report_and_document_escape(hostile_ws: tuple[Path, str], tmp_path: Path, fmt: str) -> None:
    ws, _ = hostile_ws
    report, doc = tmp_path / f"r.{fmt}", tmp_path / f"s.{fmt}"
    assert main(["report", "-w", str(ws), "--format", fmt, "-o", str(report)]) == 0
    assert main(["doc", "-w", str(ws), "--format", fmt, "-o", str(doc)]) == 0
    for path in (report, doc):
        text = path.read_text(encoding="utf-8")
        assert "alert(1)" in text, f"{path.name}: the brand name should be shown"
        if fmt == "html":
            assert "<script" not in text and "&lt;script&gt;" in text, path.name
        else:
            _no_raw_html(text)
