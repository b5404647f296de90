"""``signalboost sync``: pull a connected account into the workspace, resumably and incrementally.

A *run* has one observation time (``observed_at``, kept in ``sync_state`` so a resumed run reuses it) and one row
in ``imports``. It takes the profile (a dated ``account_snapshots`` row), then pages each stream of
:data:`signalboost.connect.base.STREAMS` newest first, then the threads of own posts whose reply count exceeds
the replies stored (notifications the server's paging skipped), then the full profiles of accounts seen
without counts.

Exactly once: every page is written in ONE transaction together with the stream's cursor, so a run killed at
any instant (kill -9) resumes after the last committed page, and a page fetched twice writes nothing twice
(keys include ``observed_at``; the merge is the importers' anti-join).

Incremental: a stream's first pass pages to the end and remembers the key of its newest item (``head``); later
passes stop at the page holding that key. Own posts are paged completely on every run (their counts are the
dated ``post_metrics`` snapshots engagement-over-time is built from). A complete pass of followers/follows marks
edges no longer listed as inactive (unfollows kept as history). Other accounts' full profiles (counts) are
fetched once, when first seen; ``full=True`` forces complete passes and refreshes every profile.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from signalboost.connect.base import STREAMS, Connector, Page
from signalboost.store import connect_sql as cq
from signalboost.store.lock import step_lock
from signalboost.store.workspace import Workspace

log = logging.getLogger("signalboost.connect")

#: ``progress(stream, pages, items)`` after each committed page.
Progress = Callable[[str, int, int], None]

_UNFOLLOW_SIDE = {"followers": "followee", "follows": "follower"}


@dataclass
class SyncResult:
    """What one run did: the import id, items per stream, requests sent, and whether it resumed a run."""

    platform: str
    handle: str
    import_id: int
    observed_at: dt.datetime
    resumed: bool
    items: dict[str, int] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    rows_loaded: int = 0
    seconds_waited: float = 0.0


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def sync_account(
    ws: Workspace,
    connector: Connector,
    *,
    page_size: int = 100,
    full: bool = False,
    progress: Progress | None = None,
) -> SyncResult:
    """Sync ``connector``'s account into ``ws`` (see the module docstring); returns what it did.

    Holds the workspace's ``sync`` step lock throughout: a second sync at the same time (the scheduler, the
    dashboard's "sync now", the CLI) is refused with who runs the first. ``progress`` may raise to abandon the
    run after a committed page (the next run resumes there)."""
    with step_lock(ws.root, "sync", holder=f"sync of {connector.platform} @{connector.handle}"):
        return _sync_locked(ws, connector, page_size=page_size, full=full, progress=progress)


def _sync_locked(
    ws: Workspace, connector: Connector, *, page_size: int, full: bool, progress: Progress | None
) -> SyncResult:
    platform, me = connector.platform, connector.account_id
    observed_at, import_id, resumed = _begin_run(ws, connector)
    result = SyncResult(platform, connector.handle, import_id, observed_at, resumed)
    requests_before = connector.stats.requests
    with ws.transaction(purpose="sync") as con:
        counts = cq.write_rows(con, connector.profile(observed_at), import_id)
        cq.count_import(con, import_id, *counts)
    for stream in STREAMS:
        _sync_stream(ws, connector, stream, observed_at, import_id, page_size, full, result, progress)
    _complete_replies(ws, connector, observed_at, import_id, result, progress)
    _sync_profiles(ws, connector, observed_at, import_id, full, result, progress)
    with ws.transaction(purpose="sync") as con:
        cq.finish_import(con, import_id, platform)
        cq.delete_state(con, platform, me, "run")
        result.rows_loaded = int(cq.import_row(con, import_id)["rows_loaded"] or 0)
    result.requests = connector.stats.requests - requests_before
    result.seconds_waited = connector.stats.slept_seconds
    return result


def _begin_run(ws: Workspace, connector: Connector) -> tuple[dt.datetime, int, bool]:
    """Resume the unfinished run of this account, or start one (its ``imports`` row and its ``run`` state)."""
    platform, me = connector.platform, connector.account_id
    with ws.transaction(purpose="sync") as con:
        run = cq.get_state(con, platform, me, "run")
        if run["run_started"]:
            observed = run["run_observed_at"].astimezone(dt.UTC)
            log.info("resuming the %s sync of %s observed at %s", platform, connector.handle, observed)
            return observed, int(run["run_import_id"]), True
        observed = _now()
        import_id = cq.start_import(con, file=f"{platform}:@{connector.handle}", platform=platform, started_at=observed)
        run.update(run_started=True, run_observed_at=observed, run_import_id=import_id)
        cq.put_state(con, platform, me, "run", run)
    return observed, import_id, False


def _sync_stream(
    ws: Workspace,
    connector: Connector,
    stream: str,
    observed_at: dt.datetime,
    import_id: int,
    page_size: int,
    full: bool,
    result: SyncResult,
    progress: Progress | None,
) -> None:
    platform, me = connector.platform, connector.account_id
    with ws.connect(purpose="sync") as con:
        state = cq.get_state(con, platform, me, stream)
    if not state["run_started"] and _same_time(state["run_observed_at"], observed_at):
        return  # this run already finished the stream before it was interrupted
    if not state["run_started"]:
        state.update(cursor=None, run_head=None, run_started=True, pages=0)
    # a pass from the top with no head to stop at is complete: it may mark unfollows
    incremental = not full and stream != "posts" and state["head"] is not None
    while True:
        page = connector.page(stream, state["cursor"], limit=page_size, observed_at=observed_at)
        stop = incremental and state["head"] in page.keys
        if state["run_head"] is None and page.keys:
            state["run_head"] = page.keys[0]
        state["cursor"] = page.cursor
        state["pages"] = int(state["pages"] or 0) + 1
        last = stop or page.cursor is None
        with ws.transaction(purpose="sync") as con:
            counts = cq.write_rows(con, page.rows, import_id)
            cq.count_import(con, import_id, *counts)
            if last:
                if not incremental and stream in _UNFOLLOW_SIDE:
                    cq.mark_unfollows(con, platform, me, _UNFOLLOW_SIDE[stream], observed_at)
                state.update(head=state["run_head"] or state["head"], cursor=None, run_head=None, run_started=False)
                state["run_observed_at"] = observed_at
            cq.put_state(con, platform, me, stream, state)
        _account(result, stream, page)
        log.info("%s: page %d committed (%d items)", stream, state["pages"], len(page.keys))
        if progress:
            progress(stream, result.pages[stream], result.items[stream])
        if last:
            return


def _complete_replies(
    ws: Workspace,
    connector: Connector,
    observed_at: dt.datetime,
    import_id: int,
    result: SyncResult,
    progress: Progress | None,
) -> None:
    """Own posts whose reply count (this run's snapshot) exceeds the replies stored: read their threads.

    The AppView pages notifications by their time alone, so notifications sharing a time across a page boundary
    are never listed; the post's own reply count shows the gap and its thread fills it."""
    with ws.connect(purpose="sync") as con:
        post_ids = cq.posts_missing_replies(con, connector.platform, connector.account_id, observed_at)
    for n, post_id in enumerate(post_ids, 1):
        rows = connector.replies(post_id, observed_at)
        with ws.transaction(purpose="sync") as con:
            cq.count_import(con, import_id, *cq.write_rows(con, rows, import_id))
        result.items["threads"] = n
        result.pages["threads"] = n
        if progress:
            progress("threads", n, n)


def _sync_profiles(
    ws: Workspace,
    connector: Connector,
    observed_at: dt.datetime,
    import_id: int,
    full: bool,
    result: SyncResult,
    progress: Progress | None,
) -> None:
    """Full profiles (counts) of every account seen in lists and notifications but never looked up; with
    ``full`` of every account of the platform (other accounts' counts are otherwise those of their first look)."""
    after = ""
    while True:
        with ws.connect(purpose="sync") as con:
            ids = cq.accounts_to_profile(con, connector.platform, after=after, everyone=full)
        if not ids:
            return
        after = ids[-1]  # an account the server no longer returns (deleted) is not asked for again this run
        rows = connector.profiles(ids, observed_at)
        with ws.transaction(purpose="sync") as con:
            n = cq.refresh_accounts(con, rows.get("accounts", []), import_id)
            cq.count_import(con, import_id, n, 0, n, 0)
        result.items["profiles"] = result.items.get("profiles", 0) + len(rows.get("accounts", []))
        result.pages["profiles"] = result.pages.get("profiles", 0) + 1
        if progress:
            progress("profiles", result.pages["profiles"], result.items["profiles"])


def _account(result: SyncResult, stream: str, page: Page) -> None:
    result.items[stream] = result.items.get(stream, 0) + len(page.keys)
    result.pages[stream] = result.pages.get(stream, 0) + 1


def _same_time(a: Any, b: dt.datetime) -> bool:
    return a is not None and a.astimezone(dt.UTC) == b
