"""``signalboost connect``, ``connections``, ``disconnect``, ``sync``: live accounts."""

from __future__ import annotations

import os
from typing import Any

import typer

from signalboost.cli.common import FormatOption, OutputFormat, WorkspaceOption, console, emit_rows, err_console, open_ws
from signalboost.errors import UsageError
from signalboost.i18n import L_, _, ngettext

APP_PASSWORD_ENV = "SIGNALBOOST_BLUESKY_APP_PASSWORD"
MASTODON_TOKEN_ENV = "SIGNALBOOST_MASTODON_TOKEN"

connect_app = typer.Typer(
    help="Connect a live account (its credential is kept in the workspace's secrets.json).\n\n"
    "Examples: signalboost connect bluesky --handle brand.bsky.social; "
    "signalboost connect mastodon --instance mastodon.social",
    no_args_is_help=True,
)


@connect_app.command("bluesky")
def connect_bluesky_cmd(
    handle: str = typer.Option(..., "--handle", help="Your Bluesky handle, e.g. brand.bsky.social."),
    service: str = typer.Option(
        "https://bsky.social", "--service", help="Your PDS (only for self-hosted accounts or a test network)."
    ),
    workspace: Any = WorkspaceOption,
) -> None:
    """Connect a Bluesky account with an app password (asked for, or read from $SIGNALBOOST_BLUESKY_APP_PASSWORD).

    Create the app password in Bluesky under Settings → Privacy and security → App passwords. It is stored in
    the workspace's secrets.json (mode 0600, listed in .gitignore), never in strategy.yaml or the database.

    Example: signalboost connect bluesky --handle brand.bsky.social
    """
    from signalboost.connect.accounts import connect_bluesky

    ws = open_ws(workspace, existing=True)
    password = os.environ.get(APP_PASSWORD_ENV) or typer.prompt(_("App password"), hide_input=True)
    connector = connect_bluesky(ws, handle, password, service=service)
    console.print(
        _("Connected Bluesky account @{handle} ({account_id}).").format(
            handle=connector.handle, account_id=connector.account_id
        )
    )
    console.print(_("Next: `signalboost sync` pulls its followers, posts and notifications."))


@connect_app.command("mastodon")
def connect_mastodon_cmd(
    instance: str = typer.Option(..., "--instance", help="Your server, e.g. mastodon.social or https://fosstodon.org."),
    oauth: bool = typer.Option(
        False, "--oauth", help="Authorize in the browser instead: prints the page to open, then asks for the code."
    ),
    workspace: Any = WorkspaceOption,
) -> None:
    """Connect a Mastodon account with an access token (asked for, or read from $SIGNALBOOST_MASTODON_TOKEN).

    Create the token on your server under Preferences → Development → New application with the scopes read
    and write:statuses (write:media for images). Or pass --oauth: Signalboost registers itself on the server,
    prints the page where you authorize it, and asks for the code that page shows. The token is stored in the
    workspace's secrets.json (mode 0600, listed in .gitignore), never in strategy.yaml or the database.

    Example: signalboost connect mastodon --instance mastodon.social
    """
    from signalboost.connect.accounts import connect_mastodon

    ws = open_ws(workspace, existing=True)
    app: dict[str, str] | None = None
    if oauth:
        from signalboost.connect.mastodon import oauth_finish, oauth_start

        start = oauth_start(instance)
        console.print(_("Open this page, log in and authorize Signalboost:"), highlight=False)
        console.print(start.authorize_url, highlight=False, soft_wrap=True)
        code = typer.prompt(_("Authorization code shown on the page"), hide_input=True)
        token = oauth_finish(start, code)
        app = {"client_id": start.client_id, "client_secret": start.client_secret}
    else:
        token = os.environ.get(MASTODON_TOKEN_ENV) or typer.prompt(_("Access token"), hide_input=True)
    connector = connect_mastodon(ws, instance, token, oauth_app=app)
    console.print(_("Connected Mastodon account @{handle}.").format(handle=connector.handle))
    console.print(_("Next: `signalboost sync` pulls its followers, statuses and notifications."))


def _connections(workspace: Any = WorkspaceOption, fmt: OutputFormat = FormatOption) -> None:
    """List the connected accounts with their last sync.

    Example: signalboost connections
    """
    from signalboost.connect.accounts import list_connections

    ws = open_ws(workspace, read_only=True)
    rows = list_connections(ws)
    if not rows and fmt == OutputFormat.table:
        console.print(
            _(
                "No account connected. Connect one with `signalboost connect bluesky --handle …` "
                "or `signalboost connect mastodon --instance …`."
            )
        )
        return
    emit_rows(rows, fmt, title=_("Connected accounts"))


def _disconnect(
    platform: str = typer.Argument(..., help="bluesky or mastodon"),
    workspace: Any = WorkspaceOption,
) -> None:
    """Forget a connected account's credential (the data already synced stays in the workspace).

    Example: signalboost disconnect bluesky
    """
    from signalboost.connect.accounts import disconnect

    ws = open_ws(workspace, existing=True)
    if disconnect(ws, platform):
        console.print(
            _("Disconnected {platform}; its credential is removed from secrets.json.").format(platform=platform)
        )
    else:
        console.print(_("No {platform} account was connected.").format(platform=platform))


