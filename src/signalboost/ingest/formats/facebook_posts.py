"""Meta Business Suite / Page Insights post exports (CSV): one row per Facebook or Instagram post with metrics.

Business Suite -> Insights -> Content -> Export (2023+) writes "Post ID", "Page ID" (or "Account ID" and
"Account username" for Instagram), "Publish time" (``MM/DD/YYYY HH:MM``), "Permalink", "Post type",
"Description", "Impressions", "Reach", "Reactions" (or "Likes"), "Comments", "Shares", "Saves", "Total clicks",
"3-second video views" / "Plays". The older Page Insights "Post" export writes "Posted", "Type",
"Post Message", "Lifetime Post Total Reach", "Lifetime Post Total Impressions", "Lifetime Engaged Users" (its
second line describes the columns: it has no Post ID and is rejected as such).

Loaded through the generic importer with this preset mapping (``--map`` overrides any field): posts with format
normalised (Photos -> photo, Videos/Live -> video, Reels -> reel, IG carousel -> carousel, Links -> link,
Status -> text) and one post_metrics snapshot per post, observed at ``--observed-at`` or, since the export
carries no export time, the newest publish time of the file (content-derived: re-imports agree). Platform
"facebook", or "instagram" when the file has "Account username".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from signalboost.i18n import N_
from signalboost.ingest.base import Format, Item, ReadOptions
from signalboost.ingest.formats import generic
from signalboost.ingest.registry import register
from signalboost.store.ingest_sources_sql import describe_source, source_relation

PRESET: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("post_id", ("Post ID",)),
    ("author_id", ("Page ID", "Account ID")),
    ("created_at", ("Publish time", "Posted")),
    ("text", ("Description", "Post Message", "Title")),
    ("url", ("Permalink",)),
    ("format", ("Post type", "Type")),
    ("impressions", ("Impressions", "Lifetime Post Total Impressions")),
    ("reach", ("Reach", "Lifetime Post Total Reach")),
    ("likes", ("Reactions", "Likes")),
    ("comments", ("Comments",)),
    ("shares", ("Shares",)),
    ("saves", ("Saves",)),
    ("clicks", ("Total clicks", "Link clicks")),
    ("views", ("3-second video views", "Plays", "Views")),
    ("engaged_users", ("Lifetime Engaged Users",)),
)


def _header(head: bytes) -> list[str]:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].decode("utf-8", "replace").strip()
    return [c.strip().strip('"') for c in first.split(",")]


def sniff(head: bytes, path: Path) -> float:
    if path.is_dir():
        return 0.0
    cols = set(_header(head))
    if "Post ID" in cols and "Publish time" in cols and cols & {"Page ID", "Account ID"}:
        return 0.9
    if "Post ID" in cols and "Posted" in cols and "Lifetime Post Total Reach" in cols:
        return 0.9
    return 0.0


def preset_mapping(columns: list[str]) -> dict[str, str]:
    """The preset for the columns present (the first alternative found wins)."""
    present = set(columns)
    mapping: dict[str, str] = {}
    for field, names in PRESET:
        for name in names:
            if name in present:
                mapping[field] = name
                break
    return mapping


def read_meta_posts(path: Path, options: ReadOptions) -> Iterator[Item]:
    columns, _ = describe_source(source_relation(path, "csv"))
    options.mapping = preset_mapping(columns) | (options.mapping or {})
    if options.platform is None:
        options.platform = "instagram" if "Account username" in columns else "facebook"
    yield from generic.read_generic(path, options)


FORMAT = register(
    Format(
        name="meta-posts",
        description=N_("Meta Business Suite / Page Insights post export CSV (Facebook or Instagram posts)"),
        loads=N_("posts (format, text, permalink) and post_metrics (impressions, reach, reactions, comments, …)"),
        sniff=sniff,
        read=read_meta_posts,
        platform="facebook",
        extensions=(".csv",),
    )
)
