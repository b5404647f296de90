"""Errors a user meets on the command line say where (file:line:col, option, field) and what to do.

Each case is (arguments, exit code, the ``where: what`` the message must contain, the hint it must contain). ``{D}``
is the demo workspace (only commands that fail before writing run on it), ``{F}`` a folder of broken input files
made by :func:`broken_files`, ``{T}`` a fresh temporary folder holding a fresh workspace ``{T}/ws`` (``init``).
"""

from __future__ import annotations

import io
import shlex
import sys
import zipfile
from pathlib import Path

import pytest

from signalboost.cli.main import main

CASES: list[tuple[str, int, str, str]] = [
    # analytics options
    (
        "analyze --hour-block 5 -w {D}",
        1,
        "--hour-block: hour block 5 must divide 24",
        "Use 1, 2, 3, 4, 6, 8, 12 or 24",
    ),
    (
        "recommend --metric virality -w {D}",
        1,
        "--metric: unknown metric 'virality'",
        "Use auto (the default) or one of: interactions, er_reach",
    ),
    # import into a mistyped workspace folder: refused, as every other command does
    (
        "import {F}/posts.csv -p x -w {T}/wss",
        1,
        "{T}/wss: no such workspace folder",
        "Create one with `signalboost init DIR`",
    ),
    # mapping files of generic imports
    (
        "import {F}/posts.csv --mapping {F}/missing.yaml -w {T}/ws",
        2,
        "--mapping {F}/missing.yaml: cannot read the mapping file (No such file or directory)",
        "Check the path, or give the columns inline with --map field=Column",
    ),
    (
        "import {F}/posts.csv --mapping {F}/broken.yaml -w {T}/ws",
        2,
        "{F}/broken.yaml:3:1: invalid YAML mapping (expected ',' or ']'",
        "Write one `field: Column` per line, e.g. `created_at: Date`",
    ),
    (
        "import {F}/posts.csv --mapping {F}/broken.json -w {T}/ws",
        2,
        "{F}/broken.json:2:16: invalid JSON: Expecting value",
        'a mapping file is one object, e.g. {"created_at": "Date", "likes": "Likes"}',
    ),
    (
        "import {F}/posts.csv --mapping {F}/words.yaml -w {T}/ws",
        2,
        "{F}/words.yaml: a mapping file maps fields to columns (field: Column)",
        "per line, e.g. `created_at: Date`; fields: account_id, actor_id, author_id,",
    ),
    # platform exports that are not what --format says
    (
        "import {F}/empty --format instagram-export -w {T}/ws",
        1,
        "{F}/empty: this is not an Instagram export",
        "Pass the zip of 'Download your information' in JSON format (not HTML)",
    ),
    (
        "import {F}/masto --format mastodon-export -w {T}/ws",
        1,
        "{F}/masto/outbox.json: outbox.json is not an ActivityPub OrderedCollection (no orderedItems list)",
        "request a new archive",
    ),
    (
        "import {F}/yt.zip --format youtube-content -w {T}/ws",
        1,
        "{F}/yt.zip: no 'Table data.csv' in the export",
        "Export from YouTube Studio › Analytics › Advanced mode › Export",
    ),
    # text that is not in the encoding the user named (0xE9 is no UTF-8; without --encoding it is read by evidence)
    (
        "import {F}/table.csv --format youtube-content --encoding utf-8 -w {T}/ws",
        1,
        "{F}/table.csv (byte 34): cannot decode the text as utf-8",
        "Save the file as UTF-8",
    ),
    (
        "import {F}/latin.csv --platform x --encoding cp1252 -w {T}/ws",
        1,
        "{F}/latin.csv: cannot decode the text as cp1252",
        "Save the file as UTF-8 (e.g. a spreadsheet's 'CSV UTF-8') and import it again",
    ),
    # strategy file
    (
        "validate {T}/nothing.yaml",
        1,
        "{T}/nothing.yaml: cannot read the file: No such file or directory",
        "Check the path, or create one with `signalboost init --template blank`",
    ),
    (
        "plan -w {F}/dirws",
        1,
        "{F}/dirws/strategy.yaml: cannot read the file: Is a directory",
        "Check the path, or create one with `signalboost init --template blank`",
    ),
    # calendar ids and statuses
    (
        "calendar move zzz --to 2026-03-03T10:00 -w {D}",
        1,
        "post id: no planned post with id 'zzz'",
        "List the ids with `signalboost calendar show`",
    ),
    ("calendar status s approved -w {D}", 2, "post id: id 's' matches", "Type more characters of the id"),
    (
        "calendar status sb-x bogus -w {D}",
        2,
        "status: unknown status 'bogus'",
        "Use one of: planned, drafted, approved, scheduled, published",
    ),
]


