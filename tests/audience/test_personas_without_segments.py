"""Personas held against an audience that could not be split (an account export: follower ids, nothing else)."""

from __future__ import annotations

from signalboost.audience.personas import hold_against
from signalboost.model.strategy import Persona


def test_without_segments_a_persona_is_not_told_to_be_reviewed() -> None:
    """With no segment at all there is nothing to compare with: "not enough data", no score — never "no segment
    matches: review it" with a match score of 0, which blames the persona for what the data lacks."""
    persona = Persona(id="frontend-dev", name="Fabi", interests=["javascript"], networks=["x"])
    verdicts, proposed = hold_against([persona], [], {})
    (v,) = verdicts
    assert (v.persona, v.segment, v.score, v.share, proposed) == ("frontend-dev", None, None, None, [])
    assert (
        v.verdict
        == "not enough data: the audience could not be split into segments (`signalboost audience segments` says why)"
    )
