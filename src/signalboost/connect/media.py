"""Images with alt text and threads of a planned post: what it carries, and the networks' limits on it.

A planned post is one or more *parts*: part 0 is the post itself (its draft), parts 1, 2, … a thread, each
published as a reply to the one before (Bluesky only). Each part may carry images: a file inside the workspace
folder (stored by its path relative to the workspace, so the workspace can move) with its alt text.

Limits checked at approval (and again before sending), from the networks' own rules:

- Bluesky: at most 4 images a post (lexicon ``app.bsky.embed.images``: ``maxLength: 4``), each blob at most
  1,000,000 bytes (the image's ``maxSize``); text 300 graphemes a part.
- Mastodon: at most 4 media a status (``MAX_MEDIA_ATTACHMENTS``), images at most 16 MiB (Mastodon 4.x
  ``MediaAttachment::IMAGE_LIMIT``); 500 characters.
- Every image needs alt text (a description for screen readers); only JPEG, PNG, GIF and WebP images.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signalboost.connect.compose import check_text
from signalboost.errors import ConnectError
from signalboost.i18n import L_, L_join
from signalboost.store import post_media_sql
from signalboost.store.workspace import Workspace

MAX_IMAGES = {"bluesky": 4, "mastodon": 4}
MAX_IMAGE_BYTES = {"bluesky": 1_000_000, "mastodon": 16 * 1024 * 1024}
THREADS = frozenset({"bluesky"})
MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


@dataclass(frozen=True)
class Image:
    """An image to publish: ``path`` relative to the workspace folder, its alt text."""

    path: str
    alt: str

    @property
    def mime_type(self) -> str:
        return MIME_TYPES.get(Path(self.path).suffix.lower(), "application/octet-stream")


@dataclass(frozen=True)
class Part:
    """One post of a (possibly one-post) thread."""

    text: str
    images: tuple[Image, ...] = field(default=())


def load_parts(ws: Workspace, plan_id: str, draft: str) -> list[Part]:
    """The parts of a planned post (``draft`` is part 0's text) with their images."""
    with ws.connect(purpose="read") as con:
        if not _has_tables(con):
            return [Part(draft)]
        texts = [draft, *post_media_sql.select_thread(con, plan_id)]
        media = post_media_sql.select_media(con, plan_id)
    return [
        Part(text, tuple(Image(m["path"], m["alt"]) for m in media if m["part"] == i)) for i, text in enumerate(texts)
    ]


def _has_tables(con: object) -> bool:
    rows = con.execute(  # type: ignore[attr-defined]
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'planned_media'"
    ).fetchall()
    return bool(rows[0][0])


def problems(parts: list[Part], network: str, root: Path) -> list[str]:
    """Everything in ``parts`` the network would refuse (empty: publishable). Pure but for reading file sizes.

    Each problem is a ``LazyText`` (English as a ``str``, translated when shown)."""
    found: list[str] = []
    if len(parts) > 1 and network not in THREADS:
        found.append(
            L_("{network} posts cannot be threads here (threads are published on Bluesky only)", network=network)
        )
    for i, part in enumerate(parts):
        label = L_("the post") if i == 0 else L_("thread part {i!s}", i=i)
        try:
            check_text(part.text, network, where=label)
        except ConnectError as exc:
            found.append(exc.lazy())
        found += image_problems(part.images, network, root, label=label)
    return found


def image_problems(images: tuple[Image, ...], network: str, root: Path, *, label: str = L_("the post")) -> list[str]:
    """Count, alt text, type, presence and size of one part's images against ``network``'s limits."""
    found: list[str] = []
    most = MAX_IMAGES.get(network)
    if most is not None and len(images) > most:
        found.append(
            L_(
                "{label}: {n} images; {network} allows {most} a post",
                label=label,
                n=len(images),
                network=network,
                most=most,
            )
        )
    limit = MAX_IMAGE_BYTES.get(network)
    for image in images:
        where = L_("{label}, image {path}", label=label, path=image.path)
        if not image.alt.strip():
            found.append(L_("{where}: no alt text (describe the image with --alt)", where=where))
        if Path(image.path).suffix.lower() not in MIME_TYPES:
            found.append(L_("{where}: not a JPEG, PNG, GIF or WebP image", where=where))
        file = root / image.path
        if not file.is_file():
            found.append(L_("{where}: no such file in the workspace ({file})", where=where, file=str(file)))
            continue
        size = file.stat().st_size
        if limit is not None and size > limit:
            found.append(
                L_(
                    "{where}: {size:,} bytes; {network} allows {limit:,} (resize or compress it)",
                    where=where,
                    size=size,
                    network=network,
                    limit=limit,
                )
            )
    return found


def check_parts(parts: list[Part], network: str, root: Path, *, where: str) -> None:
    """Raise one :class:`ConnectError` listing every problem of ``parts`` (nothing when publishable)."""
    found = problems(parts, network, root)
    if found:
        raise ConnectError(
            L_join("; ", found), where=where, hint=L_("Fix it with `signalboost calendar draft/attach/detach/thread`")
        )


# ----------------------------------------------------------------------------- editing a planned post
def relative_path(ws: Workspace, image: Path) -> str:
    """``image`` as a path relative to the workspace folder; an error when it lies outside it or is missing."""
    file = image.expanduser()
    file = (file if file.is_absolute() else Path.cwd() / file).resolve()
    if not file.is_file():
        raise ConnectError(L_("no such image file"), where=str(image), hint=L_("Check the path"))
    root = ws.root.resolve()
    if not file.is_relative_to(root):
        raise ConnectError(
            L_("the image is outside the workspace folder"),
            where=str(file),
            hint=L_(
                "Copy it into the workspace (e.g. {folder}) so the workspace keeps everything it publishes",
                folder=str(root / "media"),
            ),
        )
    return file.relative_to(root).as_posix()


def attach(ws: Workspace, plan_id: str, image: Path, alt: str, *, part: int = 0) -> list[Part]:
    """Add an image with its alt text to part ``part`` of a planned post, refusing what its network would
    refuse (no alt text, too many images, too large); returns the post's parts."""
    full, row = _post(ws, plan_id)
    parts = load_parts(ws, full, row["draft"] or "")
    if not 0 <= part < len(parts):
        raise ConnectError(
            L_("the post has no part {part}", part=part),
            where=f"planned post {full}",
            hint=L_("Use --part 0 (the post) to {last!s}", last=len(parts) - 1)
            if len(parts) > 1
            else L_("Use --part 0 (the post)"),
        )
    new = Image(relative_path(ws, image), alt.strip())
    found = image_problems((*parts[part].images, new), row["network"], ws.root, label=f"planned post {full}")
    if found:
        raise ConnectError(L_join("; ", found), hint=L_("Nothing was attached"))
    with ws.transaction(purpose="plan") as con:
        post_media_sql.add_media(con, full, part, new.path, new.alt)
    _touch(ws, full, row)
    return load_parts(ws, full, row["draft"] or "")


def detach(ws: Workspace, plan_id: str, *, part: int | None = None) -> int:
    """Remove the images of one part (or all); returns how many were removed."""
    full, row = _post(ws, plan_id)
    with ws.transaction(purpose="plan") as con:
        n = post_media_sql.remove_media(con, full, part)
    if n:
        _touch(ws, full, row)
    return n


def set_alt(ws: Workspace, plan_id: str, part: int, index: int, alt: str) -> list[Part]:
    """Replace the alt text of the ``index``-th image of part ``part``; refused when blank (every image needs
    one) or when there is no such image. A post a person changes is ``drafted`` if it was ``planned``."""
    full, row = _post(ws, plan_id)
    if not alt.strip():
        raise ConnectError(
            L_("no alt text"), where=f"planned post {full}, image {index + 1}", hint=L_("Describe what the image shows")
        )
    with ws.transaction(purpose="plan") as con:
        found = post_media_sql.update_alt(con, full, part, index, alt.strip())
    if not found:
        raise ConnectError(
            L_("the post has no image {number} in part {part}", number=index + 1, part=part),
            where=f"planned post {full}",
        )
    _touch(ws, full, row)
    return load_parts(ws, full, row["draft"] or "")


def set_thread(ws: Workspace, plan_id: str, texts: list[str]) -> list[Part]:
    """Make the post a thread: ``texts`` are the parts after the post (none: a single post again)."""
    full, row = _post(ws, plan_id)
    if texts and row["network"] not in THREADS:
        raise ConnectError(
            L_("{network} posts cannot be threads here", network=row["network"]),
            where=f"planned post {full}",
            hint=L_("Threads are published on Bluesky only"),
        )
    with ws.transaction(purpose="plan") as con:
        post_media_sql.replace_thread(con, full, [t.strip() for t in texts])
    _touch(ws, full, row)
    return load_parts(ws, full, row["draft"] or "")


def _post(ws: Workspace, plan_id: str) -> tuple[str, dict[str, Any]]:
    from signalboost.plan.service import resolve_id
    from signalboost.store import plan_sql

    full = resolve_id(ws, plan_id)
    with ws.connect(purpose="read") as con:
        return full, plan_sql.select_planned(con, ids=[full])[0]


def _touch(ws: Workspace, plan_id: str, row: dict[str, Any]) -> None:
    """A planned post a person gave images or a thread is ``drafted``: re-planning keeps it."""
    from signalboost.plan.service import set_status

    if row["status"] == "planned":
        set_status(ws, plan_id, "drafted")
