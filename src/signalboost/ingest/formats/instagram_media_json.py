"""``media.json`` of Instagram's data download of 2018-2020 (the layout before ``content/posts_1.json``).

The file is one object of lists, one per kind of media the account has, each record
``{"path": "photos/201812/<hash>.jpg", "caption": "…", "taken_at": "2018-12-31T08:05:13", "location": "…"}``
(the layout two public readers of the export agree on: ``photos``/``videos``/``direct`` in PersonalDataPipeline's
``instagram-2018-import``; ``photos``/``videos`` with these fields in a media-metadata reader; ``stories`` and
``profile`` hold the same records). ``taken_at`` is ISO 8601, with an offset in later files (``+00:00``) and
without one in earlier ones.

- ``photos`` -> posts of format photo, ``videos`` -> video, ``stories`` -> story; the caption is the text
  (double-encoded UTF-8 repaired), hashtags and mentions from it.
- A post of several photos or videos (a carousel) is listed as one record per media with the same ``taken_at``
  and caption: records of ``photos``/``videos`` equal in both are one post of format carousel (its id is that of
  its first media). Two separate posts at the same second with the same caption would be merged: the summary
  says how many records were joined.
- ``direct`` (media sent in direct messages) and ``profile`` (profile pictures) are not posts: counted and named,
  not loaded.
- The post id is ``ig:<file name of the media without extension>``, as for the later layout (stable between
  exports). Times without an offset are read in the import's time zone (``--timezone``, else the brand's), which
  the summary states. A record without a readable ``taken_at`` is a reject with the reason.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from signalboost.ingest.base import Reject
from signalboost.ingest.textio import fix_mojibake, hashtags_in, mentions_in

#: The lists of ``media.json`` that are the account's posts, and the format of each.
POST_LISTS = {"photos": "photo", "videos": "video", "stories": "story"}
#: The lists that are not posts (read and named, never loaded).
OTHER_LISTS = ("direct", "profile")


def taken_at(value: Any, zone: str) -> tuple[datetime, bool]:
    """``(aware UTC time, whether it had no offset)`` of a ``taken_at`` value; ``ValueError`` when unreadable."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"taken_at {value!r} is not a date")
    try:
        dt = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"taken_at {value!r} is not an ISO 8601 date") from None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC), True
    return dt.astimezone(UTC), False


def parse_media_json(
    data: Any, *, me: str | None, zone: str, member: str
) -> tuple[list[dict[str, Any]], list[Reject], dict[str, int]]:
    """Pure: a ``media.json`` object -> ``(posts rows, rejects, counts)``.

    ``counts`` holds ``naive`` (times read in ``zone``), ``joined`` (records merged into carousels) and, per list
    of :data:`OTHER_LISTS`, the records not loaded. Reject lines are record numbers within the file, counted over
    the lists in the file's order."""
    counts: dict[str, int] = {"naive": 0, "joined": 0}
    rows: dict[tuple[str, datetime, str], dict[str, Any]] = {}
    rejects: list[Reject] = []
    number = 0
    for key, records in data.items() if isinstance(data, dict) else []:
        if not isinstance(records, list):
            continue
        if key in OTHER_LISTS:
            counts[key] = counts.get(key, 0) + len(records)
            number += len(records)
            continue
        fmt = POST_LISTS.get(key)
        for rec in records:
            number += 1
            if fmt is None:
                continue
            try:
                if not isinstance(rec, dict) or not isinstance(rec.get("path"), str) or not rec["path"]:
                    raise ValueError("no path (the media's file name is the post's id)")
                created, naive = taken_at(rec.get("taken_at"), zone)
            except ValueError as exc:
                rejects.append(Reject(number, str(rec)[:500], f"{key} record: {exc}", member))
                continue
            counts["naive"] += naive
            text = fix_mojibake(str(rec.get("caption") or "")) or None
            group = ("story" if fmt == "story" else "post", created, text or "")
            if group in rows:  # one more media of a carousel
                rows[group]["format"] = "carousel"
                counts["joined"] += 1
                continue
            rows[group] = {
                "platform": "instagram",
                "post_id": "ig:" + PurePosixPath(rec["path"]).stem,
                "author_id": me,
                "created_at": created,
                "text": text,
                "format": fmt,
                "hashtags": hashtags_in(text),
                "mentions": mentions_in(text),
            }
    return list(rows.values()), rejects, counts
