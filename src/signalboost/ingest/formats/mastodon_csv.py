"""The CSVs of Mastodon's "Data export" page (Preferences -> Import and export -> Data export), one at a time.

- ``following_accounts.csv`` (``Account address,Show boosts,Notify on new posts,Languages``; old exports have
  no header): the accounts the brand follows -> ``follows`` with ``follower_id`` = the brand's own Mastodon
  account. That account is ``--map follower_id==you@host``, else ``brand.handles.mastodon`` (or the ecosystem's
  Mastodon handle) in strategy.yaml, else the ``actor.json`` beside the file; without any of them the import is
  refused with that hint (never a made-up account).
- ``followers.csv`` (the same header, written by third-party backup tools): ``follows`` towards the brand.
- ``blocked_accounts.csv``, ``muted_accounts.csv`` (``Account address,Hide notifications``),
  ``blocked_domains.csv``, ``lists.csv``, ``bookmarks.csv``: moderation and private lists no canonical table
  holds: read, counted, nothing loaded, and named in a warning.

Observation time: ``--observed-at`` (then a later complete list marks missing follows inactive), else NULL: the
export carries no time, and the clock is never used.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

from signalboost.errors import UsageError
from signalboost.i18n import L_, N_
from signalboost.ingest.base import Batch, FollowSnapshot, Format, Item, ReadOptions, Reject
from signalboost.ingest.formats.mastodon import PLATFORM, account_address, account_id
from signalboost.ingest.registry import register
from signalboost.ingest.textio import decode_text

FOLLOW_FILES = {"following_accounts.csv": "follower", "followers.csv": "followee"}
IGNORED_FILES = {
    "blocked_accounts.csv": "blocked accounts",
    "muted_accounts.csv": "muted accounts",
    "blocked_domains.csv": "blocked domains",
    "lists.csv": "lists",
    "bookmarks.csv": "bookmarks",
}
HEADER = "account address"


def _base(path: Path) -> str:
    """The export's file name, without a browser's download suffix (``following_accounts (1).csv``)."""
    name = path.name.lower()
    stem, _, ext = name.rpartition(".")
    return stem.split(" (")[0].rstrip() + "." + ext if stem else name


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir() or head.startswith(b"PK\x03\x04"):
        return 0.0
    name = _base(path)
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    if name in FOLLOW_FILES or name in IGNORED_FILES:
        return 0.95
    if first.startswith(HEADER) and ("show boosts" in first or "hide notifications" in first):
        return 0.9
    return 0.0


def _me(path: Path, options: ReadOptions, platform: str) -> str:
    mapped = (options.mapping or {}).get("follower_id" if _side(path) == "follower" else "followee_id", "")
    if mapped.startswith("=") and mapped != "=@me":
        return mapped[1:].lstrip("@").lower()
    if options.me.get(platform):
        return options.me[platform].lstrip("@").lower()
    actor = path.parent / "actor.json"
    if actor.is_file():
        try:
            found = account_id(str(json.loads(actor.read_text(encoding="utf-8-sig")).get("id") or ""))
        except (OSError, ValueError, AttributeError):
            found = None
        if found:
            return found
    raise UsageError(
        L_("whose follows are these? {name} does not name the account it belongs to", name=path.name),
        where=str(path),
        hint=L_(
            "Set brand.handles.mastodon in strategy.yaml (e.g. brand@mastodon.social), or pass --map "
            "follower_id==brand@mastodon.social, or import the whole export (zip or folder)"
        ),
    )


def _side(path: Path) -> str:
    return FOLLOW_FILES.get(_base(path), "follower")


def read_mastodon_csv(path: Path, options: ReadOptions) -> Iterator[Item]:
    platform = options.platform or PLATFORM
    options.saw_times(naive=False)  # the export's CSVs hold no times
    data = path.read_bytes()
    options.advance(len(data))
    text, warning = decode_text(data, str(path), options.encoding)
    if warning:
        options.warn(warning)
    name = _base(path)
    records = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if name in IGNORED_FILES or (records and records[0] and "hide notifications" in ",".join(records[0]).lower()):
        what = IGNORED_FILES.get(name, "muted accounts")
        options.warn(
            L_(
                "not loaded (no canonical table holds them): {what} ({file}, {n} lines)",
                what=what,
                file=path.name,
                n=len(records),
            )
        )
        yield Batch("follows", [], rows_read=len(records))
        return
    side = _side(path)
    me = _me(path, options, platform)
    has_header = bool(records) and "@" not in records[0][0]
    rows, rejects = [], []
    for line, rec in enumerate(records[1:] if has_header else records, start=2 if has_header else 1):
        address = account_address(rec[0], me) if rec else None
        if address is None:
            rejects.append(Reject(line, ",".join(rec), f"Account address: {rec[0]!r} is not user@host"))
            continue
        follower, followee = (me, address) if side == "follower" else (address, me)
        rows.append(
            {"platform": platform, "follower_id": follower, "followee_id": followee, "observed_at": options.observed_at}
        )
    options.note(
        L_("{file}: the accounts followed by {me}", file=path.name, me=me)
        if side == "follower"
        else L_("{file}: the accounts following {me}", file=path.name, me=me)
    )
    yield from rejects
    yield Batch("follows", rows, rows_read=len(rows))
    if options.observed_at is not None:
        yield FollowSnapshot(platform, me, side, options.observed_at)


FORMAT = register(
    Format(
        name="mastodon-csv",
        description=N_("A CSV of Mastodon's Data export page (following_accounts.csv; blocks, mutes, lists named)"),
        loads=N_(
            "follows (the brand's follows: following_accounts.csv); blocks, mutes, lists, bookmarks are not loaded"
        ),
        sniff=sniff,
        read=read_mastodon_csv,
        platform="mastodon",
        extensions=(".csv",),
    )
)
