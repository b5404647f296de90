"""Post text as a network sees it: its length in graphemes, and Bluesky's rich-text facets.

Bluesky limits a post to 300 graphemes (user-perceived characters, Unicode UAX #29: an emoji with skin tone or
a flag is one) and marks links, mentions and hashtags as *facets* with UTF-8 byte ranges
(docs.bsky.app "Links, mentions, and rich text"). Mastodon counts 500 graphemes too, after rewriting every URL
as 23 characters and every mention ``@user@domain`` as ``@user`` (Mastodon's ``StatusLengthValidator``,
app/validators/status_length_validator.rb).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import regex

from signalboost.errors import ConnectError
from signalboost.i18n import L_

LIMITS = {"bluesky": 300, "mastodon": 500}

_URL = regex.compile(r"(?<![\w@/])(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")
_MENTION = regex.compile(r"(?<![\w@])@([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]+)+)")
_TAG = regex.compile(r"(?<![\w#])#([^\d\s\p{P}][^\s\p{P}]*)")
_MASTODON_URL_LENGTH = 23
_REMOTE_MENTION = regex.compile(
    r"(?<![\w@/])(@[a-zA-Z0-9_]+(?:[a-zA-Z0-9_.-]+[a-zA-Z0-9_]+)?)@[a-zA-Z0-9.-]+\.[a-zA-Z]+"
)


def graphemes(text: str) -> int:
    """The number of extended grapheme clusters (UAX #29) in ``text``."""
    return len(regex.findall(r"\X", text))


def text_length(text: str, network: str) -> int:
    """The length the network counts: graphemes on Bluesky; on Mastodon graphemes after each URL is counted as
    23 and each ``@user@domain`` as ``@user``."""
    if network == "mastodon":
        text = _URL.sub("x" * _MASTODON_URL_LENGTH, text)
        text = _REMOTE_MENTION.sub(lambda m: m.group(1), text)
    return graphemes(text)


_COUNTING = {"mastodon": "graphemes, each link as 23, @user@domain as @user"}


def check_text(text: str, network: str, *, where: str = "text") -> None:
    """Raise a :class:`ConnectError` naming the excess when ``text`` is empty or past the network's limit."""
    if not text.strip():
        raise ConnectError(
            L_("the post has no text"), where=where, hint=L_("Write the post with `signalboost calendar draft`")
        )
    limit = LIMITS.get(network)
    if limit is None:
        return
    length = text_length(text, network)
    if length > limit:
        raise ConnectError(
            L_(
                "the text is {length} characters long; {network} allows {limit}",
                length=length,
                network=network,
                limit=limit,
            ),
            where=where,
            hint=L_(
                "Shorten it by {excess} (counted as {network} counts: {counting})",
                excess=length - limit,
                network=network,
                counting=_COUNTING.get(network, "graphemes"),
            ),
        )


def _byte_range(text: str, start: int, end: int) -> dict[str, int]:
    return {"byteStart": len(text[:start].encode("utf-8")), "byteEnd": len(text[:end].encode("utf-8"))}


def facets_for(text: str, resolve: Callable[[str], str | None]) -> list[dict[str, Any]]:
    """Bluesky facets for the links, mentions (resolved to DIDs; unknown handles stay plain text) and hashtags."""
    facets: list[dict[str, Any]] = []
    for m in _URL.finditer(text):
        facets.append(
            {
                "index": _byte_range(text, m.start(1), m.end(1)),
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": m.group(1)}],
            }
        )
    for m in _MENTION.finditer(text):
        did = resolve(m.group(1))
        if did:
            facets.append(
                {
                    "index": _byte_range(text, m.start(), m.end()),
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                }
            )
    for m in _TAG.finditer(text):
        facets.append(
            {
                "index": _byte_range(text, m.start(), m.end()),
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": m.group(1)}],
            }
        )
    facets.sort(key=lambda f: f["index"]["byteStart"])
    return facets