def _sync(
    platform: str | None = typer.Option(None, "--platform", "-p", help="Only this network (default: every one)."),
    full: bool = typer.Option(
        False, "--full", help="Page every list completely (finds unfollows) and refresh every profile's counts."
    ),
    page_size: int = typer.Option(
        100, "--page-size", min=1, max=100, help="Items per request (at most: Bluesky 100; Mastodon 80, statuses 40)."
    ),
    workspace: Any = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Pull the connected accounts' profile, followers, follows, posts and notifications into the workspace.

    Profile counts become dated snapshots, own posts' likes/reposts/replies/quotes dated post_metrics, and
    notifications (likes, reposts, replies, quotes, mentions, follows) interactions with their times.

    Resumable: an interrupted sync continues where it stopped; a second sync adds only what is new.

    Example: signalboost sync --platform bluesky
    """
    from signalboost.connect.accounts import open_connector
    from signalboost.connect.sync import sync_account

    ws = open_ws(workspace, existing=True)
    platforms = _platforms_to_use(ws, platform)
    results = []
    for name in platforms:
        connector = open_connector(ws, name)
        with _progress(name) as progress:
            result = sync_account(ws, connector, page_size=page_size, full=full, progress=progress)
        results.append(
            {
                "platform": name,
                "handle": result.handle,
                "import_id": result.import_id,
                "resumed": result.resumed,
                **{s: result.items.get(s, 0) for s in ("followers", "follows", "posts", "notifications", "profiles")},
                "rows_loaded": result.rows_loaded,
                "requests": result.requests,
            }
        )
    emit_rows(results, fmt, title=_("Synced"))


def _publish(
    dry_run: bool = typer.Option(False, "--dry-run", help="List what would be sent; send nothing."),
    platform: str | None = typer.Option(None, "--platform", "-p", help="Only this network (default: every one)."),
    workspace: Any = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Send every approved calendar post that is due to its network, exactly once, and record its URL.

    Only posts approved with `signalboost calendar approve` are sent. An interrupted run is safe to repeat:
    a post whose sending was interrupted is looked up on the network before anything is sent again.

    Example: signalboost publish --dry-run
    """
    from signalboost.connect.accounts import open_connector
    from signalboost.connect.publish import publish_due

    ws = open_ws(workspace, existing=True)
    platforms = _platforms_to_use(ws, platform)
    rows = []
    for name in platforms:
        for out in publish_due(ws, open_connector(ws, name), dry_run=dry_run):
            rows.append(
                {
                    "plan_id": out.plan_id,
                    "network": name,
                    "scheduled_at": out.scheduled_at,
                    "action": out.action,
                    "url": out.url,
                    "error": out.error,
                    "text": out.text[:60],
                }
            )
    title = _("Publish (dry run)") if dry_run else _("Publish")
    emit_rows(rows, fmt, title=title, empty=_("No approved post is due."))


def _fetch_audience(
    accounts: list[str] = typer.Argument(..., help="Accounts whose followers to fetch, e.g. @knitco.bsky.social."),
    platform: str = typer.Option("bluesky", "--platform", "-p", help="The network (its connected account is used)."),
    max_followers: int | None = typer.Option(None, "--max", min=1, help="Stop after this many followers each."),
    workspace: Any = WorkspaceOption,
    fmt: OutputFormat = FormatOption,
) -> None:
    """Fetch other accounts' followers (public) for partner overlap and bridges.

    Each account's profile goes to accounts and its followers to follows, as an import would write them.

    Example: signalboost partners fetch-audience @knitco.bsky.social @dyeworks.bsky.social
    """
    from signalboost.connect.accounts import open_connector
    from signalboost.connect.audience import fetch_audiences

    ws = open_ws(workspace, existing=True)
    connector = open_connector(ws, platform)
    with _progress(platform) as progress:
        results = fetch_audiences(
            ws,
            connector,
            accounts,
            max_followers=max_followers,
            progress=lambda who, n, total: progress(_("followers of @{handle}").format(handle=who), 0, n),
        )
    rows = [
        {
            "handle": r.handle,
            "account_id": r.account_id,
            "followers_reported": r.followers_reported,
            "followers_fetched": r.followers_fetched,
            "complete": r.complete,
            "requests": r.requests,
        }
        for r in results
    ]
    emit_rows(rows, fmt, title=_("Audiences fetched"))


class _progress:
    """A Rich progress line on stderr (a plain line per page when stderr is not a terminal, e.g. under systemd)."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.status: Any = None

    def __enter__(self) -> Any:
        if err_console.is_terminal:
            self.status = err_console.status(_("Syncing {platform}…").format(platform=self.platform))
            self.status.__enter__()
        return self

    def __call__(self, stream: str, pages: int, items: int) -> None:
        done = ngettext("{n} item", "{n} items", items).format(n=items)
        text = f"{self.platform}: {stream} — {done}" + (_(", page {n}").format(n=pages) if pages else "")
        if self.status is not None:
            self.status.update(text)
        else:
            err_console.print(text, highlight=False)

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(*exc)


def register(app: typer.Typer) -> None:
    app.add_typer(connect_app, name="connect")
    app.command("connections")(_connections)
    app.command("disconnect")(_disconnect)
    app.command("sync")(_sync)
    app.command("publish")(_publish)
    from signalboost.cli.partners import partners_app

    partners_app.command("fetch-audience")(_fetch_audience)


def _platforms_to_use(ws: Any, platform: str | None) -> list[str]:
    """The network asked for, else every connected one; refuse when none is connected."""
    from signalboost.connect.accounts import connected_platforms

    platforms = [platform] if platform else connected_platforms(ws)
    if not platforms:
        raise UsageError(
            L_("no account is connected to this workspace"),
            where=str(ws.root),
            hint=L_(
                "Connect one with `signalboost connect bluesky --handle …` or `signalboost connect mastodon "
                "--instance …`"
            ),
        )
    return platforms
