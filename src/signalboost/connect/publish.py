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

from signalboost.connect import media
from signalboost.connect.base import Connector, MediaFile, Published, ReplyTo
from signalboost.errors import ConnectError
from signalboost.store import connect_sql as cq
from signalboost.store import post_media_sql
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
    """Approve a planned post for publishing, after checking its text, thread parts and images against its
    network's limits (what the network would refuse is refused now, at calendar time, with every reason)."""
    from signalboost.plan.service import resolve_id, set_status
    from signalboost.store import plan_sql

    full = resolve_id(ws, plan_id)
    with ws.connect(purpose="read") as con:
        row = plan_sql.select_planned(con, ids=[full])[0]
    parts = media.load_parts(ws, full, row["draft"] or "")
    media.check_parts(parts, row["network"], ws.root, where=f"planned post {full}")
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
    parts = media.load_parts(ws, plan_id, text)
    if len(parts) > 1:
        return _publish_thread(ws, connector, row, parts, out)
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
        media.check_parts(parts, connector.platform, ws.root, where=f"planned post {plan_id}")
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
        sent = connector.publish(text, key, images=_files(ws, parts[0]))
    except ConnectError as exc:
        return _record_failure(ws, connector.platform, row, text, exc.message(), out, final=attempts >= MAX_ATTEMPTS)
    _record_sent(ws, connector.platform, connector.account_id, row, text, sent.post_id, sent.url, sent.created_at)
    out.url = sent.url
    log.info("published %s: %s", plan_id, sent.url)
    return out


def _files(ws: Workspace, part: media.Part) -> list[MediaFile]:
    return [MediaFile(ws.root / image.path, image.alt, image.mime_type) for image in part.images]


def _publish_thread(
    ws: Workspace, connector: Connector, row: dict[str, Any], parts: list[media.Part], out: Outcome
) -> Outcome:
    """A thread: every part's record key committed before the first is sent; then each part, as a reply to the
    one before (root = part 0), committed as it is sent. A rerun after a crash skips the parts recorded, looks
    the one in flight up by its key, and sends only the missing ones."""
    plan_id, text = row["plan_id"], parts[0].text
    try:
        media.check_parts(parts, connector.platform, ws.root, where=f"planned post {plan_id}")
    except ConnectError as exc:
        return _record_failure(ws, connector.platform, row, text, exc.message(), out, final=True)
    with ws.connect(purpose="read") as con:
        done = post_media_sql.select_parts(con, plan_id)
    start = dt.datetime.now(dt.UTC)
    keys = {
        i: done[i]["record_key"] if i in done else connector.new_record_key(start + dt.timedelta(microseconds=i))
        for i in range(len(parts))
    }
    attempts = int(row["attempts"] or 0) + 1
    with ws.transaction(purpose="publish") as con:  # the intent for every part, before anything is sent
        cq.put_publication(
            con,
            {
                "plan_id": plan_id,
                "platform": connector.platform,
                "text": text,
                "record_key": keys[0],
                "state": "sending",
                "attempts": attempts,
                "intent_at": row.get("intent_at") or start,
                "error": None,
            },
        )
        for i, key in keys.items():
            if i not in done:
                post_media_sql.put_part(con, plan_id, i, key)
    row = {**row, "record_key": keys[0], "attempts": attempts}
    sent: list[Published] = []
    try:
        for i, part in enumerate(parts):
            prior = done.get(i)
            if prior and prior["post_id"]:
                sent.append(Published(prior["post_id"], prior["url"], start, prior["cid"]))
                continue
            reply = ReplyTo(root=sent[0], parent=sent[-1]) if sent else None
            found = connector.published(keys[i]) if i in done else None  # in flight when the last run stopped
            one = found or connector.publish(part.text, keys[i], images=_files(ws, part), reply_to=reply)
            with ws.transaction(purpose="publish") as con:
                post_media_sql.put_part(con, plan_id, i, keys[i], post_id=one.post_id, cid=one.cid, url=one.url)
            sent.append(one)
    except ConnectError as exc:
        return _record_failure(ws, connector.platform, row, text, exc.message(), out, final=attempts >= MAX_ATTEMPTS)
    first = sent[0]
    _record_sent(ws, connector.platform, connector.account_id, row, text, first.post_id, first.url, first.created_at)
    out.url = first.url
    out.action = "recovered" if done and all(d["post_id"] for d in done.values()) else "sent"
    log.info("published %s: a thread of %d posts from %s", plan_id, len(parts), first.url)
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
