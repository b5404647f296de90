"""Strategy commands: ``init``, ``validate``, ``schema`` and ``doc`` (thin calls into the model and report)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from signalboost.cli.common import WorkspaceOption
from signalboost.i18n import L_, _, tr


class Template(StrEnum):
    """``--template`` choices (see ``signalboost.model.templates``)."""

    clothing_store = "clothing-store"
    cosmetics = "cosmetics"
    cafe = "cafe"
    b2b_saas = "b2b-saas"
    blank = "blank"


class CheckFormat(StrEnum):
    """``validate --format``."""

    text = "text"
    json = "json"


class DocFormat(StrEnum):
    """``doc --format``."""

    md = "md"
    html = "html"
    pdf = "pdf"


def register(app: typer.Typer) -> None:
    """Add the strategy commands to ``app``."""
    app.command("init")(init)
    app.command("validate")(validate)
    app.command("schema")(schema)
    app.command("doc")(doc)


def init(
    path: Path = typer.Argument(Path("."), help="Workspace folder to create (default: the current folder)."),
    template: Template = typer.Option(Template.blank, "--template", "-t", help="Starting strategy."),
    name: str | None = typer.Option(None, "--name", help="The brand's name, written into the template."),
    lang: str | None = typer.Option(
        None,
        "--lang",
        help="Language of the template: en or nb (Norwegian bokmål, written for Norwegian teams). "
        "Default: the language given before the command (signalboost --lang nb init), else en.",
        show_default=False,
    ),
    force: bool = typer.Option(False, "--force", help="Replace an existing strategy.yaml."),
) -> None:
    """Create a workspace: a complete, valid strategy.yaml (every section explained in comments) and exports/.

    Templates:
    clothing-store: the method's example (pillars brand 40, fashion 30, beauty 20, wellness 10; monthly giveaway)
    cosmetics: a cosmetics brand on Facebook, Instagram and YouTube (the demo's strategy)
    cafe: a neighbourhood cafe;  b2b-saas: a B2B software company;  blank: a minimal skeleton to fill in

    Every template is also written in Norwegian (--lang nb): Norwegian personas, tactics and example posts.

    Example: signalboost init my-brand --template clothing-store --name "Threadline"
    Example: signalboost init kafe --template cafe --lang nb
    """
    from rich.markup import escape

    from signalboost import i18n
    from signalboost.cli.common import console
    from signalboost.model.templates import check_template_language, template_text, write_template
    from signalboost.store.workspace import Workspace

    lang = check_template_language(lang or i18n.override() or "en")
    template_text(
        template.value, lang
    )  # an unknown language or a missing translation: refused before anything is created
    ws = Workspace.open(path, create=True)
    written = write_template(template.value, ws.strategy_path, force=force, brand_name=name, lang=lang)
    ws.exports_dir  # noqa: B018 - the property creates exports/
    i18n.activate(lang)  # the messages in the template's language, unless --lang before the command chose one
    if lang == "nb":
        created = _("Created [bold]{path}[/] from the [bold]{template}[/] template (Norwegian bokmål).")
    else:
        created = _("Created [bold]{path}[/] from the [bold]{template}[/] template.")
    console.print(created.format(path=escape(str(written)), template=template.value))
    where = "" if ws.root == Path.cwd() else f" -w {_shell_path(ws.root)}"
    console.print(_("Next:"))
    edit = _("edit {path}   (every section is explained in its comments)").format(path=_shell_path(written))
    console.print(f"  {escape(edit)}")
    console.print(f"  signalboost validate{where}")
    console.print(f"  signalboost doc{where} --format pdf")


def _no_strategy(folder: Path) -> Exception:
    """The error of a strategy command run where there is no strategy.yaml."""
    from signalboost.errors import WorkspaceError

    return WorkspaceError(
        L_("no strategy.yaml in the workspace"),
        where=str(folder),
        hint=L_("Create one with `signalboost init DIR`, or pass -w/--workspace with your workspace folder"),
    )


def _shell_path(path: Path) -> str:
    try:
        shown = str(path.relative_to(Path.cwd()))
    except ValueError:
        shown = str(path)
    return f'"{shown}"' if " " in shown else shown


def validate(
    file: Path | None = typer.Argument(None, help="Strategy file (default: strategy.yaml of the workspace)."),
    workspace: Path = WorkspaceOption,
    fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f", help="Output: text or json."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
) -> None:
    """Check strategy.yaml: every error and warning with its line and column. Exit 0 when valid, 1 when not.

    Errors: wrong types and unknown keys; pillar weights not summing to 100; duplicate ids;
    references (persona, network, pillar, tactic, KPI) that do not resolve; a network without role or schedule;
    fewer weekly slots than the minimum; invalid time zones and RRULEs.
    Warnings: missing examples (each pillar on each network, each tactic); personas past their review date.

    Example: signalboost validate -w my-brand --format json
    """
    from signalboost.model.validate import validate_file
    from signalboost.store.workspace import Workspace

    target = file if file is not None else Workspace.open(workspace).strategy_path
    if file is None and not target.exists():
        raise _no_strategy(target.parent)
    from signalboost.cli.common import adopt_language

    adopt_language(target)  # speak the strategy's brand.language (unless --lang chose one)
    report = validate_file(target)
    failed = not report.ok or (strict and bool(report.warnings))
    if fmt is CheckFormat.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        _print_report(report, failed=failed)
    if failed:
        raise typer.Exit(1)


def _print_report(report: object, *, failed: bool) -> None:
    from rich.markup import escape

    from signalboost.cli.common import console
    from signalboost.model.validate import ValidationReport

    assert isinstance(report, ValidationReport)
    for p in report.problems:
        colour = "red" if p.level == "error" else "yellow"
        where = escape(p.where(report.source))
        level = _(p.level)
        line = f"{where}: [{colour}]{level}[/]: {escape(tr(p.message))}"
        if p.key:
            line += f" [dim]\\[{escape(p.key)}][/]"
        console.print(line, highlight=False, soft_wrap=True)
        if p.hint:
            console.print(f"    [dim]→ {escape(tr(p.hint))}[/]", highlight=False, soft_wrap=True)
    mark = "[red]✗[/]" if failed else "[green]✓[/]"
    console.print(f"{mark} {escape(report.source)}: {report.summary()}", highlight=False)


def schema() -> None:
    """Print the JSON Schema of strategy.yaml (for completion and checks in your editor).

    Example: signalboost schema > strategy.schema.json
    (then, with the YAML extension of VS Code, put "# yaml-language-server: $schema=strategy.schema.json"
    on the first line of strategy.yaml)
    """
    from signalboost.model.schema import strategy_schema

    sys.stdout.write(json.dumps(strategy_schema(), ensure_ascii=False, indent=2) + "\n")


def doc(
    workspace: Path = WorkspaceOption,
    fmt: DocFormat | None = typer.Option(
        None, "--format", "-f", help="md, html or pdf (default: from the -o suffix, else md)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (default: stdout for md/html, exports/strategy.pdf for pdf)."
    ),
) -> None:
    """Write the strategy as a document a team reads and prints (Markdown, HTML or PDF).

    It holds every factor, a completeness checklist per factor, and the examples matrix with its gaps marked.
    The strategy must validate first (see `signalboost validate`).

    Example: signalboost doc --format pdf -o strategy.pdf
    """
    from signalboost.cli.common import console
    from signalboost.model.io import load_strategy
    from signalboost.report.strategy_doc import render_markdown, write_document
    from signalboost.store.workspace import Workspace

    ws = Workspace.open(workspace)
    if not ws.has_strategy():
        raise _no_strategy(ws.root)
    strategy = load_strategy(ws.strategy_path, strict=True)
    from signalboost.cli.common import adopt_language

    adopt_language(ws.strategy_path)
    chosen = fmt.value if fmt is not None else _format_from_suffix(output)
    if output is None and chosen in ("md", "html"):
        if chosen == "md":
            sys.stdout.write(render_markdown(strategy))
        else:
            from signalboost.report.strategy_doc import render_html

            sys.stdout.write(render_html(strategy))
        return
    target = output if output is not None else ws.exports_dir / "strategy.pdf"
    written = write_document(strategy, target, fmt=chosen)
    from rich.markup import escape

    shown = f"[bold]{escape(str(written))}[/]"
    console.print(_("Wrote {path}").format(path=shown), highlight=False)


def _format_from_suffix(output: Path | None) -> str:
    if output is None:
        return "md"
    suffix = output.suffix.lower().lstrip(".")
    return {"md": "md", "markdown": "md", "html": "html", "htm": "html", "pdf": "pdf"}.get(suffix, "md")
