"""``signalboost run``: the long-running scheduler (publish on time, sync periodically) in the foreground."""

from __future__ import annotations

import logging
import signal
import sys
import time
from types import FrameType
from typing import Any

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, emit_rows, open_ws
from signalboost.i18n import L_, _

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def _run(
    publish_every: str = typer.Option(
        "1m",
        "--publish-every",
        help="How often to look for due approved posts (e.g. 30s, 1m). A post whose time "
        "comes between two looks is sent at its time anyway.",
    ),
    sync_every: str = typer.Option("1h", "--sync-every", help="How often to sync each connected account (e.g. 1h)."),
    platform: str | None = typer.Option(None, "--platform", "-p", help="Only this network (default: every one)."),
    no_sync: bool = typer.Option(False, "--no-sync", help="Only publish; never sync."),
    once: bool = typer.Option(False, "--once", help="Run one cycle (publish what is due, sync what is due) and exit."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Log what would be published and synced; send nothing, contact no network."
    ),
    log_level: str = typer.Option("info", "--log-level", help="debug, info, warning or error."),
    workspace: Any = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Run the scheduler in the foreground: publish approved posts on time, sync connected accounts periodically.

    Logs (UTC timestamps) go to stderr. Stop it with Ctrl-C or SIGTERM: it finishes the post it is sending, or
    the sync page it is writing, and exits 0 (a second signal abandons the step at once; the next run picks it
    up safely). Only one `run` per workspace at a time. Suitable for systemd or a container (see docs/connect.md).

    Examples: signalboost run; signalboost run --once --dry-run; signalboost run --sync-every 6h
    """
    from signalboost.connect.scheduler import Scheduler, parse_interval

    level = getattr(logging, log_level.upper(), None)
    if not isinstance(level, int) or log_level.lower() not in ("debug", "info", "warning", "error"):
        from signalboost.errors import UsageError

        raise UsageError(
            L_("unknown log level {log_level!r}", log_level=log_level),
            where="--log-level",
            hint=L_("debug, info, warning or error"),
        )
    setup_logging(level)
    ws = open_ws(workspace, existing=True)
    scheduler = Scheduler(
        ws,
        publish_every=parse_interval(publish_every, where="--publish-every"),
        sync_every=parse_interval(sync_every, where="--sync-every"),
        platform=platform,
        dry_run=dry_run,
        sync=not no_sync,
    )
    previous = install_signal_handlers(scheduler)
    try:
        results = scheduler.run(once=once)
    except KeyboardInterrupt:
        logging.getLogger("signalboost.run").warning(
            "abandoned the current step on a second signal; the next run resumes it (nothing half-written is kept)"
        )
        raise typer.Exit(1) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if once:
        rows = [{"step": r.step.kind, "network": r.step.platform, "ok": r.ok, "detail": r.detail} for r in results]
        title = _("Run (one cycle) — dry run") if dry_run else _("Run (one cycle)")
        emit_rows(rows, fmt, title=title, empty=_("Nothing was due."))


def setup_logging(level: int) -> None:
    """Timestamped (UTC, ISO 8601) log lines on stderr for Signalboost's loggers; HTTP clients' own request logs
    are kept at WARNING (a URL can carry a token in its query on some servers)."""
    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter(LOG_FORMAT, datefmt="%Y-%m-%dT%H:%M:%SZ")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    root = logging.getLogger("signalboost")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    for noisy in ("httpx", "httpcore", "urllib3", "atproto", "mastodon"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def install_signal_handlers(scheduler: Any) -> dict[int, Any]:
    """SIGTERM/SIGINT: the first asks the scheduler to stop at its next safe point, a second abandons the step
    (KeyboardInterrupt). Returns the previous handlers."""
    log = logging.getLogger("signalboost.run")

    def handle(signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if scheduler.stopping:
            raise KeyboardInterrupt
        log.info("%s received: stopping after the current step (send it again to abandon the step)", name)
        scheduler.request_stop()

    previous: dict[int, Any] = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handle)
    return previous


def register(app: typer.Typer) -> None:
    app.command("run")(_run)
