"""Stop words per language, from maintained lists shipped in packages (no hand-written tables).

- English: scikit-learn's ``ENGLISH_STOP_WORDS`` (the Glasgow Information Retrieval Group's list), as before;
- every other language the ``stop-words`` package ships (python-stop-words, BSD): Norwegian is Snowball's list
  (https://snowballstem.org/algorithms/norwegian/stop.txt), which covers bokmål and nynorsk.

Snowball's Norwegian list has no modal or light verbs ("må", "får", "gjør", "går"), which dominate short posts;
:data:`NORWEGIAN_ADDITIONS` adds those few forms and nothing else. (The stopwords-iso list was considered and not
used: its Norwegian entries include content words such as "arbeid", "makt", "verdi" and mis-encoded ones such as
"fûr".)
"""

from __future__ import annotations

import functools
import re

NORWEGIAN_ADDITIONS = frozenset(
    ["må", "måtte", "får", "fikk", "fått", "gjør", "gjorde", "gjort", "går", "gikk", "gått", "mer", "enda"]
)
"""Modal and light verb forms (and "mer", "enda") that Snowball's Norwegian list lacks."""

ALIASES = {
    "no": "nb",
    "nob": "nb",
    "nor": "nb",
    "nno": "nn",
    "eng": "en",
    "dan": "da",
    "swe": "sv",
    "deu": "de",
    "ger": "de",
}
"""Other codes for the same language (ISO 639-2/3 and the macro-language ``no``) → the code used here."""

_CODE = re.compile(r"^[a-z]{2,3}$")


def normalise_language(code: str | None) -> str | None:
    """``en``/``nb``/``nn``/… from a network's or detector's code (``"nb-NO"``, ``"no"``, ``"en_US"``, ``"NOR"``);
    ``None`` for empty, ``und`` or malformed codes."""
    if not code:
        return None
    base = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    if not _CODE.match(base) or base in {"und", "mul", "zxx"}:
        return None
    return ALIASES.get(base, base)


@functools.cache
def stop_words(language: str | None) -> frozenset[str]:
    """The stop words of ``language`` (any code :func:`normalise_language` accepts); empty when none is shipped."""
    lang = normalise_language(language)
    if lang == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    if lang is None:
        return frozenset()
    import stop_words as sw

    name = "norwegian" if lang in {"nb", "nn"} else sw.LANGUAGE_MAPPING.get(lang)
    if name is None:
        return frozenset()
    words = frozenset(w.strip().lower() for w in sw.get_stop_words(name, cache=False) if w.strip())
    return words | NORWEGIAN_ADDITIONS if lang in {"nb", "nn"} else words


def has_stop_words(language: str | None) -> bool:
    """Whether a stop-word list is shipped for ``language``."""
    return bool(stop_words(language))
