"""The Connections page: connected accounts (never their credentials), each stream's last sync, what the
workspace holds of each account, the scheduler's state, and "sync now" as a background job with progress."""

from __future__ import annotations

from typing import Any

from signalboost.errors import WebError
from signalboost.i18n import L_
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import jsonable_dict


def build(ws: Workspace, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Connected accounts with streams and counts, the scheduler's state, and the syncs started here."""
    from signalboost.connect.accounts import connection_details

    return jsonable_dict({**connection_details(ws), "jobs": jobs})


def start_sync(ws: Workspace, jobs: Any, platform: str, *, on_done: Any = None) -> Any:
    """Start syncing ``platform``'s connected account in the background (one sync per account at a time; a sync
    already running elsewhere — ``signalboost run``, the CLI — makes the job fail with who holds it)."""
    from signalboost.connect.accounts import PLATFORMS, connected_platforms

    if platform not in PLATFORMS:
        raise WebError(
            L_("unknown network {platform!r}", platform=platform),
            where="platform",
            hint=L_("One of {choices}", choices=", ".join(PLATFORMS)),
        )
    if platform not in connected_platforms(ws):
        raise WebError(
            L_("no {platform} account is connected", platform=platform),
            where="platform",
            hint=L_("Connect it from the command line: signalboost connect {platform} …", platform=platform),
        )

    def task(job: Any) -> list[dict[str, Any]]:
        from signalboost.connect.accounts import open_connector
        from signalboost.connect.sync import sync_account
        from signalboost.errors import WorkspaceLockedError
        from signalboost.store.lock import step_holder

        holder = step_holder(ws.root, "sync")
        if holder:  # say so before logging in (sync_account's own lock would refuse it anyway)
            raise WorkspaceLockedError(
                L_("a sync is already running on this workspace ({holder})", holder=holder),
                where=platform,
                hint=L_("Wait for it to finish; its results appear here when it is done"),
            )
        job.progress = {"stream": "logging in", "pages": 0, "items": 0}
        connector = open_connector(ws, platform)

        def progress(stream: str, pages: int, items: int) -> None:
            job.progress = {"stream": stream, "pages": pages, "items": items}

        result = sync_account(ws, connector, progress=progress)
        job.progress = {"stream": "finished", "pages": sum(result.pages.values()), "items": sum(result.items.values())}
        return [
            {
                "platform": platform,
                "handle": result.handle,
                "import_id": result.import_id,
                "resumed": result.resumed,
                **{s: result.items.get(s, 0) for s in ("followers", "follows", "posts", "notifications", "profiles")},
                "rows_loaded": result.rows_loaded,
                "requests": result.requests,
            }
        ]

    return jobs.start_task("sync", platform, task, phase="syncing", on_done=on_done)
