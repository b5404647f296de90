"""``signalboost serve`` (the dashboard) and ``signalboost user add|remove|list`` (its logins)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape

from signalboost.cli.common import (
    FormatOption,
    OutputFormat,
    WorkspaceOption,
    console,
    emit_rows,
    err_console,
    open_ws,
)
from signalboost.errors import WebError
from signalboost.i18n import L_, _

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
    allowed_host: list[str] = typer.Option(
        [],
        "--allowed-host",
        help="Another host name the dashboard answers to (repeatable), e.g. the name of this machine or of the "
        "HTTPS proxy in front. localhost, 127.0.0.1, [::1] and the --host address always are.",
    ),
    trusted_proxy: list[str] = typer.Option(
        [],
        "--trusted-proxy",
        help="Address of a reverse proxy whose X-Forwarded-For / X-Forwarded-Proto headers are believed (repeatable).",
    ),
    secure_cookies: bool = typer.Option(
        False, "--secure-cookies", help="Mark the session cookie Secure: browsers reach the dashboard over HTTPS."
    ),
    session_idle_minutes: int = typer.Option(
        60, "--session-idle-minutes", min=1, max=7 * 24 * 60, help="A login ends after this long without a request."
    ),
    session_hours: int = typer.Option(
        12, "--session-hours", min=1, max=30 * 24, help="A login ends this long after it started, however active."
    ),
) -> None:
    """Serve the web dashboard on the workspace (http://127.0.0.1:8765 by default).

    Bound to 127.0.0.1 it is reachable only from this machine and needs no login. Binding to another address
    (e.g. --host 0.0.0.0, or ::1 for IPv6 loopback) requires at least one login: create it first with
    `signalboost user add NAME`. It answers only to the host names it is reached by on purpose (add one with
    --allowed-host), so a web page elsewhere cannot reach it by re-pointing a DNS name (docs/security.md).

    Example: signalboost serve -w my-brand --port 8765
    """
    from signalboost.web.server import run

    run(
        open_ws(workspace, existing=True),
        host=host,
        port=port,
        max_upload_bytes=max_upload_mb * 1024 * 1024,
        open_browser=open_browser,
        allowed_hosts=allowed_host,
        trusted_proxies=trusted_proxy,
        secure_cookies=secure_cookies,
        session_idle_seconds=session_idle_minutes * 60.0,
        session_max_seconds=session_hours * 3600.0,
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

    password = sys.stdin.readline().rstrip("\n") if password_stdin else _ask_password()
    username = add_user(open_ws(workspace), name, password)
    console.print(
        _("Login [bold]{name}[/] saved. Serve beyond this machine with: signalboost serve --host 0.0.0.0").format(
            name=escape(username)
        )
    )


def _ask_password() -> str:
    """The password typed twice (asked again until both match), with the prompts in the reader's language."""
    while True:
        password = str(typer.prompt(_("Password"), hide_input=True))
        if password == str(typer.prompt(_("Repeat for confirmation"), hide_input=True)):
            return password
        err_console.print(_("The two entered values do not match; type the password again."))


@user_app.command("remove")
def user_remove(name: str = typer.Argument(..., help="Login name."), workspace: Path = WorkspaceOption) -> None:
    """Delete a dashboard login.

    Example: signalboost user remove alice
    """
    from signalboost.web.auth import remove_user

    if not remove_user(open_ws(workspace, read_only=True), name):
        raise WebError(
            L_("no login {name!r}", name=name), where="user remove", hint=L_("See them with `signalboost user list`")
        )
    console.print(_("Login {name} removed; its dashboard sessions are ended.").format(name=escape(name)))


@user_app.command("list")
def user_list(workspace: Path = WorkspaceOption, fmt: OutputFormat = FormatOption) -> None:
    """List the dashboard logins (never their passwords).

    Example: signalboost user list --format json
    """
    from signalboost.store import users_sql

    with open_ws(workspace, read_only=True).connect(purpose="list logins") as con:
        rows = users_sql.list_users(con)
    emit_rows(rows, fmt, title=_("Dashboard logins"), columns=["username", "created_at", "last_login_at"])
