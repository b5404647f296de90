"""``signalboost publish``: send every approved calendar post that is due, exactly once.

Only ``approved`` posts are sent (approval is the person's decision; drafts, planned and removed posts never
are), once their time has come. For each post:

1. the *intent* is committed first: a ``publications`` row in state ``sending`` with the record key the post will
   be created under (Bluesky: a TID chosen now);
2. the network is asked to create the post under that key;
3. the outcome is committed: ``sent`` with the platform's id and URL, the planned post marked ``published``,
   and the post added to ``posts`` with its planned pillars and tactic (analytics per pillar see it at once).

A crash between 2 and 3 leaves ``sending``: the next run asks the network whether a post exists under the key
(the account's own repository, no indexing delay) and records it instead of sending again; the network itself
also refuses a second record under the same key. A refused send is retried on later runs (``retry``) and marked
``failed`` with the reason after :data:`MAX_ATTEMPTS`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from signalboost.connect.base import Connector
from signalboost.connect.compose import check_text
from signalboost.errors import ConnectError
from signalboost.store import connect_sql as cq
from signalboost.store.lock import step_lock
from signalboost.store.workspace import Workspace

log = logging.getLogger("signalboost.connect")
MAX_ATTEMPTS = 3


@dataclass
class Outcome:
    """What happened to one due post."""

    plan_id: str
    scheduled_at: dt.datetime
    action: str  # sent | recovered | would-send | retry | failed
    url: str | None = None
    error: str | None = None
    text: str = ""


def approve(ws: Workspace, plan_id: str) -> Any:
    """Approve a planned post for publishing, after checking its text against its network's limits (a text
    that the network would refuse is refused now, at calendar time, with the reason)."""
    from signalboost.plan.service import resolve_id, set_status
    from signalboost.store import plan_sql

    full = resolve_id(ws, plan_id)
    with ws.connect(purpose="read") as con:
        row = plan_sql.select_planned(con, ids=[full])[0]
    check_text(row["draft"] or "", row["network"], where=f"planned post {full}")
    return set_status(ws, full, "approved")


def publish_due(
    ws: Workspace,
    connector: Connector,
    *,
    now: dt.datetime | None = None,
    dry_run: bool = False,
    should_stop: Callable[[], bool] | None = None,
) -> list[Outcome]:
    """Send the due approved posts of ``connector``'s network (see the module docstring).

    Holds the workspace's ``publish`` step lock (read of the due posts included), so two publishers never both
    send one post. ``should_stop`` is asked between posts (the scheduler's shutdown): a post is never left
    between its intent and its outcome by a stop request."""
    if dry_run:
        return due_outcomes(ws, connector.platform, now=now)
    with step_lock(ws.root, "publish", holder=f"publish to {connector.platform}"):
        now = now or dt.datetime.now(dt.UTC)
        with ws.connect(purpose="read") as con:
            due = cq.due_posts(con, connector.platform, now)
        outcomes: list[Outcome] = []
        for row in due:
            if should_stop is not None and should_stop():
                log.info("stopping: %d due post(s) left for the next run", len(due) - len(outcomes))
                break
            outcomes.append(_publish_one(ws, connector, row, row["draft"] or ""))
        return outcomes


def due_outcomes(ws: Workspace, platform: str, *, now: dt.datetime | None = None) -> list[Outcome]:
    """What ``publish`` would send now to ``platform`` (``would-send`` outcomes); contacts no network."""
    now = now or dt.datetime.now(dt.UTC)
    with ws.connect(purpose="read") as con:
        due = cq.due_posts(con, platform, now)
    return [Outcome(r["plan_id"], r["scheduled_at"], "would-send", text=r["draft"] or "") for r in due]


def _publish_one(ws: Workspace, connector: Connector, row: dict[str, Any], text: str) -> Outcome:
    plan_id = row["plan_id"]
    out = Outcome(plan_id, row["scheduled_at"], "sent", text=text)
    if row["state"] in ("sending", "retry") and row["record_key"]:
        # raises when the network cannot tell: nothing is sent
        found = connector.published(row["record_key"], text=text, since=row["intent_at"])
        if found is not None:
            _record_sent(
                ws, connector.platform, connector.account_id, row, text, found.post_id, found.url, found.created_at
            )
            out.action, out.url = "recovered", found.url
            return out
    try:
        check_text(text, connector.platform, where=f"planned post {plan_id}")
    except ConnectError as exc:
        return _record_failure(ws, connector.platform, row, text, exc.message(), out, final=True)
    # a retry keeps its key: if an earlier attempt did reach the network, the network refuses a second post
    key = row["record_key"] or connector.new_record_key(dt.datetime.now(dt.UTC))
    attempts = int(row["attempts"] or 0) + 1
    with ws.transaction(purpose="publish") as con:  # the intent, before anything is sent
        cq.put_publication(
            con,
            {
                "plan_id": plan_id,
                "platform": connector.platform,
                "text": text,
                "record_key": key,
                "state": "sending",
                "attempts": attempts,
                "intent_at": dt.datetime.now(dt.UTC),
                "error": None,
            },
        )
    row = {**row, "record_key": key, "attempts": attempts}
    try:
        sent = connector.publish(text, key)
    except ConnectError as exc:
        return _record_failure(ws, connector.platform, row, text, exc.message(), out, final=attempts >= MAX_ATTEMPTS)
    _record_sent(ws, connector.platform, connector.account_id, row, text, sent.post_id, sent.url, sent.created_at)
    out.url = sent.url
    log.info("published %s: %s", plan_id, sent.url)
    return out


def _record_sent(
    ws: Workspace,
    platform: str,
    author_id: str,
    row: dict[str, Any],
    text: str,
    post_id: str,
    url: str,
    at: dt.datetime,
) -> None:
    with ws.transaction(purpose="publish") as con:
        cq.put_publication(
            con,
            {
                "plan_id": row["plan_id"],
                "platform": platform,
                "text": text,
                "record_key": row["record_key"],
                "state": "sent",
                "attempts": int(row["attempts"] or 1),
                "intent_at": row.get("intent_at") or at,
                "post_id": post_id,
                "url": url,
                "published_at": at,
                "error": None,
            },
        )
        cq.set_plan_status(con, row["plan_id"], "published")
        cq.record_published_post(con, platform, post_id, author_id, at, url, row["plan_id"])


def _record_failure(
    ws: Workspace, platform: str, row: dict[str, Any], text: str, reason: str, out: Outcome, *, final: bool
) -> Outcome:
    with ws.transaction(purpose="publish") as con:
        cq.put_publication(
            con,
            {
                "plan_id": row["plan_id"],
                "platform": platform,
                "text": text,
                "record_key": row.get("record_key"),
                "state": "failed" if final else "retry",
                "attempts": int(row.get("attempts") or 0),
                "intent_at": row.get("intent_at") or dt.datetime.now(dt.UTC),
                "error": reason,
            },
        )
        if final:
            cq.set_plan_status(con, row["plan_id"], "failed")
    out.action, out.error = ("failed" if final else "retry"), reason
    return out
