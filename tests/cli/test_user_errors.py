"""Every user mistake ends in one ``Error: …`` line naming what and where, exit 1 (2 for usage), no traceback.

Each case is (arguments, expected exit code, substrings the message must contain). ``{D}`` is the demo workspace,
``{O}`` the folder of odd workspaces (see conftest), ``{T}`` a fresh temporary folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from signalboost.cli.main import main

NO_WS = "no such workspace folder"
NO_STRAT = "no strategy.yaml in the workspace"
BAD_YAML = "invalid YAML"
NO_POSTS = "there are no posts to analyse"
NO_BRAND = "the brand's own account is unknown"

CASES: list[tuple[str, int, tuple[str, ...]]] = [
    # missing workspace
    *[
        (f"{cmd} -w {{T}}/nope", 1, (NO_WS, "/nope", "signalboost init"))
        for cmd in (
            "analyze",
            "recommend",
            "report",
            "rejects",
            "imports",
            "stats",
            "plan",
            "doc",
            "calendar show",
            "outreach list",
            "outreach due",
            "partners rank",
            "partners monitor",
        )
    ],
    ("calendar move NOPE --to 2026-03-03T10:00 -w {T}/nope", 1, (NO_WS,)),
    # missing or broken strategy.yaml
    *[(f"{cmd} -w {{O}}/nostrat", 1, (NO_STRAT, "signalboost init")) for cmd in ("plan", "doc")],
    ("recommend -w {O}/nostrat", 1, ("not a Signalboost workspace", "signalboost init", "-w/--workspace")),
    ("validate -w {O}/nostrat", 1, (NO_STRAT,)),
    *[(f"{cmd} -w {{O}}/badyaml", 1, (BAD_YAML, "strategy.yaml:2:1")) for cmd in ("plan", "doc", "analyze", "report")],
    ("plan -w {O}/invalid", 1, ("strategy.yaml:2:9", "brand.name must be text", "signalboost validate")),
    # nonexistent input files, unwritable outputs
    (
        "import {T}/missing.csv -w {T}/created-by-mistake",
        1,
        ("missing.csv", "no such file or folder", "Check the path"),
    ),
    ("validate {T}/nothing.yaml", 1, ("nothing.yaml", "cannot read the file")),
    ("report -w {D} -o {D}/strategy.yaml/r.html", 1, ("cannot write the report", "is a file, not a folder")),
    ("report -w {D} -o {D}/exports", 1, ("is a folder, not a file", "Pass a file name")),
    ("doc -w {D} -o {D}/strategy.yaml/x.md", 1, ("cannot write the document", "is a file, not a folder")),
    ("calendar export --ics -w {D} -o {D}/strategy.yaml/c.ics", 1, ("cannot write the calendar",)),
    # wrong --format values (usage: exit 2)
    *[
        (f"{cmd} --format xml", 2, ("Invalid value for '--format'", "xml"))
        for cmd in (
            "analyze -w {D}",
            "recommend -w {D}",
            "report -w {D}",
            "formats",
            "rejects -w {D}",
            "stats -w {D}",
            "plan -w {D}",
            "doc -w {D}",
            "calendar show -w {D}",
            "outreach list -w {D}",
            "partners rank -w {D}",
        )
    ],
    ("calendar export -w {D} -o {T}/x.ics", 2, ("choose exactly one format", "--ics")),
    ("import {D}/strategy.yaml --format nope -w {D}", 1, ("unknown format 'nope'", "facebook-uci")),
    # bad dates
    ("plan -w {O}/empty --from 2026-02-30", 2, ("--from", "'2026-02-30' is not a date", "YYYY-MM-DD")),
    ("plan -w {O}/empty --from yesterday", 2, ("'yesterday' is not a date",)),
    ("calendar show -w {D} --from 2026-13-01", 2, ("'2026-13-01' is not a date",)),
    ("calendar move sb-x --to 2026-02-30T10:00 -w {D}", 2, ("--to", "is not a date-time")),
    # unknown ids
    ("calendar move NOPE --to 2026-03-03T10:00 -w {D}", 1, ("no planned post with id 'NOPE'", "calendar show")),
    ("calendar status NOPE approved -w {D}", 1, ("no planned post with id 'NOPE'",)),
    ("calendar status NOPE bogus -w {D}", 2, ("unknown status 'bogus'", "planned")),
    ("outreach move nobody contacted -w {D}", 1, ("no account 'nobody'", "outreach list")),
    ("outreach show nobody -w {D}", 1, ("no account 'nobody'",)),
    ("partners status nobody active -w {D}", 1, ("no account 'nobody'",)),
    ("rejects --import 999 -w {D}", 1, ("no import 999", "signalboost imports")),
    # empty workspace: nothing imported
    *[(f"{cmd} -w {{O}}/empty", 1, (NO_POSTS, "signalboost import")) for cmd in ("analyze", "recommend", "report")],
    ("analyze --format json -w {O}/empty", 1, (NO_POSTS,)),
    *[(f"partners {cmd} -w {{O}}/empty", 1, (NO_BRAND, "brand.handles")) for cmd in ("rank", "choose")],
    ("partners monitor -w {O}/empty", 1, ("no partners chosen yet", "partners choose --save")),
    ("outreach identify -w {O}/empty", 1, ("no influence scores yet", "signalboost influencers")),
    ("calendar export --ics -o {T}/c.ics -w {O}/empty", 1, ("nothing to export", "signalboost plan")),
    ("init {O}/empty", 1, ("a strategy document already exists", "--force")),
    ("demo {D}/strategy.yaml", 1, ("not a folder",)),
    ("import {D}/strategy.yaml -w {D}/strategy.yaml", 1, ("strategy.yaml: not a folder",)),
    # out-of-range numbers (usage: exit 2), never a database error
    ("rejects --limit -1 -w {D}", 2, ("Invalid value for '--limit'",)),
    ("rejects --import 0 -w {D}", 2, ("Invalid value for '--import'",)),
    ("imports --limit 0 -w {D}", 2, ("Invalid value for '--limit'",)),
    ("import {D}/strategy.yaml --wait -1 -w {D}", 2, ("Invalid value for '--wait'",)),
    ("analyze --min-posts 0 -w {D}", 2, ("Invalid value for '--min-posts'",)),
    ("recommend --explore -1 -w {D}", 2, ("Invalid value for '--explore'",)),
    ("outreach add someone -p x --cost -5 -w {D}", 2, ("Invalid value for '--cost'",)),
    ("outreach update someone --cost -5 -w {D}", 2, ("Invalid value for '--cost'",)),
]


def _argv(line: str, demo: Path, odd: Path, tmp: Path) -> list[str]:
    import shlex

    return shlex.split(line.replace("{D}", str(demo)).replace("{O}", str(odd)).replace("{T}", str(tmp)))


@pytest.mark.parametrize(("line", "code", "needles"), CASES, ids=[c[0] for c in CASES])
def test_user_error_is_one_clear_line(
    line: str, code: int, needles: tuple[str, ...], demo_ws: Path, odd_ws: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert main(_argv(line, demo_ws, odd_ws, tmp_path)) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.strip()]
    if code == 1:  # ours: exactly one line
        assert len(lines) == 1 and lines[0].startswith("Error: "), err
    else:  # click's usage errors also print the usage line and a --help hint
        assert sum(x.lstrip("│ ").startswith("Error") for x in lines) == 1, err
    text = " ".join(x.strip("│ ") for x in lines)
    for needle in needles:
        assert needle in text, (needle, err)


def test_import_of_a_missing_file_creates_no_workspace(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["import", str(tmp_path / "missing.csv"), "-w", str(tmp_path / "ws")]) == 1
    assert not (tmp_path / "ws").exists()


def test_failed_write_leaves_no_temporary_file(demo_ws: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "ro"
    target.mkdir()
    target.chmod(0o500)
    try:
        code = main(["doc", "-w", str(demo_ws), "-o", str(target / "s.md")])
    finally:
        target.chmod(0o700)
    import os

    if os.geteuid() == 0:  # root writes anywhere: nothing to assert about permissions
        return
    assert code == 1 and "cannot write the document" in capsys.readouterr().err
    assert list(target.iterdir()) == []


def test_subprocess_has_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "signalboost.cli.main", "plan", "--from", "2026-02-30", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "Error:" in proc.stderr


@pytest.mark.parametrize(
    ("line", "needle"),
    [
        ("outreach list", "No one in the pipeline"),
        ("outreach ledger", "Nothing yet"),
        ("outreach due", "Nothing due"),
        ("outreach curate", "No recent post"),
        ("calendar show", "No saved posts in this period"),
        ("stats", "The workspace is empty"),
    ],
)
def test_empty_results_say_why(line: str, needle: str, odd_ws: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    ws = str(odd_ws / "empty")
    assert main([*line.split(), "-w", ws]) == 0
    assert needle in " ".join(capsys.readouterr().out.split())
    assert main([*line.split(), "-w", ws, "--format", "json"]) == 0
    import json

    assert json.loads(capsys.readouterr().out)["rows"] == []
