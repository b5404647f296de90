"""Reading Bluesky records (``app.bsky.*``), shared by the live sync (:mod:`signalboost.connect.bluesky`, SDK
models) and the repository-export importer (:mod:`signalboost.ingest.formats.bluesky_car`, plain dicts).

Kept apart from the connector so that reading an export does not import the ``atproto`` client.
"""

from __future__ import annotations

from typing import Any


def get_field(obj: Any, name: str) -> Any:
    """A field of an SDK model or of a plain dict (records of unknown types stay dicts; dicts use camelCase)."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name) if name in obj else obj.get(_camel(name))
    return getattr(obj, name, None)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)


def post_url(uri: str, handle: str | None) -> str:
    """``at://did/app.bsky.feed.post/rkey`` → ``https://bsky.app/profile/<handle or did>/post/<rkey>``."""
    parts = uri.removeprefix("at://").split("/")
    who = handle or parts[0]
    return f"https://bsky.app/profile/{who}/post/{parts[-1]}"


def facet_features(record: Any) -> tuple[list[str], list[str]]:
    """``(hashtags lower-cased, mentioned DIDs)`` from a post's rich-text facets (``app.bsky.richtext.facet``)."""
    tags: list[str] = []
    mentions: list[str] = []
    for facet in _items(get_field(record, "facets")):
        for feature in _items(get_field(facet, "features")):
            if get_field(feature, "tag"):
                tags.append(str(get_field(feature, "tag")).lower())
            elif get_field(feature, "did"):
                mentions.append(str(get_field(feature, "did")))
    return tags, mentions


def _items(value: Any) -> list[Any]:
    """A list field, or nothing when the record holds something else there (an export's records are untrusted)."""
    return list(value) if isinstance(value, list | tuple) else []


def embed_format(embed: Any) -> str:
    """A post's format from its embed: images → photo, video → video, external link → link, else text. A quote
    with media (``app.bsky.embed.recordWithMedia``) takes the format of its media."""
    kind = str(get_field(embed, "py_type") or get_field(embed, "$type") or "")
    if "recordWithMedia" in kind:
        media = get_field(embed, "media")
        kind = str(get_field(media, "py_type") or get_field(media, "$type") or "")
    if "images" in kind:
        return "photo"
    if "video" in kind:
        return "video"
    if "external" in kind:
        return "link"
    return "text"


def quoted_uri(embed: Any) -> str | None:
    """The URI of the post an ``app.bsky.embed.record`` (or ``recordWithMedia``, one level deeper) quotes."""
    quoted = get_field(embed, "record")
    quoted = get_field(quoted, "record") or quoted  # recordWithMedia nests it once more
    uri = get_field(quoted, "uri")
    return str(uri) if isinstance(uri, str) and uri.startswith("at://") else None
