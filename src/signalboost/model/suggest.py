"""'Did you mean …' suggestions for misspelt ids and keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The candidate most similar to ``word`` (difflib ratio ≥ ``cutoff``), or ``None``."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` when a close candidate exists, else ``""`` (translated when shown)."""
    from signalboost.i18n import L_

    match = closest(word, candidates)
    return L_("; did you mean {match!r}?", match=match) if match else ""
