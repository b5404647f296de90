"""``--help`` and Click's own words in the reader's language.

Typer builds the Click command tree from the Python functions at every run, with the help texts as written in
English (docstrings and ``help=``). The language is known before Click parses anything:

1. ``--lang X`` / ``--lang=X`` anywhere before ``--`` in the arguments, else ``SIGNALBOOST_LANG``;
2. else ``brand.language`` of the workspace given by ``-w``/``--workspace`` (``SIGNALBOOST_WORKSPACE``, default
   the current folder);
3. else English.

:class:`LocalizedGroup` (the root command's class) decides it in :meth:`LocalizedGroup.main`, then translates the
tree in place (:func:`localize_tree`: each command's help and short help, each parameter's help, every help
panel's name; the English text is the msgid) and routes Click's and Typer's own words ("Usage:", "Options",
"Show this message and exit.", "No such option: …") through the same catalog (:func:`route_click_words`).
So ``signalboost --lang nb --help`` and ``signalboost --lang nb import --help`` read Norwegian, and an
English reader sees exactly what Typer prints.

The help texts reach the catalog through :func:`extract` (a Babel extractor named in ``babel.cfg``): it reads the
live command tree, so a docstring or ``help=`` needs no ``_()``; ``tests/i18n/test_cli_strings.py`` fails when a
help text has no translation.
"""

from __future__ import annotations

import contextlib
import inspect
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from typer.core import TyperGroup

from signalboost import i18n
from signalboost.i18n import N_, NP_, pgettext

#: Click's and Typer's own words a reader meets in ``--help`` and in a usage error. Typer 0.29 vendors Click
#: without gettext, so these are our msgids: the help option's text and the usage line's prefix are set by
#: :func:`localize_tree` / :func:`route_click_words`, and :func:`show_usage_error` prints a usage error in the
#: reader's language (:data:`_USAGE_ERRORS` reads Click's English message).
CLICK_WORDS: tuple[str, ...] = (
    N_("Usage:"),
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("Show this message and exit."),
    N_("Try '{command} {option}' for help."),
    N_("Error:"),
    # Typer's rich help (module constants of typer.rich_utils)
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Error"),
    N_("Aborted."),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("(deprecated) "),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
)

#: Click's English usage errors (as ``format_message()`` gives them) and the catalog's msgid for each; the named
#: groups fill the placeholders. A message that matches none is shown as Click wrote it.
_USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"No such option: (?P<name>\S+) \(Possible options: (?P<possibilities>.+)\)", re.S),
        N_("No such option: {name} (Possible options: {possibilities})"),
    ),
    (re.compile(r"No such option: (?P<name>.+)", re.S), N_("No such option: {name}")),
    (re.compile(r"No such command '(?P<name>.+)'\.", re.S), N_("No such command '{name}'.")),
    (re.compile(r"Missing command\.", re.S), N_("Missing command.")),
    (re.compile(r"Missing argument '(?P<name>.+?)'\.(?P<rest>.*)", re.S), N_("Missing argument '{name}'.{rest}")),
    (re.compile(r"Missing option '(?P<name>.+?)'\.(?P<rest>.*)", re.S), N_("Missing option '{name}'.{rest}")),
    (re.compile(r"Invalid value for (?P<name>.+?): (?P<message>.*)", re.S), N_("Invalid value for {name}: {message}")),
    (re.compile(r"Invalid value: (?P<message>.*)", re.S), N_("Invalid value: {message}")),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.S),
        N_("Got unexpected extra argument(s) ({args})"),
    ),
    (re.compile(r"Option '(?P<name>.+)' requires an argument\.", re.S), N_("Option '{name}' requires an argument.")),
    (
        re.compile(r"Option '(?P<name>.+)' requires (?P<n>\d+) arguments\.", re.S),
        N_("Option '{name}' requires {n} arguments."),
    ),
    (re.compile(r"Option '(?P<name>.+)' does not take a value\.", re.S), N_("Option '{name}' does not take a value.")),
    (re.compile(r"Choose from:(?P<choices>.*)", re.S), N_("Choose from:{choices}")),
)


