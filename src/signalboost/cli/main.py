"""The ``signalboost`` command: a Typer app whose command groups live one per module in this package.

Every module of ``signalboost.cli`` that defines ``register(app)`` is discovered and registered, so adding a
command group touches no shared file. A command loads only the modules it needs (:data:`COMMAND_MODULES`; ~0.13
CPU-s of start-up less for every command); ``--help``, a word not listed there, and ``app`` read from this module
(tests, the catalog's help extraction) load them all. Library errors are converted here, once, into ``Error: …``
and exit 1 (2 for wrong usage); no Python traceback reaches a user for an error they caused.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import sys
from typing import Any

import typer

import signalboost
from signalboost.cli.common import err_console
from signalboost.cli.localize import LocalizedGroup, show_usage_error
from signalboost.errors import SignalboostError
from signalboost.i18n import _

_app = typer.Typer(
    name="signalboost",
    cls=LocalizedGroup,
    help=(
        "Signalboost: your social-media strategy as data — plan the calendar, measure what was published, "
        "find and keep the influencers that multiply your reach.\n\n"
        "Start with:  signalboost init my-brand --template clothing-store"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"signalboost {signalboost.__version__}")
        raise typer.Exit()


@_app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="SIGNALBOOST_LANG",
        help="Language of the output, documents and reports: en or nb (Norwegian bokmål). "
        "Default: brand.language in strategy.yaml, else en. Put it before the command: signalboost --lang nb doc",
        show_default=False,
    ),
) -> None:
    """Signalboost command line."""
    from signalboost import i18n
    from signalboost.cli.localize import spoken

    i18n.set_override(lang)
    if lang is None:  # the language the entry point read from the workspace (or a command's own --lang)
        i18n.activate(spoken())


# Command groups in the order of the method (as `--help` lists them); modules not named here follow.
WORKFLOW_ORDER: tuple[str, ...] = (
    "strategy",
    "ingest",
    "plan",
    "analytics",
    "influence",
    "outreach",
    "partners",
    "scale",
    "web",
    "demo",
)


def _module_rank(name: str) -> tuple[int, str]:
    return (WORKFLOW_ORDER.index(name) if name in WORKFLOW_ORDER else len(WORKFLOW_ORDER), name)


#: Each top-level command -> the modules that register it or add to it (connect adds ``partners fetch-audience``):
#: running that command loads only these. A command not listed still works (every module is loaded, as for
#: ``--help``), only slower to start; ``tests/cli/test_lazy_commands.py`` checks that this lists every command
#: and that each entry builds exactly the command the full registration builds.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("init", "validate", "schema", "doc"), ("strategy",)),
    **dict.fromkeys(("import", "formats", "rejects", "imports", "stats"), ("ingest",)),
    **dict.fromkeys(("plan", "calendar"), ("plan",)),
    **dict.fromkeys(("analyze", "recommend", "report"), ("analytics",)),
    **dict.fromkeys(("influencer", "influencers"), ("influence",)),
    **dict.fromkeys(("export", "scale"), ("scale",)),
    **dict.fromkeys(("serve", "user"), ("web",)),
    "demo": ("demo",),
    **dict.fromkeys(("benchmark", "competitors"), ("competitors",)),
    **dict.fromkeys(("connections", "disconnect", "sync", "publish", "connect"), ("connect",)),
    "languages": ("languages",),
    "run": ("run",),
    "outreach": ("outreach",),
    "partners": ("partners", "connect"),
    "audience": ("audience",),
}

_LOADED: list[str] = []  # the command modules registered in this process, in the order they were
_ORIGIN: dict[int, str] = {}  # id() of each registered command / group -> the module that registered it
_REFLOWED: set[int] = set()  # id() of the commands and groups whose help is reflowed already


def command_modules() -> list[str]:
    """Every command module of ``signalboost.cli`` (all but main, common and localize), in ``--help`` order."""
    import signalboost.cli as package

    names = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name not in {"main", "common", "localize"}]
    return sorted(names, key=_module_rank)


def load_commands(word: str | None = None) -> typer.Typer:
    """The app with the modules of the top-level command ``word`` registered (:data:`COMMAND_MODULES`), or every
    module (``word`` None or not listed). Modules registered once stay registered; the commands and groups are
    kept in the full registration's order (by module, then as each module added them), so ``--help`` lists them
    alike whatever ran before in the process."""
    wanted = COMMAND_MODULES.get(word) if word is not None else None
    names = command_modules() if wanted is None else sorted(wanted, key=_module_rank)
    new = [n for n in names if n not in _LOADED]
    for name in new:
        module = importlib.import_module(f"signalboost.cli.{name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(_app)
        for info in [*_app.registered_commands, *_app.registered_groups]:
            _ORIGIN.setdefault(id(info), name)
        _LOADED.append(name)
    if new:
        _app.registered_commands.sort(key=lambda info: _module_rank(_ORIGIN[id(info)]))
        _app.registered_groups.sort(key=lambda info: _module_rank(_ORIGIN[id(info)]))
        _reflow_all(_app)
    return _app


def command_word(argv: list[str]) -> str | None:
    """The top-level command of ``argv`` (after the root's ``--lang X``), or None when an option comes first
    (``--help``, ``--version``, completion) or there is no command."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--lang":
            i += 2
        elif arg.startswith("--lang="):
            i += 1
        else:
            return None if arg.startswith("-") else arg
    return None


def __getattr__(name: str) -> Any:
    """``app``: the whole command tree, every module registered (tests, the catalog's help extraction)."""
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_LABEL = re.compile(r"^[\w.@-]+:\s")


def reflow_help(text: str) -> str:
    """Join the hard-wrapped lines of a docstring paragraph, so ``--help`` wraps at the terminal's width.

    A line break is kept before an indented line, a list item, an ``Example``, a ``label: …`` line, and after
    an example or an indented line (they are laid out by hand); paragraphs (blank lines) are kept.
    """
    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines = paragraph.split("\n")
        merged = [lines[0]]
        for line in lines[1:]:
            if (
                line.startswith((" ", "\t", "- ", "* ", "• ", "Example"))
                or _LABEL.match(line)
                or merged[-1].lstrip().startswith("Example")
                or merged[-1].startswith((" ", "\t"))
            ):
                merged.append(line)
            else:
                merged[-1] = f"{merged[-1].rstrip()} {line.strip()}"
        paragraphs.append("\n".join(merged))
    return "\n\n".join(paragraphs)


def _reflow_all(typer_app: typer.Typer) -> None:
    """Apply :func:`reflow_help` to every command and group of ``typer_app`` (before click builds them), once each
    (reflowing a reflowed text again could strip an example's indent)."""
    for command in typer_app.registered_commands:
        if id(command) in _REFLOWED:
            continue
        _REFLOWED.add(id(command))
        text = command.help if isinstance(command.help, str) else inspect.getdoc(command.callback)
        if text:
            command.help = reflow_help(text)
    for group in typer_app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        if id(group) not in _REFLOWED:
            _REFLOWED.add(id(group))
            text = group.help if isinstance(group.help, str) else sub.info.help
            if isinstance(text, str):
                group.help = reflow_help(text)
        _reflow_all(sub)  # a later module may have added commands to this group (connect to partners)


def _flags_show_no_type() -> None:
    """Recent Typer prints a type after every option, ``<bool>`` after a flag, which reads as if ``--stored``
    took a value (``--stored true`` then fails). Flags show no type; options with a value keep theirs.

    A guarded presentation patch: with a Typer that has no ``TyperOption.display_type_rich`` nothing changes."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - an older or newer Typer layout
        return
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "signalboost_patch", False):
        return

    def display_type_rich(self: TyperOption, ctx: object) -> str | None:
        if getattr(self, "is_flag", False) and self.metavar is None:
            return None
        result: str | None = original(self, ctx)
        return result

    display_type_rich.signalboost_patch = True  # type: ignore[attr-defined]
    setattr(TyperOption, "display_type_rich", display_type_rich)  # noqa: B010


_flags_show_no_type()


def command_path(argv: list[str]) -> str:
    """The command words at the start of ``argv`` (``["calendar", "move", "x"]`` → ``"calendar move"``)."""
    import typer.main

    node: object = typer.main.get_command(load_commands(command_word(argv)))
    words: list[str] = []
    for word in argv:
        sub = getattr(node, "commands", {}).get(word)
        if sub is None:
            break
        words.append(word)
        node = sub
    return " ".join(words)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app and convert library errors into one clear line."""
    try:
        result = load_commands(command_word(sys.argv[1:] if argv is None else argv))(args=argv, standalone_mode=False)
    except SignalboostError as exc:
        from rich.markup import escape

        if not exc.where:  # say at least which command failed: "Error: <where>: <what>. <hint>"
            exc.where = command_path(sys.argv[1:] if argv is None else argv) or None
        label = _("Error:")
        err_console.print(f"[bold red]{label}[/] {escape(exc.message())}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except SystemExit as exc:  # typer.Exit / click exits
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except typer.Abort:
        aborted = _("Aborted")
        err_console.print(f"[bold red]{aborted}[/]")
        return 1
    except Exception as exc:
        # Click's usage errors (Typer vendors click, so match by shape, not by class).
        show = getattr(exc, "show", None)
        code = getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            if hasattr(exc, "ctx") and type(exc).__name__ != "NoArgsIsHelpError":
                show_usage_error(exc)  # Click's frame and message in the reader's language
            else:
                show()
            return code
        raise
    # With standalone_mode=False click returns the code of `raise typer.Exit(code)` instead of raising it;
    # Typer turns Ctrl-C inside a command into exit code 130 without a word.
    code = result if isinstance(result, int) else 0
    return _interrupted() if code == INTERRUPTED else code


INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _interrupted() -> int:
    label, what = _("Interrupted"), _("nothing partial was kept.")
    err_console.print(f"[bold red]{label}[/]: {what}", highlight=False)
    return INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