def broken_files(root: Path) -> Path:
    """The broken inputs of :data:`CASES` (written by hand: each breaks one thing)."""
    root.mkdir()
    (root / "posts.csv").write_text("ID,Date,Likes\n1,2024-01-01,3\n", encoding="utf-8")
    (root / "broken.yaml").write_text("post_id: ID\ncreated_at: [Date\n", encoding="utf-8")
    (root / "broken.json").write_text('{"post_id": "ID",\n "created_at": }\n', encoding="utf-8")
    (root / "words.yaml").write_text("just some words\n", encoding="utf-8")
    (root / "empty").mkdir()
    (root / "masto").mkdir()
    (root / "masto" / "outbox.json").write_text('{"type": "OrderedCollection", "orderedItems": 5}', encoding="utf-8")
    with zipfile.ZipFile(root / "yt.zip", "w") as z:
        z.writestr("Chart data.csv", "Date,Views\n2024-01-01,3\n")
    # "Content,Video title,Views\n" is 26 bytes and "abc,Caf" 7 more: 0xE9 is the 34th byte (counted from 1).
    (root / "table.csv").write_bytes(b"Content,Video title,Views\n" + b"abc,Caf\xe9 \x81 news,10\n")
    (root / "dirws" / "strategy.yaml").mkdir(parents=True)
    (root / "latin.csv").write_bytes(b"post_id,created_at,likes,text\n1,2024-01-01,3,Caf\xe9 \x81\n")
    return root


def _argv(line: str, demo: Path, files: Path, tmp: Path) -> list[str]:
    return shlex.split(line.replace("{D}", str(demo)).replace("{F}", str(files)).replace("{T}", str(tmp)))


def _sub(text: str, demo: Path, files: Path, tmp: Path) -> str:
    return text.replace("{D}", str(demo)).replace("{F}", str(files)).replace("{T}", str(tmp))


def _one_error(capsys: pytest.CaptureFixture[str], code: int) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [x.strip("│ ") for x in err.splitlines() if x.strip()]
    errors = [x for x in lines if x.startswith("Error")]
    assert len(errors) == 1, err
    if code == 1:
        assert len(lines) == 1, err
    return errors[0]


@pytest.mark.parametrize(("line", "code", "where_what", "hint"), CASES, ids=[c[0] for c in CASES])
def test_error_names_where_and_what_to_do(
    line: str,
    code: int,
    where_what: str,
    hint: str,
    demo_ws: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    files = broken_files(tmp_path / "files")
    assert main(["init", str(tmp_path / "ws"), "--template", "blank"]) == 0
    capsys.readouterr()
    assert main(_argv(line, demo_ws, files, tmp_path)) == code
    message = _one_error(capsys, code)
    assert message.startswith(f"Error: {_sub(where_what, demo_ws, files, tmp_path)}"), message
    assert _sub(hint, demo_ws, files, tmp_path) in message, message
    assert sorted(p.name for p in (tmp_path / "ws").iterdir()) == ["exports", "strategy.yaml"]  # no database left
    assert not (tmp_path / "wss").exists()  # nor a new folder


@pytest.mark.parametrize(
    ("line", "where_what"),
    [
        ("doc --format pdf -w {D} -o {T}/s.pdf", "--format pdf: the PDF engine is not available"),
        ("report --format pdf -w {D} -o {T}/r.pdf", "--format pdf: WeasyPrint cannot start"),
    ],
)
def test_pdf_without_its_engine_says_what_to_install(
    line: str, where_what: str, demo_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` now raises ImportError
    assert main(_argv(line, demo_ws, tmp_path, tmp_path)) == 1
    message = _one_error(capsys, 1)
    assert message.startswith(f"Error: {where_what}"), message
    assert "bash scripts/system-deps.sh demo" in message and "--format html" in message
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("name", "password", "where_what", "hint"),
    [
        ("Bad Name!", "long enough", "user name: invalid user name 'Bad Name!'", "Use 1-64 characters"),
        ("alice", "short", "password: the password is too short (5 characters)", "Use at least 8 characters"),
    ],
)
def test_user_add_says_which_part_is_wrong(
    name: str, password: str, where_what: str, hint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    assert main(["init", str(tmp_path / "ws"), "--template", "blank"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO(password + "\n"))
    assert main(["user", "add", name, "--password-stdin", "-w", str(tmp_path / "ws")]) == 2
    message = _one_error(capsys, 2)
    assert message.startswith(f"Error: {where_what}") and hint in message, message


def test_recommend_apply_on_a_read_only_strategy_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``StrategyDocument.save`` (used by ``recommend --apply`` and the dashboard's editor) names the file."""
    from signalboost.errors import StrategyError
    from signalboost.model.io import StrategyDocument

    src = tmp_path / "strategy.yaml"
    assert main(["init", str(tmp_path), "--template", "blank", "--force"]) == 0
    doc = StrategyDocument.load(src)
    blocker = tmp_path / "afile"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StrategyError) as info:
        doc.save(blocker / "strategy.yaml")  # a file stands where the folder should be
    assert info.value.where == str(blocker / "strategy.yaml")
    assert info.value.what.startswith("cannot save the strategy document: not a directory")
    assert info.value.hint and "writable" in info.value.hint
    assert not [p for p in tmp_path.rglob(".strategy-*")]  # no temporary file left