def usage_error_message(english: str) -> str:
    """Click's English usage-error message in the active language (as it is when no pattern matches).

    The msgids are Click's English with placeholders, so English is exactly what Click prints."""
    if i18n.language() == i18n.DEFAULT:
        return english
    for pattern, msgid in _USAGE_ERRORS:
        match = pattern.fullmatch(english.strip())
        if match:
            parts = {k: v or "" for k, v in match.groupdict().items()}
            if "rest" in parts and parts["rest"].strip():
                parts["rest"] = " " + usage_error_message(parts["rest"].strip())
            return i18n.gettext_(msgid).format(**parts)
    return english


def show_usage_error(exc: Any) -> None:
    """Print a Click usage error as Click does (usage line, where to find help, the error), in the active language."""
    from signalboost.cli.common import err_console

    ctx = getattr(exc, "ctx", None)
    lines: list[str] = []
    if ctx is not None:
        lines.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            hint = i18n.gettext_("Try '{command} {option}' for help.")
            lines.append(hint.format(command=ctx.command_path, option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(f"{i18n.gettext_('Error:')} {usage_error_message(exc.format_message())}")
    err_console.print("\n".join(lines), markup=False, highlight=False, soft_wrap=True)


#: Typer's rich-help constants (module attributes it reads when it renders) and their English text
_TYPER_CONSTANTS: tuple[str, ...] = (
    "ARGUMENTS_PANEL_TITLE",
    "OPTIONS_PANEL_TITLE",
    "COMMANDS_PANEL_TITLE",
    "ERRORS_PANEL_TITLE",
    "ABORTED_TEXT",
    "DEFAULT_STRING",
    "ENVVAR_STRING",
    "REQUIRED_LONG_STRING",
    "DEPRECATED_STRING",
    "RICH_HELP",
)
_TYPER_ENGLISH: dict[str, str] = {}

#: the attribute that keeps a translated object's English text (so translating twice starts from English)
_ENGLISH = "_signalboost_english"


# ---------------------------------------------------------------------------------------- which language


def _option_value(args: Sequence[str], names: Sequence[str]) -> str | None:
    """The value of the last ``--name X`` / ``--name=X`` / ``-nX`` among ``args`` (before ``--``)."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        for name in names:
            if arg == name and i + 1 < len(args):
                found = args[i + 1]
            elif arg.startswith(f"{name}=") and name.startswith("--"):
                found = arg.split("=", 1)[1]
            elif not name.startswith("--") and arg.startswith(name) and len(arg) > len(name):
                found = arg[len(name) :]
    return found


def _root_options(args: Sequence[str]) -> list[str]:
    """The arguments before the first command word (the root's own options: ``--lang X``, ``--version``, ``-h``)."""
    for i, arg in enumerate(args):
        if not arg.startswith("-") and (i == 0 or args[i - 1] != "--lang"):
            return list(args[:i])
    return list(args)


def _code(value: str | None) -> str | None:
    try:
        return i18n.check_language(value) if value else None
    except Exception:  # the option's own check says what is wrong (in English)
        return None


def early_language(args: Sequence[str]) -> tuple[str | None, str]:
    """(the root ``--lang``/``SIGNALBOOST_LANG`` or ``None``, the language to speak) before Click parses ``args``.

    Without a root ``--lang``, a command's own ``--lang`` (``init x --lang nb``), then the workspace's
    ``brand.language``, say which language to speak. An unknown ``--lang`` is not an error here (the option
    reports it); the words are English then."""
    from signalboost.model.io import peek_language

    root = _option_value(_root_options(args), ["--lang"]) or os.environ.get("SIGNALBOOST_LANG") or None
    if root:
        code = _code(root)
        return code, code or i18n.DEFAULT
    own = _code(_option_value(args, ["--lang"]))
    if own:
        return None, own
    folder = _option_value(args, ["--workspace", "-w"]) or os.environ.get("SIGNALBOOST_WORKSPACE") or "."
    return None, peek_language(Path(folder) / "strategy.yaml") or i18n.DEFAULT


_spoken: ContextVar[str] = ContextVar("signalboost_cli_spoken", default=i18n.DEFAULT)


def spoken() -> str:
    """The language :func:`early_language` chose for this run (the root callback keeps it when no ``--lang``)."""
    return _spoken.get()


# ---------------------------------------------------------------------------------------- translating


def _translated(obj: Any, attr: str) -> None:
    """``obj.attr`` (an English help text) in the active language; its English is kept on the object."""
    english = getattr(obj, f"{_ENGLISH}_{attr}", None)
    if english is None:
        english = getattr(obj, attr, None)
        if not isinstance(english, str) or not english:
            return
        setattr(obj, f"{_ENGLISH}_{attr}", english)
    setattr(obj, attr, i18n.gettext_(english))


def localize_tree(command: Any, names: Sequence[str] = ("--help",)) -> None:
    """Translate the help of ``command``, its parameters, its ``--help`` (``names``: the help option's names) and
    every subcommand in place, into the active language."""
    for attr in ("help", "short_help", "epilog", "rich_help_panel", "options_metavar", "subcommand_metavar"):
        _translated(command, attr)
    for param in command.params:
        for attr in ("help", "rich_help_panel"):
            _translated(param, attr)
        _translate_type_words(param)
    help_option = _help_option(command, names)
    if help_option is not None:
        _translated(help_option, "help")
    for sub in getattr(command, "commands", {}).values():
        localize_tree(sub, names)


#: the value types Typer shows beside an option in ``--help`` (``<int>``), as words of the catalog
TYPE_WORDS: tuple[str, ...] = (
    NP_("type", "str"),
    NP_("type", "int"),
    NP_("type", "float"),
    NP_("type", "int range"),
    NP_("type", "float range"),
    NP_("type", "path"),
    NP_("type", "datetime"),
    NP_("type", "list"),
)
_TYPE = re.compile(r"<([a-z][a-z ]*)>")
_LIST = re.compile(r"<list\[([A-Za-z]+)\]>")


def _translate_type_words(param: Any) -> None:
    """``<int>`` beside an option in the reader's language (``<heltall>``, ``<list[Path]>`` → ``<liste[sti]>``); a
    choice list (``<a|b>``) is kept.

    The parameter's own ``display_type_rich`` is wrapped on the instance (the tree is built anew at every run)."""
    original = getattr(param, "display_type_rich", None)
    if original is None or getattr(original, "signalboost_types", False):
        return

    def display_type_rich(ctx: Any) -> Any:
        shown = original(ctx=ctx)
        if not isinstance(shown, str) or i18n.language() == i18n.DEFAULT:
            return shown  # English: exactly what Typer shows
        shown = _LIST.sub(lambda m: f"<{pgettext('type', 'list')}[{pgettext('type', m.group(1).lower())}]>", shown)
        return _TYPE.sub(lambda m: f"<{pgettext('type', m.group(1))}>", shown)

    display_type_rich.signalboost_types = True  # type: ignore[attr-defined]
    param.display_type_rich = display_type_rich


def _help_option(command: Any, names: Sequence[str]) -> Any:
    """The command's ``--help`` option (Click makes it on first use and keeps it), made now to translate its text."""
    try:
        ctx = command.context_class(command, help_option_names=list(names))
        return command.get_help_option(ctx)
    except Exception:  # pragma: no cover - a Click/Typer without a cached help option: its text stays English
        return None


def route_click_words() -> None:
    """Typer's and Click's own words of ``--help`` in the active language (English: unchanged).

    Typer's rich help reads its panel titles and ``[default: …]`` frames from module constants computed at import;
    they are set to the active language here, from their English. The usage line's ``Usage:`` comes from
    :func:`_usage_prefix`, the ``--help`` option's text from :func:`localize_tree`."""
    _usage_prefix()
    if "typer.rich_utils" not in sys.modules and i18n.language() == i18n.DEFAULT:
        return  # its English constants are right as they are: not imported for nothing (~0.07 s of every command)
    with contextlib.suppress(ImportError):
        from typer import rich_utils

        for constant in _TYPER_CONSTANTS:
            english = _TYPER_ENGLISH.setdefault(constant, getattr(rich_utils, constant, ""))
            if isinstance(english, str) and english:
                setattr(rich_utils, constant, i18n.gettext_(english))
        highlighter = getattr(rich_utils, "OptionHighlighter", None)
        highlights = getattr(highlighter, "highlights", None)
        if highlighter is not None and isinstance(highlights, list):  # the usage word is styled as Typer styles it
            usage = rf"(?P<usage>{re.escape(i18n.gettext_('Usage:'))} )"
            highlighter.highlights = [h for h in highlights if "(?P<usage>" not in h] + [usage]


def _usage_prefix() -> None:
    """Click's usage line starts with a fixed ``Usage: `` (no gettext in Typer's vendored Click): a guarded
    presentation patch gives it the active language's word. Nothing changes where the formatter is laid out
    differently."""
    try:
        from typer._click.formatting import HelpFormatter
    except ImportError:  # pragma: no cover - a Typer without vendored Click
        return
    original = HelpFormatter.write_usage
    if getattr(original, "signalboost_patch", False):
        return

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, f"{i18n.gettext_('Usage:')} " if prefix is None else prefix)

    write_usage.signalboost_patch = True  # type: ignore[attr-defined]
    setattr(HelpFormatter, "write_usage", write_usage)  # noqa: B010


class LocalizedGroup(TyperGroup):
    """The root command: decides the language before Click parses the arguments, then translates the tree."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        chosen, speak = early_language(argv)
        _spoken.set(speak)
        i18n.set_override(chosen)
        i18n.activate(speak)
        route_click_words()
        localize_tree(self, self.context_settings.get("help_option_names") or ["--help"])
        return super().main(
            args=argv, prog_name=prog_name, complete_var=complete_var, standalone_mode=standalone_mode, **extra
        )


# ---------------------------------------------------------------------------------------- the catalog


def help_texts(command: Any) -> Iterator[tuple[str, str, str]]:
    """(English help text, what it is, the module that defines it) for ``command`` and all below it."""
    module = _module_of(command)
    path = command.name or ""
    for attr in ("help", "short_help", "epilog", "rich_help_panel"):
        text = getattr(command, f"{_ENGLISH}_{attr}", None) or getattr(command, attr, None)
        if isinstance(text, str) and text:
            yield text, f"{path} ({attr})", module
    for param in command.params:
        for attr in ("help", "rich_help_panel"):
            text = getattr(param, f"{_ENGLISH}_{attr}", None) or getattr(param, attr, None)
            if isinstance(text, str) and text:
                yield text, f"{path} {param.name} ({attr})", module
    for sub in getattr(command, "commands", {}).values():
        for text, what, where in help_texts(sub):
            yield text, f"{path} {what}", where


def _module_of(command: Any) -> str:
    """The module that defines ``command``: its callback's, or (a group without one) its first subcommand's."""
    callback: Callable[..., Any] | None = command.callback
    if callback is not None:
        return str(getattr(inspect.unwrap(callback), "__module__", "") or "")
    for sub in getattr(command, "commands", {}).values():
        found = _module_of(sub)
        if found:
            return found
    return ""


def command_tree() -> Any:
    """The whole ``signalboost`` command tree as Typer builds it (English help)."""
    import typer.main

    from signalboost.cli.main import app

    return typer.main.get_command(app)


def extract(fileobj: Any, keywords: Any, comment_tags: Any, options: dict[str, Any]) -> Iterator[Any]:
    """Babel extractor for ``signalboost/cli/*.py``: the file's ``_()``/``N_()`` strings (Babel's Python extractor)
    and the help texts of the commands the file defines (docstrings and ``help=``, as ``--help`` shows them)."""
    from babel.messages.extract import extract_python

    yield from extract_python(fileobj, keywords, comment_tags, options)  # type: ignore[arg-type]
    name = Path(getattr(fileobj, "name", "")).stem
    seen: set[str] = set()
    for text, _what, module in help_texts(command_tree()):
        if module == f"signalboost.cli.{name}" and text not in seen:
            seen.add(text)
            yield 1, "", text, []
