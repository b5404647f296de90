"""Other accounts' audiences on demand (``signalboost partners fetch-audience @a @b``).

Followers are public on Bluesky: for each account named, its profile goes to ``accounts`` and its followers to
``follows`` (edges ``follower → account``), page by page, each page in its own transaction (a rerun after an
interruption fetches again and writes nothing twice: the merge is the importers'). A complete list marks
followers no longer listed as inactive. These edges are what partner overlap and bridge computations read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from signalboost.connect.base import Connector, snapshot_of
from signalboost.errors import ConnectError
from signalboost.i18n import L_
from signalboost.store import connect_sql as cq
from signalboost.store.workspace import Workspace


@dataclass
class AudienceResult:
    handle: str
    account_id: str
    followers_reported: int | None
    followers_fetched: int
    complete: bool
    requests: int


def fetch_audiences(
    ws: Workspace,
    connector: Connector,
    actors: Sequence[str],
    *,
    page_size: int = 100,
    max_followers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[AudienceResult]:
    """Fetch the followers of each of ``actors`` (handles, with or without ``@``, or ids); ``max_followers``
    stops early (the list is then incomplete and no unfollow is inferred)."""
    observed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    names = [a.strip().lstrip("@") for a in actors if a.strip().lstrip("@")]
    if not names:
        raise ConnectError(L_("no account named"), where="ACCOUNTS", hint=L_("Name accounts, e.g. @knitco.bsky.social"))
    with ws.transaction(purpose="audience") as con:
        import_id = cq.start_import(
            con,
            file=f"{connector.platform}:audience:{','.join(names)}",
            platform=connector.platform,
            started_at=observed_at,
        )
    results = []
    for name in names:
        results.append(_one(ws, connector, name, import_id, observed_at, page_size, max_followers, progress))
    with ws.transaction(purpose="audience") as con:
        cq.close_import(con, import_id)
    return results


def _one(
    ws: Workspace,
    connector: Connector,
    name: str,
    import_id: int,
    observed_at: dt.datetime,
    page_size: int,
    max_followers: int | None,
    progress: Callable[[str, int, int], None] | None,
) -> AudienceResult:
    before = connector.stats.requests
    profile = _profile(connector, name, observed_at, hint=L_("Check the handle (without spaces)"))
    account = profile[0]
    with ws.transaction(purpose="audience") as con:
        cq.count_import(con, import_id, *cq.write_rows(con, {"accounts": profile}, import_id))
    cursor: str | None = None
    fetched = 0
    while True:
        page = connector.audience(account["account_id"], cursor, limit=page_size, observed_at=observed_at)
        fetched += len(page.keys)
        cursor = page.cursor
        done = cursor is None
        with ws.transaction(purpose="audience") as con:
            cq.count_import(con, import_id, *cq.write_rows(con, page.rows, import_id))
            if done:
                cq.mark_unfollows(con, connector.platform, account["account_id"], "followee", observed_at)
        if progress:
            progress(str(account["handle"]), fetched, account["followers"] or 0)
        if done or (max_followers is not None and fetched >= max_followers):
            break
    return AudienceResult(
        str(account["handle"]),
        str(account["account_id"]),
        account["followers"],
        fetched,
        cursor is None,
        connector.stats.requests - before,
    )


def _profile(connector: Connector, name: str, observed_at: dt.datetime, *, hint: str) -> list[dict[str, Any]]:
    """The ``accounts`` row of the account ``name`` (a one-row list, as ``write_rows`` takes it), or a
    :class:`ConnectError` naming it with ``hint`` when the network has no such account."""
    profile: list[dict[str, Any]] = connector.profiles([name], observed_at).get("accounts", [])
    if not profile:
        raise ConnectError(
            L_("no {platform} account {name!r}", platform=connector.platform, name=name), where=name, hint=hint
        )
    return profile


@dataclass
class RefreshResult:
    handle: str
    account_id: str
    followers: int | None
    posts_fetched: int
    import_id: int
    requests: int


def refresh_account(
    ws: Workspace, connector: Connector, actor: str, *, max_posts: int = 100, page_size: int = 100
) -> RefreshResult:
    """Pull one other account's profile (a dated ``account_snapshots`` row, so an influencer's audience becomes a
    series over time) and its ``max_posts`` most recent posts with their counts (dated ``post_metrics``), in one
    ``imports`` row; each page in its own transaction (a rerun writes nothing twice)."""
    name = actor.strip().lstrip("@")
    if not name:
        raise ConnectError(L_("no account named"), where="HANDLE", hint=L_("Name an account, e.g. @knitco.bsky.social"))
    author_posts = getattr(connector, "author_posts", None)
    if author_posts is None:
        raise ConnectError(
            L_("refreshing another account is not available for {platform} yet", platform=connector.platform),
            where=name,
            hint=L_("Use a Bluesky or Mastodon account, or import the account's data"),
        )
    observed_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    before = connector.stats.requests
    profile = _profile(connector, name, observed_at, hint=L_("Check the handle"))
    account = profile[0]
    snapshot = snapshot_of(account, observed_at)
    with ws.transaction(purpose="refresh") as con:
        import_id = cq.start_import(
            con, file=f"{connector.platform}:refresh:@{name}", platform=connector.platform, started_at=observed_at
        )
        rows = {"accounts": profile, "account_snapshots": [snapshot]}
        cq.count_import(con, import_id, *cq.write_rows(con, rows, import_id))
    fetched, cursor = 0, None
    while fetched < max_posts:
        page = author_posts(
            account["account_id"], cursor, limit=min(page_size, max_posts - fetched), observed_at=observed_at
        )
        fetched += len(page.keys)
        with ws.transaction(purpose="refresh") as con:
            cq.count_import(con, import_id, *cq.write_rows(con, page.rows, import_id))
        cursor = page.cursor
        if cursor is None or not page.keys:
            break
    with ws.transaction(purpose="refresh") as con:
        cq.close_import(con, import_id)
    return RefreshResult(
        str(account["handle"]),
        str(account["account_id"]),
        account.get("followers"),
        fetched,
        import_id,
        connector.stats.requests - before,
    )
