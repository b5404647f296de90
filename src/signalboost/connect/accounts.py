"""Connecting, listing and disconnecting live accounts of a workspace (the library behind the CLI).

The credential goes to the secrets file (:mod:`signalboost.connect.secrets`); the database keeps only the
account (platform, handle, id, service) and when it was last synced.
"""

from __future__ import annotations

from typing import Any

from signalboost.connect.base import Connector
from signalboost.connect.secrets import load_secrets, put_secret, remove_secret, update_secret
from signalboost.errors import ConnectError
from signalboost.i18n import L_
from signalboost.store import connect_sql as cq
from signalboost.store.workspace import Workspace

PLATFORMS = ("bluesky", "mastodon")
#: how to connect each network (for hints)
CONNECT_HINT = {
    "bluesky": "signalboost connect bluesky --handle …",
    "mastodon": "signalboost connect mastodon --instance …",
}


def connect_bluesky(ws: Workspace, handle: str, app_password: str, *, service: str | None = None) -> Connector:
    """Log in to Bluesky (the password is checked by logging in), then store the credential and the connection."""
    from signalboost.connect.bluesky import DEFAULT_SERVICE, BlueskyConnector

    handle = handle.strip().lstrip("@")
    if not handle:
        raise ConnectError(
            L_("no handle given"), where="--handle", hint=L_("Pass your handle, e.g. --handle you.bsky.social")
        )
    if not app_password:
        raise ConnectError(
            L_("no app password given"),
            where="app password",
            hint=L_("Create one in Bluesky under Settings → App passwords; never use your account password"),
        )
    service = (service or DEFAULT_SERVICE).rstrip("/")
    session: dict[str, str] = {}
    connector = BlueskyConnector(
        handle, app_password, service=service, on_session=lambda s: session.__setitem__("session", s)
    )
    put_secret(
        ws.root,
        "bluesky",
        {
            "handle": connector.handle,
            "did": connector.account_id,
            "service": service,
            "app_password": app_password,
            "session": session.get("session"),
        },
    )
    with ws.transaction(purpose="connect") as con:
        cq.put_connection(con, "bluesky", connector.account_id, connector.handle, service)
    return connector


def connect_mastodon(
    ws: Workspace, instance: str, access_token: str, *, oauth_app: dict[str, str] | None = None
) -> Connector:
    """Check the access token (by reading the account it belongs to), then store it and the connection.

    ``oauth_app`` (client id and secret, from the OAuth flow) is kept beside the token in the secrets file."""
    from signalboost.connect.mastodon import MastodonConnector, normalize_instance

    instance = normalize_instance(instance)
    if not access_token.strip():
        raise ConnectError(
            L_("no access token given"),
            where="access token",
            hint=L_(
                "Create one under Preferences → Development → New application (scopes read, write:statuses), or use "
                "--oauth"
            ),
        )
    connector = MastodonConnector(instance, access_token.strip())
    put_secret(
        ws.root,
        "mastodon",
        {
            "instance": instance,
            "handle": connector.handle,
            "account_id": connector.account_id,
            "access_token": access_token.strip(),
            **(oauth_app or {}),
        },
    )
    with ws.transaction(purpose="connect") as con:
        cq.put_connection(con, "mastodon", connector.account_id, connector.handle, instance)
    return connector


def open_connector(ws: Workspace, platform: str) -> Connector:
    """A logged-in connector from the stored credential (the session is reused and kept fresh)."""
    secret = load_secrets(ws.root).get(platform)
    if secret is None:
        raise ConnectError(
            L_("no {platform} account is connected to this workspace", platform=platform),
            where=str(ws.root),
            hint=L_("Connect one with `{command}`", command=CONNECT_HINT.get(platform, "signalboost connect …")),
        )
    if platform == "bluesky":
        from signalboost.connect.bluesky import BlueskyConnector

        return BlueskyConnector(
            secret["handle"],
            secret["app_password"],
            service=secret["service"],
            session=secret.get("session"),
            on_session=lambda s: update_secret(ws.root, "bluesky", session=s),
        )
    if platform == "mastodon":
        from signalboost.connect.mastodon import MastodonConnector

        return MastodonConnector(secret["instance"], secret["access_token"])
    raise ConnectError(
        L_("unknown platform {platform!r}", platform=platform),
        hint=L_("Platforms: {choices}", choices=", ".join(PLATFORMS)),
    )


def connected_platforms(ws: Workspace) -> list[str]:
    return [p for p in PLATFORMS if p in load_secrets(ws.root)]


def list_connections(ws: Workspace) -> list[dict[str, Any]]:
    """One row per connected account: platform, handle, id, service, when connected and last synced, and
    whether its credential is still in the secrets file."""
    secrets = load_secrets(ws.root)
    with ws.connect(purpose="read") as con:
        rows = cq.connection_rows(con)
    for row in rows:
        row["credential"] = "stored" if row["platform"] in secrets else "missing (connect again)"
    return rows


def disconnect(ws: Workspace, platform: str) -> bool:
    """Forget the credential and the connection (synced data stays); ``True`` when something was removed."""
    removed = remove_secret(ws.root, platform)
    with ws.transaction(purpose="disconnect") as con:
        removed = cq.delete_connection(con, platform) > 0 or removed
    return removed


def connection_details(ws: Workspace) -> dict[str, Any]:
    """The Connections page's data: each connected account (never its credential) with its streams' last sync
    and what the workspace holds of it, and whether the scheduler (``signalboost run``) or a sync is running."""
    from signalboost.store.lock import step_holder

    rows = list_connections(ws)
    with ws.connect(purpose="read") as con:
        for row in rows:
            row["streams"] = cq.stream_rows(con, row["platform"], row["account_id"])
            row.update(cq.account_counts(con, row["platform"], row["account_id"]))
    return {
        "connections": rows,
        "scheduler": step_holder(ws.root, "run"),
        "sync_running": step_holder(ws.root, "sync"),
        "platforms": list(PLATFORMS),
    }
