"""The post editor: one planned post opened from the calendar — its text counted as its network counts it, its
images with alt text, its pillar and tactic, and its state (draft → approved → published / failed).

Thin calls into the library: :func:`signalboost.plan.service.get_post` / ``set_draft`` / ``set_status``,
:func:`signalboost.connect.publish.approve` (the same checks as ``signalboost calendar approve``), and the
networks' rules in :mod:`signalboost.connect.compose` (length in graphemes; Mastodon counts a link as 23) and
:mod:`signalboost.connect.media` (image count, alt text, size). Nothing here re-implements a limit.
"""

from __future__ import annotations

from typing import Any

from signalboost.connect import compose, media
from signalboost.errors import ConnectError, PlanError
from signalboost.i18n import L_, tr
from signalboost.plan import service
from signalboost.plan.posts import PlannedPost
from signalboost.store import connect_sql
from signalboost.store.workspace import Workspace
from signalboost.web.wiring import jsonable_dict

EDITABLE = frozenset({"planned", "drafted", "approved", "failed"})
"""States whose text may change; a scheduled or published post is on the network already."""
COUNTING = {
    "bluesky": "graphemes (an emoji or a flag is one)",
    "mastodon": "graphemes; each link counts as 23, @user@domain as @user",
}


def _tactic_name(ws: Workspace, tactic: str | None) -> str | None:
    """The strategy's name for the post's tactic (its id when the strategy no longer has it or cannot be read)."""
    if not tactic:
        return None
    from signalboost.web.views.calendar import _strategy

    strategy = _strategy(ws)
    return next((t.name for t in strategy.tactics if t.id == tactic), tactic) if strategy else tactic


def build(ws: Workspace, post_id: str, *, text: str | None = None, error: str | None = None) -> dict[str, Any]:
    """The editor's data for ``post_id``; ``text`` (a refused edit) is shown instead of the saved draft."""
    post = service.get_post(ws, post_id)
    shown = post.draft if text is None else text
    parts = media.load_parts(ws, post.id, post.draft)
    limit = compose.LIMITS.get(post.network)
    length = compose.text_length(shown, post.network)
    problems = [tr(p) for p in media.problems(parts, post.network, ws.root)] if post.status in EDITABLE else []
    with ws.connect(purpose="read") as con:
        publication = connect_sql.publication_outcomes(con, [post.id]).get(post.id)
    return jsonable_dict(
        {
            "available": True,
            "id": post.id,
            "network": post.network,
            "kind": post.kind,
            "local": post.local.strftime("%Y-%m-%dT%H:%M"),
            "timezone": post.timezone,
            "format": post.format,
            "pillars": list(post.pillars),
            "tactic": post.tactic,
            "tactic_name": _tactic_name(ws, post.tactic),
            "status": post.status,
            "moved": post.moved,
            "draft": post.draft,
            "text": shown,
            "length": length,
            "limit": limit,
            "over": limit is not None and length > limit,
            "counting": COUNTING.get(post.network, "graphemes"),
            "editable": post.status in EDITABLE,
            "can_approve": post.status in ("planned", "drafted", "failed"),
            "can_unapprove": post.status in ("approved", "failed"),
            "problems": [relative(p, ws) for p in problems],
            "parts": [
                {
                    "part": i,
                    "text": part.text,
                    "length": compose.text_length(part.text, post.network),
                    "images": [{"path": im.path, "alt": im.alt} for im in part.images],
                }
                for i, part in enumerate(parts)
            ],
            "publication": publication,
            "error": error,
        }
    )


def relative(problem: str, ws: Workspace) -> str:
    """A problem without the workspace's absolute folder (the page names files relative to the workspace)."""
    return problem.replace(f"{ws.root}/", "").replace(str(ws.root), ".")


def _editable(post: PlannedPost) -> None:
    if post.status not in EDITABLE:
        raise PlanError(
            L_("post {id} is {status}; its text can no longer change", id=post.id, status=post.status),
            where="post id",
            hint=L_("Plan a new post instead"),
        )


def save_draft(ws: Workspace, post_id: str, text: str) -> tuple[PlannedPost, bool]:
    """Save ``text`` as the post's draft, refused (:class:`ConnectError`, nothing saved) when it is past the
    network's limit. A changed text of an approved (or failed) post goes back to ``drafted``: approval was given to
    the old text. Returns the post and whether it was sent back to draft."""
    post = service.get_post(ws, post_id)
    _editable(post)
    text = text.replace("\r\n", "\n")
    if text.strip():
        compose.check_text(text, post.network, where="text")  # the network's own counting; raises over the limit
    changed = text != post.draft
    back = changed and post.status in ("approved", "failed")
    saved = service.set_draft(ws, post.id, text)
    if back:
        saved = service.set_status(ws, post.id, "drafted")
    return saved, back


def set_alt(ws: Workspace, post_id: str, part: int, index: int, alt: str) -> tuple[PlannedPost, bool]:
    """Replace one image's alt text (:func:`signalboost.connect.media.set_alt`); a changed alt text of an approved
    (or failed) post sends it back to ``drafted``, like a changed text. Returns the post and whether it went back."""
    post = service.get_post(ws, post_id)
    _editable(post)
    before = media.load_parts(ws, post.id, post.draft)
    media.set_alt(ws, post.id, part, index, alt)
    after = media.load_parts(ws, post.id, post.draft)
    back = after != before and post.status in ("approved", "failed")
    if back:
        service.set_status(ws, post.id, "drafted")
    return service.get_post(ws, post.id), back


def approve(ws: Workspace, post_id: str) -> PlannedPost:
    """Approve for publishing with the checks of ``signalboost calendar approve`` (text, thread, images)."""
    from signalboost.connect.publish import approve as approve_post

    post = service.get_post(ws, post_id)
    if post.status not in ("planned", "drafted", "failed", "approved"):
        raise PlanError(
            L_("post {id} is {status}; it cannot be approved again", id=post.id, status=post.status), where="post id"
        )
    approved: PlannedPost = approve_post(ws, post.id)
    return approved


def to_draft(ws: Workspace, post_id: str) -> PlannedPost:
    """Take an approved (or failed) post back to ``drafted``: ``publish`` no longer sends it."""
    post = service.get_post(ws, post_id)
    if post.status not in ("approved", "failed", "drafted"):
        raise PlanError(
            L_(
                "post {id} is {status}; only an approved or failed post goes back to draft",
                id=post.id,
                status=post.status,
            ),
            where="post id",
        )
    return service.set_status(ws, post.id, "drafted")


__all__ = ["EDITABLE", "ConnectError", "approve", "build", "relative", "save_draft", "set_alt", "to_draft"]
