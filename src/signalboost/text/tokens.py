"""Words, content words (stop words of the text's own language removed) and compound matching.

Tokenisation: lower-case runs of letters of two or more (``\\w`` without digits, so æ, ø, å and every other
letter stay inside a word: "kanelbolle", "ullgenser", "løping"); links, @mentions, digits and emoji dropped;
``#tag`` → ``tag``.

Compounds: Norwegian (like Danish, Swedish, German and Dutch) writes compounds as one word — "fjelltur",
"kanelbolle", "kaffepause" — so a pillar keyword "tur", "bolle" or "kaffe" never occurs as a whole word.
:func:`compound_match` splits a word against a given vocabulary (the strategy's pillar keywords): the word
contains the keyword as its first or last element, the rest being either another word of the vocabulary or at
least :data:`MIN_PART` letters (so "tur" is found in "fjelltur" but not in "natur" or "turist"), optionally joined
by a linking "s" or "e" ("julesalg", "dagstur") and followed by an inflection ("kanelbollene", "fjellturen").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from signalboost.text.stopwords import normalise_language, stop_words

COMPOUNDING = frozenset({"nb", "nn", "da", "sv", "de", "nl", "is", "fi"})
"""Languages that write compounds as one word: compound matching applies to their texts."""

MIN_PART = 4
"""Fewest letters of a compound's other element when it is not itself a known word."""

INFLECTIONS: tuple[str, ...] = (
    "", "e", "en", "et", "er", "ene", "a", "ar", "ane", "r", "n", "ne", "t", "s", "ens", "ets", "es", "ers", "enes",
)  # fmt: skip
"""Noun and adjective endings of bokmål/nynorsk (and, mostly, Danish and Swedish) after a keyword's base form."""

_NOISE = re.compile(r"https?://\S+|www\.\S+|@[\w.]+", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_LINKS = ("", "s", "e")  # linking letters between compound elements


def words(text: str | None) -> list[str]:
    """Lower-case words of two letters or more; links, @mentions, digits and emoji dropped; ``#tag`` → ``tag``."""
    if not text:
        return []
    return _WORD.findall(_NOISE.sub(" ", text.lower()))


def content_words(text: str | None, languages: Sequence[str | None] = ()) -> list[str]:
    """The words of ``text`` without the stop words of ``languages`` (all of them, for a mixed text)."""
    stops: frozenset[str] = frozenset().union(*(stop_words(lang) for lang in languages)) if languages else frozenset()
    return [t for t in words(text) if t not in stops]


def compounding(languages: Iterable[str | None]) -> bool:
    """Whether any of ``languages`` writes compounds as one word."""
    return any(normalise_language(lang) in COMPOUNDING for lang in languages)


def _inflected(rest: str) -> bool:
    return rest in INFLECTIONS


def _element(part: str, vocabulary: frozenset[str]) -> bool:
    """Whether ``part`` can be the other element of a compound (a known word, or long enough), linker allowed."""
    cores = [part] + [part[: -len(link)] for link in ("s", "e") if part.endswith(link)]
    return any(core in vocabulary or len(core) >= MIN_PART for core in cores)


def compound_match(token: str, keyword: str, vocabulary: frozenset[str] = frozenset()) -> bool:
    """Whether ``token`` is ``keyword`` inflected, or a compound with ``keyword`` as its first or last element.

    ``keyword`` is lower-case and of at least three letters (shorter ones only match whole words);
    ``vocabulary`` holds the other words that count as compound elements whatever their length.
    """
    if token == keyword:
        return True
    if len(keyword) < 3 or keyword not in token:
        return False
    if token.startswith(keyword):  # keyword + inflection, or keyword (+ linker) + other element (+ inflection)
        rest = token[len(keyword) :]
        if _inflected(rest):
            return True
        for link in _LINKS:
            if rest.startswith(link) and _tail_ok(rest[len(link) :], vocabulary):
                return True
    start = token.rfind(keyword)
    while start > 0:  # other element + keyword (+ inflection)
        if _inflected(token[start + len(keyword) :]) and _element(token[:start], vocabulary):
            return True
        start = token.rfind(keyword, 0, start)
    return False


def _tail_ok(tail: str, vocabulary: frozenset[str]) -> bool:
    """The element after a keyword: a known word or ``MIN_PART`` letters, possibly inflected."""
    if len(tail) >= MIN_PART:
        return True
    return any(tail.startswith(v) and _inflected(tail[len(v) :]) for v in vocabulary if v)
