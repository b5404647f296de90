"""``signalboost serve`` (the dashboard) and ``signalboost user add|remove|list`` (its logins)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, console, emit_rows, open_ws
from signalboost.errors import WebError

user_app = typer.Typer(
    help=(
        "Logins of the dashboard (needed to serve it beyond this machine).\n\n"
        "Example: signalboost user add alice -w my-brand"
    ),
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(user_app, name="user")


def serve(
    workspace: Path = WorkspaceOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Other than loopback needs a login."),
    # No -p: across the CLI -p means --platform.
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on."),
    max_upload_mb: int = typer.Option(512, "--max-upload-mb", min=1, help="Largest upload accepted, in MiB."),
    open_browser: bool = typer.Option(False, "--open", help="Open the dashboard in the default web browser."),
) -> None:
    """Serve the web dashboard on the workspace (http://127.0.0.1:8765 by default).

    Bound to 127.0.0.1 it is reachable only from this machine and needs no login. Binding to another address
    (e.g. --host 0.0.0.0) requires at least one login: create it first with `signalboost user add NAME`.

    Example: signalboost serve -w my-brand --port 8765
    """
    from signalboost.web.server import run

    run(
        open_ws(workspace, existing=True),
        host=host,
        port=port,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        open_browser=open_browser,
    )


@user_app.command("add")
def user_add(
    name: str = typer.Argument(..., help="Login name (letters, digits, . _ - @)."),
    workspace: Path = WorkspaceOption,
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from standard input."),
) -> None:
    """Create a dashboard login (or change its password). The password is stored as an argon2 hash.

    Example: signalboost user add alice -w my-brand
    """
    from signalboost.web.auth import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    username = add_user(open_ws(workspace), name, password)
    console.print(f"Login [bold]{username}[/] saved. Serve beyond this machine with: signalboost serve --host 0.0.0.0")


@user_app.command("remove")
def user_remove(name: str = typer.Argument(..., help="Login name."), workspace: Path = WorkspaceOption) -> None:
    """Delete a dashboard login.

    Example: signalboost user remove alice
    """
    from signalboost.store import web_sql
    from signalboost.web.auth import check_username

    ws = open_ws(workspace, read_only=True)
    with ws.transaction(purpose="remove a login") as con:
        if not web_sql.delete_user(con, check_username(name)):
            raise WebError(f"no login {name!r}", where="user remove", hint="See them with `signalboost user list`")
    console.print(f"Login {name} removed.")


@user_app.command("list")
def user_list(workspace: Path = WorkspaceOption, fmt: OutputFormat = FormatOption) -> None:
    """List the dashboard logins (never their passwords).

    Example: signalboost user list --format json
    """
    from signalboost.store import web_sql

    with open_ws(workspace, read_only=True).connect(purpose="list logins") as con:
        rows = web_sql.list_users(con)
    emit_rows(rows, fmt, title="Dashboard logins", columns=["username", "created_at", "last_login_at"])
