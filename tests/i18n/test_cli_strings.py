"""The command line speaks the reader's language: every word it prints or shows in ``--help`` is in the catalog.

Two checks (docs/CONTRIBUTING.md, "Words people read"):

1. **Printed text** — :func:`untranslated_cli_strings` reads each ``signalboost/cli/*.py`` (and the demo's modules
   and ``web/server.py``, which print to the same console) with ``ast`` and
   reports every string literal (or literal part of an f-string) with a word in it that is passed to
   something that prints (``print``, ``echo``/``secho``, ``*.print``/``*.log``/``*.status``, ``typer.confirm``/
   ``prompt``, ``Table(title=…, caption=…)``, ``*.add_column``, ``emit_rows(title=…, empty=…)``,
   ``*.add_task``) without going through ``_()``/``ngettext()``/``pgettext()``/``N_()``. Not reported (the
   allow-list, :func:`_is_identifier`): a single token with a ``._-/@=:`` or a digit in it (an identifier,
   option, path or file name: ``er_reach``, ``--apply``, ``strategy.yaml``), a command line to type
   (``signalboost …``), and the names in :data:`NAMES`. An f-string is judged whole, with ``{}`` for each
   value. Modules or functions still being translated are in :data:`PENDING`: remove your entry when your part
   is done (the check then holds for it).
2. **Help** — every command's and option's help text (docstrings and ``help=``, as ``--help`` shows them) has a
   translation in every catalog (:func:`signalboost.cli.localize.help_texts` reads them from the live Typer
   tree; ``make i18n-update`` extracts them the same way), and ``--help`` of every command under ``--lang nb``
   shows Norwegian (the real CLI in a subprocess for the root and ``import``; every command in process).
"""

from __future__ import annotations

import ast
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from typer.testing import CliRunner

import signalboost
from signalboost import i18n

PACKAGE = Path(signalboost.__file__).resolve().parent
CLI = PACKAGE / "cli"
LOCALE = PACKAGE / "locale"
#: the files check 1 reads: the command line, and the code that prints to its console (the demo, ``serve``)
PRINTING = sorted(CLI.glob("*.py")) + sorted((PACKAGE / "demo").glob("*.py")) + [PACKAGE / "web" / "server.py"]

#: Modules (``name.py`` of ``cli/``, ``demo/name.py`` elsewhere) or functions (``name.py:function``) whose printed
#: text is not translated yet, and who is translating it (issue #20). An entry here exempts it from check 1;
#: remove it when the part is done.
PENDING: dict[str, str] = {}

#: names that are the same in every language
NAMES = {"Signalboost", "signalboost", "Bluesky", "Mastodon", "Instagram", "Facebook", "YouTube", "Spark", "DuckDB"}

#: functions whose string arguments are text for the catalog (their result is translated)
GETTEXT = {"_", "gettext_", "ngettext", "pgettext", "N_"}
#: plain calls that print their arguments
PRINTERS = {"print", "echo", "secho", "confirm", "prompt", "emit_rows", "Table", "Panel", "Rule"}
#: method calls that print their arguments (``console.print``, ``table.add_column``, ``progress.add_task``)
PRINTING_METHODS = {"print", "log", "status", "echo", "secho", "confirm", "prompt", "add_column", "add_task", "rule"}
#: keyword arguments that are printed (``title=``), besides the positional ones
PRINTED_KEYWORDS = {"title", "caption", "empty", "description", "header", "footer", "text", "message", "prompt"}
#: keyword arguments that are never text (``style=``, ``columns=`` are identifiers)
NOT_TEXT_KEYWORDS = {"style", "columns", "justify", "overflow", "end", "sep", "file", "err", "fg", "bg", "markup"}

