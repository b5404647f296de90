"""Misskey "Export notes" (Settings → Import and export → Notes): ``notes-YYYY-MM-DD-HH-mm-ss.json``, written by
Misskey and its forks (Firefish, Sharkey, Iceshrimp …) into the account's drive.

A JSON array of the account's notes, each ``{id, text, createdAt, fileIds, files, replyId, renoteId, poll, cw,
visibility, visibleUserIds, localOnly, reactionAcceptance}`` (Misskey's ``ExportNotesProcessorService.serialize``;
releases before 2023 wrote the same keys without ``files``, with ``viaMobile``, ``appId``, ``geo``). Each note is
a ``posts`` row: id = the note id (the server's own; ``replyId`` / ``renoteId`` name notes of the same server), text,
``cw`` as the content warning, hashtags and mentions from the text, format from ``files`` (``image/…`` → photo,
``video/…`` → video, several → carousel), visibility public / home → unlisted / followers / specified → direct.
A renote without text is a boost (``repost_of``), with text a quote (``quote_of``). The export names neither the
account nor the server, so ``author_id`` stays NULL (stated), and there are no counts. Platform ``misskey``
unless ``--platform`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from signalboost.errors import IngestError
from signalboost.i18n import L_, N_
from signalboost.ingest.base import Batch, Format, Item, ReadOptions, Reject
from signalboost.ingest.registry import register
from signalboost.ingest.textio import decode_text, hashtags_in, loads_json, mentions_in, parse_iso

PLATFORM = "misskey"
VISIBILITY = {"public": "public", "home": "unlisted", "followers": "followers", "specified": "direct"}


def sniff(head: bytes, path: Path) -> float:
    """A JSON array whose first note has Misskey's keys (``renoteId`` and ``visibleUserIds``)."""
    if path.is_dir() or not head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"["):
        return 0.0
    window = head[:65536]
    return 0.9 if b'"renoteId"' in window and b'"visibleUserIds"' in window and b'"createdAt"' in window else 0.0


def _format(files: Any) -> str:
    kinds = [str(f.get("type") or "") for f in files if isinstance(f, dict)] if isinstance(files, list) else []
    if any(k.startswith("video/") for k in kinds):
        return "video"
    if len(kinds) > 1:
        return "carousel"
    return "photo" if kinds and kinds[0].startswith("image/") else "text"


def parse_notes(notes: list[Any], *, platform: str, member: str) -> tuple[list[dict[str, Any]], list[Reject]]:
    """Pure: Misskey notes -> ``posts`` rows and rejects (``line`` = the note's number in the file)."""
    posts: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for index, note in enumerate(notes, start=1):
        if not isinstance(note, dict) or not note.get("id"):
            rejects.append(Reject(index, str(note)[:500], f"note {index}: no id", member))
            continue
        try:
            created = parse_iso(str(note["createdAt"]))
        except (KeyError, ValueError, TypeError):
            rejects.append(Reject(index, str(note)[:500], f"note {index}: missing or unreadable createdAt", member))
            continue
        text = note.get("text") if isinstance(note.get("text"), str) else None
        renote = str(note["renoteId"]) if note.get("renoteId") else None
        cw = note.get("cw")
        posts.append(
            {
                "platform": platform,
                "post_id": str(note["id"]),
                "created_at": created,
                "text": text or "",
                "content_warning": cw.strip() or None if isinstance(cw, str) else None,
                "format": _format(note.get("files")),
                "hashtags": hashtags_in(text),
                "mentions": mentions_in(text),
                "reply_to": str(note["replyId"]) if note.get("replyId") else None,
                "repost_of": renote if renote and not text else None,
                "quote_of": renote if renote and text else None,
                "visibility": VISIBILITY.get(str(note.get("visibility")), "public"),
            }
        )
    return posts, rejects


def read_misskey(path: Path, options: ReadOptions) -> Iterator[Item]:
    options.saw_times(naive=False)  # createdAt is ISO 8601 in UTC (Z): the import's zone never applies
    data = path.read_bytes()
    options.advance(len(data))
    text, warning = decode_text(data, str(path), options.encoding)
    if warning:
        options.warn(warning)
    notes = loads_json(text, str(path))
    if not isinstance(notes, list):
        raise IngestError(
            L_("expected a JSON array of notes (Misskey's notes export), found {kind}", kind=type(notes).__name__),
            where=str(path),
            hint=L_("Export the notes again (Settings → Import and export → Notes)"),
        )
    posts, rejects = parse_notes(notes, platform=options.platform or PLATFORM, member=path.name)
    yield from rejects
    yield Batch("posts", posts, rows_read=len(posts))
    options.note(L_("the notes export names no account: posts are stored without an author"))


FORMAT = register(
    Format(
        name="misskey-notes",
        description=N_("Misskey / Firefish / Sharkey notes export (notes-….json, a JSON array of the account's notes)"),
        loads=N_("posts (notes, renotes as boosts or quotes, replies, content warnings, visibility)"),
        sniff=sniff,
        read=read_misskey,
        platform=PLATFORM,
        extensions=(".json",),
    )
)
