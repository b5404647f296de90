"""The language of a post or bio, detected offline, and texts that mix languages.

Detector: py3langid (A. Barbaresi's maintained fork of langid.py — M. Lui & T. Baldwin 2012, *langid.py: an
off-the-shelf language identification tool*, ACL demo), a multinomial naive Bayes over byte n-grams whose model
ships inside the package (4.6 MB; nothing downloaded). Its probabilities are normalised over the candidate
languages, restricted to :data:`LANGUAGES` (the languages a Norwegian or English team meets most), which makes short
posts far more reliable than the full 97-language set. langid's ``no`` is Norwegian bokmål here (``nb``).

Rules, so short or unreadable texts are never given an invented language:

- fewer than :data:`MIN_WORDS` words (emoji, links, @mentions and digits do not count) → ``None``;
- a top probability below ``min_confidence`` (0.4) → ``None``.

Mixed texts (:func:`detect_mixed`): each sentence or line of at least :data:`MIN_WORDS` words is detected on its own;
every language with at least ``min_share`` (25 %) of those words is listed, the whole text's language first when
it is among them (single sentences are short, so their verdicts are noisier), else the one with most words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from signalboost.text.stopwords import normalise_language

LANGUAGES: tuple[str, ...] = (
    "en", "nb", "nn", "da", "sv", "fi", "is", "de", "nl", "fr", "es", "it", "pt", "pl", "lt", "ru", "uk", "tr", "ar",
    "fa", "so", "ur", "zh", "ja", "ko", "th", "vi", "tl", "id",
)  # fmt: skip
"""Candidate languages (``nb`` stands for langid's ``no``)."""

MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_NOISE = re.compile(r"https?://\S+|www\.\S+|@[\w.]+", re.UNICODE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Detection:
    """A text's language (``None`` = unknown), its probability, and every language a mixed text uses."""

    language: str | None
    confidence: float | None
    languages: tuple[str, ...] = ()

    @property
    def mixed(self) -> bool:
        return len(self.languages) > 1


UNKNOWN = Detection(None, None, ())


@functools.cache
def _identifier(languages: tuple[str, ...]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(sorted({"no" if lang == "nb" else lang for lang in languages}))
    return ident


def _clean(text: str | None) -> str:
    return _NOISE.sub(" ", text or "").replace("#", " ")


def _n_words(text: str) -> int:
    return len(_WORD.findall(text))


def detect_language(
    text: str | None, *, languages: Sequence[str] = LANGUAGES, min_confidence: float = 0.4
) -> Detection:
    """The language of ``text`` as a whole (rules in the module doc)."""
    clean = _clean(text)
    if _n_words(clean) < MIN_WORDS:
        return UNKNOWN
    code, prob = _identifier(tuple(languages)).classify(clean.lower())
    lang = normalise_language(code)
    if lang is None or float(prob) < min_confidence:
        return UNKNOWN
    return Detection(lang, round(float(prob), 4), (lang,))


def detect_mixed(
    text: str | None,
    *,
    languages: Sequence[str] = LANGUAGES,
    min_confidence: float = 0.4,
    min_share: float = 0.25,
) -> Detection:
    """The language of ``text`` and, for a text that mixes languages sentence by sentence, all of them.

    ``language`` is the whole text's detection when it is one of the sentences' languages, else the language with
    most words among the confidently detected sentences (the whole text's detection when no sentence is long
    enough); ``confidence`` is the whole text's probability for it (``None`` when the sentences overrule it).
    """
    whole = detect_language(text, languages=languages, min_confidence=min_confidence)
    words: dict[str, int] = {}
    for part in _SENTENCES.split(_clean(text)):
        n = _n_words(part)
        if n < max(MIN_WORDS, 3):
            continue
        found = detect_language(part, languages=languages, min_confidence=min_confidence)
        if found.language:
            words[found.language] = words.get(found.language, 0) + n
    total = sum(words.values())
    present = sorted((lang for lang, n in words.items() if n >= min_share * total), key=lambda g: (-words[g], g))
    if not present:
        return whole
    if whole.language in present:  # the whole text, read at once, is the surer verdict on which language leads
        present.remove(whole.language)
        present.insert(0, whole.language)
    lead = present[0]
    conf = whole.confidence if whole.language == lead else None
    return Detection(lead, conf, tuple(present))


def detect_many(texts: Iterable[str | None], **kwargs: Any) -> list[Detection]:
    """:func:`detect_mixed` of every text (the model is loaded once)."""
    return [detect_mixed(t, **kwargs) for t in texts]
