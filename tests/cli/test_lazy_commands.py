"""A command loads only its own modules (``signalboost.cli.main.COMMAND_MODULES``), and gets exactly the command
the full registration builds; ``--help`` and ``app`` still have every command, in the same order."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from typing import Any

import typer.main

from signalboost.cli import main as cli_main

#: A command as a plain structure (Typer's vendored click has no ``to_info_dict``): its help, its parameters with
#: everything ``--help`` and parsing use, and its subcommands in order.
_DESCRIBE = r"""
def describe(cmd):
    params = [
        {k: repr(getattr(p, k, None)) for k in ("name", "opts", "secondary_opts", "help", "default", "required",
                                                "multiple", "nargs", "is_flag", "hidden", "envvar", "metavar")}
        | {"type": type(getattr(p, "type", None)).__name__, "kind": type(p).__name__}
        for p in cmd.params
    ]
    subs = {name: describe(sub) for name, sub in getattr(cmd, "commands", {}).items()}
    return {"help": cmd.help, "short_help": cmd.short_help, "epilog": cmd.epilog, "hidden": cmd.hidden,
            "callback": getattr(cmd.callback, "__qualname__", None), "params": params, "commands": subs,
            "kind": type(cmd).__name__}
"""

#: Run in a fresh process: the commands of the given top-level words (argv[1], JSON) after loading only what
#: running the first word loads; then the cli modules that were imported.
_LAZY = (
    _DESCRIBE
    + r"""
import json, sys
import typer.main
from signalboost.cli import main as m
words = json.loads(sys.argv[1])
group = typer.main.get_command(m.load_commands(m.command_word([words[0], "--help"])))
info = {w: describe(group.commands[w]) for w in words}
mods = sorted(k for k in sys.modules if k.startswith("signalboost.cli."))
print(json.dumps({"info": info, "modules": mods}))
"""
)


def _run(script: str, *args: str) -> Any:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _full() -> Any:
    return typer.main.get_command(cli_main.app)


def test_every_command_is_listed_with_the_modules_that_load_it() -> None:
    assert set(cli_main.COMMAND_MODULES) == set(_full().commands)
    modules = set(cli_main.command_modules())
    assert {m for ms in cli_main.COMMAND_MODULES.values() for m in ms} <= modules


def test_each_command_loaded_alone_is_the_command_the_full_registration_builds() -> None:
    full = _full()
    namespace: dict[str, Any] = {}
    exec(_DESCRIBE, namespace)
    expected = {w: json.loads(json.dumps(namespace["describe"](c))) for w, c in full.commands.items()}
    by_modules: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for word, modules in cli_main.COMMAND_MODULES.items():
        by_modules[modules].append(word)
    for modules, words in by_modules.items():
        got = _run(_LAZY, json.dumps(words))
        for word in words:
            assert got["info"][word] == expected[word], f"{word}: loaded with {modules} differs from the full app"
        loaded = {m.rsplit(".", 1)[1] for m in got["modules"]} - {"main", "common", "localize"}
        assert set(modules) <= loaded


def test_a_command_does_not_import_the_other_command_modules() -> None:
    got = _run(_LAZY, json.dumps(["import"]))
    loaded = {m.rsplit(".", 1)[1] for m in got["modules"]}
    assert "ingest" in loaded
    assert not loaded & {"outreach", "partners", "plan", "web", "influence", "connect"}


_ORDER = r"""
import json
import typer.main
from signalboost.cli import main as m
m.main(["partners", "--help"])
m.main(["formats"])
m.load_commands("sync")
print(json.dumps(list(typer.main.get_command(m.app).commands)))
"""


def test_commands_run_first_leave_the_full_help_in_its_own_order() -> None:
    lines = subprocess.run([sys.executable, "-c", _ORDER], capture_output=True, text=True, check=True).stdout
    assert json.loads(lines.splitlines()[-1]) == list(_full().commands)


def test_the_command_word_skips_the_root_language_option() -> None:
    assert cli_main.command_word(["--lang", "nb", "doc", "-w", "x"]) == "doc"
    assert cli_main.command_word(["--lang=nb", "import", "f.csv"]) == "import"
    assert cli_main.command_word(["--help"]) is None
    assert cli_main.command_word(["--version"]) is None
    assert cli_main.command_word([]) is None
    assert cli_main.command_word(["nosuch"]) == "nosuch"  # not listed: every module is loaded
