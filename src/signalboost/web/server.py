"""Run the dashboard with uvicorn, refusing to listen beyond this machine without a login."""

from __future__ import annotations

import os
import re
import socket
import threading
import webbrowser
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.style import Style
from rich.text import Text

from signalboost.errors import UsageError
from signalboost.i18n import L_, _
from signalboost.store.workspace import Workspace
from signalboost.web.auth import is_loopback, user_count
from signalboost.web.guard import strip_brackets
from signalboost.web.sessions import DEFAULT_IDLE, DEFAULT_MAX


def check_bind(ws: Workspace, host: str) -> bool:
    """Whether a login is required for ``host``; raise when it is required and none is configured."""
    if is_loopback(host):
        return False
    if user_count(ws) == 0:
        raise UsageError(
            L_(
                "refusing to serve on {host} without a login: anyone on the network could read and change the "
                "workspace",
                host=host,
            ),
            where="--host",
            hint=L_("Create a login first with `signalboost user add NAME`, or serve on 127.0.0.1"),
        )
    return True


def port_free(host: str, port: int) -> bool:
    """Whether ``port`` on ``host`` can be listened on now. ``SO_REUSEADDR`` as uvicorn sets it, so a port whose
    last server stopped a moment ago (connections in TIME-WAIT) counts as free, as it is for uvicorn."""
    host = strip_brackets(host)
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def url_for(host: str, port: int) -> str:
    host = strip_brackets(host)
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


WARM_PAGES = ("/overview.json", "/analytics.json", "/partners.json", "/influencers.json", "/strategy.json")


def warm_up(base: str, *, timeout: float = 30.0) -> None:
    """Once the server answers, compute the expensive pages so the first visitor gets them from the cache."""
    import time
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "healthz", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    for path in WARM_PAGES:
        try:
            with urllib.request.urlopen(base + path.lstrip("/"), timeout=120) as r:
                r.read()
        except OSError:  # a login-protected server answers 401: nothing to warm
            return


def run(
    ws: Workspace,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    max_upload_bytes: int | None = None,
    open_browser: bool = False,
    console: Console | None = None,
    allowed_hosts: Sequence[str] = (),
    trusted_proxies: Sequence[str] = (),
    secure_cookies: bool = False,
    session_idle_seconds: float = DEFAULT_IDLE,
    session_max_seconds: float = DEFAULT_MAX,
) -> None:
    """Serve ``ws`` until Ctrl-C (``host`` may be written ``::1`` or ``[::1]``)."""
    import uvicorn

    from signalboost.web.app import create_app

    console = console or Console(stderr=True)
    host = strip_brackets(host)
    require_login = check_bind(ws, host)
    if port and not port_free(host, port):
        raise UsageError(
            L_("port {port!s} on {host} is already in use", port=port, host=host),
            where="--port",
            hint=L_("Pick another with --port, or stop the other server"),
        )
    app = create_app(
        ws,
        require_login=require_login,
        max_upload_bytes=max_upload_bytes,
        bind_host=host,
        allowed_hosts=allowed_hosts,
        trusted_proxies=trusted_proxies,
        secure_cookies=secure_cookies,
        session_idle_seconds=session_idle_seconds,
        session_max_seconds=session_max_seconds,
    )
    url = url_for(host, port)
    # Text, not markup: an IPv6 URL's "[::1]" is not a markup tag
    template = _("Signalboost dashboard for {workspace} at {url} (Ctrl-C to stop)")
    fields = {"{workspace}": (str(ws.root), Style(bold=True)), "{url}": (url, Style(link=url))}
    line = Text()
    for part in re.split(r"(\{workspace\}|\{url\})", template):
        value, style = fields.get(part, (part, Style()))
        line.append(value, style=style)
    console.print(line)
    if require_login:
        console.print(
            _("Login required (bound beyond this machine). Put it behind HTTPS before using it over a network.")
        )
    threading.Thread(target=warm_up, args=(url,), daemon=True).start()
    if open_browser:
        webbrowser.open(url)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:  # uvicorn re-raises the Ctrl-C once it has stopped serving
        finish_imports(app.state.ctx.jobs, console)


def finish_imports(jobs: Any, console: Console, *, timeout: float | None = None) -> bool:
    """After the server stopped: let running uploads' imports finish, so the workspace gets them whole; a second
    Ctrl-C abandons them (their transaction is never committed, so nothing half-written is kept). ``True`` when
    every import finished."""
    running = jobs.running()
    if not running:
        return True
    names = ", ".join(j.filename for j in running)
    waiting = _("Waiting for the import of {files} to finish (Ctrl-C again to abandon it; nothing half-done is kept)")
    console.print(waiting.format(files=names), markup=False)
    try:
        finished = bool(jobs.join(timeout))
    except KeyboardInterrupt:
        console.print(_("Stopped without waiting: that import was abandoned; upload or import the file again."))
        os._exit(130)  # end now: the import's thread must not be torn down inside DuckDB at interpreter exit
    if finished:
        console.print(_("Import finished; the workspace has it."))
    return finished