_MARKUP = re.compile(r"\[/?[a-z0-9 #,._=-]*\]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def _is_identifier(text: str) -> bool:
    """Text that is not a sentence: a token without spaces, a ``signalboost …`` command line, or only names."""
    plain = _MARKUP.sub("", text).strip()
    if not _WORD.search(plain):
        return True
    if " " not in plain and "\n" not in plain and re.search(r"[._/@=:0-9-]", plain):
        return True  # er_reach, --apply, strategy.yaml, @handle: a plain word (``Created``) is text
    if plain.startswith("signalboost "):
        return True
    return all(word in NAMES for word in _WORD.findall(plain))


def _call_name(call: ast.Call) -> tuple[str, bool]:
    """(the called name, whether it is a method call)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id, False
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return func.attr, owner not in {"typer", "rich"}
    return "", False


def _literals(node: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, text) of the string constants in ``node`` that do not go through gettext (a ``_()`` call's
    arguments are skipped); an f-string is one text with ``{}`` for each value."""
    if isinstance(node, ast.Call) and _call_name(node)[0] in GETTEXT:
        return
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.lineno, node.value
        return
    if isinstance(node, ast.JoinedStr):
        parts = [str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values]
        yield node.lineno, "".join(parts)
        return
    if isinstance(node, ast.Call):  # a call's result is checked where it is built (str(x), x.format(...))
        if isinstance(node.func, ast.Attribute):
            yield from _literals(node.func.value)
        return
    for child in ast.iter_child_nodes(node):
        yield from _literals(child)


def _printed_arguments(call: ast.Call) -> Iterator[ast.AST]:
    name, method = _call_name(call)
    if (method and name in PRINTING_METHODS) or (not method and name in PRINTERS):
        if name not in {"emit_rows", "Table", "Panel"}:  # their positional arguments are data
            yield from call.args
        for keyword in call.keywords:
            if keyword.arg in PRINTED_KEYWORDS:
                yield keyword.value
        return


def untranslated_cli_strings(source: str, filename: str = "<cli>") -> list[tuple[str, int, str]]:
    """(function, line, text) of each printed literal with words that does not go through gettext."""
    tree = ast.parse(source, filename)
    found: list[tuple[str, int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = node.name
        if isinstance(node, ast.Call):
            for argument in _printed_arguments(node):
                for line, text in _literals(argument):
                    if not _is_identifier(text):
                        found.append((function, line, text))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


def _key(path: Path) -> str:
    return path.name if path.parent == CLI else f"{path.parent.name}/{path.name}"


def _checked(path: Path) -> list[str]:
    problems = []
    if _key(path) in PENDING:
        return []
    for function, line, text in untranslated_cli_strings(path.read_text(encoding="utf-8"), str(path)):
        if f"{_key(path)}:{function}" in PENDING:
            continue
        problems.append(f"{_key(path)}:{line} ({function}): {text!r}")
    return problems


@pytest.mark.parametrize("path", PRINTING, ids=_key)
def test_printed_text_of_the_cli_goes_through_gettext(path: Path) -> None:
    problems = _checked(path)
    assert not problems, "wrap in _() (then `make i18n-update` and translate):\n" + "\n".join(problems)


def test_the_printed_text_check_finds_a_forgotten_string() -> None:
    source = """
def cmd(path, n):
    console.print(f"Wrote {path}")
    typer.echo("Nothing to do.")
    err_console.print(_("Wrote {path}").format(path=path))
    console.print(ngettext("{n} post", "{n} posts", n).format(n=n))
    emit_rows(rows, fmt, title="Best hours", columns=["er_reach", "posts"])
    table.add_column("posts per week")
    console.print("strategy.yaml")
    console.print("  signalboost validate -w my-brand")
    console.print(f"[bold]{path}[/]")
    console.print("Signalboost")
"""
    found = [(line, text) for _f, line, text in untranslated_cli_strings(source)]
    assert found == [(3, "Wrote {}"), (4, "Nothing to do."), (7, "Best hours"), (8, "posts per week")]


def test_pending_entries_name_real_modules_and_functions() -> None:
    """A stale PENDING entry (a module renamed, a function gone) must not silently exempt anything."""
    for entry in PENDING:
        module, _sep, function = entry.partition(":")
        path = CLI / module if "/" not in module else PACKAGE / module
        assert path.is_file(), entry
        if function:
            names = {n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if hasattr(n, "name")}
            assert function in names, entry


# ------------------------------------------------------------------------------------------------ --help


def _translations(lang: str) -> dict[str, str]:
    catalog = read_po(io.BytesIO((LOCALE / lang / "LC_MESSAGES" / "signalboost.po").read_bytes()), locale=lang)
    return {m.id: m.string for m in catalog if isinstance(m.id, str) and isinstance(m.string, str) and not m.fuzzy}


@pytest.mark.parametrize("lang", [code for code in i18n.languages() if code != i18n.DEFAULT])
def test_every_help_text_has_a_translation(lang: str) -> None:
    from signalboost.cli.localize import command_tree, help_texts

    texts = list(help_texts(command_tree()))
    assert len(texts) > 200  # every command and option: a walk that finds nothing must not pass
    translated = _translations(lang)
    missing = sorted({f"{what}: {text[:70]!r}" for text, what, _module in texts if not translated.get(text)})
    assert not missing, "no translation (run `make i18n-update` and translate):\n" + "\n".join(missing)


def _commands() -> list[list[str]]:
    from signalboost.cli.localize import command_tree

    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(command_tree(), [])
    return paths


def _words(text: str) -> str:
    """Rendered help as plain words (no box lines, one space), to find a sentence rich has wrapped."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


ENGLISH_FRAME = ("Usage:", "Show this message and exit.", "─ Options ─", "─ Commands ─", "─ Arguments ─")


def test_help_of_every_command_in_norwegian_has_no_english_left(tmp_path: Path) -> None:
    from signalboost.cli.localize import command_tree, help_texts
    from signalboost.cli.main import app

    english = {text for text, _what, _module in help_texts(command_tree())}
    translated = _translations("nb")
    # a sentence's opening words (where the translation opens differently: a list of identifiers may not)
    openings = {
        _words(text)[:40]
        for text in english
        if len(text.split()) > 3 and _words(translated.get(text, ""))[:40] != _words(text)[:40]
    }
    runner = CliRunner()
    problems = []
    paths = _commands()
    assert len(paths) > 50
    for path in paths:
        result = runner.invoke(app, ["--lang", "nb", *path, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
        assert result.exit_code == 0, (path, result.output)
        shown = _words(result.output)
        assert "Bruk:" in shown, path
        problems += [f"{' '.join(path)}: {frame!r}" for frame in ENGLISH_FRAME if frame in result.output]
        problems += [f"{' '.join(path)}: {o!r}" for o in openings if o in shown]
    assert not problems, "English in --lang nb --help:\n" + "\n".join(sorted(set(problems)))


def _run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", **env}
    environment.pop("SIGNALBOOST_LANG", None)
    environment.update(env)
    script = Path(sys.executable).parent / "signalboost"  # the installed entry point, as a user runs it
    return subprocess.run(
        [str(script), *args] if script.is_file() else [sys.executable, "-m", "signalboost.cli.main", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_help_in_norwegian_in_the_real_cli(tmp_path: Path) -> None:
    root = _run("--lang", "nb", "--help", cwd=tmp_path)
    assert root.returncode == 0, root.stderr
    words = _words(root.stdout)
    assert "Bruk: signalboost [VALG] KOMMANDO [ARGUMENTER]..." in words
    assert "─ Valg ─" in root.stdout and "─ Kommandoer ─" in root.stdout
    assert "Vis denne meldingen og avslutt." in words
    assert "planlegg kalenderen" in words and "Start with" not in words
    assert max(len(line) for line in root.stdout.splitlines()) <= 80

    imported = _run("--lang", "nb", "import", "--help", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    words = _words(imported.stdout)
    assert "Importer eksporter og CSV-filer til arbeidsområdets database." in words
    assert "Eksempler:" in words and "[standard: 60.0]" in words
    assert "<liste[sti]>" in words and "<tekst>" in words and "<str>" not in words  # Typer's value types
    assert "Import exports" not in words and "Examples:" not in words


def test_help_follows_the_environment_and_the_workspace_and_english_is_unchanged(tmp_path: Path) -> None:
    (tmp_path / "strategy.yaml").write_text("brand:\n  name: Kafé\n  language: nb\n", encoding="utf-8")
    by_env = _run("plan", "--help", cwd=tmp_path.parent, SIGNALBOOST_LANG="nb")
    assert "Planlegg publiseringskalenderen" in _words(by_env.stdout)
    in_workspace = _run("plan", "--help", cwd=tmp_path)
    assert "Planlegg publiseringskalenderen" in _words(in_workspace.stdout)
    by_option = _run("plan", "-w", str(tmp_path), "--help", cwd=tmp_path.parent)
    assert "Planlegg publiseringskalenderen" in _words(by_option.stdout)
    english = _run("--lang", "en", "plan", "--help", cwd=tmp_path)
    assert "Usage: signalboost plan [OPTIONS]" in _words(english.stdout)
    assert "Plan the publishing calendar from strategy.yaml" in _words(english.stdout)
    assert "<path>" in _words(english.stdout) and "<sti>" in _words(in_workspace.stdout)


def test_usage_errors_in_norwegian(tmp_path: Path) -> None:
    unknown = _run("--lang", "nb", "--bogus", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.splitlines() == [
        "Bruk: signalboost [VALG] KOMMANDO [ARGUMENTER]...",
        "Prøv 'signalboost -h' for hjelp.",
        "",
        "Feil: Ukjent valg: --bogus",
    ]
    missing = _run("--lang", "nb", "calendar", "move", cwd=tmp_path)
    assert missing.returncode == 2 and "Feil: Mangler argumentet 'plan_id'." in missing.stderr
    english = _run("--bogus", cwd=tmp_path)
    assert english.stderr.splitlines()[-1] == "Error: No such option: --bogus"


def test_an_english_usage_error_message_is_kept_as_click_wrote_it() -> None:
    from signalboost.cli.localize import usage_error_message

    with i18n.use_language("nb"):
        assert usage_error_message("No such option: --x (Possible options: --apply, --all)") == (
            "Ukjent valg: --x (mulige valg: --apply, --all)"
        )
        assert usage_error_message("Missing option '--to' / '-t'.") == "Mangler valget '--to' / '-t'."
        assert usage_error_message("Something Click says that we never saw") == (
            "Something Click says that we never saw"
        )
    with i18n.use_language("en"):
        assert usage_error_message("No such option: --x") == "No such option: --x"


# ------------------------------------------------------------------------------------------- shared helpers


def test_tables_show_the_readers_words_and_numbers_while_json_and_csv_keep_the_fields(capsys) -> None:  # type: ignore[no-untyped-def]
    from signalboost.cli.common import OutputFormat, emit_rows

    rows = [{"platform": "x", "posts": 12, "share": 1234.5678, "ok": True, "er_reach": 0.01234}]
    with i18n.use_language("nb"):
        emit_rows(rows, OutputFormat.table, title="t")
        table = capsys.readouterr().out
        emit_rows(rows, OutputFormat.json)
        document = capsys.readouterr().out
        emit_rows(rows, OutputFormat.csv)
        csv = capsys.readouterr().out
    # headers: the catalog's words; a field without one keeps its name
    assert "plattform" in table and "innlegg" in table and "andel" in table and "er_reach" in table
    # 1 235 with CLDR's group separator (a no-break space in nb), 0,0123 to three significant digits, a yes
    assert "1\u00a0235" in table and "0,0123" in table and "ja" in table
    assert '"platform": "x"' in document and '"ok": true' in document and "1234.5678" in document
    assert csv.splitlines()[0] == "platform,posts,share,ok,er_reach"
    emit_rows(rows, OutputFormat.table, title="t")
    english = capsys.readouterr().out
    assert "platform" in english and "1,235" in english and "0.0123" in english and "True" in english


# ---------------------------------------------------------------------------------------------------- demo


def test_demo_console_in_norwegian(tmp_path: Path) -> None:
    """The demo's own lines (strategy step, dashboard step and closing, the written list) in bokmål."""
    from rich.console import Console

    from signalboost.demo import DemoContext, step_workspace
    from signalboost.demo.dashboard import closing
    from signalboost.demo.dashboard import demo_step as dashboard_step
    from signalboost.demo.strategy import demo_step as strategy_step
    from signalboost.store.workspace import Workspace

    console = Console(record=True, width=200)
    ws = Workspace.open(tmp_path / "demo", create=True)
    ctx = DemoContext(workspace=ws, console=console)
    i18n.set_override("nb")  # `signalboost --lang nb demo`
    step_workspace(ctx)
    strategy_step(ctx)
    dashboard_step(ctx)
    closing(ctx)
    text = console.export_text()
    assert f"Arbeidsområdet er klart i {ws.root}" in text
    assert "Strategien er skrevet fra malen cosmetics" in text
    # the pillars by the names the strategy gives them, their weights CLDR percentages ("40 %", a no-break space)
    assert (
        "Validert: gyldig, ingen problemer – 2 personaer, 3 nettverk, 4 søyler (Produkt 40\u00a0%, Inspirasjon "
        "30\u00a0%, Tilbud og konkurranser 20\u00a0%, Kunnskap 10\u00a0%), 2 taktikker, 4 KPI-er"
    ) in text
    assert "Dashbordet viser dette arbeidsområdet: Oversikt, Strategi, Kalender" in text
    assert "Dashbord: http://127.0.0.1:8765/" in text and f"åpne det med:  signalboost serve -w {ws.root}" in text
    for english in ("Workspace ready", "Strategy written", "Validated:", "open it with", "The dashboard shows"):
        assert english not in text
    assert ctx.outputs["strategy document (PDF)"].read_bytes().startswith(b"%PDF")  # the keys stay English


def test_user_add_asks_the_password_twice_in_norwegian_until_both_match(tmp_path: Path) -> None:
    from signalboost.cli.main import app
    from signalboost.store.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws", create=True)
    (ws.root / "strategy.yaml").write_text("brand:\n  name: Kafé\n  language: nb\n", encoding="utf-8")
    typed = "long-enough-pw\nsomething-else\nlong-enough-pw\nlong-enough-pw\n"
    result = CliRunner().invoke(app, ["user", "add", "dana", "-w", str(ws.root)], input=typed)
    assert result.exit_code == 0, result.output
    assert result.output.count("Passord:") == 2 and result.output.count("Gjenta for å bekrefte:") == 2
    assert "De to verdiene er ikke like; skriv passordet på nytt." in result.output
    assert "Påloggingen dana er lagret." in result.output
