"""Which format a planned post takes on its network: always one the network's ecosystem entry lists.

A post's format comes from its example post. An example written for another network (a tactic with one example
for all its networks) or a format the strategy does not list for the network would plan a post the network is
not made for (a *photo* giveaway on TikTok, whose entry lists ``short, live``). The rule:

1. the example's format when the network's entry lists it (or when the entry lists no formats: nothing to check);
2. else the **closest listed format**: the first of the example format's neighbours (:data:`NEIGHBOURS`, nearest
   first) that the network lists — a *reel* becomes a *short*, a *photo* a *carousel*, a *link* a *text*;
3. else (no listed format is close, e.g. a *text* post for a video-only network) the network's **first listed
   format**, its main one, as for posts without an example.

The post is never skipped: a tactic the strategy runs on a network still happens there, and the draft is the
example's text to adapt. Every substitution is reported once per network and source format in the plan's notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from signalboost.i18n import L_

NEIGHBOURS: Mapping[str, tuple[str, ...]] = {
    "reel": ("short", "video", "story", "live"),
    "short": ("reel", "video", "story", "live"),
    "video": ("reel", "short", "live", "story"),
    "live": ("video", "reel", "short", "story"),
    "story": ("reel", "short", "photo", "video"),
    "photo": ("carousel", "infographic", "story"),
    "carousel": ("photo", "infographic", "story"),
    "infographic": ("photo", "carousel", "article"),
    "text": ("link", "poll", "article"),
    "link": ("text", "article"),
    "article": ("link", "text", "infographic"),
    "poll": ("text", "story"),
}
"""For each format of the vocabulary, the formats that carry the same content with least rework, nearest first
(same medium first: vertical video, still image, words)."""


def closest_format(wanted: str, listed: Sequence[str]) -> tuple[str, str | None]:
    """``(format, why)``: the format to plan for ``wanted`` on a network listing ``listed``, and why it differs
    (``None`` when ``wanted`` is kept). See the module docstring for the rule."""
    if not listed or wanted in listed:
        return wanted, None
    for candidate in NEIGHBOURS.get(wanted, ()):
        if candidate in listed:
            return candidate, L_("the closest format it lists ({listed})", listed=", ".join(listed))
    return listed[0], L_(
        "its first format: none of its formats ({listed}) is close to {wanted}", listed=", ".join(listed), wanted=wanted
    )
